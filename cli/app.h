// The conform command line, runnable in-process: main() and the CLI tests both call
// RunConform with an argv vector and streams (STYLE K4).
//   std::ostringstream out, err;
//   int code = cli::RunConform({"conform", "validate", "x.har"}, out, err, cli::Environment{});
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace conform::cli {

// What the process environment tells the CLI; libraries below never read it (STYLE K5).
struct Environment {
  // Looks up an environment variable (API keys, NO_COLOR). Unset by default.
  std::function<std::optional<std::string>(const std::string&)> getenv =
      [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  bool stdout_is_tty = false;
  bool stderr_is_tty = false;
};

// Parses `args` (args[0] is the program name), runs the subcommand and returns its exit code.
int RunConform(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Environment& env);

}  // namespace conform::cli
