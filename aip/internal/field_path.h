// Resolves the segments of a dotted field path against a FieldCatalog, the one walk the filter,
// orderBy and read-mask code share: each segment names a field of the message before it, or a
// key of the map before it.
//   PathResolution r = internal::ResolvePath(catalog, {"trainingConfig", "region"});
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aip/field_catalog.h"

namespace conform::aip::internal {

struct PathStep {
  std::string key;                   // the JSON member name (a field name or a map key)
  const FieldInfo* field = nullptr;  // the catalog entry; nullptr for a map key
};

struct PathResolution {
  std::vector<PathStep> steps;  // all segments when ok()
  size_t failed_segment = 0;    // index of the segment that failed, when !ok()
  std::string error;            // one-line reason, when !ok()
  bool names_no_field =
      false;  // the path names no field of the resource (unknown, or past a scalar)
  bool ok() const { return error.empty(); }
};

// Walks `segments`. Errors: unknown field (with a suggestion), a segment after a scalar field,
// a segment after a map key (map values are untyped in the catalog).
PathResolution ResolvePath(const FieldCatalog& catalog, const std::vector<std::string>& segments);

// Splits "a.b.c" at dots; empty segments are kept (callers reject them with a column).
std::vector<std::string> SplitPath(std::string_view path);

}  // namespace conform::aip::internal
