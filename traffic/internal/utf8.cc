#include "traffic/internal/utf8.h"

#include <cstdint>
#include <cstring>

namespace conform::traffic::internal {

std::optional<size_t> FindInvalidUtf8(std::string_view text) {
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
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    unsigned char min_second = 0x80;
    unsigned char max_second = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) {
        min_second = 0xA0;  // no overlong 3-byte forms
      } else if (lead == 0xED) {
        max_second = 0x9F;  // no UTF-16 surrogates
      }
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) {
        min_second = 0x90;  // no overlong 4-byte forms
      } else if (lead == 0xF4) {
        max_second = 0x8F;  // nothing above U+10FFFF
      }
    } else {
      return i;
    }
    if (i + length > size) {
      return i;
    }
    if (bytes[i + 1] < min_second || bytes[i + 1] > max_second) {
      return i;
    }
    for (size_t k = 2; k < length; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) {
        return i;
      }
    }
    i += length;
  }
  return std::nullopt;
}

}  // namespace conform::traffic::internal
