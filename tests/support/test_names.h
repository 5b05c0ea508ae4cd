// Names for parameterised tests, readable in test listings and ctest output.
//   INSTANTIATE_TEST_SUITE_P(All, FaultTest, ValuesIn(names),
//       [](const auto& info) { return conform::testing::CamelCase(info.param); });
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace conform::testing {

// "page-drops-item" and "not_openapi" -> "PageDropsItem", "NotOpenapi": gtest names allow
// only letters, digits and '_'.
inline std::string CamelCase(std::string_view words) {
  std::string name;
  bool upper = true;
  for (char c : words) {
    if (c == '-' || c == '_') {
      upper = true;
      continue;
    }
    name.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  return name;
}

}  // namespace conform::testing
