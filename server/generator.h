// Deterministic, realistic DpoJob data for the reference server: the same seed gives the same
// jobs on every machine (own PRNG, no std distributions). Values are chosen to exercise the
// checkers: duplicate displayNames and createTimes (ties), non-ASCII text, every state of the
// enum, completedTime only on finished jobs, and a wandb apiKey credential on some jobs.
//   auto store = std::make_shared<JobStore>();
//   Status filled = PopulateGenerated(*store, {.acme_jobs = 350, .seed = 1});
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "server/store.h"

namespace conform::server {

struct GeneratorOptions {
  size_t acme_jobs = 350;  // --jobs
  uint64_t seed = 1;       // --seed
};

// The generated accounts: kAcme has options.acme_jobs jobs, kTiny 3, kEmpty none.
inline constexpr std::string_view kAcmeAccount = "acme";
inline constexpr std::string_view kTinyAccount = "tiny";
inline constexpr std::string_view kEmptyAccount = "empty";
inline constexpr size_t kTinyJobs = 3;

// `count` jobs of `account`, named accounts/{account}/dpoJobs/{id} with unique ids.
std::vector<nlohmann::json> GenerateJobs(std::string_view account, size_t count, uint64_t seed);

// Adds the three generated accounts and their jobs to `store`. Fails only if `store` already
// holds one of the generated names.
Status PopulateGenerated(JobStore& store, const GeneratorOptions& options);

// True for the states after which a job no longer runs (they carry completedTime):
// COMPLETED, FAILED, CANCELLED, EARLY_STOPPED, EXPIRED.
bool IsFinishedState(std::string_view state);

}  // namespace conform::server
