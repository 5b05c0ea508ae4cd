#include "recorder/internal/content_coding.h"

#include <brotli/decode.h>
#include <zlib.h>

#include <memory>
#include <vector>

#include "common/ascii.h"

namespace conform::recorder::internal {
namespace {

// window_bits: 15 + 32 detects zlib or gzip; -15 is raw deflate.
std::optional<std::string> Inflate(std::string_view body, int window_bits, size_t max_bytes) {
  z_stream stream{};
  if (inflateInit2(&stream, window_bits) != Z_OK) {
    return std::nullopt;
  }
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&stream, inflateEnd);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  stream.avail_in = static_cast<uInt>(body.size());
  std::string out;
  char buffer[1 << 15];
  int result = Z_OK;
  while (result != Z_STREAM_END) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    result = inflate(&stream, Z_NO_FLUSH);
    if (result != Z_OK && result != Z_STREAM_END) {
      return std::nullopt;
    }
    out.append(buffer, sizeof buffer - stream.avail_out);
    if (out.size() > max_bytes) {
      return std::nullopt;
    }
    if (result == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) {
      return std::nullopt;  // the stream ended early
    }
  }
  return out;
}

std::optional<std::string> Unbrotli(std::string_view body, size_t max_bytes) {
  std::unique_ptr<BrotliDecoderState, void (*)(BrotliDecoderState*)> state(
      BrotliDecoderCreateInstance(nullptr, nullptr, nullptr), BrotliDecoderDestroyInstance);
  if (!state) {
    return std::nullopt;
  }
  size_t available_in = body.size();
  const auto* next_in = reinterpret_cast<const uint8_t*>(body.data());
  std::string out;
  uint8_t buffer[1 << 15];
  while (true) {
    size_t available_out = sizeof buffer;
    uint8_t* next_out = buffer;
    BrotliDecoderResult result = BrotliDecoderDecompressStream(state.get(), &available_in, &next_in,
                                                               &available_out, &next_out, nullptr);
    out.append(reinterpret_cast<const char*>(buffer), sizeof buffer - available_out);
    if (out.size() > max_bytes) {
      return std::nullopt;
    }
    if (result == BROTLI_DECODER_RESULT_SUCCESS) {
      return out;
    }
    if (result != BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) {
      return std::nullopt;  // error, or the input ended early
    }
  }
}

// "gzip, br" -> {"gzip", "br"}, lowercased.
std::vector<std::string> SplitCodings(std::string_view coding) {
  std::vector<std::string> codings;
  while (true) {
    size_t comma = coding.find(',');
    std::string name = AsciiLower(TrimSpacesAndTabs(coding.substr(0, comma)));
    if (!name.empty()) {
      codings.push_back(std::move(name));
    }
    if (comma == std::string_view::npos) {
      break;
    }
    coding.remove_prefix(comma + 1);
  }
  return codings;
}

}  // namespace

bool NamesCompression(std::string_view coding) {
  for (const std::string& name : SplitCodings(coding)) {
    if (name == "gzip" || name == "x-gzip" || name == "deflate" || name == "br") {
      return true;
    }
  }
  return false;
}

std::optional<std::string> DecodeContent(std::string_view coding, std::string_view body,
                                         size_t max_bytes) {
  std::vector<std::string> codings = SplitCodings(coding);
  std::string current(body);
  // Codings are listed in the order they were applied: undo them from the last.
  for (auto it = codings.rbegin(); it != codings.rend(); ++it) {
    std::optional<std::string> decoded;
    if (*it == "identity") {
      continue;
    }
    if (*it == "gzip" || *it == "x-gzip") {
      decoded = Inflate(current, 15 + 32, max_bytes);
    } else if (*it == "deflate") {
      decoded = Inflate(current, 15 + 32, max_bytes);
      if (!decoded) {
        decoded = Inflate(current, -15, max_bytes);
      }
    } else if (*it == "br") {
      decoded = Unbrotli(current, max_bytes);
    }
    if (!decoded) {
      return std::nullopt;
    }
    current = std::move(*decoded);
  }
  return current;
}

}  // namespace conform::recorder::internal
