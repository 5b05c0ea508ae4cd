// URL-safe base64 without padding (RFC 4648 section 5), strict on decode: only the 64
// characters of the URL alphabet, no '=', no whitespace, and the unused low bits of the last
// character must be zero, so every byte string has exactly one encoding (a token whose last
// character is changed never decodes to the same bytes).
//   std::string text = internal::Base64UrlEncode("\x01\x02");      // "AQI"
//   std::optional<std::string> bytes = internal::Base64UrlDecode("AQI");
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace conform::server::internal {

std::string Base64UrlEncode(std::string_view bytes);
// nullopt for any text that Base64UrlEncode would not produce.
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace conform::server::internal
