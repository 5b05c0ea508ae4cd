// Properties of AIP-132 orderBy and AIP-157 read masks over random input and resources.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <limits>

#include "aip/order_by.h"
#include "aip/read_mask.h"
#include "tests/aip/generators.h"
#include "tests/aip/test_catalogs.h"

namespace conform::aip {
namespace order_by_property_test {
namespace {

using Json = nlohmann::json;

int Sign(int value) { return value < 0 ? -1 : (value > 0 ? 1 : 0); }

RC_GTEST_PROP(OrderByProperty, PrintedOrderByParsesBackToTheSameKeys, ()) {
  const std::string text = *testing::GenOrderByText(testing::DpoJobCatalog());
  Result<OrderBy> order_by = ParseOrderBy(text, testing::DpoJobCatalog());
  RC_ASSERT(order_by.ok());
  Result<OrderBy> again = ParseOrderBy(Print(*order_by), testing::DpoJobCatalog());
  RC_ASSERT(again.ok());
  RC_ASSERT(*again == *order_by);
  RC_ASSERT(Print(*again) == Print(*order_by));
}

RC_GTEST_PROP(OrderByProperty, CompareIsAStrictWeakOrdering, ()) {
  const bool book = *rc::gen::arbitrary<bool>();
  const FieldCatalog& catalog = book ? testing::BookCatalog() : testing::DpoJobCatalog();
  Result<OrderBy> order_by = ParseOrderBy(*testing::GenOrderByText(catalog), catalog);
  RC_ASSERT(order_by.ok());
  const CompareOptions options{.enum_order =
                                   *rc::gen::element(EnumOrder::kDeclaration, EnumOrder::kName)};
  const Json a = *testing::GenResource(catalog);
  const Json b = *testing::GenResource(catalog);
  const Json c = *testing::GenResource(catalog);
  const auto cmp = [&](const Json& x, const Json& y) {
    return Sign(Compare(*order_by, x, y, options));
  };
  RC_ASSERT(cmp(a, a) == 0);               // irreflexive
  RC_ASSERT(cmp(a, b) == -cmp(b, a));      // antisymmetric
  if (cmp(a, b) <= 0 && cmp(b, c) <= 0) {  // transitive, ties included
    RC_ASSERT(cmp(a, c) <= 0);
    if (cmp(a, b) < 0 || cmp(b, c) < 0) {
      RC_ASSERT(cmp(a, c) < 0);
    }
  }
}

// Values a single field can hold, rich in numeric edge cases (mixed int64/uint64/double,
// NaN, infinities, signed zeros, values beyond double precision).
rc::Gen<Value> GenEdgeValue() {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  return rc::gen::element<Value>(
      Unset{}, int64_t{-3}, int64_t{0}, int64_t{2}, int64_t{9007199254740993},
      std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), uint64_t{2},
      uint64_t{9223372036854775808u}, std::numeric_limits<uint64_t>::max(), -inf, -2.5, -0.0, 0.0,
      0.5, 2.0, 9007199254740992.0, 9223372036854775808.0, 18446744073709551616.0, inf, nan,
      std::string(""), std::string("a"), false, true, EnumValue{"B", 1}, EnumValue{"A", 0},
      EnumValue{"Z", -1}, Instant{0, 1}, Duration{-1, 5});
}

RC_GTEST_PROP(AipValuesProperty, CompareValuesIsAStrictWeakOrdering, ()) {
  const Value a = *GenEdgeValue();
  const Value b = *GenEdgeValue();
  const Value c = *GenEdgeValue();
  const CompareOptions options{.enum_order =
                                   *rc::gen::element(EnumOrder::kDeclaration, EnumOrder::kName)};
  const auto cmp = [&](const Value& x, const Value& y) {
    return Sign(CompareValues(x, y, options));
  };
  RC_ASSERT(cmp(a, a) == 0);
  RC_ASSERT(cmp(a, b) == -cmp(b, a));
  if (cmp(a, b) <= 0 && cmp(b, c) <= 0) {
    RC_ASSERT(cmp(a, c) <= 0);
    if (cmp(a, b) < 0 || cmp(b, c) < 0) {
      RC_ASSERT(cmp(a, c) < 0);
    }
  }
}

RC_GTEST_PROP(OrderByProperty, DescendingReversesAscending, ()) {
  const FieldCatalog& catalog = testing::DpoJobCatalog();
  const std::string path = *rc::gen::elementOf(testing::SortablePaths(catalog));
  Result<OrderBy> ascending = ParseOrderBy(path, catalog);
  Result<OrderBy> descending = ParseOrderBy(path + " desc", catalog);
  RC_ASSERT(ascending.ok() && descending.ok());
  const Json a = *testing::GenResource(catalog);
  const Json b = *testing::GenResource(catalog);
  RC_ASSERT(Sign(Compare(*ascending, a, b)) == -Sign(Compare(*descending, a, b)));
}

// Every member path of `value` (dotted, below `prefix`), objects included.
void CollectPaths(const Json& value, const std::string& prefix, std::vector<std::string>& out) {
  if (!value.is_object()) {
    return;
  }
  for (const auto& [key, child] : value.items()) {
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    out.push_back(path);
    CollectPaths(child, path, out);
  }
}

RC_GTEST_PROP(ReadMaskProperty, ProjectionHoldsOnlyAllowedPaths, ()) {
  const bool book = *rc::gen::arbitrary<bool>();
  const FieldCatalog& catalog = book ? testing::BookCatalog() : testing::DpoJobCatalog();
  Result<ReadMask> mask = ParseReadMask(*testing::GenReadMaskText(catalog), catalog);
  RC_ASSERT(mask.ok());
  const Json resource = *testing::GenResource(catalog);
  const Json projected = Project(*mask, resource);
  std::vector<std::string> paths;
  CollectPaths(projected, "", paths);
  for (const std::string& path : paths) {
    RC_ASSERT(Allows(*mask, path));
  }
}

RC_GTEST_PROP(ReadMaskProperty, ProjectionKeepsEveryMaskedValue, ()) {
  const bool book = *rc::gen::arbitrary<bool>();
  const FieldCatalog& catalog = book ? testing::BookCatalog() : testing::DpoJobCatalog();
  Result<ReadMask> mask = ParseReadMask(*testing::GenReadMaskText(catalog), catalog);
  RC_ASSERT(mask.ok());
  const Json resource = *testing::GenResource(catalog);
  const Json projected = Project(*mask, resource);
  for (const std::string& path : mask->paths) {
    const Json* original = FindPath(resource, path);
    const Json* kept = FindPath(projected, path);
    RC_ASSERT((original == nullptr) == (kept == nullptr));
    if (original != nullptr) {
      RC_ASSERT(*original == *kept);
    }
  }
  RC_ASSERT(Project(*mask, projected) == projected);  // idempotent
}

RC_GTEST_PROP(ReadMaskProperty, PrintedMaskParsesBackToTheSameMask, ()) {
  const FieldCatalog& catalog = testing::BookCatalog();
  Result<ReadMask> mask = ParseReadMask(*testing::GenReadMaskText(catalog), catalog);
  RC_ASSERT(mask.ok());
  Result<ReadMask> again = ParseReadMask(Print(*mask), catalog);
  RC_ASSERT(again.ok());
  RC_ASSERT(*again == *mask);
}

}  // namespace
}  // namespace order_by_property_test
}  // namespace conform::aip
