// conform fuzz as a library: RapidCheck properties of an AIP List (fuzz/properties.h) run
// against a server through a SendFn. A first walk of the collection (the reference walk) gives
// the values the generators draw from; each property then runs --runs cases, and a failure is
// shrunk by RapidCheck to a minimal case whose requests are kept for curl reproductions. The
// same seed against the same server sends the same requests: the only randomness is
// RapidCheck's, seeded from FuzzOptions::seed and the property name.
//   fuzz::FuzzTarget target{.base_url = url, .account = "acme", .api_key = key};
//   Result<fuzz::FuzzResult> result = fuzz::Fuzz(contract, *op, send, target, {.seed = 7});
//   for (const fuzz::PropertyOutcome& p : result->properties) { if (p.failed) { ... } }
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "fuzz/generators.h"
#include "fuzz/properties.h"
#include "validator/contract.h"
#include "validator/finding.h"
#include "validator/list_walk.h"

namespace conform::fuzz {

// The embedded server's store, for pagination_under_churn: jobs are created and deleted in an
// account of their own, never in the account under test.
struct ChurnStore {
  std::string account;
  std::string api_key;
  std::function<Status(nlohmann::json job)> add_job;
  std::function<bool(const std::string& name)> delete_job;
  std::function<std::vector<std::string>()> job_names;  // of `account`
};

struct FuzzTarget {
  std::string base_url;
  std::string account;  // substituted for the operation's path parameter
  std::optional<std::string> api_key;
  // A second principal, for token.other_account_rejected and auth.other_account_denied.
  std::optional<std::string> other_account;
  std::optional<std::string> other_api_key;
  std::optional<ChurnStore> churn;  // the embedded server only
};

struct Progress {
  enum class Phase { kSetup, kSearching, kShrinking, kDone };
  Phase phase = Phase::kSetup;
  std::string_view property;  // empty during setup
  size_t property_index = 0;  // 1-based among the selected properties
  size_t property_count = 0;
  int cases = 0;  // of the current property
  int runs = 0;
  int shrinks = 0;         // accepted shrinks of the current property
  int64_t requests = 0;    // sent in the whole run (cache hits excluded)
  int64_t cache_hits = 0;  // answers replayed while shrinking
  int failed_properties = 0;
  bool property_failed = false;  // kDone: the property just finished failed
};

struct FuzzOptions {
  uint64_t seed = 1;
  int runs = 100;  // cases per property
  // Time budget of the whole run, shared among the selected properties (what one leaves
  // passes on). nullopt: no time limit.
  std::optional<std::chrono::milliseconds> duration;
  std::vector<std::string> properties;  // names; empty: all
  PageSizeRules page_sizes;
  // should-level findings fail cases (and are shrunk); else they are reported as warnings.
  enum class Strictness { kMustFails, kShouldFails };
  Strictness strictness = Strictness::kMustFails;
  size_t max_reference_pages = 1000;
  std::function<std::chrono::steady_clock::time_point()> now;  // empty: steady_clock
  std::function<void(const Progress&)> progress;               // optional
};

struct PropertyOutcome {
  std::string name;
  std::string invariant;
  bool failed = false;
  bool skipped = false;
  std::string note;        // why skipped, why it stopped early, or what was exercised
  int cases = 0;           // cases run (shrink attempts excluded)
  int shrinks = 0;         // accepted shrinks
  int64_t requests = 0;    // sent by this property, shrinking included
  int64_t cache_hits = 0;  // answers replayed while shrinking
  // The search until the first failing case (shrinking excluded), counted from the start of
  // the run, reference walk included: what `--property NAME` alone needs to find it.
  std::optional<int> failing_case;  // 1-based
  std::optional<int64_t> requests_to_failure;
  std::optional<double> seconds_to_failure;
  std::string counterexample;  // the shrunk case in one line
  // The shrunk case's findings when failed; findings that do not fail the run (should-level
  // without --strict) otherwise.
  std::vector<validator::Finding> findings;
  double seconds = 0;
};

struct FuzzResult {
  uint64_t seed = 0;
  int runs = 0;
  std::vector<PropertyOutcome> properties;  // in AllProperties() order, selected ones only
  int64_t reference_requests = 0;           // the reference walk
  size_t reference_items = 0;
  int64_t requests = 0;  // sent, reference walk included
  int64_t cache_hits = 0;
  std::vector<std::string> errors;  // the target stopped answering: the run is incomplete
  std::string stopped;              // why sending stopped early, if it did
};

// The seed of one property's RapidCheck run: properties do not depend on which others run.
uint64_t PropertySeed(uint64_t seed, std::string_view property);

// Runs the selected properties. Errors: kInvalidArgument for an unknown property name, an
// operation that is not a List or has several path parameters; kUnavailable when the first
// request cannot reach the target; kFailedPrecondition when the credentials are refused or the
// account does not exist; kInternal when a property threw (a bug in conform). Exceptions
// (RapidCheck signals failures with them) never leave this function.
Result<FuzzResult> Fuzz(const validator::Contract& contract, const validator::Operation& op,
                        validator::SendFn send, const FuzzTarget& target,
                        const FuzzOptions& options);

}  // namespace conform::fuzz
