// Checking many exchanges on several threads. Verdicts come back in input order whatever the
// number of threads, so reports never depend on scheduling.
//   std::vector<ExchangeVerdict> verdicts = CheckAll(*validator, exchanges, /*threads=*/2);
#pragma once

#include <vector>

#include "traffic/exchange.h"
#include "validator/exchange_validator.h"

namespace conform::validator {

// `threads` <= 0 means one per hardware thread.
std::vector<ExchangeVerdict> CheckAll(const ExchangeValidator& validator,
                                      const std::vector<traffic::Exchange>& exchanges, int threads);

}  // namespace conform::validator
