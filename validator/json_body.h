// Parsing an HTTP body as JSON within explicit limits, so a 100 MB body or one nested
// 100,000 deep gets a clear error instead of a stall or a stack overflow.
//   auto body = validator::ParseJsonBody(exchange.response.body, {});
//   if (!body && body.error().code == ErrorCode::kResourceExhausted) { /* over a limit */ }
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string_view>

#include "common/result.h"

namespace conform::validator {

struct BodyLimits {
  size_t max_bytes = size_t{32} << 20;  // 32 MiB
  int max_depth = 256;                  // nesting of arrays and objects
};

// kResourceExhausted when over a limit; kInvalidArgument for an empty body, invalid JSON or
// invalid UTF-8, with the byte offset in the message.
Result<nlohmann::json> ParseJsonBody(std::string_view body, const BodyLimits& limits);

}  // namespace conform::validator
