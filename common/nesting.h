// How deeply brackets nest in JSON (or YAML flow) text, found by one linear scan, so parsers
// that recurse can refuse a 100,000-deep document before they touch it.
//   if (auto at = FindDepthExceeded(body, 256)) { /* refuse: too deep at byte *at */ }
#pragma once

#include <cstddef>
#include <cstring>
#include <optional>
#include <string_view>

namespace conform {

// Byte offset of the first '[' or '{' that opens nesting level max_depth + 1, skipping
// double-quoted strings (with backslash escapes); nullopt when the text stays within
// max_depth, or when a string is left open (the parser will report that).
inline std::optional<size_t> FindDepthExceeded(std::string_view text, size_t max_depth) {
  size_t depth = 0;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '"') {
      // Find the closing quote: the next '"' preceded by an even number of backslashes.
      size_t from = i + 1;
      std::optional<size_t> end;
      while (from < text.size()) {
        const void* found = std::memchr(text.data() + from, '"', text.size() - from);
        if (found == nullptr) {
          break;
        }
        size_t quote = static_cast<size_t>(static_cast<const char*>(found) - text.data());
        size_t backslashes = 0;
        while (quote - backslashes > i + 1 && text[quote - backslashes - 1] == '\\') {
          ++backslashes;
        }
        if (backslashes % 2 == 0) {
          end = quote + 1;
          break;
        }
        from = quote + 1;
      }
      if (!end) {
        return std::nullopt;
      }
      i = *end;
      continue;
    }
    if (c == '{' || c == '[') {
      if (++depth > max_depth) {
        return i;
      }
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
    ++i;
  }
  return std::nullopt;
}

}  // namespace conform
