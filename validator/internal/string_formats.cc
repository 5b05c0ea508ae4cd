#include "validator/internal/string_formats.h"

#include <arpa/inet.h>

#include <string>

namespace conform::validator::internal {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// RFC 5322 atext.
bool IsAtext(char c) {
  return IsAlpha(c) || IsDigit(c) ||
         std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

bool IsDotAtom(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.') {
    return false;
  }
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '.') {
      if (text[i - 1] == '.') {
        return false;
      }
    } else if (!IsAtext(text[i])) {
      return false;
    }
  }
  return true;
}

// RFC 5321 Quoted-string: printable ASCII inside quotes, '"' and '\' only escaped.
bool IsQuotedString(std::string_view text) {
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') {
    return false;
  }
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\') {
      if (i + 2 >= text.size() || text[i + 1] < 32 || text[i + 1] > 126) {
        return false;
      }
      ++i;
    } else if (c == '"' || c < 32 || c > 126) {
      return false;
    }
  }
  return true;
}

bool IsScheme(std::string_view text) {
  if (text.empty() || !IsAlpha(text[0])) {
    return false;
  }
  for (char c : text) {
    if (!IsAlpha(c) && !IsDigit(c) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

// Only characters a URI may hold, each '%' followed by two hex digits, at most one '#'.
bool HasUriCharacters(std::string_view text) {
  static constexpr std::string_view kAllowed = "-._~:/?#[]@!$&'()*+,;=";
  bool fragment = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size() || !IsHex(text[i + 1]) || !IsHex(text[i + 2])) {
        return false;
      }
      i += 2;
    } else if (c == '#') {
      if (fragment) {
        return false;
      }
      fragment = true;
    } else if (!IsAlpha(c) && !IsDigit(c) && kAllowed.find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool IsUuid(std::string_view value) {
  if (StartsWith(value, "urn:uuid:")) {
    value.remove_prefix(9);
  }
  if (value.size() != 36) {
    return false;
  }
  for (size_t i = 0; i < value.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? value[i] != '-' : !IsHex(value[i])) {
      return false;
    }
  }
  return true;
}

bool IsHostname(std::string_view value) {
  if (!value.empty() && value.back() == '.') {
    value.remove_suffix(1);
  }
  if (value.empty() || value.size() > 253) {
    return false;
  }
  size_t start = 0;
  while (start <= value.size()) {
    size_t end = value.find('.', start);
    if (end == std::string_view::npos) {
      end = value.size();
    }
    std::string_view label = value.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!IsAlpha(c) && !IsDigit(c) && c != '-') {
        return false;
      }
    }
    start = end + 1;
  }
  return true;
}

bool IsIpv4(std::string_view value) {
  int parts = 0;
  size_t i = 0;
  while (i < value.size()) {
    size_t digits = 0;
    int number = 0;
    while (i + digits < value.size() && IsDigit(value[i + digits]) && digits < 4) {
      number = number * 10 + (value[i + digits] - '0');
      ++digits;
    }
    if (digits == 0 || digits > 3 || number > 255 || (digits > 1 && value[i] == '0')) {
      return false;
    }
    ++parts;
    i += digits;
    if (i < value.size()) {
      if (value[i] != '.' || parts == 4) {
        return false;
      }
      ++i;
      if (i == value.size()) {
        return false;  // a trailing dot
      }
    }
  }
  return parts == 4;
}

bool IsIpv6(std::string_view value) {
  if (value.empty() || value.size() > 45) {
    return false;
  }
  unsigned char address[16];
  return inet_pton(AF_INET6, std::string(value).c_str(), address) == 1;
}

bool IsEmail(std::string_view value) {
  const size_t at = value.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64) {
    return false;
  }
  std::string_view local = value.substr(0, at);
  std::string_view domain = value.substr(at + 1);
  if (!IsDotAtom(local) && !IsQuotedString(local)) {
    return false;
  }
  if (domain.size() > 2 && domain.front() == '[' && domain.back() == ']') {
    std::string_view literal = domain.substr(1, domain.size() - 2);
    return StartsWith(literal, "IPv6:") ? IsIpv6(literal.substr(5)) : IsIpv4(literal);
  }
  return IsHostname(domain) && domain.back() != '.';
}

bool IsUri(std::string_view value) {
  const size_t colon = value.find(':');
  return colon != std::string_view::npos && IsScheme(value.substr(0, colon)) &&
         HasUriCharacters(value.substr(colon + 1));
}

bool IsUriReference(std::string_view value) {
  const size_t colon = value.find(':');
  const size_t first_delimiter = value.find_first_of("/?#");
  if (colon != std::string_view::npos && colon < first_delimiter) {
    return IsUri(value);  // the text before ':' is a scheme, or the reference is malformed
  }
  return HasUriCharacters(value);
}

bool IsBase64(std::string_view value) {
  if (value.size() % 4 != 0) {
    return false;
  }
  size_t padding = 0;
  while (padding < 2 && padding < value.size() && value[value.size() - 1 - padding] == '=') {
    ++padding;
  }
  for (size_t i = 0; i + padding < value.size(); ++i) {
    const char c = value[i];
    if (!IsAlpha(c) && !IsDigit(c) && c != '+' && c != '/') {
      return false;
    }
  }
  return true;
}

}  // namespace conform::validator::internal
