// The checked form of a filter: a tree of AND/OR/NOT over leaf tests that carry their JSON
// path, the field type and the converted literal. Built by CheckFilter, read by Matches.
//   internal::Predicate leaf{.kind = PredicateKind::kCompare, .path = {{"state", false}}, ...};
#pragma once

#include <string>
#include <vector>

#include "aip/field_catalog.h"
#include "aip/filter_syntax.h"
#include "aip/values.h"

namespace conform::aip::internal {

enum class PredicateKind {
  kAnd,
  kOr,
  kNot,
  kCompare,  // path <comparator> value
  kPresent,  // path:*
};

struct PathSegment {
  std::string key;
  bool expand = false;  // the value here is an array: continue in each element (any-of)
};

struct Predicate {
  PredicateKind kind = PredicateKind::kAnd;
  std::vector<Predicate> children;

  // Leaves.
  std::vector<PathSegment> path;
  FieldInfo field;              // the leaf's element type (enum values included)
  bool map_value = false;       // the leaf is a map value: untyped, read dynamically
  bool whole_repeated = false;  // kPresent on a repeated field itself: non-empty
  bool any_of = false;          // some segment expands: true if any reached element passes

  // kCompare.
  Comparator comparator = Comparator::kEqual;
  Value value;                       // the converted literal (Unset for map values)
  std::vector<std::string> pattern;  // >= 2 pieces when the string value has wildcards
  // Map values: the literal as a string, and as a number/boolean when it reads as one.
  std::string text;
  Value number;
  Value boolean;
};

}  // namespace conform::aip::internal
