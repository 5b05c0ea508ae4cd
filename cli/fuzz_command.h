// `conform fuzz`: RapidCheck property fuzzing of pagination, filtering and ordering against a
// server (the embedded reference server without --base-url). Each property (fuzz/properties.h)
// runs --runs cases; a failure is shrunk to a minimal case and printed with a one-line
// reproduction and curl commands. The same --seed against the same server sends the same
// requests.
//   FuzzOptions options;                         // the embedded reference server, seed 1
//   options.properties = {"walk_matches_reference"};
//   Result<int> code = RunFuzz(options, env, std::cout, std::cerr);
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "cli/output_options.h"
#include "cli/target_options.h"
#include "common/result.h"

namespace conform::cli {

inline constexpr uint64_t kDefaultFuzzSeed = 1;
inline constexpr int kDefaultFuzzRuns = 100;
// With --duration and no --runs, properties run until their share of the time is spent.
inline constexpr int kMaxFuzzRuns = 100000;

struct FuzzOptions {
  TargetOptions target;
  uint64_t seed = kDefaultFuzzSeed;
  int runs = 0;          // cases per property; 0: kDefaultFuzzRuns, or kMaxFuzzRuns with --duration
  std::string duration;  // "90s", "2m", "500ms", "1h" or seconds; empty: no time limit (an
                         // empty --duration is refused while parsing)
  std::vector<std::string> properties;  // names; empty: all
  bool list_properties = false;
  PageSizeFlags page_sizes;
  OutputOptions output;
};

CLI::App* RegisterFuzz(CLI::App& app, FuzzOptions& options);

// Errors: kInvalidArgument (usage: unknown property, bad --duration, target options),
// kUnavailable (target unreachable), kFailedPrecondition (credentials refused), kInternal.
Result<int> RunFuzz(const FuzzOptions& options, const Environment& env, std::ostream& out,
                    std::ostream& err);

// Parses "90s", "2m", "500ms", "1h" or a plain number of seconds: 1 ms to a week.
// kInvalidArgument, its message naming the text, for anything else (an empty text too).
Result<std::chrono::milliseconds> ParseFuzzDuration(const std::string& text);

}  // namespace conform::cli
