#include "cli/check_command.h"

#include <chrono>

#include "cli/report.h"
#include "validator/check_suite.h"

namespace conform::cli {

CLI::App* RegisterCheck(CLI::App& app, CheckOptions& options) {
  CLI::App* command = app.add_subcommand(
      "check", "Run the conformance suite against a server (default: the embedded reference server)");
  AddTargetOptions(*command, options.target);
  command->add_option("--checks", options.checks, "Only these check ids or prefixes (e.g. order,token.binding)")
      ->delimiter(',')
      ->type_name("IDS");
  command->add_option("--exclude-checks", options.exclude_checks, "Leave out these check ids or prefixes")
      ->delimiter(',')
      ->type_name("IDS");
  AddPageSizeOptions(*command, options.page_sizes);
  AddOutputOptions(*command, options.output);
  return command;
}

Result<int> RunCheck(const CheckOptions& options, const Environment& env, std::ostream& out, std::ostream& err) {
  for (const std::vector<std::string>* list : {&options.checks, &options.exclude_checks}) {
    for (const std::string& id : *list) {
      std::string bare = id.size() > 2 && id.substr(id.size() - 2) == ".*" ? id.substr(0, id.size() - 2) : id;
      bool known = false;
      for (const validator::CheckInfo& check : validator::AllChecks()) {
        known = known || check.id == bare || check.id.rfind(bare + ".", 0) == 0;
      }
      if (!known) {
        return InvalidArgument("--checks/--exclude-checks: no check id is or starts with '" + id +
                               "' (conform checks lists them)");
      }
    }
  }
  auto started = std::chrono::steady_clock::now();
  auto target = ResolveTarget(options.target, env);
  if (!target) {
    return target.error();
  }
  validator::CheckTarget check_target{.base_url = target->base_url,
                                      .account = target->account,
                                      .api_key = target->api_key,
                                      .other_account = target->other_account,
                                      .other_api_key = target->other_api_key};
  auto page_sizes = PageSizesFor(options.page_sizes, *target->operation);
  if (!page_sizes) {
    return page_sizes.error();
  }
  validator::SuiteOptions suite_options{.include = options.checks,
                                        .exclude = options.exclude_checks,
                                        .default_page_size = page_sizes->default_size,
                                        .max_page_size = page_sizes->max_size,
                                        .strict = options.output.strict};
  const ResolvedTarget& resolved = *target;
  validator::CheckSuite suite(resolved.contract, *resolved.operation,
                              [&resolved](const traffic::Request& request) { return resolved.Send(request); },
                              check_target, suite_options);
  auto result = suite.Run();
  if (!result) {
    return result.error();
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  Report report;
  report.command = "check";
  report.table = true;
  report.subject = target->description;
  report.api_key_env = target->api_key_env;
  for (const std::optional<std::string>& key : {target->api_key, target->other_api_key}) {
    if (key) {
      report.secrets.push_back(*key);
    }
  }
  for (validator::CheckOutcome& outcome : result->checks) {
    const validator::CheckInfo* info = validator::FindCheck(outcome.id);
    ReportCase c;
    c.name = outcome.id;
    c.description = info != nullptr ? std::string(info->rule) : "";
    c.findings = std::move(outcome.findings);
    c.skipped = outcome.skipped;
    c.note = outcome.note;
    c.requests = outcome.requests;
    report.cases.push_back(std::move(c));
  }
  report.errors = result->errors;
  report.stats.emplace_back("requests", std::to_string(result->requests));
  report.stats.emplace_back("page sizes", page_sizes->origin);
  AddTimeStats(report, seconds, static_cast<size_t>(result->requests));
  return EmitReport(std::move(report), options.output, env, out, err);
}

}  // namespace conform::cli
