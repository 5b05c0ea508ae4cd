// One cassette entry as compact JSON, byte for byte what traffic::HarStreamEntry writes but
// about ten times faster for large response bodies: the small parts still go through
// traffic::HarEntry, and the body is escaped in one pass and spliced in.
//   std::string line = HarEntryJson(exchange);   // no leading ',' and no trailing '\n'
#pragma once

#include <string>
#include <string_view>

#include "traffic/exchange.h"

namespace conform::recorder::internal {

// Equal to traffic::HarStreamEntry(exchange, 0) without its trailing '\n' (tests hold the two
// together). Never contains a raw newline.
std::string HarEntryJson(const traffic::Exchange& exchange);

// Appends `text` escaped as the contents of a JSON string, the way nlohmann's dump does with
// ensure_ascii off. Returns false, leaving `out` in an unspecified state, when `text` is not
// valid UTF-8.
bool AppendJsonEscapedUtf8(std::string& out, std::string_view text);

}  // namespace conform::recorder::internal
