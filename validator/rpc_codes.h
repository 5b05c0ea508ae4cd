// google.rpc.Code and its HTTP mapping, as tabulated in the seed's gatewayCode description
// (and google/rpc/code.proto). Used to check error bodies and by the reference server.
//   int http = validator::HttpStatusForRpcCode(3);          // 400
//   auto code = validator::RpcCodeByName("INVALID_ARGUMENT"); // 3
#pragma once

#include <optional>
#include <string_view>

namespace conform::validator {

inline constexpr int kMaxRpcCode = 16;

// The google.rpc.Code numbers, for what the reference server and the recorder answer.
namespace rpc {
inline constexpr int kOk = 0;
inline constexpr int kCancelled = 1;
inline constexpr int kUnknown = 2;
inline constexpr int kInvalidArgument = 3;
inline constexpr int kDeadlineExceeded = 4;
inline constexpr int kNotFound = 5;
inline constexpr int kAlreadyExists = 6;
inline constexpr int kPermissionDenied = 7;
inline constexpr int kResourceExhausted = 8;
inline constexpr int kFailedPrecondition = 9;
inline constexpr int kAborted = 10;
inline constexpr int kOutOfRange = 11;
inline constexpr int kUnimplemented = 12;
inline constexpr int kInternal = 13;
inline constexpr int kUnavailable = 14;
inline constexpr int kDataLoss = 15;
inline constexpr int kUnauthenticated = 16;
}  // namespace rpc

// "INVALID_ARGUMENT" for 3; empty for an unknown number.
std::string_view RpcCodeName(int code);
std::optional<int> RpcCodeByName(std::string_view name);
// The HTTP status a code maps to (OK -> 200, CANCELLED -> 499, ...); 0 for unknown codes.
int HttpStatusForRpcCode(int code);
// True when some google.rpc code maps to `http_status` (400, 401, 403, 404, 409, 429, 499,
// 500, 501, 503, 504): an error status AIP-193 lets any method return.
bool IsRpcMappedHttpStatus(int http_status);

}  // namespace conform::validator
