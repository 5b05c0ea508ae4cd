#include "recorder/internal/http1_client.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "common/ascii.h"
#include "common/utf8.h"
#include "recorder/internal/http_glue.h"

namespace conform::recorder::internal {
namespace {

using Clock = std::chrono::steady_clock;

// A first read this large takes a whole page of jobs (and its headers) in one call.
constexpr size_t kReadSize = size_t{64} << 10;
constexpr size_t kMaxChunkLine = 4096;  // a chunk size and its extensions

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

// Whether the comma-separated header value holds `token` (ASCII case-insensitive).
bool HasToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    if (traffic::EqualsIgnoreCase(TrimSpacesAndTabs(value.substr(0, comma)), token)) {
      return true;
    }
    if (comma == std::string_view::npos) {
      break;
    }
    value.remove_prefix(comma + 1);
  }
  return false;
}

// The last coding of a Transfer-Encoding list.
std::string_view LastCoding(const traffic::Headers& headers) {
  std::string_view last;
  for (const traffic::Header& header : headers) {
    if (!traffic::EqualsIgnoreCase(header.name, "transfer-encoding")) {
      continue;
    }
    std::string_view value = header.value;
    size_t comma = value.rfind(',');
    std::string_view coding =
        TrimSpacesAndTabs(comma == std::string_view::npos ? value : value.substr(comma + 1));
    if (!coding.empty()) {
      last = coding;
    }
  }
  return last;
}

bool SetTimeout(int fd, int option, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  return ::setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv) == 0;
}

// One address: a non-blocking connect waited for with poll, then a blocking socket whose
// reads and writes give up after `timeout` of silence.
int ConnectOne(const addrinfo& address, Clock::time_point deadline,
               std::chrono::milliseconds timeout, WireFailure& failure) {
  int fd = ::socket(address.ai_family, address.ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                    address.ai_protocol);
  if (fd < 0) {
    failure = WireFailure::kConnect;
    return -1;
  }
  int result = ::connect(fd, address.ai_addr, address.ai_addrlen);
  if (result != 0 && errno == EINPROGRESS) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd ready{.fd = fd, .events = POLLOUT, .revents = 0};
    int polled = 0;
    do {
      polled = ::poll(&ready, 1, static_cast<int>(std::max<int64_t>(left.count(), 0)));
    } while (polled < 0 && errno == EINTR);
    if (polled == 0) {
      ::close(fd);
      failure = WireFailure::kConnectTimeout;
      return -1;
    }
    int error = 0;
    socklen_t length = sizeof error;
    result = polled < 0 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 ||
                     error != 0
                 ? -1
                 : 0;
  }
  if (result != 0) {
    ::close(fd);
    failure = WireFailure::kConnect;
    return -1;
  }
  int flags = ::fcntl(fd, F_GETFL);
  int one = 1;
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0 ||
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0 ||
      !SetTimeout(fd, SO_RCVTIMEO, timeout) || !SetTimeout(fd, SO_SNDTIMEO, timeout)) {
    ::close(fd);
    failure = WireFailure::kConnect;
    return -1;
  }
  return fd;
}

}  // namespace

std::unique_ptr<Http1Connection> Http1Connection::Connect(const std::string& host, int port,
                                                          std::chrono::milliseconds timeout,
                                                          WireFailure& failure) {
  failure = WireFailure::kConnect;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* addresses = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &addresses) != 0) {
    return nullptr;
  }
  const Clock::time_point deadline = Clock::now() + timeout;
  int fd = -1;
  for (addrinfo* address = addresses; address != nullptr && fd < 0; address = address->ai_next) {
    fd = ConnectOne(*address, deadline, timeout, failure);
    if (failure == WireFailure::kConnectTimeout) {
      break;
    }
  }
  ::freeaddrinfo(addresses);
  if (fd < 0) {
    return nullptr;
  }
  failure = WireFailure::kNone;
  return std::unique_ptr<Http1Connection>(new Http1Connection(fd, timeout));
}

Http1Connection::~Http1Connection() { ::close(fd_); }

bool Http1Connection::StillOpen() const {
  pollfd idle{.fd = fd_, .events = POLLIN | POLLRDHUP, .revents = 0};
  return ::poll(&idle, 1, 0) == 0;
}

WireFailure Http1Connection::RoundTrip(std::string_view request, const WireLimits& limits,
                                       WireResponse& response) {
  response = WireResponse{};
  buffer_.clear();
  consumed_ = 0;
  received_ = 0;
  while (!request.empty()) {
    ssize_t sent = ::send(fd_, request.data(), request.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) {
      continue;
    }
    if (sent < 0) {
      response.nothing_received = true;  // a connection the server closed while it was idle
      return errno == EAGAIN || errno == EWOULDBLOCK ? WireFailure::kTimeout : WireFailure::kWrite;
    }
    request.remove_prefix(static_cast<size_t>(sent));
  }
  if (WireFailure failure = ReadHead(limits, response); failure != WireFailure::kNone) {
    response.nothing_received = received_ == 0;
    return failure;
  }
  return ReadBody(limits, response);
}

WireFailure Http1Connection::Receive(char* into, size_t most, size_t& got) {
  while (true) {
    ssize_t n = ::recv(fd_, into, most, 0);
    if (n > 0) {
      got = static_cast<size_t>(n);
      received_ += got;
      return WireFailure::kNone;
    }
    if (n < 0 && errno == EINTR) {
      continue;
    }
    got = 0;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return WireFailure::kTimeout;  // SO_RCVTIMEO: silence longer than the timeout
    }
    return WireFailure::kClosed;  // end of stream, reset
  }
}

WireFailure Http1Connection::Fill(size_t most) {
  const size_t have = buffer_.size();
  buffer_.resize(have + most);
  size_t got = 0;
  WireFailure failure = Receive(buffer_.data() + have, most, got);
  buffer_.resize(have + got);
  return failure;
}

WireFailure Http1Connection::ReadLine(std::string& line, size_t limit, WireResponse& response,
                                      Clock::time_point deadline) {
  while (true) {
    size_t end = buffer_.find('\n', consumed_);
    if (end != std::string::npos) {
      size_t length = end - consumed_;
      if (length > 0 && buffer_[end - 1] == '\r') {
        --length;
      }
      line.assign(buffer_, consumed_, length);
      consumed_ = end + 1;
      return WireFailure::kNone;
    }
    if (buffer_.size() - consumed_ > limit) {
      response.problem = "a header or chunk line longer than " + std::to_string(limit) + " bytes";
      return WireFailure::kMalformed;
    }
    if (Clock::now() > deadline) {
      return WireFailure::kTimeout;
    }
    buffer_.erase(0, consumed_);  // the rest of a line: a few bytes to move
    consumed_ = 0;
    if (WireFailure failure = Fill(kReadSize); failure != WireFailure::kNone) {
      return failure;
    }
  }
}

WireFailure Http1Connection::ReadHead(const WireLimits& limits, WireResponse& response) {
  // A server dripping header bytes would otherwise hold the proxy for the timeout per byte.
  const Clock::time_point deadline = Clock::now() + 2 * timeout_;
  std::string line;
  while (true) {  // one pass per response: interim 1xx ones are skipped
    response.headers.clear();
    size_t head_bytes = 0;
    bool status_line = true;
    while (true) {
      WireFailure failure = ReadLine(line, limits.max_header_bytes, response, deadline);
      if (failure != WireFailure::kNone) {
        return failure;
      }
      head_bytes += line.size() + 2;
      if (head_bytes > limits.max_header_bytes) {
        response.problem = "more than " + std::to_string(limits.max_header_bytes) +
                           " bytes of status line and headers";
        return WireFailure::kMalformed;
      }
      if (status_line) {
        // "HTTP/1.1 200 OK": the version, three digits, an optional reason.
        int status = 0;
        bool ok = line.size() >= 12 && line.starts_with("HTTP/1.") && line[8] == ' ' &&
                  (line.size() == 12 || line[12] == ' ');
        if (ok) {
          auto [end, error] = std::from_chars(line.data() + 9, line.data() + 12, status);
          ok = error == std::errc() && end == line.data() + 12 && status >= 100 && status <= 599;
        }
        if (!ok) {
          response.problem = "a status line that is not HTTP/1.x: \"" +
                             Printable(line.substr(0, 60)) + "\"";
          return WireFailure::kMalformed;
        }
        response.status = status;
        response.reusable = line[7] == '1';  // HTTP/1.1; HTTP/1.0 closes
        status_line = false;
        continue;
      }
      if (line.empty()) {
        break;
      }
      if (IsSpace(line.front())) {  // obsolete line folding: one value continued (RFC 9112 5.2)
        if (response.headers.empty()) {
          response.problem = "a folded line before any header";
          return WireFailure::kMalformed;
        }
        response.headers.back().value += " " + std::string(TrimSpacesAndTabs(line));
        continue;
      }
      size_t colon = line.find(':');
      if (colon == std::string::npos || colon == 0 || IsSpace(line[colon - 1])) {
        response.problem = "a header line without \"name:\": \"" + Printable(line.substr(0, 60)) + "\"";
        return WireFailure::kMalformed;
      }
      response.headers.push_back(traffic::Header{
          line.substr(0, colon),
          std::string(TrimSpacesAndTabs(std::string_view(line).substr(colon + 1)))});
    }
    if (response.status == 101) {
      response.problem = "101 Switching Protocols: the proxy does not forward upgraded connections";
      return WireFailure::kMalformed;
    }
    if (response.status >= 200) {
      return WireFailure::kNone;
    }
  }
}

WireFailure Http1Connection::ReadBody(const WireLimits& limits, WireResponse& response) {
  for (const traffic::Header& header : response.headers) {
    if (traffic::EqualsIgnoreCase(header.name, "connection") && HasToken(header.value, "close")) {
      response.reusable = false;
    }
  }
  auto finish = [&]() {
    // Bytes past the response: a server that does not frame its bodies as it says.
    if (consumed_ != buffer_.size()) {
      response.reusable = false;
    }
    return WireFailure::kNone;
  };
  if (limits.head || response.status == 204 || response.status == 304) {
    return finish();
  }
  if (std::optional<std::string_view> coding = traffic::FindHeader(response.headers, "transfer-encoding")) {
    if (traffic::EqualsIgnoreCase(LastCoding(response.headers), "chunked")) {
      // With a Content-Length beside it the framing is ambiguous: not reused (RFC 9112 6.3).
      if (traffic::FindHeader(response.headers, "content-length")) {
        response.reusable = false;
      }
      if (WireFailure failure = ReadChunked(limits, response); failure != WireFailure::kNone) {
        return failure;
      }
      return finish();
    }
    response.reusable = false;  // another coding last: the body ends when the connection does
  } else if (traffic::FindHeader(response.headers, "content-length")) {
    uint64_t length = 0;
    bool first = true;
    for (const traffic::Header& header : response.headers) {
      if (!traffic::EqualsIgnoreCase(header.name, "content-length")) {
        continue;
      }
      uint64_t value = 0;
      auto [end, error] = std::from_chars(header.value.data(), header.value.data() + header.value.size(), value);
      if (header.value.empty() || error != std::errc() || end != header.value.data() + header.value.size() ||
          (!first && value != length)) {
        response.problem = "an invalid Content-Length \"" + Printable(header.value.substr(0, 40)) + "\"";
        return WireFailure::kMalformed;
      }
      length = value;
      first = false;
    }
    if (length > limits.max_body_bytes) {
      return WireFailure::kTooLarge;
    }
    // The body is read straight into its own string: no copy of a page between buffers.
    const size_t size = static_cast<size_t>(length);
    const size_t buffered = std::min(size, buffer_.size() - consumed_);
    response.body.reserve(size);
    response.body.assign(buffer_, consumed_, buffered);
    consumed_ += buffered;
    while (response.body.size() < size) {
      const size_t have = response.body.size();
      response.body.resize(size);
      size_t got = 0;
      WireFailure failure = Receive(response.body.data() + have, size - have, got);
      response.body.resize(have + got);
      if (failure != WireFailure::kNone) {
        return failure;
      }
    }
    return finish();
  }
  // No length: the body is whatever comes until the server closes.
  response.reusable = false;
  response.body.assign(buffer_, consumed_, std::string::npos);
  buffer_.clear();
  consumed_ = 0;
  while (true) {
    if (response.body.size() > limits.max_body_bytes) {
      return WireFailure::kTooLarge;
    }
    WireFailure failure = Fill(kReadSize);
    if (failure == WireFailure::kClosed) {
      return WireFailure::kNone;
    }
    if (failure != WireFailure::kNone) {
      return failure;
    }
    response.body += buffer_;
    buffer_.clear();
  }
}

WireFailure Http1Connection::ReadChunked(const WireLimits& limits, WireResponse& response) {
  std::string line;
  while (true) {
    if (WireFailure failure = ReadLine(line, kMaxChunkLine, response); failure != WireFailure::kNone) {
      return failure;
    }
    std::string_view digits = TrimSpacesAndTabs(std::string_view(line).substr(0, line.find(';')));
    uint64_t size = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), size, 16);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) {
      response.problem = "a chunk size that is not hexadecimal: \"" + Printable(line.substr(0, 40)) + "\"";
      return WireFailure::kMalformed;
    }
    if (size == 0) {
      break;
    }
    if (size > limits.max_body_bytes - std::min(limits.max_body_bytes, response.body.size())) {
      return WireFailure::kTooLarge;
    }
    size_t left = static_cast<size_t>(size);
    while (left > 0) {
      if (consumed_ == buffer_.size()) {
        buffer_.clear();
        consumed_ = 0;
        if (WireFailure failure = Fill(std::clamp(left, kReadSize, size_t{1} << 20));
            failure != WireFailure::kNone) {
          return failure;
        }
      }
      const size_t take = std::min(left, buffer_.size() - consumed_);
      response.body.append(buffer_, consumed_, take);
      consumed_ += take;
      left -= take;
    }
    if (WireFailure failure = ReadLine(line, kMaxChunkLine, response); failure != WireFailure::kNone) {
      return failure;
    }
    if (!line.empty()) {
      response.problem = "chunk data longer than its size";
      return WireFailure::kMalformed;
    }
  }
  // Trailer fields, up to the empty line; not forwarded (the body's headers are sent first).
  size_t trailer_bytes = 0;
  while (true) {
    if (WireFailure failure = ReadLine(line, limits.max_header_bytes, response); failure != WireFailure::kNone) {
      return failure;
    }
    if (line.empty()) {
      return WireFailure::kNone;
    }
    trailer_bytes += line.size() + 2;
    if (trailer_bytes > limits.max_header_bytes) {
      response.problem = "more than " + std::to_string(limits.max_header_bytes) + " bytes of trailers";
      return WireFailure::kMalformed;
    }
  }
}

std::string Http1Request(std::string_view method, std::string_view target,
                         const traffic::Headers& headers, std::string_view body) {
  std::string request;
  size_t size = method.size() + target.size() + 16 + body.size() + 32;
  for (const traffic::Header& header : headers) {
    size += header.name.size() + header.value.size() + 4;
  }
  request.reserve(size);
  request.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  for (const traffic::Header& header : headers) {
    if (CanCarry(header)) {
      request.append(header.name).append(": ").append(header.value).append("\r\n");
    }
  }
  // A body is framed by its length; POST, PUT and PATCH say 0 when they have none.
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    request.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  }
  request.append("\r\n").append(body);
  return request;
}

}  // namespace conform::recorder::internal
