#include "aip/read_mask.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "aip/internal/field_path.h"
#include "aip/internal/text.h"

namespace conform::aip {
namespace {

using internal::ErrorAt;
using internal::IsSpace;
using internal::Quote;

// Validates one path that starts at byte `offset` of the input.
Status CheckPath(const FieldCatalog& catalog, std::string_view path, size_t offset) {
  for (size_t i = 0; i < path.size(); ++i) {
    if (IsSpace(path[i])) {
      return ErrorAt(offset + i, "whitespace inside read-mask path " + Quote(path));
    }
  }
  const std::vector<std::string> segments = internal::SplitPath(path);
  std::vector<size_t> starts;
  size_t start = offset;
  for (const std::string& segment : segments) {
    if (segment.empty()) {
      return ErrorAt(start, "empty field name in read-mask path " + Quote(path));
    }
    if (segment == "*") {
      return ErrorAt(start, "'*' is only allowed as a whole read-mask path, not in " + Quote(path));
    }
    starts.push_back(start);
    start += segment.size() + 1;
  }
  internal::PathResolution resolution = internal::ResolvePath(catalog, segments);
  if (!resolution.ok()) {
    return ErrorAt(starts[resolution.failed_segment],
                   "read-mask path " + Quote(path) + ": " + resolution.error);
  }
  for (size_t i = 0; i + 1 < resolution.steps.size(); ++i) {
    const FieldInfo* field = resolution.steps[i].field;
    if (field != nullptr && field->repeated) {
      return ErrorAt(starts[i + 1], "read-mask path " + Quote(path) +
                                        " selects inside repeated field " + Quote(field->path) +
                                        "; mask " + Quote(field->path) + " as a whole");
    }
  }
  return OkStatus();
}

// Sorted, unique, without paths below another path of the set.
std::vector<std::string> Canonical(std::vector<std::string> paths) {
  const std::set<std::string> all(paths.begin(), paths.end());
  std::vector<std::string> kept;
  for (const std::string& path : all) {
    bool covered = false;
    for (size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', dot + 1)) {
      if (all.count(path.substr(0, dot)) > 0) {
        covered = true;
        break;
      }
    }
    if (!covered) {
      kept.push_back(path);
    }
  }
  return kept;
}

// Whether `path` is `ancestor` or below it.
bool IsWithin(std::string_view path, std::string_view ancestor) {
  return path.starts_with(ancestor) &&
         (path.size() == ancestor.size() || path[ancestor.size()] == '.');
}

}  // namespace

Result<ReadMask> ParseReadMask(std::string_view text, const FieldCatalog& catalog,
                               const ReadMaskOptions& options) {
  if (auto error = internal::ScreenInput(text, "read mask", options.max_length)) {
    return *error;
  }
  ReadMask mask;
  if (std::all_of(text.begin(), text.end(), IsSpace)) {
    return mask;
  }
  std::vector<std::string> paths;
  bool everything = false;
  size_t item_start = 0;
  while (true) {
    size_t item_end = text.find(',', item_start);
    if (item_end == std::string_view::npos) {
      item_end = text.size();
    }
    size_t first = item_start;
    size_t last = item_end;
    while (first < last && IsSpace(text[first])) {
      ++first;
    }
    while (last > first && IsSpace(text[last - 1])) {
      --last;
    }
    const std::string_view path = text.substr(first, last - first);
    if (path.empty()) {
      return ErrorAt(first, "empty path in read mask");
    }
    if (path == "*") {
      everything = true;
    } else {
      Status checked = CheckPath(catalog, path, first);
      if (!checked) {
        return checked.error();
      }
      paths.emplace_back(path);
    }
    if (item_end == text.size()) {
      break;
    }
    item_start = item_end + 1;
  }
  if (!everything) {
    mask.paths = Canonical(std::move(paths));
  }
  return mask;
}

std::string Print(const ReadMask& mask) {
  if (mask.all()) {
    return "*";
  }
  std::string out;
  for (const std::string& path : mask.paths) {
    if (!out.empty()) {
      out += ',';
    }
    out += path;
  }
  return out;
}

MaskCoverage Coverage(const ReadMask& mask, std::string_view path) {
  if (mask.all()) {
    return MaskCoverage::kFull;
  }
  MaskCoverage coverage = MaskCoverage::kNone;
  for (const std::string& masked : mask.paths) {
    if (!path.empty() && IsWithin(path, masked)) {
      return MaskCoverage::kFull;
    }
    if (path.empty() || (masked.size() > path.size() && IsWithin(masked, path))) {
      coverage = MaskCoverage::kPartial;
    }
  }
  return coverage;
}

bool Allows(const ReadMask& mask, std::string_view path) {
  return Coverage(mask, path) != MaskCoverage::kNone;
}

nlohmann::json Project(const ReadMask& mask, const nlohmann::json& resource) {
  if (mask.all() || !resource.is_object()) {
    return resource;
  }
  nlohmann::json out = nlohmann::json::object();
  for (const std::string& path : mask.paths) {
    const std::vector<std::string> segments = internal::SplitPath(path);
    const nlohmann::json* source = &resource;
    for (const std::string& segment : segments) {
      if (source == nullptr || !source->is_object()) {
        source = nullptr;
        break;
      }
      auto found = source->find(segment);
      source = found == source->end() ? nullptr : &*found;
    }
    if (source == nullptr) {
      continue;
    }
    nlohmann::json* target = &out;
    for (size_t i = 0; i + 1 < segments.size(); ++i) {
      target = &(*target)[segments[i]];
    }
    (*target)[segments.back()] = *source;
  }
  return out;
}

}  // namespace conform::aip
