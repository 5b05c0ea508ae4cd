// The bodies of the properties of fuzz/properties.h: one case each (generate, send through the
// Driver, judge with the shared oracles). RapidCheck drives them from fuzzer.cc.
//   internal::Context ctx{...};
//   if (!internal::SkipReason("walk_matches_reference", ctx)) { internal::BodyOf(name)(ctx); }
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzzer.h"
#include "fuzz/generators.h"
#include "fuzz/properties.h"
#include "fuzz/internal/driver.h"
#include "validator/contract.h"
#include "validator/list_walk.h"

namespace conform::fuzz::internal {

struct Context {
  const validator::Operation& op;
  Driver& driver;
  const DataProfile& profile;
  const validator::Walk& reference;  // every resource, default order, largest page size
  const FuzzTarget& target;
  validator::ListTarget main;                  // our account, our key
  validator::ListTarget anonymous;             // our account, no key
  std::optional<validator::ListTarget> other;  // the second principal's account and key
};

// The concrete collection path for `account` (the operation's one path parameter).
std::string PathFor(const validator::Operation& op, const std::string& account);

using PropertyBody = void (*)(Context& ctx);

// A property of AllProperties() and its body: the one list of properties.
struct PropertyEntry {
  PropertyInfo info;
  PropertyBody body;
};
const std::vector<PropertyEntry>& PropertyEntries();
// The body of a property of AllProperties(); nullptr for an unknown name.
PropertyBody BodyOf(std::string_view property);

// Why a property cannot run against this target (no filter parameter, no bearer auth, not the
// embedded server...); nullopt when it can.
std::optional<std::string> SkipReason(std::string_view property, const Context& ctx);

// pagination_under_churn (churn.cc).
void ChurnCase(Context& ctx);
// Deletes every job of the churn account, leaving the server as it was found.
void ResetChurnAccount(const ChurnStore& store);

}  // namespace conform::fuzz::internal
