// Properties of AIP-160 filters over random well-typed trees and random resources.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "aip/filter.h"
#include "tests/aip/generators.h"
#include "tests/aip/test_catalogs.h"

namespace conform::aip {
namespace filter_property_test {
namespace {

using Json = nlohmann::json;

const FieldCatalog& AnyCatalog(bool book) {
  return book ? testing::BookCatalog() : testing::DpoJobCatalog();
}

// Parses, type-checks and evaluates `text`; the property fails if it does not check.
bool Eval(const std::string& text, const FieldCatalog& catalog, const Json& resource) {
  Result<Filter> filter = ParseFilter(text, catalog);
  RC_ASSERT(filter.ok());
  return Matches(*filter, resource);
}

RC_GTEST_PROP(FilterProperty, PrintedTreeParsesBackToTheSameTree, ()) {
  const bool book = *rc::gen::arbitrary<bool>();
  const Node tree = *testing::GenFilter(AnyCatalog(book), 3);
  const std::string printed = Print(tree);
  Result<FilterSyntax> parsed = ParseFilterSyntax(printed);
  RC_ASSERT(parsed.ok());
  RC_ASSERT(parsed->root.has_value());
  RC_ASSERT(*parsed->root == tree);
  RC_ASSERT(Print(*parsed) == printed);
}

RC_GTEST_PROP(FilterProperty, GeneratedFiltersTypeCheck, ()) {
  const bool book = *rc::gen::arbitrary<bool>();
  const Node tree = *testing::GenFilter(AnyCatalog(book), 3);
  Result<Filter> checked = CheckFilter(FilterSyntax{tree}, AnyCatalog(book));
  RC_ASSERT(checked.ok());
  Result<Filter> reparsed = ParseFilter(Print(tree), AnyCatalog(book));
  RC_ASSERT(reparsed.ok());
  const Json resource = *testing::GenResource(AnyCatalog(book));
  RC_ASSERT(Matches(*checked, resource) == Matches(*reparsed, resource));
}

RC_GTEST_PROP(FilterProperty, NotNotXEvaluatesAsX, ()) {
  const bool book = *rc::gen::arbitrary<bool>();
  const FieldCatalog& catalog = AnyCatalog(book);
  const std::string x = Print(*testing::GenFilter(catalog, 2));
  const Json resource = *testing::GenResource(catalog);
  const bool plain = Eval(x, catalog, resource);
  RC_ASSERT(Eval("NOT NOT (" + x + ")", catalog, resource) == plain);
  RC_ASSERT(Eval("--(" + x + ")", catalog, resource) == plain);
  RC_ASSERT(Eval("NOT (" + x + ")", catalog, resource) == !plain);
}

RC_GTEST_PROP(FilterProperty, AndOfOrEvaluatesAsAndWithParenthesisedOr, ()) {
  const FieldCatalog& catalog = testing::DpoJobCatalog();
  const std::string a = "(" + Print(*testing::GenFilter(catalog, 1)) + ")";
  const std::string b = "(" + Print(*testing::GenFilter(catalog, 1)) + ")";
  const std::string c = "(" + Print(*testing::GenFilter(catalog, 1)) + ")";
  const Json resource = *testing::GenResource(catalog);
  const bool a_matches = Eval(a, catalog, resource);
  const bool b_matches = Eval(b, catalog, resource);
  const bool c_matches = Eval(c, catalog, resource);
  const bool expected = a_matches && (b_matches || c_matches);
  RC_ASSERT(Eval(a + " AND " + b + " OR " + c, catalog, resource) == expected);
  RC_ASSERT(Eval(a + " AND (" + b + " OR " + c + ")", catalog, resource) == expected);
  // The implicit AND of a sequence binds the same way.
  RC_ASSERT(Eval(a + " " + b + " OR " + c, catalog, resource) == expected);
}

RC_GTEST_PROP(FilterProperty, ConjunctionAndDisjunctionFollowBooleanLogic, ()) {
  const FieldCatalog& catalog = testing::BookCatalog();
  const std::string a = "(" + Print(*testing::GenFilter(catalog, 1)) + ")";
  const std::string b = "(" + Print(*testing::GenFilter(catalog, 1)) + ")";
  const Json resource = *testing::GenResource(catalog);
  const bool a_matches = Eval(a, catalog, resource);
  const bool b_matches = Eval(b, catalog, resource);
  RC_ASSERT(Eval(a + " AND " + b, catalog, resource) == (a_matches && b_matches));
  RC_ASSERT(Eval(a + " " + b, catalog, resource) == (a_matches && b_matches));
  RC_ASSERT(Eval(a + " OR " + b, catalog, resource) == (a_matches || b_matches));
  RC_ASSERT(Eval("-" + a, catalog, resource) == !a_matches);
}

RC_GTEST_PROP(FilterProperty, EqualAndNotEqualAreComplementsOnSetValues, ()) {
  const FieldCatalog& catalog = testing::DpoJobCatalog();
  Node restriction = *testing::GenRestriction(catalog);
  RC_PRE(Print(restriction).find(":*") == std::string::npos);  // not a presence test
  restriction.comparator = Comparator::kEqual;
  Node negated = restriction;
  negated.comparator = Comparator::kNotEqual;
  const Json resource = *testing::GenResource(catalog);
  const bool equal = Eval(Print(restriction), catalog, resource);
  const bool not_equal = Eval(Print(negated), catalog, resource);
  // Unset values fail '=' and pass '!=', so the two always disagree.
  RC_ASSERT(equal != not_equal);
}

}  // namespace
}  // namespace filter_property_test
}  // namespace conform::aip
