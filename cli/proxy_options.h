// What `conform record` and `conform replay` share: where the proxy listens, how it reaches and
// trusts the upstream, what it redacts and how it writes the cassette.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "recorder/session.h"

namespace conform::cli {

struct ProxyOptions {
  std::string listen = "127.0.0.1:8080";
  std::string ca_file;
  bool insecure = false;
  int timeout_ms = 30'000;
  std::string max_body_size = "32MiB";
  std::vector<std::string> redact_headers;
  std::vector<std::string> redact_json_paths;
  std::string fsync = "periodic";  // periodic | each
  int threads = 64;
};

void AddProxyOptions(CLI::App& command, ProxyOptions& options);

// Fills what ProxyOptions decide in `session`; the upstream only when `upstream_url` is given.
Status ApplyProxyOptions(const ProxyOptions& options, const std::string& upstream_url,
                         recorder::SessionOptions& session);

// Names the flag behind a redaction rule the session refused to compile.
Error FlagForSessionError(Error error);

// Runs `run` until SIGINT or SIGTERM, announcing the signal on `err`.
Result<int> RunUntilSignal(
    std::string_view command, std::ostream& err,
    const std::function<Result<int>(const std::function<void(const recorder::Session&)>&)>& run);

}  // namespace conform::cli
