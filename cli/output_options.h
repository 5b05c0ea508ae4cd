// Options every reporting subcommand shares (--format, --junit, --strict, --color, --verbose)
// and the one place that prints a Report and picks the exit code.
//   OutputOptions output;
//   AddOutputOptions(*command, output);
//   return EmitReport(report, output, env, out, err);
#pragma once

#include <CLI/CLI.hpp>

#include <ostream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "cli/report.h"
#include "common/result.h"

namespace conform::cli {

struct OutputOptions {
  std::string format = "text";  // text | json
  std::string junit;            // JUnit XML file, when given
  bool strict = false;
  std::string color = "auto";  // auto | always | never
  bool verbose = false;
};

void AddOutputOptions(CLI::App& command, OutputOptions& options);

// Writes the report to `out` in the chosen format (and the JUnit file) and returns the exit
// code (report.h). A report or JUnit file that cannot be written is reported on `err` and
// gives 3.
int EmitReport(Report report, const OutputOptions& options, const Environment& env, std::ostream& out,
               std::ostream& err);

// For a reporting subcommand that stopped on `error` before it could check anything: prints a
// JSON report holding only the error (--format json) and writes a JUnit file holding it as an
// <error> test case (--junit), so that CI shows why the run stopped instead of no report.
// Nothing for the text format: the caller has printed the error. Returns the exit code
// (ExitCodeForError).
// `key_envs`: environment variables holding API keys, whose values never reach the report.
int EmitStoppedReport(const std::string& command, const Error& error, const OutputOptions& options,
                      const std::vector<std::string>& key_envs, const Environment& env,
                      std::ostream& out, std::ostream& err);

// Flushes `out` (standard output) and fails if anything written to it was lost (a full disk,
// a closed pipe): kUnavailable "cannot write the report to standard output: <reason>", the
// reason taken from errno, so clear errno before writing.
Status FlushReport(std::ostream& out);

// The exit code for a tool error: 3 when something could not be reached or read, 2 for
// usage, spec and configuration errors, 4 for internal errors.
int ExitCodeForError(const Error& error);

// Parses "32MiB", "100M", "512k", "1048576" into bytes. Zero is refused: sizes are limits.
Result<size_t> ParseByteSize(const std::string& text);

// A CLI11 check from a parser that returns a Result: its error's message, or "" when `text`
// parses (ParseByteSize, ParseFuzzDuration). The option's name is added by the parse error.
template <typename Parse>
CLI::Validator ParsedBy(Parse parse) {
  return CLI::Validator(
      [parse](std::string& text) -> std::string {
        auto parsed = parse(text);
        return parsed ? std::string() : parsed.error().message;
      },
      "");
}

}  // namespace conform::cli
