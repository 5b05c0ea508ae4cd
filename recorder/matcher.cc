#include "recorder/matcher.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "traffic/url.h"

namespace conform::recorder {
namespace {

// Edit distance is quadratic: longer requests are compared on their first bytes.
constexpr size_t kMaxCompared = 256;

size_t EditDistance(std::string_view a, std::string_view b) {
  a = a.substr(0, kMaxCompared);
  b = b.substr(0, kMaxCompared);
  std::vector<size_t> previous(b.size() + 1);
  std::vector<size_t> current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    previous[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitute});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string UpperMethod(const std::string& method) {
  if (method.empty()) {
    return "GET";
  }
  std::string out = method;
  for (char& c : out) {
    c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

std::string CanonicalBody(const std::string& body) {
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return body;
  }
  return parsed.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

ReplayIndex::ReplayIndex(std::vector<traffic::Exchange> recorded, MatchOptions options,
                         Redactor redactor)
    : recorded_(std::move(recorded)),
      options_(std::move(options)),
      redactor_(std::move(redactor)),
      used_(recorded_.size(), false) {
  std::set<std::pair<std::string, std::string>> seen_paths;
  for (size_t i = 0; i < recorded_.size(); ++i) {
    Key key = KeyOf(recorded_[i].request);
    descriptions_.push_back(Describe(recorded_[i].request));
    if (seen_paths.emplace(key.method, key.path).second) {
      paths_by_method_[key.method].push_back(key.path);
    }
    sequences_[Flatten(key)].entries.push_back(i);
  }
}

ReplayIndex::Key ReplayIndex::KeyOf(const traffic::Request& request) const {
  Key key;
  key.method = UpperMethod(request.method);
  std::string url = redactor_.Url(request.url);
  auto parsed = traffic::ParseUrl(url);
  traffic::QueryParams query;
  if (parsed) {
    key.path = traffic::PercentDecode(parsed->path, traffic::PlusIs::kPlus);
    for (auto& [name, value] : parsed->query) {
      if (std::find(options_.ignore_params.begin(), options_.ignore_params.end(), name) ==
          options_.ignore_params.end()) {
        query.emplace_back(std::move(name), std::move(value));
      }
    }
  } else {
    key.path = url;
  }
  std::sort(query.begin(), query.end());
  key.query = traffic::BuildQuery(query);
  if (options_.body == MatchBody::kYes) {
    key.body = CanonicalBody(redactor_.Body(request.body));
  }
  return key;
}

std::string ReplayIndex::Flatten(const Key& key) {
  std::string flat = key.method + " " + key.path;
  if (!key.query.empty()) {
    flat += "?" + key.query;
  }
  flat += '\n';
  flat += key.body;
  return flat;
}

std::string ReplayIndex::Describe(const traffic::Request& request) const {
  Key key = KeyOf(request);
  std::string text = key.method + " " + key.path;
  if (!key.query.empty()) {
    text += "?" + key.query;
  }
  return text;
}

std::optional<size_t> ReplayIndex::Next(const traffic::Request& request) {
  Key key = KeyOf(request);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = sequences_.find(Flatten(key));
  if (it == sequences_.end() && !key.path.empty() && key.path.front() == '/') {
    // A recording made through an upstream with a base path ("https://gw/api"): the client
    // asks for "/v1/x", the cassette holds "/api/v1/x".
    auto paths = paths_by_method_.find(key.method);
    if (paths != paths_by_method_.end()) {
      for (const std::string& path : paths->second) {
        if (path.size() > key.path.size() && path.ends_with(key.path)) {
          Key prefixed = key;
          prefixed.path = path;
          it = sequences_.find(Flatten(prefixed));
          if (it != sequences_.end()) {
            break;
          }
        }
      }
    }
  }
  if (it == sequences_.end()) {
    return std::nullopt;
  }
  Sequence& sequence = it->second;
  size_t position = std::min(sequence.next, sequence.entries.size() - 1);
  sequence.next = position + 1;
  size_t entry = sequence.entries[position];
  used_[entry] = true;
  return entry;
}

std::vector<NearMatch> ReplayIndex::Nearest(const traffic::Request& request, size_t count) const {
  std::string wanted = Describe(request);
  std::vector<NearMatch> candidates;
  std::set<std::string> seen;
  for (size_t i = 0; i < descriptions_.size(); ++i) {
    if (!seen.insert(descriptions_[i]).second) {
      continue;
    }
    candidates.push_back(NearMatch{.entry = i,
                                   .request = descriptions_[i],
                                   .distance = EditDistance(wanted, descriptions_[i])});
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const NearMatch& a, const NearMatch& b) { return a.distance < b.distance; });
  if (candidates.size() > count) {
    candidates.resize(count);
  }
  return candidates;
}

std::vector<size_t> ReplayIndex::Unused() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<size_t> unused;
  for (size_t i = 0; i < used_.size(); ++i) {
    if (!used_[i]) {
      unused.push_back(i);
    }
  }
  return unused;
}

}  // namespace conform::recorder
