#include "validator/internal/value_text.h"

namespace conform::validator::internal {

std::string JsonTypeName(const nlohmann::json* value) {
  if (value == nullptr) {
    return "nothing";
  }
  switch (value->type()) {
    case nlohmann::json::value_t::string:
      return "string";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return "integer";
    case nlohmann::json::value_t::number_float:
      return "number";
    case nlohmann::json::value_t::boolean:
      return "boolean";
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "object";
    case nlohmann::json::value_t::array:
      return "array";
    default:
      return "unknown";
  }
}

std::string DescribeValue(const nlohmann::json& value, size_t limit) {
  if (value.is_object()) {
    return "an object with " + std::to_string(value.size()) + (value.size() == 1 ? " property" : " properties");
  }
  if (value.is_array()) {
    return "an array of " + std::to_string(value.size()) + (value.size() == 1 ? " item" : " items");
  }
  std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > limit) {
    text.resize(limit);
    text += "...";
  }
  return text;
}

std::string DescribeEnum(const nlohmann::json& values) {
  std::string out = "one of ";
  size_t shown = 0;
  for (const auto& value : values) {
    if (shown == 6) {
      out += ", ...";
      break;
    }
    out += (shown == 0 ? "" : ", ") + (value.is_string() ? value.get<std::string>() : value.dump());
    ++shown;
  }
  out += " (" + std::to_string(values.size()) + " values)";
  return out;
}

}  // namespace conform::validator::internal
