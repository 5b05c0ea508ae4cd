// The fuzzer's driver on a scripted server: answers are replayed only while shrinking (the n-th
// identical request gets the n-th answer), every answer is judged on its own, and a spent
// budget stops sending without a failure.
#include "fuzz/internal/driver.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/fuzz/fuzz_test_util.h"

namespace conform::fuzz::internal {
namespace driver_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Answers request n with a page whose only job is named "j<n>".
struct ScriptedServer {
  int served = 0;
  int status = 200;
  validator::SendFn Send() {
    return [this](const traffic::Request& request) {
      traffic::Exchange exchange;
      exchange.request = request;
      exchange.response.status = status;
      exchange.response.headers = {{"Content-Type", "application/json"}};
      if (status == 200) {
        exchange.response.body = nlohmann::json{
            {"dpoJobs",
             {{{"name", "accounts/acme/dpoJobs/j" + std::to_string(served)}, {"dataset", "d"}}}},
            {"totalSize", 1}}.dump();
      } else {
        exchange.response.body = R"({"code": 13, "message": "internal", "details": []})";
      }
      ++served;
      return exchange;
    };
  }
};

const validator::ExchangeValidator& Validator() {
  static const auto validator = validator::ExchangeValidator::Create(
      testing::Contract(), {.operation_id = "ListDpoJobs",
                            .requests = validator::ExchangeCheckOptions::Requests::kTrust});
  return **validator;
}

const validator::ListTarget kTarget{.base_url = "http://127.0.0.1:9",
                                    .path = "/v1/accounts/acme/dpoJobs"};

std::string FirstName(const validator::Page& page) {
  return page.items.empty() ? "" : page.items.front()["name"].get<std::string>();
}

TEST(Driver, ReplaysTheNthIdenticalRequestOnlyWhileShrinking) {
  ScriptedServer server;
  Driver driver(testing::ListOp(), Validator(), server.Send(), {});
  driver.BeginProperty(std::nullopt);
  ASSERT_TRUE(driver.BeginCase());
  validator::Page a = driver.Get(kTarget, {.page_size = "1"});
  validator::Page b = driver.Get(kTarget, {.page_size = "1"});
  EXPECT_EQ(driver.EndCase(), std::nullopt);
  EXPECT_EQ(FirstName(a), "accounts/acme/dpoJobs/j0");
  EXPECT_EQ(FirstName(b), "accounts/acme/dpoJobs/j1");

  driver.StartShrinking();
  ASSERT_TRUE(driver.BeginCase());
  validator::Page again_a = driver.Get(kTarget, {.page_size = "1"});
  validator::Page again_b = driver.Get(kTarget, {.page_size = "1"});
  validator::Page third = driver.Get(kTarget, {.page_size = "1"});
  static_cast<void>(driver.EndCase());
  EXPECT_EQ(FirstName(again_a), "accounts/acme/dpoJobs/j0");
  EXPECT_EQ(FirstName(again_b), "accounts/acme/dpoJobs/j1");
  EXPECT_EQ(FirstName(third), "accounts/acme/dpoJobs/j2")
      << "a third occurrence was never answered: sent";
  EXPECT_EQ(driver.sent(), 3);
  EXPECT_EQ(driver.cache_hits(), 2);
}

TEST(Driver, OtherAuthorizationIsAnotherRequest) {
  ScriptedServer server;
  Driver driver(testing::ListOp(), Validator(), server.Send(), {});
  driver.BeginProperty(std::nullopt);
  ASSERT_TRUE(driver.BeginCase());
  driver.Get(kTarget, {});
  static_cast<void>(driver.EndCase());
  driver.StartShrinking();
  ASSERT_TRUE(driver.BeginCase());
  validator::ListTarget keyed = kTarget;
  keyed.headers.push_back({"Authorization", "Bearer k"});
  driver.Get(keyed, {});
  static_cast<void>(driver.EndCase());
  EXPECT_EQ(driver.cache_hits(), 0);
  EXPECT_EQ(driver.sent(), 2);
}

TEST(Driver, JudgesEveryAnswerAndFailsTheCaseOnA5xx) {
  ScriptedServer server;
  server.status = 500;
  Driver driver(testing::ListOp(), Validator(), server.Send(), {});
  driver.BeginProperty(std::nullopt);
  ASSERT_TRUE(driver.BeginCase());
  driver.Describe("pageSize=[1]");
  driver.Get(kTarget, {.page_size = "1"});
  std::optional<std::string> failure = driver.EndCase();
  ASSERT_TRUE(failure.has_value());
  ASSERT_TRUE(driver.failure().has_value());
  EXPECT_EQ(driver.failure()->description, "pageSize=[1]");
  std::vector<std::string> ids;
  for (const validator::Finding& finding : driver.failure()->findings) {
    ids.push_back(finding.check_id);
  }
  EXPECT_THAT(ids, ::testing::Contains("response.no_5xx"));
}

TEST(Driver, ASpentBudgetStopsSendingWithoutAFailure) {
  int sent = 0;
  validator::SendFn send = [&sent](const traffic::Request& request) {
    traffic::Exchange exchange;
    exchange.request = request;
    exchange.error = "request budget of 0 spent (--max-requests)";
    ++sent;
    return exchange;
  };
  Driver driver(testing::ListOp(), Validator(), send, {});
  driver.BeginProperty(std::nullopt);
  ASSERT_TRUE(driver.BeginCase());
  driver.Get(kTarget, {});
  driver.Get(kTarget, {});
  EXPECT_EQ(driver.EndCase(), std::nullopt);
  EXPECT_EQ(sent, 1);
  EXPECT_EQ(driver.sent(), 0) << "the budget refused the request: nothing was sent";
  EXPECT_EQ(driver.stop_reason(), StopReason::kBudget);
  EXPECT_FALSE(driver.BeginCase());
  EXPECT_TRUE(driver.transport_errors().empty());
}

TEST(Driver, ATransportFailureIsARunError) {
  validator::SendFn send = [](const traffic::Request& request) {
    traffic::Exchange exchange;
    exchange.request = request;
    exchange.error = "connection refused to 127.0.0.1:9";
    return exchange;
  };
  Driver driver(testing::ListOp(), Validator(), send, {});
  driver.BeginProperty(std::nullopt);
  ASSERT_TRUE(driver.BeginCase());
  driver.Get(kTarget, {});
  EXPECT_EQ(driver.EndCase(), std::nullopt);
  EXPECT_EQ(driver.stop_reason(), StopReason::kTransport);
  ASSERT_EQ(driver.transport_errors().size(), 1u);
  EXPECT_THAT(driver.transport_errors().front(), HasSubstr("connection refused"));
}

TEST(Driver, ADeadlineStopsNewCases) {
  ScriptedServer server;
  auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  Driver driver(testing::ListOp(), Validator(), server.Send(), {.now = [&now] { return now; }});
  driver.BeginProperty(now + std::chrono::seconds(1));
  EXPECT_TRUE(driver.BeginCase());
  static_cast<void>(driver.EndCase());
  now += std::chrono::seconds(2);
  EXPECT_FALSE(driver.BeginCase());
  EXPECT_EQ(driver.stop_reason(), StopReason::kDeadline);
  driver.BeginProperty(std::nullopt);  // the next property gets its own time
  EXPECT_TRUE(driver.BeginCase());
  EXPECT_EQ(driver.cases_run(), 1);
}

}  // namespace
}  // namespace driver_test
}  // namespace conform::fuzz::internal
