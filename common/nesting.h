// How deeply brackets nest in JSON (or YAML flow) text, found by one linear scan, so parsers
// that recurse can refuse a 100,000-deep document before they touch it.
//   Nesting n = MaxNesting(body, 256);
//   if (n.depth > 256) { /* refuse: too deep at byte n.offset */ }
#pragma once

#include <cstddef>
#include <string_view>

namespace conform {

struct Nesting {
  int depth = 0;      // the deepest nesting seen (scanning stops once it passes the limit)
  size_t offset = 0;  // byte offset of the bracket that reached `depth`
};

// Counts [ and { outside double-quoted strings (with backslash escapes).
inline Nesting MaxNesting(std::string_view text, int limit) {
  Nesting deepest;
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest.depth) {
        deepest = {depth, i};
        if (depth > limit) {
          return deepest;
        }
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

}  // namespace conform
