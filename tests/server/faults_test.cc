// The fault table: names, parsing, and docs/server.md holding the same table.
#include "server/faults.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/file.h"
#include "tests/support/result_matchers.h"
#include "validator/finding.h"

namespace conform::server {
namespace faults_test {
namespace {

using ::testing::HasSubstr;

TEST(FaultTable, HasAtLeastTwentyUniqueFaults) {
  std::set<std::string_view> names;
  std::set<Fault> faults;
  for (const FaultInfo& info : AllFaults()) {
    names.insert(info.name);
    faults.insert(info.fault);
    EXPECT_FALSE(info.symptom.empty()) << info.name;
    EXPECT_FALSE(info.rule.empty()) << info.name;
    EXPECT_FALSE(info.source.empty()) << info.name;
  }
  EXPECT_GE(AllFaults().size(), 20u);
  EXPECT_EQ(names.size(), AllFaults().size());
  EXPECT_EQ(faults.size(), AllFaults().size());
}

TEST(FaultTable, EveryFaultNamesARegisteredCheck) {
  for (const FaultInfo& info : AllFaults()) {
    EXPECT_NE(validator::FindCheck(info.check), nullptr) << info.name << ": " << info.check;
  }
}

TEST(FaultTable, DocsHoldTheSameTable) {
  Result<std::string> docs = ReadFile(std::string(CONFORM_SOURCE_DIR) + "/docs/server.md");
  ASSERT_THAT(docs, IsOk());
  EXPECT_THAT(*docs, HasSubstr(FaultTableMarkdown()));
}

TEST(ParseFaults, AcceptsRepeatedAndCommaSeparatedNames) {
  auto faults = ParseFaults({"desc-ignored", " page-drops-item , total-size-of-page"});
  ASSERT_THAT(faults, IsOk());
  EXPECT_TRUE(faults->Has(Fault::kDescIgnored));
  EXPECT_TRUE(faults->Has(Fault::kPageDropsItem));
  EXPECT_TRUE(faults->Has(Fault::kTotalSizeOfPage));
  EXPECT_FALSE(faults->Has(Fault::kPrematureEnd));
  EXPECT_THAT(faults->Names(),
              ::testing::ElementsAre("page-drops-item", "desc-ignored", "total-size-of-page"));
}

TEST(ParseFaults, NoNamesIsTheCorrectServer) {
  auto faults = ParseFaults({});
  ASSERT_THAT(faults, IsOk());
  EXPECT_TRUE(faults->empty());
}

TEST(ParseFaults, RejectsUnknownAndEmptyNames) {
  EXPECT_THAT(ParseFaults({"nope"}), ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("'nope'")));
  EXPECT_THAT(ParseFaults({"desc-ignored,"}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("empty")));
}

}  // namespace
}  // namespace faults_test
}  // namespace conform::server
