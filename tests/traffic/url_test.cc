#include "traffic/url.h"

#include <gtest/gtest.h>

#include "tests/support/result_matchers.h"
#include "traffic/exchange.h"

namespace conform::traffic {
namespace {

using ::testing::HasSubstr;

TEST(ParseUrl, SplitsAbsoluteUrl) {
  auto url = ParseUrl(
      "https://api.fireworks.ai:8443/v1/accounts/a/dpoJobs?pageSize=5&filter=a%3D%22b%20c%22");
  ASSERT_THAT(url, IsOk());
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "api.fireworks.ai");
  EXPECT_EQ(url->port, 8443);
  EXPECT_EQ(url->path, "/v1/accounts/a/dpoJobs");
  EXPECT_EQ(QueryValue(url->query, "pageSize"), "5");
  EXPECT_EQ(QueryValue(url->query, "filter"), "a=\"b c\"");
  EXPECT_EQ(QueryValue(url->query, "orderBy"), std::nullopt);
}

TEST(ParseUrl, AcceptsOriginForm) {
  auto url = ParseUrl("/v1/x?a+b=c+d&flag");
  ASSERT_THAT(url, IsOk());
  EXPECT_TRUE(url->host.empty());
  EXPECT_EQ(url->path, "/v1/x");
  EXPECT_EQ(QueryValue(url->query, "a b"), "c d");
  EXPECT_EQ(QueryValue(url->query, "flag"), "");
}

TEST(ParseUrl, RejectsRelativeAndBadPort) {
  EXPECT_THAT(ParseUrl("v1/x"), ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("not a URL")));
  EXPECT_THAT(ParseUrl("http://h:99999/"), ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("port")));
}

TEST(PercentDecode, KeepsInvalidEscapes) {
  EXPECT_EQ(PercentDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(PercentDecode("a%2Bb+c", PlusIs::kPlus), "a+b+c");
}

TEST(BuildQuery, RoundTripsThroughParseQuery) {
  QueryParams params = {{"filter", "state = JOB_STATE_RUNNING & x"}, {"pageToken", "a/b+c=="}};
  EXPECT_EQ(ParseQuery(BuildQuery(params)), params);
}

TEST(FindHeader, IsCaseInsensitive) {
  Headers headers = {{"Content-Type", "application/json"}};
  EXPECT_EQ(FindHeader(headers, "content-type"), "application/json");
  EXPECT_EQ(FindHeader(headers, "accept"), std::nullopt);
}

TEST(EscapeUrl, EncodesOnlyWhatAUrlCannotHoldRaw) {
  EXPECT_EQ(EscapeUrl("https://h:8/v1/x?filter=a b&q=\"{x}\"|[0]&t=a%2Bb+c&p=100%"),
            "https://h:8/v1/x?filter=a%20b&q=%22%7Bx%7D%22%7C%5B0%5D&t=a%2Bb+c&p=100%25");
  EXPECT_EQ(EscapeUrl("/v1/caf\xC3\xA9?n=\x01"), "/v1/caf%C3%A9?n=%01");
  EXPECT_EQ(EscapeUrl("http://[::1]:8080/x"), "http://[::1]:8080/x");
  EXPECT_EQ(EscapeUrl("https://h"), "https://h");
}

}  // namespace
}  // namespace conform::traffic
