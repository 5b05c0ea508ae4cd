// Every fault mode over HTTP: each produces the violation it names, and the correct server does
// not. One probe per fault (a test fails when a fault has none); schema, content-type and error
// faults are judged by conform's own ExchangeValidator, so the check id in the table is the one
// that fires.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "aip/time.h"
#include "server/faults.h"
#include "server/http_server.h"
#include "server/served_contract.h"
#include "tests/server/server_test_util.h"
#include "tests/support/test_names.h"
#include "traffic/http_client.h"
#include "validator/exchange_validator.h"

namespace conform::server {
namespace fault_modes_test {
namespace {

using Json = nlohmann::json;
using Params = traffic::QueryParams;

constexpr size_t kAcmeJobs = 250;  // more than the 200 cap

// A client on one server with the helpers the probes share.
class Probe {
 public:
  explicit Probe(const RunningServer& server) : client_(Client(server)) {}

  traffic::Exchange Get(const std::string& account, const std::string& key,
                        const Params& params = {}) {
    traffic::Request request{.method = "GET", .url = testing::CollectionPath(account)};
    if (!params.empty()) {
      request.url += "?" + traffic::BuildQuery(params);
    }
    if (!key.empty()) {
      request.headers.push_back({"Authorization", "Bearer " + key});
    }
    auto exchange = client_.Send(request);
    CONFORM_CHECK(exchange.ok());
    return std::move(*exchange);
  }
  traffic::Exchange Acme(const Params& params = {}) { return Get("acme", "acme-key", params); }

  static Json Body(const traffic::Exchange& exchange) {
    return Json::parse(exchange.response.body, nullptr, false);
  }

  struct Walk {
    std::vector<std::string> names;
    int total = -1;
    size_t pages = 0;
    bool finished = false;
  };
  Walk WalkAll(const std::string& account, const std::string& key, Params params,
               size_t max_pages) {
    Walk walk;
    std::string token;
    for (; walk.pages < max_pages; ++walk.pages) {
      Params query = params;
      if (!token.empty()) {
        query.emplace_back("pageToken", token);
      }
      traffic::Exchange exchange = Get(account, key, query);
      if (exchange.response.status != 200) {
        return walk;
      }
      Json body = Body(exchange);
      for (const std::string& name : testing::Names(body)) {
        walk.names.push_back(name);
      }
      if (body.contains("totalSize") && body["totalSize"].is_number_integer()) {
        walk.total = body["totalSize"];
      }
      if (!body.contains("nextPageToken")) {
        walk.finished = true;
        ++walk.pages;
        return walk;
      }
      token = body["nextPageToken"];
    }
    return walk;
  }

  // Whether conform's single-exchange checks report `check_id` on `exchange`.
  static bool Finds(const traffic::Exchange& exchange, std::string_view check_id) {
    static const auto validator = [] {
      auto served = EmbeddedServedContract();
      CONFORM_CHECK(served.ok());
      auto created = validator::ExchangeValidator::Create((*served)->contract, {});
      CONFORM_CHECK(created.ok());
      return std::shared_ptr<validator::ExchangeValidator>(std::move(*created));
    }();
    for (const validator::Finding& finding : validator->Check(exchange).findings) {
      if (finding.check_id == check_id) {
        return true;
      }
    }
    return false;
  }

 private:
  static traffic::HttpClient Client(const RunningServer& server) {
    auto client = traffic::HttpClient::Create(server.base_url(), {.max_retries = 0});
    CONFORM_CHECK(client.ok());
    return std::move(*client);
  }
  traffic::HttpClient client_;
};

std::vector<aip::Instant> CreateTimes(const Json& body) {
  std::vector<aip::Instant> times;
  for (const Json& job : body["dpoJobs"]) {
    times.push_back(aip::ParseRfc3339(job.value("createTime", "")).value_or(aip::Instant{}));
  }
  return times;
}

// One probe per fault: true when the symptom named in the table is observed.
const std::map<std::string, std::function<bool(Probe&)>>& Probes() {
  static const std::map<std::string, std::function<bool(Probe&)>> kProbes = {
      {"page-drops-item",
       [](Probe& p) {
         auto walk = p.WalkAll("acme", "acme-key", {{"pageSize", "50"}}, 20);
         return walk.names.size() < static_cast<size_t>(walk.total);
       }},
      {"page-repeats-item",
       [](Probe& p) {
         auto walk = p.WalkAll("acme", "acme-key", {{"pageSize", "50"}}, 20);
         return testing::HasDuplicates(walk.names);
       }},
      {"page-size-uncapped",
       [](Probe& p) {
         return Probe::Body(p.Acme({{"pageSize", "500"}}))["dpoJobs"].size() > 200;
       }},
      {"default-page-size-100",
       [](Probe& p) { return Probe::Body(p.Acme())["dpoJobs"].size() != 50; }},
      {"page-size-zero-empty",
       [](Probe& p) {
         return Probe::Body(p.Acme({{"pageSize", "0"}}))["dpoJobs"].size() != 50;
       }},
      {"negative-page-size-accepted",
       [](Probe& p) {
         return p.Acme({{"pageSize", "-5"}}).response.status == 200;
       }},
      {"desc-ignored",
       [](Probe& p) {
         auto times = CreateTimes(Probe::Body(p.Acme({{"orderBy", "createTime desc"}})));
         return !std::is_sorted(times.rbegin(), times.rend());
       }},
      {"secondary-order-ignored",
       [](Probe& p) {
         Json body =
             Probe::Body(p.Acme({{"orderBy", "state,createTime desc"}, {"pageSize", "200"}}));
         const Json& jobs = body["dpoJobs"];
         for (size_t i = 1; i < jobs.size(); ++i) {
           if (jobs[i]["state"] == jobs[i - 1]["state"] &&
               aip::ParseRfc3339(jobs[i]["createTime"].get<std::string>()) >
                   aip::ParseRfc3339(jobs[i - 1]["createTime"].get<std::string>())) {
             return true;
           }
         }
         return false;
       }},
      {"unstable-ties",
       [](Probe& p) {
         auto walk = p.WalkAll("acme", "acme-key", {{"orderBy", "state"}, {"pageSize", "20"}}, 30);
         std::set<std::string> unique(walk.names.begin(), walk.names.end());
         return testing::HasDuplicates(walk.names) || unique.size() != kAcmeJobs;
       }},
      {"unknown-order-field-ignored",
       [](Probe& p) {
         return p.Acme({{"orderBy", "nosuchfield"}}).response.status == 200;
       }},
      {"not-equal-as-equal",
       [](Probe& p) {
         Json body =
             Probe::Body(p.Acme({{"filter", "state != JOB_STATE_COMPLETED"}, {"pageSize", "200"}}));
         for (const Json& job : body["dpoJobs"]) {
           if (job["state"] == "JOB_STATE_COMPLETED") {
             return true;
           }
         }
         return false;
       }},
      {"or-binds-looser",
       [](Probe& p) {
         Json body =
             Probe::Body(p.Acme({{"filter",
                                  "state = JOB_STATE_COMPLETED AND trainingConfig.epochs = 1 OR "
                                  "trainingConfig.epochs = 2"},
                                 {"pageSize", "200"}}));
         for (const Json& job : body["dpoJobs"]) {
           if (job["state"] != "JOB_STATE_COMPLETED") {
             return true;
           }
         }
         return false;
       }},
      {"timestamps-as-strings",
       [](Probe& p) {
         Json first = Probe::Body(p.Acme({{"pageSize", "1"}}));
         auto instant = aip::ParseRfc3339(first["dpoJobs"][0]["createTime"].get<std::string>());
         // The same instant, written at UTC-12:00.
         std::string other = aip::FormatRfc3339(*instant, -12 * 60);
         Json body = Probe::Body(p.Acme({{"filter", "createTime = \"" + other + "\""}}));
         return body["totalSize"] == 0;
       }},
      {"unknown-filter-field-accepted",
       [](Probe& p) {
         return p.Acme({{"filter", "nosuchfield = 1"}}).response.status == 200;
       }},
      {"total-size-of-page",
       [](Probe& p) {
         return Probe::Body(p.Acme({{"pageSize", "10"}}))["totalSize"] != kAcmeJobs;
       }},
      {"token-not-bound-to-filter",
       [](Probe& p) {
         Json first =
             Probe::Body(p.Acme({{"filter", "state = JOB_STATE_COMPLETED"}, {"pageSize", "5"}}));
         return p.Acme({{"filter", "state = JOB_STATE_FAILED"},
                        {"pageSize", "5"},
                        {"pageToken", testing::NextToken(first)}})
                    .response.status == 200;
       }},
      {"token-not-bound-to-account",
       [](Probe& p) {
         Json first = Probe::Body(p.Acme({{"pageSize", "1"}}));
         return p.Get("tiny", "tiny-key",
                      {{"pageSize", "1"}, {"pageToken", testing::NextToken(first)}})
                    .response.status == 200;
       }},
      {"garbage-token-500",
       [](Probe& p) {
         return p.Acme({{"pageToken", "garbage"}}).response.status == 500;
       }},
      {"last-page-loops",
       [](Probe& p) {
         return !p.WalkAll("tiny", "tiny-key", {{"pageSize", "2"}}, 10).finished;
       }},
      {"token-on-last-page",
       [](Probe& p) {
         auto walk = p.WalkAll("tiny", "tiny-key", {{"pageSize", "5"}}, 10);
         return walk.finished && walk.pages > 1;  // the last page was empty
       }},
      {"premature-end",
       [](Probe& p) {
         auto walk = p.WalkAll("acme", "acme-key", {{"pageSize", "50"}}, 20);
         return walk.finished && walk.names.size() < static_cast<size_t>(walk.total);
       }},
      {"date-time-without-offset",
       [](Probe& p) {
         return Probe::Finds(p.Acme({{"pageSize", "5"}}), "response.schema.format");
       }},
      {"state-outside-enum",
       [](Probe& p) {
         return Probe::Finds(p.Acme({{"pageSize", "5"}}), "response.schema.enum");
       }},
      {"total-size-as-string",
       [](Probe& p) {
         return Probe::Finds(p.Acme({{"pageSize", "5"}}), "response.schema.type");
       }},
      {"missing-dataset",
       [](Probe& p) {
         return Probe::Finds(p.Acme({{"pageSize", "5"}}), "response.schema.required");
       }},
      {"missing-auth-accepted", [](Probe& p) { return p.Get("acme", "").response.status == 200; }},
      {"token-replay-without-auth",
       [](Probe& p) {
         Json first = Probe::Body(p.Acme({{"pageSize", "3"}}));
         return p.Get("acme", "", {{"pageSize", "3"}, {"pageToken", testing::NextToken(first)}})
                    .response.status == 200;
       }},
      {"cross-account-key",
       [](Probe& p) {
         traffic::Exchange exchange = p.Get("acme", "tiny-key");
         return exchange.response.status == 200 && !Probe::Body(exchange)["dpoJobs"].empty();
       }},
      {"read-mask-ignored",
       [](Probe& p) {
         return Probe::Finds(p.Acme({{"readMask", "name"}, {"pageSize", "5"}}),
                             "response.read_mask.outside");
       }},
      {"api-key-in-clear",
       [](Probe& p) {
         Json body = Probe::Body(p.Acme({{"pageSize", "200"}}));
         for (const Json& job : body["dpoJobs"]) {
           if (job.contains("wandbConfig") && job["wandbConfig"].contains("apiKey")) {
             return true;
           }
         }
         return false;
       }},
      {"error-shape-detail",
       [](Probe& p) { return Probe::Finds(p.Get("acme", ""), "response.error.shape"); }},
      {"error-code-mismatch",
       [](Probe& p) {
         return Probe::Finds(p.Acme({{"pageSize", "-1"}}), "response.error.code_mapping");
       }},
      {"content-type-text-plain",
       [](Probe& p) {
         return Probe::Finds(p.Acme({{"pageSize", "5"}}), "response.content_type");
       }},
  };
  return kProbes;
}

std::unique_ptr<RunningServer> StartWith(FaultSet faults) {
  auto server = StartServer({.data = {.acme_jobs = kAcmeJobs, .seed = 3},
                             .faults = faults,
                             .token_secret = testing::kTestSecret});
  CONFORM_CHECK(server.ok());
  return std::move(*server);
}

class FaultModeTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() { correct_ = StartWith({}).release(); }
  static void TearDownTestSuite() {
    delete correct_;
    correct_ = nullptr;
  }
  static RunningServer* correct_;
};

RunningServer* FaultModeTest::correct_ = nullptr;

TEST_P(FaultModeTest, ProducesTheViolationItNamesAndNothingOnTheCorrectServer) {
  const FaultInfo* info = FindFault(GetParam());
  ASSERT_NE(info, nullptr);
  auto probe = Probes().find(GetParam());
  ASSERT_NE(probe, Probes().end()) << "no probe for fault " << GetParam();
  FaultSet faults;
  faults.Add(info->fault);
  auto faulty = StartWith(faults);
  Probe on_faulty(*faulty);
  EXPECT_TRUE(probe->second(on_faulty)) << info->symptom;
  Probe on_correct(*correct_);
  EXPECT_FALSE(probe->second(on_correct)) << "the probe also fires on the correct server";
}

std::vector<std::string> FaultNames() {
  std::vector<std::string> names;
  for (const FaultInfo& info : AllFaults()) {
    names.emplace_back(info.name);
  }
  return names;
}

// "page-drops-item" -> "PageDropsItem".
std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  return conform::testing::CamelCase(info.param);
}

INSTANTIATE_TEST_SUITE_P(AllFaults, FaultModeTest, ::testing::ValuesIn(FaultNames()), TestName);

TEST(FaultModes, EveryProbeNamesAKnownFault) {
  for (const auto& [name, probe] : Probes()) {
    EXPECT_NE(FindFault(name), nullptr) << name;
  }
}

}  // namespace
}  // namespace fault_modes_test
}  // namespace conform::server
