#include "validator/json_body.h"

#include <string>

namespace conform::validator {
namespace {

// The deepest nesting of [ and { outside strings, stopping early past `limit`.
int NestingDepth(std::string_view text, int limit, size_t& offset) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > limit) {
          offset = i;
          return deepest;
        }
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

std::string Megabytes(size_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

}  // namespace

Result<nlohmann::json> ParseJsonBody(std::string_view body, const BodyLimits& limits) {
  if (body.size() > limits.max_bytes) {
    return ResourceExhausted("body is " + Megabytes(body.size()) + ", over the limit of " +
                             Megabytes(limits.max_bytes) + " (--max-body-size)");
  }
  size_t first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return InvalidArgument("body is empty, expected JSON");
  }
  size_t offset = 0;
  if (NestingDepth(body, limits.max_depth, offset) > limits.max_depth) {
    return ResourceExhausted("JSON nested deeper than " + std::to_string(limits.max_depth) +
                             " levels (at byte " + std::to_string(offset) + ")");
  }
  nlohmann::json value = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!value.is_discarded()) {
    return value;
  }
  // Parse again with exceptions on, only to learn where and why it failed.
  try {
    nlohmann::json unused = nlohmann::json::parse(body);
    (void)unused;
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..."
    size_t colon = what.find("parse error");
    return InvalidArgument("not valid JSON: " + (colon == std::string::npos ? what : what.substr(colon)));
  } catch (const std::exception& e) {
    return InvalidArgument(std::string("not valid JSON: ") + e.what());
  }
  return InvalidArgument("not valid JSON");
}

}  // namespace conform::validator
