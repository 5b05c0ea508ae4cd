#include "traffic/curl.h"

#include <algorithm>
#include <vector>

#include "traffic/url.h"

namespace conform::traffic {
namespace {

// [A-Za-z0-9_] kept, other bytes become '_'; upper-cased; never starts with a digit.
std::string ShellVariable(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'a' && c <= 'z') {
      out.push_back(static_cast<char>(c - 'a' + 'A'));
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
      out.push_back(c);
    } else {
      out.push_back('_');
    }
  }
  if (out.empty() || (out.front() >= '0' && out.front() <= '9')) {
    out.insert(out.begin(), '_');
  }
  return out;
}

std::string KeepCase(std::string_view name) {
  std::string out;
  for (char c : name) {
    bool plain =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    out.push_back(plain ? c : '_');
  }
  if (out.empty() || (out.front() >= '0' && out.front() <= '9')) {
    out.insert(out.begin(), '_');
  }
  return out;
}

// A header name that can sit inside double quotes without the shell touching it.
bool IsTokenName(std::string_view name) {
  if (name.empty()) {
    return false;
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) {
      return false;
    }
  }
  return true;
}

// Headers the command must not repeat: curl computes Host and Content-Length itself;
// hop-by-hop headers belong to the recorded connection; HTTP/2 pseudo-headers (":authority",
// in browser exports) are not header lines at all, and curl would send them as malformed ones.
bool LeftToCurl(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "host", "content-length", "connection", "keep-alive", "proxy-connection", "transfer-encoding",
      "te",   "upgrade",        "trailer"};
  return name.starts_with(':') ||
         std::any_of(std::begin(kNames), std::end(kNames),
                     [name](std::string_view known) { return EqualsIgnoreCase(name, known); });
}

// Whether an Accept-Encoding value asks for a compressed body: then the command says
// --compressed, which asks for what this curl can decode and decodes it; repeating a browser's
// "gzip, deflate, br, zstd" would print compressed bytes.
bool AsksForCompression(std::string_view value) {
  for (std::string_view coding : {"gzip", "deflate", "br", "zstd", "compress", "*"}) {
    size_t at = 0;
    while ((at = value.find(coding, at)) != std::string_view::npos) {
      const size_t end = at + coding.size();
      const bool starts = at == 0 || value[at - 1] == ',' || value[at - 1] == ' ';
      const bool ends =
          end == value.size() || value[end] == ',' || value[end] == ';' || value[end] == ' ';
      if (starts && ends) {
        return true;
      }
      at = end;
    }
  }
  return false;
}

}  // namespace

std::string ShellQuote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

std::string CurlCommand(const Request& request, const CurlOptions& options) {
  std::vector<std::string> args = {"curl", "-sS"};
  std::string method = request.method.empty() ? "GET" : request.method;
  std::string_view default_method = request.body.empty() ? "GET" : "POST";
  if (method == "HEAD") {
    args.push_back("--head");
  } else if (method != default_method) {
    args.push_back("-X " + ShellQuote(method));
  }

  std::string url = request.url;
  if (!url.empty() && url.front() == '/' && !options.base_url.empty()) {
    std::string_view base = options.base_url;
    while (!base.empty() && base.back() == '/') {
      base.remove_suffix(1);
    }
    // A path already under the base's own path ("/api" of "https://x.io/api") gets the
    // origin only: "/api/v4/login" is not "/api/api/v4/login".
    const size_t scheme = base.find("://");
    const size_t path_at = scheme == std::string_view::npos ? 0 : base.find('/', scheme + 3);
    if (path_at != std::string_view::npos) {
      std::string_view base_path = base.substr(path_at);
      std::string_view rest = std::string_view(url).substr(std::min(url.size(), base_path.size()));
      if (!base_path.empty() && std::string_view(url).starts_with(base_path) &&
          (rest.empty() || rest.front() == '/' || rest.front() == '?')) {
        base = base.substr(0, path_at);
      }
    }
    url = std::string(base) + url;
  }
  args.push_back(ShellQuote(EscapeUrl(RedactUrl(url, options.redaction))));

  std::string api_key_env = KeepCase(options.api_key_env);
  bool compressed = false;
  for (const Header& header : request.headers) {
    if (LeftToCurl(header.name)) {
      continue;
    }
    if (EqualsIgnoreCase(header.name, "accept-encoding") && AsksForCompression(header.value)) {
      if (!compressed) {
        args.push_back("--compressed");
        compressed = true;
      }
    } else if (EqualsIgnoreCase(header.name, "authorization")) {
      args.push_back("-H \"Authorization: Bearer $" + api_key_env + "\"");
    } else if (IsSecretHeader(header.name, options.redaction)) {
      if (IsTokenName(header.name)) {
        args.push_back("-H \"" + header.name + ": $" + ShellVariable(header.name) + "\"");
      } else {
        args.push_back("-H " + ShellQuote(header.name + ": " + std::string(kRedacted)));
      }
    } else {
      args.push_back("-H " + ShellQuote(header.name + ": " + header.value));
    }
  }

  std::string comment;
  if (!request.body.empty()) {
    if (request.body.find('\0') != std::string::npos) {
      args.push_back("--data-binary @body.bin");
      comment = "# body.bin: the " + std::to_string(request.body.size()) +
                "-byte binary request body (not shown)";
    } else {
      args.push_back("--data-raw " + ShellQuote(RedactBody(request.body, options.redaction)));
    }
  }

  std::string separator = options.layout == CurlLayout::kMultiLine ? " \\\n  " : " ";
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) {
      out += (i == 1 ? " " : separator);
    }
    out += args[i];
  }
  if (!comment.empty()) {
    out += "\n" + comment;
  }
  return out;
}

}  // namespace conform::traffic
