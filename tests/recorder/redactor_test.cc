// Redactor: the built-in secret names in both directions, the --redact-header and
// --redact-json-path rules, page tokens that always survive, and bytes that stay as they are.
#include "recorder/redactor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/result_matchers.h"
#include "traffic/redact.h"

namespace conform::recorder {
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
}  // namespace conform::recorder
