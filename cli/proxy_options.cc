#include "cli/proxy_options.h"

#include <malloc.h>
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "cli/output_options.h"
#include "cli/report.h"
#include "common/utf8.h"

namespace conform::cli {
namespace {

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

}  // namespace

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
  std::weak_ptr<const void> session_lifetime;
  Result<int> result = run([&](const recorder::Session& session) {
    session_lifetime = session.Lifetime();
    int received = 0;
    sigwait(&stop_signals, &received);
    err << "conform " << command << ": " << (received == SIGINT ? "SIGINT" : "SIGTERM")
        << " received, stopping\n";
  });
  if (!session_lifetime.expired()) {
    // Stop gave up on connections that are still blocked (a client dripping its request, an
    // upstream trickling its body; the summary is printed). Returning from main would run
    // static destructors under their threads, and joining them could take for ever.
    int code = result ? *result : ExitCodeForError(result.error());
    if (!result) {
      err << "conform: " << Printable(result.error().ToString()) << "\n";
    }
    err << std::flush;
    std::cout << std::flush;
    std::fflush(nullptr);
    std::_Exit(code);
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return result;
}

void AddProxyOptions(CLI::App& command, ProxyOptions& options) {
  command.add_option("--listen", options.listen, "Address to listen on")
      ->capture_default_str()
      ->type_name("HOST:PORT");
  command.add_option("--ca-file", options.ca_file, "PEM bundle to trust for an https upstream")
      ->type_name("FILE");
  command.add_flag("--insecure", options.insecure,
                   "Do not verify the upstream's TLS certificate (test servers only)");
  command
      .add_option("--timeout", options.timeout_ms,
                  "Upstream connect timeout and longest silence while reading, in ms")
      ->capture_default_str()
      ->type_name("MS");
  command
      .add_option("--max-body-size", options.max_body_size,
                  "Largest upstream response body; larger ones get 502")
      ->capture_default_str()
      ->type_name("SIZE");
  command
      .add_option("--redact-header", options.redact_headers,
                  "Also redact this header when recording (repeatable)")
      ->type_name("NAME");
  command
      .add_option("--redact-json-path", options.redact_json_paths,
                  "Also redact this JSON path (dpoJobs.*.trainingConfig.baseModel) or member "
                  "name when recording (repeatable)")
      ->type_name("PATH");
  command
      .add_option("--fsync", options.fsync,
                  "periodic: fdatasync every 200 ms; each: before every response")
      ->check(CLI::IsMember({"periodic", "each"}))
      ->capture_default_str();
  command.add_option("--threads", options.threads, "Worker threads (one per open connection)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
}

Status ApplyProxyOptions(const ProxyOptions& options, const std::string& upstream_url,
                         recorder::SessionOptions& session) {
  auto listen = recorder::ParseListenAddress(options.listen);
  if (!listen) {
    return InvalidArgument("--listen: " + listen.error().message);
  }
  auto sync = FsyncFlag(options.fsync);
  if (!sync) {
    return sync.error();
  }
  if (!upstream_url.empty()) {
    auto upstream = UpstreamFlags(upstream_url, options.ca_file, options.insecure,
                                  options.timeout_ms, options.max_body_size);
    if (!upstream) {
      return upstream.error();
    }
    session.upstream = *upstream;
  }
  session.listen = *listen;
  session.threads = options.threads;
  session.redaction = {.headers = options.redact_headers, .json_paths = options.redact_json_paths};
  session.cassette_options.sync = *sync;
  return OkStatus();
}

Error FlagForSessionError(Error error) {
  if (error.message.starts_with("redaction path") || error.message.starts_with("a redact")) {
    error.message = "--redact-json-path: " + error.message;
  }
  return error;
}

}  // namespace conform::cli
