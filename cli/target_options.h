// The target options `conform check` and `conform fuzz` share: where the server is, who we
// are, and how hard we may push it. Without --base-url both start the embedded reference
// server (optionally with a fault) and aim at it.
//   TargetOptions target;
//   AddTargetOptions(*command, target);
//   auto resolved = ResolveTarget(target, env);   // starts the embedded server if needed
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/app.h"
#include "common/result.h"
#include "traffic/http_client.h"
#include "validator/contract.h"
#include "validator/list_shape.h"

namespace conform::server {
class RunningServer;
}  // namespace conform::server

namespace conform::cli {

struct TargetOptions {
  std::string base_url;  // empty: the embedded reference server
  std::string account;
  std::string api_key_env = "FIREWORKS_API_KEY";
  std::string other_account;
  std::string other_api_key_env;
  std::string spec;
  std::string operation;
  int64_t max_requests = 20000;
  double rate = 0;        // requests per second; 0 = unlimited
  int timeout_ms = 10000;  // connect and read timeouts
  int retries = 2;
  std::string max_body_size = "32MiB";
  std::string ca_file;
  bool insecure = false;
  // The embedded server only.
  std::vector<std::string> embedded_faults;
  size_t embedded_jobs = 350;
};

// Binds the target options. A malformed --base-url (traffic::ParseBaseUrl's reason), a
// --rate that is not 0 or a finite 0.001..1000000, or a bad --max-body-size is refused while
// parsing: a one-line usage error naming the option and the value (a URL shown with its
// userinfo redacted).
void AddTargetOptions(CLI::App& command, TargetOptions& options);

// --default-page-size and --max-page-size, as given. Not given, the spec decides what it states
// (validator::ResolvePageSizes), else the seed's 50 and 200.
struct PageSizeFlags {
  int64_t default_page_size = 50;
  int64_t max_page_size = 200;
  bool default_given = false;
  bool max_given = false;
  std::optional<int64_t> given_default() const {
    return default_given ? std::optional<int64_t>(default_page_size) : std::nullopt;
  }
  std::optional<int64_t> given_max() const {
    return max_given ? std::optional<int64_t>(max_page_size) : std::nullopt;
  }
};

// Binds --default-page-size and --max-page-size (check, fuzz, validate), each 1..1000000, and
// sets the command's callback to note which were given and to refuse a default above the
// maximum: a usage error like any option CLI11 refuses.
void AddPageSizeOptions(CLI::App& command, PageSizeFlags& flags);

// The page sizes `op` is judged by. kInvalidArgument when --default-page-size is above the
// maximum the spec states.
Result<validator::PageSizes> PageSizesFor(const PageSizeFlags& flags,
                                          const validator::Operation& op);

// What the options resolve to: a contract, the List operation, a client and the principals.
struct ResolvedTarget {
  validator::Contract contract;
  const validator::Operation* operation = nullptr;  // points into `contract`
  std::string base_url;  // userinfo redacted (the client never sends it): safe to print
  std::string account;
  std::optional<std::string> api_key;
  std::optional<std::string> other_account;
  std::optional<std::string> other_api_key;
  std::string api_key_env;  // for curl reproductions
  // Declared before `client` so the client (and its keep-alive connections) goes first:
  // the server's Stop() waits for open connections.
  std::shared_ptr<server::RunningServer> embedded;  // set when we started it
  std::unique_ptr<traffic::HttpClient> client;
  std::string description;                          // "ListDpoJobs at http://... (account acme)"

  ResolvedTarget();
  ResolvedTarget(ResolvedTarget&&) noexcept;
  ~ResolvedTarget();
  // Sends through the client; a spent budget or a bad URL becomes an Exchange with an error.
  traffic::Exchange Send(const traffic::Request& request) const;
};

// Errors: usage/configuration (kInvalidArgument: unknown operation, missing key variable,
// bad URL or rate, bad fault name), kNotFound/kUnavailable (spec file, embedded server start).
Result<ResolvedTarget> ResolveTarget(const TargetOptions& options, const Environment& env);

}  // namespace conform::cli
