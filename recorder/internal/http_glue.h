// What the proxy and the replayer share at the HTTP layer: which headers travel, the
// grpc-gateway error bodies they answer with, and writing a response whose bytes httplib must
// not touch (no compression, no range slicing).
//   traffic::Headers forward = ForwardableRequestHeaders(request_headers);
//   std::string body = RpcErrorBody(14, "upstream unreachable", nlohmann::json::array());
#pragma once

#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "traffic/exchange.h"

namespace conform::recorder::internal {

// The request's headers as the client sent them, without the REMOTE_ADDR/LOCAL_ADDR entries
// httplib adds.
traffic::Headers ClientHeaders(const httplib::Request& request);

// Headers to send upstream: without hop-by-hop headers (Connection and those it names,
// Keep-Alive, Proxy-*, TE, Trailer, Transfer-Encoding, Upgrade), Host and Content-Length, and
// without a Content-Encoding httplib already decoded.
traffic::Headers ForwardableRequestHeaders(const traffic::Headers& headers);

// Response headers to send, and how many were dropped because HTTP/1.1 cannot carry them.
struct ResponseHeaders {
  traffic::Headers headers;
  // Headers whose name is not an RFC 9110 token or whose value holds CR, LF or NUL: httplib
  // writes them verbatim, so "a\r\nInjected: yes" would reach the client as a second header.
  size_t unsafe_dropped = 0;
};

// Whether HTTP/1.1 can carry the header: its name is an RFC 9110 token and its value holds no
// CR, LF or NUL.
bool CanCarry(const traffic::Header& header);

// Headers of an upstream response to pass to the client: without hop-by-hop headers,
// Content-Length (httplib sets it) and unsafe headers. Content-Encoding stays: the bytes pass
// through.
ResponseHeaders ForwardableResponseHeaders(const traffic::Headers& headers);

// Headers of a recorded response to replay: also without Content-Encoding (cassette bodies
// are decoded) and HTTP/2 pseudo-headers (":status") that browsers export; a pseudo-header
// is not counted as unsafe.
ResponseHeaders ReplayableResponseHeaders(const traffic::Headers& headers);

// {"code": code, "message": message, "details": details}: google.rpc.Status as grpc-gateway
// writes it.
std::string RpcErrorBody(int code, std::string_view message, const nlohmann::json& details);

// Sets status, headers and body as given. The body goes out byte for byte: httplib neither
// compresses it for an Accept-Encoding nor slices it for a Range header (the proxy forwards
// those to the upstream, which has already applied them).
void WriteResponse(const httplib::Request& request, httplib::Response& response, int status,
                   const traffic::Headers& headers, std::shared_ptr<const std::string> body);

// Whether httplib passed the request to a route handler (it fills Request::matches when it
// dispatches). An error response for a request that did not get there is one httplib produced
// itself, with no body: a request line over 8192 bytes, a malformed request line or header, a
// Content-Length over the payload limit, a bad chunk or Range header.
bool ReachedHandler(const httplib::Request& request);

// An error httplib produced itself, described for a grpc-gateway error body.
struct Refusal {
  int rpc_code = 3;                               // google.rpc.Code
  std::string_view marker = "malformed-request";  // the X-Conform-Error value
  std::string message;  // what was wrong; echoes at most the method and version, clipped
};

// Describes httplib's error `status` for `request`, as far as httplib parsed it. The markers:
// request-line-too-long (414), malformed-request-line, malformed-request-header,
// method-not-supported (CONNECT, TRACE and PRI have no route), malformed-request-body,
// malformed-range (416), request-body-too-large (413), internal (5xx), malformed-request
// (anything else).
Refusal DescribeRefusal(int status, const httplib::Request& request);

// Now as ISO 8601 UTC with milliseconds: "2024-05-01T12:00:00.123Z".
std::string NowIso8601();

}  // namespace conform::recorder::internal
