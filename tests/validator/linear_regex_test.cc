// The linear-time pattern engine: ECMA-262 syntax as JSON Schema uses it, what it refuses, and
// patterns that make a backtracking engine take exponential time.
#include "validator/internal/linear_regex.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace conform::validator::internal {
namespace linear_regex_test {
namespace {

using ::testing::HasSubstr;

bool Search(const std::string& pattern, const std::string& text) {
  auto regex = LinearRegex::Compile(pattern);
  EXPECT_TRUE(regex.ok()) << pattern << ": " << regex.error().message;
  return regex.ok() && regex->Search(text);
}

TEST(LinearRegex, SearchesAnywhereUnlessAnchored) {
  EXPECT_TRUE(Search("b", "abc"));
  EXPECT_FALSE(Search("^b", "abc"));
  EXPECT_TRUE(Search("c$", "abc"));
  EXPECT_FALSE(Search("b$", "abc"));
  EXPECT_TRUE(Search("", ""));
  EXPECT_TRUE(Search("^$", ""));
  EXPECT_FALSE(Search("^$", "a"));
}

TEST(LinearRegex, QuantifiersAlternationAndGroups) {
  EXPECT_TRUE(Search("^accounts/[a-z0-9-]+/dpoJobs/[a-z0-9-]{1,63}$", "accounts/acme/dpoJobs/job-7"));
  EXPECT_FALSE(Search("^accounts/[a-z0-9-]+/dpoJobs/[a-z0-9-]{1,63}$", "accounts/acme/dpoJobs/"));
  EXPECT_TRUE(Search("^(ab|cd)*e?$", "abcdab"));
  EXPECT_FALSE(Search("^(ab|cd)*e?$", "abc"));
  EXPECT_TRUE(Search("^a{2}$", "aa"));
  EXPECT_FALSE(Search("^a{2}$", "aaa"));
  EXPECT_TRUE(Search("^a{2,}$", "aaaa"));
  EXPECT_TRUE(Search("^a{2,3}?$", "aaa"));
  EXPECT_FALSE(Search("^a{2,3}$", "aaaa"));
  EXPECT_TRUE(Search("^(?:x|y)+(?<tail>z)$", "xyxz"));
  EXPECT_TRUE(Search("^a{,2}$", "a{,2}"));  // not a quantifier: literal, as ECMA-262 Annex B reads it
  EXPECT_TRUE(Search("^(a*)*b$", "aaab"));
}

TEST(LinearRegex, ClassesEscapesAndBoundaries) {
  EXPECT_TRUE(Search("^[^a-c]$", "d"));
  EXPECT_FALSE(Search("^[^a-c]$", "b"));
  EXPECT_TRUE(Search("^[\\d-x]+$", "1-x"));
  EXPECT_TRUE(Search("^[a-]+$", "a-"));
  EXPECT_TRUE(Search("^\\d+\\.\\d+$", "3.14"));
  EXPECT_FALSE(Search("^\\d+\\.\\d+$", "3x14"));
  EXPECT_TRUE(Search("^\\w+\\s\\S+$", "hello wörld"));
  EXPECT_TRUE(Search("\\bcat\\b", "a cat sat"));
  EXPECT_FALSE(Search("\\bcat\\b", "concat"));
  EXPECT_TRUE(Search("\\Bcat", "concat"));
  EXPECT_TRUE(Search("^\\x41\\u00e9\\t$", "A\u00e9\t"));
  EXPECT_TRUE(Search("^\\/\\-\\[\\]$", "/-[]"));
  EXPECT_TRUE(Search("^[\\b]$", "\b"));
}

TEST(LinearRegex, DotIsOneCharacterOfAnyLength) {
  EXPECT_TRUE(Search("^.{3}$", "h\u00e9\U0001F600"));  // 1, 2 and 4 bytes of UTF-8
  EXPECT_FALSE(Search("^.$", "\n"));
  EXPECT_TRUE(Search("^.$", "\xff"));  // a byte that is not UTF-8 is one character
  EXPECT_FALSE(Search("^[a-z]$", "\xff"));
}

TEST(LinearRegex, BacktrackingFeaturesAreRefusedNotMisread) {
  for (const char* pattern : {"(a)\\1", "(?=a)a", "(?!a)b", "(?<=a)b", "(?<!a)b", "\\k<x>", "\\p{L}"}) {
    auto regex = LinearRegex::Compile(pattern);
    ASSERT_FALSE(regex.ok()) << pattern;
    EXPECT_EQ(regex.error().code, ErrorCode::kUnimplemented) << pattern;
  }
  auto huge = LinearRegex::Compile("(a{1000}){1000}");
  ASSERT_FALSE(huge.ok());
  EXPECT_THAT(huge.error().message, HasSubstr("expand past"));
  for (const char* pattern : {"(", "a)", "[a", "*a", "a{3,1}", "x\\"}) {
    auto regex = LinearRegex::Compile(pattern);
    ASSERT_FALSE(regex.ok()) << pattern;
    EXPECT_EQ(regex.error().code, ErrorCode::kInvalidArgument) << pattern;
  }
}

TEST(LinearRegex, PatternsThatBacktrackExponentiallyTakeLinearTime) {
  // std::regex took 37 s on the first with 31 characters, and never finished the others.
  const std::string token = std::string(30, 'a') + "!";
  const std::string long_text = std::string(20'000, 'a') + "!";
  auto started = std::chrono::steady_clock::now();
  for (const char* pattern : {"^([a-zA-Z0-9]+[-_]?)*$", "^(a|aa)+$", "^(a+)+$", "^(a|a?)+b$", "(.*a){20}x"}) {
    EXPECT_FALSE(Search(pattern, token)) << pattern;
    EXPECT_FALSE(Search(pattern, long_text)) << pattern;
  }
  // Generous: the work is linear, a few million steps; this is not a benchmark.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
}

}  // namespace
}  // namespace linear_regex_test
}  // namespace conform::validator::internal
