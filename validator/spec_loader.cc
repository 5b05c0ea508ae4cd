#include "validator/spec_loader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/ascii.h"
#include "common/file.h"
#include "validator/internal/document.h"
#include "validator/internal/ref_resolver.h"
#include "validator/list_shape.h"
#include "validator/schema_util.h"
#include "validator/schema_validator.h"

namespace conform::embedded {
extern const std::string_view kOpenApiYaml;
}  // namespace conform::embedded

namespace conform::validator {
namespace {

using Json = nlohmann::json;
using internal::AppendPointer;
using internal::Document;
using internal::KindOf;

const char* const kMethods[] = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

std::string Upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// A name for an operation that has no operationId: "ListDpoJobs" for GET on a collection,
// else "GET /path".
std::string DerivedOperationId(const std::string& method, const std::string& path) {
  std::string last = path.substr(path.rfind('/') + 1);
  if (method == "GET" && !last.empty() && last.front() != '{' &&
      last.find_first_of(":.") == std::string::npos) {
    last[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(last[0])));
    return "List" + last;
  }
  return method + " " + path;
}

// The string member `key` of `object`, or "" when it is absent or not a string: for members
// that only decide whether something applies (a security scheme's type, a title).
std::string StringOrEmpty(const Json& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// What is wrong with the variables of path template `path` ("/v1/{name}/jobs"), if anything:
// an unbalanced one would never match a URL, or match with the braces taken literally.
std::optional<std::string> TemplateProblem(std::string_view path) {
  std::optional<size_t> open;  // where the variable being read began
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      if (open) {
        return "'{' inside the variable that begins '" +
               std::string(path.substr(*open, i - *open)) + "'";
      }
      open = i;
    } else if (path[i] == '}') {
      if (!open) {
        return std::string("'}' after '") + std::string(path.substr(0, i)) + "' closes no variable";
      }
      if (i == *open + 1) {
        return std::string("'{}' names no variable");
      }
      open.reset();
    } else if (path[i] == '/' && open) {
      return "the variable that begins '" + std::string(path.substr(*open, i - *open)) +
             "' has no closing '}' before the next '/'";
    }
  }
  if (open) {
    return "the variable that begins '" + std::string(path.substr(*open)) + "' has no closing '}'";
  }
  return std::nullopt;
}

// An error naming `what` (a `pattern` value or a `patternProperties` key) at `pointer` when
// `regex` is not one that the validation engine's std::regex compiles.
Status CheckRegex(const Document& doc, const std::string& what, const std::string& regex,
                  const std::string& pointer) {
  if (std::optional<std::string> error = PatternError(regex)) {
    return InvalidArgument(
        what + " " + Json(regex).dump() + " is not a regular expression: " + *error,
        doc.Where(pointer));
  }
  return OkStatus();
}

// What the value of a schema keyword must be.
enum class Expect {
  kSchema,        // a schema: an object, or true or false
  kSchemaMap,     // an object whose members are schemas (properties)
  kSchemaList,    // a non-empty list of schemas (allOf)
  kItems,         // a schema, or a list of schemas (the tuple form of older drafts)
  kNameList,      // a list of strings (required)
  kList,          // a list of values (enum)
  kType,          // a type name or a list of them
  kString,        // pattern, format, $ref
  kNumber,        // minimum, multipleOf
  kNumberOrBool,  // exclusiveMinimum: true/false in 3.0, a number in 3.1
  kCount,         // a non-negative integer (minLength)
  kBool,          // nullable, readOnly
};

const std::unordered_map<std::string, Expect>& SchemaKeywords() {
  static const std::unordered_map<std::string, Expect> kKeywords = {
      {"properties", Expect::kSchemaMap},
      {"patternProperties", Expect::kSchemaMap},
      {"dependentSchemas", Expect::kSchemaMap},
      {"$defs", Expect::kSchemaMap},
      {"definitions", Expect::kSchemaMap},
      {"additionalProperties", Expect::kSchema},
      {"additionalItems", Expect::kSchema},
      {"unevaluatedProperties", Expect::kSchema},
      {"unevaluatedItems", Expect::kSchema},
      {"propertyNames", Expect::kSchema},
      {"contains", Expect::kSchema},
      {"not", Expect::kSchema},
      {"if", Expect::kSchema},
      {"then", Expect::kSchema},
      {"else", Expect::kSchema},
      {"allOf", Expect::kSchemaList},
      {"anyOf", Expect::kSchemaList},
      {"oneOf", Expect::kSchemaList},
      {"prefixItems", Expect::kSchemaList},
      {"items", Expect::kItems},
      {"required", Expect::kNameList},
      {"enum", Expect::kList},
      {"type", Expect::kType},
      {"$ref", Expect::kString},
      {"pattern", Expect::kString},
      {"format", Expect::kString},
      {"minimum", Expect::kNumber},
      {"maximum", Expect::kNumber},
      {"multipleOf", Expect::kNumber},
      {"exclusiveMinimum", Expect::kNumberOrBool},
      {"exclusiveMaximum", Expect::kNumberOrBool},
      {"minLength", Expect::kCount},
      {"maxLength", Expect::kCount},
      {"minItems", Expect::kCount},
      {"maxItems", Expect::kCount},
      {"minProperties", Expect::kCount},
      {"maxProperties", Expect::kCount},
      {"uniqueItems", Expect::kBool},
      {"nullable", Expect::kBool},
      {"readOnly", Expect::kBool},
      {"writeOnly", Expect::kBool},
  };
  return kKeywords;
}

bool IsCount(const Json& value) {
  return value.is_number_unsigned() || (value.is_number_integer() && value.get<int64_t>() >= 0) ||
         (value.is_number_float() && value.get<double>() >= 0 &&
          value.get<double>() == std::floor(value.get<double>()));
}

// Where OpenAPI objects are found, as the document is walked outside schemas.
enum class Members {
  kFields,  // fixed fields of an OpenAPI object (an operation's `responses`, `schema`)
  kNames,   // names chosen by the author (paths, status codes, media types, header names)
  kGroups,  // groups of names (components, callbacks, Mintlify parameter locations)
};

// Members whose value maps names to objects: a path, header or scope called "schema" is not
// the keyword.
bool MapsNames(const std::string& key) {
  static const std::unordered_set<std::string> kNameMaps = {
      "paths",    "webhooks",  "responses", "content",  "headers", "links",
      "encoding", "variables", "scopes",    "security", "mapping"};
  return kNameMaps.count(key) > 0;
}

enum class SpecFormat { kOpenApi, kMintlify };

// What a $ref stands for where it is written.
enum class RefTo { kSchema, kObject };

// What a member of an OpenAPI object is, outside schemas: the one place that says where a
// document's schemas and its data are, for SchemaChecker (which checks the schemas) and
// DropData (which removes the data before $refs are resolved).
struct MemberRole {
  enum Kind {
    kData,             // an example or an extension: not the spec's
    kSchema,           // a schema (`schema`)
    kSchemaMap,        // names to schemas (the components' `schemas`)
    kMintlifySchemas,  // the Mintlify rendering's list of alternative schemas
    kRef,              // a $ref to an OpenAPI object
    kObjects,          // more of the document: its members are `members`
  };
  Kind kind;
  Members members = Members::kFields;
};

// `key` is a member of an object whose members are `members`; `parent` is the member that
// object is the value of (ParentOf). In the Paths and Responses objects an `x-` name is an
// extension; elsewhere in a map of names it is a name an author chose (a property or header
// called "example" stays too).
MemberRole RoleOf(Members members, std::string_view parent, const std::string& key,
                  const Json& value, SpecFormat format) {
  const bool extension = key.rfind("x-", 0) == 0;
  switch (members) {
    case Members::kNames:
      if (extension && (parent == "paths" || parent == "responses")) {
        return {MemberRole::kData};
      }
      return {MemberRole::kObjects, Members::kFields};
    case Members::kGroups:
      if (extension || key == "examples") {
        return {MemberRole::kData};
      }
      return key == "schemas" ? MemberRole{MemberRole::kSchemaMap}
                              : MemberRole{MemberRole::kObjects, Members::kNames};
    case Members::kFields:
      break;
  }
  if (extension || key == "example" || key == "examples") {
    return {MemberRole::kData};
  }
  if (key == "$ref") {
    return {MemberRole::kRef};
  }
  if ((key == "schema" || key == "schemaArray") && value.is_array() &&
      format == SpecFormat::kMintlify) {
    return {MemberRole::kMintlifySchemas};
  }
  if (key == "schema") {
    return {MemberRole::kSchema};
  }
  if (key == "components" || key == "callbacks" || (key == "parameters" && value.is_object())) {
    return {MemberRole::kObjects, Members::kGroups};
  }
  return {MemberRole::kObjects, MapsNames(key) ? Members::kNames : Members::kFields};
}

// The `parent` of the members of `key`'s value: the key, except under a group, whose entries
// are names of the author's (components/responses/x-a is a response called "x-a").
// A view of `key`: the member names of the document outlive every walk of it.
std::string_view ParentOf(Members members, const std::string& key) {
  return members == Members::kGroups ? std::string_view() : std::string_view(key);
}

// Annotations and extensions are data, not OpenAPI objects or schemas: an example may hold a
// member called "$ref" or "schema" of its own (Shutterstock's and Microsoft Graph's specs), an
// `x-` extension a $ref into another extension (Spotify's). DropData removes them (RoleOf says
// where they are) from what the operations say before its $refs are resolved: nothing reads
// them. (The SchemaChecker skips them by the same rules.)
void DropSchemaData(Json& schema);

// `parent` as RoleOf takes it.
void DropData(Json& node, Members members, std::string_view parent) {
  if (node.is_array()) {
    for (Json& item : node) {
      DropData(item, members, parent);
    }
    return;
  }
  if (!node.is_object()) {
    return;
  }
  std::vector<std::string> dropped;
  for (auto& [key, value] : node.items()) {
    const MemberRole role = RoleOf(members, parent, key, value, SpecFormat::kOpenApi);
    switch (role.kind) {
      case MemberRole::kData:
        dropped.push_back(key);
        break;
      case MemberRole::kSchema:
        DropSchemaData(value);
        break;
      case MemberRole::kSchemaMap:
      case MemberRole::kMintlifySchemas:
        for (Json& schema : value) {
          DropSchemaData(schema);
        }
        break;
      case MemberRole::kRef:
        break;
      case MemberRole::kObjects:
        DropData(value, role.members, ParentOf(members, key));
        break;
    }
  }
  for (const std::string& key : dropped) {
    node.erase(key);
  }
}

void DropSchemaData(Json& schema) {
  static const std::unordered_set<std::string> kSchemaMaps = {
      "properties", "patternProperties", "definitions", "$defs", "dependentSchemas"};
  static const std::unordered_set<std::string> kSubschemas = {"items",
                                                              "additionalProperties",
                                                              "additionalItems",
                                                              "not",
                                                              "if",
                                                              "then",
                                                              "else",
                                                              "contains",
                                                              "propertyNames",
                                                              "unevaluatedItems",
                                                              "unevaluatedProperties",
                                                              "contentSchema",
                                                              "allOf",
                                                              "anyOf",
                                                              "oneOf",
                                                              "prefixItems"};
  if (!schema.is_object()) {
    return;
  }
  std::vector<std::string> dropped;
  for (auto& [key, value] : schema.items()) {
    if (kSchemaMaps.count(key) > 0 && value.is_object()) {
      for (auto& [name, sub] : value.items()) {
        DropSchemaData(sub);
      }
    } else if (kSubschemas.count(key) > 0) {
      if (value.is_array()) {
        for (Json& sub : value) {
          DropSchemaData(sub);
        }
      } else {
        DropSchemaData(value);
      }
    } else if (key.rfind("x-", 0) == 0 || key == "example" || key == "examples") {
      dropped.push_back(key);
    }
  }
  for (const std::string& key : dropped) {
    schema.erase(key);
  }
}

// Checks every schema of the document before anything uses one, so an error names
// file:line:col: a keyword whose value has the wrong JSON type (`properties: "x"` was accepted
// and checked nothing; `items: 3` failed later without a position), a multipleOf of 0 (which
// divides by zero) and a pattern or patternProperties key that std::regex cannot compile.
// Schemas are found where OpenAPI and the Mintlify rendering put them (`schema`,
// components/schemas, `schemaArray`) and by following local $refs, wherever their targets are.
// Broken $refs are left to the resolver, which reports those that are used.
class SchemaChecker {
 public:
  SchemaChecker(const Document& doc, SpecFormat format) : doc_(doc), format_(format) {}

  Status Check() {
    if (Status checked = Walk(doc_.root, "", Members::kFields, ""); !checked) {
      return checked;
    }
    while (!pending_.empty()) {
      auto [pointer, to] = pending_.back();
      pending_.pop_back();
      const Json& node = **internal::FindPointer(doc_.root, pointer);
      Status checked = to == RefTo::kSchema ? CheckSchema(node, pointer, "the schema")
                                            : Walk(node, pointer, Members::kFields, "");
      if (!checked) {
        return checked;
      }
    }
    return OkStatus();
  }

 private:
  Error Fail(const std::string& message, const std::string& pointer) const {
    return InvalidArgument(message, doc_.Where(pointer));
  }

  // Queues the target of a local $ref to be checked once, as a schema or an OpenAPI object.
  void Follow(const Json& ref, RefTo to) {
    if (!ref.is_string()) {
      return;
    }
    Result<std::string> pointer = internal::RefPointer(ref.get<std::string>());
    if (!pointer) {
      return;
    }
    Result<const Json*> target = internal::FindPointer(doc_.root, *pointer);
    if (!target || !(*target)->is_object()) {
      return;
    }
    if (followed_.insert({*pointer, to}).second) {
      pending_.push_back({*pointer, to});
    }
  }

  // `parent` as RoleOf takes it.
  Status Walk(const Json& node, const std::string& pointer, Members members,
              std::string_view parent) {
    if (node.is_array()) {
      for (size_t i = 0; i < node.size(); ++i) {
        if (Status checked = Walk(node[i], AppendPointer(pointer, i), members, parent); !checked) {
          return checked;
        }
      }
      return OkStatus();
    }
    if (!node.is_object()) {
      return OkStatus();
    }
    for (const auto& [key, value] : node.items()) {
      std::string at = AppendPointer(pointer, key);
      const MemberRole role = RoleOf(members, parent, key, value, format_);
      Status checked = OkStatus();
      switch (role.kind) {
        case MemberRole::kData:
          break;
        case MemberRole::kSchema:
          checked = CheckSchema(value, at, "'" + key + "'");
          break;
        case MemberRole::kSchemaMap:
          checked = CheckSchemaMap(value, at, "'" + key + "'");
          break;
        case MemberRole::kMintlifySchemas:
          checked = CheckMintlifySchemas(value, at);
          break;
        case MemberRole::kRef:
          Follow(value, RefTo::kObject);
          break;
        case MemberRole::kObjects:
          checked = Walk(value, at, role.members, ParentOf(members, key));
          break;
      }
      if (!checked) {
        return checked;
      }
    }
    return OkStatus();
  }

  // The Mintlify rendering lists alternative schemas, and puts a parameter's own
  // `required: true|false` into each.
  Status CheckMintlifySchemas(const Json& list, const std::string& pointer) {
    for (size_t i = 0; i < list.size(); ++i) {
      Json schema = list[i];
      if (schema.is_object() && schema.contains("required") && schema["required"].is_boolean()) {
        schema.erase("required");
      }
      if (Status checked = CheckSchema(schema, AppendPointer(pointer, i), "a schema"); !checked) {
        return checked;
      }
    }
    return OkStatus();
  }

  Status CheckSchemaMap(const Json& map, const std::string& pointer, const std::string& name) {
    if (!map.is_object()) {
      return Fail(name + " must be an object whose members are schemas, not " + KindOf(map),
                  pointer);
    }
    for (const auto& [key, value] : map.items()) {
      if (Status checked =
              CheckSchema(value, AppendPointer(pointer, key), name + " member '" + key + "'");
          !checked) {
        return checked;
      }
    }
    return OkStatus();
  }

  // `name` says what the schema is in messages: "'items'", "'allOf' item 2".
  Status CheckSchema(const Json& schema, const std::string& pointer, const std::string& name) {
    if (schema.is_boolean()) {
      return OkStatus();
    }
    if (!schema.is_object()) {
      return Fail(name + " must be a schema (an object, or true or false), not " + KindOf(schema),
                  pointer);
    }
    for (const auto& [key, value] : schema.items()) {
      auto rule = SchemaKeywords().find(key);
      if (rule == SchemaKeywords().end()) {
        continue;  // an annotation, data (example, default, const) or an extension
      }
      if (Status checked = CheckKeyword(key, value, rule->second, AppendPointer(pointer, key));
          !checked) {
        return checked;
      }
    }
    return OkStatus();
  }

  Status CheckKeyword(const std::string& key, const Json& value, Expect expect,
                      const std::string& at) {
    const std::string keyword = "'" + key + "'";
    switch (expect) {
      case Expect::kSchema:
        return CheckSchema(value, at, keyword);
      case Expect::kSchemaMap:
        if (Status checked = CheckSchemaMap(value, at, keyword); !checked) {
          return checked;
        }
        if (key == "patternProperties") {
          for (const auto& [name, schema] : value.items()) {
            if (Status checked =
                    CheckRegex(doc_, "patternProperties key", name, AppendPointer(at, name));
                !checked) {
              return checked;
            }
          }
        }
        return OkStatus();
      case Expect::kItems:
        return value.is_array() ? CheckSchemaList(value, at, keyword)
                                : CheckSchema(value, at, keyword);
      case Expect::kSchemaList:
        if (!value.is_array() || value.empty()) {
          return Fail(keyword + " must be a non-empty list of schemas, not " +
                          (value.is_array() ? "an empty list" : KindOf(value)),
                      at);
        }
        return CheckSchemaList(value, at, keyword);
      case Expect::kNameList:
      case Expect::kType:
        return CheckStrings(key, value, at,
                            expect == Expect::kType ? "type name" : "property name");
      case Expect::kList:
        return value.is_array() ? OkStatus()
                                : Fail(keyword + " must be a list, not " + KindOf(value), at);
      case Expect::kString:
        if (!value.is_string()) {
          return Fail(keyword + " must be a string, not " + KindOf(value), at);
        }
        if (key == "$ref") {
          Follow(value, RefTo::kSchema);
        } else if (key == "pattern") {
          return CheckRegex(doc_, "pattern", value.get<std::string>(), at);
        }
        return OkStatus();
      case Expect::kNumber:
        if (!value.is_number()) {
          return Fail(keyword + " must be a number, not " + KindOf(value), at);
        }
        if (key == "multipleOf" && !(value.get<double>() > 0)) {
          return Fail("multipleOf must be greater than 0, not " + value.dump(), at);
        }
        return OkStatus();
      case Expect::kNumberOrBool:
        return value.is_number() || value.is_boolean()
                   ? OkStatus()
                   : Fail(keyword + " must be a number (true or false in OpenAPI 3.0), not " +
                              KindOf(value),
                          at);
      case Expect::kCount:
        return IsCount(value)
                   ? OkStatus()
                   : Fail(keyword + " must be a non-negative integer, not " + KindOf(value), at);
      case Expect::kBool:
        return value.is_boolean()
                   ? OkStatus()
                   : Fail(keyword + " must be true or false, not " + KindOf(value), at);
    }
    return OkStatus();
  }

  Status CheckSchemaList(const Json& list, const std::string& pointer, const std::string& name) {
    for (size_t i = 0; i < list.size(); ++i) {
      if (Status checked = CheckSchema(list[i], AppendPointer(pointer, i),
                                       name + " item " + std::to_string(i + 1));
          !checked) {
        return checked;
      }
    }
    return OkStatus();
  }

  // `required` (property names) and `type` (type names): a list of strings; `type` may also
  // be one string.
  Status CheckStrings(const std::string& key, const Json& value, const std::string& pointer,
                      const std::string& what) {
    if (key == "type" && value.is_string()) {
      return OkStatus();
    }
    if (!value.is_array()) {
      return Fail("'" + key + "' must be " + (key == "type" ? "a type name or " : "") +
                      "a list of " + what + "s, not " + KindOf(value),
                  pointer);
    }
    for (size_t i = 0; i < value.size(); ++i) {
      if (!value[i].is_string()) {
        return Fail("'" + key + "' item " + std::to_string(i + 1) + " must be a " + what +
                        " (a string), not " + KindOf(value[i]),
                    AppendPointer(pointer, i));
      }
    }
    return OkStatus();
  }

  const Document& doc_;
  SpecFormat format_;
  std::vector<std::pair<std::string, RefTo>> pending_;  // targets still to check
  std::set<std::pair<std::string, RefTo>> followed_;
};

class Loader {
 public:
  Dialect dialect() const { return dialect_; }  // set by LoadOpenApi / LoadMintlify
  Loader(const Document& doc, const Json& root) : doc_(doc), root_(root) {}

  Error Fail(const std::string& message, const std::string& pointer) const {
    return InvalidArgument(message, doc_.Where(pointer));
  }

  // The string member `key` of `object` at `pointer`, or `fallback` when absent or null.
  Result<std::string> StringMember(const Json& object, const char* key, std::string fallback,
                                   const std::string& pointer) const {
    auto found = object.find(key);
    if (found == object.end() || found->is_null()) {
      return fallback;
    }
    if (!found->is_string()) {
      return Fail(std::string("'") + key + "' must be a string, not " + found->type_name(),
                  AppendPointer(pointer, key));
    }
    return found->get<std::string>();
  }

  Result<bool> BoolMember(const Json& object, const char* key, bool fallback,
                          const std::string& pointer) const {
    auto found = object.find(key);
    if (found == object.end() || found->is_null()) {
      return fallback;
    }
    if (!found->is_boolean()) {
      return Fail(std::string("'") + key + "' must be true or false, not " + found->dump(),
                  AppendPointer(pointer, key));
    }
    return found->get<bool>();
  }

  Result<Contract> LoadOpenApi(const std::string& version) {
    Contract contract;
    contract.format = "OpenAPI " + version;
    dialect_ = version.rfind("3.0", 0) == 0 ? Dialect::kOpenApi30 : Dialect::kOpenApi31;
    if (auto info = root_.find("info"); info != root_.end() && info->is_object()) {
      contract.title = StringOrEmpty(*info, "title");
    }
    ReadServers(root_, "/servers", contract);
    auto paths = root_.find("paths");
    if (paths == root_.end() || !paths->is_object()) {
      return Fail("OpenAPI document has no 'paths' object", "");
    }
    for (const auto& [path, item] : paths->items()) {
      std::string item_pointer = AppendPointer("/paths", path);
      if (path.empty() || path[0] != '/') {
        return Fail("path '" + path + "' must start with '/'", item_pointer);
      }
      if (std::optional<std::string> problem = TemplateProblem(path)) {
        return InvalidArgument("path '" + path + "': " + *problem, doc_.WhereKey(item_pointer));
      }
      if (!item.is_object()) {
        return Fail("path item '" + path + "' must be an object", item_pointer);
      }
      std::vector<Parameter> shared;
      if (auto params = item.find("parameters"); params != item.end()) {
        auto parsed = ReadParameters(*params, AppendPointer(item_pointer, "parameters"));
        if (!parsed) {
          return parsed.error();
        }
        shared = *std::move(parsed);
      }
      for (const char* method : kMethods) {
        auto op = item.find(method);
        if (op == item.end()) {
          continue;
        }
        auto operation = ReadOperation(*op, AppendPointer(item_pointer, method), method, path, shared);
        if (!operation) {
          return operation.error();
        }
        contract.operations.push_back(*std::move(operation));
      }
    }
    if (contract.operations.empty()) {
      return Fail("the document declares no operations", "/paths");
    }
    return contract;
  }

  // The Mintlify rendering: one operation under `paths` with `path`, `method`, `request`
  // (security, parameters.{path,query,header,cookie}.NAME.schema[]) and
  // `response.STATUS.MEDIA.schemaArray[]`.
  Result<Contract> LoadMintlify() {
    Contract contract;
    contract.format = "Mintlify rendering";
    dialect_ = Dialect::kOpenApi30;
    const Json& paths = root_["paths"];
    Operation op;
    op.method = Upper(paths["method"].get<std::string>());
    op.path = paths["path"].get<std::string>();
    if (op.path.empty() || op.path[0] != '/') {
      return Fail("path '" + op.path + "' must start with '/'", "/paths/path");
    }
    if (std::optional<std::string> problem = TemplateProblem(op.path)) {
      return Fail("path '" + op.path + "': " + *problem, "/paths/path");
    }
    ReadServers(paths, "/paths/servers", contract);
    if (auto request = paths.find("request"); request != paths.end() && request->is_object()) {
      if (auto security = request->find("security"); security != request->end() && security->is_array()) {
        for (const Json& requirement : *security) {
          const Json* headers = FindPath(requirement, {"parameters", "header"});
          if (headers == nullptr || !headers->is_object()) {
            continue;
          }
          for (const auto& [name, scheme] : headers->items()) {
            if (scheme.is_object() && StringOrEmpty(scheme, "type") == "http" &&
                AsciiLower(StringOrEmpty(scheme, "scheme")) == "bearer") {
              op.bearer_auth = true;
            }
          }
        }
      }
      if (auto params = request->find("parameters"); params != request->end() && params->is_object()) {
        const std::pair<const char*, ParameterLocation> kLocations[] = {
            {"path", ParameterLocation::kPath},
            {"query", ParameterLocation::kQuery},
            {"header", ParameterLocation::kHeader},
            {"cookie", ParameterLocation::kCookie}};
        for (const auto& [location, in] : kLocations) {
          auto group = params->find(location);
          if (group == params->end() || !group->is_object()) {
            continue;
          }
          std::string group_pointer = std::string("/paths/request/parameters/") + location;
          for (const auto& [name, spec] : group->items()) {
            std::string pointer = AppendPointer(group_pointer, name);
            auto parameter = ReadMintlifyParameter(name, in, spec, pointer);
            if (!parameter) {
              return parameter.error();
            }
            op.parameters.push_back(*std::move(parameter));
          }
        }
      }
    }
    auto responses = paths.find("response");
    if (responses == paths.end() || !responses->is_object()) {
      return Fail("operation has no 'response' object", "/paths");
    }
    for (const auto& [status, spec] : responses->items()) {
      std::string pointer = AppendPointer("/paths/response", status);
      if (!spec.is_object()) {
        return Fail("response '" + status + "' must be an object", pointer);
      }
      ResponseSpec response;
      response.status = status;
      for (const auto& [key, value] : spec.items()) {
        if (key == "description" && value.is_string()) {
          response.description = value.get<std::string>();
          continue;
        }
        if (key.find('/') == std::string::npos || !value.is_object()) {
          continue;
        }
        MediaType media;
        media.name = key;
        auto schemas = value.find("schemaArray");
        if (schemas != value.end() && schemas->is_array() && !schemas->empty()) {
          Json alternatives = Json::array();
          for (const Json& alternative : *schemas) {
            alternatives.push_back(Canonical(alternative));
          }
          media.schema = alternatives.size() == 1 ? alternatives[0] : Json{{"anyOf", alternatives}};
        }
        response.content.push_back(std::move(media));
      }
      op.responses.push_back(std::move(response));
    }
    op.operation_id = DerivedOperationId(op.method, op.path);
    contract.operations.push_back(std::move(op));
    return contract;
  }

 private:
  static const Json* FindPath(const Json& node, std::initializer_list<const char*> keys) {
    const Json* current = &node;
    for (const char* key : keys) {
      if (!current->is_object()) {
        return nullptr;
      }
      auto found = current->find(key);
      if (found == current->end()) {
        return nullptr;
      }
      current = &*found;
    }
    return current;
  }

  Json Canonical(const Json& schema) const { return CanonicalSchema(schema, dialect_); }

  void ReadServers(const Json& node, const std::string& pointer, Contract& contract) const {
    auto servers = node.find("servers");
    (void)pointer;
    if (servers == node.end() || !servers->is_array()) {
      return;
    }
    for (const Json& server : *servers) {
      if (server.is_object() && server.contains("url") && server["url"].is_string()) {
        Server read{.url = server["url"].get<std::string>()};
        if (auto variables = server.find("variables");
            variables != server.end() && variables->is_object()) {
          for (const auto& [name, variable] : variables->items()) {
            auto fallback = variable.is_object() ? variable.find("default") : variable.end();
            if (variable.is_object() && fallback != variable.end() && fallback->is_string()) {
              read.variable_defaults[name] = fallback->get<std::string>();
            }
          }
        }
        contract.servers.push_back(std::move(read));
      }
    }
  }

  Result<Parameter> ReadMintlifyParameter(const std::string& name, ParameterLocation in,
                                          const Json& spec, const std::string& pointer) const {
    Parameter parameter;
    parameter.name = name;
    parameter.in = in;
    parameter.required = in == ParameterLocation::kPath;
    parameter.style = DefaultParameterStyle(in);
    parameter.explode = parameter.style == ParameterStyle::kForm;
    auto schemas = spec.find("schema");
    if (!spec.is_object() || schemas == spec.end() || !schemas->is_array() || schemas->empty()) {
      return Fail("parameter '" + name + "' has no schema list", pointer);
    }
    Json alternatives = Json::array();
    for (const Json& alternative : *schemas) {
      if (!alternative.is_object()) {
        return Fail("parameter '" + name + "': schema must be an object", AppendPointer(pointer, "schema"));
      }
      Json schema = alternative;
      // The renderer puts the parameter's own `required` and `description` in its schema.
      if (auto required = schema.find("required"); required != schema.end() && required->is_boolean()) {
        parameter.required = required->get<bool>();
        schema.erase("required");
      }
      if (auto description = schema.find("description"); description != schema.end() && description->is_string()) {
        parameter.description = description->get<std::string>();
      }
      alternatives.push_back(Canonical(schema));
    }
    parameter.schema = alternatives.size() == 1 ? alternatives[0] : Json{{"anyOf", alternatives}};
    return parameter;
  }

  // A parameter's `style`, or the default for where it is `in`.
  Result<ParameterStyle> StyleMember(const Json& spec, ParameterLocation in,
                                     const std::string& pointer) const {
    static constexpr std::pair<std::string_view, ParameterStyle> kStyles[] = {
        {"form", ParameterStyle::kForm},
        {"simple", ParameterStyle::kSimple},
        {"label", ParameterStyle::kLabel},
        {"matrix", ParameterStyle::kMatrix},
        {"spaceDelimited", ParameterStyle::kSpaceDelimited},
        {"pipeDelimited", ParameterStyle::kPipeDelimited},
        {"deepObject", ParameterStyle::kDeepObject}};
    auto name = StringMember(spec, "style", "", pointer);
    if (!name) {
      return name.error();
    }
    if (name->empty()) {
      return DefaultParameterStyle(in);
    }
    for (const auto& [known, style] : kStyles) {
      if (*name == known) {
        return style;
      }
    }
    const std::string names =
        "form, simple, label, matrix, spaceDelimited, pipeDelimited, deepObject";
    return Fail("'style' must be one of " + names + "; not '" + *name + "'",
                AppendPointer(pointer, "style"));
  }

  Result<std::vector<Parameter>> ReadParameters(const Json& list, const std::string& pointer) const {
    if (!list.is_array()) {
      return Fail("'parameters' must be a list", pointer);
    }
    std::vector<Parameter> parameters;
    for (size_t i = 0; i < list.size(); ++i) {
      const Json& spec = list[i];
      std::string item = AppendPointer(pointer, i);
      if (!spec.is_object()) {
        return Fail("parameter must be an object", item);
      }
      auto name = spec.find("name");
      auto in = spec.find("in");
      if (name == spec.end() || !name->is_string()) {
        return Fail("parameter has no 'name'", item);
      }
      if (in == spec.end() || !in->is_string()) {
        return Fail("parameter '" + name->get<std::string>() + "' has no 'in'", item);
      }
      Parameter parameter;
      parameter.name = name->get<std::string>();
      std::string location = in->get<std::string>();
      if (location == "path") {
        parameter.in = ParameterLocation::kPath;
      } else if (location == "query") {
        parameter.in = ParameterLocation::kQuery;
      } else if (location == "header") {
        parameter.in = ParameterLocation::kHeader;
      } else if (location == "cookie") {
        parameter.in = ParameterLocation::kCookie;
      } else {
        return Fail("parameter '" + parameter.name + "': 'in' must be path, query, header or cookie, not '" +
                        location + "'",
                    AppendPointer(item, "in"));
      }
      auto required = BoolMember(spec, "required", parameter.in == ParameterLocation::kPath, item);
      auto description = StringMember(spec, "description", "", item);
      if (!required || !description) {
        return !required ? required.error() : description.error();
      }
      parameter.required = *required;
      parameter.description = *std::move(description);
      auto style = StyleMember(spec, parameter.in, item);
      if (!style) {
        return style.error();
      }
      parameter.style = *style;
      // OpenAPI: explode defaults to true for form, false for every other style.
      auto explode = BoolMember(spec, "explode", parameter.style == ParameterStyle::kForm, item);
      if (!explode) {
        return explode.error();
      }
      parameter.explode = *explode;
      if (auto schema = spec.find("schema"); schema != spec.end()) {
        parameter.schema = Canonical(*schema);
      } else if (auto content = spec.find("content"); content != spec.end() && content->is_object() &&
                                                      !content->empty()) {
        const Json& media = content->begin().value();
        if (!media.is_object()) {
          return Fail("parameter '" + parameter.name + "': a media type must be an object",
                      AppendPointer(AppendPointer(item, "content"), content->begin().key()));
        }
        parameter.schema = Canonical(media.value("schema", Json::object()));
      }
      parameters.push_back(std::move(parameter));
    }
    return parameters;
  }

  Result<Operation> ReadOperation(const Json& spec, const std::string& pointer, const std::string& method,
                                  const std::string& path, const std::vector<Parameter>& shared) const {
    if (!spec.is_object()) {
      return Fail("operation must be an object", pointer);
    }
    Operation op;
    op.method = Upper(method);
    op.path = path;
    auto summary = StringMember(spec, "summary", "", pointer);
    if (!summary) {
      return summary.error();
    }
    op.summary = *std::move(summary);
    op.parameters = shared;
    if (auto params = spec.find("parameters"); params != spec.end()) {
      auto own = ReadParameters(*params, AppendPointer(pointer, "parameters"));
      if (!own) {
        return own.error();
      }
      for (Parameter& parameter : *own) {
        auto same = std::find_if(op.parameters.begin(), op.parameters.end(), [&](const Parameter& p) {
          return p.name == parameter.name && p.in == parameter.in;
        });
        if (same != op.parameters.end()) {
          *same = std::move(parameter);
        } else {
          op.parameters.push_back(std::move(parameter));
        }
      }
    }
    auto responses = spec.find("responses");
    if (responses == spec.end() || !responses->is_object() || responses->empty()) {
      return Fail(op.method + " " + path + " has no 'responses'", pointer);
    }
    for (const auto& [status, response_spec] : responses->items()) {
      std::string response_pointer = AppendPointer(AppendPointer(pointer, "responses"), status);
      if (!response_spec.is_object()) {
        return Fail("response '" + status + "' must be an object", response_pointer);
      }
      ResponseSpec response;
      response.status = status;
      auto description = StringMember(response_spec, "description", "", response_pointer);
      if (!description) {
        return description.error();
      }
      response.description = *std::move(description);
      if (auto content = response_spec.find("content"); content != response_spec.end() && content->is_object()) {
        for (const auto& [media_name, media_spec] : content->items()) {
          MediaType media;
          media.name = media_name;
          if (media_spec.is_object() && media_spec.contains("schema")) {
            media.schema = Canonical(media_spec["schema"]);
          }
          response.content.push_back(std::move(media));
        }
      }
      op.responses.push_back(std::move(response));
    }
    auto security = spec.find("security");
    const Json* requirements = security != spec.end() ? &*security : nullptr;
    if (requirements == nullptr) {
      auto global = root_.find("security");
      requirements = global != root_.end() ? &*global : nullptr;
    }
    if (requirements != nullptr && requirements->is_array()) {
      const Json* schemes = FindPath(root_, {"components", "securitySchemes"});
      for (const Json& requirement : *requirements) {
        if (!requirement.is_object() || schemes == nullptr || !schemes->is_object()) {
          continue;
        }
        for (const auto& [name, scopes] : requirement.items()) {
          auto scheme = schemes->find(name);
          if (scheme != schemes->end() && scheme->is_object() &&
              StringOrEmpty(*scheme, "type") == "http" &&
              AsciiLower(StringOrEmpty(*scheme, "scheme")) == "bearer") {
            op.bearer_auth = true;
          }
        }
      }
    }
    auto operation_id = StringMember(spec, "operationId", DerivedOperationId(op.method, path), pointer);
    if (!operation_id) {
      return operation_id.error();
    }
    op.operation_id = *std::move(operation_id);
    return op;
  }

  const Document& doc_;
  const Json& root_;
  Dialect dialect_ = Dialect::kOpenApi31;
};

}  // namespace

namespace {

Result<Contract> LoadContractOrThrow(std::string_view text, const std::string& name) {
  auto doc = internal::ParseDocument(text, name);
  if (!doc) {
    return doc.error();
  }
  if (!doc->root.is_object()) {
    return InvalidArgument("not an OpenAPI document: the top level is not a mapping", doc->Where(""));
  }
  if (doc->root.contains("swagger")) {
    return InvalidArgument("Swagger 2.0 is not supported: convert it to OpenAPI 3 first",
                           doc->Where("/swagger"));
  }
  SpecFormat format = doc->root.contains("openapi") ? SpecFormat::kOpenApi : SpecFormat::kMintlify;
  if (Status checked = SchemaChecker(*doc, format).Check(); !checked) {
    return checked.error();
  }
  // Only what the operations use is inlined: components are reached through their $refs, so
  // an unused (or hostile) schema costs nothing. Security schemes are looked up by name.
  Json used = doc->root;
  if (auto components = used.find("components"); components != used.end() && components->is_object()) {
    Json kept = Json::object();
    if (auto schemes = components->find("securitySchemes"); schemes != components->end()) {
      kept["securitySchemes"] = *schemes;
    }
    *components = std::move(kept);
  }
  if (format == SpecFormat::kOpenApi) {
    // The data in what the operations say is not resolved, nor the data inside the component
    // schemas their $refs reach. Other targets stay: a $ref may point into an extension
    // (`#/x-defs/A`), and that is the author's schema.
    DropData(used, Members::kFields, "");
    if (auto components = doc->root.find("components");
        components != doc->root.end() && components->is_object()) {
      if (auto schemas = components->find("schemas");
          schemas != components->end() && schemas->is_object()) {
        for (auto& [component, schema] : schemas->items()) {
          DropSchemaData(schema);
        }
      }
    }
  }
  // OpenAPI 3.1 schemas are JSON Schema 2020-12, where an $id sets the base of the $refs in it.
  auto version = doc->root.find("openapi");
  const bool is_31 = version != doc->root.end() && version->is_string() &&
                     version->get_ref<const std::string&>().rfind("3.1", 0) == 0;
  const internal::SchemaIds schema_ids =
      is_31 ? internal::SchemaIds::kHonour : internal::SchemaIds::kIgnore;
  internal::RefResolver resolver(*doc, {.schema_ids = schema_ids});
  auto resolved = resolver.Resolve(used, "");
  if (!resolved) {
    return resolved.error();
  }
  Loader loader(*doc, *resolved);
  Result<Contract> contract = Error{};
  const Json& root = *resolved;
  auto openapi = root.find("openapi");
  const Json* paths = root.contains("paths") ? &root["paths"] : nullptr;
  if (openapi != root.end()) {
    if (!openapi->is_string() ||
        (openapi->get<std::string>().rfind("3.0", 0) != 0 && openapi->get<std::string>().rfind("3.1", 0) != 0)) {
      return InvalidArgument("unsupported 'openapi' version " + openapi->dump() + ": expected 3.0.x or 3.1.x",
                             doc->Where("/openapi"));
    }
    contract = loader.LoadOpenApi(openapi->get<std::string>());
  } else if (paths != nullptr && paths->is_object() && paths->contains("path") && (*paths)["path"].is_string() &&
             paths->contains("method") && (*paths)["method"].is_string()) {
    contract = loader.LoadMintlify();
  } else {
    return InvalidArgument("not an OpenAPI document: no 'openapi' version field", doc->Where(""));
  }
  if (!contract) {
    return contract.error();
  }
  contract->source = name;
  // Recursive targets are schemas of the same dialect: a 3.0 `nullable` or boolean
  // exclusiveMaximum in one means what it means in the response schemas that reach it.
  contract->definitions = Json::object();
  for (const auto& [definition, target] : resolver.definitions().items()) {
    contract->definitions[definition] = CanonicalSchema(target, loader.dialect());
  }
  for (Operation& op : contract->operations) {
    DeriveListShape(op);
  }
  return contract;
}

}  // namespace

Result<Contract> LoadContract(std::string_view text, const std::string& name) {
  try {
    return LoadContractOrThrow(text, name);
  } catch (const nlohmann::json::exception& e) {
    // A member of a type the loader did not expect, missed by its own checks: still the
    // spec's fault (exit 2), not an internal error.
    return InvalidArgument(std::string("unexpected value in the spec: ") + e.what(), name);
  }
}

Result<Contract> LoadContractFile(const std::string& path) {
  auto text = ReadFile(path);
  if (!text) {
    return text.error();
  }
  return LoadContract(*text, path);
}

std::string_view EmbeddedSpecText() { return embedded::kOpenApiYaml; }

Result<Contract> EmbeddedContract() {
  auto contract = LoadContract(embedded::kOpenApiYaml, "spec/openapi.yaml");
  if (contract) {
    contract->source = "<built-in ListDpoJobs: spec/openapi.yaml>";
  }
  return contract;
}

}  // namespace conform::validator
