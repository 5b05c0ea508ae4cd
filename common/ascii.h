// ASCII case folding, the same whatever the C locale: header names, media types, auth schemes,
// size units and the sentences of a spec's descriptions are compared case-insensitively.
//   AsciiLower("Application/JSON") == "application/json"
//   TrimSpacesAndTabs("  gzip\t") == "gzip"   // HTTP's optional whitespace
#pragma once

#include <string>
#include <string_view>

namespace conform {

inline std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

// `text` without the spaces and tabs at either end.
inline std::string_view TrimSpacesAndTabs(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace conform
