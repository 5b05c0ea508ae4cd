// The self-test of conform check (issue: "against every fault mode of the reference server,
// fails naming the check for that fault's rule"): one case per fault of server/faults.h.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "server/faults.h"
#include "server/http_server.h"
#include "tests/support/run_conform.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_names.h"
#include "validator/finding.h"

namespace conform::server {
// Names the fault in test listings instead of gtest's byte dump.
inline void PrintTo(const FaultInfo& info, std::ostream* out) { *out << info.name; }
}  // namespace conform::server

namespace conform::cli {
namespace check_faults_test {
namespace {

using Json = nlohmann::json;
using conform::testing::Conform;
using conform::testing::RunResult;
using conform::testing::WithKey;

// Runs conform check against the embedded server with `fault` (and `extra` arguments) and
// expects the fault's check to fail, or to warn when it is a should-level check.
void ExpectCaught(const server::FaultInfo& fault, const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"conform",  "check", "--embedded-fault", std::string(fault.name),
                                   "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::ostringstream out;
  std::ostringstream err;
  int code = RunConform(args, out, err, Environment{});
  Json report = Json::parse(out.str(), nullptr, false);
  ASSERT_TRUE(report.is_object()) << err.str();
  const Json* outcome = nullptr;
  for (const Json& c : report["cases"]) {
    if (c["name"] == fault.check) {
      outcome = &c;
    }
  }
  ASSERT_NE(outcome, nullptr) << fault.check << " is not in the report";
  bool should_level = false;
  for (const validator::CheckInfo& check : validator::AllChecks()) {
    should_level = should_level || (check.id == fault.check && check.level != validator::Level::kMust);
  }
  EXPECT_EQ(code, should_level ? 0 : 1) << err.str();
  // should-level findings warn; they fail the run only with --strict.
  EXPECT_FALSE((*outcome)["findings"].empty())
      << fault.name << " should be found by " << fault.check;
  if (!should_level) {
    EXPECT_EQ((*outcome)["status"], "failed") << fault.name << " should fail " << fault.check;
  }
}

class CheckCatchesFault : public ::testing::TestWithParam<server::FaultInfo> {};

// Only the fault's check selected: the scenarios that give it evidence still run (a check of
// every response, such as response.error.shape, needs the requests of the others).
TEST_P(CheckCatchesFault, FailsNamingTheCheckForItsRule) {
  const server::FaultInfo& fault = GetParam();
  // 60 jobs give every walk several pages at a third of the default's cost. A page larger than
  // the maximum (200), and a reference walk (at the maximum) of two pages, need more.
  bool needs_two_largest_pages =
      fault.check == "page_size.maximum" || fault.check == "total_size.matches_walk";
  std::string jobs = needs_two_largest_pages ? "350" : "60";
  ExpectCaught(fault, {"--checks", std::string(fault.check), "--embedded-jobs", jobs});
}

// The whole suite, as users run it, against the faults that change what walks see: they are the
// ones that could stop a run, or spend its requests, before it reaches their check.
class WholeSuiteCatchesFault : public ::testing::TestWithParam<server::FaultInfo> {};

TEST_P(WholeSuiteCatchesFault, FailsNamingTheCheckForItsRule) { ExpectCaught(GetParam(), {}); }

std::vector<server::FaultInfo> FaultsOfWalks() {
  std::vector<server::FaultInfo> faults;
  for (const server::FaultInfo& fault : server::AllFaults()) {
    if (fault.check.rfind("page_walk.", 0) == 0 || fault.check.rfind("total_size.", 0) == 0) {
      faults.push_back(fault);
    }
  }
  return faults;
}

TEST(CheckCatchesFault, TimestampsComparedAsTextWhateverTheData) {
  // Jobs created at midnight UTC, one a day: no value lies in the hours an offset moves a
  // literal, so `createTime > "...+05:30"` answers the same as text or as instants. The same
  // instant written at another offset with `=` matches nothing when compared as text.
  conform::testing::TempDir dir;
  std::string data = (dir.path() / "jobs.jsonl").string();
  {
    std::ofstream jobs(data);
    for (int i = 0; i < 60; ++i) {
      char created[32];
      std::snprintf(created, sizeof created, "2024-%02d-%02dT00:00:00Z", 1 + i / 28, 1 + i % 28);
      jobs << Json{{"name", "accounts/acme/dpoJobs/j" + std::to_string(i)},
                   {"dataset", "accounts/acme/datasets/d"},
                   {"state", "JOB_STATE_COMPLETED"},
                   {"createTime", created}}
                  .dump()
           << "\n";
    }
  }
  auto faults = server::ParseFaults({"timestamps-as-strings"});
  ASSERT_TRUE(faults.ok());
  auto running = server::StartServer({.data_file = data, .faults = *faults});
  ASSERT_TRUE(running.ok()) << running.error().ToString();
  RunResult run = Conform({"check", "--base-url", (*running)->base_url(), "--account", "acme",
                           "--checks", "filter.complete", "--format", "json"},
                          WithKey("acme-key"));
  EXPECT_EQ(run.code, 1) << run.err;
  EXPECT_THAT(run.out, ::testing::HasSubstr("+05:30"));
}

std::string FaultName(const ::testing::TestParamInfo<server::FaultInfo>& param_info) {
  return conform::testing::CamelCase(param_info.param.name);
}

INSTANTIATE_TEST_SUITE_P(ReferenceServer, CheckCatchesFault,
                         ::testing::ValuesIn(server::AllFaults()), FaultName);
INSTANTIATE_TEST_SUITE_P(ReferenceServer, WholeSuiteCatchesFault,
                         ::testing::ValuesIn(FaultsOfWalks()), FaultName);

}  // namespace
}  // namespace check_faults_test
}  // namespace conform::cli
