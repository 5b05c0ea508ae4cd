// The reference server's handler, without HTTP: the total cost of walking every page of an
// account (it must grow as n log n, so 10x the jobs costs about 10x, not 100x) and the cost of
// one cached, filtered page. Run from a Release build; see bench/README.md.
//   build/release/bench/server_bench --benchmark_filter=WalkAllPages
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "common/check.h"
#include "server/generator.h"
#include "server/list_handler.h"
#include "server/store.h"

namespace {

using conform::server::ApiRequest;
using conform::server::ApiResponse;
using conform::server::JobStore;
using conform::server::ListHandler;

std::shared_ptr<JobStore> StoreWith(size_t jobs) {
  auto store = std::make_shared<JobStore>();
  CONFORM_CHECK(conform::server::PopulateGenerated(*store, {.acme_jobs = jobs, .seed = 1}).ok());
  return store;
}

// One store per size for the whole run: generating 100,000 jobs takes a while.
const std::shared_ptr<JobStore>& Store(size_t jobs) {
  static std::vector<std::pair<size_t, std::shared_ptr<JobStore>>> stores;
  for (const auto& [size, store] : stores) {
    if (size == jobs) {
      return store;
    }
  }
  stores.emplace_back(jobs, StoreWith(jobs));
  return stores.back().second;
}

std::unique_ptr<ListHandler> Handler(const std::shared_ptr<JobStore>& store) {
  auto handler = ListHandler::Create(store, {.api_keys = conform::server::DefaultApiKeys(*store),
                                             .token_secret = "bench-secret-bench-secret-bench!"});
  CONFORM_CHECK(handler.ok());
  return std::move(*handler);
}

std::string NextToken(const std::string& body) {
  constexpr std::string_view kKey = "\"nextPageToken\":\"";
  size_t at = body.find(kKey);
  if (at == std::string::npos) {
    return "";
  }
  at += kKey.size();
  return body.substr(at, body.find('"', at) - at);
}

// Every page, following nextPageToken, with a fresh handler (cold view cache) per walk, so the
// sort is part of the cost.
void WalkAllPages(benchmark::State& state, conform::traffic::QueryParams params) {
  const auto& store = Store(static_cast<size_t>(state.range(0)));
  size_t pages = 0;
  size_t items = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::unique_ptr<ListHandler> handler = Handler(store);
    state.ResumeTiming();
    std::string token;
    do {
      ApiRequest request{
          .path = "/v1/accounts/acme/dpoJobs", .query = params, .authorization = "Bearer acme-key"};
      if (!token.empty()) {
        request.query.emplace_back("pageToken", token);
      }
      ApiResponse response = handler->Handle(request);
      CONFORM_CHECK(response.status == 200);
      token = NextToken(response.body);
      ++pages;
      items += response.body.size();
      benchmark::DoNotOptimize(response.body.data());
    } while (!token.empty());
    state.PauseTiming();
    handler.reset();
    state.ResumeTiming();
  }
  state.counters["pages/walk"] =
      benchmark::Counter(static_cast<double>(pages) / static_cast<double>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(items));
}

void BM_WalkAllPagesDefaultOrder(benchmark::State& state) {
  WalkAllPages(state, {{"pageSize", "50"}});
}

void BM_WalkAllPagesFilteredByCreateTimeDesc(benchmark::State& state) {
  WalkAllPages(state, {{"pageSize", "50"},
                       {"filter", "state = JOB_STATE_COMPLETED OR trainingConfig.epochs >= 3"},
                       {"orderBy", "createTime desc"}});
}

// One filtered page once the view is cached: what a request costs in steady state.
void BM_CachedFilteredPage(benchmark::State& state) {
  const auto& store = Store(static_cast<size_t>(state.range(0)));
  std::unique_ptr<ListHandler> handler = Handler(store);
  ApiRequest request{.path = "/v1/accounts/acme/dpoJobs",
                     .query = {{"filter", "state = JOB_STATE_COMPLETED"},
                               {"orderBy", "createTime desc"},
                               {"pageSize", "50"}},
                     .authorization = "Bearer acme-key"};
  for (auto _ : state) {
    ApiResponse response = handler->Handle(request);
    benchmark::DoNotOptimize(response.body.data());
  }
}

// The same page deep in a walk (the request carries a token): a keyset seek, not a scan.
void BM_CachedFilteredPageFromToken(benchmark::State& state) {
  const auto& store = Store(static_cast<size_t>(state.range(0)));
  std::unique_ptr<ListHandler> handler = Handler(store);
  ApiRequest request{.path = "/v1/accounts/acme/dpoJobs",
                     .query = {{"filter", "state = JOB_STATE_COMPLETED"},
                               {"orderBy", "createTime desc"},
                               {"pageSize", "200"}},
                     .authorization = "Bearer acme-key"};
  std::string token;
  for (int page = 0; page < 100; ++page) {  // 20,000 items in
    ApiRequest step = request;
    if (!token.empty()) {
      step.query.emplace_back("pageToken", token);
    }
    token = NextToken(handler->Handle(step).body);
  }
  request.query[2].second = "50";
  request.query.emplace_back("pageToken", token);
  for (auto _ : state) {
    ApiResponse response = handler->Handle(request);
    CONFORM_CHECK(response.status == 200);
    benchmark::DoNotOptimize(response.body.data());
  }
}

BENCHMARK(BM_WalkAllPagesDefaultOrder)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WalkAllPagesFilteredByCreateTimeDesc)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CachedFilteredPage)->Arg(100'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CachedFilteredPageFromToken)->Arg(100'000)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
