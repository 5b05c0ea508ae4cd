// The proxy's plain-HTTP upstream client (recorder/internal/http1_client.h): every way a
// response can be framed, interim responses, kept-alive connections, and what a broken or
// hostile upstream sends, each named.
#include "recorder/internal/http1_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "recorder/internal/upstream.h"
#include "tests/recorder/loopback.h"

namespace conform::recorder::internal {
namespace http1_client_test {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr std::string_view kGet = "GET /x HTTP/1.1\r\nHost: t\r\n\r\n";

std::unique_ptr<Http1Connection> ConnectTo(int port, std::chrono::milliseconds timeout = 10s) {
  WireFailure failure = WireFailure::kNone;
  auto connection = Http1Connection::Connect("127.0.0.1", port, timeout, failure);
  EXPECT_EQ(failure, WireFailure::kNone);
  return connection;
}

// A loopback listener that accepts only when a test calls accept(): connections complete in
// its backlog and nothing answers them.
struct Listener {
  Listener() {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::listen(fd, 4) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      port = ntohs(address.sin_port);
    }
  }
  ~Listener() { ::close(fd); }
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int port = 0;
};

// A request on a new connection to `port` (silence timeout `timeout`) ends in kTimeout within
// `bound`; the connection is closed on return.
void ExpectTimeoutWithin(int port, std::chrono::milliseconds timeout,
                         std::chrono::seconds bound) {
  auto connection = ConnectTo(port, timeout);
  ASSERT_NE(connection, nullptr);
  WireResponse response;
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(connection->RoundTrip(kGet, {}, response), WireFailure::kTimeout);
  EXPECT_LT(std::chrono::steady_clock::now() - started, bound);
}

// One scripted reply, read through a new connection.
WireFailure Reply(const std::string& reply, WireResponse& response, WireLimits limits = {}) {
  testing::RawUpstream upstream(reply);
  auto connection = ConnectTo(upstream.Port());
  if (!connection) {
    return WireFailure::kConnect;
  }
  return connection->RoundTrip(kGet, limits, response);
}

TEST(Http1Client, ContentLengthBodiesAreReadWholeOnAKeptAliveConnection) {
  const std::string page(200'000, 'p');
  testing::TestUpstream upstream([&page](const httplib::Request& request, httplib::Response& res) {
    res.set_content(page + request.path, "application/json");
  });
  auto connection = ConnectTo(upstream.Port());
  ASSERT_NE(connection, nullptr);
  for (int i = 0; i < 3; ++i) {  // one connection, three requests
    WireResponse response;
    ASSERT_EQ(connection->RoundTrip("GET /r" + std::to_string(i) + " HTTP/1.1\r\nHost: t\r\n\r\n",
                                    {}, response),
              WireFailure::kNone);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, page + "/r" + std::to_string(i));
    EXPECT_TRUE(response.reusable);
    EXPECT_TRUE(connection->StillOpen());
  }
}

TEST(Http1Client, ChunkedBodiesAreJoinedWithExtensionsAndTrailersSkipped) {
  WireResponse response;
  ASSERT_EQ(Reply("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                  "5;name=value\r\nhello\r\n1\r\n,\r\nb\r\n 0123456789\r\n0\r\nX-Trailer: t\r\n\r\n",
                  response),
            WireFailure::kNone);
  EXPECT_EQ(response.body, "hello, 0123456789");
  EXPECT_EQ(response.status, 200);
}

TEST(Http1Client, InterimResponsesAreSkipped) {
  WireResponse response;
  ASSERT_EQ(Reply("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                  "HTTP/1.1 201 Created\r\nContent-Length: 2\r\nX-A: 1\r\n\r\nok",
                  response),
            WireFailure::kNone);
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, "ok");
  ASSERT_EQ(response.headers.size(), 2u);  // the 103's Link is not the final response's
  EXPECT_EQ(response.headers[1].name, "X-A");
}

TEST(Http1Client, ABodyWithoutALengthEndsWithTheConnection) {
  WireResponse response;
  ASSERT_EQ(Reply("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", response),
            WireFailure::kNone);
  EXPECT_EQ(response.body, "until the end");
  EXPECT_FALSE(response.reusable);
  WireResponse old;
  ASSERT_EQ(Reply("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", old), WireFailure::kNone);
  EXPECT_FALSE(old.reusable);  // HTTP/1.0 closes
  WireResponse closing;
  ASSERT_EQ(Reply("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 2\r\n\r\nok",
                  closing),
            WireFailure::kNone);
  EXPECT_FALSE(closing.reusable);
}

TEST(Http1Client, HeadAnd204And304HaveNoBody) {
  WireResponse head;
  ASSERT_EQ(Reply("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", head, {.head = true}),
            WireFailure::kNone);
  EXPECT_EQ(head.body, "");
  EXPECT_TRUE(head.reusable);
  for (std::string status : {"204 No Content", "304 Not Modified"}) {
    WireResponse response;
    ASSERT_EQ(Reply("HTTP/1.1 " + status + "\r\nContent-Length: 5\r\n\r\n", response),
              WireFailure::kNone)
        << status;
    EXPECT_EQ(response.body, "");
  }
}

TEST(Http1Client, MalformedResponsesSayWhatWasWrong) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"SSH-2.0-OpenSSH_9.2\r\n\r\n", "not HTTP/1.x"},
      {"HTTP/1.1 2000 OK\r\n\r\n", "not HTTP/1.x"},
      {"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n", "invalid Content-Length"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
       "invalid Content-Length"},
      {"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "without \"name:\""},
      {"HTTP/1.1 200 OK\r\nName : v\r\n\r\n", "without \"name:\""},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "not hexadecimal"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
       "longer than its size"},
      {"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", "upgraded"},
  };
  for (const auto& [reply, says] : cases) {
    WireResponse response;
    EXPECT_EQ(Reply(reply, response), WireFailure::kMalformed) << reply;
    EXPECT_THAT(response.problem, HasSubstr(says)) << reply;
  }
}

TEST(Http1Client, BodiesOverTheLimitAreRefusedHoweverFramed) {
  const WireLimits limits{.max_body_bytes = 10};
  WireResponse declared;
  EXPECT_EQ(Reply("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n", declared, limits),
            WireFailure::kTooLarge);
  WireResponse chunked;
  EXPECT_EQ(Reply("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n"
                  "6\r\nabcdef\r\n0\r\n\r\n",
                  chunked, limits),
            WireFailure::kTooLarge);
  WireResponse until_close;
  EXPECT_EQ(Reply("HTTP/1.1 200 OK\r\n\r\n" + std::string(5000, 'x'), until_close, limits),
            WireFailure::kTooLarge);
  WireResponse exact;
  EXPECT_EQ(Reply("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", exact, limits),
            WireFailure::kNone);
}

TEST(Http1Client, EndlessHeadersStopAtTheHeaderLimit) {
  std::string reply = "HTTP/1.1 200 OK\r\n";
  while (reply.size() < (size_t{2} << 20)) {
    reply += "X-Filler: " + std::string(100, 'f') + "\r\n";
  }
  WireResponse response;
  EXPECT_EQ(Reply(reply, response), WireFailure::kMalformed);
  EXPECT_THAT(response.problem, HasSubstr("bytes of status line and headers"));
}

TEST(Http1Client, AConnectionThatEndsEarlyIsClosed) {
  WireResponse truncated;
  EXPECT_EQ(Reply("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..", truncated),
            WireFailure::kClosed);
  EXPECT_FALSE(truncated.nothing_received);
  WireResponse nothing;
  EXPECT_EQ(Reply("", nothing), WireFailure::kClosed);
  EXPECT_TRUE(nothing.nothing_received);  // what a stale kept-alive connection looks like
}

TEST(Http1Client, SilenceIsATimeoutAndARefusedPortAConnectFailure) {
  Listener listener;  // never accepts
  ASSERT_GT(listener.port, 0);
  ExpectTimeoutWithin(listener.port, 200ms, 5s);

  WireFailure failure = WireFailure::kNone;
  EXPECT_EQ(Http1Connection::Connect("127.0.0.1", testing::ClosedPort(), 2s, failure), nullptr);
  EXPECT_EQ(failure, WireFailure::kConnect);
}

TEST(Http1Client, HeadersDrippedByteByByteStopAtTwiceTheTimeout) {
  // Each byte within the timeout, so no single read times out; one header line never ends.
  Listener listener;
  ASSERT_GT(listener.port, 0);
  std::atomic<bool> stop{false};
  std::thread dripper([&] {
    int fd = ::accept(listener.fd, nullptr, nullptr);
    std::string head = "HTTP/1.1 200 OK\r\nX-Drip: ";
    (void)::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
    for (int i = 0; i < 400 && !stop; ++i) {  // at most 20 s
      std::this_thread::sleep_for(50ms);  // the drip under test, not a synchronisation
      if (::send(fd, "d", 1, MSG_NOSIGNAL) != 1) {
        break;
      }
    }
    ::close(fd);
  });
  ExpectTimeoutWithin(listener.port, 300ms, 3s);  // closes its connection: the drip ends
  stop = true;
  dripper.join();
}

TEST(Http1Client, RequestsAreFramedAndUnsafeHeadersLeftOut) {
  EXPECT_EQ(Http1Request("GET", "/v1/x?a=1", {{"Host", "h"}, {"Accept", "*/*"}}, ""),
            "GET /v1/x?a=1 HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\n");
  EXPECT_EQ(Http1Request("POST", "/p", {{"Host", "h"}}, ""),
            "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(Http1Request("DELETE", "/d", {{"Host", "h"}, {"Bad Name", "v"}, {"X", "a\r\nY: b"}},
                         "{}"),
            "DELETE /d HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}");
}

TEST(Http1Client, APooledConnectionTheUpstreamClosedIsNotA502) {
  // RawUpstream answers without "Connection: close" and then closes: the pooled connection is
  // dead when the next request comes.
  testing::RawUpstream upstream("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  auto created = Upstream::Create({.url = upstream.Url(), .timeout = 10s});
  ASSERT_TRUE(created.ok());
  for (int i = 0; i < 5; ++i) {
    UpstreamReply reply = (*created)->Forward("GET", "/x", {{"Host", "t"}}, "");
    EXPECT_EQ(reply.failure, UpstreamFailure::kNone) << i << ": " << reply.reason;
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, "ok");
  }
}

}  // namespace
}  // namespace http1_client_test
}  // namespace conform::recorder::internal
