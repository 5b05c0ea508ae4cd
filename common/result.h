// Errors as values at module borders (STYLE E1-E4): a Result<T> holds a T or an Error.
//   Result<Contract> contract = LoadContractFile("spec/openapi.yaml");
//   if (!contract) { std::cerr << contract.error().ToString() << "\n"; return 2; }
// Error codes are the google.rpc.Code subset the AIPs use. The name `Result` is kept so
// a later switch to std::expected is one line.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "common/check.h"

namespace conform {

enum class ErrorCode {
  kInvalidArgument,
  kNotFound,
  kFailedPrecondition,
  kResourceExhausted,
  kUnavailable,
  kDeadlineExceeded,
  kUnimplemented,
  kInternal,
};

// google.rpc.Code name, e.g. "INVALID_ARGUMENT".
std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // one line, no trailing period
  std::string where;    // "file:line:col", "entry 3", a URL... empty when not applicable
  // A machine-readable cause, where callers branch on it (as google.rpc.ErrorInfo's reason:
  // "UNKNOWN_FIELD"); empty otherwise. Never parse `message` for one.
  std::string reason = {};

  // "where: message" or just "message".
  std::string ToString() const {
    return where.empty() ? message : where + ": " + message;
  }
};

inline std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case ErrorCode::kNotFound:
      return "NOT_FOUND";
    case ErrorCode::kFailedPrecondition:
      return "FAILED_PRECONDITION";
    case ErrorCode::kResourceExhausted:
      return "RESOURCE_EXHAUSTED";
    case ErrorCode::kUnavailable:
      return "UNAVAILABLE";
    case ErrorCode::kDeadlineExceeded:
      return "DEADLINE_EXCEEDED";
    case ErrorCode::kUnimplemented:
      return "UNIMPLEMENTED";
    case ErrorCode::kInternal:
      return "INTERNAL";
  }
  return "INTERNAL";
}

template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit on purpose: `return value;` and `return Error{...};` both read naturally.
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    CONFORM_CHECK(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    CONFORM_CHECK(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    CONFORM_CHECK(ok());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const {
    CONFORM_CHECK(!ok());
    return std::get<1>(state_);
  }

 private:
  std::variant<T, Error> state_;
};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    CONFORM_CHECK(!ok_);
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status OkStatus() { return Status(); }

// Shorthand constructors for the common codes.
inline Error InvalidArgument(std::string message, std::string where = {}) {
  return Error{ErrorCode::kInvalidArgument, std::move(message), std::move(where)};
}
inline Error NotFound(std::string message, std::string where = {}) {
  return Error{ErrorCode::kNotFound, std::move(message), std::move(where)};
}
inline Error Unavailable(std::string message, std::string where = {}) {
  return Error{ErrorCode::kUnavailable, std::move(message), std::move(where)};
}
inline Error ResourceExhausted(std::string message, std::string where = {}) {
  return Error{ErrorCode::kResourceExhausted, std::move(message), std::move(where)};
}
inline Error FailedPrecondition(std::string message, std::string where = {}) {
  return Error{ErrorCode::kFailedPrecondition, std::move(message), std::move(where)};
}
inline Error DeadlineExceeded(std::string message, std::string where = {}) {
  return Error{ErrorCode::kDeadlineExceeded, std::move(message), std::move(where)};
}
inline Error Unimplemented(std::string message, std::string where = {}) {
  return Error{ErrorCode::kUnimplemented, std::move(message), std::move(where)};
}
inline Error InternalError(std::string message, std::string where = {}) {
  return Error{ErrorCode::kInternal, std::move(message), std::move(where)};
}

}  // namespace conform
