#include "cli/target_options.h"

#include <charconv>
#include <cmath>
#include <string_view>

#include "cli/output_options.h"
#include "cli/spec_option.h"
#include "server/http_server.h"
#include "traffic/redact.h"
#include "traffic/url.h"

namespace conform::cli {
namespace {

constexpr double kMinRate = 0.001;  // one request in 1000 s; slower overflows the rate limiter
constexpr double kMaxRate = 1e6;

// The message for a bad --base-url (without the option's name), or "" for a good one. The URL
// in it has its userinfo redacted.
std::string BaseUrlError(std::string_view url) {
  auto base = traffic::ParseBaseUrl(url);
  if (base) {
    return "";
  }
  if (url.empty()) {
    return base.error().message + " (leave --base-url out to check the embedded reference server)";
  }
  return base.error().message;
}

CLI::Validator BaseUrlValidator() {
  return CLI::Validator([](std::string& url) { return BaseUrlError(url); }, "");
}

// 0 (no limit), or a finite rate from kMinRate to kMaxRate. CLI11's Range lets NaN through.
bool IsRate(double rate) {
  return std::isfinite(rate) && (rate == 0 || (rate >= kMinRate && rate <= kMaxRate));
}

std::string RateError(std::string_view text) {
  return "'" + std::string(text) +
         "' is not a rate: expected 0 (no limit) or requests per second from 0.001 to 1000000";
}

CLI::Validator RateValidator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double rate = 0;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), rate);
        bool parsed = !text.empty() && ec == std::errc() && ptr == text.data() + text.size();
        return parsed && IsRate(rate) ? "" : RateError(text);
      },
      "0 or 0.001..1000000");
}

}  // namespace

ResolvedTarget::ResolvedTarget() = default;
ResolvedTarget::ResolvedTarget(ResolvedTarget&&) noexcept = default;
ResolvedTarget::~ResolvedTarget() = default;

traffic::Exchange ResolvedTarget::Send(const traffic::Request& request) const {
  return client->SendOrRecordError(request);
}

void AddTargetOptions(CLI::App& command, TargetOptions& options) {
  command.add_option("--base-url", options.base_url,
                     "Server to check, e.g. https://api.fireworks.ai (default: start the embedded reference server)")
      ->type_name("URL")
      ->check(BaseUrlValidator());
  command.add_option("--account", options.account, "Account id put in the path (default with the embedded server: acme)")
      ->type_name("ID");
  command.add_option("--api-key-env", options.api_key_env, "Environment variable holding the API key (never printed)")
      ->capture_default_str()
      ->type_name("NAME");
  command.add_option("--other-account", options.other_account, "A second account, for the isolation checks")
      ->type_name("ID");
  command.add_option("--other-api-key-env", options.other_api_key_env,
                     "Environment variable holding the second account's key")
      ->type_name("NAME");
  command.add_option("--spec", options.spec, "OpenAPI document (default: the built-in ListDpoJobs)")->type_name("FILE");
  command.add_option("--operation", options.operation, "operationId of the List to check (default: the only List)")
      ->type_name("ID");
  command.add_option("--max-requests", options.max_requests, "Stop after this many requests (retries count)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{100000000}));
  command.add_option("--rate", options.rate, "At most this many requests per second (0: unlimited)")
      ->capture_default_str()
      ->check(RateValidator());
  command.add_option(
      "--timeout", options.timeout_ms,
      "Connect timeout and longest silence while reading, in milliseconds (headers may take twice this; a whole response 60 s)")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600000));
  command.add_option("--retries", options.retries, "Retries on 429, 503 and refused connections (with backoff)")
      ->capture_default_str()
      ->check(CLI::Range(0, 20));
  command.add_option("--max-body-size", options.max_body_size, "Largest response body read")
      ->capture_default_str()
      ->type_name("SIZE")
      ->check(ParsedBy(ParseByteSize));
  command.add_option("--ca-file", options.ca_file, "PEM bundle to trust instead of the system CAs")->type_name("FILE");
  command.add_flag("--insecure", options.insecure, "Do not verify TLS certificates (test servers only)");
  command.add_option("--embedded-fault", options.embedded_faults,
                     "Start the embedded server with this fault (see conform serve --list-faults)")
      ->type_name("NAME");
  command.add_option("--embedded-jobs", options.embedded_jobs, "Jobs in the embedded server's main account")
      ->capture_default_str()
      ->check(CLI::Range(size_t{0}, size_t{1000000}));
}

void AddPageSizeOptions(CLI::App& command, PageSizeFlags& flags) {
  CLI::Option* default_option =
      command
          .add_option("--default-page-size", flags.default_page_size,
                      "The page size the contract promises by default (default: what the spec "
                      "states, else 50)")
          ->check(CLI::Range(int64_t{1}, int64_t{1000000}));
  CLI::Option* max_option =
      command
          .add_option(
              "--max-page-size", flags.max_page_size,
              "The largest page the contract allows (default: what the spec states, else 200)")
          ->check(CLI::Range(int64_t{1}, int64_t{1000000}));
  // Once every option is converted; thrown from parse(), so it is reported like the others.
  command.callback([&flags, default_option, max_option] {
    flags.default_given = default_option->count() > 0;
    flags.max_given = max_option->count() > 0;
    if (flags.default_given && flags.max_given && flags.default_page_size > flags.max_page_size) {
      throw CLI::ValidationError("--default-page-size",
                                 std::to_string(flags.default_page_size) +
                                     " is above --max-page-size " +
                                     std::to_string(flags.max_page_size) +
                                     " (the default page cannot be larger than the largest)");
    }
  });
}

Result<validator::PageSizes> PageSizesFor(const PageSizeFlags& flags,
                                          const validator::Operation& op) {
  validator::PageSizes sizes =
      validator::ResolvePageSizes(op, flags.given_default(), flags.given_max());
  if (sizes.default_size > sizes.max_size) {
    return InvalidArgument("--default-page-size " + std::to_string(sizes.default_size) +
                           " is above the largest page " + op.operation_id + " allows, " +
                           std::to_string(sizes.max_size) + " (" + sizes.origin +
                           "; pass --max-page-size too)");
  }
  return sizes;
}

Result<ResolvedTarget> ResolveTarget(const TargetOptions& options, const Environment& env) {
  ResolvedTarget target;
  auto contract = LoadSpecOption(options.spec);
  if (!contract) {
    return contract.error();
  }
  target.contract = *std::move(contract);
  if (!options.operation.empty()) {
    target.operation = target.contract.FindOperation(options.operation);
    if (target.operation == nullptr) {
      return InvalidArgument("--operation: no operation '" + options.operation + "' in " + target.contract.source);
    }
  } else {
    for (const validator::Operation& op : target.contract.operations) {
      if (!op.list) {
        continue;
      }
      if (target.operation != nullptr) {
        return InvalidArgument(target.contract.source + " has several List operations (" +
                               target.operation->operation_id + ", " + op.operation_id + "): choose one with --operation");
      }
      target.operation = &op;
    }
    if (target.operation == nullptr) {
      return InvalidArgument(target.contract.source + " has no AIP-158 List operation to check");
    }
  }
  auto max_body = ParseByteSize(options.max_body_size);
  if (!max_body) {
    return InvalidArgument("--max-body-size: " + max_body.error().message);
  }
  target.api_key_env = options.api_key_env;

  if (options.base_url.empty()) {
    if (!options.spec.empty()) {
      return InvalidArgument("--spec needs --base-url: the embedded server serves the built-in ListDpoJobs only");
    }
    auto faults = server::ParseFaults(options.embedded_faults);
    if (!faults) {
      return InvalidArgument("--embedded-fault: " + faults.error().ToString());
    }
    server::ServerOptions server_options;
    server_options.faults = *faults;
    server_options.data.acme_jobs = options.embedded_jobs;
    auto started = server::StartServer(std::move(server_options));
    if (!started) {
      return Unavailable("cannot start the embedded server: " + started.error().ToString());
    }
    target.embedded = std::shared_ptr<server::RunningServer>(std::move(*started));
    target.base_url = target.embedded->base_url();
    target.account = options.account.empty() ? std::string(server::kAcmeAccount) : options.account;
    std::string other = options.other_account.empty() ? std::string(server::kTinyAccount) : options.other_account;
    for (const server::ApiKey& key : target.embedded->api_keys()) {
      if (key.account == target.account && !target.api_key) {
        target.api_key = key.key;
      }
      if (key.account == other && !target.other_api_key) {
        target.other_api_key = key.key;
        target.other_account = other;
      }
    }
    target.api_key_env = "CONFORM_EMBEDDED_KEY";
  } else {
    // Only a path with a parameter ("/v1/accounts/{account_id}/dpoJobs") needs an account.
    if (options.account.empty() && target.operation->path.find('{') != std::string::npos) {
      return InvalidArgument("--base-url needs --account (the account id in " + target.operation->path + ")");
    }
    // Checked while parsing already; again for callers that fill TargetOptions themselves.
    if (std::string error = BaseUrlError(options.base_url); !error.empty()) {
      return InvalidArgument("--base-url: " + error);
    }
    // The client drops userinfo; redacted, it reaches no error, report or curl line.
    target.base_url = traffic::RedactUrl(options.base_url);
    target.account = options.account;
    if (auto key = env.getenv(options.api_key_env); key && !key->empty()) {
      target.api_key = *key;
    } else if (target.operation->bearer_auth) {
      return InvalidArgument("the API key is not set: export " + options.api_key_env + " (or name another variable with --api-key-env)");
    }
    if (!options.other_account.empty()) {
      if (options.other_api_key_env.empty()) {
        return InvalidArgument("--other-account needs --other-api-key-env NAME");
      }
      auto other_key = env.getenv(options.other_api_key_env);
      if (!other_key || other_key->empty()) {
        return InvalidArgument("the second API key is not set: export " + options.other_api_key_env);
      }
      target.other_account = options.other_account;
      target.other_api_key = *other_key;
    }
  }

  if (!IsRate(options.rate)) {
    return InvalidArgument("--rate: " + RateError(std::to_string(options.rate)));
  }
  traffic::ClientOptions client_options;
  client_options.connect_timeout = std::chrono::milliseconds(options.timeout_ms);
  client_options.read_timeout = std::chrono::milliseconds(options.timeout_ms);
  client_options.max_retries = options.retries;
  client_options.max_requests = static_cast<uint64_t>(options.max_requests);
  client_options.requests_per_second = options.rate;
  client_options.burst = options.rate > 0 ? std::max(1, static_cast<int>(options.rate)) : 1;
  client_options.max_body_bytes = *max_body;
  client_options.ca_file = options.ca_file;
  client_options.tls = options.insecure ? traffic::TlsVerification::kInsecure : traffic::TlsVerification::kVerify;
  auto client = traffic::HttpClient::Create(target.base_url, std::move(client_options));
  if (!client) {
    return InvalidArgument("--base-url: " + client.error().ToString());
  }
  target.client = std::make_unique<traffic::HttpClient>(*std::move(client));
  std::vector<std::string> notes;
  if (!target.account.empty()) {
    notes.push_back("account " + target.account);
  }
  if (target.embedded) {
    notes.push_back("embedded reference server");
  }
  target.description = target.operation->operation_id + " at " + target.base_url;
  for (size_t i = 0; i < notes.size(); ++i) {
    target.description += (i == 0 ? " (" : ", ") + notes[i] + (i + 1 == notes.size() ? ")" : "");
  }
  return target;
}

}  // namespace conform::cli
