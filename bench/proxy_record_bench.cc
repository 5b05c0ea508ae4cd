// What recording costs per exchange, on a 50-job ListDpoJobs page (bench/proxy_jobs.h): the
// recorder's one-pass redaction and entry writing against the traffic/ reference functions
// they replace on the hot path, and an append to a cassette with each fsync policy.
//   build/release/bench/proxy_record_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "bench/proxy_jobs.h"
#include "recorder/cassette.h"
#include "traffic/internal/json_escape.h"
#include "recorder/redactor.h"
#include "traffic/har.h"
#include "traffic/redact.h"

namespace {

using conform::traffic::Exchange;

const std::string& Page() {
  static const std::string page = conform::bench::DpoJobsPage(50, 1);
  return page;
}

Exchange PageExchange() {
  Exchange exchange;
  exchange.request = {.method = "GET",
                      .url = "http://127.0.0.1:18080/v1/accounts/acme/dpoJobs?pageSize=50",
                      .headers = {{"Host", "127.0.0.1:18080"},
                                  {"Authorization", "Bearer fw_secret"},
                                  {"User-Agent", "wrk"}}};
  exchange.response = {.status = 200,
                       .headers = {{"Content-Type", "application/json"},
                                   {"Content-Length", std::to_string(Page().size())}},
                       .body = Page()};
  exchange.started = "2024-05-01T12:00:00.000Z";
  exchange.elapsed_ms = 0.05;
  return exchange;
}

std::string ScratchFile(const char* name) {
  const char* dir = std::getenv("TMPDIR");
  return (std::filesystem::path(dir != nullptr ? dir : "/tmp") /
          (std::string(name) + "-" + std::to_string(::getpid()) + ".har"))
      .string();
}

void BM_Redact_Recorder(benchmark::State& state) {
  auto redactor = conform::recorder::Redactor::Create({});
  for (auto _ : state) {
    benchmark::DoNotOptimize(redactor->Body(Page()));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * Page().size()));
}
BENCHMARK(BM_Redact_Recorder);

void BM_Redact_TrafficReference(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(conform::traffic::RedactBody(Page()));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * Page().size()));
}
BENCHMARK(BM_Redact_TrafficReference);

void BM_EscapeBody_Recorder(benchmark::State& state) {
  std::string out;
  for (auto _ : state) {
    out.clear();
    benchmark::DoNotOptimize(conform::traffic::internal::AppendJsonEscapedUtf8(out, Page()));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * Page().size()));
}
BENCHMARK(BM_EscapeBody_Recorder);

void BM_Entry_Recorder(benchmark::State& state) {
  Exchange exchange = PageExchange();
  for (auto _ : state) {
    benchmark::DoNotOptimize(conform::traffic::HarEntryLine(exchange));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * Page().size()));
}
BENCHMARK(BM_Entry_Recorder);

// The same bytes through nlohmann: the tree traffic::HarEntry builds, dumped.
void BM_Entry_TrafficReference(benchmark::State& state) {
  Exchange exchange = PageExchange();
  for (auto _ : state) {
    benchmark::DoNotOptimize(conform::traffic::HarEntry(exchange).dump(
        -1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * Page().size()));
}
BENCHMARK(BM_Entry_TrafficReference);

// Redaction plus an append (serialising, write(2), and the policy's fsync).
void RecordExchange(benchmark::State& state, conform::recorder::SyncPolicy sync) {
  auto redactor = conform::recorder::Redactor::Create({});
  std::string path = ScratchFile("proxy_record_bench");
  auto writer = conform::recorder::CassetteWriter::Create(path, {.sync = sync});
  if (!writer) {
    state.SkipWithError(writer.error().ToString().c_str());
    return;
  }
  Exchange exchange = PageExchange();
  for (auto _ : state) {
    Exchange safe = redactor->Apply(exchange);
    benchmark::DoNotOptimize((*writer)->Append(safe));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * Page().size()));
  (void)(*writer)->Finish();
  std::filesystem::remove(path);
}

void BM_Record_FsyncPeriodic(benchmark::State& state) {
  RecordExchange(state, conform::recorder::SyncPolicy::kPeriodic);
}
BENCHMARK(BM_Record_FsyncPeriodic);

void BM_Record_FsyncEach(benchmark::State& state) {
  RecordExchange(state, conform::recorder::SyncPolicy::kEachEntry);
}
BENCHMARK(BM_Record_FsyncEach);

}  // namespace

BENCHMARK_MAIN();
