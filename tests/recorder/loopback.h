// Helpers for the recorder's loopback tests (STYLE T5): the shared loopback server, gate and TLS
// identity of tests/support under the names these tests use, a client for the session under
// test, and raw TCP peers for bytes no HTTP library sends (RawConnection, RawUpstream).
//   TestUpstream upstream([](httplib::Server& s) { s.Get("/x", handler); });
//   auto session = recorder::Session::Start({.cassette = path, .upstream = {{.url =
//   upstream.Url()}}});
#pragma once

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "tests/support/self_signed.h"
#include "tests/support/test_server.h"

namespace conform::recorder::testing {

using TestUpstream = conform::testing::TestServer;
using conform::testing::ClosedPort;
using conform::testing::Gate;
using conform::testing::SelfSigned;

// A client for the session under test, with bounded timeouts.
inline std::unique_ptr<httplib::Client> ClientFor(const std::string& url) {
  auto client = std::make_unique<httplib::Client>(url);
  client->set_connection_timeout(std::chrono::seconds(10));
  client->set_read_timeout(std::chrono::seconds(30));
  client->set_tcp_nodelay(true);
  client->set_keep_alive(true);
  client->set_url_encode(false);  // send targets byte for byte, as written in the test
  return client;
}

inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A TCP connection to 127.0.0.1:port for bytes no HTTP library would send or accept; closed
// at the end of the scope.
class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    if (fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      Close();
    }
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  ~RawConnection() { Close(); }

  bool ok() const { return fd_ >= 0; }
  bool Send(std::string_view bytes) {
    while (!bytes.empty() && fd_ >= 0) {
      ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent <= 0) {
        return false;
      }
      bytes.remove_prefix(static_cast<size_t>(sent));
    }
    return bytes.empty();
  }
  // What arrived until `want` was seen (empty: until the peer closed), within ten seconds.
  std::string ReadUntil(std::string_view want = {}) {
    std::string got;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (fd_ >= 0 && (want.empty() || got.find(want) == std::string::npos) &&
           std::chrono::steady_clock::now() < deadline) {
      pollfd ready{.fd = fd_, .events = POLLIN, .revents = 0};
      if (::poll(&ready, 1, 100) <= 0) {
        continue;
      }
      char buffer[4096];
      ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        break;
      }
      got.append(buffer, static_cast<size_t>(n));
    }
    return got;
  }
  void Close() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

 private:
  int fd_ = -1;
};

// An upstream on 127.0.0.1, port 0, that answers every request head with `reply` verbatim
// and closes: for responses httplib's server refuses to write (bare CR or NUL in a value, a
// name with a space).
class RawUpstream {
 public:
  explicit RawUpstream(std::string reply) : reply_(std::move(reply)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 16) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      return;
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  RawUpstream(const RawUpstream&) = delete;
  RawUpstream& operator=(const RawUpstream&) = delete;
  ~RawUpstream() {
    stop_ = true;
    if (thread_.joinable()) {
      thread_.join();
    }
    ::close(listener_);
  }

  int Port() const { return port_; }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  void Serve() {
    while (!stop_) {
      pollfd ready{.fd = listener_, .events = POLLIN, .revents = 0};
      if (::poll(&ready, 1, 50) <= 0) {
        continue;
      }
      int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) {
        continue;
      }
      std::string head;
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (head.find("\r\n\r\n") == std::string::npos && !stop_ &&
             std::chrono::steady_clock::now() < deadline) {
        pollfd readable{.fd = fd, .events = POLLIN, .revents = 0};
        if (::poll(&readable, 1, 50) <= 0) {
          continue;
        }
        char buffer[4096];
        ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) {
          break;
        }
        head.append(buffer, static_cast<size_t>(n));
      }
      (void)::send(fd, reply_.data(), reply_.size(), MSG_NOSIGNAL);
      ::close(fd);
    }
  }

  std::string reply_;
  int listener_ = -1;
  int port_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Waits, bounded by `limit`, until every thread of a destroyed session has ended.
inline bool Expires(const std::weak_ptr<const void>& lifetime,
                    std::chrono::seconds limit = std::chrono::seconds(20)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!lifetime.expired() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  return lifetime.expired();
}

}  // namespace conform::recorder::testing
