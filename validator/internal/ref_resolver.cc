#include "validator/internal/ref_resolver.h"

#include <algorithm>
#include <charconv>

#include "traffic/url.h"
#include "validator/schema_util.h"

namespace conform::validator::internal {
namespace {

using Json = nlohmann::json;

// Keywords that only describe; a sibling of $ref with one of these never changes validation.
bool IsAnnotation(const std::string& key) {
  static const std::unordered_set<std::string> kAnnotations = {
      "description", "title",   "readOnly", "writeOnly", "deprecated", "example",
      "examples",    "default", "$comment", "externalDocs", "xml",     "nullable"};
  return kAnnotations.count(key) > 0;
}

constexpr int kMaxRefDepth = 512;

// Keywords whose schemas apply to a member or an item of the value: a $ref cycle through one
// of them describes recursive data. A cycle through allOf/anyOf/oneOf/not/if alone describes
// nothing and sends a validator into endless recursion.
bool DescendsIntoData(const std::string& key) {
  static const std::unordered_set<std::string> kDescending = {
      "properties",       "patternProperties", "additionalProperties", "items",
      "prefixItems",      "additionalItems",   "contains",             "unevaluatedItems",
      "unevaluatedProperties"};
  return kDescending.count(key) > 0;
}

// A schema with a discriminator beside oneOf (or anyOf) loses the names of its branches when
// their $refs are inlined, and a discriminator selects a branch by name: the $ref each branch
// was written as ("" for an inline one) is kept in the discriminator, where CanonicalSchema
// reads it (kDiscriminatorBranchRefs).
void KeepDiscriminatorBranchRefs(const Json& node, Json& resolved) {
  auto discriminator = resolved.find("discriminator");
  if (discriminator == resolved.end() || !discriminator->is_object()) {
    return;
  }
  auto alternatives = node.find("oneOf");
  if (alternatives == node.end() || !alternatives->is_array()) {
    alternatives = node.find("anyOf");
  }
  if (alternatives == node.end() || !alternatives->is_array()) {
    return;
  }
  Json refs = Json::array();
  for (const Json& branch : *alternatives) {
    const bool is_ref = branch.is_object() && branch.contains("$ref") && branch["$ref"].is_string();
    refs.push_back(is_ref ? branch["$ref"] : Json(""));
  }
  (*discriminator)[kDiscriminatorBranchRefs] = std::move(refs);
}

size_t CountValues(const Json& node) {
  size_t count = 1;
  if (node.is_structured()) {
    for (const Json& child : node) {
      count += CountValues(child);
    }
  }
  return count;
}

}  // namespace

Result<std::string> RefPointer(const std::string& ref) {
  if (ref.empty() || ref[0] != '#') {
    return InvalidArgument("external $ref '" + ref + "' is not supported: only local refs (#/...)");
  }
  // A $ref is a URI fragment: percent-decode, then it is a JSON pointer.
  std::string target =
      traffic::PercentDecode(std::string_view(ref).substr(1), traffic::PlusIs::kPlus);
  if (!target.empty() && target[0] != '/') {
    return InvalidArgument("$ref '" + ref + "' is not a JSON pointer fragment");
  }
  return target;
}

Result<const Json*> FindPointer(const Json& root, std::string_view pointer) {
  const Json* node = &root;
  std::string parent = "the document";
  for (const std::string& token : PointerTokens(pointer)) {
    if (node->is_object()) {
      auto found = node->find(token);
      if (found == node->end()) {
        return InvalidArgument("nothing at that location (" + parent + " has no '" + token + "')");
      }
      node = &*found;
    } else if (node->is_array()) {
      // RFC 6901: an index is "0" or digits without a leading zero; too large is out of range.
      bool digits = !token.empty() && (token.size() == 1 || token[0] != '0') &&
                    token.find_first_not_of("0123456789") == std::string::npos;
      if (!digits) {
        return InvalidArgument("'" + token + "' is not an index into " + parent + ", a list");
      }
      size_t index = 0;
      auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
      if (ec != std::errc() || index >= node->size()) {
        return InvalidArgument("index " + token + " is out of range (" + parent + " has " +
                               std::to_string(node->size()) + " items)");
      }
      node = &(*node)[index];
    } else {
      return InvalidArgument(parent + " is " + KindOf(*node) + ", which has no '" + token + "'");
    }
    parent = token;
  }
  return node;
}

std::string DefinitionName(const std::string& target_pointer) {
  // Unique and readable: the pointer with '/' turned into '.'.
  std::string full = target_pointer.size() > 1 ? target_pointer.substr(1) : "root";
  std::replace(full.begin(), full.end(), '/', '.');
  return full;
}

RefResolver::RefResolver(const Document& doc, RefResolverOptions options) : doc_(doc) {
  if (options.schema_ids == SchemaIds::kHonour) {
    index_.emplace(doc);
  }
}

Result<Json> RefResolver::Resolve(const Json& node, const std::string& pointer) {
  if (node.is_object()) {
    auto ref = node.find("$ref");
    if (ref != node.end() && ref->is_string()) {
      return ResolveRef(node, pointer);
    }
  }
  // Each value built here is new; a target inlined again is counted whole (ResolveRef).
  if (Status counted = Count(1, pointer); !counted) {
    return counted.error();
  }
  if (node.is_object()) {
    Json out = Json::object();
    for (const auto& [key, value] : node.items()) {
      auto resolved = ResolveMember(key, value, pointer);
      if (!resolved) {
        return resolved.error();
      }
      out[key] = *std::move(resolved);
    }
    KeepDiscriminatorBranchRefs(node, out);
    return out;
  }
  if (node.is_array()) {
    Json out = Json::array();
    for (size_t i = 0; i < node.size(); ++i) {
      auto resolved = Resolve(node[i], AppendPointer(pointer, i));
      if (!resolved) {
        return resolved.error();
      }
      out.push_back(*std::move(resolved));
    }
    return out;
  }
  return node;
}

Result<Json> RefResolver::ResolveMember(const std::string& key, const Json& value,
                                        const std::string& pointer) {
  const bool descends = DescendsIntoData(key);
  data_depth_ += descends ? 1 : 0;
  auto resolved = Resolve(value, AppendPointer(pointer, key));
  data_depth_ -= descends ? 1 : 0;
  return resolved;
}

Status RefResolver::Count(size_t values, std::string_view pointer) {
  values_ += values;
  if (values_ > kMaxValues) {
    return InvalidArgument("the document expands to more than " + std::to_string(kMaxValues) +
                               " values once its $refs are inlined ($refs repeating $refs?)",
                           doc_.Where(pointer));
  }
  return OkStatus();
}

Result<Json> RefResolver::ResolveRef(const Json& node, const std::string& pointer) {
  const std::string& ref = node["$ref"].get_ref<const std::string&>();
  std::string where = doc_.Where(AppendPointer(pointer, "$ref"));
  Result<std::string> pointed = index_ ? index_->Locate(ref, pointer) : RefPointer(ref);
  if (!pointed) {
    return InvalidArgument(pointed.error().message, where);
  }
  const std::string& target = *pointed;
  for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
    if (it->target != target) {
      continue;
    }
    if (it->data_depth == data_depth_) {
      return InvalidArgument("cyclic $ref '" + ref +
                                 "': it refers back to itself without descending into a property "
                                 "or an item (through $ref, allOf, anyOf, oneOf or not only)",
                             where);
    }
    // Recursion through a property or an item: legitimate, kept as a reference.
    recursive_targets_.insert(target);
    Json recursive = {{"$ref", "#/definitions/" + DefinitionName(target)}};
    return recursive;
  }
  if (static_cast<int>(stack_.size()) >= kMaxRefDepth) {
    return InvalidArgument("$refs nested deeper than " + std::to_string(kMaxRefDepth), where);
  }

  Json resolved;
  auto memo = resolved_targets_.find(target);
  if (memo != resolved_targets_.end()) {
    resolved = memo->second;
    if (Status counted = Count(CountValues(resolved), AppendPointer(pointer, "$ref")); !counted) {
      return counted.error();
    }
  } else {
    try {
      Json::json_pointer syntax_check(target);  // "~2" and the like
    } catch (const Json::exception&) {
      return InvalidArgument("$ref '" + ref + "' is not a valid JSON pointer", where);
    }
    Result<const Json*> found = FindPointer(doc_.root, target);
    if (!found) {
      return InvalidArgument("broken $ref '" + ref + "': " + found.error().message, where);
    }
    // Schemas are objects or booleans, and so are the other things a $ref may stand for.
    if (!(*found)->is_object() && !(*found)->is_boolean()) {
      return InvalidArgument("$ref '" + ref + "' does not point to a schema or an object (it is " +
                                 KindOf(**found) + ")",
                             where);
    }
    stack_.push_back({target, data_depth_});
    auto result = Resolve(**found, target);
    stack_.pop_back();
    if (!result) {
      return result.error();
    }
    resolved = *std::move(result);
    resolved_targets_.emplace(target, resolved);
    if (recursive_targets_.count(target) > 0) {
      definitions_[DefinitionName(target)] = resolved;
    }
  }

  if (node.size() == 1) {
    return resolved;
  }
  // Siblings of $ref: OpenAPI 3.0 tools such as the Mintlify renderer put readOnly or
  // description beside a $ref and mean them; merge them when they do not conflict.
  Json siblings = Json::object();
  for (const auto& [key, value] : node.items()) {
    if (key == "$ref") {
      continue;
    }
    auto sibling = ResolveMember(key, value, pointer);
    if (!sibling) {
      return sibling.error();
    }
    siblings[key] = *std::move(sibling);
  }
  if (!resolved.is_object()) {
    return Json{{"allOf", Json::array({resolved, siblings})}};
  }
  bool conflicts = false;
  for (const auto& [key, value] : siblings.items()) {
    auto existing = resolved.find(key);
    if (existing != resolved.end() && *existing != value && !IsAnnotation(key)) {
      conflicts = true;
    }
  }
  if (conflicts) {
    return Json{{"allOf", Json::array({resolved, siblings})}};
  }
  for (const auto& [key, value] : siblings.items()) {
    resolved[key] = value;
  }
  return resolved;
}

}  // namespace conform::validator::internal
