// Redaction: secrets never reach disk or the terminal; page tokens always survive (DESIGN.md).
//   traffic::Exchange safe = traffic::RedactExchange(exchange, {});
//   std::string body = traffic::RedactBody(R"({"wandbConfig":{"apiKey":"k"}})", {});
//   // {"wandbConfig":{"apiKey":"[REDACTED]"}}
// pageToken / nextPageToken / page_token are never secrets, whatever the rules say.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "traffic/exchange.h"

namespace conform::traffic {

inline constexpr std::string_view kRedacted = "[REDACTED]";
// What a URL's userinfo becomes ("https://REDACTED@host/"): no brackets, which would read as
// an IPv6 address.
inline constexpr std::string_view kRedactedUserinfo = "REDACTED";

// Names to treat as secret on top of the built-in ones, compared like them.
struct RedactionRules {
  std::vector<std::string> headers;       // header names, case-insensitive
  std::vector<std::string> json_keys;     // JSON member names
  std::vector<std::string> query_params;  // URL query parameter names
};

// Authorization, Proxy-Authorization, Cookie, Set-Cookie, X-Api-Key and any name containing
// "api-key", "apikey", "api_key", "secret", "password", "session" or "token" (ASCII
// case-insensitive). A "token" name that also contains "page" or "ratelimit"/"rate-limit" is
// not a secret: X-Page-Token and X-RateLimit-Remaining-Tokens survive.
bool IsSecretHeader(std::string_view name, const RedactionRules& rules = {});

// Keys are compared case-insensitively with '_' and '-' ignored. Secret: apiKey, password,
// passwd, secret, clientSecret, accessToken, refreshToken, idToken, authToken, token,
// privateKey, secretKey, secretAccessKey, authorization, credentials, cookie; and any key
// ending in "apikey", "secret", "password", "passwd", "token", "privatekey", "secretkey" or
// "credentials" (hfToken, wandbApiKey). Never a secret: pageToken, nextPageToken, page_token
// and any other key ending in "pagetoken", and tokenizer settings (eosToken, bosToken,
// padToken, unkToken, sepToken, clsToken, maskToken).
bool IsSecretJsonKey(std::string_view key, const RedactionRules& rules = {});

// The form keys are compared in: lowercase, '_' and '-' dropped ("client_secret" and
// "clientSecret" -> "clientsecret").
std::string NormalizeJsonKey(std::string_view key);

// The JSON key rules plus "key", "sig" and "signature" (API keys and signed URLs).
bool IsSecretQueryParam(std::string_view name, const RedactionRules& rules = {});

// Replaces the value of every secret member, at any depth, with "[REDACTED]" (null and
// empty strings are left alone: they hold nothing). Iterative: any depth is safe. Returns
// the number of values replaced.
size_t RedactJson(nlohmann::json& json, const RedactionRules& rules = {});

// A JSON body with its secret members redacted. The bytes are returned unchanged when the
// body is not JSON or holds no secret; otherwise the result is re-serialised compactly. A JSON
// body nested deeper than `max_depth` is replaced whole by "[REDACTED]": too deep to inspect.
std::string RedactBody(std::string_view body, const RedactionRules& rules = {},
                       size_t max_depth = 512);

// Secret header values become "[REDACTED]"; "Bearer x"/"Basic x" keep their scheme word.
Headers RedactHeaders(const Headers& headers, const RedactionRules& rules = {});

// The URL with its userinfo replaced by "REDACTED" and the values of secret query parameters
// by "[REDACTED]"; every other byte unchanged. The userinfo ends at the last '@' of the
// authority (up to the first '/', '?' or '#'), or, where that authority has no '@' and is no
// host:port but "user:pa" as in "http://user:pa/ss@host/", at the last '@' of the URL: the
// password holds a '/', '?' or '#'. An '@' after a host[:port] is left alone, as the path's.
std::string RedactUrl(std::string_view url, const RedactionRules& rules = {});

// Headers, URL and both bodies redacted (JSON bodies, and form-encoded request bodies by
// their parameter names). Source, timing and error are kept.
Exchange RedactExchange(Exchange exchange, const RedactionRules& rules = {});

// Redaction by value, for secrets that turn up where no name says so (a server that echoes
// the caller's key in a message or a header).
// The values of the secrets `request` carries: each secret header's value (and the part after
// a scheme word: the key of "Bearer KEY"), each cookie's value, each secret query parameter's.
std::vector<std::string> RequestSecretValues(const Request& request,
                                             const RedactionRules& rules = {});
// The forms `secrets` take in text, to search for: each value as it is and percent-encoded.
// Values shorter than 8 bytes are left out: they would match ordinary text (real keys are
// far longer).
std::vector<std::string> SecretValueForms(const std::vector<std::string>& secrets);
// Replaces every occurrence of each of `forms` in `text` with "[REDACTED]".
void ScrubSecretValues(std::string& text, const std::vector<std::string>& forms);

}  // namespace conform::traffic
