// UTF-8 for text formats and terminals: validation (HAR and JSON Lines are UTF-8 JSON;
// nlohmann's dump rejects invalid UTF-8), encoding, and making untrusted text safe to print.
//   if (auto bad = FindInvalidUtf8(text)) { /* byte offset *bad is not UTF-8 */ }
//   out << Printable(server_message);   // "x\xff\x1b[2J" -> `x\xff\x1b[2J` as plain ASCII
// Strict RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF: the same bytes
// nlohmann::json accepts in strings, so "valid here" means "serialises as text there".
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace conform {

// Length of the valid UTF-8 sequence starting at bytes[i] (1 for ASCII), or 0 when the bytes
// there are not one (Unicode table 3-7).
inline size_t Utf8SequenceLength(const unsigned char* bytes, size_t size, size_t i) {
  const unsigned char lead = bytes[i];
  if (lead < 0x80) {
    return 1;
  }
  size_t length = 0;
  unsigned char min_second = 0x80;
  unsigned char max_second = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    min_second = lead == 0xE0 ? 0xA0 : 0x80;  // no overlong 3-byte forms
    max_second = lead == 0xED ? 0x9F : 0xBF;  // no UTF-16 surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    min_second = lead == 0xF0 ? 0x90 : 0x80;  // no overlong 4-byte forms
    max_second = lead == 0xF4 ? 0x8F : 0xBF;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > size || bytes[i + 1] < min_second || bytes[i + 1] > max_second) {
    return 0;
  }
  for (size_t k = 2; k < length; ++k) {
    if ((bytes[i + k] & 0xC0) != 0x80) {
      return 0;
    }
  }
  return length;
}

// Offset of the first byte that does not start or continue a valid UTF-8 sequence.
inline std::optional<size_t> FindInvalidUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  size_t i = 0;
  while (i < size) {
    // ASCII fast path, eight bytes at a time.
    if (i + 8 <= size) {
      uint64_t chunk = 0;
      std::memcpy(&chunk, bytes + i, sizeof(chunk));
      if ((chunk & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    size_t length = Utf8SequenceLength(bytes, size, i);
    if (length == 0) {
      return i;
    }
    i += length;
  }
  return std::nullopt;
}

inline bool IsValidUtf8(std::string_view text) { return !FindInvalidUtf8(text).has_value(); }

// Appends the UTF-8 encoding of `code_point` (at most U+10FFFF; decoders of \uXXXX escapes).
inline void AppendUtf8(std::string& out, uint32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

// The value of one hexadecimal digit (either case), or -1 (\uXXXX escapes, %XX).
inline int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// `text` made safe for a terminal and for XML 1.0: valid UTF-8 with no control characters.
// Bytes that are not UTF-8 and control characters (C0, DEL, and the C1 range U+0080-U+009F,
// which terminals also obey) become visible escapes: \xff, \x1b, \u0085. Newlines stay only
// with `keep_newlines` (multi-line details we compose ourselves); a server's text must not
// start a line of its own that looks like one of ours. Tabs stay.
inline std::string Printable(std::string_view text, bool keep_newlines = false) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  std::string out;
  out.reserve(size);
  char escape[8];
  size_t i = 0;
  while (i < size) {
    const unsigned char c = bytes[i];
    size_t length = Utf8SequenceLength(bytes, size, i);
    if (length == 1 && c >= 0x20 && c != 0x7F) {
      out.push_back(static_cast<char>(c));
    } else if (length == 1 && (c == '\t' || (c == '\n' && keep_newlines))) {
      out.push_back(static_cast<char>(c));
    } else if (length == 1 || length == 0) {
      std::snprintf(escape, sizeof escape, "\\x%02x", c);
      out += escape;
      length = 1;
    } else if (c == 0xC2 && bytes[i + 1] < 0xA0) {  // U+0080..U+009F
      std::snprintf(escape, sizeof escape, "\\u%04x", bytes[i + 1]);
      out += escape;
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

}  // namespace conform
