// The generators of conform fuzz against the shipped contract and generated DpoJobs: what they
// build parses (or, for the invalid ones, is rejected) client-side, covers the forms the issue
// asks for, and depends on the seed only.
#include "fuzz/generators.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <set>

#include "aip/filter.h"
#include "aip/order_by.h"
#include "aip/read_mask.h"
#include "fuzz/fuzzer.h"
#include "server/generator.h"
#include "tests/fuzz/fuzz_test_util.h"

namespace conform::fuzz {
namespace generators_test {
namespace {

using Json = nlohmann::json;
using ::testing::HasSubstr;

const std::vector<Json>& Jobs() {
  static const std::vector<Json> jobs = server::GenerateJobs("acme", 120, 1);
  return jobs;
}

const DataProfile& Profile() {
  static const DataProfile profile = [] {
    std::vector<const Json*> items;
    for (const Json& job : Jobs()) {
      items.push_back(&job);
    }
    return BuildDataProfile(testing::ListOp().catalog, items, {});
  }();
  return profile;
}

const aip::FieldCatalog& Catalog() { return testing::ListOp().catalog; }

// Draws `count` values of `gen` from a fixed seed, at sizes 0..99.
template <typename T>
std::vector<T> Sample(const rc::Gen<T>& gen, uint64_t seed, int count) {
  std::vector<T> values;
  rc::Random random(seed);
  for (int i = 0; i < count; ++i) {
    values.push_back(gen(random.split(), i % 100).value());
  }
  return values;
}

TEST(BuildDataProfile, TakesFieldsFromTheCatalogAndValuesFromTheData) {
  const DataProfile& profile = Profile();
  EXPECT_EQ(profile.items, 120u);
  std::set<std::string> filterable;
  for (const FieldValues& values : profile.filterable) {
    filterable.insert(values.field.path);
    if (values.field.path == "state") {
      EXPECT_EQ(values.field.enum_values.size(), 17u);
      EXPECT_FALSE(values.seen.empty());
    }
  }
  EXPECT_TRUE(filterable.count("trainingConfig.region"));
  EXPECT_TRUE(filterable.count("createTime"));
  EXPECT_FALSE(filterable.count("wandbConfig.apiKey")) << "credentials are never filtered on";
  EXPECT_THAT(profile.sortable, ::testing::Contains("createTime"));
  EXPECT_THAT(profile.mask_paths, ::testing::Contains("trainingConfig.region"));
  EXPECT_THAT(profile.message_paths, ::testing::Contains("trainingConfig"));
}

RC_GTEST_PROP(GenFilter, EveryFilterParsesAndPrintsBackToItsTree, ()) {
  FilterCase filter = *GenFilter(Profile());
  Result<aip::Filter> sent = aip::ParseFilter(filter.text, Catalog());
  RC_ASSERT(sent.ok());
  Result<aip::Filter> canonical = aip::ParseFilter(filter.canonical, Catalog());
  RC_ASSERT(canonical.ok());
  RC_ASSERT(aip::Print(*canonical) == filter.canonical);
  if (filter.spelling != "minus for NOT") {
    RC_ASSERT(aip::Print(*sent) == filter.canonical);  // another spelling of the same tree
  }
  for (const Json& job : Jobs()) {
    static_cast<void>(aip::Matches(*sent, job));
  }
}

TEST(GenFilter, CoversTheFormsOfAip160) {
  std::set<std::string> seen;
  for (const FilterCase& filter : Sample(GenFilter(Profile()), 7, 600)) {
    const std::string& text = filter.text;
    seen.insert(filter.spelling);
    if (text.find(" AND ") != std::string::npos) {
      seen.insert("AND");
    }
    if (text.find(" OR ") != std::string::npos) {
      seen.insert("OR");
    }
    if (text.find("NOT ") != std::string::npos) {
      seen.insert("NOT");
    }
    if (text.find("-") == 0 || text.find(" -") != std::string::npos ||
        text.find("(-") != std::string::npos) {
      seen.insert("minus");
    }
    if (text.find("*\"") != std::string::npos) {
      seen.insert("wildcard");
    }
    if (text.find("trainingConfig.") != std::string::npos) {
      seen.insert("nested");
    }
    if (text.find("+05:30\"") != std::string::npos || text.find("-12:00\"") != std::string::npos) {
      seen.insert("offset");
    }
    if (text.find("2147483647") != std::string::npos ||
        text.find("-2147483648") != std::string::npos) {
      seen.insert("int32 edge");
    }
    if (text.find("JOB_STATE_") != std::string::npos) {
      seen.insert("enum");
    }
    if (text.find(":*") != std::string::npos) {
      seen.insert("presence");
    }
  }
  for (const char* form :
       {"canonical", "minimal parentheses", "spaced", "minus for NOT", "AND", "OR", "NOT", "minus",
        "wildcard", "nested", "offset", "int32 edge", "enum", "presence"}) {
    EXPECT_TRUE(seen.count(form)) << form;
  }
}

TEST(GenFilter, LeavesOutTheParenthesesPrecedenceMakesOptional) {
  aip::Node tree = aip::MakeAnd(
      {aip::MakeRestriction("state", aip::Comparator::kEqual, aip::TextLiteral("A")),
       aip::MakeOr({aip::MakePresence("createTime"), aip::MakePresence("wandbConfig")})});
  EXPECT_EQ(aip::Print(tree), "state = A AND (createTime:* OR wandbConfig:*)");
  EXPECT_EQ(PrintWithoutOptionalParentheses(tree), "state = A AND createTime:* OR wandbConfig:*");
  EXPECT_EQ(PrintWithoutOptionalParentheses(aip::MakePresence("createTime")), std::nullopt);
}

RC_GTEST_PROP(GenInvalidFilter, EveryOneIsRejectedClientSide, ()) {
  InvalidInput bad = *GenInvalidFilter(Profile());
  RC_ASSERT(!aip::ParseFilter(bad.text, Catalog()).ok());
  RC_ASSERT(!bad.what.empty());
}

TEST(GenInvalidFilter, CoversSyntaxUnknownFieldsAndTypes) {
  std::set<std::string> whats;
  for (const InvalidInput& bad : Sample(GenInvalidFilter(Profile()), 3, 400)) {
    whats.insert(bad.what);
  }
  for (const char* what : {"a dangling AND", "an unbalanced parenthesis", "an unknown field",
                           "an unknown nested field", "a string for a number field",
                           "a value outside the enum", "a timestamp that is not RFC 3339"}) {
    EXPECT_TRUE(whats.count(what)) << what;
  }
}

RC_GTEST_PROP(GenOrderBy, EveryOrderParsesWithDistinctKeys, ()) {
  std::string text = *GenOrderBy(Profile());
  Result<aip::OrderBy> order = aip::ParseOrderBy(text, Catalog());
  RC_ASSERT(order.ok());
  RC_ASSERT(!order->keys.empty());
  RC_ASSERT(order->keys.size() <= 3u);
}

RC_GTEST_PROP(GenInvalidOrderBy, EveryOneIsRejectedClientSide, ()) {
  RC_ASSERT(!aip::ParseOrderBy((*GenInvalidOrderBy(Profile())).text, Catalog()).ok());
}

RC_GTEST_PROP(GenReadMask, EveryMaskParses, ()) {
  RC_ASSERT(aip::ParseReadMask(*GenReadMask(Profile()), Catalog()).ok());
}

RC_GTEST_PROP(GenInvalidReadMask, EveryOneIsRejectedClientSide, ()) {
  RC_ASSERT(!aip::ParseReadMask((*GenInvalidReadMask(Profile())).text, Catalog()).ok());
}

TEST(GenPageSize, CoversTheEdgesOfTheSeed) {
  std::set<std::string> seen;
  for (const std::optional<std::string>& size : Sample(GenPageSize(Profile()), 5, 1000)) {
    seen.insert(size.value_or("absent"));
    if (size) {
      EXPECT_GE(std::stoll(*size), 0);
    }
  }
  for (const char* size : {"absent", "0", "1", "2", "49", "50", "51", "199", "200", "201",
                           "2147483647", "120", "121"}) {
    EXPECT_TRUE(seen.count(size)) << size;
  }
}

TEST(GenInvalidPageSize, NeverAValidSize) {
  for (const InvalidInput& bad : Sample(GenInvalidPageSize(), 5, 200)) {
    bool negative = !bad.text.empty() && bad.text[0] == '-';
    bool not_an_integer = bad.text.find_first_not_of("-0123456789") != std::string::npos;
    EXPECT_TRUE(negative || not_an_integer) << bad.text;
  }
}

RC_GTEST_PROP(GenTokenMutation, NeverTheTokenItselfNorEmpty, ()) {
  std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string token =
      *rc::gen::nonEmpty(rc::gen::container<std::string>(rc::gen::elementOf(alphabet)));
  InvalidInput bad = *GenTokenMutation(token);
  RC_ASSERT(bad.text != token);
  RC_ASSERT(!bad.text.empty());
  RC_ASSERT(bad.text.find('\0') == std::string::npos);
  if (bad.text.size() == token.size()) {
    RC_ASSERT(bad.text.back() == token.back());  // the last character's spare bits are left alone
  }
  if (bad.text.size() > token.size()) {  // whole bytes appended, not bits a decoder drops
    RC_ASSERT(bad.text.size() >= token.size() + 4);
  }
}

TEST(Generators, DependOnTheSeedOnly) {
  auto a = Sample(GenFilter(Profile()), 42, 50);
  auto b = Sample(GenFilter(Profile()), 42, 50);
  auto c = Sample(GenFilter(Profile()), 43, 50);
  ASSERT_EQ(a.size(), b.size());
  bool differs = false;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].text, b[i].text);
    differs = differs || a[i].text != c[i].text;
  }
  EXPECT_TRUE(differs);
}

TEST(PropertySeed, IsStableAndDiffersPerProperty) {
  EXPECT_EQ(PropertySeed(1, "walk_matches_reference"), PropertySeed(1, "walk_matches_reference"));
  EXPECT_NE(PropertySeed(1, "walk_matches_reference"), PropertySeed(1, "auth_required"));
  EXPECT_NE(PropertySeed(1, "walk_matches_reference"), PropertySeed(2, "walk_matches_reference"));
}

TEST(Pick, ShrinksTowardsTheFirstChoice) {
  for (uint64_t seed = 1; seed < 20; ++seed) {
    rc::Shrinkable<size_t> picked = Pick(10)(rc::Random(seed), 0);
    if (picked.value() == 0) {
      continue;
    }
    auto shrinks = picked.shrinks();
    auto first = shrinks.next();
    ASSERT_TRUE(static_cast<bool>(first));
    EXPECT_EQ(first->value(), 0u);
    return;
  }
  FAIL() << "every seed picked 0";
}

TEST(SmallerFilters, TriesEachOperandThenEachListWithOneLeftOut) {
  aip::Node a = aip::MakeRestriction("state", aip::Comparator::kEqual,
                                     aip::TextLiteral("JOB_STATE_COMPLETED"));
  aip::Node b = aip::MakePresence("completedTime");
  aip::Node c = aip::MakeNot(aip::MakePresence("createTime"));
  std::vector<std::string> printed;
  rc::Seq<aip::Node> smaller = SmallerFilters(aip::MakeAnd({a, b, c}));
  while (auto next = smaller.next()) {
    printed.push_back(aip::Print(*next));
  }
  EXPECT_EQ(printed, (std::vector<std::string>{
                         aip::Print(a), aip::Print(b), aip::Print(c), aip::Print(aip::MakeAnd({b, c})),
                         aip::Print(aip::MakeAnd({a, c})), aip::Print(aip::MakeAnd({a, b}))}));
  // Two operands: each alone is already the smaller list.
  rc::Seq<aip::Node> pair = SmallerFilters(aip::MakeOr({a, b}));
  std::vector<std::string> from_pair;
  while (auto next = pair.next()) {
    from_pair.push_back(aip::Print(*next));
  }
  EXPECT_EQ(from_pair, (std::vector<std::string>{aip::Print(a), aip::Print(b)}));
  EXPECT_FALSE(SmallerFilters(a).next()) << "a restriction has nothing smaller";
}

}  // namespace
}  // namespace generators_test
}  // namespace conform::fuzz
