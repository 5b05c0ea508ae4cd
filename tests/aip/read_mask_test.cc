#include "aip/read_mask.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/aip/test_catalogs.h"
#include "tests/support/result_matchers.h"

namespace conform::aip {
namespace read_mask_test {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

struct ParseCase {
  std::string name;
  std::string text;
  std::string printed;
};

class ReadMaskParseTest : public ::testing::TestWithParam<ParseCase> {};

TEST_P(ReadMaskParseTest, ParsesAndPrintsCanonically) {
  const ParseCase& c = GetParam();
  Result<ReadMask> mask = ParseReadMask(c.text, testing::DpoJobCatalog());
  ASSERT_THAT(mask, IsOk()) << c.text;
  EXPECT_EQ(Print(*mask), c.printed);
  Result<ReadMask> again = ParseReadMask(Print(*mask), testing::DpoJobCatalog());
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(*again, *mask);
}

INSTANTIATE_TEST_SUITE_P(
    ReadMaskValid, ReadMaskParseTest,
    ::testing::Values(ParseCase{"Empty", "", "*"}, ParseCase{"Star", "*", "*"},
                      ParseCase{"StarWithSpaces", "  * ", "*"},
                      ParseCase{"StarAmongPaths", "name,*", "*"},
                      ParseCase{"OnePath", "name", "name"},
                      ParseCase{"SortedAndSpacesIgnored", " state , name ", "name,state"},
                      ParseCase{"DuplicatesMerged", "name,name", "name"},
                      ParseCase{"SubfieldUnderMaskedParentDropped",
                                "trainingConfig.region,trainingConfig", "trainingConfig"},
                      ParseCase{"Subfields", "trainingConfig.region,trainingConfig.epochs",
                                "trainingConfig.epochs,trainingConfig.region"}),
    [](const auto& test) { return test.param.name; });

struct ErrorCase {
  std::string name;
  std::string text;
  int column;
  std::string message;
};

class ReadMaskErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ReadMaskErrorTest, RejectsWithColumn) {
  const ErrorCase& c = GetParam();
  const bool book = c.name.starts_with("Book");
  Result<ReadMask> mask =
      ParseReadMask(c.text, book ? testing::BookCatalog() : testing::DpoJobCatalog());
  EXPECT_THAT(mask, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr(c.message))) << c.text;
  if (!mask) {
    EXPECT_EQ(mask.error().where, "column " + std::to_string(c.column)) << c.text;
  }
}

INSTANTIATE_TEST_SUITE_P(
    ReadMaskErrors, ReadMaskErrorTest,
    ::testing::Values(
        ErrorCase{"UnknownField", "name,nmae", 6, "read-mask path 'nmae': unknown field"},
        ErrorCase{"UnknownSubfield", "trainingConfig.regoin", 16,
                  "unknown field 'trainingConfig.regoin' (did you mean 'region'?)"},
        ErrorCase{"EmptyPath", "name,,state", 6, "empty path"},
        ErrorCase{"TrailingComma", "name, ", 7, "empty path"},
        ErrorCase{"EmptySegment", "trainingConfig..region", 16, "empty field name"},
        ErrorCase{"WhitespaceInside", "trainingConfig. region", 16, "whitespace inside"},
        ErrorCase{"StarSegment", "trainingConfig.*", 16, "'*' is only allowed"},
        ErrorCase{"IntoScalar", "name.first", 6, "not a message"},
        ErrorCase{"NulByte", std::string("na\0me", 5), 3, "NUL byte"},
        ErrorCase{"BookIntoRepeated", "authors.name", 9, "inside repeated field 'authors'"},
        ErrorCase{"BookIntoMapValue", "labels.env.x", 12, "inside a map value"}),
    [](const auto& test) { return test.param.name; });

TEST(ReadMaskParse, AcceptsMapKeys) {
  Result<ReadMask> mask = ParseReadMask("labels.env, name", testing::BookCatalog());
  ASSERT_THAT(mask, IsOk());
  EXPECT_EQ(Print(*mask), "labels.env,name");
}

TEST(ReadMaskProject, KeepsOnlyMaskedPaths) {
  Result<ReadMask> mask =
      ParseReadMask("name, trainingConfig.region, status, completedTime", testing::DpoJobCatalog());
  ASSERT_THAT(mask, IsOk());
  const Json projected = Project(*mask, testing::SampleDpoJob());
  EXPECT_EQ(projected, Json::parse(R"({
    "name": "accounts/acme/dpoJobs/job-1",
    "trainingConfig": {"region": "US_IOWA_1"},
    "status": {"code": "OK", "message": "running"}
  })"));
}

TEST(ReadMaskProject, AllFieldsKeepsTheResource) {
  Result<ReadMask> mask = ParseReadMask("*", testing::DpoJobCatalog());
  ASSERT_THAT(mask, IsOk());
  EXPECT_EQ(Project(*mask, testing::SampleDpoJob()), testing::SampleDpoJob());
}

TEST(ReadMaskProject, MapKeysAndRepeatedFields) {
  Result<ReadMask> mask = ParseReadMask("labels.env,authors,labels.none", testing::BookCatalog());
  ASSERT_THAT(mask, IsOk());
  EXPECT_EQ(Project(*mask, testing::SampleBook()), Json::parse(R"({
    "labels": {"env": "prod"},
    "authors": [{"name": "Ann", "age": 40}, {"name": "Bob"}]
  })"));
}

TEST(ReadMaskProject, SkipsPathsThroughNonObjects) {
  Result<ReadMask> mask = ParseReadMask("trainingConfig.region", testing::DpoJobCatalog());
  ASSERT_THAT(mask, IsOk());
  EXPECT_EQ(Project(*mask, Json::parse(R"({"trainingConfig": "oops", "name": "x"})")),
            Json::object());
  EXPECT_EQ(Project(*mask, Json::array()), Json::array());
}

TEST(ReadMaskCoverage, ClassifiesPaths) {
  Result<ReadMask> mask = ParseReadMask("name,trainingConfig.region", testing::DpoJobCatalog());
  ASSERT_THAT(mask, IsOk());
  EXPECT_EQ(Coverage(*mask, "name"), MaskCoverage::kFull);
  EXPECT_EQ(Coverage(*mask, "trainingConfig.region"), MaskCoverage::kFull);
  EXPECT_EQ(Coverage(*mask, "trainingConfig"), MaskCoverage::kPartial);
  EXPECT_EQ(Coverage(*mask, ""), MaskCoverage::kPartial);
  EXPECT_EQ(Coverage(*mask, "trainingConfig.epochs"), MaskCoverage::kNone);
  EXPECT_EQ(Coverage(*mask, "nam"), MaskCoverage::kNone);
  EXPECT_EQ(Coverage(*mask, "namespace"), MaskCoverage::kNone);
  EXPECT_EQ(Coverage(*mask, "trainingConfigX"), MaskCoverage::kNone);
  EXPECT_TRUE(Allows(*mask, "trainingConfig"));
  EXPECT_FALSE(Allows(*mask, "displayName"));
  EXPECT_TRUE(Allows(ReadMask{}, "anything.at.all"));
}

TEST(ReadMaskCoverage, MessagePathCoversItsSubfields) {
  Result<ReadMask> mask = ParseReadMask("status", testing::DpoJobCatalog());
  ASSERT_THAT(mask, IsOk());
  EXPECT_EQ(Coverage(*mask, "status.code"), MaskCoverage::kFull);
  EXPECT_FALSE(Allows(*mask, "state"));
}

}  // namespace
}  // namespace read_mask_test
}  // namespace conform::aip
