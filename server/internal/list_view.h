// The filtered, sorted view of one account's jobs that pages are cut from, the keyset seek
// into it, and the small LRU cache that makes walking every page O(n log n) in total: the view
// is built once per (account, filter, orderBy, store version), then each page is a binary
// search plus the page's own items.
//   auto view = internal::BuildView(*store.Snapshot("acme"), filter, order, std::nullopt);
//   size_t start = internal::SeekAfter(*view, internal::KeysFromJson(token.after, order), order);
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "aip/filter.h"
#include "aip/order_by.h"
#include "aip/values.h"
#include "server/store.h"

namespace conform::server::internal {

struct ViewItem {
  std::shared_ptr<const StoredJob> job;
  std::vector<aip::Value> keys;  // one per key of the order, read per aip/values.h
};

struct ListView {
  uint64_t version = 0;  // of the account's jobs it was built from
  std::vector<ViewItem> items;
};

// The values of `order`'s keys in `resource`, typed as aip::Compare reads them.
std::vector<aip::Value> ReadKeys(const nlohmann::json& resource, const aip::OrderBy& order);
// The same keys as JSON (null where absent), to carry in a page token.
nlohmann::json KeyJson(const nlohmann::json& resource, const aip::OrderBy& order);
// Back from KeyJson; nullopt when `after` is not an array of one value per key.
std::optional<std::vector<aip::Value>> KeysFromJson(const nlohmann::json& after,
                                                    const aip::OrderBy& order);

// Three-way comparison of key vectors under `order` (directions applied).
int CompareKeys(const std::vector<aip::Value>& a, const std::vector<aip::Value>& b,
                const aip::OrderBy& order);

// Jobs of `snapshot` that match `filter`, sorted by `order`. Ties that `order` leaves keep
// name order, or, with `shuffle_seed` (the unstable-ties fault), a per-seed pseudo-random order.
std::shared_ptr<const ListView> BuildView(const AccountSnapshot& snapshot,
                                          const aip::Filter& filter, const aip::OrderBy& order,
                                          std::optional<uint64_t> shuffle_seed);

// Index of the first item that sorts strictly after `keys` (binary search).
size_t SeekAfter(const ListView& view, const std::vector<aip::Value>& keys,
                 const aip::OrderBy& order);
// Index of the first item that does not sort before `keys`.
size_t SeekAtOrAfter(const ListView& view, const std::vector<aip::Value>& keys,
                     const aip::OrderBy& order);

// A small LRU of views by key (account, filter, order); an entry built at another version of
// the account is a miss. Thread-safe.
class ViewCache {
 public:
  explicit ViewCache(size_t capacity) : capacity_(capacity) {}
  std::shared_ptr<const ListView> Find(const std::string& key, uint64_t version);
  void Put(const std::string& key, std::shared_ptr<const ListView> view);

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const ListView>>;
  size_t capacity_;
  std::mutex mutex_;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace conform::server::internal
