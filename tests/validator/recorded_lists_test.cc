// List semantics over recorded exchanges (what `conform validate` adds to the per-exchange
// checks): how recorded requests are chained into walks, what a partial recording is judged
// on, and each check that can run without sending a request, holding and broken.
#include "validator/recorded_lists.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "traffic/url.h"
#include "validator/spec_loader.h"

namespace conform::validator {
namespace recorded_lists_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using Json = nlohmann::json;

const Operation& ListDpoJobs() {
  static const Contract contract = *EmbeddedContract();
  return contract.operations.front();
}

Json Job(int id, const std::string& state = "JOB_STATE_RUNNING",
         const std::string& created = "2024-01-01T00:00:00Z") {
  char name[32];
  std::snprintf(name, sizeof name, "j%03d", id);
  return {{"name", std::string("accounts/a/dpoJobs/") + name},
          {"state", state},
          {"dataset", "accounts/a/datasets/d"},
          {"createTime", created}};
}

std::vector<Json> Jobs(int from, int to) {
  std::vector<Json> jobs;
  for (int i = from; i < to; ++i) {
    jobs.push_back(Job(i));
  }
  return jobs;
}

// A recording built request by request: Get(query, items, next token, totalSize).
class Recording {
 public:
  size_t Get(const traffic::QueryParams& query, const std::vector<Json>& items,
             std::optional<std::string> next = std::nullopt,
             std::optional<int64_t> total = std::nullopt,
             const std::string& path = "/v1/accounts/a/dpoJobs") {
    Json body = {{"dpoJobs", items}};
    if (next) {
      body["nextPageToken"] = *next;
    }
    if (total) {
      body["totalSize"] = *total;
    }
    return Add(query, 200, body.dump(), path);
  }

  size_t Add(const traffic::QueryParams& query, int status, const std::string& body,
             const std::string& path = "/v1/accounts/a/dpoJobs") {
    traffic::Exchange exchange;
    exchange.request.method = "GET";
    exchange.request.url =
        "https://api.example" + path + (query.empty() ? "" : "?" + traffic::BuildQuery(query));
    exchange.response.status = status;
    exchange.response.headers = {{"Content-Type", "application/json"}};
    exchange.response.body = body;
    exchange.source = "rec.har: entry " + std::to_string(exchanges_.size());
    exchanges_.push_back(std::move(exchange));
    // What ExchangeValidator::Check says of it, as far as chaining is concerned.
    ExchangeVerdict verdict;
    verdict.operation = op_;
    Json parsed = Json::parse(body, nullptr, false);
    if (status == 200 && parsed.is_object()) {
      verdict.list_page.emplace();
      if (parsed.contains("nextPageToken") && parsed["nextPageToken"] != "") {
        verdict.list_page->next_token = parsed["nextPageToken"].get<std::string>();
      }
    }
    verdicts_.push_back(std::move(verdict));
    return exchanges_.size() - 1;
  }

  // The operation later exchanges belong to.
  void set_operation(const Operation* op) { op_ = op; }
  std::vector<traffic::Exchange>& exchanges() { return exchanges_; }
  std::vector<ExchangeVerdict>& verdicts() { return verdicts_; }

  RecordedLists Check(const RecordedListOptions& options = {}) {
    return CheckRecordedLists(exchanges_, verdicts_, options);
  }

 private:
  const Operation* op_ = &ListDpoJobs();
  std::vector<traffic::Exchange> exchanges_;
  std::vector<ExchangeVerdict> verdicts_;
};

std::vector<std::string> Ids(const RecordedLists& lists) {
  std::vector<std::string> ids;
  for (const auto& [index, finding] : lists.findings) {
    ids.push_back(finding.check_id);
  }
  return ids;
}

// Where each finding was attached: "check.id@index".
std::vector<std::string> Placed(const RecordedLists& lists) {
  std::vector<std::string> placed;
  for (const auto& [index, finding] : lists.findings) {
    placed.push_back(finding.check_id + "@" + std::to_string(index));
  }
  return placed;
}

TEST(RecordedLists, TheExchangeCheckTellsAPageAndItsNextToken) {
  static const Contract contract = *EmbeddedContract();
  auto validator = ExchangeValidator::Create(contract, {});
  ASSERT_TRUE(validator.ok());
  Recording r;
  r.Get({{"pageSize", "2"}}, Jobs(0, 2), "t1");
  r.Get({{"pageSize", "2"}, {"pageToken", "t1"}}, Jobs(2, 3), "");
  r.Add({}, 400, Json{{"code", 3}, {"message", "no"}, {"details", Json::array()}}.dump());
  std::vector<std::optional<std::string>> tokens;
  for (const traffic::Exchange& exchange : r.exchanges()) {
    ExchangeVerdict verdict = (*validator)->Check(exchange);
    tokens.push_back(verdict.list_page ? verdict.list_page->next_token.value_or("(none)")
                                       : "(not a page)");
  }
  EXPECT_THAT(tokens, ElementsAre("t1", "(none)", "(not a page)"));
}

TEST(RecordedLists, ChainsInterleavedWalksByTheirTokensAndParameters) {
  Recording r;
  r.Get({{"pageSize", "2"}}, Jobs(0, 2), "t1", 5);
  r.Get({{"pageSize", "2"}, {"filter", "state = JOB_STATE_RUNNING"}}, Jobs(0, 2), "f1", 3);
  r.Get({{"pageSize", "2"}, {"pageToken", "t1"}}, Jobs(2, 4), "t2", 5);
  r.Get({{"pageSize", "2"}, {"filter", "state = JOB_STATE_RUNNING"}, {"pageToken", "f1"}},
        Jobs(2, 3), std::nullopt, 3);
  r.Get({{"pageSize", "5"}, {"pageToken", "t2"}}, Jobs(4, 5), std::nullopt,
        5);  // pageSize may change
  RecordedLists lists = r.Check();
  EXPECT_THAT(Ids(lists), IsEmpty());
  EXPECT_EQ(lists.pages, 5u);
  EXPECT_EQ(lists.walks, 2u);
  EXPECT_EQ(lists.complete_walks, 2u);
}

TEST(RecordedLists, AFindingIsPlacedOnThePageItShowsOnAndNamesItsWalk) {
  Recording r;
  r.Get({{"pageSize", "2"}}, Jobs(0, 2), "t1");
  r.Get({{"pageSize", "2"}, {"pageToken", "t1"}}, {Job(1), Job(2)}, "t2");  // j001 again
  r.Get({{"pageSize", "2"}, {"pageToken", "t2"}}, Jobs(3, 4));
  RecordedLists lists = r.Check();
  ASSERT_THAT(Placed(lists), ElementsAre("page_walk.disjoint@1"));
  const Finding& finding = lists.findings[0].second;
  EXPECT_THAT(finding.message, HasSubstr("'accounts/a/dpoJobs/j001' appears twice"));
  EXPECT_EQ(finding.source, "page 2 of a walk of 3 pages from rec.har: entry 0");
  EXPECT_EQ(finding.requests.size(), 2u);  // the pages up to the one that shows it
}

TEST(RecordedLists, TotalSizeIsCountedOnlyOnAWalkRecordedFromFirstPageToLast) {
  Recording starts_late;
  starts_late.Get({{"pageSize", "2"}, {"pageToken", "t1"}}, Jobs(2, 4), "t2", 9);
  starts_late.Get({{"pageSize", "2"}, {"pageToken", "t2"}}, Jobs(4, 5), std::nullopt, 9);
  RecordedLists lists = starts_late.Check();
  EXPECT_THAT(Ids(lists), IsEmpty());
  EXPECT_EQ(lists.complete_walks, 0u);

  Recording stops_early;
  stops_early.Get({{"pageSize", "2"}}, Jobs(0, 2), "t1", 9);
  stops_early.Get({{"pageSize", "2"}, {"pageToken", "t1"}}, Jobs(2, 4), "t2", 9);
  lists = stops_early.Check();
  EXPECT_THAT(Ids(lists), IsEmpty());
  EXPECT_EQ(lists.walks, 1u);
  EXPECT_EQ(lists.complete_walks, 0u);

  Recording whole;
  whole.Get({{"pageSize", "2"}}, Jobs(0, 2), "t1", 9);
  whole.Get({{"pageSize", "2"}, {"pageToken", "t1"}}, Jobs(2, 3), std::nullopt, 9);
  EXPECT_THAT(Placed(whole.Check()), ElementsAre("total_size.matches_walk@1"));
}

TEST(RecordedLists, TotalSizeChangingWithinAWalkIsAFindingEvenInAPartialRecording) {
  Recording r;
  r.Get({{"pageSize", "2"}, {"pageToken", "t1"}}, Jobs(2, 4), "t2", 9);
  r.Get({{"pageSize", "2"}, {"pageToken", "t2"}}, Jobs(4, 6), "t3", 2);
  EXPECT_THAT(Placed(r.Check()), ElementsAre("total_size.stable@1"));
}

TEST(RecordedLists, ATokenCycleIsReportedOnceHoweverLongTheClientFollowsIt) {
  Recording r;
  r.Get({{"pageSize", "2"}}, Jobs(0, 2), "t1");
  for (int round = 0; round < 3; ++round) {
    r.Get({{"pageSize", "2"}, {"pageToken", "t1"}}, Jobs(2, 4), "t2");
    r.Get({{"pageSize", "2"}, {"pageToken", "t2"}}, Jobs(4, 6), "t1");  // back to page 2
  }
  RecordedLists lists = r.Check();
  EXPECT_THAT(Placed(lists), ElementsAre("page_walk.terminates@2"));
  EXPECT_EQ(lists.pages, 7u);
}

TEST(RecordedLists, TheLastPageTokenRuleNeedsTheWholeWalk) {
  Recording r;
  r.Get({{"pageSize", "2"}}, Jobs(0, 2), "t1");
  r.Get({{"pageSize", "2"}, {"pageToken", "t1"}}, {},
        std::nullopt);  // the token only led to an empty page
  EXPECT_THAT(Placed(r.Check()), ElementsAre("page_walk.last_page_token@1"));
}

TEST(RecordedLists, TheServerRefusingItsOwnTokenIsAFindingUnlessItWorksLaterOrSaysNothingOfIt) {
  Json error = {{"code", 3}, {"message", "bad token"}, {"details", Json::array()}};
  Recording refused;
  refused.Get({{"pageSize", "2"}}, Jobs(0, 2), "t1");
  refused.Add({{"pageSize", "2"}, {"pageToken", "t1"}}, 400, error.dump());
  RecordedLists lists = refused.Check();
  ASSERT_THAT(Placed(lists), ElementsAre("page_walk.complete@1"));
  EXPECT_THAT(lists.findings[0].second.message,
              HasSubstr("nextPageToken of rec.har: entry 0 was refused with 400"));

  Recording retried;
  retried.Get({{"pageSize", "2"}}, Jobs(0, 2), "t1");
  retried.Add({{"pageSize", "2"}, {"pageToken", "t1"}}, 500, error.dump());
  retried.Get({{"pageSize", "2"}, {"pageToken", "t1"}}, Jobs(2, 3));
  EXPECT_THAT(Ids(retried.Check()), IsEmpty());

  Recording throttled;
  throttled.Get({{"pageSize", "2"}}, Jobs(0, 2), "t1");
  throttled.Add({{"pageSize", "2"}, {"pageToken", "t1"}}, 429, error.dump());
  throttled.Add({{"pageSize", "2"}, {"pageToken", "t1"}}, 503, error.dump());
  EXPECT_THAT(Ids(throttled.Check()), IsEmpty());
}

TEST(RecordedLists, ATokenIssuedForOtherParametersAndAcceptedIsATokenBindingFinding) {
  Recording r;
  r.Get({{"filter", "state = JOB_STATE_RUNNING"}, {"pageSize", "2"}}, Jobs(0, 2), "t1");
  r.Get({{"filter", "state = JOB_STATE_FAILED"}, {"pageSize", "2"}, {"pageToken", "t1"}}, {});
  RecordedLists lists = r.Check();
  ASSERT_THAT(Placed(lists), ElementsAre("token.binding@1"));
  EXPECT_EQ(lists.findings[0].second.level, Level::kShould);
  EXPECT_THAT(
      lists.findings[0].second.message,
      HasSubstr("issued for /v1/accounts/a/dpoJobs with filter 'state = JOB_STATE_RUNNING' "
                "(rec.har: entry 0) "
                "was accepted for /v1/accounts/a/dpoJobs with filter 'state = JOB_STATE_FAILED'"));

  Recording other_account;
  other_account.Get({{"pageSize", "2"}}, Jobs(0, 2), "t1");
  other_account.Get({{"pageToken", "t1"}}, {}, std::nullopt, std::nullopt,
                    "/v1/accounts/b/dpoJobs");
  EXPECT_THAT(Ids(other_account.Check()), ElementsAre("token.binding"));

  Recording refused;  // what AIP-158 asks for
  refused.Get({{"filter", "state = JOB_STATE_RUNNING"}, {"pageSize", "2"}}, Jobs(0, 2), "t1");
  refused.Add({{"filter", "state = JOB_STATE_FAILED"}, {"pageToken", "t1"}}, 400,
              Json{{"code", 3}, {"message", "token"}, {"details", Json::array()}}.dump());
  EXPECT_THAT(Ids(refused.Check()), IsEmpty());
}

TEST(RecordedLists, AnOffsetTokenIssuedUnderBothFiltersIsNotABindingProblem) {
  Recording r;
  r.Get({{"filter", "state = JOB_STATE_RUNNING"}, {"pageSize", "2"}}, Jobs(0, 2), "2");
  r.Get({{"filter", "state = JOB_STATE_FAILED"}, {"pageSize", "2"}}, {}, "2");
  r.Get({{"filter", "state = JOB_STATE_FAILED"}, {"pageSize", "2"}, {"pageToken", "2"}}, {});
  EXPECT_THAT(Ids(r.Check()), IsEmpty());
}

TEST(RecordedLists, ANegativePageSizeAnsweredWithPagesIsReportedOncePerWalk) {
  Recording r;
  r.Get({{"pageSize", "-5"}}, Jobs(0, 2), "t1");
  r.Get({{"pageSize", "-5"}, {"pageToken", "t1"}}, Jobs(2, 4), "t2");
  r.Get({{"pageSize", "-5"}, {"pageToken", "t2"}}, Jobs(4, 5));
  EXPECT_THAT(Placed(r.Check()), ElementsAre("page_size.invalid_rejected@0"));
}

TEST(RecordedLists, ANegativePageSizeTheExchangeCheckAlreadyReportedIsNotReportedTwice) {
  Recording r;
  r.Get({{"pageSize", "-5"}}, Jobs(0, 2));
  r.verdicts()[0].findings.push_back(
      MakeFinding("request.parameter.invalid_accepted", "pageSize below minimum 1"));
  EXPECT_THAT(Ids(r.Check()), IsEmpty());
}

TEST(RecordedLists, AFilterTheContractRulesOutAnsweredWithAPageIsAFinding) {
  Recording r;
  r.Get({{"filter", "nosuchfield = 1"}}, Jobs(0, 2));
  r.Get({{"filter", "state = (JOB_STATE_RUNNING"}}, Jobs(0, 2));
  r.Get({{"filter", "nosuchfield = 1"}}, Jobs(0, 2));  // the same filter again: reported once
  RecordedLists lists = r.Check();
  EXPECT_THAT(Placed(lists), ElementsAre("filter.invalid_rejected@0", "filter.invalid_rejected@1"));
  EXPECT_THAT(lists.findings[0].second.message,
              HasSubstr("names a field the resource does not have"));
  EXPECT_THAT(lists.findings[1].second.message, HasSubstr("does not parse"));
}

TEST(RecordedLists, AFilterFunctionIsTheServersBusinessAndIsNotJudged) {
  Recording r;
  r.Get({{"filter", "regex(name, \"j0.*\")"}}, {Job(1, "JOB_STATE_FAILED")});
  EXPECT_THAT(Ids(r.Check()), IsEmpty());
}

TEST(RecordedLists, AnOrderByOnAnUnknownFieldAnsweredWithAPageIsAFindingButAnUpperCaseDescIsNot) {
  Recording r;
  r.Get({{"orderBy", "nosuchfield"}}, Jobs(0, 2));
  r.Get({{"orderBy", "createTime DESC"}}, Jobs(0, 2));
  EXPECT_THAT(Placed(r.Check()), ElementsAre("order.unknown_field_rejected@0"));
}

// A path past a scalar field names no field either: "state.detail" was not reported (only
// aip's "unknown field" message was recognised).
TEST(RecordedLists, APathPastAScalarFieldAnsweredWithAPageIsAFinding) {
  Recording r;
  r.Get({{"filter", "state.detail = 1"}}, Jobs(0, 2));
  r.Get({{"orderBy", "state.detail"}}, Jobs(0, 2));
  EXPECT_THAT(Placed(r.Check()),
              ElementsAre("filter.invalid_rejected@0", "order.unknown_field_rejected@1"));
}

TEST(RecordedLists, OrderIsCheckedWithinAndAcrossPagesByOrderByOrByName) {
  Recording descending;
  descending.Get({{"orderBy", "createTime desc"}, {"pageSize", "2"}},
                 {Job(1, "JOB_STATE_RUNNING", "2024-03-01T00:00:00Z"),
                  Job(2, "JOB_STATE_RUNNING", "2024-02-01T00:00:00Z")},
                 "t1");
  descending.Get({{"orderBy", "createTime desc"}, {"pageSize", "2"}, {"pageToken", "t1"}},
                 {Job(3, "JOB_STATE_RUNNING", "2024-04-01T00:00:00Z")});
  RecordedLists lists = descending.Check();
  ASSERT_THAT(Placed(lists), ElementsAre("order.fields@1"));
  EXPECT_THAT(lists.findings[0].second.message, HasSubstr("across pages 1-2"));

  Recording by_name;
  by_name.Get({}, {Job(2), Job(1)});
  EXPECT_THAT(Ids(by_name.Check()), ElementsAre("order.default"));

  Recording two_keys;
  two_keys.Get({{"orderBy", "state, createTime desc"}},
               {Job(1, "JOB_STATE_RUNNING", "2024-01-01T00:00:00Z"),
                Job(2, "JOB_STATE_RUNNING", "2024-02-01T00:00:00Z")});
  EXPECT_THAT(Ids(two_keys.Check()), ElementsAre("order.multi_key"));
}

TEST(RecordedLists, EveryReturnedResourceSatisfiesTheFilter) {
  Recording r;
  r.Get({{"filter", "state = JOB_STATE_RUNNING"}}, {Job(1), Job(2, "JOB_STATE_FAILED")});
  RecordedLists lists = r.Check();
  ASSERT_THAT(Ids(lists), ElementsAre("filter.sound"));
  EXPECT_EQ(lists.findings[0].second.json_pointer, "/dpoJobs/1");
}

TEST(RecordedLists, PageSizesAgainstTheRequestTheDefaultAndTheMaximum) {
  Recording r;
  r.Get({{"pageSize", "2"}}, Jobs(0, 3));        // more than asked
  r.Get({}, Jobs(0, 51));                        // more than the default
  r.Get({{"pageSize", "0"}}, Jobs(0, 10), "t");  // fewer than the default while more remain
  r.Get({{"pageSize", "900"}}, Jobs(0, 201));    // more than the maximum
  EXPECT_THAT(Placed(r.Check()),
              ElementsAre("page_size.respected@0", "page_size.default@1",
                          "page_size.default_filled@2", "page_size.respected@3"));
  EXPECT_THAT(Ids(r.Check({.default_page_size = 60, .max_page_size = 300})),
              ElementsAre("page_size.respected", "page_size.default_filled"));
}

TEST(RecordedLists, PageSizesAreWhatTheSpecStatesUnlessGiven) {
  Operation op = ListDpoJobs();
  op.list->stated_default_page_size = 20;
  op.list->stated_max_page_size = 100;
  Recording r;
  r.set_operation(&op);
  r.Get({}, Jobs(0, 20), "t");                 // the stated default, more remaining: right
  r.Get({{"pageSize", "150"}}, Jobs(0, 101));  // over the stated maximum
  EXPECT_THAT(Placed(r.Check()), ElementsAre("page_size.respected@1"));
  EXPECT_THAT(Placed(r.Check({.default_page_size = 50, .max_page_size = 200})),
              ElementsAre("page_size.default_filled@0"));
}

TEST(RecordedLists, CredentialsInClearAreReportedButRedactedOnesAreNot) {
  Json clear = Job(1);
  clear["wandbConfig"] = {{"apiKey", "wandb-live-1234567890"}};
  Json redacted = Job(2);
  redacted["wandbConfig"] = {{"apiKey", "[REDACTED]"}};
  Recording r;
  r.Get({}, {clear, redacted});
  RecordedLists lists = r.Check();
  ASSERT_THAT(Ids(lists), ElementsAre("secrets.credential_in_clear"));
  EXPECT_EQ(lists.findings[0].second.json_pointer, "/dpoJobs/0/wandbConfig/apiKey");
}

TEST(RecordedLists, BareBodiesAndOtherOperationsAndErrorsAreNotPages) {
  Recording r;
  r.Get({}, {Job(2), Job(1)});
  r.exchanges()[0].request.method.clear();  // a bare body: what was asked is unknown
  r.Get({}, {Job(2), Job(1)});
  r.verdicts()[1].operation = nullptr;  // not an operation of the contract
  r.Get({}, {Job(2), Job(1)});
  r.verdicts()[2].skipped = "a redirect";
  r.Add({}, 500, "{}");
  RecordedLists lists = r.Check();
  EXPECT_THAT(Ids(lists), IsEmpty());
  EXPECT_EQ(lists.pages, 0u);
  EXPECT_EQ(lists.walks, 0u);
}

TEST(RecordedLists, FirstPagesWhoseTokensAreNeverFollowedAreWalksOfTheirOwn) {
  Recording r;
  r.Get({{"pageSize", "2"}}, {Job(2), Job(1)}, "never");
  r.Get({{"pageSize", "2"}}, {Job(4), Job(3)}, "never2");
  r.Get({{"pageSize", "1"}}, {Job(5)}, "go");
  r.Get({{"pageSize", "1"}, {"pageToken", "go"}}, {Job(6)});
  RecordedLists lists = r.Check();
  EXPECT_THAT(Placed(lists), ElementsAre("order.default@0", "order.default@1"));
  EXPECT_EQ(lists.walks, 3u);
  EXPECT_EQ(lists.complete_walks, 1u);
}

}  // namespace
}  // namespace recorded_lists_test
}  // namespace conform::validator
