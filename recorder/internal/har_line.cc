#include "recorder/internal/har_line.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <random>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "common/utf8.h"
#include "traffic/har.h"

namespace conform::recorder::internal {
namespace {

using Json = nlohmann::json;

// Below this size the nlohmann path costs little and the splice is not worth it.
constexpr size_t kSpliceMinBody = 2048;

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

// Bytes an escaped character takes: \" \\ \b \f \n \r \t are two, other controls \u00XX six.
constexpr std::array<uint8_t, 256> MakeEscapeLengths() {
  std::array<uint8_t, 256> lengths{};
  for (size_t b = 0; b < 256; ++b) {
    bool short_form =
        b == '"' || b == '\\' || b == '\b' || b == '\f' || b == '\n' || b == '\r' || b == '\t';
    lengths[b] = short_form ? 2 : (b < 0x20 ? 6 : 1);
  }
  return lengths;
}
constexpr std::array<uint8_t, 256> kEscapeLength = MakeEscapeLengths();

// A string no real exchange holds by chance: it marks where the body goes.
const std::string& Placeholder() {
  static const std::string placeholder = [] {
    std::random_device device;
    char text[64];
    std::snprintf(text, sizeof text, "conform-body-%08x%08x%08x%08x", device(), device(), device(),
                  device());
    return std::string(text);
  }();
  return placeholder;
}

std::string Slow(const traffic::Exchange& exchange) {
  std::string line = traffic::HarStreamEntry(exchange, 0);
  line.pop_back();  // the '\n'
  return line;
}

#if defined(__SSE2__)
// Bits of the 16 bytes at `p`: `quotes` for '"' and '\\' (two-byte escapes), `others` for
// controls and bytes that are not ASCII (both signed < 0x20).
struct Masks {
  unsigned quotes;
  unsigned others;
};
// Without -mpopcnt __builtin_popcount is a libgcc call; sixteen bits take a few operations.
size_t PopCount16(unsigned x) {
  x = x - ((x >> 1) & 0x5555u);
  x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
  x = (x + (x >> 4)) & 0x0F0Fu;
  return (x + (x >> 8)) & 0x1Fu;
}

Masks SpecialMasks(const unsigned char* p) {
  __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  __m128i quotes =
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
  __m128i others = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
  return Masks{static_cast<unsigned>(_mm_movemask_epi8(quotes)),
               static_cast<unsigned>(_mm_movemask_epi8(others))};
}
#endif

// Handles the one byte at `i` that is not plain ASCII in pass 1: adds its escape length to
// `extra` and returns the index after it, or 0 when the text is not UTF-8.
size_t MeasureSpecial(const unsigned char* bytes, size_t size, size_t i, size_t& extra) {
  uint8_t cls = kClasses[bytes[i]];
  if (cls == kCopy) {
    return i + 1;
  }
  if (cls == kEscape) {
    extra += kEscapeLength[bytes[i]] - 1u;
    return i + 1;
  }
  if (cls == kMultiByte) {
    size_t length = Utf8SequenceLength(bytes, size, i);
    return length == 0 ? 0 : i + length;
  }
  return 0;
}

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
  // Pass 1: validate and measure, so that pass 2 writes through a pointer.
  size_t extra = 0;
  size_t i = 0;
  while (i < size) {
#if defined(__SSE2__)
    if (i + 16 <= size) {
      Masks masks = SpecialMasks(bytes + i);
      if (masks.others == 0) {
        extra += PopCount16(masks.quotes);  // each becomes 2 bytes
        i += 16;
        continue;
      }
      unsigned before = (1u << __builtin_ctz(masks.others)) - 1;
      extra += PopCount16(masks.quotes & before);
      i += static_cast<size_t>(__builtin_ctz(masks.others));
    }
#endif
    i = MeasureSpecial(bytes, size, i, extra);
    if (i == 0) {
      return false;
    }
  }
  const size_t start = out.size();
  out.resize(start + size + extra);
  char* cursor = out.data() + start;
  if (extra == 0) {
    std::memcpy(cursor, text.data(), size);
    return true;
  }
  // Pass 2: copy sixteen bytes at a time up to the next byte that needs a look.
  i = 0;
  while (i < size) {
#if defined(__SSE2__)
    if (i + 16 <= size) {
      // The output still has room for at least the 16 input bytes left.
      std::memcpy(cursor, bytes + i, 16);
      Masks masks = SpecialMasks(bytes + i);
      unsigned mask = masks.quotes | masks.others;
      if (mask == 0) {
        i += 16;
        cursor += 16;
        continue;
      }
      size_t clean = static_cast<size_t>(__builtin_ctz(mask));
      i += clean;
      cursor += clean;
    }
#endif
    unsigned char c = bytes[i];
    if (kClasses[c] == kEscape) {
      cursor = WriteEscape(cursor, c);
      ++i;
    } else {
      size_t length = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;  // validated in pass 1
      std::memcpy(cursor, bytes + i, length);
      cursor += length;
      i += length;
    }
  }
  return true;
}

std::string HarEntryJson(const traffic::Exchange& exchange) {
  const std::string& body = exchange.response.body;
  if (body.size() < kSpliceMinBody) {
    return Slow(exchange);
  }
  traffic::Exchange skeleton;
  skeleton.request = exchange.request;
  skeleton.response.status = exchange.response.status;
  skeleton.response.headers = exchange.response.headers;
  skeleton.elapsed_ms = exchange.elapsed_ms;
  skeleton.started = exchange.started;
  skeleton.error = exchange.error;
  Json entry = traffic::HarEntry(skeleton);
  Json& response = entry["response"];
  response["content"]["size"] = body.size();
  response["content"]["text"] = Placeholder();
  if (exchange.response.status != 0) {
    response["bodySize"] = static_cast<int64_t>(body.size());
  }
  std::string line = entry.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);

  const std::string marker = "\"" + Placeholder() + "\"";
  size_t at = line.find(marker);
  if (at == std::string::npos || line.find(marker, at + 1) != std::string::npos) {
    return Slow(exchange);  // the marker also occurs in the exchange: never splice ambiguously
  }
  std::string out;
  out.reserve(line.size() + body.size() + body.size() / 8);
  out.append(line, 0, at + 1);  // up to and with the opening quote
  if (!AppendJsonEscapedUtf8(out, body)) {
    return Slow(exchange);  // not UTF-8: HarEntry writes it as base64
  }
  out.append(line, at + marker.size() - 1, std::string::npos);  // from the closing quote
  return out;
}

}  // namespace conform::recorder::internal
