#include "validator/schema_validator.h"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <regex>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>

#include "aip/time.h"
#include "validator/internal/document.h"
#include "validator/internal/linear_regex.h"
#include "validator/internal/string_formats.h"
#include "validator/internal/value_text.h"
#include "validator/schema_util.h"

namespace conform::validator {
namespace {

using Json = nlohmann::json;

enum class Format : uint8_t {
  kNone,
  kDateTime,
  kDate,
  kTime,
  kInt32,
  kInt64,
  kUint32,
  kUint64,
  kFloat,
  kDouble,
  kUuid,
  kEmail,
  kHostname,
  kIpv4,
  kIpv6,
  kUri,
  kUriReference,
  kByte,
  kDuration,
  kJsonPointer,
  kRelativeJsonPointer,
  kUriTemplate,
  kRegex,
};

// The formats conform asserts; any other name is an annotation (JSON Schema lets a validator
// ignore formats it does not know).
constexpr std::pair<std::string_view, Format> kFormatNames[] = {
    {"date-time", Format::kDateTime},
    {"date", Format::kDate},
    {"time", Format::kTime},
    {"int32", Format::kInt32},
    {"int64", Format::kInt64},
    {"uint32", Format::kUint32},
    {"uint64", Format::kUint64},
    {"float", Format::kFloat},
    {"double", Format::kDouble},
    {"uuid", Format::kUuid},
    {"email", Format::kEmail},
    {"hostname", Format::kHostname},
    {"ipv4", Format::kIpv4},
    {"ipv6", Format::kIpv6},
    {"uri", Format::kUri},
    {"uri-reference", Format::kUriReference},
    {"byte", Format::kByte},
    {"duration", Format::kDuration},
    {"json-pointer", Format::kJsonPointer},
    {"relative-json-pointer", Format::kRelativeJsonPointer},
    {"uri-template", Format::kUriTemplate},
    {"regex", Format::kRegex},
};

Format ParseFormat(std::string_view name) {
  for (const auto& [text, format] : kFormatNames) {
    if (text == name) {
      return format;
    }
  }
  return Format::kNone;
}

std::string_view FormatName(Format format) {
  for (const auto& [text, known] : kFormatNames) {
    if (known == format) {
      return text;
    }
  }
  return "";
}

std::string_view FormatExpectation(Format format) {
  switch (format) {
    case Format::kDateTime:
      return "an RFC 3339 date-time with a UTC offset, e.g. 2023-11-07T05:31:56Z";
    case Format::kDate:
      return "an RFC 3339 full-date, e.g. 2023-11-07";
    case Format::kTime:
      return "an RFC 3339 full-time with a UTC offset, e.g. 05:31:56Z";
    case Format::kUuid:
      return "an RFC 4122 UUID, e.g. 3f2c9a1e-8b7d-4c2a-9e1f-0a1b2c3d4e5f";
    case Format::kEmail:
      return "an RFC 5321 mailbox, e.g. ann@example.com";
    case Format::kHostname:
      return "an RFC 1123 hostname, e.g. api.example.com";
    case Format::kIpv4:
      return "an IPv4 dotted quad, e.g. 192.0.2.1";
    case Format::kIpv6:
      return "an RFC 4291 IPv6 address, e.g. 2001:db8::1";
    case Format::kUri:
      return "an RFC 3986 URI with a scheme, e.g. https://example.com/a";
    case Format::kUriReference:
      return "an RFC 3986 URI reference, e.g. /a/b?c=d";
    case Format::kByte:
      return "RFC 4648 base64, e.g. aGVsbG8=";
    case Format::kDuration:
      return "an RFC 3339 Appendix A duration (whole numbers), e.g. P1DT12H or PT90S";
    case Format::kJsonPointer:
      return "an RFC 6901 JSON Pointer, e.g. /items/0/name";
    case Format::kRelativeJsonPointer:
      return "a relative JSON Pointer, e.g. 1/name or 0#";
    case Format::kUriTemplate:
      return "an RFC 6570 URI Template, e.g. /users/{id}{?fields}";
    case Format::kRegex:
      return "a regular expression (ECMA-262), e.g. ^[a-z]+$";
    case Format::kInt32:
      return "an int32: -2147483648..2147483647";
    case Format::kInt64:
      return "an int64: -9223372036854775808..9223372036854775807";
    case Format::kUint32:
      return "a uint32: 0..4294967295";
    case Format::kUint64:
      return "a uint64: 0..18446744073709551615";
    case Format::kFloat:
      return "a float: finite, magnitude at most 3.4028235e38";
    case Format::kDouble:
      return "a finite double";
    case Format::kNone:
      break;
  }
  return "";
}

bool InRange(Format format, int64_t value) {
  switch (format) {
    case Format::kInt32:
      return value >= std::numeric_limits<int32_t>::min() && value <= std::numeric_limits<int32_t>::max();
    case Format::kUint32:
      return value >= 0 && value <= static_cast<int64_t>(std::numeric_limits<uint32_t>::max());
    case Format::kUint64:
      return value >= 0;
    default:
      return true;
  }
}

bool CheckIntegerText(Format format, std::string_view text) {
  // Proto3 JSON writes 64-bit integers as strings: "format: int64" on a string.
  if (text.empty()) {
    return false;
  }
  if (format == Format::kUint64 || format == Format::kUint32) {
    uint64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && ptr == text.data() + text.size() &&
           (format == Format::kUint64 || value <= std::numeric_limits<uint32_t>::max());
  }
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && ptr == text.data() + text.size() && InRange(format, value);
}

bool CheckString(Format format, std::string_view value) {
  switch (format) {
    case Format::kDateTime:
      return aip::ParseRfc3339(value).has_value();
    case Format::kDate: {
      if (value.size() != 10) {
        return false;
      }
      std::string full(value);
      full += "T00:00:00Z";
      return aip::ParseRfc3339(full).has_value();
    }
    case Format::kTime: {
      std::string full = "1970-01-01T";
      full += value;
      return aip::ParseRfc3339(full).has_value();
    }
    case Format::kInt32:
    case Format::kInt64:
    case Format::kUint32:
    case Format::kUint64:
      return CheckIntegerText(format, value);
    case Format::kUuid:
      return internal::IsUuid(value);
    case Format::kEmail:
      return internal::IsEmail(value);
    case Format::kHostname:
      return internal::IsHostname(value);
    case Format::kIpv4:
      return internal::IsIpv4(value);
    case Format::kIpv6:
      return internal::IsIpv6(value);
    case Format::kUri:
      return internal::IsUri(value);
    case Format::kUriReference:
      return internal::IsUriReference(value);
    case Format::kByte:
      return internal::IsBase64(value);
    case Format::kDuration:
      return internal::IsDuration(value);
    case Format::kJsonPointer:
      return internal::IsJsonPointer(value);
    case Format::kRelativeJsonPointer:
      return internal::IsRelativeJsonPointer(value);
    case Format::kUriTemplate:
      return internal::IsUriTemplate(value);
    case Format::kRegex:
      // Malformed for every engine conform has, as a `pattern` must not be (PatternError).
      return !PatternError(std::string(value)).has_value();
    default:
      return true;
  }
}

bool CheckNumber(Format format, const Json& value) {
  switch (format) {
    case Format::kInt32:
    case Format::kInt64:
    case Format::kUint32:
    case Format::kUint64:
      if (value.is_number_unsigned()) {
        uint64_t v = value.get<uint64_t>();
        switch (format) {
          case Format::kInt32:
            return v <= static_cast<uint64_t>(std::numeric_limits<int32_t>::max());
          case Format::kUint32:
            return v <= std::numeric_limits<uint32_t>::max();
          case Format::kInt64:
            return v <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
          default:
            return true;
        }
      }
      if (value.is_number_integer()) {
        return InRange(format, value.get<int64_t>());
      }
      return true;  // a non-integer is the `type` check's finding, not a format one
    case Format::kFloat: {
      double v = value.get<double>();
      return std::isfinite(v) && std::fabs(v) <= static_cast<double>(std::numeric_limits<float>::max());
    }
    case Format::kDouble:
      return std::isfinite(value.get<double>());
    default:
      return true;
  }
}

// Orders JSON pointers token by token, array indices numerically ("/a/2" before "/a/10").
bool PointerLess(std::string_view a, std::string_view b) {
  std::vector<std::string> left = PointerTokens(a);
  std::vector<std::string> right = PointerTokens(b);
  for (size_t i = 0; i < left.size() && i < right.size(); ++i) {
    if (left[i] == right[i]) {
      continue;
    }
    bool left_number = !left[i].empty() && left[i].find_first_not_of("0123456789") == std::string::npos;
    bool right_number = !right[i].empty() && right[i].find_first_not_of("0123456789") == std::string::npos;
    if (left_number && right_number && left[i].size() != right[i].size()) {
      return left[i].size() < right[i].size();
    }
    return left[i] < right[i];
  }
  return left.size() < right.size();
}

// The instance path being walked, turned into a JSON pointer only when something is wrong.
class PathStack {
 public:
  void Push(std::string_view key) { tokens_.emplace_back(key); }
  void Push(size_t index) { tokens_.emplace_back(index); }
  void Pop() { tokens_.pop_back(); }
  std::string Pointer() const {
    std::string out;
    for (const auto& token : tokens_) {
      if (const auto* key = std::get_if<std::string_view>(&token)) {
        out = internal::AppendPointer(out, *key);
      } else {
        out = internal::AppendPointer(out, std::get<size_t>(token));
      }
    }
    return out;
  }

 private:
  std::vector<std::variant<std::string_view, size_t>> tokens_;
};

// Adds the names of the writeOnly properties `schema` declares, directly or in its allOf.
void CollectWriteOnlyNames(const Json& schema, std::unordered_set<std::string>& names, int depth) {
  if (!schema.is_object() || depth > 64) {
    return;
  }
  auto is_write_only = [](const Json& property) {
    if (!property.is_object()) {
      return false;
    }
    if (property.value("writeOnly", false)) {
      return true;
    }
    auto all_of = property.find("allOf");
    return all_of != property.end() && all_of->is_array() &&
           std::any_of(all_of->begin(), all_of->end(), [](const Json& branch) {
             return branch.is_object() && branch.value("writeOnly", false);
           });
  };
  if (auto properties = schema.find("properties"); properties != schema.end() && properties->is_object()) {
    for (const auto& [name, property] : properties->items()) {
      if (is_write_only(property)) {
        names.insert(name);
      }
    }
  }
  if (auto all_of = schema.find("allOf"); all_of != schema.end() && all_of->is_array()) {
    for (const Json& branch : *all_of) {
      CollectWriteOnlyNames(branch, names, depth + 1);
    }
  }
}

// Keywords whose subschemas apply to a value or not depending on the value: our walk does not
// know which, so what they hold is left to the engine. if/then/else is how CanonicalSchema
// writes a discriminator's selection of a oneOf/anyOf branch.
bool IsAlternativeKeyword(const std::string& key) {
  return key == "anyOf" || key == "oneOf" || key == "not" || key == "if" || key == "then" ||
         key == "else";
}

// Copy of a schema for the structural engine: formats and patterns we check ourselves are
// removed. They stay inside anyOf/oneOf/not, where only the engine knows which branch applies,
// unless `alternatives_match` is false: the engine's std::regex must not see a long string.
// Nor then a long property name: patternProperties go too, with the additionalProperties
// beside them (which would otherwise judge the names the patterns were meant to admit).
//
// A `required` entry naming a writeOnly property is dropped: OpenAPI makes it required on the
// request only. `write_only_names` holds those declared by the schemas this one is an allOf
// branch of. `contains` beside minContains: 0 goes too (it would demand one match).
Json PrepareForEngine(const Json& schema, bool inside_alternative, bool alternatives_match = true,
                      const std::unordered_set<std::string>& write_only_names = {}) {
  if (schema.is_array()) {
    Json out = Json::array();
    for (const Json& item : schema) {
      out.push_back(PrepareForEngine(item, inside_alternative, alternatives_match));
    }
    return out;
  }
  if (!schema.is_object()) {
    return schema;
  }
  const bool drop_name_patterns = !alternatives_match && schema.contains("patternProperties");
  std::unordered_set<std::string> write_only = write_only_names;
  CollectWriteOnlyNames(schema, write_only, 0);
  const bool drop_contains = schema.contains("minContains") && schema["minContains"] == 0;
  Json out = Json::object();
  for (const auto& [key, value] : schema.items()) {
    if (key == "contains" && drop_contains) {
      continue;
    }
    if (key == "required" && value.is_array() && !write_only.empty()) {
      Json kept = Json::array();
      for (const Json& name : value) {
        if (!name.is_string() || write_only.count(name.get<std::string>()) == 0) {
          kept.push_back(name);
        }
      }
      out[key] = std::move(kept);
      continue;
    }
    if (key == "allOf" && value.is_array()) {
      Json branches = Json::array();
      for (const Json& branch : value) {
        branches.push_back(PrepareForEngine(branch, inside_alternative, alternatives_match, write_only));
      }
      out[key] = std::move(branches);
      continue;
    }
    if (drop_name_patterns && (key == "patternProperties" || key == "additionalProperties")) {
      continue;
    }
    if (((key == "format" || key == "pattern") && (!inside_alternative || !alternatives_match)) ||
        key == "readOnly" ||
        key == "writeOnly" ||
        key == "description" || key == "title" || key == "example" || key == "examples" ||
        key == "externalDocs" || key == "xml" || key == "deprecated" || key == "refIdentifier") {
      continue;
    }
    bool alternative = inside_alternative || IsAlternativeKeyword(key);
    if (key == "enum" || key == "const" || key == "default" || key == "required") {
      out[key] = value;  // values, not schemas
    } else if (key == "properties" || key == "patternProperties" || key == "definitions") {
      Json map = Json::object();
      if (value.is_object()) {
        for (const auto& [name, sub] : value.items()) {
          map[name] = PrepareForEngine(sub, alternative, alternatives_match);
        }
      }
      out[key] = std::move(map);
    } else {
      out[key] = PrepareForEngine(value, alternative, alternatives_match);
    }
  }
  return out;
}

// Whether std::regex may take exponential time on `pattern`: a repeated group ("(...)*",
// "(...)+", "(...){2,}") that can match one stretch of text in several ways, because it holds
// a quantifier or an alternation of more than single characters: the shape of ^(a+)+$ and
// ^(a|aa)+$. Conservative: some such patterns are harmless (^(-[a-z]+)*$), none without one
// blows up. (a|b)* alternates single characters, as [ab]* does: not flagged.
bool MayBacktrackExponentially(std::string_view pattern) {
  struct Group {
    bool quantified_inside = false;  // a quantifier, or a group that varies
    bool alternation = false;
    bool single_branches = true;  // every branch so far is one character, class or escape
    int atoms = 0;                // in the current branch
    bool Varies() const { return quantified_inside || (alternation && !single_branches); }
  };
  std::vector<Group> groups(1);  // groups[0]: the whole pattern
  auto repeats = [&](size_t at) {  // a quantifier at `at` that repeats more than once
    if (at >= pattern.size()) {
      return false;
    }
    if (pattern[at] == '*' || pattern[at] == '+') {
      return true;
    }
    if (pattern[at] != '{') {
      return false;
    }
    size_t close = pattern.find('}', at);
    std::string_view inside = pattern.substr(at + 1, close == std::string_view::npos ? 0 : close - at - 1);
    size_t comma = inside.find(',');
    return comma != std::string_view::npos ? (comma + 1 == inside.size() || inside.substr(comma + 1) != "1")
                                           : !inside.empty() && inside != "0" && inside != "1";
  };
  auto end_branch = [](Group& group) { group.single_branches = group.single_branches && group.atoms == 1; };
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    Group& group = groups.back();
    if (c == '\\') {
      ++i;
      ++group.atoms;
    } else if (c == '[') {  // a class: one atom
      for (++i; i < pattern.size() && pattern[i] != ']'; ++i) {
        i += pattern[i] == '\\' ? 1 : 0;
      }
      ++group.atoms;
    } else if (c == '(') {
      ++group.atoms;
      group.single_branches = false;  // a group as a branch: not one character
      groups.emplace_back();
    } else if (c == ')' && groups.size() > 1) {
      end_branch(groups.back());
      const bool varies = groups.back().Varies();
      groups.pop_back();
      if (varies && repeats(i + 1)) {
        return true;
      }
      groups.back().quantified_inside = groups.back().quantified_inside || varies;
    } else if (c == '|') {
      end_branch(group);
      group.alternation = true;
      group.atoms = 0;
    } else if (c == '*' || c == '+' || c == '?' || c == '{') {
      group.quantified_inside = true;
      group.single_branches = false;
    } else {
      ++group.atoms;
    }
  }
  return false;
}

// Why valijson must not get `pattern` (it matches with std::regex), or nullopt.
std::optional<std::string> UnfitForEngine(const std::string& pattern) {
  if (MayBacktrackExponentially(pattern)) {
    return "may take exponential time in the regex engine that would match it (a repeated "
           "group holding a quantifier or '|')";
  }
  try {
    std::regex compiled(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return std::string("cannot be compiled by the regex engine that would match it: ") + e.what();
  }
  return std::nullopt;
}

using EnginePattern = SchemaValidator::EnginePattern;

// The first pattern valijson would match itself (inside anyOf/oneOf/not, or a
// patternProperties key) that it must not get (UnfitForEngine).
std::optional<EnginePattern> BacktrackingPatternForEngine(const Json& schema,
                                                          bool inside_alternative) {
  if (schema.is_array()) {
    for (const Json& item : schema) {
      if (auto found = BacktrackingPatternForEngine(item, inside_alternative)) {
        return found;
      }
    }
    return std::nullopt;
  }
  if (!schema.is_object()) {
    return std::nullopt;
  }
  for (const auto& [key, value] : schema.items()) {
    if (key == "pattern" && inside_alternative && value.is_string()) {
      if (auto why = UnfitForEngine(value.get<std::string>())) {
        return EnginePattern{value.get<std::string>(), *why};
      }
    }
    if (key == "enum" || key == "const" || key == "default" || key == "required" || key == "example" ||
        key == "examples") {
      continue;
    }
    if (key == "patternProperties" && value.is_object()) {
      for (const auto& [name, sub] : value.items()) {
        if (auto why = UnfitForEngine(name)) {
          return EnginePattern{name, *why};
        }
      }
    }
    const bool alternative = inside_alternative || IsAlternativeKeyword(key);
    if (key == "properties" || key == "patternProperties" || key == "definitions") {
      if (value.is_object()) {
        for (const auto& [name, sub] : value.items()) {
          if (auto found = BacktrackingPatternForEngine(sub, alternative)) {
            return found;
          }
        }
      }
    } else if (auto found = BacktrackingPatternForEngine(value, alternative)) {
      return found;
    }
  }
  return std::nullopt;
}

class ValijsonEngine final : public StructuralEngine {
 public:
  explicit ValijsonEngine(std::unique_ptr<valijson::Schema> schema) : schema_(std::move(schema)) {}

  bool Validate(const Json& instance, std::vector<SchemaViolation>& out) const override {
    valijson::adapters::NlohmannJsonAdapter target(instance);
    {
      // Fast path: without a results object valijson stops at the first failure.
      valijson::Validator validator;
      if (validator.validate(*schema_, target, nullptr)) {
        return true;
      }
    }
    valijson::Validator validator;
    valijson::ValidationResults results;
    validator.validate(*schema_, target, &results);
    Collapse(results, out);
    return false;
  }

 private:
  static std::string ContextPointer(const std::vector<std::string>& context) {
    std::string pointer;
    for (size_t i = 1; i < context.size(); ++i) {  // context[0] is "<root>"
      std::string_view token = context[i];
      if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
        token = token.substr(1, token.size() - 2);
      }
      pointer = internal::AppendPointer(pointer, token);
    }
    return pointer;
  }

  // The last '...' in a valijson message: the property it is about.
  static std::string Quoted(std::string_view description) {
    size_t close = description.rfind('\'');
    size_t open = close == std::string_view::npos || close == 0 ? std::string_view::npos
                                                                : description.rfind('\'', close - 1);
    if (open == std::string_view::npos || close <= open) {
      return {};
    }
    return std::string(description.substr(open + 1, close - open - 1));
  }

  static bool StartsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
  }

  // The keyword a valijson 1.0 root-cause message is about; empty for a failed anyOf/oneOf.
  static std::string KeywordOf(std::string_view text) {
    static constexpr std::pair<std::string_view, std::string_view> kKeywords[] = {
        {"Value type not permitted", "type"},
        {"Failed to match against any enum values", "enum"},
        {"Missing required property", "required"},
        {"Object contains a property that could not be validated", "additionalProperties"},
        {"String should be a valid", "format"},
        {"Failed to match expected value set by 'const'", "const"},
        {"String should be no fewer than", "minLength"},
        {"String should be no more than", "maxLength"},
        {"Expected number greater than or equal to", "minimum"},
        {"Expected number greater than", "exclusiveMinimum"},
        {"Expected number less than or equal to", "maximum"},
        {"Expected number less than", "exclusiveMaximum"},
        {"Value should be a multiple of", "multipleOf"},
        {"Value could not be converted", "multipleOf"},
        {"Array should contain no fewer than", "minItems"},
        {"Array should contain no more than", "maxItems"},
        {"Array contains more items than allowed", "additionalItems"},
        {"Elements at indexes", "uniqueItems"},
        {"Object should have no fewer than", "minProperties"},
        {"Object should have no more than", "maxProperties"},
        {"Failed to match regex specified by 'pattern'", "pattern"},
        {"Target should not validate against schema specified in 'not'", "not"},
        {"Failed to any values against subschema in 'contains'", "contains"},
        {"Missing dependency", "dependencies"},
    };
    for (const auto& [prefix, keyword] : kKeywords) {
      if (StartsWith(text, prefix)) {
        return std::string(keyword);
      }
    }
    return {};
  }

  // valijson reports the root cause and then one "failed to validate ..." line per enclosing
  // schema; keep the root causes only, and fold the explanations of a failed anyOf/oneOf
  // into one violation.
  static void Collapse(valijson::ValidationResults& results, std::vector<SchemaViolation>& out) {
    std::vector<SchemaViolation> causes;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
      const std::string& text = error.description;
      if (StartsWith(text, "Failed to validate against schema associated with property") ||
          StartsWith(text, "Failed to validate item #") ||
          // After a failed tuple item (items: [...], additionalItems: false), valijson adds this
          // for the same array; extra items get "Array contains more items than allowed".
          StartsWith(text, "Cannot validate item #") ||
          StartsWith(text, "Failed to validate against child schema #") ||
          // The failures of the then/else that applied come first, and are the causes.
          StartsWith(text, "Failed to validate against a conditional schema") ||
          StartsWith(text, "Failed to validate against additional properties schema") ||
          StartsWith(text, "Failed to validate against schema associated with pattern")) {
        continue;
      }
      SchemaViolation violation;
      violation.pointer = ContextPointer(error.context);
      violation.message = text;
      if (!violation.message.empty() && violation.message.back() == '.') {
        violation.message.pop_back();
      }
      violation.keyword = KeywordOf(text);
      if (violation.keyword == "type") {
        violation.check_id = "response.schema.type";
      } else if (violation.keyword == "enum") {
        violation.check_id = "response.schema.enum";
      } else if (violation.keyword == "required") {
        violation.check_id = "response.schema.required";
        violation.pointer = internal::AppendPointer(violation.pointer, Quoted(text));
      } else if (violation.keyword == "additionalProperties") {
        violation.check_id = "response.schema.additional_property";
        violation.pointer = internal::AppendPointer(violation.pointer, Quoted(text));
      } else if (violation.keyword == "format") {
        violation.check_id = "response.schema.format";
      } else {
        violation.check_id = "response.schema.constraint";
      }
      causes.push_back(std::move(violation));
    }
    // A failed anyOf/oneOf at pointer P explains the failures found inside its branches.
    // Causes sorted by pointer put those under P in one run starting at P: n log n, where a
    // scan per composite made a body of 100,000 failing items take minutes.
    auto is_composite = [](const SchemaViolation& v) {
      return StartsWith(v.message, "Failed to validate against any") ||
             StartsWith(v.message, "Failed to validate against exactly one");
    };
    std::vector<size_t> by_pointer;
    for (size_t i = 0; i < causes.size(); ++i) {
      if (!is_composite(causes[i])) {
        by_pointer.push_back(i);
      }
    }
    std::stable_sort(by_pointer.begin(), by_pointer.end(),
                     [&](size_t a, size_t b) { return causes[a].pointer < causes[b].pointer; });
    for (SchemaViolation& composite : causes) {
      if (!is_composite(composite)) {
        continue;
      }
      std::string reasons;
      auto first = std::lower_bound(
          by_pointer.begin(), by_pointer.end(), composite.pointer,
          [&](size_t index, const std::string& pointer) { return causes[index].pointer < pointer; });
      for (auto it = first; it != by_pointer.end() && StartsWith(causes[*it].pointer, composite.pointer);
           ++it) {
        SchemaViolation& inner = causes[*it];
        if (inner.check_id.empty()) {
          continue;  // already folded into a composite
        }
        if (reasons.size() < 300) {
          reasons += (reasons.empty() ? "" : "; ") + inner.message +
                     (inner.pointer.size() > composite.pointer.size() ? " at " + inner.pointer : "");
        }
        inner.check_id.clear();
      }
      if (!reasons.empty()) {
        composite.message += " (" + reasons + ")";
      }
    }
    std::unordered_set<std::string> seen;
    for (const SchemaViolation& earlier : out) {
      seen.insert(earlier.check_id + '\n' + earlier.pointer);
    }
    for (SchemaViolation& violation : causes) {
      if (violation.check_id.empty() || !seen.insert(violation.check_id + '\n' + violation.pointer).second) {
        continue;
      }
      out.push_back(std::move(violation));
    }
  }

  std::unique_ptr<valijson::Schema> schema_;
};

}  // namespace

Result<std::unique_ptr<StructuralEngine>> MakeValijsonEngine(const Json& schema) {
  auto parsed = std::make_unique<valijson::Schema>();
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(schema);
    parser.populateSchema(adapter, *parsed);
  } catch (const std::exception& e) {
    return InvalidArgument(std::string("schema not supported by the validation engine: ") + e.what());
  }
  return std::unique_ptr<StructuralEngine>(std::make_unique<ValijsonEngine>(std::move(parsed)));
}

// Our compiled walk: one node per schema location that can hold a value.
struct SchemaValidator::Plan {
  struct Node {
    Format format = Format::kNone;
    // Compiled once, not per response: the linear-time engine when it can take the pattern,
    // std::regex (backtracking, fed at most kMaxRegexSubject bytes) when it cannot.
    std::shared_ptr<const internal::LinearRegex> linear;
    std::shared_ptr<const std::regex> pattern;
    std::string pattern_text;
    std::string pattern_unsupported;  // why neither engine takes pattern_text: not checked
    bool write_only = false;
    bool declares_properties = false;
    bool additional_given = false;  // additionalProperties written in the schema
    bool composite = false;         // anyOf/oneOf/if: properties may come from a branch
    std::unordered_map<std::string, int> properties;
    int items = -1;
    std::vector<int> tuple;     // array-form items: one node per position
    int additional_items = -1;  // additionalItems, past the tuple
    int additional = -1;
    int ref = -1;  // a recursive "#/definitions/..." target
  };
  std::vector<Node> nodes;
  std::unordered_map<std::string, int> definition_nodes;
  const Json* definitions = nullptr;

  int NewNode() {
    nodes.emplace_back();
    return static_cast<int>(nodes.size()) - 1;
  }

  void CompileInto(int n, const Json& schema, int depth) {
    if (!schema.is_object() || depth > 64) {
      return;
    }
    if (auto ref = schema.find("$ref"); ref != schema.end() && ref->is_string()) {
      const std::string& target = ref->get_ref<const std::string&>();
      const std::string prefix = "#/definitions/";
      if (target.rfind(prefix, 0) == 0 && definitions != nullptr) {
        std::string name = target.substr(prefix.size());
        auto known = definition_nodes.find(name);
        if (known != definition_nodes.end()) {
          nodes[static_cast<size_t>(n)].ref = known->second;
        } else if (definitions->contains(name)) {
          int def = NewNode();
          definition_nodes.emplace(name, def);
          nodes[static_cast<size_t>(n)].ref = def;
          CompileInto(def, (*definitions)[name], depth + 1);
        }
      }
    }
    if (auto format = schema.find("format"); format != schema.end() && format->is_string()) {
      nodes[static_cast<size_t>(n)].format = ParseFormat(format->get_ref<const std::string&>());
    }
    if (auto pattern = schema.find("pattern"); pattern != schema.end() && pattern->is_string()) {
      Node& node = nodes[static_cast<size_t>(n)];
      const std::string& text = pattern->get_ref<const std::string&>();
      node.pattern_text = text;
      // The linear engine reads code points (a class of CJK ranges is fine there, not in
      // std::regex, which reads bytes); std::regex takes lookaround and backreferences.
      if (auto linear = internal::LinearRegex::Compile(text)) {
        node.linear = std::make_shared<const internal::LinearRegex>(*std::move(linear));
      } else {
        try {
          node.pattern = std::make_shared<const std::regex>(text, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
          node.pattern_unsupported = linear.error().message + "; std::regex: " + e.what();
        }
      }
    }
    if (schema.value("writeOnly", false)) {
      nodes[static_cast<size_t>(n)].write_only = true;
    }
    if (schema.contains("anyOf") || schema.contains("oneOf") || schema.contains("if")) {
      nodes[static_cast<size_t>(n)].composite = true;
    }
    if (auto properties = schema.find("properties"); properties != schema.end() && properties->is_object()) {
      nodes[static_cast<size_t>(n)].declares_properties = true;
      for (const auto& [name, sub] : properties->items()) {
        auto& own = nodes[static_cast<size_t>(n)].properties;
        auto existing = own.find(name);
        int child = existing != own.end() ? existing->second : NewNode();
        nodes[static_cast<size_t>(n)].properties.emplace(name, child);
        CompileInto(child, sub, depth + 1);
      }
    }
    if (auto additional = schema.find("additionalProperties"); additional != schema.end()) {
      nodes[static_cast<size_t>(n)].additional_given = true;
      if (additional->is_object()) {
        int child = nodes[static_cast<size_t>(n)].additional >= 0 ? nodes[static_cast<size_t>(n)].additional : NewNode();
        nodes[static_cast<size_t>(n)].additional = child;
        CompileInto(child, *additional, depth + 1);
      }
    }
    if (auto items = schema.find("items"); items != schema.end() && items->is_object()) {
      int child = nodes[static_cast<size_t>(n)].items >= 0 ? nodes[static_cast<size_t>(n)].items : NewNode();
      nodes[static_cast<size_t>(n)].items = child;
      CompileInto(child, *items, depth + 1);
    } else if (items != schema.end() && items->is_array()) {
      for (size_t i = 0; i < items->size(); ++i) {
        if (nodes[static_cast<size_t>(n)].tuple.size() <= i) {
          int child = NewNode();
          nodes[static_cast<size_t>(n)].tuple.push_back(child);
        }
        CompileInto(nodes[static_cast<size_t>(n)].tuple[i], (*items)[i], depth + 1);
      }
      if (auto rest = schema.find("additionalItems"); rest != schema.end() && rest->is_object()) {
        int child = nodes[static_cast<size_t>(n)].additional_items >= 0
                        ? nodes[static_cast<size_t>(n)].additional_items
                        : NewNode();
        nodes[static_cast<size_t>(n)].additional_items = child;
        CompileInto(child, *rest, depth + 1);
      }
    }
    if (auto all_of = schema.find("allOf"); all_of != schema.end() && all_of->is_array()) {
      for (const Json& branch : *all_of) {
        CompileInto(n, branch, depth + 1);
      }
    }
  }

  // std::regex matches recursively, about one stack frame per character: a 100 KB string
  // overflows the stack. Longer strings are reported as not checked instead, when the
  // pattern needs it (the linear engine takes any length).
  static constexpr size_t kMaxPatternSubject = SchemaValidator::kMaxRegexSubject;

  static void CheckPattern(const Node& node, const std::string& text, const PathStack& path,
                           std::vector<SchemaViolation>& out) {
    const std::string expected = "a string matching /" + node.pattern_text + "/";
    if (!node.pattern_unsupported.empty()) {
      out.push_back({"response.schema.pattern_unchecked", path.Pointer(),
                     "pattern not checked: conform's regex engines cannot compile it (" +
                         node.pattern_unsupported + ")",
                     expected, internal::DescribeValue(Json(text)), "pattern"});
      return;
    }
    if (!node.linear && text.size() > kMaxPatternSubject) {
      out.push_back({"response.schema.pattern_unchecked", path.Pointer(),
                     "pattern not checked: the string is " + std::to_string(text.size()) +
                         " bytes, over the " + std::to_string(kMaxPatternSubject) +
                         " the regex engine matches safely",
                     expected, internal::DescribeValue(Json(text)), "pattern"});
      return;
    }
    if (node.linear ? !node.linear->Search(text) : !std::regex_search(text, *node.pattern)) {
      out.push_back({"response.schema.constraint", path.Pointer(),
                     "string does not match the pattern /" + node.pattern_text + "/", expected,
                     internal::DescribeValue(Json(text)), "pattern"});
    }
  }

  // Follows `ref` links so a node that is only a reference behaves as its target.
  const Node& Effective(int n) const {
    const Node* node = &nodes[static_cast<size_t>(n)];
    for (int hops = 0; node->ref >= 0 && hops < 8 && node->properties.empty() && node->items < 0 &&
                       node->tuple.empty() &&
                       node->format == Format::kNone && !node->pattern && !node->linear;
         ++hops) {
      node = &nodes[static_cast<size_t>(node->ref)];
    }
    return *node;
  }

  void Walk(int n, const Json& value, PathStack& path, const ValidateOptions& options,
            std::vector<SchemaViolation>& out) const {
    const Node& node = Effective(n);
    if (node.format != Format::kNone) {
      bool ok = true;
      if (value.is_string()) {
        ok = CheckString(node.format, value.get_ref<const std::string&>());
      } else if (value.is_number()) {
        ok = CheckNumber(node.format, value);
      }
      if (!ok) {
        out.push_back({"response.schema.format", path.Pointer(),
                       "value is not a valid " + std::string(FormatName(node.format)),
                       std::string(FormatExpectation(node.format)), internal::DescribeValue(value),
                       "format"});
      }
    }
    if ((node.pattern || node.linear || !node.pattern_unsupported.empty()) && value.is_string()) {
      CheckPattern(node, value.get_ref<const std::string&>(), path, out);
    }
    if (value.is_object()) {
      for (const auto& [key, child] : value.items()) {
        auto property = node.properties.find(key);
        if (property != node.properties.end()) {
          path.Push(key);
          if (nodes[static_cast<size_t>(property->second)].write_only) {
            out.push_back({"response.schema.write_only", path.Pointer(),
                           "writeOnly property '" + key + "' appears in a response",
                           "absent from responses", internal::DescribeValue(child), "writeOnly"});
          }
          Walk(property->second, child, path, options, out);
          path.Pop();
        } else if (node.additional >= 0) {
          path.Push(key);
          Walk(node.additional, child, path, options, out);
          path.Pop();
        } else if (options.strict && node.declares_properties && !node.additional_given && !node.composite) {
          path.Push(key);
          out.push_back({"response.schema.undeclared_property", path.Pointer(),
                         "property '" + key + "' is not declared by the schema",
                         "only declared properties", internal::DescribeValue(child)});
          path.Pop();
        }
      }
    } else if (value.is_array() && !node.tuple.empty()) {
      for (size_t i = 0; i < value.size(); ++i) {
        int child = i < node.tuple.size() ? node.tuple[i] : node.additional_items;
        if (child >= 0) {
          path.Push(i);
          Walk(child, value[i], path, options, out);
          path.Pop();
        }
      }
    } else if (value.is_array() && node.items >= 0) {
      for (size_t i = 0; i < value.size(); ++i) {
        path.Push(i);
        Walk(node.items, value[i], path, options, out);
        path.Pop();
      }
    }
  }
};

namespace {

// The pointer of the first string value longer than the regex engine matches safely, or of
// the object holding such a property name.
std::optional<std::string> LongStringPointer(const Json& value, const std::string& pointer) {
  if (value.is_string()) {
    return value.get_ref<const std::string&>().size() > SchemaValidator::kMaxRegexSubject
               ? std::optional<std::string>(pointer)
               : std::nullopt;
  }
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      if (key.size() > SchemaValidator::kMaxRegexSubject) {
        return pointer;
      }
      if (auto found = LongStringPointer(member, internal::AppendPointer(pointer, key))) {
        return found;
      }
    }
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      if (auto found = LongStringPointer(value[i], internal::AppendPointer(pointer, std::to_string(i)))) {
        return found;
      }
    }
  }
  return std::nullopt;
}

// Keywords valijson 1.0 (draft 7) does not know, so a schema holding one is not fully checked.
// (prefixItems, dependentRequired and dependentSchemas are rewritten for OpenAPI 3.1 by
// CanonicalSchema; what remains here could not be.)
bool IsUncheckedKeyword(const std::string& key, const Json& value) {
  static const std::unordered_set<std::string> kUnchecked = {
      "unevaluatedProperties", "unevaluatedItems", "dependentRequired", "dependentSchemas",
      "maxContains", "prefixItems", "$dynamicRef", "$recursiveRef"};
  if (key == "minContains") {
    return !(value.is_number_integer() && value.get<int64_t>() <= 1);  // 0 and 1 are handled
  }
  return kUnchecked.count(key) > 0;
}

// Appends "keyword at schema-pointer" for every unchecked keyword in `schema`, walking its
// subschemas (not the values of enum, const, default or examples).
void CollectUncheckedKeywords(const Json& schema, const std::string& pointer, int depth,
                              std::vector<std::string>& out) {
  if (!schema.is_object() || depth > 64) {
    return;
  }
  static const std::unordered_set<std::string> kSingle = {
      "items",          "additionalItems",  "additionalProperties", "not",   "contains",
      "propertyNames",  "if",               "then",                 "else",  "unevaluatedProperties",
      "unevaluatedItems"};
  static const std::unordered_set<std::string> kList = {"allOf", "anyOf", "oneOf", "prefixItems",
                                                        "items"};
  static const std::unordered_set<std::string> kMap = {"properties", "patternProperties", "definitions",
                                                       "$defs",      "dependentSchemas",  "dependencies"};
  for (const auto& [key, value] : schema.items()) {
    const std::string at = internal::AppendPointer(pointer, key);
    if (IsUncheckedKeyword(key, value)) {
      out.push_back(key + " at " + (at.empty() ? "/" : at));
    }
    if (kSingle.count(key) > 0 && value.is_object()) {
      CollectUncheckedKeywords(value, at, depth + 1, out);
    } else if (kList.count(key) > 0 && value.is_array()) {
      for (size_t i = 0; i < value.size(); ++i) {
        CollectUncheckedKeywords(value[i], internal::AppendPointer(at, i), depth + 1, out);
      }
    } else if (kMap.count(key) > 0 && value.is_object()) {
      for (const auto& [name, sub] : value.items()) {
        CollectUncheckedKeywords(sub, internal::AppendPointer(at, name), depth + 1, out);
      }
    }
  }
}

// When `violation` is the failed oneOf/anyOf of an object whose discriminator property (one
// TranslateDiscriminators wrote) selects no branch, so that the plain alternatives judged it,
// explains it by the property and returns true: a value no mapping gives is the finding (as
// an enum violation of the property), and so is its absence when every branch requires it;
// an absence the branches allow is noted in the message (false).
bool ExplainUnselectedDiscriminator(const Json& schema, const Json& instance,
                                    SchemaViolation& violation) {
  const Json* object_schema = SchemaAt(schema, violation.pointer, instance);
  std::optional<TranslatedDiscriminator> discriminator =
      object_schema != nullptr ? FindTranslatedDiscriminator(*object_schema) : std::nullopt;
  if (!discriminator) {
    return false;
  }
  const Json* object = ValueAt(instance, violation.pointer);
  if (object == nullptr || !object->is_object()) {
    return false;
  }
  const std::string allowed = internal::DescribeEnum(discriminator->values);
  if (auto value = object->find(discriminator->property); value != object->end()) {
    const Json& values = discriminator->values;
    if (std::find(values.begin(), values.end(), *value) != values.end()) {
      return false;  // it selects a branch: the failure is that branch's
    }
    violation.check_id = "response.schema.enum";
    violation.keyword = "enum";
    violation.pointer = internal::AppendPointer(violation.pointer, discriminator->property);
    violation.message = "discriminator property '" + discriminator->property + "' is " +
                        internal::DescribeValue(*value) +
                        ", which selects none of its schemas, and none matches it: expected " +
                        allowed;
    violation.expected = allowed;
    violation.actual = internal::DescribeValue(*value);
    return true;
  }
  if (!discriminator->required_by_every_branch) {
    violation.message += "; discriminator property '" + discriminator->property +
                         "' absent, so every schema was tried";
    return false;
  }
  violation.check_id = "response.schema.required";
  violation.keyword = "required";
  violation.pointer = internal::AppendPointer(violation.pointer, discriminator->property);
  violation.message = "discriminator property '" + discriminator->property +
                      "' is missing: its value selects the schema, " + allowed;
  violation.expected = "property present, " + allowed;
  violation.actual = "absent";
  return true;
}

// When `violation` (a missing property, or a value not in an enum) is about the property of a
// discriminator TranslateDiscriminators wrote, rewrites it to say so and returns true: the
// property is missing, or its value selects no branch (not merely outside the property's own
// enum, which the caller explains).
bool ExplainDiscriminator(const Json& schema, const Json& instance, SchemaViolation& violation) {
  if (violation.check_id == "response.schema.constraint" && violation.keyword.empty()) {
    return ExplainUnselectedDiscriminator(schema, instance, violation);
  }
  std::vector<std::string> tokens = PointerTokens(violation.pointer);
  if (tokens.empty()) {
    return false;
  }
  const std::string parent = violation.pointer.substr(0, violation.pointer.rfind('/'));
  const Json* parent_schema = SchemaAt(schema, parent, instance);
  std::optional<TranslatedDiscriminator> discriminator =
      parent_schema != nullptr ? FindTranslatedDiscriminator(*parent_schema) : std::nullopt;
  if (!discriminator || discriminator->property != tokens.back()) {
    return false;
  }
  const std::string allowed = internal::DescribeEnum(discriminator->values);
  if (violation.check_id == "response.schema.required") {
    violation.message = "discriminator property '" + discriminator->property +
                        "' is missing: its value selects the schema, " + allowed;
    violation.expected = "property present, " + allowed;
    violation.actual = "absent";
    return true;
  }
  const Json* actual = ValueAt(instance, violation.pointer);
  const Json& values = discriminator->values;
  if (actual == nullptr || std::find(values.begin(), values.end(), *actual) != values.end()) {
    return false;
  }
  violation.message = "discriminator property '" + discriminator->property + "' is " +
                      internal::DescribeValue(*actual) +
                      ", which selects none of its schemas: expected " + allowed;
  violation.expected = allowed;
  violation.actual = internal::DescribeValue(*actual);
  return true;
}

// A number with a zero fractional part (1.0, 1e2) that fits int64 or uint64: an integer in
// JSON Schema draft 6+ and 2020-12, which nlohmann (and so valijson) types as a float.
// -2^63 itself is excluded: as a double it is also what -9223372036854775809 rounds to.
bool IsIntegralFloat(const Json& value) {
  if (!value.is_number_float()) {
    return false;
  }
  const double v = value.get<double>();
  return std::isfinite(v) && std::trunc(v) == v && v > -9223372036854775808.0 &&
         v < 18446744073709551616.0;
}

bool HoldsIntegralFloat(const Json& value) {
  if (value.is_object() || value.is_array()) {
    return std::any_of(value.begin(), value.end(), [](const Json& member) { return HoldsIntegralFloat(member); });
  }
  return IsIntegralFloat(value);
}

// `value` with every integral float an integer.
Json IntegralFloatsAsIntegers(const Json& value) {
  if (value.is_object()) {
    Json out = Json::object();
    for (const auto& [key, member] : value.items()) {
      out[key] = IntegralFloatsAsIntegers(member);
    }
    return out;
  }
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& member : value) {
      out.push_back(IntegralFloatsAsIntegers(member));
    }
    return out;
  }
  if (!IsIntegralFloat(value)) {
    return value;
  }
  const double v = value.get<double>();
  if (v < 0) {
    return Json(static_cast<int64_t>(v));
  }
  return Json(static_cast<uint64_t>(v));
}

// The names of the "#/definitions/<name>" $refs in `schema`, appended to `out`.
void CollectDefinitionRefs(const Json& schema, std::vector<std::string>& out) {
  if (schema.is_object()) {
    for (const auto& [key, value] : schema.items()) {
      if (key == "$ref" && value.is_string()) {
        const std::string& ref = value.get_ref<const std::string&>();
        if (ref.rfind("#/definitions/", 0) == 0) {
          out.push_back(ref.substr(14));
        }
      } else if (key != "enum" && key != "const" && key != "default") {
        CollectDefinitionRefs(value, out);
      }
    }
  } else if (schema.is_array()) {
    for (const Json& item : schema) {
      CollectDefinitionRefs(item, out);
    }
  }
}

}  // namespace

SchemaValidator::SchemaValidator() = default;
SchemaValidator::~SchemaValidator() = default;

Result<std::shared_ptr<const SchemaValidator>> SchemaValidator::Compile(
    const Json& schema, const Json& definitions, const CompileOptions& options) {
  std::shared_ptr<SchemaValidator> compiled(new SchemaValidator());
  compiled->schema_ = schema;
  compiled->dialect_ = options.dialect;
  // The definitions this schema reaches, and only those: a large spec keeps hundreds of
  // shared schemas there, and each compiled schema would otherwise copy them all.
  Json reached = Json::object();
  if (!definitions.empty()) {
    std::vector<std::string> pending;
    CollectDefinitionRefs(schema, pending);
    while (!pending.empty()) {
      std::string name = std::move(pending.back());
      pending.pop_back();
      auto target = definitions.find(name);
      if (target == definitions.end() || reached.contains(name)) {
        continue;
      }
      // A discriminator in one must still select its branch (callers other than the spec
      // loader give them untranslated).
      reached[name] = TranslateDiscriminators(*target);
      CollectDefinitionRefs(*target, pending);
    }
  }
  const bool recursive = !reached.empty();
  if (recursive && compiled->schema_.is_object()) {
    compiled->schema_["definitions"] = std::move(reached);
  }
  // valijson matches patterns inside alternatives, and patternProperties keys, with std::regex:
  // one that may backtrack exponentially never reaches it (it would hang the run on a short
  // string), and every response is reported as not checked against it.
  compiled->backtracking_pattern_ = BacktrackingPatternForEngine(compiled->schema_, false);
  const Json prepared = PrepareForEngine(compiled->schema_, false, !compiled->backtracking_pattern_);
  auto engine = MakeValijsonEngine(prepared);
  if (!engine) {
    return engine.error();
  }
  compiled->engine_ = *std::move(engine);
  // valijson matches patterns and formats inside alternatives with std::regex, which recurses
  // once per character: a long string would overflow the stack. Such documents go to an
  // engine without them (and are reported as not fully checked).
  if (Json plain = PrepareForEngine(compiled->schema_, false, false); plain != prepared) {
    auto without = MakeValijsonEngine(plain);
    if (!without) {
      return without.error();
    }
    compiled->engine_without_alternative_regexes_ = *std::move(without);
  }
  CollectUncheckedKeywords(compiled->schema_, "", 0, compiled->unchecked_keywords_);
  compiled->plan_ = std::make_unique<Plan>();
  if (recursive) {
    compiled->plan_->definitions = &compiled->schema_["definitions"];
  }
  int root = compiled->plan_->NewNode();
  compiled->plan_->CompileInto(root, compiled->schema_, 0);
  return std::shared_ptr<const SchemaValidator>(std::move(compiled));
}

std::vector<SchemaViolation> SchemaValidator::Validate(const Json& instance,
                                                       const ValidateOptions& options) const {
  std::vector<SchemaViolation> violations;
  const StructuralEngine* engine = engine_.get();
  if (!unchecked_keywords_.empty()) {
    std::string listed;
    for (size_t i = 0; i < unchecked_keywords_.size() && i < 5; ++i) {
      listed += (listed.empty() ? "" : ", ") + unchecked_keywords_[i];
    }
    if (unchecked_keywords_.size() > 5) {
      listed += " and " + std::to_string(unchecked_keywords_.size() - 5) + " more";
    }
    violations.push_back({"response.schema.keyword_unchecked", "",
                          "schema keywords the validation engine (JSON Schema draft 7) cannot check "
                          "were not checked: " + listed,
                          "", ""});
  }
  if (backtracking_pattern_) {
    violations.push_back(
        {"response.schema.pattern_unchecked", "",
         "patterns and formats inside anyOf/oneOf/not, and patternProperties, not checked: the "
         "pattern /" +
             backtracking_pattern_->pattern + "/ among them " + backtracking_pattern_->why,
         "", ""});
  } else if (engine_without_alternative_regexes_ != nullptr) {
    if (std::optional<std::string> pointer = LongStringPointer(instance, "")) {
      engine = engine_without_alternative_regexes_.get();
      violations.push_back(
          {"response.schema.pattern_unchecked", *pointer,
           "patterns and formats inside anyOf/oneOf/not, and patternProperties, not checked for "
           "this response: it holds a string or a property name over the " +
               std::to_string(kMaxRegexSubject) + " bytes the regex engine matches safely",
           "", ""});
    }
  }
  // Only a body holding 1.0 or 1e2 is copied, with those as integers: then `type: integer`
  // and integer formats (int32 range...) judge them as the integers they are. Not in OpenAPI
  // 3.0, where they are numbers.
  std::optional<Json> as_integers;
  if (dialect_ != Dialect::kOpenApi30 && HoldsIntegralFloat(instance)) {
    as_integers = IntegralFloatsAsIntegers(instance);
  }
  const Json& subject = as_integers ? *as_integers : instance;
  engine->Validate(subject, violations);
  PathStack path;
  plan_->Walk(0, subject, path, options, violations);
  // Explain structural violations with what the schema expected and what was there.
  for (SchemaViolation& violation : violations) {
    if (!violation.expected.empty()) {
      continue;
    }
    if ((violation.check_id == "response.schema.required" ||
         violation.check_id == "response.schema.enum" ||
         violation.check_id == "response.schema.constraint") &&
        ExplainDiscriminator(schema_, instance, violation)) {
      continue;
    }
    const Json* schema = SchemaAt(schema_, violation.pointer, instance);
    const Json* actual = ValueAt(instance, violation.pointer);
    if (violation.check_id == "response.schema.required") {
      violation.expected = "property present";
      violation.actual = "absent";
      continue;
    }
    if (actual != nullptr) {
      violation.actual = internal::DescribeValue(*actual);
    }
    if (schema == nullptr) {
      continue;
    }
    if (violation.check_id == "response.schema.type") {
      std::vector<std::string> types = SchemaTypes(*schema);
      std::string joined;
      for (const std::string& type : types) {
        joined += (joined.empty() ? "" : " or ") + type;
      }
      violation.expected = joined;
      if (!joined.empty()) {
        violation.message = "expected " + joined + ", got " + internal::JsonTypeName(actual);
        if (actual != nullptr && actual->is_number_float() &&
            std::find(types.begin(), types.end(), "integer") != types.end()) {
          const double v = actual->get<double>();
          if (dialect_ == Dialect::kOpenApi30 && IsIntegralFloat(*actual)) {
            violation.message += " (" + internal::DescribeValue(*actual) +
                                 " is a number: OpenAPI 3.0 integers have no fraction part)";
          } else if (std::isfinite(v) && std::trunc(v) == v) {
            violation.message += " (a whole number outside the int64 and uint64 range)";
          }
        }
      }
    } else if (violation.check_id == "response.schema.enum" && schema->contains("enum")) {
      violation.expected = internal::DescribeEnum((*schema)["enum"]);
      violation.message = "value is not one of the " + std::to_string((*schema)["enum"].size()) +
                          " declared values";
    }
  }
  std::stable_sort(violations.begin(), violations.end(),
                   [](const SchemaViolation& a, const SchemaViolation& b) { return PointerLess(a.pointer, b.pointer); });
  return violations;
}

std::optional<std::string> PatternError(const std::string& pattern) {
  auto linear = internal::LinearRegex::Compile(pattern);
  if (linear || linear.error().code != ErrorCode::kInvalidArgument) {
    return std::nullopt;  // compiled, or valid syntax the linear engine leaves to std::regex
  }
  try {
    std::regex compiled(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    if (pattern.find("\\p{") != std::string::npos || pattern.find("\\P{") != std::string::npos) {
      return std::nullopt;  // Unicode property escapes: ECMA-262 with `u`, not checked
    }
    return linear.error().message + " (std::regex: " + e.what() + ")";
  }
  return std::nullopt;
}

bool StringMatchesFormat(std::string_view format, std::string_view value) {
  return CheckString(ParseFormat(format), value);
}

bool NumberMatchesFormat(std::string_view format, const Json& value) {
  return !value.is_number() || CheckNumber(ParseFormat(format), value);
}

}  // namespace conform::validator
