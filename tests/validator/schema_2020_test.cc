// Response schemas beyond what valijson 1.0 (draft 7) knows: writeOnly properties in
// `required`, JSON Schema 2020-12 keywords in OpenAPI 3.1, and integers written as 1.0.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/support/result_matchers.h"
#include "validator/schema_util.h"
#include "validator/schema_validator.h"

namespace conform::validator {
namespace schema_2020_test {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Json = nlohmann::json;

std::shared_ptr<const SchemaValidator> Compile(const Json& schema, Dialect dialect) {
  auto compiled = SchemaValidator::Compile(CanonicalSchema(schema, dialect), Json::object());
  EXPECT_THAT(compiled, IsOk());
  return compiled.ok() ? *compiled : nullptr;
}

auto Violation(const std::string& check_id, const std::string& pointer) {
  return AllOf(Field(&SchemaViolation::check_id, check_id), Field(&SchemaViolation::pointer, pointer));
}

// --- writeOnly and required --------------------------------------------------------------

const Json kAccount = Json::parse(R"({
  "type": "object",
  "required": ["name", "password"],
  "properties": {
    "name": {"type": "string"},
    "password": {"type": "string", "writeOnly": true}
  }})");

class WriteOnlyRequired : public ::testing::TestWithParam<Dialect> {};

TEST_P(WriteOnlyRequired, AbsentWriteOnlyPropertyIsNotMissing) {
  auto schema = Compile(kAccount, GetParam());
  ASSERT_NE(schema, nullptr);
  EXPECT_THAT(schema->Validate(Json::parse(R"({"name": "a"})")), IsEmpty());
}

TEST_P(WriteOnlyRequired, OtherRequiredPropertiesStillApply) {
  auto schema = Compile(kAccount, GetParam());
  ASSERT_NE(schema, nullptr);
  EXPECT_THAT(schema->Validate(Json::object()), ElementsAre(Violation("response.schema.required", "/name")));
}

TEST_P(WriteOnlyRequired, PresentWriteOnlyPropertyIsStillReported) {
  auto schema = Compile(kAccount, GetParam());
  ASSERT_NE(schema, nullptr);
  EXPECT_THAT(schema->Validate(Json::parse(R"({"name": "a", "password": "p"})")),
              ElementsAre(Violation("response.schema.write_only", "/password")));
}

TEST_P(WriteOnlyRequired, RequiredInOneAllOfBranchWriteOnlyInAnother) {
  auto schema = Compile(Json::parse(R"({"allOf": [
      {"type": "object", "properties": {"name": {"type": "string"},
                                        "password": {"type": "string", "writeOnly": true}}},
      {"required": ["name", "password"]}]})"),
                        GetParam());
  ASSERT_NE(schema, nullptr);
  EXPECT_THAT(schema->Validate(Json::parse(R"({"name": "a"})")), IsEmpty());
  EXPECT_THAT(schema->Validate(Json::object()), ElementsAre(Violation("response.schema.required", "/name")));
}

TEST_P(WriteOnlyRequired, NestedObjectsToo) {
  auto schema = Compile(Json{{"type", "object"}, {"properties", {{"accounts", {{"type", "array"}, {"items", kAccount}}}}}},
                        GetParam());
  ASSERT_NE(schema, nullptr);
  EXPECT_THAT(schema->Validate(Json::parse(R"({"accounts": [{"name": "a"}, {}]})")),
              ElementsAre(Violation("response.schema.required", "/accounts/1/name")));
}

INSTANTIATE_TEST_SUITE_P(Dialects, WriteOnlyRequired,
                         ::testing::Values(Dialect::kOpenApi30, Dialect::kOpenApi31),
                         [](const auto& param_info) { return param_info.param == Dialect::kOpenApi30 ? "OpenApi30" : "OpenApi31"; });

// --- JSON Schema 2020-12 in OpenAPI 3.1 ----------------------------------------------------

const Json kPair = Json::parse(R"({
  "type": "object",
  "properties": {"pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}],
                          "items": false}}})");

TEST(Schema2020, PrefixItemsWithItemsFalseAcceptsTheExactTuple) {
  auto schema = Compile(kPair, Dialect::kOpenApi31);
  ASSERT_NE(schema, nullptr);
  EXPECT_THAT(schema->Validate(Json::parse(R"({"pair": ["a", 1]})")), IsEmpty());
  EXPECT_THAT(schema->Validate(Json::parse(R"({"pair": ["a"]})")), IsEmpty());
}

TEST(Schema2020, PrefixItemsWithItemsFalseRejectsExtraItems) {
  auto schema = Compile(kPair, Dialect::kOpenApi31);
  ASSERT_NE(schema, nullptr);
  EXPECT_THAT(schema->Validate(Json::parse(R"({"pair": ["a", 1, 2]})")),
              ElementsAre(Violation("response.schema.constraint", "/pair")));
}

TEST(Schema2020, PrefixItemsCheckEachPosition) {
  auto schema = Compile(kPair, Dialect::kOpenApi31);
  ASSERT_NE(schema, nullptr);
  EXPECT_THAT(schema->Validate(Json::parse(R"({"pair": [1, "a"]})")),
              ElementsAre(Violation("response.schema.type", "/pair/0"), Violation("response.schema.type", "/pair/1")));
}

TEST(Schema2020, ItemsBesidePrefixItemsCheckTheRest) {
  auto schema = Compile(Json::parse(R"({"type": "array", "prefixItems": [{"type": "integer"}],
                                        "items": {"type": "string", "format": "date-time"}})"),
                        Dialect::kOpenApi31);
  ASSERT_NE(schema, nullptr);
  EXPECT_THAT(schema->Validate(Json::parse(R"([1, "2023-11-07T05:31:56Z"])")), IsEmpty());
  EXPECT_THAT(schema->Validate(Json::parse(R"([1, "2023-11-07T05:31:56Z", 3, "soon"])")),
              ElementsAre(Violation("response.schema.type", "/2"), Violation("response.schema.format", "/3")));
}

TEST(Schema2020, FormatsInsidePrefixItemsAreChecked) {
  auto schema = Compile(Json::parse(R"({"type": "array", "prefixItems": [{"type": "string", "format": "date-time"}]})"),
                        Dialect::kOpenApi31);
  ASSERT_NE(schema, nullptr);
  EXPECT_THAT(schema->Validate(Json::parse(R"(["yesterday"])")), ElementsAre(Violation("response.schema.format", "/0")));
}

TEST(Schema2020, DependentRequiredIsChecked) {
  auto schema = Compile(Json::parse(R"({"type": "object", "dependentRequired": {"a": ["b"]}})"), Dialect::kOpenApi31);
  ASSERT_NE(schema, nullptr);
  EXPECT_THAT(schema->Validate(Json::parse(R"({"a": 1, "b": 2})")), IsEmpty());
  EXPECT_THAT(schema->Validate(Json::parse(R"({"b": 2})")), IsEmpty());
  EXPECT_THAT(schema->Validate(Json::parse(R"({"a": 1})")), ElementsAre(Violation("response.schema.constraint", "")));
}

TEST(Schema2020, DependentSchemasIsChecked) {
  auto schema = Compile(Json::parse(R"({"type": "object",
      "dependentSchemas": {"a": {"properties": {"b": {"type": "integer"}}}}})"),
                        Dialect::kOpenApi31);
  ASSERT_NE(schema, nullptr);
  EXPECT_THAT(schema->Validate(Json::parse(R"({"a": 1, "b": 2})")), IsEmpty());
  EXPECT_THAT(schema->Validate(Json::parse(R"({"b": "x"})")), IsEmpty());
  EXPECT_THAT(schema->Validate(Json::parse(R"({"a": 1, "b": "x"})")),
              ::testing::Contains(Field(&SchemaViolation::pointer, "/b")));
}

TEST(Schema2020, PrefixItemsIsLeftAloneInOpenApi30) {
  EXPECT_EQ(CanonicalSchema(kPair, Dialect::kOpenApi30)["properties"]["pair"].count("prefixItems"), 1U);
  EXPECT_EQ(CanonicalSchema(kPair, Dialect::kOpenApi31)["properties"]["pair"].count("prefixItems"), 0U);
}

TEST(Schema2020, MinContainsZeroAcceptsAnArrayWithoutAMatch) {
  auto schema = Compile(Json::parse(R"({"type": "array", "contains": {"type": "string"}, "minContains": 0})"),
                        Dialect::kOpenApi31);
  ASSERT_NE(schema, nullptr);
  EXPECT_THAT(schema->Validate(Json::parse("[1]")), IsEmpty());
}

struct UncheckedCase {
  std::string name;
  std::string schema;
  std::string located;  // "keyword at /schema/pointer"
};

class UncheckedKeyword : public ::testing::TestWithParam<UncheckedCase> {};

TEST_P(UncheckedKeyword, IsReportedOnEveryResponseNotPassedSilently) {
  auto schema = Compile(Json::parse(GetParam().schema), Dialect::kOpenApi31);
  ASSERT_NE(schema, nullptr);
  std::vector<SchemaViolation> found = schema->Validate(Json::parse(R"({"a": [1, 2]})"));
  ASSERT_THAT(found, ElementsAre(Violation("response.schema.keyword_unchecked", "")));
  EXPECT_THAT(found[0].message, HasSubstr(GetParam().located));
}

INSTANTIATE_TEST_SUITE_P(
    Schema2020, UncheckedKeyword,
    ::testing::Values(
        UncheckedCase{"UnevaluatedProperties",
                      R"({"type": "object", "properties": {"a": {}}, "unevaluatedProperties": false})",
                      "unevaluatedProperties at /unevaluatedProperties"},
        UncheckedCase{"UnevaluatedItems",
                      R"({"properties": {"a": {"type": "array", "unevaluatedItems": false}}})",
                      "unevaluatedItems at /properties/a/unevaluatedItems"},
        UncheckedCase{"MaxContains",
                      R"({"properties": {"a": {"contains": {"type": "integer"}, "maxContains": 1}}})",
                      "maxContains at /properties/a/maxContains"},
        UncheckedCase{"MinContainsOverOne",
                      R"({"properties": {"a": {"contains": {"type": "integer"}, "minContains": 2}}})",
                      "minContains at /properties/a/minContains"},
        UncheckedCase{"DynamicRefInAllOf", R"({"allOf": [{"type": "object"}, {"$dynamicRef": "#node"}]})",
                      "$dynamicRef at /allOf/1/$dynamicRef"},
        UncheckedCase{"NestedInPrefixItems",
                      R"({"properties": {"a": {"prefixItems": [{"unevaluatedProperties": false}]}}})",
                      "unevaluatedProperties at /properties/a/items/0/unevaluatedProperties"}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(Schema2020, APropertyNamedLikeAKeywordIsNotReported) {
  auto schema = Compile(Json::parse(R"({"properties": {"maxContains": {"type": "integer"}}})"), Dialect::kOpenApi31);
  ASSERT_NE(schema, nullptr);
  EXPECT_THAT(schema->Validate(Json::parse(R"({"maxContains": 1})")), IsEmpty());
}

// --- integers written with a zero fraction ---------------------------------------------------

class ZeroFraction : public ::testing::TestWithParam<std::string> {};

TEST_P(ZeroFraction, IsAnInteger) {
  auto schema = Compile(Json::parse(R"({"type": "object", "properties": {
      "n": {"type": "integer", "format": "int32"},
      "list": {"type": "array", "items": {"type": "integer", "minimum": 0}}}})"),
                        Dialect::kOpenApi31);
  ASSERT_NE(schema, nullptr);
  EXPECT_THAT(schema->Validate(Json::parse(R"({"n": )" + GetParam() + R"(, "list": [1.0, 2, 3e0]})")), IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(Schema2020, ZeroFraction,
                         ::testing::Values("1.0", "2147483647.0", "1e2", "-2147483648.0", "-0.0", "0.0"),
                         [](const auto& param_info) { return "Case" + std::to_string(param_info.index); });

TEST(Schema2020, ZeroFractionStillMeetsIntegerFormats) {
  auto schema = Compile(Json::parse(R"({"type": "integer", "format": "int32"})"), Dialect::kOpenApi31);
  ASSERT_NE(schema, nullptr);
  EXPECT_THAT(schema->Validate(Json::parse("2147483648.0")), ElementsAre(Violation("response.schema.format", "")));
  auto int64 = Compile(Json::parse(R"({"type": "integer", "format": "int64"})"), Dialect::kOpenApi31);
  ASSERT_NE(int64, nullptr);
  EXPECT_THAT(int64->Validate(Json::parse("9223372036854775808.0")),
              ElementsAre(Violation("response.schema.format", "")));
}

TEST(Schema2020, AFractionIsStillNotAnInteger) {
  auto schema = Compile(Json::parse(R"({"type": "integer"})"), Dialect::kOpenApi31);
  ASSERT_NE(schema, nullptr);
  EXPECT_THAT(schema->Validate(Json::parse("1.5")), ElementsAre(Violation("response.schema.type", "")));
}

TEST(Schema2020, WholeNumbersBeyondInt64AndUint64AreReportedAsOutOfRange) {
  auto schema = Compile(Json::parse(R"({"type": "integer"})"), Dialect::kOpenApi31);
  ASSERT_NE(schema, nullptr);
  for (const char* text : {"-9223372036854775809", "18446744073709551616", "1e300"}) {
    std::vector<SchemaViolation> found = schema->Validate(Json::parse(text));
    ASSERT_THAT(found, ElementsAre(Violation("response.schema.type", ""))) << text;
    EXPECT_THAT(found[0].message, HasSubstr("outside the int64 and uint64 range")) << text;
  }
}

TEST(Schema2020, ZeroFractionKeepsItsTextInMessages) {
  auto schema = Compile(Json::parse(R"({"type": "integer", "maximum": 5})"), Dialect::kOpenApi31);
  ASSERT_NE(schema, nullptr);
  std::vector<SchemaViolation> found = schema->Validate(Json::parse("6.0"));
  ASSERT_THAT(found, ElementsAre(Violation("response.schema.constraint", "")));
  EXPECT_THAT(found[0].actual, HasSubstr("6.0"));
}

}  // namespace
}  // namespace schema_2020_test
}  // namespace conform::validator
