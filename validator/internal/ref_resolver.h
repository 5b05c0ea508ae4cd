// Resolves local $refs of a parsed document into one self-contained JSON tree.
// 3.0-style siblings beside a $ref (readOnly, description...) are kept by merging them into
// the target; recursive schemas (a cycle through properties or items) become
// {"$ref": "#/definitions/<name>"} with the target in `definitions()`; a cycle that describes
// no data (A -> B -> A, or through allOf/anyOf/oneOf/not), a broken or external $ref, one
// that points at a string, number, list or null, and a document that inlines to more than
// kMaxValues values are errors naming file:line:col. Beside a discriminator, the $refs of the
// oneOf/anyOf branches are kept in it (kDiscriminatorBranchRefs, read by CanonicalSchema).
// With SchemaIds::kHonour (OpenAPI 3.1), a $ref is resolved against the $id in scope and may
// name a schema of the document by its $id or $anchor (SchemaIndex); without, an $id is ignored.
//   internal::RefResolver resolver(doc, {.schema_ids = internal::SchemaIds::kHonour});
//   Result<nlohmann::json> root = resolver.Resolve(doc.root, "");
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/result.h"
#include "validator/internal/document.h"
#include "validator/internal/schema_index.h"

namespace conform::validator::internal {

// Whether an $id in a schema starts a resource that $refs are resolved against: JSON Schema
// 2020-12 (OpenAPI 3.1) says so; the OpenAPI 3.0 Schema Object has no $id.
enum class SchemaIds { kIgnore, kHonour };

struct RefResolverOptions {
  SchemaIds schema_ids = SchemaIds::kIgnore;
};

class RefResolver {
 public:
  // `doc` must outlive the resolver.
  explicit RefResolver(const Document& doc, RefResolverOptions options = {});

  // Resolves `node`, found at `pointer` in the document.
  Result<nlohmann::json> Resolve(const nlohmann::json& node, const std::string& pointer);

  // Targets of recursive references, keyed by the name used in "#/definitions/<name>".
  const nlohmann::json& definitions() const { return definitions_; }

 private:
  Result<nlohmann::json> ResolveRef(const nlohmann::json& node, const std::string& pointer);
  // Resolves the member `key` of the object at `pointer`, counting descents into data.
  Result<nlohmann::json> ResolveMember(const std::string& key, const nlohmann::json& value,
                                       const std::string& pointer);
  // Adds `values` inlined values to the total; an error past kMaxValues.
  Status Count(size_t values, std::string_view pointer);

  struct Frame {
    std::string target;
    int data_depth;
  };
  const Document& doc_;
  std::optional<SchemaIndex> index_;  // with SchemaIds::kHonour
  std::vector<Frame> stack_;
  int data_depth_ = 0;  // schemas of members or items entered (DescendsIntoData)
  size_t values_ = 0;   // values produced by inlining $ref targets
  std::unordered_map<std::string, nlohmann::json> resolved_targets_;
  std::unordered_set<std::string> recursive_targets_;
  nlohmann::json definitions_ = nlohmann::json::object();
};

// The JSON pointer a local $ref ("#/components/schemas/A%20B") names, percent-decoded.
// kInvalidArgument, without where, for an external $ref or a fragment that is not a pointer.
Result<std::string> RefPointer(const std::string& ref);

// The value at JSON pointer `pointer` (unescaped tokens) in `root`. kInvalidArgument, without
// where, names the token that fails: a missing member, an index out of range or not a number.
Result<const nlohmann::json*> FindPointer(const nlohmann::json& root, std::string_view pointer);

// The name a recursive target gets under "#/definitions/".
std::string DefinitionName(const std::string& target_pointer);

}  // namespace conform::validator::internal
