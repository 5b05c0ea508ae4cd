#include "validator/rpc_codes.h"

namespace conform::validator {
namespace {

// Indexed by the google.rpc.Code number (google/rpc/code.proto). The seed's gatewayCode enum
// lists the same names in another order (UNAUTHENTICATED ninth): its order is not the number.
struct RpcCode {
  std::string_view name;
  int http_status;
};

constexpr RpcCode kCodes[kMaxRpcCode + 1] = {
    {"OK", 200},
    {"CANCELLED", 499},
    {"UNKNOWN", 500},
    {"INVALID_ARGUMENT", 400},
    {"DEADLINE_EXCEEDED", 504},
    {"NOT_FOUND", 404},
    {"ALREADY_EXISTS", 409},
    {"PERMISSION_DENIED", 403},
    {"RESOURCE_EXHAUSTED", 429},
    {"FAILED_PRECONDITION", 400},
    {"ABORTED", 409},
    {"OUT_OF_RANGE", 400},
    {"UNIMPLEMENTED", 501},
    {"INTERNAL", 500},
    {"UNAVAILABLE", 503},
    {"DATA_LOSS", 500},
    {"UNAUTHENTICATED", 401},
};

}  // namespace

std::string_view RpcCodeName(int code) {
  if (code < 0 || code > kMaxRpcCode) {
    return {};
  }
  return kCodes[code].name;
}

std::optional<int> RpcCodeByName(std::string_view name) {
  for (int code = 0; code <= kMaxRpcCode; ++code) {
    if (kCodes[code].name == name) {
      return code;
    }
  }
  return std::nullopt;
}

int HttpStatusForRpcCode(int code) {
  if (code < 0 || code > kMaxRpcCode) {
    return 0;
  }
  return kCodes[code].http_status;
}

bool IsRpcMappedHttpStatus(int http_status) {
  if (http_status < 400) {
    return false;
  }
  for (const RpcCode& code : kCodes) {
    if (code.http_status == http_status) {
      return true;
    }
  }
  return false;
}

}  // namespace conform::validator
