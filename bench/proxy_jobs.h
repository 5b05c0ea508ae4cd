// A realistic ListDpoJobs page for the proxy benchmarks: 50 DpoJobs with every field of the
// schema in spec/openapi.yaml (some non-ASCII text, a wandb apiKey on every third job, so
// redaction has work to do), deterministic for a seed.
//   std::string body = bench::DpoJobsPage(50, 1);   // ~35 KB of JSON
#pragma once

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

namespace conform::bench {

inline std::string DpoJobsPage(int jobs, uint64_t seed) {
  static const char* const kStates[] = {"JOB_STATE_COMPLETED", "JOB_STATE_RUNNING",
                                        "JOB_STATE_FAILED",    "JOB_STATE_PENDING",
                                        "JOB_STATE_CANCELLED", "JOB_STATE_EARLY_STOPPED"};
  static const char* const kModels[] = {"accounts/fireworks/models/llama-v3p1-8b-instruct",
                                        "accounts/fireworks/models/qwen2p5-7b-instruct",
                                        "accounts/fireworks/models/mixtral-8x7b-instruct"};
  static const char* const kRegions[] = {"US_IOWA_1", "US_VIRGINIA_1", "EU_FRANKFURT_1",
                                         "AP_TOKYO_1"};
  static const char* const kNames[] = {"helpfulness DPO", "Réponses courtes — DPO",
                                       "tone alignment", "安全性 preference tuning"};
  uint64_t state = seed * 0x9E3779B97F4A7C15ULL + 1;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  nlohmann::json list = nlohmann::json::array();
  for (int i = 0; i < jobs; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "dpo-%08llx", static_cast<unsigned long long>(next() >> 32));
    char created[32];
    std::snprintf(created, sizeof created, "2024-%02d-%02dT%02d:%02d:%02d.%03dZ",
                  static_cast<int>(1 + next() % 12), static_cast<int>(1 + next() % 28),
                  static_cast<int>(next() % 24), static_cast<int>(next() % 60),
                  static_cast<int>(next() % 60), static_cast<int>(next() % 1000));
    const char* job_state = kStates[next() % 6];
    nlohmann::json job = {
        {"name", std::string("accounts/acme/dpoJobs/") + id},
        {"displayName", std::string(kNames[next() % 4]) + " #" + std::to_string(i)},
        {"createTime", created},
        {"dataset", "accounts/acme/datasets/preference-pairs-" + std::to_string(next() % 40)},
        {"state", job_state},
        {"status", {{"code", "OK"}, {"message", ""}}},
        {"createdBy", "ml-team+" + std::to_string(next() % 9) + "@acme.example.com"},
        {"trainingConfig",
         {{"outputModel", std::string("accounts/acme/models/") + id + "-out"},
          {"baseModel", kModels[next() % 3]},
          {"jinjaTemplate", "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}"},
          {"learningRate", 0.0001 * static_cast<double>(1 + next() % 9)},
          {"maxContextLength", 8192},
          {"loraRank", 16},
          {"region", kRegions[next() % 4]},
          {"epochs", static_cast<int>(1 + next() % 5)},
          {"batchSize", 65536},
          {"gradientAccumulationSteps", 1},
          {"learningRateWarmupSteps", 10}}},
        {"wandbConfig",
         {{"enabled", i % 3 == 0},
          {"project", "dpo-experiments"},
          {"entity", "acme-ml"},
          {"runId", std::string("run-") + id},
          {"url", std::string("https://wandb.ai/acme-ml/dpo-experiments/runs/run-") + id}}},
    };
    if (i % 3 == 0) {
      job["wandbConfig"]["apiKey"] = "wandb_sk_" + std::to_string(next());
    }
    if (std::string(job_state) == "JOB_STATE_COMPLETED") {
      job["completedTime"] = created;
    }
    list.push_back(std::move(job));
  }
  nlohmann::json page = {{"dpoJobs", list},
                         {"nextPageToken", "CjIKMGFjY291bnRzL2FjbWUvZHBvSm9icy9kcG8tMDAwMDAwMzI"},
                         {"totalSize", 350}};
  return page.dump();
}

}  // namespace conform::bench
