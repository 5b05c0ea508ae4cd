// Byte searches for the recording hot path, sixteen bytes at a time with SSE2 (the x86-64
// baseline) and a scalar loop elsewhere. A 50-job page is ~32 KB of JSON: scanning it byte by
// byte costs more than everything else the proxy does for a request.
//   size_t quote = FindEither(text, from, '"', '\\');   // text.size() when there is none
#pragma once

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

}  // namespace conform::recorder::internal
