// Small, shared views of normalised schemas: canonical form, the structural view used to
// compare documents, and the walk from a JSON pointer in an instance to its schema.
//   nlohmann::json canonical = validator::CanonicalSchema(raw, validator::Dialect::kOpenApi30);
//   const nlohmann::json* s = validator::SchemaAt(canonical, "/dpoJobs/0/state");
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
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
// it to additionalItems), dependentRequired/dependentSchemas to dependencies. A discriminator
// beside oneOf/anyOf is translated as TranslateDiscriminators says. Recursive.
nlohmann::json CanonicalSchema(const nlohmann::json& schema, Dialect dialect);

// Where the $ref resolver keeps, in a discriminator beside oneOf/anyOf, the $ref each branch was
// written as ("" for an inline branch): inlining loses the names a discriminator selects by.
// The translation consumes and removes it.
inline constexpr char kDiscriminatorBranchRefs[] = "x-conform-branch-refs";

// An OpenAPI `discriminator` beside oneOf (or anyOf) selects the branch by the value of its
// property, where plain JSON Schema demands exactly one match (two open objects both match):
// the oneOf/anyOf becomes allOf items {"if": {object whose property is one of the values of
// branch i}, "then": branch i}, and one that holds an object with the property to one of all
// the values (a non-object is held to the types the branches and the schema declare). An object
// without the property is judged by the plain oneOf/anyOf: OpenAPI leaves that case undefined
// and says a discriminator "MUST NOT change the validation outcome".
// Values come from `mapping` (a $ref or a bare component name), then from the last token of each
// branch's $ref (implicit mapping). Left untranslated when that is not clear: a branch no value
// selects (an inline one), a mapping entry naming no branch, a discriminator that is not an
// object (Swagger 2.0's property name). The `discriminator` stays as an annotation. Recursive
// and dialect-free, for schemas CanonicalSchema does not see (Contract::definitions).
nlohmann::json TranslateDiscriminators(const nlohmann::json& schema);

// The discriminator translated in `schema` (TranslateDiscriminators), if any: its property and
// the values that select a branch.
struct TranslatedDiscriminator {
  std::string property;
  nlohmann::json values;  // a list of strings
  // Every branch lists the property in its own `required`: no object without it can match.
  bool required_by_every_branch = false;
};
std::optional<TranslatedDiscriminator> FindTranslatedDiscriminator(const nlohmann::json& schema);

// The schema without annotations (description, title, example(s), externalDocs, xml,
// deprecated, $comment, refIdentifier), recursively.
nlohmann::json StructuralSchema(const nlohmann::json& schema);

// The JSON types a schema admits ("string", "integer", ...), empty when unconstrained.
std::vector<std::string> SchemaTypes(const nlohmann::json& schema);

// Follows the reference tokens of `pointer` (an instance location) through properties,
// items, additionalProperties and allOf, and through local $refs into `schema` itself (a
// compiled schema keeps recursive definitions under "definitions"). Returns nullptr when the
// location has no schema of its own (e.g. inside anyOf).
const nlohmann::json* SchemaAt(const nlohmann::json& schema, std::string_view pointer);

// As above for a location in `instance`, which also leads through a translated discriminator
// (an if/then whose `if` the instance is seen to satisfy) into the branch it selects.
const nlohmann::json* SchemaAt(const nlohmann::json& schema, std::string_view pointer,
                               const nlohmann::json& instance);

// Splits a JSON pointer into unescaped tokens.
std::vector<std::string> PointerTokens(std::string_view pointer);

// The value at JSON pointer `pointer` in `instance`; nullptr when there is none (or the
// pointer is malformed).
const nlohmann::json* ValueAt(const nlohmann::json& instance, const std::string& pointer);

}  // namespace conform::validator
