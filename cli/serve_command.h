// `conform serve [--listen HOST:PORT] [--jobs N] [--seed S] [--data FILE] [--fault NAME]...
// [--api-key ACCOUNT=KEY]... [--list-faults]`: runs the reference ListDpoJobs server, correct
// or with named faults, until SIGINT or SIGTERM. Prints the URL, the accounts with their job
// counts and keys, and example curl commands.
//   ServeOptions options{.listen = "127.0.0.1:0", .faults = {"desc-ignored"}};
//   Result<int> code = RunServe(options, env, std::cout, std::cerr);   // blocks until a signal
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "common/result.h"
#include "server/http_server.h"

namespace conform::cli {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  size_t jobs = 350;  // jobs of account "acme" in the generated data
  uint64_t seed = 1;
  std::string data;                 // JSON array or JSON Lines of DpoJobs instead of generated data
  std::vector<std::string> faults;  // names, or comma-separated lists of names
  std::vector<std::string> api_keys;  // ACCOUNT=KEY
  bool list_faults = false;
};

// Adds the subcommand to `app`; `options` is filled when it is parsed.
CLI::App* RegisterServe(CLI::App& app, ServeOptions& options);

// Serves until SIGINT or SIGTERM, then stops cleanly and returns 0. Errors: kInvalidArgument
// for bad options (exit 2), kUnavailable when the address cannot be bound (exit 3), data-file
// errors as server::StartServer reports them.
Result<int> RunServe(const ServeOptions& options, const Environment& env, std::ostream& out,
                     std::ostream& err);

// RunServe with the wait replaced: `until` runs once the server is up and the banner printed,
// and the server stops when it returns. For tests (no signals involved).
Result<int> RunServeUntil(const ServeOptions& options, std::ostream& out,
                          const std::function<void(const server::RunningServer&)>& until);

}  // namespace conform::cli
