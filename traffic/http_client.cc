#include "traffic/http_client.h"

#include <httplib.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "common/ascii.h"
#include "common/utf8.h"
#include "traffic/connect_errors.h"
#include "traffic/internal/capped_client.h"
#include "traffic/url.h"

// Design notes.
// - Concurrency: httplib clients are not meant to be shared between threads mid-request, so
//   Send borrows one from a pool (creating it when the pool is empty) and gives it back after
//   a clean exchange; a client that saw a transport error is dropped with its socket. The
//   budget counter is atomic; the rate limiter and the jitter generator have their own mutex.
// - Body cap: the body goes through a content receiver that refuses to grow past
//   max_body_bytes, and a declared Content-Length over the cap is refused before reading.
//   What httplib itself buffers (header lines, chunk-size lines) is capped below it, by the
//   stream the clients read through (internal/capped_client.h).
// - Time: decisions (rate limit, backoff, Retry-After) use the injected clock; elapsed_ms is
//   always measured on the real steady clock because it reports what really happened.

namespace conform::traffic {
namespace {

using SteadyClock = std::chrono::steady_clock;
using SystemClock = std::chrono::system_clock;
using Milliseconds = std::chrono::milliseconds;

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct CivilDate {
  int64_t year;
  unsigned month;
  unsigned day;
};
CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{static_cast<int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

// "2024-05-01T12:00:00.123Z"
std::string Iso8601(SystemClock::time_point time) {
  int64_t ms = std::chrono::duration_cast<Milliseconds>(time.time_since_epoch()).count();
  int64_t days = (ms >= 0 ? ms : ms - 86'399'999) / 86'400'000;
  int64_t ms_of_day = ms - days * 86'400'000;
  CivilDate date = CivilFromDays(days);
  char buffer[96];
  std::snprintf(buffer, sizeof(buffer), "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(date.year), date.month, date.day,
                static_cast<long long>(ms_of_day / 3'600'000),
                static_cast<long long>(ms_of_day / 60'000 % 60),
                static_cast<long long>(ms_of_day / 1000 % 60),
                static_cast<long long>(ms_of_day % 1000));
  return buffer;
}

bool ParseDigits(std::string_view text, int64_t& value) {
  if (text.empty()) {
    return false;
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && ptr == text.data() + text.size();
}

// "Wed, 21 Oct 2015 07:28:00 GMT" -> seconds since the epoch.
std::optional<int64_t> ParseImfFixdate(std::string_view text) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  // Fixed layout: "Www, DD Mmm YYYY HH:MM:SS GMT" is 29 characters.
  if (text.size() != 29 || text[3] != ',' || text[4] != ' ' || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT") {
    return std::nullopt;
  }
  int64_t day = 0;
  int64_t year = 0;
  int64_t hour = 0;
  int64_t minute = 0;
  int64_t second = 0;
  if (!ParseDigits(text.substr(5, 2), day) || !ParseDigits(text.substr(12, 4), year) ||
      !ParseDigits(text.substr(17, 2), hour) || !ParseDigits(text.substr(20, 2), minute) ||
      !ParseDigits(text.substr(23, 2), second)) {
    return std::nullopt;
  }
  unsigned month = 0;
  for (unsigned i = 0; i < 12; ++i) {
    if (text.substr(8, 3) == kMonths[i]) {
      month = i + 1;
    }
  }
  if (month == 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  return DaysFromCivil(year, month, static_cast<unsigned>(day)) * 86'400 + hour * 3'600 +
         minute * 60 + second;
}

struct Origin {
  std::string scheme;  // "http" or "https"
  std::string host;    // as in the URL: "[::1]" for an IPv6 address
  std::string address;  // what to connect to: the host without an IPv6 address's brackets
  int port = 0;
  std::string prefix;  // "" or "/api" (no trailing slash)
  std::string origin;  // "https://host:port"
  std::string base;    // origin + prefix
};

int DefaultPort(const std::string& scheme) { return scheme == "https" ? 443 : 80; }

Result<Origin> ParseOrigin(std::string_view base_url) {
  auto url = ParseBaseUrl(base_url);
  if (!url) {
    return url.error();
  }
  Origin origin;
  origin.scheme = url->scheme;
  origin.host = url->host;
  origin.address = origin.host.size() > 2 && origin.host.front() == '[' && origin.host.back() == ']'
                       ? origin.host.substr(1, origin.host.size() - 2)
                       : origin.host;
  origin.port = url->port != 0 ? url->port : DefaultPort(origin.scheme);
  origin.prefix = url->path;
  while (!origin.prefix.empty() && origin.prefix.back() == '/') {
    origin.prefix.pop_back();
  }
  origin.origin = origin.scheme + "://" + origin.host + ":" + std::to_string(origin.port);
  origin.base = origin.origin + origin.prefix;
  return origin;
}

Headers FromHttplib(const httplib::Headers& headers) {
  Headers out;
  out.reserve(headers.size());
  for (const auto& [name, value] : headers) {
    out.push_back(Header{name, value});
  }
  return out;
}

// How an attempt ended, for the retry decision.
enum class Outcome {
  kResponse,       // an HTTP response (perhaps 429/503)
  kConnectFailed,  // nothing reached the server: safe to retry
  kFailed,         // anything else below HTTP: not retried
};

enum class BodyLimit { kWithin, kExceeded };

struct Attempt {
  Exchange exchange;
  Outcome outcome = Outcome::kFailed;
};

// Cuts requests off at a deadline. httplib's read timeout bounds each silence, not a
// response: a server that drips a byte a second, or sends header lines forever (growing
// memory), would hold a request, and a run, forever. One thread per client, started with the
// first request; ClientImpl::stop() is httplib's thread-safe way to shut a request's socket.
class Watchdog {
 public:
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
      thread_.join();
    }
  }

  // Watches `client` until Disarm(id); stops it at `deadline`. Returns the id.
  uint64_t Arm(httplib::ClientImpl* client, SteadyClock::time_point deadline) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!thread_.joinable()) {
      thread_ = std::thread([this] { Loop(); });
    }
    uint64_t id = ++next_id_;
    watched_.emplace(id, Entry{client, deadline, false});
    wake_.notify_all();
    return id;
  }

  void Rearm(uint64_t id, SteadyClock::time_point deadline) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = watched_.find(id); it != watched_.end()) {
      it->second.deadline = deadline;
    }
    wake_.notify_all();
  }

  // Stops watching; true when the deadline had passed and the request was cut off.
  bool Disarm(uint64_t id) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = watched_.find(id);
    if (it == watched_.end()) {
      return false;
    }
    bool fired = it->second.fired;
    watched_.erase(it);
    return fired;
  }

 private:
  struct Entry {
    httplib::ClientImpl* client;
    SteadyClock::time_point deadline;
    bool fired;
  };

  void Loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
      auto next = SteadyClock::time_point::max();
      const auto now = SteadyClock::now();
      for (auto& [id, entry] : watched_) {
        if (!entry.fired && entry.deadline <= now) {
          entry.fired = true;
          entry.client->stop();  // the request fails at once with a read or write error
        } else if (!entry.fired) {
          next = std::min(next, entry.deadline);
        }
      }
      if (next == SteadyClock::time_point::max()) {
        wake_.wait(lock);
      } else {
        wake_.wait_until(lock, next);
      }
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<uint64_t, Entry> watched_;
  uint64_t next_id_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace

struct HttpClient::Impl {
  ClientOptions options;
  Origin origin;
  std::atomic<uint64_t> sent{0};

  std::mutex pool_mutex;
  std::vector<std::unique_ptr<httplib::ClientImpl>> idle;

  std::mutex rate_mutex;
  std::optional<SteadyClock::time_point> theoretical_arrival;

  std::mutex rng_mutex;
  std::atomic<int64_t> waited_ms{0};  // spent waiting before retries, over all threads
  std::mt19937_64 rng;
  Watchdog watchdog;  // last: its thread stops before the pool's clients are destroyed

  Impl(ClientOptions opts, Origin parsed)
      : options(std::move(opts)), origin(std::move(parsed)), rng(options.seed) {
    if (!options.clock.now) {
      options.clock.now = [] { return SteadyClock::now(); };
    }
    if (!options.clock.sleep) {
      options.clock.sleep = [](Milliseconds ms) { std::this_thread::sleep_for(ms); };
    }
    if (!options.clock.wall_now) {
      options.clock.wall_now = [] { return SystemClock::now(); };
    }
  }

  std::unique_ptr<httplib::ClientImpl> NewClient() const {
    const bool tls = origin.scheme == "https";
    std::unique_ptr<httplib::ClientImpl> client =
        internal::NewCappedClient(tls, origin.address, origin.port, ReadCaps());
    if (tls) {
      client->enable_server_certificate_verification(options.tls == TlsVerification::kVerify);
      if (!options.ca_file.empty()) {
        client->set_ca_cert_path(options.ca_file);
      }
    }
    client->set_connection_timeout(options.connect_timeout);
    client->set_read_timeout(options.read_timeout);
    client->set_write_timeout(options.read_timeout);
    client->set_keep_alive(true);
    client->set_tcp_nodelay(true);  // headers and body are separate writes: no Nagle stall
    client->set_follow_location(false);
    client->set_url_encode(false);
    return client;
  }

  // The status line and headers get 256 KiB; the whole response the body limit twice over
  // (chunk sizes, extensions and trailers) and the head.
  internal::ReadCaps ReadCaps() const {
    const size_t head = size_t{256} << 10;
    const size_t body = options.max_body_bytes;
    const size_t most = std::numeric_limits<size_t>::max();
    return {.head_bytes = head,
            .response_bytes = body > (most - head) / 2 ? most : head + 2 * body};
  }

  std::unique_ptr<httplib::ClientImpl> Borrow() {
    {
      std::lock_guard<std::mutex> lock(pool_mutex);
      if (!idle.empty()) {
        auto client = std::move(idle.back());
        idle.pop_back();
        return client;
      }
    }
    return NewClient();
  }

  void GiveBack(std::unique_ptr<httplib::ClientImpl> client) {
    std::lock_guard<std::mutex> lock(pool_mutex);
    idle.push_back(std::move(client));
  }

  bool ReserveBudget() {
    if (options.max_requests == 0) {
      sent.fetch_add(1);
      return true;
    }
    uint64_t current = sent.load();
    do {
      if (current >= options.max_requests) {
        return false;
      }
    } while (!sent.compare_exchange_weak(current, current + 1));
    return true;
  }

  // Generic cell rate algorithm: the token bucket without a refill thread.
  void AwaitRateLimit() {
    if (options.requests_per_second <= 0) {
      return;
    }
    auto interval = std::chrono::duration_cast<SteadyClock::duration>(
        std::chrono::duration<double>(1.0 / options.requests_per_second));
    SteadyClock::duration wait{0};
    {
      std::lock_guard<std::mutex> lock(rate_mutex);
      SteadyClock::time_point now = options.clock.now();
      if (!theoretical_arrival || *theoretical_arrival < now) {
        theoretical_arrival = now;
      }
      SteadyClock::time_point allowed = *theoretical_arrival - interval * (options.burst - 1);
      if (allowed > now) {
        wait = allowed - now;
      }
      *theoretical_arrival += interval;
    }
    if (wait > SteadyClock::duration::zero()) {
      options.clock.sleep(std::chrono::ceil<Milliseconds>(wait));
    }
  }

  Milliseconds Backoff(int retry) {
    int64_t cap = std::max<int64_t>(options.initial_backoff.count(), 0);
    for (int i = 0; i < retry && cap < options.max_backoff.count(); ++i) {
      cap *= 2;
    }
    cap = std::min<int64_t>(cap, options.max_backoff.count());
    int64_t half = cap / 2;
    uint64_t jitter = 0;
    {
      std::lock_guard<std::mutex> lock(rng_mutex);
      jitter = rng() % static_cast<uint64_t>(cap - half + 1);
    }
    return Milliseconds(half + static_cast<int64_t>(jitter));
  }

  // How long to wait before retrying, or nullopt not to retry: the server asked for longer
  // than max_retry_after (a server answering 429 "Retry-After: 99999" to everything would
  // otherwise hold a run for hours), or the client's total wait budget is spent.
  std::optional<Milliseconds> RetryDelay(const Exchange& exchange, int retry) {
    Milliseconds delay = Backoff(retry);
    if (auto header = FindHeader(exchange.response.headers, "retry-after")) {
      if (auto wait = ParseRetryAfter(*header, options.clock.wall_now())) {
        if (*wait > options.max_retry_after) {
          return std::nullopt;
        }
        delay = *wait;
      }
    }
    int64_t before = waited_ms.fetch_add(delay.count());
    if (before + delay.count() > options.max_total_retry_wait.count()) {
      waited_ms.fetch_sub(delay.count());
      return std::nullopt;
    }
    return delay;
  }

  // Absolute URL and origin-form target of a request URL.
  Result<std::pair<std::string, std::string>> Resolve(const std::string& url) const {
    std::string target;
    if (!url.empty() && url.front() == '/') {
      target = origin.prefix + url;
    } else if (url.find("://") != std::string::npos) {
      auto parsed = ParseUrl(url);
      if (!parsed) {
        return parsed.error();
      }
      std::string scheme = parsed->scheme;
      for (char& c : scheme) {
        c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
      }
      int port = parsed->port != 0 ? parsed->port : DefaultPort(scheme);
      if (scheme != origin.scheme || !EqualsIgnoreCase(parsed->host, origin.host) ||
          port != origin.port) {
        return InvalidArgument("URL is not on the client's origin " + origin.origin, url);
      }
      size_t path_start = url.find_first_of("/?#", url.find("://") + 3);
      target = path_start == std::string::npos ? "/" : url.substr(path_start);
      if (target.front() != '/') {
        target.insert(target.begin(), '/');
      }
    } else {
      return InvalidArgument("request URL must be absolute or start with '/'", url);
    }
    size_t fragment = target.find('#');
    if (fragment != std::string::npos) {
      target.resize(fragment);
    }
    target = EscapeUrl(target);
    return std::make_pair(origin.origin + target, target);
  }

  // The one-line reason for a failed attempt, and whether it may be retried.
  struct Failure {
    std::string reason;
    Outcome outcome = Outcome::kFailed;
  };
  Failure DescribeFailure(httplib::Error error, Milliseconds elapsed, httplib::ClientImpl* client,
                          BodyLimit body_limit) const {
    Failure failure{.reason = Reason(error, elapsed, client, body_limit)};
    if (error == httplib::Error::Connection || error == httplib::Error::ConnectionTimeout) {
      failure.outcome = Outcome::kConnectFailed;
    }
    return failure;
  }

  // A read that failed before the timeout: what the server sent, when it was not HTTP, tells
  // the user more than "closed" (an https port asked in http, an SSH or SMTP server).
  std::string ReadFailure(const std::string& where, httplib::ClientImpl* client) const {
    const internal::ResponseBudget& budget = internal::BudgetOf(*client);
    const std::string& first = budget.first_bytes();
    if (budget.received() == 0) {
      return "connection to " + where + " closed without a response";
    }
    if (!std::string_view(first).starts_with(std::string_view("HTTP/").substr(0, first.size()))) {
      const bool tls = first[0] == '\x15' || first[0] == '\x16';  // a TLS alert or handshake
      return "the server at " + where + " did not answer in HTTP: it sent \"" + Printable(first) +
             "\"" + (tls && origin.scheme == "http" ? " (a TLS record: is the URL https://?)" : "");
    }
    return "connection to " + where + " closed before the response was complete";
  }

  std::string Reason(httplib::Error error, Milliseconds elapsed, httplib::ClientImpl* client,
                     BodyLimit body_limit) const {
    std::string where = origin.host + ":" + std::to_string(origin.port);
    switch (error) {
      case httplib::Error::Connection:
        if (elapsed >= options.connect_timeout * 9 / 10) {
          return "connect to " + where + " timed out after " +
                 std::to_string(options.connect_timeout.count()) + " ms";
        }
        return DiagnoseConnect(origin.address, origin.port,
                               std::min(options.connect_timeout, Milliseconds(2000)));
      case httplib::Error::ConnectionTimeout:
        return "connect to " + where + " timed out after " +
               std::to_string(options.connect_timeout.count()) + " ms";
      case httplib::Error::Read:
        if (elapsed >= options.read_timeout * 9 / 10) {
          return "timed out after " + std::to_string(options.read_timeout.count()) +
                 " ms waiting for the response";
        }
        return ReadFailure(where, client);
      case httplib::Error::Write:
        return "could not send the request to " + where;
      case httplib::Error::Canceled:
        if (body_limit == BodyLimit::kExceeded) {
          return "response body exceeds the limit of " + std::to_string(options.max_body_bytes) +
                 " bytes (max_body_bytes)";
        }
        return "request canceled";
      case httplib::Error::SSLConnection: {
        std::string detail = OpenSslErrors();
        return "TLS handshake failed: " +
               (detail.empty() ? std::string("the server did not complete the handshake") : detail);
      }
      case httplib::Error::SSLLoadingCerts:
        return "TLS setup failed: could not load CA certificates from " +
               (options.ca_file.empty() ? std::string("the system store") : options.ca_file);
      case httplib::Error::SSLServerVerification: {
        long result = X509_V_OK;
        if (auto* ssl = dynamic_cast<httplib::SSLClient*>(client)) {
          result = ssl->get_openssl_verify_result();
        }
        if (result != X509_V_OK) {
          return std::string("TLS handshake failed: certificate verify failed: ") +
                 X509_verify_cert_error_string(result);
        }
        return "TLS handshake failed: the certificate does not match host " + origin.host;
      }
      case httplib::Error::Compression:
        return "could not decompress the response body";
      default:
        return "request failed: " + httplib::to_string(error);
    }
  }

  Attempt SendOnce(const Request& request, const std::string& target) {
    Attempt attempt;
    attempt.exchange.request = request;
    attempt.exchange.started = Iso8601(options.clock.wall_now());

    httplib::Request wire;
    wire.method = request.method.empty() ? "GET" : request.method;
    wire.path = target;
    for (const Header& header : request.headers) {
      wire.headers.emplace(header.name, header.value);
    }
    wire.body = request.body;
    std::string body;
    BodyLimit body_limit = BodyLimit::kWithin;
    const size_t max_body = options.max_body_bytes;
    std::unique_ptr<httplib::ClientImpl> client = Borrow();
    internal::ResponseBudget& budget = internal::BudgetOf(*client);
    budget.Start();
    const SteadyClock::time_point start = SteadyClock::now();
    // Headers must be in within twice the read timeout (a silent server meets httplib's own
    // read timeout first, and its message), the whole response within the deadline.
    const uint64_t watch = watchdog.Arm(client.get(), start + 2 * options.read_timeout);
    wire.response_handler = [&](const httplib::Response& response) {
      budget.HeadComplete();
      watchdog.Rearm(watch, start + std::max(options.response_deadline, 2 * options.read_timeout));
      std::string declared = response.get_header_value("Content-Length");
      int64_t length = 0;
      if (ParseDigits(declared, length) && static_cast<uint64_t>(length) > max_body) {
        body_limit = BodyLimit::kExceeded;
        return false;
      }
      return true;
    };
    wire.content_receiver = [&](const char* data, size_t size, uint64_t, uint64_t) {
      if (body.size() + size > max_body) {
        body_limit = BodyLimit::kExceeded;
        return false;
      }
      body.append(data, size);
      return true;
    };

    ERR_clear_error();
    httplib::Result result = client->send(wire);
    const bool cut_off = watchdog.Disarm(watch);
    auto elapsed = SteadyClock::now() - start;
    attempt.exchange.elapsed_ms = std::chrono::duration<double, std::milli>(elapsed).count();

    if (result) {
      attempt.outcome = Outcome::kResponse;
      attempt.exchange.response.status = result->status;
      attempt.exchange.response.headers = FromHttplib(result->headers);
      attempt.exchange.response.body = std::move(body);
      GiveBack(std::move(client));
      return attempt;
    }
    Failure failure =
        DescribeFailure(result.error(), std::chrono::duration_cast<Milliseconds>(elapsed),
                        client.get(), body_limit);
    if (budget.met() == internal::CapMet::kHead) {
      failure.reason = "the response's status line and headers exceed " +
                       std::to_string(budget.caps().head_bytes) + " bytes";
      failure.outcome = Outcome::kFailed;
    } else if (budget.met() == internal::CapMet::kResponse) {
      failure.reason = "the response exceeds " + std::to_string(budget.caps().response_bytes) +
                       " bytes with its framing (the body limit is " +
                       std::to_string(options.max_body_bytes) + " bytes, max_body_bytes)";
      failure.outcome = Outcome::kFailed;
    } else if (cut_off) {
      failure.reason = "the response did not complete within " +
                       std::to_string(std::chrono::duration_cast<Milliseconds>(elapsed).count()) +
                       " ms (headers are allowed twice the read timeout, " +
                       std::to_string(2 * options.read_timeout.count()) + " ms, a whole response " +
                       std::to_string(std::max(options.response_deadline, 2 * options.read_timeout).count()) +
                       " ms): the server is sending too slowly or without end";
      failure.outcome = Outcome::kFailed;
    }
    attempt.exchange.error = std::move(failure.reason);
    attempt.exchange.body_over_limit =
        body_limit == BodyLimit::kExceeded || budget.met() == internal::CapMet::kResponse;
    attempt.outcome = failure.outcome;
    return attempt;
  }
};

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;
HttpClient::~HttpClient() = default;

Result<HttpClient> HttpClient::Create(std::string_view base_url, ClientOptions options) {
  auto origin = ParseOrigin(base_url);
  if (!origin) {
    return origin.error();
  }
  const std::string base = origin->base;  // without userinfo: safe in an error
  if (options.connect_timeout.count() <= 0 || options.read_timeout.count() <= 0) {
    return InvalidArgument("timeouts must be positive", base);
  }
  if (options.max_retries < 0 || options.burst < 1 || options.requests_per_second < 0 ||
      !std::isfinite(options.requests_per_second) || options.initial_backoff.count() < 0 ||
      options.max_backoff.count() < 0 || options.max_retry_after.count() < 0 ||
      options.max_total_retry_wait.count() < 0) {
    return InvalidArgument(
        "retries, backoff and rate must not be negative, and burst must be at least 1", base);
  }
  if (!options.ca_file.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(options.ca_file, ec)) {
      return NotFound("CA file not found", options.ca_file);
    }
  }
  bool has_user_agent = false;
  for (const Header& header : options.default_headers) {
    has_user_agent = has_user_agent || EqualsIgnoreCase(header.name, "user-agent");
  }
  if (!has_user_agent && !options.user_agent.empty()) {
    options.default_headers.push_back(Header{"User-Agent", options.user_agent});
  }
  try {
    auto impl = std::make_unique<Impl>(std::move(options), std::move(*origin));
    auto probe = impl->NewClient();
    if (!probe->is_valid()) {
      return InternalError("could not set up the HTTP client (TLS context)", base);
    }
    impl->GiveBack(std::move(probe));
    return HttpClient(std::move(impl));
  } catch (const std::exception& e) {
    return InternalError(std::string("could not set up the HTTP client: ") + e.what(), base);
  }
}

Exchange HttpClient::SendOrRecordError(const Request& request) {
  auto exchange = Send(request);
  if (exchange) {
    return *std::move(exchange);
  }
  Exchange failed;
  failed.request = request;
  failed.error = exchange.error().message;
  return failed;
}

Result<Exchange> HttpClient::Send(const Request& request) {
  CONFORM_CHECK(impl_ != nullptr);
  auto resolved = impl_->Resolve(request.url);
  if (!resolved) {
    return resolved.error();
  }
  Request wire_request = request;
  wire_request.url = resolved->first;
  Headers merged;
  for (const Header& header : impl_->options.default_headers) {
    if (!FindHeader(request.headers, header.name)) {
      merged.push_back(header);
    }
  }
  merged.insert(merged.end(), request.headers.begin(), request.headers.end());
  wire_request.headers = std::move(merged);

  Exchange last;
  for (int attempt = 0;; ++attempt) {
    if (!impl_->ReserveBudget()) {
      if (attempt == 0) {
        return ResourceExhausted("request budget of " +
                                     std::to_string(impl_->options.max_requests) +
                                     " requests is spent",
                                 impl_->origin.base);
      }
      break;
    }
    impl_->AwaitRateLimit();
    Attempt result;
    try {
      result = impl_->SendOnce(wire_request, resolved->second);
    } catch (const std::exception& e) {
      result.exchange.request = wire_request;
      result.exchange.error = std::string("request failed: ") + e.what();
      result.outcome = Outcome::kFailed;
    }
    last = std::move(result.exchange);
    bool retryable = result.outcome == Outcome::kConnectFailed ||
                     (result.outcome == Outcome::kResponse &&
                      (last.response.status == 429 || last.response.status == 503));
    if (!retryable || attempt >= impl_->options.max_retries) {
      break;
    }
    std::optional<Milliseconds> delay = impl_->RetryDelay(last, attempt);
    if (!delay) {
      break;
    }
    impl_->options.clock.sleep(*delay);
  }
  return last;
}

uint64_t HttpClient::RequestsSent() const { return impl_ ? impl_->sent.load() : 0; }

const std::string& HttpClient::BaseUrl() const {
  CONFORM_CHECK(impl_ != nullptr);
  return impl_->origin.base;
}

std::optional<Milliseconds> ParseRetryAfter(std::string_view value, SystemClock::time_point now) {
  value = TrimSpacesAndTabs(value);
  if (value.empty()) {
    return std::nullopt;
  }
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    if (value.size() > 9) {
      return Milliseconds(int64_t{999'999'999} * 1000);  // absurdly far: the cap applies
    }
    int64_t seconds = 0;
    if (!ParseDigits(value, seconds)) {
      return std::nullopt;
    }
    return Milliseconds(seconds * 1000);
  }
  auto when = ParseImfFixdate(value);
  if (!when) {
    return std::nullopt;
  }
  auto now_ms = std::chrono::duration_cast<Milliseconds>(now.time_since_epoch()).count();
  int64_t wait = *when * 1000 - now_ms;
  return Milliseconds(wait > 0 ? wait : 0);
}

}  // namespace conform::traffic
