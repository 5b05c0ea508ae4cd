// OpenAPI 3.1 schemas with their own $id (JSON Schema 2020-12): a $ref is resolved against the
// base URI in scope, so "#/$defs/X" inside such a schema names that schema, and a schema of the
// document may be named by its $id or an $anchor. A URI no schema declares stays external, and
// OpenAPI 3.0 (whose Schema Object has no $id) is unchanged. Spec: schema_ids.yaml.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/file.h"
#include "tests/support/result_matchers.h"
#include "validator/internal/uri.h"
#include "validator/schema_validator.h"
#include "validator/spec_loader.h"

namespace conform::validator {
namespace schema_ids_test {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Json = nlohmann::json;

auto Violation(const std::string& check_id, const std::string& pointer) {
  return AllOf(Field(&SchemaViolation::check_id, check_id),
               Field(&SchemaViolation::pointer, pointer));
}

// schema_ids.yaml, its `openapi: 3.1.0` replaced by `openapi: <version>`.
std::string SpecText(const std::string& version = "3.1.0") {
  auto text = ReadFile(std::string(CONFORM_TEST_DATA_DIR) + "/validator/specs/schema_ids.yaml");
  EXPECT_THAT(text, IsOk());
  std::string spec = text.ok() ? *text : "";
  if (size_t at = spec.find("openapi: 3.1.0"); at != std::string::npos) {
    spec.replace(at, 14, "openapi: " + version);
  }
  return spec;
}

// A one-operation spec (operationId Get) whose 200 response has `schema` (YAML flow, at line
// 8, column 19), followed by `schemas` under components (YAML block, indented 4, line 10 on).
std::string Spec(const std::string& version, const std::string& schema,
                 const std::string& schemas) {
  return "openapi: " + version +
         "\n"
         "info: {title: t, version: '1'}\n"
         "paths:\n"
         "  /v1/things:\n"
         "    get:\n"
         "      operationId: Get\n"
         "      responses:\n"
         "        '200': {description: ok, content: {application/json: {schema: " +
         schema +
         "}}}\n"
         "components:\n"
         "  schemas:\n" +
         schemas;
}

// The violations of `body` against the 200 response of `operation_id`.
std::vector<SchemaViolation> Check(const Result<Contract>& contract,
                                   const std::string& operation_id, const std::string& body) {
  EXPECT_THAT(contract, IsOk());
  if (!contract.ok()) {
    return {};
  }
  const Operation* op = contract->FindOperation(operation_id);
  const ResponseSpec* response = op != nullptr ? op->FindResponse(200) : nullptr;
  if (response == nullptr || response->content.empty() || !response->content[0].schema) {
    ADD_FAILURE() << "no 200 schema for " << operation_id;
    return {};
  }
  auto schema = SchemaValidator::Compile(*response->content[0].schema, contract->definitions);
  EXPECT_THAT(schema, IsOk());
  if (!schema.ok()) {
    return {};
  }
  return (*schema)->Validate(Json::parse(body));
}

std::vector<SchemaViolation> CheckFixture(const std::string& operation_id,
                                          const std::string& body) {
  return Check(LoadContract(SpecText(), "schema_ids.yaml"), operation_id, body);
}

// Expects one spec error line holding `message` ("where: message").
void ExpectSpecError(const Result<Contract>& contract, const std::string& message) {
  EXPECT_THAT(contract, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr(message)))
      << (contract.ok() ? "loaded" : contract.error().ToString());
  if (!contract.ok()) {
    EXPECT_EQ(contract.error().ToString().find('\n'), std::string::npos);
  }
}

TEST(SchemaIds, DefsRefInsideIdSchemaNamesThatSchema) {
  EXPECT_THAT(CheckFixture("GetOrder", R"({"item": {"sku": "a-1"}})"), IsEmpty());
  EXPECT_THAT(CheckFixture("GetOrder", R"({"item": {}})"),
              ElementsAre(Violation("response.schema.required", "/item/sku")));
}

TEST(SchemaIds, RelativeRefResolvesAgainstTheId) {
  EXPECT_THAT(CheckFixture("GetOrder", R"({"note": "short"})"), IsEmpty());
  auto found = CheckFixture("GetOrder", R"({"note": "far too long for it"})");
  ASSERT_THAT(found, ElementsAre(Violation("response.schema.constraint", "/note")));
  EXPECT_THAT(found[0].message, HasSubstr("10"));
}

TEST(SchemaIds, AbsoluteUriNamesASchemaOfTheDocument) {
  EXPECT_THAT(CheckFixture("GetItem", R"({"sku": "a-1"})"), IsEmpty());
  EXPECT_THAT(CheckFixture("GetItem", R"({"sku": 7})"),
              ElementsAre(Violation("response.schema.type", "/sku")));
}

// Inside Line ($id lines/line), '#' is Line: its Qty is an integer, Shipment's a string.
TEST(SchemaIds, NestedIdChangesTheBase) {
  EXPECT_THAT(CheckFixture("GetShipment", R"({"line": {"qty": 2, "code": "S1"}, "code": "S2"})"),
              IsEmpty());
  EXPECT_THAT(CheckFixture("GetShipment", R"({"line": {"qty": 0}})"),
              ElementsAre(Violation("response.schema.constraint", "/line/qty")));
  EXPECT_THAT(CheckFixture("GetShipment", R"({"line": {"qty": 1, "code": "X1"}})"),
              ElementsAre(Violation("response.schema.constraint", "/line/code")));
  EXPECT_THAT(CheckFixture("GetShipment", R"({"line": {}})"),
              ElementsAre(Violation("response.schema.required", "/line/qty")));
}

TEST(SchemaIds, AnchorNamesASchemaOfItsResource) {
  EXPECT_THAT(CheckFixture("GetTagged", R"({"color": "red"})"), IsEmpty());
  EXPECT_THAT(CheckFixture("GetTagged", R"({"color": "green"})"),
              ElementsAre(Violation("response.schema.enum", "/color")));
}

TEST(SchemaIds, UndeclaredAbsoluteUriIsStillExternal) {
  ExpectSpecError(LoadContract(Spec("3.1.0", "{$ref: 'https://example.com/schemas/elsewhere'}",
                                    "    A: {$id: 'https://example.com/schemas/a'}\n"),
                               "x.yaml"),
                  "x.yaml:8:78: external $ref 'https://example.com/schemas/elsewhere' is not "
                  "supported");
}

// Relative to the $id, 'other.json' is https://example.com/schemas/other.json: no schema here.
TEST(SchemaIds, UndeclaredRelativeUriIsStillExternal) {
  ExpectSpecError(LoadContract(Spec("3.1.0", "{$ref: '#/components/schemas/A'}",
                                    "    A:\n"
                                    "      $id: https://example.com/schemas/a\n"
                                    "      properties: {b: {$ref: 'other.json#/$defs/B'}}\n"),
                               "x.yaml"),
                  "x.yaml:13:30: external $ref 'other.json#/$defs/B' is not supported");
}

TEST(SchemaIds, TheSpecFileByItsNameIsStillExternal) {
  ExpectSpecError(LoadContract(Spec("3.1.0", "{$ref: 'x.yaml#/components/schemas/A'}",
                                    "    A: {type: object}\n"),
                               "x.yaml"),
                  "x.yaml:8:78: external $ref 'x.yaml#/components/schemas/A'");
}

// The same schema loads as 3.1 (DefsRefInsideIdSchemaNamesThatSchema).
TEST(SchemaIds, OpenApi30IgnoresId) {
  ExpectSpecError(
      LoadContract(Spec("3.0.3", "{$ref: '#/components/schemas/A'}",
                        "    A:\n"
                        "      $id: https://example.com/schemas/a\n"
                        "      properties: {b: {$ref: '#/$defs/B'}}\n"
                        "      $defs: {B: {type: string}}\n"),
                   "x.yaml"),
      "x.yaml:13:30: broken $ref '#/$defs/B': nothing at that location (the document has no "
      "'$defs')");
  ExpectSpecError(LoadContract(SpecText("3.0.3"), "schema_ids.yaml"),
                  "schema_ids.yaml:54:13: external $ref "
                  "'https://example.com/schemas/order#/$defs/Item' is not supported");
}

TEST(SchemaIds, OpenApi30SpecWithIdLoadsAsBefore) {
  const std::string schemas =
      "    A:\n"
      "      $id: https://example.com/schemas/a\n"
      "      type: object\n"
      "      properties: {b: {$ref: '#/components/schemas/B'}}\n"
      "    B: {type: string, maxLength: 2}\n";
  auto contract =
      LoadContract(Spec("3.0.3", "{$ref: '#/components/schemas/A'}", schemas), "x.yaml");
  EXPECT_THAT(Check(contract, "Get", R"({"b": "ok"})"), IsEmpty());
  EXPECT_THAT(Check(contract, "Get", R"({"b": "too long"})"),
              ElementsAre(Violation("response.schema.constraint", "/b")));
}

// Written before $ids counted: the schema has no /components, the OpenAPI document has.
TEST(SchemaIds, ComponentRefInsideIdSchemaStillNamesTheDocument) {
  const std::string schemas =
      "    A:\n"
      "      $id: https://example.com/schemas/a\n"
      "      type: object\n"
      "      properties: {b: {$ref: '#/components/schemas/B'}}\n"
      "    B: {type: string, maxLength: 2}\n";
  auto contract =
      LoadContract(Spec("3.1.0", "{$ref: '#/components/schemas/A'}", schemas), "x.yaml");
  EXPECT_THAT(Check(contract, "Get", R"({"b": "ok"})"), IsEmpty());
  EXPECT_THAT(Check(contract, "Get", R"({"b": "too long"})"),
              ElementsAre(Violation("response.schema.constraint", "/b")));
}

TEST(SchemaIds, MissingDefInsideIdSchemaIsBroken) {
  ExpectSpecError(
      LoadContract(Spec("3.1.0", "{$ref: '#/components/schemas/A'}",
                        "    A:\n"
                        "      $id: https://example.com/schemas/a\n"
                        "      properties: {b: {$ref: '#/$defs/B'}}\n"),
                   "x.yaml"),
      "x.yaml:13:30: broken $ref '#/$defs/B': nothing at that location (A has no '$defs')");
}

TEST(SchemaIds, UndeclaredAnchorIsNamed) {
  ExpectSpecError(LoadContract(Spec("3.1.0", "{$ref: '#/components/schemas/A'}",
                                    "    A:\n"
                                    "      $id: https://example.com/schemas/a\n"
                                    "      properties: {b: {$ref: '#nowhere'}}\n"),
                               "x.yaml"),
                  "x.yaml:13:30: $ref '#nowhere' is not a JSON pointer fragment, nor an $anchor of "
                  "'https://example.com/schemas/a'");
}

TEST(SchemaIds, IdDeclaredByTwoSchemasIsAmbiguous) {
  ExpectSpecError(
      LoadContract(Spec("3.1.0", "{$ref: 'https://example.com/schemas/a'}",
                        "    A: {$id: 'https://example.com/schemas/a', type: string}\n"
                        "    B: {$id: 'https://example.com/schemas/a', type: number}\n"),
                   "x.yaml"),
      "x.yaml:8:78: $ref 'https://example.com/schemas/a' is ambiguous");
}

// An example of a schema document is data: its $id declares nothing.
TEST(SchemaIds, IdInAnExampleIsData) {
  auto contract =
      LoadContract(Spec("3.1.0", "{$ref: 'https://example.com/schemas/a'}",
                        "    A:\n"
                        "      $id: https://example.com/schemas/a\n"
                        "      type: object\n"
                        "      properties: {example: {type: string}}\n"
                        "      example: {$id: 'https://example.com/schemas/a', type: number}\n"),
                   "x.yaml");
  EXPECT_THAT(Check(contract, "Get", R"({"example": "x"})"), IsEmpty());
  EXPECT_THAT(Check(contract, "Get", R"({"example": 1})"),
              ElementsAre(Violation("response.schema.type", "/example")));
}

// '#' inside an $id'd schema is that schema: recursion through an item is kept as a reference.
TEST(SchemaIds, RecursionThroughTheIdIsKept) {
  auto contract = LoadContract(Spec("3.1.0", "{$ref: '#/components/schemas/Tree'}",
                                    "    Tree:\n"
                                    "      $id: https://example.com/schemas/tree\n"
                                    "      type: object\n"
                                    "      properties:\n"
                                    "        name: {type: string}\n"
                                    "        children: {type: array, items: {$ref: '#'}}\n"),
                               "x.yaml");
  EXPECT_THAT(Check(contract, "Get", R"({"name": "a", "children": [{"children": [{}]}]})"),
              IsEmpty());
  EXPECT_THAT(Check(contract, "Get", R"({"children": [{"children": [{"name": 3}]}]})"),
              ElementsAre(Violation("response.schema.type", "/children/0/children/0/name")));
}

TEST(SchemaIds, CycleThroughTheIdWithoutDataIsRefused) {
  ExpectSpecError(
      LoadContract(Spec("3.1.0", "{$ref: '#/components/schemas/A'}",
                        "    A: {$id: 'https://example.com/schemas/a', allOf: [{$ref: '#'}]}\n"),
                   "x.yaml"),
      "cyclic $ref '#'");
}

struct UriCase {
  std::string reference;
  std::string resolved;
};

void PrintTo(const UriCase& c, std::ostream* os) { *os << c.reference; }

class ResolveUri : public ::testing::TestWithParam<UriCase> {};

// RFC 3986 section 5.4, against its base "http://a/b/c/d;p?q".
TEST_P(ResolveUri, FollowsRfc3986Examples) {
  EXPECT_EQ(internal::ResolveUri("http://a/b/c/d;p?q", GetParam().reference), GetParam().resolved);
}

INSTANTIATE_TEST_SUITE_P(
    Rfc3986, ResolveUri,
    ::testing::Values(UriCase{"g:h", "g:h"}, UriCase{"g", "http://a/b/c/g"},
                      UriCase{"./g", "http://a/b/c/g"}, UriCase{"g/", "http://a/b/c/g/"},
                      UriCase{"/g", "http://a/g"}, UriCase{"//g", "http://g"},
                      UriCase{"?y", "http://a/b/c/d;p?y"}, UriCase{"g?y", "http://a/b/c/g?y"},
                      UriCase{"#s", "http://a/b/c/d;p?q#s"}, UriCase{"g#s", "http://a/b/c/g#s"},
                      UriCase{"", "http://a/b/c/d;p?q"}, UriCase{".", "http://a/b/c/"},
                      UriCase{"./", "http://a/b/c/"}, UriCase{"..", "http://a/b/"},
                      UriCase{"../g", "http://a/b/g"}, UriCase{"../..", "http://a/"},
                      UriCase{"../../g", "http://a/g"}, UriCase{"../../../g", "http://a/g"},
                      UriCase{"/./g", "http://a/g"}, UriCase{"/../g", "http://a/g"},
                      UriCase{"g.", "http://a/b/c/g."}, UriCase{"..g", "http://a/b/c/..g"},
                      UriCase{"./../g", "http://a/b/g"}, UriCase{"g/./h", "http://a/b/c/g/h"},
                      UriCase{"g/../h", "http://a/b/c/h"}, UriCase{"g;x=1/../y", "http://a/b/c/y"},
                      UriCase{"g?y/./x", "http://a/b/c/g?y/./x"},
                      UriCase{"g#s/../x", "http://a/b/c/g#s/../x"}),
    [](const ::testing::TestParamInfo<UriCase>& param_info) {
      return "Case" + std::to_string(param_info.index);
    });

}  // namespace
}  // namespace schema_ids_test
}  // namespace conform::validator
