// Cheap passes over JSON text that build nothing: nesting depth, top-level members of an
// object, and a parse that reports line/column instead of throwing.
//   if (auto members = internal::SkimObject(line)) { /* raw key and value spans */ }
//   Result<nlohmann::json> doc = internal::ParseJson(text, "cassette.har", 512);
// None of these recurse, so a 100,000-deep document costs a loop, never the stack.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/nesting.h"
#include "common/result.h"

namespace conform::traffic::internal {

// Strips JSON whitespace (space, tab, CR, LF) from both ends.
std::string_view TrimJsonSpace(std::string_view text);

// Byte offset of the first bracket past max_depth (common/nesting.h).
using conform::FindDepthExceeded;

// 1-based line and column of a byte offset.
struct TextPosition {
  size_t line = 1;
  size_t column = 1;
};
TextPosition PositionOf(std::string_view text, size_t offset);

// One member of an object as it is spelled in the text: `key` is the raw text between the
// quotes (escapes are not decoded) and `value` the raw text of the value, both views into
// the skimmed text.
struct RawMember {
  std::string_view key;
  std::string_view value;
};

// The top-level members of `text` if it is shaped like one JSON object: '{', members,
// '}' and nothing but whitespace after it. Values are delimited, not validated (brackets
// are counted, strings honoured), so a nullopt means "surely not an object" while a value
// means "an object if the values are valid".
std::optional<std::vector<RawMember>> SkimObject(std::string_view text);

// The last member named `key` (nlohmann keeps the last of duplicate keys, so do we).
const RawMember* FindRawMember(const std::vector<RawMember>& members, std::string_view key);

// True if `raw` is a JSON integer literal ("-12", "200"): what nlohmann parses as an integer.
bool IsIntegerLiteral(std::string_view raw);

// The HTTP status (0..999) a parsed JSON number holds, or nullopt for any other value. A
// non-negative integer parses as unsigned, so one past INT64_MAX is compared as it is, never
// wrapped; print the value with dump() to show it as written.
std::optional<int> HttpStatusOf(const nlohmann::json& value);

// Parses `text` without exceptions. A document nested deeper than `max_depth` is refused
// before parsing (RESOURCE_EXHAUSTED). Invalid JSON is INVALID_ARGUMENT with where =
// "<source>:<line>:<column>" and a one-line, printable-ASCII message; so is a member name
// given twice in one object (where = "<source>", the message names the member). `first_line` is the line
// number of the text's first line in its file (JSON Lines pass the line they parse).
Result<nlohmann::json> ParseJson(std::string_view text, std::string_view source, size_t max_depth,
                                 size_t first_line = 1);

// `text` with bytes outside printable ASCII shown as \xHH, for error messages.
std::string Printable(std::string_view text, size_t max_length = 80);

}  // namespace conform::traffic::internal
