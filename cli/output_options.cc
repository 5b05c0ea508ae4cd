#include "cli/output_options.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>

#include "common/ascii.h"
#include "common/utf8.h"

namespace conform::cli {

void AddOutputOptions(CLI::App& command, OutputOptions& options) {
  command.add_option("--format", options.format, "Report format on stdout")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  command.add_option("--junit", options.junit, "Also write a JUnit XML report to FILE (for CI)")
      ->type_name("FILE");
  command.add_flag("--strict", options.strict, "Fail on should-level findings too");
  command.add_option("--color", options.color, "Colour the text report")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  command.add_flag("-v,--verbose", options.verbose, "List passing cases and every finding");
}

namespace {

// Writes `report` (its secrets redacted first) to `out`, as JSON or, when `text`, as the text
// view, then the JUnit file. False, each failure reported on `err`, when one could not be
// written.
bool WriteReport(Report& report, const OutputOptions& options, const Environment& env, bool text,
                 std::ostream& out, std::ostream& err) {
  RedactSecrets(report);
  errno = 0;  // so that FlushReport names the write's own failure
  const bool to_out = options.format == "json" || text;
  if (options.format == "json") {
    WriteJson(report, out);
  } else if (text) {
    bool color = options.color == "always" ||
                 (options.color == "auto" && env.stdout_is_tty && !env.getenv("NO_COLOR").has_value());
    WriteText(report, out, {.color = color, .verbose = options.verbose});
  }
  bool written = true;
  if (Status flushed = to_out ? FlushReport(out) : OkStatus(); !flushed.ok()) {
    err << "conform: " << flushed.error().ToString() << "\n";
    written = false;
  }
  if (!options.junit.empty()) {
    if (Status junit = WriteJunitFile(report, options.junit); !junit.ok()) {
      err << "conform: " << junit.error().ToString() << "\n";
      written = false;
    }
  }
  return written;
}

}  // namespace

int EmitReport(Report report, const OutputOptions& options, const Environment& env, std::ostream& out,
               std::ostream& err) {
  report.strict = options.strict;
  return WriteReport(report, options, env, /*text=*/true, out, err) ? ExitCodeFor(report)
                                                                     : kExitUnreachable;
}

int EmitStoppedReport(const std::string& command, const Error& error, const OutputOptions& options,
                      const std::vector<std::string>& key_envs, const Environment& env,
                      std::ostream& out, std::ostream& err) {
  Report report;
  report.command = command;
  report.strict = options.strict;
  report.stopped = ExitCodeForError(error);
  report.errors.push_back(Printable(error.ToString()));
  for (const std::string& name : key_envs) {
    if (std::optional<std::string> key = name.empty() ? std::nullopt : env.getenv(name)) {
      report.secrets.push_back(*key);
    }
  }
  // The text format prints nothing more: the caller has printed the error line. A report
  // that cannot be written is said on `err`; the exit code stays the error's.
  (void)WriteReport(report, options, env, /*text=*/false, out, err);
  return report.stopped;
}

Status FlushReport(std::ostream& out) {
  if (out.flush()) {
    return OkStatus();
  }
  return Unavailable(std::string("cannot write the report to standard output: ") +
                     (errno != 0 ? std::strerror(errno) : "write error"));
}

int ExitCodeForError(const Error& error) {
  switch (error.code) {
    case ErrorCode::kNotFound:
    case ErrorCode::kUnavailable:
    case ErrorCode::kDeadlineExceeded:
      return kExitUnreachable;
    case ErrorCode::kInternal:
      return kExitInternal;
    default:
      return kExitUsage;
  }
}

Result<size_t> ParseByteSize(const std::string& text) {
  size_t value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr == begin) {
    return InvalidArgument("'" + text + "' is not a size (examples: 1048576, 512k, 32MiB, 1G)");
  }
  std::string unit = AsciiLower(std::string_view(ptr, static_cast<size_t>(end - ptr)));
  size_t multiplier = 1;
  if (unit.empty() || unit == "b") {
    multiplier = 1;
  } else if (unit == "k" || unit == "kb" || unit == "kib") {
    multiplier = size_t{1} << 10;
  } else if (unit == "m" || unit == "mb" || unit == "mib") {
    multiplier = size_t{1} << 20;
  } else if (unit == "g" || unit == "gb" || unit == "gib") {
    multiplier = size_t{1} << 30;
  } else {
    return InvalidArgument("'" + text + "': unknown size unit '" + unit + "' (use k, M or G)");
  }
  if (value > (SIZE_MAX / multiplier)) {
    return InvalidArgument("'" + text + "' is too large");
  }
  // Every size option is a limit, and a limit of 0 would refuse every body.
  if (value == 0) {
    return InvalidArgument("'" + text + "' is too small (at least 1 byte)");
  }
  return value * multiplier;
}

}  // namespace conform::cli
