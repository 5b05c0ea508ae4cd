// The Exchange: one HTTP request and the response it got, the unit every part of conform
// passes around (DESIGN.md). Live runs, proxies and cassettes produce Exchanges; every check
// consumes them without knowing where they came from.
//   traffic::Exchange e{.request = {.method = "GET", .url = "/v1/accounts/a/dpoJobs"}};
//   if (auto type = traffic::FindHeader(e.response.headers, "content-type")) { ... }
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conform::traffic {

struct Header {
  std::string name;
  std::string value;
  bool operator==(const Header&) const = default;
};
using Headers = std::vector<Header>;

// The first header named `name` (ASCII case-insensitive), if any.
std::optional<std::string_view> FindHeader(const Headers& headers, std::string_view name);
// ASCII case-insensitive equality, for header names and media types.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

struct Request {
  std::string method;  // "GET"; empty when the request is unknown (a bare response body)
  // Absolute ("https://api.fireworks.ai/v1/...?pageSize=5") or origin-form ("/v1/...?...").
  std::string url;
  Headers headers;
  std::string body;
  bool operator==(const Request&) const = default;
};

struct Response {
  int status = 0;  // 0: no response was received (see Exchange::error)
  Headers headers;
  std::string body;  // the decoded bytes, exactly as the client received them
  bool operator==(const Response&) const = default;
};

// A recorded body that was not loaded because it is over the reader's size limit.
struct UnloadedBody {
  // Where the recording holds it: "log.entries[3].response.content.text" (HAR),
  // "response.body" (an exchange object in JSON Lines), "" (a bare body: the whole line).
  std::string where;
  size_t bytes = 0;  // its size: decoded from base64 where it was encoded
  size_t limit = 0;  // the ReadLimits::max_body_bytes it is over
};

struct Exchange {
  Request request;
  Response response;
  // Where this exchange came from, for messages: "cassette.har: entry 3", "bodies.jsonl:12".
  std::string source;
  // Time between sending the request and receiving the whole response; 0 when unknown.
  double elapsed_ms = 0;
  // ISO 8601 start time when known (HAR startedDateTime).
  std::string started;
  // Set when the request failed below HTTP (refused, timeout, TLS): no response.
  std::string error;
  // With `error`: the server did answer, but with a body over the client's size limit, which
  // was not read. A fact about the server (response.body.limit), not a failure to reach it.
  bool body_over_limit = false;
  // Set when the recording says a body was sent but does not hold it (a browser's HAR entry
  // with content.size 2384 and no text: a cached or unsaved body). Not an empty body.
  std::string body_not_recorded;
  // Set when the recording holds a response body over the reader's size limit, which was not
  // loaded (ReadLimits::over_limit_response = kMark): response.body is empty, the body was not.
  // The status and headers are read. A fact about the server (response.body.limit), like
  // `body_over_limit`, but of a recorded answer, which has no `error`.
  std::optional<UnloadedBody> body_over_read_limit;
};

}  // namespace conform::traffic
