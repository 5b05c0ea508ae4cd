// `conform validate` on recordings of the reference server: a client's ordinary page walks,
// recorded as a HAR, against the server correct and with each fault whose symptom shows in
// such walks. The correct server's recording passes; each fault's recording fails (or warns,
// for a should rule) naming the check that catches it offline.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "server/faults.h"
#include "tests/server/server_test_util.h"
#include "tests/support/run_conform.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_names.h"
#include "traffic/har.h"

namespace conform::cli {
namespace validate_faults_test {
namespace {

using Json = nlohmann::json;
using conform::testing::Conform;
using conform::testing::RunResult;

class Client {
 public:
  explicit Client(const server::ListHandler& handler) : handler_(handler) {}

  // GET of `account`'s collection with `query`, recorded; the body parsed.
  Json Get(const traffic::QueryParams& query, const std::string& account = "acme") {
    server::ApiRequest request{.path = server::testing::CollectionPath(account), .query = query};
    request.authorization = "Bearer " + account + "-key";
    server::ApiResponse response = handler_.Handle(request);
    traffic::Exchange exchange;
    exchange.request.method = "GET";
    exchange.request.url = "http://127.0.0.1:8080" + request.path +
                           (query.empty() ? "" : "?" + traffic::BuildQuery(query));
    exchange.request.headers = {{"Authorization", "Bearer [REDACTED]"}};
    exchange.response.status = response.status;
    exchange.response.headers = response.headers;
    exchange.response.headers.push_back({"Content-Type", response.content_type});
    exchange.response.body = response.body;
    exchanges_.push_back(std::move(exchange));
    return Json::parse(response.body, nullptr, false);
  }

  // Every page for `query`, following nextPageToken (at most 40 pages: a cycle is recorded,
  // not followed forever).
  void Walk(traffic::QueryParams query, const std::string& account = "acme") {
    Json page = Get(query, account);
    for (int i = 0; i < 40 && page.is_object() && !page.value("nextPageToken", "").empty(); ++i) {
      traffic::QueryParams next = query;
      next.emplace_back("pageToken", page["nextPageToken"].get<std::string>());
      page = Get(next, account);
    }
  }

  const std::vector<traffic::Exchange>& exchanges() const { return exchanges_; }

 private:
  const server::ListHandler& handler_;
  std::vector<traffic::Exchange> exchanges_;
};

// What an ordinary client of ListDpoJobs does: walks in the default order, by other orders,
// with filters, and a few first pages with odd parameters.
std::vector<traffic::Exchange> RecordSession(const std::vector<std::string>& faults) {
  auto fault_set = server::ParseFaults(faults);
  CONFORM_CHECK(fault_set.ok());
  auto store = server::testing::GeneratedStore(230);
  auto handler = server::testing::MakeHandler(store, *fault_set);
  Client client(*handler);
  client.Walk({{"pageSize", "40"}});
  client.Walk({{"pageSize", "30"}, {"orderBy", "createTime desc"}});
  client.Walk({{"pageSize", "30"}, {"orderBy", "state, createTime desc"}});
  client.Walk({{"pageSize", "25"}, {"filter", "state != JOB_STATE_COMPLETED"}});
  client.Walk(
      {{"pageSize", "25"},
       {"filter",
        "state = JOB_STATE_RUNNING AND trainingConfig.epochs > 1 OR state = JOB_STATE_FAILED"}});
  client.Get({});
  client.Get({{"pageSize", "0"}});
  client.Get({{"pageSize", "500"}});
  client.Get({{"pageSize", "-5"}});
  client.Get({{"filter", "nosuchfield = 1"}});
  client.Get({{"orderBy", "nosuchfield"}});
  // A token reused with another filter, and on another account.
  Json first = client.Get({{"pageSize", "10"}, {"filter", "state = JOB_STATE_COMPLETED"}});
  std::string token = first.value("nextPageToken", "");
  client.Get({{"pageSize", "10"}, {"filter", "state = JOB_STATE_RUNNING"}, {"pageToken", token}});
  client.Get({{"pageSize", "10"}, {"filter", "state = JOB_STATE_COMPLETED"}, {"pageToken", token}},
             "tiny");
  return client.exchanges();
}

// The check ids of the findings `conform validate` reports on `exchanges`, and its exit code.
std::pair<int, std::map<std::string, int>> Validate(
    const std::vector<traffic::Exchange>& exchanges) {
  conform::testing::TempDir dir;
  std::string har = (dir.path() / "session.har").string();
  std::ofstream(har) << traffic::WriteHar(exchanges, {.name = "test"});
  RunResult run = Conform({"validate", har, "--format", "json"});
  Json report = Json::parse(run.out, nullptr, false);
  std::map<std::string, int> ids;
  if (report.is_object()) {
    for (const Json& c : report["cases"]) {
      for (const Json& finding : c["findings"]) {
        ++ids[finding["check_id"].get<std::string>()];
      }
    }
  }
  return {run.code, ids};
}

TEST(ValidateRecordedLists, TheCorrectServersSessionPasses) {
  auto [code, ids] = Validate(RecordSession({}));
  EXPECT_EQ(code, 0);
  EXPECT_THAT(ids, ::testing::IsEmpty());
}

struct FaultCase {
  const char* fault;
  const char* check;  // the check that catches it in a recording
  int exit_code;
};

// Names the fault in test listings instead of gtest's byte dump.
void PrintTo(const FaultCase& c, std::ostream* out) { *out << c.fault; }

class ValidateCatchesFaultInRecording : public ::testing::TestWithParam<FaultCase> {};

TEST_P(ValidateCatchesFaultInRecording, NamingTheCheck) {
  const FaultCase& c = GetParam();
  auto [code, ids] = Validate(RecordSession({c.fault}));
  EXPECT_EQ(code, c.exit_code) << c.fault;
  EXPECT_GT(ids[c.check], 0) << c.fault << " should be caught by " << c.check << " in a recording";
}

// The faults whose symptom a client's own walks show (auth, error shapes and values are the
// exchange checks' business and have their own tests). Some are caught by another check than
// `conform check` names: offline, only what the client asked can be compared.
INSTANTIATE_TEST_SUITE_P(
    ReferenceServer, ValidateCatchesFaultInRecording,
    ::testing::Values(FaultCase{"page-drops-item", "total_size.matches_walk", 1},
                      FaultCase{"page-repeats-item", "page_walk.disjoint", 1},
                      FaultCase{"page-size-uncapped", "page_size.respected", 1},
                      FaultCase{"default-page-size-100", "page_size.default", 1},
                      FaultCase{"page-size-zero-empty", "page_size.default_filled", 0},
                      FaultCase{"negative-page-size-accepted", "page_size.invalid_rejected", 1},
                      FaultCase{"desc-ignored", "order.fields", 1},
                      FaultCase{"secondary-order-ignored", "order.multi_key", 1},
                      FaultCase{"unknown-order-field-ignored", "order.unknown_field_rejected", 1},
                      FaultCase{"not-equal-as-equal", "filter.sound", 1},
                      FaultCase{"or-binds-looser", "filter.sound", 1},
                      FaultCase{"unknown-filter-field-accepted", "filter.invalid_rejected", 1},
                      FaultCase{"total-size-of-page", "total_size.stable", 1},
                      FaultCase{"token-not-bound-to-filter", "token.binding", 0},
                      FaultCase{"token-not-bound-to-account", "token.binding", 0},
                      FaultCase{"last-page-loops", "page_walk.terminates", 1},
                      FaultCase{"token-on-last-page", "page_walk.last_page_token", 0},
                      FaultCase{"premature-end", "total_size.matches_walk", 1}),
    [](const ::testing::TestParamInfo<FaultCase>& param_info) {
      return conform::testing::CamelCase(param_info.param.fault);
    });

}  // namespace
}  // namespace validate_faults_test
}  // namespace conform::cli
