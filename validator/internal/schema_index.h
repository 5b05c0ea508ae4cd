// The schema resources of an OpenAPI 3.1 document (JSON Schema 2020-12), so that a $ref is
// resolved against the base URI in scope where it is written: each schema with an $id (itself
// resolved against the base around it) and each $anchor. The document is the outermost
// resource, its base URI made from its file name.
//   internal::SchemaIndex index(doc);
//   Result<std::string> target = index.Locate("order#/$defs/Note", "/components/schemas/A");
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/result.h"
#include "validator/internal/document.h"

namespace conform::validator::internal {

class SchemaIndex {
 public:
  // Walks `doc`, which must outlive the index. $id and $anchor are read in schemas, not in
  // data (example, examples, default, const, enum, an Example's value) or extensions (x-...).
  explicit SchemaIndex(const Document& doc);

  // The JSON pointer (percent-decoded, as RefPointer gives it) of what `ref`, written in the
  // object at `pointer`, names. kInvalidArgument, without where, for a URI that no schema of
  // the document declares (an external file or URL, the document named by its file name:
  // RefPointer's message), a fragment that is neither a JSON pointer nor an $anchor of the
  // resource, and a URI or anchor that two different schemas declare.
  // A "#/..." written inside a schema with an $id names that schema; when nothing is there and
  // the OpenAPI document has something at the pointer, it names that (as before $ids counted).
  Result<std::string> Locate(const std::string& ref, std::string_view pointer) const;

 private:
  // What the members of an object being walked are.
  enum class Members {
    kKeywords,  // fields of an OpenAPI object or keywords of a schema
    kNames,     // names chosen by the author (properties, $defs, paths, status codes)
    kGroups,    // groups of names (components, callbacks)
  };
  struct Declared {
    std::string pointer;
    const nlohmann::json* node = nullptr;
    bool ambiguous = false;  // declared again by a different schema
  };

  void Walk(const nlohmann::json& node, const std::string& pointer, const std::string& base,
            Members members);
  static void Declare(std::unordered_map<std::string, Declared>& declared, const std::string& key,
                      const std::string& pointer, const nlohmann::json& node);
  // The base URI in scope at `pointer`: that of the innermost resource holding it.
  const std::string& BaseAt(std::string_view pointer) const;

  const Document& doc_;
  std::string document_base_;
  std::unordered_map<std::string, std::string> base_at_;  // pointer of an $id -> its URI
  std::unordered_map<std::string, Declared> resources_;   // absolute URI -> schema with that $id
  std::unordered_map<std::string, Declared> anchors_;     // "URI#name" -> schema with the anchor
};

}  // namespace conform::validator::internal
