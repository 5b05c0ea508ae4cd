// Content-Encoding decoding for the cassette: the client gets the upstream's bytes as sent
// (gzip stays gzip), the cassette gets the decoded body, as browsers' HAR exports do.
//   std::optional<std::string> text = DecodeContent("gzip", raw, 32 << 20);
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace conform::recorder::internal {

// Decodes `body` by a Content-Encoding value: "gzip"/"x-gzip", "deflate" (zlib or raw), "br",
// "identity", or a list of them applied in order ("gzip, br"). nullopt for an unknown coding,
// corrupt data, or a decoded size over `max_bytes`.
std::optional<std::string> DecodeContent(std::string_view coding, std::string_view body,
                                         size_t max_bytes);

// Whether the Content-Encoding value names a compression DecodeContent undoes (gzip, x-gzip,
// deflate, br), so that a body it fails on may hide readable text, secrets included.
bool NamesCompression(std::string_view coding);

}  // namespace conform::recorder::internal
