// `conform record --upstream URL --out FILE.har [--listen HOST:PORT] [--validate]
// [--fail-on-violation] [--spec FILE] [--ca-file F] [--insecure] [--redact-header NAME]...
// [--redact-json-path PATH]... [--max-body-size SIZE] [--timeout MS] [--fsync periodic|each]
// [--threads N]`: a reverse proxy that records every exchange, redacted, into a crash-safe HAR
// cassette, until SIGINT or SIGTERM; then it finishes the cassette and prints a summary.
//   RecordOptions options{.upstream = "https://api.fireworks.ai", .out = "session.har"};
//   Result<int> code = RunRecord(options, env, std::cout, std::cerr);   // blocks until a signal
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "cli/proxy_options.h"
#include "common/result.h"
#include "recorder/session.h"

namespace conform::cli {

struct RecordOptions {
  std::string upstream;
  std::string out;
  bool validate = false;
  bool fail_on_violation = false;  // implies validate
  std::string spec;                // empty: the built-in ListDpoJobs contract
  ProxyOptions proxy;
  // With validate, the page walks are checked at exit over a cassette up to this size; stopping
  // a long recording must not load gigabytes back (`conform validate` checks a larger one).
  // Not a flag: tests lower it.
  uint64_t walk_check_max_bytes = uint64_t{256} << 20;
};

// Adds the subcommand to `app`; `options` is filled when it is parsed.
CLI::App* RegisterRecord(CLI::App& app, RecordOptions& options);

// Records until SIGINT or SIGTERM. Exit codes: 0; 1 with --validate when a `must` finding was
// seen, on an exchange or, at exit, in the page walks the cassette holds; 3 when the cassette could
// not be written. Errors: INVALID_ARGUMENT for bad options (exit 2), UNAVAILABLE when the address
// cannot be bound or the cassette created (exit 3), NOT_FOUND for a missing --spec or --ca-file
// (exit 3).
Result<int> RunRecord(const RecordOptions& options, const Environment& env, std::ostream& out,
                      std::ostream& err);

// RunRecord with the wait replaced: `until` runs once the proxy is up and its URL printed, and
// the proxy stops when it returns. For tests (no signals involved).
Result<int> RunRecordUntil(const RecordOptions& options, std::ostream& out, std::ostream& err,
                           const std::function<void(const recorder::Session&)>& until);

// Shared with `conform replay` (cli/replay_command.cc).
// The upstream flags as recorder options; INVALID_ARGUMENT for a bad size or timeout.
}  // namespace conform::cli
