// The conformance suite of `conform check`: named checks (docs/checks.md) that send real
// requests to a List endpoint and judge the answers with the shared oracles
// (list_oracles.h) and the single-exchange validator. It knows nothing of HTTP: requests go
// out through a SendFn, so the same suite runs against a live server, the embedded reference
// server, or a replayed cassette.
//   CheckSuite suite(contract, *op, send, {.base_url = url, .account = "acme", .api_key = key}, {});
//   SuiteResult result = suite.Run();
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "validator/contract.h"
#include "validator/finding.h"
#include "validator/list_walk.h"

namespace conform::validator {

// Who and where: the collection under test and the principals that may read it.
struct CheckTarget {
  std::string base_url;
  std::string account;  // substituted for the first path parameter of the operation
  std::optional<std::string> api_key;
  // A second principal, for the isolation checks (auth.other_account_denied and
  // auth.account_isolation); they are skipped without it.
  std::optional<std::string> other_account;
  std::optional<std::string> other_api_key;
};

struct SuiteOptions {
  // Check ids or prefixes ("order", "page_walk.disjoint") to run; empty means all.
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  int64_t default_page_size = 50;  // seed: "If unspecified, the default is 50"
  int64_t max_page_size = 200;     // seed: "The maximum page_size is 200"
  size_t max_pages_per_walk = 1000;
  bool strict = false;  // report undeclared response properties (drift)
};

struct CheckOutcome {
  std::string id;
  bool skipped = false;
  std::string note;  // why skipped, or what was exercised
  std::vector<Finding> findings;
  int requests = 0;
};

struct SuiteResult {
  std::vector<CheckOutcome> checks;  // in registry order, selected checks only
  int requests = 0;
  // Set when the target could not be reached or stopped answering: the run is incomplete.
  std::vector<std::string> errors;
};

// Whether `id` is one of `patterns` (exact ids, dotted prefixes, or prefixes ending ".*").
bool CheckNamedIn(const std::vector<std::string>& patterns, std::string_view id);
// Whether `id` is selected by the include/exclude lists.
bool CheckSelected(const SuiteOptions& options, std::string_view id);

class CheckSuite {
 public:
  CheckSuite(const Contract& contract, const Operation& op, SendFn send, CheckTarget target,
             SuiteOptions options);
  ~CheckSuite();
  CheckSuite(const CheckSuite&) = delete;
  CheckSuite& operator=(const CheckSuite&) = delete;

  // Runs every selected check. Fails with kInvalidArgument for a configuration the suite
  // cannot work with (the operation is not a List, a path with several parameters), and with
  // kUnavailable when the first request cannot reach the target, or kFailedPrecondition when
  // the given credentials are refused.
  Result<SuiteResult> Run();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace conform::validator
