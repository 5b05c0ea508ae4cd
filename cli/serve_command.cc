#include "cli/serve_command.h"

#include <pthread.h>
#include <signal.h>


#include "cli/report.h"
#include "server/faults.h"
#include "traffic/url.h"

namespace conform::cli {
namespace {

Result<std::vector<server::ApiKey>> ParseApiKeys(const std::vector<std::string>& specs) {
  std::vector<server::ApiKey> keys;
  for (const std::string& spec : specs) {
    size_t equals = spec.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == spec.size()) {
      return InvalidArgument("--api-key: expected ACCOUNT=KEY, got '" + spec + "'");
    }
    keys.push_back({spec.substr(0, equals), spec.substr(equals + 1)});
  }
  return keys;
}

Result<server::ServerOptions> ToServerOptions(const ServeOptions& options) {
  auto listen = traffic::ParseListenAddress(options.listen);
  if (!listen) {
    return InvalidArgument("--listen: " + listen.error().message);
  }
  auto faults = server::ParseFaults(options.faults);
  if (!faults) {
    return InvalidArgument("--fault: " + faults.error().message);
  }
  auto keys = ParseApiKeys(options.api_keys);
  if (!keys) {
    return keys.error();
  }
  if (auto checked = server::ResolveApiKeys({}, *keys); !checked) {
    return InvalidArgument("--api-key: " + checked.error().message);
  }
  server::ServerOptions server_options;
  server_options.host = listen->host;
  server_options.port = listen->port;
  server_options.data_file = options.data;
  server_options.data = {.acme_jobs = options.jobs, .seed = options.seed};
  server_options.api_keys = std::move(*keys);
  server_options.faults = *faults;
  return server_options;
}

std::string KeyOf(const server::RunningServer& running, const std::string& account) {
  for (const server::ApiKey& key : running.api_keys()) {
    if (key.account == account) {
      return key.key;
    }
  }
  return "";
}

void PrintBanner(const server::RunningServer& running, std::ostream& out) {
  std::vector<std::string> faults = running.handler().faults().Names();
  std::string fault_text;
  for (const std::string& name : faults) {
    fault_text += (fault_text.empty() ? "" : ", ") + name;
  }
  out << "conform serve: ListDpoJobs reference server at " << running.base_url()
      << " (faults: " << (fault_text.empty() ? "none" : fault_text) << ")\n";

  std::string accounts;
  std::string example_account;
  size_t example_jobs = 0;
  for (const auto& [account, jobs] : running.store().AccountSizes()) {
    std::string key = KeyOf(running, account);
    accounts += (accounts.empty() ? "" : ", ") + account + " " + std::to_string(jobs) +
                (jobs == 1 ? " job" : " jobs") + (key.empty() ? " (no key)" : " (key " + key + ")");
    if (!key.empty() && (example_account.empty() || jobs > example_jobs)) {
      example_account = account;
      example_jobs = jobs;
    }
  }
  for (const server::ApiKey& key : running.api_keys()) {
    if (!running.store().HasAccount(key.account)) {
      accounts += ", " + key.account + " no data (key " + key.key + ": NOT_FOUND)";
    }
  }
  out << "  accounts: " << accounts << "\n";
  if (!example_account.empty()) {
    const std::string collection =
        running.base_url() + "/v1/accounts/" + example_account + "/dpoJobs";
    const std::string auth = "-H 'Authorization: Bearer " + KeyOf(running, example_account) + "'";
    out << "  try: curl -sS " << auth << " '" << collection << "?pageSize=3'\n";
    out << "       curl -sS " << auth << " '" << collection
        << "?filter=" << traffic::PercentEncode("state = JOB_STATE_COMPLETED")
        << "&orderBy=" << traffic::PercentEncode("createTime desc")
        << "&readMask=name,createTime,state'\n";
  }
  out << "  stop with Ctrl-C (SIGINT) or SIGTERM\n" << std::flush;
}

}  // namespace

CLI::App* RegisterServe(CLI::App& app, ServeOptions& options) {
  CLI::App* command = app.add_subcommand(
      "serve", "Run the reference ListDpoJobs server (correct, or with named faults)");
  command->add_option("--listen", options.listen, "Address to listen on")
      ->capture_default_str()
      ->type_name("HOST:PORT");
  CLI::Option* jobs =
      command->add_option("--jobs", options.jobs, "Jobs of account 'acme' in the generated data")
          ->capture_default_str()
          ->check(CLI::Range(size_t{0}, size_t{10'000'000}))
          ->type_name("N");
  CLI::Option* seed = command->add_option("--seed", options.seed, "Seed of the generated data")
                          ->capture_default_str()
                          ->type_name("S");
  command->add_option("--data", options.data, "Serve these jobs (JSON array or JSON Lines)")
      ->type_name("FILE")
      ->excludes(jobs)
      ->excludes(seed);
  command->add_option("--fault", options.faults, "Fault mode to enable (repeatable, or a,b)")
      ->type_name("NAME");
  command
      ->add_option("--api-key", options.api_keys,
                   "Key of an account (repeatable); replaces that account's default key")
      ->type_name("ACCOUNT=KEY");
  command->add_flag("--list-faults", options.list_faults, "Print the fault table and exit");
  return command;
}

Result<int> RunServeUntil(const ServeOptions& options, std::ostream& out,
                          const std::function<void(const server::RunningServer&)>& until) {
  if (options.list_faults) {
    out << server::FaultTableMarkdown();
    return kExitOk;
  }
  auto server_options = ToServerOptions(options);
  if (!server_options) {
    return server_options.error();
  }
  auto running = server::StartServer(std::move(*server_options));
  if (!running) {
    return running.error();
  }
  PrintBanner(**running, out);
  until(**running);
  (*running)->Stop();
  return kExitOk;
}

Result<int> RunServe(const ServeOptions& options, const Environment& env, std::ostream& out,
                     std::ostream& err) {
  (void)env;
  // Block the signals before the server's threads exist (they inherit the mask), so that only
  // sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &stop_signals, &previous);
  Result<int> result = RunServeUntil(options, out, [&](const server::RunningServer&) {
    int received = 0;
    sigwait(&stop_signals, &received);
    err << "conform serve: " << (received == SIGINT ? "SIGINT" : "SIGTERM")
        << " received, stopping\n";
  });
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return result;
}

}  // namespace conform::cli
