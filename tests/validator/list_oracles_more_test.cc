// The list oracles added with conform fuzz, on hand-made pages and walks: one test (or more) per
// function, each showing the invariant holding and broken.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "validator/list_oracles.h"
#include "validator/spec_loader.h"

namespace conform::validator {
namespace list_oracles_more_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using Json = nlohmann::json;

const Operation& ListDpoJobs() {
  static const Contract contract = *EmbeddedContract();
  return contract.operations.front();
}

Json Job(const std::string& id, const std::string& state = "JOB_STATE_RUNNING") {
  return {{"name", "accounts/a/dpoJobs/" + id}, {"state", state}, {"dataset", "d"}};
}

traffic::Exchange Answer(int status, const std::string& body,
                         const std::string& query = "pageSize=2") {
  traffic::Exchange exchange;
  exchange.request.method = "GET";
  exchange.request.url = "http://h/v1/accounts/a/dpoJobs?" + query;
  exchange.response.status = status;
  exchange.response.body = body;
  return exchange;
}

// A page answered to "?<query>".
Page MakePage(std::vector<Json> items, std::optional<std::string> token,
              std::optional<int64_t> total, const std::string& query = "pageSize=2") {
  Json body = {{"dpoJobs", items}};
  if (token) {
    body["nextPageToken"] = *token;
  }
  if (total) {
    body["totalSize"] = *total;
  }
  return ReadPage(ListDpoJobs(), Answer(200, body.dump(), query));
}

Walk MakeWalk(std::vector<Page> pages, WalkEnd end = WalkEnd::kLastPage) {
  Walk walk;
  walk.pages = std::move(pages);
  walk.end = end;
  return walk;
}

std::vector<std::string> Ids(const std::vector<Finding>& findings) {
  std::vector<std::string> ids;
  for (const Finding& finding : findings) {
    ids.push_back(finding.check_id);
  }
  return ids;
}

const aip::FieldCatalog& Catalog() { return ListDpoJobs().catalog; }

TEST(CheckDefaultPageSize, AtMostTheDefaultAndExactlyItWhileMoreRemain) {
  std::vector<Json> fifty(50, Job("x"));
  std::vector<Finding> found;
  CheckDefaultPageSize(MakeWalk({MakePage(fifty, "t", 120, "")}), 50, found);
  CheckDefaultPageSize(MakeWalk({MakePage({Job("a")}, std::nullopt, 1, "pageSize=0")}), 50, found);
  CheckDefaultPageSize(MakeWalk({MakePage({Job("a")}, "t", 120, "pageSize=1")}), 50, found);
  EXPECT_THAT(found, IsEmpty());

  std::vector<Json> hundred(100, Job("x"));
  CheckDefaultPageSize(MakeWalk({MakePage(hundred, "t", 350, "")}), 50, found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_EQ(found[0].check_id, "page_size.default");
  EXPECT_EQ(found[0].expected, "at most 50 items");
  found.clear();
  CheckDefaultPageSize(MakeWalk({MakePage({}, "t", 350, "pageSize=0")}), 50, found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_THAT(found[0].message, HasSubstr("(pageSize=0) holds 0 items and has a next page"));
  EXPECT_EQ(found[0].check_id, "page_size.default_filled");  // fewer is allowed: a should
  EXPECT_EQ(found[0].level, Level::kShould);
}

TEST(CheckNextTokenOmittedAtEnd, AnEmptyStringOnTheLastPageIsAShouldFinding) {
  std::vector<Finding> found;
  CheckNextTokenOmittedAtEnd(MakeWalk({MakePage({Job("a")}, std::nullopt, 1)}), found);
  EXPECT_THAT(found, IsEmpty());
  CheckNextTokenOmittedAtEnd(MakeWalk({MakePage({Job("a")}, "", 1)}), found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_EQ(found[0].check_id, "page_walk.last_page_token");
  EXPECT_EQ(found[0].level, Level::kShould);
}

TEST(CheckNoErrorPage, AnErrorPageInAValidWalkIsAFinding) {
  std::vector<Finding> found;
  Walk fine = MakeWalk({MakePage({Job("a")}, std::nullopt, 1)});
  CheckNoErrorPage(fine, "page_walk.complete", "a walk", found);
  EXPECT_THAT(found, IsEmpty());
  Walk broken = MakeWalk(
      {MakePage({Job("a")}, "t", 2),
       ReadPage(ListDpoJobs(), Answer(500, R"({"code":13,"message":"boom","details":[]})"))},
      WalkEnd::kErrorPage);
  CheckNoErrorPage(broken, "page_walk.complete", "a walk at page sizes [1]", found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_THAT(found[0].message,
              HasSubstr("a walk at page sizes [1]: page 2 was answered 500 INTERNAL"));
  EXPECT_THAT(found[0].requests, SizeIs(2));
}

TEST(CheckPrefixOf, ACutWalkIsAPrefixOfTheReference) {
  Walk reference = MakeWalk({MakePage({Job("a"), Job("b"), Job("c")}, std::nullopt, 3)});
  std::vector<Finding> found;
  CheckPrefixOf(MakeWalk({MakePage({Job("a")}, "t", 3)}, WalkEnd::kRunaway), reference, "x.id", "w",
                found);
  EXPECT_THAT(found, IsEmpty());
}

TEST(CheckPrefixOf, ReportsTheFirstItemThatDiffers) {
  Walk reference = MakeWalk({MakePage({Job("a"), Job("b"), Job("c")}, std::nullopt, 3)});
  Walk walk =
      MakeWalk({MakePage({Job("a")}, "t", 3), MakePage({Job("c")}, "u", 3)}, WalkEnd::kRunaway);
  std::vector<Finding> found;
  CheckPrefixOf(walk, reference, "page_walk.consistent_page_sizes", "at pageSize 1", found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_EQ(found[0].check_id, "page_walk.consistent_page_sizes");
  EXPECT_THAT(found[0].message, HasSubstr("item 2 (page 2, item 1) is 'accounts/a/dpoJobs/c'"));
  EXPECT_EQ(found[0].expected, "accounts/a/dpoJobs/b");
  EXPECT_THAT(found[0].requests, SizeIs(2));
}

TEST(CheckPrefixOf, ACompleteWalkThatEndsEarlyIsAFinding) {
  Walk reference = MakeWalk({MakePage({Job("a"), Job("b"), Job("c")}, std::nullopt, 3)});
  std::vector<Finding> found;
  CheckPrefixOf(MakeWalk({MakePage({Job("a")}, std::nullopt, 3)}), reference, "page_walk.complete",
                "w", found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_THAT(found[0].message, HasSubstr("ended after 1 items, before 'accounts/a/dpoJobs/b'"));
}

TEST(CheckSameItems, OrderDoesNotMatterButEachItemDoes) {
  Walk a = MakeWalk({MakePage({Job("a"), Job("b")}, std::nullopt, 2)});
  std::vector<Finding> found;
  CheckSameItems(a, MakeWalk({MakePage({Job("b"), Job("a")}, std::nullopt, 2)}),
                 "page_walk.complete", "w", found);
  EXPECT_THAT(found, IsEmpty());
  CheckSameItems(a, MakeWalk({MakePage({Job("b"), Job("b")}, std::nullopt, 2)}),
                 "page_walk.complete", "ordered", found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_THAT(found[0].message,
              HasSubstr("ordered: 1 missing (first: 'accounts/a/dpoJobs/a'), 1 unexpected or "
                        "repeated (first: 'accounts/a/dpoJobs/b')"));
}

TEST(CheckWalkCovers, EveryKeyThatStayedIsReturned) {
  Walk walk = MakeWalk({MakePage({Job("a"), Job("c")}, std::nullopt, 2)});
  std::vector<Finding> found;
  CheckWalkCovers(walk, {"accounts/a/dpoJobs/a", "accounts/a/dpoJobs/c"}, found);
  EXPECT_THAT(found, IsEmpty());
  CheckWalkCovers(walk, {"accounts/a/dpoJobs/a", "accounts/a/dpoJobs/b"}, found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_EQ(found[0].check_id, "page_walk.complete");
  EXPECT_THAT(found[0].message, HasSubstr("first: 'accounts/a/dpoJobs/b'"));
  found.clear();
  CheckWalkCovers(MakeWalk({MakePage({}, "t", 2)}, WalkEnd::kRunaway), {"accounts/a/dpoJobs/b"},
                  found);
  EXPECT_THAT(found, IsEmpty()) << "an unfinished walk is not judged";
}

TEST(CheckFilteredTotalSize, CountsTheMatchingResources) {
  Walk all = MakeWalk({MakePage(
      {Job("a", "JOB_STATE_RUNNING"), Job("b", "JOB_STATE_FAILED"), Job("c", "JOB_STATE_RUNNING")},
      std::nullopt, 3)});
  auto filter = aip::ParseFilter("state = JOB_STATE_RUNNING", Catalog());
  ASSERT_TRUE(filter.ok());
  std::vector<Finding> found;
  CheckFilteredTotalSize(MakeWalk({MakePage({Job("a")}, "t", 2)}, WalkEnd::kRunaway), all, *filter,
                         found);
  EXPECT_THAT(found, IsEmpty());
  CheckFilteredTotalSize(MakeWalk({MakePage({Job("a")}, "t", 1)}, WalkEnd::kRunaway), all, *filter,
                         found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_EQ(found[0].check_id, "total_size.filtered");
  EXPECT_EQ(found[0].expected, "2");
  found.clear();
  CheckFilteredTotalSize(MakeWalk({MakePage({Job("a")}, "t", 1)}), all, aip::Filter(), found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_THAT(found[0].message,
              HasSubstr("without a filter, totalSize is 1 on page 1 but 3 resources match"));
}

TEST(CheckSamePage, TheSameRequestTwiceGivesTheSamePage) {
  std::vector<Finding> found;
  CheckSamePage(MakePage({Job("a")}, "t", 2), MakePage({Job("a")}, "t", 2), found);
  EXPECT_THAT(found, IsEmpty());
  CheckSamePage(MakePage({Job("a")}, "t", 2), MakePage({Job("b")}, "t", 2), found);
  CheckSamePage(MakePage({Job("a")}, "t", 2), MakePage({Job("a")}, std::nullopt, 2), found);
  EXPECT_THAT(Ids(found), ElementsAre("reads.idempotent", "reads.idempotent"));
  EXPECT_THAT(found[0].message, HasSubstr("resource 1 differs"));
  EXPECT_THAT(found[1].message, HasSubstr("no next page"));
  EXPECT_THAT(found[0].requests, SizeIs(2));
}

TEST(CheckInvalidArgument, Wants400InvalidArgumentInEitherShape) {
  std::vector<Finding> found;
  CheckInvalidArgument(Answer(400, R"({"code":3,"message":"bad","details":[]})"),
                       "filter.invalid_rejected", "f", found);
  CheckInvalidArgument(
      Answer(400, R"({"error":{"code":400,"message":"bad","status":"INVALID_ARGUMENT"}})"),
      "filter.invalid_rejected", "f", found);
  CheckInvalidArgument(Answer(400, "not json"), "filter.invalid_rejected", "f", found);
  traffic::Exchange lost = Answer(0, "");
  lost.error = "connection refused";
  CheckInvalidArgument(lost, "filter.invalid_rejected", "f", found);
  EXPECT_THAT(found, IsEmpty());
  CheckInvalidArgument(Answer(200, R"({"dpoJobs":[]})"), "filter.invalid_rejected",
                       "filter 'x = ('", found);
  CheckInvalidArgument(Answer(400, R"({"code":5,"message":"no","details":[]})"),
                       "filter.invalid_rejected", "f", found);
  ASSERT_THAT(found, SizeIs(2));
  EXPECT_THAT(found[0].message, HasSubstr("filter 'x = (' was answered 200"));
  EXPECT_EQ(found[1].actual, "400 NOT_FOUND");
  EXPECT_THAT(found[0].requests, SizeIs(1));
}

TEST(CheckUnknownMaskPathAnswered, A400OrA2xxIgnoringTheEntryWillDo) {
  // AIP-161: "When reading data, field masks may ignore entries that point to a value that
  // can not exist".
  std::vector<Finding> found;
  CheckUnknownMaskPathAnswered(Answer(400, R"({"code":3,"message":"bad","details":[]})"), "m", found);
  CheckUnknownMaskPathAnswered(Answer(200, R"({"dpoJobs":[]})"), "m", found);
  EXPECT_THAT(found, IsEmpty());
  CheckUnknownMaskPathAnswered(Answer(500, "{}"), "readMask='x'", found);
  CheckUnknownMaskPathAnswered(Answer(404, R"({"code":5,"message":"no","details":[]})"), "m", found);
  ASSERT_THAT(found, SizeIs(2));
  EXPECT_EQ(found[0].check_id, "read_mask.unknown_path");
  EXPECT_THAT(found[0].message, HasSubstr("readMask='x' was answered 500"));
}

TEST(CheckClientError, AnyFourHundredWillDo) {
  std::vector<Finding> found;
  CheckClientError(Answer(403, R"({"code":7})"), "token.other_account_rejected", "t", found);
  CheckClientError(Answer(400, R"({"code":3})"), "token.other_account_rejected", "t", found);
  EXPECT_THAT(found, IsEmpty());
  CheckClientError(Answer(200, "{}"), "token.other_account_rejected", "t", found);
  CheckClientError(Answer(500, "{}"), "token.other_account_rejected", "t", found);
  EXPECT_THAT(Ids(found),
              ElementsAre("token.other_account_rejected", "token.other_account_rejected"));
}

TEST(CheckStatusIs, WantsThatStatus) {
  std::vector<Finding> found;
  CheckStatusIs(Answer(401, R"({"code":16})"), 401, "auth.missing_credentials", "no key", found);
  EXPECT_THAT(found, IsEmpty());
  CheckStatusIs(Answer(200, "{}"), 401, "auth.missing_credentials", "a request without credentials",
                found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_EQ(found[0].expected, "401");
  EXPECT_THAT(found[0].message, HasSubstr("a request without credentials was answered 200"));
}

TEST(CheckNo5xx, FlagsServerErrorsOnly) {
  std::vector<Finding> found;
  CheckNo5xx(Answer(404, "{}"), found);
  CheckNo5xx(Answer(200, "{}"), found);
  EXPECT_THAT(found, IsEmpty());
  CheckNo5xx(Answer(503, R"({"code":14,"message":"down","details":[]})"), found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_EQ(found[0].check_id, "response.no_5xx");
  EXPECT_THAT(found[0].message, HasSubstr("503 UNAVAILABLE"));
}

TEST(CheckReadMaskProjection, AMaskedPageIsTheProjectionOfTheFullPage) {
  Json full_job = {{"name", "accounts/a/dpoJobs/a"},
                   {"state", "JOB_STATE_RUNNING"},
                   {"dataset", "d"},
                   {"trainingConfig", {{"region", "US_IOWA_1"}, {"epochs", 2}}}};
  Page full = MakePage({full_job}, std::nullopt, 1);
  auto mask = aip::ParseReadMask("name,trainingConfig.region", Catalog());
  ASSERT_TRUE(mask.ok());
  Json projected = {{"name", "accounts/a/dpoJobs/a"},
                    {"trainingConfig", {{"region", "US_IOWA_1"}}}};
  std::vector<Finding> found;
  CheckReadMaskProjection(MakePage({projected}, std::nullopt, 1, "readMask=x"), full, *mask, found);
  EXPECT_THAT(found, IsEmpty());

  // A masked message the resource sets may come back empty when the masked field in it is
  // unset (protobuf's FieldMaskUtil.merge does so); not a field outside the mask.
  auto messages = aip::ParseReadMask("name,trainingConfig.baseModel", Catalog());
  ASSERT_TRUE(messages.ok());
  Json emptied = {{"name", "accounts/a/dpoJobs/a"}, {"trainingConfig", Json::object()}};
  CheckReadMaskProjection(MakePage({emptied}, std::nullopt, 1, "readMask=x"), full, *messages,
                          found);
  EXPECT_THAT(found, IsEmpty());
  Json invented = {{"name", "accounts/a/dpoJobs/a"},
                   {"status", Json::object()}};  // full has no status
  CheckReadMaskProjection(MakePage({invented}, std::nullopt, 1, "readMask=x"), full, *messages,
                          found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_EQ(found[0].json_pointer, "/dpoJobs/0/status");
  found.clear();

  // The resource's own name beside the mask is judged per response (name_added), not here.
  auto without_name = aip::ParseReadMask("trainingConfig.region", Catalog());
  ASSERT_TRUE(without_name.ok());
  CheckReadMaskProjection(MakePage({projected}, std::nullopt, 1, "readMask=x"), full, *without_name,
                          found);
  EXPECT_THAT(found, IsEmpty());
  Json renamed = projected;
  renamed["name"] = "accounts/a/dpoJobs/other";
  CheckReadMaskProjection(MakePage({renamed}, std::nullopt, 1, "readMask=x"), full, *without_name,
                          found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_EQ(found[0].json_pointer, "/dpoJobs/0/name");
  found.clear();

  CheckReadMaskProjection(MakePage({full_job}, std::nullopt, 1, "readMask=x"), full, *mask, found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_EQ(found[0].check_id, "response.read_mask.outside");
  EXPECT_EQ(found[0].json_pointer, "/dpoJobs/0/dataset");
  EXPECT_THAT(found[0].requests, SizeIs(2));

  found.clear();
  auto all = aip::ParseReadMask("*", Catalog());
  CheckReadMaskProjection(MakePage({projected}, std::nullopt, 1, "readMask=*"), full, *all, found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_EQ(found[0].check_id, "read_mask.equivalent_all");
}

TEST(CheckCredentialsMasked, ACredentialInClearIsAShouldFinding) {
  Json masked = Job("a");
  masked["wandbConfig"] = {{"apiKey", "****"}, {"project", "p"}};
  Json clear = Job("b");
  clear["wandbConfig"] = {{"apiKey", "wandb-secret-1234"}};
  std::vector<Finding> found;
  CheckCredentialsMasked(MakeWalk({MakePage({masked}, std::nullopt, 1)}), found);
  EXPECT_THAT(found, IsEmpty());
  CheckCredentialsMasked(MakeWalk({MakePage({masked, clear}, std::nullopt, 2)}), found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_EQ(found[0].check_id, "secrets.credential_in_clear");
  EXPECT_EQ(found[0].level, Level::kShould);
  EXPECT_EQ(found[0].json_pointer, "/dpoJobs/1/wandbConfig/apiKey");
  EXPECT_THAT(found[0].actual, Not(HasSubstr("wandb-secret")));
}

}  // namespace
}  // namespace list_oracles_more_test
}  // namespace conform::validator
