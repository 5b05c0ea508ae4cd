#include "server/generator.h"

#include <array>
#include <set>
#include <string>

#include "aip/time.h"

namespace conform::server {
namespace {

using Json = nlohmann::json;

// splitmix64: tiny, fast, and specified exactly, so data is the same everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform enough in [0, n) for n far below 2^64.
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
  template <typename T, size_t N>
  const T& Pick(const std::array<T, N>& items) {
    return items[Below(N)];
  }
  bool Chance(size_t percent) { return Below(100) < percent; }

 private:
  uint64_t state_;
};

constexpr std::array<std::string_view, 17> kStates = {
    "JOB_STATE_UNSPECIFIED",   "JOB_STATE_CREATING",
    "JOB_STATE_RUNNING",       "JOB_STATE_COMPLETED",
    "JOB_STATE_FAILED",        "JOB_STATE_CANCELLED",
    "JOB_STATE_DELETING",      "JOB_STATE_WRITING_RESULTS",
    "JOB_STATE_VALIDATING",    "JOB_STATE_DELETING_CLEANING_UP",
    "JOB_STATE_PENDING",       "JOB_STATE_EXPIRED",
    "JOB_STATE_RE_QUEUEING",   "JOB_STATE_CREATING_INPUT_DATASET",
    "JOB_STATE_IDLE",          "JOB_STATE_CANCELLING",
    "JOB_STATE_EARLY_STOPPED",
};

// Most jobs are finished, as in any account that has trained for a while.
constexpr std::array<std::string_view, 20> kWeightedStates = {
    "JOB_STATE_COMPLETED", "JOB_STATE_COMPLETED",     "JOB_STATE_COMPLETED",
    "JOB_STATE_COMPLETED", "JOB_STATE_COMPLETED",     "JOB_STATE_COMPLETED",
    "JOB_STATE_COMPLETED", "JOB_STATE_FAILED",        "JOB_STATE_FAILED",
    "JOB_STATE_CANCELLED", "JOB_STATE_RUNNING",       "JOB_STATE_RUNNING",
    "JOB_STATE_PENDING",   "JOB_STATE_CREATING",      "JOB_STATE_VALIDATING",
    "JOB_STATE_EXPIRED",   "JOB_STATE_EARLY_STOPPED", "JOB_STATE_WRITING_RESULTS",
    "JOB_STATE_RUNNING",   "JOB_STATE_COMPLETED",
};

// Duplicates on purpose (ties for orderBy), non-ASCII text, and one empty name.
constexpr std::array<std::string_view, 14> kDisplayNames = {
    "llama-3.1-8b helpfulness DPO",
    "llama-3.1-8b helpfulness DPO",
    "qwen2.5-7b harmlessness",
    "support-bot preference tuning",
    "support-bot preference tuning",
    "Ünïcödé préférences — étape 2",
    "日本語の対話 DPO",
    "emoji ranking 🚀 v3",
    "code-review-dpo",
    "code-review-dpo",
    "summarisation (ablation: β=0.1)",
    "Résumé judge",
    "",
    "mixtral-8x7b red-team pairs",
};

constexpr std::array<std::string_view, 8> kBaseModels = {
    "accounts/fireworks/models/llama-v3p1-8b-instruct",
    "accounts/fireworks/models/llama-v3p1-70b-instruct",
    "accounts/fireworks/models/qwen2p5-7b-instruct",
    "accounts/fireworks/models/qwen2p5-72b-instruct",
    "accounts/fireworks/models/mixtral-8x7b-instruct",
    "accounts/fireworks/models/llama-v3p2-3b-instruct",
    "accounts/fireworks/models/gemma2-9b-it",
    "accounts/fireworks/models/deepseek-v3",
};

constexpr std::array<std::string_view, 9> kDatasets = {
    "helpfulness-pairs-v1", "helpfulness-pairs-v2", "harmless-pairs",
    "support-transcripts",  "code-review-pairs",    "summaries-judged",
    "red-team-2024q2",      "jp-dialogue-pairs",    "ranking-emoji",
};

constexpr std::array<std::string_view, 6> kUsers = {
    "alice@{a}.example.com",   "bob.smith@{a}.example.com",  "chen.wei@{a}.example.com",
    "ops-bot@{a}.example.com", "zoë.müller@{a}.example.com", "ci-pipeline@{a}.example.com",
};

constexpr std::array<std::string_view, 8> kRegions = {
    "US_IOWA_1",      "US_VIRGINIA_1", "US_ILLINOIS_1", "AP_TOKYO_1",
    "EU_FRANKFURT_1", "US_TEXAS_1",    "US_UTAH_1",     "REGION_UNSPECIFIED",
};

constexpr std::array<double, 5> kLearningRates = {1e-5, 2e-5, 5e-5, 1e-4, 2e-4};
constexpr std::array<int, 5> kContextLengths = {2048, 4096, 8192, 16384, 32768};
constexpr std::array<int, 4> kLoraRanks = {8, 16, 32, 64};
constexpr std::array<int, 3> kBatchSizes = {16384, 32768, 65536};
constexpr std::array<int, 4> kAccumulationSteps = {1, 2, 4, 8};
constexpr std::array<int, 4> kWarmupSteps = {0, 10, 50, 100};
constexpr std::array<std::string_view, 4> kWandbProjects = {"dpo", "preference-tuning", "red-team",
                                                            "ablations"};

constexpr int64_t kFirstCreate = 1704067200;  // 2024-01-01T00:00:00Z

std::string Id(Rng& rng, size_t length) {
  static constexpr std::string_view kLetters = "abcdefghijklmnopqrstuvwxyz";
  static constexpr std::string_view kAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string id(1, kLetters[rng.Below(kLetters.size())]);
  while (id.size() < length) {
    id += kAlnum[rng.Below(kAlnum.size())];
  }
  return id;
}

std::string Hex(Rng& rng, size_t length) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string out;
  while (out.size() < length) {
    out += kHex[rng.Below(kHex.size())];
  }
  return out;
}

std::string Replace(std::string_view pattern, std::string_view account) {
  std::string out(pattern);
  size_t at = out.find("{a}");
  if (at != std::string::npos) {
    out.replace(at, 3, account);
  }
  return out;
}

// A google.rpc code and message that a job in `state` would plausibly carry.
Json StatusFor(std::string_view state, Rng& rng) {
  if (state == "JOB_STATE_FAILED") {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kFailures = {{
        {"INTERNAL", "training diverged: loss is NaN at step 1200"},
        {"INVALID_ARGUMENT", "dataset row 4187: 'rejected' is missing"},
        {"RESOURCE_EXHAUSTED", "out of GPU memory at maxContextLength 32768; lower it or loraRank"},
    }};
    const auto& failure = kFailures[rng.Below(kFailures.size())];
    return {{"code", failure.first}, {"message", failure.second}};
  }
  if (state == "JOB_STATE_CANCELLED" || state == "JOB_STATE_CANCELLING") {
    return {{"code", "CANCELLED"}, {"message", "cancelled by the user"}};
  }
  if (state == "JOB_STATE_EXPIRED") {
    return {{"code", "DEADLINE_EXCEEDED"}, {"message", "the job waited 7 days for capacity"}};
  }
  if (state == "JOB_STATE_EARLY_STOPPED") {
    return {{"code", "OK"},
            {"message", "early stopped: evaluation loss did not improve for 3 evaluations"}};
  }
  // proto3 JSON leaves out the empty message.
  return {{"code", "OK"}};
}

}  // namespace

bool IsFinishedState(std::string_view state) {
  return state == "JOB_STATE_COMPLETED" || state == "JOB_STATE_FAILED" ||
         state == "JOB_STATE_CANCELLED" || state == "JOB_STATE_EARLY_STOPPED" ||
         state == "JOB_STATE_EXPIRED";
}

std::vector<Json> GenerateJobs(std::string_view account, size_t count, uint64_t seed) {
  // Mix the account into the seed so two accounts never share ids or values.
  uint64_t mixed = seed;
  for (char c : account) {
    mixed = (mixed ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  }
  Rng rng(mixed);
  std::set<std::string> ids;
  std::vector<aip::Instant> created;
  std::vector<Json> jobs;
  jobs.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    std::string id = Id(rng, 12);
    while (!ids.insert(id).second) {
      id = Id(rng, 12);
    }
    const std::string prefix = "accounts/" + std::string(account);
    // The first jobs walk the whole enum so that every state is present.
    std::string_view state = i < kStates.size() ? kStates[i] : rng.Pick(kWeightedStates);

    aip::Instant create;
    if (!created.empty() && rng.Chance(12)) {
      create = created[rng.Below(created.size())];  // a createTime tie
    } else {
      create.seconds = kFirstCreate + static_cast<int64_t>(rng.Below(300 * 24 * 60)) * 60 +
                       static_cast<int64_t>(rng.Below(60));
      create.nanos = rng.Chance(20) ? static_cast<int32_t>(rng.Below(1000)) * 1'000'000 : 0;
    }
    created.push_back(create);

    Json job = {
        {"name", prefix + "/dpoJobs/" + id},
        {"displayName", rng.Pick(kDisplayNames)},
        {"createTime", aip::FormatRfc3339(create)},
        {"dataset", prefix + "/datasets/" + std::string(rng.Pick(kDatasets))},
        {"state", state},
        {"status", StatusFor(state, rng)},
        {"createdBy", Replace(rng.Pick(kUsers), account)},
    };
    if (IsFinishedState(state)) {
      aip::Instant done = create;
      done.seconds += 600 + static_cast<int64_t>(rng.Below(48 * 3600));
      job["completedTime"] = aip::FormatRfc3339(done);
    }

    Json training = {
        {"learningRate", rng.Pick(kLearningRates)},
        {"maxContextLength", rng.Pick(kContextLengths)},
        {"loraRank", rng.Pick(kLoraRanks)},
        {"region", rng.Pick(kRegions)},
        {"epochs", 1 + static_cast<int>(rng.Below(5))},
        {"batchSize", rng.Pick(kBatchSizes)},
        {"gradientAccumulationSteps", rng.Pick(kAccumulationSteps)},
        {"learningRateWarmupSteps", rng.Pick(kWarmupSteps)},
    };
    // Only one of baseModel or warmStartFrom, as the schema says.
    if (rng.Chance(12)) {
      training["warmStartFrom"] = prefix + "/models/sft-" + Id(rng, 6);
    } else {
      training["baseModel"] = rng.Pick(kBaseModels);
    }
    if (rng.Chance(80)) {
      training["outputModel"] = prefix + "/models/dpo-" + id;
    }
    if (rng.Chance(10)) {
      training["jinjaTemplate"] =
          "{% for m in messages %}<|{{ m.role }}|>\n{{ m.content }}\n{% endfor %}<|assistant|>\n";
    }
    job["trainingConfig"] = std::move(training);

    if (rng.Chance(40)) {
      std::string project(rng.Pick(kWandbProjects));
      std::string run = Id(rng, 8);
      Json wandb = {
          {"enabled", rng.Chance(85)},
          {"project", project},
          {"entity", std::string(account) + "-ml"},
          {"runId", run},
          {"url", "https://wandb.ai/" + std::string(account) + "-ml/" + project + "/runs/" + run},
      };
      if (rng.Chance(50)) {
        wandb["apiKey"] = Hex(rng, 40);  // a credential: the server never lists it
      }
      job["wandbConfig"] = std::move(wandb);
    }
    jobs.push_back(std::move(job));
  }
  return jobs;
}

Status PopulateGenerated(JobStore& store, const GeneratorOptions& options) {
  const std::array<std::pair<std::string_view, size_t>, 3> accounts = {{
      {kAcmeAccount, options.acme_jobs},
      {kTinyAccount, kTinyJobs},
      {kEmptyAccount, 0},
  }};
  for (const auto& [account, count] : accounts) {
    store.AddAccount(account);
    for (Json& job : GenerateJobs(account, count, options.seed)) {
      Status added = store.AddJob(std::move(job));
      if (!added) {
        return added;
      }
    }
  }
  return OkStatus();
}

}  // namespace conform::server
