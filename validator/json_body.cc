#include "validator/json_body.h"

#include <string>
#include <utility>

#include "traffic/json_members.h"

#include "common/nesting.h"

namespace conform::validator {
namespace {

std::string Megabytes(size_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

}  // namespace

Result<JsonBody> ParseJsonBody(std::string_view body, const BodyLimits& limits) {
  if (body.size() > limits.max_bytes) {
    return ResourceExhausted("body is " + Megabytes(body.size()) + ", over the limit of " +
                             Megabytes(limits.max_bytes) + " (--max-body-size)");
  }
  size_t first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return InvalidArgument("body is empty, expected JSON");
  }
  if (auto too_deep = FindDepthExceeded(body, static_cast<size_t>(limits.max_depth))) {
    return ResourceExhausted("JSON nested deeper than " + std::to_string(limits.max_depth) +
                             " levels (at byte " + std::to_string(*too_deep) + ")");
  }
  traffic::ParsedJson parsed = traffic::ParseJsonNotingDuplicates(body);
  if (!parsed.value.is_discarded()) {
    return JsonBody{.value = std::move(parsed.value),
                    .duplicate_pointer =
                        parsed.duplicate ? traffic::JsonPointer(*parsed.duplicate) : ""};
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
