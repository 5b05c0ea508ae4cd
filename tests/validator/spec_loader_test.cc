#include "validator/spec_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "tests/support/result_matchers.h"
#include "tests/support/test_names.h"
#include "validator/list_shape.h"
#include "validator/schema_util.h"

namespace conform::validator {
namespace spec_loader_test {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;

std::string SpecPath(const std::string& name) { return std::string(CONFORM_SOURCE_DIR) + "/spec/" + name; }
std::string CasePath(const std::string& name) {
  return std::string(CONFORM_TEST_DATA_DIR) + "/validator/specs/" + name;
}

TEST(EmbeddedContract, IsListDpoJobs) {
  auto contract = EmbeddedContract();
  ASSERT_THAT(contract, IsOk());
  const Operation* op = contract->FindOperation("ListDpoJobs");
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(op->method, "GET");
  EXPECT_EQ(op->path, "/v1/accounts/{account_id}/dpoJobs");
  EXPECT_TRUE(op->bearer_auth);
  ASSERT_TRUE(op->list.has_value());
  EXPECT_EQ(op->list->resources_field, "dpoJobs");
  EXPECT_EQ(op->list->next_token_field, "nextPageToken");
  EXPECT_EQ(op->list->total_size_field, "totalSize");
  EXPECT_EQ(op->list->page_size_param, "pageSize");
  EXPECT_EQ(op->list->read_mask_param, "readMask");
  EXPECT_THAT(contract->servers, ElementsAre(Field(&Server::url, "https://api.fireworks.ai")));
}

TEST(EmbeddedContract, CatalogIsTypedFromTheSchema) {
  auto contract = EmbeddedContract();
  ASSERT_THAT(contract, IsOk());
  const aip::FieldCatalog& catalog = contract->operations[0].catalog;
  ASSERT_NE(catalog.Find("state"), nullptr);
  EXPECT_EQ(catalog.Find("state")->type, aip::FieldType::kEnum);
  EXPECT_EQ(catalog.Find("state")->enum_values.size(), 17u);
  EXPECT_TRUE(catalog.Find("state")->output_only);
  EXPECT_EQ(catalog.Find("createTime")->type, aip::FieldType::kTimestamp);
  EXPECT_EQ(catalog.Find("trainingConfig")->type, aip::FieldType::kMessage);
  EXPECT_FALSE(catalog.Find("trainingConfig")->sortable);
  EXPECT_EQ(catalog.Find("trainingConfig.region")->type, aip::FieldType::kEnum);
  EXPECT_EQ(catalog.Find("trainingConfig.learningRate")->type, aip::FieldType::kNumber);
  EXPECT_EQ(catalog.Find("trainingConfig.epochs")->type, aip::FieldType::kInteger);
  EXPECT_EQ(catalog.Find("wandbConfig.enabled")->type, aip::FieldType::kBoolean);
  EXPECT_EQ(catalog.Find("status.code")->type, aip::FieldType::kEnum);
  EXPECT_TRUE(catalog.Find("dataset")->required);
}

// The seed's Mintlify rendering and our OpenAPI 3.1 document describe one contract.
TEST(SpecLoader, SeedRenderingAndOpenApiDocumentLoadTheSameOperation) {
  auto seed = LoadContractFile(SpecPath("list_dpo_jobs.mintlify.yaml"));
  auto ours = LoadContractFile(SpecPath("openapi.yaml"));
  ASSERT_THAT(seed, IsOk());
  ASSERT_THAT(ours, IsOk());
  EXPECT_EQ(seed->format, "Mintlify rendering");
  EXPECT_EQ(ours->format, "OpenAPI 3.1.0");
  ASSERT_EQ(seed->operations.size(), 1u);
  const Operation& a = seed->operations[0];
  const Operation* b = ours->FindOperation(a.operation_id);
  ASSERT_NE(b, nullptr) << a.operation_id;
  EXPECT_EQ(a.method, b->method);
  EXPECT_EQ(a.path, b->path);
  EXPECT_EQ(a.bearer_auth, b->bearer_auth);
  ASSERT_EQ(a.parameters.size(), b->parameters.size());
  for (const Parameter& p : a.parameters) {
    const Parameter* q = b->FindParameter(p.name, p.in);
    ASSERT_NE(q, nullptr) << p.name;
    EXPECT_EQ(p.required, q->required) << p.name;
    EXPECT_EQ(StructuralSchema(p.schema), StructuralSchema(q->schema)) << p.name;
  }
  const ResponseSpec* ok_a = a.FindResponse(200);
  const ResponseSpec* ok_b = b->FindResponse(200);
  ASSERT_NE(ok_a, nullptr);
  ASSERT_NE(ok_b, nullptr);
  ASSERT_EQ(ok_a->content.size(), 1u);
  ASSERT_EQ(ok_b->content.size(), 1u);
  EXPECT_EQ(ok_a->content[0].name, ok_b->content[0].name);
  EXPECT_EQ(StructuralSchema(*ok_a->content[0].schema), StructuralSchema(*ok_b->content[0].schema));
  EXPECT_EQ(a.catalog.fields().size(), b->catalog.fields().size());
}

TEST(SpecLoader, PageSizesAreReadFromWhatTheSpecStates) {
  // The seed states both only in words, in either rendering.
  for (const char* file : {"openapi.yaml", "list_dpo_jobs.mintlify.yaml"}) {
    auto seed = LoadContractFile(SpecPath(file));
    ASSERT_THAT(seed, IsOk());
    const ListShape& list = *seed->operations[0].list;
    EXPECT_EQ(list.stated_default_page_size, 50) << file;
    EXPECT_EQ(list.stated_max_page_size, 200) << file;
  }
  auto spec = [](const std::string& page_size) {
    return "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /v1/books:\n    get:\n"
           "      operationId: ListBooks\n      parameters:\n        - name: pageSize\n"
           "          in: query\n" +
           page_size +
           "      responses:\n        '200':\n          description: ok\n          content:\n"
           "            application/json:\n              schema:\n                type: object\n"
           "                properties:\n                  books: {type: array, items: {type: "
           "object, "
           "properties: {name: {type: string}}}}\n                  nextPageToken: {type: "
           "string}\n";
  };
  struct Case {
    std::string page_size;
    std::optional<int64_t> want_default;
    std::optional<int64_t> want_max;
  };
  const Case cases[] = {
      {"          schema: {type: integer, default: 20, maximum: 100}\n", 20, 100},
      {"          description: Defaults to 25. At most 1000 (larger values are coerced to 1000).\n"
       "          schema: {type: integer}\n",
       25, 1000},
      {"          description: The maximum number of books to return.\n          schema: {type: "
       "integer}\n",
       std::nullopt, std::nullopt},
      {"          schema: {type: integer, default: 0, maximum: 2.5}\n", std::nullopt, std::nullopt},
      // A default read above the maximum is a misreading: not trusted.
      {"          description: the default is 500\n          schema: {type: integer, maximum: "
       "100}\n",
       std::nullopt, 100},
  };
  for (const Case& c : cases) {
    auto contract = LoadContract(spec(c.page_size), "books.yaml");
    ASSERT_THAT(contract, IsOk()) << c.page_size;
    const ListShape& list = *contract->operations[0].list;
    EXPECT_EQ(list.stated_default_page_size, c.want_default) << c.page_size;
    EXPECT_EQ(list.stated_max_page_size, c.want_max) << c.page_size;
  }
}

TEST(SpecLoader, PageSizesGivenWinOverTheSpecWhichWinsOverTheSeed) {
  Operation op;
  EXPECT_EQ(ResolvePageSizes(op, std::nullopt, std::nullopt).origin,
            "default 50 (seed), maximum 200 (seed)");
  op.list.emplace();
  op.list->stated_default_page_size = 20;
  op.list->stated_max_page_size = 100;
  PageSizes stated = ResolvePageSizes(op, std::nullopt, std::nullopt);
  EXPECT_EQ(stated.default_size, 20);
  EXPECT_EQ(stated.max_size, 100);
  EXPECT_EQ(ResolvePageSizes(op, 30, std::nullopt).origin,
            "default 30 (given), maximum 100 (spec)");
  op.list->stated_default_page_size.reset();
  op.list->stated_max_page_size = 10;  // the seed's default 50 cannot be above it
  EXPECT_EQ(ResolvePageSizes(op, std::nullopt, std::nullopt).origin,
            "default 10 (the maximum), maximum 10 (spec)");
  EXPECT_EQ(ResolvePageSizes(op, 60, std::nullopt).default_size,
            60);  // given: the command refuses it
}

TEST(SpecLoader, MintlifyRenderingHasNoDefaultErrorResponse) {
  auto seed = LoadContractFile(SpecPath("list_dpo_jobs.mintlify.yaml"));
  ASSERT_THAT(seed, IsOk());
  EXPECT_EQ(seed->operations[0].FindResponse(400), nullptr);
  EXPECT_EQ(seed->operations[0].operation_id, "ListDpoJobs");
}

TEST(SpecLoader, OpenApi30IdiomsAreNormalised) {
  auto contract = LoadContractFile(CasePath("openapi30_features.yaml"));
  ASSERT_THAT(contract, IsOk());
  const Operation* op = contract->FindOperation("ListBooks");
  ASSERT_NE(op, nullptr);
  EXPECT_NE(op->FindParameter("shelf", ParameterLocation::kPath), nullptr);  // from the path item
  ASSERT_TRUE(op->list.has_value());
  EXPECT_EQ(op->list->next_token_field, "next_page_token");
  EXPECT_EQ(op->list->page_size_param, "page_size");
  const nlohmann::json& book = op->list->resource_schema;
  EXPECT_EQ(book["properties"]["subtitle"]["type"], nlohmann::json::array({"string", "null"}));
  EXPECT_EQ(book["properties"]["rating"]["exclusiveMinimum"], 0);
  EXPECT_FALSE(book["properties"]["rating"].contains("minimum"));
  EXPECT_EQ(book["properties"]["genre"]["readOnly"], true);  // sibling of $ref kept
  EXPECT_EQ(book["properties"]["genre"]["enum"].size(), 2u);
  EXPECT_NE(op->FindResponse(404), nullptr);  // 4XX range
}

TEST(SpecLoader, JsonDocumentsLoad) {
  std::string json = R"({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
    "paths": {"/v1/x": {"get": {"operationId": "GetX",
      "responses": {"200": {"description": "ok"}}}}}})";
  auto contract = LoadContract(json, "inline.json");
  ASSERT_THAT(contract, IsOk());
  EXPECT_NE(contract->FindOperation("GetX"), nullptr);
}

TEST(SpecLoader, RecursiveSchemasAreNotCycles) {
  auto contract = LoadContractFile(CasePath("recursive_tree.yaml"));
  ASSERT_THAT(contract, IsOk());
  EXPECT_FALSE(contract->definitions.empty());
  const Operation* op = contract->FindOperation("ListTrees");
  ASSERT_NE(op, nullptr);
  EXPECT_NE(op->catalog.Find("children"), nullptr);
}

TEST(Contract, MatchesOperationsByMethodAndUrl) {
  auto contract = EmbeddedContract();
  ASSERT_THAT(contract, IsOk());
  const Operation* op = contract->MatchOperation("get", "/v1/accounts/acme/dpoJobs");
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(op->operation_id, "ListDpoJobs");
  auto params = op->MatchPath("/v1/accounts/acme/dpoJobs");
  ASSERT_TRUE(params.has_value());
  EXPECT_EQ((*params)[0].second, "acme");
  EXPECT_EQ(contract->MatchOperation("POST", "/v1/accounts/acme/dpoJobs"), nullptr);
  EXPECT_EQ(contract->MatchOperation("GET", "/v1/accounts/acme/sftJobs"), nullptr);
  EXPECT_EQ(contract->MatchOperation("GET", "/v1/accounts//dpoJobs"), nullptr);
}

TEST(SpecLoader, ServerVariableDefaultsAreKept) {
  for (const std::string version : {"3.0.3", "3.1.0"}) {
    auto contract = LoadContract("openapi: " + version + R"(
info: {title: t, version: '1'}
servers:
  - url: https://{region}.api.example.com/{basePath}/v2
    variables:
      region: {default: eu, enum: [eu, us]}
      basePath: {default: api}
  - url: https://{tenant}.example.com/{region}
    variables:
      tenant: {enum: [a, b]}
      region: {default: us}
paths:
  /v1/things:
    get:
      responses: {'200': {description: ok}}
)",
                                 "servers.yaml");
    ASSERT_THAT(contract, IsOk()) << version;
    ASSERT_EQ(contract->servers.size(), 2u) << version;
    EXPECT_EQ(contract->servers[0].url, "https://{region}.api.example.com/{basePath}/v2");
    EXPECT_EQ(contract->servers[0].UrlWithDefaults(), "https://eu.api.example.com/api/v2");
    // A variable without a default (invalid in OpenAPI) stays as it is.
    EXPECT_EQ(contract->servers[1].UrlWithDefaults(), "https://{tenant}.example.com/us");
  }
}

TEST(SpecLoader, ParameterStyleAndExplodeAreReadWithOpenApiDefaults) {
  for (const std::string version : {"3.0.3", "3.1.0"}) {
    auto contract = LoadContract("openapi: " + version + R"(
info: {title: t, version: '1'}
paths:
  /v1/things/{id}/{dots}:
    get:
      operationId: GetThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: dots, in: path, required: true, style: label, explode: true, schema: {type: string}}
        - {name: q, in: query, schema: {type: string}}
        - {name: csv, in: query, explode: false, schema: {type: array}}
        - {name: spaced, in: query, style: spaceDelimited, schema: {type: array}}
        - {name: piped, in: query, style: pipeDelimited, explode: true, schema: {type: array}}
        - {name: X-Ids, in: header, schema: {type: array}}
        - {name: c, in: cookie, schema: {type: string}}
      responses: {'200': {description: ok}}
)",
                                 "styles.yaml");
    ASSERT_THAT(contract, IsOk()) << version;
    const Operation* op = contract->FindOperation("GetThing");
    ASSERT_NE(op, nullptr);
    struct Want {
      std::string name;
      ParameterLocation in;
      ParameterStyle style;
      bool explode;
    };
    for (const Want& want : std::vector<Want>{
             {"id", ParameterLocation::kPath, ParameterStyle::kSimple, false},
             {"dots", ParameterLocation::kPath, ParameterStyle::kLabel, true},
             {"q", ParameterLocation::kQuery, ParameterStyle::kForm, true},
             {"csv", ParameterLocation::kQuery, ParameterStyle::kForm, false},
             {"spaced", ParameterLocation::kQuery, ParameterStyle::kSpaceDelimited, false},
             {"piped", ParameterLocation::kQuery, ParameterStyle::kPipeDelimited, true},
             {"X-Ids", ParameterLocation::kHeader, ParameterStyle::kSimple, false},
             {"c", ParameterLocation::kCookie, ParameterStyle::kForm, true}}) {
      const Parameter* parameter = op->FindParameter(want.name, want.in);
      ASSERT_NE(parameter, nullptr) << want.name;
      EXPECT_EQ(parameter->style, want.style) << version << " " << want.name;
      EXPECT_EQ(parameter->explode, want.explode) << version << " " << want.name;
    }
  }
}

TEST(SpecLoader, MintlifyParametersTakeTheDefaultStyles) {
  auto seed = LoadContractFile(SpecPath("list_dpo_jobs.mintlify.yaml"));
  ASSERT_THAT(seed, IsOk());
  const Operation& op = seed->operations[0];
  const Parameter* account = op.FindParameter("account_id", ParameterLocation::kPath);
  ASSERT_NE(account, nullptr);
  EXPECT_EQ(account->style, ParameterStyle::kSimple);
  EXPECT_FALSE(account->explode);
  const Parameter* page_size = op.FindParameter("pageSize", ParameterLocation::kQuery);
  ASSERT_NE(page_size, nullptr);
  EXPECT_EQ(page_size->style, ParameterStyle::kForm);
  EXPECT_TRUE(page_size->explode);
}

struct BadSpecCase {
  std::string file;
  ErrorCode code;
  std::string message;  // a substring of "where: message"
};

void PrintTo(const BadSpecCase& c, std::ostream* os) { *os << c.file; }

class BadSpec : public ::testing::TestWithParam<BadSpecCase> {};

TEST_P(BadSpec, GetsOneClearErrorWithItsPosition) {
  const BadSpecCase& c = GetParam();
  auto contract = LoadContractFile(c.file == "missing.yaml" ? CasePath(c.file) : CasePath(c.file));
  EXPECT_THAT(contract, ErrorIs(c.code, HasSubstr(c.message)));
  if (!contract.ok()) {
    EXPECT_EQ(contract.error().ToString().find('\n'), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Specs, BadSpec,
    ::testing::Values(
        BadSpecCase{"missing.yaml", ErrorCode::kNotFound, "missing.yaml: no such file"},
        BadSpecCase{"malformed.yaml", ErrorCode::kInvalidArgument,
                    "malformed.yaml:11:1: malformed YAML"},
        BadSpecCase{"broken_ref.yaml", ErrorCode::kInvalidArgument,
                    "broken_ref.yaml:12:23: broken $ref '#/components/schemas/Missing'"},
        BadSpecCase{"cyclic_ref.yaml", ErrorCode::kInvalidArgument,
                    "cyclic $ref '#/components/schemas/"},
        BadSpecCase{
            "external_ref.yaml", ErrorCode::kInvalidArgument,
            "external_ref.yaml:12:23: external $ref 'other.yaml#/components/schemas/Thing'"},
        BadSpecCase{"swagger2.yaml", ErrorCode::kInvalidArgument,
                    "swagger2.yaml:1:10: Swagger 2.0 is not supported"},
        BadSpecCase{"not_openapi.yaml", ErrorCode::kInvalidArgument, "no 'openapi' version field"},
        BadSpecCase{"no_operations.yaml", ErrorCode::kInvalidArgument, "declares no operations"},
        BadSpecCase{"bad_parameter.yaml", ErrorCode::kInvalidArgument,
                    "bad_parameter.yaml:8:15: parameter 'pageSize': 'in' must be path, query, "
                    "header or cookie"}),
    [](const ::testing::TestParamInfo<BadSpecCase>& param_info) {
      return conform::testing::CamelCase(
          param_info.param.file.substr(0, param_info.param.file.find('.')));
    });

TEST(SpecLoader, CyclicRefNamesItsPosition) {
  auto contract = LoadContractFile(CasePath("cyclic_ref.yaml"));
  EXPECT_THAT(contract, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("cyclic_ref.yaml:1")));
}

TEST(SpecLoader, DeeplyNestedDocumentIsRefusedNotRecursed) {
  std::string text = "openapi: 3.1.0\nx: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
  auto contract = LoadContract(text, "deep.yaml");
  EXPECT_THAT(contract, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("deep.yaml:2:")));
}

TEST(SpecLoader, UnsupportedVersionIsNamed) {
  auto contract = LoadContract("openapi: 2.5.0\npaths: {}\n", "v.yaml");
  EXPECT_THAT(contract, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("v.yaml:1:10: unsupported 'openapi' version")));
}

TEST(SpecLoader, DuplicateKeysAreErrors) {
  auto contract = LoadContract("openapi: 3.1.0\nopenapi: 3.0.0\npaths: {}\n", "dup.yaml");
  EXPECT_THAT(contract, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("dup.yaml:2:1: duplicate key 'openapi'")));
}

// A one-operation spec whose 200 response has `schema` (YAML flow) and whose components hold
// `schemas` (YAML block, indented 4); `operation` adds members to the operation.
std::string SpecWith(const std::string& schema, const std::string& schemas = "",
                     const std::string& operation = "") {
  return "openapi: 3.1.0\n"
         "info: {title: t, version: '1'}\n"
         "paths:\n"
         "  /v1/things:\n"
         "    get:\n" +
         operation +
         "      responses:\n"
         "        '200':\n"
         "          description: ok\n"
         "          content:\n"
         "            application/json:\n"
         "              schema: " + schema + "\n" +
         (schemas.empty() ? "" : "components:\n  schemas:\n" + schemas);
}

// Hostile-input review, 2026-11-29: these crashed (SIGFPE, stack overflow), ran out of memory
// or ended as "internal error" (exit 4) instead of one spec error line (exit 2).

TEST(SpecLoader, MultipleOfZeroIsRefused) {
  auto contract = LoadContract(SpecWith("{type: object, properties: {n: {type: integer, multipleOf: 0}}}"), "m.yaml");
  EXPECT_THAT(contract, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("multipleOf must be greater than 0")));
}

TEST(SpecLoader, CycleThroughCompositionIsRefused) {
  for (const char* keyword : {"allOf", "anyOf", "oneOf"}) {
    std::string schemas = std::string("    A: {") + keyword + ": [{$ref: '#/components/schemas/A'}]}\n";
    auto contract = LoadContract(SpecWith("{$ref: '#/components/schemas/A'}", schemas), "c.yaml");
    EXPECT_THAT(contract, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("without descending into a property")))
        << keyword;
  }
  auto through_not = LoadContract(SpecWith("{$ref: '#/components/schemas/A'}",
                                           "    A: {not: {$ref: '#/components/schemas/A'}}\n"),
                                  "n.yaml");
  EXPECT_THAT(through_not, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("cyclic $ref")));
  // Through a property or an item the same shape is recursive data, and loads.
  auto tree = LoadContract(SpecWith("{$ref: '#/components/schemas/T'}",
                                    "    T: {allOf: [{type: object, properties: {kids: {type: array, items: "
                                    "{$ref: '#/components/schemas/T'}}}}]}\n"),
                           "t.yaml");
  EXPECT_THAT(tree, IsOk());
}

// Each level lists ten aliases of the one before: a "billion laughs" of `levels` levels.
std::string AliasBomb(int levels) {
  std::string bomb = "x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int level = 1; level <= levels; ++level) {
    std::string prev = "*a" + std::to_string(level - 1);
    bomb += "x" + std::to_string(level) + ": &a" + std::to_string(level) + " [" + prev;
    for (int k = 1; k < 10; ++k) {
      bomb += ", " + prev;
    }
    bomb += "]\n";
  }
  return bomb;
}

TEST(SpecLoader, YamlAliasBombIsRefused) {
  // x6 (line 7) is the first list past 2,000,000 values: about 11 million.
  auto contract = LoadContract(AliasBomb(8) + SpecWith("{type: object}"), "bomb.yaml");
  EXPECT_THAT(contract, ErrorIs(ErrorCode::kInvalidArgument,
                                HasSubstr("bomb.yaml:7:5: document expands to more than")));
  // 10^21 values: more than a size_t counts.
  auto deeper = LoadContract(AliasBomb(20) + SpecWith("{type: object}"), "deeper.yaml");
  EXPECT_THAT(deeper, ErrorIs(ErrorCode::kInvalidArgument,
                              HasSubstr("deeper.yaml:7:5: document expands to more than")));
}

TEST(SpecLoader, AliasesBelowTheLimitLoadAsIfWrittenOut) {
  auto contract = LoadContract(AliasBomb(3) + SpecWith("{type: object}"), "small.yaml");
  ASSERT_THAT(contract, IsOk());
  auto aliased = LoadContract(
      "x: &s {type: object, properties: {n: {type: integer}}}\n" + SpecWith("*s"), "s.yaml");
  ASSERT_THAT(aliased, IsOk());
  auto written =
      LoadContract(SpecWith("{type: object, properties: {n: {type: integer}}}"), "w.yaml");
  ASSERT_THAT(written, IsOk());
  EXPECT_EQ(aliased->operations.at(0).responses.at(0).content.at(0).schema,
            written->operations.at(0).responses.at(0).content.at(0).schema);
}

TEST(SpecLoader, RefFanOutBombIsRefusedAndAnUnusedOneIgnored) {
  std::string schemas = "    S0: {type: string}\n";
  for (int level = 1; level <= 9; ++level) {
    std::string prev = "{$ref: '#/components/schemas/S" + std::to_string(level - 1) + "'}";
    schemas += "    S" + std::to_string(level) + ": {type: object, properties: {";
    for (int k = 0; k < 8; ++k) {
      schemas += (k > 0 ? ", p" : "p") + std::to_string(k) + ": " + prev;
    }
    schemas += "}}\n";
  }
  auto used = LoadContract(SpecWith("{$ref: '#/components/schemas/S9'}", schemas), "fan.yaml");
  EXPECT_THAT(used, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("once its $refs are inlined")));
  auto unused = LoadContract(SpecWith("{type: object}", schemas), "unused.yaml");
  EXPECT_THAT(unused, IsOk());
}

TEST(SpecLoader, WronglyTypedMembersNameTheirPosition) {
  struct Case {
    std::string operation;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {"      summary: 5\n", "m.yaml:6:16: 'summary' must be a string, not number"},
           {"      operationId: [a]\n", "'operationId' must be a string, not array"},
           {"      parameters: [{name: q, in: query, required: maybe, schema: {type: string}}]\n",
            "'required' must be true or false, not \"maybe\""},
           {"      parameters: [{name: q, in: query, description: 7, schema: {type: string}}]\n",
            "'description' must be a string"},
           {"      parameters: [{name: q, in: query, content: {application/json: 5}}]\n",
            "a media type must be an object"},
           {"      parameters: [{name: q, in: query, style: sideways, schema: {type: string}}]\n",
            "m.yaml:6:48: 'style' must be one of form, simple, label, matrix, spaceDelimited, "
            "pipeDelimited, deepObject; not 'sideways'"},
           {"      parameters: [{name: q, in: query, style: 3, schema: {type: string}}]\n",
            "'style' must be a string, not number"},
           {"      parameters: [{name: q, in: query, explode: yes please, schema: {}}]\n",
            "'explode' must be true or false, not \"yes please\""}}) {
    auto contract = LoadContract(SpecWith("{type: object}", "", c.operation), "m.yaml");
    EXPECT_THAT(contract, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr(c.message))) << c.operation;
  }
}

TEST(SpecLoader, PatternThatIsNotARegexIsRefused) {
  auto contract = LoadContract(SpecWith("{type: object, properties: {id: {type: string, pattern: '(['}}}"), "p.yaml");
  EXPECT_THAT(contract, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("is not a regular expression")));
  // A property named "pattern" is a schema, not a keyword.
  auto named = LoadContract(SpecWith("{type: object, properties: {pattern: {type: string}}}"), "q.yaml");
  EXPECT_THAT(named, IsOk());
}

// Found loading the 2,639 specs of APIs.guru's directory: examples and extensions are data.
// Each of these refused a spec: an `x-` member of Paths read as a path (Apicurio), a "$ref"
// inside an example value resolved (Shutterstock), a "schema" member of an example checked as
// a schema (Microsoft Graph, Azure), a $ref inside an extension followed into another one that
// is a list (Spotify). An extension of Paths or Responses holding a "schema" member was checked
// as one (`schema: 3` refused the spec) while the loader dropped it: one RoleOf says it now.
TEST(SpecLoader, ExamplesAndExtensionsAreNotReadAsTheSpec) {
  constexpr char kSpec[] = R"(openapi: 3.0.3
info: {title: data, version: '1'}
paths:
  x-codegen-contextRoot: /apicurio
  x-codegen-defaults: {schema: 3}
  /things:
    get:
      operationId: ListThings
      x-policy-list: {$ref: '#/components/x-policy/list'}
      parameters:
        - name: x-trace
          in: header
          schema: {type: string}
          example: {$ref: '#/components/schemas/Thing/example'}
      responses:
        x-ratelimit: {anything: [1], schema: {type: 7}}
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              examples:
                one: {value: {$ref: '#/components/schemas/Thing/example'}}
components:
  x-policy:
    list: [a, b]
  examples:
    hunting:
      value: {results: [], schema: [{odata: x}]}
  schemas:
    Thing:
      type: object
      required: [example, x-flag]
      properties:
        example: {type: string}
        x-flag: {type: boolean, x-internal: {$ref: '#/components/x-policy/list'}}
      example: [not, a, schema]
)";
  auto contract = LoadContract(kSpec, "data.yaml");
  ASSERT_THAT(contract, IsOk());
  ASSERT_EQ(contract->operations.size(), 1u);
  const Operation& op = contract->operations[0];
  EXPECT_EQ(op.path, "/things");
  ASSERT_EQ(op.responses.size(), 1u);
  ASSERT_EQ(op.responses[0].content.size(), 1u);
  const nlohmann::json& schema = *op.responses[0].content[0].schema;
  // Properties an author called "example" and "x-flag" are schemas, kept and required.
  EXPECT_TRUE(schema["properties"].contains("example")) << schema.dump();
  EXPECT_TRUE(schema["properties"].contains("x-flag")) << schema.dump();
  EXPECT_EQ(schema["required"], nlohmann::json::parse(R"(["example", "x-flag"])"));
  ASSERT_EQ(op.parameters.size(), 1u);
  EXPECT_EQ(op.parameters[0].name, "x-trace");
}

// Sweep 2026-11-29: a patternProperties key that std::regex cannot compile ended as "internal
// error" (exit 4) at validation time, with no location.
struct BadPatternKeyCase {
  std::string name;
  std::string key;  // YAML single-quoted
};

void PrintTo(const BadPatternKeyCase& c, std::ostream* os) { *os << c.key; }

class BadPatternPropertiesKey : public ::testing::TestWithParam<BadPatternKeyCase> {};

TEST_P(BadPatternPropertiesKey, IsASpecErrorNamingTheKeyAndItsPosition) {
  const BadPatternKeyCase& c = GetParam();
  auto contract =
      LoadContract(SpecWith("{type: object, patternProperties: {'" + c.key + "': {}}}"), "pp.yaml");
  // The key's own schema starts at column 62 + the key's length on the `schema:` line (11).
  std::string where = "pp.yaml:11:" + std::to_string(62 + c.key.size()) + ": ";
  EXPECT_THAT(contract, ErrorIs(ErrorCode::kInvalidArgument,
                                HasSubstr(where + "patternProperties key \"" + c.key +
                                          "\" is not a regular expression")));
  if (!contract.ok()) {
    EXPECT_EQ(contract.error().ToString().find('\n'), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(Keys, BadPatternPropertiesKey,
                         ::testing::Values(BadPatternKeyCase{"UnclosedBracket", "["},
                                           BadPatternKeyCase{"UnclosedGroup", "(ab"},
                                           BadPatternKeyCase{"NothingToRepeat", "*a"}),
                         [](const ::testing::TestParamInfo<BadPatternKeyCase>& param_info) {
                           return param_info.param.name;
                         });

// Found loading APIs.guru's directory: 65 specs (most of AWS's) were refused for a pattern
// std::regex cannot compile though ECMA-262 allows it: a class of CJK ranges (std::regex reads
// bytes), \p{ASCII} (a Unicode property escape, with the `u` flag JSON Schema assumes),
// lookbehind, a large counted repeat. They load; what conform cannot compile is reported as
// not checked (SchemaValidator tests).
TEST(SpecLoader, PatternsConformCannotCompileStillLoad) {
  for (const std::string pattern :
       {"^[a-z0-9 \u4e00-\u9fff]+$", "^[一-龿]+$", "\\p{ASCII}*", "^\\P{C}*$", "(?<=a)b",
        "a{99999}", "[\\u0009\\u000A\\u000D\\u0020-\\uD7FF]*"}) {
    SCOPED_TRACE(pattern);
    // YAML single quotes: a backslash is itself.
    EXPECT_THAT(LoadContract(SpecWith("{type: object, properties: {id: {type: string, pattern: '" +
                                      pattern + "'}}}"),
                             "p.yaml"),
                IsOk());
    EXPECT_THAT(LoadContract(SpecWith("{type: object, patternProperties: {'" + pattern + "': {}}}"),
                             "pp.yaml"),
                IsOk());
  }
}

TEST(SpecLoader, PatternPropertiesKeysThatAreRegexesLoad) {
  auto contract = LoadContract(
      SpecWith("{type: object, patternProperties: {'^x-': {type: string}}}"), "pp.yaml");
  EXPECT_THAT(contract, IsOk());
  // A property named "patternProperties" holds a schema, whose keys are keywords.
  auto named = LoadContract(
      SpecWith("{type: object, properties: {patternProperties: {type: string}}}"), "q.yaml");
  EXPECT_THAT(named, IsOk());
}

// Sweep 2026-11-29: yaml-cpp 0.7 leaves the YAML 1.1 merge key `<<` to its users, and it was
// loaded as an ordinary member: a response schema given as `<<: *strict` checked nothing, and
// a parameter whose `in` came from a merge had "no 'in'".
TEST(SpecLoader, MergeKeysLoadAsIfTheMergedKeysWereWrittenOut) {
  auto merged = LoadContractFile(CasePath("merge_keys.yaml"));
  auto written = LoadContractFile(CasePath("merge_keys_written_out.yaml"));
  ASSERT_THAT(merged, IsOk());
  ASSERT_THAT(written, IsOk());
  const Operation* a = merged->FindOperation("ListThings");
  const Operation* b = written->FindOperation("ListThings");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(a->parameters.size(), b->parameters.size());
  for (const Parameter& p : b->parameters) {
    const Parameter* q = a->FindParameter(p.name, p.in);
    ASSERT_NE(q, nullptr) << p.name;
    EXPECT_EQ(q->required, p.required) << p.name;
    EXPECT_EQ(q->description, p.description) << p.name;
    EXPECT_EQ(q->schema, p.schema) << p.name;
  }
  const ResponseSpec* ok_a = a->FindResponse(200);
  const ResponseSpec* ok_b = b->FindResponse(200);
  ASSERT_NE(ok_a, nullptr);
  ASSERT_NE(ok_b, nullptr);
  ASSERT_EQ(ok_a->content.size(), 1u);
  ASSERT_EQ(ok_b->content.size(), 1u);
  ASSERT_TRUE(ok_a->content[0].schema.has_value());
  EXPECT_EQ(*ok_a->content[0].schema, *ok_b->content[0].schema);
  // Explicit keys win over merged ones; earlier mappings of a merge list over later ones.
  EXPECT_EQ((*ok_a->content[0].schema)["required"], nlohmann::json::array({"things"}));
  EXPECT_EQ((*ok_a->content[0].schema)["additionalProperties"], false);
  const Parameter* page_size = a->FindParameter("pageSize", ParameterLocation::kQuery);
  ASSERT_NE(page_size, nullptr);
  EXPECT_EQ(page_size->schema["maximum"], 200);
  EXPECT_EQ(page_size->description, "page size");
}

TEST(SpecLoader, QuotedMergeKeyIsAnOrdinaryKey) {
  auto contract =
      LoadContract(SpecWith("{type: object, properties: {'<<': {type: string}}}"), "q.yaml");
  ASSERT_THAT(contract, IsOk());
  const auto& schema = contract->operations[0].responses[0].content[0].schema;
  ASSERT_TRUE(schema.has_value());
  EXPECT_TRUE((*schema)["properties"].contains("<<"));
}

struct BadMergeCase {
  std::string name;
  std::string schema;   // the 200 response schema, in YAML flow style, after `x: &m {a: 1}`
  std::string message;  // a substring of "where: message"
};

void PrintTo(const BadMergeCase& c, std::ostream* os) { *os << c.schema; }

class BadMergeKey : public ::testing::TestWithParam<BadMergeCase> {};

TEST_P(BadMergeKey, IsASpecErrorAtTheMergeKey) {
  const BadMergeCase& c = GetParam();
  auto contract = LoadContract("x: &m {a: 1}\ns: &s 5\n" + SpecWith(c.schema), "m.yaml");
  EXPECT_THAT(contract, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr(c.message)));
  if (!contract.ok()) {
    EXPECT_EQ(contract.error().ToString().find('\n'), std::string::npos);
  }
}

// The schema starts at line 13, column 23; `<<` is then at column 24.
INSTANTIATE_TEST_SUITE_P(
    Values, BadMergeKey,
    ::testing::Values(
        BadMergeCase{
            "Scalar", "{<<: 5}",
            "m.yaml:13:24: merge key '<<' takes a mapping or a list of mappings, not a scalar"},
        BadMergeCase{"AliasOfAScalar", "{<<: *s}",
                     "m.yaml:13:24: merge key '<<' takes a mapping or a list of mappings, "
                     "not a scalar"},
        BadMergeCase{"Null", "{<<: , type: object}",
                     "m.yaml:13:24: merge key '<<' takes a mapping or a list of mappings, "
                     "not null"},
        BadMergeCase{"ListWithAScalar", "{<<: [*m, 5]}",
                     "m.yaml:13:24: merge key '<<' takes a mapping or a list of mappings: "
                     "item 2 of its list is a scalar"},
        BadMergeCase{"ListOfLists", "{<<: [[*m]]}",
                     "m.yaml:13:24: merge key '<<' takes a mapping or a list of mappings: "
                     "item 1 of its list is a list"},
        BadMergeCase{"Twice", "{<<: *m, b: 2, <<: *m}", "m.yaml:13:38: duplicate key '<<'"},
        BadMergeCase{"ItsOwnMapping", "&self {<<: *self}",
                     "m.yaml:13:30: merge key '<<' merges a mapping into itself"}),
    [](const ::testing::TestParamInfo<BadMergeCase>& param_info) { return param_info.param.name; });

TEST(SpecLoader, MergeKeyBombIsRefused) {
  // Each level merges ten copies of the one before: few distinct keys, 10^8 merged entries.
  std::string bomb =
      "x0: &a0 {k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, k8: 8, k9: 9}\n";
  for (int level = 1; level <= 8; ++level) {
    std::string prev = "*a" + std::to_string(level - 1);
    bomb += "x" + std::to_string(level) + ": &a" + std::to_string(level) + " {<<: [" + prev;
    for (int k = 1; k < 10; ++k) {
      bomb += ", " + prev;
    }
    bomb += "]}\n";
  }
  auto contract = LoadContract(bomb + SpecWith("{type: object}"), "bomb.yaml");
  EXPECT_THAT(contract, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("expands to more than")));
}

TEST(SpecLoader, MergeChainsCountAgainstTheNestingLimit) {
  std::string chain = "x0: &a0 {k: 0}\n";
  for (int level = 1; level <= 300; ++level) {
    chain += "x" + std::to_string(level) + ": &a" + std::to_string(level) + " {<<: *a" +
             std::to_string(level - 1) + "}\n";
  }
  auto contract = LoadContract(chain + SpecWith("{type: object}"), "chain.yaml");
  EXPECT_THAT(contract,
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("nested deeper than 256 levels")));
}

}  // namespace
}  // namespace spec_loader_test
}  // namespace conform::validator
