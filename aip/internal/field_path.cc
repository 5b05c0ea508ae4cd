#include "aip/internal/field_path.h"

#include "aip/internal/text.h"

namespace conform::aip::internal {

PathResolution ResolvePath(const FieldCatalog& catalog, const std::vector<std::string>& segments) {
  PathResolution resolution;
  std::string parent_path;  // catalog path of the last field step
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& segment = segments[i];
    const PathStep* previous = resolution.steps.empty() ? nullptr : &resolution.steps.back();
    if (previous != nullptr && previous->field == nullptr) {
      resolution.failed_segment = i;
      resolution.error = "cannot select " + Quote(segment) + " inside a map value; " +
                         Quote(segments[i - 1]) + " is a map key";
      return resolution;
    }
    if (previous != nullptr && previous->field->type == FieldType::kMap) {
      resolution.steps.push_back({segment, nullptr});
      continue;
    }
    if (previous != nullptr && previous->field->type != FieldType::kMessage) {
      resolution.failed_segment = i;
      resolution.names_no_field = true;
      const FieldType type = previous->field->type;
      resolution.error = "field " + Quote(previous->field->path) + " is " +
                         (type == FieldType::kInteger || type == FieldType::kEnum ? "an " : "a ") +
                         std::string(FieldTypeName(type)) + ", not a message; it has no field " +
                         Quote(segment);
      return resolution;
    }
    const std::string path = parent_path.empty() ? segment : parent_path + "." + segment;
    const FieldInfo* field = catalog.Find(path);
    if (field == nullptr) {
      resolution.failed_segment = i;
      resolution.names_no_field = true;
      resolution.error = "unknown field " + Quote(parent_path.empty() ? segment : path) +
                         Suggestion(segment, ChildNames(catalog, parent_path));
      return resolution;
    }
    resolution.steps.push_back({segment, field});
    parent_path = path;
  }
  return resolution;
}

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (true) {
    const size_t dot = path.find('.', start);
    if (dot == std::string_view::npos) {
      segments.emplace_back(path.substr(start));
      return segments;
    }
    segments.emplace_back(path.substr(start, dot - start));
    start = dot + 1;
  }
}

}  // namespace conform::aip::internal
