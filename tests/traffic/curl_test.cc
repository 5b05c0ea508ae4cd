#include "traffic/curl.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace conform::traffic {
namespace curl_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ShellQuote, QuotesEverythingAndEscapesSingleQuotes) {
  EXPECT_EQ(ShellQuote("plain"), "'plain'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(ShellQuote("$HOME `x` \"y\" \\n"), "'$HOME `x` \"y\" \\n'");
  EXPECT_EQ(ShellQuote(""), "''");
}

TEST(CurlCommand, RendersAuthorizationAsTheApiKeyVariable) {
  Request request{
      .method = "GET",
      .url = "/v1/accounts/acme/dpoJobs?pageSize=5",
      .headers = {{"Authorization", "Bearer fw_REAL_SECRET"}, {"Accept", "application/json"}}};
  std::string command = CurlCommand(request, {.base_url = "https://api.fireworks.ai/"});
  EXPECT_EQ(command,
            "curl -sS 'https://api.fireworks.ai/v1/accounts/acme/dpoJobs?pageSize=5' "
            "-H \"Authorization: Bearer $FIREWORKS_API_KEY\" -H 'Accept: application/json'");
  EXPECT_THAT(command, Not(HasSubstr("fw_REAL_SECRET")));
}

// A recorded path that already holds the server's base path is not given it twice.
TEST(CurlCommand, APathUnderTheBasePathGetsTheOriginOnly) {
  Request request;
  request.method = "GET";
  request.url = "/api/v4/nodes?x=1";
  EXPECT_THAT(CurlCommand(request, {.base_url = "https://dracoon.team/api"}),
              HasSubstr("'https://dracoon.team/api/v4/nodes?x=1'"));
  EXPECT_THAT(CurlCommand(request, {.base_url = "/api"}), HasSubstr("'/api/v4/nodes?x=1'"));
  request.url = "/apiary/v1";
  EXPECT_THAT(CurlCommand(request, {.base_url = "https://x.io/api"}),
              HasSubstr("'https://x.io/api/apiary/v1'"));
  request.url = "/v1/things/7";
  EXPECT_THAT(CurlCommand(request, {.base_url = "https://eu.api.example.com/api/v2"}),
              HasSubstr("'https://eu.api.example.com/api/v2/v1/things/7'"));
}

TEST(CurlCommand, TheVariableNameIsConfigurableAndSanitised) {
  Request request{.url = "https://h/x", .headers = {{"authorization", "Basic dTpw"}}};
  EXPECT_THAT(CurlCommand(request, {.api_key_env = "MY_KEY"}),
              HasSubstr("-H \"Authorization: Bearer $MY_KEY\""));
  EXPECT_THAT(CurlCommand(request, {.api_key_env = "bad name$(rm -rf)"}),
              HasSubstr("$bad_name__rm__rf_\""));
}

TEST(CurlCommand, OtherSecretHeadersBecomeVariablesNamedAfterThem) {
  Request request{.url = "https://h/x",
                  .headers = {{"X-Api-Key", "SECRET1"}, {"Cookie", "sid=SECRET2"}}};
  std::string command = CurlCommand(request);
  EXPECT_THAT(command, HasSubstr("-H \"X-Api-Key: $X_API_KEY\""));
  EXPECT_THAT(command, HasSubstr("-H \"Cookie: $COOKIE\""));
  EXPECT_THAT(command, Not(HasSubstr("SECRET")));
}

TEST(CurlCommand, QuotesNastyCharactersAndEncodesTheUrl) {
  Request request{
      .method = "POST",
      .url = "https://h/v1/x?filter=displayName = \"it's \xC3\xA9\"&pageToken=a%2Bb+c&q={x}",
      .headers = {{"X-Note", "it's a 'test' with spaces \xE2\x9C\x93"}},
      .body = "{\"displayName\":\"O'Brien \xE6\x97\xA5\"}"};
  std::string command = CurlCommand(request);
  EXPECT_EQ(command,
            "curl -sS "
            "'https://h/v1/x?filter=displayName%20=%20%22it'\\''s%20%C3%A9%22&pageToken=a%2Bb+c"
            "&q=%7Bx%7D' "
            "-H 'X-Note: it'\\''s a '\\''test'\\'' with spaces \xE2\x9C\x93' "
            "--data-raw '{\"displayName\":\"O'\\''Brien \xE6\x97\xA5\"}'");
}

TEST(CurlCommand, RedactsSecretsInTheBodyAndQueryButKeepsPageTokens) {
  Request request{.method = "PATCH",
                  .url = "/v1/x?api_key=SECRET1&pageToken=keep",
                  .headers = {{"Content-Length", "10"}, {"Host", "h"}},
                  .body = R"({"wandbConfig":{"apiKey":"SECRET2"},"pageToken":"keep"})"};
  std::string command = CurlCommand(request, {.base_url = "http://localhost:8080"});
  EXPECT_THAT(command, Not(HasSubstr("SECRET")));
  EXPECT_THAT(command, HasSubstr("-X 'PATCH'"));
  EXPECT_THAT(command, HasSubstr("pageToken=keep"));
  EXPECT_THAT(command, HasSubstr(R"("pageToken":"keep")"));
  EXPECT_THAT(command, Not(HasSubstr("Content-Length")));
  EXPECT_THAT(command, Not(HasSubstr("Host:")));
}

// What a browser export (Chromium over HTTP/2, recorded by DevTools or Playwright) holds and a
// pasted command must not repeat: pseudo-headers curl would send as malformed lines, the
// connection's own headers, and an Accept-Encoding that would print compressed bytes.
TEST(CurlCommand, ABrowserRequestBecomesACommandThatWorks) {
  Request request{.method = "GET",
                  .url = "https://api.fireworks.ai/v1/accounts/acme/dpoJobs?pageSize=2",
                  .headers = {{":authority", "api.fireworks.ai"},
                              {":method", "GET"},
                              {":path", "/v1/accounts/acme/dpoJobs?pageSize=2"},
                              {":scheme", "https"},
                              {"Accept-Encoding", "gzip, deflate, br, zstd"},
                              {"Connection", "keep-alive"},
                              {"Keep-Alive", "timeout=5"},
                              {"Upgrade", "h2c"},
                              {"Host", "api.fireworks.ai"},
                              {"accept", "application/json"},
                              {"Sec-Fetch-Mode", "cors"}}};
  EXPECT_EQ(CurlCommand(request),
            "curl -sS 'https://api.fireworks.ai/v1/accounts/acme/dpoJobs?pageSize=2' --compressed "
            "-H 'accept: application/json' -H 'Sec-Fetch-Mode: cors'");
}

TEST(CurlCommand, AnAcceptEncodingOfIdentityOnlyIsKept) {
  for (const char* identity : {"identity", "identity;q=1, gzipx"}) {
    Request request{
        .method = "GET", .url = "https://x.io/v1/a", .headers = {{"accept-encoding", identity}}};
    EXPECT_EQ(CurlCommand(request),
              "curl -sS 'https://x.io/v1/a' -H 'accept-encoding: " + std::string(identity) + "'");
  }
  for (const char* compressed : {"gzip", "br;q=1.0, identity;q=0.5", "*", "identity,deflate"}) {
    Request request{
        .method = "GET", .url = "https://x.io/v1/a", .headers = {{"Accept-Encoding", compressed}}};
    EXPECT_EQ(CurlCommand(request), "curl -sS 'https://x.io/v1/a' --compressed") << compressed;
  }
}

TEST(CurlCommand, MethodFlagsFollowCurlDefaults) {
  EXPECT_THAT(CurlCommand({.method = "POST", .url = "https://h/x", .body = "{}"}),
              Not(HasSubstr("-X")));
  EXPECT_THAT(CurlCommand({.method = "POST", .url = "https://h/x"}), HasSubstr("-X 'POST'"));
  EXPECT_THAT(CurlCommand({.method = "GET", .url = "https://h/x", .body = "{}"}),
              HasSubstr("-X 'GET'"));
  EXPECT_THAT(CurlCommand({.method = "HEAD", .url = "https://h/x"}), HasSubstr("--head"));
}

TEST(CurlCommand, MultiLineLayoutAndBinaryBodies) {
  Request request{.method = "POST",
                  .url = "https://h/x",
                  .headers = {{"Accept", "*/*"}},
                  .body = std::string("a\0b", 3)};
  std::string command = CurlCommand(request, {.layout = CurlLayout::kMultiLine});
  EXPECT_EQ(command,
            "curl -sS \\\n  'https://h/x' \\\n  -H 'Accept: */*' \\\n  --data-binary @body.bin\n"
            "# body.bin: the 3-byte binary request body (not shown)");
}

}  // namespace
}  // namespace curl_test
}  // namespace conform::traffic
