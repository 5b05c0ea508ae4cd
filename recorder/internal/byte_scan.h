// Byte searches for the recording hot path, sixteen bytes at a time with SSE2 (the x86-64
// baseline) and a scalar loop elsewhere. A 50-job page is ~32 KB of JSON: scanning it byte by
// byte costs more than everything else the proxy does for a request.
//   size_t quote = FindEither(text, from, '"', '\\');   // text.size() when there is none
//   BlockBits bits = ScanBlock(data);   // 64 bytes: bit k is byte k
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace conform::recorder::internal {

// Index of the first byte at or after `from` equal to `a` or `b`; text.size() when none is.
inline size_t FindEither(std::string_view text, size_t from, char a, char b) {
  const char* data = text.data();
  const size_t size = text.size();
  size_t i = from;
#if defined(__SSE2__)
  const __m128i va = _mm_set1_epi8(a);
  const __m128i vb = _mm_set1_epi8(b);
  for (; i + 16 <= size; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
    int mask = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)));
    if (mask != 0) {
      return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    }
  }
#endif
  for (; i < size; ++i) {
    if (data[i] == a || data[i] == b) {
      return i;
    }
  }
  return size;
}

// Index of the first byte at or after `from` that is '"', '{', '}', '[', ']' or ','; the
// characters that matter to a JSON scanner outside strings. text.size() when none is.
inline size_t FindStructural(std::string_view text, size_t from) {
  const char* data = text.data();
  const size_t size = text.size();
  size_t i = from;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i open_brace = _mm_set1_epi8('{');
  const __m128i close_brace = _mm_set1_epi8('}');
  const __m128i open_bracket = _mm_set1_epi8('[');
  const __m128i close_bracket = _mm_set1_epi8(']');
  for (; i + 16 <= size; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
    __m128i hits = _mm_or_si128(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, comma)),
                     _mm_or_si128(_mm_cmpeq_epi8(v, open_brace), _mm_cmpeq_epi8(v, close_brace))),
        _mm_or_si128(_mm_cmpeq_epi8(v, open_bracket), _mm_cmpeq_epi8(v, close_bracket)));
    int mask = _mm_movemask_epi8(hits);
    if (mask != 0) {
      return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    }
  }
#endif
  for (; i < size; ++i) {
    char c = data[i];
    if (c == '"' || c == '{' || c == '}' || c == '[' || c == ']' || c == ',') {
      return i;
    }
  }
  return size;
}

// Where the bytes that matter to a JSON scanner are in a block of 64: bit k is byte k.
struct BlockBits {
  uint64_t quote = 0;      // '"'
  uint64_t backslash = 0;  // '\\'
  uint64_t colon = 0;      // ':'
  uint64_t open = 0;       // '{' and '['
  uint64_t close = 0;      // '}' and ']'
};

// The bits of the 64 bytes at `data` (all of them are read).
inline BlockBits ScanBlock(const char* data) {
  BlockBits bits;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i colon = _mm_set1_epi8(':');
  // OR 0x20 maps '[' (0x5B) onto '{' (0x7B) and ']' (0x5D) onto '}' (0x7D), and nothing else.
  const __m128i case_bit = _mm_set1_epi8(0x20);
  const __m128i open = _mm_set1_epi8('{');
  const __m128i close = _mm_set1_epi8('}');
  constexpr auto bits_of = [](__m128i hits, int shift) {
    return static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(hits))) << shift;
  };
  for (int k = 0; k < 4; ++k) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * k));
    __m128i folded = _mm_or_si128(v, case_bit);
    bits.quote |= bits_of(_mm_cmpeq_epi8(v, quote), 16 * k);
    bits.backslash |= bits_of(_mm_cmpeq_epi8(v, backslash), 16 * k);
    bits.colon |= bits_of(_mm_cmpeq_epi8(v, colon), 16 * k);
    bits.open |= bits_of(_mm_cmpeq_epi8(folded, open), 16 * k);
    bits.close |= bits_of(_mm_cmpeq_epi8(folded, close), 16 * k);
  }
#else
  for (int k = 0; k < 64; ++k) {
    const uint64_t bit = uint64_t{1} << k;
    switch (data[k]) {
      case '"': bits.quote |= bit; break;
      case '\\': bits.backslash |= bit; break;
      case ':': bits.colon |= bit; break;
      case '{': case '[': bits.open |= bit; break;
      case '}': case ']': bits.close |= bit; break;
      default: break;
    }
  }
#endif
  return bits;
}

// Bit k set when an odd number of bits at or below k are set in `x`: given the quotes that
// delimit strings, the bytes from an opening quote up to (not including) its closing one.
inline uint64_t PrefixXor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

}  // namespace conform::recorder::internal
