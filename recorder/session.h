// The HTTP side of `conform record` and `conform replay`: one loopback server that answers
// from a cassette, forwards to an upstream and records, or both, as the VCR record mode says.
//   auto session = recorder::Session::Start({.mode = recorder::RecordMode::kAll,
//                                            .cassette = "session.har",
//                                            .upstream = recorder::UpstreamOptions{
//                                                .url = "https://api.fireworks.ai"}});
//   std::cout << (*session)->url();                  // "http://127.0.0.1:8080"
//   recorder::SessionSummary summary = (*session)->Stop();   // finalises the cassette
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "recorder/cassette.h"
#include "recorder/matcher.h"
#include "recorder/redactor.h"
#include "traffic/http_client.h"
#include "traffic/read_options.h"
#include "traffic/url.h"
#include "validator/exchange_validator.h"

namespace conform::recorder {

using traffic::ListenAddress;
using traffic::ParseListenAddress;

struct UpstreamOptions {
  std::string url;      // http(s)://host[:port][/prefix]
  std::string ca_file;  // PEM bundle to trust instead of the system CAs
  traffic::TlsVerification tls = traffic::TlsVerification::kVerify;
  std::chrono::milliseconds timeout{30'000};  // connect, and longest silence reading
  size_t max_body_bytes = size_t{32} << 20;   // larger upstream responses get a 502
};

// VCR record modes (when both a cassette and an upstream are given).
enum class RecordMode {
  kNone,         // replay only; unmatched requests get 501
  kOnce,         // record (as kAll) when the cassette does not exist, else replay only
  kNewEpisodes,  // replay matches; proxy, record and append the rest
  kAll,          // always proxy and record; the cassette is rewritten (`conform record`)
};
// "none", "once", "new_episodes" (or "new-episodes"), "all".
Result<RecordMode> ParseRecordMode(std::string_view text);
std::string_view RecordModeName(RecordMode mode);

// How a finding is logged: "conform record: finding must response.schema.enum /dpoJobs/3/state:
// ... [GET https://...]". `request` is "METHOD URL" of the (redacted) exchange.
std::string FindingLogLine(const validator::Finding& finding, std::string_view request);

// What a proxied response that breaks the contract does (with a validator).
enum class OnViolation {
  kPassThrough,  // logged; the client gets the upstream's response
  kReject,       // the client gets 502 {"code": 13, ...} naming the findings
};

struct SessionOptions {
  ListenAddress listen;
  int threads = 64;  // worker threads; each open keep-alive connection holds one
  // An idle keep-alive connection is closed after this; Stop waits at most this long for
  // idle clients.
  std::chrono::seconds keep_alive_timeout{2};
  // How long Stop waits for connections still being served (a client still sending its
  // request, an upstream still sending its response) before it gives up on them.
  std::chrono::milliseconds stop_grace{5'000};
  RecordMode mode = RecordMode::kAll;
  std::string cassette;                     // HAR file to replay from and/or record to
  std::optional<UpstreamOptions> upstream;  // required to proxy (kOnce, kNewEpisodes, kAll)
  MatchOptions match;
  RedactionOptions redaction;
  CassetteOptions cassette_options;
  traffic::ReadOptions read_options;  // limits for loading the cassette
  // Checks every recorded exchange (not owned; must outlive the session). nullptr: no checks.
  const validator::ExchangeValidator* validator = nullptr;
  OnViolation on_violation = OnViolation::kPassThrough;
  // One line per event (finding, unmatched request, upstream failure); never holds secrets.
  // Calls are serialised. Empty: events are only counted.
  std::function<void(const std::string&)> log;
};

struct SessionSummary {
  RecordMode mode = RecordMode::kAll;  // effective: kOnce resolved to kNone or kAll
  size_t loaded = 0;                   // exchanges in the cassette at start
  size_t replayed = 0;                 // requests answered from the cassette
  size_t proxied = 0;                  // requests forwarded (failures included)
  size_t upstream_failures = 0;        // answered 502/504 by the proxy itself
  size_t recorded = 0;                 // entries appended to the cassette
  size_t record_failures = 0;          // entries that could not be written
  size_t unmatched = 0;                // answered 501: nothing recorded matched
  size_t too_large = 0;                // answered 413: request body over the limit, not forwarded
  // Refused by the HTTP layer before any matching: a malformed request line or header, a
  // request line over 8192 bytes, a bad chunk (the log and X-Conform-Error say which).
  size_t malformed = 0;
  std::vector<std::string> unmatched_requests;  // the first 100, described
  std::vector<std::string> unused;  // recorded requests never replayed ("entry 3: GET /v1/...")
  size_t validated = 0;             // recorded exchanges checked against the contract
  size_t findings = 0;
  size_t failing_findings = 0;  // `must` findings
  std::map<std::string, size_t> findings_by_check;
  size_t rejected = 0;  // responses replaced by 502 (OnViolation::kReject)
  // Response headers not sent because HTTP/1.1 cannot carry them (a name that is not a token,
  // CR, LF or NUL in the value), from the upstream or the cassette.
  size_t unsafe_headers_dropped = 0;
  std::optional<Error> cassette_error;  // the first cassette write error
  // Connections still open when Stop gave up waiting (stop_grace): their exchanges are not
  // recorded. An idle keep-alive connection counts only when stop_grace < keep_alive_timeout.
  size_t abandoned = 0;
  size_t cassette_entries = 0;  // entries in the cassette file
};

class Session {
 public:
  // Loads the cassette as the mode needs, binds the address and serves on background threads;
  // returns once requests are accepted. Errors: INVALID_ARGUMENT for bad options (a mode that
  // needs an upstream without one, a bad upstream URL or redaction rule); NOT_FOUND when
  // kNone needs a cassette that does not exist; the errors of ReadCassette; UNAVAILABLE when
  // the address cannot be bound or the cassette cannot be created.
  static Result<std::unique_ptr<Session>> Start(SessionOptions options);

  ~Session();  // Stop()
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  int port() const;
  const std::string& url() const;  // "http://127.0.0.1:41234"
  RecordMode mode() const;         // effective mode
  SessionSummary Summary() const;  // a snapshot, while serving or after Stop

  // Stops accepting, lets in-flight requests finish for up to stop_grace, then finishes the
  // cassette. Connections still open then are abandoned (counted in `abandoned`): their threads
  // run on, never touching the log or the validator again, and release the session's state
  // when they end. Idempotent.
  SessionSummary Stop();

  // Expires once the session and every thread it started are gone. It outlives a Stop that
  // abandoned connections until they end, so a program about to exit can tell that returning
  // from main would run static destructors under running threads (and std::_Exit instead).
  std::weak_ptr<const void> Lifetime() const;

  struct Impl;

 private:
  explicit Session(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace conform::recorder
