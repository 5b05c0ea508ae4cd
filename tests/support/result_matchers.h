// gMock matchers for Result<T> (STYLE T3), after absl's status_matchers.h:
//   EXPECT_THAT(ParseUrl("/x"), IsOk());
//   EXPECT_THAT(ParseUrl("/x"), IsOkAndHolds(Field(&Url::path, "/x")));
//   EXPECT_THAT(ParseUrl("x"), ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("scheme")));
// There is deliberately no "is not ok" matcher: a test names the error it expects.
#pragma once

#include <gmock/gmock.h>

#include <ostream>
#include <string>

#include "common/result.h"

namespace conform {

inline void PrintTo(const Error& error, std::ostream* os) {
  *os << ErrorCodeName(error.code) << " " << error.ToString();
}

namespace testing_internal {

template <typename T>
bool ResultOk(const Result<T>& r) {
  return r.ok();
}
template <typename T>
std::string ResultErrorText(const Result<T>& r) {
  if (r.ok()) {
    return "OK";
  }
  return std::string(ErrorCodeName(r.error().code)) + " " + r.error().ToString();
}

}  // namespace testing_internal

MATCHER(IsOk, "is OK") {
  if (!testing_internal::ResultOk(arg)) {
    *result_listener << "error: " << testing_internal::ResultErrorText(arg);
    return false;
  }
  return true;
}

MATCHER_P(IsOkAndHolds, inner, "is OK and holds a matching value") {
  if (!testing_internal::ResultOk(arg)) {
    *result_listener << "error: " << testing_internal::ResultErrorText(arg);
    return false;
  }
  return ::testing::ExplainMatchResult(inner, *arg, result_listener);
}

// Matches a failed Result whose code is `code` and whose ToString() (where + message)
// matches `text`.
MATCHER_P2(ErrorIs, code, text,
           std::string("is an error ") + std::string(ErrorCodeName(code))) {
  if (testing_internal::ResultOk(arg)) {
    *result_listener << "is OK";
    return false;
  }
  if (arg.error().code != code) {
    *result_listener << "error: " << testing_internal::ResultErrorText(arg);
    return false;
  }
  return ::testing::ExplainMatchResult(text, arg.error().ToString(), result_listener);
}

}  // namespace conform
