// JSON string escaping at memory speed, for the HAR writer's bodies and strings: one pass, a
// 16-byte block at a time, byte for byte what nlohmann's dump writes (ensure_ascii off).
//   std::string out = "\"";
//   if (AppendJsonEscapedUtf8(out, body)) { out += '"'; }
#pragma once

#include <string>
#include <string_view>

namespace conform::traffic::internal {

// Appends `text` escaped as the contents of a JSON string, the way nlohmann's dump does with
// ensure_ascii off. Returns false, leaving `out` in an unspecified state, when `text` is not
// valid UTF-8.
bool AppendJsonEscapedUtf8(std::string& out, std::string_view text);

}  // namespace conform::traffic::internal
