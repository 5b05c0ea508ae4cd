// RFC 3986 reference resolution, as JSON Schema $id and $ref need it: a reference resolved
// against a base URI, dot segments removed, nothing else normalised and nothing fetched.
//   ResolveUri("https://example.com/schemas/order", "../x#/$defs/A");
//       // "https://example.com/x#/$defs/A"
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace conform::validator::internal {

// `reference` resolved against `base` (RFC 3986 section 5.2, non-strict). `base` should be
// absolute (have a scheme); a reference with a scheme of its own is returned with its dot
// segments removed.
std::string ResolveUri(std::string_view base, std::string_view reference);

struct SplitUri {
  std::string_view without_fragment;
  std::optional<std::string_view> fragment;  // after '#', still percent-encoded; none without '#'
};

// Whether `text` is a URI scheme: a letter, then letters, digits, '+', '-' or '.'.
bool IsScheme(std::string_view text);

// `uri` cut at its first '#'.
SplitUri SplitFragment(std::string_view uri);

}  // namespace conform::validator::internal
