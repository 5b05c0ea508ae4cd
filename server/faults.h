// Named fault modes of the reference server: realistic defects that real List APIs ship, each
// breaking one rule of the seed or an AIP, so that every checker of conform has a server to
// catch. A fault changes only what its name says; everything else stays correct.
//   Result<FaultSet> faults = ParseFaults({"page-drops-item", "desc-ignored,total-size-of-page"});
//   if (faults->Has(Fault::kDescIgnored)) { ... }
// docs/server.md holds the same table (FaultTableMarkdown); a test keeps the two identical.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace conform::server {

enum class Fault : uint8_t {
  kPageDropsItem,
  kPageRepeatsItem,
  kPageSizeUncapped,
  kDefaultPageSize100,
  kPageSizeZeroEmpty,
  kNegativePageSizeAccepted,
  kDescIgnored,
  kSecondaryOrderIgnored,
  kUnstableTies,
  kUnknownOrderFieldIgnored,
  kNotEqualAsEqual,
  kOrBindsLooser,
  kTimestampsAsStrings,
  kUnknownFilterFieldAccepted,
  kTotalSizeOfPage,
  kTokenNotBoundToFilter,
  kTokenNotBoundToAccount,
  kGarbageToken500,
  kLastPageLoops,
  kTokenOnLastPage,
  kPrematureEnd,
  kDateTimeWithoutOffset,
  kStateOutsideEnum,
  kTotalSizeAsString,
  kMissingDataset,
  kMissingAuthAccepted,
  kTokenReplayWithoutAuth,
  kCrossAccountKey,
  kReadMaskIgnored,
  kApiKeyInClear,
  kErrorShapeDetail,
  kErrorCodeMismatch,
  kContentTypeTextPlain,
};

struct FaultInfo {
  Fault fault;
  std::string_view name;     // --fault NAME: "page-drops-item"
  std::string_view symptom;  // what a client observes over HTTP
  std::string_view rule;     // the rule it breaks, quoted from its source
  std::string_view source;   // "AIP-158", "seed: pageSize", ...
  std::string_view check;    // the conform check id that reports it (docs/checks.md)
};

// Every fault, in documentation order.
const std::vector<FaultInfo>& AllFaults();
// nullptr for an unknown name.
const FaultInfo* FindFault(std::string_view name);
const FaultInfo& DescribeFault(Fault fault);

// A set of faults; empty means the correct server.
class FaultSet {
 public:
  FaultSet() = default;
  void Add(Fault fault) { bits_ |= Bit(fault); }
  bool Has(Fault fault) const { return (bits_ & Bit(fault)) != 0; }
  bool empty() const { return bits_ == 0; }
  // Names in table order.
  std::vector<std::string> Names() const;
  bool operator==(const FaultSet&) const = default;

 private:
  static uint64_t Bit(Fault fault) { return uint64_t{1} << static_cast<unsigned>(fault); }
  uint64_t bits_ = 0;
};

// Each spec is one name or a comma-separated list ("a,b"); blanks around names are ignored.
// kInvalidArgument naming the first unknown fault.
Result<FaultSet> ParseFaults(const std::vector<std::string>& specs);

// The table of docs/server.md: | fault | symptom | rule broken | source | caught by |.
std::string FaultTableMarkdown();

}  // namespace conform::server
