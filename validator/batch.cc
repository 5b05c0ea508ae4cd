#include "validator/batch.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace conform::validator {

std::vector<ExchangeVerdict> CheckAll(const ExchangeValidator& validator,
                                      const std::vector<traffic::Exchange>& exchanges, int threads) {
  std::vector<ExchangeVerdict> verdicts(exchanges.size());
  if (threads <= 0) {
    threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  // Small chunks keep both cores busy when bodies differ wildly in size.
  constexpr size_t kChunk = 8;
  size_t workers = std::min<size_t>(static_cast<size_t>(threads), (exchanges.size() + kChunk - 1) / kChunk);
  std::atomic<size_t> next{0};
  auto work = [&]() {
    while (true) {
      size_t begin = next.fetch_add(kChunk);
      if (begin >= exchanges.size()) {
        return;
      }
      size_t end = std::min(begin + kChunk, exchanges.size());
      for (size_t i = begin; i < end; ++i) {
        verdicts[i] = validator.Check(exchanges[i]);
      }
    }
  };
  if (workers <= 1) {
    work();
    return verdicts;
  }
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  for (size_t i = 0; i + 1 < workers; ++i) {
    pool.emplace_back(work);
  }
  work();
  for (std::thread& thread : pool) {
    thread.join();
  }
  return verdicts;
}

}  // namespace conform::validator
