// ReplayIndex: what matches what, the order identical requests replay in, the nearest
// recorded requests for an unmatched one, and which recordings were never used. Also the
// small parsers the commands share (listen address, record mode).
#include "recorder/matcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "recorder/session.h"
#include "tests/support/result_matchers.h"

namespace conform::recorder {
namespace matcher_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;

traffic::Exchange Recorded(const std::string& method, const std::string& url,
                           const std::string& response_body = "{}",
                           const std::string& request_body = "") {
  traffic::Exchange exchange;
  exchange.request = {.method = method, .url = url, .body = request_body};
  exchange.response = {.status = 200, .body = response_body};
  return exchange;
}

traffic::Request Get(const std::string& url) { return {.method = "GET", .url = url}; }

Redactor DefaultRedactor() { return *Redactor::Create({}); }

TEST(ReplayIndex, QueryOrderAndEncodingDoNotMatter) {
  ReplayIndex index({Recorded("GET", "https://api.example.com/v1/x?a=1&b=x%20y")}, {},
                    DefaultRedactor());
  EXPECT_THAT(index.Next(Get("/v1/x?b=x+y&a=1")), Optional(0u));
  EXPECT_THAT(index.Next(Get("/v1/x?b=x%20y&a=%31")), Optional(0u));
  EXPECT_EQ(index.Next(Get("/v1/x?a=1")), std::nullopt);
  EXPECT_EQ(index.Next(Get("/v1/x?a=1&b=x%20y&c=")), std::nullopt);
  EXPECT_EQ(index.Next({.method = "POST", .url = "/v1/x?a=1&b=x%20y"}), std::nullopt);
  EXPECT_EQ(index.Next(Get("/v1/y?a=1&b=x%20y")), std::nullopt);
}

TEST(ReplayIndex, IgnoredParametersAreLeftOut) {
  ReplayIndex index({Recorded("GET", "/v1/x?pageSize=5&requestId=1")},
                    {.ignore_params = {"requestId", "ts"}}, DefaultRedactor());
  EXPECT_THAT(index.Next(Get("/v1/x?requestId=99&pageSize=5&ts=3")), Optional(0u));
  EXPECT_THAT(index.Next(Get("/v1/x?pageSize=5")), Optional(0u));
  EXPECT_EQ(index.Next(Get("/v1/x?pageSize=6")), std::nullopt);
}

TEST(ReplayIndex, RepeatedRequestsReplayInRecordedOrderThenTheLastRepeats) {
  ReplayIndex index({Recorded("GET", "/v1/x", "first"), Recorded("GET", "/v1/other"),
                     Recorded("GET", "/v1/x", "second"), Recorded("GET", "/v1/x", "third")},
                    {}, DefaultRedactor());
  std::vector<size_t> served;
  for (int i = 0; i < 5; ++i) {
    served.push_back(*index.Next(Get("/v1/x")));
  }
  EXPECT_THAT(served, ElementsAre(0u, 2u, 3u, 3u, 3u));
  EXPECT_THAT(index.Unused(), ElementsAre(1u));
}

TEST(ReplayIndex, BodiesMatchOnlyWhenAskedAndJsonByValue) {
  std::vector<traffic::Exchange> recorded = {
      Recorded("POST", "/v1/x", "one", R"({"a":1,"b":[1,2]})"),
      Recorded("POST", "/v1/x", "two", R"({"a":2})")};
  ReplayIndex by_body(recorded, {.body = MatchBody::kYes}, DefaultRedactor());
  EXPECT_THAT(by_body.Next({.method = "POST", .url = "/v1/x", .body = R"({ "b":[1, 2], "a":1 })"}),
              Optional(0u));
  EXPECT_THAT(by_body.Next({.method = "POST", .url = "/v1/x", .body = R"({"a":2})"}), Optional(1u));
  EXPECT_EQ(by_body.Next({.method = "POST", .url = "/v1/x", .body = R"({"a":3})"}), std::nullopt);

  ReplayIndex any_body(recorded, {}, DefaultRedactor());
  EXPECT_THAT(any_body.Next({.method = "POST", .url = "/v1/x", .body = "whatever"}), Optional(0u));
}

TEST(ReplayIndex, RequestsCarryingRealSecretsMatchTheirRedactedRecording) {
  ReplayIndex index({Recorded("POST", "/v1/x?api_key=%5BREDACTED%5D&pageSize=5", "ok",
                              R"({"password":"[REDACTED]","name":"n"})")},
                    {.body = MatchBody::kYes}, DefaultRedactor());
  EXPECT_THAT(index.Next({.method = "POST",
                          .url = "/v1/x?pageSize=5&api_key=real-key",
                          .body = R"({"name":"n","password":"hunter2"})"}),
              Optional(0u));
}

TEST(ReplayIndex, ABasePathTheClientLeavesOutStillMatches) {
  ReplayIndex index({Recorded("GET", "https://gw.example.com/api/v1/x?a=1")}, {},
                    DefaultRedactor());
  EXPECT_THAT(index.Next(Get("/v1/x?a=1")), Optional(0u));
  EXPECT_THAT(index.Next(Get("/api/v1/x?a=1")), Optional(0u));
  EXPECT_EQ(index.Next(Get("/x?a=1&b=2")), std::nullopt);
}

TEST(ReplayIndex, NearestListsTheClosestRecordedRequestsFirst) {
  ReplayIndex index(
      {Recorded("GET", "/v1/accounts/acme/dpoJobs?pageSize=5"),
       Recorded("GET", "/v1/accounts/acme/dpoJobs?pageSize=5"), Recorded("DELETE", "/v9/z"),
       Recorded("GET", "/v1/accounts/acme/dpoJobs?pageSize=5&pageToken=abc")},
      {}, DefaultRedactor());
  std::vector<NearMatch> nearest = index.Nearest(Get("/v1/accounts/acme/dpoJobs?pageSize=6"), 2);
  ASSERT_EQ(nearest.size(), 2u);
  EXPECT_EQ(nearest[0].request, "GET /v1/accounts/acme/dpoJobs?pageSize=5");
  EXPECT_EQ(nearest[0].entry, 0u);
  EXPECT_EQ(nearest[0].distance, 1u);
  EXPECT_EQ(nearest[1].request, "GET /v1/accounts/acme/dpoJobs?pageSize=5&pageToken=abc");
}

TEST(ReplayIndex, DescribeIsRedactedAndSorted) {
  ReplayIndex index({}, {.ignore_params = {"ts"}}, DefaultRedactor());
  EXPECT_EQ(index.Describe(Get("https://h/v1/x?z=1&api_key=sk&ts=9&a=b%20c")),
            "GET /v1/x?a=b%20c&api_key=%5BREDACTED%5D&z=1");
}

TEST(ListenAddress, ParsesHostPortForms) {
  auto full = ParseListenAddress("127.0.0.1:8080");
  ASSERT_THAT(full, IsOk());
  EXPECT_EQ(full->host, "127.0.0.1");
  EXPECT_EQ(full->port, 8080);
  auto loopback = ParseListenAddress(":0");
  ASSERT_THAT(loopback, IsOk());
  EXPECT_EQ(loopback->host, "127.0.0.1");
  auto v6 = ParseListenAddress("[::1]:9");
  ASSERT_THAT(v6, IsOk());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_THAT(ParseListenAddress("8080"),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("HOST:PORT")));
  EXPECT_THAT(ParseListenAddress("h:99999"),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("h:99999")));
  EXPECT_THAT(ParseListenAddress("::1:80"),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("HOST:PORT")));
}

TEST(RecordMode, ParsesTheVcrNames) {
  EXPECT_THAT(ParseRecordMode("none"), IsOkAndHolds(RecordMode::kNone));
  EXPECT_THAT(ParseRecordMode("once"), IsOkAndHolds(RecordMode::kOnce));
  EXPECT_THAT(ParseRecordMode("new_episodes"), IsOkAndHolds(RecordMode::kNewEpisodes));
  EXPECT_THAT(ParseRecordMode("all"), IsOkAndHolds(RecordMode::kAll));
  EXPECT_THAT(ParseRecordMode("sometimes"),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("unknown record mode")));
  EXPECT_EQ(RecordModeName(RecordMode::kNewEpisodes), "new_episodes");
}

}  // namespace
}  // namespace matcher_test
}  // namespace conform::recorder
