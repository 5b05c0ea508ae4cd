// `conform replay FILE.har [--listen HOST:PORT] [--strict] [--ignore-param NAME]...
// [--match-body] [--upstream URL [--mode none|once|new_episodes|all] [--ca-file F] [--insecure]
// [--timeout MS] [--max-body-size SIZE] [--redact-header NAME]... [--redact-json-path PATH]...
// [--fsync periodic|each]] [--threads N]`: serves recorded responses (no credentials needed;
// auth is not checked) until SIGINT or SIGTERM, recording new ones as the VCR mode says.
//   ReplayOptions options{.cassette = "session.har", .strict = true};
//   Result<int> code = RunReplay(options, env, std::cout, std::cerr);   // blocks until a signal
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "cli/proxy_options.h"
#include "common/result.h"
#include "recorder/session.h"

namespace conform::cli {

struct ReplayOptions {
  std::string cassette;
  bool strict = false;  // exit 1 if a request was unmatched or a recording never used
  std::vector<std::string> ignore_params;
  bool match_body = false;
  std::string upstream;
  std::string mode;  // empty: "once" with --upstream, else "none"
  ProxyOptions proxy;
};

// Adds the subcommand to `app`; `options` is filled when it is parsed.
CLI::App* RegisterReplay(CLI::App& app, ReplayOptions& options);

// Replays until SIGINT or SIGTERM. Exit codes: 0; 1 with --strict when a request was unmatched
// or a recorded exchange never used; 3 when the cassette is missing, unreadable or malformed,
// the address cannot be bound, or new recordings could not be written; 2 for bad options.
Result<int> RunReplay(const ReplayOptions& options, const Environment& env, std::ostream& out,
                      std::ostream& err);

// RunReplay with the wait replaced by `until` (tests).
Result<int> RunReplayUntil(const ReplayOptions& options, std::ostream& out, std::ostream& err,
                           const std::function<void(const recorder::Session&)>& until);

}  // namespace conform::cli
