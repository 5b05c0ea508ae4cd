// The generated data: deterministic, schema-valid, and varied where the checkers need it.
#include "server/generator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "server/served_contract.h"
#include "tests/support/result_matchers.h"

namespace conform::server {
namespace generator_test {
namespace {

using Json = nlohmann::json;

TEST(GenerateJobs, IsDeterministicPerSeed) {
  EXPECT_EQ(GenerateJobs("acme", 50, 1), GenerateJobs("acme", 50, 1));
  EXPECT_NE(GenerateJobs("acme", 50, 1), GenerateJobs("acme", 50, 2));
}

TEST(GenerateJobs, EveryJobSatisfiesTheDpoJobSchema) {
  auto served = EmbeddedServedContract();
  ASSERT_THAT(served, IsOk());
  for (const Json& job : GenerateJobs("acme", 350, 1)) {
    auto violations = (*served)->job_schema->Validate(job, {.strict = true});
    EXPECT_TRUE(violations.empty()) << job.dump() << "\n" << violations.front().message;
  }
}

TEST(GenerateJobs, VariesWhereTheCheckersNeedIt) {
  std::vector<Json> jobs = GenerateJobs("acme", 350, 1);
  std::set<std::string> names;
  std::map<std::string, int> display_names;
  std::map<std::string, int> create_times;
  std::set<std::string> states;
  bool non_ascii = false;
  int api_keys = 0;
  for (const Json& job : jobs) {
    names.insert(job["name"]);
    EXPECT_EQ(job["name"].get<std::string>().rfind("accounts/acme/dpoJobs/", 0), 0u);
    std::string display = job["displayName"];
    ++display_names[display];
    ++create_times[job["createTime"]];
    states.insert(job["state"]);
    for (char c : display) {
      non_ascii = non_ascii || static_cast<unsigned char>(c) >= 0x80;
    }
    EXPECT_EQ(job.contains("completedTime"), IsFinishedState(job["state"].get<std::string>()));
    if (job.contains("wandbConfig") && job["wandbConfig"].contains("apiKey")) {
      ++api_keys;
    }
    EXPECT_NE(job["trainingConfig"].contains("baseModel"),
              job["trainingConfig"].contains("warmStartFrom"));
  }
  EXPECT_EQ(names.size(), jobs.size());
  EXPECT_EQ(states.size(), 17u);
  EXPECT_TRUE(non_ascii);
  EXPECT_GT(api_keys, 10);
  int duplicate_names = 0;
  for (const auto& [name, count] : display_names) {
    duplicate_names += count > 1 ? 1 : 0;
  }
  int duplicate_times = 0;
  for (const auto& [time, count] : create_times) {
    duplicate_times += count > 1 ? 1 : 0;
  }
  EXPECT_GT(duplicate_names, 3);
  EXPECT_GT(duplicate_times, 3);
}

TEST(GenerateJobs, StatusMatchesState) {
  for (const Json& job : GenerateJobs("acme", 350, 3)) {
    std::string state = job["state"];
    std::string code = job["status"]["code"];
    if (state == "JOB_STATE_FAILED") {
      EXPECT_NE(code, "OK");
      EXPECT_FALSE(job["status"]["message"].get<std::string>().empty());
    } else if (state == "JOB_STATE_CANCELLED") {
      EXPECT_EQ(code, "CANCELLED");
    } else if (state == "JOB_STATE_RUNNING" || state == "JOB_STATE_COMPLETED") {
      EXPECT_EQ(code, "OK");
    }
  }
}

TEST(PopulateGenerated, CreatesTheThreeAccounts) {
  JobStore store;
  EXPECT_THAT(PopulateGenerated(store, {.acme_jobs = 12, .seed = 1}), IsOk());
  EXPECT_THAT(store.AccountSizes(),
              ::testing::ElementsAre(::testing::Pair("acme", 12u), ::testing::Pair("empty", 0u),
                                     ::testing::Pair("tiny", 3u)));
}

}  // namespace
}  // namespace generator_test
}  // namespace conform::server
