#include "validator/internal/schema_index.h"

#include <unordered_set>

#include "traffic/url.h"
#include "validator/internal/ref_resolver.h"
#include "validator/internal/uri.h"

namespace conform::validator::internal {
namespace {

using Json = nlohmann::json;

// Members whose values are data or extensions, not schemas or OpenAPI objects.
bool IsData(const std::string& key) {
  static const std::unordered_set<std::string> kData = {"example", "examples", "default",
                                                        "const",   "enum",     "value"};
  return key.rfind("x-", 0) == 0 || kData.count(key) > 0;
}

// Members whose value maps names to objects: a property called "default" is not the keyword.
bool MapsNames(const std::string& key) {
  static const std::unordered_set<std::string> kNameMaps = {
      "properties",       "patternProperties", "$defs",   "definitions",
      "dependentSchemas", "dependencies",      "paths",   "webhooks",
      "responses",        "content",           "headers", "links",
      "encoding",         "variables",         "scopes",  "security",
      "mapping"};
  return kNameMaps.count(key) > 0;
}

// The URI of the document itself: its file name as a file: URI.
std::string DocumentBase(const std::string& name) {
  std::string out = name.rfind('/', 0) == 0 ? "file://" : "file:///";
  size_t start = 0;
  while (true) {
    size_t slash = name.find('/', start);
    out += traffic::PercentEncode(std::string_view(name).substr(start, slash - start));
    if (slash == std::string::npos) {
      return out;
    }
    out.push_back('/');
    start = slash + 1;
  }
}

}  // namespace

SchemaIndex::SchemaIndex(const Document& doc) : doc_(doc), document_base_(DocumentBase(doc.name)) {
  Walk(doc_.root, "", document_base_, Members::kKeywords);
}

void SchemaIndex::Declare(std::unordered_map<std::string, Declared>& declared,
                          const std::string& key, const std::string& pointer, const Json& node) {
  auto [it, added] = declared.emplace(key, Declared{pointer, &node});
  // The same schema twice (a YAML alias) is one declaration.
  if (!added && *it->second.node != node) {
    it->second.ambiguous = true;
  }
}

void SchemaIndex::Walk(const Json& node, const std::string& pointer, const std::string& base,
                       Members members) {
  if (node.is_array()) {
    for (size_t i = 0; i < node.size(); ++i) {
      Walk(node[i], AppendPointer(pointer, i), base, Members::kKeywords);
    }
    return;
  }
  if (!node.is_object()) {
    return;
  }
  if (members != Members::kKeywords) {
    for (const auto& [key, value] : node.items()) {
      if (members == Members::kGroups && IsData(key)) {
        continue;  // components/examples
      }
      Walk(value, AppendPointer(pointer, key), base,
           members == Members::kGroups ? Members::kNames : Members::kKeywords);
    }
    return;
  }
  const std::string* scope = &base;
  std::string own_base;
  // The top level is the OpenAPI object, whose base is the document's.
  if (!pointer.empty()) {
    if (auto id = node.find("$id"); id != node.end() && id->is_string()) {
      std::string uri = ResolveUri(base, id->get_ref<const std::string&>());
      SplitUri split = SplitFragment(uri);
      // An $id of "#name" is a draft 7 anchor; 2020-12 allows only an empty fragment.
      if (!split.fragment || split.fragment->empty()) {
        own_base = std::string(split.without_fragment);
        Declare(resources_, own_base, pointer, node);
        base_at_.emplace(pointer, own_base);
        scope = &own_base;
      }
    }
    for (const char* keyword : {"$anchor", "$dynamicAnchor"}) {
      if (auto anchor = node.find(keyword); anchor != node.end() && anchor->is_string()) {
        Declare(anchors_, *scope + "#" + anchor->get<std::string>(), pointer, node);
      }
    }
  }
  for (const auto& [key, value] : node.items()) {
    if (IsData(key)) {
      continue;
    }
    Members inner = Members::kKeywords;
    if (key == "components" || key == "callbacks" || (key == "parameters" && value.is_object())) {
      inner = Members::kGroups;
    } else if (MapsNames(key)) {
      inner = Members::kNames;
    }
    Walk(value, AppendPointer(pointer, key), *scope, inner);
  }
}

const std::string& SchemaIndex::BaseAt(std::string_view pointer) const {
  std::string current(pointer);
  while (!current.empty()) {
    if (auto found = base_at_.find(current); found != base_at_.end()) {
      return found->second;
    }
    current.resize(current.rfind('/'));  // a pointer that is not "" starts with '/'
  }
  return document_base_;
}

Result<std::string> SchemaIndex::Locate(const std::string& ref, std::string_view pointer) const {
  const std::string absolute = ResolveUri(BaseAt(pointer), ref);
  const SplitUri split = SplitFragment(absolute);  // views into `absolute`
  const std::string uri(split.without_fragment);
  const bool fragment_only = !ref.empty() && ref[0] == '#';
  std::string resource;  // the pointer of the resource `uri` names
  // A URI no schema declares, or the OpenAPI file named by its own name (not a schema
  // resource), is external: refused with RefPointer's message. A "#..." never is.
  if (uri == document_base_) {
    if (!fragment_only) {
      return RefPointer(ref);
    }
  } else {
    auto found = resources_.find(uri);
    if (found == resources_.end()) {
      return RefPointer(ref);
    }
    if (found->second.ambiguous) {
      return InvalidArgument("$ref '" + ref +
                             "' is ambiguous: more than one schema declares $id '" + uri + "'");
    }
    resource = found->second.pointer;
  }
  const std::string fragment =
      traffic::PercentDecode(split.fragment.value_or(""), traffic::PlusIs::kPlus);
  if (fragment.empty() || fragment[0] == '/') {
    std::string target = resource + fragment;
    if (fragment_only && !resource.empty() && !FindPointer(doc_.root, target).ok() &&
        FindPointer(doc_.root, fragment).ok()) {
      return fragment;
    }
    return target;
  }
  auto anchor = anchors_.find(uri + "#" + fragment);
  if (anchor == anchors_.end()) {
    return InvalidArgument("$ref '" + ref +
                           "' is not a JSON pointer fragment, nor an $anchor of '" + uri + "'");
  }
  if (anchor->second.ambiguous) {
    return InvalidArgument("$ref '" + ref +
                           "' is ambiguous: more than one schema declares $anchor '" + fragment +
                           "' in '" + uri + "'");
  }
  return anchor->second.pointer;
}

}  // namespace conform::validator::internal
