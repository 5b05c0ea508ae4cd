// The proxy's plain-HTTP upstream connection: one HTTP/1.1 request at a time over a kept-alive
// TCP connection, the response read with large reads into its final buffer. httplib's client
// polls before every 4 KB read and keeps no buffer between them: forwarding a 44 KB page cost
// it 61-77 us of CPU on loopback against 30-32 us for plain reads (bench/README.md). https
// upstreams still go through httplib's SSLClient (upstream.cc).
//   WireFailure failure;
//   auto connection = Http1Connection::Connect("127.0.0.1", 8080, 30s, failure);
//   WireResponse response;
//   failure = connection->RoundTrip("GET / HTTP/1.1\r\nHost: x\r\n\r\n", {.max_body_bytes = 1 << 20},
//                                   response);
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "traffic/exchange.h"

namespace conform::recorder::internal {

enum class WireFailure {
  kNone,
  kConnect,         // refused, unreachable, DNS
  kConnectTimeout,  // no connection within the timeout
  kWrite,           // the request could not be sent
  kClosed,          // the connection ended (closed or reset) before the response was complete
  kTimeout,         // silence longer than the timeout, or headers not complete in twice it
  kMalformed,       // not an HTTP/1.x response (WireResponse::problem says how)
  kTooLarge,        // the body is over max_body_bytes (declared or received)
};

struct WireLimits {
  size_t max_body_bytes = size_t{32} << 20;
  size_t max_header_bytes = size_t{256} << 10;  // status line and headers, interim ones included
  bool head = false;                            // the request was HEAD: no body, whatever is said
};

struct WireResponse {
  int status = 0;
  traffic::Headers headers;
  std::string body;  // without the transfer coding (chunks joined), content coding kept
  // The connection can carry another request: HTTP/1.1, no "Connection: close", the body's
  // end known from its framing and nothing sent past it.
  bool reusable = false;
  // Nothing of a response arrived: a kept-alive connection the server had closed, safe to
  // retry on a new one for an idempotent request.
  bool nothing_received = false;
  std::string problem;  // what was malformed, for kMalformed
};

class Http1Connection {
 public:
  // Connects to host:port (every address DNS gives, in order) within `timeout`; `timeout` is
  // then also the longest silence a read or a write waits for. nullptr with `failure` set
  // when no address accepted.
  static std::unique_ptr<Http1Connection> Connect(const std::string& host, int port,
                                                  std::chrono::milliseconds timeout,
                                                  WireFailure& failure);
  ~Http1Connection();
  Http1Connection(const Http1Connection&) = delete;
  Http1Connection& operator=(const Http1Connection&) = delete;

  // False when the server has closed the idle connection or sent something unasked: it must
  // not carry a request. One poll with no wait.
  bool StillOpen() const;

  // Sends `request` (a complete HTTP/1.1 request, body included) and reads the response to
  // it, interim 1xx responses skipped. kNone when `response` is complete.
  WireFailure RoundTrip(std::string_view request, const WireLimits& limits,
                        WireResponse& response);

 private:
  Http1Connection(int fd, std::chrono::milliseconds timeout) : fd_(fd), timeout_(timeout) {}

  WireFailure ReadHead(const WireLimits& limits, WireResponse& response);
  WireFailure ReadBody(const WireLimits& limits, WireResponse& response);
  WireFailure ReadChunked(const WireLimits& limits, WireResponse& response);
  // One recv of up to `most` bytes into `into`, counted in received_; kNone (got > 0),
  // kClosed or kTimeout.
  WireFailure Receive(char* into, size_t most, size_t& got);
  // Appends what the socket has (up to `most` bytes) to buffer_; kNone, kClosed or kTimeout.
  WireFailure Fill(size_t most);
  // Reads a line ending in LF from buffer_ (filling it), without the CR LF, into `line`;
  // kTimeout once `deadline` has passed without one.
  WireFailure ReadLine(std::string& line, size_t limit, WireResponse& response,
                       std::chrono::steady_clock::time_point deadline =
                           std::chrono::steady_clock::time_point::max());

  int fd_;
  std::chrono::milliseconds timeout_;
  std::string buffer_;  // received, not yet consumed
  size_t consumed_ = 0;  // bytes of buffer_ already parsed
  size_t received_ = 0;  // bytes of this response received so far
};

// "GET /v1/x?a=1 HTTP/1.1\r\n" + headers + Content-Length (for a body, or a method that
// carries one) + "\r\n" + body. Headers HTTP/1.1 cannot carry (a name that is not a token, CR,
// LF or NUL in a value) are left out.
std::string Http1Request(std::string_view method, std::string_view target,
                         const traffic::Headers& headers, std::string_view body);

}  // namespace conform::recorder::internal
