#include "traffic/redact.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace conform::traffic {
namespace redact_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

TEST(IsSecretHeader, KnowsCredentialHeadersButNotPageTokens) {
  for (const char* name : {"Authorization", "proxy-authorization", "Cookie", "Set-Cookie",
                           "X-Api-Key", "x-goog-api-key", "X-Auth-Token", "X-Amz-Security-Token",
                           "X-Client-Secret", "X-Session-Id"}) {
    EXPECT_TRUE(IsSecretHeader(name)) << name;
  }
  for (const char* name : {"Content-Type", "Accept", "X-Page-Token", "X-RateLimit-Remaining-Tokens",
                           "WWW-Authenticate", "Retry-After"}) {
    EXPECT_FALSE(IsSecretHeader(name)) << name;
  }
  EXPECT_TRUE(IsSecretHeader("x-tenant", RedactionRules{.headers = {"X-Tenant"}}));
}

TEST(IsSecretJsonKey, KnowsSecretKeysButNotPageTokens) {
  for (const char* key : {"apiKey", "api_key", "APIKEY", "password", "secret", "clientSecret",
                          "client_secret", "accessToken", "access_token", "refreshToken",
                          "privateKey", "hfToken", "wandbApiKey", "token", "credentials"}) {
    EXPECT_TRUE(IsSecretJsonKey(key)) << key;
  }
  for (const char* key :
       {"pageToken", "nextPageToken", "page_token", "next_page_token", "prevPageToken", "eosToken",
        "maxTokens", "name", "secretName", "keyId", "state"}) {
    EXPECT_FALSE(IsSecretJsonKey(key)) << key;
  }
  EXPECT_TRUE(IsSecretJsonKey("project", RedactionRules{.json_keys = {"project"}}));
  EXPECT_FALSE(IsSecretJsonKey("pageToken", RedactionRules{.json_keys = {"pageToken"}}));
}

TEST(RedactJson, ReplacesSecretsAtAnyDepthAndKeepsPageTokens) {
  Json json = Json::parse(R"({
    "dpoJobs": [{"name": "j1", "wandbConfig": {"enabled": true, "apiKey": "wandb-SECRET"}},
                {"name": "j2", "wandbConfig": {"apiKey": null, "api_key": ""}}],
    "credentials": {"user": "u", "pass": "p"},
    "nextPageToken": "tok-SECRET-LOOKING"})");
  EXPECT_EQ(RedactJson(json), 2u);
  EXPECT_EQ(json["dpoJobs"][0]["wandbConfig"]["apiKey"], "[REDACTED]");
  EXPECT_EQ(json["dpoJobs"][0]["wandbConfig"]["enabled"], true);
  EXPECT_TRUE(json["dpoJobs"][1]["wandbConfig"]["apiKey"].is_null());
  EXPECT_EQ(json["dpoJobs"][1]["wandbConfig"]["api_key"], "");
  EXPECT_EQ(json["credentials"], "[REDACTED]");
  EXPECT_EQ(json["nextPageToken"], "tok-SECRET-LOOKING");
}

TEST(RedactJson, HandlesDeepDocumentsWithoutRecursion) {
  Json json = Json::object({{"apiKey", "SECRET"}});
  for (int i = 0; i < 100'000; ++i) {
    json = Json::array({std::move(json)});
  }
  EXPECT_EQ(RedactJson(json), 1u);
}

TEST(RedactBody, SecretBytesNeverSurvive) {
  std::string body =
      R"({"displayName":"run","wandbConfig":{"apiKey":"wandb-SECRET-123"},"pageToken":"p+1"})";
  std::string redacted = RedactBody(body);
  EXPECT_THAT(redacted, Not(HasSubstr("wandb-SECRET-123")));
  EXPECT_THAT(redacted, HasSubstr(R"("apiKey":"[REDACTED]")"));
  EXPECT_THAT(redacted, HasSubstr(R"("pageToken":"p+1")"));
}

TEST(RedactBody, LeavesOtherBodiesByteForByte) {
  std::string no_secret = R"({ "b": 1.50,   "nextPageToken": "x" })";
  EXPECT_EQ(RedactBody(no_secret), no_secret);
  EXPECT_EQ(RedactBody("apiKey=SECRET"), "apiKey=SECRET");  // not JSON
  EXPECT_EQ(RedactBody(R"({"apiKey": "SECR)"), R"({"apiKey": "SECR)");
  EXPECT_EQ(RedactBody(""), "");
}

TEST(RedactBody, TooDeepToInspectIsRedactedWhole) {
  std::string deep = std::string(600, '[') + R"({"apiKey":"SECRET"})" + std::string(600, ']');
  EXPECT_EQ(RedactBody(deep), "[REDACTED]");
}

TEST(RedactHeaders, KeepsTheSchemeWordOnly) {
  Headers headers = {{"Authorization", "Bearer fw_SECRET"},
                     {"Cookie", "session=SECRET; theme=dark"},
                     {"X-Api-Key", "SECRET"},
                     {"Accept", "application/json"}};
  EXPECT_EQ(RedactHeaders(headers), (Headers{{"Authorization", "Bearer [REDACTED]"},
                                             {"Cookie", "[REDACTED]"},
                                             {"X-Api-Key", "[REDACTED]"},
                                             {"Accept", "application/json"}}));
}

TEST(RedactUrl, RedactsSecretParametersAndUserinfoOnly) {
  EXPECT_EQ(RedactUrl("https://u:SECRET@h/v1/x?pageToken=a%2Bb+c&api_key=SECRET&key=K#frag"),
            "https://REDACTED@h/v1/x?pageToken=a%2Bb+c&api_key=%5BREDACTED%5D&key=%5BREDACTED%5D"
            "#frag");
  EXPECT_EQ(RedactUrl("/v1/x?filter=a%3Db&pageSize=5"), "/v1/x?filter=a%3Db&pageSize=5");
  EXPECT_EQ(RedactUrl("/v1/x"), "/v1/x");
}

TEST(RedactUrl, RedactsTheSignatureAndCredentialOfSignedUrls) {
  std::string url = RedactUrl(
      "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIA123%2F2024&"
      "X-Amz-Signature=deadbeef&X-Goog-Signature=cafe&X-Goog-Credential=sa%40p");
  EXPECT_EQ(url.find("AKIA123"), std::string::npos);
  EXPECT_EQ(url.find("deadbeef"), std::string::npos);
  EXPECT_EQ(url.find("cafe"), std::string::npos);
  EXPECT_EQ(url.find("sa%40p"), std::string::npos);
  EXPECT_NE(url.find("X-Amz-Algorithm=AWS4"), std::string::npos);
}

TEST(RedactExchange, SecretsNeverAppearAnywhere) {
  Exchange exchange;
  exchange.request = {.method = "POST",
                      .url = "https://api.fireworks.ai/v1/x?access_token=SECRET1&pageToken=keep",
                      .headers = {{"Authorization", "Bearer SECRET2"}},
                      .body = R"({"wandbConfig":{"apiKey":"SECRET3"}})"};
  exchange.response = {.status = 200,
                       .headers = {{"Set-Cookie", "sid=SECRET4"}},
                       .body = R"({"clientSecret":"SECRET5","nextPageToken":"keep"})"};
  Exchange redacted = RedactExchange(exchange);
  std::string all = redacted.request.url + redacted.request.body + redacted.response.body;
  for (const Header& header : redacted.request.headers) {
    all += header.value;
  }
  for (const Header& header : redacted.response.headers) {
    all += header.value;
  }
  EXPECT_THAT(all, Not(HasSubstr("SECRET")));
  EXPECT_THAT(redacted.request.url, HasSubstr("pageToken=keep"));
  EXPECT_THAT(redacted.response.body, HasSubstr(R"("nextPageToken":"keep")"));

  Exchange form;
  form.request = {.method = "POST",
                  .url = "/token",
                  .headers = {{"Content-Type", "application/x-www-form-urlencoded"}},
                  .body = "grant_type=client_credentials&client_secret=SECRET6"};
  EXPECT_EQ(RedactExchange(form).request.body,
            "grant_type=client_credentials&client_secret=%5BREDACTED%5D");
}

}  // namespace
}  // namespace redact_test
}  // namespace conform::traffic

namespace conform::traffic {
namespace redact_test {
namespace {

TEST(RedactByValue, ARequestsSecretsAreFoundInItsHeadersCookiesAndQuery) {
  Request request{.method = "GET",
                  .url = "https://x.test/v1/a?pageToken=page-token-1&api_key=query%2Bkey1#frag",
                  .headers = {{"Authorization", "Bearer bearer-key-1"},
                              {"Cookie", "theme=dark; session=cookie-value-1"},
                              {"Accept", "application/json"}}};
  std::vector<std::string> values = RequestSecretValues(request);
  EXPECT_THAT(values, ::testing::IsSupersetOf({std::string("Bearer bearer-key-1"), std::string("bearer-key-1"),
                                               std::string("cookie-value-1"), std::string("query+key1")}));
  EXPECT_THAT(values, Not(::testing::Contains(std::string("page-token-1"))));
  EXPECT_THAT(values, Not(::testing::Contains(std::string("application/json"))));
}

TEST(RedactByValue, FormsSkipShortValuesAndScrubLongestFirst) {
  std::vector<std::string> forms = SecretValueForms({"short", "key/with+chars", "Bearer key/with+chars"});
  EXPECT_THAT(forms, ::testing::UnorderedElementsAre("Bearer key/with+chars", "Bearer%20key%2Fwith%2Bchars",
                                                     "key/with+chars", "key%2Fwith%2Bchars"));
  EXPECT_TRUE(std::is_sorted(forms.begin(), forms.end(), [](const std::string& a, const std::string& b) {
    return a.size() > b.size();
  }));
  EXPECT_THAT(forms, Not(::testing::Contains(std::string("short"))));
  std::string text = "auth Bearer key/with+chars; echo key/with+chars; url ?k=key%2Fwith%2Bchars; short";
  ScrubSecretValues(text, forms);
  EXPECT_EQ(text, "auth [REDACTED]; echo [REDACTED]; url ?k=[REDACTED]; short");
}

}  // namespace
}  // namespace redact_test
}  // namespace conform::traffic
