// UTF-8 validation for text formats (HAR is UTF-8 JSON; nlohmann's dump rejects invalid UTF-8).
//   if (auto bad = internal::FindInvalidUtf8(text)) { /* byte offset *bad is not UTF-8 */ }
// Strict RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF — the same bytes
// nlohmann::json accepts in strings, so "valid here" means "serialises as text there".
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace conform::traffic::internal {

// Offset of the first byte that does not start or continue a valid UTF-8 sequence.
std::optional<size_t> FindInvalidUtf8(std::string_view text);

inline bool IsValidUtf8(std::string_view text) { return !FindInvalidUtf8(text).has_value(); }

}  // namespace conform::traffic::internal
