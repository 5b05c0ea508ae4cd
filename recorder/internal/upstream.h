// The proxy's side of the wire: forwards one request to the upstream over a pool of keep-alive
// connections and returns the reply as raw bytes (never decompressed), or why there is none.
// http upstreams go through Http1Connection (large reads, no poll per read), https ones
// through httplib's SSLClient.
//   auto upstream = Upstream::Create({.url = "https://api.fireworks.ai"});
//   UpstreamReply reply = (*upstream)->Forward("GET", "/v1/x?a=1", headers, "");
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"
#include "recorder/internal/http1_client.h"
#include "traffic/exchange.h"
#include "traffic/http_client.h"

namespace httplib {
class ClientImpl;
}

namespace conform::recorder::internal {

struct UpstreamConfig {
  std::string url;  // http(s)://host[:port][/prefix]
  std::string ca_file;
  traffic::TlsVerification tls = traffic::TlsVerification::kVerify;
  std::chrono::milliseconds timeout{30'000};  // connect, and longest silence while reading
  size_t max_body_bytes = size_t{32} << 20;
  size_t max_idle_connections = 64;
};

enum class UpstreamFailure {
  kNone,
  kUnreachable,  // refused, reset, DNS, TLS: 502 UNAVAILABLE
  kTimeout,      // connect or read timeout: 504 DEADLINE_EXCEEDED
  kTooLarge,     // body over max_body_bytes: 502
};

struct UpstreamReply {
  UpstreamFailure failure = UpstreamFailure::kNone;
  std::string reason;  // one line when failure != kNone; names host:port, never the URL
  int status = 0;
  traffic::Headers headers;
  std::string body;  // as sent: still gzip when the upstream sent gzip
  double elapsed_ms = 0;
};

class Upstream {
 public:
  // Errors: INVALID_ARGUMENT for a URL that is not http(s)://host[:port][/prefix] or a
  // non-positive timeout; NOT_FOUND for a missing ca_file; INTERNAL when TLS cannot be set up.
  static Result<std::unique_ptr<Upstream>> Create(const UpstreamConfig& config);
  ~Upstream();

  // Sends the request; `target` is origin-form ("/v1/x?a=1") and is appended to the URL's
  // prefix as is (no re-encoding). `headers` go as given: the caller removes hop-by-hop ones
  // and sets Host. Thread-safe. A stale pooled connection is retried once for idempotent
  // methods.
  UpstreamReply Forward(const std::string& method, const std::string& target,
                        const traffic::Headers& headers, const std::string& body);

  // "https://api.fireworks.ai" + prefix: what recorded URLs start with.
  const std::string& base_url() const { return base_url_; }
  // The Host header value: "host" or "host:port" for a non-default port.
  const std::string& host_header() const { return host_header_; }

 private:
  explicit Upstream(const UpstreamConfig& config) : config_(config) {}
  UpstreamReply ForwardPlain(const std::string& method, const std::string& target,
                             const traffic::Headers& headers, const std::string& body);
  UpstreamReply ForwardTls(const std::string& method, const std::string& target,
                           const traffic::Headers& headers, const std::string& body);
  std::unique_ptr<httplib::ClientImpl> NewClient() const;
  std::unique_ptr<httplib::ClientImpl> Borrow(bool& reused);
  void GiveBack(std::unique_ptr<httplib::ClientImpl> client);
  std::string Where() const;  // "host:port", for failure reasons
  // Sets reply.failure and reply.reason for a failure either client can meet; `problem` says
  // what was malformed.
  void Describe(WireFailure failure, const std::string& problem, UpstreamReply& reply) const;

  UpstreamConfig config_;
  std::string scheme_;
  std::string host_;
  int port_ = 0;
  std::string prefix_;
  std::string base_url_;
  std::string host_header_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<httplib::ClientImpl>> idle_;     // https
  std::vector<std::unique_ptr<Http1Connection>> idle_plain_;  // http
};

}  // namespace conform::recorder::internal
