#include "recorder/session.h"

#include <httplib.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <exception>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <utility>

#include "recorder/internal/content_coding.h"
#include "recorder/internal/http_glue.h"
#include "recorder/internal/upstream.h"
#include "traffic/request_body.h"
#include "traffic/url.h"
#include "validator/finding.h"
#include "validator/rpc_codes.h"

namespace conform::recorder {
namespace {

using Json = nlohmann::json;
using internal::UpstreamFailure;

namespace rpc = validator::rpc;
constexpr size_t kMaxListed = 100;

bool FileExists(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0;
}

// An absolute-form request target ("http://host/x?y", sent by clients configured to use us as
// a forward proxy) becomes origin-form.
std::string OriginForm(const std::string& target) {
  if (!target.empty() && target.front() == '/') {
    return target;
  }
  size_t scheme = target.find("://");
  if (scheme == std::string::npos) {
    return "/" + target;
  }
  size_t path = target.find_first_of("/?", scheme + 3);
  if (path == std::string::npos) {
    return "/";
  }
  return target[path] == '/' ? target.substr(path) : "/" + target.substr(path);
}

// The Content-Length of a request, as the decimal number httplib read from it.
std::string DeclaredLength(const httplib::Request& request) {
  std::string value = request.get_header_value("Content-Length");
  uint64_t length = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
  return error == std::errc() && end != value.data() ? std::to_string(length) : "over-limit";
}

std::shared_ptr<const std::string> JsonBody(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}

traffic::Headers ErrorHeaders(std::string_view marker) {
  return {{"Content-Type", "application/json"}, {"X-Conform-Error", std::string(marker)}};
}

// httplib's thread pool, counting the connections it holds (queued or being served) so that
// Stop can say how many it gave up on.
class CountingPool : public httplib::TaskQueue {
 public:
  CountingPool(size_t threads, std::atomic<size_t>& open) : pool_(threads), open_(open) {}

  void enqueue(std::function<void()> fn) override {
    open_.fetch_add(1);
    pool_.enqueue([this, fn = std::move(fn)] {
      fn();
      open_.fetch_sub(1);
    });
  }
  void shutdown() override { pool_.shutdown(); }

 private:
  httplib::ThreadPool pool_;
  std::atomic<size_t>& open_;
};

}  // namespace

Result<RecordMode> ParseRecordMode(std::string_view text) {
  if (text == "none") {
    return RecordMode::kNone;
  }
  if (text == "once") {
    return RecordMode::kOnce;
  }
  if (text == "new_episodes" || text == "new-episodes") {
    return RecordMode::kNewEpisodes;
  }
  if (text == "all") {
    return RecordMode::kAll;
  }
  return InvalidArgument("unknown record mode '" + std::string(text) +
                         "' (none, once, new_episodes, all)");
}

namespace {

// "response.schema.type /totalSize: ...": the check, where, and what; in the log line and the
// 502 body's message alike.
std::string FindingHeadline(const validator::Finding& finding) {
  std::string where = finding.json_pointer.empty() ? "" : " " + finding.json_pointer;
  return finding.check_id + where + ": " + finding.message;
}

}  // namespace

std::string FindingLogLine(const validator::Finding& finding, std::string_view request) {
  return "conform record: finding " + std::string(validator::LevelName(finding.level)) + " " +
         FindingHeadline(finding) + " [" + std::string(request) + "]";
}

std::string_view RecordModeName(RecordMode mode) {
  switch (mode) {
    case RecordMode::kNone:
      return "none";
    case RecordMode::kOnce:
      return "once";
    case RecordMode::kNewEpisodes:
      return "new_episodes";
    case RecordMode::kAll:
      return "all";
  }
  return "none";
}

struct Session::Impl {
  SessionOptions options;
  RecordMode mode = RecordMode::kAll;
  std::optional<Redactor> redactor;
  std::unique_ptr<ReplayIndex> index;
  std::vector<std::shared_ptr<const std::string>> replay_bodies;  // per recorded exchange
  std::unique_ptr<internal::Upstream> upstream;
  std::unique_ptr<CassetteWriter> writer;

  httplib::Server server;
  std::thread listener;
  std::atomic<size_t> open_connections{0};
  std::mutex listener_mutex;
  std::condition_variable listener_ended;
  bool listener_done = false;  // guarded by listener_mutex
  int port = 0;
  std::string url;

  // What the session uses but does not own (the log callback, the validator) is used under
  // a shared lock. When Stop abandons connections it sets `detached`: the threads left
  // running never touch them again, whatever the caller destroys after Stop.
  std::shared_mutex borrowed_mutex;
  bool detached = false;  // guarded by borrowed_mutex

  mutable std::mutex stats_mutex;
  SessionSummary stats;

  std::mutex log_mutex;
  std::mutex stop_mutex;
  bool stopped = false;

  void Log(const std::string& line) {
    std::shared_lock<std::shared_mutex> borrowed(borrowed_mutex);
    if (!detached) {
      LogBorrowed(line);
    }
  }

  // Log, with borrowed_mutex held (shared) and `detached` false.
  void LogBorrowed(const std::string& line) {
    if (!options.log) {
      return;
    }
    std::lock_guard<std::mutex> lock(log_mutex);
    options.log(line);
  }

  template <typename F>
  void Count(F&& update) {
    std::lock_guard<std::mutex> lock(stats_mutex);
    update(stats);
  }

  void Handle(const httplib::Request& request, httplib::Response& response) {
    traffic::RestoreAsSent(const_cast<httplib::Request&>(request));  // httplib's own local
    // httplib refuses a Content-Length over the limit itself, but reads a chunked body whole:
    // such a request is neither forwarded nor recorded (its cassette could not be replayed).
    if (request.body.size() > max_request_body()) {
      ServeTooLarge(request, response, std::to_string(request.body.size()));
      return;
    }
    traffic::Request incoming{.method = request.method,
                              .url = OriginForm(request.target),
                              .headers = internal::ClientHeaders(request),
                              .body = request.body};
    if (index) {
      if (std::optional<size_t> entry = index->Next(incoming)) {
        ServeRecorded(request, response, *entry);
        return;
      }
    }
    if (!upstream) {
      ServeUnmatched(request, response, incoming);
      return;
    }
    Proxy(request, response, std::move(incoming));
  }

  void ServeRecorded(const httplib::Request& request, httplib::Response& response, size_t entry) {
    Count([](SessionSummary& s) { ++s.replayed; });
    const traffic::Exchange& recorded = index->exchange(entry);
    if (recorded.response.status == 0) {
      // The recording holds a request that got no response (a browser's aborted request).
      std::string message = "conform replay: recorded entry " + std::to_string(entry) +
                            " has no response: " + recorded.error;
      internal::WriteResponse(
          request, response, 502, ErrorHeaders("recorded-without-response"),
          JsonBody(internal::RpcErrorBody(rpc::kUnavailable, message, Json::array())));
      return;
    }
    internal::ResponseHeaders replayable =
        internal::ReplayableResponseHeaders(recorded.response.headers);
    CountUnsafeHeaders(replayable.unsafe_dropped, "recorded entry " + std::to_string(entry));
    traffic::Headers headers = std::move(replayable.headers);
    headers.push_back({"X-Conform-Replay", "entry " + std::to_string(entry)});
    internal::WriteResponse(request, response, recorded.response.status, headers,
                            replay_bodies[entry]);
  }

  // `size` is the body's length in bytes, as read or as declared.
  void ServeTooLarge(const httplib::Request& request, httplib::Response& response,
                     const std::string& size) {
    Count([](SessionSummary& s) { ++s.too_large; });
    std::string message = std::string(name()) + ": request body of " + size +
                          " bytes exceeds the limit of " + std::to_string(max_request_body()) +
                          " bytes" + (upstream ? " (--max-body-size)" : "");
    Log(message + ": " + request.method + " " +
        redactor->Url(OriginForm(request.target)).substr(0, 256));
    internal::WriteResponse(
        request, response, 413, ErrorHeaders("request-body-too-large"),
        JsonBody(internal::RpcErrorBody(rpc::kResourceExhausted, message, Json::array())));
  }

  // httplib's error handler: it runs for every response with a status >= 400. Those of a
  // request that reached Handle are the session's own (or the upstream's, empty bodies
  // included) and pass untouched; the others httplib produced itself, with no body, and get
  // the session's JSON error body and X-Conform-Error header instead.
  httplib::Server::HandlerResponse ServeRefused(const httplib::Request& request,
                                                httplib::Response& response) {
    if (internal::ReachedHandler(request)) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    traffic::RestoreAsSent(const_cast<httplib::Request&>(request));  // httplib's own local
    if (response.status == 413) {
      // A Content-Length over the limit: httplib has skipped the body without keeping it.
      ServeTooLarge(request, response, DeclaredLength(request));
      return httplib::Server::HandlerResponse::Handled;
    }
    Count([](SessionSummary& s) { ++s.malformed; });
    internal::Refusal refusal = internal::DescribeRefusal(response.status, request);
    std::string message = std::string(name()) + ": " + refusal.message;
    std::string what = request.path.empty()
                           ? std::string()
                           : ": " + request.method + " " +
                                 redactor->Url(OriginForm(request.target)).substr(0, 256);
    Log(message + what);
    internal::WriteResponse(
        request, response, response.status, ErrorHeaders(refusal.marker),
        JsonBody(internal::RpcErrorBody(refusal.rpc_code, message, Json::array())));
    return httplib::Server::HandlerResponse::Handled;
  }

  std::string_view name() const { return upstream ? "conform record" : "conform replay"; }

  void ServeUnmatched(const httplib::Request& request, httplib::Response& response,
                      const traffic::Request& incoming) {
    std::string described = index ? index->Describe(incoming) : incoming.method;
    std::vector<NearMatch> nearest = index ? index->Nearest(incoming, 3) : std::vector<NearMatch>{};
    Json near = Json::array();
    for (const NearMatch& match : nearest) {
      near.push_back(
          {{"entry", match.entry}, {"request", match.request}, {"distance", match.distance}});
    }
    std::string message = "conform replay: no recorded exchange matches " + described;
    if (!nearest.empty()) {
      message += "; nearest recorded: " + nearest.front().request;
    }
    Json details = Json::array({{{"@type", "type.googleapis.com/conform.replay.Unmatched"},
                                 {"request", described},
                                 {"nearest", near}}});
    Count([&](SessionSummary& s) {
      ++s.unmatched;
      if (s.unmatched_requests.size() < kMaxListed) {
        s.unmatched_requests.push_back(described);
      }
    });
    Log("conform replay: unmatched " + described +
        (nearest.empty() ? std::string() : " (nearest recorded: " + nearest.front().request + ")"));
    traffic::Headers headers = ErrorHeaders("unmatched");
    headers.push_back({"X-Conform-Replay", "unmatched"});
    internal::WriteResponse(
        request, response, 501, headers,
        JsonBody(internal::RpcErrorBody(rpc::kUnimplemented, message, details)));
  }

  void Proxy(const httplib::Request& request, httplib::Response& response,
             traffic::Request incoming) {
    const std::string target = incoming.url;
    traffic::Headers forward = internal::ForwardableRequestHeaders(incoming.headers);
    forward.insert(forward.begin(), traffic::Header{"Host", upstream->host_header()});

    traffic::Exchange exchange;
    exchange.started = internal::NowIso8601();
    internal::UpstreamReply reply =
        upstream->Forward(incoming.method, target, forward, incoming.body);
    exchange.request = traffic::Request{.method = incoming.method,
                                        .url = upstream->base_url() + target,
                                        .headers = std::move(forward),
                                        .body = std::move(incoming.body)};
    exchange.elapsed_ms = reply.elapsed_ms;

    int status = 0;
    traffic::Headers headers;
    std::shared_ptr<const std::string> body;
    bool unrecorded_body = false;  // the cassette holds a placeholder, not the upstream's body
    if (reply.failure == UpstreamFailure::kNone) {
      status = reply.status;
      internal::ResponseHeaders forwardable = internal::ForwardableResponseHeaders(reply.headers);
      CountUnsafeHeaders(
          forwardable.unsafe_dropped,
          "the upstream's response to " + incoming.method + " " + redactor->Url(target));
      headers = std::move(forwardable.headers);
      exchange.response.status = reply.status;
      exchange.response.headers = reply.headers;
      auto coding = traffic::FindHeader(reply.headers, "content-encoding");
      std::optional<std::string> decoded;
      if (coding && !reply.body.empty()) {
        decoded = internal::DecodeContent(*coding, reply.body, upstream_max_body());
      }
      if (coding && !reply.body.empty() && !decoded && internal::NamesCompression(*coding)) {
        // The compressed bytes would carry their secrets past the redactor: the cassette gets
        // a placeholder (and no Content-Encoding, which no longer applies); the client still
        // gets the upstream's bytes.
        std::string coding_name(*coding);
        exchange.response.body = "[NOT RECORDED: " + coding_name +
                                 " body that could not be decoded within --max-body-size for "
                                 "redaction]";
        std::erase_if(exchange.response.headers, [](const traffic::Header& header) {
          return traffic::EqualsIgnoreCase(header.name, "content-encoding");
        });
        unrecorded_body = true;
        Log("conform record: " + exchange.request.method + " " + redactor->Url(target) + ": the " +
            coding_name + " response body (" + std::to_string(reply.body.size()) +
            " bytes) is not recorded: it could not be decoded within --max-body-size (" +
            std::to_string(upstream_max_body()) + " bytes) for redaction");
      } else {
        exchange.response.body = decoded ? std::move(*decoded) : reply.body;
      }
      body = std::make_shared<const std::string>(std::move(reply.body));
    } else {
      bool timeout = reply.failure == UpstreamFailure::kTimeout;
      status = timeout ? 504 : 502;
      headers =
          ErrorHeaders(timeout                                       ? "upstream-timeout"
                       : reply.failure == UpstreamFailure::kTooLarge ? "upstream-body-too-large"
                                                                     : "upstream-unreachable");
      body = JsonBody(internal::RpcErrorBody(timeout ? rpc::kDeadlineExceeded : rpc::kUnavailable,
                                             "conform record: " + reply.reason, Json::array()));
      exchange.response = traffic::Response{.status = status, .headers = headers, .body = *body};
      Count([](SessionSummary& s) { ++s.upstream_failures; });
    }
    Count([](SessionSummary& s) { ++s.proxied; });

    if (writer) {
      traffic::Exchange safe = redactor->Apply(std::move(exchange));
      if (reply.failure != UpstreamFailure::kNone) {
        Log("conform record: " + std::to_string(status) + " for " + safe.request.method + " " +
            redactor->Url(target) + ": " + reply.reason);
      }
      Record(safe);
      // A placeholder body says nothing about the contract.
      if (options.validator != nullptr && reply.failure == UpstreamFailure::kNone &&
          !unrecorded_body) {
        std::shared_lock<std::shared_mutex> borrowed(borrowed_mutex);
        if (!detached) {
          if (std::optional<std::string> rejection = Validate(safe)) {
            status = 502;
            headers = ErrorHeaders("contract-violation");
            body = JsonBody(std::move(*rejection));
          }
        }
      }
    }
    internal::WriteResponse(request, response, status, headers, std::move(body));
  }

  // Counts headers dropped as unsafe; the first time, logs where they came from (a hostile
  // upstream or cassette would otherwise fill the log).
  void CountUnsafeHeaders(size_t dropped, const std::string& source) {
    if (dropped == 0) {
      return;
    }
    bool first = false;
    Count([&](SessionSummary& s) {
      first = s.unsafe_headers_dropped == 0;
      s.unsafe_headers_dropped += dropped;
    });
    if (first) {
      Log("conform: dropped " + std::to_string(dropped) + " header(s) of " + source +
          ": a name that is not an HTTP token, or CR, LF or NUL in the value (further ones are "
          "only counted)");
    }
  }

  size_t upstream_max_body() const {
    return options.upstream ? options.upstream->max_body_bytes : size_t{32} << 20;
  }

  // What replay could load back: the limit of a recorded body, and of a forwarded one.
  size_t max_request_body() const {
    return options.upstream ? options.upstream->max_body_bytes
                            : options.read_options.limits.max_body_bytes;
  }

  void Record(const traffic::Exchange& safe) {
    auto appended = writer->Append(safe);
    if (appended) {
      Count([](SessionSummary& s) { ++s.recorded; });
      return;
    }
    if (appended.error().code == ErrorCode::kFailedPrecondition) {
      return;  // Stop finished the cassette without this abandoned exchange: counted there
    }
    bool first = false;
    Count([&](SessionSummary& s) {
      ++s.record_failures;
      first = !s.cassette_error.has_value();
      if (first) {
        s.cassette_error = appended.error();
      }
    });
    if (first) {
      Log("conform record: " + appended.error().ToString());
    }
  }

  // Logs the findings of a recorded exchange; returns the 502 body when it must be rejected.
  // Called with borrowed_mutex held (shared) and `detached` false.
  std::optional<std::string> Validate(const traffic::Exchange& safe) {
    validator::ExchangeVerdict verdict = options.validator->Check(safe);
    if (!verdict.skipped.empty()) {
      return std::nullopt;
    }
    std::string request_text = safe.request.method + " " + safe.request.url;
    size_t failing = 0;
    Json details = Json::array();
    std::string first_failing;
    for (const validator::Finding& finding : verdict.findings) {
      bool fails = finding.level == validator::Level::kMust;
      failing += fails ? 1 : 0;
      LogBorrowed(FindingLogLine(finding, request_text));
      if (fails) {
        if (first_failing.empty()) {
          first_failing = FindingHeadline(finding);
        }
        details.push_back({{"@type", "type.googleapis.com/conform.Finding"},
                           {"checkId", finding.check_id},
                           {"level", std::string(validator::LevelName(finding.level))},
                           {"jsonPointer", finding.json_pointer},
                           {"message", finding.message}});
      }
    }
    Count([&](SessionSummary& s) {
      ++s.validated;
      s.findings += verdict.findings.size();
      s.failing_findings += failing;
      for (const validator::Finding& finding : verdict.findings) {
        ++s.findings_by_check[finding.check_id];
      }
      if (failing > 0 && options.on_violation == OnViolation::kReject) {
        ++s.rejected;
      }
    });
    if (failing == 0 || options.on_violation != OnViolation::kReject) {
      return std::nullopt;
    }
    std::string message =
        "conform record: the upstream response violates the contract: " + first_failing;
    if (failing > 1) {
      message += " (and " + std::to_string(failing - 1) + " more)";
    }
    return internal::RpcErrorBody(rpc::kInternal, message, details);
  }
};

Session::Session(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

Session::~Session() { Stop(); }

int Session::port() const { return impl_->port; }
const std::string& Session::url() const { return impl_->url; }
RecordMode Session::mode() const { return impl_->mode; }
std::weak_ptr<const void> Session::Lifetime() const { return impl_; }

SessionSummary Session::Summary() const {
  std::lock_guard<std::mutex> lock(impl_->stats_mutex);
  SessionSummary summary = impl_->stats;
  if (impl_->index) {
    summary.unused.clear();
    for (size_t entry : impl_->index->Unused()) {
      summary.unused.push_back("entry " + std::to_string(entry) + ": " +
                               impl_->index->Describe(impl_->index->exchange(entry).request));
    }
  }
  if (impl_->writer) {
    summary.cassette_entries = impl_->writer->entries();
  }
  return summary;
}

SessionSummary Session::Stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->stop_mutex);
    if (!impl_->stopped) {
      impl_->stopped = true;
      // listen_after_bind returns once every worker has finished its connection, so no
      // request is in flight when the cassette is finished. A client dripping its request or
      // an upstream trickling its body could hold a worker for ever: past the grace period
      // they are abandoned, and the listener (which would join them) is detached.
      impl_->server.stop();
      bool ended = false;
      {
        std::unique_lock<std::mutex> listener_lock(impl_->listener_mutex);
        ended = impl_->listener_ended.wait_for(listener_lock, impl_->options.stop_grace,
                                               [this] { return impl_->listener_done; });
      }
      if (ended) {
        if (impl_->listener.joinable()) {
          impl_->listener.join();
        }
      } else {
        size_t abandoned = impl_->open_connections.load();
        impl_->Count([&](SessionSummary& s) { s.abandoned = abandoned; });
        impl_->Log("conform: stopped after " + std::to_string(impl_->options.stop_grace.count()) +
                   " ms with " + std::to_string(abandoned) +
                   " connection(s) still open (a client still sending its request, or an "
                   "upstream still sending its response): abandoned, not recorded");
        {
          std::unique_lock<std::shared_mutex> borrowed(impl_->borrowed_mutex);
          impl_->detached = true;
        }
        impl_->listener.detach();
      }
      if (impl_->writer) {
        if (Status finished = impl_->writer->Finish(); !finished) {
          std::lock_guard<std::mutex> stats_lock(impl_->stats_mutex);
          if (!impl_->stats.cassette_error) {
            impl_->stats.cassette_error = finished.error();
          }
        }
      }
    }
  }
  return Summary();
}

Result<std::unique_ptr<Session>> Session::Start(SessionOptions options) {
  if (options.cassette.empty()) {
    return InvalidArgument("a cassette file is required");
  }
  if (options.threads < 1) {
    return InvalidArgument("threads must be at least 1");
  }
  auto impl = std::make_shared<Impl>();
  auto redactor = Redactor::Create(options.redaction);
  if (!redactor) {
    return redactor.error();
  }
  impl->redactor = std::move(*redactor);

  RecordMode mode = options.mode;
  bool exists = FileExists(options.cassette);
  if (mode == RecordMode::kOnce) {
    mode = exists ? RecordMode::kNone : RecordMode::kAll;
  }
  bool proxies = mode == RecordMode::kNewEpisodes || mode == RecordMode::kAll;
  if (proxies && !options.upstream) {
    return InvalidArgument("record mode " + std::string(RecordModeName(options.mode)) +
                           " needs an upstream to record from (--upstream URL)");
  }
  if (mode == RecordMode::kNone && !exists) {
    return NotFound("no such file", options.cassette);
  }

  std::vector<traffic::Exchange> loaded;
  if (mode == RecordMode::kNone || (mode == RecordMode::kNewEpisodes && exists)) {
    auto cassette = ReadCassette(options.cassette, options.read_options);
    if (!cassette) {
      return cassette.error();
    }
    loaded = std::move(cassette->exchanges);
    if (!cassette->finished && options.log) {
      options.log("conform: " + options.cassette + " is an interrupted recording: recovered " +
                  std::to_string(loaded.size()) + " exchanges");
    }
    // Replaying nothing answers every request as unmatched: a mistake, not a server. Mode once
    // records into a cassette that holds nothing, as into a missing one (VCR's once does so
    // for an empty file).
    if (mode == RecordMode::kNone && loaded.empty()) {
      if (options.mode != RecordMode::kOnce || !options.upstream) {
        return NotFound(
            std::string("no exchanges to replay (") +
                (cassette->finished ? "log.entries is empty"
                                    : "an interrupted recording, cut inside its first entry") +
                "); to record into it: --mode once or new_episodes with --upstream URL",
            options.cassette);
      }
      mode = RecordMode::kAll;
      proxies = true;
    }
  }
  impl->mode = mode;
  impl->stats.mode = mode;
  impl->stats.loaded = loaded.size();
  if (proxies) {
    auto upstream =
        internal::Upstream::Create({.url = options.upstream->url,
                                    .ca_file = options.upstream->ca_file,
                                    .tls = options.upstream->tls,
                                    .timeout = options.upstream->timeout,
                                    .max_body_bytes = options.upstream->max_body_bytes,
                                    .max_idle_connections = static_cast<size_t>(options.threads)});
    if (!upstream) {
      return upstream.error();
    }
    impl->upstream = std::move(*upstream);
  }

  httplib::Server& server = impl->server;
  const int threads = options.threads;
  std::atomic<size_t>& open_connections = impl->open_connections;
  server.new_task_queue = [threads, &open_connections] {
    return new CountingPool(static_cast<size_t>(threads), open_connections);
  };
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(1000);  // the default (5) reconnects every fifth request
  server.set_keep_alive_timeout(static_cast<time_t>(options.keep_alive_timeout.count()));
  // httplib's default sets SO_REUSEPORT, with which a second server binds a busy port and
  // silently shares its traffic. SO_REUSEADDR alone allows a restart, not a double bind.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server.set_payload_max_length(options.upstream ? options.upstream->max_body_bytes
                                                 : options.read_options.limits.max_body_bytes);
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
        response.status = 500;
        response.set_content(
            internal::RpcErrorBody(rpc::kInternal, "conform: internal error", Json::array()),
            "application/json");
      });
  Impl* raw = impl.get();
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [raw](const httplib::Request& request, httplib::Response& response) {
        return raw->ServeRefused(request, response);
      }));
  server.set_pre_routing_handler([](const httplib::Request& const_request, httplib::Response&) {
    // httplib hands the hook its own non-const Request, read before the body is. Every body
    // (a GET's, a multipart one) is read as bytes, to be forwarded and recorded as sent.
    auto& request = const_cast<httplib::Request&>(const_request);
    if (traffic::DeclaresBody(request)) {
      traffic::RouteBodyAsPost(request);
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  auto handler = [raw](const httplib::Request& request, httplib::Response& response) {
    raw->Handle(request, response);
  };
  server.Get(".*", handler);
  server.Post(".*", handler);
  server.Put(".*", handler);
  server.Patch(".*", handler);
  server.Delete(".*", handler);
  server.Options(".*", handler);

  errno = 0;
  int port =
      options.listen.port == 0
          ? server.bind_to_any_port(options.listen.host)
          : (server.bind_to_port(options.listen.host, options.listen.port) ? options.listen.port
                                                                           : -1);
  if (port <= 0) {
    int error = errno;
    std::string address = options.listen.host + ":" + std::to_string(options.listen.port);
    return Unavailable("cannot listen on " + address +
                       (error != 0 ? std::string(": ") + std::strerror(error)
                                   : std::string(": address in use or not available")));
  }
  impl->port = port;
  std::string host = options.listen.host == "0.0.0.0" || options.listen.host == "::"
                         ? "127.0.0.1"
                         : options.listen.host;
  impl->url = "http://" + traffic::HostPort(host, port);

  // The cassette is created only once the address is bound: a busy port must not cost the
  // user an existing recording.
  if (proxies) {
    auto writer = CassetteWriter::Create(
        options.cassette, options.cassette_options,
        mode == RecordMode::kNewEpisodes ? loaded : std::vector<traffic::Exchange>{});
    if (!writer) {
      return writer.error();
    }
    impl->writer = std::move(*writer);
  }
  if (mode == RecordMode::kNone || mode == RecordMode::kNewEpisodes) {
    for (const traffic::Exchange& exchange : loaded) {
      impl->replay_bodies.push_back(std::make_shared<const std::string>(exchange.response.body));
    }
    impl->index = std::make_unique<ReplayIndex>(std::move(loaded), options.match, *impl->redactor);
  }
  impl->options = std::move(options);

  // The listener owns the state too: after an abandoning Stop it outlives the Session, and the
  // workers it joins keep using the state until they end.
  impl->listener = std::thread([impl] {
    impl->server.listen_after_bind();
    {
      std::lock_guard<std::mutex> lock(impl->listener_mutex);
      impl->listener_done = true;
    }
    impl->listener_ended.notify_all();
  });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!raw->server.is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  auto session = std::unique_ptr<Session>(new Session(std::move(impl)));
  if (!raw->server.is_running()) {
    session->Stop();
    return Unavailable("the server did not start", raw->url);
  }
  return session;
}

}  // namespace conform::recorder
