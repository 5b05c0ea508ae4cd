#include "validator/internal/string_formats.h"

#include <arpa/inet.h>

#include <string>

#include "validator/internal/uri.h"

namespace conform::validator::internal {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The end of the run of digits that starts at `at` (`at` itself when there is none).
size_t SkipDigits(std::string_view text, size_t at) {
  while (at < text.size() && IsDigit(text[at])) {
    ++at;
  }
  return at;
}
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

// "%XX" at `at`.
bool IsPctEncoded(std::string_view text, size_t at) {
  return at + 2 < text.size() && text[at] == '%' && IsHex(text[at + 1]) && IsHex(text[at + 2]);
}

// Only characters a URI may hold, each '%' followed by two hex digits, at most one '#'.
bool HasUriCharacters(std::string_view text) {
  static constexpr std::string_view kAllowed = "-._~:/?#[]@!$&'()*+,;=";
  bool fragment = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (!IsPctEncoded(text, i)) {
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

namespace {

// Reads "<digits><designator>" at `at` when the designator is `designator`; advances `at`.
bool TakeComponent(std::string_view text, size_t& at, char designator) {
  const size_t end = SkipDigits(text, at);
  if (end == at || end >= text.size() || text[end] != designator) {
    return false;
  }
  at = end + 1;
  return true;
}

// Reads the designators of `order` in order, each optional; returns how many were read.
int TakeComponents(std::string_view text, size_t& at, std::string_view order) {
  int taken = 0;
  for (char designator : order) {
    taken += TakeComponent(text, at, designator) ? 1 : 0;
  }
  return taken;
}

// RFC 6570 varname: varchar *( ["."] varchar ), varchar = ALPHA / DIGIT / "_" / pct-encoded.
bool IsVarname(std::string_view text) {
  bool after_varchar = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (IsAlpha(c) || IsDigit(c) || c == '_') {
      after_varchar = true;
    } else if (c == '%' && IsPctEncoded(text, i)) {
      i += 2;
      after_varchar = true;
    } else if (c == '.' && after_varchar && i + 1 < text.size()) {
      after_varchar = false;
    } else {
      return false;
    }
  }
  return after_varchar;
}

// RFC 6570 varspec: varname [ ":" max-length (1-9999, no leading zero) / "*" ].
bool IsVarspec(std::string_view text) {
  if (!text.empty() && text.back() == '*') {
    return IsVarname(text.substr(0, text.size() - 1));
  }
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return IsVarname(text);
  }
  std::string_view length = text.substr(colon + 1);
  if (length.empty() || length.size() > 4 || length[0] == '0' ||
      SkipDigits(length, 0) != length.size()) {
    return false;
  }
  return IsVarname(text.substr(0, colon));
}

bool IsTemplateExpression(std::string_view body) {
  if (!body.empty() && std::string_view("+#./;?&=,!@|").find(body[0]) != std::string_view::npos) {
    body.remove_prefix(1);
  }
  while (true) {
    const size_t comma = body.find(',');
    if (!IsVarspec(body.substr(0, comma))) {
      return false;
    }
    if (comma == std::string_view::npos) {
      return true;
    }
    body.remove_prefix(comma + 1);
  }
}

}  // namespace

bool IsDuration(std::string_view value) {
  if (value.size() < 3 || value[0] != 'P') {
    return false;
  }
  size_t at = 1;
  if (TakeComponent(value, at, 'W')) {
    return at == value.size();
  }
  int taken = TakeComponents(value, at, "YMD");
  if (at < value.size() && value[at] == 'T') {
    ++at;
    const int time_taken = TakeComponents(value, at, "HMS");
    if (time_taken == 0) {
      return false;
    }
    taken += time_taken;
  }
  return taken > 0 && at == value.size();
}

bool IsJsonPointer(std::string_view value) {
  if (!value.empty() && value[0] != '/') {
    return false;
  }
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '~' &&
        (i + 1 == value.size() || (value[i + 1] != '0' && value[i + 1] != '1'))) {
      return false;
    }
  }
  return true;
}

bool IsRelativeJsonPointer(std::string_view value) {
  auto take_integer = [&value](size_t& at) {
    const size_t start = at;
    at = SkipDigits(value, at);
    return at > start && (value[start] != '0' || at == start + 1);
  };
  size_t at = 0;
  if (!take_integer(at)) {
    return false;
  }
  if (at < value.size() && (value[at] == '+' || value[at] == '-')) {
    ++at;
    if (!take_integer(at)) {
      return false;
    }
  }
  std::string_view rest = value.substr(at);
  return rest == "#" || IsJsonPointer(rest);
}

bool IsUriTemplate(std::string_view value) {
  for (size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c == '{') {
      const size_t close = value.find('}', i);
      if (close == std::string_view::npos ||
          !IsTemplateExpression(value.substr(i + 1, close - i - 1))) {
        return false;
      }
      i = close;
    } else if (c == '%') {
      if (!IsPctEncoded(value, i)) {
        return false;
      }
      i += 2;
    } else if (c <= 0x20 || c == 0x7f ||
               std::string_view("\"'<>\\^`|}").find(static_cast<char>(c)) !=
                   std::string_view::npos) {
      return false;
    }
  }
  return true;
}

}  // namespace conform::validator::internal
