// HttpClient pieces that need no network: option validation and Retry-After parsing.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/support/result_matchers.h"
#include "traffic/http_client.h"

namespace conform::traffic {
namespace http_client_options_test {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

// 2023-11-14T22:13:20Z, a Tuesday.
constexpr std::chrono::system_clock::time_point kWallNow{std::chrono::seconds(1'700'000'000)};

TEST(ParseRetryAfter, ReadsDelaySeconds) {
  EXPECT_EQ(ParseRetryAfter("2", kWallNow), milliseconds(2000));
  EXPECT_EQ(ParseRetryAfter(" 0 ", kWallNow), milliseconds(0));
  EXPECT_GT(ParseRetryAfter("99999999999999999999", kWallNow), milliseconds(1'000'000'000));
}

TEST(ParseRetryAfter, ReadsHttpDatesRelativeToNow) {
  EXPECT_EQ(ParseRetryAfter("Tue, 14 Nov 2023 22:13:23 GMT", kWallNow), milliseconds(3000));
  EXPECT_EQ(ParseRetryAfter("Tue, 14 Nov 2023 22:14:20 GMT", kWallNow), milliseconds(60'000));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", kWallNow), milliseconds(0));
}

TEST(ParseRetryAfter, RejectsAnythingElse) {
  EXPECT_EQ(ParseRetryAfter("", kWallNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-1", kWallNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("1.5", kWallNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("Tue, 14 Foo 2023 22:13:23 GMT", kWallNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("Tuesday, 14-Nov-23 22:13:23 GMT", kWallNow), std::nullopt);
}

TEST(HttpClientCreate, RejectsBadBaseUrls) {
  EXPECT_THAT(HttpClient::Create("api.fireworks.ai", {}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("http(s)://host")));
  EXPECT_THAT(HttpClient::Create("ftp://h/", {}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("http:// or https://")));
  EXPECT_THAT(HttpClient::Create("http://h/?a=1", {}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("query")));
}

TEST(HttpClientCreate, RejectsBadOptions) {
  EXPECT_THAT(HttpClient::Create("http://h", {.read_timeout = milliseconds(0)}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("timeouts must be positive")));
  EXPECT_THAT(HttpClient::Create("http://h", {.max_retries = -1}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("must not be negative")));
  EXPECT_THAT(HttpClient::Create("http://h", {.burst = 0}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("burst")));
  EXPECT_THAT(HttpClient::Create("https://h", {.ca_file = "/nonexistent/ca.pem"}),
              ErrorIs(ErrorCode::kNotFound, "/nonexistent/ca.pem: CA file not found"));
}

TEST(HttpClientCreate, NormalisesTheBaseUrl) {
  auto client = HttpClient::Create("HTTPS://api.fireworks.ai/prefix/", {});
  ASSERT_THAT(client, IsOk());
  EXPECT_EQ(client->BaseUrl(), "https://api.fireworks.ai:443/prefix");
  EXPECT_EQ(client->RequestsSent(), 0u);
  auto other = client->Send({.method = "GET", .url = "https://evil.example/v1/x"});
  EXPECT_THAT(other, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("not on the client's origin")));
  auto relative = client->Send({.method = "GET", .url = "v1/x"});
  EXPECT_THAT(relative, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("start with '/'")));
  EXPECT_EQ(client->RequestsSent(), 0u);
}

}  // namespace
}  // namespace http_client_options_test
}  // namespace conform::traffic
