#include "fuzz/generators.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include "aip/filter.h"
#include "aip/order_by.h"
#include "aip/read_mask.h"
#include "aip/time.h"
#include "traffic/redact.h"

namespace conform::fuzz {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kUnknownField = "conformNoSuchField";

bool IsSecretPath(std::string_view path) {
  size_t dot = path.rfind('.');
  return traffic::IsSecretJsonKey(dot == std::string_view::npos ? path : path.substr(dot + 1));
}

// Whether a proper prefix of `path` is a repeated field or a map: paths below those are not
// plain fields for filters, orderBy or masks.
bool BelowRepeatedOrMap(const aip::FieldCatalog& catalog, std::string_view path) {
  for (size_t dot = path.find('.'); dot != std::string_view::npos; dot = path.find('.', dot + 1)) {
    const aip::FieldInfo* parent = catalog.Find(path.substr(0, dot));
    if (parent != nullptr && (parent->repeated || parent->type == aip::FieldType::kMap)) {
      return true;
    }
  }
  return false;
}

bool IsScalar(aip::FieldType type) {
  return type != aip::FieldType::kMessage && type != aip::FieldType::kMap;
}

// The longest prefix of `text` of at most `bytes` bytes that ends on a UTF-8 boundary.
std::string Utf8Prefix(const std::string& text, size_t bytes) {
  size_t end = std::min(bytes, text.size());
  while (end > 0 && end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return text.substr(0, end);
}

// The suffix of `text` starting at or after byte `from`, on a UTF-8 boundary.
std::string Utf8Suffix(const std::string& text, size_t from) {
  size_t start = std::min(from, text.size());
  while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
    ++start;
  }
  return text.substr(start);
}

const aip::Comparator kComparators[] = {aip::Comparator::kEqual,   aip::Comparator::kNotEqual,
                                        aip::Comparator::kLess,    aip::Comparator::kLessEqual,
                                        aip::Comparator::kGreater, aip::Comparator::kGreaterEqual};

// '=' first (the simplest shrink), then '!=', then the orderings.
aip::Comparator GenComparator() { return kComparators[*WeightedPick({4, 3, 1, 1, 1, 1})]; }

template <typename T>
std::vector<T> SeenOf(const FieldValues& values) {
  std::vector<T> out;
  for (const aip::Value& value : values.seen) {
    if (const T* typed = std::get_if<T>(&value)) {
      out.push_back(*typed);
    }
  }
  return out;
}

aip::Instant AddNanos(aip::Instant instant, int64_t nanos) {
  int64_t total = instant.nanos + nanos % 1'000'000'000;
  instant.seconds += nanos / 1'000'000'000 + total / 1'000'000'000;
  total %= 1'000'000'000;
  if (total < 0) {
    total += 1'000'000'000;
    instant.seconds -= 1;
  }
  instant.nanos = static_cast<int32_t>(total);
  return instant;
}

aip::Node GenEnumRestriction(const FieldValues& values) {
  std::vector<std::string> names;
  for (const aip::EnumValue& seen : SeenOf<aip::EnumValue>(values)) {
    if (seen.index >= 0) {
      names.push_back(seen.name);  // declared values only: others do not type-check
    }
  }
  const std::vector<std::string>& schema = values.field.enum_values;
  const std::vector<std::string>& pool =
      names.empty() || (!schema.empty() && *Pick(3) == 0) ? schema : names;
  if (pool.empty()) {
    return aip::MakePresence(values.field.path);
  }
  std::string name = pool[*Pick(pool.size())];
  aip::Comparator comparator = *WeightedPick({4, 3, 1}) == 2 ? aip::Comparator::kHas
                               : *Pick(2) == 0               ? aip::Comparator::kEqual
                                                             : aip::Comparator::kNotEqual;
  aip::Literal literal = *Pick(4) == 0 ? aip::StringLiteral(name) : aip::TextLiteral(name);
  return aip::MakeRestriction(values.field.path, comparator, std::move(literal));
}

aip::Node GenStringRestriction(const FieldValues& values) {
  std::vector<std::string> seen = SeenOf<std::string>(values);
  if (seen.empty()) {
    seen.push_back("x");
  }
  const std::string& text = seen[*Pick(seen.size())];
  const std::string& path = values.field.path;
  switch (*WeightedPick({4, 2, 3, 1, 1, 2, 1})) {
    case 0:
      return aip::MakeRestriction(path, aip::Comparator::kEqual, aip::StringLiteral(text));
    case 1:
      return aip::MakeRestriction(path, aip::Comparator::kNotEqual, aip::StringLiteral(text));
    case 2: {  // "prefix*"
      std::string prefix =
          Utf8Prefix(text, static_cast<size_t>(*Uniform(0, static_cast<int64_t>(text.size()))));
      aip::Comparator comparator =
          *Pick(3) == 0 ? aip::Comparator::kNotEqual : aip::Comparator::kEqual;
      return aip::MakeRestriction(path, comparator, aip::PatternLiteral(prefix + "*"));
    }
    case 3: {  // "*suffix"
      std::string suffix =
          Utf8Suffix(text, static_cast<size_t>(*Uniform(0, static_cast<int64_t>(text.size()))));
      return aip::MakeRestriction(path, aip::Comparator::kEqual, aip::PatternLiteral("*" + suffix));
    }
    case 4: {  // "a*b"
      size_t cut = static_cast<size_t>(*Uniform(0, static_cast<int64_t>(text.size())));
      std::string head = Utf8Prefix(text, cut / 2);
      std::string tail = Utf8Suffix(text, cut);
      return aip::MakeRestriction(path, aip::Comparator::kEqual,
                                  aip::PatternLiteral(head + "*" + tail));
    }
    case 5:
      return aip::MakeRestriction(path, GenComparator(), aip::StringLiteral(text));
    default:
      return aip::MakePresence(path);
  }
}

aip::Node GenIntegerRestriction(const FieldValues& values) {
  std::vector<int64_t> seen = SeenOf<int64_t>(values);
  for (uint64_t value : SeenOf<uint64_t>(values)) {
    if (value <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      seen.push_back(static_cast<int64_t>(value));
    }
  }
  const std::vector<int64_t> edges = {0, -1, 1, std::numeric_limits<int32_t>::min(),
                                      std::numeric_limits<int32_t>::max()};
  int64_t value = 0;
  switch (seen.empty() ? 1 : *WeightedPick({4, 1, 1})) {
    case 0:
      value = seen[*Pick(seen.size())];
      break;
    case 1:
      value = edges[*Pick(edges.size())];
      break;
    default: {
      int64_t base = seen[*Pick(seen.size())];
      if (base > std::numeric_limits<int64_t>::min() + 1 &&
          base < std::numeric_limits<int64_t>::max() - 1) {
        value = base + (*Pick(2) == 0 ? 1 : -1);
      } else {
        value = base;
      }
    }
  }
  if (*Pick(10) == 0) {
    return aip::MakePresence(values.field.path);
  }
  return aip::MakeRestriction(values.field.path, GenComparator(), aip::IntegerLiteral(value));
}

aip::Node GenNumberRestriction(const FieldValues& values) {
  std::vector<double> seen = SeenOf<double>(values);
  for (int64_t value : SeenOf<int64_t>(values)) {
    seen.push_back(static_cast<double>(value));
  }
  if (seen.empty() || *Pick(6) == 0) {
    return aip::MakeRestriction(values.field.path, GenComparator(), aip::IntegerLiteral(0));
  }
  return aip::MakeRestriction(values.field.path, GenComparator(),
                              aip::FloatLiteral(seen[*Pick(seen.size())]));
}

aip::Node GenTimestampRestriction(const FieldValues& values) {
  const std::string& path = values.field.path;
  switch (*WeightedPick({8, 1, 1})) {
    case 1:
      return aip::MakePresence(path);
    case 2:
      return aip::MakeNot(aip::MakePresence(path));
    default:
      break;
  }
  std::vector<aip::Instant> seen = SeenOf<aip::Instant>(values);
  if (seen.empty()) {
    seen.push_back(*aip::ParseRfc3339("2024-01-01T00:00:00Z"));
  }
  const int64_t second = 1'000'000'000;
  const std::vector<int64_t> deltas = {0,          second,        -second,        1'000'000,
                                       -1'000'000, 3600 * second, -86400 * second};
  // The same instant at other UTC offsets: equal instants, different text (AIP-160).
  const std::vector<int> offsets = {0, 5 * 60 + 30, -12 * 60, 14 * 60, -(3 * 60 + 45), 60};
  aip::Instant instant =
      AddNanos(seen[*Pick(seen.size())], deltas[*WeightedPick({4, 1, 1, 1, 1, 1, 1})]);
  std::string text = aip::FormatRfc3339(instant, offsets[*WeightedPick({2, 3, 1, 1, 1, 1})]);
  aip::Comparator comparator = kComparators[*WeightedPick({5, 1, 1, 1, 1, 1})];
  return aip::MakeRestriction(path, comparator, aip::StringLiteral(text));
}

aip::Node GenDurationRestriction(const FieldValues& values) {
  std::vector<aip::Duration> seen = SeenOf<aip::Duration>(values);
  aip::Duration duration = seen.empty() ? aip::Duration{1, 500'000'000} : seen[*Pick(seen.size())];
  return aip::MakeRestriction(values.field.path, GenComparator(),
                              aip::StringLiteral(aip::FormatDuration(duration)));
}

rc::Gen<aip::Node> GenRestriction(const DataProfile& profile) {
  return rc::gen::exec([&profile]() -> aip::Node {
    if (profile.filterable.empty()) {
      RC_DISCARD("the resource has no filterable field");
    }
    // A type first, then a field of it: the few timestamp or boolean fields of a resource get
    // as many restrictions as its many strings, so a type-specific bug shows up early.
    std::vector<aip::FieldType> types;
    for (const FieldValues& candidate : profile.filterable) {
      if (std::find(types.begin(), types.end(), candidate.field.type) == types.end()) {
        types.push_back(candidate.field.type);
      }
    }
    const aip::FieldType type = types[*Pick(types.size())];
    std::vector<const FieldValues*> of_type;
    for (const FieldValues& candidate : profile.filterable) {
      if (candidate.field.type == type) {
        of_type.push_back(&candidate);
      }
    }
    const FieldValues& values = *of_type[*Pick(of_type.size())];
    switch (values.field.type) {
      case aip::FieldType::kEnum:
        return GenEnumRestriction(values);
      case aip::FieldType::kBoolean:
        return aip::MakeRestriction(
            values.field.path, *Pick(2) == 0 ? aip::Comparator::kEqual : aip::Comparator::kNotEqual,
            aip::TextLiteral(*Pick(2) == 0 ? "true" : "false"));
      case aip::FieldType::kString:
        return GenStringRestriction(values);
      case aip::FieldType::kInteger:
        return GenIntegerRestriction(values);
      case aip::FieldType::kNumber:
        return GenNumberRestriction(values);
      case aip::FieldType::kTimestamp:
        return GenTimestampRestriction(values);
      case aip::FieldType::kDuration:
        return GenDurationRestriction(values);
      case aip::FieldType::kMessage:
      case aip::FieldType::kMap:
        return aip::MakePresence(values.field.path);
    }
    return aip::MakePresence(values.field.path);
  });
}

rc::Gen<aip::Node> GenNode(const DataProfile& profile, int depth) {
  return rc::gen::exec([&profile, depth]() -> aip::Node {
    // restriction, AND, OR, NOT, implicit AND, and `a AND (b OR c)` (AIP-160 precedence)
    size_t kind = depth <= 0 ? 0 : *WeightedPick({6, 2, 2, 1, 1, 2});
    switch (kind) {
      case 0:
        return *GenRestriction(profile);
      case 3: {
        aip::Node operand = *GenNode(profile, depth - 1);
        if (operand.kind == aip::NodeKind::kNot) {
          return operand;  // NOT NOT a says nothing new
        }
        return aip::MakeNot(std::move(operand),
                            *Pick(2) == 0 ? aip::NotStyle::kNot : aip::NotStyle::kMinus);
      }
      case 5:
        return aip::MakeAnd({*GenRestriction(profile),
                             aip::MakeOr({*GenRestriction(profile), *GenRestriction(profile)})});
      default: {
        size_t count = 2 + *Pick(2);
        std::vector<aip::Node> operands;
        for (size_t i = 0; i < count; ++i) {
          operands.push_back(*GenNode(profile, depth - 1));
        }
        if (kind == 1) {
          return aip::MakeAnd(std::move(operands));
        }
        if (kind == 2) {
          return aip::MakeOr(std::move(operands));
        }
        return aip::MakeSequence(std::move(operands));
      }
    }
  });
}


bool SameTree(const std::string& text, const aip::Node& root) {
  Result<aip::FilterSyntax> parsed = aip::ParseFilterSyntax(text);
  return parsed.ok() && *parsed == aip::FilterSyntax{root};
}

// Blanks doubled outside quoted strings, and one after '(' and before ')'.
std::string Spaced(const std::string& text) {
  std::string out;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote != 0) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      out += c;
    } else if (c == ' ') {
      out += "  ";
    } else if (c == '(') {
      out += "( ";
    } else if (c == ')') {
      out += " )";
    } else {
      out += c;
    }
  }
  return "  " + out + " ";
}

void SwapNotStyle(aip::Node& node) {
  if (node.kind == aip::NodeKind::kNot) {
    node.not_style =
        node.not_style == aip::NotStyle::kNot ? aip::NotStyle::kMinus : aip::NotStyle::kNot;
  }
  for (aip::Node& child : node.children) {
    SwapNotStyle(child);
  }
}

bool HasNot(const aip::Node& node) {
  return node.kind == aip::NodeKind::kNot ||
         std::any_of(node.children.begin(), node.children.end(),
                     [](const aip::Node& child) { return HasNot(child); });
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    out += (i == 0 ? "" : std::string(separator)) + parts[i];
  }
  return out;
}

const std::string kBase64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

}  // namespace

rc::Seq<aip::Node> SmallerFilters(const aip::Node& node) {
  switch (node.kind) {
    case aip::NodeKind::kAnd:
    case aip::NodeKind::kOr:
    case aip::NodeKind::kSequence: {
      rc::Seq<aip::Node> each = rc::seq::fromContainer(node.children);
      if (node.children.size() < 3) {
        return each;
      }
      std::vector<aip::Node> fewer;
      for (size_t i = 0; i < node.children.size(); ++i) {
        aip::Node without = node;
        without.children.erase(without.children.begin() + static_cast<std::ptrdiff_t>(i));
        fewer.push_back(std::move(without));
      }
      return rc::seq::concat(std::move(each), rc::seq::fromContainer(std::move(fewer)));
    }
    case aip::NodeKind::kNot:
      return rc::seq::fromContainer(node.children);
    default:
      return rc::Seq<aip::Node>();
  }
}

DataProfile BuildDataProfile(const aip::FieldCatalog& catalog,
                             const std::vector<const nlohmann::json*>& items, PageSizeRules rules) {
  DataProfile profile;
  profile.catalog = catalog;
  profile.page_sizes = rules;
  profile.items = items.size();
  for (const aip::FieldInfo& field : catalog.fields()) {
    if (IsSecretPath(field.path) || BelowRepeatedOrMap(catalog, field.path)) {
      continue;
    }
    profile.mask_paths.push_back(field.path);
    if (field.type == aip::FieldType::kMessage && !field.repeated) {
      profile.message_paths.push_back(field.path);
    }
    if (field.sortable && !field.repeated && IsScalar(field.type)) {
      profile.sortable.push_back(field.path);
    }
    if (!field.filterable || field.repeated || field.type == aip::FieldType::kMap) {
      continue;
    }
    FieldValues values{.field = field, .seen = {}};
    std::set<std::string> distinct;
    for (const Json* item : items) {
      if (values.seen.size() >= kMaxSeenValues) {
        break;
      }
      const Json* node = aip::FindPath(*item, field.path);
      if (node == nullptr || field.type == aip::FieldType::kMessage) {
        continue;
      }
      aip::Value value = aip::ReadValue(node, field);
      if (std::holds_alternative<aip::Unset>(value) || aip::IsNaN(value)) {
        continue;
      }
      if (distinct.insert(aip::DescribeValue(value)).second) {
        values.seen.push_back(std::move(value));
      }
    }
    profile.filterable.push_back(std::move(values));
  }
  return profile;
}

rc::Gen<size_t> Pick(size_t n) {
  return [n](const rc::Random& random, int /*size*/) {
    size_t index = n == 0 ? 0 : static_cast<size_t>(rc::Random(random).next() % n);
    return rc::shrinkable::shrinkRecur(index,
                                       [](size_t x) { return rc::shrink::towards<size_t>(x, 0); });
  };
}

rc::Gen<size_t> WeightedPick(std::vector<size_t> weights) {
  return [weights = std::move(weights)](const rc::Random& random, int /*size*/) {
    size_t sum = 0;
    for (size_t weight : weights) {
      sum += weight;
    }
    size_t roll = sum == 0 ? 0 : static_cast<size_t>(rc::Random(random).next() % sum);
    size_t index = 0;
    while (index + 1 < weights.size() && roll >= weights[index]) {
      roll -= weights[index];
      ++index;
    }
    return rc::shrinkable::shrinkRecur(index,
                                       [](size_t x) { return rc::shrink::towards<size_t>(x, 0); });
  };
}

rc::Gen<int64_t> Uniform(int64_t low, int64_t high) {
  return [low, high](const rc::Random& random, int /*size*/) {
    uint64_t span = static_cast<uint64_t>(high) - static_cast<uint64_t>(low) + 1;
    uint64_t roll = rc::Random(random).next();
    int64_t value =
        span == 0 ? static_cast<int64_t>(roll) : low + static_cast<int64_t>(roll % span);
    return rc::shrinkable::shrinkRecur(
        value, [low](int64_t x) { return rc::shrink::towards<int64_t>(x, low); });
  };
}

std::optional<std::string> PrintWithoutOptionalParentheses(const aip::Node& node) {
  if (node.kind != aip::NodeKind::kAnd && node.kind != aip::NodeKind::kSequence) {
    return std::nullopt;
  }
  bool changed = false;
  std::vector<std::string> parts;
  for (const aip::Node& child : node.children) {
    if (child.kind == aip::NodeKind::kOr) {
      changed = true;  // OR binds tighter than AND and than the implicit AND
      parts.push_back(aip::Print(child));
    } else if (node.kind == aip::NodeKind::kSequence && child.kind == aip::NodeKind::kAnd) {
      parts.push_back("(" + aip::Print(child) + ")");
    } else {
      parts.push_back(aip::Print(child));
    }
  }
  if (!changed) {
    return std::nullopt;
  }
  return Join(parts, node.kind == aip::NodeKind::kAnd ? " AND " : " ");
}

rc::Gen<FilterCase> GenFilter(const DataProfile& profile) {
  return rc::gen::exec([&profile] {
    aip::Node root = *rc::gen::shrink(GenNode(profile, 2), &SmallerFilters);
    FilterCase out;
    out.canonical = aip::Print(root);
    out.text = out.canonical;
    out.spelling = "canonical";
    switch (*WeightedPick({3, 4, 1, 1})) {
      case 1:
        if (std::optional<std::string> minimal = PrintWithoutOptionalParentheses(root);
            minimal && SameTree(*minimal, root)) {
          out.text = *minimal;
          out.spelling = "minimal parentheses";
        }
        break;
      case 2:
        if (std::string spaced = Spaced(out.canonical); SameTree(spaced, root)) {
          out.text = spaced;
          out.spelling = "spaced";
        }
        break;
      case 3:
        if (HasNot(root)) {
          aip::Node swapped = root;
          SwapNotStyle(swapped);
          std::string text = aip::Print(swapped);
          if (SameTree(text, swapped)) {
            out.text = text;
            out.spelling = "minus for NOT";
          }
        }
        break;
      default:
        break;
    }
    return out;
  });
}

rc::Gen<InvalidInput> GenInvalidFilter(const DataProfile& profile) {
  return rc::gen::exec([&profile] {
    std::string valid =
        profile.filterable.empty() ? std::string() : aip::Print(*GenNode(profile, 1));
    std::string field =
        profile.filterable.empty() ? std::string("name") : profile.filterable.front().field.path;
    InvalidInput bad;
    switch (*Pick(3)) {
      case 0: {  // syntax
        std::string operand = valid.empty() ? field + " = \"x\"" : valid;
        switch (*Pick(6)) {
          case 0:
            bad = {operand + " AND", "a dangling AND"};
            break;
          case 1:
            bad = {"(" + operand, "an unbalanced parenthesis"};
            break;
          case 2:
            bad = {field + " = (", "a value that opens a parenthesis"};
            break;
          case 3:
            bad = {field + " = \"unterminated", "an unterminated string"};
            break;
          case 4:
            bad = {"= \"x\"", "a comparison without a field"};
            break;
          default:
            bad = {operand + " OR", "a dangling OR"};
            break;
        }
        break;
      }
      case 1: {  // unknown field
        std::string unknown = std::string(kUnknownField);
        std::string what = "an unknown field";
        if (!profile.message_paths.empty() && *Pick(2) == 1) {
          unknown = profile.message_paths[*Pick(profile.message_paths.size())] + "." +
                    std::string(kUnknownField);
          what = "an unknown nested field";
        }
        std::string restriction = unknown + " = 1";
        bad = {valid.empty() || *Pick(2) == 0 ? restriction : valid + " AND " + restriction, what};
        break;
      }
      default: {  // type error
        std::vector<InvalidInput> candidates;
        for (const FieldValues& values : profile.filterable) {
          const std::string& path = values.field.path;
          switch (values.field.type) {
            case aip::FieldType::kInteger:
            case aip::FieldType::kNumber:
              candidates.push_back({path + " = \"not-a-number\"", "a string for a number field"});
              break;
            case aip::FieldType::kEnum:
              // Not `state < X`: AIP-160 says a service "should not" order enums, so one that
              // does breaks a should, not the must that 400 is held to.
              candidates.push_back({path + " = CONFORM_NO_SUCH_VALUE", "a value outside the enum"});
              break;
            case aip::FieldType::kTimestamp:
              candidates.push_back({path + " > \"yesterday\"", "a timestamp that is not RFC 3339"});
              break;
            case aip::FieldType::kBoolean:
              candidates.push_back({path + " = maybe", "a word for a boolean field"});
              break;
            case aip::FieldType::kMessage:
              candidates.push_back({path + " = 3", "a comparison on a message"});
              break;
            default:
              break;
          }
        }
        if (candidates.empty()) {
          bad = {std::string(kUnknownField) + " = 1", "an unknown field"};
          break;
        }
        bad = candidates[*Pick(candidates.size())];
        if (!valid.empty() && *Pick(2) == 1) {
          bad.text = valid + " AND " + bad.text;
        }
        break;
      }
    }
    if (aip::ParseFilter(bad.text, profile.catalog).ok()) {
      bad = {std::string(kUnknownField) + " = 1", "an unknown field"};
    }
    return bad;
  });
}

rc::Gen<std::string> GenOrderBy(const DataProfile& profile) {
  return rc::gen::exec([&profile] {
    if (profile.sortable.empty()) {
      RC_DISCARD("the resource has no sortable field");
    }
    // (field, direction) pairs; a field named twice keeps its first key.
    auto key = rc::gen::exec([&profile] {
      return std::make_pair(*Pick(profile.sortable.size()), *WeightedPick({3, 3, 1}));
    });
    std::vector<std::pair<size_t, size_t>> keys = *SomeOf(key, 3);
    std::set<size_t> used;
    std::vector<std::string> items;
    for (const auto& [field, direction] : keys) {
      if (!used.insert(field).second) {
        continue;
      }
      const char* suffixes[] = {"", " desc", " asc"};
      items.push_back(profile.sortable[field] + suffixes[direction]);
    }
    std::string text;
    switch (*WeightedPick({3, 1, 1})) {
      case 1:
        text = Join(items, ", ");
        break;
      case 2: {
        for (size_t i = 0; i < items.size(); ++i) {
          std::string item = items[i];
          if (size_t space = item.find(' '); space != std::string::npos) {
            item.replace(space, 1, "   ");
          }
          text += (i == 0 ? "  " : " ,  ") + item;
        }
        text += " ";
        break;
      }
      default:
        text = Join(items, ",");
        break;
    }
    if (!aip::ParseOrderBy(text, profile.catalog).ok()) {
      return profile.sortable.front();
    }
    return text;
  });
}

rc::Gen<InvalidInput> GenInvalidOrderBy(const DataProfile& profile) {
  return rc::gen::exec([&profile] {
    std::string field = profile.sortable.empty() ? std::string("name")
                                                 : profile.sortable[*Pick(profile.sortable.size())];
    InvalidInput bad;
    switch (*Pick(4)) {
      case 1:
        bad = {field + "," + std::string(kUnknownField) + " desc",
               "an unknown field after a valid one"};
        break;
      case 2:
        bad = {field + " descending", "an unknown direction"};
        break;
      case 3:
        if (!profile.message_paths.empty()) {
          bad = {profile.message_paths[*Pick(profile.message_paths.size())] + "." +
                     std::string(kUnknownField),
                 "an unknown nested field"};
          break;
        }
        [[fallthrough]];
      default:
        bad = {std::string(kUnknownField), "an unknown field"};
        break;
    }
    if (aip::ParseOrderBy(bad.text, profile.catalog).ok()) {
      bad = {std::string(kUnknownField), "an unknown field"};
    }
    return bad;
  });
}

rc::Gen<std::string> GenReadMask(const DataProfile& profile) {
  return rc::gen::exec([&profile]() -> std::string {
    size_t form = profile.mask_paths.empty() ? 1 : *WeightedPick({6, 1, 1});
    if (form == 1) {
      return "*";
    }
    if (form == 2) {
      return "";
    }
    std::vector<std::string> paths;
    std::set<size_t> used;
    for (size_t index : *SomeOf(Pick(profile.mask_paths.size()), 4)) {
      if (used.insert(index).second) {
        paths.push_back(profile.mask_paths[index]);
      }
    }
    std::string text = Join(paths, *Pick(4) == 0 ? " , " : ",");
    if (!aip::ParseReadMask(text, profile.catalog).ok()) {
      return "*";
    }
    return text;
  });
}

rc::Gen<InvalidInput> GenInvalidReadMask(const DataProfile& profile) {
  return rc::gen::exec([&profile] {
    InvalidInput bad;
    switch (*Pick(3)) {
      case 1:
        if (!profile.mask_paths.empty()) {
          bad = {profile.mask_paths[*Pick(profile.mask_paths.size())] + "," +
                     std::string(kUnknownField),
                 "an unknown path after a valid one"};
          break;
        }
        [[fallthrough]];
      case 2:
        if (!profile.message_paths.empty()) {
          bad = {profile.message_paths[*Pick(profile.message_paths.size())] + "." +
                     std::string(kUnknownField),
                 "an unknown nested path"};
          break;
        }
        [[fallthrough]];
      default:
        bad = {std::string(kUnknownField), "an unknown path"};
        break;
    }
    if (aip::ParseReadMask(bad.text, profile.catalog).ok()) {
      bad = {std::string(kUnknownField), "an unknown path"};
    }
    return bad;
  });
}

rc::Gen<std::optional<std::string>> GenPageSize(const DataProfile& profile) {
  return rc::gen::exec([&profile]() -> std::optional<std::string> {
    const std::vector<int64_t> edges = {
        1, 2, 49, 50, 51, 199, 200, 201, std::numeric_limits<int32_t>::max()};
    switch (*WeightedPick({6, 2, 2, 1, 1})) {
      case 1:
        return std::to_string(*Uniform(1, 300));
      case 2: {
        auto n = static_cast<int64_t>(profile.items);
        std::vector<int64_t> derived;
        for (int64_t size : {n, n + 1, n - 1, n / 2 + 1, n / 3 + 1}) {
          if (size > 0) {
            derived.push_back(size);
          }
        }
        if (derived.empty()) {
          return "1";
        }
        return std::to_string(derived[*Pick(derived.size())]);
      }
      case 3:
        return "0";
      case 4:
        return std::nullopt;
      default:
        return std::to_string(edges[*Pick(edges.size())]);
    }
  });
}

rc::Gen<std::vector<std::optional<std::string>>> GenPageSizes(const DataProfile& profile) {
  return SomeOf(GenPageSize(profile), 4);
}

rc::Gen<InvalidInput> GenInvalidPageSize() {
  return rc::gen::exec([] {
    switch (*Pick(6)) {
      case 1:
        return InvalidInput{"-200", "a negative pageSize"};
      case 2:
        return InvalidInput{std::to_string(std::numeric_limits<int32_t>::min()),
                            "the most negative int32 pageSize"};
      case 3:
        return InvalidInput{"abc", "a pageSize that is not a number"};
      case 4:
        return InvalidInput{"1.5", "a fractional pageSize"};
      case 5:
        return InvalidInput{std::to_string(*Uniform(-100000, -2)), "a negative pageSize"};
      default:
        return InvalidInput{"-1", "a negative pageSize"};
    }
  });
}

rc::Gen<InvalidInput> GenTokenMutation(const std::string& token) {
  return rc::gen::exec([token] {
    size_t length = token.size();
    size_t form = length < 2 ? 2 : *Pick(4);
    std::string text = token;
    switch (form) {
      case 0: {
        auto position = static_cast<size_t>(*Pick(length - 1));
        auto bit = static_cast<int>(*Pick(7));
        auto original = static_cast<unsigned char>(token[position]);
        auto flipped = static_cast<unsigned char>(original ^ (1u << bit));
        if (flipped == 0 || flipped >= 0x80) {
          flipped = static_cast<unsigned char>(original ^ 1u);
        }
        text[position] = static_cast<char>(flipped);
        return InvalidInput{text, "a page token with bit " + std::to_string(bit) +
                                      " of character " + std::to_string(position + 1) + " flipped"};
      }
      case 1: {
        auto keep = static_cast<size_t>(*Uniform(1, static_cast<int64_t>(length) - 1));
        return InvalidInput{token.substr(0, keep), "a page token truncated to " +
                                                       std::to_string(keep) + " of " +
                                                       std::to_string(length) + " characters"};
      }
      case 2: {
        // Four base64 characters, three more bytes whatever the token's length: one or two
        // would only fill the bits a lenient decoder drops (Node's Buffer.from(t, "base64url")
        // reads "tokenA" as "token"), and that server has not accepted a changed token.
        const std::vector<std::string> suffixes = {"AAAA", "xxxx", "-_-_"};
        std::string suffix = suffixes[*Pick(suffixes.size())];
        return InvalidInput{token + suffix, "a page token with '" + suffix + "' appended"};
      }
      default: {
        auto position = static_cast<size_t>(*Pick(length - 1));
        char replacement = kBase64Url[*Pick(kBase64Url.size())];
        if (replacement == token[position]) {
          replacement = kBase64Url[(kBase64Url.find(replacement) + 1) % kBase64Url.size()];
        }
        text[position] = replacement;
        return InvalidInput{
            text, "a page token with character " + std::to_string(position + 1) + " replaced"};
      }
    }
  });
}

rc::Gen<InvalidInput> GenGarbageToken() {
  return rc::gen::exec([] {
    switch (*Pick(3)) {
      case 1: {
        const std::vector<std::string> texts = {"conform-garbage-token", "not a token", "%%%",
                                                "\xF0\x9F\x9A\x80", "eyJvZmZzZXQiOjEwfQ"};
        std::string text = texts[*Pick(texts.size())];
        return InvalidInput{text, text == "eyJvZmZzZXQiOjEwfQ"
                                      ? "a forged token ({\"offset\":10} in base64)"
                                      : "a page token that is not base64"};
      }
      case 2:
        return InvalidInput{"conform-garbage-token", "a garbage page token"};
      default: {
        auto length = static_cast<size_t>(*Uniform(1, 64));
        std::string text;
        for (size_t i = 0; i < length; ++i) {
          text += kBase64Url[*Pick(kBase64Url.size())];
        }
        return InvalidInput{text, "a random base64url page token"};
      }
    }
  });
}

}  // namespace conform::fuzz
