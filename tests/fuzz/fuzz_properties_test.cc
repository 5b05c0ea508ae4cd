// The self-test of conform fuzz: every property holds on the correct reference server over many
// cases (a pinned seed), the same seed sends the same requests, and every fault mode of the
// reference server is found, by the property named for it in the table below.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <sstream>

#include "fuzz/fuzzer.h"
#include "server/faults.h"
#include "tests/fuzz/fuzz_test_util.h"
#include "tests/support/test_names.h"

namespace conform::fuzz {
namespace fuzz_properties_test {
namespace {

using testing::Contract;
using testing::ListOp;
using testing::Outcome;
using testing::ReferenceServer;

std::string Describe(const PropertyOutcome& outcome) {
  std::ostringstream text;
  text << outcome.name << ": " << outcome.note;
  for (const validator::Finding& finding : outcome.findings) {
    text << "\n  " << finding.check_id << ": " << finding.message;
    for (const traffic::Request& request : finding.requests) {
      text << "\n    " << request.url;
    }
  }
  return text.str();
}

TEST(FuzzReferenceServer, EveryPropertyHoldsOnTheCorrectServer) {
  ReferenceServer server({.jobs = 60});
  auto result =
      Fuzz(Contract(), ListOp(), server.Send(), server.Target(), {.seed = 20240501, .runs = 60});
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  ASSERT_EQ(result->properties.size(), AllProperties().size());
  for (const PropertyOutcome& outcome : result->properties) {
    EXPECT_FALSE(outcome.failed) << Describe(outcome);
    EXPECT_FALSE(outcome.skipped) << Describe(outcome);
    EXPECT_TRUE(outcome.findings.empty()) << Describe(outcome);
    EXPECT_EQ(outcome.cases, 60) << outcome.name;
  }
  EXPECT_TRUE(result->errors.empty());
  EXPECT_EQ(result->cache_hits, 0) << "nothing failed, so nothing was shrunk";
}

TEST(FuzzReferenceServer, TheSameSeedSendsTheSameRequests) {
  ReferenceServer server({.jobs = 30});
  FuzzOptions options{.seed = 99, .runs = 8};
  std::vector<std::string> first;
  std::vector<std::string> second;
  ASSERT_TRUE(Fuzz(Contract(), ListOp(), server.Send(&first), server.Target(), options).ok());
  ASSERT_TRUE(Fuzz(Contract(), ListOp(), server.Send(&second), server.Target(), options).ok());
  EXPECT_GT(first.size(), 50u);
  EXPECT_EQ(first, second);
  std::vector<std::string> other_seed;
  options.seed = 100;
  ASSERT_TRUE(Fuzz(Contract(), ListOp(), server.Send(&other_seed), server.Target(), options).ok());
  EXPECT_NE(first, other_seed);
}

TEST(FuzzReferenceServer, APropertyRunsAlone) {
  ReferenceServer server({.jobs = 20});
  auto result = Fuzz(Contract(), ListOp(), server.Send(), server.Target(),
                     {.runs = 5, .properties = {"same_request_same_page"}});
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->properties.size(), 1u);
  EXPECT_EQ(result->properties.front().name, "same_request_same_page");
}

TEST(FuzzReferenceServer, UnknownPropertyIsAnError) {
  ReferenceServer server({.jobs = 5});
  auto result = Fuzz(Contract(), ListOp(), server.Send(), server.Target(),
                     {.properties = {"no_such_property"}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(result.error().message, ::testing::HasSubstr("walk_matches_reference"));
}

TEST(FuzzReferenceServer, ChurnNeedsTheEmbeddedStore) {
  ReferenceServer server({.jobs = 5});
  FuzzTarget target = server.Target();
  target.churn.reset();
  auto result = Fuzz(Contract(), ListOp(), server.Send(), target,
                     {.runs = 2, .properties = {"pagination_under_churn"}});
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->properties.front().skipped);
}

TEST(FuzzReferenceServer, ADurationStopsTheSearch) {
  ReferenceServer server({.jobs = 20});
  auto result = Fuzz(Contract(), ListOp(), server.Send(), server.Target(),
                     {.runs = 100000,
                      .duration = std::chrono::milliseconds(300),
                      .properties = {"invalid_input_rejected_not_5xx"}});
  ASSERT_TRUE(result.ok());
  const PropertyOutcome& outcome = result->properties.front();
  EXPECT_FALSE(outcome.failed) << Describe(outcome);
  EXPECT_LT(outcome.cases, 100000);
  EXPECT_THAT(outcome.note, ::testing::HasSubstr("--duration"));
}

// The property that finds each fault of the reference server, and the jobs it needs.
struct FaultCase {
  std::string fault;
  std::string property;
  size_t jobs = 60;
};

// Names the case in test listings instead of gtest's byte dump.
void PrintTo(const FaultCase& fault_case, std::ostream* out) {
  *out << fault_case.fault << " -> " << fault_case.property;
}

std::vector<FaultCase> FaultCases() {
  const std::map<std::string, FaultCase> table = {
      {"page-drops-item", {"page-drops-item", "walk_matches_reference"}},
      {"page-repeats-item", {"page-repeats-item", "walk_matches_reference"}},
      {"page-size-uncapped", {"page-size-uncapped", "walk_matches_reference", 250}},
      {"default-page-size-100", {"default-page-size-100", "walk_matches_reference"}},
      {"page-size-zero-empty", {"page-size-zero-empty", "walk_matches_reference"}},
      {"negative-page-size-accepted",
       {"negative-page-size-accepted", "invalid_input_rejected_not_5xx"}},
      {"desc-ignored", {"desc-ignored", "order_holds_across_pages"}},
      {"secondary-order-ignored", {"secondary-order-ignored", "order_holds_across_pages"}},
      {"unstable-ties", {"unstable-ties", "same_request_same_page"}},
      {"unknown-order-field-ignored",
       {"unknown-order-field-ignored", "invalid_input_rejected_not_5xx"}},
      {"not-equal-as-equal", {"not-equal-as-equal", "filter_sound_and_complete"}},
      {"or-binds-looser", {"or-binds-looser", "filter_sound_and_complete"}},
      {"timestamps-as-strings", {"timestamps-as-strings", "filter_sound_and_complete"}},
      {"unknown-filter-field-accepted",
       {"unknown-filter-field-accepted", "invalid_input_rejected_not_5xx"}},
      {"total-size-of-page", {"total-size-of-page", "total_size_consistent"}},
      {"token-not-bound-to-filter", {"token-not-bound-to-filter", "token_bound_to_parameters"}},
      {"token-not-bound-to-account", {"token-not-bound-to-account", "token_bound_to_parameters"}},
      {"garbage-token-500", {"garbage-token-500", "invalid_input_rejected_not_5xx"}},
      {"last-page-loops", {"last-page-loops", "walk_matches_reference"}},
      {"token-on-last-page", {"token-on-last-page", "walk_matches_reference"}},
      {"premature-end", {"premature-end", "walk_matches_reference"}},
      {"date-time-without-offset", {"date-time-without-offset", "walk_matches_reference"}},
      {"state-outside-enum", {"state-outside-enum", "walk_matches_reference"}},
      {"total-size-as-string", {"total-size-as-string", "walk_matches_reference"}},
      {"missing-dataset", {"missing-dataset", "walk_matches_reference"}},
      {"missing-auth-accepted", {"missing-auth-accepted", "auth_required"}},
      {"token-replay-without-auth", {"token-replay-without-auth", "auth_required"}},
      {"cross-account-key", {"cross-account-key", "auth_required"}},
      {"read-mask-ignored", {"read-mask-ignored", "read_mask_projects"}},
      {"api-key-in-clear", {"api-key-in-clear", "walk_matches_reference"}},
      {"error-shape-detail", {"error-shape-detail", "invalid_input_rejected_not_5xx"}},
      {"error-code-mismatch", {"error-code-mismatch", "invalid_input_rejected_not_5xx"}},
      {"content-type-text-plain", {"content-type-text-plain", "walk_matches_reference"}},
  };
  std::vector<FaultCase> cases;
  for (const server::FaultInfo& info : server::AllFaults()) {
    auto found = table.find(std::string(info.name));
    // A new fault without a row here fails below, naming itself.
    cases.push_back(found != table.end() ? found->second
                                         : FaultCase{std::string(info.name), "<none>"});
  }
  return cases;
}

class FuzzFindsFault : public ::testing::TestWithParam<FaultCase> {};

TEST_P(FuzzFindsFault, ThePropertyForItsRuleFindsIt) {
  const FaultCase& fault = GetParam();
  ASSERT_NE(fault.property, "<none>") << "no property is named for fault " << fault.fault;
  ReferenceServer server({.jobs = fault.jobs, .faults = {fault.fault}});
  auto result = Fuzz(Contract(), ListOp(), server.Send(), server.Target(),
                     {.seed = 1,
                      .runs = 100,
                      .properties = {fault.property},
                      .strictness = FuzzOptions::Strictness::kShouldFails});
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const PropertyOutcome* outcome = Outcome(*result, fault.property);
  ASSERT_NE(outcome, nullptr);
  // Strict, so that should-level rules (a credential in clear, "" as the last token) fail and
  // shrink too; without --strict they are reported as warnings.
  EXPECT_TRUE(outcome->failed) << fault.fault << " was not found by " << fault.property << ": "
                               << Describe(*outcome);
  ::testing::Test::RecordProperty("found_by", fault.property);
  if (outcome->failed) {
    ::testing::Test::RecordProperty("requests_to_failure",
                                    std::to_string(outcome->requests_to_failure.value_or(-1)));
    ::testing::Test::RecordProperty("shrunk_to", outcome->counterexample);
  }
}

INSTANTIATE_TEST_SUITE_P(ReferenceServer, FuzzFindsFault, ::testing::ValuesIn(FaultCases()),
                         [](const ::testing::TestParamInfo<FaultCase>& param_info) {
                           return conform::testing::CamelCase(param_info.param.fault);
                         });

}  // namespace
}  // namespace fuzz_properties_test
}  // namespace conform::fuzz
