// Limits and defaults for reading recorded traffic (HAR, JSON Lines, bare bodies).
//   traffic::ReadOptions options{.limits = {.max_body_bytes = 8 << 20}, .default_status = 200};
//   auto exchanges = traffic::ReadInput("cassette.har", traffic::InputFormat::kAuto, options);
// Every limit is explicit (DESIGN.md): exceeding one is a RESOURCE_EXHAUSTED error naming the
// input and the place, never a hang or a crash; a response body over max_body_bytes may
// instead be marked on its exchange (OverLimitBody::kMark).
#pragma once

#include <cstddef>
#include <cstdint>

namespace conform::traffic {

// What a response body over ReadLimits::max_body_bytes does to the input that holds it.
enum class OverLimitBody {
  // The whole input is refused (RESOURCE_EXHAUSTED): a replayed cassette must serve every
  // body as recorded.
  kRefuse,
  // The exchange is kept with its body not loaded and Exchange::body_over_read_limit set; the
  // other exchanges are read as usual. `conform validate` reports it as response.body.limit.
  kMark,
};

struct ReadLimits {
  // Largest request or response body, after base64 decoding (HAR) or as on the line (JSONL).
  size_t max_body_bytes = size_t{32} << 20;
  // A response body over max_body_bytes. A request body over it is refused either way: no
  // check reads it, and an exchange replayed or reported without it would be wrong.
  OverLimitBody over_limit_response = OverLimitBody::kRefuse;
  // Deepest nesting of the JSON the reader itself parses: a HAR document, an exchange object's
  // envelope. Checked by a linear pre-scan, so a 100,000-deep document is refused, not parsed.
  // Bare bodies are handed over unparsed; their depth is the validator's to judge.
  size_t max_depth = 512;
  // Largest input file ReadInput will load.
  uint64_t max_file_bytes = uint64_t{1} << 30;
};

struct ReadOptions {
  ReadLimits limits;
  // Status given to a bare response body (a line that is not an exchange object).
  int default_status = 200;
};

}  // namespace conform::traffic
