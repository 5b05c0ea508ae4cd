// AIP-157 read masks (field-mask syntax of AIP-161): parse "name,trainingConfig.region"
// against a FieldCatalog, project a resource onto it, and ask whether a returned field is
// inside it (the readMask oracle flags fields a server returned outside the mask).
//   Result<aip::ReadMask> mask = aip::ParseReadMask("name, trainingConfig.region", catalog);
//   nlohmann::json partial = aip::Project(*mask, job);  //
//   {"name":..,"trainingConfig":{"region":..}}
// Paths are relative to the resource. A path may name a map key ("labels.env") but may not
// go inside a repeated field ("authors.name" is rejected: mask "authors" as a whole).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "aip/field_catalog.h"
#include "common/result.h"

namespace conform::aip {

struct ReadMask {
  // Canonical: sorted, unique, and no path below another one in the list. Empty means every
  // field (the mask was "", "*" or contained "*").
  std::vector<std::string> paths;
  bool all() const { return paths.empty(); }
  bool operator==(const ReadMask&) const = default;
};

struct ReadMaskOptions {
  size_t max_length = 4096;  // bytes of read-mask text
};

// Parses comma-separated dotted paths; whitespace around paths is ignored. Errors
// (kInvalidArgument, where = "column N" of the path): empty path, whitespace inside a path,
// unknown field (the message names the path), a path inside a repeated field, inside a map
// value, or inside a scalar, and '*' anywhere but as a whole path.
Result<ReadMask> ParseReadMask(std::string_view text, const FieldCatalog& catalog,
                               const ReadMaskOptions& options = {});

// Canonical text: "*" for all fields, else the paths joined by ','.
std::string Print(const ReadMask& mask);

enum class MaskCoverage {
  kNone,     // outside the mask
  kPartial,  // an ancestor of a masked path: present as a container, check its children
  kFull,     // a masked path or below one
};

// How `path` (dotted, relative to the resource; "" is the resource) relates to the mask.
MaskCoverage Coverage(const ReadMask& mask, std::string_view path);

// Coverage(mask, path) != kNone: `path` may appear in a response read with `mask`.
bool Allows(const ReadMask& mask, std::string_view path);

// A copy of `resource` holding only the masked paths (a message path keeps its whole
// sub-object; "trainingConfig.region" keeps only that member inside trainingConfig). Paths
// missing from the resource are skipped. Non-object resources are returned unchanged.
nlohmann::json Project(const ReadMask& mask, const nlohmann::json& resource);

}  // namespace conform::aip
