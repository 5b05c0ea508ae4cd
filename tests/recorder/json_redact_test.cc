// The one-pass JSON redaction (recorder/internal/json_redact.h): the cases where its block
// scanner reads 64 bytes at a time and must still find every member name, and the text it
// hands to the reference scanner.
#include "recorder/internal/json_redact.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace conform::recorder::internal {
namespace json_redact_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Redact(const std::string& text, const JsonRedactRules& rules = {}) {
  return RedactJsonText(text, rules).value_or(text);
}

// `prefix` bytes of filler member first, so that what follows starts at a chosen offset.
std::string Padded(size_t prefix, const std::string& members) {
  std::string filler = R"({"pad":")" + std::string(prefix, 'p') + R"(",)";
  return filler + members + "}";
}

TEST(JsonRedact, NamesAndValuesAcrossEveryBlockBoundaryAreFound) {
  for (size_t prefix = 0; prefix < 130; ++prefix) {
    std::string text = Padded(prefix, R"("apiKey" :  "sk-edge", "after":1)");
    std::string redacted = Redact(text);
    EXPECT_THAT(redacted, Not(HasSubstr("sk-edge"))) << "prefix " << prefix;
    EXPECT_EQ(redacted, RedactJsonTextReference(text, {}).value_or(text)) << "prefix " << prefix;
  }
}

TEST(JsonRedact, SpacesBetweenANameAndItsColonMayCrossABlock) {
  for (size_t spaces = 1; spaces < 140; spaces += 7) {
    std::string text = R"({"password")" + std::string(spaces, ' ') + R"(: "pw-1", "n": 2})";
    EXPECT_THAT(Redact(text), Not(HasSubstr("pw-1"))) << spaces << " spaces";
  }
}

TEST(JsonRedact, EscapedNamesAreDecodedBeforeTheyAreCompared) {
  for (size_t prefix = 0; prefix < 70; prefix += 5) {
    EXPECT_THAT(Redact(Padded(prefix, R"("api\u004bey":"sk-u","x\"y":"keep")")),
                Not(HasSubstr("sk-u")));
    EXPECT_THAT(Redact(Padded(prefix, R"("pass\u0077ord":"pw-u")")), Not(HasSubstr("pw-u")));
  }
}

TEST(JsonRedact, ColonsAndBracketsInsideStringsAreText) {
  std::string text =
      R"({"url":"https://h:1/a","t":"{\"apiKey\": \"not-a-member\"} ]]]","apiKey":"sk-3"})";
  std::string redacted = Redact(text);
  EXPECT_THAT(redacted, HasSubstr(R"(\"apiKey\": \"not-a-member\")"));
  EXPECT_THAT(redacted, Not(HasSubstr("sk-3")));
  EXPECT_EQ(redacted, RedactJsonTextReference(text, {}).value_or(text));
}

TEST(JsonRedact, EscapedQuotesAndBackslashesDoNotEndStrings) {
  for (size_t prefix = 0; prefix < 70; ++prefix) {
    std::string text = Padded(prefix, R"("a":""","b":"\","c":"\"x","apiKey":"sk-q")");
    EXPECT_THAT(Redact(text), Not(HasSubstr("sk-q"))) << "prefix " << prefix;
    EXPECT_EQ(Redact(text), RedactJsonTextReference(text, {}).value_or(text)) << prefix;
  }
}

TEST(JsonRedact, ALargeSecretValueIsSkippedWholeAndLaterSecretsStillFound) {
  std::string big = R"({"inner":[)";
  for (int i = 0; i < 40; ++i) {
    big += R"({"k":"v:{[" },)";
  }
  big += R"(1],"apiKey":"nested-secret"})";
  std::string text = R"({"secret":)" + big + R"(,"list":[{"token":"t-after"}]})";
  std::string redacted = Redact(text);
  EXPECT_EQ(redacted, R"({"secret":"[REDACTED]","list":[{"token":"[REDACTED]"}]})");
}

TEST(JsonRedact, ABackslashOutsideStringsIsLeftToTheReferenceScanner) {
  std::string text = R"(\{"apiKey":"sk-bs"} \ {"password":"pw-bs"})";
  std::string redacted = Redact(text);
  EXPECT_THAT(redacted, Not(HasSubstr("sk-bs")));
  EXPECT_THAT(redacted, Not(HasSubstr("pw-bs")));
  EXPECT_EQ(redacted, RedactJsonTextReference(text, {}).value_or(text));
}

TEST(JsonRedact, DepthIsCountedAcrossBlocksWithOrWithoutSecrets) {
  JsonRedactRules rules{.max_depth = 40};
  std::string ok = std::string(39, '[') + R"({"n":1})" + std::string(39, ']');  // 40 levels
  EXPECT_EQ(Redact(ok, rules), ok);
  std::string deep = std::string(40, '[') + R"({"n":1})" + std::string(40, ']');
  EXPECT_EQ(Redact(deep, rules), "[REDACTED]");
  // Closing brackets without openers do not take the count below zero.
  std::string unbalanced = "]]]]" + deep;
  EXPECT_EQ(Redact(unbalanced, rules), RedactJsonTextReference(unbalanced, rules));
  // A secret value reaching too deep is found too deep by both scanners.
  std::string secret = R"({"apiKey":)" + std::string(45, '[') + std::string(45, ']') + "}";
  EXPECT_EQ(Redact(secret, rules), "[REDACTED]");
  EXPECT_EQ(RedactJsonTextReference(secret, rules), "[REDACTED]");
}

TEST(JsonRedact, ExtraNamesAreSecretInTheBlockScanner) {
  JsonRedactRules rules;
  rules.key_rules.json_keys = {"displayName"};
  std::string text = Padded(60, R"("display_name":"Alice","dataset":"d")");
  EXPECT_EQ(Redact(text, rules), Padded(60, R"("display_name":"[REDACTED]","dataset":"d")"));
}

TEST(JsonRedact, NothingSecretMeansNoCopy) {
  EXPECT_EQ(RedactJsonText(Padded(100, R"("name":"n","state":"JOB_STATE_RUNNING")"), {}),
            std::nullopt);
  EXPECT_EQ(RedactJsonText(R"({"apiKey":null,"password":""})", {}), std::nullopt);
}

}  // namespace
}  // namespace json_redact_test
}  // namespace conform::recorder::internal
