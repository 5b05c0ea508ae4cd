#include "cli/checks_command.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <sstream>

#include "cli/output_options.h"
#include "validator/finding.h"

namespace conform::cli {

std::string ChecksTable(ChecksFormat format) {
  std::ostringstream out;
  const auto& checks = validator::AllChecks();
  if (format == ChecksFormat::kJson) {
    nlohmann::json rows = nlohmann::json::array();
    for (const validator::CheckInfo& check : checks) {
      rows.push_back({{"id", check.id},
                      {"level", validator::LevelName(check.level)},
                      {"rule", check.rule},
                      {"source", check.source}});
    }
    out << rows.dump(2) << "\n";
    return out.str();
  }
  if (format == ChecksFormat::kMarkdown) {
    out << "| id | level | rule | source |\n|---|---|---|---|\n";
    for (const validator::CheckInfo& check : checks) {
      out << "| `" << check.id << "` | " << validator::LevelName(check.level) << " | " << check.rule << " | "
          << check.source << " |\n";
    }
    return out.str();
  }
  for (const validator::CheckInfo& check : checks) {
    out << check.id << "  [" << validator::LevelName(check.level) << "]\n    " << check.rule << "\n    ("
        << check.source << ")\n";
  }
  return out.str();
}

CLI::App* RegisterChecks(CLI::App& app, ChecksOptions& options) {
  CLI::App* command = app.add_subcommand("checks", "List every check id with its level, rule and source");
  command->add_option("--format", options.format, "Output format")
      ->check(CLI::IsMember({"text", "markdown", "json"}))
      ->capture_default_str();
  return command;
}

Result<int> RunChecks(const ChecksOptions& options, std::ostream& out) {
  ChecksFormat format = options.format == "json"       ? ChecksFormat::kJson
                        : options.format == "markdown" ? ChecksFormat::kMarkdown
                                                       : ChecksFormat::kText;
  errno = 0;
  out << ChecksTable(format);
  if (Status flushed = FlushReport(out); !flushed.ok()) {
    return flushed.error();
  }
  return 0;
}

}  // namespace conform::cli
