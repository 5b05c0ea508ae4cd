// Base64 (RFC 4648, standard alphabet) for HAR bodies that are not UTF-8 text.
//   std::string text = internal::Base64Encode("\x89PNG");
//   std::optional<std::string> bytes = internal::Base64Decode(text);   // "\x89PNG"
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace conform::traffic::internal {

// Padded output, no line breaks.
std::string Base64Encode(std::string_view bytes);

// Accepts padded or unpadded input and ignores ASCII whitespace (some tools wrap lines).
// nullopt on any other character, on misplaced padding or on a dangling single symbol.
std::optional<std::string> Base64Decode(std::string_view text);

// The number of bytes `text` decodes to (ASCII whitespace and padding skipped), counted without
// decoding it: a body over a size limit is measured, never copied.
size_t Base64DecodedSize(std::string_view text);

}  // namespace conform::traffic::internal
