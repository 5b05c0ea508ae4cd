#include "traffic/redact.h"

#include <algorithm>
#include <array>
#include <utility>

#include "common/ascii.h"
#include "traffic/internal/json_text.h"
#include "traffic/url.h"

namespace conform::traffic {
namespace {

using Json = nlohmann::json;

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

bool IsNeverSecretKey(const std::string& normalized) {
  static constexpr std::array<std::string_view, 7> kTokenizerSettings = {
      "eostoken", "bostoken", "padtoken", "unktoken", "septoken", "clstoken", "masktoken"};
  if (normalized.ends_with("pagetoken")) {
    return true;
  }
  for (std::string_view setting : kTokenizerSettings) {
    if (normalized == setting) {
      return true;
    }
  }
  return false;
}

bool IsBuiltInSecretKey(const std::string& normalized) {
  static constexpr std::array<std::string_view, 16> kExact = {
      "apikey",          "password",      "passwd",      "secret", "clientsecret", "accesstoken",
      "refreshtoken",    "idtoken",       "authtoken",   "token",  "privatekey",   "secretkey",
      "secretaccesskey", "authorization", "credentials", "cookie"};
  static constexpr std::array<std::string_view, 8> kSuffixes = {
      "apikey", "secret", "password", "passwd", "token", "privatekey", "secretkey", "credentials"};
  for (std::string_view exact : kExact) {
    if (normalized == exact) {
      return true;
    }
  }
  for (std::string_view suffix : kSuffixes) {
    if (normalized.ends_with(suffix)) {
      return true;
    }
  }
  return false;
}

bool MatchesRule(const std::string& normalized, const std::vector<std::string>& extra) {
  for (const std::string& rule : extra) {
    if (NormalizeJsonKey(rule) == normalized) {
      return true;
    }
  }
  return false;
}

// Replaces the values of secret parameters in "a=1&api_key=x", and the userinfo of a URL
// given raw as a value ("next=http://u:p@h/"), keeping every other byte.
std::string RedactQueryString(std::string_view query, const RedactionRules& rules) {
  std::string out;
  out.reserve(query.size());
  while (true) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos &&
        IsSecretQueryParam(PercentDecode(pair.substr(0, eq)), rules)) {
      out.append(pair.substr(0, eq + 1));
      out += PercentEncode(kRedacted);
    } else if (eq != std::string_view::npos && pair.find("://", eq) != std::string_view::npos) {
      out.append(pair.substr(0, eq + 1));
      out += RedactUrl(pair.substr(eq + 1), rules);
    } else {
      out.append(pair);
    }
    if (amp == std::string_view::npos) {
      break;
    }
    out.push_back('&');
    query.remove_prefix(amp + 1);
  }
  return out;
}

// Where the userinfo of an absolute URL ends: the index of its last '@' (see RedactUrl), or
// npos. `authority_start` is the index after "://".
size_t UserinfoEnd(std::string_view url, size_t authority_start) {
  size_t authority_end = url.find_first_of("/?#", authority_start);
  std::string_view authority = url.substr(authority_start, authority_end == std::string_view::npos
                                                               ? std::string_view::npos
                                                               : authority_end - authority_start);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    return authority_start + at;
  }
  size_t colon = authority.find(':');
  if (authority_end == std::string_view::npos || colon == std::string_view::npos ||
      authority.starts_with('[')) {
    return std::string_view::npos;
  }
  std::string_view port = authority.substr(colon + 1);
  if (!port.empty() && port.find_first_not_of("0123456789") == std::string_view::npos) {
    return std::string_view::npos;  // host:port, then a path or query that may hold an '@'
  }
  size_t at = url.rfind('@');
  return at != std::string_view::npos && at > authority_end ? at : std::string_view::npos;
}

// Headers whose value is a URL: a redirect to "?api_key=..." or to "https://user:pw@host/"
// carries the secret as plainly as the request URL does.
bool HoldsUrl(std::string_view name) {
  return EqualsIgnoreCase(name, "location") || EqualsIgnoreCase(name, "content-location") ||
         EqualsIgnoreCase(name, "referer");
}

// RedactUrl for a header's URL, which may also be a network-path reference ("//user:pw@host/x",
// no scheme for RedactUrl to find the userinfo after) or carry an OAuth token in its fragment
// ("#access_token=..."), whose parameters are redacted like the query's.
std::string RedactUrlValue(std::string_view url, const RedactionRules& rules) {
  size_t hash = url.find('#');
  std::string_view fragment = hash == std::string_view::npos ? std::string_view() : url.substr(hash + 1);
  url = url.substr(0, hash);
  std::string out = url.starts_with("//") ? RedactUrl("x:" + std::string(url), rules).substr(2)
                                          : RedactUrl(url, rules);
  if (hash != std::string_view::npos) {
    out += "#" + RedactQueryString(fragment, rules);
  }
  return out;
}

}  // namespace

std::string NormalizeJsonKey(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '_' || c == '-') {
      continue;
    }
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

bool IsSecretHeader(std::string_view name, const RedactionRules& rules) {
  std::string lower = AsciiLower(name);
  for (const std::string& rule : rules.headers) {
    if (EqualsIgnoreCase(rule, name)) {
      return true;
    }
  }
  if (lower == "authorization" || lower == "proxy-authorization" || lower == "cookie" ||
      lower == "set-cookie" || lower == "x-api-key") {
    return true;
  }
  if (Contains(lower, "api-key") || Contains(lower, "apikey") || Contains(lower, "api_key") ||
      Contains(lower, "secret") || Contains(lower, "password") || Contains(lower, "session")) {
    return true;
  }
  return Contains(lower, "token") && !Contains(lower, "page") && !Contains(lower, "ratelimit") &&
         !Contains(lower, "rate-limit");
}

bool IsSecretJsonKey(std::string_view key, const RedactionRules& rules) {
  std::string normalized = NormalizeJsonKey(key);
  if (IsNeverSecretKey(normalized)) {
    return false;
  }
  return IsBuiltInSecretKey(normalized) || MatchesRule(normalized, rules.json_keys);
}

bool IsSecretQueryParam(std::string_view name, const RedactionRules& rules) {
  std::string normalized = NormalizeJsonKey(name);
  if (IsNeverSecretKey(normalized)) {
    return false;
  }
  // Signed URLs carry their signature and credential in the query: X-Amz-Signature,
  // X-Amz-Credential, X-Goog-Signature, X-Goog-Credential.
  return normalized == "key" || normalized == "sig" || normalized.ends_with("signature") ||
         normalized.ends_with("credential") || IsBuiltInSecretKey(normalized) ||
         MatchesRule(normalized, rules.query_params) ||
         MatchesRule(normalized, rules.json_keys);
}

size_t RedactJson(nlohmann::json& json, const RedactionRules& rules) {
  size_t replaced = 0;
  std::vector<Json*> pending = {&json};
  while (!pending.empty()) {
    Json* node = pending.back();
    pending.pop_back();
    if (node->is_object()) {
      for (auto& [key, value] : node->items()) {
        bool holds_something =
            !value.is_null() && !(value.is_string() && value.get_ref<const std::string&>().empty());
        if (holds_something && IsSecretJsonKey(key, rules)) {
          value = std::string(kRedacted);
          ++replaced;
        } else if (value.is_structured()) {
          pending.push_back(&value);
        }
      }
    } else if (node->is_array()) {
      for (Json& value : *node) {
        if (value.is_structured()) {
          pending.push_back(&value);
        }
      }
    }
  }
  return replaced;
}

std::string RedactBody(std::string_view body, const RedactionRules& rules, size_t max_depth) {
  std::string_view trimmed = internal::TrimJsonSpace(body);
  if (trimmed.empty() || (trimmed.front() != '{' && trimmed.front() != '[')) {
    return std::string(body);
  }
  Json json = Json::parse(trimmed, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return std::string(body);
  }
  if (internal::FindDepthExceeded(trimmed, max_depth)) {
    return std::string(kRedacted);
  }
  if (RedactJson(json, rules) == 0) {
    return std::string(body);
  }
  return json.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

Headers RedactHeaders(const Headers& headers, const RedactionRules& rules) {
  Headers out = headers;
  for (Header& header : out) {
    if (HoldsUrl(header.name)) {
      header.value = RedactUrlValue(header.value, rules);
      continue;
    }
    if (!IsSecretHeader(header.name, rules)) {
      continue;
    }
    size_t space = header.value.find(' ');
    bool has_scheme = space != std::string::npos && space > 0;
    for (size_t i = 0; has_scheme && i < space; ++i) {
      char c = header.value[i];
      has_scheme = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
    header.value = has_scheme ? header.value.substr(0, space + 1) + std::string(kRedacted)
                              : std::string(kRedacted);
  }
  return out;
}

std::string RedactUrl(std::string_view url, const RedactionRules& rules) {
  std::string out;
  // Userinfo ("https://user:pass@host/") never survives. A "://" after a '/', '?' or '#' is in
  // the path or query ("?next=http://u:p@h"), not after a scheme.
  size_t scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos &&
      url.substr(0, scheme_end).find_first_of("/?#") == std::string_view::npos) {
    size_t at = UserinfoEnd(url, scheme_end + 3);
    if (at != std::string_view::npos) {
      out.append(url.substr(0, scheme_end + 3));
      out += kRedactedUserinfo;
      url.remove_prefix(at);  // from the '@'
    }
  }
  size_t question = url.find('?');
  if (question == std::string_view::npos) {
    out.append(url);
    return out;
  }
  size_t fragment = url.find('#', question);
  std::string_view query =
      url.substr(question + 1, fragment == std::string_view::npos ? std::string_view::npos
                                                                  : fragment - question - 1);
  out.append(url.substr(0, question + 1));
  out += RedactQueryString(query, rules);
  if (fragment != std::string_view::npos) {
    out.append(url.substr(fragment));
  }
  return out;
}

Exchange RedactExchange(Exchange exchange, const RedactionRules& rules) {
  exchange.request.headers = RedactHeaders(exchange.request.headers, rules);
  exchange.request.url = RedactUrl(exchange.request.url, rules);
  auto content_type = FindHeader(exchange.request.headers, "content-type");
  if (content_type && AsciiLower(*content_type).starts_with("application/x-www-form-urlencoded")) {
    exchange.request.body = RedactQueryString(exchange.request.body, rules);
  } else {
    exchange.request.body = RedactBody(exchange.request.body, rules);
  }
  exchange.response.headers = RedactHeaders(exchange.response.headers, rules);
  exchange.response.body = RedactBody(exchange.response.body, rules);
  return exchange;
}

}  // namespace conform::traffic

namespace conform::traffic {

std::vector<std::string> RequestSecretValues(const Request& request, const RedactionRules& rules) {
  std::vector<std::string> values;
  for (const Header& header : request.headers) {
    if (!IsSecretHeader(header.name, rules) || header.value.empty()) {
      continue;
    }
    values.push_back(header.value);
    std::string_view value = header.value;
    if (size_t space = value.find(' '); space != std::string_view::npos) {
      values.emplace_back(value.substr(space + 1));  // "Bearer KEY": KEY
    }
    if (EqualsIgnoreCase(header.name, "cookie")) {
      while (!value.empty()) {  // "a=1; session=SECRET"
        size_t end = value.find(';');
        std::string_view pair = value.substr(0, end);
        if (size_t equals = pair.find('='); equals != std::string_view::npos) {
          values.emplace_back(pair.substr(equals + 1));
        }
        value = end == std::string_view::npos ? std::string_view() : value.substr(end + 1);
      }
    }
  }
  size_t question = request.url.find('?');
  if (question != std::string::npos) {
    std::string_view query = std::string_view(request.url).substr(question + 1);
    query = query.substr(0, query.find('#'));
    for (const auto& [name, value] : ParseQuery(query)) {
      if (IsSecretQueryParam(name, rules)) {
        values.push_back(value);
      }
    }
  }
  return values;
}

std::vector<std::string> SecretValueForms(const std::vector<std::string>& secrets) {
  constexpr size_t kMinSecretLength = 8;
  std::vector<std::string> forms;
  auto add = [&forms](std::string form) {
    if (std::find(forms.begin(), forms.end(), form) == forms.end()) {
      forms.push_back(std::move(form));
    }
  };
  for (const std::string& secret : secrets) {
    if (secret.size() < kMinSecretLength) {
      continue;
    }
    add(secret);
    add(PercentEncode(secret));
  }
  // Longest first: a key inside a longer secret ("Bearer KEY") must not break the longer one.
  std::sort(forms.begin(), forms.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return forms;
}

void ScrubSecretValues(std::string& text, const std::vector<std::string>& forms) {
  for (const std::string& form : forms) {
    for (size_t at = text.find(form); at != std::string::npos; at = text.find(form, at)) {
      text.replace(at, form.size(), kRedacted);
      at += kRedacted.size();
    }
  }
}

}  // namespace conform::traffic
