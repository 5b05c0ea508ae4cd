#include "recorder/internal/upstream.h"

#include <httplib.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <exception>
#include <filesystem>
#include <system_error>

#include "traffic/connect_errors.h"
#include "traffic/url.h"

namespace conform::recorder::internal {
namespace {

using Clock = std::chrono::steady_clock;
using Milliseconds = std::chrono::milliseconds;

bool IsIdempotent(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "PUT" ||
         method == "DELETE";
}

bool ParseDigits(const std::string& text, uint64_t& value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

Upstream::~Upstream() = default;

Result<std::unique_ptr<Upstream>> Upstream::Create(const UpstreamConfig& config) {
  // The grammar --base-url has: the same URLs are refused, and a password is never shown.
  auto url = traffic::ParseBaseUrl(config.url);
  if (!url) {
    return InvalidArgument("upstream " + url.error().message);
  }
  const std::string& scheme = url->scheme;
  if (config.timeout.count() <= 0) {
    return InvalidArgument("the upstream timeout must be positive");
  }
  if (!config.ca_file.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(config.ca_file, ec)) {
      return NotFound("CA file not found", config.ca_file);
    }
  }
  std::unique_ptr<Upstream> upstream(new Upstream(config));
  upstream->scheme_ = scheme;
  const bool bracketed = url->host.starts_with('[');  // an IPv6 literal: "[::1]"
  upstream->host_ = bracketed ? url->host.substr(1, url->host.size() - 2) : url->host;
  int default_port = scheme == "https" ? 443 : 80;
  upstream->port_ = url->port != 0 ? url->port : default_port;
  upstream->prefix_ = url->path;
  while (!upstream->prefix_.empty() && upstream->prefix_.back() == '/') {
    upstream->prefix_.pop_back();
  }
  upstream->host_header_ = upstream->port_ == default_port
                               ? url->host
                               : url->host + ":" + std::to_string(upstream->port_);
  upstream->base_url_ = scheme + "://" + upstream->host_header_ + upstream->prefix_;
  if (scheme != "https") {
    return upstream;
  }
  try {  // TLS is set up once here, so that a broken context is an error at start
    auto probe = upstream->NewClient();
    if (!probe->is_valid()) {
      return InternalError("could not set up the upstream client (TLS context)",
                           upstream->base_url_);
    }
    upstream->GiveBack(std::move(probe));
  } catch (const std::exception& e) {
    return InternalError(std::string("could not set up the upstream client: ") + e.what(),
                         upstream->base_url_);
  }
  return upstream;
}

std::unique_ptr<httplib::ClientImpl> Upstream::NewClient() const {
  std::unique_ptr<httplib::ClientImpl> client;
  if (scheme_ == "https") {
    auto tls = std::make_unique<httplib::SSLClient>(host_, port_);
    tls->enable_server_certificate_verification(config_.tls == traffic::TlsVerification::kVerify);
    if (!config_.ca_file.empty()) {
      tls->set_ca_cert_path(config_.ca_file.c_str());
    }
    client = std::move(tls);
  } else {
    client = std::make_unique<httplib::ClientImpl>(host_, port_);
  }
  client->set_connection_timeout(config_.timeout);
  client->set_read_timeout(config_.timeout);
  client->set_write_timeout(config_.timeout);
  client->set_keep_alive(true);
  client->set_tcp_nodelay(true);  // without it each reused connection stalls ~40 ms (Nagle)
  client->set_follow_location(false);
  client->set_url_encode(false);
  client->set_decompress(false);  // the client gets the upstream's bytes as sent
  return client;
}

std::unique_ptr<httplib::ClientImpl> Upstream::Borrow(bool& reused) {
  {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    if (!idle_.empty()) {
      auto client = std::move(idle_.back());
      idle_.pop_back();
      reused = true;
      return client;
    }
  }
  reused = false;
  return NewClient();
}

void Upstream::GiveBack(std::unique_ptr<httplib::ClientImpl> client) {
  std::lock_guard<std::mutex> lock(pool_mutex_);
  if (idle_.size() < config_.max_idle_connections) {
    idle_.push_back(std::move(client));
  }
}

std::string Upstream::Where() const { return traffic::HostPort(host_, port_); }

UpstreamReply Upstream::Forward(const std::string& method, const std::string& target,
                                const traffic::Headers& headers, const std::string& body) {
  return scheme_ == "https" ? ForwardTls(method, target, headers, body)
                            : ForwardPlain(method, target, headers, body);
}

void Upstream::Describe(WireFailure failure, const std::string& problem,
                        UpstreamReply& reply) const {
  const std::string limit = std::to_string(config_.timeout.count()) + " ms";
  reply.failure = UpstreamFailure::kUnreachable;
  switch (failure) {
    case WireFailure::kConnect:
      reply.reason = traffic::DiagnoseConnect(
          host_, port_, std::min(config_.timeout, Milliseconds(2000)), "upstream");
      break;
    case WireFailure::kConnectTimeout:
      reply.failure = UpstreamFailure::kTimeout;
      reply.reason = "connect to upstream " + Where() + " timed out after " + limit;
      break;
    case WireFailure::kTimeout:
      reply.failure = UpstreamFailure::kTimeout;
      reply.reason = "upstream " + Where() + " sent no response within " + limit;
      break;
    case WireFailure::kWrite:
      reply.reason = "could not send the request to upstream " + Where();
      break;
    case WireFailure::kClosed:
      reply.reason =
          "upstream " + Where() + " closed the connection before the response was complete";
      break;
    case WireFailure::kMalformed:
      reply.reason = "upstream " + Where() + " sent a malformed response: " + problem;
      break;
    case WireFailure::kTooLarge:
      reply.failure = UpstreamFailure::kTooLarge;
      reply.reason = "upstream response body exceeds the limit of " +
                     std::to_string(config_.max_body_bytes) + " bytes (--max-body-size)";
      break;
    case WireFailure::kNone:
      reply.failure = UpstreamFailure::kNone;
      break;
  }
}

UpstreamReply Upstream::ForwardPlain(const std::string& method, const std::string& target,
                                     const traffic::Headers& headers, const std::string& body) {
  const std::string request = Http1Request(method, prefix_ + target, headers, body);
  const WireLimits limits{.max_body_bytes = config_.max_body_bytes, .head = method == "HEAD"};
  for (int attempt = 0;; ++attempt) {
    UpstreamReply reply;
    const auto start = Clock::now();
    std::unique_ptr<Http1Connection> connection;
    bool reused = false;
    // A pooled connection the upstream has closed meanwhile (its keep-alive timeout) is
    // dropped here; the retry below covers one that closes while the request is on its way.
    while (attempt == 0 && !connection) {
      std::lock_guard<std::mutex> lock(pool_mutex_);
      if (idle_plain_.empty()) {
        break;
      }
      connection = std::move(idle_plain_.back());
      idle_plain_.pop_back();
      if (!connection->StillOpen()) {
        connection.reset();
      }
      reused = connection != nullptr;
    }
    WireFailure failure = WireFailure::kNone;
    if (!connection) {
      connection = Http1Connection::Connect(host_, port_, config_.timeout, failure);
    }
    WireResponse response;
    if (connection) {
      failure = connection->RoundTrip(request, limits, response);
    }
    reply.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (failure == WireFailure::kNone) {
      reply.status = response.status;
      reply.headers = std::move(response.headers);
      reply.body = std::move(response.body);
      if (response.reusable) {
        std::lock_guard<std::mutex> lock(pool_mutex_);
        if (idle_plain_.size() < config_.max_idle_connections) {
          idle_plain_.push_back(std::move(connection));
        }
      }
      return reply;
    }
    // A pooled connection the upstream closed while idle fails before any response byte.
    if (attempt == 0 && reused && response.nothing_received && IsIdempotent(method) &&
        (failure == WireFailure::kWrite || failure == WireFailure::kClosed)) {
      continue;
    }
    Describe(failure, response.problem, reply);
    return reply;
  }
}

UpstreamReply Upstream::ForwardTls(const std::string& method, const std::string& target,
                                   const traffic::Headers& headers, const std::string& body) {
  httplib::Request wire;
  wire.method = method;
  wire.path = prefix_ + target;
  for (const traffic::Header& header : headers) {
    wire.headers.emplace(header.name, header.value);
  }
  wire.body = body;

  const size_t max_body = config_.max_body_bytes;
  for (int attempt = 0;; ++attempt) {
    UpstreamReply reply;
    bool too_large = false;
    wire.response_handler = [&](const httplib::Response& response) {
      uint64_t declared = 0;
      if (ParseDigits(response.get_header_value("Content-Length"), declared) &&
          declared > max_body) {
        too_large = true;
        return false;
      }
      return true;
    };
    wire.content_receiver = [&](const char* data, size_t size, uint64_t, uint64_t) {
      if (reply.body.size() + size > max_body) {
        too_large = true;
        return false;
      }
      reply.body.append(data, size);
      return true;
    };
    bool reused = false;
    std::unique_ptr<httplib::ClientImpl> client = Borrow(reused);
    const auto start = Clock::now();
    ERR_clear_error();
    httplib::Result result = client->send(wire);
    const auto elapsed = Clock::now() - start;
    reply.elapsed_ms = std::chrono::duration<double, std::milli>(elapsed).count();
    if (result) {
      reply.status = result->status;
      for (const auto& [name, value] : result->headers) {
        reply.headers.push_back(traffic::Header{name, value});
      }
      GiveBack(std::move(client));
      return reply;
    }
    const httplib::Error error = result.error();
    const bool slow = elapsed >= config_.timeout * 9 / 10;
    // A pooled connection the upstream closed while idle fails at once on write or read.
    if (attempt == 0 && reused && !slow && IsIdempotent(method) &&
        (error == httplib::Error::Write || error == httplib::Error::Read)) {
      continue;
    }
    // The failures both clients have are described alike (Describe); TLS ones here.
    WireFailure common = WireFailure::kNone;
    switch (error) {
      case httplib::Error::Connection:
        common = slow ? WireFailure::kConnectTimeout : WireFailure::kConnect;
        break;
      case httplib::Error::ConnectionTimeout:
        common = WireFailure::kConnectTimeout;
        break;
      case httplib::Error::Read:
        common = slow ? WireFailure::kTimeout : WireFailure::kClosed;
        break;
      case httplib::Error::Write:
        common = WireFailure::kWrite;
        break;
      case httplib::Error::Canceled:
        common = too_large ? WireFailure::kTooLarge : WireFailure::kNone;
        break;
      default:
        break;
    }
    if (common != WireFailure::kNone) {
      Describe(common, "", reply);
      return reply;
    }
    const std::string where = Where();
    reply.failure = UpstreamFailure::kUnreachable;
    switch (error) {
      case httplib::Error::Canceled:
        reply.reason = "request to upstream " + where + " was canceled";
        break;
      case httplib::Error::SSLConnection:
      case httplib::Error::SSLLoadingCerts: {
        std::string detail = traffic::OpenSslErrors();
        reply.reason = "TLS handshake with upstream " + where + " failed" +
                       (detail.empty() ? std::string() : ": " + detail);
        break;
      }
      case httplib::Error::SSLServerVerification: {
        long verify = X509_V_OK;
        if (auto* tls = dynamic_cast<httplib::SSLClient*>(client.get())) {
          verify = tls->get_openssl_verify_result();
        }
        reply.reason = "TLS handshake with upstream " + where + " failed: " +
                       (verify != X509_V_OK ? std::string("certificate verify failed: ") +
                                                  X509_verify_cert_error_string(verify)
                                            : "the certificate does not match host " + host_) +
                       " (use --ca-file, or --insecure for a test server)";
        break;
      }
      default:
        reply.reason = "request to upstream " + where + " failed: " + httplib::to_string(error);
    }
    return reply;
  }
}

}  // namespace conform::recorder::internal
