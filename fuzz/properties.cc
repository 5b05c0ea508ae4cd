#include "fuzz/properties.h"

#include "fuzz/internal/properties.h"

namespace conform::fuzz {

const std::vector<PropertyInfo>& AllProperties() {
  static const std::vector<PropertyInfo> kProperties = [] {
    std::vector<PropertyInfo> infos;
    for (const internal::PropertyEntry& entry : internal::PropertyEntries()) {
      infos.push_back(entry.info);
    }
    return infos;
  }();
  return kProperties;
}

const PropertyInfo* FindProperty(std::string_view name) {
  for (const PropertyInfo& property : AllProperties()) {
    if (property.name == name) {
      return &property;
    }
  }
  return nullptr;
}

}  // namespace conform::fuzz
