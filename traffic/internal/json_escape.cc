#include "traffic/internal/json_escape.h"

#include <array>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "common/utf8.h"

namespace conform::traffic::internal {
namespace {

enum ByteClass : uint8_t { kCopy = 0, kEscape = 1, kMultiByte = 2, kInvalid = 3 };

constexpr std::array<uint8_t, 256> MakeClasses() {
  std::array<uint8_t, 256> classes{};
  for (size_t b = 0; b < 256; ++b) {
    if (b < 0x20 || b == '"' || b == '\\') {
      classes[b] = kEscape;
    } else if (b < 0x80) {
      classes[b] = kCopy;
    } else if (b >= 0xC2 && b <= 0xF4) {
      classes[b] = kMultiByte;
    } else {
      classes[b] = kInvalid;  // continuation bytes without a lead, overlong leads, > U+10FFFF
    }
  }
  return classes;
}
constexpr std::array<uint8_t, 256> kClasses = MakeClasses();

#if defined(__SSE2__)
// Bits of the 16 bytes at `p`: `quotes` for '"' and '\\' (two-byte escapes), `others` for
// controls and bytes that are not ASCII (both signed < 0x20).
struct Masks {
  unsigned quotes;
  unsigned others;
};

Masks SpecialMasks(const unsigned char* p) {
  __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  __m128i quotes =
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
  __m128i others = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
  return Masks{static_cast<unsigned>(_mm_movemask_epi8(quotes)),
               static_cast<unsigned>(_mm_movemask_epi8(others))};
}

// Copies `count` bytes from `from` to `to`, putting a backslash before each byte whose bit is
// set in `quotes` (bits of the first `count` bytes only). Returns the new end of `to`.
char* CopyEscapingQuotes(char* to, const unsigned char* from, size_t count, unsigned quotes) {
  size_t done = 0;
  while (quotes != 0) {
    size_t at = static_cast<size_t>(__builtin_ctz(quotes));
    quotes &= quotes - 1;
    std::memcpy(to, from + done, at - done);
    to += at - done;
    *to++ = '\\';
    *to++ = static_cast<char>(from[at]);
    done = at + 1;
  }
  std::memcpy(to, from + done, count - done);
  return to + (count - done);
}

// CopyEscapingQuotes with a 16-byte store for each run between quotes instead of a memcpy of
// its length: needs 32 readable bytes at `from` and 48 writable at `to`.
char* CopyEscapingQuotesWide(char* to, const unsigned char* from, size_t count, unsigned quotes) {
  size_t done = 0;
  while (quotes != 0) {
    size_t at = static_cast<size_t>(__builtin_ctz(quotes));
    quotes &= quotes - 1;
    _mm_storeu_si128(reinterpret_cast<__m128i*>(to),
                     _mm_loadu_si128(reinterpret_cast<const __m128i*>(from + done)));
    to += at - done;
    *to++ = '\\';
    *to++ = static_cast<char>(from[at]);
    done = at + 1;
  }
  _mm_storeu_si128(reinterpret_cast<__m128i*>(to),
                   _mm_loadu_si128(reinterpret_cast<const __m128i*>(from + done)));
  return to + (count - done);
}
#endif

// The letter after the backslash of a two-byte escape, or 0 for \u00XX.
constexpr std::array<char, 256> MakeShortEscapes() {
  std::array<char, 256> letters{};
  letters['"'] = '"';
  letters['\\'] = '\\';
  letters['\b'] = 'b';
  letters['\f'] = 'f';
  letters['\n'] = 'n';
  letters['\r'] = 'r';
  letters['\t'] = 't';
  return letters;
}
constexpr std::array<char, 256> kShortEscapes = MakeShortEscapes();

char* WriteEscape(char* cursor, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  cursor[0] = '\\';
  if (char letter = kShortEscapes[c]; letter != 0) {
    cursor[1] = letter;
    return cursor + 2;
  }
  cursor[1] = 'u';
  cursor[2] = '0';
  cursor[3] = '0';
  cursor[4] = kHex[c >> 4];
  cursor[5] = kHex[c & 0x0F];
  return cursor + 6;
}


}  // namespace

bool AppendJsonEscapedUtf8(std::string& out, std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  // One pass, writing through a pointer into room made ahead: a JSON body has a quote every
  // ten bytes or so, and a second pass to measure first costs as much as the escaping.
  // A step writes at most 15 bytes with quotes doubled and then one \u00XX escape, or stores
  // 16 bytes from up to 32 bytes past the cursor (CopyEscapingQuotesWide).
  constexpr size_t kMostPerStep = 64;
  const size_t start = out.size();
  out.resize(start + size + size / 4 + kMostPerStep);
  char* cursor = out.data() + start;
  char* limit = out.data() + out.size() - kMostPerStep;
  size_t i = 0;
  while (i < size) {
    if (cursor > limit) {  // more escapes than guessed: grow
      const size_t used = static_cast<size_t>(cursor - out.data());
      out.resize(out.size() + (size - i) * 2 + kMostPerStep);
      cursor = out.data() + used;
      limit = out.data() + out.size() - kMostPerStep;
    }
#if defined(__SSE2__)
    if (i + 16 <= size) {
      Masks masks = SpecialMasks(bytes + i);
      const bool wide = i + 32 <= size;
      // Up to the first control or non-ASCII byte, which the code below handles.
      size_t clean = masks.others == 0 ? 16 : static_cast<size_t>(__builtin_ctz(masks.others));
      unsigned quotes = clean == 16 ? masks.quotes : masks.quotes & ((1u << clean) - 1);
      cursor = wide ? CopyEscapingQuotesWide(cursor, bytes + i, clean, quotes)
                    : CopyEscapingQuotes(cursor, bytes + i, clean, quotes);
      if (clean == 16) {
        i += 16;
        continue;
      }
      i += clean;
    }
#endif
    const unsigned char c = bytes[i];
    const uint8_t cls = kClasses[c];
    if (cls == kCopy) {
      *cursor++ = static_cast<char>(c);
      ++i;
    } else if (cls == kEscape) {
      cursor = WriteEscape(cursor, c);
      ++i;
    } else {
      size_t length = cls == kMultiByte ? Utf8SequenceLength(bytes, size, i) : 0;
      if (length == 0) {
        return false;
      }
      std::memcpy(cursor, bytes + i, length);
      cursor += length;
      i += length;
    }
  }
  out.resize(static_cast<size_t>(cursor - out.data()));
  return true;
}

}  // namespace conform::traffic::internal
