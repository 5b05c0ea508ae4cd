// Redaction of JSON text in one pass over the bytes, with no DOM: the hot path of recording.
// traffic::RedactBody parses and re-serialises (about 1 ms for a 50-job page); this splices
// "[REDACTED]" over the secret values and copies every other byte (about 30 us).
//   JsonRedactRules rules{.paths = {{"dpoJobs", "*", "trainingConfig", "baseModel"}}};
//   std::optional<std::string> safe = RedactJsonText(R"({"apiKey":"k"})", rules);
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "traffic/redact.h"

namespace conform::recorder::internal {

struct JsonRedactRules {
  // Member names that are secret at any depth: traffic::IsSecretJsonKey with these extras.
  traffic::RedactionRules key_rules;
  // Root-anchored paths; a segment "*" matches any member name or array index, a decimal
  // segment also matches that array index.
  std::vector<std::vector<std::string>> paths;
  // Deeper text is replaced whole by [REDACTED], as traffic::RedactBody does.
  size_t max_depth = 512;
};

// `text` with the value of every secret member, and of every value a path selects, replaced
// by the JSON string "[REDACTED]" (null and "" values are left alone: they hold nothing). All
// other bytes are kept. nullopt when nothing was replaced. Text that does not start (after
// whitespace) with '{' or '[' is scanned from its first '{' or '[', its prefix kept (a BOM, an
// XSSI guard such as ")]}'\n", a JSONP callback); nullopt when it holds neither. Text that is
// not valid JSON is still scanned: members that look secret are replaced, never kept. For
// valid JSON the result parses to the same value as traffic::RedactBody's.
std::optional<std::string> RedactJsonText(std::string_view text, const JsonRedactRules& rules);

// RedactJsonText by the reference scanner alone, byte by byte over the structural characters.
// RedactJsonText uses it for path rules and for text its block scanner leaves (a backslash
// outside strings); exposed for the property that holds the two together.
std::optional<std::string> RedactJsonTextReference(std::string_view text,
                                                   const JsonRedactRules& rules);

// False only when traffic::IsSecretJsonKey(key) is surely false: every built-in secret name,
// once '_'/'-' are dropped and ASCII is lowercased, ends in one of eight endings ("key",
// "ret", "ord", "swd", "ken", "tion", "als", "kie"). Exposed for the property that keeps it in
// step with traffic/redact.cc.
bool MaybeBuiltInSecretKey(std::string_view key);

}  // namespace conform::recorder::internal
