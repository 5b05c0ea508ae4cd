#include "server/store.h"

#include <mutex>

namespace conform::server {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kAccountsPrefix = "accounts/";
constexpr std::string_view kCollection = "/dpoJobs/";

bool ValidSegment(std::string_view segment) {
  if (segment.empty()) {
    return false;
  }
  for (char c : segment) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f || c == '/') {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<std::string> AccountOfJobName(std::string_view name) {
  const std::string expected = "expected \"accounts/{account}/dpoJobs/{job}\"";
  if (name.substr(0, kAccountsPrefix.size()) != kAccountsPrefix) {
    return InvalidArgument("job name '" + std::string(name) + "' does not start with accounts/; " +
                           expected);
  }
  std::string_view rest = name.substr(kAccountsPrefix.size());
  size_t collection = rest.find(kCollection);
  if (collection == std::string_view::npos) {
    return InvalidArgument("job name '" + std::string(name) + "' has no /dpoJobs/ segment; " +
                           expected);
  }
  std::string_view account = rest.substr(0, collection);
  std::string_view job = rest.substr(collection + kCollection.size());
  if (!ValidSegment(account) || !ValidSegment(job)) {
    return InvalidArgument("job name '" + std::string(name) +
                           "' has an empty or malformed segment; " + expected);
  }
  return std::string(account);
}

Status JobStore::AddJob(Json job) {
  if (!job.is_object()) {
    return InvalidArgument("a job must be a JSON object");
  }
  auto name_node = job.find("name");
  if (name_node == job.end() || !name_node->is_string()) {
    return InvalidArgument("a job needs a string \"name\" (accounts/{account}/dpoJobs/{job})");
  }
  auto stored = std::make_shared<StoredJob>();
  stored->name = name_node->get<std::string>();
  Result<std::string> account = AccountOfJobName(stored->name);
  if (!account) {
    return account.error();
  }
  stored->account = *account;
  if (auto wandb = job.find("wandbConfig"); wandb != job.end() && wandb->is_object()) {
    if (auto key = wandb->find("apiKey"); key != wandb->end()) {
      if (key->is_string()) {
        stored->wandb_api_key = key->get<std::string>();
      }
      wandb->erase(key);
    }
  }
  stored->resource_json = job.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  stored->resource = std::move(job);

  std::unique_lock lock(mutex_);
  Account& entry = accounts_[stored->account];
  if (entry.jobs.count(stored->name) != 0) {
    return InvalidArgument("duplicate job name '" + stored->name + "'");
  }
  std::string key = stored->name;
  entry.jobs.emplace(std::move(key), std::move(stored));
  entry.version = ++version_;
  return OkStatus();
}

bool JobStore::DeleteJob(std::string_view name) {
  Result<std::string> account = AccountOfJobName(name);
  if (!account) {
    return false;
  }
  std::unique_lock lock(mutex_);
  auto entry = accounts_.find(*account);
  if (entry == accounts_.end()) {
    return false;
  }
  auto job = entry->second.jobs.find(name);
  if (job == entry->second.jobs.end()) {
    return false;
  }
  entry->second.jobs.erase(job);
  entry->second.version = ++version_;
  return true;
}

void JobStore::AddAccount(std::string_view account) {
  std::unique_lock lock(mutex_);
  if (accounts_.find(account) != accounts_.end()) {
    return;
  }
  accounts_[std::string(account)].version = ++version_;
}

bool JobStore::HasAccount(std::string_view account) const {
  std::shared_lock lock(mutex_);
  return accounts_.find(account) != accounts_.end();
}

std::optional<uint64_t> JobStore::AccountVersion(std::string_view account) const {
  std::shared_lock lock(mutex_);
  auto entry = accounts_.find(account);
  if (entry == accounts_.end()) {
    return std::nullopt;
  }
  return entry->second.version;
}

std::optional<AccountSnapshot> JobStore::Snapshot(std::string_view account) const {
  std::shared_lock lock(mutex_);
  auto entry = accounts_.find(account);
  if (entry == accounts_.end()) {
    return std::nullopt;
  }
  AccountSnapshot snapshot;
  snapshot.version = entry->second.version;
  snapshot.jobs.reserve(entry->second.jobs.size());
  for (const auto& [name, job] : entry->second.jobs) {
    snapshot.jobs.push_back(job);
  }
  return snapshot;
}

std::vector<std::pair<std::string, size_t>> JobStore::AccountSizes() const {
  std::shared_lock lock(mutex_);
  std::vector<std::pair<std::string, size_t>> sizes;
  for (const auto& [name, account] : accounts_) {
    sizes.emplace_back(name, account.jobs.size());
  }
  return sizes;
}

uint64_t JobStore::version() const {
  std::shared_lock lock(mutex_);
  return version_;
}

}  // namespace conform::server
