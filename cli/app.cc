#include "cli/app.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <exception>
#include <functional>
#include <memory>

#include "cli/check_command.h"
#include "cli/checks_command.h"
#include "cli/fuzz_command.h"
#include "cli/output_options.h"
#include "cli/record_command.h"
#include "cli/replay_command.h"
#include "cli/report.h"
#include "cli/serve_command.h"
#include "cli/validate_command.h"
#include "common/utf8.h"

namespace conform::cli {

namespace {

// One line for a command line CLI11 refused, naming the subcommand's help: CLI11's own message
// is two lines without the program's name, and calls an unknown command a missing one.
std::string UsageError(const CLI::App& app, const std::vector<std::string>& args,
                       const CLI::ParseError& error) {
  std::string command;
  std::string names;
  for (const CLI::App* sub : app.get_subcommands({})) {
    names += (names.empty() ? "" : ", ") + sub->get_name();
    if (sub->parsed()) {
      command = sub->get_name();
    }
  }
  if (command.empty() && args.size() > 1 && !args[1].empty() && args[1][0] != '-') {
    return "unknown command '" + Printable(args[1]) + "' (commands: " + names + ")";
  }
  if (command.empty() && args.size() <= 1) {
    return "a command is required (commands: " + names + "; see conform --help)";
  }
  std::string message = Printable(error.what());
  // CLI11 checks required arguments before unknown ones, so `validate --bogus` would only
  // hear that its inputs are missing: the word it did not know is the likelier mistake.
  if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr && !command.empty()) {
    for (const std::string& word : app.get_subcommand(command)->remaining()) {
      if (word.starts_with("-")) {
        message = "The following argument was not expected: " + Printable(word);
        break;
      }
    }
  }
  return message + " (see conform " + (command.empty() ? "" : command + " ") + "--help)";
}

// The --format and --junit a command line asks for, read from its words: when CLI11 refuses
// another option it may stop before it has set these, yet CI still needs its report files.
OutputOptions OutputOptionsFromWords(const std::vector<std::string>& args, size_t first) {
  OutputOptions options;
  for (size_t i = first; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word == "--") {
      break;
    }
    for (auto [name, value] : {std::pair{"--format", &options.format}, {"--junit", &options.junit}}) {
      std::string with_equals = std::string(name) + "=";
      if (word == name && i + 1 < args.size()) {
        *value = args[i + 1];
      } else if (word.starts_with(with_equals)) {
        *value = word.substr(with_equals.size());
      }
    }
    options.strict = options.strict || word == "--strict";
  }
  if (options.format != "json") {
    options.format = "text";
  }
  return options;
}

}  // namespace

int RunConform(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Environment& env) {
  try {
    CLI::App app("conform: contract tests for AIP-style List APIs described in OpenAPI", "conform");
    app.require_subcommand(1);
    app.set_version_flag("--version", "conform 0.1.0");
    app.footer(
        "Exit codes: 0 all checks hold; 1 a must finding (or any finding with --strict); 2 usage, spec or "
        "configuration error; 3 the target or a file could not be reached or read; 4 internal error.");

    ValidateOptions validate;
    CLI::App* validate_command = RegisterValidate(app, validate);
    CheckOptions check;
    CLI::App* check_command = RegisterCheck(app, check);
    FuzzOptions fuzz;
    CLI::App* fuzz_command = RegisterFuzz(app, fuzz);
    ChecksOptions checks;
    CLI::App* checks_command = RegisterChecks(app, checks);
    ServeOptions serve;
    CLI::App* serve_command = RegisterServe(app, serve);

    RecordOptions record;
    CLI::App* record_command = RegisterRecord(app, record);
    ReplayOptions replay;
    CLI::App* replay_command = RegisterReplay(app, replay);

    std::vector<std::string> reversed(args.begin() + (args.empty() ? 0 : 1), args.end());
    std::reverse(reversed.begin(), reversed.end());
    try {
      app.parse(reversed);
    } catch (const CLI::ParseError& e) {
      if (e.get_exit_code() == 0) {  // --help, --version
        app.exit(e, out, err);
        return kExitOk;
      }
      std::string message = UsageError(app, args, e);
      err << "conform: " << message << "\n";
      for (const CLI::App* reporting : {validate_command, check_command, fuzz_command}) {
        auto named = std::find(args.begin() + (args.empty() ? 0 : 1), args.end(), reporting->get_name());
        if (reporting->parsed() && named != args.end()) {
          OutputOptions output = OutputOptionsFromWords(args, static_cast<size_t>(named - args.begin()) + 1);
          // The key variables' default names: the run's own may be among the words refused.
          return EmitStoppedReport(reporting->get_name(), InvalidArgument(message), output,
                                   {TargetOptions{}.api_key_env, TargetOptions{}.other_api_key_env},
                                   env, out, err);
        }
      }
      return kExitUsage;
    }

    Result<int> result = InternalError("no subcommand ran");
    // The reporting subcommand that ran: a tool error still gets its JSON and JUnit report.
    const OutputOptions* output = nullptr;
    std::string reporting_command;
    std::vector<std::string> key_envs;
    if (validate_command->parsed()) {
      result = RunValidate(validate, env, out, err);
      output = &validate.output;
      reporting_command = "validate";
    } else if (check_command->parsed()) {
      result = RunCheck(check, env, out, err);
      output = &check.output;
      reporting_command = "check";
      key_envs = {check.target.api_key_env, check.target.other_api_key_env};
    } else if (fuzz_command->parsed()) {
      result = RunFuzz(fuzz, env, out, err);
      output = &fuzz.output;
      reporting_command = "fuzz";
      key_envs = {fuzz.target.api_key_env, fuzz.target.other_api_key_env};
    } else if (checks_command->parsed()) {
      result = RunChecks(checks, out);
    } else if (serve_command->parsed()) {
      result = RunServe(serve, env, out, err);
    }
    if (record_command->parsed()) {
      result = RunRecord(record, env, out, err);
    } else if (replay_command->parsed()) {
      result = RunReplay(replay, env, out, err);
    }
    if (!result) {
      err << "conform: " << Printable(result.error().ToString()) << "\n";
      if (output != nullptr) {
        return EmitStoppedReport(reporting_command, result.error(), *output, key_envs, env, out,
                                 err);
      }
      return ExitCodeForError(result.error());
    }
    return *result;
  } catch (const std::exception& e) {
    err << "conform: internal error: " << Printable(e.what()) << "\n";
    return kExitInternal;
  } catch (...) {
    err << "conform: internal error\n";
    return kExitInternal;
  }
}

}  // namespace conform::cli
