#include "cli/record_command.h"

#include <malloc.h>
#include <pthread.h>
#include <signal.h>

#include <memory>
#include <optional>
#include <utility>

#include "cli/output_options.h"
#include "cli/report.h"
#include "cli/spec_option.h"
#include "validator/exchange_validator.h"

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

}  // namespace

Result<recorder::UpstreamOptions> UpstreamFlags(const std::string& url, const std::string& ca_file,
                                                bool insecure, int timeout_ms,
                                                const std::string& max_body_size) {
  auto max_body = ParseByteSize(max_body_size);
  if (!max_body) {
    return InvalidArgument("--max-body-size: " + max_body.error().message);
  }
  if (timeout_ms <= 0) {
    return InvalidArgument("--timeout: must be a positive number of milliseconds");
  }
  return recorder::UpstreamOptions{
      .url = url,
      .ca_file = ca_file,
      .tls = insecure ? traffic::TlsVerification::kInsecure : traffic::TlsVerification::kVerify,
      .timeout = std::chrono::milliseconds(timeout_ms),
      .max_body_bytes = *max_body};
}

Result<recorder::SyncPolicy> FsyncFlag(const std::string& text) {
  if (text == "periodic") {
    return recorder::SyncPolicy::kPeriodic;
  }
  if (text == "each") {
    return recorder::SyncPolicy::kEachEntry;
  }
  return InvalidArgument("--fsync: expected periodic or each, got '" + text + "'");
}

Result<int> RunUntilSignal(
    std::string_view command, std::ostream& err,
    const std::function<Result<int>(const std::function<void(const recorder::Session&)>&)>& run) {
  // A client that hangs up must not kill the recorder with SIGPIPE (TLS writes can raise it).
  ::signal(SIGPIPE, SIG_IGN);
  // Each proxied request allocates and frees a few body-sized buffers; by default glibc hands
  // them back to the kernel and faults them in again on the next request (about a fifth of
  // the proxy's CPU on a 40 KB page). Keep freed memory for reuse instead.
  ::mallopt(M_TRIM_THRESHOLD, 256 << 20);
  ::mallopt(M_MMAP_THRESHOLD, 32 << 20);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &stop_signals, &previous);
  Result<int> result = run([&](const recorder::Session&) {
    int received = 0;
    sigwait(&stop_signals, &received);
    err << "conform " << command << ": " << (received == SIGINT ? "SIGINT" : "SIGTERM")
        << " received, stopping\n";
  });
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return result;
}

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
  command->add_option("--listen", options.listen, "Address to listen on")
      ->capture_default_str()
      ->type_name("HOST:PORT");
  command->add_flag("--validate", options.validate,
                    "Check each exchange against the contract and log findings to stderr");
  command->add_flag("--fail-on-violation", options.fail_on_violation,
                    "Answer 502 instead of a response with a must finding (implies --validate)");
  command
      ->add_option("--spec", options.spec,
                   "OpenAPI 3.0/3.1 document (default: the built-in ListDpoJobs)")
      ->type_name("FILE");
  command->add_option("--ca-file", options.ca_file, "PEM bundle to trust for an https upstream")
      ->type_name("FILE");
  command->add_flag("--insecure", options.insecure,
                    "Do not verify the upstream's TLS certificate (test servers only)");
  command
      ->add_option("--redact-header", options.redact_headers,
                   "Also redact this header (repeatable)")
      ->type_name("NAME");
  command
      ->add_option("--redact-json-path", options.redact_json_paths,
                   "Also redact this JSON path (dpoJobs.*.trainingConfig.baseModel) or member "
                   "name (repeatable)")
      ->type_name("PATH");
  command
      ->add_option("--max-body-size", options.max_body_size,
                   "Largest upstream response body; larger ones get 502")
      ->capture_default_str()
      ->type_name("SIZE");
  command
      ->add_option("--timeout", options.timeout_ms,
                   "Upstream connect timeout and longest silence while reading, in ms")
      ->capture_default_str()
      ->type_name("MS");
  command
      ->add_option("--fsync", options.fsync,
                   "periodic: fdatasync every 200 ms; each: before every response")
      ->check(CLI::IsMember({"periodic", "each"}))
      ->capture_default_str();
  command->add_option("--threads", options.threads, "Worker threads (one per open connection)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  return command;
}

Result<int> RunRecordUntil(const RecordOptions& options, std::ostream& out, std::ostream& err,
                           const std::function<void(const recorder::Session&)>& until) {
  auto listen = recorder::ParseListenAddress(options.listen);
  if (!listen) {
    return InvalidArgument("--listen: " + listen.error().message);
  }
  auto upstream = UpstreamFlags(options.upstream, options.ca_file, options.insecure,
                                options.timeout_ms, options.max_body_size);
  if (!upstream) {
    return upstream.error();
  }
  auto sync = FsyncFlag(options.fsync);
  if (!sync) {
    return sync.error();
  }
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
  session_options.listen = *listen;
  session_options.threads = options.threads;
  session_options.mode = recorder::RecordMode::kAll;
  session_options.cassette = options.out;
  session_options.upstream = *upstream;
  session_options.redaction = {.headers = options.redact_headers,
                               .json_paths = options.redact_json_paths};
  session_options.cassette_options.sync = *sync;
  session_options.validator = checker.get();
  session_options.on_violation = options.fail_on_violation ? recorder::OnViolation::kReject
                                                           : recorder::OnViolation::kPassThrough;
  session_options.log = [&err](const std::string& line) { err << line << "\n" << std::flush; };
  auto session = recorder::Session::Start(std::move(session_options));
  if (!session) {
    Error error = session.error();
    if (error.message.starts_with("redaction path") || error.message.starts_with("a redact")) {
      error.message = "--redact-json-path: " + error.message;
    }
    return error;
  }
  out << "conform record: listening on " << (*session)->url() << ", forwarding to "
      << options.upstream << ", recording to " << options.out << (validate ? " (validating)" : "")
      << "\n"
      << "  stop with Ctrl-C (SIGINT) or SIGTERM\n"
      << std::flush;
  until(**session);
  recorder::SessionSummary summary = (*session)->Stop();

  out << "conform record: " << summary.recorded << " exchanges recorded to " << options.out;
  if (summary.upstream_failures > 0) {
    out << " (" << summary.upstream_failures << " answered 502/504: upstream failures)";
  }
  out << "\n";
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
