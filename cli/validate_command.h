// `conform validate [--spec FILE] [--operation ID] [--strict] INPUT...`: checks recorded
// traffic (HAR, JSON Lines of exchanges or bodies, single JSON bodies, directories) against
// the contract, offline, with no server and no credentials.
//   ValidateOptions options{.inputs = {"spec/examples/dpo_jobs"}};
//   Result<int> code = RunValidate(options, env, std::cout, std::cerr);
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

struct ValidateOptions {
  std::string spec;       // empty: the built-in ListDpoJobs contract
  std::string operation;  // operationId every exchange is checked against
  std::vector<std::string> inputs;
  std::string input_format = "auto";  // auto | har | exchanges | bodies
  int status = 200;                   // status of bare response bodies
  std::string max_body_size = "32MiB";
  int jobs = 0;  // threads; 0 = one per core
  PageSizeFlags page_sizes;
  OutputOptions output;
};

// Adds the subcommand to `app`; `options` is filled when it is parsed.
CLI::App* RegisterValidate(CLI::App& app, ValidateOptions& options);

// Runs it. Tool errors come back as Result errors (spec, options); unreadable inputs are
// reported in the report and give exit code 3.
Result<int> RunValidate(const ValidateOptions& options, const Environment& env, std::ostream& out,
                        std::ostream& err);

}  // namespace conform::cli
