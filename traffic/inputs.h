// Reading traffic from files: format detection, the errors a user sees, and directory walks.
//   auto paths = traffic::ExpandInputs({"recordings/", "extra.jsonl"});
//   for (const std::string& path : *paths) {
//     auto exchanges = traffic::ReadInput(path, traffic::InputFormat::kAuto, {});
//   }
// Detection rules (kAuto) are in docs/formats.md; every error has where = the path.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "traffic/exchange.h"
#include "traffic/read_options.h"

namespace conform::traffic {

enum class InputFormat {
  kAuto,       // detect: HAR, JSON Lines, or one JSON document
  kHar,        // HAR 1.2
  kExchanges,  // JSON Lines (or one document) where every line must be an exchange object
  kBodies,     // JSON Lines (or one .json document) where every line is a bare response body
};

// Reads one file. kAuto picks:
//   HAR          the name ends in .har, or the text is an object with a "log" object member;
//   one document the name ends in .json (unless it is clearly JSON Lines: several lines, the
//                whole is not JSON and the first line is), or another name whose several lines
//                form one JSON document; read like one line (exchange object or bare body);
//   JSON Lines   .jsonl/.ndjson, and any other name.
// Truncated JSON in a single-document file is a bare body (the validator reports it).
// Errors: NOT_FOUND "no such file"; UNAVAILABLE "cannot read: <reason>"; INVALID_ARGUMENT
// "is a directory ...", "empty: no exchanges" (empty or blank file, HAR without entries) and
// the format errors of ReadHar/ReadJsonl; RESOURCE_EXHAUSTED for limits.max_file_bytes and the
// other limits.
Result<std::vector<Exchange>> ReadInput(std::string_view path, InputFormat format,
                                        const ReadOptions& options);

// The same, for text already in memory (stdin, tests). `name` is used for messages, for
// Exchange::source and for its extension.
Result<std::vector<Exchange>> ReadInputText(std::string_view text, std::string_view name,
                                            InputFormat format, const ReadOptions& options);

// Expands directories, recursively, into the .har/.json/.jsonl/.ndjson files inside them
// (extension case-insensitive), skipping hidden files and directories (names starting with
// '.') and not following directory symlinks. Files inside one directory are sorted by path;
// arguments keep their order; a path given twice is kept once. A file named explicitly is
// kept whatever its name. Errors: NOT_FOUND "no such file" for a missing path and "no
// .har, .json, .jsonl or .ndjson files" for a directory without any; UNAVAILABLE when a
// directory cannot be read.
Result<std::vector<std::string>> ExpandInputs(const std::vector<std::string>& paths);

}  // namespace conform::traffic
