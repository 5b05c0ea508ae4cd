// URLs and query strings, as the checks need them: split, percent-decode, rebuild.
//   auto url = traffic::ParseUrl("https://api.fireworks.ai/v1/accounts/a/dpoJobs?pageSize=5");
//   auto page_size = traffic::QueryValue(url->query, "pageSize");   // "5"
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace conform::traffic {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

struct Url {
  std::string scheme;  // "https"; empty for origin-form ("/v1/...")
  std::string host;    // "api.fireworks.ai"; empty for origin-form
  int port = 0;        // 0 when not given
  std::string path;    // decoded is NOT applied: "/v1/accounts/a%2Fb/dpoJobs" stays as is
  QueryParams query;   // percent-decoded, '+' read as space, in order of appearance
};

// Where a server listens (`conform serve`, `record`, `replay`).
struct ListenAddress {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: an ephemeral port
};

// "HOST:PORT", "[v6]:PORT" or ":PORT" (loopback). INVALID_ARGUMENT otherwise.
Result<ListenAddress> ParseListenAddress(std::string_view text);

// Parses an absolute URL or an origin-form target. Fails with INVALID_ARGUMENT on a URL
// that has neither a scheme nor a leading '/'.
Result<Url> ParseUrl(std::string_view url);

// Parses a base URL, http(s)://host[:port][/prefix], the one grammar for HttpClient and
// --base-url: http or https in any case (`scheme` comes back lowercase), userinfo (dropped),
// a host name or IPv4 address or a bracketed IPv6 address (`host` keeps the brackets:
// "[::1]"), a port 1..65535 (`port` 0 when absent), a prefix (`path`, "/" when absent); no
// query or fragment. Fails with INVALID_ARGUMENT giving the first reason, the URL shown with
// everything before its last '@' and any secret query parameter redacted (a base URL has no
// '@' after its host, so a '/' there is in a password):
//   'http://REDACTED@h:x' is not a base URL (http(s)://host[:port][/prefix]): the port 'x' is
//   not a number from 1 to 65535
Result<Url> ParseBaseUrl(std::string_view url);

// Splits "a=1&b=x%20y" into decoded pairs. A key without '=' gets an empty value.
QueryParams ParseQuery(std::string_view query);

// The first value of `key`, if present.
std::optional<std::string> QueryValue(const QueryParams& query, std::string_view key);

// Percent-encodes everything except RFC 3986 unreserved characters.
std::string PercentEncode(std::string_view text);
// Decodes %XX (invalid escapes are kept literally); '+' becomes ' ' when `plus_is_space`.
enum class PlusIs { kSpace, kPlus };
std::string PercentDecode(std::string_view text, PlusIs plus = PlusIs::kSpace);

// "k1=v1&k2=v2" with both sides percent-encoded.
std::string BuildQuery(const QueryParams& query);

// Origin-form target "/path?query" of a URL.
std::string Target(const Url& url);

// `url` made safe to put on the wire or in a shell: percent-encodes, after the authority, the
// bytes a URL may not hold raw (controls, space, non-ASCII, " < > \ ^ ` { | } [ ]) and a '%'
// that does not start a %XX escape. Everything else, existing escapes included, is kept, so
// "?pageToken=a%2Bb+c" is unchanged and "?filter=a b" becomes "?filter=a%20b".
std::string EscapeUrl(std::string_view url);

// "host:port" as a URL writes it: an IPv6 address in brackets ("[::1]:8080").
std::string HostPort(std::string_view host, int port);

}  // namespace conform::traffic
