#include "validator/schema_validator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/support/result_matchers.h"
#include "tests/support/test_names.h"
#include "validator/schema_util.h"

namespace conform::validator {
namespace schema_validator_test {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Json = nlohmann::json;

std::shared_ptr<const SchemaValidator> Compile(const Json& schema) {
  auto compiled = SchemaValidator::Compile(CanonicalSchema(schema, Dialect::kOpenApi30), Json::object());
  EXPECT_THAT(compiled, IsOk());
  return compiled.ok() ? *compiled : nullptr;
}

const Json kJob = Json::parse(R"({
  "type": "object",
  "required": ["dataset"],
  "properties": {
    "name": {"type": "string", "readOnly": true},
    "dataset": {"type": "string"},
    "createTime": {"type": "string", "format": "date-time"},
    "state": {"type": "string", "enum": ["JOB_STATE_UNSPECIFIED", "JOB_STATE_RUNNING"]},
    "config": {"type": "object", "properties": {
      "epochs": {"type": "integer", "format": "int32"},
      "learningRate": {"type": "number", "format": "float"},
      "steps": {"type": "integer", "format": "int64"}}},
    "password": {"type": "string", "writeOnly": true},
    "note": {"type": "string", "nullable": true}
  }})");

const Json kList = Json{{"type", "object"},
                        {"properties",
                         {{"jobs", {{"type", "array"}, {"items", kJob}}},
                          {"totalSize", {{"type", "integer"}, {"format", "int32"}}}}}};

TEST(SchemaValidator, AcceptsAValidInstance) {
  auto schema = Compile(kList);
  Json instance = Json::parse(R"({"jobs": [{"name": "a", "dataset": "d", "createTime": "2023-11-07T05:31:56Z",
    "state": "JOB_STATE_RUNNING", "config": {"epochs": 3, "learningRate": 0.5, "steps": 9007199254740993},
    "note": null}], "totalSize": 1})");
  EXPECT_THAT(schema->Validate(instance), ::testing::IsEmpty());
}

struct ViolationCase {
  std::string name;
  std::string instance;
  std::string check_id;
  std::string pointer;
};

void PrintTo(const ViolationCase& c, std::ostream* os) { *os << c.name; }

class SchemaViolations : public ::testing::TestWithParam<ViolationCase> {};

// Each violation is reported once, at its root cause, with the right JSON pointer: valijson's
// cascade of "failed to validate property ..." lines is collapsed.
TEST_P(SchemaViolations, ReportsOneRootCauseAtItsPointer) {
  const ViolationCase& c = GetParam();
  auto schema = Compile(kList);
  std::vector<SchemaViolation> found = schema->Validate(Json::parse(c.instance));
  ASSERT_EQ(found.size(), 1u) << (found.empty() ? "none" : found[0].message + " / " + found.back().message);
  EXPECT_EQ(found[0].check_id, c.check_id);
  EXPECT_EQ(found[0].pointer, c.pointer);
  EXPECT_FALSE(found[0].message.empty());
  EXPECT_FALSE(found[0].expected.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, SchemaViolations,
    ::testing::Values(
        ViolationCase{"Enum", R"({"jobs": [{"dataset": "d", "state": "DONE"}]})", "response.schema.enum",
                      "/jobs/0/state"},
        ViolationCase{"Required", R"({"jobs": [{"dataset": "d"}, {"name": "x"}]})", "response.schema.required",
                      "/jobs/1/dataset"},
        ViolationCase{"TypeIntegerAsString", R"({"totalSize": "3"})", "response.schema.type", "/totalSize"},
        ViolationCase{"TypeNested", R"({"jobs": [{"dataset": "d", "config": {"epochs": 1.5}}]})",
                      "response.schema.type", "/jobs/0/config/epochs"},
        ViolationCase{"NullNotAllowed", R"({"jobs": [{"dataset": null}]})", "response.schema.type",
                      "/jobs/0/dataset"},
        ViolationCase{"DateTimeWithSpace", R"({"jobs": [{"dataset": "d", "createTime": "2023-11-07 05:31:56"}]})",
                      "response.schema.format", "/jobs/0/createTime"},
        ViolationCase{"DateTimeWithoutOffset", R"({"jobs": [{"dataset": "d", "createTime": "2023-11-07T05:31:56"}]})",
                      "response.schema.format", "/jobs/0/createTime"},
        ViolationCase{"Month13", R"({"jobs": [{"dataset": "d", "createTime": "2023-13-07T05:31:56Z"}]})",
                      "response.schema.format", "/jobs/0/createTime"},
        ViolationCase{"February30", R"({"jobs": [{"dataset": "d", "createTime": "2024-02-30T05:31:56Z"}]})",
                      "response.schema.format", "/jobs/0/createTime"},
        ViolationCase{"February29NonLeap", R"({"jobs": [{"dataset": "d", "createTime": "2023-02-29T05:31:56Z"}]})",
                      "response.schema.format", "/jobs/0/createTime"},
        ViolationCase{"Int32Overflow", R"({"totalSize": 2147483648})", "response.schema.format", "/totalSize"},
        ViolationCase{"Int32Underflow", R"({"totalSize": -2147483649})", "response.schema.format", "/totalSize"},
        ViolationCase{"Int64Overflow", R"({"jobs": [{"dataset": "d", "config": {"steps": 9223372036854775808}}]})",
                      "response.schema.format", "/jobs/0/config/steps"},
        ViolationCase{"FloatOverflow", R"({"jobs": [{"dataset": "d", "config": {"learningRate": 1e39}}]})",
                      "response.schema.format", "/jobs/0/config/learningRate"},
        ViolationCase{"WriteOnlyInResponse", R"({"jobs": [{"dataset": "d", "password": "x"}]})",
                      "response.schema.write_only", "/jobs/0/password"}),
    [](const ::testing::TestParamInfo<ViolationCase>& param_info) { return param_info.param.name; });

TEST(SchemaValidator, EnumViolationExplainsTheAllowedValues) {
  auto schema = Compile(kList);
  auto found = schema->Validate(Json::parse(R"({"jobs": [{"dataset": "d", "state": "DONE"}]})"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0].expected, HasSubstr("JOB_STATE_RUNNING"));
  EXPECT_EQ(found[0].actual, "\"DONE\"");
}

TEST(SchemaValidator, TypeViolationNamesExpectedAndActual) {
  auto schema = Compile(kList);
  auto found = schema->Validate(Json::parse(R"({"totalSize": "3"})"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].expected, "integer");
  EXPECT_EQ(found[0].message, "expected integer, got string");
}

TEST(SchemaValidator, ReportsEveryViolationOrderedByLocation) {
  auto schema = Compile(kList);
  Json jobs = Json::array();
  for (int i = 0; i < 11; ++i) {
    jobs.push_back({{"dataset", "d"}});
  }
  jobs[0] = {{"state", "X"}};
  jobs[2] = {{"dataset", "d"}, {"createTime", "yesterday"}};
  jobs[10] = {{"dataset", 7}};
  auto found = schema->Validate(Json{{"jobs", jobs}, {"totalSize", "1"}});
  EXPECT_THAT(found, ElementsAre(Field(&SchemaViolation::pointer, "/jobs/0/dataset"),
                                 Field(&SchemaViolation::pointer, "/jobs/0/state"),
                                 Field(&SchemaViolation::pointer, "/jobs/2/createTime"),
                                 Field(&SchemaViolation::pointer, "/jobs/10/dataset"),
                                 Field(&SchemaViolation::pointer, "/totalSize")));
}

TEST(SchemaValidator, AdditionalPropertiesDefaultToAllowed) {
  auto schema = Compile(kList);
  EXPECT_THAT(schema->Validate(Json::parse(R"({"jobs": [{"dataset": "d", "extra": 1}], "more": true})")),
              ::testing::IsEmpty());
}

TEST(SchemaValidator, StrictReportsUndeclaredPropertiesAsDrift) {
  auto schema = Compile(kList);
  auto found = schema->Validate(Json::parse(R"({"jobs": [{"dataset": "d", "extra": 1}], "more": true})"),
                                {.strict = true});
  EXPECT_THAT(found, ElementsAre(AllOf(Field(&SchemaViolation::check_id, "response.schema.undeclared_property"),
                                       Field(&SchemaViolation::pointer, "/jobs/0/extra")),
                                 Field(&SchemaViolation::pointer, "/more")));
}

TEST(SchemaValidator, AdditionalPropertiesFalseIsEnforced) {
  auto schema = Compile(Json::parse(R"({"type": "object", "additionalProperties": false,
    "properties": {"a": {"type": "string"}}})"));
  auto found = schema->Validate(Json::parse(R"({"a": "x", "b~/c": 1})"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].check_id, "response.schema.additional_property");
  EXPECT_EQ(found[0].pointer, "/b~0~1c");
}

TEST(SchemaValidator, AllOfMergesPropertiesForFormatsAndRequired) {
  auto schema = Compile(Json::parse(R"({"allOf": [
    {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
    {"type": "object", "properties": {"t": {"type": "string", "format": "date-time"}}}]})"));
  auto found = schema->Validate(Json::parse(R"({"t": "2023-02-29T00:00:00Z"})"));
  EXPECT_THAT(found, ElementsAre(Field(&SchemaViolation::pointer, "/a"), Field(&SchemaViolation::pointer, "/t")));
}

TEST(SchemaValidator, NullableAndTypeArraysAllowNull) {
  auto thirty = Compile(Json::parse(R"({"type": "string", "nullable": true})"));
  EXPECT_THAT(thirty->Validate(Json(nullptr)), ::testing::IsEmpty());
  auto compiled = SchemaValidator::Compile(Json::parse(R"({"type": ["string", "null"], "format": "date-time"})"),
                                           Json::object());
  ASSERT_THAT(compiled, IsOk());
  EXPECT_THAT((*compiled)->Validate(Json(nullptr)), ::testing::IsEmpty());
  EXPECT_EQ((*compiled)->Validate(Json("not a time")).size(), 1u);
}

TEST(SchemaValidator, FailedOneOfIsOneFindingWithItsReasons) {
  auto schema = Compile(Json::parse(R"({"oneOf": [
    {"type": "object", "required": ["code", "message"]},
    {"type": "object", "required": ["error"]}]})"));
  auto found = schema->Validate(Json::parse(R"({"detail": "x"})"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].check_id, "response.schema.constraint");
  EXPECT_EQ(found[0].pointer, "");
  EXPECT_THAT(found[0].message, HasSubstr("oneOf"));
  EXPECT_THAT(found[0].message, HasSubstr("'error'"));
}

TEST(SchemaValidator, RecursiveSchemasValidateThroughDefinitions) {
  Json node = Json::parse(R"({"type": "object", "required": ["name"], "properties": {
    "name": {"type": "string"}, "at": {"type": "string", "format": "date-time"},
    "children": {"type": "array", "items": {"$ref": "#/definitions/Node"}}}})");
  Json definitions = {{"Node", node}};
  auto compiled = SchemaValidator::Compile(node, definitions);
  ASSERT_THAT(compiled, IsOk());
  auto found = (*compiled)->Validate(
      Json::parse(R"({"name": "a", "children": [{"name": "b", "children": [{"at": "2023-02-29T00:00:00Z"}]}]})"));
  EXPECT_THAT(found, ElementsAre(Field(&SchemaViolation::pointer, "/children/0/children/0/at"),
                                 Field(&SchemaViolation::pointer, "/children/0/children/0/name")));
}

// SchemaAt (what the schema wants at a finding's location) follows the $refs a compiled schema
// keeps for recursive definitions, and a definition that is only itself ends, not recursing.
TEST(SchemaUtil, SchemaAtFollowsDefinitionsAndEndsOnASchemaThatIsOnlyItself) {
  Json schema = Json::parse(R"({"$ref": "#/definitions/Node", "definitions": {
      "Node": {"properties": {"children": {"items": {"$ref": "#/definitions/Node"}},
                              "kind": {"enum": ["a"]}}},
      "Self": {"allOf": [{"$ref": "#/definitions/Self"}]}}})");
  const Json* kind = SchemaAt(schema, "/children/0/children/1/kind");
  ASSERT_NE(kind, nullptr);
  EXPECT_EQ(*kind, Json::parse(R"({"enum": ["a"]})"));
  Json self = schema;
  self["$ref"] = "#/definitions/Self";
  EXPECT_EQ(SchemaAt(self, "/a/b"), nullptr);
}

TEST(SchemaValidator, StringFormatsBeyondDatesAreChecked) {
  Json node = Json::parse(R"({"type": "object", "properties": {
      "id": {"type": "string", "format": "uuid"},
      "owner": {"type": "string", "format": "email"},
      "site": {"type": "string", "format": "uri"},
      "tint": {"type": "string", "format": "color"},
      "ttl": {"type": "string", "format": "duration"}}})");
  auto compiled = SchemaValidator::Compile(node, Json::object());
  ASSERT_THAT(compiled, IsOk());
  EXPECT_THAT((*compiled)->Validate(Json::parse(
                  R"({"id": "3f2c9a1e-8b7d-4c2a-9e1f-0a1b2c3d4e5f", "owner": "ann@example.com",
                      "site": "https://example.com", "tint": "?", "ttl": "PT90S"})")),
              IsEmpty());
  auto found = (*compiled)->Validate(Json::parse(
      R"({"id": "17", "owner": "ann", "site": "developer.github.com", "tint": "?", "ttl": "PT0.5S"})"));
  ASSERT_THAT(found, ElementsAre(Field(&SchemaViolation::pointer, "/id"),
                                 Field(&SchemaViolation::pointer, "/owner"),
                                 Field(&SchemaViolation::pointer, "/site"),
                                 Field(&SchemaViolation::pointer, "/ttl")));
  // ISO 8601 allows a fraction; JSON Schema's duration (RFC 3339 Appendix A) does not: say so.
  EXPECT_THAT(found[3].expected, HasSubstr("Appendix A duration (whole numbers)"));
  EXPECT_EQ(found[0].check_id, "response.schema.format");
  EXPECT_EQ(found[0].message, "value is not a valid uuid");
  EXPECT_THAT(found[0].expected, HasSubstr("RFC 4122 UUID"));
  EXPECT_EQ(found[2].actual, "\"developer.github.com\"");
}

struct FormatCase {
  std::string format;
  std::string value;
  bool valid;
};

class StringFormats : public ::testing::TestWithParam<FormatCase> {};

TEST_P(StringFormats, FollowTheirRfcsAndIntegerRanges) {
  EXPECT_EQ(StringMatchesFormat(GetParam().format, GetParam().value), GetParam().valid)
      << GetParam().format << " " << GetParam().value;
}

INSTANTIATE_TEST_SUITE_P(
    Values, StringFormats,
    ::testing::Values(
        FormatCase{"date-time", "2023-11-07T05:31:56Z", true},
        FormatCase{"date-time", "2023-11-07t05:31:56z", true},
        FormatCase{"date-time", "2023-11-07T05:31:56.123456789+05:30", true},
        FormatCase{"date-time", "2024-02-29T00:00:00Z", true},
        FormatCase{"date-time", "2000-02-29T00:00:00Z", true},
        FormatCase{"date-time", "2023-11-07 05:31:56", false},
        FormatCase{"date-time", "2023-11-07T05:31:56", false},
        FormatCase{"date-time", "2023-13-07T05:31:56Z", false},
        FormatCase{"date-time", "2024-02-30T05:31:56Z", false},
        FormatCase{"date-time", "2023-02-29T05:31:56Z", false},
        FormatCase{"date-time", "1900-02-29T05:31:56Z", false},
        FormatCase{"date-time", "2023-04-31T00:00:00Z", false},
        FormatCase{"date-time", "2023-11-07T24:00:00Z", false},
        FormatCase{"date-time", "2023-11-07T05:31:56+24:00", false},
        FormatCase{"date-time", "", false}, FormatCase{"date", "2023-11-07", true},
        FormatCase{"date", "2023-02-29", false}, FormatCase{"int64", "-9223372036854775808", true},
        FormatCase{"int64", "9223372036854775808", false}, FormatCase{"int32", "2147483647", true},
        FormatCase{"int32", "2147483648", false}, FormatCase{"time", "05:31:56Z", true},
        FormatCase{"time", "05:31:56.5+05:30", true}, FormatCase{"time", "05:31:56", false},
        FormatCase{"time", "25:00:00Z", false},
        FormatCase{"uuid", "3f2c9a1e-8b7d-4c2a-9e1f-0a1b2c3d4e5f", true},
        FormatCase{"uuid", "3F2C9A1E-8B7D-4C2A-9E1F-0A1B2C3D4E5F", true},
        FormatCase{"uuid", "urn:uuid:3f2c9a1e-8b7d-4c2a-9e1f-0a1b2c3d4e5f", true},
        FormatCase{"uuid", "3f2c9a1e8b7d4c2a9e1f0a1b2c3d4e5f", false},
        FormatCase{"uuid", "3f2c9a1e-8b7d-4c2a-9e1f-0a1b2c3d4e5g", false},
        FormatCase{"uuid", "{3f2c9a1e-8b7d-4c2a-9e1f-0a1b2c3d4e5f}", false},
        FormatCase{"email", "ann@example.com", true},
        FormatCase{"email", "ann.lee+tag@mail.example.co.uk", true},
        FormatCase{"email", "\"ann lee\"@example.com", true},
        FormatCase{"email", "ann@[192.0.2.1]", true},
        FormatCase{"email", "ann@[IPv6:2001:db8::1]", true},
        FormatCase{"email", "ann@localhost", true}, FormatCase{"email", "ann", false},
        FormatCase{"email", "@example.com", false},
        FormatCase{"email", "ann..lee@example.com", false},
        FormatCase{"email", "ann lee@example.com", false},
        FormatCase{"email", "ann@-example.com", false},
        FormatCase{"email", "ann@example..com", false},
        FormatCase{"hostname", "api.example.com", true},
        FormatCase{"hostname", "api.example.com.", true},
        FormatCase{"hostname", "xn--bcher-kva.example", true},
        FormatCase{"hostname", "a_b.example.com", false},
        FormatCase{"hostname", "-api.example.com", false},
        FormatCase{"hostname", std::string(64, 'a') + ".example.com", false},
        FormatCase{"hostname", "", false}, FormatCase{"ipv4", "192.0.2.1", true},
        FormatCase{"ipv4", "255.255.255.255", true}, FormatCase{"ipv4", "0.0.0.0", true},
        FormatCase{"ipv4", "256.0.0.1", false}, FormatCase{"ipv4", "192.0.2", false},
        FormatCase{"ipv4", "192.0.2.1.", false}, FormatCase{"ipv4", "192.0.02.1", false},
        FormatCase{"ipv4", "192.0.2.1.5", false}, FormatCase{"ipv6", "2001:db8::1", true},
        FormatCase{"ipv6", "::", true}, FormatCase{"ipv6", "::ffff:192.0.2.1", true},
        FormatCase{"ipv6", "2001:db8::1::2", false}, FormatCase{"ipv6", "2001:db8::g", false},
        FormatCase{"ipv6", "192.0.2.1", false},
        FormatCase{"uri", "https://example.com/a?b=c#d", true},
        FormatCase{"uri", "urn:isbn:0451450523", true},
        FormatCase{"uri", "mailto:ann@example.com", true},
        FormatCase{"uri", "https://example.com/a%20b", true},
        FormatCase{"uri", "developer.github.com", false},
        FormatCase{"uri", "/relative/path", false},
        FormatCase{"uri", "https://example.com/a b", false},
        FormatCase{"uri", "https://example.com/%zz", false},
        FormatCase{"uri", "1http://example.com", false},
        FormatCase{"uri-reference", "/relative/path?x=1", true},
        FormatCase{"uri-reference", "https://example.com", true},
        FormatCase{"uri-reference", "", true}, FormatCase{"uri-reference", "#fragment", true},
        FormatCase{"uri-reference", "a b", false}, FormatCase{"uri-reference", "1a:b", false},
        FormatCase{"byte", "aGVsbG8=", true}, FormatCase{"byte", "aGVsbG8h", true},
        FormatCase{"byte", "", true}, FormatCase{"byte", "aGVsbG8", false},
        FormatCase{"byte", "aGVs=G8=", false}, FormatCase{"byte", "aGVsbG8-", false},
        FormatCase{"duration", "P1Y2M3DT4H5M6S", true}, FormatCase{"duration", "PT90S", true},
        FormatCase{"duration", "P1D", true}, FormatCase{"duration", "P1Y1D", true},
        FormatCase{"duration", "PT1H1S", true}, FormatCase{"duration", "P4W", true},
        FormatCase{"duration", "P", false}, FormatCase{"duration", "PT", false},
        FormatCase{"duration", "P1DT", false}, FormatCase{"duration", "1D", false},
        FormatCase{"duration", "PT0.5S", false}, FormatCase{"duration", "P1D1Y", false},
        FormatCase{"duration", "P1W2D", false}, FormatCase{"duration", "PT1D", false},
        FormatCase{"duration", "P-1D", false}, FormatCase{"duration", "p1d", false},
        FormatCase{"json-pointer", "", true}, FormatCase{"json-pointer", "/a/0/b~1c~0", true},
        FormatCase{"json-pointer", "/", true}, FormatCase{"json-pointer", "a/b", false},
        FormatCase{"json-pointer", "/a~2", false}, FormatCase{"json-pointer", "/a~", false},
        FormatCase{"json-pointer", "#/a", false}, FormatCase{"relative-json-pointer", "0", true},
        FormatCase{"relative-json-pointer", "1/name", true},
        FormatCase{"relative-json-pointer", "2#", true},
        FormatCase{"relative-json-pointer", "0-1/a", true},
        FormatCase{"relative-json-pointer", "/a", false},
        FormatCase{"relative-json-pointer", "01/a", false},
        FormatCase{"relative-json-pointer", "1#/a", false},
        FormatCase{"relative-json-pointer", "-1", false},
        FormatCase{"uri-template", "/users/{id}{?fields,limit}", true},
        FormatCase{"uri-template", "https://example.com/{+path}/x{#frag}", true},
        FormatCase{"uri-template", "{var:30}{list*}{a.b}{%41}", true},
        FormatCase{"uri-template", "no/expressions", true},
        FormatCase{"uri-template", "/users/{id", false},
        FormatCase{"uri-template", "/users/{}", false},
        FormatCase{"uri-template", "/users/{i d}", false},
        FormatCase{"uri-template", "/a b", false}, FormatCase{"uri-template", "/{a:0}", false},
        FormatCase{"uri-template", "/{a:10000}", false}, FormatCase{"uri-template", "/}", false},
        FormatCase{"uri-template", "/{a..b}", false}, FormatCase{"uri-template", "/%zz", false},
        FormatCase{"regex", "^[a-z]+$", true}, FormatCase{"regex", "(?<=a)b", true},
        FormatCase{"regex", "\\p{L}+", true}, FormatCase{"regex", "([", false},
        FormatCase{"regex", "a{2,1}", false},
        // Formats conform does not assert are annotations (JSON Schema lets a
        // validator ignore those it does not know).
        FormatCase{"color", "anything at all", true}, FormatCase{"password", "", true}),
    [](const ::testing::TestParamInfo<FormatCase>& param) {
      return conform::testing::CamelCase(param.param.format) + "_" + std::to_string(param.index);
    });

// Hostile-input review, 2026-11-29: each of these crashed, hung or passed silently.

TEST(SchemaValidator, FalseSchemaAcceptsNothing) {
  auto schema = Compile(Json::parse(R"({"type": "object", "properties": {"gone": false}})"));
  EXPECT_THAT(schema->Validate(Json::parse(R"({"gone": 5})")),
              ElementsAre(Field(&SchemaViolation::pointer, "/gone")));
  EXPECT_TRUE(schema->Validate(Json::parse(R"({"other": 5})")).empty());
  auto nothing = Compile(false);
  EXPECT_FALSE(nothing->Validate(Json::parse("{}")).empty());
  EXPECT_FALSE(Compile(Json::parse(R"({"additionalProperties": false, "properties": {"a": {}}})"))
                   ->Validate(Json::parse(R"({"b": 1})"))
                   .empty());
}

TEST(SchemaValidator, PatternIsMatchedAnywhereInTheString) {
  auto schema = Compile(Json::parse(R"({"properties": {"id": {"type": "string", "pattern": "^[a-z]+$"}}})"));
  EXPECT_TRUE(schema->Validate(Json::parse(R"({"id": "abc"})")).empty());
  EXPECT_THAT(schema->Validate(Json::parse(R"({"id": "abC"})")),
              ElementsAre(AllOf(Field(&SchemaViolation::check_id, "response.schema.constraint"),
                                Field(&SchemaViolation::pointer, "/id"),
                                Field(&SchemaViolation::message, HasSubstr("/^[a-z]+$/")))));
  auto unanchored = Compile(Json::parse(R"({"type": "string", "pattern": "b"})"));
  EXPECT_TRUE(unanchored->Validate("abc").empty());
}

TEST(SchemaValidator, PatternsMatchStringsOfAnyLengthInLinearTime) {
  // std::regex recursed per character (100,000 of them overflowed the stack) and backtracked
  // (this pattern took 37 s on 31 characters); the linear engine does neither.
  auto schema = Compile(Json::parse(R"({"properties": {"t": {"type": "string", "pattern": "^([a-z0-9]+[-_]?)*$"}}})"));
  EXPECT_TRUE(schema->Validate(Json{{"t", std::string(100'000, 'a')}}).empty());
  EXPECT_THAT(schema->Validate(Json{{"t", std::string(100'000, 'a') + "!"}}),
              ElementsAre(AllOf(Field(&SchemaViolation::check_id, "response.schema.constraint"),
                                Field(&SchemaViolation::pointer, "/t"))));
}

TEST(SchemaValidator, ALookaroundPatternOverALongStringIsReportedNotMatched) {
  // Lookaround needs the backtracking engine, which is kept from long strings.
  auto schema = Compile(Json::parse(R"({"properties": {"t": {"type": "string", "pattern": "^(?!x)[a-z]*$"}}})"));
  EXPECT_TRUE(schema->Validate(Json{{"t", "abc"}}).empty());
  EXPECT_THAT(schema->Validate(Json{{"t", "xbc"}}),
              ElementsAre(Field(&SchemaViolation::check_id, "response.schema.constraint")));
  EXPECT_THAT(schema->Validate(Json{{"t", std::string(100'000, 'a')}}),
              ElementsAre(AllOf(Field(&SchemaViolation::check_id, "response.schema.pattern_unchecked"),
                                Field(&SchemaViolation::pointer, "/t"))));
}

TEST(SchemaValidator, ABacktrackingPatternValijsonWouldRunIsNeverRunAndSaidSo) {
  // valijson matches these with std::regex: ^(a|aa)+$ took minutes on 51 characters.
  auto alternatives = Compile(Json::parse(R"({"properties": {
      "v": {"oneOf": [{"type": "string", "pattern": "^(a|aa)+$"}, {"type": "integer"}]}}})"));
  auto started = std::chrono::steady_clock::now();
  EXPECT_THAT(alternatives->Validate(Json{{"v", std::string(50, 'a') + "b"}}),
              ElementsAre(AllOf(Field(&SchemaViolation::check_id, "response.schema.pattern_unchecked"),
                                Field(&SchemaViolation::message, HasSubstr("/^(a|aa)+$/")))));
  auto names = Compile(Json::parse(R"({"type": "object", "patternProperties": {"^(a+)+$": {"type": "string"}}})"));
  EXPECT_THAT(names->Validate(Json{{std::string(8'001, 'a') + "!", 1}}),
              ElementsAre(Field(&SchemaViolation::check_id, "response.schema.pattern_unchecked")));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  // A pattern without a repeated group that varies is still matched inside the alternatives.
  auto safe = Compile(Json::parse(R"({"properties": {
      "v": {"oneOf": [{"type": "string", "pattern": "^[a-z]+(-x)?$"}, {"type": "integer"}]}}})"));
  EXPECT_TRUE(safe->Validate(Json{{"v", "abc-x"}}).empty());
  EXPECT_THAT(safe->Validate(Json{{"v", "ABC"}}),
              ElementsAre(Field(&SchemaViolation::check_id, "response.schema.constraint")));
}

TEST(SchemaValidator, PatternsAndFormatsInsideAlternativesNeverSeeALongString) {
  // valijson matches these itself with std::regex: a 200 KB string crashed conform (SIGSEGV).
  auto schema = Compile(Json::parse(R"({"properties": {
      "name": {"anyOf": [{"type": "string", "pattern": "^(a|b)*$"}, {"type": "integer"}]},
      "when": {"oneOf": [{"type": "string", "format": "date-time"}, {"type": "integer"}]}}})"));
  Json long_body = {{"name", std::string(200'000, 'a')}, {"when", "2024-05-01T12:00:00Z"}};
  EXPECT_THAT(schema->Validate(long_body),
              ElementsAre(AllOf(Field(&SchemaViolation::check_id, "response.schema.pattern_unchecked"),
                                Field(&SchemaViolation::pointer, "/name"),
                                Field(&SchemaViolation::message, HasSubstr("anyOf/oneOf/not")))));
  Json long_date = {{"when", std::string(200'000, '1')}};
  EXPECT_THAT(schema->Validate(long_date),
              ElementsAre(Field(&SchemaViolation::check_id, "response.schema.pattern_unchecked")));
  // Shorter strings are still matched inside the alternatives.
  EXPECT_TRUE(schema->Validate(Json::parse(R"({"name": "abba", "when": 5})")).empty());
  EXPECT_THAT(schema->Validate(Json::parse(R"({"name": "abc"})")),
              ElementsAre(Field(&SchemaViolation::check_id, "response.schema.constraint")));
  EXPECT_THAT(schema->Validate(Json::parse(R"({"when": "yesterday"})")),
              ElementsAre(Field(&SchemaViolation::check_id, "response.schema.constraint")));
}

TEST(SchemaValidator, PatternPropertiesNeverSeeALongPropertyName) {
  // valijson matches property names against patternProperties with std::regex, which recurses
  // once per character: a 200 KB name must not reach it.
  auto schema = Compile(Json::parse(R"({"type": "object", "properties": {
      "labels": {"type": "object", "patternProperties": {"^(a|b)*$": {"type": "string"}}}}})"));
  Json long_name = {{"labels", {{std::string(200'000, 'a'), "x"}}}};
  EXPECT_THAT(schema->Validate(long_name),
              ElementsAre(AllOf(Field(&SchemaViolation::check_id, "response.schema.pattern_unchecked"),
                                Field(&SchemaViolation::pointer, "/labels"),
                                Field(&SchemaViolation::message, HasSubstr("patternProperties")))));
  // Shorter names are still matched: a name the pattern matches must hold a string.
  EXPECT_TRUE(schema->Validate(Json::parse(R"({"labels": {"abba": "x", "c": 1}})")).empty());
  EXPECT_THAT(schema->Validate(Json::parse(R"({"labels": {"abba": 1}})")),
              ElementsAre(Field(&SchemaViolation::check_id, "response.schema.type")));
}

// The spec loader refuses a pattern that is no regex at all; one that is (ECMA-262 with the
// `u` flag) but that neither engine compiles is reported, on each value it would judge, as not
// checked: never a silent pass, never a refused spec.
TEST(SchemaValidator, PatternNeitherEngineCompilesIsReportedUnchecked) {
  auto compiled = SchemaValidator::Compile(
      Json::parse(R"({"properties": {"a": {"type": "string", "pattern": "^\\p{ASCII}*$"}}})"),
      Json::object());
  ASSERT_THAT(compiled, IsOk());
  auto found = (*compiled)->Validate(Json::parse(R"({"a": "x"})"));
  ASSERT_THAT(found, ElementsAre(Field(&SchemaViolation::pointer, "/a")));
  EXPECT_EQ(found[0].check_id, "response.schema.pattern_unchecked");
  EXPECT_THAT(found[0].message, HasSubstr("cannot compile"));
  EXPECT_THAT(PatternError("^\\p{ASCII}*$"), ::testing::Eq(std::nullopt));
  EXPECT_THAT(PatternError("(["), ::testing::Ne(std::nullopt));
}

// std::regex reads bytes: a class of CJK characters is "an invalid range" to it. The linear
// engine reads code points and checks it.
TEST(SchemaValidator, NonAsciiClassesAreChecked) {
  auto compiled = SchemaValidator::Compile(
      Json::parse(R"({"properties": {"a": {"type": "string", "pattern": "^[一-龿]+$"}}})"),
      Json::object());
  ASSERT_THAT(compiled, IsOk());
  EXPECT_THAT((*compiled)->Validate(Json::parse(R"({"a": "漢字"})")), IsEmpty());
  auto found = (*compiled)->Validate(Json::parse(R"({"a": "kanji"})"));
  ASSERT_THAT(found, ElementsAre(Field(&SchemaViolation::pointer, "/a")));
  EXPECT_EQ(found[0].check_id, "response.schema.constraint");
}

// A patternProperties key valijson's std::regex cannot compile (lookbehind) was an internal
// error at validation time; now those keys are left out of the engine and every response says
// they were not checked.
TEST(SchemaValidator, PatternPropertiesKeyStdRegexCannotCompileIsUnchecked) {
  auto compiled = SchemaValidator::Compile(
      Json::parse(R"({"type": "object", "patternProperties": {"(?<=a)b": {"type": "integer"}}})"),
      Json::object());
  ASSERT_THAT(compiled, IsOk());
  auto found = (*compiled)->Validate(Json::parse(R"({"ab": "x"})"));
  ASSERT_THAT(found,
              ElementsAre(Field(&SchemaViolation::check_id, "response.schema.pattern_unchecked")));
  EXPECT_THAT(found[0].message, HasSubstr("cannot be compiled"));
}

// OpenAPI 3.0's `type: integer` is draft 4's: 1.0 and 1e2 are numbers. 3.1, and callers that
// name no dialect, count them as integers (draft 6+, 2020-12).
TEST(SchemaValidator, AWholeNumberWithAFractionIsAnIntegerOnlyOutsideOpenApi30) {
  const Json schema =
      Json::parse(R"({"properties": {"n": {"type": "integer", "format": "int32"}}})");
  auto thirty = SchemaValidator::Compile(schema, Json::object(), {.dialect = Dialect::kOpenApi30});
  ASSERT_THAT(thirty, IsOk());
  for (const char* text : {R"({"n": 1.0})", R"({"n": 1e2})"}) {
    std::vector<SchemaViolation> found = (*thirty)->Validate(Json::parse(text));
    ASSERT_THAT(found, ElementsAre(AllOf(Field(&SchemaViolation::check_id, "response.schema.type"),
                                         Field(&SchemaViolation::pointer, "/n"))))
        << text;
    EXPECT_THAT(found[0].message,
                HasSubstr("is a number: OpenAPI 3.0 integers have no fraction part"))
        << text;
  }
  EXPECT_THAT((*thirty)->Validate(Json::parse(R"({"n": 1})")), ElementsAre());
  for (const CompileOptions& options :
       {CompileOptions{.dialect = Dialect::kOpenApi31}, CompileOptions{}}) {
    auto compiled = SchemaValidator::Compile(schema, Json::object(), options);
    ASSERT_THAT(compiled, IsOk());
    EXPECT_THAT((*compiled)->Validate(Json::parse(R"({"n": 1.0})")), ElementsAre());
  }
}

// Each root cause names the keyword that failed, for callers that phrase their own messages.
TEST(SchemaValidator, ViolationsNameTheirKeyword) {
  auto schema = Compile(Json::parse(R"({"properties": {
      "a": {"type": "string", "minLength": 3}, "b": {"type": "number", "exclusiveMinimum": 0},
      "c": {"type": "integer", "multipleOf": 5}, "d": {"type": "string", "pattern": "^x"},
      "e": {"type": "string", "format": "date-time"}, "f": {"type": "integer"}}})"));
  ASSERT_NE(schema, nullptr);
  auto keyword = [](const std::string& pointer, const std::string& name) {
    return AllOf(Field(&SchemaViolation::pointer, pointer), Field(&SchemaViolation::keyword, name));
  };
  EXPECT_THAT(schema->Validate(
                  Json::parse(R"({"a": "ab", "b": 0, "c": 7, "d": "y", "e": "now", "f": "1"})")),
              ElementsAre(keyword("/a", "minLength"), keyword("/b", "exclusiveMinimum"),
                          keyword("/c", "multipleOf"), keyword("/d", "pattern"),
                          keyword("/e", "format"), keyword("/f", "type")));
}

TEST(SchemaValidator, ManyViolationsAreCollapsedWithoutQuadraticWork) {
  // 100,000 failing items took minutes when each cause was compared with every other.
  auto schema = Compile(Json::parse(
      R"({"properties": {"items": {"type": "array", "items": {"type": "object", "required": ["a", "b"],
          "properties": {"c": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}}}}})"));
  Json items = Json::array();
  for (int i = 0; i < 20'000; ++i) {
    items.push_back({{"c", true}});
  }
  std::vector<SchemaViolation> found = schema->Validate({{"items", items}});
  EXPECT_EQ(found.size(), 60'000u);  // a, b missing and c neither string nor integer, per item
  EXPECT_EQ(found.back().pointer.rfind("/items/19999", 0), 0u);
}

}  // namespace
}  // namespace schema_validator_test
}  // namespace conform::validator
