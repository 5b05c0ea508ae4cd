#include "validator/schema_util.h"

#include <algorithm>
#include <string>
#include <unordered_set>

namespace conform::validator {
namespace {

using Json = nlohmann::json;

// Keywords whose value is a single subschema, a list of them, or a map of them.
const std::unordered_set<std::string>& SchemaValuedKeywords() {
  static const std::unordered_set<std::string> kSingle = {
      "items", "additionalProperties", "not", "contains", "propertyNames",
      "if",    "then",                 "else", "additionalItems", "unevaluatedProperties"};
  return kSingle;
}
const std::unordered_set<std::string>& SchemaListKeywords() {
  static const std::unordered_set<std::string> kList = {"allOf", "anyOf", "oneOf",
                                                        "prefixItems"};
  return kList;
}
const std::unordered_set<std::string>& SchemaMapKeywords() {
  static const std::unordered_set<std::string> kMap = {"properties", "patternProperties",
                                                       "definitions", "$defs",
                                                       "dependentSchemas"};
  return kMap;
}

template <typename Fn>
Json MapSubschemas(const Json& schema, Fn&& fn) {
  if (!schema.is_object()) {
    return schema;
  }
  Json out = Json::object();
  for (const auto& [key, value] : schema.items()) {
    if (SchemaValuedKeywords().count(key) > 0 && (value.is_object() || value.is_boolean())) {
      out[key] = fn(value);
    } else if (SchemaListKeywords().count(key) > 0 && value.is_array()) {
      Json list = Json::array();
      for (const Json& item : value) {
        list.push_back(fn(item));
      }
      out[key] = std::move(list);
    } else if (SchemaMapKeywords().count(key) > 0 && value.is_object()) {
      Json map = Json::object();
      for (const auto& [name, sub] : value.items()) {
        map[name] = fn(sub);
      }
      out[key] = std::move(map);
    } else {
      out[key] = value;
    }
  }
  return out;
}

bool IsAnnotationKeyword(const std::string& key) {
  static const std::unordered_set<std::string> kAnnotations = {
      "description", "title", "example", "examples", "externalDocs", "xml",
      "deprecated",  "$comment", "refIdentifier"};
  return kAnnotations.count(key) > 0;
}

// JSON Schema 2020-12 keywords with a draft-7 equivalent that valijson 1.0 checks, rewritten
// in place: prefixItems becomes array-form items (and an items beside it additionalItems),
// dependentRequired and dependentSchemas become dependencies. Subschemas are already done.
// `raw` is the schema before canonicalisation: an `items: false` stays a boolean
// additionalItems, which valijson reports as "more items than allowed".
void TranslateDraft2020(const Json& raw, Json& out) {
  if (auto prefix = out.find("prefixItems"); prefix != out.end() && prefix->is_array()) {
    Json tuple = *prefix;
    out.erase("prefixItems");
    if (auto rest = out.find("items"); rest != out.end()) {
      auto raw_rest = raw.find("items");
      out["additionalItems"] = raw_rest != raw.end() && raw_rest->is_boolean() ? *raw_rest : *rest;
    }
    out["items"] = std::move(tuple);
  }
  for (const char* keyword : {"dependentRequired", "dependentSchemas"}) {
    auto found = out.find(keyword);
    if (found == out.end() || !found->is_object()) {
      continue;
    }
    Json dependencies = out.value("dependencies", Json::object());
    if (!dependencies.is_object()) {
      continue;  // a malformed draft-7 keyword beside it: leave both to be reported
    }
    bool clash = false;
    for (const auto& entry : found->items()) {
      clash = clash || dependencies.contains(entry.key());
    }
    if (clash) {
      continue;  // the same property in both: not one draft-7 keyword, left unchecked
    }
    for (const auto& [name, value] : found->items()) {
      dependencies[name] = value;
    }
    out["dependencies"] = std::move(dependencies);
    out.erase(keyword);
  }
}

}  // namespace

Json CanonicalSchema(const Json& schema, Dialect dialect) {
  // Boolean schemas (JSON Schema 2019+, OpenAPI 3.1): valijson 1.0 ignores them, so `false`
  // would accept anything. {} and {"not": {}} mean the same and every engine knows them.
  if (schema.is_boolean()) {
    return schema.get<bool>() ? Json::object() : Json{{"not", Json::object()}};
  }
  if (!schema.is_object()) {
    return schema;
  }
  Json out = MapSubschemas(schema, [dialect](const Json& sub) { return CanonicalSchema(sub, dialect); });
  // Except additionalProperties: false, which valijson knows and reports by its own name.
  if (auto additional = schema.find("additionalProperties");
      additional != schema.end() && additional->is_boolean()) {
    out["additionalProperties"] = *additional;
  }

  if (dialect == Dialect::kOpenApi30) {
    auto nullable = out.find("nullable");
    if (nullable != out.end()) {
      bool is_nullable = nullable->is_boolean() && nullable->get<bool>();
      out.erase("nullable");
      auto type = out.find("type");
      if (is_nullable && type != out.end()) {
        Json types = type->is_array() ? *type : Json::array({*type});
        if (std::find(types.begin(), types.end(), "null") == types.end()) {
          types.push_back("null");
        }
        out["type"] = types;
        auto enumeration = out.find("enum");
        if (enumeration != out.end() && enumeration->is_array() &&
            std::find(enumeration->begin(), enumeration->end(), nullptr) == enumeration->end()) {
          enumeration->push_back(nullptr);
        }
      }
    }
    for (const char* bound : {"Minimum", "Maximum"}) {
      std::string exclusive = std::string("exclusive") + bound;
      std::string inclusive = bound == std::string("Minimum") ? "minimum" : "maximum";
      auto flag = out.find(exclusive);
      if (flag != out.end() && flag->is_boolean()) {
        bool on = flag->get<bool>();
        out.erase(exclusive);
        if (on && out.contains(inclusive)) {
          out[exclusive] = out[inclusive];
          out.erase(inclusive);
        }
      }
    }
  }

  if (dialect == Dialect::kOpenApi31) {
    TranslateDraft2020(schema, out);
  }

  auto type = out.find("type");
  if (type != out.end() && type->is_array() && type->size() == 1) {
    Json only = (*type)[0];
    out["type"] = only;
  }

  // The Mintlify renderer wraps every property in a one-element allOf.
  auto all_of = out.find("allOf");
  if (all_of != out.end() && all_of->is_array() && all_of->size() == 1 && (*all_of)[0].is_object()) {
    Json inner = (*all_of)[0];
    bool conflicts = false;
    for (const auto& [key, value] : inner.items()) {
      if (key != "allOf" && out.contains(key) && out[key] != value) {
        conflicts = true;
      }
    }
    if (!conflicts) {
      out.erase("allOf");
      for (const auto& [key, value] : inner.items()) {
        out[key] = value;
      }
    }
  }
  return out;
}

Json StructuralSchema(const Json& schema) {
  if (!schema.is_object()) {
    return schema;
  }
  Json out = MapSubschemas(schema, [](const Json& sub) { return StructuralSchema(sub); });
  for (auto it = out.begin(); it != out.end();) {
    if (IsAnnotationKeyword(it.key())) {
      it = out.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::vector<std::string> SchemaTypes(const Json& schema) {
  std::vector<std::string> types;
  if (!schema.is_object()) {
    return types;
  }
  auto type = schema.find("type");
  if (type == schema.end()) {
    return types;
  }
  if (type->is_string()) {
    types.push_back(type->get<std::string>());
  } else if (type->is_array()) {
    for (const Json& t : *type) {
      if (t.is_string()) {
        types.push_back(t.get<std::string>());
      }
    }
  }
  return types;
}

std::vector<std::string> PointerTokens(std::string_view pointer) {
  std::vector<std::string> tokens;
  size_t pos = 0;
  while (pos < pointer.size()) {
    if (pointer[pos] != '/') {
      break;
    }
    size_t next = pointer.find('/', pos + 1);
    std::string_view raw = pointer.substr(pos + 1, next == std::string_view::npos ? std::string_view::npos : next - pos - 1);
    std::string token;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size()) {
        token.push_back(raw[i + 1] == '1' ? '/' : '~');
        ++i;
      } else {
        token.push_back(raw[i]);
      }
    }
    tokens.push_back(std::move(token));
    if (next == std::string_view::npos) {
      break;
    }
    pos = next;
  }
  return tokens;
}

namespace {

const Json* Step(const Json& schema, const std::string& token) {
  if (!schema.is_object()) {
    return nullptr;
  }
  auto properties = schema.find("properties");
  if (properties != schema.end() && properties->is_object()) {
    auto property = properties->find(token);
    if (property != properties->end()) {
      return &*property;
    }
  }
  auto items = schema.find("items");
  const bool index = !token.empty() && token.find_first_not_of("0123456789") == std::string::npos;
  if (items != schema.end() && items->is_object() && index) {
    return &*items;
  }
  if (items != schema.end() && items->is_array() && index && token.size() < 10) {  // a tuple
    size_t position = std::stoul(token);
    if (position < items->size()) {
      return &(*items)[position];
    }
    auto rest = schema.find("additionalItems");
    return rest != schema.end() && rest->is_object() ? &*rest : nullptr;
  }
  auto all_of = schema.find("allOf");
  if (all_of != schema.end() && all_of->is_array()) {
    for (const Json& branch : *all_of) {
      if (const Json* found = Step(branch, token)) {
        return found;
      }
    }
  }
  auto additional = schema.find("additionalProperties");
  if (additional != schema.end() && additional->is_object()) {
    return &*additional;
  }
  return nullptr;
}

}  // namespace

const Json* SchemaAt(const Json& schema, std::string_view pointer) {
  const Json* current = &schema;
  for (const std::string& token : PointerTokens(pointer)) {
    current = Step(*current, token);
    if (current == nullptr) {
      return nullptr;
    }
  }
  return current;
}

}  // namespace conform::validator
