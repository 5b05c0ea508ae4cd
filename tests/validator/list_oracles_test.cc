// The shared list oracles on hand-made walks, and the page walker on a scripted server.
#include "validator/list_oracles.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "tests/support/result_matchers.h"
#include "traffic/url.h"
#include "validator/spec_loader.h"

namespace conform::validator {
namespace list_oracles_test {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using Json = nlohmann::json;

const Operation& ListDpoJobs() {
  static const Contract contract = *EmbeddedContract();
  return contract.operations.front();
}

Json Job(const std::string& id, const std::string& state = "JOB_STATE_RUNNING",
         const std::string& created = "2024-01-01T00:00:00Z") {
  return {{"name", "accounts/a/dpoJobs/" + id}, {"state", state}, {"createTime", created}, {"dataset", "d"}};
}

// A page answered to "?pageSize=<size>&pageToken=<n>".
Page MakePage(std::vector<Json> items, std::optional<std::string> token, std::optional<int64_t> total, int size = 2,
              int number = 0) {
  traffic::Exchange exchange;
  exchange.request.method = "GET";
  exchange.request.url = "http://h/v1/accounts/a/dpoJobs?pageSize=" + std::to_string(size) +
                         (number > 0 ? "&pageToken=p" + std::to_string(number) : "");
  exchange.response.status = 200;
  Json body = {{"dpoJobs", items}};
  if (token) {
    body["nextPageToken"] = *token;
  }
  if (total) {
    body["totalSize"] = *total;
  }
  exchange.response.body = body.dump();
  return ReadPage(ListDpoJobs(), exchange);
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

TEST(StatusLine, NamesAnErrorsCodeWhateverItsSizeButDoesNotReadALargePage) {
  traffic::Exchange error;
  error.response.status = 400;
  error.response.body =
      Json{{"code", 3}, {"message", std::string(100 * 1024, 'm')}, {"details", Json::array()}}
          .dump();
  EXPECT_EQ(StatusLine(error), "400 INVALID_ARGUMENT");
  traffic::Exchange small_success = error;
  small_success.response.status = 200;
  small_success.response.body = R"({"code": 3, "message": "bad", "details": []})";
  EXPECT_EQ(StatusLine(small_success), "200 INVALID_ARGUMENT");  // an error answered with 200
  traffic::Exchange page = error;
  page.response.status = 200;
  page.response.body = Json{{"dpoJobs", Json::array({Job(std::string(100 * 1024, 'j'))})}}.dump();
  EXPECT_EQ(StatusLine(page), "200");
  traffic::Exchange unanswered;
  unanswered.error = "connection refused";
  EXPECT_EQ(StatusLine(unanswered), "connection refused");
}

TEST(ReadPage, ReadsItemsTokenTotalAndRequestedSize) {
  Page page = MakePage({Job("a"), Job("b")}, "t", 5, 2);
  EXPECT_TRUE(page.ok());
  EXPECT_THAT(page.items, SizeIs(2));
  EXPECT_EQ(page.next_token, "t");
  EXPECT_EQ(page.total_size, 5);
  EXPECT_EQ(page.requested_size, 2);
  EXPECT_TRUE(page.has_more());
  EXPECT_FALSE(MakePage({}, "", 0).has_more());
  EXPECT_EQ(page.items_pointer, "/dpoJobs");
}

TEST(ReadPage, ReadsTheBodyItIsGivenInsteadOfParsingAgain) {
  Page raw = MakePage({Job("a"), Job("b")}, "t", 5, 2);
  // What the exchange validator parsed; the text is not read again (here they differ on purpose).
  Json parsed = {{"dpoJobs", Json::array({Job("c")})}, {"totalSize", 1}};
  Page page = ReadPage(ListDpoJobs(), raw.exchange, parsed);
  ASSERT_THAT(page.items, SizeIs(1));
  EXPECT_EQ(page.items[0]["name"], "accounts/a/dpoJobs/c");
  EXPECT_EQ(page.total_size, 1);
  EXPECT_FALSE(page.has_more());
  EXPECT_THAT(ReadPage(ListDpoJobs(), raw.exchange).items, SizeIs(2));
}

TEST(CheckDisjoint, ReportsARepeatWithThePagesUpToIt) {
  Walk walk = MakeWalk({MakePage({Job("a"), Job("b")}, "1", 4), MakePage({Job("b"), Job("c")}, std::nullopt, 4, 2, 1)});
  std::vector<Finding> found;
  CheckDisjoint(walk, found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_EQ(found[0].check_id, "page_walk.disjoint");
  EXPECT_THAT(found[0].message, HasSubstr("'accounts/a/dpoJobs/b' appears twice: at page 1, item 2 and again at page 2, item 1"));
  EXPECT_THAT(found[0].requests, SizeIs(2));
  std::vector<Finding> clean;
  CheckDisjoint(MakeWalk({MakePage({Job("a")}, "1", 2), MakePage({Job("b")}, std::nullopt, 2, 2, 1)}), clean);
  EXPECT_THAT(clean, IsEmpty());
}

// A server whose resources lack `name` (a readMask without it, or a bug) still gets findings
// that fit on a line: the resource's start, not its whole JSON text.
TEST(CheckDisjoint, NamesAResourceWithoutANameByTheStartOfItsText) {
  Json nameless = {{"state", "JOB_STATE_RUNNING"},
                   {"trainingConfig", {{"jinjaTemplate", std::string(500, 'x')}}}};
  Walk walk = MakeWalk(
      {MakePage({nameless, Job("a")}, "1", 3), MakePage({nameless}, std::nullopt, 3, 2, 1)});
  std::vector<Finding> found;
  CheckDisjoint(walk, found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_THAT(
      found[0].message,
      HasSubstr(
          R"('(no name) {"state":"JOB_STATE_RUNNING","trainingConfig":{"jinjaTemplate":"xxxxxxxxxxxxxxxx...' appears twice)"));
  EXPECT_LT(found[0].message.size(), 200u);
  EXPECT_EQ(ItemLabel(Job("a")), "accounts/a/dpoJobs/a");
  EXPECT_EQ(ItemLabel(Json{{"state", "X"}}), R"((no name) {"state":"X"})");
  // A cut never splits a UTF-8 sequence.
  // {"displayName":" is 16 bytes, then 61 a's: the third e-acute straddles byte 80.
  std::string label =
      ItemLabel(Json{{"displayName", std::string(61, 'a') + "\u00e9\u00e9\u00e9\u00e9\u00e9"}});
  ASSERT_TRUE(label.ends_with("..."));
  EXPECT_EQ(static_cast<unsigned char>(label[label.size() - 4]), 0xA9);  // a whole e-acute ends it
  EXPECT_EQ(label.size(), std::string("(no name) ").size() + 79 + 3);
}

TEST(CheckTermination, ReportsCyclesAndRunawaysOnly) {
  std::vector<Finding> found;
  CheckTermination(MakeWalk({MakePage({Job("a")}, "1", 1)}, WalkEnd::kCycle), found);
  CheckTermination(MakeWalk({MakePage({Job("a")}, "1", 1)}, WalkEnd::kRunaway), found);
  CheckTermination(MakeWalk({MakePage({Job("a")}, std::nullopt, 1)}), found);
  CheckTermination(MakeWalk({MakePage({Job("a")}, "1", 1)}, WalkEnd::kErrorPage), found);
  EXPECT_THAT(Ids(found), ElementsAre("page_walk.terminates", "page_walk.terminates"));
}

TEST(CheckPageSizesRespected, ComparesWithRequestAndMaximum) {
  std::vector<Finding> found;
  CheckPageSizesRespected(MakeWalk({MakePage({Job("a"), Job("b"), Job("c")}, std::nullopt, 3, 2)}), 200, found);
  EXPECT_THAT(Ids(found), ElementsAre("page_size.respected"));
  found.clear();
  CheckPageSizesRespected(MakeWalk({MakePage({Job("a"), Job("b"), Job("c")}, std::nullopt, 3, 0)}), 2, found);
  EXPECT_THAT(Ids(found), ElementsAre("page_size.respected"));
  found.clear();
  CheckPageSizesRespected(MakeWalk({MakePage({Job("a"), Job("b")}, std::nullopt, 2, 2)}), 200, found);
  EXPECT_THAT(found, IsEmpty());
}

TEST(CheckTotalSize, StableAndEqualToTheWalk) {
  std::vector<Finding> found;
  CheckTotalSize(MakeWalk({MakePage({Job("a")}, "1", 2), MakePage({Job("b")}, std::nullopt, 2, 2, 1)}), found);
  EXPECT_THAT(found, IsEmpty());
  CheckTotalSize(MakeWalk({MakePage({Job("a")}, "1", 1), MakePage({Job("b")}, std::nullopt, 1, 2, 1)}), found);
  EXPECT_THAT(Ids(found), ElementsAre("total_size.matches_walk"));
  found.clear();
  CheckTotalSize(MakeWalk({MakePage({Job("a")}, "1", 1), MakePage({Job("b")}, std::nullopt, 2, 2, 1)}), found);
  EXPECT_THAT(Ids(found), ElementsAre("total_size.stable", "total_size.matches_walk"));
  found.clear();
  CheckTotalSize(MakeWalk({MakePage({Job("a")}, std::nullopt, std::nullopt)}), found);
  EXPECT_THAT(found, IsEmpty());
}

TEST(CheckLastPageToken, ReportsATokenThatLeadsToAnEmptyPage) {
  std::vector<Finding> found;
  CheckLastPageToken(MakeWalk({MakePage({Job("a")}, "1", 1), MakePage({}, std::nullopt, 1, 2, 1)}), found);
  EXPECT_THAT(Ids(found), ElementsAre("page_walk.last_page_token"));
  found.clear();
  // An empty page in the middle is allowed (AIP-158: a short page is not the end).
  CheckLastPageToken(MakeWalk({MakePage({}, "1", 1), MakePage({Job("a")}, std::nullopt, 1, 2, 1)}), found);
  EXPECT_THAT(found, IsEmpty());
}

aip::OrderBy Order(const std::string& text) { return *aip::ParseOrderBy(text, ListDpoJobs().catalog); }

TEST(CheckOrder, FindsAnInversionAcrossPages) {
  Walk walk = MakeWalk({MakePage({Job("a", "X", "2024-01-03T00:00:00Z"), Job("b", "X", "2024-01-02T00:00:00Z")}, "1", 3),
                        MakePage({Job("c", "X", "2024-01-05T00:00:00Z")}, std::nullopt, 3, 2, 1)});
  std::vector<Finding> found;
  CheckOrder(walk, Order("createTime desc"), "order.fields", found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_THAT(found[0].message, HasSubstr("across pages 1-2"));
  EXPECT_THAT(found[0].requests, SizeIs(2));
  found.clear();
  CheckOrder(walk, Order("createTime"), "order.fields", found);
  EXPECT_THAT(found, SizeIs(1));
}

TEST(CheckOrder, TimestampsCompareAsInstantsWhateverTheOffset) {
  Walk walk = MakeWalk({MakePage({Job("a", "X", "2024-01-01T10:00:00+05:00"), Job("b", "X", "2024-01-01T06:00:00Z")},
                                 std::nullopt, 2)});
  std::vector<Finding> found;
  CheckOrder(walk, Order("createTime"), "order.fields", found);
  EXPECT_THAT(found, IsEmpty());
}

TEST(CheckOrder, EnumsMayOrderByDeclarationOrByName) {
  // RUNNING is declared before COMPLETED; by name COMPLETED comes first. Both orders are fine.
  Walk by_declaration = MakeWalk({MakePage({Job("a", "JOB_STATE_RUNNING"), Job("b", "JOB_STATE_COMPLETED")}, std::nullopt, 2)});
  Walk by_name = MakeWalk({MakePage({Job("a", "JOB_STATE_COMPLETED"), Job("b", "JOB_STATE_RUNNING")}, std::nullopt, 2)});
  Walk neither = MakeWalk({MakePage({Job("a", "JOB_STATE_RUNNING"), Job("b", "JOB_STATE_COMPLETED"),
                                     Job("c", "JOB_STATE_CREATING")},
                                    std::nullopt, 3)});
  std::vector<Finding> found;
  CheckOrder(by_declaration, Order("state"), "order.fields", found);
  CheckOrder(by_name, Order("state"), "order.fields", found);
  EXPECT_THAT(found, IsEmpty());
  CheckOrder(neither, Order("state"), "order.fields", found);
  EXPECT_THAT(found, SizeIs(1));
}

TEST(CheckOrder, AGoogleRpcCodeEnumMayOrderByItsNumbers) {
  // The seed's gatewayCode "mimics google/rpc/code.proto": a server backed by the proto sorts
  // UNAVAILABLE (14), DATA_LOSS (15), UNAUTHENTICATED (16), neither as declared nor by name.
  auto with_code = [](const std::string& id, const std::string& code) {
    Json job = Job(id);
    job["status"] = {{"code", code}};
    return job;
  };
  Walk by_number = MakeWalk({MakePage({with_code("a", "UNAVAILABLE"), with_code("b", "DATA_LOSS"),
                                       with_code("c", "UNAUTHENTICATED")},
                                      std::nullopt, 3)});
  Walk no_order = MakeWalk({MakePage({with_code("a", "DATA_LOSS"), with_code("b", "UNAVAILABLE"),
                                      with_code("c", "UNAUTHENTICATED")},
                                     std::nullopt, 3)});
  std::vector<Finding> found;
  CheckOrder(by_number, Order("status.code"), "order.fields", found);
  EXPECT_THAT(found, IsEmpty());
  CheckOrder(no_order, Order("status.code"), "order.fields", found);
  EXPECT_THAT(found, SizeIs(1));
}

// Jobs a, b, c... with these displayNames; nullopt leaves the field out.
Walk ByDisplayName(const std::vector<std::optional<std::string>>& names) {
  std::vector<Json> jobs;
  for (const std::optional<std::string>& name : names) {
    Json job = Job(std::string(1, static_cast<char>('a' + jobs.size())));
    if (name) {
      job["displayName"] = *name;
    }
    jobs.push_back(std::move(job));
  }
  const auto size = static_cast<int64_t>(jobs.size());
  return MakeWalk({MakePage(std::move(jobs), std::nullopt, size, static_cast<int>(size))});
}

TEST(CheckOrder, ResourcesWithoutTheFieldSortTogetherAtEitherEnd) {
  // AIP-132 does not say where they go: proto3 reads "" (first), PostgreSQL NULL (last
  // ascending, first descending), others NULL first or last whatever the direction.
  const std::optional<std::string> absent;
  for (const auto& [names, order] :
       std::vector<std::pair<std::vector<std::optional<std::string>>, std::string>>{
           {{absent, absent, "a", "b"}, "displayName"},
           {{"a", "b", absent, absent}, "displayName"},
           {{"b", "a", absent}, "displayName desc"},
           {{absent, "b", "a"}, "displayName desc"},
       }) {
    std::vector<Finding> found;
    CheckOrder(ByDisplayName(names), Order(order), "order.fields", found);
    EXPECT_THAT(found, IsEmpty()) << order << ": " << found.front().message;
  }
  // Not between the others, and the others still in order.
  for (const auto& [names, order] :
       std::vector<std::pair<std::vector<std::optional<std::string>>, std::string>>{
           {{"a", absent, "b"}, "displayName"},
           {{absent, "a", absent, "b"}, "displayName"},
           {{absent, "b", "a"}, "displayName"},
           {{"a", "b", absent}, "displayName desc"},
       }) {
    std::vector<Finding> found;
    CheckOrder(ByDisplayName(names), Order(order), "order.fields", found);
    ASSERT_THAT(found, SizeIs(1)) << order;
  }
  std::vector<Finding> found;
  CheckOrder(ByDisplayName({"a", absent, "b"}), Order("displayName"), "order.fields", found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_THAT(found[0].expected, HasSubstr("displayName absent"));
}

TEST(CheckOrder, AnUnsetTimestampSortsAtAnEndNotBetween) {
  Json unset = Job("b");
  unset.erase("createTime");
  const Json early = Job("a", "X", "2024-01-03T00:00:00Z");
  const Json late = Job("c", "X", "2024-01-04T00:00:00Z");
  std::vector<Finding> found;
  CheckOrder(MakeWalk({MakePage({unset, early, late}, std::nullopt, 3, 3)}), Order("createTime"),
             "order.fields", found);
  CheckOrder(MakeWalk({MakePage({early, late, unset}, std::nullopt, 3, 3)}), Order("createTime"),
             "order.fields", found);
  EXPECT_THAT(found, IsEmpty());
  CheckOrder(MakeWalk({MakePage({early, unset, late}, std::nullopt, 3, 3)}), Order("createTime"),
             "order.fields", found);
  EXPECT_THAT(found, SizeIs(1));
}

TEST(CheckOrder, PairsWithAValueOfTheWrongTypeAreNotJudged) {
  // A number where a timestamp belongs is response.schema's finding, not an ordering one.
  Json odd = Job("b");
  odd["createTime"] = 42;
  Walk walk = MakeWalk(
      {MakePage({Job("a", "X", "2024-01-03T00:00:00Z"), odd, Job("c", "X", "2024-01-04T00:00:00Z")},
                std::nullopt, 3)});
  std::vector<Finding> found;
  CheckOrder(walk, Order("createTime"), "order.fields", found);
  EXPECT_THAT(found, IsEmpty());
}

TEST(CheckFilter, SoundAndComplete) {
  auto filter = aip::ParseFilter("state = JOB_STATE_RUNNING", ListDpoJobs().catalog);
  ASSERT_THAT(filter, IsOk());
  Walk all = MakeWalk({MakePage({Job("a", "JOB_STATE_RUNNING"), Job("b", "JOB_STATE_FAILED"), Job("c", "JOB_STATE_RUNNING")},
                                std::nullopt, 3)});
  Walk unsound = MakeWalk({MakePage({Job("a", "JOB_STATE_RUNNING"), Job("b", "JOB_STATE_FAILED")}, std::nullopt, 2)});
  Walk incomplete = MakeWalk({MakePage({Job("a", "JOB_STATE_RUNNING")}, std::nullopt, 1)});
  std::vector<Finding> found;
  CheckFilterSound(unsound, *filter, found);
  ASSERT_THAT(Ids(found), ElementsAre("filter.sound"));
  EXPECT_EQ(found[0].json_pointer, "/dpoJobs/1");
  found.clear();
  CheckFilterComplete(incomplete, all, *filter, found);
  ASSERT_THAT(Ids(found), ElementsAre("filter.complete"));
  EXPECT_THAT(found[0].message, HasSubstr("first: 'accounts/a/dpoJobs/c'"));
  found.clear();
  CheckFilterSound(incomplete, *filter, found);
  EXPECT_THAT(found, IsEmpty());
}

TEST(CheckFilter, AResourceAIP160LeavesOpenMayBeReturnedOrNot) {
  // Job "a" has no completedTime: `NOT completedTime = X` holds for it here, not for a
  // SQL-backed server. Both answers pass; the job that surely matches must still come back.
  auto filter = aip::ParseFilter(R"(NOT completedTime = "2024-01-01T00:00:00Z")", ListDpoJobs().catalog);
  ASSERT_THAT(filter, IsOk());
  Json done = Job("b", "JOB_STATE_COMPLETED");
  done["completedTime"] = "2024-02-01T00:00:00Z";
  Walk all = MakeWalk({MakePage({Job("a"), done}, std::nullopt, 2)});
  Walk with_a = MakeWalk({MakePage({Job("a"), done}, std::nullopt, 2, 2)});
  Walk without_a = MakeWalk({MakePage({done}, std::nullopt, 1, 2)});
  Walk neither = MakeWalk({MakePage({}, std::nullopt, 0, 2)});
  std::vector<Finding> found;
  for (const Walk* walk : {&with_a, &without_a}) {
    CheckFilterSound(*walk, *filter, found);
    CheckFilterComplete(*walk, all, *filter, found);
    CheckFilteredTotalSize(*walk, all, *filter, found);
  }
  EXPECT_THAT(found, IsEmpty());
  CheckFilterComplete(neither, all, *filter, found);
  CheckFilteredTotalSize(neither, all, *filter, found);
  ASSERT_THAT(Ids(found), ElementsAre("filter.complete", "total_size.filtered"));
  EXPECT_THAT(found[1].message, HasSubstr("but 1 to 2 resources match"));
}

TEST(CheckSameSequence, ReportsTheFirstDifference) {
  Walk a = MakeWalk({MakePage({Job("a"), Job("b")}, std::nullopt, 2)});
  Walk b = MakeWalk({MakePage({Job("a")}, "1", 2), MakePage({Job("c")}, std::nullopt, 2, 1, 1)});
  std::vector<Finding> found;
  CheckSameSequence(a, b, "page_walk.consistent_page_sizes", "two page sizes", found);
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_THAT(found[0].message, HasSubstr("item 2 differs"));
  found.clear();
  CheckSameSequence(a, a, "page_walk.consistent_page_sizes", "same", found);
  EXPECT_THAT(found, IsEmpty());
}

// A scripted server: responses keyed by the pageToken sent.
SendFn Script(std::map<std::string, Json> pages, int* calls) {
  return [pages = std::move(pages), calls](const traffic::Request& request) {
    ++*calls;
    auto url = traffic::ParseUrl(request.url);
    std::string token = traffic::QueryValue(url->query, "pageToken").value_or("");
    traffic::Exchange exchange;
    exchange.request = request;
    auto found = pages.find(token);
    exchange.response.status = found == pages.end() ? 400 : 200;
    exchange.response.body = found == pages.end() ? R"({"code": 3, "message": "bad token"})" : found->second.dump();
    return exchange;
  };
}

TEST(WalkPages, FollowsTokensToTheLastPage) {
  int calls = 0;
  SendFn send = Script({{"", {{"dpoJobs", {Job("a")}}, {"nextPageToken", "t1"}}},
                        {"t1", {{"dpoJobs", Json::array()}, {"nextPageToken", "t2"}}},
                        {"t2", {{"dpoJobs", {Job("b")}}}}},
                       &calls);
  Walk walk = WalkPages(ListDpoJobs(), {.base_url = "http://h", .path = "/v1/accounts/a/dpoJobs"},
                        {.filter = "state = X"}, {"1"}, send, {});
  EXPECT_TRUE(walk.complete());
  EXPECT_EQ(calls, 3);
  EXPECT_THAT(walk.Items(), SizeIs(2));
  EXPECT_THAT(walk.pages[1].exchange.request.url, HasSubstr("pageToken=t1"));
  EXPECT_THAT(walk.pages[1].exchange.request.url, HasSubstr("filter=state%20%3D%20X"));
}

TEST(WalkPages, StopsOnACycle) {
  int calls = 0;
  SendFn send = Script({{"", {{"dpoJobs", {Job("a")}}, {"nextPageToken", "t1"}}},
                        {"t1", {{"dpoJobs", {Job("b")}}, {"nextPageToken", "t1"}}}},
                       &calls);
  Walk walk = WalkPages(ListDpoJobs(), {.base_url = "http://h", .path = "/p"}, {}, {}, send, {});
  EXPECT_EQ(walk.end, WalkEnd::kCycle);
  EXPECT_EQ(calls, 2);
}

TEST(WalkPages, StopsRunawaysEarly) {
  int calls = 0;
  SendFn endless = [&calls](const traffic::Request& request) {
    traffic::Exchange exchange;
    exchange.request = request;
    exchange.response.status = 200;
    exchange.response.body =
        Json{{"dpoJobs", {Job("j" + std::to_string(calls))}}, {"nextPageToken", "t" + std::to_string(calls)}, {"totalSize", 4}}
            .dump();
    ++calls;
    return exchange;
  };
  Walk walk = WalkPages(ListDpoJobs(), {.base_url = "http://h", .path = "/p"}, {}, {}, endless, {});
  EXPECT_EQ(walk.end, WalkEnd::kRunaway);
  EXPECT_LE(calls, 3 * 5 + 10);

  calls = 0;
  SendFn empty = [&calls](const traffic::Request& request) {
    traffic::Exchange exchange;
    exchange.request = request;
    exchange.response.status = 200;
    exchange.response.body = Json{{"nextPageToken", "t" + std::to_string(calls++)}}.dump();
    return exchange;
  };
  Walk empty_walk = WalkPages(ListDpoJobs(), {.base_url = "http://h", .path = "/p"}, {}, {}, empty, {});
  EXPECT_EQ(empty_walk.end, WalkEnd::kRunaway);
  EXPECT_EQ(calls, 20);
}

TEST(WalkPages, StopsAtAnErrorPage) {
  int calls = 0;
  SendFn send = Script({{"", {{"dpoJobs", {Job("a")}}, {"nextPageToken", "gone"}}}}, &calls);
  Walk walk = WalkPages(ListDpoJobs(), {.base_url = "http://h", .path = "/p"}, {}, {}, send, {});
  EXPECT_EQ(walk.end, WalkEnd::kErrorPage);
  EXPECT_THAT(walk.end_detail, HasSubstr("page 2 answered 400"));
}

}  // namespace
}  // namespace list_oracles_test
}  // namespace conform::validator
