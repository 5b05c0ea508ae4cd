// RapidCheck generators for the parameters of an AIP List, derived from the contract and the
// data, never from hard-coded field lists: fields, types, enums and sortability come from the
// operation's field catalog; values from a first walk of the target (DataProfile). Every
// generated filter is built with the aip/ node builders and printed, so it re-parses and can be
// evaluated client-side with aip::Matches. Choices shrink towards the simplest case.
//   fuzz::DataProfile profile = fuzz::BuildDataProfile(op.catalog, reference.Items(), {});
//   fuzz::FilterCase filter = *fuzz::GenFilter(profile);   // inside a property
#pragma once

#include <rapidcheck.h>

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "aip/field_catalog.h"
#include "aip/filter_syntax.h"
#include "aip/values.h"

namespace conform::fuzz {

// A field a filter may test, with the distinct values the data holds for it.
struct FieldValues {
  aip::FieldInfo field;
  std::vector<aip::Value> seen;  // in order of first appearance, at most kMaxSeenValues
};
inline constexpr size_t kMaxSeenValues = 48;

struct PageSizeRules {
  int64_t default_page_size = 50;  // seed: "If unspecified, the default is 50"
  int64_t max_page_size = 200;     // seed: "The maximum page_size is 200"
};

// What the generators draw from. Secret fields (traffic::IsSecretJsonKey) are left out of
// filters, orderBy and read masks.
struct DataProfile {
  aip::FieldCatalog catalog;
  std::vector<FieldValues> filterable;     // scalar filterable fields and messages (presence)
  std::vector<std::string> sortable;       // orderBy fields
  std::vector<std::string> mask_paths;     // readMask paths
  std::vector<std::string> message_paths;  // message fields, for unknown nested names
  size_t items = 0;                        // resources in the reference walk
  PageSizeRules page_sizes;
};

DataProfile BuildDataProfile(const aip::FieldCatalog& catalog,
                             const std::vector<const nlohmann::json*>& items, PageSizeRules rules);

// Index in [0, n) (n > 0), uniform, shrinking towards 0.
rc::Gen<size_t> Pick(size_t n);
// Index i with probability weights[i] / sum, shrinking towards 0.
rc::Gen<size_t> WeightedPick(std::vector<size_t> weights);
// Integer in [low, high], uniform, shrinking towards `low`.
rc::Gen<int64_t> Uniform(int64_t low, int64_t high);
// 1 to `max` values of `gen`; shrinks by dropping values, then by shrinking them.
template <typename T>
rc::Gen<std::vector<T>> SomeOf(rc::Gen<T> gen, int max) {
  return rc::gen::exec([gen, max] {
    // A container of size `max` holds 0..max values (rc::gen::nonEmpty would grow the size).
    std::vector<T> values = *rc::gen::resize(max, rc::gen::container<std::vector<T>>(gen));
    if (values.empty()) {
      values.push_back(*gen);
    }
    return values;
  });
}

// A well-typed filter and the text sent for it: one spelling of the tree (canonical, with the
// optional parentheses left out, extra blanks, or '-' for NOT). Both parse to the same filter.
struct FilterCase {
  std::string text;       // sent as the filter parameter
  std::string canonical;  // aip::Print of the tree
  std::string spelling;   // "canonical", "minimal parentheses", "spaced", "minus for NOT"
};
// Restrictions on every filterable field (nested ones such as trainingConfig.region too):
// enum values from the schema, values seen in the data, timestamps around seen instants written
// at other UTC offsets, int32 edges, strings with '*' wildcards; joined by AND, OR, NOT, '-'
// and implicit AND, at most three levels deep. The profile must outlive the generator.
rc::Gen<FilterCase> GenFilter(const DataProfile& profile);

// The shrinks GenFilter adds after RapidCheck's own, towards the shortest filter that fails:
// each operand of a composite (`a AND (b OR c)` -> `b OR c` -> `c`), and a list of three or
// more operands with one left out (`a AND a AND (a OR b)` -> `a AND (a OR b)`).
rc::Seq<aip::Node> SmallerFilters(const aip::Node& node);

// An input the server must reject with 400 INVALID_ARGUMENT: the text and what is wrong.
struct InvalidInput {
  std::string text;
  std::string what;  // "a dangling AND", "an unknown field", ...
};
// Syntax errors, unknown fields (top-level and nested) and type errors, each alone or joined to
// a valid filter; every one is also rejected by aip::ParseFilter.
rc::Gen<InvalidInput> GenInvalidFilter(const DataProfile& profile);

// 1-3 distinct sortable fields, each asc, desc or bare, with whitespace variants
// ("  createTime   desc ,name "). Always accepted by aip::ParseOrderBy.
rc::Gen<std::string> GenOrderBy(const DataProfile& profile);
// Unknown fields, unknown directions, duplicates, empty items.
rc::Gen<InvalidInput> GenInvalidOrderBy(const DataProfile& profile);

// A subset of the field paths, "*" or "", with blanks around paths.
rc::Gen<std::string> GenReadMask(const DataProfile& profile);
// Unknown paths, alone or next to valid ones.
rc::Gen<InvalidInput> GenInvalidReadMask(const DataProfile& profile);

// A valid pageSize: absent, 0, 1, 2, 49, 50, 51, 199, 200, 201, 2^31-1, sizes derived from the
// number of resources, or random. Shrinks towards 1.
rc::Gen<std::optional<std::string>> GenPageSize(const DataProfile& profile);
// Page sizes for consecutive pages (1-4 entries; the last repeats).
rc::Gen<std::vector<std::optional<std::string>>> GenPageSizes(const DataProfile& profile);
// -1, large negatives, words and fractions.
rc::Gen<InvalidInput> GenInvalidPageSize();

// `token` mutated so that no server can accept it: a bit flipped (never in the last
// character, whose spare bits base64 decoders may ignore), truncated, extended, or a character
// replaced. `token` must not be empty.
rc::Gen<InvalidInput> GenTokenMutation(const std::string& token);
// Tokens no server minted: random base64url and text that is not base64 at all.
rc::Gen<InvalidInput> GenGarbageToken();

// The root AND (or implicit AND) of `node` printed without the parentheses AIP-160 precedence
// makes optional: `a AND (b OR c)` becomes `a AND b OR c`. nullopt when nothing changes.
std::optional<std::string> PrintWithoutOptionalParentheses(const aip::Node& node);

}  // namespace conform::fuzz
