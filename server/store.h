// The jobs the reference server lists, per account: safe for concurrent readers and writers,
// versioned, and mutable while pages are walked (the churn tests add and delete between pages).
// A stored job is immutable and shared, so a page being rendered never sees a half-made change.
//   auto store = std::make_shared<JobStore>();
//   store->AddAccount("empty");
//   Status added = store->AddJob({{"name", "accounts/acme/dpoJobs/j1"}, {"dataset", "d"}});
//   bool gone = store->DeleteJob("accounts/acme/dpoJobs/j1");
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace conform::server {

struct StoredJob {
  std::string name;     // "accounts/acme/dpoJobs/j1"
  std::string account;  // "acme"
  // What responses show: the job without its credential (wandbConfig.apiKey).
  nlohmann::json resource;
  std::string resource_json;  // `resource`, serialised once
  std::string wandb_api_key;  // the credential, "" when none; never listed by a correct server
};

// One account's jobs at one version, ordered by name.
struct AccountSnapshot {
  uint64_t version = 0;
  std::vector<std::shared_ptr<const StoredJob>> jobs;
};

// The account of a job name "accounts/{account}/dpoJobs/{job}". kInvalidArgument when the
// name does not have that shape or a segment is empty or holds whitespace or controls.
Result<std::string> AccountOfJobName(std::string_view name);

class JobStore {
 public:
  // Adds a job; its account (created if new) comes from job["name"]. The credential
  // wandbConfig.apiKey is moved out of the listed resource. kInvalidArgument for a job that is
  // not an object, has no valid name, or whose name is already stored.
  Status AddJob(nlohmann::json job);
  // Removes a job; false when there is none by that name. The account stays (maybe empty).
  bool DeleteJob(std::string_view name);
  // Makes an account exist with no jobs (listing it gives an empty page, not NOT_FOUND).
  void AddAccount(std::string_view account);

  bool HasAccount(std::string_view account) const;
  // The version of an account's jobs: it changes on every add or delete in that account.
  std::optional<uint64_t> AccountVersion(std::string_view account) const;
  // nullopt when the account does not exist.
  std::optional<AccountSnapshot> Snapshot(std::string_view account) const;
  // Every account with its number of jobs, by account name.
  std::vector<std::pair<std::string, size_t>> AccountSizes() const;
  // Changes on every mutation of any account.
  uint64_t version() const;

 private:
  struct Account {
    uint64_t version = 0;
    std::map<std::string, std::shared_ptr<const StoredJob>, std::less<>> jobs;
  };
  mutable std::shared_mutex mutex_;
  std::map<std::string, Account, std::less<>> accounts_;
  uint64_t version_ = 0;
};

}  // namespace conform::server
