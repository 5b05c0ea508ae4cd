// Parse + validate throughput of ListDpoJobs responses of 1, 50 and 200 jobs, against the
// built-in contract, and the cost Debian's valijson 1.0 would pay if it checked date-time
// itself (a std::regex compiled per value). Run: build/release/bench/validate_bench
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include "server/generator.h"
#include "validator/exchange_validator.h"
#include "validator/json_body.h"
#include "validator/schema_validator.h"
#include "validator/spec_loader.h"

namespace {

using Json = nlohmann::json;

std::string PageBody(size_t jobs) {
  Json page = {{"dpoJobs", conform::server::GenerateJobs("acme", jobs, 7)},
               {"nextPageToken", "CgRuYW1lEhdhY2NvdW50cy9hY21lL2Rwb0pvYnMvMDA"},
               {"totalSize", 350}};
  return page.dump();
}

const conform::validator::Contract& Contract() {
  static const conform::validator::Contract contract = *conform::validator::EmbeddedContract();
  return contract;
}

const Json& ResponseSchema() { return *Contract().operations[0].FindResponse(200)->content[0].schema; }

void BM_ParseAndValidate(benchmark::State& state) {
  std::string body = PageBody(static_cast<size_t>(state.range(0)));
  auto schema = conform::validator::SchemaValidator::Compile(ResponseSchema(), Contract().definitions);
  for (auto _ : state) {
    auto parsed = conform::validator::ParseJsonBody(body, {});
    auto violations = (*schema)->Validate(parsed->value);
    benchmark::DoNotOptimize(violations);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
  state.SetItemsProcessed(state.iterations());  // responses
  state.counters["body_bytes"] = static_cast<double>(body.size());
}
BENCHMARK(BM_ParseAndValidate)->Arg(1)->Arg(50)->Arg(200);

// The whole single-exchange check: status, Content-Type, parse, schema, formats.
void BM_ExchangeCheck(benchmark::State& state) {
  conform::traffic::Exchange exchange;
  exchange.request = {.method = "GET", .url = "/v1/accounts/acme/dpoJobs?pageSize=200"};
  exchange.response.status = 200;
  exchange.response.headers = {{"Content-Type", "application/json"}};
  exchange.response.body = PageBody(static_cast<size_t>(state.range(0)));
  auto validator = conform::validator::ExchangeValidator::Create(Contract(), {});
  for (auto _ : state) {
    auto verdict = (*validator)->Check(exchange);
    benchmark::DoNotOptimize(verdict);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * exchange.response.body.size()));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ExchangeCheck)->Arg(1)->Arg(50)->Arg(200);

// For comparison: valijson left to check `format: date-time` itself.
void BM_ValijsonOwnDateTime(benchmark::State& state) {
  Json body = Json::parse(PageBody(static_cast<size_t>(state.range(0))));
  auto engine = conform::validator::MakeValijsonEngine(ResponseSchema());
  for (auto _ : state) {
    std::vector<conform::validator::SchemaViolation> out;
    benchmark::DoNotOptimize((*engine)->Validate(body, out));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ValijsonOwnDateTime)->Arg(1)->Arg(50)->Arg(200);

}  // namespace

BENCHMARK_MAIN();
