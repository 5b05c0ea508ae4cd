#include "server/http_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "server/data_file.h"
#include "server/served_contract.h"
#include "traffic/exchange.h"
#include "traffic/request_body.h"
#include "traffic/url.h"
#include "validator/rpc_codes.h"

namespace conform::server {
namespace {

namespace rpc = validator::rpc;

ApiRequest ToApiRequest(const httplib::Request& request) {
  ApiRequest api;
  api.method = request.method;
  api.path = request.path;
  for (const auto& [name, value] : request.params) {
    api.query.emplace_back(name, value);
  }
  if (request.has_header("Authorization")) {
    api.authorization = request.get_header_value("Authorization");
  }
  return api;
}

void Write(const ApiResponse& api, httplib::Response& response) {
  response.status = api.status;
  for (const traffic::Header& header : api.headers) {
    response.set_header(header.name, header.value);
  }
  response.set_content(api.body, api.content_type);
}

// Sends `api`, then closes the connection: what is left of a refused request body is never
// read, so the connection cannot carry another request. httplib 0.11.4 closes a connection
// only when the request asked for it or a write fails; a content provider that fails once it
// has written the whole body is how a handler gets the close.
void WriteThenClose(const ApiResponse& api, httplib::Response& response) {
  response.status = api.status;
  for (const traffic::Header& header : api.headers) {
    response.set_header(header.name, header.value);
  }
  response.set_header("Connection", "close");
  auto body = std::make_shared<const std::string>(api.body);
  response.set_content_provider(body->size(), api.content_type.c_str(),
                                [body](size_t offset, size_t length, httplib::DataSink& sink) {
                                  sink.write(body->data() + offset, length);
                                  return false;  // written; the failure only ends the connection
                                });
}

// A request with a body over kMaxBodyBytes is refused, whatever its method, without reading
// more of the body than the limit. The Content-Length says so up front; a chunked body is
// counted as it is read.
enum class DeclaredBody { kNone, kWithinLimit, kOverLimit, kMalformed };

DeclaredBody Declared(const httplib::Request& request) {
  // httplib's test: with any other Transfer-Encoding it goes by the Content-Length.
  if (traffic::EqualsIgnoreCase(request.get_header_value("Transfer-Encoding"), "chunked")) {
    return DeclaredBody::kWithinLimit;  // counted as read
  }
  if (!request.has_header("Content-Length")) {
    // Read to the end of the connection, counted as read.
    return request.has_header("Transfer-Encoding") ? DeclaredBody::kWithinLimit
                                                   : DeclaredBody::kNone;
  }
  if (request.get_header_value_count("Content-Length") != 1) {
    return DeclaredBody::kMalformed;
  }
  std::string value = request.get_header_value("Content-Length");
  uint64_t length = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
  if (value.empty() || error == std::errc::invalid_argument || end != value.data() + value.size()) {
    return DeclaredBody::kMalformed;
  }
  if (error == std::errc::result_out_of_range || length > kMaxBodyBytes) {
    return DeclaredBody::kOverLimit;
  }
  return length == 0 ? DeclaredBody::kNone : DeclaredBody::kWithinLimit;
}

// The rpc code and reason for an error status that cpp-httplib produced on its own.
struct TransportError {
  int code;
  const char* reason;
  const char* message;
};

TransportError ForStatus(int status) {
  switch (status) {
    case 404:
      return {rpc::kNotFound, "ROUTE_NOT_FOUND", "no such resource"};
    case 413:
      return {rpc::kInvalidArgument, "REQUEST_TOO_LARGE",
              "the request body is larger than 65536 bytes"};
    case 414:
      return {rpc::kInvalidArgument, "REQUEST_TOO_LARGE",
              "the request line is longer than 8192 bytes; shorten filter, orderBy or readMask"};
    case 500:
      return {rpc::kInternal, "INTERNAL", "internal error"};
    default:
      return {rpc::kInvalidArgument, "MALFORMED_REQUEST",
              "malformed HTTP request (a header line longer than 8192 bytes, or a bad request "
              "line)"};
  }
}

}  // namespace

struct RunningServer::Impl {
  std::shared_ptr<JobStore> store;
  std::unique_ptr<ListHandler> handler;
  httplib::Server http;
  std::thread thread;
  int port = 0;
  std::string base_url;
  std::mutex stop_mutex;
  bool stopped = false;
};

RunningServer::RunningServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

RunningServer::~RunningServer() { Stop(); }

int RunningServer::port() const { return impl_->port; }
const std::string& RunningServer::base_url() const { return impl_->base_url; }
JobStore& RunningServer::store() const { return *impl_->store; }
const ListHandler& RunningServer::handler() const { return *impl_->handler; }
const std::vector<ApiKey>& RunningServer::api_keys() const { return impl_->handler->api_keys(); }

void RunningServer::Stop() {
  std::lock_guard lock(impl_->stop_mutex);
  if (impl_->stopped) {
    return;
  }
  impl_->stopped = true;
  impl_->http.stop();
  if (impl_->thread.joinable()) {
    impl_->thread.join();
  }
}

Result<std::unique_ptr<RunningServer>> StartServer(ServerOptions options) {
  if (options.port < 0 || options.port > 65535) {
    return InvalidArgument("port " + std::to_string(options.port) + " is not in 0..65535");
  }
  if (options.threads < 1) {
    return InvalidArgument("the server needs at least one thread");
  }
  auto impl = std::make_unique<RunningServer::Impl>();
  impl->store = options.store;
  if (impl->store == nullptr) {
    impl->store = std::make_shared<JobStore>();
    if (!options.data_file.empty()) {
      Result<std::shared_ptr<const ServedContract>> served = EmbeddedServedContract();
      if (!served) {
        return served.error();
      }
      Result<std::vector<nlohmann::json>> jobs = LoadJobsFile(options.data_file, **served);
      if (!jobs) {
        return jobs.error();
      }
      for (nlohmann::json& job : *jobs) {
        Status added = impl->store->AddJob(std::move(job));
        if (!added) {
          return Error{added.error().code, added.error().message, options.data_file};
        }
      }
    } else {
      Status filled = PopulateGenerated(*impl->store, options.data);
      if (!filled) {
        return filled.error();
      }
    }
  }
  Result<std::vector<ApiKey>> keys = ResolveApiKeys(DefaultApiKeys(*impl->store), options.api_keys);
  if (!keys) {
    return keys.error();
  }
  Result<std::unique_ptr<ListHandler>> handler =
      ListHandler::Create(impl->store, {.faults = options.faults,
                                        .api_keys = std::move(*keys),
                                        .token_secret = std::move(options.token_secret)});
  if (!handler) {
    return handler.error();
  }
  impl->handler = std::move(*handler);

  httplib::Server& http = impl->http;
  const ListHandler* list = impl->handler.get();
  const int threads = options.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  // Without it, Nagle + delayed ACK stall each reused connection by ~40 ms.
  http.set_tcp_nodelay(true);
  http.set_keep_alive_max_count(1000);
  // httplib 0.11.4 lets an idle keep-alive connection hold its worker (and Stop()) until this
  // timeout, whatever stop() says; 1 s keeps Stop() prompt and costs a busy client nothing.
  http.set_keep_alive_timeout(1);
  http.set_read_timeout(std::chrono::seconds(10));
  http.set_write_timeout(std::chrono::seconds(10));
  http.set_payload_max_length(kMaxBodyBytes);
  // httplib's default sets SO_REUSEPORT, which lets a second server bind a port in use and
  // steal half its connections; SO_REUSEADDR alone still allows a quick restart.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });

  auto serve = [list](const httplib::Request& request, httplib::Response& response) {
    size_t header_bytes = 0;
    for (const auto& [name, value] : request.headers) {
      header_bytes += name.size() + value.size() + 4;
    }
    if (request.headers.size() > kMaxHeaderCount || header_bytes > kMaxHeaderBytes) {
      Write(list->ErrorResponse(rpc::kInvalidArgument, "REQUEST_TOO_LARGE",
                                "the request headers exceed 100 lines or 65536 bytes"),
            response);
      return;
    }
    Write(list->Handle(ToApiRequest(request)), response);
  };
  auto too_large = [list](httplib::Response& response) {
    TransportError error = ForStatus(413);
    WriteThenClose(list->ErrorResponse(error.code, error.reason, error.message), response);
  };
  // Requests without a body are answered before httplib's own routing (which would serve its
  // own 404 page). A body over the limit is refused here, unread. Any other body, whatever
  // the method, goes through routing to a content reader, which reads it off the connection
  // (keeping keep-alive in sync) and stops at the limit.
  http.set_pre_routing_handler(
      [serve, too_large, list](const httplib::Request& const_request, httplib::Response& response) {
        // The Request is a local of httplib's (non-const), so changing it here is well-defined.
        auto& request = const_cast<httplib::Request&>(const_request);
        // httplib 0.11.4 applies a Range header to any 200 body, which would cut the JSON
        // mid-document; a list is not a byte-range resource.
        request.ranges.clear();
        switch (Declared(request)) {
          case DeclaredBody::kNone:
            serve(request, response);
            return httplib::Server::HandlerResponse::Handled;
          case DeclaredBody::kOverLimit:
            too_large(response);
            return httplib::Server::HandlerResponse::Handled;
          case DeclaredBody::kMalformed:
            WriteThenClose(list->ErrorResponse(rpc::kInvalidArgument, "MALFORMED_REQUEST",
                                               "malformed Content-Length header"),
                           response);
            return httplib::Server::HandlerResponse::Handled;
          case DeclaredBody::kWithinLimit:
            traffic::RouteBodyAsPost(request);
            return httplib::Server::HandlerResponse::Unhandled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
      });
  auto serve_with_body = [serve, too_large, list](const httplib::Request& const_request,
                                                  httplib::Response& response,
                                                  const httplib::ContentReader& read) {
    size_t received = 0;
    bool complete = read([&received](const char*, size_t length) {
      received += length;
      return received <= kMaxBodyBytes;  // false stops the read
    });
    traffic::RestoreAsSent(const_cast<httplib::Request&>(const_request));
    if (received > kMaxBodyBytes) {
      too_large(response);
    } else if (!complete) {
      WriteThenClose(list->ErrorResponse(rpc::kInvalidArgument, "MALFORMED_REQUEST",
                                         "malformed request body (a bad chunk, an unknown "
                                         "Content-Encoding, or fewer bytes than declared)"),
                     response);
    } else {
      serve(const_request, response);
    }
  };
  http.Post(".*", serve_with_body);
  // Errors httplib raises itself (bad request line, 414, oversize header or body) get the same
  // google.rpc.Status body as the handler's, with a status from the rpc mapping.
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [list](const httplib::Request&, httplib::Response& response) {
        // Every response of the server's own has a Content-Type (some a content provider
        // rather than a body); httplib's own have neither.
        if (!response.body.empty() || response.has_header("Content-Type")) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        TransportError error = ForStatus(response.status);
        Write(list->ErrorResponse(error.code, error.reason, error.message), response);
        return httplib::Server::HandlerResponse::Handled;
      }));
  http.set_exception_handler(
      [list](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
        Write(list->ErrorResponse(rpc::kInternal, "INTERNAL", "internal error"), response);
      });

  errno = 0;
  if (options.port == 0) {
    impl->port = http.bind_to_any_port(options.host);
  } else {
    impl->port = http.bind_to_port(options.host, options.port) ? options.port : -1;
  }
  if (impl->port <= 0) {
    int saved = errno;
    std::string why = saved != 0 ? std::string(std::strerror(saved)) : "cannot bind";
    return Unavailable("cannot listen on " + options.host + ":" + std::to_string(options.port) +
                       ": " + why);
  }
  std::string shown_host = options.host;
  if (shown_host == "0.0.0.0" || shown_host.empty()) {
    shown_host = "127.0.0.1";
  } else if (shown_host == "::") {
    shown_host = "::1";
  }
  impl->base_url = "http://" + traffic::HostPort(shown_host, impl->port);

  impl->thread = std::thread([&http] { http.listen_after_bind(); });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!http.is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  auto server = std::unique_ptr<RunningServer>(new RunningServer(std::move(impl)));
  if (!server->impl_->http.is_running()) {
    server->Stop();
    return Unavailable("the server on port " + std::to_string(server->port()) +
                       " did not start within 10 s");
  }
  return server;
}

}  // namespace conform::server
