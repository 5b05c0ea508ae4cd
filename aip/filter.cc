#include "aip/filter.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

#include "aip/internal/field_path.h"
#include "aip/internal/predicate.h"
#include "aip/internal/text.h"

namespace conform::aip {
namespace {

using internal::PathStep;
using internal::Predicate;
using internal::PredicateKind;
using internal::Quote;
using Json = nlohmann::json;

// kInvalidArgument at a node's column ("" where for nodes built in code).
Error ErrorAtColumn(SourceColumn column, std::string message) {
  if (column.value == 0) {
    return InvalidArgument(std::move(message));
  }
  return internal::ErrorAt(column.value - 1, std::move(message));
}

bool IsOrdering(Comparator comparator) {
  return comparator == Comparator::kLess || comparator == Comparator::kLessEqual ||
         comparator == Comparator::kGreater || comparator == Comparator::kGreaterEqual;
}

std::string Article(FieldType type) {
  return (type == FieldType::kInteger || type == FieldType::kEnum) ? "an " : "a ";
}

std::string DescribeField(const FieldInfo& field) {
  return std::string(FieldTypeName(field.type)) + " field " + Quote(field.path);
}

// A '.'-joined multi-part value (`package = com.google`) read as one word.
Literal JoinParts(const std::vector<Literal>& parts) {
  if (parts.size() == 1) {
    return parts.front();
  }
  Literal joined;
  joined.kind = LiteralKind::kText;
  joined.column = parts.front().column;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) {
      joined.text += '.';
    }
    for (size_t offset : parts[i].wildcards) {
      joined.wildcards.push_back(joined.text.size() + offset);
    }
    joined.text += parts[i].text;
  }
  return joined;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// -?digits[.digits][(e|E)[+-]digits]
bool IsDecimal(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && text[i] == '-') {
    ++i;
  }
  const size_t digits = i;
  while (i < text.size() && IsDigit(text[i])) {
    ++i;
  }
  if (i == digits) {
    return false;
  }
  if (i < text.size() && text[i] == '.') {
    const size_t fraction = ++i;
    while (i < text.size() && IsDigit(text[i])) {
      ++i;
    }
    if (i == fraction) {
      return false;
    }
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
      ++i;
    }
    const size_t exponent = i;
    while (i < text.size() && IsDigit(text[i])) {
      ++i;
    }
    if (i == exponent) {
      return false;
    }
  }
  return i == text.size();
}

// A number literal as int64, uint64 or double; Unset when it is not one or out of range.
// Number (float) fields also take the protobuf JSON spellings NaN, Infinity, -Infinity.
Value NumberFromLiteral(std::string_view text, FieldType type) {
  if (type == FieldType::kNumber) {
    if (text == "NaN") {
      return std::numeric_limits<double>::quiet_NaN();
    }
    if (text == "Infinity") {
      return std::numeric_limits<double>::infinity();
    }
    if (text == "-Infinity") {
      return -std::numeric_limits<double>::infinity();
    }
  }
  if (!IsDecimal(text)) {
    return Unset{};
  }
  const char* first = text.data();
  const char* last = first + text.size();
  if (text.find_first_of(".eE") == std::string_view::npos) {
    int64_t signed_value = 0;
    if (auto [end, error] = std::from_chars(first, last, signed_value);
        error == std::errc() && end == last) {
      return signed_value;
    }
    uint64_t unsigned_value = 0;
    if (auto [end, error] = std::from_chars(first, last, unsigned_value);
        error == std::errc() && end == last) {
      return unsigned_value;
    }
  }
  double value = 0;
  if (auto [end, error] = std::from_chars(first, last, value);
      error == std::errc() && end == last) {
    return value;
  }
  return Unset{};
}

Value BooleanFromLiteral(std::string_view text) {
  if (text == "true") {
    return true;
  }
  if (text == "false") {
    return false;
  }
  return Unset{};
}

// The pieces of `literal` between its wildcards.
std::vector<std::string> SplitPattern(const Literal& literal) {
  std::vector<std::string> pieces;
  size_t start = 0;
  for (size_t offset : literal.wildcards) {
    pieces.push_back(literal.text.substr(start, offset - start));
    start = offset + 1;
  }
  pieces.push_back(literal.text.substr(start));
  return pieces;
}

Result<Value> Convert(const Literal& literal, const FieldInfo& field) {
  const std::string& text = literal.text;
  switch (field.type) {
    case FieldType::kString:
      return Value(text);
    case FieldType::kInteger:
    case FieldType::kNumber: {
      Value number = NumberFromLiteral(text, field.type);
      if (std::holds_alternative<Unset>(number)) {
        return ErrorAtColumn(literal.column, Quote(text) + " is not a number; " +
                                                 DescribeField(field) + " needs one");
      }
      return number;
    }
    case FieldType::kBoolean: {
      Value boolean = BooleanFromLiteral(text);
      if (std::holds_alternative<Unset>(boolean)) {
        return ErrorAtColumn(literal.column, Quote(text) + " is not true or false; " +
                                                 DescribeField(field) + " needs one");
      }
      return boolean;
    }
    case FieldType::kEnum: {
      const auto found = std::find(field.enum_values.begin(), field.enum_values.end(), text);
      if (found == field.enum_values.end()) {
        std::vector<std::string_view> names(field.enum_values.begin(), field.enum_values.end());
        return ErrorAtColumn(literal.column, Quote(text) + " is not a value of " +
                                                 DescribeField(field) +
                                                 internal::Suggestion(text, names));
      }
      return Value(MakeEnumValue(field, text));
    }
    case FieldType::kTimestamp: {
      std::optional<Instant> instant = ParseRfc3339(text);
      if (!instant) {
        return ErrorAtColumn(
            literal.column, Quote(text) + " is not an RFC 3339 timestamp such as " +
                                "\"2023-11-07T05:31:56Z\"; " + DescribeField(field) + " needs one");
      }
      return Value(*instant);
    }
    case FieldType::kDuration: {
      std::optional<Duration> duration = ParseDuration(text);
      if (!duration) {
        return ErrorAtColumn(literal.column, Quote(text) + " is not a duration such as \"3.5s\"; " +
                                                 DescribeField(field) + " needs one");
      }
      return Value(*duration);
    }
    case FieldType::kMessage:
    case FieldType::kMap:
      break;
  }
  return ErrorAtColumn(literal.column, DescribeField(field) + " cannot be compared to a value");
}

// Whether no path from `root` is longer than `limit` nodes; no recursion.
bool TreeHeightWithin(const Node& root, size_t limit) {
  std::vector<std::pair<const Node*, size_t>> stack = {{&root, 1}};
  while (!stack.empty()) {
    auto [node, height] = stack.back();
    stack.pop_back();
    if (height > limit) {
      return false;
    }
    for (const Node& child : node->children) {
      stack.emplace_back(&child, height + 1);
    }
  }
  return true;
}

class Checker {
 public:
  explicit Checker(const FieldCatalog& catalog) : catalog_(catalog) {}

  Result<Predicate> Check(const Node& node) {
    switch (node.kind) {
      case NodeKind::kAnd:
      case NodeKind::kSequence:
      case NodeKind::kOr:
      case NodeKind::kNot: {
        Predicate predicate;
        predicate.kind = node.kind == NodeKind::kOr    ? PredicateKind::kOr
                         : node.kind == NodeKind::kNot ? PredicateKind::kNot
                                                       : PredicateKind::kAnd;
        if (node.children.empty() || (node.kind == NodeKind::kNot && node.children.size() != 1)) {
          return ErrorAtColumn(node.column, "malformed filter tree: operator without operands");
        }
        for (const Node& child : node.children) {
          Result<Predicate> checked = Check(child);
          if (!checked) {
            return checked.error();
          }
          predicate.children.push_back(std::move(*checked));
        }
        return predicate;
      }
      case NodeKind::kRestriction:
        return CheckRestriction(node);
      case NodeKind::kMember:
      case NodeKind::kFunction:
      case NodeKind::kComposite:
        break;
    }
    return ErrorAtColumn(node.column, "malformed filter tree: expected a restriction");
  }

 private:
  Result<Predicate> CheckRestriction(const Node& node) {
    if (node.children.empty()) {
      return ErrorAtColumn(node.column, "malformed filter tree: empty restriction");
    }
    const Node& comparable = node.children.front();
    if (comparable.kind == NodeKind::kFunction) {
      return UnknownFunction(comparable);
    }
    if (comparable.kind != NodeKind::kMember || comparable.parts.empty()) {
      return ErrorAtColumn(comparable.column, "expected a field name");
    }
    const std::vector<Literal>& parts = comparable.parts;
    std::vector<std::string> segments;
    for (const Literal& part : parts) {
      segments.push_back(part.text);
    }
    if (node.comparator == Comparator::kNone || node.children.size() < 2) {
      return BareRestriction(comparable, segments);
    }
    if (parts.front().kind == LiteralKind::kNumber) {
      return ErrorAtColumn(parts.front().column, "expected a field name before " +
                                                     Quote(ComparatorText(node.comparator)) +
                                                     ", found the number " +
                                                     Quote(parts.front().text));
    }
    internal::PathResolution resolution = internal::ResolvePath(catalog_, segments);
    if (!resolution.ok()) {
      Error error = ErrorAtColumn(parts[resolution.failed_segment].column, resolution.error);
      error.reason = resolution.names_no_field ? kUnknownFieldReason : "";
      return error;
    }
    for (size_t i = 0; i < resolution.steps.size(); ++i) {
      const FieldInfo* field = resolution.steps[i].field;
      if (field != nullptr && !field->filterable) {
        return ErrorAtColumn(parts[i].column, "field " + Quote(field->path) + " is not filterable");
      }
    }
    const Node& arg = node.children[1];
    if (arg.kind == NodeKind::kFunction) {
      return UnknownFunction(arg);
    }
    if (arg.kind != NodeKind::kMember || arg.parts.empty()) {
      return ErrorAtColumn(arg.column,
                           "parenthesised values are not supported; compare with one value");
    }
    return Leaf(node, resolution.steps, JoinParts(arg.parts));
  }

  Result<Predicate> Leaf(const Node& node, const std::vector<PathStep>& steps,
                         const Literal& value) {
    const Comparator comparator = node.comparator;
    const PathStep& last = steps.back();
    const FieldInfo* repeated = nullptr;  // the first repeated field on the path
    for (const PathStep& step : steps) {
      if (step.field != nullptr && step.field->repeated) {
        repeated = step.field;
        break;
      }
    }
    if (repeated != nullptr && comparator != Comparator::kHas) {
      return ErrorAtColumn(node.operator_column, "field " + Quote(repeated->path) +
                                                     " is repeated; only ':' is supported" +
                                                     " (e.g. " + Quote(repeated->path + ":value") +
                                                     ")");
    }
    const bool presence =
        comparator == Comparator::kHas && value.text == "*" && value.wildcards.size() == 1;
    const bool leaf_repeated = last.field != nullptr && last.field->repeated;

    Predicate predicate;
    predicate.comparator = comparator == Comparator::kHas ? Comparator::kEqual : comparator;
    for (size_t i = 0; i < steps.size(); ++i) {
      const FieldInfo* field = steps[i].field;
      const bool expand =
          field != nullptr && field->repeated && (i + 1 < steps.size() || !presence);
      predicate.path.push_back({steps[i].key, expand});
      predicate.any_of = predicate.any_of || expand;
    }
    if (last.field == nullptr) {
      predicate.map_value = true;
    } else {
      predicate.field = *last.field;
    }

    if (presence) {
      predicate.kind = PredicateKind::kPresent;
      predicate.whole_repeated = leaf_repeated;
      return predicate;
    }
    if (predicate.map_value) {
      predicate.kind = PredicateKind::kCompare;
      predicate.text = value.text;
      predicate.number = NumberFromLiteral(value.text, FieldType::kNumber);
      predicate.boolean = BooleanFromLiteral(value.text);
      SetPattern(predicate, value);
      return predicate;
    }
    const FieldInfo& field = *last.field;
    if (field.type == FieldType::kMessage) {
      return ErrorAtColumn(node.operator_column, "field " + Quote(field.path) +
                                                     " is a message; only " +
                                                     Quote(field.path + ":*") + " is supported");
    }
    if (field.type == FieldType::kMap) {
      if (comparator != Comparator::kHas) {
        return ErrorAtColumn(node.operator_column, "field " + Quote(field.path) +
                                                       " is a map; use " +
                                                       Quote(field.path + ":key") + " or " +
                                                       Quote(field.path + ".key = value"));
      }
      predicate.kind = PredicateKind::kPresent;
      predicate.path.push_back({value.text, false});
      predicate.map_value = true;
      return predicate;
    }
    if (IsOrdering(comparator) &&
        (field.type == FieldType::kEnum || field.type == FieldType::kBoolean)) {
      return ErrorAtColumn(node.operator_column, "operator " + Quote(ComparatorText(comparator)) +
                                                     " is not defined on " + Article(field.type) +
                                                     DescribeField(field) + "; use = or !=");
    }
    predicate.kind = PredicateKind::kCompare;
    if (field.type == FieldType::kString && SetPattern(predicate, value)) {
      return predicate;
    }
    Result<Value> converted = Convert(value, field);
    if (!converted) {
      return converted.error();
    }
    predicate.value = std::move(*converted);
    return predicate;
  }

  // Uses wildcards of `value` for = and != (':' is already '='). True if it did.
  static bool SetPattern(Predicate& predicate, const Literal& value) {
    const bool equality =
        predicate.comparator == Comparator::kEqual || predicate.comparator == Comparator::kNotEqual;
    if (!equality || value.wildcards.empty()) {
      return false;
    }
    predicate.pattern = SplitPattern(value);
    return true;
  }

  Error BareRestriction(const Node& comparable, const std::vector<std::string>& segments) {
    const Literal& first = comparable.parts.front();
    if (first.kind != LiteralKind::kNumber && internal::ResolvePath(catalog_, segments).ok()) {
      std::string path;
      for (const std::string& segment : segments) {
        path += path.empty() ? segment : "." + segment;
      }
      return ErrorAtColumn(comparable.column,
                           "field " + Quote(path) + " needs a comparator (e.g. " +
                               Quote(path + " = value") + " or " + Quote(path + ":*") + ")");
    }
    std::string message = "bare value " + Quote(first.text) +
                          " is not supported (no global search); compare a field, e.g. " +
                          "'field = value'";
    if (first.text == "and" || first.text == "or" || first.text == "not") {
      message += "; keywords AND, OR, NOT are upper case";
    }
    return ErrorAtColumn(comparable.column, std::move(message));
  }

  static Error UnknownFunction(const Node& function) {
    std::string name;
    for (const Literal& part : function.parts) {
      name += name.empty() ? part.text : "." + part.text;
    }
    return ErrorAtColumn(function.column, "unknown function " + Quote(name) +
                                              " (no filter functions are supported)");
  }

  const FieldCatalog& catalog_;
};

// ----- evaluation -----

bool Apply(Comparator comparator, int order) {
  switch (comparator) {
    case Comparator::kEqual:
    case Comparator::kHas:
      return order == 0;
    case Comparator::kNotEqual:
      return order != 0;
    case Comparator::kLess:
      return order < 0;
    case Comparator::kLessEqual:
      return order <= 0;
    case Comparator::kGreater:
      return order > 0;
    case Comparator::kGreaterEqual:
      return order >= 0;
    case Comparator::kNone:
      break;
  }
  return false;
}

// Glob match where every piece boundary is a '*' (pieces.size() >= 2).
bool MatchesPattern(std::string_view text, const std::vector<std::string>& pieces) {
  const std::string& head = pieces.front();
  const std::string& tail = pieces.back();
  if (text.size() < head.size() + tail.size() || !text.starts_with(head) || !text.ends_with(tail)) {
    return false;
  }
  size_t pos = head.size();
  const size_t end = text.size() - tail.size();
  for (size_t i = 1; i + 1 < pieces.size(); ++i) {
    const std::string_view window = text.substr(pos, end - pos);
    const size_t found = window.find(pieces[i]);
    if (found == std::string_view::npos) {
      return false;
    }
    pos += found + pieces[i].size();
  }
  return true;
}

// Compares a read value with the predicate's operand (`operand`, or the pattern).
bool CompareWith(const Value& actual, const Value& operand, const Predicate& predicate) {
  const Comparator comparator = predicate.comparator;
  if (std::holds_alternative<Unset>(actual)) {
    return comparator == Comparator::kNotEqual;
  }
  if (!predicate.pattern.empty()) {
    const auto* text = std::get_if<std::string>(&actual);
    if (text == nullptr) {
      return comparator == Comparator::kNotEqual;
    }
    const bool matched = MatchesPattern(*text, predicate.pattern);
    return comparator == Comparator::kNotEqual ? !matched : matched;
  }
  if (IsNaN(actual) || IsNaN(operand)) {
    return comparator == Comparator::kNotEqual;
  }
  int order = 0;
  if (IsNumber(actual) && IsNumber(operand)) {
    order = CompareNumbers(actual, operand);
  } else if (actual.index() == operand.index()) {
    order = CompareValues(actual, operand);
  } else {
    return comparator == Comparator::kNotEqual;
  }
  return Apply(comparator, order);
}

bool IsPresent(const Predicate& predicate, const Json* node) {
  if (node == nullptr) {
    return false;
  }
  if (predicate.map_value) {
    return true;
  }
  if (predicate.whole_repeated) {
    return !node->is_array() || !node->empty();
  }
  const FieldInfo& field = predicate.field;
  switch (field.type) {
    case FieldType::kMessage:
      return true;
    case FieldType::kMap:
      return !node->is_object() || !node->empty();
    default: {
      const Value value = ReadValue(node, field);
      if (std::holds_alternative<Unset>(value)) {
        return false;
      }
      return CompareValues(value, ReadValue(nullptr, field)) != 0;
    }
  }
}

bool TestMapValue(const Predicate& predicate, const Json* node) {
  if (node == nullptr) {
    return predicate.comparator == Comparator::kNotEqual;
  }
  FieldInfo as;
  if (node->is_string()) {
    return CompareWith(Value(node->get<std::string>()), Value(predicate.text), predicate);
  }
  Predicate scalar;  // map values other than strings take no wildcards
  scalar.comparator = predicate.comparator;
  if (node->is_number()) {
    as.type = FieldType::kNumber;
    return CompareWith(ReadValue(node, as), predicate.number, scalar);
  }
  if (node->is_boolean()) {
    as.type = FieldType::kBoolean;
    return CompareWith(ReadValue(node, as), predicate.boolean, scalar);
  }
  return predicate.comparator == Comparator::kNotEqual;
}

bool TestLeaf(const Predicate& predicate, const Json* node) {
  if (predicate.kind == PredicateKind::kPresent) {
    return IsPresent(predicate, node);
  }
  if (predicate.map_value) {
    return TestMapValue(predicate, node);
  }
  return CompareWith(ReadValue(node, predicate.field), predicate.value, predicate);
}

// The values a leaf's path reaches in `resource`; nullptr stands for an absent value (read
// with proto3 defaults). A path through a repeated field reaches each element.
std::vector<const Json*> LeafNodes(const Predicate& predicate, const Json& resource) {
  std::vector<const Json*> nodes = {&resource};
  std::vector<const Json*> next;
  for (const internal::PathSegment& segment : predicate.path) {
    next.clear();
    for (const Json* node : nodes) {
      const Json* child = nullptr;
      if (node != nullptr && node->is_object()) {
        auto found = node->find(segment.key);
        if (found != node->end() && !found->is_null()) {
          child = &*found;
        }
      }
      if (!segment.expand) {
        next.push_back(child);
      } else if (child != nullptr && child->is_array()) {
        for (const Json& element : *child) {
          next.push_back(element.is_null() ? nullptr : &element);
        }
      } else if (child != nullptr) {
        next.push_back(child);
      }
    }
    nodes.swap(next);
  }
  return nodes;
}

// How a two-valued reading takes a field the resource does not have (absent, null, or below an
// absent message): as its proto3 default; as unset, which only `!=` holds for; or as AIP-160's
// "skipped, even when the comparison is a !=" read at the comparison, which is then false
// whatever its operator and which NOT turns true.
enum class Absent { kDefault, kUnset, kSkipped };

bool Evaluate(const Predicate& predicate, const Json& resource, Absent absent = Absent::kDefault) {
  switch (predicate.kind) {
    case PredicateKind::kAnd:
      return std::all_of(predicate.children.begin(), predicate.children.end(),
                         [&](const Predicate& child) { return Evaluate(child, resource, absent); });
    case PredicateKind::kOr:
      return std::any_of(predicate.children.begin(), predicate.children.end(),
                         [&](const Predicate& child) { return Evaluate(child, resource, absent); });
    case PredicateKind::kNot:
      return !Evaluate(predicate.children.front(), resource, absent);
    case PredicateKind::kCompare:
    case PredicateKind::kPresent:
      break;
  }
  std::vector<const Json*> nodes = LeafNodes(predicate, resource);
  return std::any_of(nodes.begin(), nodes.end(), [&](const Json* node) {
    if (node == nullptr && absent != Absent::kDefault &&
        predicate.kind == PredicateKind::kCompare && !predicate.map_value) {
      return absent == Absent::kUnset && predicate.comparator == Comparator::kNotEqual;
    }
    return TestLeaf(predicate, node);
  });
}

// Three-valued logic as SQL has it: comparing a value the resource does not set (absent, null,
// below an absent message, or of the wrong type) is unknown, NOT unknown is unknown, AND and
// OR as Kleene's. AIP-160 skips a resource whose traversal meets an unset message "even when
// the comparison is a !=", which is what unknown does.
enum class Truth { kFalse, kUnknown, kTrue };

Truth EvaluateWithUnknowns(const Predicate& predicate, const Json& resource) {
  switch (predicate.kind) {
    case PredicateKind::kAnd:
    case PredicateKind::kOr: {
      const bool is_and = predicate.kind == PredicateKind::kAnd;
      Truth result = is_and ? Truth::kTrue : Truth::kFalse;
      for (const Predicate& child : predicate.children) {
        Truth t = EvaluateWithUnknowns(child, resource);
        result = is_and ? std::min(result, t) : std::max(result, t);
      }
      return result;
    }
    case PredicateKind::kNot: {
      Truth t = EvaluateWithUnknowns(predicate.children.front(), resource);
      return t == Truth::kUnknown ? t : (t == Truth::kTrue ? Truth::kFalse : Truth::kTrue);
    }
    case PredicateKind::kCompare:
    case PredicateKind::kPresent:
      break;
  }
  Truth result = Truth::kFalse;
  for (const Json* node : LeafNodes(predicate, resource)) {
    bool unknown =
        predicate.kind == PredicateKind::kCompare && !predicate.map_value &&
        (node == nullptr || std::holds_alternative<Unset>(ReadValue(node, predicate.field)));
    result = std::max(result, unknown ? Truth::kUnknown
                                      : (TestLeaf(predicate, node) ? Truth::kTrue : Truth::kFalse));
  }
  return result;
}

// Turns every `!=` with wildcards in `predicate` into a comparison with the literal text (each
// '*' a star). True if there was one.
bool ReadStarsLiterallyInNotEqual(Predicate& predicate) {
  bool changed = false;
  for (Predicate& child : predicate.children) {
    changed = ReadStarsLiterallyInNotEqual(child) || changed;
  }
  if (predicate.kind != PredicateKind::kCompare || predicate.comparator != Comparator::kNotEqual ||
      predicate.pattern.empty()) {
    return changed;
  }
  std::string literal;
  for (size_t i = 0; i < predicate.pattern.size(); ++i) {
    literal += (i == 0 ? "" : "*") + predicate.pattern[i];
  }
  predicate.pattern.clear();
  if (predicate.map_value) {
    predicate.text = std::move(literal);
  } else {
    predicate.value = Value(std::move(literal));
  }
  return true;
}

}  // namespace

Filter::Filter() = default;

Result<Filter> ParseFilter(std::string_view text, const FieldCatalog& catalog,
                           const FilterOptions& options) {
  Result<FilterSyntax> syntax = ParseFilterSyntax(text, options);
  if (!syntax) {
    return syntax.error();
  }
  return CheckFilter(std::move(*syntax), catalog, options);
}

Result<Filter> CheckFilter(FilterSyntax syntax, const FieldCatalog& catalog,
                           const FilterOptions& options) {
  Filter filter;
  if (!syntax.root) {
    return filter;
  }
  // Parsed trees are at most ~5 nodes high per nesting level; built trees are held to that.
  const size_t max_height = 6 * (static_cast<size_t>(std::max(options.max_depth, 0)) + 2);
  if (!TreeHeightWithin(*syntax.root, max_height)) {
    return ErrorAtColumn(syntax.root->column,
                         "filter tree is more than " + std::to_string(max_height) + " levels deep");
  }
  Result<Predicate> predicate = Checker(catalog).Check(*syntax.root);
  if (!predicate) {
    return predicate.error();
  }
  filter.syntax_ = std::move(syntax);
  Predicate literal = *predicate;
  if (ReadStarsLiterallyInNotEqual(literal)) {
    filter.literal_not_equal_ = std::make_shared<const Predicate>(std::move(literal));
  }
  filter.predicate_ = std::make_shared<const Predicate>(std::move(*predicate));
  return filter;
}

bool Matches(const Filter& filter, const Json& resource) {
  if (!filter.predicate_) {
    return true;
  }
  return Evaluate(*filter.predicate_, resource);
}

std::optional<bool> MatchesUnambiguously(const Filter& filter, const Json& resource) {
  if (!filter.predicate_) {
    return true;
  }
  const bool matches = Evaluate(*filter.predicate_, resource);
  // The readings other than the default one, which `matches` is for the filter as written.
  auto others_agree = [&](const Predicate& predicate) {
    return (EvaluateWithUnknowns(predicate, resource) == Truth::kTrue) == matches &&
           Evaluate(predicate, resource, Absent::kUnset) == matches &&
           Evaluate(predicate, resource, Absent::kSkipped) == matches;
  };
  const Predicate* literal = filter.literal_not_equal_.get();
  const bool unambiguous =
      others_agree(*filter.predicate_) &&
      (literal == nullptr || (Evaluate(*literal, resource) == matches && others_agree(*literal)));
  return unambiguous ? std::optional<bool>(matches) : std::nullopt;
}

std::string Print(const Filter& filter) { return Print(filter.syntax()); }

std::optional<Literal> ToLiteral(const Value& value) {
  return std::visit(
      [](const auto& v) -> std::optional<Literal> {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, Unset>) {
          return std::nullopt;
        } else if constexpr (std::is_same_v<T, std::string>) {
          return StringLiteral(v);
        } else if constexpr (std::is_same_v<T, bool>) {
          return TextLiteral(v ? "true" : "false");
        } else if constexpr (std::is_same_v<T, int64_t>) {
          return IntegerLiteral(v);
        } else if constexpr (std::is_same_v<T, uint64_t>) {
          Literal literal;
          literal.kind = LiteralKind::kNumber;
          literal.text = std::to_string(v);
          return literal;
        } else if constexpr (std::is_same_v<T, double>) {
          return FloatLiteral(v);
        } else if constexpr (std::is_same_v<T, EnumValue>) {
          return TextLiteral(v.name);
        } else if constexpr (std::is_same_v<T, Instant>) {
          return StringLiteral(FormatRfc3339(v));
        } else {
          return StringLiteral(FormatDuration(v));
        }
      },
      value);
}

}  // namespace conform::aip
