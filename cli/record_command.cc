#include "cli/record_command.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <utility>

#include "cli/report.h"
#include "cli/spec_option.h"
#include "common/utf8.h"
#include "recorder/cassette.h"
#include "traffic/redact.h"
#include "validator/batch.h"
#include "validator/exchange_validator.h"
#include "validator/recorded_lists.h"

namespace conform::cli {
namespace {

void PrintFindings(const recorder::SessionSummary& summary, std::ostream& out) {
  out << "conform record: validated " << summary.validated << " exchanges: " << summary.findings
      << " findings (" << summary.failing_findings << " must)";
  std::string by_check;
  for (const auto& [check, count] : summary.findings_by_check) {
    by_check += (by_check.empty() ? "" : ", ") + check + " x" + std::to_string(count);
  }
  out << (by_check.empty() ? "" : ": " + by_check) << "\n";
  if (summary.rejected > 0) {
    out << "conform record: " << summary.rejected
        << " responses were replaced by 502 (--fail-on-violation)\n";
  }
}

// What no single exchange shows: the page walks the clients made, checked over the finished
// cassette by the same list pass as `conform validate` (page_walk.*, order.*, filter.*, ...).
// Its findings are logged like the per-exchange ones and counted in `summary`.
void CheckRecordedWalks(const std::string& cassette, uint64_t max_bytes,
                        const validator::ExchangeValidator& checker,
                        recorder::SessionSummary& summary, std::ostream& out, std::ostream& err) {
  std::error_code size_error;
  const uint64_t bytes = std::filesystem::file_size(cassette, size_error);
  if (size_error) {
    err << "conform record: page walks not checked: " << Printable(cassette) << ": "
        << size_error.message() << "\n";
    return;
  }
  if (bytes > max_bytes) {
    out << "conform record: page walks not checked: the cassette is " << bytes << " bytes, over "
        << max_bytes << "; run `conform validate " << Printable(cassette) << "` for them\n";
    return;
  }
  traffic::ReadOptions read_options;
  read_options.limits.over_limit_response = traffic::OverLimitBody::kMark;
  auto exchanges = recorder::ReadTraffic(cassette, traffic::InputFormat::kHar, read_options);
  if (!exchanges) {
    err << "conform record: page walks not checked: " << Printable(exchanges.error().ToString())
        << "\n";
    return;
  }
  // The verdicts chain pages into walks; their own findings were logged as the exchanges went by.
  std::vector<validator::ExchangeVerdict> verdicts =
      validator::CheckAll(checker, *exchanges, /*threads=*/0);
  validator::RecordedLists lists = validator::CheckRecordedLists(*exchanges, verdicts, {});
  for (const auto& [index, finding] : lists.findings) {
    const traffic::Request& request = (*exchanges)[index].request;
    err << Printable(recorder::FindingLogLine(finding, request.method + " " + request.url)) << "\n";
    ++summary.findings;
    summary.failing_findings += finding.level == validator::Level::kMust ? 1 : 0;
    ++summary.findings_by_check[finding.check_id];
  }
  if (lists.pages > 0) {
    out << "conform record: list pages: " << lists.pages << " in " << lists.walks << " walks ("
        << lists.complete_walks << " from first page to last)\n";
  }
}

}  // namespace

CLI::App* RegisterRecord(CLI::App& app, RecordOptions& options) {
  CLI::App* command = app.add_subcommand(
      "record", "Run a reverse proxy that records redacted traffic into a crash-safe HAR cassette");
  command
      ->add_option("--upstream", options.upstream,
                   "API to forward to: http(s)://host[:port][/prefix]")
      ->required()
      ->type_name("URL");
  command->add_option("--out", options.out, "Cassette to write (replaced if it exists)")
      ->required()
      ->type_name("FILE.har");
  command->add_flag("--validate", options.validate,
                    "Check each exchange against the contract as it passes, and the page walks "
                    "in the cassette at exit; findings go to stderr");
  command->add_flag("--fail-on-violation", options.fail_on_violation,
                    "Answer 502 instead of a response with a must finding (implies --validate)");
  command
      ->add_option("--spec", options.spec,
                   "OpenAPI 3.0/3.1 document (default: the built-in ListDpoJobs)")
      ->type_name("FILE");
  AddProxyOptions(*command, options.proxy);
  return command;
}

Result<int> RunRecordUntil(const RecordOptions& options, std::ostream& out, std::ostream& err,
                           const std::function<void(const recorder::Session&)>& until) {
  const bool validate = options.validate || options.fail_on_violation;
  std::optional<validator::Contract> contract;
  std::unique_ptr<validator::ExchangeValidator> checker;
  if (validate) {
    auto loaded = LoadSpecOption(options.spec);
    if (!loaded) {
      return loaded.error();
    }
    contract = std::move(*loaded);
    auto created = validator::ExchangeValidator::Create(*contract, {});
    if (!created) {
      return created.error();
    }
    checker = std::move(*created);
  }

  recorder::SessionOptions session_options;
  if (Status applied = ApplyProxyOptions(options.proxy, options.upstream, session_options);
      !applied) {
    return applied.error();
  }
  session_options.mode = recorder::RecordMode::kAll;
  session_options.cassette = options.out;
  session_options.validator = checker.get();
  session_options.on_violation = options.fail_on_violation ? recorder::OnViolation::kReject
                                                           : recorder::OnViolation::kPassThrough;
  session_options.log = [&err](const std::string& line) { err << Printable(line) << "\n" << std::flush; };
  auto session = recorder::Session::Start(std::move(session_options));
  if (!session) {
    return FlagForSessionError(session.error());
  }
  out << "conform record: listening on " << (*session)->url() << ", forwarding to "
      << traffic::RedactUrl(options.upstream) << ", recording to " << options.out
      << (validate ? " (validating)" : "")
      << "\n"
      << "  stop with Ctrl-C (SIGINT) or SIGTERM\n"
      << std::flush;
  until(**session);
  recorder::SessionSummary summary = (*session)->Stop();

  out << "conform record: " << summary.recorded << " exchanges recorded to " << options.out;
  if (summary.upstream_failures > 0) {
    out << " (" << summary.upstream_failures << " answered 502/504: upstream failures)";
  }
  if (summary.too_large > 0) {
    out << ", " << summary.too_large << " refused (request body over the limit)";
  }
  if (summary.malformed > 0) {
    out << ", " << summary.malformed << " refused (malformed requests, see the log)";
  }
  if (summary.abandoned > 0) {
    out << ", " << summary.abandoned << " abandoned at shutdown (still in progress)";
  }
  out << "\n";
  if (validate && !summary.cassette_error && summary.recorded > 0) {
    CheckRecordedWalks(options.out, options.walk_check_max_bytes, *checker, summary, out, err);
  }
  if (validate) {
    PrintFindings(summary, out);
  }
  out << std::flush;
  if (summary.cassette_error) {
    err << "conform record: " << summary.cassette_error->ToString() << " ("
        << summary.record_failures << " exchanges not recorded)\n";
    return kExitUnreachable;
  }
  return validate && summary.failing_findings > 0 ? kExitFindings : kExitOk;
}

Result<int> RunRecord(const RecordOptions& options, const Environment& env, std::ostream& out,
                      std::ostream& err) {
  (void)env;
  return RunUntilSignal(
      "record", err, [&](const auto& until) { return RunRecordUntil(options, out, err, until); });
}

}  // namespace conform::cli
