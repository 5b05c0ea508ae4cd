// AIP-160 filters typed by a FieldCatalog: parse + type-check once, then test resources.
//   Result<aip::Filter> f =
//       aip::ParseFilter("state = JOB_STATE_RUNNING AND trainingConfig.epochs > 2", catalog);
//   if (f && aip::Matches(*f, job)) { ... }
// Syntax and printing are in filter_syntax.h; this header adds types and meaning.
//
// Semantics (what a server conforming to AIP-160 is checked against):
// - Comparators: strings compare bytewise; integers exactly and floats as double (an integer
//   field accepts a float literal: `epochs > 2.5`); booleans and enums support = != : only;
//   timestamps ("2023-11-07T05:31:56Z", any offset) compare as instants; durations ("3.5s")
//   as durations. A quoted literal converts like a bare one (`epochs = "3"` is fine).
// - Enums: `state = JOB_STATE_RUNNING` and `state = "JOB_STATE_RUNNING"` are the same; the
//   value must be declared in the catalog.
// - Wildcards: with = != and ':' on a string field, an unescaped '*' in the value matches any
//   run of bytes (`displayName = "foo*"`, `"*bar"`, `"a*b"`); `\*` is a literal star. With
//   < <= > >= every '*' is literal.
// - `:` (has): on a repeated field, "contains" (`tags:foo`; on repeated messages
//   `authors.name:"Ann"` means some element matches); on a map, "has key" (`labels:env`);
//   `x:*` is presence for any field: a set message, a non-empty repeated field or map, a set
//   timestamp/duration, or a primitive that differs from its default (proto3 has-semantics);
//   on a scalar, `f:value` is `f = value`. A message supports only `m:*` (and `m.f...`).
//   Repeated fields (or paths through them) support only ':'.
// - Map values (`labels.env = "prod"`) are untyped in the catalog: compared as JSON strings,
//   numbers or booleans according to the resource's value.
// - Missing fields (proto3): an absent primitive reads as its default ("", 0, false, first
//   enum value), also below an absent message (`trainingConfig.epochs = 0` holds when
//   trainingConfig is absent). An absent timestamp, duration or message, or a value of the
//   wrong JSON type, is unset: every comparison on it is false except `!=`, which is true.
//   That is Matches, the reference server's reading; the oracles accept others where AIP-160
//   leaves room (MatchesUnambiguously).
// - Not supported (type errors): a bare value without a field (global search), functions,
//   parenthesised values, traversal into a scalar, fields marked not filterable.
// All errors are kInvalidArgument with where = "column N" of the offending token.
#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "aip/field_catalog.h"
#include "aip/filter_syntax.h"
#include "aip/values.h"
#include "common/result.h"

namespace conform::aip {

namespace internal {
struct Predicate;
}  // namespace internal

// A type-checked filter. Self-contained: it copies what it needs from the catalog. Cheap to
// copy (the checked form is shared and immutable).
class Filter {
 public:
  Filter();  // the empty filter: matches every resource
  // The tree the filter was checked from; Print(filter) prints it.
  const FilterSyntax& syntax() const { return syntax_; }
  bool empty() const { return !syntax_.root.has_value(); }

 private:
  friend Result<Filter> CheckFilter(FilterSyntax syntax, const FieldCatalog& catalog,
                                    const FilterOptions& options);
  friend bool Matches(const Filter& filter, const nlohmann::json& resource);
  friend std::optional<bool> MatchesUnambiguously(const Filter& filter,
                                                  const nlohmann::json& resource);

  FilterSyntax syntax_;
  std::shared_ptr<const internal::Predicate> predicate_;
  // predicate_ with the '*' of every `!=` read literally (null when it has none): the other
  // reading MatchesUnambiguously allows.
  std::shared_ptr<const internal::Predicate> literal_not_equal_;
};

// ParseFilterSyntax, then CheckFilter.
Result<Filter> ParseFilter(std::string_view text, const FieldCatalog& catalog,
                           const FilterOptions& options = {});

// Types `syntax` against `catalog` (see the semantics above). Trees built in code are held
// to a height limit derived from options.max_depth, checked without recursion.
Result<Filter> CheckFilter(FilterSyntax syntax, const FieldCatalog& catalog,
                           const FilterOptions& options = {});

// Whether `resource` (one JSON object, e.g. a DpoJob) satisfies `filter`.
bool Matches(const Filter& filter, const nlohmann::json& resource);

// Matches where AIP-160 leaves no doubt; nullopt where the answer turns on comparing a value
// the resource does not set (an absent field, one below an absent message, a value of the
// wrong type). Matches reads an absent primitive as its proto3 default and takes a comparison
// with an unset value as false (true for !=); another server takes every absent field as
// unset; a SQL-backed one compares NULL, which is unknown, so that `NOT completedTime = "..."`
// leaves out a job without completedTime; and AIP-160 (2025-01) says a resource whose
// traversal meets an unset message "should be skipped", even for != (`wandbConfig.enabled !=
// true` leaves out a job without wandbConfig), which a server may also apply to the comparison
// alone, so that NOT of it holds. AIP-160 gives wildcards to `=` ("a = \"*.foo\"")
// and says nothing of `!=`: `displayName != "a*"` is read both as NOT of the wildcard `=` and
// with a literal star. Where the readings differ, either answer is right.
std::optional<bool> MatchesUnambiguously(const Filter& filter, const nlohmann::json& resource);

// Canonical text of the filter (Print of its syntax).
std::string Print(const Filter& filter);

// The literal that a filter would use for `value` (strings quoted with literal stars,
// enums and booleans bare, timestamps and durations quoted); nullopt for Unset.
std::optional<Literal> ToLiteral(const Value& value);

}  // namespace conform::aip
