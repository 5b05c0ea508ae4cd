#include "cli/fuzz_command.h"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <optional>
#include <sstream>

#include "cli/report.h"
#include "fuzz/fuzzer.h"
#include "server/generator.h"
#include "server/http_server.h"
#include "traffic/curl.h"
#include "traffic/redact.h"

namespace conform::cli {
namespace {

using Clock = std::chrono::steady_clock;

// One line per property on a pipe; one line rewritten in place on a terminal.
class ProgressPrinter {
 public:
  ProgressPrinter(std::ostream& err, bool tty) : err_(err), tty_(tty), started_(Clock::now()) {}

  void operator()(const fuzz::Progress& progress) {
    Clock::time_point now = Clock::now();
    double elapsed = std::chrono::duration<double>(now - started_).count();
    if (!tty_) {
      if (progress.phase == fuzz::Progress::Phase::kDone) {
        err_ << "conform fuzz: [" << progress.property_index << "/" << progress.property_count
             << "] " << progress.property << ": " << (progress.property_failed ? "FAILED" : "done")
             << ", " << progress.cases << " cases, " << progress.requests << " requests so far, "
             << Fixed(elapsed, "%.1f s") << "\n";
      }
      return;
    }
    bool done = progress.phase == fuzz::Progress::Phase::kDone;
    if (!done && now - last_ < std::chrono::milliseconds(100)) {
      return;
    }
    last_ = now;
    std::ostringstream line;
    if (progress.property.empty()) {
      line << "conform fuzz: reference walk";
    } else {
      line << "conform fuzz [" << progress.property_index << "/" << progress.property_count << "] "
           << progress.property << "  case " << progress.cases << "/" << progress.runs;
      if (progress.phase == fuzz::Progress::Phase::kShrinking) {
        line << "  shrinking (" << progress.shrinks << ")";
      }
    }
    line << "  requests " << progress.requests << " (cache hits " << progress.cache_hits
         << ")  failures " << progress.failed_properties << "  " << Fixed(elapsed, "%.1f s");
    err_ << "\r\033[K" << line.str() << std::flush;
    shown_ = true;
  }

  // Clears the progress line before the report.
  void Finish() {
    if (tty_ && shown_) {
      err_ << "\r\033[K" << std::flush;
    }
  }

 private:
  std::ostream& err_;
  bool tty_;
  Clock::time_point started_;
  Clock::time_point last_;
  bool shown_ = false;
};

// `conform fuzz ...` that runs `property` again: the same cases, the same requests.
std::string Reproduction(const FuzzOptions& options, int runs, const std::string& property) {
  std::string line =
      "conform fuzz --seed " + std::to_string(options.seed) + " --property " + property;
  if (runs != kDefaultFuzzRuns) {
    line += " --runs " + std::to_string(runs);
  }
  const TargetOptions& target = options.target;
  auto add = [&line](const std::string& flag, const std::string& value) {
    line += " " + flag + " " + traffic::ShellQuote(value);
  };
  if (target.base_url.empty()) {
    for (const std::string& fault : target.embedded_faults) {
      add("--embedded-fault", fault);
    }
    if (target.embedded_jobs != TargetOptions{}.embedded_jobs) {
      line += " --embedded-jobs " + std::to_string(target.embedded_jobs);
    }
  } else {
    add("--base-url", traffic::RedactUrl(target.base_url));  // the client drops userinfo
  }
  if (!target.account.empty()) {
    add("--account", target.account);
  }
  if (!target.base_url.empty() && target.api_key_env != TargetOptions{}.api_key_env) {
    add("--api-key-env", target.api_key_env);
  }
  if (!target.other_account.empty()) {
    add("--other-account", target.other_account);
    add("--other-api-key-env", target.other_api_key_env);
  }
  if (!target.spec.empty()) {
    add("--spec", target.spec);
  }
  if (!target.operation.empty()) {
    add("--operation", target.operation);
  }
  if (options.page_sizes.default_given) {
    line += " --default-page-size " + std::to_string(options.page_sizes.default_page_size);
  }
  if (options.page_sizes.max_given) {
    line += " --max-page-size " + std::to_string(options.page_sizes.max_page_size);
  }
  if (options.output.strict) {
    line += " --strict";
  }
  return line;
}

// The embedded server's store, in an account of its own, for pagination_under_churn.
std::optional<fuzz::ChurnStore> ChurnStoreOf(const ResolvedTarget& target) {
  if (!target.embedded) {
    return std::nullopt;
  }
  std::shared_ptr<server::RunningServer> embedded = target.embedded;
  std::optional<fuzz::ChurnStore> churn;
  for (const server::ApiKey& key : embedded->api_keys()) {
    bool usable = key.account != target.account &&
                  key.account != target.other_account.value_or("") &&
                  embedded->store().HasAccount(key.account);
    if (!usable || (churn && churn->account == server::kEmptyAccount)) {
      continue;
    }
    if (!churn || key.account == server::kEmptyAccount) {
      churn = fuzz::ChurnStore{.account = key.account, .api_key = key.key};
    }
  }
  if (!churn) {
    return std::nullopt;
  }
  std::string account = churn->account;
  churn->add_job = [embedded](nlohmann::json job) {
    return embedded->store().AddJob(std::move(job));
  };
  churn->delete_job = [embedded](const std::string& name) {
    return embedded->store().DeleteJob(name);
  };
  churn->job_names = [embedded, account] {
    std::vector<std::string> names;
    if (std::optional<server::AccountSnapshot> snapshot = embedded->store().Snapshot(account)) {
      for (const auto& job : snapshot->jobs) {
        names.push_back(job->name);
      }
    }
    return names;
  };
  return churn;
}

// A decimal seed 0..2^64-1, rewritten without leading zeros: CLI11 would wrap "-1" and clamp
// "18446744073709551616" to 2^64-1 without a word, and read "010" as octal.
CLI::Validator SeedValidator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        uint64_t seed = 0;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
        if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
          return "'" + text + "' is not a seed: expected a whole number from 0 to " +
                 std::to_string(UINT64_MAX);
        }
        text = std::to_string(seed);
        return "";
      },
      "0..2^64-1");
}

std::string PropertyTable() {
  std::string table = "| property | invariant | checks |\n|---|---|---|\n";
  for (const fuzz::PropertyInfo& property : fuzz::AllProperties()) {
    table +=
        "| `" + std::string(property.name) + "` | " + std::string(property.invariant) +
        (property.needs == fuzz::PropertyNeeds::kEmbeddedStore ? " (embedded server only)" : "") +
        " | " + std::string(property.checks) + " |\n";
  }
  table += "\nEvery response is also judged by: " + std::string(fuzz::kEveryResponseChecks) + "\n";
  return table;
}

}  // namespace

Result<std::chrono::milliseconds> ParseFuzzDuration(const std::string& text) {
  size_t digits = 0;
  while (digits < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[digits])) != 0 || text[digits] == '.')) {
    ++digits;
  }
  std::string number = text.substr(0, digits);
  std::string unit = text.substr(digits);
  double value = 0;
  std::istringstream parse(number);
  if (number.empty() || !(parse >> value) || !parse.eof() || value <= 0) {
    return InvalidArgument("'" + text +
                           "' is not a positive duration (examples: 90s, 2m, 500ms, 1h)");
  }
  double millis = 0;
  if (unit.empty() || unit == "s") {
    millis = value * 1000;
  } else if (unit == "ms") {
    millis = value;
  } else if (unit == "m" || unit == "min") {
    millis = value * 60'000;
  } else if (unit == "h") {
    millis = value * 3'600'000;
  } else {
    return InvalidArgument("unknown unit '" + unit + "' in '" + text + "' (use ms, s, m or h)");
  }
  if (millis < 1) {
    return InvalidArgument("'" + text + "' is shorter than a millisecond");
  }
  if (millis > 7 * 24 * 3'600'000.0) {
    return InvalidArgument("'" + text + "' is longer than a week");
  }
  return std::chrono::milliseconds(static_cast<int64_t>(millis));
}

CLI::App* RegisterFuzz(CLI::App& app, FuzzOptions& options) {
  CLI::App* command = app.add_subcommand("fuzz",
                                         "Property-fuzz pagination, filtering and ordering against "
                                         "a server (default: the embedded reference server)");
  AddTargetOptions(*command, options.target);
  command
      ->add_option("--seed", options.seed,
                   "Seed of every random choice (the same seed sends the same requests)")
      ->capture_default_str()
      ->transform(SeedValidator());  // a transform: check() would not keep the rewrite
  command
      ->add_option(
          "--runs", options.runs,
          "Cases per property (default 100; with --duration, as many as fit, at most 100000)")
      ->check(CLI::Range(1, kMaxFuzzRuns));
  command
      ->add_option("--duration", options.duration,
                   "Time budget of the run, shared by the properties (90s, 2m)")
      ->type_name("TIME")
      ->check(ParsedBy(ParseFuzzDuration));
  command
      ->add_option("--property", options.properties,
                   "Run only this property (repeatable; see --list-properties)")
      ->delimiter(',')
      ->type_name("NAME");
  command->add_flag("--list-properties", options.list_properties, "Print the properties and exit");
  AddPageSizeOptions(*command, options.page_sizes);
  AddOutputOptions(*command, options.output);
  return command;
}

Result<int> RunFuzz(const FuzzOptions& options, const Environment& env, std::ostream& out,
                    std::ostream& err) {
  if (options.list_properties) {
    errno = 0;
    out << PropertyTable();
    if (Status flushed = FlushReport(out); !flushed.ok()) {
      return flushed.error();
    }
    return kExitOk;
  }
  for (const std::string& name : options.properties) {
    if (fuzz::FindProperty(name) == nullptr) {
      std::string known;
      for (const fuzz::PropertyInfo& property : fuzz::AllProperties()) {
        known += (known.empty() ? "" : ", ") + std::string(property.name);
      }
      return InvalidArgument("--property: no property '" + name + "' (known: " + known + ")");
    }
  }
  std::optional<std::chrono::milliseconds> duration;
  if (!options.duration.empty()) {
    auto parsed = ParseFuzzDuration(options.duration);
    if (!parsed) {
      return InvalidArgument("--duration: " + parsed.error().message);
    }
    duration = *parsed;
  }
  int runs = options.runs > 0 ? options.runs : (duration ? kMaxFuzzRuns : kDefaultFuzzRuns);

  Clock::time_point started = Clock::now();
  auto target = ResolveTarget(options.target, env);
  if (!target) {
    return target.error();
  }
  const ResolvedTarget& resolved = *target;
  auto page_sizes = PageSizesFor(options.page_sizes, *resolved.operation);
  if (!page_sizes) {
    return page_sizes.error();
  }
  fuzz::FuzzTarget fuzz_target{.base_url = resolved.base_url,
                               .account = resolved.account,
                               .api_key = resolved.api_key,
                               .other_account = resolved.other_account,
                               .other_api_key = resolved.other_api_key,
                               .churn = ChurnStoreOf(resolved)};
  ProgressPrinter printer(err, env.stderr_is_tty);
  fuzz::FuzzOptions fuzz_options{
      .seed = options.seed,
      .runs = runs,
      .duration = duration,
      .properties = options.properties,
      .page_sizes = {.default_page_size = page_sizes->default_size,
                     .max_page_size = page_sizes->max_size},
      .strictness = options.output.strict ? fuzz::FuzzOptions::Strictness::kShouldFails
                                          : fuzz::FuzzOptions::Strictness::kMustFails,
      .progress = [&printer](const fuzz::Progress& progress) { printer(progress); }};
  auto result = fuzz::Fuzz(
      resolved.contract, *resolved.operation,
      [&resolved](const traffic::Request& request) { return resolved.Send(request); }, fuzz_target,
      fuzz_options);
  printer.Finish();
  if (!result) {
    return result.error();
  }
  double seconds = std::chrono::duration<double>(Clock::now() - started).count();

  Report report;
  report.command = "fuzz";
  report.table = true;
  report.subject = resolved.description + ", seed " + std::to_string(result->seed) + ", " +
                   std::to_string(runs) + " cases per property";
  report.api_key_env = resolved.api_key_env;
  for (const std::optional<std::string>& key : {resolved.api_key, resolved.other_api_key}) {
    if (key) {
      report.secrets.push_back(*key);
    }
  }
  int cases = 0;
  std::vector<std::pair<std::string, std::string>> reproductions;
  for (fuzz::PropertyOutcome& outcome : result->properties) {
    cases += outcome.cases;
    ReportCase c;
    c.name = outcome.name;
    c.description = outcome.invariant;
    c.findings = std::move(outcome.findings);
    c.skipped = outcome.skipped;
    c.note = outcome.note;
    c.requests = static_cast<int>(outcome.requests);
    c.seconds = outcome.seconds;
    if (outcome.failed) {
      reproductions.emplace_back("reproduce " + outcome.name,
                                 Reproduction(options, runs, outcome.name));
    }
    report.cases.push_back(std::move(c));
  }
  report.errors = result->errors;
  report.stats.emplace_back("seed", std::to_string(result->seed));
  report.stats.emplace_back("cases", std::to_string(cases));
  report.stats.emplace_back(
      "requests", std::to_string(result->requests) +
                      " sent (reference walk: " + std::to_string(result->reference_requests) +
                      " requests, " + std::to_string(result->reference_items) + " resources)");
  report.stats.emplace_back(
      "cache hits", std::to_string(result->cache_hits) + " answers replayed while shrinking");
  AddTimeStats(report, seconds, result->requests);
  if (!result->stopped.empty()) {
    report.stats.emplace_back("stopped", result->stopped);
  }
  for (auto& reproduction : reproductions) {
    report.stats.push_back(std::move(reproduction));
  }
  return EmitReport(std::move(report), options.output, env, out, err);
}

}  // namespace conform::cli
