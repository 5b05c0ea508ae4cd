// AIP-132 orderBy: parse "createTime desc, name" against a FieldCatalog, print it canonically
// ("createTime desc,name") and compare two resources by it. The page-order oracle and the
// reference server share Compare, so "sorted" means one thing everywhere.
//   Result<aip::OrderBy> order = aip::ParseOrderBy("createTime desc, name", catalog);
//   int c = aip::Compare(*order, job_a, job_b);  // < 0: job_a comes first
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "aip/field_catalog.h"
#include "aip/values.h"
#include "common/result.h"

namespace conform::aip {

enum class SortDirection { kAscending, kDescending };

struct OrderKey {
  FieldInfo field;  // copied from the catalog; field.path is the dotted path
  SortDirection direction = SortDirection::kAscending;
  bool operator==(const OrderKey&) const = default;
};

struct OrderBy {
  std::vector<OrderKey> keys;  // empty: no ordering requested
  bool empty() const { return keys.empty(); }
  bool operator==(const OrderBy&) const = default;
};

struct OrderByOptions {
  size_t max_length = 4096;  // bytes of orderBy text
};

// Parses comma-separated fields, each optionally followed by `asc` or `desc` (lower case),
// subfields with '.'; whitespace around tokens is ignored ("  foo   desc ,bar "); "" and
// all-whitespace give an empty OrderBy. Errors (kInvalidArgument, where = "column N"):
// empty item, unknown field, a field that is not sortable (message, map, repeated, inside a
// repeated field or map, or marked not sortable), a duplicate, an unknown direction.
Result<OrderBy> ParseOrderBy(std::string_view text, const FieldCatalog& catalog,
                             const OrderByOptions& options = {});

// Canonical text: "a desc,b" (ascending is implied, no spaces around commas).
std::string Print(const OrderBy& order_by);

// Three-way comparison (< 0, 0, > 0) of two resources by the keys in turn, with values read
// per values.h (absent fields as their proto3 default; unset timestamps and durations before
// every set one) and ordered per CompareValues. A strict weak ordering on any JSON values.
int Compare(const OrderBy& order_by, const nlohmann::json& a, const nlohmann::json& b,
            const CompareOptions& options = {});

// `order_by` with an ascending key on `path` appended, unless a key on `path` is already
// there (AIP-132 lists are usually tie-broken by `name`). Errors as ParseOrderBy's.
Result<OrderBy> WithTieBreaker(OrderBy order_by, std::string_view path,
                               const FieldCatalog& catalog);

}  // namespace conform::aip
