// The replay server over loopback HTTP: recorded responses served without credentials,
// matching through HTTP, the 501 for an unmatched request with its nearest recordings, the VCR
// record modes, browser exports, and cassettes whose recorder was killed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "recorder/cassette.h"
#include "recorder/session.h"
#include "tests/recorder/loopback.h"
#include "tests/support/result_matchers.h"
#include "tests/support/temp_dir.h"
#include "traffic/har.h"

namespace conform::recorder {
namespace replay_test {
namespace {

using testing::ClientFor;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using testing::TestUpstream;
using Json = nlohmann::json;

traffic::Exchange Recorded(const std::string& url, const std::string& body, int status = 200) {
  traffic::Exchange exchange;
  exchange.request = {.method = "GET",
                      .url = "https://api.fireworks.ai" + url,
                      .headers = {{"Authorization", "Bearer [REDACTED]"}}};
  exchange.response = {.status = status,
                       .headers = {{"Content-Type", "application/json"},
                                   {"Content-Length", "999"},
                                   {"X-Recorded", "yes"}},
                       .body = body};
  return exchange;
}

std::string WriteCassette(const conform::testing::TempDir& dir,
                          const std::vector<traffic::Exchange>& exchanges) {
  return dir.Write("cassette.har", traffic::WriteHar(exchanges, {.name = "test"}));
}

std::unique_ptr<Session> Replay(SessionOptions options) {
  options.keep_alive_timeout = std::chrono::seconds(1);  // Stop waits for idle clients
  auto session = Session::Start(std::move(options));
  EXPECT_THAT(session, IsOk());
  return session ? std::move(*session) : nullptr;
}

TEST(Replay, ServesRecordedResponsesWithoutCredentials) {
  conform::testing::TempDir dir;
  std::string path =
      WriteCassette(dir, {Recorded("/v1/accounts/a/dpoJobs?pageSize=2", R"({"n":1})"),
                          Recorded("/v1/accounts/a/dpoJobs/missing", R"({"code":5})", 404)});
  auto session = Replay({.mode = RecordMode::kNone, .cassette = path});
  ASSERT_NE(session, nullptr);
  auto client = ClientFor(session->url());
  auto page = client->Get("/v1/accounts/a/dpoJobs?pageSize=2");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->body, R"({"n":1})");
  EXPECT_EQ(page->get_header_value("X-Recorded"), "yes");
  EXPECT_EQ(page->get_header_value("Content-Length"), "7");  // the body's, not the recorded one
  EXPECT_EQ(page->get_header_value("X-Conform-Replay"), "entry 0");
  auto missing = client->Get("/v1/accounts/a/dpoJobs/missing");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  SessionSummary summary = session->Stop();
  EXPECT_EQ(summary.mode, RecordMode::kNone);
  EXPECT_EQ(summary.loaded, 2u);
  EXPECT_EQ(summary.replayed, 2u);
  EXPECT_THAT(summary.unused, IsEmpty());
}

TEST(Replay, MatchesQueriesInAnyOrderAndIgnoresChosenParameters) {
  conform::testing::TempDir dir;
  std::string path =
      WriteCassette(dir, {Recorded("/v1/x?pageSize=5&filter=a%20b&requestId=1", "hit")});
  auto session = Replay(
      {.mode = RecordMode::kNone, .cassette = path, .match = {.ignore_params = {"requestId"}}});
  ASSERT_NE(session, nullptr);
  auto client = ClientFor(session->url());
  auto result = client->Get("/v1/x?filter=a+b&requestId=77&pageSize=5");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, "hit");
}

TEST(Replay, IdenticalRequestsReplayInRecordedOrderThenTheLastRepeats) {
  conform::testing::TempDir dir;
  std::string path = WriteCassette(
      dir, {Recorded("/v1/x", "one"), Recorded("/v1/x", "two"), Recorded("/v1/x", "three")});
  auto session = Replay({.mode = RecordMode::kNone, .cassette = path});
  ASSERT_NE(session, nullptr);
  auto client = ClientFor(session->url());
  std::vector<std::string> bodies;
  for (int i = 0; i < 5; ++i) {
    auto result = client->Get("/v1/x");
    ASSERT_TRUE(result);
    bodies.push_back(result->body);
  }
  EXPECT_THAT(bodies, ElementsAre("one", "two", "three", "three", "three"));
}

TEST(Replay, AnUnmatchedRequestGets501WithTheNearestRecordings) {
  conform::testing::TempDir dir;
  std::string path = WriteCassette(
      dir, {Recorded("/v1/accounts/acme/dpoJobs?pageSize=5", "a"),
            Recorded("/v1/accounts/acme/dpoJobs?pageSize=50", "b"), Recorded("/v1/other", "c")});
  std::vector<std::string> log;
  auto session =
      Replay({.mode = RecordMode::kNone, .cassette = path, .log = [&log](const std::string& line) {
                log.push_back(line);
              }});
  ASSERT_NE(session, nullptr);
  auto client = ClientFor(session->url());
  auto result = client->Get("/v1/accounts/acme/dpoJobs?pageSize=6&api_key=sk-secret-1");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 501);
  EXPECT_EQ(result->get_header_value("X-Conform-Replay"), "unmatched");
  Json body = Json::parse(result->body);
  EXPECT_EQ(body["code"], 12);
  EXPECT_THAT(body["message"].get<std::string>(),
              HasSubstr("no recorded exchange matches GET /v1/accounts/acme/dpoJobs?"));
  EXPECT_THAT(result->body, Not(HasSubstr("sk-secret-1")));
  const Json& nearest = body["details"][0]["nearest"];
  ASSERT_EQ(nearest.size(), 3u);
  EXPECT_EQ(nearest[0]["request"], "GET /v1/accounts/acme/dpoJobs?pageSize=5");
  EXPECT_EQ(nearest[0]["entry"], 0);
  EXPECT_EQ(nearest[2]["request"], "GET /v1/other");

  auto used = client->Get("/v1/other");
  ASSERT_TRUE(used);
  SessionSummary summary = session->Stop();
  EXPECT_EQ(summary.unmatched, 1u);
  ASSERT_THAT(summary.unmatched_requests, SizeIs(1));
  EXPECT_THAT(summary.unused, ElementsAre("entry 0: GET /v1/accounts/acme/dpoJobs?pageSize=5",
                                          "entry 1: GET /v1/accounts/acme/dpoJobs?pageSize=50"));
  ASSERT_THAT(log, SizeIs(1));
  EXPECT_THAT(log[0], HasSubstr("unmatched GET /v1/accounts/acme/dpoJobs"));
  EXPECT_THAT(log[0], Not(HasSubstr("sk-secret-1")));
}

// An upstream that counts its calls and answers with a version number.
struct CountingUpstream {
  CountingUpstream()
      : server([this](httplib::Server& s) {
          s.Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
            ++calls;
            res.set_content(R"({"from":"upstream","version":)" + std::to_string(version.load()) +
                                R"(,"path":")" + req.path + R"("})",
                            "application/json");
          });
        }) {}
  std::atomic<int> calls{0};
  std::atomic<int> version{1};
  TestUpstream server;
};

std::string Body(Session& session, const std::string& path) {
  auto result = ClientFor(session.url())->Get(path);
  return result ? std::to_string(result->status) + " " + result->body : "no response";
}

TEST(Replay, ModeOnceRecordsWhenTheCassetteIsMissingThenReplaysOnly) {
  CountingUpstream upstream;
  ASSERT_TRUE(upstream.server.Running());
  conform::testing::TempDir dir;
  std::string path = (dir.path() / "once.har").string();
  auto options = [&] {
    return SessionOptions{.mode = RecordMode::kOnce,
                          .cassette = path,
                          .upstream = UpstreamOptions{.url = upstream.server.Url()}};
  };
  {
    auto first = Replay(options());
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(first->mode(), RecordMode::kAll);
    EXPECT_THAT(Body(*first, "/v1/x"), HasSubstr("\"version\":1"));
    EXPECT_EQ(first->Stop().recorded, 1u);
  }
  upstream.version = 2;
  auto second = Replay(options());
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->mode(), RecordMode::kNone);
  EXPECT_THAT(Body(*second, "/v1/x"), HasSubstr("\"version\":1"));
  EXPECT_THAT(Body(*second, "/v1/new"), HasSubstr("501"));
  EXPECT_EQ(upstream.calls.load(), 1);
}

TEST(Replay, ModeNewEpisodesReplaysMatchesAndAppendsTheRest) {
  CountingUpstream upstream;
  ASSERT_TRUE(upstream.server.Running());
  conform::testing::TempDir dir;
  std::string path = WriteCassette(dir, {Recorded("/v1/old", R"({"from":"cassette"})")});
  auto session = Replay({.mode = RecordMode::kNewEpisodes,
                         .cassette = path,
                         .upstream = UpstreamOptions{.url = upstream.server.Url()}});
  ASSERT_NE(session, nullptr);
  EXPECT_EQ(Body(*session, "/v1/old"), R"(200 {"from":"cassette"})");
  EXPECT_THAT(Body(*session, "/v1/new"), HasSubstr("upstream"));
  EXPECT_EQ(upstream.calls.load(), 1);
  // Mid-session the file already holds the old entry and the new one.
  auto during = ReadCassette(path, {});
  ASSERT_THAT(during, IsOk());
  EXPECT_THAT(during->exchanges, SizeIs(2));
  SessionSummary summary = session->Stop();
  EXPECT_EQ(summary.replayed, 1u);
  EXPECT_EQ(summary.recorded, 1u);
  EXPECT_EQ(summary.cassette_entries, 2u);
  auto after = ReadCassette(path, {});
  ASSERT_THAT(after, IsOk());
  EXPECT_TRUE(after->finished);
  ASSERT_THAT(after->exchanges, SizeIs(2));
  EXPECT_EQ(after->exchanges[0].response.body, R"({"from":"cassette"})");
  EXPECT_THAT(after->exchanges[1].request.url, HasSubstr("/v1/new"));
}

TEST(Replay, ModeAllAlwaysProxiesAndRewritesTheCassette) {
  CountingUpstream upstream;
  ASSERT_TRUE(upstream.server.Running());
  conform::testing::TempDir dir;
  std::string path = WriteCassette(dir, {Recorded("/v1/x", R"({"from":"cassette"})")});
  auto session = Replay({.mode = RecordMode::kAll,
                         .cassette = path,
                         .upstream = UpstreamOptions{.url = upstream.server.Url()}});
  ASSERT_NE(session, nullptr);
  EXPECT_THAT(Body(*session, "/v1/x"), HasSubstr("upstream"));
  session->Stop();
  auto after = ReadCassette(path, {});
  ASSERT_THAT(after, IsOk());
  ASSERT_THAT(after->exchanges, SizeIs(1));
  EXPECT_THAT(after->exchanges[0].response.body, HasSubstr("upstream"));
  EXPECT_EQ(upstream.calls.load(), 1);
}

TEST(Replay, ModeNoneNeverContactsTheUpstream) {
  CountingUpstream upstream;
  ASSERT_TRUE(upstream.server.Running());
  conform::testing::TempDir dir;
  std::string path = WriteCassette(dir, {Recorded("/v1/x", "recorded")});
  auto session = Replay({.mode = RecordMode::kNone,
                         .cassette = path,
                         .upstream = UpstreamOptions{.url = upstream.server.Url()}});
  ASSERT_NE(session, nullptr);
  EXPECT_EQ(Body(*session, "/v1/x"), "200 recorded");
  EXPECT_THAT(Body(*session, "/v1/y"), HasSubstr("501"));
  EXPECT_EQ(upstream.calls.load(), 0);
  EXPECT_THAT(Session::Start({.mode = RecordMode::kNone, .cassette = path + ".missing"}),
              ErrorIs(ErrorCode::kNotFound, HasSubstr("no such file")));
}

TEST(Replay, BrowserExportsAreReplayed) {
  auto session =
      Replay({.mode = RecordMode::kNone,
              .cassette = std::string(CONFORM_TEST_DATA_DIR) + "/traffic/chrome_export.har"});
  ASSERT_NE(session, nullptr);
  auto client = ClientFor(session->url());
  client->set_decompress(false);
  auto page = client->Get("/v1/accounts/acme/dpoJobs?pageSize=2");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(Json::parse(page->body)["nextPageToken"], "abc+/==");
  // The export's body is decoded: its content-encoding header must not be replayed.
  EXPECT_EQ(page->get_header_value("Content-Encoding"), "");
  auto next = client->Get("/v1/accounts/acme/dpoJobs?pageToken=abc%2B%2F%3D%3D&pageSize=2");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
}

// A HAR another program wrote (Playwright recording Chromium; see tests/independent/
// browser_session.js): every recorded answer, the page walks by token and the refusals, comes
// back byte for byte, in the recorded order.
TEST(Replay, ABrowserRecordingServesEveryAnswerByteForByte) {
  std::string path = std::string(CONFORM_TEST_DATA_DIR) + "/traffic/chromium_playwright.har";
  auto recorded = ReadCassette(path, {});
  ASSERT_THAT(recorded, IsOk());
  ASSERT_THAT(recorded->exchanges, SizeIs(16));
  auto session = Replay({.mode = RecordMode::kNone, .cassette = path});
  ASSERT_NE(session, nullptr);
  auto client = ClientFor(session->url());
  for (const traffic::Exchange& exchange : recorded->exchanges) {
    const std::string& url = exchange.request.url;
    std::string target = url.substr(url.find('/', url.find("://") + 3));
    auto answer = client->Get(target);
    ASSERT_TRUE(answer) << target;
    EXPECT_EQ(answer->status, exchange.response.status) << target;
    EXPECT_EQ(answer->body, exchange.response.body) << target;
  }
  SessionSummary summary = session->Stop();
  EXPECT_EQ(summary.unmatched, 0u);
  EXPECT_THAT(summary.unused, IsEmpty());
}

TEST(Replay, HandMadeExportsWithBase64BodiesAreReplayedByteForByte) {
  auto session =
      Replay({.mode = RecordMode::kNone,
              .cassette = std::string(CONFORM_TEST_DATA_DIR) + "/recorder/hand_made_export.har"});
  ASSERT_NE(session, nullptr);
  auto client = ClientFor(session->url());
  client->set_decompress(false);
  auto blob = client->Get("/v1/blobs/b1?format=raw&view=full");
  ASSERT_TRUE(blob);
  EXPECT_EQ(blob->status, 200);
  EXPECT_TRUE(blob->body == std::string("\x00\x01\x02\x03\xFF\xFE\xFD binary \x80 payload", 24));
  EXPECT_EQ(blob->get_header_value("Content-Encoding"), "");
  EXPECT_EQ(blob->get_header_value("x-request-id"), "r-1");
  auto search = client->Post("/v1/blobs:search", R"({"q":"blob"})", "application/json");
  ASSERT_TRUE(search);
  EXPECT_EQ(search->status, 404);
}

TEST(Replay, AnInterruptedRecordingIsReplayed) {
  conform::testing::TempDir dir;
  std::string whole = traffic::HarStreamPrefix({.name = "conform"}) +
                      traffic::HarStreamEntry(Recorded("/v1/a", "first"), 0) +
                      traffic::HarStreamEntry(Recorded("/v1/b", "second"), 1);
  std::string path = dir.Write("torn.har", whole.substr(0, whole.size() - 20));
  auto session = Replay({.mode = RecordMode::kNone, .cassette = path});
  ASSERT_NE(session, nullptr);
  EXPECT_EQ(Body(*session, "/v1/a"), "200 first");
  EXPECT_THAT(Body(*session, "/v1/b"), HasSubstr("501"));
  EXPECT_EQ(session->Stop().loaded, 1u);
}

TEST(Replay, ACassetteWithNoExchangesIsRefusedNotServed) {
  conform::testing::TempDir dir;
  std::string empty = WriteCassette(dir, {});
  EXPECT_THAT(
      Session::Start({.mode = RecordMode::kNone, .cassette = empty}),
      ErrorIs(ErrorCode::kNotFound, HasSubstr("no exchanges to replay (log.entries is empty)")));
  std::string whole = traffic::HarStreamPrefix({.name = "conform"}) +
                      traffic::HarStreamEntry(Recorded("/v1/a", "first"), 0);
  std::string cut = dir.Write("cut.har", whole.substr(0, whole.size() - 20));
  EXPECT_THAT(Session::Start({.mode = RecordMode::kNone, .cassette = cut}),
              ErrorIs(ErrorCode::kNotFound, HasSubstr("cut inside its first entry")));
  // Mode once without an upstream has nothing to record from: the same refusal.
  EXPECT_THAT(Session::Start({.mode = RecordMode::kOnce, .cassette = empty}),
              ErrorIs(ErrorCode::kNotFound, HasSubstr("no exchanges to replay")));
}

TEST(Replay, AnEmptyCassetteIsRecordedIntoInModesOnceAndNewEpisodes) {
  CountingUpstream upstream;
  ASSERT_TRUE(upstream.server.Running());
  for (RecordMode mode : {RecordMode::kOnce, RecordMode::kNewEpisodes}) {
    SCOPED_TRACE(RecordModeName(mode));
    conform::testing::TempDir dir;
    std::string path = WriteCassette(dir, {});
    auto session = Replay({.mode = mode,
                           .cassette = path,
                           .upstream = UpstreamOptions{.url = upstream.server.Url()}});
    ASSERT_NE(session, nullptr);
    EXPECT_THAT(Body(*session, "/v1/x"), HasSubstr("upstream"));
    EXPECT_EQ(session->Stop().recorded, 1u);
    auto after = ReadCassette(path, {});
    ASSERT_THAT(after, IsOk());
    EXPECT_THAT(after->exchanges, SizeIs(1));
  }
}

TEST(Replay, ARecordingWithoutAResponseReplaysAs502) {
  conform::testing::TempDir dir;
  traffic::Exchange aborted = Recorded("/v1/x", "");
  aborted.response = {};
  aborted.error = "net::ERR_ABORTED";
  std::string path = WriteCassette(dir, {aborted});
  auto session = Replay({.mode = RecordMode::kNone, .cassette = path});
  ASSERT_NE(session, nullptr);
  std::string answer = Body(*session, "/v1/x");
  EXPECT_THAT(answer, HasSubstr("502"));
  EXPECT_THAT(answer, HasSubstr("net::ERR_ABORTED"));
}

TEST(Replay, RecordedHeadersHttpCannotCarryAreNotSent) {
  conform::testing::TempDir dir;
  traffic::Exchange hostile = Recorded("/v1/x", R"({"n":1})");
  hostile.response.headers.push_back({"X-Split", "a\r\nInjected: yes"});
  hostile.response.headers.push_back({"X-Bare", "a\rInjected-Cr: yes"});
  hostile.response.headers.push_back({"X-Nul", std::string("a\0b", 3)});
  hostile.response.headers.push_back({"Bad Name", "v"});
  hostile.response.headers.push_back({"Bad:Name", "v"});
  hostile.response.headers.push_back({":status", "200"});  // a browser's HTTP/2 export: fine
  std::string path = WriteCassette(dir, {hostile});
  std::string log;
  auto session =
      Replay({.mode = RecordMode::kNone, .cassette = path, .log = [&log](const std::string& line) {
                log += line + "\n";
              }});
  ASSERT_NE(session, nullptr);
  for (int round = 0; round < 2; ++round) {
    testing::RawConnection client(session->port());
    ASSERT_TRUE(client.ok());
    ASSERT_TRUE(client.Send("GET /v1/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    std::string response = client.ReadUntil();
    EXPECT_THAT(response, HasSubstr("HTTP/1.1 200 OK\r\n"));
    EXPECT_THAT(response, HasSubstr("X-Recorded: yes\r\n"));
    EXPECT_THAT(response, HasSubstr("\r\n\r\n{\"n\":1}"));
    EXPECT_THAT(response, Not(HasSubstr("Injected")));
    EXPECT_THAT(response, Not(HasSubstr("X-Split")));
    EXPECT_THAT(response, Not(HasSubstr("X-Bare")));
    EXPECT_THAT(response, Not(HasSubstr("X-Nul")));
    EXPECT_THAT(response, Not(HasSubstr("Bad")));
    EXPECT_THAT(response, Not(HasSubstr(":status")));
  }
  SessionSummary summary = session->Stop();
  EXPECT_EQ(summary.unsafe_headers_dropped, 10u);  // five per response
  EXPECT_THAT(log, HasSubstr("dropped 5 header(s) of recorded entry 0"));
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1);  // logged once, then counted
}

TEST(Replay, AChunkedRequestBodyOverTheLimitIs413) {
  conform::testing::TempDir dir;
  traffic::Exchange upload = Recorded("/v1/upload", R"({"ok":true})");
  upload.request.method = "POST";
  std::string path = WriteCassette(dir, {upload});
  auto session = Replay({.mode = RecordMode::kNone,
                         .cassette = path,
                         .read_options = {.limits = {.max_body_bytes = 1000}}});
  ASSERT_NE(session, nullptr);
  auto client = ClientFor(session->url());
  auto result = client->Post(
      "/v1/upload",
      [](size_t offset, httplib::DataSink& sink) {
        if (offset >= 4000) {
          sink.done();
          return true;
        }
        std::string chunk(1000, 'c');
        return sink.write(chunk.data(), chunk.size());
      },
      "application/octet-stream");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 413);
  Json body = Json::parse(result->body);
  EXPECT_EQ(body["code"], 8);
  EXPECT_THAT(body["message"].get<std::string>(),
              HasSubstr("conform replay: request body of 4000 bytes exceeds the limit of 1000"));
  auto small = client->Post("/v1/upload", "{}", "application/json");
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 200);
  SessionSummary summary = session->Stop();
  EXPECT_EQ(summary.too_large, 1u);
  EXPECT_EQ(summary.replayed, 1u);
}

TEST(Replay, RequestsHttplibRefusesGetJsonErrorsAndOverLimitOnesAreCounted) {
  conform::testing::TempDir dir;
  traffic::Exchange upload = Recorded("/v1/upload", R"({"ok":true})");
  upload.request.method = "POST";
  std::string path = WriteCassette(dir, {upload});
  std::string log;
  auto session = Replay({.mode = RecordMode::kNone,
                         .cassette = path,
                         .read_options = {.limits = {.max_body_bytes = 1000}},
                         .log = [&log](const std::string& line) { log += line + "\n"; }});
  ASSERT_NE(session, nullptr);

  // A Content-Length over the limit: refused by httplib before any handler runs.
  auto client = ClientFor(session->url());
  auto over = client->Post("/v1/upload", std::string(4000, 'x'), "application/json");
  ASSERT_TRUE(over);
  EXPECT_EQ(over->status, 413);
  EXPECT_EQ(over->get_header_value("X-Conform-Error"), "request-body-too-large");
  Json body = Json::parse(over->body, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(body.is_object()) << over->body;
  EXPECT_EQ(body["code"], 8);
  EXPECT_EQ(body["message"],
            "conform replay: request body of 4000 bytes exceeds the limit of 1000 bytes");

  for (const auto& [request, status_line, marker] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"GET /v1/x?filter=" + std::string(1 << 20, '(') + " HTTP/1.1\r\nHost: x\r\n\r\n",
            "HTTP/1.1 414 ", "request-line-too-long"},
           {"GET /v1/x HTTP/1.1\r\nX-Big: " + std::string(9000, 'b') + "\r\n\r\n", "HTTP/1.1 400 ",
            "malformed-request-header"},
           {"GET /v1/x HTTP/9.9\r\nHost: x\r\n\r\n", "HTTP/1.1 400 ", "malformed-request-line"}}) {
    SCOPED_TRACE(marker);
    testing::RawConnection connection(session->port());
    ASSERT_TRUE(connection.Send(request));
    std::string response = connection.ReadUntil(R"("})");  // the body ends with its message
    EXPECT_EQ(response.rfind(status_line, 0), 0u) << response.substr(0, 200);
    EXPECT_THAT(response, HasSubstr("\r\nX-Conform-Error: " + marker + "\r\n"));
    EXPECT_THAT(response, HasSubstr(R"({"code":)"));
    EXPECT_THAT(response, HasSubstr(R"("message":"conform replay: )"));
  }

  SessionSummary summary = session->Stop();
  EXPECT_EQ(summary.too_large, 1u);
  EXPECT_EQ(summary.malformed, 3u);
  EXPECT_EQ(summary.replayed, 0u);
  EXPECT_EQ(summary.unmatched, 0u);
  EXPECT_THAT(log, HasSubstr("conform replay: request body of 4000 bytes exceeds the limit of "
                             "1000 bytes: POST /v1/upload"));
}

}  // namespace
}  // namespace replay_test
}  // namespace conform::recorder
