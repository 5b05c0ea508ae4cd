#include "common/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/support/result_matchers.h"

namespace conform {
namespace result_test {
namespace {

using ::testing::HasSubstr;

Result<int> Half(int n) {
  if (n % 2 != 0) {
    return InvalidArgument("odd number " + std::to_string(n), "argument 1");
  }
  return n / 2;
}

TEST(Result, HoldsValue) {
  Result<int> r = Half(8);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(*r, 4);
  EXPECT_THAT(r, IsOkAndHolds(4));
}

TEST(Result, HoldsErrorWithWhere) {
  Result<int> r = Half(3);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().ToString(), "argument 1: odd number 3");
  EXPECT_THAT(r, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("odd")));
}

TEST(Result, MovesOutMoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
  std::unique_ptr<int> p = *std::move(r);
  EXPECT_EQ(*p, 7);
}

TEST(Result, StatusIsOkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  Status bad = NotFound("no such file", "x.har");
  EXPECT_THAT(bad, ErrorIs(ErrorCode::kNotFound, "x.har: no such file"));
}

TEST(Result, ErrorCodeNamesAreGoogleRpcNames) {
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInvalidArgument), "INVALID_ARGUMENT");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kDeadlineExceeded), "DEADLINE_EXCEEDED");
}

}  // namespace
}  // namespace result_test
}  // namespace conform
