// HttpClient against real loopback servers (STYLE T5): port 0, a scope guard that stops and
// joins, is_running() polled with a deadline. Time-dependent behaviour uses an injected clock
// whose sleep only records and advances, so nothing here sleeps to synchronise.
#include "traffic/http_client.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/result_matchers.h"
#include "tests/support/self_signed.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace conform::traffic {
namespace http_client_test {
namespace {

using std::chrono::milliseconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

using conform::testing::Gate;
using conform::testing::SelfSigned;
using conform::testing::TempDir;
using conform::testing::TestServer;

// Steady time that moves only when the client sleeps; the sleeps are recorded.
class FakeTime {
 public:
  ClientClock Clock() {
    return ClientClock{
        .now =
            [this] {
              std::lock_guard<std::mutex> lock(mutex_);
              return now_;
            },
        .sleep =
            [this](milliseconds wait) {
              std::lock_guard<std::mutex> lock(mutex_);
              sleeps_.push_back(wait);
              now_ += wait;
            },
        .wall_now =
            [] {
              return std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
            },
    };
  }
  std::vector<milliseconds> Sleeps() {
    std::lock_guard<std::mutex> lock(mutex_);
    return sleeps_;
  }

 private:
  std::mutex mutex_;
  std::chrono::steady_clock::time_point now_{};
  std::vector<milliseconds> sleeps_;
};

TEST(HttpClient, SendsTheRequestAndRecordsTheExchange) {
  TestServer server([](httplib::Server& s) {
    s.Post("/api/v1/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.set_header("X-Seen-Auth", req.get_header_value("Authorization"));
      res.set_header("X-Seen-Agent", req.get_header_value("User-Agent"));
      res.set_header("X-Seen-Path", req.path);
      res.set_header("X-Seen-Filter", req.get_param_value("filter"));
      res.set_content(req.body, "application/json");
    });
  });
  ASSERT_TRUE(server.Running());
  auto client = HttpClient::Create(server.Url() + "/api",
                                   {.default_headers = {{"Authorization", "Bearer k1"}}});
  ASSERT_THAT(client, IsOk());
  auto exchange = client->Send({.method = "POST",
                                .url = "/v1/echo?pageSize=5&filter=a b",
                                .headers = {{"Content-Type", "application/json"}},
                                .body = R"({"x":1})"});
  ASSERT_THAT(exchange, IsOk());
  EXPECT_EQ(exchange->error, "");
  EXPECT_EQ(exchange->response.status, 200);
  EXPECT_EQ(exchange->response.body, R"({"x":1})");
  EXPECT_EQ(FindHeader(exchange->response.headers, "x-seen-auth"), "Bearer k1");
  EXPECT_EQ(FindHeader(exchange->response.headers, "x-seen-agent"), "conform");
  EXPECT_EQ(FindHeader(exchange->response.headers, "x-seen-path"), "/api/v1/echo");
  EXPECT_EQ(FindHeader(exchange->response.headers, "x-seen-filter"), "a b");
  EXPECT_EQ(exchange->request.url, server.Url() + "/api/v1/echo?pageSize=5&filter=a%20b");
  EXPECT_EQ(FindHeader(exchange->request.headers, "authorization"), "Bearer k1");
  EXPECT_GT(exchange->elapsed_ms, 0);
  EXPECT_THAT(exchange->started, StartsWith("20"));
  EXPECT_EQ(client->RequestsSent(), 1u);

  // A request header overrides the default of the same name; absolute URLs on the origin work.
  auto overridden = client->Send({.method = "POST",
                                  .url = server.Url() + "/api/v1/echo",
                                  .headers = {{"authorization", "Bearer k2"}}});
  ASSERT_THAT(overridden, IsOk());
  EXPECT_EQ(FindHeader(overridden->response.headers, "x-seen-auth"), "Bearer k2");
}

TEST(HttpClient, ReadTimeoutIsAnExchangeErrorAndIsNotRetried) {
  Gate gate;
  TestServer server([&gate](httplib::Server& s) {
    s.Get("/slow", [&gate](const httplib::Request&, httplib::Response& res) {
      gate.Wait();
      res.set_content("{}", "application/json");
    });
  });
  ASSERT_TRUE(server.Running());
  FakeTime time;
  auto client = HttpClient::Create(
      server.Url(), {.read_timeout = milliseconds(200), .max_retries = 3, .clock = time.Clock()});
  ASSERT_THAT(client, IsOk());
  auto exchange = client->Send({.method = "GET", .url = "/slow"});
  gate.Open();
  ASSERT_THAT(exchange, IsOk());
  EXPECT_EQ(exchange->response.status, 0);
  EXPECT_EQ(exchange->error, "timed out after 200 ms waiting for the response");
  EXPECT_EQ(client->RequestsSent(), 1u);
  EXPECT_TRUE(time.Sleeps().empty());
}

TEST(HttpClient, ConnectionRefusedIsRetriedWithSeededJitterThenReported) {
  int closed_port = 0;
  {
    TestServer gone([](httplib::Server&) {});
    closed_port = gone.Port();
  }
  std::string base = "http://127.0.0.1:" + std::to_string(closed_port);
  FakeTime time;
  auto client = HttpClient::Create(base, {.max_retries = 3,
                                          .initial_backoff = milliseconds(100),
                                          .max_backoff = milliseconds(300),
                                          .seed = 42,
                                          .clock = time.Clock()});
  ASSERT_THAT(client, IsOk());
  auto exchange = client->Send({.method = "GET", .url = "/v1/x"});
  ASSERT_THAT(exchange, IsOk());
  EXPECT_EQ(exchange->response.status, 0);
  EXPECT_EQ(exchange->error, "connection refused to 127.0.0.1:" + std::to_string(closed_port));
  EXPECT_EQ(client->RequestsSent(), 4u);
  std::vector<milliseconds> waits = time.Sleeps();
  ASSERT_EQ(waits.size(), 3u);
  // Equal jitter: retry k waits between half and all of min(300, 100 * 2^k).
  EXPECT_GE(waits[0], milliseconds(50));
  EXPECT_LE(waits[0], milliseconds(100));
  EXPECT_GE(waits[1], milliseconds(100));
  EXPECT_LE(waits[1], milliseconds(200));
  EXPECT_GE(waits[2], milliseconds(150));
  EXPECT_LE(waits[2], milliseconds(300));

  // The same seed gives the same waits.
  FakeTime again;
  auto twin = HttpClient::Create(base, {.max_retries = 3,
                                        .initial_backoff = milliseconds(100),
                                        .max_backoff = milliseconds(300),
                                        .seed = 42,
                                        .clock = again.Clock()});
  ASSERT_THAT(twin, IsOk());
  EXPECT_THAT(twin->Send({.method = "GET", .url = "/v1/x"}), IsOk());
  EXPECT_EQ(again.Sleeps(), waits);
}

TEST(HttpClient, HonoursRetryAfterOn503ThenSucceeds) {
  std::atomic<int> calls{0};
  TestServer server([&calls](httplib::Server& s) {
    s.Get("/v1/x", [&calls](const httplib::Request&, httplib::Response& res) {
      int call = calls++;
      if (call == 0) {
        res.status = 503;
        res.set_header("Retry-After", "2");
      } else if (call == 1) {
        res.status = 503;
        res.set_header("Retry-After", "Tue, 14 Nov 2023 22:13:23 GMT");  // wall now + 3 s
      } else {
        res.set_content(R"({"dpoJobs":[]})", "application/json");
      }
    });
  });
  ASSERT_TRUE(server.Running());
  FakeTime time;
  auto client = HttpClient::Create(server.Url(), {.max_retries = 3, .clock = time.Clock()});
  ASSERT_THAT(client, IsOk());
  auto exchange = client->Send({.method = "GET", .url = "/v1/x"});
  ASSERT_THAT(exchange, IsOk());
  EXPECT_EQ(exchange->response.status, 200);
  EXPECT_EQ(exchange->response.body, R"({"dpoJobs":[]})");
  EXPECT_THAT(time.Sleeps(), ElementsAre(milliseconds(2000), milliseconds(3000)));
  EXPECT_EQ(client->RequestsSent(), 3u);
  EXPECT_EQ(calls.load(), 3);
}

TEST(HttpClient, RetryAfterOverTheCapIsNotWaitedFor) {
  // A server answering 429 "Retry-After: 3600" to everything held `conform check` for hours.
  std::atomic<int> calls{0};
  TestServer server([&calls](httplib::Server& s) {
    s.Get("/busy", [&calls](const httplib::Request&, httplib::Response& res) {
      ++calls;
      res.status = 429;
      res.set_header("Retry-After", "3600");
    });
  });
  ASSERT_TRUE(server.Running());
  FakeTime time;
  auto client = HttpClient::Create(
      server.Url(),
      {.max_retries = 2, .max_retry_after = milliseconds(5000), .clock = time.Clock()});
  ASSERT_THAT(client, IsOk());
  auto exchange = client->Send({.method = "GET", .url = "/busy"});
  ASSERT_THAT(exchange, IsOk());
  EXPECT_EQ(exchange->response.status, 429);
  EXPECT_EQ(exchange->error, "");
  EXPECT_THAT(time.Sleeps(), ElementsAre());
  EXPECT_EQ(calls.load(), 1);
}

TEST(HttpClient, RetriesStopWhenTheTotalWaitBudgetIsSpent) {
  std::atomic<int> calls{0};
  TestServer server([&calls](httplib::Server& s) {
    s.Get("/busy", [&calls](const httplib::Request&, httplib::Response& res) {
      ++calls;
      res.status = 503;
      res.set_header("Retry-After", "2");
    });
  });
  ASSERT_TRUE(server.Running());
  FakeTime time;
  auto client = HttpClient::Create(server.Url(), {.max_retries = 3,
                                                  .max_total_retry_wait = milliseconds(5000),
                                                  .clock = time.Clock()});
  ASSERT_THAT(client, IsOk());
  for (int i = 0; i < 3; ++i) {
    auto exchange = client->Send({.method = "GET", .url = "/busy"});
    ASSERT_THAT(exchange, IsOk());
    EXPECT_EQ(exchange->response.status, 503);
  }
  // 2 s + 2 s fit in the 5 s budget; every later retry is given up.
  EXPECT_THAT(time.Sleeps(), ElementsAre(milliseconds(2000), milliseconds(2000)));
  EXPECT_EQ(calls.load(), 5);
}

// A server that never finishes: it drips a chunked body, or header lines without end (which
// grew memory by 120 MB/s), each byte well within the read timeout. Both held a run forever.
TEST(HttpClient, DrippingBodyIsCutOffAtTheResponseDeadline) {
  TestServer server([](httplib::Server& s) {
    s.Get("/drip", [](const httplib::Request&, httplib::Response& res) {
      auto started = std::chrono::steady_clock::now();
      res.set_chunked_content_provider("application/json", [started](size_t, httplib::DataSink& sink) {
        std::this_thread::sleep_for(milliseconds(20));  // the drip itself, not synchronisation
        return std::chrono::steady_clock::now() - started < std::chrono::seconds(10) && sink.write("x", 1);
      });
    });
  });
  ASSERT_TRUE(server.Running());
  auto client = HttpClient::Create(
      server.Url(), {.read_timeout = milliseconds(300), .response_deadline = milliseconds(1000)});
  ASSERT_THAT(client, IsOk());
  auto started = std::chrono::steady_clock::now();
  auto exchange = client->Send({.method = "GET", .url = "/drip"});
  ASSERT_THAT(exchange, IsOk());
  EXPECT_EQ(exchange->response.status, 0);
  EXPECT_THAT(exchange->error, HasSubstr("did not complete within"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_EQ(client->RequestsSent(), 1u);  // not retried
}

// A server on 127.0.0.1, port 0, that reads one request and then sends `first` followed by
// `unit` again and again (every `pause`), for at most 10 s or until the client stops reading.
class EndlessServer {
 public:
  EndlessServer(std::string first, std::string unit, milliseconds pause = milliseconds(0))
      : listener_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(listener_, 1) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      return;
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this, first = std::move(first), unit = std::move(unit), pause] {
      int connection = ::accept(listener_, nullptr, nullptr);
      if (connection < 0) {
        return;
      }
      char request[4096];
      (void)::recv(connection, request, sizeof request, 0);
      timeval patience{.tv_sec = 0, .tv_usec = 200'000};  // once the client stops reading
      ::setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &patience, sizeof patience);
      std::string chunk = first;
      auto started = std::chrono::steady_clock::now();
      while (std::chrono::steady_clock::now() - started < std::chrono::seconds(10) &&
             ::send(connection, chunk.data(), chunk.size(), MSG_NOSIGNAL) > 0) {
        sent_ += chunk.size();
        chunk = unit;
        std::this_thread::sleep_for(pause);  // the drip itself, not synchronisation
      }
      ::close(connection);
    });
  }
  ~EndlessServer() {
    if (thread_.joinable()) {
      thread_.join();
    }
    if (listener_ >= 0) {
      ::close(listener_);
    }
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Joins the server (it stops once the client has closed) and says what it sent.
  size_t Sent() {
    if (thread_.joinable()) {
      thread_.join();
    }
    return sent_;
  }

 private:
  int listener_;
  int port_ = 0;
  std::thread thread_;
  size_t sent_ = 0;
};

// Sends one GET to `server` and checks it failed with `error` well before any timeout.
void ExpectCutOff(EndlessServer& server, ClientOptions options, const std::string& error) {
  auto client = HttpClient::Create(server.Url(), std::move(options));
  ASSERT_THAT(client, IsOk());
  auto started = std::chrono::steady_clock::now();
  auto exchange = client->Send({.method = "GET", .url = "/"});
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_THAT(exchange, IsOk());
  EXPECT_EQ(exchange->response.status, 0);
  EXPECT_THAT(exchange->error, HasSubstr(error));
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_EQ(client->RequestsSent(), 1u);  // not retried
}

TEST(HttpClient, HeadersDrippedWithoutEndAreCutOffAtTwiceTheReadTimeout) {
  EndlessServer server("HTTP/1.1 200 OK\r\n", "X-Pad: a\r\n", milliseconds(50));
  ExpectCutOff(server, {.read_timeout = milliseconds(500)}, "did not complete within");
}

TEST(HttpClient, EndlessHeaderLinesStopAtTheHeadLimit) {
  // httplib keeps every header line it reads: without the cap this grew by gigabytes.
  EndlessServer server("HTTP/1.1 200 OK\r\n", "X-Pad: " + std::string(1000, 'a') + "\r\n");
  ExpectCutOff(server, {.read_timeout = milliseconds(8000)},
               "status line and headers exceed 262144 bytes");
  EXPECT_LT(server.Sent(), size_t{64} << 20);
}

TEST(HttpClient, AnEndlessHeaderLineStopsAtTheHeadLimit) {
  EndlessServer server("HTTP/1.1 200 OK\r\nX-Pad: ", std::string(4096, 'a'));
  ExpectCutOff(server, {.read_timeout = milliseconds(8000)},
               "status line and headers exceed 262144 bytes");
}

TEST(HttpClient, AnEndlessChunkSizeLineStopsAtTheResponseLimit) {
  EndlessServer server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                       std::string(4096, '0'));
  ExpectCutOff(server, {.read_timeout = milliseconds(8000), .max_body_bytes = 1024},
               "the response exceeds 264192 bytes with its framing (the body limit is 1024 bytes");
}

TEST(HttpClient, ATransportFailureIsNotABodyOverTheLimit) {
  EndlessServer server("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "");
  auto client = HttpClient::Create(server.Url(), {.max_retries = 0, .max_body_bytes = 1024});
  ASSERT_THAT(client, IsOk());
  auto exchange = client->Send({.method = "GET", .url = "/"});
  ASSERT_THAT(exchange, IsOk());
  EXPECT_EQ(exchange->response.status, 0);
  EXPECT_THAT(exchange->error, HasSubstr("closed before the response was complete"));
  EXPECT_FALSE(exchange->body_over_limit);
}

TEST(HttpClient, AServerThatIsNotHttpIsNamedByWhatItSent) {
  EndlessServer ssh("SSH-2.0-OpenSSH_9.2p1\r\n", "");
  ExpectCutOff(ssh, {.max_retries = 0},
               "did not answer in HTTP: it sent \"SSH-2.0-OpenSSH_9.2p1\\x0d\\x0a\"");

  EndlessServer tls(std::string("\x15\x03\x03\x00\x02\x02\x46", 7), "");
  ExpectCutOff(tls, {.max_retries = 0}, "(a TLS record: is the URL https://?)");

  EndlessServer silent("", "");
  ExpectCutOff(silent, {.max_retries = 0}, "closed without a response");
}

TEST(HttpClient, TlsResponsesAreReadWithinTheSameLimits) {
  TempDir dir;
  SelfSigned identity(dir.path());
  const std::string page(1 << 20, 'p');
  TestServer server(
      [&page](httplib::Server& s) {
        s.Get("/page", [&page](const httplib::Request&, httplib::Response& res) {
          res.set_content(page, "text/plain");
        });
        s.Get("/head", [](const httplib::Request&, httplib::Response& res) {
          for (int i = 0; i < 300; ++i) {
            res.set_header("X-Pad-" + std::to_string(i), std::string(1000, 'a'));
          }
          res.set_content("{}", "application/json");
        });
      },
      std::make_unique<httplib::SSLServer>(identity.cert, identity.key));
  ASSERT_TRUE(server.Running());
  auto client = HttpClient::Create(server.Url("https"), {.ca_file = identity.pem_path});
  ASSERT_THAT(client, IsOk());
  for (int i = 0; i < 2; ++i) {  // the second on the kept-alive connection
    auto exchange = client->Send({.method = "GET", .url = "/page"});
    ASSERT_THAT(exchange, IsOk());
    EXPECT_EQ(exchange->error, "");
    EXPECT_TRUE(exchange->response.body == page);
  }
  auto headers = client->Send({.method = "GET", .url = "/head"});
  ASSERT_THAT(headers, IsOk());
  EXPECT_EQ(headers->response.status, 0);
  EXPECT_THAT(headers->error, HasSubstr("status line and headers exceed 262144 bytes"));
}

TEST(HttpClient, AnIpv6LiteralBaseUrlConnects) {
  // The brackets belong to the URL and the Host header, not to the address connected to.
  httplib::Server server;
  std::string host_seen;
  server.Get("/x", [&host_seen](const httplib::Request& req, httplib::Response& res) {
    host_seen = req.get_header_value("Host");
    res.set_content("{}", "application/json");
  });
  int port = server.bind_to_any_port("::1");
  if (port <= 0) {
    GTEST_SKIP() << "no IPv6 loopback here";
  }
  std::thread thread([&server] { server.listen_after_bind(); });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!server.is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  Result<Exchange> exchange = InvalidArgument("not sent");
  {  // the client and its kept-alive connection end before the server stops
    auto client = HttpClient::Create("http://[::1]:" + std::to_string(port), {.max_retries = 0});
    EXPECT_THAT(client, IsOk());
    if (client) {
      exchange = client->Send({.method = "GET", .url = "/x"});
    }
  }
  server.stop();
  thread.join();
  ASSERT_THAT(exchange, IsOk());
  EXPECT_EQ(exchange->error, "");
  EXPECT_EQ(exchange->response.status, 200);
  EXPECT_EQ(host_seen, "[::1]:" + std::to_string(port));
}

TEST(HttpClient, StopsReadingBodiesOverTheLimit) {
  TestServer server([](httplib::Server& s) {
    s.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(2048, 'x'), "text/plain");
    });
    s.Get("/chunked", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/plain", [](size_t offset, httplib::DataSink& sink) {
        if (offset >= 4096) {
          sink.done();
          return true;
        }
        std::string chunk(512, 'y');
        return sink.write(chunk.data(), chunk.size());
      });
    });
    s.Get("/small", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(1024, 'z'), "text/plain");
    });
  });
  ASSERT_TRUE(server.Running());
  auto client = HttpClient::Create(server.Url(), {.max_body_bytes = 1024});
  ASSERT_THAT(client, IsOk());
  for (const char* path : {"/big", "/chunked"}) {
    auto exchange = client->Send({.method = "GET", .url = path});
    ASSERT_THAT(exchange, IsOk());
    EXPECT_EQ(exchange->response.status, 0) << path;
    EXPECT_EQ(exchange->response.body, "") << path;
    EXPECT_EQ(exchange->error, "response body exceeds the limit of 1024 bytes (max_body_bytes)")
        << path;
    EXPECT_TRUE(exchange->body_over_limit) << path;  // an answer, not an unreachable server
  }
  auto small = client->Send({.method = "GET", .url = "/small"});
  ASSERT_THAT(small, IsOk());
  EXPECT_EQ(small->response.status, 200);
  EXPECT_EQ(small->response.body.size(), 1024u);
}

TEST(HttpClient, RateLimitSpacesRequestsWithoutRealSleeps) {
  TestServer server([](httplib::Server& s) {
    s.Get("/x", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("{}", "application/json");
    });
  });
  ASSERT_TRUE(server.Running());
  FakeTime one_at_a_time;
  auto client =
      HttpClient::Create(server.Url(), {.requests_per_second = 10, .clock = one_at_a_time.Clock()});
  ASSERT_THAT(client, IsOk());
  for (int i = 0; i < 4; ++i) {
    EXPECT_THAT(client->Send({.method = "GET", .url = "/x"}), IsOk());
  }
  EXPECT_THAT(one_at_a_time.Sleeps(),
              ElementsAre(milliseconds(100), milliseconds(100), milliseconds(100)));

  FakeTime bursty;
  auto burst = HttpClient::Create(server.Url(),
                                  {.requests_per_second = 10, .burst = 2, .clock = bursty.Clock()});
  ASSERT_THAT(burst, IsOk());
  for (int i = 0; i < 4; ++i) {
    EXPECT_THAT(burst->Send({.method = "GET", .url = "/x"}), IsOk());
  }
  EXPECT_THAT(bursty.Sleeps(), ElementsAre(milliseconds(100), milliseconds(100)));
}

TEST(HttpClient, BudgetCountsEveryAttemptAndThenRefuses) {
  std::atomic<int> calls{0};
  TestServer server([&calls](httplib::Server& s) {
    s.Get("/ok", [&calls](const httplib::Request&, httplib::Response& res) {
      ++calls;
      res.set_content("{}", "application/json");
    });
    s.Get("/unavailable", [&calls](const httplib::Request&, httplib::Response& res) {
      ++calls;
      res.status = 503;
    });
  });
  ASSERT_TRUE(server.Running());
  FakeTime time;
  auto client = HttpClient::Create(server.Url(),
                                   {.max_retries = 5, .max_requests = 3, .clock = time.Clock()});
  ASSERT_THAT(client, IsOk());
  EXPECT_THAT(client->Send({.method = "GET", .url = "/ok"}), IsOk());
  // Retries stop when the budget does: the last answer comes back.
  auto unavailable = client->Send({.method = "GET", .url = "/unavailable"});
  ASSERT_THAT(unavailable, IsOk());
  EXPECT_EQ(unavailable->response.status, 503);
  EXPECT_EQ(client->RequestsSent(), 3u);
  EXPECT_THAT(client->Send({.method = "GET", .url = "/ok"}),
              ErrorIs(ErrorCode::kResourceExhausted, HasSubstr("request budget of 3 requests")));
  EXPECT_EQ(client->RequestsSent(), 3u);
  EXPECT_EQ(calls.load(), 3);
}

TEST(HttpClient, CountsConcurrentRequestsExactly) {
  std::atomic<int> calls{0};
  TestServer server([&calls](httplib::Server& s) {
    s.Get("/x", [&calls](const httplib::Request&, httplib::Response& res) {
      ++calls;
      res.set_content("{}", "application/json");
    });
  });
  ASSERT_TRUE(server.Running());
  auto client = HttpClient::Create(server.Url(), {});
  ASSERT_THAT(client, IsOk());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        auto exchange = client->Send({.method = "GET", .url = "/x"});
        if (exchange.ok() && exchange->response.status == 200) {
          ++ok;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(ok.load(), 100);
  EXPECT_EQ(calls.load(), 100);
  EXPECT_EQ(client->RequestsSent(), 100u);
}

TEST(HttpClient, VerifiesTlsUnlessToldOtherwise) {
  TempDir dir;
  SelfSigned identity(dir.path());
  TestServer server(
      [](httplib::Server& s) {
        s.Get("/x", [](const httplib::Request&, httplib::Response& res) {
          res.set_content("{}", "application/json");
        });
      },
      std::make_unique<httplib::SSLServer>(identity.cert, identity.key));
  ASSERT_TRUE(server.Running());

  auto strict = HttpClient::Create(server.Url("https"), {.max_retries = 0});
  ASSERT_THAT(strict, IsOk());
  auto refused = strict->Send({.method = "GET", .url = "/x"});
  ASSERT_THAT(refused, IsOk());
  EXPECT_EQ(refused->response.status, 0);
  EXPECT_THAT(refused->error, StartsWith("TLS handshake failed: "));
  EXPECT_THAT(refused->error, HasSubstr("self-signed certificate"));

  auto insecure = HttpClient::Create(server.Url("https"), {.tls = TlsVerification::kInsecure});
  ASSERT_THAT(insecure, IsOk());
  auto accepted = insecure->Send({.method = "GET", .url = "/x"});
  ASSERT_THAT(accepted, IsOk());
  EXPECT_EQ(accepted->error, "");
  EXPECT_EQ(accepted->response.status, 200);

  auto pinned = HttpClient::Create(server.Url("https"), {.ca_file = identity.pem_path});
  ASSERT_THAT(pinned, IsOk());
  auto trusted = pinned->Send({.method = "GET", .url = "/x"});
  ASSERT_THAT(trusted, IsOk());
  EXPECT_EQ(trusted->error, "");
  EXPECT_EQ(trusted->response.status, 200);
}

}  // namespace
}  // namespace http_client_test
}  // namespace conform::traffic
