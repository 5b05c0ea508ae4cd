// Helpers shared by the aip/ parsers: input screening (length, NUL, UTF-8), error positions,
// quoting user text safely into one-line messages, and "did you mean" suggestions.
//   if (auto error = internal::ScreenInput(text, "filter", 4096)) { return *error; }
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aip/field_catalog.h"
#include "common/result.h"

namespace conform::aip::internal {

// "column N" for the 0-based byte offset `offset` (columns are 1-based bytes).
std::string ColumnWhere(size_t offset);

// kInvalidArgument at `offset` with `message`.
Error ErrorAt(size_t offset, std::string message);

// Checks that `text` fits `max_length` bytes, has no NUL byte and is valid UTF-8. The error
// names `what` ("filter", "orderBy", "read mask") and the first offending column.
std::optional<Error> ScreenInput(std::string_view text, std::string_view what, size_t max_length);

// `text` in single quotes for an error message: control bytes and bytes of invalid UTF-8 are
// escaped as \xNN, and text past 64 bytes is cut with "...".
std::string Quote(std::string_view text);

// A catalog path among `candidates` close to `name` (edit distance <= 2, or <= 1 for short
// names), formatted " (did you mean 'x'?)", or "" when there is none.
std::string Suggestion(std::string_view name, const std::vector<std::string_view>& candidates);

// The last segments of catalog paths directly under `parent` ("" = top level).
std::vector<std::string_view> ChildNames(const FieldCatalog& catalog, std::string_view parent);

// Whether `c` is ASCII whitespace accepted between tokens (space, tab, CR, LF).
inline bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace conform::aip::internal
