// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/): read browser exports, write
// cassettes, and stream a cassette to disk so that a crash loses at most the entry in flight.
//   auto exchanges = traffic::ReadHar(text, "session.har", traffic::ReadLimits{});
//   std::string har = traffic::WriteHar(*exchanges, {.name = "conform", .version = "0.1.0"});
// Entries are numbered from 0 in messages and in Exchange::source ("session.har: entry 3" is
// `.log.entries[3]`). docs/formats.md describes the reading rules and the streaming layout.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "traffic/exchange.h"
#include "traffic/read_options.h"

namespace conform::traffic {

// Reads a HAR document as Chrome and Firefox devtools export it. Unknown and `_private`
// members (pages, cache, timings, _initiator, ...) are ignored. Required per entry:
// request{method, url} and response{status}; headers, postData and content are optional.
// `response.content.encoding: "base64"` is decoded; postData `_encoding: "base64"` (written by
// WriteHar for binary request bodies) too. An entry with status 0 (aborted in the browser)
// becomes an Exchange with `error` set and no response. A response body over
// limits.max_body_bytes refuses the document, or, with limits.over_limit_response = kMark, is
// left unloaded and marked (Exchange::body_over_read_limit, where
// "log.entries[3].response.content.text"); its size is counted, never decoded or copied.
// Errors, all with where = source_name:
//   INVALID_ARGUMENT "entry 3: request.method is missing" (or "... is not a string"),
//     "invalid JSON: ..." / "truncated JSON: ..." (where = "<source>:<line>:<column>"),
//     "not UTF-8 text: ..." and "contains a NUL byte ..." (with line and column);
//   RESOURCE_EXHAUSTED "entry 3: request body is N bytes, over the limit of M bytes" (and
//     "response body ..." unless marked) and "JSON nesting deeper than the limit of 512
//     levels" (the document's own nesting: bodies are strings, their depth is the validator's).
Result<std::vector<Exchange>> ReadHar(std::string_view text, std::string_view source_name,
                                      const ReadLimits& limits);

// log.creator of a written HAR.
struct HarCreator {
  std::string name = "conform";
  std::string version;
};

// One HAR 1.2 entry. Bodies that are valid UTF-8 are written as text; others as base64
// (`content.encoding: "base64"`, or `postData._encoding: "base64"`), so every body reads
// back byte-identical. An Exchange with status 0 is written with `response._error` set to its
// error. An empty `started` is written as the epoch. Header names or URLs that are not UTF-8
// are written with U+FFFD replacements (HAR is JSON text); bodies are never altered.
nlohmann::json HarEntry(const Exchange& exchange);
// HarEntry dumped compactly (ensure_ascii off, invalid UTF-8 replaced), byte for byte, but
// written straight into the string: 14 us against nlohmann's 127 us for a 44 KB page, which a
// recording proxy writes for every request. No raw newline; no leading ',' and no trailing '\n'.
std::string HarEntryLine(const Exchange& exchange);

// A whole HAR document: HarStreamPrefix + one HarStreamEntry per exchange + HarStreamSuffix.
std::string WriteHar(const std::vector<Exchange>& exchanges, const HarCreator& creator);

// Streaming, for crash-safe recording. A cassette is written append-only, one line at a time:
//
//   {"log":{"version":"1.2","creator":{...},"pages":[],"entries":[      <- HarStreamPrefix
//   {...entry 0...}                                                    <- HarStreamEntry(e, 0)
//   ,{...entry 1...}                                                   <- HarStreamEntry(e, 1)
//   ]}}                                                                <- HarStreamSuffix
//
// Every piece ends with '\n' and an entry's JSON never contains a raw newline, so each entry
// is exactly one line. Once the suffix is written the file is an ordinary HAR. If the writer
// dies first, RecoverHar rebuilds a valid HAR from whatever prefix of the file reached disk.
// The recorder appends (and, if it wants durability, fsyncs) after each entry.
std::string HarStreamPrefix(const HarCreator& creator);
std::string HarStreamEntry(const Exchange& exchange, size_t index);
std::string_view HarStreamSuffix();

struct RecoveredHar {
  std::string har;             // a complete HAR 1.2 document
  size_t entries = 0;          // entries recovered
  size_t discarded_bytes = 0;  // bytes of a torn last line that were dropped
  bool was_complete = false;   // the suffix was present: nothing was torn
};

// Rebuilds a HAR from a stream written with the functions above and cut at any byte. An
// entry counts once all of its JSON reached the file (its newline may be missing); a torn
// last line is dropped. Empty text, or text cut inside the prefix, gives a HAR with no
// entries. Errors: INVALID_ARGUMENT when the text does not start like a HAR stream, or when
// a line other than the last is not a complete entry (where = "<source>:<line>").
Result<RecoveredHar> RecoverHar(std::string_view text, std::string_view source_name);

}  // namespace conform::traffic
