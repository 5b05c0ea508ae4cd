// Helpers for the reference-server tests: a handler over a small generated store, one-call
// list requests, and a bounded page walk. Header-only, shared by the unit, property and e2e
// suites of tests/server/.
//   auto store = testing::GeneratedStore(40);
//   auto handler = testing::MakeHandler(store);
//   ApiResponse page = testing::List(*handler, "acme", "acme-key", {{"pageSize", "5"}});
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "common/check.h"
#include "server/generator.h"
#include "server/list_handler.h"
#include "server/store.h"
#include "traffic/url.h"

namespace conform::server::testing {

// Tests inject the token secret (STYLE T6).
inline const std::string kTestSecret = "0123456789abcdef0123456789abcdef";

inline std::shared_ptr<JobStore> GeneratedStore(size_t acme_jobs, uint64_t seed = 7) {
  auto store = std::make_shared<JobStore>();
  Status filled = PopulateGenerated(*store, {.acme_jobs = acme_jobs, .seed = seed});
  CONFORM_CHECK(filled.ok());
  return store;
}

inline std::unique_ptr<ListHandler> MakeHandler(std::shared_ptr<JobStore> store,
                                                FaultSet faults = {},
                                                std::string secret = kTestSecret) {
  std::vector<ApiKey> keys = DefaultApiKeys(*store);
  auto handler = ListHandler::Create(
      store, {.faults = faults, .api_keys = std::move(keys), .token_secret = std::move(secret)});
  CONFORM_CHECK(handler.ok());
  return std::move(*handler);
}

inline std::string CollectionPath(const std::string& account) {
  return "/v1/accounts/" + account + "/dpoJobs";
}

// A GET of the collection; an empty `key` sends no Authorization header.
inline ApiResponse List(const ListHandler& handler, const std::string& account,
                        const std::string& key, traffic::QueryParams params = {}) {
  ApiRequest request{.path = CollectionPath(account), .query = std::move(params)};
  if (!key.empty()) {
    request.authorization = "Bearer " + key;
  }
  return handler.Handle(request);
}

inline nlohmann::json Body(const ApiResponse& response) {
  return nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
}

inline std::vector<std::string> Names(const nlohmann::json& body) {
  std::vector<std::string> names;
  if (body.contains("dpoJobs")) {
    for (const auto& job : body["dpoJobs"]) {
      names.push_back(job.value("name", ""));
    }
  }
  return names;
}

inline std::string NextToken(const nlohmann::json& body) { return body.value("nextPageToken", ""); }

// The google.rpc code of an error body, or -1.
inline int RpcCode(const ApiResponse& response) {
  nlohmann::json body = Body(response);
  return body.is_object() && body.contains("code") && body["code"].is_number_integer()
             ? body["code"].get<int>()
             : -1;
}

inline std::string Reason(const ApiResponse& response) {
  nlohmann::json body = Body(response);
  if (!body.is_object() || !body.contains("details") || body["details"].empty()) {
    return "";
  }
  return body["details"][0].value("reason", "");
}

struct Walk {
  std::vector<std::string> names;  // every item of every page, in order
  std::vector<nlohmann::json> pages;
  int failed_status = 0;  // status of a non-200 page, 0 if none
  bool finished = false;  // reached a page without nextPageToken
};

// Follows nextPageToken from the first page, with page sizes cycling through `sizes` (empty:
// no pageSize), for at most `max_pages` pages.
inline Walk WalkPages(const ListHandler& handler, const std::string& account,
                      const std::string& key, const traffic::QueryParams& params,
                      const std::vector<int>& sizes, size_t max_pages = 1000) {
  Walk walk;
  std::string token;
  for (size_t page = 0; page < max_pages; ++page) {
    traffic::QueryParams query = params;
    if (!sizes.empty()) {
      query.emplace_back("pageSize", std::to_string(sizes[page % sizes.size()]));
    }
    if (!token.empty()) {
      query.emplace_back("pageToken", token);
    }
    ApiResponse response = List(handler, account, key, query);
    if (response.status != 200) {
      walk.failed_status = response.status;
      return walk;
    }
    nlohmann::json body = Body(response);
    for (const std::string& name : Names(body)) {
      walk.names.push_back(name);
    }
    token = NextToken(body);
    walk.pages.push_back(std::move(body));
    if (token.empty()) {
      walk.finished = true;
      return walk;
    }
  }
  return walk;
}

inline bool HasDuplicates(const std::vector<std::string>& names) {
  return std::set<std::string>(names.begin(), names.end()).size() != names.size();
}

}  // namespace conform::server::testing
