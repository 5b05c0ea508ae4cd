#include "validator/schema_util.h"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_set>

#include "traffic/url.h"
#include "validator/internal/document.h"

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

// The JSON pointer a local $ref names, percent-decoded as the $ref resolver reads it; nullopt
// for any other reference.
std::optional<std::string> LocalRefPointer(const std::string& ref) {
  if (ref.empty() || ref[0] != '#') {
    return std::nullopt;
  }
  std::string pointer =
      traffic::PercentDecode(std::string_view(ref).substr(1), traffic::PlusIs::kPlus);
  if (!pointer.empty() && pointer[0] != '/') {
    return std::nullopt;
  }
  return pointer;
}

struct BranchValues {
  std::vector<Json> of_branch;  // the values that select each branch
  Json all = Json::array();     // every value: the mapping's, then the implicit ones
};

// The values that select each of the branches a discriminator chooses among, whose $refs are
// `refs` ("" for an inline branch): the `mapping` entries (a $ref, or a bare name of
// #/components/schemas), then the last token of each branch's $ref for any value the mapping
// does not give. nullopt when the choice is not clear: a mapping entry that is not a local
// reference to one of the branches, or a branch that no value selects.
std::optional<BranchValues> FindBranchValues(const Json& discriminator,
                                             const std::vector<std::string>& refs) {
  std::vector<std::optional<std::string>> pointers;
  for (const std::string& ref : refs) {
    pointers.push_back(LocalRefPointer(ref));
  }
  auto branch_at = [&](const std::optional<std::string>& pointer) -> std::optional<size_t> {
    for (size_t i = 0; pointer && i < pointers.size(); ++i) {
      if (pointers[i] == pointer) {
        return i;
      }
    }
    return std::nullopt;
  };
  BranchValues values;
  values.of_branch.assign(refs.size(), Json::array());
  std::unordered_set<std::string> given;
  if (auto mapping = discriminator.find("mapping"); mapping != discriminator.end()) {
    if (!mapping->is_object()) {
      return std::nullopt;
    }
    for (const auto& [value, target] : mapping->items()) {
      if (!target.is_string()) {
        return std::nullopt;
      }
      const std::string& text = target.get_ref<const std::string&>();
      const bool bare_name = text.find_first_of("#/") == std::string::npos;
      std::optional<size_t> branch = branch_at(
          bare_name
              ? std::optional<std::string>(internal::AppendPointer("/components/schemas", text))
              : LocalRefPointer(text));
      if (!branch) {
        return std::nullopt;
      }
      values.of_branch[*branch].push_back(value);
      values.all.push_back(value);
      given.insert(value);
    }
  }
  for (size_t i = 0; i < refs.size(); ++i) {
    std::vector<std::string> tokens =
        pointers[i] ? PointerTokens(*pointers[i]) : std::vector<std::string>();
    if (!tokens.empty() && given.insert(tokens.back()).second) {
      values.of_branch[i].push_back(tokens.back());
      values.all.push_back(tokens.back());
    }
    if (values.of_branch[i].empty()) {
      return std::nullopt;
    }
  }
  return values;
}

// Adds each type of `types` not in `to` yet.
void AddTypes(const std::vector<std::string>& types, std::vector<std::string>& to) {
  for (const std::string& type : types) {
    if (std::find(to.begin(), to.end(), type) == to.end()) {
      to.push_back(type);
    }
  }
}

// Translates the discriminator of `out` (see TranslateDiscriminators), whose subschemas are done.
void TranslateDiscriminator(Json& out) {
  auto discriminator = out.find("discriminator");
  if (discriminator == out.end() || !discriminator->is_object()) {
    return;  // none, or Swagger 2.0's property name: the alternatives stay as they are
  }
  Json recorded_refs;
  if (auto recorded = discriminator->find(kDiscriminatorBranchRefs);
      recorded != discriminator->end()) {
    recorded_refs = *recorded;
    discriminator->erase(recorded);
  }
  auto property = discriminator->find("propertyName");
  const char* keyword = out.contains("oneOf") ? "oneOf" : "anyOf";
  auto alternatives = out.find(keyword);
  auto all_of = out.find("allOf");
  if (property == discriminator->end() || !property->is_string() || alternatives == out.end() ||
      !alternatives->is_array() || alternatives->empty() ||
      (all_of != out.end() && !all_of->is_array())) {
    return;
  }
  // The $refs the resolver recorded (a recursive branch is now "#/definitions/..."), else
  // those of branches still written as a $ref.
  const bool recorded = recorded_refs.is_array() && recorded_refs.size() == alternatives->size();
  std::vector<std::string> refs;
  for (size_t i = 0; i < alternatives->size(); ++i) {
    const Json& branch = (*alternatives)[i];
    if (recorded && recorded_refs[i].is_string()) {
      refs.push_back(recorded_refs[i].get<std::string>());
    } else if (branch.is_object() && branch.contains("$ref") && branch["$ref"].is_string()) {
      refs.push_back(branch["$ref"].get<std::string>());
    } else {
      refs.push_back("");
    }
  }
  std::optional<BranchValues> values = FindBranchValues(*discriminator, refs);
  if (!values) {
    return;
  }
  const std::string name = property->get<std::string>();
  Json selections = Json::array();
  std::vector<std::string> types;
  bool branches_typed = true;
  for (size_t i = 0; i < alternatives->size(); ++i) {
    Json condition = {{"type", "object"},
                      {"required", Json::array({name})},
                      {"properties", {{name, {{"enum", values->of_branch[i]}}}}}};
    selections.push_back({{"if", std::move(condition)}, {"then", (*alternatives)[i]}});
    std::vector<std::string> branch_types = SchemaTypes((*alternatives)[i]);
    branches_typed = branches_typed && !branch_types.empty();
    AddTypes(branch_types, types);
  }
  // An object whose property names no branch (absent, or a value no mapping gives): OpenAPI
  // leaves the choice undefined and says a discriminator "MUST NOT change the validation
  // outcome" (3.0.4, 3.1.1), so the plain oneOf/anyOf judges it. Only objects are
  // discriminated: another value is held to the types of the branches (and of this schema, e.g.
  // "null" where it is nullable), or left to this schema's own keywords.
  Json named = {{"if",
                 {{"required", Json::array({name})},
                  {"properties", {{name, {{"enum", std::move(values->all)}}}}}}},
                {"else", {{keyword, *alternatives}}}};
  Json any_object = {{"if", {{"type", "object"}}}, {"then", std::move(named)}};
  if (branches_typed) {
    AddTypes(SchemaTypes(out), types);
    any_object["else"] = {{"type", types.size() == 1 ? Json(types[0]) : Json(types)}};
  }
  selections.push_back(std::move(any_object));
  Json translated = all_of != out.end() ? *all_of : Json::array();
  for (Json& selection : selections) {
    translated.push_back(std::move(selection));
  }
  out.erase(keyword);
  out["allOf"] = std::move(translated);
}

}  // namespace

Json TranslateDiscriminators(const Json& schema) {
  if (!schema.is_object()) {
    return schema;
  }
  Json out = MapSubschemas(schema, [](const Json& sub) { return TranslateDiscriminators(sub); });
  TranslateDiscriminator(out);
  return out;
}

namespace {

// Whether each alternative of `plain` ({"oneOf": [...]} or {"anyOf": [...]}) requires `name`
// itself (a branch still written as a $ref cannot be told, and does not count).
bool RequiredByEveryBranch(const Json& plain, const std::string& name) {
  if (!plain.is_object() || plain.size() != 1) {
    return false;
  }
  const Json& alternatives = plain.begin().value();
  if (!alternatives.is_array() || alternatives.empty()) {
    return false;
  }
  return std::all_of(alternatives.begin(), alternatives.end(), [&](const Json& branch) {
    if (!branch.is_object() || !branch.contains("required") || !branch["required"].is_array()) {
      return false;
    }
    const Json& required = branch["required"];
    return std::find(required.begin(), required.end(), Json(name)) != required.end();
  });
}

}  // namespace

std::optional<TranslatedDiscriminator> FindTranslatedDiscriminator(const Json& schema) {
  if (!schema.is_object() || !schema.contains("discriminator") || !schema.contains("allOf") ||
      !schema["allOf"].is_array()) {
    return std::nullopt;
  }
  const Json& discriminator = schema["discriminator"];
  if (!discriminator.is_object() || !discriminator.contains("propertyName") ||
      !discriminator["propertyName"].is_string()) {
    return std::nullopt;
  }
  const std::string& name = discriminator["propertyName"].get_ref<const std::string&>();
  // The item TranslateDiscriminator writes last: {"if": {"type": "object"}, "then": {"if":
  // {"required": [name], "properties": {name: {"enum": [...]}}}, "else": {oneOf/anyOf}},
  // "else"?}.
  const Json required = Json::array({name});
  for (const Json& item : schema["allOf"]) {
    if (!item.is_object() || !item.contains("if") || item["if"] != Json{{"type", "object"}} ||
        !item.contains("then")) {
      continue;
    }
    const Json& named = item["then"];
    if (!named.is_object() || !named.contains("if") || !named["if"].is_object() ||
        named["if"].value("required", Json()) != required || !named["if"].contains("properties")) {
      continue;
    }
    const Json& properties = named["if"]["properties"];
    if (properties.is_object() && properties.size() == 1 && properties.contains(name) &&
        properties[name].is_object() && properties[name].size() == 1 &&
        properties[name].contains("enum") && properties[name]["enum"].is_array()) {
      return TranslatedDiscriminator{name, properties[name]["enum"],
                                     RequiredByEveryBranch(named.value("else", Json()), name)};
    }
  }
  return std::nullopt;
}

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
  TranslateDiscriminator(out);

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

const Json* ValueAt(const Json& instance, const std::string& pointer) {
  try {
    Json::json_pointer at(pointer);
    return instance.contains(at) ? &instance.at(at) : nullptr;
  } catch (const Json::exception&) {
    return nullptr;
  }
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

// Whether `instance` satisfies `condition`, when it has the shape of a discriminator's `if`
// (TranslateDiscriminator): {"type": "object"}, with "required" names and "properties" that
// hold only an "enum". nullopt for any other condition.
std::optional<bool> SelectionHolds(const Json& condition, const Json& instance) {
  if (!condition.is_object() || !condition.contains("type") || condition["type"] != "object") {
    return std::nullopt;
  }
  for (const auto& [key, value] : condition.items()) {
    if (key != "type" && key != "required" && key != "properties") {
      return std::nullopt;
    }
  }
  const Json required = condition.value("required", Json::array());
  const Json properties = condition.value("properties", Json::object());
  if (!required.is_array() || !properties.is_object()) {
    return std::nullopt;
  }
  bool holds = instance.is_object();
  for (const Json& name : required) {
    if (!name.is_string()) {
      return std::nullopt;
    }
    holds = holds && instance.contains(name.get<std::string>());
  }
  for (const auto& [name, sub] : properties.items()) {
    if (!sub.is_object() || sub.size() != 1 || !sub.contains("enum") || !sub["enum"].is_array()) {
      return std::nullopt;
    }
    if (holds && instance.contains(name)) {
      const Json& options = sub["enum"];
      holds = std::find(options.begin(), options.end(), instance[name]) != options.end();
    }
  }
  return holds;
}

// `schema`, or what its local $ref ("#/definitions/Node": a recursive schema is kept as a
// reference) names in `root`; a chain is followed a few hops, a dangling one stays as it is.
const Json& Resolved(const Json& root, const Json& schema) {
  const Json* node = &schema;
  for (int hops = 0; hops < 8 && node->is_object(); ++hops) {
    auto ref = node->find("$ref");
    if (ref == node->end() || !ref->is_string() || ref->get<std::string>().rfind("#/", 0) != 0) {
      break;
    }
    const Json* target = ValueAt(root, ref->get<std::string>().substr(1));
    if (target == nullptr) {
      break;
    }
    node = target;
  }
  return *node;
}

// The schema of member `token` of a value that `given` describes (in `root`, whose local $refs
// are followed). `here` is that value when known: then an if/then/else whose `if` it is seen
// to satisfy (or not) leads into then (else). `depth` bounds allOf and then/else nesting: with
// $refs followed, `A: {allOf: [{$ref: A}]}` would recurse for ever.
const Json* Step(const Json& root, const Json& given, const std::string& token, const Json* here,
                 int depth = 0) {
  constexpr int kMaxDepth = 64;
  const Json& schema = Resolved(root, given);
  if (!schema.is_object() || depth > kMaxDepth) {
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
      if (const Json* found = Step(root, branch, token, here, depth + 1)) {
        return found;
      }
    }
  }
  if (auto condition = schema.find("if"); condition != schema.end() && here != nullptr) {
    if (std::optional<bool> holds = SelectionHolds(*condition, *here)) {
      auto branch = schema.find(*holds ? "then" : "else");
      if (branch != schema.end()) {
        if (const Json* found = Step(root, *branch, token, here, depth + 1)) {
          return found;
        }
      }
    }
  }
  auto additional = schema.find("additionalProperties");
  if (additional != schema.end() && additional->is_object()) {
    return &*additional;
  }
  return nullptr;
}

// Member `token` of `value`, or nullptr.
const Json* Member(const Json* value, const std::string& token) {
  if (value == nullptr) {
    return nullptr;
  }
  if (value->is_object()) {
    auto found = value->find(token);
    return found != value->end() ? &*found : nullptr;
  }
  const bool index = !token.empty() && token.size() < 10 &&
                     token.find_first_not_of("0123456789") == std::string::npos;
  if (value->is_array() && index && std::stoul(token) < value->size()) {
    return &(*value)[std::stoul(token)];
  }
  return nullptr;
}

const Json* WalkSchema(const Json& schema, std::string_view pointer, const Json* instance) {
  const Json* current = &schema;
  const Json* here = instance;
  for (const std::string& token : PointerTokens(pointer)) {
    current = Step(schema, *current, token, here);
    if (current == nullptr) {
      return nullptr;
    }
    here = Member(here, token);
  }
  return &Resolved(schema, *current);
}

}  // namespace

const Json* SchemaAt(const Json& schema, std::string_view pointer) {
  return WalkSchema(schema, pointer, nullptr);
}

const Json* SchemaAt(const Json& schema, std::string_view pointer, const Json& instance) {
  return WalkSchema(schema, pointer, &instance);
}

}  // namespace conform::validator
