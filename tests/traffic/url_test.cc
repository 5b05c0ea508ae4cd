#include "traffic/url.h"

#include <gtest/gtest.h>

#include "tests/support/result_matchers.h"
#include "traffic/exchange.h"
#include "traffic/redact.h"

namespace conform::traffic {
namespace url_test {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

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

TEST(ParseBaseUrl, SplitsSchemeHostPortAndPrefix) {
  auto url = ParseBaseUrl("HTTPS://user:p%40ss@api.fireworks.ai:8443/prefix/");
  ASSERT_THAT(url, IsOk());
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "api.fireworks.ai");
  EXPECT_EQ(url->port, 8443);
  EXPECT_EQ(url->path, "/prefix/");
  auto v6 = ParseBaseUrl("http://[::1]:8080");
  ASSERT_THAT(v6, IsOk());
  EXPECT_EQ(v6->host, "[::1]");
  EXPECT_EQ(v6->port, 8080);
  EXPECT_EQ(v6->path, "/");
  auto plain = ParseBaseUrl("http://127.0.0.1");
  ASSERT_THAT(plain, IsOk());
  EXPECT_EQ(plain->port, 0);
}

TEST(ParseBaseUrl, RefusesEachProblemWithItsReason) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "it is empty"},
      {"http://ho st", "it holds a space or a control character"},
      {"http://host\t/", "it holds a space or a control character"},
      {"localhost:8080", "it has no http:// or https://"},
      {"ftp://x", "the scheme must be http or https (start the URL with http:// or https://)"},
      {"http://host/?pageSize=1", "a base URL has no query or fragment"},
      {"http://host/#top", "a base URL has no query or fragment"},
      {"http://[::1", "the IPv6 address has no closing ']'"},
      {"http://[zz]:80", "'[zz]' is not an IPv6 address"},
      {"http://[::1]x", "the IPv6 address is followed by 'x', not by ':PORT'"},
      {"http://", "it has no host"},
      {"http://:80", "it has no host"},
      {"http://ho|st/", "the host 'ho|st' holds '|', which no host name or address does"},
      {"http://host:99999", "the port '99999' is not a number from 1 to 65535"},
      {"http://host:0", "the port '0' is not a number from 1 to 65535"},
      {"http://host:abc", "the port 'abc' is not a number from 1 to 65535"},
      {"http://host:", "the port '' is not a number from 1 to 65535"},
  };
  for (const auto& [url, why] : cases) {
    EXPECT_THAT(ParseBaseUrl(url),
                ErrorIs(ErrorCode::kInvalidArgument,
                        "'" + url + "' is not a base URL (http(s)://host[:port][/prefix]): " + why))
        << url;
  }
  // All before the '@' is taken for userinfo, and redacted.
  EXPECT_THAT(ParseBaseUrl("http://host/v1/@me"),
              ErrorIs(ErrorCode::kInvalidArgument,
                      "'http://REDACTED@me' is not a base URL (http(s)://host[:port][/prefix]): an "
                      "'@' after the host (write '/' in a user name or password as %2F, '@' in a "
                      "path as %40)"));
}

TEST(ParseBaseUrl, NeverShowsThePassword) {
  // RedactUrl cannot read "user:12/34@host" as userinfo (it could be host "user", port 12 and
  // a path "/34@host"); in a base URL every '@' closes userinfo.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"http://user:SECRET@[::1/", "'http://REDACTED@[::1/'"},
      {"http://user:12/34SECRET@host", "'http://REDACTED@host'"},
      {"http://user:p@SECRET/x@host:1", "'http://REDACTED@host:1'"},
      {"http://user:SE?CRET@host", "'http://REDACTED@host'"},
      {"http://user:SE#CRET@host", "'http://REDACTED@host'"},
      {"user:SECRET@host", "'REDACTED@host'"},
      {"//user:SECRET@host", "'REDACTED@host'"},
      {"http://host/?api_key=SECRET", "'http://host/?api_key=%5BREDACTED%5D'"},
  };
  for (const auto& [url, shown] : cases) {
    EXPECT_THAT(ParseBaseUrl(url), ErrorIs(ErrorCode::kInvalidArgument,
                                           AllOf(HasSubstr(shown), Not(HasSubstr("SECRET")))))
        << url;
  }
}

TEST(RedactUrl, RedactsAPasswordHoldingASlashOrAnAt) {
  // The authority ended at the password's '/', so the userinfo was kept whole.
  EXPECT_EQ(RedactUrl("http://user:pa/ss@host/v1/x?pageSize=5"),
            "http://REDACTED@host/v1/x?pageSize=5");
  EXPECT_EQ(RedactUrl("https://u:p/a@s?s#w@[::1]:8/x?pageToken=t"),
            "https://REDACTED@[::1]:8/x?pageToken=t");
  EXPECT_EQ(RedactUrl("http://:pa/ss@host"), "http://REDACTED@host");
  EXPECT_EQ(RedactUrl("http://user:p@ss@host/x"), "http://REDACTED@host/x");
  // An '@' after host[:port] is the path's or the query's, and stays.
  for (const char* url : {"http://127.0.0.1:8080/v1/users/a@b?email=c@d", "http://h/a@b",
                          "http://[::1]:80/a@b", "/v1/users/a@b"}) {
    EXPECT_EQ(RedactUrl(url), url);
  }
}

TEST(RedactUrl, ReadsAUrlInTheQueryAsAValue) {
  // The "://" of `next` was taken for the scheme's: its userinfo was redacted, but the query
  // before it, api_key included, was passed over.
  EXPECT_EQ(RedactUrl("/v1/x?api_key=SECRET&next=http://u:p@h/&b=c"),
            "/v1/x?api_key=%5BREDACTED%5D&next=http://REDACTED@h/&b=c");
  EXPECT_EQ(RedactUrl("https://h/x?next=https://u:pa/ss@h2/y"),
            "https://h/x?next=https://REDACTED@h2/y");
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

TEST(HostPort, BracketsAnIpv6AddressAsAUrlWritesIt) {
  EXPECT_EQ(HostPort("127.0.0.1", 8080), "127.0.0.1:8080");
  EXPECT_EQ(HostPort("api.example.com", 443), "api.example.com:443");
  EXPECT_EQ(HostPort("::1", 8080), "[::1]:8080");
}

}  // namespace
}  // namespace url_test
}  // namespace conform::traffic
