// A JSON parse that notices a member name given twice in one object, and the paths that
// name such a member. nlohmann keeps the last of two members silently while other readers
// keep the first or refuse the text, so a document with {"status":500,"status":200} means
// different things to different readers: recordings refuse it, response checks report it.
//   ParsedJson parsed = ParseJsonNotingDuplicates(text);
//   if (parsed.duplicate) { std::cerr << DottedPath(*parsed.duplicate) << " appears twice"; }
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace conform::traffic {

// The way from the root to a value: member names and array indexes.
using JsonPathStep = std::variant<std::string, size_t>;
using JsonPath = std::vector<JsonPathStep>;

// "log.entries[3].response.status"; member names as they are (for messages).
std::string DottedPath(const JsonPath& path);

// "/log/entries/3/response/status" (RFC 6901, '~' and '/' escaped).
std::string JsonPointer(const JsonPath& path);

struct ParsedJson {
  nlohmann::json value;               // discarded when the text is not valid JSON
  std::optional<JsonPath> duplicate;  // the first member whose name its object already had
};

// Parses like nlohmann::json::parse (no exceptions; names compared after unescaping, so
// "a" and "\u0061" are the same name), in one pass. Depth is not limited here: refuse deep
// text first (common/nesting.h), as the parse recurses no more than nlohmann's does.
ParsedJson ParseJsonNotingDuplicates(std::string_view text);

}  // namespace conform::traffic
