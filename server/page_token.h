// Page tokens of the reference server: opaque, URL-safe (base64url, no padding) and
// tamper-proof (HMAC-SHA256 under a per-server secret). A token holds where the next page
// starts as a keyset position (the sort-key values of the last item returned, never an offset,
// so a walk stays exact while jobs are added or deleted), the account, and a digest binding it
// to the canonical filter, orderBy and readMask it was minted under.
//   auto codec = PageTokenCodec::Create("");  // random secret
//   std::string text = codec->Encode({.account = "acme", .binding = ParameterBinding("", "name",
//   "*"),
//                                     .after =
//                                     nlohmann::json::array({"accounts/acme/dpoJobs/x"})});
//   Result<PageToken> token = codec->Decode(text);  // kInvalidArgument if garbage or tampered
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace conform::server {

struct PageToken {
  std::string account;
  std::string binding;  // ParameterBinding() of the request that minted it
  // The sort-key values of the last item returned (one per orderBy key, name last), as JSON
  // read from that item; null when the next page starts at the first item.
  nlohmann::json after = nullptr;
  // Only the unstable-ties fault mints offset tokens.
  std::optional<uint64_t> offset;
  bool operator==(const PageToken&) const = default;
};

// A 16-byte digest of the canonical parameters a token is bound to.
std::string ParameterBinding(std::string_view filter, std::string_view order_by,
                             std::string_view read_mask);

// Longest token text Decode looks at; longer ones are rejected without decoding.
inline constexpr size_t kMaxPageTokenBytes = 4096;

class PageTokenCodec {
 public:
  // `secret` signs every token; empty means 32 random bytes (OpenSSL RAND_bytes). Errors:
  // kInvalidArgument for a secret shorter than 16 bytes; kInternal if no randomness is available.
  static Result<PageTokenCodec> Create(std::string secret);

  std::string Encode(const PageToken& token) const;
  // kInvalidArgument ("malformed or tampered page token") for anything Encode with this
  // secret did not produce: bad characters, truncation, a changed byte, another secret.
  Result<PageToken> Decode(std::string_view text) const;

 private:
  explicit PageTokenCodec(std::string secret) : secret_(std::move(secret)) {}
  std::string Sign(std::string_view payload) const;
  std::string secret_;
};

}  // namespace conform::server
