// Helpers for the recorder's loopback tests (STYLE T5): the shared loopback server, gate and TLS
// identity of tests/support under the names these tests use, and a client for the session under
// test.
//   TestUpstream upstream([](httplib::Server& s) { s.Get("/x", handler); });
//   auto session = recorder::Session::Start({.cassette = path, .upstream = {{.url =
//   upstream.Url()}}});
#pragma once

#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
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

}  // namespace conform::recorder::testing
