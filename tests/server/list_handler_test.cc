// The ListDpoJobs handler without HTTP: pageSize rules, filter/orderBy/readMask, page tokens,
// the auth matrix of AIP-193, error shapes and routing, consistency under churn.
#include "server/list_handler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "aip/filter.h"
#include "aip/order_by.h"
#include "aip/time.h"
#include "server/served_contract.h"
#include "tests/server/server_test_util.h"
#include "tests/support/result_matchers.h"
#include "validator/rpc_codes.h"

namespace conform::server {
namespace list_handler_test {
namespace {

using Json = nlohmann::json;
using testing::Body;
using ::testing::HasSubstr;
using testing::List;
using testing::Names;
using testing::NextToken;

class ListHandlerTest : public ::testing::Test {
 protected:
  std::shared_ptr<JobStore> store_ = testing::GeneratedStore(240);
  std::unique_ptr<ListHandler> handler_ = testing::MakeHandler(store_);

  ApiResponse Acme(traffic::QueryParams params = {}) {
    return List(*handler_, "acme", "acme-key", std::move(params));
  }
  size_t PageItems(traffic::QueryParams params) {
    return Names(Body(Acme(std::move(params)))).size();
  }
};

TEST_F(ListHandlerTest, FirstPageHasDefaultSizeTokenAndTotal) {
  ApiResponse response = Acme();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "application/json");
  Json body = Body(response);
  EXPECT_EQ(Names(body).size(), 50u);
  EXPECT_FALSE(NextToken(body).empty());
  EXPECT_EQ(body["totalSize"], 240);
}

TEST_F(ListHandlerTest, PageSizeZeroMeansDefault) {
  EXPECT_EQ(PageItems({{"pageSize", "0"}}), 50u);
}

TEST_F(ListHandlerTest, PageSizeIsHonoured) { EXPECT_EQ(PageItems({{"pageSize", "7"}}), 7u); }

TEST_F(ListHandlerTest, PageSizeAboveMaximumIsCoercedTo200) {
  EXPECT_EQ(PageItems({{"pageSize", "201"}}), 200u);
  EXPECT_EQ(PageItems({{"pageSize", "2147483647"}}), 200u);
}

TEST_F(ListHandlerTest, PageSizeSnakeCaseAliasIsRead) {
  EXPECT_EQ(PageItems({{"page_size", "3"}}), 3u);
}

TEST_F(ListHandlerTest, InvalidPageSizesAreRejected) {
  for (const char* bad : {"-1", "-2147483648", "abc", "", "1.5", "+5", "5 ", "2147483648",
                          "99999999999999999999", "-", "0x10"}) {
    ApiResponse response = Acme({{"pageSize", bad}});
    EXPECT_EQ(response.status, 400) << bad;
    EXPECT_EQ(testing::RpcCode(response), 3) << bad;
    EXPECT_EQ(testing::Reason(response), "INVALID_PAGE_SIZE") << bad;
    EXPECT_THAT(Body(response).value("message", ""), HasSubstr("pageSize")) << bad;
  }
}

TEST_F(ListHandlerTest, DuplicateParameterIsRejected) {
  ApiResponse response = Acme({{"pageSize", "3"}, {"page_size", "4"}});
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(testing::Reason(response), "DUPLICATE_PARAMETER");
}

TEST_F(ListHandlerTest, UnknownQueryParametersAreIgnored) {
  EXPECT_EQ(PageItems({{"pageSize", "4"}, {"$alt", "json"}, {"cachebust", "1"}}), 4u);
}

TEST_F(ListHandlerTest, DefaultOrderIsNameAscending) {
  testing::Walk walk = testing::WalkPages(*handler_, "acme", "acme-key", {}, {37});
  EXPECT_TRUE(walk.finished);
  EXPECT_EQ(walk.names.size(), 240u);
  EXPECT_TRUE(std::is_sorted(walk.names.begin(), walk.names.end()));
  EXPECT_FALSE(testing::HasDuplicates(walk.names));
}

TEST_F(ListHandlerTest, WalkWithFilterAndOrderEqualsSortedFilteredCollection) {
  auto served = EmbeddedServedContract();
  ASSERT_THAT(served, IsOk());
  const aip::FieldCatalog& catalog = (*served)->list->catalog;
  const std::string filter = "state = JOB_STATE_COMPLETED OR trainingConfig.epochs >= 4";
  const std::string order = "trainingConfig.region desc, createTime";
  testing::Walk walk = testing::WalkPages(*handler_, "acme", "acme-key",
                                          {{"filter", filter}, {"orderBy", order}}, {9, 2, 31});
  ASSERT_TRUE(walk.finished);

  auto parsed_filter = aip::ParseFilter(filter, catalog);
  auto parsed_order = aip::WithTieBreaker(*aip::ParseOrderBy(order, catalog), "name", catalog);
  ASSERT_THAT(parsed_filter, IsOk());
  ASSERT_THAT(parsed_order, IsOk());
  std::vector<Json> expected;
  std::optional<AccountSnapshot> snapshot = store_->Snapshot("acme");
  ASSERT_TRUE(snapshot.has_value());
  for (const auto& job : snapshot->jobs) {
    if (aip::Matches(*parsed_filter, job->resource)) {
      expected.push_back(job->resource);
    }
  }
  std::sort(expected.begin(), expected.end(),
            [&](const Json& a, const Json& b) { return aip::Compare(*parsed_order, a, b) < 0; });
  std::vector<std::string> expected_names;
  for (const Json& job : expected) {
    expected_names.push_back(job["name"]);
  }
  EXPECT_EQ(walk.names, expected_names);
  for (const Json& page : walk.pages) {
    EXPECT_EQ(page["totalSize"], expected.size());
  }
}

TEST_F(ListHandlerTest, DescendingOrderIsApplied) {
  Json body = Body(Acme({{"orderBy", "createTime desc"}, {"pageSize", "100"}}));
  std::vector<aip::Instant> times;
  for (const Json& job : body["dpoJobs"]) {
    times.push_back(*aip::ParseRfc3339(job["createTime"].get<std::string>()));
  }
  EXPECT_TRUE(std::is_sorted(times.rbegin(), times.rend()));
}

TEST_F(ListHandlerTest, LastPageHasNoToken) {
  Json body = Body(List(*handler_, "tiny", "tiny-key", {{"pageSize", "3"}}));
  EXPECT_EQ(Names(body).size(), 3u);
  EXPECT_FALSE(body.contains("nextPageToken"));
  EXPECT_EQ(body["totalSize"], 3);
}

TEST_F(ListHandlerTest, EmptyAccountGivesEmptyPage) {
  ApiResponse response = List(*handler_, "empty", "empty-key");
  EXPECT_EQ(response.status, 200);
  Json body = Body(response);
  EXPECT_TRUE(body["dpoJobs"].empty());
  EXPECT_FALSE(body.contains("nextPageToken"));
  EXPECT_EQ(body["totalSize"], 0);
}

TEST_F(ListHandlerTest, FilterErrorsNameParameterAndColumn) {
  ApiResponse response = Acme({{"filter", "state = JOB_STATE_RUNNING AND nosuch > 3"}});
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(testing::Reason(response), "INVALID_FILTER");
  std::string message = Body(response).value("message", "");
  EXPECT_THAT(message, HasSubstr("filter"));
  EXPECT_THAT(message, HasSubstr("column 31"));
  EXPECT_EQ(Body(response)["details"][0]["metadata"]["column"], "31");
}

TEST_F(ListHandlerTest, OrderByAndReadMaskErrorsNameParameterAndColumn) {
  ApiResponse order = Acme({{"orderBy", "createTime desc, nosuch"}});
  EXPECT_EQ(order.status, 400);
  EXPECT_EQ(testing::Reason(order), "INVALID_ORDER_BY");
  EXPECT_THAT(Body(order).value("message", ""), HasSubstr("orderBy: column"));
  ApiResponse mask = Acme({{"readMask", "name,nosuch"}});
  EXPECT_EQ(mask.status, 400);
  EXPECT_EQ(testing::Reason(mask), "INVALID_READ_MASK");
  EXPECT_THAT(Body(mask).value("message", ""), HasSubstr("readMask: column 6"));
}

TEST_F(ListHandlerTest, ReadMaskProjectsEachJob) {
  Json body = Body(Acme({{"readMask", "name,trainingConfig.region"}, {"pageSize", "20"}}));
  ASSERT_EQ(body["dpoJobs"].size(), 20u);
  for (const Json& job : body["dpoJobs"]) {
    EXPECT_TRUE(job.contains("name"));
    EXPECT_LE(job.size(), 2u);
    if (job.contains("trainingConfig")) {
      EXPECT_EQ(job["trainingConfig"].size(), 1u);
      EXPECT_TRUE(job["trainingConfig"].contains("region"));
    }
  }
}

TEST_F(ListHandlerTest, ReadMaskStarEmptyAndAbsentAreTheSame) {
  std::string all = Acme({{"pageSize", "5"}}).body;
  Json star = Body(Acme({{"pageSize", "5"}, {"readMask", "*"}}));
  Json empty = Body(Acme({{"pageSize", "5"}, {"readMask", ""}}));
  EXPECT_EQ(star["dpoJobs"], Body(Acme({{"pageSize", "5"}}))["dpoJobs"]);
  EXPECT_EQ(empty["dpoJobs"], Body(Acme({{"pageSize", "5"}}))["dpoJobs"]);
  EXPECT_FALSE(all.empty());
}

TEST_F(ListHandlerTest, WandbApiKeyIsNeverListed) {
  std::vector<std::string> secrets;
  for (const Json& job : GenerateJobs("acme", 240, 7)) {
    if (job.contains("wandbConfig") && job["wandbConfig"].contains("apiKey")) {
      secrets.push_back(job["wandbConfig"]["apiKey"]);
    }
  }
  ASSERT_FALSE(secrets.empty());
  for (const traffic::QueryParams& params :
       {traffic::QueryParams{{"pageSize", "200"}},
        traffic::QueryParams{{"pageSize", "200"}, {"readMask", "wandbConfig"}},
        traffic::QueryParams{{"pageSize", "200"}, {"readMask", "wandbConfig.apiKey"}},
        traffic::QueryParams{{"pageSize", "200"}, {"filter", "wandbConfig.apiKey:*"}}}) {
    testing::Walk walk = testing::WalkPages(*handler_, "acme", "acme-key", params, {});
    for (const Json& page : walk.pages) {
      std::string text = page.dump();
      EXPECT_EQ(text.find("apiKey"), std::string::npos);
      for (const std::string& secret : secrets) {
        EXPECT_EQ(text.find(secret), std::string::npos);
      }
    }
  }
}

// --- Page tokens ---------------------------------------------------------------------------

TEST_F(ListHandlerTest, PageSizeMayChangeBetweenPages) {
  Json first = Body(Acme({{"pageSize", "5"}}));
  Json second = Body(Acme({{"pageSize", "12"}, {"pageToken", NextToken(first)}}));
  EXPECT_EQ(Names(second).size(), 12u);
  std::vector<std::string> all = Names(Body(Acme({{"pageSize", "17"}})));
  std::vector<std::string> joined = Names(first);
  for (const std::string& name : Names(second)) {
    joined.push_back(name);
  }
  EXPECT_EQ(joined, all);
}

TEST_F(ListHandlerTest, EveryTamperedTokenCharacterIsRejected) {
  std::string token = NextToken(Body(Acme({{"pageSize", "3"}})));
  ASSERT_FALSE(token.empty());
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (size_t i = 0; i < token.size(); ++i) {
    std::string tampered = token;
    // The next character of the alphabet: a change in every bit position over the positions.
    tampered[i] = alphabet[(alphabet.find(token[i]) + 1 + i % 7) % alphabet.size()];
    ApiResponse response = Acme({{"pageSize", "3"}, {"pageToken", tampered}});
    EXPECT_EQ(response.status, 400) << "position " << i;
    EXPECT_EQ(testing::Reason(response), "INVALID_PAGE_TOKEN") << "position " << i;
  }
}

TEST_F(ListHandlerTest, TruncatedExtendedAndGarbageTokensAreRejected) {
  std::string token = NextToken(Body(Acme({{"pageSize", "3"}})));
  std::vector<std::string> bad = {token.substr(0, token.size() - 1),
                                  token.substr(1),
                                  token + "A",
                                  token + "=",
                                  "garbage",
                                  "%%%",
                                  "\x01\x02",
                                  std::string(5000, 'A'),
                                  std::string("abc\0def", 7),
                                  "\xff\xfe\xfd"};
  for (const std::string& text : bad) {
    ApiResponse response = Acme({{"pageToken", text}});
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(testing::RpcCode(response), 3);
  }
}

TEST_F(ListHandlerTest, EmptyTokenIsTheFirstPage) {
  EXPECT_EQ(Names(Body(Acme({{"pageSize", "4"}, {"pageToken", ""}}))),
            Names(Body(Acme({{"pageSize", "4"}}))));
}

TEST_F(ListHandlerTest, TokenOfAnotherServerSecretIsRejected) {
  auto other = testing::MakeHandler(store_, {}, "another-secret-of-32-bytes-......");
  std::string token = NextToken(Body(List(*other, "acme", "acme-key", {{"pageSize", "2"}})));
  ApiResponse response = Acme({{"pageToken", token}});
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(testing::Reason(response), "INVALID_PAGE_TOKEN");
}

TEST_F(ListHandlerTest, TokenOfAnotherAccountIsRejected) {
  ASSERT_THAT(store_->AddJob({{"name", "accounts/tiny/dpoJobs/zzz-extra"}, {"dataset", "d"}}),
              IsOk());
  std::string token = NextToken(Body(List(*handler_, "tiny", "tiny-key", {{"pageSize", "1"}})));
  ASSERT_FALSE(token.empty());
  ApiResponse response = Acme({{"pageSize", "1"}, {"pageToken", token}});
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(testing::Reason(response), "PAGE_TOKEN_MISMATCH");
  EXPECT_THAT(Body(response).value("message", ""), HasSubstr("another account"));
}

TEST_F(ListHandlerTest, TokenIsBoundToFilterOrderByAndReadMask) {
  const traffic::QueryParams base = {{"filter", "trainingConfig.epochs > 1"},
                                     {"orderBy", "createTime desc"},
                                     {"readMask", "name,createTime"},
                                     {"pageSize", "4"}};
  std::string token = NextToken(Body(Acme(base)));
  ASSERT_FALSE(token.empty());
  auto with = [&](const std::string& name, const std::string& value) {
    traffic::QueryParams params;
    for (const auto& [k, v] : base) {
      params.emplace_back(k, k == name ? value : v);
    }
    params.emplace_back("pageToken", token);
    return Acme(params);
  };
  EXPECT_EQ(with("pageSize", "9").status, 200);
  // Same canonical form: still accepted.
  EXPECT_EQ(with("orderBy", "  createTime   desc ").status, 200);
  EXPECT_EQ(with("readMask", "createTime, name").status, 200);
  EXPECT_EQ(with("filter", "trainingConfig.epochs  >  1").status, 200);
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"filter", "trainingConfig.epochs > 2"},
                                                        {"filter", ""},
                                                        {"orderBy", "createTime"},
                                                        {"orderBy", ""},
                                                        {"readMask", "name"},
                                                        {"readMask", "*"}}) {
    ApiResponse response = with(name, value);
    EXPECT_EQ(response.status, 400) << name << "=" << value;
    EXPECT_EQ(testing::Reason(response), "PAGE_TOKEN_MISMATCH") << name << "=" << value;
  }
}

TEST_F(ListHandlerTest, TokensHoldNoOffsetSoChurnNeverRepeatsOrSkips) {
  Json first = Body(Acme({{"pageSize", "10"}}));
  std::vector<std::string> page_one = Names(first);
  // Delete jobs before and after the position, insert some on both sides.
  EXPECT_TRUE(store_->DeleteJob(page_one[0]));
  EXPECT_TRUE(store_->DeleteJob(page_one[5]));
  ASSERT_THAT(store_->AddJob({{"name", "accounts/acme/dpoJobs/0000-first"}, {"dataset", "d"}}),
              IsOk());
  ASSERT_THAT(store_->AddJob({{"name", "accounts/acme/dpoJobs/zzzz-last"}, {"dataset", "d"}}),
              IsOk());
  std::vector<std::string> walked = page_one;
  std::string token = NextToken(first);
  while (!token.empty()) {
    Json page = Body(Acme({{"pageSize", "10"}, {"pageToken", token}}));
    for (const std::string& name : Names(page)) {
      walked.push_back(name);
    }
    token = NextToken(page);
  }
  EXPECT_FALSE(testing::HasDuplicates(walked));
  EXPECT_TRUE(std::is_sorted(walked.begin(), walked.end()));
  // Every job present for the whole walk appears; the late insert after the position too.
  EXPECT_EQ(walked.size(), 240u + 1u);
  EXPECT_EQ(walked.back(), "accounts/acme/dpoJobs/zzzz-last");
}

TEST_F(ListHandlerTest, DeletingTheLastReturnedItemKeepsThePosition) {
  Json first = Body(Acme({{"pageSize", "10"}}));
  std::vector<std::string> page_one = Names(first);
  EXPECT_TRUE(store_->DeleteJob(page_one.back()));
  Json second = Body(Acme({{"pageSize", "10"}, {"pageToken", NextToken(first)}}));
  std::vector<std::string> all = Names(Body(Acme({{"pageSize", "21"}})));
  // all no longer holds the deleted job: page two is all[9..19).
  EXPECT_EQ(Names(second), std::vector<std::string>(all.begin() + 9, all.begin() + 19));
}

// --- Auth (AIP-193 order) --------------------------------------------------------------------

TEST_F(ListHandlerTest, MissingAuthorizationIsUnauthenticated) {
  ApiResponse response = List(*handler_, "acme", "");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(testing::RpcCode(response), 16);
  EXPECT_EQ(testing::Reason(response), "MISSING_CREDENTIALS");
  bool challenge = false;
  for (const auto& header : response.headers) {
    challenge = challenge || header.name == "WWW-Authenticate";
  }
  EXPECT_TRUE(challenge);
}

TEST_F(ListHandlerTest, MalformedOrUnknownKeysAreUnauthenticated) {
  for (const char* header : {"Bearer", "Bearer ", "Basic YWNtZTprZXk=", "acme-key",
                             "Bearer wrong-key", "Bearer acme-key extra", "Token acme-key"}) {
    ApiRequest request{.path = "/v1/accounts/acme/dpoJobs", .authorization = header};
    ApiResponse response = handler_->Handle(request);
    EXPECT_EQ(response.status, 401) << header;
    EXPECT_EQ(testing::RpcCode(response), 16) << header;
  }
}

TEST_F(ListHandlerTest, BearerSchemeIsCaseInsensitive) {
  ApiRequest request{.path = "/v1/accounts/acme/dpoJobs", .authorization = "bearer  acme-key"};
  EXPECT_EQ(handler_->Handle(request).status, 200);
}

TEST_F(ListHandlerTest, KeyOfAnotherAccountIsDeniedBeforeExistence) {
  ApiResponse existing = List(*handler_, "acme", "tiny-key");
  EXPECT_EQ(existing.status, 403);
  EXPECT_EQ(testing::RpcCode(existing), 7);
  // The same answer for an account that does not exist: nothing leaks.
  ApiResponse missing = List(*handler_, "no-such-account", "tiny-key");
  EXPECT_EQ(missing.status, 403);
  EXPECT_EQ(testing::RpcCode(missing), 7);
}

TEST_F(ListHandlerTest, KeyHolderOfAccountWithoutDataGetsNotFound) {
  ApiResponse response = List(*handler_, "ghost", "ghost-key");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(testing::RpcCode(response), 5);
  EXPECT_EQ(testing::Reason(response), "ACCOUNT_NOT_FOUND");
}

TEST_F(ListHandlerTest, PageTokenIsNotAuthorization) {
  std::string token = NextToken(Body(Acme({{"pageSize", "3"}})));
  ApiResponse response = List(*handler_, "acme", "", {{"pageToken", token}});
  EXPECT_EQ(response.status, 401);
  ApiResponse other = List(*handler_, "acme", "tiny-key", {{"pageToken", token}});
  EXPECT_EQ(other.status, 403);
}

TEST_F(ListHandlerTest, AuthIsCheckedBeforeArguments) {
  EXPECT_EQ(List(*handler_, "acme", "", {{"pageSize", "-1"}}).status, 401);
  EXPECT_EQ(List(*handler_, "acme", "", {{"pageSize", "1"}, {"pageSize", "2"}}).status, 401);
  EXPECT_EQ(List(*handler_, "acme", "tiny-key", {{"filter", "((("}}).status, 403);
}

// --- Errors and routing ----------------------------------------------------------------------

TEST_F(ListHandlerTest, EveryErrorIsAGoogleRpcStatusWithMappedHttpStatus) {
  std::vector<ApiResponse> errors = {
      List(*handler_, "acme", ""),
      List(*handler_, "acme", "tiny-key"),
      List(*handler_, "ghost", "ghost-key"),
      Acme({{"pageSize", "-3"}}),
      Acme({{"pageToken", "nope"}}),
      handler_->Handle({.path = "/v1/accounts/acme/dpoJobs/x"}),
      handler_->Handle({.method = "DELETE", .path = "/v1/accounts/acme/dpoJobs"}),
      handler_->ErrorResponse(13, "INTERNAL", "boom"),
  };
  for (const ApiResponse& response : errors) {
    Json body = Body(response);
    ASSERT_TRUE(body.is_object()) << response.body;
    EXPECT_TRUE(body["code"].is_number_integer());
    EXPECT_TRUE(body["message"].is_string());
    EXPECT_TRUE(body["details"].is_array());
    EXPECT_EQ(body["details"][0]["@type"], "type.googleapis.com/google.rpc.ErrorInfo");
    EXPECT_EQ(body["details"][0]["domain"], "conform.local");
    EXPECT_EQ(response.status, validator::HttpStatusForRpcCode(body["code"].get<int>()));
    EXPECT_EQ(response.content_type, "application/json");
  }
}

TEST_F(ListHandlerTest, UnknownPathsAreNotFound) {
  for (const char* path :
       {"/", "/v1/accounts/acme/dpoJobs/", "/v1/accounts//dpoJobs", "/v1/accounts/acme/dpojobs",
        "/v2/accounts/acme/dpoJobs", "/v1/accounts/a/b/dpoJobs"}) {
    ApiResponse response = handler_->Handle({.path = path, .authorization = "Bearer acme-key"});
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(testing::Reason(response), "ROUTE_NOT_FOUND") << path;
  }
}

TEST_F(ListHandlerTest, OtherMethodsAreUnimplemented) {
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    ApiResponse response = handler_->Handle({.method = method,
                                             .path = "/v1/accounts/acme/dpoJobs",
                                             .authorization = "Bearer acme-key"});
    EXPECT_EQ(response.status, 501) << method;
    EXPECT_EQ(testing::RpcCode(response), 12) << method;
  }
}

TEST_F(ListHandlerTest, HostileParametersAre400NeverAnInternalError) {
  std::vector<std::string> hostile = {
      std::string(100000, '('),
      std::string(3000, '(') + "name = \"a\"" + std::string(3000, ')'),
      std::string("name = \"a\0b\"", 12),
      "name = \"\xff\xfe\"",
      "\xc3\x28",
      std::string(1 << 20, 'a'),
      "NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT "
      "NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT name = \"x\"",
      "createTime > \"2024-02-30T00:00:00Z\"",
      "state = 'JOB_STATE_RUNNING",
  };
  for (const std::string& text : hostile) {
    for (const char* parameter : {"filter", "orderBy", "readMask", "pageToken", "pageSize"}) {
      ApiResponse response = Acme({{parameter, text}});
      EXPECT_EQ(response.status, 400) << parameter << " of " << text.size() << " bytes";
      EXPECT_TRUE(Body(response).is_object());
    }
  }
}

TEST_F(ListHandlerTest, ErrorMessagesStayShortAndValidJson) {
  ApiResponse response = Acme({{"orderBy", std::string(4000, '\xff')}});
  EXPECT_EQ(response.status, 400);
  EXPECT_LT(response.body.size(), 2000u);
  EXPECT_TRUE(Body(response).is_object());
}

TEST(ApiKeysTest, DefaultsGiveEveryAccountAKeyAndAGhost) {
  auto store = testing::GeneratedStore(5);
  std::vector<ApiKey> keys = DefaultApiKeys(*store);
  EXPECT_THAT(keys, ::testing::UnorderedElementsAre(
                        ApiKey{"acme", "acme-key"}, ApiKey{"tiny", "tiny-key"},
                        ApiKey{"empty", "empty-key"}, ApiKey{"ghost", "ghost-key"}));
}

TEST(ApiKeysTest, OverridesReplaceThatAccountsKeys) {
  auto keys = ResolveApiKeys({{"acme", "acme-key"}, {"tiny", "tiny-key"}},
                             {{"acme", "k1"}, {"acme", "k2"}, {"new", "k3"}});
  ASSERT_THAT(keys, IsOk());
  EXPECT_THAT(*keys,
              ::testing::UnorderedElementsAre(ApiKey{"tiny", "tiny-key"}, ApiKey{"acme", "k1"},
                                              ApiKey{"acme", "k2"}, ApiKey{"new", "k3"}));
}

TEST(ApiKeysTest, BadKeysAreRejected) {
  EXPECT_THAT(ResolveApiKeys({}, {{"acme", ""}}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(ResolveApiKeys({}, {{"acme", "a b"}}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("whitespace")));
  EXPECT_THAT(ResolveApiKeys({}, {{"acme", "k"}, {"tiny", "k"}}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("two accounts")));
}

TEST(ListHandlerCreateTest, ShortSecretIsRejected) {
  auto store = testing::GeneratedStore(1);
  EXPECT_THAT(ListHandler::Create(store, {.token_secret = "short"}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("16 bytes")));
}

}  // namespace
}  // namespace list_handler_test
}  // namespace conform::server
