// The job store: names, accounts, versions, the credential kept out of the listed resource.
#include "server/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "tests/support/result_matchers.h"

namespace conform::server {
namespace store_test {
namespace {

using Json = nlohmann::json;
using ::testing::HasSubstr;

Json Job(const std::string& name) { return {{"name", name}, {"dataset", "d"}}; }

TEST(AccountOfJobName, ReadsTheAccount) {
  EXPECT_THAT(AccountOfJobName("accounts/acme/dpoJobs/x1"), IsOkAndHolds("acme"));
}

TEST(AccountOfJobName, RejectsOtherShapes) {
  for (const char* name :
       {"", "acme/dpoJobs/x", "accounts//dpoJobs/x", "accounts/acme/dpoJobs/",
        "accounts/acme/jobs/x", "accounts/a b/dpoJobs/x", "accounts/acme/dpoJobs/x/y"}) {
    EXPECT_THAT(AccountOfJobName(name), ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("job name")))
        << name;
  }
}

TEST(JobStore, AddsDeletesAndVersions) {
  JobStore store;
  uint64_t v0 = store.version();
  EXPECT_THAT(store.AddJob(Job("accounts/acme/dpoJobs/b")), IsOk());
  EXPECT_THAT(store.AddJob(Job("accounts/acme/dpoJobs/a")), IsOk());
  EXPECT_GT(store.version(), v0);
  auto snapshot = store.Snapshot("acme");
  ASSERT_TRUE(snapshot.has_value());
  ASSERT_EQ(snapshot->jobs.size(), 2u);
  EXPECT_EQ(snapshot->jobs[0]->name, "accounts/acme/dpoJobs/a");  // by name
  uint64_t before = *store.AccountVersion("acme");
  EXPECT_TRUE(store.DeleteJob("accounts/acme/dpoJobs/a"));
  EXPECT_FALSE(store.DeleteJob("accounts/acme/dpoJobs/a"));
  EXPECT_GT(*store.AccountVersion("acme"), before);
  // The snapshot taken before is unchanged.
  EXPECT_EQ(snapshot->jobs.size(), 2u);
  EXPECT_EQ(store.Snapshot("acme")->jobs.size(), 1u);
}

TEST(JobStore, RejectsDuplicatesAndNamelessJobs) {
  JobStore store;
  EXPECT_THAT(store.AddJob(Job("accounts/acme/dpoJobs/a")), IsOk());
  EXPECT_THAT(store.AddJob(Job("accounts/acme/dpoJobs/a")),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("duplicate")));
  EXPECT_THAT(store.AddJob({{"dataset", "d"}}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("name")));
  EXPECT_THAT(store.AddJob(Json::array()),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("object")));
}

TEST(JobStore, EmptyAccountsExist) {
  JobStore store;
  EXPECT_FALSE(store.HasAccount("empty"));
  store.AddAccount("empty");
  EXPECT_TRUE(store.HasAccount("empty"));
  EXPECT_TRUE(store.Snapshot("empty")->jobs.empty());
  EXPECT_FALSE(store.Snapshot("nope").has_value());
}

TEST(JobStore, KeepsTheWandbApiKeyOutOfTheResource) {
  JobStore store;
  Json job = Job("accounts/acme/dpoJobs/a");
  job["wandbConfig"] = {{"enabled", true}, {"apiKey", "secret-123"}};
  EXPECT_THAT(store.AddJob(job), IsOk());
  auto stored = store.Snapshot("acme")->jobs.front();
  EXPECT_EQ(stored->wandb_api_key, "secret-123");
  EXPECT_FALSE(stored->resource["wandbConfig"].contains("apiKey"));
  EXPECT_EQ(stored->resource_json.find("secret-123"), std::string::npos);
}

TEST(JobStore, ConcurrentWritersAndReadersStayConsistent) {
  JobStore store;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 0; i < 200; ++i) {
        std::string name = "accounts/acme/dpoJobs/t" + std::to_string(t) + "-" + std::to_string(i);
        EXPECT_TRUE(store.AddJob({{"name", name}, {"dataset", "d"}}).ok());
        if (i % 2 == 0) {
          EXPECT_TRUE(store.DeleteJob(name));
        }
        auto snapshot = store.Snapshot("acme");
        EXPECT_TRUE(snapshot.has_value());
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(store.Snapshot("acme")->jobs.size(), 400u);
}

}  // namespace
}  // namespace store_test
}  // namespace conform::server
