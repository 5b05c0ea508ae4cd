// Bad specs that were crashes-in-waiting, raw library messages or silent passes: each must be
// one spec error (kInvalidArgument, exit 2) naming file:line:col and what is wrong.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/support/result_matchers.h"
#include "validator/spec_loader.h"

namespace conform::validator {
namespace spec_errors_test {
namespace {

using ::testing::HasSubstr;

// A one-operation OpenAPI 3.1 spec whose 200 response has `schema` (YAML flow, at line 11,
// column 23); `more` is appended after the components (line 16 on).
std::string Spec(const std::string& schema, const std::string& more = "") {
  return "openapi: 3.1.0\n"
         "info: {title: t, version: '1', x-count: 5}\n"
         "paths:\n"
         "  /v1/things:\n"
         "    get:\n"
         "      responses:\n"
         "        '200':\n"
         "          description: ok\n"
         "          content:\n"
         "            application/json:\n"
         "              schema: " +
         schema +
         "\n"
         "components:\n"
         "  schemas:\n"
         "    Job:\n"
         "      allOf: [{type: object}, {required: [id]}]\n" +
         more;
}

// Expects one spec error line holding `message` ("where: message").
void ExpectSpecError(const Result<Contract>& contract, const std::string& message) {
  EXPECT_THAT(contract, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr(message)))
      << (contract.ok() ? "loaded" : contract.error().ToString());
  if (!contract.ok()) {
    EXPECT_EQ(contract.error().ToString().find('\n'), std::string::npos);
  }
}

// 1. A $ref into a list past its end ended as nlohmann's "[json.exception.out_of_range.404]
// unresolved reference token" without a position.
TEST(SpecErrors, RefIndexFarOutOfRangeIsNamed) {
  ExpectSpecError(
      LoadContract(Spec("{$ref: '#/components/schemas/Job/allOf/99999999999999999999'}"), "r.yaml"),
      "r.yaml:11:30: broken $ref '#/components/schemas/Job/allOf/99999999999999999999': "
      "index 99999999999999999999 is out of range (allOf has 2 items)");
}

TEST(SpecErrors, RefIndexPastTheEndIsNamed) {
  ExpectSpecError(LoadContract(Spec("{$ref: '#/components/schemas/Job/allOf/7'}"), "r.yaml"),
                  "r.yaml:11:30: broken $ref '#/components/schemas/Job/allOf/7': index 7 is out "
                  "of range (allOf has 2 items)");
  ExpectSpecError(LoadContract(Spec("{$ref: '#/components/schemas/Job/allOf/01'}"), "r.yaml"),
                  "r.yaml:11:30: broken $ref '#/components/schemas/Job/allOf/01': '01' is not an "
                  "index into allOf, a list");
}

// 2. A $ref to something that is no schema reached the validation engine ("Expected node at
// to contain schema object"), with no position.
TEST(SpecErrors, RefToAStringIsRefused) {
  ExpectSpecError(LoadContract(Spec("{$ref: '#/info/title'}"), "r.yaml"),
                  "r.yaml:11:30: $ref '#/info/title' does not point to a schema or an object (it "
                  "is a string \"t\")");
}

TEST(SpecErrors, RefToANumberIsRefused) {
  ExpectSpecError(LoadContract(Spec("{$ref: '#/info/x-count'}"), "r.yaml"),
                  "r.yaml:11:30: $ref '#/info/x-count' does not point to a schema or an object (it "
                  "is a number 5)");
}

TEST(SpecErrors, RefToAListIsRefused) {
  ExpectSpecError(LoadContract(Spec("{$ref: '#/components/schemas/Job/allOf'}"), "r.yaml"),
                  "r.yaml:11:30: $ref '#/components/schemas/Job/allOf' does not point to a schema "
                  "or an object (it is a list)");
}

// 3. Nesting: yaml-cpp gave up ~500 block levels in with "malformed YAML: bad file"; the limit
// is named, at the line that passed it.
std::string BlockMappings(int levels) {
  std::string text = "openapi: 3.1.0\nx:\n";
  for (int level = 1; level <= levels; ++level) {
    text += std::string(static_cast<size_t>(level), ' ') + "k:\n";
  }
  return text;
}

TEST(SpecErrors, DeepNestingNamesTheLimitAndTheLine) {
  // Level 1 is on line 3: level 257 is on line 259, indented 257 columns.
  ExpectSpecError(LoadContract(BlockMappings(500), "deep.yaml"),
                  "deep.yaml:259:258: document nested deeper than 256 levels");
  ExpectSpecError(LoadContract(BlockMappings(300), "deep.yaml"),
                  "deep.yaml:259:258: document nested deeper than 256 levels");
  // Flow lists were already refused by the bracket count before parsing.
  ExpectSpecError(
      LoadContract("openapi: 3.1.0\nx: " + std::string(500, '[') + std::string(500, ']'),
                   "deep.yaml"),
      "deep.yaml:2:260: document nested deeper than 256 levels");
}

// 100,000 levels in 200 KB: a block list per "- " on one line. No stack overflow (ASan).
TEST(SpecErrors, HundredThousandBlockLevelsAreRefusedNotRecursed) {
  std::string dashes;
  for (int level = 0; level < 100000; ++level) {
    dashes += "- ";
  }
  ExpectSpecError(LoadContract("openapi: 3.1.0\nx:\n" + dashes + "a\n", "deep.yaml"),
                  "deep.yaml:3:515: document nested deeper than 256 levels");
  std::string keys;
  for (int level = 0; level < 100000; ++level) {
    keys += "? ";
  }
  ExpectSpecError(LoadContract("openapi: 3.1.0\nx:\n" + keys + "a\n", "deep.yaml"),
                  "deep.yaml:3:515: document nested deeper than 256 levels");
}

// 4. Old Mac line ends: yaml-cpp read the file as one line ("1:20: malformed YAML: illegal map
// value"). YAML 1.2 says a lone CR is a line break: the file loads, and errors name the lines
// an editor shows.
std::string WithLineEnds(std::string text, const std::string& line_end) {
  std::string out;
  for (char c : text) {
    out += c == '\n' ? line_end : std::string(1, c);
  }
  return out;
}

TEST(SpecErrors, CrOnlyLineEndsLoad) {
  auto contract = LoadContract(WithLineEnds(Spec("{type: object}"), "\r"), "mac.yaml");
  ASSERT_THAT(contract, IsOk());
  EXPECT_NE(contract->FindOperation("ListThings"), nullptr);
}

TEST(SpecErrors, CrOnlyLineEndsNameTheSameLinesAsLf) {
  for (const char* line_end : {"\n", "\r\n", "\r"}) {
    ExpectSpecError(
        LoadContract(WithLineEnds(Spec("{type: object, properties: 5}"), line_end), "mac.yaml"),
        "mac.yaml:11:50: 'properties' must be an object whose members are schemas");
  }
}

// 5. Schema keywords of the wrong JSON type: accepted silently (`properties: "notamap"`,
// `allOf: {}`, `minLength: "3"`), or refused by the validation engine without a position.
struct WrongTypeCase {
  std::string name;
  std::string schema;   // the 200 response schema, YAML flow, at line 11 column 23
  std::string message;  // a substring of "where: message"
};

void PrintTo(const WrongTypeCase& c, std::ostream* os) { *os << c.schema; }

class WrongKeywordType : public ::testing::TestWithParam<WrongTypeCase> {};

TEST_P(WrongKeywordType, IsASpecErrorNamingTheKeywordAndItsPosition) {
  ExpectSpecError(LoadContract(Spec(GetParam().schema), "w.yaml"), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Keywords, WrongKeywordType,
    ::testing::Values(
        WrongTypeCase{"PropertiesString", "{type: object, properties: notamap}",
                      "w.yaml:11:50: 'properties' must be an object whose members are schemas, "
                      "not a string \"notamap\""},
        WrongTypeCase{"PropertiesList", "{type: object, properties: [1, 2]}",
                      "w.yaml:11:50: 'properties' must be an object whose members are schemas, "
                      "not a list"},
        WrongTypeCase{"PropertyThatIsNoSchema", "{type: object, properties: {a: 5}}",
                      "w.yaml:11:54: 'properties' member 'a' must be a schema (an object, or "
                      "true or false), not a number 5"},
        WrongTypeCase{"ItemsNumber", "{type: array, items: 3}",
                      "w.yaml:11:44: 'items' must be a schema (an object, or true or false), not "
                      "a number 3"},
        WrongTypeCase{"RequiredString", "{type: object, required: name}",
                      "w.yaml:11:48: 'required' must be a list of property names, not a string "
                      "\"name\""},
        WrongTypeCase{"RequiredItemNumber", "{type: object, required: [a, 5]}",
                      "w.yaml:11:52: 'required' item 2 must be a property name (a string), not a "
                      "number 5"},
        WrongTypeCase{"AllOfObject", "{allOf: {}}",
                      "w.yaml:11:31: 'allOf' must be a non-empty list of schemas, not an object"},
        WrongTypeCase{"AnyOfEmpty", "{anyOf: []}",
                      "w.yaml:11:31: 'anyOf' must be a non-empty list of schemas, not an empty "
                      "list"},
        WrongTypeCase{"OneOfItemNumber", "{oneOf: [{type: string}, 3]}",
                      "w.yaml:11:48: 'oneOf' item 2 must be a schema"},
        WrongTypeCase{"EnumNumber", "{enum: 5}",
                      "w.yaml:11:30: 'enum' must be a list, not a number 5"},
        WrongTypeCase{"TypeNumber", "{type: 5}",
                      "w.yaml:11:30: 'type' must be a type name or a list of type names, not a "
                      "number 5"},
        WrongTypeCase{"TypeListWithANumber", "{type: [string, 5]}",
                      "w.yaml:11:39: 'type' item 2 must be a type name (a string), not a number 5"},
        WrongTypeCase{"PatternPropertiesList", "{patternProperties: [a]}",
                      "w.yaml:11:43: 'patternProperties' must be an object whose members are "
                      "schemas, not a list"},
        WrongTypeCase{"AdditionalPropertiesNumber", "{type: object, additionalProperties: 5}",
                      "w.yaml:11:60: 'additionalProperties' must be a schema"},
        WrongTypeCase{"NotNumber", "{not: 3}", "w.yaml:11:29: 'not' must be a schema"},
        WrongTypeCase{"RefNumber", "{$ref: 5}",
                      "w.yaml:11:30: '$ref' must be a string, not a number 5"},
        WrongTypeCase{
            "MinLengthString", "{type: string, minLength: '3'}",
            "w.yaml:11:49: 'minLength' must be a non-negative integer, not a string \"3\""},
        WrongTypeCase{"MaximumString", "{type: integer, maximum: '3'}",
                      "w.yaml:11:48: 'maximum' must be a number, not a string \"3\""},
        WrongTypeCase{"NullableString", "{type: string, nullable: 'yes'}",
                      "w.yaml:11:48: 'nullable' must be true or false, not a string \"yes\""},
        WrongTypeCase{"DeepInsideItems",
                      "{type: object, properties: {list: {type: array, items: {required: x}}}}",
                      "w.yaml:11:89: 'required' must be a list of property names"}),
    [](const ::testing::TestParamInfo<WrongTypeCase>& param_info) {
      return param_info.param.name;
    });

// Schemas are checked where they are written, used or not, and wherever a $ref finds them.
TEST(SpecErrors, WrongKeywordTypeInAComponentIsNamedAtItsLine) {
  ExpectSpecError(
      LoadContract(Spec("{type: object}", "    Bad: {type: object, properties: 5}\n"), "w.yaml"),
      "w.yaml:16:37: 'properties' must be an object whose members are schemas");
}

TEST(SpecErrors, WrongKeywordTypeBehindARefIsNamedAtItsLine) {
  ExpectSpecError(
      LoadContract(Spec("{$ref: '#/x-defs/A'}", "x-defs:\n  A: {type: array, items: 3}\n"),
                   "w.yaml"),
      "w.yaml:17:27: 'items' must be a schema");
}

// The seed's rendering: a parameter's `schema` and a response's `schemaArray` are lists.
std::string Rendering(const std::string& maximum) {
  return "paths:\n"
         "  path: /v1/things\n"
         "  method: get\n"
         "  request:\n"
         "    parameters:\n"
         "      query:\n"
         "        pageSize:\n"
         "          schema:\n"
         "            - type: integer\n"
         "              required: false\n"
         "              maximum: " +
         maximum +
         "\n"
         "  response:\n"
         "    '200':\n"
         "      application/json:\n"
         "        schemaArray:\n"
         "          - type: object\n";
}

TEST(SpecErrors, WrongKeywordTypeInAMintlifyRenderingIsNamed) {
  // The renderer's own `required: false` in a parameter schema is not the keyword.
  EXPECT_THAT(LoadContract(Rendering("200"), "m.yaml"), IsOk());
  ExpectSpecError(LoadContract(Rendering("'200'"), "m.yaml"),
                  "m.yaml:11:24: 'maximum' must be a number, not a string \"200\"");
}

// The forms OpenAPI 3.0 and 3.1 allow still load, and names that look like keywords (a
// property called "properties", a header called "schema") are names.
TEST(SpecErrors, ValidKeywordFormsLoad) {
  for (const char* schema : {
           "{type: [string, 'null']}",
           "{type: array, items: {type: string}}",
           "{type: array, items: [{type: string}, {type: integer}]}",
           "{type: object, additionalProperties: false}",
           "{type: object, additionalProperties: {type: string}}",
           "{type: number, exclusiveMinimum: 0, multipleOf: 0.5}",
           "{type: object, properties: {properties: {type: string}, required: {type: boolean}, "
           "type: {type: string}, items: {type: integer}, enum: {enum: [a, b]}}}",
           "{allOf: [{$ref: '#/components/schemas/Job'}], required: []}",
           "{type: string, enum: [a, b], default: a, example: {required: 5}}",
           "true",
       }) {
    EXPECT_THAT(LoadContract(Spec(schema), "v.yaml"), IsOk()) << schema;
  }
  std::string openapi30 =
      "openapi: 3.0.3\n"
      "info: {title: t, version: '1'}\n"
      "paths:\n"
      "  /v1/things:\n"
      "    parameters: [{name: schema, in: query, required: true, schema: {type: string}}]\n"
      "    get:\n"
      "      responses:\n"
      "        '200':\n"
      "          description: ok\n"
      "          headers: {schema: {required: true, schema: {type: integer}}}\n"
      "          content:\n"
      "            application/json:\n"
      "              schema: {type: number, minimum: 0, exclusiveMinimum: true, nullable: true}\n";
  EXPECT_THAT(LoadContract(openapi30, "v30.yaml"), IsOk());
}

// 6. Unbalanced path templates were accepted and then matched no URL (or matched braces).
struct PathCase {
  std::string name;
  std::string path;
  std::string problem;
};

void PrintTo(const PathCase& c, std::ostream* os) { *os << c.path; }

class BadPathTemplate : public ::testing::TestWithParam<PathCase> {};

TEST_P(BadPathTemplate, IsASpecErrorAtThePath) {
  std::string text = Spec("{type: object}");
  text.replace(text.find("/v1/things"), 10, GetParam().path);
  // The path is the key at line 4, column 3.
  ExpectSpecError(LoadContract(text, "p.yaml"),
                  "p.yaml:4:3: path '" + GetParam().path + "': " + GetParam().problem);
}

INSTANTIATE_TEST_SUITE_P(
    Paths, BadPathTemplate,
    ::testing::Values(
        PathCase{"Unclosed", "/v1/accounts/{account_id/dpoJobs",
                 "the variable that begins '{account_id' has no closing '}' before the next '/'"},
        PathCase{"UnclosedAtTheEnd", "/v1/accounts/{account_id",
                 "the variable that begins '{account_id' has no closing '}'"},
        PathCase{"UnopenedClose", "/v1/accounts/account_id}/dpoJobs",
                 "'}' after '/v1/accounts/account_id' closes no variable"},
        PathCase{"Empty", "/v1/accounts/{}/dpoJobs", "'{}' names no variable"},
        PathCase{"Nested", "/v1/accounts/{a{b}}/dpoJobs",
                 "'{' inside the variable that begins '{a'"}),
    [](const ::testing::TestParamInfo<PathCase>& param_info) { return param_info.param.name; });

TEST(SpecErrors, BalancedPathTemplatesLoad) {
  std::string text = Spec("{type: object}");
  text.replace(text.find("/v1/things"), 10, "/v1/accounts/{account_id}/dpoJobs/{job}:cancel");
  EXPECT_THAT(LoadContract(text, "p.yaml"), IsOk());
}

// 7. A second YAML document was silently ignored, and whatever it held with it.
TEST(SpecErrors, SecondYamlDocumentIsRefusedWhereItStarts) {
  ExpectSpecError(LoadContract(Spec("{type: object}") + "---\nopenapi: 3.0.0\n", "two.yaml"),
                  "two.yaml:16:1: the file holds more than one YAML document (the second starts "
                  "here)");
  ExpectSpecError(LoadContract(Spec("{type: object}") + "---\n", "two.yaml"),
                  "two.yaml:16:1: the file holds more than one YAML document");
  ExpectSpecError(LoadContract(Spec("{type: object}") + "...\n# after the end\nx: 1\n", "two.yaml"),
                  "two.yaml:18:1: the file holds more than one YAML document");
}

TEST(SpecErrors, DocumentMarkersAroundOneDocumentLoad) {
  EXPECT_THAT(LoadContract("---\n" + Spec("{type: object}") + "...\n", "one.yaml"), IsOk());
}

}  // namespace
}  // namespace spec_errors_test
}  // namespace conform::validator
