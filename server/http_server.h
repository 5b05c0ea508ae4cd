// The reference ListDpoJobs server over HTTP: `conform serve`, and the embedded default target
// that `conform check`, `conform fuzz` and the tests start in-process on an ephemeral loopback
// port. The HTTP layer (cpp-httplib) is a thin adapter around ListHandler.
//   auto server = StartServer({.faults = *ParseFaults({"desc-ignored"})});   // 127.0.0.1:0
//   if (!server) { return server.error(); }
//   std::string url = (*server)->base_url();                        // "http://127.0.0.1:41234"
//   (*server)->Stop();                                              // also done by the destructor
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "server/faults.h"
#include "server/generator.h"
#include "server/list_handler.h"
#include "server/store.h"

namespace conform::server {

// Requests the server refuses before they reach the handler, answered 400 INVALID_ARGUMENT
// with a google.rpc.Status body. The request line and each header line are limited to 8192
// bytes by cpp-httplib itself (its 414 is answered as 400 too, to keep the rpc mapping).
inline constexpr size_t kMaxRequestLineBytes = 8192;
inline constexpr size_t kMaxHeaderBytes = 64 * 1024;  // all header lines together
inline constexpr size_t kMaxHeaderCount = 100;
// A request body of any method (the list reads none); a larger one is refused, unread past
// the limit, and its connection closed.
inline constexpr size_t kMaxBodyBytes = 64 * 1024;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: an ephemeral port
  // The jobs: `store` when set, else `data_file` when set, else generated from `data`.
  std::shared_ptr<JobStore> store;
  std::string data_file;
  GeneratorOptions data;
  // Keys per account: DefaultApiKeys of the store, with any account named here given exactly
  // the keys listed here.
  std::vector<ApiKey> api_keys;
  FaultSet faults;
  std::string token_secret;  // empty: random
  int threads = 16;          // worker threads (each keep-alive connection holds one)
};

class RunningServer {
 public:
  ~RunningServer();  // Stop()
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  int port() const;
  // "http://127.0.0.1:41234" (a wildcard host is shown as 127.0.0.1).
  const std::string& base_url() const;
  JobStore& store() const;
  const ListHandler& handler() const;
  const std::vector<ApiKey>& api_keys() const;
  // Stops accepting, finishes in-flight requests and joins the listener. Idempotent.
  void Stop();

 private:
  struct Impl;
  friend Result<std::unique_ptr<RunningServer>> StartServer(ServerOptions options);
  explicit RunningServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Builds the store and handler, binds host:port and serves on a background thread; returns once
// the server accepts connections. Errors: kInvalidArgument for bad options, keys or data-file
// contents; kNotFound / kUnavailable for an unreadable data file; kUnavailable when the address
// cannot be bound (port in use, unknown host) or the server does not start.
Result<std::unique_ptr<RunningServer>> StartServer(ServerOptions options);

}  // namespace conform::server
