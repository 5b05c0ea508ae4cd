// Parsing an HTTP body as JSON within explicit limits, so a 100 MB body or one nested
// 100,000 deep gets a clear error instead of a stall or a stack overflow.
//   auto body = validator::ParseJsonBody(exchange.response.body, {});  // body->value
//   if (!body && body.error().code == ErrorCode::kResourceExhausted) { /* over a limit */ }
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace conform::validator {

struct BodyLimits {
  size_t max_bytes = size_t{32} << 20;  // 32 MiB
  int max_depth = 256;                  // nesting of arrays and objects
};

struct JsonBody {
  nlohmann::json value;           // where a member is given twice, its last value
  std::string duplicate_pointer;  // the first member given twice ("/dpoJobs/3/name"), or ""
};

// kResourceExhausted when over a limit; kInvalidArgument for an empty body, invalid JSON or
// invalid UTF-8, with the byte offset in the message. A member given twice in one object is
// valid JSON to the parser but ambiguous to readers: it is returned for the caller to report.
Result<JsonBody> ParseJsonBody(std::string_view body, const BodyLimits& limits);

}  // namespace conform::validator
