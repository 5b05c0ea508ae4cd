// Short, one-line descriptions of JSON values for finding messages.
//   internal::DescribeValue(json("2023-11-07 05:31:56"))   // "\"2023-11-07 05:31:56\""
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace conform::validator::internal {

// A value as JSON text, cut to `limit` bytes with "..." (objects and arrays summarised).
std::string DescribeValue(const nlohmann::json& value, size_t limit = 80);
// "string", "integer", "number", "boolean", "null", "object", "array"; "nothing" for nullptr.
std::string JsonTypeName(const nlohmann::json* value);
// "one of JOB_STATE_UNSPECIFIED, JOB_STATE_CREATING, ... (17 values)".
std::string DescribeEnum(const nlohmann::json& values);

}  // namespace conform::validator::internal
