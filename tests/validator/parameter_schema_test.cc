// Request parameters are checked against their whole schema (pattern, lengths, multipleOf,
// exclusive bounds in both dialects, const, array items), and responses follow the spec's
// dialect on what an integer is.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "tests/support/result_matchers.h"
#include "validator/exchange_validator.h"
#include "validator/spec_loader.h"

namespace conform::validator {
namespace parameter_schema_test {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Json = nlohmann::json;

// One operation, GET /v1/things/{id}, in `version` ("3.0.3" or "3.1.0"); `ratio` is written
// with exclusive bounds in that dialect's form.
std::string ThingsSpec(const std::string& version) {
  const bool thirty = version.rfind("3.0", 0) == 0;
  const std::string ratio = thirty
                                ? "{type: number, minimum: 0, exclusiveMinimum: true, maximum: 1, "
                                  "exclusiveMaximum: true}"
                                : "{type: number, exclusiveMinimum: 0, exclusiveMaximum: 1}";
  return R"(
openapi: )" +
         version + R"(
info: {title: things, version: v1}
paths:
  /v1/things/{id}:
    get:
      operationId: GetThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
        - {name: pageSize, in: query, schema: {type: integer, format: int32}}
        - {name: name, in: query, schema: {type: string, minLength: 3, maxLength: 8, pattern: '^[a-z]+$'}}
        - {name: step, in: query, schema: {type: integer, multipleOf: 5}}
        - {name: ratio, in: query, schema: )" +
         ratio + R"(}
        - {name: version, in: query, schema: {type: string, enum: [v1, v2], const: v1}}
        - {name: ids, in: query, style: form, explode: false, schema: {type: array, items: {type: integer}}}
        - {name: tags, in: query, style: form, explode: true, schema: {type: array, items: {type: integer}}}
        - {name: flag, in: query, schema: {type: boolean}}
        - {name: filter, in: query, schema: {type: object}}
        - {name: X-Trace, in: header, schema: {type: string, pattern: '^[0-9a-f]{8}$'}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {epochs: {type: integer, format: int32}}}
)";
}

Contract Load(const std::string& text) {
  auto contract = LoadContract(text, "things.yaml");
  EXPECT_THAT(contract, IsOk());
  return contract ? *std::move(contract) : Contract{};
}

traffic::Exchange Get(const std::string& target, int status = 200, const std::string& body = "{}") {
  traffic::Exchange exchange;
  exchange.request.method = "GET";
  exchange.request.url = "https://api.example.com/v1/things/" + target;
  exchange.response.status = status;
  exchange.response.headers = {{"Content-Type", "application/json"}};
  exchange.response.body = body;
  exchange.source = "test";
  return exchange;
}

std::vector<Finding> Findings(const Contract& contract, const traffic::Exchange& exchange) {
  auto validator = ExchangeValidator::Create(contract, {});
  EXPECT_THAT(validator, IsOk());
  return validator ? (*validator)->Check(exchange).findings : std::vector<Finding>{};
}

auto Is(const std::string& id, const std::string& message) {
  return AllOf(Field(&Finding::check_id, id), Field(&Finding::message, HasSubstr(message)));
}

struct BrokenCase {
  std::string name;
  std::string target;   // after /v1/things/
  std::string message;  // what request.parameter.schema says
};

void PrintTo(const BrokenCase& c, std::ostream* os) { *os << c.target; }

class BrokenParameter : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenParameter, IsReportedAndAnswering2xxIsAMustFinding) {
  for (const std::string version : {"3.0.3", "3.1.0"}) {
    std::vector<Finding> found = Findings(Load(ThingsSpec(version)), Get(GetParam().target));
    EXPECT_THAT(
        found,
        ElementsAre(Is("request.parameter.schema", GetParam().message),
                    AllOf(Is("request.parameter.invalid_accepted",
                             "the server answered 200 to a request with an invalid parameter: "),
                          Is("request.parameter.invalid_accepted", GetParam().message))))
        << version;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Keywords, BrokenParameter,
    ::testing::Values(
        BrokenCase{"Integer", "7?pageSize=abc",
                   "query parameter pageSize=abc: expected an integer"},
        BrokenCase{"Fraction", "7?pageSize=1.5",
                   "query parameter pageSize=1.5: expected an integer"},
        BrokenCase{
            "Int32", "7?pageSize=3000000000",
            "query parameter pageSize=3000000000: expected an int32: -2147483648..2147483647"},
        BrokenCase{"Int64", "7?pageSize=99999999999999999999",
                   "query parameter pageSize=99999999999999999999: expected an integer within the "
                   "64-bit range"},
        BrokenCase{"Boolean", "7?flag=yes", "query parameter flag=yes: expected a boolean"},
        BrokenCase{"Pattern", "7?name=abc1",
                   "query parameter name=abc1: does not match the pattern /^[a-z]+$/"},
        BrokenCase{"MinLength", "7?name=ab", "query parameter name=ab: shorter than minLength 3"},
        BrokenCase{"MaxLength", "7?name=abcdefghi",
                   "query parameter name=abcdefghi: longer than maxLength 8"},
        BrokenCase{"MultipleOf", "7?step=7", "query parameter step=7: not a multiple of 5"},
        BrokenCase{"ExclusiveMinimum", "7?ratio=0",
                   "query parameter ratio=0: not above exclusiveMinimum 0"},
        BrokenCase{"ExclusiveMaximum", "7?ratio=1",
                   "query parameter ratio=1: not below exclusiveMaximum 1"},
        BrokenCase{"Const", "7?version=v2", "query parameter version=v2: not the constant \"v1\""},
        BrokenCase{"Enum", "7?version=v3", "not one of v1, v2"},
        BrokenCase{"CommaSeparatedItem", "7?ids=1,2,x",
                   "query parameter ids=1,2,x: item 3 (x): expected an integer"},
        BrokenCase{"RepeatedItem", "7?tags=1&tags=x",
                   "query parameter tags=1&tags=x: item 2 (x): expected an integer"},
        BrokenCase{"PathMinimum", "0", "path parameter id=0: less than the minimum 1"},
        BrokenCase{"ControlCharacterEscaped", "7?name=a%1Bb",
                   "query parameter name=a\\x1bb: does not match"}),
    [](const ::testing::TestParamInfo<BrokenCase>& param) { return param.param.name; });

TEST(ParameterSchema, ValuesThatHoldPass) {
  for (const std::string version : {"3.0.3", "3.1.0"}) {
    Contract contract = Load(ThingsSpec(version));
    for (const std::string target :
         {"7", "7?pageSize=5&name=abcd&step=10&ratio=0.5&version=v1&flag=true", "7?ids=1,2,3",
          "7?ids=4", "7?tags=1&tags=2", "7?ratio=1e-3", "7?filter=anything"}) {
      EXPECT_THAT(Findings(contract, Get(target)), IsEmpty()) << version << " " << target;
    }
  }
}

TEST(ParameterSchema, HeaderParametersAreChecked) {
  traffic::Exchange exchange = Get("7");
  exchange.request.headers = {{"X-Trace", "zz"}};
  EXPECT_THAT(
      Findings(Load(ThingsSpec("3.1.0")), exchange),
      Contains(Is("request.parameter.schema",
                  "header parameter X-Trace=zz: does not match the pattern /^[0-9a-f]{8}$/")));
  exchange.request.headers = {{"X-Trace", "0123abcd"}};
  EXPECT_THAT(Findings(Load(ThingsSpec("3.1.0")), exchange), IsEmpty());
}

TEST(ParameterSchema, A4xxRefusalIsNotReportedAnd5xxIsNotInvalidAccepted) {
  Contract contract = Load(ThingsSpec("3.1.0"));
  const std::string error = R"({"code": 3, "message": "bad name"})";
  EXPECT_THAT(Findings(contract, Get("7?name=ab", 400, error)), IsEmpty());
  EXPECT_THAT(Findings(contract, Get("7?ids=1,x", 400, error)), IsEmpty());
  EXPECT_THAT(Findings(contract, Get("7?name=ab", 500, R"({"code": 13, "message": "oops"})")),
              ElementsAre(Is("request.parameter.schema", "name=ab: shorter than minLength 3")));
}

TEST(ParameterSchema, ARepeatedScalarIsReportedAndEachValueChecked) {
  EXPECT_THAT(
      Findings(Load(ThingsSpec("3.1.0")), Get("7?step=5&step=7")),
      ElementsAre(
          Is("request.parameter.schema", "query parameter 'step' is given 2 times"),
          Is("request.parameter.invalid_accepted", "is given 2 times"),
          Is("request.parameter.schema", "query parameter step=7 (value 2): not a multiple of 5"),
          Is("request.parameter.invalid_accepted", "step=7 (value 2): not a multiple of 5")));
}

// Arrays under each style and explode, in both dialects: GET /v1/styles/{ids}/{dots}/{semi}.
// `plain` and `ids` and `X-Ids` take the defaults (form exploded, simple), the rest say theirs.
std::string StylesSpec(const std::string& version) {
  return "openapi: " + version + R"(
info: {title: styles, version: v1}
paths:
  /v1/styles/{ids}/{dots}/{semi}:
    get:
      operationId: GetStyles
      parameters:
        - {name: ids, in: path, required: true, schema: {type: array, items: {type: integer}}}
        - {name: dots, in: path, required: true, style: label, explode: true, schema: {type: array, items: {type: integer}}}
        - {name: semi, in: path, required: true, style: matrix, schema: {type: array, items: {type: integer}}}
        - {name: plain, in: query, schema: {type: array, items: {type: string, enum: [a, b]}}}
        - {name: exploded, in: query, style: form, explode: true, schema: {type: array, items: {type: integer}}}
        - {name: csv, in: query, style: form, explode: false, schema: {type: array, maxItems: 2, items: {type: string}}}
        - {name: spaced, in: query, style: spaceDelimited, schema: {type: array, items: {type: integer}}}
        - {name: spacedx, in: query, style: spaceDelimited, explode: true, schema: {type: array, items: {type: integer}}}
        - {name: piped, in: query, style: pipeDelimited, explode: false, schema: {type: array, items: {type: integer}}}
        - {name: pipedx, in: query, style: pipeDelimited, explode: true, schema: {type: array, items: {type: integer}}}
        - {name: X-Ids, in: header, schema: {type: array, items: {type: integer}}}
        - {name: X-Exploded, in: header, explode: true, schema: {type: array, items: {type: integer}}}
      responses:
        '200': {description: ok}
)";
}

traffic::Exchange GetStyles(const std::string& target) {
  traffic::Exchange exchange = Get("");
  exchange.request.url = "https://api.example.com/v1/styles/" + target;
  return exchange;
}

class BrokenStyledArray : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenStyledArray, IsReadAsItsStyleSays) {
  for (const std::string version : {"3.0.3", "3.1.0"}) {
    EXPECT_THAT(Findings(Load(StylesSpec(version)), GetStyles(GetParam().target)),
                Contains(Is("request.parameter.schema", GetParam().message)))
        << version;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Styles, BrokenStyledArray,
    ::testing::Values(
        // form, explode (the query default): one value with a comma is one item.
        BrokenCase{"DefaultFormExplodedCommaIsOneItem", "1/.1/;semi=1?plain=a,b",
                   "query parameter plain=a,b: item 1 (a,b): not one of a, b"},
        BrokenCase{"DefaultFormExplodedRepeated", "1/.1/;semi=1?plain=a&plain=c",
                   "query parameter plain=a&plain=c: item 2 (c): not one of a, b"},
        BrokenCase{"FormExplodedCommaIsOneItem", "1/.1/;semi=1?exploded=1,2",
                   "query parameter exploded=1,2: item 1 (1,2): expected an integer"},
        BrokenCase{"FormCommaSplit", "1/.1/;semi=1?csv=a,b,c",
                   "query parameter csv=a,b,c: more items than maxItems 2"},
        BrokenCase{"FormRepeatedCommaSplit", "1/.1/;semi=1?csv=a,b&csv=c",
                   "query parameter csv=a,b&csv=c: more items than maxItems 2"},
        BrokenCase{"SpaceDelimited", "1/.1/;semi=1?spaced=1%20x",
                   "query parameter spaced=1 x: item 2 (x): expected an integer"},
        BrokenCase{"SpaceDelimitedPlus", "1/.1/;semi=1?spaced=x+1",
                   "query parameter spaced=x 1: item 1 (x): expected an integer"},
        BrokenCase{"SpaceDelimitedExplodedCommaIsOneItem", "1/.1/;semi=1?spacedx=1,2",
                   "query parameter spacedx=1,2: item 1 (1,2): expected an integer"},
        BrokenCase{"PipeDelimited", "1/.1/;semi=1?piped=1%7Cx",
                   "query parameter piped=1|x: item 2 (x): expected an integer"},
        BrokenCase{"PipeDelimitedExplodedRepeated", "1/.1/;semi=1?pipedx=1&pipedx=x",
                   "query parameter pipedx=1&pipedx=x: item 2 (x): expected an integer"},
        BrokenCase{"PathSimple", "1,x/.1/;semi=1",
                   "path parameter ids=1,x: item 2 (x): expected an integer"},
        BrokenCase{"PathLabelExploded", "1/.1.x/;semi=1",
                   "path parameter dots=.1.x: item 2 (x): expected an integer"},
        BrokenCase{"PathMatrix", "1/.1/;semi=1,x",
                   "path parameter semi=;semi=1,x: item 2 (x): expected an integer"}),
    [](const ::testing::TestParamInfo<BrokenCase>& param) { return param.param.name; });

TEST(ParameterStyle, ArraysWrittenInTheirStylePass) {
  for (const std::string version : {"3.0.3", "3.1.0"}) {
    Contract contract = Load(StylesSpec(version));
    for (const std::string target :
         {"1,2,3/.1.2/;semi=1,2", "1/.1/;semi=1?plain=a&plain=b&plain=a", "1/.1/;semi=1?plain=b",
          "1/.1/;semi=1?exploded=1&exploded=2", "1/.1/;semi=1?csv=a,b", "1/.1/;semi=1?csv=a&csv=b",
          "1/.1/;semi=1?spaced=1%202+3", "1/.1/;semi=1?spacedx=1&spacedx=2",
          "1/.1/;semi=1?piped=1%7C2%7C3", "1/.1/;semi=1?pipedx=1&pipedx=2"}) {
      EXPECT_THAT(Findings(contract, GetStyles(target)), IsEmpty()) << version << " " << target;
    }
  }
}

TEST(ParameterStyle, HeaderArraysAreCommaSeparatedWhateverExplodeSays) {
  traffic::Exchange exchange = GetStyles("1/.1/;semi=1");
  exchange.request.headers = {{"X-Ids", "1,x"}};
  EXPECT_THAT(Findings(Load(StylesSpec("3.1.0")), exchange),
              Contains(Is("request.parameter.schema",
                          "header parameter X-Ids=1,x: item 2 (x): expected an integer")));
  exchange.request.headers = {{"X-Exploded", "1,x"}};
  EXPECT_THAT(Findings(Load(StylesSpec("3.1.0")), exchange),
              Contains(Is("request.parameter.schema",
                          "header parameter X-Exploded=1,x: item 2 (x): expected an integer")));
  exchange.request.headers = {{"X-Ids", "1,2"}, {"X-Exploded", "3,4"}};
  EXPECT_THAT(Findings(Load(StylesSpec("3.1.0")), exchange), IsEmpty());
}

// The spec loader accepted it: a parameter schema the engine cannot compile, or none at all,
// neither refuses the contract nor finds anything.
TEST(ParameterSchema, ASchemaThatDoesNotCompileIsNotCheckedAndRefusesNothing) {
  Contract contract;
  contract.format = "OpenAPI 3.1.0";
  Operation op;
  op.operation_id = "GetThing";
  op.method = "GET";
  op.path = "/v1/things/{id}";
  op.parameters = {{.name = "id", .in = ParameterLocation::kPath, .required = true},
                   {.name = "q", .schema = {{"type", "string"}, {"pattern", "(["}}}};
  op.responses = {{.status = "200"}};
  contract.operations.push_back(op);
  EXPECT_THAT(Findings(contract, Get("7?q=anything", 200, "")), IsEmpty());
}

// OpenAPI 3.0's `type: integer` is draft 4's: 1.0 is a number. 3.1 (2020-12) counts it as an
// integer. The Mintlify rendering is read as 3.0, as the spec loader canonicalises it.
TEST(IntegerDialect, OpenApi30RefusesAWholeNumberWrittenWithAFraction) {
  const std::string body = R"({"epochs": 1.0})";
  EXPECT_THAT(Findings(Load(ThingsSpec("3.0.3")), Get("7", 200, body)),
              ElementsAre(AllOf(Is("response.schema.type",
                                   "1.0 is a number: OpenAPI 3.0 integers have no fraction part"),
                                Field(&Finding::json_pointer, "/epochs"))));
  EXPECT_THAT(Findings(Load(ThingsSpec("3.0.3")), Get("7", 200, R"({"epochs": 1})")), IsEmpty());
}

TEST(IntegerDialect, OpenApi31AcceptsAWholeNumberWrittenWithAFraction) {
  EXPECT_THAT(Findings(Load(ThingsSpec("3.1.0")), Get("7", 200, R"({"epochs": 1.0})")), IsEmpty());
  EXPECT_THAT(Findings(Load(ThingsSpec("3.1.0")), Get("7", 200, R"({"epochs": 1e2})")), IsEmpty());
}

TEST(IntegerDialect, TheMintlifyRenderingIsReadAsOpenApi30) {
  auto seed =
      LoadContractFile(std::string(CONFORM_SOURCE_DIR) + "/spec/list_dpo_jobs.mintlify.yaml");
  ASSERT_THAT(seed, IsOk());
  traffic::Exchange exchange;
  exchange.request.method = "GET";
  exchange.request.url = "https://api.fireworks.ai/v1/accounts/acme/dpoJobs";
  exchange.response.status = 200;
  exchange.response.headers = {{"Content-Type", "application/json"}};
  exchange.response.body = R"({"totalSize": 3.0})";
  EXPECT_THAT(Findings(*seed, exchange),
              ElementsAre(AllOf(Is("response.schema.type", "OpenAPI 3.0 integers"),
                                Field(&Finding::json_pointer, "/totalSize"))));
}

}  // namespace
}  // namespace parameter_schema_test
}  // namespace conform::validator
