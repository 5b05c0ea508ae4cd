// Request matching for replay: which recorded exchange answers an incoming request.
//   auto index = recorder::ReplayIndex(cassette.exchanges, {.ignore_params = {"requestId"}},
//                                      redactor);
//   if (std::optional<size_t> hit = index.Next(request)) { serve(index.exchange(*hit)); }
// A request matches on method, path and query parameters (percent-decoded, in any order),
// and on the body with MatchBody::kYes. Identical requests recorded several times are served
// in recorded order, then the last one again. docs/recorder.md has the rules.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "recorder/redactor.h"
#include "traffic/exchange.h"

namespace conform::recorder {

enum class MatchBody { kNo, kYes };

struct MatchOptions {
  std::vector<std::string> ignore_params;  // query parameters left out of matching
  MatchBody body = MatchBody::kNo;         // also compare bodies (JSON bodies by value)
};

// A recorded request close to an unmatched one, for the error a client gets.
struct NearMatch {
  size_t entry = 0;     // index of the recorded exchange
  std::string request;  // "GET /v1/accounts/a/dpoJobs?pageSize=5" (redacted)
  size_t distance = 0;  // edit distance between the normalised requests
};

class ReplayIndex {
 public:
  // Indexes `recorded` in order. The redactor is applied to both sides before comparing, so
  // a request carrying a real api_key matches the redacted one in the cassette.
  ReplayIndex(std::vector<traffic::Exchange> recorded, MatchOptions options, Redactor redactor);

  // The exchange that answers `request` and advances its sequence; nullopt when nothing
  // matches. A recorded path may carry a base path the client leaves out: "/api/v1/x" answers
  // "/v1/x" when no recorded path is "/v1/x" exactly. Thread-safe.
  std::optional<size_t> Next(const traffic::Request& request);

  // Up to `count` recorded requests nearest to `request`, nearest first (ties: recorded order).
  std::vector<NearMatch> Nearest(const traffic::Request& request, size_t count) const;

  // Recorded exchanges that no request has used yet, in recorded order.
  std::vector<size_t> Unused() const;

  size_t size() const { return recorded_.size(); }
  const traffic::Exchange& exchange(size_t entry) const { return recorded_[entry]; }

  // "GET /path?a=1&b=2" with the query sorted and ignored parameters dropped: the text
  // matching compares (plus the body with MatchBody::kYes).
  std::string Describe(const traffic::Request& request) const;

 private:
  struct Key {
    std::string method;
    std::string path;   // percent-decoded
    std::string query;  // sorted, re-encoded
    std::string body;   // canonical, only with MatchBody::kYes
  };
  struct Sequence {
    std::vector<size_t> entries;
    size_t next = 0;
  };
  Key KeyOf(const traffic::Request& request) const;
  static std::string Flatten(const Key& key);

  std::vector<traffic::Exchange> recorded_;
  MatchOptions options_;
  Redactor redactor_;
  std::vector<std::string> descriptions_;  // Describe() of each recorded request
  std::map<std::string, std::vector<std::string>> paths_by_method_;  // distinct paths

  mutable std::mutex mutex_;
  std::map<std::string, Sequence> sequences_;  // Flatten(Key) -> recorded entries
  std::vector<bool> used_;
};

}  // namespace conform::recorder
