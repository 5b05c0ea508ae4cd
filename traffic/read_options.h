// Limits and defaults for reading recorded traffic (HAR, JSON Lines, bare bodies).
//   traffic::ReadOptions options{.limits = {.max_body_bytes = 8 << 20}, .default_status = 200};
//   auto exchanges = traffic::ReadInput("cassette.har", traffic::InputFormat::kAuto, options);
// Every limit is explicit (DESIGN.md): exceeding one is a RESOURCE_EXHAUSTED error naming the
// input and the place, never a hang or a crash.
#pragma once

#include <cstddef>
#include <cstdint>

namespace conform::traffic {

struct ReadLimits {
  // Largest request or response body, after base64 decoding (HAR) or as on the line (JSONL).
  size_t max_body_bytes = size_t{32} << 20;
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
