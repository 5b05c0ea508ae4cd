#include "traffic/internal/capped_client.h"

#include <netdb.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstring>
#include <functional>

namespace conform::traffic::internal {

void ResponseBudget::Start() {
  received_ = 0;
  first_bytes_.clear();
  head_complete_ = false;
  met_ = CapMet::kNone;
}

void ResponseBudget::Count(const char* data, size_t bytes) {
  constexpr size_t kKept = 32;
  if (first_bytes_.size() < kKept) {
    first_bytes_.append(data, std::min(bytes, kKept - first_bytes_.size()));
  }
  received_ += bytes;
}

size_t ResponseBudget::Room() {
  const size_t cap = head_complete_ ? caps_.response_bytes : std::min(caps_.head_bytes, caps_.response_bytes);
  if (received_ < cap) {
    return cap - received_;
  }
  met_ = head_complete_ || caps_.response_bytes <= caps_.head_bytes ? CapMet::kResponse : CapMet::kHead;
  return 0;
}

namespace {

int Milliseconds(time_t seconds, time_t microseconds) {
  return static_cast<int>(std::min<long long>(INT_MAX, seconds * 1000LL + microseconds / 1000));
}

// Waits up to `timeout_ms` for `events`; true when the socket is ready (or at its end).
bool Wait(int fd, short events, int timeout_ms) {
  pollfd ready{.fd = fd, .events = events, .revents = 0};
  int polled = 0;
  do {
    polled = ::poll(&ready, 1, timeout_ms);
  } while (polled < 0 && errno == EINTR);
  return polled > 0;
}

void Address(int fd, bool peer, std::string& ip, int& port) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  auto* raw = reinterpret_cast<sockaddr*>(&address);
  if ((peer ? ::getpeername(fd, raw, &length) : ::getsockname(fd, raw, &length)) != 0) {
    return;
  }
  std::array<char, NI_MAXHOST> host{};
  std::array<char, NI_MAXSERV> service{};
  if (::getnameinfo(raw, length, host.data(), host.size(), service.data(), service.size(),
                    NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    ip = host.data();
    port = std::atoi(service.data());
  }
}

// httplib's SocketStream / SSLSocketStream, reading through a ResponseBudget. Small reads
// (httplib's line reader asks for one byte at a time) are served from a buffer.
class CappedStream final : public httplib::Stream {
 public:
  CappedStream(int fd, SSL* ssl, int read_ms, int write_ms, ResponseBudget& budget)
      : fd_(fd), ssl_(ssl), read_ms_(read_ms), write_ms_(write_ms), budget_(budget) {}

  bool is_readable() const override {
    return start_ < end_ || (ssl_ != nullptr && SSL_pending(ssl_) > 0) ||
           Wait(fd_, POLLIN, read_ms_);
  }
  bool is_writable() const override { return Wait(fd_, POLLOUT, write_ms_); }

  ssize_t read(char* ptr, size_t size) override {
    if (start_ < end_) {
      size_t n = std::min(size, end_ - start_);
      std::memcpy(ptr, buffer_.data() + start_, n);
      start_ += n;
      return static_cast<ssize_t>(n);
    }
    const size_t room = budget_.Room();
    if (room == 0 || !is_readable()) {
      return -1;
    }
    if (size >= buffer_.size()) {
      ssize_t n = Receive(ptr, std::min(size, room));
      if (n > 0) {
        budget_.Count(ptr, static_cast<size_t>(n));
      }
      return n;
    }
    ssize_t n = Receive(buffer_.data(), std::min(buffer_.size(), room));
    if (n <= 0) {
      return n;
    }
    budget_.Count(buffer_.data(), static_cast<size_t>(n));
    start_ = std::min(size, static_cast<size_t>(n));
    end_ = static_cast<size_t>(n);
    std::memcpy(ptr, buffer_.data(), start_);
    return static_cast<ssize_t>(start_);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) {
      return -1;
    }
    if (ssl_ != nullptr) {
      while (true) {
        int n = SSL_write(ssl_, ptr, static_cast<int>(std::min<size_t>(size, INT_MAX)));
        if (n > 0) {
          return n;
        }
        if (SSL_get_error(ssl_, n) != SSL_ERROR_WANT_WRITE || !is_writable()) {
          return -1;
        }
      }
    }
    ssize_t n = 0;
    do {
      n = ::send(fd_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    Address(fd_, true, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    Address(fd_, false, ip, port);
  }
  socket_t socket() const override { return fd_; }

 private:
  ssize_t Receive(char* into, size_t most) {
    if (ssl_ != nullptr) {
      while (true) {
        int n = SSL_read(ssl_, into, static_cast<int>(std::min<size_t>(most, INT_MAX)));
        if (n > 0) {
          return n;
        }
        int error = SSL_get_error(ssl_, n);
        if (error == SSL_ERROR_WANT_READ && Wait(fd_, POLLIN, read_ms_)) {
          continue;  // part of a record, or a record that carried no data
        }
        return error == SSL_ERROR_ZERO_RETURN ? 0 : -1;
      }
    }
    ssize_t n = 0;
    do {
      n = ::recv(fd_, into, most, 0);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  int fd_;
  SSL* ssl_;
  int read_ms_;
  int write_ms_;
  ResponseBudget& budget_;
  std::array<char, 4096> buffer_{};
  size_t start_ = 0;
  size_t end_ = 0;
};

struct HasBudget {
  explicit HasBudget(ReadCaps caps) : budget(caps) {}
  virtual ~HasBudget() = default;
  ResponseBudget budget;
};

template <typename Base>
class Capped final : public Base, public HasBudget {
 public:
  Capped(const std::string& host, int port, ReadCaps caps) : Base(host, port), HasBudget(caps) {}

 private:
  // Replaces httplib's own (process_client_socket / process_client_socket_ssl), which build
  // the uncapped streams; timeouts as httplib keeps them.
  bool process_socket(const typename Base::Socket& socket,
                      std::function<bool(httplib::Stream&)> callback) override {
    CappedStream stream(socket.sock, socket.ssl,
                        Milliseconds(this->read_timeout_sec_, this->read_timeout_usec_),
                        Milliseconds(this->write_timeout_sec_, this->write_timeout_usec_), budget);
    return callback(stream);
  }
};

}  // namespace

std::unique_ptr<httplib::ClientImpl> NewCappedClient(bool tls, const std::string& host, int port,
                                                     ReadCaps caps) {
  if (tls) {
    return std::make_unique<Capped<httplib::SSLClient>>(host, port, caps);
  }
  return std::make_unique<Capped<httplib::ClientImpl>>(host, port, caps);
}

ResponseBudget& BudgetOf(httplib::ClientImpl& client) {
  return dynamic_cast<HasBudget&>(client).budget;
}

}  // namespace conform::traffic::internal
