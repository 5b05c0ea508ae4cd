// List semantics in recorded traffic (`conform validate`). The 200 responses of an AIP-158
// List are read as pages and chained into the walks the client made: a request whose page
// token is the nextPageToken of an earlier page with the same filter, orderBy and readMask
// (pageSize may change, AIP-158) continues that page's walk; any other request starts one.
// The list oracles that need no further request then run on each walk (page sizes, order
// within and across pages, filter soundness, no repeats, totalSize, no token cycle, no
// credentials in clear); a recording that starts or stops mid-walk is judged on what it
// holds (no totalSize count, no last-page rule). Requests the contract rules out but the
// server answered 2xx are reported too: a filter with a syntax error or an unknown field, an
// orderBy on an unknown field, a negative pageSize, and a page token issued for other
// parameters.
//   RecordedLists lists = CheckRecordedLists(exchanges, verdicts, {.default_page_size = 50});
//   for (auto& [index, finding] : lists.findings) cases[index].findings.push_back(finding);
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "traffic/exchange.h"
#include "validator/exchange_validator.h"
#include "validator/finding.h"

namespace conform::validator {

struct RecordedListOptions {
  // Given on the command line; nullopt: what each operation's spec states, else the seed's 50
  // and 200 (ResolvePageSizes).
  std::optional<int64_t> default_page_size;
  std::optional<int64_t> max_page_size;
  int threads = 0;                 // walks checked at once; 0: one per core
};

struct RecordedLists {
  // Each finding with the exchange (an index into the input) where it shows.
  std::vector<std::pair<size_t, Finding>> findings;
  size_t pages = 0;           // 200 responses of a List read as pages
  size_t walks = 0;           // the walks they form (a page on its own is a walk of one)
  size_t complete_walks = 0;  // from a first page to a last page, every page recorded
};

// `verdicts[i]` is ExchangeValidator::Check of `exchanges[i]`: it names the operation and, for
// a page, its next token, so chaining parses no body. Exchanges are taken in input order, the
// order a client sent them in. Each walk's bodies are then parsed once more for its checks,
// walk by walk, so memory holds the walks being checked, not the whole recording.
RecordedLists CheckRecordedLists(const std::vector<traffic::Exchange>& exchanges,
                                 const std::vector<ExchangeVerdict>& verdicts,
                                 const RecordedListOptions& options);

}  // namespace conform::validator
