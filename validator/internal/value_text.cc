#include "validator/internal/value_text.h"

#include <cstdio>

#include "common/utf8.h"

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

namespace {

// A string as JSON text, except that bytes which are not UTF-8 show as \xff (where a dump
// would put U+FFFD and hide which bytes the server sent).
std::string QuotedBytes(const std::string& text) {
  if (IsValidUtf8(text)) {
    return nlohmann::json(text).dump();
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::string out = "\"";
  size_t run = 0;  // start of the current run of valid UTF-8
  auto flush = [&](size_t end) {
    std::string quoted = nlohmann::json(text.substr(run, end - run)).dump();
    out.append(quoted, 1, quoted.size() - 2);
  };
  for (size_t i = 0; i < text.size();) {
    size_t length = Utf8SequenceLength(bytes, text.size(), i);
    if (length == 0) {
      flush(i);
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\x%02x", bytes[i]);
      out += escape;
      run = ++i;
    } else {
      i += length;
    }
  }
  flush(text.size());
  return out + "\"";
}

}  // namespace

std::string DescribeValue(const nlohmann::json& value, size_t limit) {
  if (value.is_object()) {
    return "an object with " + std::to_string(value.size()) + (value.size() == 1 ? " property" : " properties");
  }
  if (value.is_array()) {
    return "an array of " + std::to_string(value.size()) + (value.size() == 1 ? " item" : " items");
  }
  std::string text = value.is_string() ? QuotedBytes(value.get_ref<const std::string&>())
                                       : value.dump();
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
