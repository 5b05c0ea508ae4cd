// `conform check`: the conformance suite against a live server, for CI. One run says whether
// a List endpoint keeps its contract: schema and status, paging, ordering, filtering, tokens,
// read masks and auth (docs/checks.md). With no --base-url it checks the embedded server.
//   CheckOptions options;                      // the embedded reference server
//   Result<int> code = RunCheck(options, env, std::cout, std::cerr);
#pragma once

#include <CLI/CLI.hpp>

#include <ostream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "cli/output_options.h"
#include "cli/target_options.h"
#include "common/result.h"

namespace conform::cli {

struct CheckOptions {
  TargetOptions target;
  std::vector<std::string> checks;          // ids or prefixes to run
  std::vector<std::string> exclude_checks;  // ids or prefixes to leave out
  PageSizeFlags page_sizes;
  OutputOptions output;
};

CLI::App* RegisterCheck(CLI::App& app, CheckOptions& options);
Result<int> RunCheck(const CheckOptions& options, const Environment& env, std::ostream& out, std::ostream& err);

}  // namespace conform::cli
