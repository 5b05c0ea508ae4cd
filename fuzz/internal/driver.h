// The fuzzer's one way to the server. Every request of every property goes through Driver::Send,
// which counts it, replays it from a cache while a failure is being shrunk (so a live server is
// not sent the same requests again), and judges each answer on its own, as conform check does
// (ExchangeValidator, response.no_5xx, credentials in clear), into the findings of the case.
//   Driver driver(op, *validator, send, {});
//   driver.BeginCase();
//   validator::Page page = driver.Get(target, {.page_size = "5"});
//   std::optional<std::string> failure = driver.EndCase();
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "validator/exchange_validator.h"
#include "validator/finding.h"
#include "validator/list_walk.h"

namespace conform::fuzz::internal {

// kReplay: while shrinking, the n-th identical request of a case (same method, URL and
// Authorization) gets the answer the n-th one got before. kBypass: always sent (the stateful
// property, whose answers depend on the jobs it creates).
enum class CacheUse { kReplay, kBypass };

enum class StopReason {
  kNone,
  kDeadline,   // the property's share of --duration is spent
  kBudget,     // --max-requests is spent
  kTransport,  // the target stopped answering
};

// A case that failed: what it was and what showed it.
struct CaseFailure {
  std::string description;
  std::vector<validator::Finding> findings;
};

struct DriverOptions {
  // should-level findings fail a case (else they are kept as warnings).
  enum class Strictness { kMustFails, kShouldFails };
  Strictness strictness = Strictness::kMustFails;
  size_t max_cache_bytes = size_t{256} << 20;
  size_t max_findings_per_check = 3;  // per case: a page of 200 bad resources is one problem
  std::string source;                 // Finding::source: the target's base URL
  std::function<std::chrono::steady_clock::time_point()> now;  // empty: steady_clock
};

class Driver {
 public:
  // `op` and `validator` must outlive the driver.
  Driver(const validator::Operation& op, const validator::ExchangeValidator& validator,
         validator::SendFn send, DriverOptions options);

  // Sends `request` (or replays it, see CacheUse) and judges the answer. Once sending has
  // stopped (Stopped()), returns an Exchange with `error` set without sending.
  // With `parsed_body`, the body the judge parsed is handed back (pages are read from it).
  traffic::Exchange Send(const traffic::Request& request, CacheUse cache = CacheUse::kReplay,
                         std::optional<nlohmann::json>* parsed_body = nullptr);
  // One List request, read as a page.
  validator::Page Get(const validator::ListTarget& target, const validator::ListQuery& query,
                      CacheUse cache = CacheUse::kReplay);
  // validator::WalkPages through Send.
  validator::Walk Walk(const validator::ListTarget& target, const validator::ListQuery& query,
                       const std::vector<std::optional<std::string>>& page_sizes, size_t max_pages,
                       CacheUse cache = CacheUse::kReplay);

  // Findings of the oracles for the running case (moved out of `findings`).
  void Add(std::vector<validator::Finding>& findings);
  // What the running case is, in one line ("pageSize=[1, 200] maxPages=2").
  void Describe(std::string description);
  // Counts a case whose input the server refused where AIP lets it (an unsupported orderBy).
  void CountRefused() { ++refused_; }
  // An exception escaped a property: a bug in conform, reported as such.
  void InternalError(std::string message);

  // The property bracket: counters, deadline and cache are per property.
  void BeginProperty(std::optional<std::chrono::steady_clock::time_point> deadline);
  void StartShrinking();
  void EndProperty();

  // The case bracket. BeginCase returns false once sending has stopped: the case then does
  // nothing and passes. EndCase returns the failure message when the case fails (a must
  // finding, or a should finding with kShouldFails); the last failing case is kept.
  bool BeginCase();
  std::optional<std::string> EndCase();
  // Ends a case RapidCheck discards (RC_PRE, a generation failure): it neither passes nor fails.
  void AbandonCase();
  // Whether the running case already has a finding that fails it (the stateful property
  // stops issuing commands then).
  bool CaseFailing() const;

  bool Stopped() const { return stop_ != StopReason::kNone; }
  StopReason stop_reason() const { return stop_; }
  const std::string& stop_detail() const { return stop_detail_; }
  bool shrinking() const { return shrinking_; }

  // Run totals.
  int64_t sent() const { return sent_; }
  int64_t cache_hits() const { return cache_hits_; }
  const std::vector<std::string>& transport_errors() const { return transport_errors_; }
  const std::vector<std::string>& internal_errors() const { return internal_errors_; }

  // Property totals.
  int cases_run() const { return cases_run_; }
  int refused() const { return refused_; }
  const std::optional<CaseFailure>& failure() const { return failure_; }
  const std::vector<validator::Finding>& warnings() const { return warnings_; }

 private:
  bool Fails(const validator::Finding& finding) const;
  void AddOne(validator::Finding finding);
  // Returns the body it parsed, when it was JSON.
  std::optional<nlohmann::json> Judge(const traffic::Exchange& exchange);
  // Send, and the answer read as a page from the body Judge parsed (not parsed twice).
  validator::Page FetchPage(const traffic::Request& request, CacheUse cache);
  std::string CacheKey(const traffic::Request& request);

  const validator::Operation& op_;
  const validator::ExchangeValidator& validator_;
  validator::SendFn send_;
  DriverOptions options_;

  StopReason stop_ = StopReason::kNone;
  std::string stop_detail_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  int64_t sent_ = 0;
  int64_t cache_hits_ = 0;
  std::vector<std::string> transport_errors_;
  std::vector<std::string> internal_errors_;

  bool shrinking_ = false;
  std::unordered_map<std::string, traffic::Exchange> cache_;
  size_t cache_bytes_ = 0;
  std::unordered_map<std::string, int> occurrences_;  // per case

  bool in_case_ = false;
  bool case_stopped_ = false;  // sending stopped during the running case
  std::string description_;
  std::vector<validator::Finding> findings_;
  std::unordered_map<std::string, size_t> per_check_;

  int cases_run_ = 0;
  int refused_ = 0;
  std::optional<CaseFailure> failure_;
  std::vector<validator::Finding> warnings_;
};

}  // namespace conform::fuzz::internal
