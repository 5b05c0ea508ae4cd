// A throwaway httplib server on 127.0.0.1, port 0, for tests that need a peer: an upstream, a
// misbehaving target, a TLS endpoint. Routes are registered before it starts; it is stopped
// and joined at the end of the scope; never slept on (STYLE T5).
//   testing::TestServer server([](httplib::Server& s) { s.Get("/x", handler); });
//   testing::TestServer html([](const httplib::Request&, httplib::Response& res) {
//     res.set_content("<html>", "text/html");   // every GET
//   });
//   std::string url = server.Url();
#pragma once

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace conform::testing {

class TestServer {
 public:
  using Routes = std::function<void(httplib::Server&)>;
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  // `server` lets a test bring an httplib::SSLServer.
  explicit TestServer(const Routes& routes, std::unique_ptr<httplib::Server> server = nullptr)
      : server_(server ? std::move(server) : std::make_unique<httplib::Server>()) {
    routes(*server_);
    // Without it, Nagle + delayed ACK stall each reused connection by ~40 ms.
    server_->set_tcp_nodelay(true);
    server_->set_keep_alive_max_count(1000);
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!server_->is_running() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
  }
  // One handler for every GET.
  explicit TestServer(Handler handler)
      : TestServer([&handler](httplib::Server& s) { s.Get(".*", std::move(handler)); }) {}

  ~TestServer() {
    server_->stop();
    if (thread_.joinable()) {
      thread_.join();
    }
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  bool Running() const { return server_->is_running() && port_ > 0; }
  int Port() const { return port_; }
  std::string Url(const std::string& scheme = "http") const {
    return scheme + "://127.0.0.1:" + std::to_string(port_);
  }

 private:
  std::unique_ptr<httplib::Server> server_;
  int port_ = -1;
  std::thread thread_;
};

// Lets a blocked handler go when the test ends, whatever happens in between.
class Gate {
 public:
  ~Gate() { Open(); }
  void Open() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      open_ = true;
    }
    opened_.notify_all();
  }
  // Bounded: a handler never outlives a broken test by more than ten seconds.
  void Wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    opened_.wait_for(lock, std::chrono::seconds(10), [this] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
};

// A loopback port nothing listens on: bound, then released.
inline int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);  // never listened on: connecting is refused
  return port;
}

}  // namespace conform::testing
