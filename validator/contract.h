// The Contract: what a spec says, normalised, whichever document it came from (a standard
// OpenAPI 3.0/3.1 file or the Mintlify rendering the Fireworks docs publish). Schemas are
// JSON with every $ref resolved, so checks never see the document's shape.
//   auto contract = validator::LoadContractFile("spec/openapi.yaml");
//   const validator::Operation* list = contract->FindOperation("ListDpoJobs");
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aip/field_catalog.h"
#include "common/result.h"

namespace conform::validator {

// The field that identifies a resource of a List (AIP-122): duplicates and findings go by it.
inline constexpr std::string_view kResourceName = "name";

enum class ParameterLocation { kPath, kQuery, kHeader, kCookie };
std::string_view ParameterLocationName(ParameterLocation in);

// How a parameter's value is serialised (OpenAPI `style`): form `ids=1&ids=2` or `ids=1,2`,
// simple `1,2`, label `.1.2`, matrix `;ids=1,2`, spaceDelimited `1%202`, pipeDelimited `1|2`,
// deepObject `filter[state]=x`.
enum class ParameterStyle {
  kForm,
  kSimple,
  kLabel,
  kMatrix,
  kSpaceDelimited,
  kPipeDelimited,
  kDeepObject
};
// The OpenAPI default for a parameter in `in`: form for query and cookie, simple for path and
// header.
ParameterStyle DefaultParameterStyle(ParameterLocation in);

struct Parameter {
  std::string name;
  ParameterLocation in = ParameterLocation::kQuery;
  bool required = false;
  // As the spec states them, else OpenAPI's defaults for `in` (the spec loader fills them):
  // explode defaults to true for form only.
  ParameterStyle style = ParameterStyle::kForm;
  bool explode = true;
  nlohmann::json schema = nlohmann::json::object();  // normalised, annotations kept
  std::string description;
};

struct MediaType {
  std::string name;  // "application/json"
  std::optional<nlohmann::json> schema;
};

struct ResponseSpec {
  std::string status;  // "200", "4XX" or "default"
  std::string description;
  std::vector<MediaType> content;
};

// Where the AIP-158 pieces of a List response live, found from the schema (never assumed).
struct ListShape {
  std::string resources_field;   // the repeated resource field: "dpoJobs"
  std::string next_token_field;  // "nextPageToken"
  std::string total_size_field;  // "totalSize"; empty if the response has none
  nlohmann::json resource_schema = nlohmann::json::object();  // items of resources_field
  // Query parameter names (camelCase or snake_case, as the spec spells them); empty if absent.
  std::string page_size_param;
  std::string page_token_param;
  std::string filter_param;
  std::string order_by_param;
  std::string read_mask_param;
  // What the spec states of the page size parameter: its schema's `default` and `maximum`, or
  // its description's words ("If unspecified, the default is 50", "The maximum page_size is
  // 200"). nullopt when it states nothing: commands then assume the seed's 50 and 200.
  std::optional<int64_t> stated_default_page_size;
  std::optional<int64_t> stated_max_page_size;
};

struct Operation {
  std::string operation_id;  // from the spec, or derived ("ListDpoJobs") when it has none
  std::string method;        // upper case: "GET"
  std::string path;          // template: "/v1/accounts/{account_id}/dpoJobs"
  std::string summary;
  std::vector<Parameter> parameters;
  std::vector<ResponseSpec> responses;
  bool bearer_auth = false;  // a security requirement of type http/bearer applies
  std::optional<ListShape> list;  // set when the operation is an AIP-158 List
  aip::FieldCatalog catalog;      // resource fields, for filter/orderBy/readMask (List only)

  const Parameter* FindParameter(std::string_view name, ParameterLocation in) const;
  // The response that covers `status`: exact code, then "4XX", then "default" (for errors,
  // or for any status when no 2xx response is declared).
  const ResponseSpec* FindResponse(int status) const;
  // Path parameters if `path` (no query) matches the template, else nullopt.
  std::optional<std::vector<std::pair<std::string, std::string>>> MatchPath(
      std::string_view path) const;
};

// One entry of `servers`: its URL, which may hold `{variable}`s, and each variable's default.
struct Server {
  std::string url;                                       // "https://{region}.api.example.com/v2"
  std::map<std::string, std::string> variable_defaults;  // {"region": "eu"}

  // `url` with each variable replaced by its default; a variable without one stays as is.
  std::string UrlWithDefaults() const;
};

struct Contract {
  std::string source;  // file path, or "<embedded ListDpoJobs>"
  std::string format;  // "OpenAPI 3.1.0", "OpenAPI 3.0.3", "Mintlify rendering"
  std::string title;
  std::vector<Server> servers;
  std::vector<Operation> operations;
  // Recursive schemas, referenced as "#/definitions/<name>" from inside operation schemas.
  nlohmann::json definitions = nlohmann::json::object();

  const Operation* FindOperation(std::string_view operation_id) const;
  // The operation for `method` and a request path (origin-form, query ignored); when several
  // templates match, the one with the most literal segments wins.
  const Operation* MatchOperation(std::string_view method, std::string_view path) const;
};

}  // namespace conform::validator
