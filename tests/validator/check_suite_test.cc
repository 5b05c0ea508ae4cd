// CheckSuite against other people's List APIs, in process (a SendFn, no sockets): a correct
// server that offers less than ListDpoJobs (no orderBy, filter or readMask, no account in its
// path) must get no findings, only skips naming what it lacks.
#include "validator/check_suite.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "traffic/url.h"
#include "validator/spec_loader.h"

namespace conform::validator {
namespace check_suite_test {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

// A List without orderBy, filter, readMask or account: pageSize and pageToken only.
std::string ThingsSpec() { return std::string(CONFORM_SOURCE_DIR) + "/tests/data/validator/specs/things.yaml"; }

traffic::Exchange Answer(const traffic::Request& request, int status, const Json& body) {
  traffic::Exchange exchange;
  exchange.request = request;
  exchange.response.status = status;
  exchange.response.headers = {{"Content-Type", "application/json"}};
  exchange.response.body = body.dump();
  return exchange;
}

// A correct List server for kThingsSpec: 120 things in name order, offsets as page tokens,
// 400 INVALID_ARGUMENT for a page size or token it cannot read, and it records every query.
// `cap` bounds every page, as AIP-158 allows ("may return fewer results than the number
// requested").
traffic::Exchange Things(const traffic::Request& request, std::vector<std::string>& queries,
                         int64_t cap = 200) {
  auto error = [&](int status, int code, const std::string& message) {
    return Answer(request, status, {{"code", code}, {"message", message}, {"details", Json::array()}});
  };
  auto url = traffic::ParseUrl(request.url);
  if (!url || url->path != "/v1/things") {
    return error(404, 5, "not found");
  }
  std::string query = request.url.substr(std::min(request.url.size(), request.url.find('?') + 1));
  queries.push_back(request.url.find('?') == std::string::npos ? "" : query);
  int64_t size = 50;
  int64_t offset = 0;
  for (const auto& [name, value] : url->query) {
    int64_t* into = name == "pageSize" ? &size : name == "pageToken" ? &offset : nullptr;
    if (into == nullptr || value.empty()) {
      continue;  // an unknown parameter is ignored, as most servers do
    }
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), *into);
    if (ec != std::errc() || end != value.data() + value.size() || *into < 0 ||
        (name == "pageToken" && *into > 120)) {
      return error(400, 3, "bad " + name);
    }
  }
  size = std::min<int64_t>(size == 0 ? 50 : std::min<int64_t>(size, 200), cap);
  Json things = Json::array();
  for (int64_t i = offset; i < std::min<int64_t>(offset + size, 120); ++i) {
    things.push_back({{"name", "things/" + std::string(i < 10 ? "00" : i < 100 ? "0" : "") + std::to_string(i)}});
  }
  Json body = {{"things", things}};
  if (offset + size < 120) {
    body["nextPageToken"] = std::to_string(offset + size);
  }
  return Answer(request, 200, body);
}

TEST(CheckSuite, AServerThatCapsItsPagesBelowTheDefaultOnlyGetsAShouldFinding) {
  // 37 items a page whatever is asked: allowed by AIP-158, short of the documented default.
  auto contract = LoadContractFile(ThingsSpec());
  ASSERT_TRUE(contract.ok()) << contract.error().message;
  const Operation* op = contract->FindOperation("ListThings");
  ASSERT_NE(op, nullptr);
  std::vector<std::string> queries;
  CheckSuite suite(*contract, *op, [&](const traffic::Request& r) { return Things(r, queries, 37); },
                   {.base_url = "http://things.test", .account = "x"}, {});
  auto result = suite.Run();
  ASSERT_TRUE(result.ok()) << result.error().message;
  std::map<std::string, std::vector<Finding>> findings;
  for (const CheckOutcome& outcome : result->checks) {
    if (!outcome.findings.empty()) {
      findings[outcome.id] = outcome.findings;
    }
  }
  ASSERT_EQ(findings.size(), 1u) << findings.begin()->first;
  ASSERT_EQ(findings.count("page_size.default_filled"), 1u);
  EXPECT_EQ(findings["page_size.default_filled"][0].level, Level::kShould);
  EXPECT_EQ(findings["page_size.default_filled"][0].actual, "37 resources");
}

TEST(CheckSuite, ACorrectServerWithoutOrderFilterOrAccountGetsSkipsNotFindings) {
  auto contract = LoadContractFile(ThingsSpec());
  ASSERT_TRUE(contract.ok()) << contract.error().message;
  const Operation* op = contract->FindOperation("ListThings");
  ASSERT_NE(op, nullptr);
  std::vector<std::string> queries;
  CheckSuite suite(*contract, *op, [&](const traffic::Request& r) { return Things(r, queries); },
                   {.base_url = "http://things.test", .account = "x"}, {});
  auto result = suite.Run();
  ASSERT_TRUE(result.ok()) << result.error().message;
  std::map<std::string, CheckOutcome> outcomes;
  for (const CheckOutcome& outcome : result->checks) {
    outcomes[outcome.id] = outcome;
    EXPECT_THAT(outcome.findings, ::testing::IsEmpty()) << outcome.id << ": " << outcome.findings[0].message;
  }
  for (const char* id : {"order.fields", "order.multi_key", "order.whitespace", "order.unknown_field_rejected"}) {
    EXPECT_TRUE(outcomes[id].skipped) << id;
    EXPECT_EQ(outcomes[id].note, "the operation has no orderBy parameter") << id;
  }
  EXPECT_TRUE(outcomes["token.binding"].skipped);
  EXPECT_THAT(outcomes["token.binding"].note, HasSubstr("no filter, orderBy or readMask parameter"));
  EXPECT_TRUE(outcomes["token.other_account_rejected"].skipped);
  EXPECT_THAT(outcomes["token.other_account_rejected"].note, HasSubstr("names no account (/v1/things)"));
  EXPECT_FALSE(outcomes["token.invalid_rejected"].skipped);
  EXPECT_FALSE(outcomes["page_walk.complete"].skipped);
  // Nothing the operation does not declare was sent, and no empty pageToken passed as a bad one.
  for (const std::string& query : queries) {
    EXPECT_THAT(query, ::testing::Not(HasSubstr("orderBy"))) << query;
    EXPECT_THAT(query, ::testing::Not(HasSubstr("filter"))) << query;
    EXPECT_THAT(query, ::testing::Not(HasSubstr("readMask"))) << query;
  }
}

TEST(CheckSuite, A404WithoutAnAccountInThePathNamesTheCollection) {
  auto contract = LoadContractFile(ThingsSpec());
  ASSERT_TRUE(contract.ok()) << contract.error().message;
  CheckSuite suite(*contract, *contract->FindOperation("ListThings"),
                   [](const traffic::Request& r) {
                     return Answer(r, 404, {{"code", 5}, {"message", "nf"}, {"details", Json::array()}});
                   },
                   {.base_url = "http://things.test", .account = "x"}, {});
  auto result = suite.Run();
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.error().message, HasSubstr("the collection was not found (404"));
  EXPECT_THAT(result.error().message, ::testing::Not(HasSubstr("account 'x'")));
}

// Runs the suite on ListDpoJobs against a server with no jobs (every answer an empty page) and
// returns every query it sent.
std::vector<std::string> QueriesSentFor(const SuiteOptions& options) {
  static const Contract contract = *EmbeddedContract();
  std::vector<std::string> queries;
  auto empty_page = [&queries](const traffic::Request& request) {
    queries.push_back(request.url.substr(std::min(request.url.size(), request.url.find('?') + 1)));
    return Answer(request, 200, {{"dpoJobs", Json::array()}, {"totalSize", 0}});
  };
  CheckSuite suite(contract, contract.operations.front(), empty_page,
                   {.base_url = "http://jobs.test", .account = "acme", .api_key = "k"}, options);
  auto result = suite.Run();
  EXPECT_TRUE(result.ok()) << result.error().message;
  return queries;
}

TEST(CheckSuite, NotesOfChecksOfErrorsAndMasksCountTheResponsesTheyCouldJudge) {
  // A server that answers every request with one resource that has no fields (so inside every
  // mask): it never errs, so the error checks judged nothing: skipped, not passed, and not
  // credited with every response.
  const Contract contract = *EmbeddedContract();
  auto empty_page = [](const traffic::Request& request) {
    return Answer(request, 200, {{"dpoJobs", Json::array({Json::object()})}, {"totalSize", 1}});
  };
  CheckSuite suite(
      contract, contract.operations.front(), empty_page,
      {.base_url = "http://jobs.test", .account = "acme", .api_key = "k"},
      {.include = {"response.error.shape", "response.read_mask.outside", "response.schema.type"}});
  auto result = suite.Run();
  ASSERT_TRUE(result.ok()) << result.error().message;
  std::map<std::string, std::string> notes;
  std::map<std::string, bool> skipped;
  for (const CheckOutcome& outcome : result->checks) {
    notes[outcome.id] = outcome.note;
    skipped[outcome.id] = outcome.skipped;
  }
  EXPECT_EQ(notes["response.error.shape"], "no error responses to judge");
  EXPECT_TRUE(skipped["response.error.shape"]);
  EXPECT_FALSE(skipped["response.read_mask.outside"]);
  EXPECT_FALSE(skipped["response.schema.type"]);
  EXPECT_THAT(notes["response.read_mask.outside"],
              ::testing::MatchesRegex("on [1-9][0-9]* responses with resources to a readMask"));
  EXPECT_EQ(notes["response.schema.type"], "on " + std::to_string(result->requests) + " responses");
}

TEST(CheckSuite, AResponseCheckThatJudgedNothingIsSkippedNotPassed) {
  // With the readMask scenarios left out, no request asks for some fields only: the check of
  // masked responses has no evidence, whatever the server does.
  const Contract contract = *EmbeddedContract();
  auto empty_page = [](const traffic::Request& request) {
    return Answer(request, 200, {{"dpoJobs", Json::array()}, {"totalSize", 0}});
  };
  CheckSuite suite(contract, contract.operations.front(), empty_page,
                   {.base_url = "http://jobs.test", .account = "acme", .api_key = "k"},
                   {.include = {"response.read_mask.outside"}, .exclude = {"read_mask"}});
  auto result = suite.Run();
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->checks.size(), 1u);
  EXPECT_TRUE(result->checks[0].skipped);
  EXPECT_EQ(result->checks[0].note, "no responses with resources to a readMask to judge");
}

TEST(CheckSuite, AnAccountTooSmallToBreakARuleSkipsItNamingTheCount) {
  // An empty collection cannot be out of order nor repeat a resource, and one resource cannot
  // either: such checks are skipped, not passed on nothing. Reading one resource can be judged.
  const Contract contract = *EmbeddedContract();
  for (const Json& jobs :
       {Json::array(), Json::array({{{"name", "accounts/acme/dpoJobs/a"}, {"dataset", "d"}}})}) {
    auto server = [&jobs](const traffic::Request& request) {
      return Answer(request, 200, {{"dpoJobs", jobs}, {"totalSize", jobs.size()}});
    };
    CheckSuite suite(contract, contract.operations.front(), server,
                     {.base_url = "http://jobs.test", .account = "acme", .api_key = "k"},
                     {.include = {"order.fields", "page_walk.disjoint", "read_mask.equivalent_all",
                                  "page_walk.complete", "response.read_mask.outside"}});
    auto result = suite.Run();
    ASSERT_TRUE(result.ok()) << result.error().message;
    std::map<std::string, CheckOutcome> outcomes;
    for (const CheckOutcome& outcome : result->checks) {
      outcomes[outcome.id] = outcome;
    }
    const std::string held = jobs.empty() ? "0 resources" : "1 resource";
    EXPECT_TRUE(outcomes["order.fields"].skipped) << held;
    EXPECT_EQ(outcomes["order.fields"].note,
              "the collection holds " + held + "; this rule needs 2 to show");
    EXPECT_TRUE(outcomes["page_walk.disjoint"].skipped) << held;
    EXPECT_EQ(outcomes["read_mask.equivalent_all"].skipped, jobs.empty()) << held;
    // Empty pages to a readMask are no evidence that masks are applied.
    EXPECT_EQ(outcomes["response.read_mask.outside"].skipped, jobs.empty()) << held;
    EXPECT_FALSE(outcomes["page_walk.complete"].skipped)
        << held << ": an empty walk is still a walk";
  }
}

// Whether the order.unknown_field_rejected scenario ran: no other sends this orderBy.
bool OrderScenarioRan(const std::vector<std::string>& queries) {
  return std::any_of(queries.begin(), queries.end(), [](const std::string& query) {
    return query.find("orderBy=conformNoSuchField") != std::string::npos;
  });
}

TEST(CheckSuite, ACheckOfEveryResponseRunsEveryScenarioThatIsNotExcluded) {
  EXPECT_FALSE(OrderScenarioRan(QueriesSentFor({.include = {"page_size.default"}})));
  // response.schema judges every response, so the order scenarios' answers are its evidence.
  EXPECT_TRUE(OrderScenarioRan(QueriesSentFor({.include = {"response.schema"}})));
  EXPECT_TRUE(OrderScenarioRan(QueriesSentFor({.include = {"page_walk.disjoint"}})));
  // Unless the user left them out.
  EXPECT_FALSE(
      OrderScenarioRan(QueriesSentFor({.include = {"response.schema"}, .exclude = {"order"}})));
  EXPECT_FALSE(OrderScenarioRan(QueriesSentFor({.exclude = {"order"}})));
  EXPECT_TRUE(OrderScenarioRan(QueriesSentFor({})));
}

}  // namespace
}  // namespace check_suite_test
}  // namespace conform::validator
