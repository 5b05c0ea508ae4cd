#include "aip/filter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/aip/test_catalogs.h"
#include "tests/support/result_matchers.h"

namespace conform::aip {
namespace filter_test {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

struct MatchCase {
  std::string name;
  std::string filter;
  bool matches;
};

std::string CaseName(const ::testing::TestParamInfo<MatchCase>& info) { return info.param.name; }

class FilterDpoJobMatchTest : public ::testing::TestWithParam<MatchCase> {};

TEST_P(FilterDpoJobMatchTest, EvaluatesAgainstSampleJob) {
  const MatchCase& c = GetParam();
  Result<Filter> filter = ParseFilter(c.filter, testing::DpoJobCatalog());
  ASSERT_THAT(filter, IsOk()) << c.filter;
  EXPECT_EQ(Matches(*filter, testing::SampleDpoJob()), c.matches) << c.filter;
}

INSTANTIATE_TEST_SUITE_P(
    FilterEnums, FilterDpoJobMatchTest,
    ::testing::Values(MatchCase{"BareEnum", "state = JOB_STATE_RUNNING", true},
                      MatchCase{"QuotedEnum", "state = \"JOB_STATE_RUNNING\"", true},
                      MatchCase{"EnumNotEqual", "state != JOB_STATE_RUNNING", false},
                      MatchCase{"OtherEnum", "state = JOB_STATE_FAILED", false},
                      MatchCase{"EnumHas", "state:JOB_STATE_RUNNING", true},
                      MatchCase{"NestedEnum", "trainingConfig.region = US_IOWA_1", true},
                      MatchCase{"EnumInMessage", "status.code = OK", true},
                      MatchCase{"EnumDisjunction",
                                "state = JOB_STATE_FAILED OR state = JOB_STATE_RUNNING", true}),
    CaseName);

INSTANTIATE_TEST_SUITE_P(
    FilterNumbers, FilterDpoJobMatchTest,
    ::testing::Values(MatchCase{"IntegerGreater", "trainingConfig.epochs > 2", true},
                      MatchCase{"IntegerGreaterEqual", "trainingConfig.epochs >= 3", true},
                      MatchCase{"IntegerLess", "trainingConfig.epochs < 3", false},
                      MatchCase{"IntegerLessEqual", "trainingConfig.epochs <= 3", true},
                      MatchCase{"NegativeLiteral", "trainingConfig.epochs > -3", true},
                      MatchCase{"NegativeLiteralNoSpace", "trainingConfig.epochs>-3", true},
                      MatchCase{"FloatLiteralOnInteger", "trainingConfig.epochs > 2.5", true},
                      MatchCase{"WholeFloatEqualsInteger", "trainingConfig.epochs = 3.0", true},
                      MatchCase{"QuotedInteger", "trainingConfig.epochs = \"3\"", true},
                      MatchCase{"IntegerHas", "trainingConfig.epochs:3", true},
                      MatchCase{"FloatLess", "trainingConfig.learningRate < 0.001", true},
                      MatchCase{"FloatExponentEqual", "trainingConfig.learningRate = 1e-4", true},
                      MatchCase{"FloatGreaterThanNegative", "trainingConfig.learningRate > -2.5",
                                true},
                      MatchCase{"FloatIntegerLiteral", "trainingConfig.learningRate < 1", true},
                      MatchCase{"LargeInteger", "trainingConfig.maxContextLength >= 8192", true}),
    CaseName);

INSTANTIATE_TEST_SUITE_P(
    FilterTimestamps, FilterDpoJobMatchTest,
    ::testing::Values(
        MatchCase{"SameInstantUtc", "createTime = \"2023-11-07T05:31:56Z\"", true},
        MatchCase{"SameInstantPlusTwo", "createTime = \"2023-11-07T07:31:56+02:00\"", true},
        MatchCase{"SameInstantMinusFive", "createTime = \"2023-11-07T00:31:56-05:00\"", true},
        MatchCase{"SameInstantFractionZero", "createTime = \"2023-11-07T05:31:56.000Z\"", true},
        MatchCase{"SameInstantSingleQuotes", "createTime = '2023-11-07T06:31:56+01:00'", true},
        MatchCase{"NotEqualSameInstant", "createTime != \"2023-11-07T06:31:56+01:00\"", false},
        MatchCase{"AfterJustBefore", "createTime > \"2023-11-07T05:31:55.999Z\"", true},
        MatchCase{"StrictlyBeforeSameInstant", "createTime < \"2023-11-07T06:31:56+01:00\"", false},
        MatchCase{"BeforeOrAtSameInstant", "createTime <= \"2023-11-07T06:31:56+01:00\"", true},
        MatchCase{"OffsetMakesItLater", "createTime < \"2023-11-07T05:31:56-00:01\"", true},
        MatchCase{"TimestampHasValue", "createTime:\"2023-11-07T05:31:56Z\"", true}),
    CaseName);

INSTANTIATE_TEST_SUITE_P(
    FilterMissingFields, FilterDpoJobMatchTest,
    ::testing::Values(
        MatchCase{"UnsetTimestampGreater", "completedTime > \"2000-01-01T00:00:00Z\"", false},
        MatchCase{"UnsetTimestampLess", "completedTime < \"2099-01-01T00:00:00Z\"", false},
        MatchCase{"UnsetTimestampEqual", "completedTime = \"1970-01-01T00:00:00Z\"", false},
        MatchCase{"UnsetTimestampNotEqual", "completedTime != \"2000-01-01T00:00:00Z\"", true},
        MatchCase{"UnsetTimestampPresence", "completedTime:*", false},
        MatchCase{"NotUnsetTimestampPresence", "NOT completedTime:*", true},
        MatchCase{"SetTimestampPresence", "createTime:*", true},
        MatchCase{"AbsentIntegerIsZero", "trainingConfig.loraRank = 0", true},
        MatchCase{"AbsentIntegerNotPresent", "trainingConfig.loraRank:*", false},
        MatchCase{"PresentIntegerPresent", "trainingConfig.epochs:*", true},
        MatchCase{"AbsentStringIsEmpty", "wandbConfig.apiKey = \"\"", true},
        MatchCase{"AbsentStringNotPresent", "wandbConfig.url:*", false},
        MatchCase{"PresentMessage", "trainingConfig:*", true},
        MatchCase{"PresentNestedString", "status.message:*", true},
        MatchCase{"AbsentStringWildcardMatchesEmpty", "trainingConfig.outputModel = \"*\"", true}),
    CaseName);

INSTANTIATE_TEST_SUITE_P(
    FilterWildcards, FilterDpoJobMatchTest,
    ::testing::Values(MatchCase{"Prefix", "displayName = \"nightly*\"", true},
                      MatchCase{"Suffix", "displayName = \"*run\"", true},
                      MatchCase{"Infix", "displayName = \"n*y*run\"", true},
                      MatchCase{"Contains", "displayName = \"*dpo*\"", true},
                      MatchCase{"WrongPrefix", "displayName = \"dpo*\"", false},
                      MatchCase{"NotEqualPattern", "displayName != \"nightly*\"", false},
                      MatchCase{"BareWordPattern", "displayName = nightly*", true},
                      MatchCase{"HasPattern", "displayName:\"*-dpo-*\"", true},
                      MatchCase{"PiecesMayNotOverlap", "displayName = \"nightly-dpo-run*run\"",
                                false},
                      MatchCase{"EscapedStarIsLiteral", "displayName = \"nightly\\*\"", false},
                      MatchCase{"OrderingTreatsStarLiterally", "displayName > \"n*\"", true},
                      MatchCase{"ExactWithoutWildcard", "displayName = \"nightly-dpo-run\"", true}),
    CaseName);

INSTANTIATE_TEST_SUITE_P(
    FilterLogic, FilterDpoJobMatchTest,
    ::testing::Values(
        MatchCase{"NotFalse", "NOT state = JOB_STATE_FAILED", true},
        MatchCase{"MinusTrue", "-state = JOB_STATE_RUNNING", false},
        MatchCase{"DoubleNot", "NOT NOT state = JOB_STATE_RUNNING", true},
        MatchCase{"ImplicitAnd", "state = JOB_STATE_RUNNING trainingConfig.epochs = 3", true},
        MatchCase{"ImplicitAndOneFalse", "state = JOB_STATE_RUNNING trainingConfig.epochs = 4",
                  false},
        // OR binds tighter than AND: false AND (true OR true) is false, while the
        // conventional (false AND true) OR true would be true.
        MatchCase{"OrBindsTighterThanAnd",
                  "state = JOB_STATE_FAILED AND trainingConfig.epochs = 3 OR createdBy = "
                  "\"ann@example.com\"",
                  false},
        MatchCase{"ParenthesesRestoreConventionalReading",
                  "(state = JOB_STATE_FAILED AND trainingConfig.epochs = 3) OR createdBy = "
                  "\"ann@example.com\"",
                  true},
        MatchCase{"NotOfDisjunction",
                  "NOT (state = JOB_STATE_FAILED OR wandbConfig.enabled = false)", true},
        MatchCase{"EmptyFilter", "", true},
        MatchCase{"BooleanTrue", "wandbConfig.enabled = true", true},
        MatchCase{"BooleanFalse", "wandbConfig.enabled = false", false},
        MatchCase{"BooleanHas", "wandbConfig.enabled:true", true},
        MatchCase{"BooleanPresent", "wandbConfig.enabled:*", true},
        MatchCase{"DottedWordValue", "createdBy = ann@example.com", true},
        MatchCase{"SlashesInWord", "name = accounts/acme/dpoJobs/job-1", true},
        MatchCase{"StringLess", "name < \"b\"", true},
        MatchCase{"MinusHas", "-displayName:\"*.java\"", true}),
    CaseName);

class FilterBookMatchTest : public ::testing::TestWithParam<MatchCase> {};

TEST_P(FilterBookMatchTest, EvaluatesAgainstSampleBook) {
  const MatchCase& c = GetParam();
  Result<Filter> filter = ParseFilter(c.filter, testing::BookCatalog());
  ASSERT_THAT(filter, IsOk()) << c.filter;
  EXPECT_EQ(Matches(*filter, testing::SampleBook()), c.matches) << c.filter;
}

INSTANTIATE_TEST_SUITE_P(
    FilterHasSemantics, FilterBookMatchTest,
    ::testing::Values(MatchCase{"RepeatedContains", "tags:math", true},
                      MatchCase{"RepeatedContainsPattern", "tags:\"alg*\"", true},
                      MatchCase{"RepeatedLacks", "tags:physics", false},
                      MatchCase{"NotRepeatedLacks", "NOT tags:physics", true},
                      MatchCase{"RepeatedIntegerContains", "ratings:5", true},
                      MatchCase{"RepeatedIntegerLacks", "ratings:3", false},
                      MatchCase{"RepeatedNonEmpty", "tags:*", true},
                      MatchCase{"MapHasKey", "labels:env", true},
                      MatchCase{"MapLacksKey", "labels:missing", false},
                      MatchCase{"MapNonEmpty", "labels:*", true},
                      MatchCase{"MapKeyPresence", "labels.env:*", true},
                      MatchCase{"MapKeyAbsence", "labels.nope:*", false},
                      MatchCase{"MapStringValue", "labels.env = \"prod\"", true},
                      MatchCase{"MapStringValuePattern", "labels.env = pr*", true},
                      MatchCase{"MapStringValueHas", "labels.env:prod", true},
                      MatchCase{"MapNumberValue", "labels.tier > 1", true},
                      MatchCase{"MapNumberValueNotText", "labels.tier = two", false},
                      MatchCase{"MapBooleanValue", "labels.beta = true", true},
                      MatchCase{"MapMissingValueNotEqual", "labels.nope != \"x\"", true},
                      MatchCase{"MapMissingValueEqual", "labels.nope = \"x\"", false},
                      MatchCase{"RepeatedMessageField", "authors.name:Ann", true},
                      MatchCase{"RepeatedMessageFieldPattern", "authors.name:\"B*\"", true},
                      MatchCase{"RepeatedMessageFieldLacks", "authors.name:Carl", false},
                      MatchCase{"RepeatedMessageInteger", "authors.age:40", true},
                      // Bob has no age: proto3 reads it as 0.
                      MatchCase{"RepeatedMessageAbsentFieldIsDefault", "authors.age:0", true},
                      MatchCase{"RepeatedMessagePresence", "authors.age:*", true},
                      MatchCase{"RepeatedMessagesNonEmpty", "authors:*", true},
                      MatchCase{"ScalarHasIsEquality", "genre:HISTORY", true},
                      MatchCase{"FalseBooleanIsNotPresent", "inStock:*", false},
                      MatchCase{"SetEnumIsPresent", "genre:*", true}),
    CaseName);

INSTANTIATE_TEST_SUITE_P(
    FilterOtherTypes, FilterBookMatchTest,
    ::testing::Values(MatchCase{"DurationGreater", "timeout > \"3s\"", true},
                      MatchCase{"DurationEqual", "timeout = \"3.5s\"", true},
                      MatchCase{"DurationEqualMoreDigits", "timeout = \"3.500s\"", true},
                      MatchCase{"DurationJustBelow", "timeout < \"3.500000001s\"", true},
                      MatchCase{"DurationUnquoted", "timeout > 20s", false},
                      MatchCase{"DurationUnquotedFraction", "timeout >= 3.5s", true},
                      MatchCase{"DurationNegative", "timeout > \"-1s\"", true},
                      MatchCase{"TimestampLeapDayWithOffset",
                                "publishTime = \"2020-02-29T06:30:00Z\"", true},
                      MatchCase{"FloatField", "price > 12", true},
                      MatchCase{"FloatFieldEqual", "price = 12.5", true},
                      MatchCase{"Int64AsStringExact", "pages = 9007199254740993", true},
                      MatchCase{"Int64AsStringBeyondDouble", "pages > 9007199254740992", true},
                      MatchCase{"BooleanFalseEquals", "inStock = false", true},
                      MatchCase{"EnumEquals", "genre = HISTORY", true},
                      MatchCase{"LiteralStarWithEscape", "title = \"C\\*-algebras\"", true},
                      MatchCase{"LiteralStarThenWildcard", "title = \"C\\**\"", true},
                      MatchCase{"LiteralStarOnlyPrefix", "title = \"C\\*\"", false},
                      MatchCase{"UnescapedStarIsWildcard", "title = \"C*algebras\"", true}),
    CaseName);

struct TypeErrorCase {
  std::string name;
  std::string filter;
  int column;
  std::string message;
};

class FilterTypeErrorTest : public ::testing::TestWithParam<TypeErrorCase> {};

TEST_P(FilterTypeErrorTest, RejectsWithColumn) {
  const TypeErrorCase& c = GetParam();
  const bool book = c.name.starts_with("Book");
  Result<Filter> filter =
      ParseFilter(c.filter, book ? testing::BookCatalog() : testing::DpoJobCatalog());
  EXPECT_THAT(filter, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr(c.message))) << c.filter;
  if (!filter) {
    EXPECT_EQ(filter.error().where, "column " + std::to_string(c.column)) << c.filter;
  }
}

INSTANTIATE_TEST_SUITE_P(
    FilterTypeErrors, FilterTypeErrorTest,
    ::testing::Values(
        TypeErrorCase{"UnknownField", "stat = 1", 1,
                      "unknown field 'stat' (did you mean 'state'?)"},
        TypeErrorCase{"UnknownNestedField", "trainingConfig.epoch = 1", 16,
                      "unknown field 'trainingConfig.epoch' (did you mean 'epochs'?)"},
        TypeErrorCase{"TraversalIntoScalar", "trainingConfig.epochs.x = 1", 23,
                      "field 'trainingConfig.epochs' is an integer, not a message"},
        TypeErrorCase{"UndeclaredEnumValue", "state = JOB_STATE_RUN", 9,
                      "'JOB_STATE_RUN' is not a value of enum field 'state'"},
        TypeErrorCase{"UndeclaredNestedEnumValue", "trainingConfig.region = US_IOWA_9", 25,
                      "did you mean 'US_IOWA_1'?"},
        TypeErrorCase{"OrderingOnEnum", "state < JOB_STATE_RUNNING", 7,
                      "operator '<' is not defined on an enum field 'state'"},
        TypeErrorCase{"OrderingOnBoolean", "wandbConfig.enabled >= true", 21,
                      "operator '>=' is not defined on a boolean field"},
        TypeErrorCase{"NotANumber", "trainingConfig.epochs = \"abc\"", 25, "'abc' is not a number"},
        TypeErrorCase{"NotABoolean", "wandbConfig.enabled = yes", 23, "'yes' is not true or false"},
        TypeErrorCase{"NotATimestamp", "createTime > \"yesterday\"", 14,
                      "not an RFC 3339 timestamp"},
        TypeErrorCase{"MonthThirteen", "createTime > \"2023-13-01T00:00:00Z\"", 14,
                      "not an RFC 3339 timestamp"},
        TypeErrorCase{"TimestampWithoutOffset", "createTime > \"2023-11-01T00:00:00\"", 14,
                      "not an RFC 3339 timestamp"},
        TypeErrorCase{"GlobalSearch", "prod", 1, "bare value 'prod' is not supported"},
        TypeErrorCase{"GlobalSearchInSequence", "state = JOB_STATE_RUNNING prod", 27,
                      "no global search"},
        TypeErrorCase{"GlobalStringSearch", "\"nightly\"", 1, "bare value 'nightly'"},
        TypeErrorCase{"LowerCaseKeyword", "state = JOB_STATE_RUNNING and name = \"x\"", 27,
                      "keywords AND, OR, NOT are upper case"},
        TypeErrorCase{"FieldWithoutComparator", "wandbConfig.enabled", 1,
                      "field 'wandbConfig.enabled' needs a comparator"},
        TypeErrorCase{"NumberOnTheLeft", "1 > 0", 1, "expected a field name before '>'"},
        TypeErrorCase{"FunctionCall", "regex(name, \"x\")", 1, "unknown function 'regex'"},
        TypeErrorCase{"FunctionAsValue", "createTime > now()", 14, "unknown function 'now'"},
        TypeErrorCase{"ParenthesisedValue", "name = (a OR b)", 8,
                      "parenthesised values are not supported"},
        TypeErrorCase{"MessageEquality", "status = OK", 8,
                      "field 'status' is a message; only 'status:*'"},
        TypeErrorCase{"MessageHasValue", "trainingConfig:x", 15, "is a message"},
        TypeErrorCase{"ErrorInsideNot", "NOT (state = JOB_STATE_RUNNING OR epochs > 1)", 35,
                      "unknown field 'epochs'"},
        TypeErrorCase{"BookRepeatedEquality", "tags = \"x\"", 6,
                      "field 'tags' is repeated; only ':' is supported"},
        TypeErrorCase{"BookThroughRepeatedEquality", "authors.name = \"Ann\"", 14,
                      "field 'authors' is repeated"},
        TypeErrorCase{"BookMapEquality", "labels = 1", 8, "field 'labels' is a map"},
        TypeErrorCase{"BookInsideMapValue", "labels.env.x = 1", 12, "inside a map value"},
        TypeErrorCase{"BookNotFilterable", "secret = \"x\"", 1, "field 'secret' is not filterable"},
        TypeErrorCase{"BookNotADuration", "timeout > \"3 minutes\"", 11, "not a duration"},
        TypeErrorCase{"BookIntegerFieldWord", "pages = many", 9, "'many' is not a number"}),
    [](const auto& test) { return test.param.name; });

// Callers tell "names no field of the resource" (which AIP-160 says a server must refuse) from
// other typing errors by Error::reason, never by the message's words.
TEST(FilterCheck, AFieldTheResourceDoesNotHaveIsTheUnknownFieldReason) {
  for (const char* text : {"nosuchfield = 1", "state.detail = 1", "trainingConfig.nosuch = 1"}) {
    Result<Filter> filter = ParseFilter(text, testing::DpoJobCatalog());
    ASSERT_FALSE(filter.ok()) << text;
    EXPECT_EQ(filter.error().reason, kUnknownFieldReason) << text << ": " << filter.error().message;
  }
  Result<Filter> mismatch = ParseFilter("trainingConfig.epochs = many", testing::DpoJobCatalog());
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().reason, "");
}

TEST(FilterCheck, ReportsSyntaxErrorsBeforeTypes) {
  EXPECT_THAT(ParseFilter("stat = (", testing::DpoJobCatalog()),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("unexpected end of filter")));
}

TEST(FilterCheck, RejectsBuiltTreesTallerThanTheLimit) {
  Node node = MakePresence("name");
  for (int i = 0; i < 300; ++i) {
    node = MakeNot(std::move(node));
  }
  EXPECT_THAT(CheckFilter(FilterSyntax{node}, testing::DpoJobCatalog()),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("levels deep")));
}

TEST(FilterCheck, AcceptsTheDeepestParsableFilter) {
  std::string text;
  for (int i = 0; i < 16; ++i) {  // each level is one NOT and one '(': 32 in all
    text += "NOT (a:* OR ";
  }
  text += "name:*" + std::string(16, ')');
  EXPECT_THAT(ParseFilterSyntax(text), IsOk());
  FieldCatalog catalog;
  catalog.Add({.path = "a", .type = FieldType::kString});
  catalog.Add({.path = "name", .type = FieldType::kString});
  EXPECT_THAT(ParseFilter(text, catalog), IsOk());
}

TEST(FilterMatch, UnsetAndMismatchedValuesFailEveryComparisonButNotEqual) {
  Result<Filter> equal = ParseFilter("trainingConfig.epochs = 3", testing::DpoJobCatalog());
  Result<Filter> not_equal = ParseFilter("trainingConfig.epochs != 3", testing::DpoJobCatalog());
  Result<Filter> less = ParseFilter("trainingConfig.epochs < 3", testing::DpoJobCatalog());
  ASSERT_TRUE(equal && not_equal && less);
  const Json wrong_type = Json::parse(R"({"trainingConfig": {"epochs": "three"}})");
  EXPECT_FALSE(Matches(*equal, wrong_type));
  EXPECT_FALSE(Matches(*less, wrong_type));
  EXPECT_TRUE(Matches(*not_equal, wrong_type));
  // Absent: proto3 default 0.
  EXPECT_TRUE(Matches(*less, Json::object()));
  EXPECT_TRUE(Matches(*less, Json::parse(R"({"trainingConfig": null})")));
}

// MatchesUnambiguously of the DpoJob filter `text` (which must parse) on `job`.
std::optional<bool> Judge(const std::string& text, const Json& job) {
  Result<Filter> filter = ParseFilter(text, testing::DpoJobCatalog());
  EXPECT_TRUE(filter.ok()) << text;
  return filter ? MatchesUnambiguously(*filter, job) : std::nullopt;
}

TEST(FilterMatch, AComparisonWithAnUnsetValueIsAmbiguousOnlyWhereReadersDisagree) {
  // AIP-160 does not say what `completedTime = X` is for a job without completedTime: false
  // here (true for !=), unknown to a SQL-backed server, which also leaves out NOT of it.
  const Json running = Json::parse(R"({"state": "JOB_STATE_RUNNING"})");
  const Json done =
      Json::parse(R"({"state": "JOB_STATE_COMPLETED", "completedTime": "2024-01-01T00:00:00Z"})");
  const std::string at = "\"2024-01-01T00:00:00Z\"";
  EXPECT_EQ(Judge("completedTime = " + at, running),
            std::optional<bool>(false));  // both leave it out
  EXPECT_EQ(Judge("completedTime > " + at, running), std::optional<bool>(false));
  EXPECT_EQ(Judge("NOT completedTime = " + at, running), std::nullopt);
  EXPECT_EQ(Judge("-completedTime = " + at, running), std::nullopt);
  EXPECT_EQ(Judge("completedTime != " + at, running), std::nullopt);
  EXPECT_EQ(Judge("NOT completedTime:*", running), std::optional<bool>(true));  // presence is sure
  EXPECT_EQ(Judge("state = JOB_STATE_RUNNING OR NOT completedTime = " + at, running),
            std::optional<bool>(true));
  EXPECT_EQ(Judge("state = JOB_STATE_COMPLETED AND NOT completedTime = " + at, running),
            std::optional<bool>(false));
  EXPECT_EQ(Judge("NOT completedTime = " + at, done), std::optional<bool>(false));
  EXPECT_EQ(Judge("completedTime != " + at, done), std::optional<bool>(false));
}

// AIP-160 gives wildcards to `=` and says nothing of `!=`: a server may read its stars as
// wildcards (NOT of the `=`) or literally. Found by an independent server that did the latter.
// A server may apply AIP-160's "skipped, even for !=" to the comparison alone: false whatever
// its operator, and NOT of it true. Found by an independent server that did so.
TEST(FilterMatch, AComparisonOnAnAbsentFieldMayBeFalseEvenForNotEqualWithNotTurningIt) {
  const Json bare = Json::parse(R"({"trainingConfig": {"epochs": 3}})");
  EXPECT_EQ(Judge("NOT trainingConfig.batchSize != 32768", bare), std::nullopt);
  EXPECT_EQ(Judge("NOT wandbConfig.enabled != true", bare), std::nullopt);
  EXPECT_EQ(Judge("NOT trainingConfig.epochs != 3", bare),
            std::optional<bool>(true));  // present: judged
}

TEST(FilterMatch, StarsInANotEqualMayBeWildcardsOrLiteral) {
  const Json chen = Json::parse(R"({"createdBy": "chen@example.com"})");
  const Json star = Json::parse(R"({"createdBy": "chen*"})");
  EXPECT_EQ(Judge(R"(createdBy != "*")", chen), std::nullopt);
  EXPECT_EQ(Judge(R"(createdBy != "chen*")", chen), std::nullopt);
  EXPECT_EQ(Judge(R"(NOT createdBy != "chen*" AND createdBy:*)", chen), std::nullopt);
  // Where both readings agree, the answer stands; `=` keeps its wildcards.
  EXPECT_EQ(Judge(R"(createdBy != "li*")", chen), std::optional<bool>(true));
  EXPECT_EQ(Judge(R"(createdBy != "chen*")", star), std::optional<bool>(false));
  EXPECT_EQ(Judge(R"(createdBy = "chen*")", chen), std::optional<bool>(true));
  EXPECT_EQ(Judge(R"(createdBy = "*example.com")", chen), std::optional<bool>(true));
  // A map value's stars too.
  const Json book = Json::parse(R"({"labels": {"env": "prod"}})");
  Result<Filter> not_pr = ParseFilter(R"(labels.env != "pr*")", testing::BookCatalog());
  Result<Filter> not_x = ParseFilter(R"(labels.env != "x*")", testing::BookCatalog());
  ASSERT_TRUE(not_pr.ok() && not_x.ok());
  EXPECT_EQ(MatchesUnambiguously(*not_pr, book), std::nullopt);
  EXPECT_EQ(MatchesUnambiguously(*not_x, book), std::optional<bool>(true));
  // Matches (the reference server's reading) keeps the wildcard.
  Result<Filter> not_chen = ParseFilter(R"(createdBy != "chen*")", testing::DpoJobCatalog());
  ASSERT_TRUE(not_chen.ok());
  EXPECT_FALSE(Matches(*not_chen, chen));
}

TEST(FilterMatch, AnAbsentFieldOrMessageOnTheWayMayMatchEitherWay) {
  // AIP-160 (2025-01): a resource whose traversal meets an unset message "should be skipped",
  // even for !=; proto3 reads the field below it as its default; a database compares NULL.
  const Json bare = Json::parse(R"({"name": "accounts/a/dpoJobs/j", "dataset": "d"})");
  const Json enabled = Json::parse(R"({"wandbConfig": {"enabled": true}, "displayName": "x"})");
  EXPECT_EQ(Judge("wandbConfig.enabled = false", bare), std::nullopt);
  EXPECT_EQ(Judge("wandbConfig.enabled != true", bare), std::nullopt);
  EXPECT_EQ(Judge("trainingConfig.epochs < 3", bare), std::nullopt);
  EXPECT_EQ(Judge("displayName = \"\"", bare), std::nullopt);
  // Taken as unset, `=` fails and NOT of it holds: a reading too, though AIP-160 would skip.
  EXPECT_EQ(Judge("NOT wandbConfig.enabled = false", bare), std::nullopt);
  EXPECT_EQ(Judge("wandbConfig.enabled != false", bare), std::nullopt);
  // Where every reading agrees, the answer stands.
  EXPECT_EQ(Judge("wandbConfig.enabled = true", bare), std::optional<bool>(false));
  EXPECT_EQ(Judge("displayName = \"x\"", bare), std::optional<bool>(false));
  EXPECT_EQ(Judge("wandbConfig:*", bare), std::optional<bool>(false));
  EXPECT_EQ(Judge("wandbConfig.enabled = false", enabled), std::optional<bool>(false));
  EXPECT_EQ(Judge("wandbConfig.enabled != false", enabled), std::optional<bool>(true));
  EXPECT_EQ(Judge("displayName = \"x\"", enabled), std::optional<bool>(true));
  // What the reference server does: proto3 defaults.
  Result<Filter> disabled = ParseFilter("wandbConfig.enabled = false", testing::DpoJobCatalog());
  ASSERT_TRUE(disabled.ok());
  EXPECT_TRUE(Matches(*disabled, bare));
}

TEST(FilterMatch, NaNOnlySatisfiesNotEqual) {
  Result<Filter> greater = ParseFilter("trainingConfig.learningRate > 0", testing::DpoJobCatalog());
  Result<Filter> not_equal =
      ParseFilter("trainingConfig.learningRate != 0", testing::DpoJobCatalog());
  ASSERT_TRUE(greater && not_equal);
  const Json nan = Json::parse(R"({"trainingConfig": {"learningRate": "NaN"}})");
  EXPECT_FALSE(Matches(*greater, nan));
  EXPECT_TRUE(Matches(*not_equal, nan));
}

TEST(FilterMatch, EmptyFilterMatchesEverything) {
  const Filter empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_TRUE(Matches(empty, Json::object()));
  EXPECT_TRUE(Matches(empty, Json::array()));
  EXPECT_EQ(Print(empty), "");
}

TEST(FilterMatch, TextualEnumAndQuotedEnumAreTheSameFilter) {
  Result<Filter> bare = ParseFilter("state = JOB_STATE_FAILED", testing::DpoJobCatalog());
  Result<Filter> quoted = ParseFilter("state = \"JOB_STATE_FAILED\"", testing::DpoJobCatalog());
  ASSERT_TRUE(bare && quoted);
  const Json failed = Json::parse(R"({"state": "JOB_STATE_FAILED"})");
  const Json unknown = Json::parse(R"({"state": "JOB_STATE_FROM_THE_FUTURE"})");
  EXPECT_TRUE(Matches(*bare, failed));
  EXPECT_TRUE(Matches(*quoted, failed));
  EXPECT_FALSE(Matches(*bare, unknown));
  EXPECT_FALSE(Matches(*bare, Json::object()));  // absent: JOB_STATE_UNSPECIFIED
}

TEST(FilterMatch, PrintsTheFilterItWasParsedFrom) {
  Result<Filter> filter = ParseFilter("state=JOB_STATE_RUNNING  AND NOT (a.b:*)", [] {
    FieldCatalog c = testing::MakeDpoJobCatalog();
    c.Add({.path = "a", .type = FieldType::kMessage});
    c.Add({.path = "a.b", .type = FieldType::kString});
    return c;
  }());
  ASSERT_THAT(filter, IsOk());
  EXPECT_EQ(Print(*filter), "state = JOB_STATE_RUNNING AND NOT a.b:*");
}

TEST(FilterMatch, FilterOutlivesTheCatalog) {
  Result<Filter> filter = [] {
    const FieldCatalog catalog = testing::MakeDpoJobCatalog();
    return ParseFilter("trainingConfig.region = US_IOWA_1", catalog);
  }();
  ASSERT_THAT(filter, IsOk());
  EXPECT_TRUE(Matches(*filter, testing::SampleDpoJob()));
}

TEST(FilterToLiteral, ProducesLiteralsThatCheckAgainstTheirField) {
  const FieldCatalog& catalog = testing::DpoJobCatalog();
  const Json job = testing::SampleDpoJob();
  for (const std::string path :
       {"createTime", "state", "trainingConfig.epochs", "trainingConfig.learningRate",
        "wandbConfig.enabled", "displayName", "trainingConfig.region"}) {
    const Value value = ReadValue(FindPath(job, path), *catalog.Find(path));
    std::optional<Literal> literal = ToLiteral(value);
    ASSERT_TRUE(literal.has_value()) << path;
    const Node restriction = MakeRestriction(path, Comparator::kEqual, *literal);
    Result<Filter> filter = ParseFilter(Print(restriction), catalog);
    ASSERT_THAT(filter, IsOk()) << Print(restriction);
    EXPECT_TRUE(Matches(*filter, job)) << Print(restriction);
  }
  EXPECT_FALSE(ToLiteral(Value(Unset{})).has_value());
  EXPECT_EQ(ToLiteral(Value(std::string("a*b")))->wildcards.size(), 0u);
}

}  // namespace
}  // namespace filter_test
}  // namespace conform::aip
