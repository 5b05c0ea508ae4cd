#include "traffic/url.h"

#include <algorithm>
#include <charconv>

#include "common/utf8.h"
#include "traffic/redact.h"

namespace conform::traffic {
namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// `text` (digits only) as a port number from `min` to 65535.
std::optional<int> ParsePort(std::string_view text, int min) {
  int value = 0;
  if (text.empty()) {
    return std::nullopt;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > 65535) {
    return std::nullopt;
  }
  return value;
}

// A base URL as a refusal shows it: RedactUrl's redaction, and everything before the last '@'
// taken for userinfo. RedactUrl, reading any URL, must take an '@' after a '/' for the path's
// ("http://h:12/34@x"); a base URL has none there, so a '/', '?' or '#' before the '@' is in a
// password ("http://user:12/34@host"), and so is all of "user:pw@host" without a scheme.
std::string ShownBaseUrl(std::string_view url) {
  size_t at = url.rfind('@');
  if (at == std::string_view::npos) {
    return RedactUrl(url);
  }
  size_t scheme_end = url.find("://");
  size_t userinfo_start =
      scheme_end != std::string_view::npos && scheme_end < at ? scheme_end + 3 : 0;
  return RedactUrl(std::string(url.substr(0, userinfo_start)) + std::string(kRedactedUserinfo) +
                   std::string(url.substr(at)));
}

}  // namespace

std::string PercentDecode(std::string_view text, PlusIs plus) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      int hi = HexDigitValue(text[i + 1]);
      int lo = HexDigitValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    if (c == '+' && plus == PlusIs::kSpace) {
      out.push_back(' ');
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (IsUnreserved(u)) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0x0F]);
    }
  }
  return out;
}

QueryParams ParseQuery(std::string_view query) {
  QueryParams params;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      params.emplace_back(PercentDecode(pair), std::string());
    } else {
      params.emplace_back(PercentDecode(pair.substr(0, eq)), PercentDecode(pair.substr(eq + 1)));
    }
  }
  return params;
}

std::optional<std::string> QueryValue(const QueryParams& query, std::string_view key) {
  for (const auto& [name, value] : query) {
    if (name == key) {
      return value;
    }
  }
  return std::nullopt;
}

std::string BuildQuery(const QueryParams& query) {
  std::string out;
  for (const auto& [name, value] : query) {
    if (!out.empty()) {
      out.push_back('&');
    }
    out += PercentEncode(name);
    out.push_back('=');
    out += PercentEncode(value);
  }
  return out;
}

Result<Url> ParseUrl(std::string_view text) {
  Url url;
  std::string_view rest = text;
  size_t fragment = rest.find('#');
  if (fragment != std::string_view::npos) {
    rest = rest.substr(0, fragment);
  }
  size_t scheme_end = rest.find("://");
  if (scheme_end != std::string_view::npos &&
      rest.substr(0, scheme_end).find_first_of("/?") == std::string_view::npos) {
    url.scheme = std::string(rest.substr(0, scheme_end));
    rest = rest.substr(scheme_end + 3);
    size_t authority_end = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, authority_end);
    rest =
        authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
    size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
      authority = authority.substr(at + 1);  // userinfo is never kept
    }
    size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
      std::string_view port = authority.substr(colon + 1);
      std::optional<int> value = ParsePort(port, 1);
      if (!value) {
        return InvalidArgument("invalid port '" + std::string(port) + "'", std::string(text));
      }
      url.port = *value;
      authority = authority.substr(0, colon);
    }
    if (authority.empty()) {
      return InvalidArgument("URL has no host", std::string(text));
    }
    url.host = std::string(authority);
    if (rest.empty() || rest.front() == '?') {
      url.path = "/";
    }
  } else if (rest.empty() || rest.front() != '/') {
    return InvalidArgument("not a URL: expected scheme://host/... or /path", std::string(text));
  }
  size_t question = rest.find('?');
  if (url.path.empty()) {
    url.path = std::string(rest.substr(0, question));
  }
  if (question != std::string_view::npos) {
    url.query = ParseQuery(rest.substr(question + 1));
  }
  return url;
}

Result<Url> ParseBaseUrl(std::string_view text) {
  auto refuse = [text](std::string_view reason) {
    return InvalidArgument(
        "'" + ShownBaseUrl(text) +
        "' is not a base URL (http(s)://host[:port][/prefix]): " + std::string(reason));
  };
  if (text.empty()) {
    return refuse("it is empty");
  }
  if (std::any_of(text.begin(), text.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || u == 0x7F;
      })) {
    return refuse("it holds a space or a control character");
  }
  size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) {
    return refuse("it has no http:// or https://");
  }
  Url url;
  url.scheme = std::string(text.substr(0, scheme_end));
  for (char& c : url.scheme) {
    c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (url.scheme != "http" && url.scheme != "https") {
    return refuse("the scheme must be http or https (start the URL with http:// or https://)");
  }
  if (text.find_first_of("?#") != std::string_view::npos) {
    return refuse("a base URL has no query or fragment");
  }
  std::string_view rest = text.substr(scheme_end + 3);
  size_t slash = rest.find('/');
  // Else "http://user:pa/ss@host" would be host "user", port "pa", and no userinfo to redact.
  if (slash != std::string_view::npos && rest.find('@', slash) != std::string_view::npos) {
    return refuse(
        "an '@' after the host (write '/' in a user name or password as %2F, '@' in a path as "
        "%40)");
  }
  std::string_view authority = rest.substr(0, slash);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);  // userinfo is never kept
  }
  std::string_view port;  // "" or ":PORT"
  if (authority.starts_with('[')) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return refuse("the IPv6 address has no closing ']'");
    }
    std::string_view address = authority.substr(1, close - 1);
    if (address.find(':') == std::string_view::npos ||
        address.find_first_not_of("0123456789abcdefABCDEF:.") != std::string_view::npos) {
      return refuse("'[" + std::string(address) + "]' is not an IPv6 address");
    }
    port = authority.substr(close + 1);
    if (!port.empty() && port.front() != ':') {
      return refuse("the IPv6 address is followed by '" + std::string(port) + "', not by ':PORT'");
    }
    url.host = std::string(authority.substr(0, close + 1));
  } else {
    size_t colon = authority.find(':');
    url.host = std::string(authority.substr(0, colon));
    port = colon == std::string_view::npos ? std::string_view() : authority.substr(colon);
    if (url.host.empty()) {
      return refuse("it has no host");
    }
    for (char c : url.host) {
      if (!IsUnreserved(static_cast<unsigned char>(c))) {
        return refuse("the host '" + url.host + "' holds '" + std::string(1, c) +
                      "', which no host name or address does");
      }
    }
  }
  if (!port.empty()) {
    std::optional<int> number = ParsePort(port.substr(1), 1);
    if (!number) {
      return refuse("the port '" + std::string(port.substr(1)) +
                    "' is not a number from 1 to 65535");
    }
    url.port = *number;
  }
  url.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  return url;
}

std::string Target(const Url& url) {
  std::string target = url.path.empty() ? "/" : url.path;
  if (!url.query.empty()) {
    target += "?" + BuildQuery(url.query);
  }
  return target;
}

std::string EscapeUrl(std::string_view url) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  size_t start = 0;
  size_t scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos &&
      url.substr(0, scheme_end).find_first_of("/?#") == std::string_view::npos) {
    start = url.find_first_of("/?#", scheme_end + 3);
    if (start == std::string_view::npos) {
      return std::string(url);
    }
  }
  std::string out(url.substr(0, start));
  out.reserve(url.size());
  for (size_t i = start; i < url.size(); ++i) {
    auto u = static_cast<unsigned char>(url[i]);
    bool escape_start =
        u == '%' && i + 2 < url.size() && HexDigitValue(url[i + 1]) >= 0 && HexDigitValue(url[i + 2]) >= 0;
    bool unsafe =
        u <= 0x20 || u >= 0x7F || (u == '%' && !escape_start) ||
        std::string_view(R"("<>\^`{|}[])").find(static_cast<char>(u)) != std::string_view::npos;
    if (unsafe) {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0x0F]);
    } else {
      out.push_back(url[i]);
    }
  }
  return out;
}

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  const Error bad =
      InvalidArgument("expected HOST:PORT (e.g. 127.0.0.1:8080), got '" + std::string(text) + "'");
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return bad;
  }
  std::string host(text.substr(0, colon));
  std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string::npos) {
    return bad;  // an IPv6 address needs brackets
  }
  if (host.empty()) {
    host = "127.0.0.1";
  }
  std::optional<int> port = ParsePort(port_text, 0);
  if (!port) {
    return bad;
  }
  return ListenAddress{.host = host, .port = *port};
}

std::string HostPort(std::string_view host, int port) {
  std::string shown(host);
  if (shown.find(':') != std::string::npos) {
    shown = "[" + shown + "]";
  }
  return shown + ":" + std::to_string(port);
}

}  // namespace conform::traffic
