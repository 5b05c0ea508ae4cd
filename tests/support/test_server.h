// A throwaway httplib server on 127.0.0.1, port 0, for tests that need a misbehaving peer.
// Stopped and joined at the end of the scope; never slept on (STYLE T5).
//   testing::TestServer server([](const httplib::Request&, httplib::Response& res) {
//     res.set_content("<html>", "text/html");
//   });
//   std::string url = server.url();
#pragma once

#include <httplib.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace conform::testing {

class TestServer {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  explicit TestServer(Handler handler) {
    server_.set_tcp_nodelay(true);
    server_.set_keep_alive_timeout(1);
    server_.Get(".*", std::move(handler));
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!server_.is_running() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
  }
  ~TestServer() {
    server_.stop();
    if (thread_.joinable()) {
      thread_.join();
    }
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  httplib::Server& server() { return server_; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace conform::testing
