// The reference ListDpoJobs handler, GET /v1/accounts/{account_id}/dpoJobs, as a function of
// a request (no sockets): tests and benchmarks call it directly, and the HTTP server is a thin
// adapter around it. Pagination per AIP-158, filter AIP-160, orderBy AIP-132, readMask AIP-157,
// errors AIP-193 (google.rpc.Status in the grpc-gateway JSON shape); see docs/server.md.
//   auto handler = ListHandler::Create(store, {.api_keys = DefaultApiKeys(*store)});
//   ApiResponse page = (*handler)->Handle({.path = "/v1/accounts/acme/dpoJobs",
//                                          .query = {{"pageSize", "5"}},
//                                          .authorization = "Bearer acme-key"});
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "server/faults.h"
#include "server/store.h"
#include "traffic/exchange.h"
#include "traffic/url.h"

namespace conform::server {

// pageSize rules of the seed: absent or 0 -> 50; above 200 -> 200.
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 200;
// ErrorInfo.domain of every error the server returns.
inline constexpr std::string_view kErrorDomain = "conform.local";

struct ApiKey {
  std::string account;
  std::string key;
  bool operator==(const ApiKey&) const = default;
};

// The account configured with a key but holding no data: its key holder gets NOT_FOUND.
inline constexpr std::string_view kGhostAccount = "ghost";

// "<account>-key" for every account of `store`, plus "ghost-key" for kGhostAccount.
std::vector<ApiKey> DefaultApiKeys(const JobStore& store);

// `defaults` with every account named in `overrides` given exactly its overriding keys.
// kInvalidArgument for an empty key or account, a key with whitespace or control bytes, or
// one key given to two accounts.
Result<std::vector<ApiKey>> ResolveApiKeys(std::vector<ApiKey> defaults,
                                           const std::vector<ApiKey>& overrides);

struct ApiRequest {
  std::string method = "GET";
  std::string path;                          // decoded, no query: "/v1/accounts/acme/dpoJobs"
  traffic::QueryParams query;                // decoded pairs, in order, duplicates kept
  std::optional<std::string> authorization;  // the Authorization header, if sent
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  traffic::Headers headers;  // besides Content-Type: WWW-Authenticate, Allow
  std::string body;
};

struct HandlerOptions {
  FaultSet faults;
  // The keys accepted, per account; none means every request is 401 (StartServer passes
  // DefaultApiKeys with the --api-key overrides).
  std::vector<ApiKey> api_keys;
  // Signs page tokens; empty means 32 random bytes. Tests inject one (>= 16 bytes).
  std::string token_secret;
  // Filtered, sorted views kept for (account, filter, orderBy); 0 disables the cache.
  size_t view_cache_entries = 16;
};

class ListHandler {
 public:
  // Errors: kInvalidArgument for bad keys or secret (see ResolveApiKeys, PageTokenCodec);
  // kInternal if the embedded contract does not load.
  static Result<std::unique_ptr<ListHandler>> Create(std::shared_ptr<JobStore> store,
                                                     HandlerOptions options);
  ~ListHandler();
  ListHandler(const ListHandler&) = delete;
  ListHandler& operator=(const ListHandler&) = delete;

  // Thread-safe and never throws: anything unexpected becomes 500 INTERNAL.
  ApiResponse Handle(const ApiRequest& request) const;

  // An error in this server's shape (faults included) for google.rpc code `rpc_code`: for the
  // HTTP adapter's own errors (request line too long, exceptions).
  ApiResponse ErrorResponse(int rpc_code, std::string_view reason, std::string_view message) const;

  const FaultSet& faults() const;
  const std::vector<ApiKey>& api_keys() const;

 private:
  struct Impl;
  explicit ListHandler(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace conform::server
