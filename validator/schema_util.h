// Small, shared views of normalised schemas: canonical form, the structural view used to
// compare documents, and the walk from a JSON pointer in an instance to its schema.
//   nlohmann::json canonical = validator::CanonicalSchema(raw, validator::Dialect::kOpenApi30);
//   const nlohmann::json* s = validator::SchemaAt(canonical, "/dpoJobs/0/state");
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace conform::validator {

enum class Dialect {
  kOpenApi30,  // nullable, boolean exclusiveMinimum/Maximum
  kOpenApi31,  // JSON Schema 2020-12: type arrays, numeric exclusive bounds
};

// One schema form whatever the dialect: `nullable` becomes a type array, boolean exclusive
// bounds become numeric ones, a single-element allOf is folded into its parent when that
// changes nothing, one-element type arrays become a string. For 3.1, 2020-12 keywords with a
// draft-7 form valijson checks are rewritten: prefixItems to array-form items (an items beside
// it to additionalItems), dependentRequired/dependentSchemas to dependencies. Recursive.
nlohmann::json CanonicalSchema(const nlohmann::json& schema, Dialect dialect);

// The schema without annotations (description, title, example(s), externalDocs, xml,
// deprecated, $comment, refIdentifier), recursively.
nlohmann::json StructuralSchema(const nlohmann::json& schema);

// The JSON types a schema admits ("string", "integer", ...), empty when unconstrained.
std::vector<std::string> SchemaTypes(const nlohmann::json& schema);

// Follows the reference tokens of `pointer` (an instance location) through properties,
// items, additionalProperties and allOf. Returns nullptr when the location has no schema
// of its own (e.g. inside anyOf).
const nlohmann::json* SchemaAt(const nlohmann::json& schema, std::string_view pointer);

// Splits a JSON pointer into unescaped tokens.
std::vector<std::string> PointerTokens(std::string_view pointer);

}  // namespace conform::validator
