#include "aip/order_by.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/aip/test_catalogs.h"
#include "tests/support/result_matchers.h"

namespace conform::aip {
namespace order_by_test {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

struct ParseCase {
  std::string name;
  std::string text;
  std::string printed;
};

class OrderByParseTest : public ::testing::TestWithParam<ParseCase> {};

TEST_P(OrderByParseTest, ParsesAndPrintsCanonically) {
  const ParseCase& c = GetParam();
  Result<OrderBy> order_by = ParseOrderBy(c.text, testing::DpoJobCatalog());
  ASSERT_THAT(order_by, IsOk()) << c.text;
  EXPECT_EQ(Print(*order_by), c.printed);
  Result<OrderBy> again = ParseOrderBy(Print(*order_by), testing::DpoJobCatalog());
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(*again, *order_by);
}

INSTANTIATE_TEST_SUITE_P(
    OrderByValid, OrderByParseTest,
    ::testing::Values(
        ParseCase{"Empty", "", ""}, ParseCase{"Blank", "   ", ""},
        ParseCase{"OneField", "name", "name"},
        ParseCase{"SeedExample", "displayName desc,name", "displayName desc,name"},
        ParseCase{"ExplicitAscending", "name asc", "name"},
        ParseCase{"ExtraWhitespace", "  createTime   desc ,name ", "createTime desc,name"},
        ParseCase{"Tabs", "state\tdesc,\tname", "state desc,name"},
        ParseCase{"Subfield", "trainingConfig.epochs desc", "trainingConfig.epochs desc"},
        ParseCase{"ThreeKeys", "state, trainingConfig.learningRate desc, name asc",
                  "state,trainingConfig.learningRate desc,name"}),
    [](const auto& test) { return test.param.name; });

struct ErrorCase {
  std::string name;
  std::string text;
  int column;
  std::string message;
};

class OrderByErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(OrderByErrorTest, RejectsWithColumn) {
  const ErrorCase& c = GetParam();
  const bool book = c.name.starts_with("Book");
  Result<OrderBy> order_by =
      ParseOrderBy(c.text, book ? testing::BookCatalog() : testing::DpoJobCatalog());
  EXPECT_THAT(order_by, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr(c.message))) << c.text;
  if (!order_by) {
    EXPECT_EQ(order_by.error().where, "column " + std::to_string(c.column)) << c.text;
  }
}

INSTANTIATE_TEST_SUITE_P(
    OrderByErrors, OrderByErrorTest,
    ::testing::Values(
        ErrorCase{"UnknownField", "nme", 1, "unknown field 'nme' (did you mean 'name'?)"},
        ErrorCase{"UnknownSubfield", "name,trainingConfig.epoch", 21, "unknown field"},
        ErrorCase{"UnknownDirection", "name descending", 6, "unknown direction 'descending'"},
        ErrorCase{"UpperCaseDirection", "name DESC", 6, "use 'asc' or 'desc'"},
        ErrorCase{"ThirdWord", "name desc x", 11, "separate fields with ','"},
        ErrorCase{"Duplicate", "name, state desc, name desc", 19, "appears twice"},
        ErrorCase{"MessageField", "status", 1, "not sortable: it is a message"},
        ErrorCase{"EmptyItem", "name,,state", 6, "expected a field name after ','"},
        ErrorCase{"TrailingComma", "name, ", 7, "expected a field name after ','"},
        ErrorCase{"LeadingComma", ",name", 1, "expected a field name"},
        ErrorCase{"EmptySegment", "trainingConfig..epochs", 16, "empty field name"},
        ErrorCase{"TraversalIntoScalar", "name.x", 6, "not a message"},
        ErrorCase{"InvalidUtf8", "name\xFF", 5, "invalid UTF-8"},
        ErrorCase{"BookRepeated", "tags", 1, "not sortable: it is repeated"},
        ErrorCase{"BookInsideRepeated", "authors.name", 1, "inside repeated field 'authors'"},
        ErrorCase{"BookMap", "labels", 1, "it is a map"},
        ErrorCase{"BookInsideMap", "labels.env", 1, "inside map field 'labels'"},
        ErrorCase{"BookMarkedUnsortable", "secret", 1, "marks it not sortable"}),
    [](const auto& test) { return test.param.name; });

TEST(OrderByParse, RejectsOverlongText) {
  EXPECT_THAT(ParseOrderBy(std::string(5000, 'a'), testing::DpoJobCatalog()),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("limit is 4096")));
}

TEST(OrderByParse, CopiesFieldTypesFromTheCatalog) {
  Result<OrderBy> order_by = ParseOrderBy("state desc", testing::DpoJobCatalog());
  ASSERT_THAT(order_by, IsOk());
  ASSERT_EQ(order_by->keys.size(), 1u);
  EXPECT_EQ(order_by->keys[0].field.type, FieldType::kEnum);
  EXPECT_EQ(order_by->keys[0].direction, SortDirection::kDescending);
  EXPECT_EQ(order_by->keys[0].field.enum_values.size(), 17u);
}

OrderBy MustParse(std::string_view text) {
  Result<OrderBy> order_by = ParseOrderBy(text, testing::DpoJobCatalog());
  CONFORM_CHECK(order_by.ok());
  return *order_by;
}

struct CompareCase {
  std::string name;
  std::string order_by;
  std::string a;
  std::string b;
  int expected;  // sign of Compare(a, b)
};

class OrderByCompareTest : public ::testing::TestWithParam<CompareCase> {};

int Sign(int value) { return value < 0 ? -1 : (value > 0 ? 1 : 0); }

TEST_P(OrderByCompareTest, ComparesResources) {
  const CompareCase& c = GetParam();
  const OrderBy order_by = MustParse(c.order_by);
  const Json a = Json::parse(c.a);
  const Json b = Json::parse(c.b);
  EXPECT_EQ(Sign(Compare(order_by, a, b)), c.expected);
  EXPECT_EQ(Sign(Compare(order_by, b, a)), -c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    OrderByCompare, OrderByCompareTest,
    ::testing::Values(
        CompareCase{"StringsBytewise", "name", R"({"name": "B"})", R"({"name": "a"})", -1},
        CompareCase{"Descending", "name desc", R"({"name": "a"})", R"({"name": "b"})", 1},
        CompareCase{"AbsentStringIsEmpty", "name", R"({})", R"({"name": ""})", 0},
        CompareCase{"TimestampsAsInstants", "createTime",
                    R"({"createTime": "2023-11-07T07:31:56+02:00"})",
                    R"({"createTime": "2023-11-07T05:31:56Z"})", 0},
        CompareCase{"OffsetsDoNotSortLexically", "createTime",
                    R"({"createTime": "2023-11-07T06:00:00+02:00"})",
                    R"({"createTime": "2023-11-07T05:00:00Z"})", -1},
        CompareCase{"UnsetTimestampFirst", "createTime", R"({})",
                    R"({"createTime": "1900-01-01T00:00:00Z"})", -1},
        CompareCase{"UnsetTimestampLastWhenDescending", "createTime desc", R"({})",
                    R"({"createTime": "1900-01-01T00:00:00Z"})", 1},
        CompareCase{"NumbersNumerically", "trainingConfig.epochs",
                    R"({"trainingConfig": {"epochs": 10}})", R"({"trainingConfig": {"epochs": 9}})",
                    1},
        CompareCase{"Int64Strings", "trainingConfig.epochs",
                    R"({"trainingConfig": {"epochs": "10"}})",
                    R"({"trainingConfig": {"epochs": 9}})", 1},
        CompareCase{"AbsentMessageGivesDefaultZero", "trainingConfig.epochs", R"({})",
                    R"({"trainingConfig": {"epochs": 0}})", 0},
        CompareCase{"FloatsAsDouble", "trainingConfig.learningRate",
                    R"({"trainingConfig": {"learningRate": 0.5}})",
                    R"({"trainingConfig": {"learningRate": 1}})", -1},
        CompareCase{"BooleansFalseFirst", "wandbConfig.enabled", R"({})",
                    R"({"wandbConfig": {"enabled": true}})", -1},
        CompareCase{"EnumsByDeclaration", "state", R"({"state": "JOB_STATE_RUNNING"})",
                    R"({"state": "JOB_STATE_COMPLETED"})", -1},
        CompareCase{"AbsentEnumIsFirstValue", "state", R"({})",
                    R"({"state": "JOB_STATE_UNSPECIFIED"})", 0},
        CompareCase{"SecondKeyBreaksTies", "state, name desc",
                    R"({"state": "JOB_STATE_RUNNING", "name": "a"})",
                    R"({"state": "JOB_STATE_RUNNING", "name": "b"})", 1},
        CompareCase{"FirstKeyDecides", "state, name desc",
                    R"({"state": "JOB_STATE_CREATING", "name": "a"})",
                    R"({"state": "JOB_STATE_RUNNING", "name": "b"})", -1},
        CompareCase{"EmptyOrderByKeepsEverythingEqual", "", R"({"name": "a"})", R"({"name": "b"})",
                    0}),
    [](const auto& test) { return test.param.name; });

TEST(OrderByCompare, EnumsByNameOnRequest) {
  const OrderBy order_by = MustParse("state");
  const Json running = Json::parse(R"({"state": "JOB_STATE_RUNNING"})");
  const Json completed = Json::parse(R"({"state": "JOB_STATE_COMPLETED"})");
  EXPECT_LT(Compare(order_by, running, completed), 0);
  EXPECT_GT(Compare(order_by, running, completed, {.enum_order = EnumOrder::kName}), 0);
}

TEST(OrderByCompare, SortsAPageWithStdSort) {
  const OrderBy order_by = MustParse("createTime desc, name");
  std::vector<Json> jobs = {
      Json::parse(R"({"name": "c", "createTime": "2023-01-01T00:00:00Z"})"),
      Json::parse(R"({"name": "a", "createTime": "2023-01-01T02:00:00+02:00"})"),
      Json::parse(R"({"name": "b"})"),
      Json::parse(R"({"name": "d", "createTime": "2024-01-01T00:00:00Z"})"),
  };
  std::sort(jobs.begin(), jobs.end(),
            [&](const Json& x, const Json& y) { return Compare(order_by, x, y) < 0; });
  std::vector<std::string> names;
  for (const Json& job : jobs) {
    names.push_back(job["name"]);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"d", "a", "c", "b"}));
}

TEST(OrderByTieBreaker, AppendsNameUnlessPresent) {
  Result<OrderBy> with = WithTieBreaker(MustParse("state desc"), "name", testing::DpoJobCatalog());
  ASSERT_THAT(with, IsOk());
  EXPECT_EQ(Print(*with), "state desc,name");
  Result<OrderBy> already =
      WithTieBreaker(MustParse("name desc, state"), "name", testing::DpoJobCatalog());
  ASSERT_THAT(already, IsOk());
  EXPECT_EQ(Print(*already), "name desc,state");
  Result<OrderBy> from_empty = WithTieBreaker(OrderBy{}, "name", testing::DpoJobCatalog());
  ASSERT_THAT(from_empty, IsOk());
  EXPECT_EQ(Print(*from_empty), "name");
  EXPECT_THAT(WithTieBreaker(OrderBy{}, "status", testing::DpoJobCatalog()),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("not sortable")));
  EXPECT_THAT(WithTieBreaker(OrderBy{}, "id", testing::DpoJobCatalog()),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("unknown field 'id'")));
}

}  // namespace
}  // namespace order_by_test
}  // namespace conform::aip
