#include "aip/values.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace conform::aip {
namespace {

using Json = nlohmann::json;

Value IntegerFromString(std::string_view text) {
  if (text.empty()) {
    return Unset{};
  }
  const char* first = text.data();
  const char* last = text.data() + text.size();
  int64_t signed_value = 0;
  auto [end, error] = std::from_chars(first, last, signed_value);
  if (error == std::errc() && end == last) {
    return signed_value;
  }
  uint64_t unsigned_value = 0;
  auto [uend, uerror] = std::from_chars(first, last, unsigned_value);
  if (uerror == std::errc() && uend == last) {
    return unsigned_value;
  }
  return Unset{};
}

Value NumberFromString(std::string_view text) {
  if (text == "NaN") {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (text == "Infinity") {
    return std::numeric_limits<double>::infinity();
  }
  if (text == "-Infinity") {
    return -std::numeric_limits<double>::infinity();
  }
  Value integer = IntegerFromString(text);
  if (!std::holds_alternative<Unset>(integer)) {
    return integer;
  }
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc() && end == text.data() + text.size() && std::isfinite(value)) {
    return value;
  }
  return Unset{};
}

Value NumberFromJson(const Json& node) {
  if (node.is_number_unsigned()) {
    const auto value = node.get<uint64_t>();
    if (value <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return static_cast<int64_t>(value);
    }
    return value;
  }
  if (node.is_number_integer()) {
    return node.get<int64_t>();
  }
  return node.get<double>();
}

int Sign(int64_t value) { return value < 0 ? -1 : (value > 0 ? 1 : 0); }

template <typename T>
int ThreeWay(const T& a, const T& b) {
  if (a < b) {
    return -1;
  }
  if (b < a) {
    return 1;
  }
  return 0;
}

// Exact comparison of a signed integer with a non-NaN double.
int CompareIntDouble(int64_t i, double d) {
  constexpr double kTwo63 = 9223372036854775808.0;
  if (d >= kTwo63) {
    return -1;
  }
  if (d < -kTwo63) {
    return 1;
  }
  const auto truncated = static_cast<int64_t>(d);  // in range: |d| < 2^63
  if (i != truncated) {
    return i < truncated ? -1 : 1;
  }
  const double rest = d - static_cast<double>(truncated);
  return rest > 0 ? -1 : (rest < 0 ? 1 : 0);
}

int CompareUintDouble(uint64_t u, double d) {
  constexpr double kTwo64 = 18446744073709551616.0;
  if (d >= kTwo64) {
    return -1;
  }
  if (d < 0) {
    return 1;
  }
  const auto truncated = static_cast<uint64_t>(d);
  if (u != truncated) {
    return u < truncated ? -1 : 1;
  }
  const double rest = d - static_cast<double>(truncated);
  return rest > 0 ? -1 : 0;
}

int CompareIntUint(int64_t i, uint64_t u) {
  if (i < 0) {
    return -1;
  }
  return ThreeWay(static_cast<uint64_t>(i), u);
}

int CompareEnums(const EnumValue& a, const EnumValue& b, const CompareOptions& options) {
  if (options.enum_order == EnumOrder::kName) {
    return Sign(a.name.compare(b.name));
  }
  const bool a_known = a.index >= 0;
  const bool b_known = b.index >= 0;
  if (a_known && b_known) {
    return options.enum_order == EnumOrder::kNumber ? ThreeWay(a.number, b.number)
                                                    : ThreeWay(a.index, b.index);
  }
  if (a_known != b_known) {
    return a_known ? -1 : 1;
  }
  return Sign(a.name.compare(b.name));
}

}  // namespace

EnumValue MakeEnumValue(const FieldInfo& field, std::string name) {
  EnumValue value{std::move(name)};
  for (size_t i = 0; i < field.enum_values.size(); ++i) {
    if (field.enum_values[i] == value.name) {
      value.index = static_cast<int>(i);
      value.number = i < field.enum_numbers.size() ? field.enum_numbers[i] : value.index;
      break;
    }
  }
  return value;
}

const Json* FindPath(const Json& resource, std::string_view dotted_path) {
  const Json* node = &resource;
  size_t start = 0;
  while (true) {
    const size_t dot = dotted_path.find('.', start);
    const std::string_view key = dotted_path.substr(
        start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!node->is_object()) {
      return nullptr;
    }
    auto found = node->find(key);
    if (found == node->end() || found->is_null()) {
      return nullptr;
    }
    node = &*found;
    if (dot == std::string_view::npos) {
      return node;
    }
    start = dot + 1;
  }
}

Value ReadValue(const Json* node, const FieldInfo& field) {
  const bool absent = node == nullptr || node->is_null();
  switch (field.type) {
    case FieldType::kString:
      if (absent) {
        return std::string();
      }
      return node->is_string() ? Value(node->get<std::string>()) : Value(Unset{});
    case FieldType::kInteger:
      if (absent) {
        return int64_t{0};
      }
      if (node->is_number()) {
        return NumberFromJson(*node);
      }
      return node->is_string() ? IntegerFromString(node->get_ref<const std::string&>())
                               : Value(Unset{});
    case FieldType::kNumber:
      if (absent) {
        return int64_t{0};
      }
      if (node->is_number()) {
        return NumberFromJson(*node);
      }
      return node->is_string() ? NumberFromString(node->get_ref<const std::string&>())
                               : Value(Unset{});
    case FieldType::kBoolean:
      if (absent) {
        return false;
      }
      return node->is_boolean() ? Value(node->get<bool>()) : Value(Unset{});
    case FieldType::kEnum: {
      if (absent) {
        if (field.enum_values.empty()) {
          return Unset{};
        }
        return MakeEnumValue(field, field.enum_values.front());
      }
      if (!node->is_string()) {
        return Unset{};
      }
      return MakeEnumValue(field, node->get<std::string>());
    }
    case FieldType::kTimestamp: {
      if (absent || !node->is_string()) {
        return Unset{};
      }
      std::optional<Instant> instant = ParseRfc3339(node->get_ref<const std::string&>());
      return instant ? Value(*instant) : Value(Unset{});
    }
    case FieldType::kDuration: {
      if (absent || !node->is_string()) {
        return Unset{};
      }
      std::optional<Duration> duration = ParseDuration(node->get_ref<const std::string&>());
      return duration ? Value(*duration) : Value(Unset{});
    }
    case FieldType::kMessage:
    case FieldType::kMap:
      return Unset{};
  }
  return Unset{};
}

bool IsNumber(const Value& value) {
  return std::holds_alternative<int64_t>(value) || std::holds_alternative<uint64_t>(value) ||
         std::holds_alternative<double>(value);
}

bool IsNaN(const Value& value) {
  const double* d = std::get_if<double>(&value);
  return d != nullptr && std::isnan(*d);
}

int CompareNumbers(const Value& a, const Value& b) {
  if (IsNaN(a) || IsNaN(b)) {
    return ThreeWay(IsNaN(a), IsNaN(b));
  }
  if (const auto* ai = std::get_if<int64_t>(&a)) {
    if (const auto* bi = std::get_if<int64_t>(&b)) {
      return ThreeWay(*ai, *bi);
    }
    if (const auto* bu = std::get_if<uint64_t>(&b)) {
      return CompareIntUint(*ai, *bu);
    }
    return CompareIntDouble(*ai, std::get<double>(b));
  }
  if (const auto* au = std::get_if<uint64_t>(&a)) {
    if (const auto* bi = std::get_if<int64_t>(&b)) {
      return -CompareIntUint(*bi, *au);
    }
    if (const auto* bu = std::get_if<uint64_t>(&b)) {
      return ThreeWay(*au, *bu);
    }
    return CompareUintDouble(*au, std::get<double>(b));
  }
  const double ad = std::get<double>(a);
  if (const auto* bi = std::get_if<int64_t>(&b)) {
    return -CompareIntDouble(*bi, ad);
  }
  if (const auto* bu = std::get_if<uint64_t>(&b)) {
    return -CompareUintDouble(*bu, ad);
  }
  return ThreeWay(ad, std::get<double>(b));
}

int CompareValues(const Value& a, const Value& b, const CompareOptions& options) {
  if (IsNumber(a) && IsNumber(b)) {
    return CompareNumbers(a, b);
  }
  if (a.index() != b.index()) {
    return ThreeWay(a.index(), b.index());
  }
  return std::visit(
      [&](const auto& left) -> int {
        using T = std::decay_t<decltype(left)>;
        const T& right = std::get<T>(b);
        if constexpr (std::is_same_v<T, Unset>) {
          return 0;
        } else if constexpr (std::is_same_v<T, std::string>) {
          return Sign(left.compare(right));
        } else if constexpr (std::is_same_v<T, EnumValue>) {
          return CompareEnums(left, right, options);
        } else {
          return ThreeWay(left, right);
        }
      },
      a);
}

std::string DescribeValue(const Value& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, Unset>) {
          return "unset";
        } else if constexpr (std::is_same_v<T, std::string>) {
          return Json(v).dump(-1, ' ', false, Json::error_handler_t::replace);
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, EnumValue>) {
          return v.name;
        } else if constexpr (std::is_same_v<T, Instant>) {
          return FormatRfc3339(v);
        } else if constexpr (std::is_same_v<T, Duration>) {
          return FormatDuration(v);
        } else if constexpr (std::is_same_v<T, double>) {
          return Json(v).dump();
        } else {
          return std::to_string(v);
        }
      },
      value);
}

}  // namespace conform::aip
