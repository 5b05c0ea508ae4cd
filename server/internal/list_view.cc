#include "server/internal/list_view.h"

#include <algorithm>

namespace conform::server::internal {
namespace {

using Json = nlohmann::json;

uint64_t Fnv1a(std::string_view text, uint64_t seed) {
  uint64_t hash = 0xcbf29ce484222325ULL ^ seed;
  for (char c : text) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace

std::vector<aip::Value> ReadKeys(const Json& resource, const aip::OrderBy& order) {
  std::vector<aip::Value> keys;
  keys.reserve(order.keys.size());
  for (const aip::OrderKey& key : order.keys) {
    keys.push_back(aip::ReadValue(aip::FindPath(resource, key.field.path), key.field));
  }
  return keys;
}

Json KeyJson(const Json& resource, const aip::OrderBy& order) {
  Json keys = Json::array();
  for (const aip::OrderKey& key : order.keys) {
    const Json* node = aip::FindPath(resource, key.field.path);
    keys.push_back(node == nullptr ? Json(nullptr) : *node);
  }
  return keys;
}

std::optional<std::vector<aip::Value>> KeysFromJson(const Json& after, const aip::OrderBy& order) {
  if (!after.is_array() || after.size() != order.keys.size()) {
    return std::nullopt;
  }
  std::vector<aip::Value> keys;
  keys.reserve(order.keys.size());
  for (size_t i = 0; i < order.keys.size(); ++i) {
    const Json& node = after[i];
    keys.push_back(aip::ReadValue(node.is_null() ? nullptr : &node, order.keys[i].field));
  }
  return keys;
}

int CompareKeys(const std::vector<aip::Value>& a, const std::vector<aip::Value>& b,
                const aip::OrderBy& order) {
  for (size_t i = 0; i < order.keys.size(); ++i) {
    int c = aip::CompareValues(a[i], b[i]);
    if (c != 0) {
      return order.keys[i].direction == aip::SortDirection::kDescending ? -c : c;
    }
  }
  return 0;
}

std::shared_ptr<const ListView> BuildView(const AccountSnapshot& snapshot,
                                          const aip::Filter& filter, const aip::OrderBy& order,
                                          std::optional<uint64_t> shuffle_seed) {
  auto view = std::make_shared<ListView>();
  view->version = snapshot.version;
  view->items.reserve(snapshot.jobs.size());
  for (const auto& job : snapshot.jobs) {
    if (filter.empty() || aip::Matches(filter, job->resource)) {
      view->items.push_back({job, ReadKeys(job->resource, order)});
    }
  }
  // The snapshot is in name order, so a stable sort leaves ties by name.
  if (shuffle_seed.has_value()) {
    uint64_t seed = *shuffle_seed;
    std::sort(view->items.begin(), view->items.end(),
              [&order, seed](const ViewItem& a, const ViewItem& b) {
                int c = CompareKeys(a.keys, b.keys, order);
                if (c != 0) {
                  return c < 0;
                }
                return Fnv1a(a.job->name, seed) < Fnv1a(b.job->name, seed);
              });
  } else {
    std::stable_sort(view->items.begin(), view->items.end(),
                     [&order](const ViewItem& a, const ViewItem& b) {
                       return CompareKeys(a.keys, b.keys, order) < 0;
                     });
  }
  return view;
}

size_t SeekAfter(const ListView& view, const std::vector<aip::Value>& keys,
                 const aip::OrderBy& order) {
  auto it = std::upper_bound(view.items.begin(), view.items.end(), keys,
                             [&order](const std::vector<aip::Value>& k, const ViewItem& item) {
                               return CompareKeys(k, item.keys, order) < 0;
                             });
  return static_cast<size_t>(it - view.items.begin());
}

size_t SeekAtOrAfter(const ListView& view, const std::vector<aip::Value>& keys,
                     const aip::OrderBy& order) {
  auto it = std::lower_bound(view.items.begin(), view.items.end(), keys,
                             [&order](const ViewItem& item, const std::vector<aip::Value>& k) {
                               return CompareKeys(item.keys, k, order) < 0;
                             });
  return static_cast<size_t>(it - view.items.begin());
}

std::shared_ptr<const ListView> ViewCache::Find(const std::string& key, uint64_t version) {
  std::lock_guard lock(mutex_);
  auto found = index_.find(key);
  if (found == index_.end() || found->second->second->version != version) {
    return nullptr;
  }
  entries_.splice(entries_.begin(), entries_, found->second);
  return found->second->second;
}

void ViewCache::Put(const std::string& key, std::shared_ptr<const ListView> view) {
  if (capacity_ == 0) {
    return;
  }
  std::lock_guard lock(mutex_);
  if (auto found = index_.find(key); found != index_.end()) {
    // Two threads may build the same view; keep the newer version.
    if (found->second->second->version <= view->version) {
      found->second->second = std::move(view);
    }
    entries_.splice(entries_.begin(), entries_, found->second);
    return;
  }
  entries_.emplace_front(key, std::move(view));
  index_[key] = entries_.begin();
  while (entries_.size() > capacity_) {
    index_.erase(entries_.back().first);
    entries_.pop_back();
  }
}

}  // namespace conform::server::internal
