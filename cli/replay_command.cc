#include "cli/replay_command.h"

#include <utility>

#include "cli/record_command.h"
#include "cli/report.h"
#include "common/utf8.h"

namespace conform::cli {
namespace {

bool IsCassetteReadError(const Error& error, const std::string& cassette) {
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kResourceExhausted:
    case ErrorCode::kNotFound:
    case ErrorCode::kUnavailable:
      return error.where.starts_with(cassette);
    default:
      return false;
  }
}

}  // namespace

CLI::App* RegisterReplay(CLI::App& app, ReplayOptions& options) {
  CLI::App* command = app.add_subcommand(
      "replay", "Serve recorded responses from a HAR cassette (no credentials needed)");
  command->add_option("cassette", options.cassette, "HAR cassette (or a browser's HAR export)")
      ->required()
      ->type_name("FILE.har");
  command->add_flag("--strict", options.strict,
                    "Exit 1 if a request was unmatched or a recorded exchange never used");
  command
      ->add_option("--ignore-param", options.ignore_params,
                   "Leave this query parameter out of matching (repeatable)")
      ->type_name("NAME");
  command->add_flag("--match-body", options.match_body, "Also match request bodies");
  command
      ->add_option("--upstream", options.upstream, "API to record from, for the modes that record")
      ->type_name("URL");
  command
      ->add_option("--mode", options.mode,
                   "none: replay only; once: record if the cassette is missing; new_episodes: "
                   "record what does not match; all: always record (default: once with "
                   "--upstream, else none)")
      ->check(CLI::IsMember({"none", "once", "new_episodes", "new-episodes", "all"}))
      ->type_name("MODE");
  AddProxyOptions(*command, options.proxy);
  return command;
}

Result<int> RunReplayUntil(const ReplayOptions& options, std::ostream& out, std::ostream& err,
                           const std::function<void(const recorder::Session&)>& until) {
  std::string mode_name =
      options.mode.empty() ? (options.upstream.empty() ? "none" : "once") : options.mode;
  auto mode = recorder::ParseRecordMode(mode_name);
  if (!mode) {
    return InvalidArgument("--mode: " + mode.error().message);
  }
  recorder::SessionOptions session_options;
  if (Status applied = ApplyProxyOptions(options.proxy, options.upstream, session_options);
      !applied) {
    return applied.error();
  }
  session_options.mode = *mode;
  session_options.cassette = options.cassette;
  if (options.upstream.empty() && *mode != recorder::RecordMode::kNone &&
      *mode != recorder::RecordMode::kOnce) {
    return InvalidArgument("--mode " + mode_name + " records: it needs --upstream URL");
  }
  session_options.match = {
      .ignore_params = options.ignore_params,
      .body = options.match_body ? recorder::MatchBody::kYes : recorder::MatchBody::kNo};
  session_options.log = [&err](const std::string& line) { err << Printable(line) << "\n" << std::flush; };

  auto session = recorder::Session::Start(std::move(session_options));
  if (!session) {
    Error error = session.error();
    // A cassette that is missing, unreadable or malformed (bad JSON, nested too deep, a body
    // over the limit) is a file that could not be read (exit 3), as in `conform validate`, not
    // a usage error.
    if (IsCassetteReadError(error, options.cassette)) {
      err << "conform: " << Printable(error.ToString()) << "\n";
      return kExitUnreachable;
    }
    return FlagForSessionError(std::move(error));
  }
  recorder::RecordMode effective = (*session)->mode();
  recorder::SessionSummary started = (*session)->Summary();
  out << "conform replay: listening on " << (*session)->url() << ", ";
  if (effective == recorder::RecordMode::kAll) {
    out << "recording every request to " << options.cassette << " from " << options.upstream;
  } else {
    out << "replaying " << started.loaded << " recorded exchanges from " << options.cassette;
    if (effective == recorder::RecordMode::kNewEpisodes) {
      out << ", recording new requests from " << options.upstream;
    }
  }
  out << " (mode " << recorder::RecordModeName(effective) << ")\n"
      << "  auth is not checked; stop with Ctrl-C (SIGINT) or SIGTERM\n"
      << std::flush;
  until(**session);
  recorder::SessionSummary summary = (*session)->Stop();

  out << "conform replay: " << summary.replayed << " replayed, " << summary.unmatched
      << " unmatched";
  if (summary.too_large > 0) {
    out << ", " << summary.too_large << " refused (request body over the limit)";
  }
  if (summary.malformed > 0) {
    out << ", " << summary.malformed << " refused (malformed requests, see the log)";
  }
  if (summary.abandoned > 0) {
    out << ", " << summary.abandoned << " abandoned at shutdown (still in progress)";
  }
  if (summary.proxied > 0) {
    out << ", " << summary.proxied << " proxied (" << summary.recorded << " recorded)";
  }
  if (effective != recorder::RecordMode::kAll) {
    out << ", " << summary.unused.size() << " of " << summary.loaded
        << " recorded exchanges never used";
  }
  out << "\n";
  for (const std::string& request : summary.unmatched_requests) {
    out << "  unmatched: " << request << "\n";
  }
  if (options.strict) {
    for (const std::string& unused : summary.unused) {
      out << "  unused: " << unused << "\n";
    }
  }
  out << std::flush;
  if (summary.cassette_error) {
    err << "conform replay: " << summary.cassette_error->ToString() << "\n";
    return kExitUnreachable;
  }
  if (options.strict && (summary.unmatched > 0 || !summary.unused.empty())) {
    err << "conform replay: --strict: " << summary.unmatched << " unmatched requests, "
        << summary.unused.size() << " recorded exchanges never used\n";
    return kExitFindings;
  }
  return kExitOk;
}

Result<int> RunReplay(const ReplayOptions& options, const Environment& env, std::ostream& out,
                      std::ostream& err) {
  (void)env;
  return RunUntilSignal(
      "replay", err, [&](const auto& until) { return RunReplayUntil(options, out, err, until); });
}

}  // namespace conform::cli
