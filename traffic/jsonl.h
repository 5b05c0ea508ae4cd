// JSON Lines of traffic: each line is an exchange object or a bare response body.
//   auto exchanges = traffic::ReadJsonl(text, "pages.jsonl", traffic::LineKind::kAuto, {});
//   std::string line = traffic::ExchangeJsonLine(exchanges->front());   // writes the format
// docs/formats.md defines the exchange object. Bodies are handed over as the exact bytes on
// the line, never parsed here: the validator parses each body once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "traffic/exchange.h"
#include "traffic/read_options.h"

namespace conform::traffic {

// How to read each line.
enum class LineKind {
  kAuto,      // an exchange object if it is one (see IsExchangeObject), else a bare body
  kExchange,  // every line must be an exchange object
  kBody,      // every line is a bare response body, whatever it looks like
};

// Cheap classification, without parsing: true if `text` is shaped like a JSON object with a
// top-level "response" member and either a "request" member, a "response" object beside
// nothing but exchange members (request, response, started, elapsedMs, error), or a
// "response" object with an integer "status". Such a line is read as an exchange object even
// if its fields are malformed (a string status is an error, never a bare body). Linear in the
// text, no allocation beyond the member lists. A line that passes and then fails to parse is
// still a bare body in kAuto mode.
bool IsExchangeObject(std::string_view text);

// Reads JSON Lines. Lines are numbered from 1; Exchange::source is "<source_name>:<line>".
// Blank lines are skipped and a trailing CR is dropped. A line that is not valid JSON is a
// bare body holding the line's bytes, not an error: the validator reports it.
// A bare body gets status options.default_status, Content-Type: application/json and an
// unknown request (empty method and URL).
// A response body (or a bare line) over limits.max_body_bytes is, with
// limits.over_limit_response = kMark, left unloaded and marked (Exchange::body_over_read_limit,
// where "response.body", or "" for a bare line) and the next lines are read.
// Errors (where = "<source_name>:<line>"):
//   RESOURCE_EXHAUSTED a request body over limits.max_body_bytes, a response body (or a bare
//     line) over it unless marked, an exchange envelope nested deeper than limits.max_depth
//     (a body's own nesting is not the reader's: it is cut from the envelope);
//   INVALID_ARGUMENT an exchange object with a member of the wrong type
//     ("request.headers is not an array or object"), a member given twice in one object
//     ("response.status appears more than once"), or, with LineKind::kExchange, a line
//     that is not an object with a "response" member.
Result<std::vector<Exchange>> ReadJsonl(std::string_view text, std::string_view source_name,
                                        LineKind kind, const ReadOptions& options);

// One JSON document (a .json file, possibly pretty-printed) read as a single exchange object
// or bare body, with the same rules as one line of ReadJsonl. Exchange::source is
// `source_name`. Truncated or invalid JSON is a bare body, not an error. A body over
// limits.max_body_bytes is always RESOURCE_EXHAUSTED (never marked): the document holds
// nothing else to read.
Result<Exchange> ReadJsonDocument(std::string_view text, std::string_view source_name,
                                  LineKind kind, const ReadOptions& options);

// The exchange object for `exchange`, on one line without the newline. Bodies that are
// valid UTF-8 are JSON strings; others are base64 with "bodyEncoding":"base64". ReadJsonl
// reads it back to an equal request, response, started, elapsed_ms and error.
std::string ExchangeJsonLine(const Exchange& exchange);

}  // namespace conform::traffic
