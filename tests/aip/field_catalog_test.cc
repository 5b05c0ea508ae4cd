#include "aip/field_catalog.h"

#include <gtest/gtest.h>

namespace conform::aip {
namespace field_catalog_test {
namespace {

TEST(FieldCatalog, FindsAddedFieldsAndKeepsOrder) {
  FieldCatalog catalog;
  catalog.Add({.path = "name", .type = FieldType::kString});
  catalog.Add({.path = "state", .type = FieldType::kEnum, .enum_values = {"A", "B"}});
  ASSERT_NE(catalog.Find("state"), nullptr);
  EXPECT_EQ(catalog.Find("state")->enum_values.size(), 2u);
  EXPECT_EQ(catalog.Find("missing"), nullptr);
  ASSERT_EQ(catalog.fields().size(), 2u);
  EXPECT_EQ(catalog.fields()[0].path, "name");
}

TEST(FieldCatalog, AddReplacesSamePath) {
  FieldCatalog catalog;
  catalog.Add({.path = "x", .type = FieldType::kString});
  catalog.Add({.path = "x", .type = FieldType::kInteger});
  ASSERT_EQ(catalog.fields().size(), 1u);
  EXPECT_EQ(catalog.Find("x")->type, FieldType::kInteger);
}

}  // namespace
}  // namespace field_catalog_test
}  // namespace conform::aip
