#include "aip/field_catalog.h"

#include <utility>

namespace conform::aip {

std::string_view FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kString:
      return "string";
    case FieldType::kInteger:
      return "integer";
    case FieldType::kNumber:
      return "number";
    case FieldType::kBoolean:
      return "boolean";
    case FieldType::kEnum:
      return "enum";
    case FieldType::kTimestamp:
      return "timestamp";
    case FieldType::kDuration:
      return "duration";
    case FieldType::kMessage:
      return "message";
    case FieldType::kMap:
      return "map";
  }
  return "unknown";
}

void FieldCatalog::Add(FieldInfo info) {
  auto found = index_.find(info.path);
  if (found != index_.end()) {
    fields_[found->second] = std::move(info);
    return;
  }
  index_.emplace(info.path, fields_.size());
  fields_.push_back(std::move(info));
}

const FieldInfo* FieldCatalog::Find(std::string_view path) const {
  auto found = index_.find(std::string(path));
  return found == index_.end() ? nullptr : &fields_[found->second];
}

}  // namespace conform::aip
