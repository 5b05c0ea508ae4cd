// `conform checks [--format text|markdown|json]`: the table of every check id with its level,
// the rule it enforces and where the rule comes from. docs/checks.md is its markdown output.
//   std::string table = ChecksTable(ChecksFormat::kMarkdown);
#pragma once

#include <CLI/CLI.hpp>

#include <ostream>
#include <string>

#include "common/result.h"

namespace conform::cli {

enum class ChecksFormat { kText, kMarkdown, kJson };

struct ChecksOptions {
  std::string format = "text";
};

std::string ChecksTable(ChecksFormat format);

CLI::App* RegisterChecks(CLI::App& app, ChecksOptions& options);
Result<int> RunChecks(const ChecksOptions& options, std::ostream& out);

}  // namespace conform::cli
