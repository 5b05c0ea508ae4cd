#include "server/page_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cstdint>
#include <utility>
#include <vector>

#include "server/internal/base64url.h"

namespace conform::server {
namespace {

using Json = nlohmann::json;

constexpr char kFormatVersion = 1;
constexpr size_t kTagBytes = 32;  // HMAC-SHA256, untruncated
constexpr size_t kBindingBytes = 16;

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

Error Malformed() { return InvalidArgument("malformed or tampered page token"); }

}  // namespace

std::string ParameterBinding(std::string_view filter, std::string_view order_by,
                             std::string_view read_mask) {
  // Length-prefixed, so ("a,b", "") and ("a", "b") never collide.
  std::string input;
  for (std::string_view part : {filter, order_by, read_mask}) {
    input += std::to_string(part.size());
    input += ':';
    input += part;
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(Bytes(input), input.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), kBindingBytes);
}

Result<PageTokenCodec> PageTokenCodec::Create(std::string secret) {
  if (secret.empty()) {
    secret.resize(32);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(secret.data()),
                   static_cast<int>(secret.size())) != 1) {
      return InternalError("no randomness for the page-token secret (RAND_bytes failed)");
    }
  } else if (secret.size() < 16) {
    return InvalidArgument("the page-token secret must be at least 16 bytes");
  }
  return PageTokenCodec(std::move(secret));
}

std::string PageTokenCodec::Sign(std::string_view payload) const {
  unsigned char tag[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()), Bytes(payload),
       payload.size(), tag, &length);
  return std::string(reinterpret_cast<const char*>(tag), length);
}

std::string PageTokenCodec::Encode(const PageToken& token) const {
  Json fields = {
      {"a", token.account},
      {"b", Json::binary(std::vector<uint8_t>(token.binding.begin(), token.binding.end()))},
      {"k", token.after},
  };
  if (token.offset.has_value()) {
    fields["o"] = *token.offset;
  }
  std::vector<uint8_t> cbor = Json::to_cbor(fields);
  std::string payload(1, kFormatVersion);
  payload.append(cbor.begin(), cbor.end());
  payload += Sign(payload);
  return internal::Base64UrlEncode(payload);
}

Result<PageToken> PageTokenCodec::Decode(std::string_view text) const {
  if (text.empty() || text.size() > kMaxPageTokenBytes) {
    return Malformed();
  }
  std::optional<std::string> raw = internal::Base64UrlDecode(text);
  if (!raw || raw->size() < 1 + kTagBytes) {
    return Malformed();
  }
  std::string_view payload = std::string_view(*raw).substr(0, raw->size() - kTagBytes);
  std::string_view tag = std::string_view(*raw).substr(raw->size() - kTagBytes);
  std::string expected = Sign(payload);
  if (expected.size() != kTagBytes || CRYPTO_memcmp(expected.data(), tag.data(), kTagBytes) != 0) {
    return Malformed();
  }
  // Signed by us, so well-formed unless the format changed: still checked, never trusted blindly.
  if (payload.front() != kFormatVersion) {
    return InvalidArgument("page token from another version of the server");
  }
  payload.remove_prefix(1);
  Json fields = Json::from_cbor(payload.begin(), payload.end(), /*strict=*/true,
                                /*allow_exceptions=*/false);
  if (fields.is_discarded() || !fields.is_object()) {
    return Malformed();
  }
  auto account = fields.find("a");
  auto binding = fields.find("b");
  auto after = fields.find("k");
  if (account == fields.end() || !account->is_string() || binding == fields.end() ||
      !binding->is_binary() || after == fields.end() || !(after->is_null() || after->is_array())) {
    return Malformed();
  }
  PageToken token;
  token.account = account->get<std::string>();
  const auto& binary = binding->get_binary();
  token.binding.assign(binary.begin(), binary.end());
  token.after = *after;
  if (auto offset = fields.find("o"); offset != fields.end()) {
    if (!offset->is_number_unsigned()) {
      return Malformed();
    }
    token.offset = offset->get<uint64_t>();
  }
  return token;
}

}  // namespace conform::server
