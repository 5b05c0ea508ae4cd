// A spec document as JSON plus where each node came from, so every spec error can name
// file:line:column. YAML and JSON are both read through yaml-cpp (JSON is YAML 1.2 flow).
//   auto doc = internal::ParseDocument(text, "spec/openapi.yaml");
//   std::string where = doc->Where("/paths/~1v1~1x/get");   // "spec/openapi.yaml:12:5"
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <unordered_map>

#include "common/result.h"

namespace conform::validator::internal {

struct Position {
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
};

struct Document {
  std::string name;  // file name used in messages
  nlohmann::json root;
  std::unordered_map<std::string, Position> positions;  // JSON pointer -> position
  // JSON pointer of a mapping member -> position of its key: errors about a name (a path
  // template) point at the name, not at the value on the line below.
  std::unordered_map<std::string, Position> key_positions;

  // "name:line:col" for the node at `pointer`, or for its nearest ancestor that has one.
  std::string Where(std::string_view pointer) const;
  // The same for the key of the member at `pointer`, or Where(pointer) when it has none.
  std::string WhereKey(std::string_view pointer) const;
};

// How deeply a spec document may nest (mappings and lists, block or flow): yaml-cpp and the
// conversion recurse once per level.
inline constexpr int kMaxDepth = 256;

// The most values a spec document may hold, once YAML aliases and $refs are expanded: large
// public specs hold well under a million; an alias or $ref "bomb" would exhaust memory.
inline constexpr size_t kMaxValues = 2'000'000;

// Parses YAML or JSON text, expanding YAML merge keys (`<<: *base`, explicit keys winning).
// Old Mac line ends (a lone CR) count as line breaks, as YAML 1.2 says. Errors
// (kInvalidArgument) carry where = "name:line:col": malformed YAML, nesting past kMaxDepth,
// more than kMaxValues values, duplicate keys, and a second YAML document in the text.
Result<Document> ParseDocument(std::string_view text, std::string name);

// What a JSON value is, for messages: "an object", "a list", "a string \"abc\"", "a number 3",
// "true", "null" (strings cut at 40 bytes).
std::string KindOf(const nlohmann::json& value);

// Appends one reference token to a JSON pointer, escaping '~' and '/' (RFC 6901).
std::string AppendPointer(std::string_view pointer, std::string_view token);
std::string AppendPointer(std::string_view pointer, size_t index);

}  // namespace conform::validator::internal
