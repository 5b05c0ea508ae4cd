#include "recorder/internal/http_glue.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string_view>
#include <utility>
#include <vector>

#include "validator/rpc_codes.h"

namespace conform::recorder::internal {
namespace {

using Json = nlohmann::json;

bool IsHopByHop(std::string_view name) {
  for (std::string_view hop :
       {"connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "trailers", "transfer-encoding", "upgrade"}) {
    if (traffic::EqualsIgnoreCase(name, hop)) {
      return true;
    }
  }
  return false;
}

// Names listed in the Connection header(s), which are hop-by-hop too (RFC 9110 7.6.1).
bool NamedByConnection(const traffic::Headers& headers, std::string_view name) {
  for (const traffic::Header& header : headers) {
    if (!traffic::EqualsIgnoreCase(header.name, "connection")) {
      continue;
    }
    std::string_view list = header.value;
    while (!list.empty()) {
      size_t comma = list.find(',');
      std::string_view item = list.substr(0, comma);
      while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) {
        item.remove_prefix(1);
      }
      while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) {
        item.remove_suffix(1);
      }
      if (traffic::EqualsIgnoreCase(item, name)) {
        return true;
      }
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
  }
  return false;
}

// RFC 9110 5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" /
// "_" / "`" / "|" / "~" / DIGIT / ALPHA.
bool IsToken(std::string_view name) {
  if (name.empty()) {
    return false;
  }
  for (char c : name) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// A value httplib can write on one line: no CR or LF (which would end it early) and no NUL.
bool IsSafeValue(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// HTTP/2 pseudo-headers (":status") that browsers put in their HAR exports.
bool IsPseudoHeader(std::string_view name) { return name.starts_with(':'); }

bool IsHttplibAddition(std::string_view name) {
  return name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
         name == "LOCAL_PORT";
}

// httplib's server decodes request bodies sent with these codings before the handler runs.
bool IsDecodedByServer(std::string_view coding) {
  return traffic::EqualsIgnoreCase(coding, "gzip") ||
         traffic::EqualsIgnoreCase(coding, "deflate") || traffic::EqualsIgnoreCase(coding, "br");
}

namespace rpc = validator::rpc;

// A value the client sent, short enough for a message.
std::string Clip(std::string_view value) {
  constexpr size_t kMaxEchoed = 64;
  return value.size() <= kMaxEchoed ? std::string(value)
                                    : std::string(value.substr(0, kMaxEchoed)) + "...";
}

// The methods httplib's request-line parser accepts.
bool IsKnownMethod(std::string_view method) {
  for (std::string_view known :
       {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "PRI"}) {
    if (method == known) {
      return true;
    }
  }
  return false;
}

}  // namespace

traffic::Headers ClientHeaders(const httplib::Request& request) {
  traffic::Headers headers;
  headers.reserve(request.headers.size());
  for (const auto& [name, value] : request.headers) {
    if (IsHttplibAddition(name)) {
      continue;
    }
    headers.push_back(traffic::Header{name, value});
  }
  return headers;
}

bool CanCarry(const traffic::Header& header) {
  return IsToken(header.name) && IsSafeValue(header.value);
}

traffic::Headers ForwardableRequestHeaders(const traffic::Headers& headers) {
  traffic::Headers out;
  out.reserve(headers.size());
  for (const traffic::Header& header : headers) {
    if (IsHopByHop(header.name) || NamedByConnection(headers, header.name) ||
        traffic::EqualsIgnoreCase(header.name, "host") ||
        traffic::EqualsIgnoreCase(header.name, "content-length") ||
        (traffic::EqualsIgnoreCase(header.name, "content-encoding") &&
         IsDecodedByServer(header.value))) {
      continue;
    }
    out.push_back(header);
  }
  return out;
}

ResponseHeaders ForwardableResponseHeaders(const traffic::Headers& headers) {
  ResponseHeaders out;
  out.headers.reserve(headers.size());
  for (const traffic::Header& header : headers) {
    if (IsHopByHop(header.name) || NamedByConnection(headers, header.name) ||
        traffic::EqualsIgnoreCase(header.name, "content-length") || IsPseudoHeader(header.name)) {
      continue;
    }
    if (!CanCarry(header)) {
      ++out.unsafe_dropped;
      continue;
    }
    out.headers.push_back(header);
  }
  return out;
}

ResponseHeaders ReplayableResponseHeaders(const traffic::Headers& headers) {
  ResponseHeaders out = ForwardableResponseHeaders(headers);
  std::erase_if(out.headers, [](const traffic::Header& header) {
    return traffic::EqualsIgnoreCase(header.name, "content-encoding");
  });
  return out;
}

std::string RpcErrorBody(int code, std::string_view message, const nlohmann::json& details) {
  Json body = {{"code", code}, {"message", std::string(message)}, {"details", details}};
  return body.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

void WriteResponse(const httplib::Request& request, httplib::Response& response, int status,
                   const traffic::Headers& headers, std::shared_ptr<const std::string> body) {
  // httplib would otherwise serve a slice of the body for a Range header, which the upstream
  // (or the recording) has already honoured. The Request is a local of httplib's connection
  // loop, not a const object, so clearing it is defined.
  const_cast<httplib::Request&>(request).ranges.clear();
  response.status = status;
  if (body && !body->empty()) {
    // A provider with a known length is never compressed by httplib, unlike `response.body`.
    const size_t size = body->size();
    response.set_content_provider(
        size, "", [body = std::move(body)](size_t offset, size_t length, httplib::DataSink& sink) {
          return sink.write(body->data() + offset, length);
        });
    response.headers.erase("Content-Type");
  }
  for (const traffic::Header& header : headers) {
    response.headers.emplace(header.name, header.value);
  }
}

bool ReachedHandler(const httplib::Request& request) { return !request.matches.empty(); }

Refusal DescribeRefusal(int status, const httplib::Request& request) {
  // httplib fills method, target and version while it splits the request line, the path only
  // once the line is valid, and the remote address only once the headers are read.
  const bool line_parsed = !request.path.empty();
  const bool headers_read = request.remote_port >= 0;
  if (status == 414) {
    return {.rpc_code = rpc::kResourceExhausted,
            .marker = "request-line-too-long",
            .message = "the request line is longer than 8192 bytes"};
  }
  if (status == 413) {
    return {.rpc_code = rpc::kResourceExhausted,
            .marker = "request-body-too-large",
            .message = "the request body is over the limit"};
  }
  if (status == 416) {
    return {.rpc_code = rpc::kInvalidArgument,
            .marker = "malformed-range",
            .message = "malformed Range header"};
  }
  if (status >= 500) {
    return {.rpc_code = rpc::kInternal,
            .marker = "internal",
            .message = "internal error (the HTTP layer answered " + std::to_string(status) + ")"};
  }
  if (status != 400) {
    return {.message = "the HTTP layer refused the request with status " + std::to_string(status)};
  }
  if (!line_parsed) {
    std::string message = "malformed request line (expected METHOD TARGET HTTP/1.1)";
    if (!request.version.empty() && !IsKnownMethod(request.method)) {
      message = "malformed request line: unknown method '" + Clip(request.method) + "'";
    } else if (!request.version.empty() && request.version != "HTTP/1.1" &&
               request.version != "HTTP/1.0") {
      message = "malformed request line: unsupported version '" + Clip(request.version) +
                "' (HTTP/1.0 and HTTP/1.1 are served)";
    }
    return {.marker = "malformed-request-line", .message = std::move(message)};
  }
  if (!headers_read) {
    return {.marker = "malformed-request-header",
            .message =
                "malformed request header: a header line longer than 8192 bytes, or "
                "headers that do not end with an empty line"};
  }
  if (request.method == "CONNECT" || request.method == "TRACE" || request.method == "PRI") {
    return {.marker = "method-not-supported",
            .message = "method " + request.method +
                       " is not supported (GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS are)"};
  }
  return {.marker = "malformed-request-body",
          .message =
              "malformed request body: a bad chunk, or fewer bytes than its "
              "Content-Length"};
}

std::string NowIso8601() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(ms % 1000));
  return text;
}

}  // namespace conform::recorder::internal
