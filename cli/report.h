// Reports: the terminal table, JSON and JUnit XML views of one run's findings. validate,
// check and fuzz all fill a Report; this file decides how it looks and what the exit code is.
//   Report report{.command = "validate", .subject = "ListDpoJobs"};
//   report.cases.push_back({.name = "x.har: entry 0", .findings = verdict.findings});
//   WriteText(report, std::cout, {.color = false});
#pragma once

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "validator/finding.h"

namespace conform::cli {

// Exit codes of every subcommand (DESIGN.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2;        // usage, spec or configuration error
inline constexpr int kExitUnreachable = 3;  // the target or a file could not be reached/read
inline constexpr int kExitInternal = 4;     // a bug in conform

// One row: an exchange (validate), a check (check) or a property (fuzz).
struct ReportCase {
  std::string name;
  std::string description;  // what is checked, for check and fuzz
  std::vector<validator::Finding> findings;
  bool skipped = false;
  std::string note;  // why skipped, or a one-line summary
  int requests = 0;  // requests this case sent (live runs)
  double seconds = 0;
};

struct Report {
  std::string command;  // "validate", "check", "fuzz"
  std::string subject;  // what was checked against what
  std::vector<ReportCase> cases;
  std::vector<std::string> errors;  // inputs or targets that could not be read (exit 3)
  // Non-zero when the run stopped on a tool error before it could check anything (a target
  // that cannot be reached, a bad spec or option): that error's exit code (2, 3 or 4), the
  // error being errors[0]. The report then exists so that CI shows why.
  int stopped = 0;
  std::vector<std::pair<std::string, std::string>> stats;  // "requests" -> "123", ...
  bool strict = false;  // should-level findings fail the run
  std::string api_key_env = "FIREWORKS_API_KEY";  // named in curl commands
  std::string base_url;  // prefixed to origin-form request URLs in curl commands
  // Print every case as a table row (check, fuzz), not only the failing ones (validate).
  bool table = false;
  // Credentials conform sent (API keys). A server may echo them back in a body, a header or a
  // page token; RedactSecrets replaces them wherever they appear before anything is written.
  std::vector<std::string> secrets;
};

// `value` through a printf format of one double: Fixed(1.5, "%.1f s") is "1.5 s".
std::string Fixed(double value, const char* format);

// The "wall time" row of a live run's stats and, when any time passed, its "rate".
void AddTimeStats(Report& report, double seconds, size_t requests);

// Every occurrence of a secret of `report.secrets` (8 characters or more), plain or
// percent-encoded, in any text of the report becomes "[REDACTED]".
void RedactSecrets(Report& report);

// Whether a finding fails the run: every `must`, and `should` under --strict.
bool Fails(const validator::Finding& finding, bool strict);
bool CaseFails(const ReportCase& c, bool strict);

// `stopped` if set, else 3 if anything could not be read, else 1 if any failing finding, else 0.
int ExitCodeFor(const Report& report);

enum class ReportFormat { kText, kJson };

struct TextStyle {
  bool color = false;
  bool verbose = false;  // also list passing cases
};

void WriteText(const Report& report, std::ostream& out, const TextStyle& style);
void WriteJson(const Report& report, std::ostream& out);
std::string JunitXml(const Report& report);
// Writes JunitXml to `path`: via a temporary file and rename for a regular file or a new
// path, in place for a symlink or a device (/dev/stdout). kUnavailable when it cannot.
Status WriteJunitFile(const Report& report, const std::string& path);

}  // namespace conform::cli
