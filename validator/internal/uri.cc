#include "validator/internal/uri.h"

namespace conform::validator::internal {

// scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
bool IsScheme(std::string_view text) {
  // ASCII only, whatever the locale.
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (text.empty() || !alpha(text[0])) {
    return false;
  }
  for (char c : text) {
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

namespace {

// The five components of a URI reference (RFC 3986 appendix B); absent is not empty.
struct UriParts {
  std::optional<std::string_view> scheme;
  std::optional<std::string_view> authority;
  std::string_view path;
  std::optional<std::string_view> query;
  std::optional<std::string_view> fragment;
};

UriParts Parse(std::string_view text) {
  UriParts parts;
  if (size_t hash = text.find('#'); hash != std::string_view::npos) {
    parts.fragment = text.substr(hash + 1);
    text = text.substr(0, hash);
  }
  if (size_t question = text.find('?'); question != std::string_view::npos) {
    parts.query = text.substr(question + 1);
    text = text.substr(0, question);
  }
  if (size_t colon = text.find(':');
      colon != std::string_view::npos && IsScheme(text.substr(0, colon))) {
    parts.scheme = text.substr(0, colon);
    text = text.substr(colon + 1);
  }
  if (text.substr(0, 2) == "//") {
    text = text.substr(2);
    size_t slash = text.find('/');
    parts.authority = text.substr(0, slash);
    text = slash == std::string_view::npos ? std::string_view() : text.substr(slash);
  }
  parts.path = text;
  return parts;
}

// RFC 3986 section 5.2.4.
std::string RemoveDotSegments(std::string_view input) {
  std::string output;
  while (!input.empty()) {
    if (input.substr(0, 3) == "../") {
      input.remove_prefix(3);
    } else if (input.substr(0, 2) == "./") {
      input.remove_prefix(2);
    } else if (input.substr(0, 3) == "/./") {
      input.remove_prefix(2);
    } else if (input == "/.") {
      input = "/";
    } else if (input.substr(0, 4) == "/../" || input == "/..") {
      input = input.size() == 3 ? std::string_view("/") : input.substr(3);
      size_t last = output.rfind('/');
      output.resize(last == std::string::npos ? 0 : last);
    } else if (input == "." || input == "..") {
      input = {};
    } else {
      size_t next = input.find('/', input[0] == '/' ? 1 : 0);
      output += input.substr(0, next);
      input = next == std::string_view::npos ? std::string_view() : input.substr(next);
    }
  }
  return output;
}

// RFC 3986 section 5.2.3.
std::string Merge(const UriParts& base, std::string_view path) {
  if (base.authority && base.path.empty()) {
    return "/" + std::string(path);
  }
  size_t slash = base.path.rfind('/');
  if (slash == std::string_view::npos) {
    return std::string(path);
  }
  return std::string(base.path.substr(0, slash + 1)) + std::string(path);
}

}  // namespace

std::string ResolveUri(std::string_view base, std::string_view reference) {
  const UriParts r = Parse(reference);
  const UriParts b = Parse(base);
  UriParts t;
  std::string path;
  if (r.scheme) {
    t.scheme = r.scheme;
    t.authority = r.authority;
    path = RemoveDotSegments(r.path);
    t.query = r.query;
  } else {
    t.scheme = b.scheme;
    if (r.authority) {
      t.authority = r.authority;
      path = RemoveDotSegments(r.path);
      t.query = r.query;
    } else {
      t.authority = b.authority;
      if (r.path.empty()) {
        path = std::string(b.path);
        t.query = r.query ? r.query : b.query;
      } else {
        path = RemoveDotSegments(r.path[0] == '/' ? std::string(r.path) : Merge(b, r.path));
        t.query = r.query;
      }
    }
  }
  // RFC 3986 section 5.3.
  std::string out;
  if (t.scheme) {
    out.append(*t.scheme).push_back(':');
  }
  if (t.authority) {
    out.append("//").append(*t.authority);
  }
  out += path;
  if (t.query) {
    out.append("?").append(*t.query);
  }
  if (r.fragment) {
    out.append("#").append(*r.fragment);
  }
  return out;
}

SplitUri SplitFragment(std::string_view uri) {
  size_t hash = uri.find('#');
  if (hash == std::string_view::npos) {
    return {uri, std::nullopt};
  }
  return {uri.substr(0, hash), uri.substr(hash + 1)};
}

}  // namespace conform::validator::internal
