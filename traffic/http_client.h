// The live HTTP(S) client: one Request in, one Exchange out, with timeouts, retries, a rate
// limit, a request budget and a body-size cap (cpp-httplib underneath, never exposed).
//   auto client = traffic::HttpClient::Create("https://api.fireworks.ai",
//                                             {.default_headers = {{"Authorization", bearer}}});
//   auto exchange = client->Send({.method = "GET", .url = "/v1/accounts/a/dpoJobs?pageSize=5"});
//   if (exchange && !exchange->error.empty()) { /* refused, timed out, TLS... status 0 */ }
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "traffic/exchange.h"

namespace conform::traffic {

enum class TlsVerification {
  kVerify,    // system CAs (or ca_file), host name checked: the default
  kInsecure,  // no certificate or host name check (--insecure); for test servers only
};

// Time, injected so tests never sleep. Empty members mean the real clocks and sleep.
struct ClientClock {
  // Drives the rate limit and backoff arithmetic.
  std::function<std::chrono::steady_clock::time_point()> now;
  // Waits before a retry or for the rate limit.
  std::function<void(std::chrono::milliseconds)> sleep;
  // Wall time, for Retry-After HTTP dates and Exchange::started.
  std::function<std::chrono::system_clock::time_point()> wall_now;
};

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  // Longest silence while waiting for or reading the response; the status line and headers
  // may take twice this in all.
  std::chrono::milliseconds read_timeout{30'000};
  // How long a whole response may take (at least 2 x read_timeout): a server that keeps sending
  // slowly or without end is cut off, the attempt fails and is not retried.
  std::chrono::milliseconds response_deadline{60'000};
  // Retries after the first attempt, on 429, 503 and failures to connect. Read timeouts and
  // other transport errors are not retried (the server may have acted on the request).
  int max_retries = 2;
  // Backoff before retry k (0-based): min(max_backoff, initial_backoff * 2^k), of which the
  // upper half is random ("equal jitter") from a generator seeded with `seed`.
  std::chrono::milliseconds initial_backoff{250};
  std::chrono::milliseconds max_backoff{8'000};
  uint64_t seed = 0;
  // A Retry-After header (seconds or HTTP-date) replaces the backoff; when it asks for longer
  // than this, the request is not retried and the server's answer is returned.
  std::chrono::milliseconds max_retry_after{30'000};
  // All the waiting before retries over the client's life, all threads: past it, answers are
  // returned without retrying.
  std::chrono::milliseconds max_total_retry_wait{60'000};
  // Larger response bodies are not read: the Exchange gets an error and no response.
  size_t max_body_bytes = size_t{32} << 20;
  // Token bucket over all threads: at most `requests_per_second` on average, `burst` at once.
  // 0 means unlimited. Every attempt, retries included, takes a token.
  double requests_per_second = 0;
  int burst = 1;
  // Budget of attempts over the client's life, retries included; 0 means unlimited.
  uint64_t max_requests = 0;
  TlsVerification tls = TlsVerification::kVerify;
  std::string ca_file;  // PEM bundle to trust instead of the system CAs
  // Sent with every request unless the request has a header of the same name.
  Headers default_headers;
  std::string user_agent = "conform";
  ClientClock clock;
};

class HttpClient {
 public:
  // base_url: "http(s)://host[:port][/prefix]"; origin-form request URLs are appended to the
  // prefix. Errors: INVALID_ARGUMENT for a URL that is not a base URL (ParseBaseUrl says
  // why), a non-positive timeout or burst, a negative rate or retry count; NOT_FOUND when
  // ca_file does not exist. No error shows the URL's userinfo.
  static Result<HttpClient> Create(std::string_view base_url, ClientOptions options);

  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;
  ~HttpClient();

  // Sends `request` (origin-form URL, or an absolute one on the base URL's origin), retrying
  // as the options say, and returns the final attempt. A transport failure is not an error
  // here: the Exchange has status 0 and a one-line `error` ("connection refused to
  // 127.0.0.1:1", "timed out after 2000 ms waiting for the response", "TLS handshake failed:
  // ..."). Exchange::request is the request as sent: absolute URL, default headers merged.
  // Errors: RESOURCE_EXHAUSTED when the budget is spent before the first attempt (a retry
  // that would exceed it is simply not made); INVALID_ARGUMENT for a URL on another origin.
  // Thread-safe: concurrent calls each borrow a connection from an internal pool.
  Result<Exchange> Send(const Request& request);

  // Send, with the errors above folded into the Exchange (status 0, `error` set): what a
  // check suite wants, where a refused request is one more observation.
  Exchange SendOrRecordError(const Request& request);

  // Attempts made so far (retries and failed connections included), for reports.
  uint64_t RequestsSent() const;

  // "http(s)://host:port" plus the prefix, as parsed.
  const std::string& BaseUrl() const;

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The wait a Retry-After value asks for: delay-seconds ("120") or an IMF-fixdate
// ("Wed, 21 Oct 2015 07:28:00 GMT") relative to `now` (0 when in the past). nullopt when the
// value is neither.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                         std::chrono::system_clock::time_point now);

}  // namespace conform::traffic
