#include "cli/validate_command.h"

#include <chrono>
#include <filesystem>

#include "cli/report.h"
#include "cli/spec_option.h"
#include "cli/target_options.h"
#include "recorder/cassette.h"
#include "traffic/inputs.h"
#include "traffic/redact.h"
#include "validator/batch.h"
#include "validator/exchange_validator.h"
#include "validator/recorded_lists.h"

namespace conform::cli {
namespace {

traffic::InputFormat InputFormatFor(const std::string& name) {
  if (name == "har") {
    return traffic::InputFormat::kHar;
  }
  if (name == "exchanges") {
    return traffic::InputFormat::kExchanges;
  }
  if (name == "bodies") {
    return traffic::InputFormat::kBodies;
  }
  return traffic::InputFormat::kAuto;
}

}  // namespace

CLI::App* RegisterValidate(CLI::App& app, ValidateOptions& options) {
  CLI::App* command = app.add_subcommand(
      "validate", "Check recorded traffic (HAR, JSON Lines, JSON bodies, directories) against the contract");
  command->add_option("inputs", options.inputs, "HAR, .jsonl/.ndjson, .json files or directories")
      ->required()
      ->type_name("INPUT");
  command->add_option("--spec", options.spec, "OpenAPI 3.0/3.1 document (default: the built-in ListDpoJobs)")
      ->type_name("FILE");
  command->add_option("--operation", options.operation,
                      "Check every exchange against this operationId (default: match by method and URL)")
      ->type_name("ID");
  command->add_option("--input-format", options.input_format, "Override input detection")
      ->check(CLI::IsMember({"auto", "har", "exchanges", "bodies"}))
      ->capture_default_str();
  command->add_option("--status", options.status, "HTTP status of bare response bodies")
      ->check(CLI::Range(100, 599))
      ->capture_default_str();
  command->add_option("--max-body-size", options.max_body_size, "Largest response body checked")
      ->capture_default_str()
      ->type_name("SIZE");
  command->add_option("-j,--jobs", options.jobs, "Threads (0: one per core)")->check(CLI::Range(0, 256));
  AddPageSizeOptions(*command, options.page_sizes);
  AddOutputOptions(*command, options.output);
  return command;
}

Result<int> RunValidate(const ValidateOptions& options, const Environment& env, std::ostream& out,
                        std::ostream& err) {
  auto started = std::chrono::steady_clock::now();
  auto max_body = ParseByteSize(options.max_body_size);
  if (!max_body) {
    return InvalidArgument("--max-body-size: " + max_body.error().message);
  }
  auto contract = LoadSpecOption(options.spec);
  if (!contract) {
    return contract.error();
  }
  auto validator = validator::ExchangeValidator::Create(
      *contract, {.strict = options.output.strict,
                  .body_limits = {.max_bytes = *max_body},
                  .operation_id = options.operation});
  if (!validator) {
    return validator.error();
  }
  auto paths = traffic::ExpandInputs(options.inputs);
  if (!paths) {
    return paths.error();
  }
  // The spec kept beside its recordings is not one of them (it was read as a 200 body).
  if (!options.spec.empty()) {
    std::error_code ec;
    std::filesystem::path spec = std::filesystem::weakly_canonical(options.spec, ec);
    std::erase_if(*paths, [&](const std::string& path) {
      std::error_code same;
      return !ec && std::filesystem::weakly_canonical(path, same) == spec && !same;
    });
  }

  Report report;
  report.command = "validate";
  // A few operations by name; a large spec (GitHub's has ~1,100) by count.
  constexpr size_t kNamedOperations = 5;
  std::string operations;
  const size_t count = contract->operations.size();
  for (size_t i = 0; i < count && i < kNamedOperations; ++i) {
    operations += (operations.empty() ? "" : ", ") + contract->operations[i].operation_id;
  }
  if (count > kNamedOperations) {
    operations = std::to_string(count) + " operations (" + operations + ", ...)";
  }
  report.subject = operations + " from " + contract->source;
  if (!contract->servers.empty()) {
    // Curl lines: server variables at their defaults, no userinfo.
    report.base_url = traffic::RedactUrl(contract->servers.front().UrlWithDefaults());
  }
  report.api_key_env = "FIREWORKS_API_KEY";

  traffic::ReadOptions read_options;
  read_options.limits.max_body_bytes = *max_body;
  // A body over the limit is a response.body.limit finding on its exchange, as in conform
  // check, not a reason to refuse the whole recording.
  read_options.limits.over_limit_response = traffic::OverLimitBody::kMark;
  read_options.default_status = options.status;
  std::vector<traffic::Exchange> exchanges;
  for (const std::string& path : *paths) {
    // A cassette whose recorder was killed is recovered (every complete entry), as replay does.
    auto read = recorder::ReadTraffic(path, InputFormatFor(options.input_format), read_options);
    if (!read) {
      report.errors.push_back(read.error().ToString());
      continue;
    }
    for (traffic::Exchange& exchange : *read) {
      exchanges.push_back(std::move(exchange));
    }
  }

  std::vector<validator::ExchangeVerdict> verdicts = validator::CheckAll(**validator, exchanges, options.jobs);
  // The list semantics across exchanges: the walks the recording holds, page by page.
  validator::RecordedLists lists =
      validator::CheckRecordedLists(exchanges, verdicts,
                                    {.default_page_size = options.page_sizes.given_default(),
                                     .max_page_size = options.page_sizes.given_max(),
                                     .threads = options.jobs});
  for (auto& [index, finding] : lists.findings) {
    verdicts[index].findings.push_back(std::move(finding));
  }
  size_t checked = 0;
  size_t matched = 0;  // exchanges of an operation, checked or skipped for their own reason
  for (size_t i = 0; i < exchanges.size(); ++i) {
    matched += verdicts[i].operation != nullptr ? 1 : 0;
    ReportCase c;
    c.name = exchanges[i].source;
    c.findings = std::move(verdicts[i].findings);
    c.skipped = !verdicts[i].skipped.empty();
    c.note = verdicts[i].skipped;
    checked += c.skipped ? 0 : 1;
    report.cases.push_back(std::move(c));
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  report.stats.emplace_back("inputs", std::to_string(paths->size()) + " files");
  report.stats.emplace_back("checked", std::to_string(checked) + " of " + std::to_string(exchanges.size()) +
                                           " exchanges");
  if (lists.pages > 0) {
    report.stats.emplace_back("list pages", std::to_string(lists.pages) + " in " +
                                                std::to_string(lists.walks) + " walks (" +
                                                std::to_string(lists.complete_walks) +
                                                " from first page to last)");
  }
  report.stats.emplace_back("wall time", Fixed(seconds, "%.2f s"));

  // Nothing of the contract's among the inputs: the wrong spec or the wrong files, not a pass.
  // (Exchanges of an operation skipped for their own reason, a redirect or a body the
  // recording lacks, are reported as skipped.)
  if (checked == 0 && matched == 0 && report.errors.empty() && ExitCodeFor(report) == kExitOk) {
    std::string why = exchanges.empty() ? "no exchanges" : report.cases.front().note;
    return InvalidArgument("nothing was validated: " + std::to_string(exchanges.size()) +
                           " exchanges, none matches an operation of " + contract->source + " (" + why + ")");
  }
  return EmitReport(std::move(report), options.output, env, out, err);
}

}  // namespace conform::cli
