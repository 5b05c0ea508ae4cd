// Helpers for the fuzz tests: the embedded contract, a reference server on a loopback port with
// an injected token secret (STYLE T6), and the FuzzTarget and SendFn that aim at it.
//   testing::ReferenceServer server({.jobs = 60});
//   Result<fuzz::FuzzResult> result = fuzz::Fuzz(Contract(), ListOp(), server.Send(),
//                                                server.Target(), {.seed = 3, .runs = 20});
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/check.h"
#include "fuzz/fuzzer.h"
#include "server/faults.h"
#include "server/generator.h"
#include "server/http_server.h"
#include "traffic/http_client.h"
#include "validator/spec_loader.h"

namespace conform::fuzz::testing {

inline const validator::Contract& Contract() {
  static const validator::Contract contract = *validator::EmbeddedContract();
  return contract;
}

inline const validator::Operation& ListOp() { return *Contract().FindOperation("ListDpoJobs"); }

struct ServerSetup {
  size_t jobs = 60;
  std::vector<std::string> faults;
};

class ReferenceServer {
 public:
  explicit ReferenceServer(const ServerSetup& setup) {
    auto faults = server::ParseFaults(setup.faults);
    CONFORM_CHECK(faults.ok());
    auto started = server::StartServer({.data = {.acme_jobs = setup.jobs, .seed = 1},
                                        .faults = *faults,
                                        .token_secret = "0123456789abcdef0123456789abcdef",
                                        .threads = 4});
    CONFORM_CHECK(started.ok());
    server_ = std::shared_ptr<server::RunningServer>(std::move(*started));
    auto client = traffic::HttpClient::Create(server_->base_url(), {.max_retries = 0});
    CONFORM_CHECK(client.ok());
    client_ = std::make_shared<traffic::HttpClient>(std::move(*client));
  }

  // Requests go through this; `log` (when set) records every request sent.
  validator::SendFn Send(std::vector<std::string>* log = nullptr) const {
    std::shared_ptr<traffic::HttpClient> client = client_;
    return [client, log](const traffic::Request& request) {
      if (log != nullptr) {
        log->push_back(
            request.method + " " + request.url + " " +
            std::string(traffic::FindHeader(request.headers, "Authorization").value_or("-")));
      }
      return client->SendOrRecordError(request);
    };
  }

  FuzzTarget Target() const {
    FuzzTarget target{.base_url = server_->base_url(),
                      .account = std::string(server::kAcmeAccount)};
    std::shared_ptr<server::RunningServer> running = server_;
    for (const server::ApiKey& key : server_->api_keys()) {
      if (key.account == server::kAcmeAccount) {
        target.api_key = key.key;
      } else if (key.account == server::kTinyAccount) {
        target.other_account = key.account;
        target.other_api_key = key.key;
      } else if (key.account == server::kEmptyAccount) {
        std::string account = key.account;
        target.churn = ChurnStore{
            .account = account,
            .api_key = key.key,
            .add_job =
                [running](nlohmann::json job) { return running->store().AddJob(std::move(job)); },
            .delete_job =
                [running](const std::string& name) { return running->store().DeleteJob(name); },
            .job_names =
                [running, account] {
                  std::vector<std::string> names;
                  if (auto snapshot = running->store().Snapshot(account)) {
                    for (const auto& job : snapshot->jobs) {
                      names.push_back(job->name);
                    }
                  }
                  return names;
                }};
      }
    }
    return target;
  }

  server::RunningServer& running() { return *server_; }

 private:
  std::shared_ptr<server::RunningServer> server_;
  std::shared_ptr<traffic::HttpClient> client_;
};

// The outcome of `property` in `result`, or nullptr.
inline const PropertyOutcome* Outcome(const FuzzResult& result, std::string_view property) {
  for (const PropertyOutcome& outcome : result.properties) {
    if (outcome.name == property) {
      return &outcome;
    }
  }
  return nullptr;
}

}  // namespace conform::fuzz::testing
