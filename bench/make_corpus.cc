// Writes the corpus of bench/README.md: 10,000 mixed ListDpoJobs responses as JSON Lines of
// bare bodies (~47 MB): mostly valid pages of 1-12 jobs, some with schema violations.
//   build/release/bench/make_corpus /tmp/corpus.jsonl [responses]
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "server/generator.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: make_corpus OUT.jsonl [responses]\n");
    return 2;
  }
  long responses = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 10000;
  std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
  if (!out) {
    std::fprintf(stderr, "make_corpus: cannot write %s\n", argv[1]);
    return 3;
  }
  // One pool of jobs, sliced into pages: generation is not what we measure.
  std::vector<nlohmann::json> pool = conform::server::GenerateJobs("acme", 5000, 42);
  uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&state]() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  size_t bytes = 0;
  for (long i = 0; i < responses; ++i) {
    size_t count = 1 + next() % 12;
    size_t start = next() % (pool.size() - count);
    nlohmann::json page = {{"dpoJobs", nlohmann::json::array()}, {"totalSize", 5000}};
    for (size_t j = 0; j < count; ++j) {
      page["dpoJobs"].push_back(pool[start + j]);
    }
    if (next() % 4 != 0) {
      page["nextPageToken"] = "tok-" + std::to_string(i);
    }
    switch (next() % 20) {  // one response in ten breaks the contract
      case 0:
        page["dpoJobs"][0]["state"] = "JOB_STATE_DONE";
        break;
      case 1:
        page["dpoJobs"][0]["createTime"] = "2024-02-30T10:00:00Z";
        break;
      default:
        break;
    }
    std::string line = page.dump();
    bytes += line.size() + 1;
    out << line << '\n';
  }
  std::fprintf(stderr, "make_corpus: %ld responses, %.1f MB in %s\n", responses, static_cast<double>(bytes) / 1e6, argv[1]);
  return out.good() ? 0 : 3;
}
