// Redactor: the built-in secret names in both directions, the --redact-header and
// --redact-json-path rules, page tokens that always survive, and bytes that stay as they are.
#include "recorder/redactor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/result_matchers.h"
#include "traffic/redact.h"

namespace conform::recorder {
namespace redactor_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Redactor Make(RedactionOptions options = {}) {
  auto redactor = Redactor::Create(options);
  EXPECT_THAT(redactor, IsOk());
  return std::move(*redactor);
}

nlohmann::json Parse(const std::string& text) { return nlohmann::json::parse(text); }

TEST(Redactor, SecretHeadersAreRedactedInBothDirections) {
  traffic::Exchange exchange;
  exchange.request.headers = {{"Authorization", "Bearer sk-live-123"},
                              {"Proxy-Authorization", "Basic dXNlcjpwdw=="},
                              {"Cookie", "session=abc"},
                              {"X-Api-Key", "key-456"},
                              {"X-Trace", "trace-789"},
                              {"Accept", "application/json"}};
  exchange.response.headers = {{"Set-Cookie", "session=def; HttpOnly"},
                               {"Content-Type", "application/json"}};
  traffic::Exchange safe = Make({.headers = {"x-trace"}}).Apply(exchange);
  EXPECT_EQ(traffic::FindHeader(safe.request.headers, "authorization"), "Bearer [REDACTED]");
  EXPECT_EQ(traffic::FindHeader(safe.request.headers, "proxy-authorization"), "Basic [REDACTED]");
  EXPECT_EQ(traffic::FindHeader(safe.request.headers, "cookie"), "[REDACTED]");
  EXPECT_EQ(traffic::FindHeader(safe.request.headers, "x-api-key"), "[REDACTED]");
  EXPECT_EQ(traffic::FindHeader(safe.request.headers, "x-trace"), "[REDACTED]");
  EXPECT_EQ(traffic::FindHeader(safe.request.headers, "accept"), "application/json");
  EXPECT_EQ(traffic::FindHeader(safe.response.headers, "set-cookie"), "[REDACTED]");
}

TEST(Redactor, SecretMembersAreRedactedAtAnyDepthInBothBodies) {
  traffic::Exchange exchange;
  exchange.request.body = R"({"password":"hunter2","nested":{"clientSecret":"cs-1"}})";
  exchange.response.body =
      R"({"dpoJobs":[{"name":"a","wandbConfig":{"apiKey":"wb-1","project":"p"}},)"
      R"({"name":"b","wandbConfig":{"api_key":"wb-2"},"secret":{"deep":[1,2]}}],)"
      R"("nextPageToken":"tok+/=="})";
  traffic::Exchange safe = Make().Apply(exchange);
  EXPECT_EQ(Parse(safe.request.body),
            Parse(R"({"password":"[REDACTED]","nested":{"clientSecret":"[REDACTED]"}})"));
  nlohmann::json body = Parse(safe.response.body);
  EXPECT_EQ(body["dpoJobs"][0]["wandbConfig"]["apiKey"], "[REDACTED]");
  EXPECT_EQ(body["dpoJobs"][0]["wandbConfig"]["project"], "p");
  EXPECT_EQ(body["dpoJobs"][1]["wandbConfig"]["api_key"], "[REDACTED]");
  EXPECT_EQ(body["dpoJobs"][1]["secret"], "[REDACTED]");
  EXPECT_EQ(body["nextPageToken"], "tok+/==");
}

TEST(Redactor, OtherBytesOfTheBodyAreKept) {
  std::string body = "{\n  \"a\": 1.50,\n  \"apiKey\" : \"k\",\n  \"b\": \"\\u00e9\"\n}";
  EXPECT_EQ(Make().Body(body),
            "{\n  \"a\": 1.50,\n  \"apiKey\" : \"[REDACTED]\",\n  \"b\": \"\\u00e9\"\n}");
  std::string clean = R"({ "name" : "x" ,"n":[1, 2]})";
  EXPECT_EQ(Make().Body(clean), clean);
}

TEST(Redactor, NullAndEmptyValuesHoldNothingAndStay) {
  EXPECT_EQ(Make().Body(R"({"apiKey":null,"password":""})"), R"({"apiKey":null,"password":""})");
}

TEST(Redactor, EscapedMemberNamesAreRecognised) {
  EXPECT_EQ(Parse(Make().Body(R"({"api\u004bey":"k"})")), Parse(R"({"apiKey":"[REDACTED]"})"));
}

TEST(Redactor, PageTokensAlwaysSurvive) {
  std::string body = R"({"pageToken":"a","nextPageToken":"b","page_token":"c"})";
  EXPECT_EQ(Make({.json_paths = {"nextPageToken", "$.pageToken", "*"}}).Body(body), body);
  EXPECT_EQ(Make().Url("/v1/x?pageToken=abc%2B&api_key=k"),
            "/v1/x?pageToken=abc%2B&api_key=%5BREDACTED%5D");
}

TEST(Redactor, PathRulesSelectValuesFromTheRoot) {
  std::string body =
      R"({"dpoJobs":[{"trainingConfig":{"baseModel":"m1","epochs":2}},)"
      R"({"trainingConfig":{"baseModel":"m2"}}],"trainingConfig":{"baseModel":"top"}})";
  nlohmann::json safe =
      Parse(Make({.json_paths = {"dpoJobs.*.trainingConfig.baseModel"}}).Body(body));
  EXPECT_EQ(safe["dpoJobs"][0]["trainingConfig"]["baseModel"], "[REDACTED]");
  EXPECT_EQ(safe["dpoJobs"][0]["trainingConfig"]["epochs"], 2);
  EXPECT_EQ(safe["dpoJobs"][1]["trainingConfig"]["baseModel"], "[REDACTED]");
  EXPECT_EQ(safe["trainingConfig"]["baseModel"], "top");  // not under dpoJobs

  nlohmann::json brackets = Parse(Make({.json_paths = {"dpoJobs[1].trainingConfig"}}).Body(body));
  EXPECT_EQ(brackets["dpoJobs"][0]["trainingConfig"]["baseModel"], "m1");
  EXPECT_EQ(brackets["dpoJobs"][1]["trainingConfig"], "[REDACTED]");

  nlohmann::json elements = Parse(Make({.json_paths = {"tags.*"}}).Body(R"({"tags":["a",1]})"));
  EXPECT_EQ(elements, Parse(R"({"tags":["[REDACTED]","[REDACTED]"]})"));
}

TEST(Redactor, PlainNamesAreSecretAtAnyDepthAndInQueries) {
  Redactor redactor = Make({.json_paths = {"baseModel"}});
  EXPECT_EQ(Parse(redactor.Body(R"({"a":[{"base_model":"m"}],"baseModel":"n"})")),
            Parse(R"({"a":[{"base_model":"[REDACTED]"}],"baseModel":"[REDACTED]"})"));
  EXPECT_EQ(redactor.Url("/v1/x?baseModel=m&pageSize=5"),
            "/v1/x?baseModel=%5BREDACTED%5D&pageSize=5");
}

TEST(Redactor, QueryStringSecretsAndUserinfoAreRedacted) {
  traffic::Exchange exchange;
  exchange.request.url = "https://user:pw@api.example.com/v1/x?key=k1&api_key=k2&pageSize=5";
  traffic::Exchange safe = Make().Apply(exchange);
  EXPECT_THAT(safe.request.url, Not(HasSubstr("k1")));
  EXPECT_THAT(safe.request.url, Not(HasSubstr("k2")));
  EXPECT_THAT(safe.request.url, Not(HasSubstr("pw")));
  EXPECT_THAT(safe.request.url, HasSubstr("pageSize=5"));
}

TEST(Redactor, UrlsInLocationHeadersAreRedactedLikeTheRequestUrl) {
  traffic::Exchange exchange;
  exchange.request.headers = {{"Referer", "https://app.example.com/p?token=ref-1&x=1"}};
  exchange.response.status = 302;
  exchange.response.headers = {{"Location", "http://h/x?api_key=loc-1&pageToken=keep-1&n=2"},
                               {"content-location", "https://user:loc-2@h/y"},
                               {"LOCATION", "//user:loc-3@h/z?sig=loc-4"},
                               {"Location", "/cb#access_token=loc-5&state=s1"},
                               {"X-Other", "http://h/x?api_key=not-a-url-header"}};
  traffic::Exchange safe = Make().Apply(exchange);
  for (const std::string secret : {"loc-1", "loc-2", "loc-3", "loc-4", "loc-5", "ref-1"}) {
    for (const traffic::Header& header : safe.response.headers) {
      if (header.name != "X-Other") {
        EXPECT_THAT(header.value, Not(HasSubstr(secret))) << header.name;
      }
    }
    EXPECT_THAT(safe.request.headers[0].value, Not(HasSubstr(secret)));
  }
  EXPECT_EQ(safe.response.headers[0].value,
            "http://h/x?api_key=%5BREDACTED%5D&pageToken=keep-1&n=2");
  EXPECT_EQ(safe.response.headers[1].value, "https://REDACTED@h/y");
  EXPECT_EQ(safe.response.headers[2].value, "//REDACTED@h/z?sig=%5BREDACTED%5D");
  EXPECT_EQ(safe.response.headers[3].value, "/cb#access_token=%5BREDACTED%5D&state=s1");
  EXPECT_EQ(safe.request.headers[0].value, "https://app.example.com/p?token=%5BREDACTED%5D&x=1");
}

TEST(Redactor, FormBodiesAreRedactedByParameterName) {
  traffic::Exchange exchange;
  exchange.request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  exchange.request.body = "user=a&password=p1&client_secret=s1";
  traffic::Exchange safe = Make().Apply(exchange);
  EXPECT_THAT(safe.request.body, HasSubstr("user=a"));
  EXPECT_THAT(safe.request.body, Not(HasSubstr("p1")));
  EXPECT_THAT(safe.request.body, Not(HasSubstr("s1")));
}

TEST(Redactor, TextThatIsNotJsonIsKept) {
  EXPECT_EQ(Make().Body("apiKey=k plain text"), "apiKey=k plain text");
  EXPECT_EQ(Make().Body(""), "");
}

TEST(Redactor, JsonAfterAPrefixIsRedactedAndThePrefixKept) {
  // A BOM, XSSI guards and a JSONP callback used to hide the whole body from the scanner.
  const std::vector<std::string> prefixes = {"\xEF\xBB\xBF", ")]}'\n", "while(1);",
                                             "for(;;);",     "cb(",    " \xEF\xBB\xBF"};
  for (const std::string& prefix : prefixes) {
    std::string body = prefix + R"({"apiKey":"sk-prefixed","list":[{"password":"pw-1"}]})";
    std::string redacted = Make().Body(body);
    EXPECT_THAT(redacted, Not(HasSubstr("sk-prefixed"))) << prefix;
    EXPECT_THAT(redacted, Not(HasSubstr("pw-1"))) << prefix;
    EXPECT_TRUE(redacted.starts_with(prefix)) << prefix;
    EXPECT_EQ(Parse(redacted.substr(prefix.size())),
              Parse(R"({"apiKey":"[REDACTED]","list":[{"password":"[REDACTED]"}]})"));
  }
  EXPECT_EQ(Make().Body(")]}'\n[{\"token\":\"t-1\"}]"), ")]}'\n[{\"token\":\"[REDACTED]\"}]");
  // Both directions go through it.
  traffic::Exchange exchange;
  exchange.request.body = "\xEF\xBB\xBF{\"clientSecret\":\"cs-req\"}";
  exchange.response.body = ")]}'\n{\"accessToken\":\"at-resp\"}";
  traffic::Exchange safe = Make().Apply(exchange);
  EXPECT_THAT(safe.request.body, Not(HasSubstr("cs-req")));
  EXPECT_THAT(safe.response.body, Not(HasSubstr("at-resp")));
  // Without a bracket there is nothing to scan.
  EXPECT_EQ(Make().Body(")]}'\nplain"), ")]}'\nplain");
}

TEST(Redactor, BrokenJsonStillLosesItsSecrets) {
  // traffic::RedactBody keeps unparseable text; a torn upstream body must not leak either.
  EXPECT_THAT(Make().Body(R"({"apiKey":"sk-9","name":"x")"), Not(HasSubstr("sk-9")));
}

TEST(Redactor, TooDeepJsonIsRedactedWhole) {
  std::string deep(600, '[');
  deep += std::string(600, ']');
  EXPECT_EQ(Make().Body(deep), std::string(traffic::kRedacted));
}

TEST(Redactor, BadRulesAreRejected) {
  EXPECT_THAT(Redactor::Create({.json_paths = {"a..b"}}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("empty segment")));
  EXPECT_THAT(Redactor::Create({.json_paths = {"a."}}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("empty segment")));
  EXPECT_THAT(Redactor::Create({.json_paths = {"a[0"}}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("unclosed")));
  EXPECT_THAT(Redactor::Create({.json_paths = {""}}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(Redactor::Create({.headers = {""}}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("empty")));
}

}  // namespace
}  // namespace redactor_test
}  // namespace conform::recorder
