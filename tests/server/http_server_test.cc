// The reference server over loopback HTTP on port 0: start and stop, a full walk, hostile
// requests (always 4xx with a google.rpc.Status body, never 5xx), concurrent walkers, data
// files, key overrides and a port in use.
#include "server/http_server.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "tests/server/server_test_util.h"
#include "tests/support/result_matchers.h"
#include "traffic/http_client.h"
#include "validator/rpc_codes.h"

namespace conform::server {
namespace http_server_test {
namespace {

using Json = nlohmann::json;
using ::testing::HasSubstr;

std::unique_ptr<RunningServer> Start(ServerOptions options) {
  if (options.token_secret.empty()) {
    options.token_secret = testing::kTestSecret;
  }
  auto server = StartServer(std::move(options));
  CONFORM_CHECK(server.ok());
  return std::move(*server);
}

traffic::HttpClient ClientFor(const RunningServer& server) {
  auto client = traffic::HttpClient::Create(server.base_url(), {.max_retries = 0});
  CONFORM_CHECK(client.ok());
  return std::move(*client);
}

traffic::Exchange Get(traffic::HttpClient& client, const std::string& account,
                      const std::string& key, const traffic::QueryParams& params = {}) {
  traffic::Request request{.method = "GET", .url = testing::CollectionPath(account)};
  if (!params.empty()) {
    request.url += "?" + traffic::BuildQuery(params);
  }
  if (!key.empty()) {
    request.headers.push_back({"Authorization", "Bearer " + key});
  }
  auto exchange = client.Send(request);
  CONFORM_CHECK(exchange.ok());
  return std::move(*exchange);
}

// The jobs of `account`, held by the snapshot (a range-for over Snapshot(...)->jobs would
// outlive the temporary).
std::vector<std::shared_ptr<const StoredJob>> Jobs(const RunningServer& server,
                                                   const std::string& account) {
  std::optional<AccountSnapshot> snapshot = server.store().Snapshot(account);
  CONFORM_CHECK(snapshot.has_value());
  return std::move(snapshot->jobs);
}

// Walks every page over HTTP; stops after `max_pages`.
std::vector<std::string> WalkOverHttp(traffic::HttpClient& client, const std::string& account,
                                      const std::string& key, int page_size,
                                      size_t max_pages = 100) {
  std::vector<std::string> names;
  std::string token;
  for (size_t page = 0; page < max_pages; ++page) {
    traffic::QueryParams params = {{"pageSize", std::to_string(page_size)}};
    if (!token.empty()) {
      params.emplace_back("pageToken", token);
    }
    traffic::Exchange exchange = Get(client, account, key, params);
    EXPECT_EQ(exchange.response.status, 200) << exchange.response.body;
    Json body = Json::parse(exchange.response.body, nullptr, false);
    for (const std::string& name : testing::Names(body)) {
      names.push_back(name);
    }
    token = testing::NextToken(body);
    if (token.empty()) {
      break;
    }
  }
  return names;
}

// An error response in the server's shape: google.rpc.Status JSON, status from the mapping.
void ExpectRpcError(int status, const std::string& content_type, const std::string& body,
                    const std::string& what) {
  EXPECT_GE(status, 400) << what;
  // 501 UNIMPLEMENTED for other methods on the collection; no other 5xx.
  EXPECT_TRUE(status < 500 || status == 501) << what << ": " << status;
  EXPECT_EQ(content_type, "application/json") << what;
  Json parsed = Json::parse(body, nullptr, false);
  ASSERT_TRUE(parsed.is_object()) << what << ": " << body;
  ASSERT_TRUE(parsed["code"].is_number_integer()) << what;
  EXPECT_EQ(validator::HttpStatusForRpcCode(parsed["code"].get<int>()), status) << what;
  EXPECT_TRUE(parsed["message"].is_string()) << what;
  EXPECT_TRUE(parsed["details"].is_array()) << what;
}

TEST(HttpServer, StartsOnAnEphemeralPortAndStopsTwice) {
  auto server = Start({.data = {.acme_jobs = 20}});
  EXPECT_GT(server->port(), 0);
  EXPECT_EQ(server->base_url(), "http://127.0.0.1:" + std::to_string(server->port()));
  traffic::HttpClient client = ClientFor(*server);
  traffic::Exchange page = Get(client, "acme", "acme-key", {{"pageSize", "5"}});
  EXPECT_EQ(page.response.status, 200);
  EXPECT_EQ(traffic::FindHeader(page.response.headers, "Content-Type"), "application/json");
  server->Stop();
  server->Stop();
  traffic::Exchange refused = Get(client, "acme", "acme-key");
  EXPECT_EQ(refused.response.status, 0);
}

TEST(HttpServer, FullWalkReturnsTheCollectionInNameOrder) {
  auto server = Start({.data = {.acme_jobs = 130}});
  traffic::HttpClient client = ClientFor(*server);
  std::vector<std::string> names = WalkOverHttp(client, "acme", "acme-key", 17);
  std::vector<std::string> expected;
  for (const auto& job : Jobs(*server, "acme")) {
    expected.push_back(job->name);
  }
  EXPECT_EQ(names, expected);
}

TEST(HttpServer, ConcurrentClientsEachWalkTheWholeCollection) {
  auto server = Start({.data = {.acme_jobs = 150}});
  std::vector<std::string> expected;
  for (const auto& job : Jobs(*server, "acme")) {
    expected.push_back(job->name);
  }
  std::vector<std::vector<std::string>> walked(6);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < walked.size(); ++i) {
    threads.emplace_back([&server, &walked, i] {
      traffic::HttpClient client = ClientFor(*server);
      walked[i] = WalkOverHttp(client, "acme", "acme-key", static_cast<int>(7 + 5 * i));
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  for (const auto& names : walked) {
    EXPECT_EQ(names, expected);
  }
}

TEST(HttpServer, WalksStayExactWhileAnotherThreadChurns) {
  auto server = Start({.data = {.acme_jobs = 100}});
  std::vector<std::string> before;
  for (const auto& job : Jobs(*server, "acme")) {
    before.push_back(job->name);
  }
  std::thread churn([&server] {
    for (int i = 0; i < 200; ++i) {
      std::string name = "accounts/acme/dpoJobs/churn-" + std::to_string(i);
      EXPECT_TRUE(server->store().AddJob({{"name", name}, {"dataset", "d"}}).ok());
      EXPECT_TRUE(server->store().DeleteJob(name));
    }
  });
  traffic::HttpClient client = ClientFor(*server);
  std::vector<std::string> names = WalkOverHttp(client, "acme", "acme-key", 9);
  churn.join();
  std::vector<std::string> stable;
  for (const std::string& name : names) {
    if (name.rfind("accounts/acme/dpoJobs/churn-", 0) != 0) {
      stable.push_back(name);
    }
  }
  EXPECT_EQ(stable, before);
  EXPECT_FALSE(testing::HasDuplicates(names));
}

TEST(HttpServer, HostileRequestsGet4xxStatusBodies) {
  auto server = Start({.data = {.acme_jobs = 10}});
  httplib::Client client("127.0.0.1", server->port());
  client.set_read_timeout(std::chrono::seconds(20));
  const httplib::Headers auth = {{"Authorization", "Bearer acme-key"}};
  const std::string path = "/v1/accounts/acme/dpoJobs";
  std::vector<std::pair<std::string, httplib::Result>> results;
  results.emplace_back("100k-deep filter",
                       client.Get(path + "?filter=" + std::string(100000, '('), auth));
  results.emplace_back("deep filter within the URL limit",
                       client.Get(path + "?filter=" + std::string(4000, '('), auth));
  results.emplace_back("1 MB filter",
                       client.Get(path + "?filter=" + std::string(1 << 20, 'a'), auth));
  results.emplace_back("NUL in filter", client.Get(path + "?filter=name%3D%22a%00b%22", auth));
  results.emplace_back("invalid UTF-8 in filter",
                       client.Get(path + "?filter=name%3D%22%FF%FE%22", auth));
  results.emplace_back("invalid UTF-8 in orderBy", client.Get(path + "?orderBy=%C3%28", auth));
  results.emplace_back("NUL in readMask", client.Get(path + "?readMask=na%00me", auth));
  results.emplace_back("garbage token", client.Get(path + "?pageToken=%FF%00garbage", auth));
  results.emplace_back("huge header", client.Get(path, {{"Authorization", "Bearer acme-key"},
                                                        {"X-Big", std::string(20000, 'x')}}));
  httplib::Headers many = auth;
  for (int i = 0; i < 150; ++i) {
    many.emplace("X-Header-" + std::to_string(i), "v");
  }
  results.emplace_back("150 headers", client.Get(path, many));
  results.emplace_back("huge Authorization",
                       client.Get(path, {{"Authorization", "Bearer " + std::string(7000, 'k')}}));
  results.emplace_back("POST with a body",
                       client.Post(path, auth, std::string(1000, 'x'), "application/json"));
  results.emplace_back("POST with a body over the limit",
                       client.Post(path, auth, std::string(200000, 'x'), "application/json"));
  results.emplace_back("DELETE", client.Delete(path, auth));
  results.emplace_back("unknown path", client.Get("/v1/accounts/acme/dpoJobs/x/y", auth));
  results.emplace_back("encoded slash", client.Get("/v1/accounts/ac%2Fme/dpoJobs", auth));
  for (auto& [what, result] : results) {
    ASSERT_TRUE(result) << what << ": " << httplib::to_string(result.error());
    const bool method = what == "POST with a body" || what == "DELETE";
    EXPECT_EQ(result->status == 501, method) << what;
    ExpectRpcError(result->status, result->get_header_value("Content-Type"), result->body, what);
  }
  // The server still serves normally afterwards.
  auto ok = client.Get(path + "?pageSize=2", auth);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

// Sends raw bytes on a fresh connection and reads one response (headers, then Content-Length
// bytes of body). The write side stays open: httplib drops its answer to a half-closed peer.
std::string RawExchange(int port, const std::string& bytes) {
  int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  CONFORM_CHECK(sock >= 0);
  timeval timeout{.tv_sec = 10, .tv_usec = 0};
  ::setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  CONFORM_CHECK(::connect(sock, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
  CONFORM_CHECK(::send(sock, bytes.data(), bytes.size(), 0) == static_cast<ssize_t>(bytes.size()));
  std::string response;
  char buffer[4096];
  while (true) {
    size_t end = response.find("\r\n\r\n");
    if (end != std::string::npos) {
      size_t length_at = response.find("Content-Length: ");
      size_t length =
          length_at == std::string::npos ? 0 : std::stoul(response.substr(length_at + 16));
      if (response.size() >= end + 4 + length) {
        break;
      }
    }
    ssize_t n = ::recv(sock, buffer, sizeof(buffer), 0);
    if (n <= 0) {
      break;
    }
    response.append(buffer, static_cast<size_t>(n));
  }
  ::close(sock);
  return response;
}

TEST(HttpServer, MalformedRequestsGet4xxJson) {
  auto server = Start({.data = {.acme_jobs = 3}});
  for (const std::string& request :
       {std::string("FOO /v1/accounts/acme/dpoJobs HTTP/1.1\r\nHost: x\r\n\r\n"),
        std::string("GET /v1/accounts/acme/dpoJobs?a=1?b=2 HTTP/1.1\r\nHost: x\r\n\r\n"),
        std::string("\x00\x01\x02 garbage\r\n\r\n", 15),
        std::string("GET /v1/accounts/acme/dpoJobs HTTP/1.1\r\nno colon here\r\n\r\n")}) {
    std::string response = RawExchange(server->port(), request);
    EXPECT_EQ(response.rfind("HTTP/1.1 4", 0), 0u) << response;
    EXPECT_THAT(response, HasSubstr("Content-Type: application/json"));
    EXPECT_THAT(response, HasSubstr("\"code\":"));
  }
}

// One raw connection for several exchanges; closed at the end of the scope.
class RawConnection {
 public:
  explicit RawConnection(int port) : sock_(::socket(AF_INET, SOCK_STREAM, 0)) {
    CONFORM_CHECK(sock_ >= 0);
    timeval timeout{.tv_sec = 10, .tv_usec = 0};
    ::setsockopt(sock_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CONFORM_CHECK(::connect(sock_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  ~RawConnection() { ::close(sock_); }

  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t sent = ::send(sock_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent <= 0) {
        return false;
      }
      bytes.remove_prefix(static_cast<size_t>(sent));
    }
    return true;
  }
  // One response: its head and Content-Length bytes of body ("" when none came in 10 s).
  std::string ReadResponse() {
    while (true) {
      size_t end = pending_.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t length_at = pending_.find("Content-Length: ");
        size_t length = length_at == std::string::npos || length_at > end
                            ? 0
                            : std::stoul(pending_.substr(length_at + 16));
        if (pending_.size() >= end + 4 + length) {
          std::string response = pending_.substr(0, end + 4 + length);
          pending_.erase(0, end + 4 + length);
          return response;
        }
      }
      if (!Receive()) {
        return "";
      }
    }
  }
  // The head of a response that has no body (an answer to HEAD).
  std::string ReadHead() {
    while (pending_.find("\r\n\r\n") == std::string::npos) {
      if (!Receive()) {
        return "";
      }
    }
    size_t end = pending_.find("\r\n\r\n") + 4;
    std::string head = pending_.substr(0, end);
    pending_.erase(0, end);
    return head;
  }
  // Whether the server closed the connection (rather than leaving it open for 10 s).
  bool ClosedByServer() {
    while (Receive()) {
    }
    return !timed_out_;
  }

 private:
  bool Receive() {
    char buffer[4096];
    ssize_t n = ::recv(sock_, buffer, sizeof(buffer), 0);
    if (n <= 0) {
      timed_out_ = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
      return false;
    }
    pending_.append(buffer, static_cast<size_t>(n));
    return true;
  }

  int sock_;
  std::string pending_;
  bool timed_out_ = false;
};

std::string ChunkedBody(size_t chunks, size_t chunk_size) {
  std::string body;
  char size_line[32];
  std::snprintf(size_line, sizeof(size_line), "%zx\r\n", chunk_size);
  for (size_t i = 0; i < chunks; ++i) {
    body += size_line + std::string(chunk_size, 'c') + "\r\n";
  }
  return body;
}

// A body over kMaxBodyBytes is refused with 400 REQUEST_TOO_LARGE whatever the method, as soon
// as the limit is passed: the requests below never finish their bodies, so a server that read
// on would not answer. The unread rest cannot carry another request: the server closes.
TEST(HttpServer, ABodyOverTheLimitIsRefusedForEveryMethodWithoutReadingOn) {
  auto server = Start({.data = {.acme_jobs = 3}});
  const std::string head_end =
      " /v1/accounts/acme/dpoJobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer acme-key\r\n";
  for (const std::string method : {"GET", "OPTIONS", "POST", "DELETE"}) {
    for (const std::string framing : {"chunked", "declared"}) {
      SCOPED_TRACE(method + " " + framing);
      RawConnection connection(server->port());
      std::string request =
          framing == "chunked"
              ? method + head_end + "Transfer-Encoding: chunked\r\n\r\n" +
                    ChunkedBody(5, 16 * 1024)  // 80 KiB, and no last chunk
              : method + head_end + "Content-Length: 20000000\r\n\r\n" + std::string(1024, 'd');
      ASSERT_TRUE(connection.Send(request));
      std::string response = connection.ReadResponse();
      EXPECT_EQ(response.rfind("HTTP/1.1 400 ", 0), 0u) << response.substr(0, 300);
      EXPECT_THAT(response, HasSubstr("Connection: close\r\n"));
      EXPECT_THAT(response, HasSubstr("Content-Type: application/json\r\n"));
      EXPECT_THAT(response, HasSubstr(R"("reason":"REQUEST_TOO_LARGE")"));
      EXPECT_TRUE(connection.ClosedByServer());
    }
  }
}

// A GET with a body within the limit is legal HTTP: it is answered as any GET, and its body is
// read off the connection so that the next request on it is understood. (The bodies are larger
// than httplib's read buffer: left unread, they would be parsed as the next request.)
TEST(HttpServer, AGetBodyWithinTheLimitIsReadAndTheConnectionStaysInStep) {
  auto server = Start({.data = {.acme_jobs = 3}});
  const std::string head =
      "GET /v1/accounts/acme/dpoJobs?pageSize=1 HTTP/1.1\r\nHost: x\r\n"
      "Authorization: Bearer acme-key\r\n";
  RawConnection connection(server->port());
  for (const std::string& request :
       {head + "Content-Length: 60000\r\nContent-Type: multipart/form-data\r\n\r\n" +
            std::string(60000, 'a'),
        head + "Transfer-Encoding: chunked\r\n\r\n" + ChunkedBody(3, 20000) + "0\r\n\r\n",
        "HEAD /v1/accounts/acme/dpoJobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        "acme-key\r\nContent-Length: 30000\r\n\r\n" +
            std::string(30000, 'h'),
        head + "\r\n"}) {
    SCOPED_TRACE(request.substr(0, 120));
    ASSERT_TRUE(connection.Send(request));
    const bool head_only = request.starts_with("HEAD");
    std::string response = head_only ? connection.ReadHead() : connection.ReadResponse();
    EXPECT_EQ(response.rfind("HTTP/1.1 200 ", 0), 0u) << response.substr(0, 300);
    if (!head_only) {
      EXPECT_THAT(response, HasSubstr(R"("dpoJobs":[)"));
    }
  }
}

TEST(HttpServer, RangeHeaderDoesNotCutTheJson) {
  auto server = Start({.data = {.acme_jobs = 10}});
  httplib::Client client("127.0.0.1", server->port());
  auto result = client.Get("/v1/accounts/acme/dpoJobs",
                           {{"Authorization", "Bearer acme-key"}, {"Range", "bytes=0-10"}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_TRUE(Json::parse(result->body, nullptr, false).is_object());
}

TEST(HttpServer, HeadIsAnsweredLikeGet) {
  auto server = Start({.data = {.acme_jobs = 10}});
  httplib::Client client("127.0.0.1", server->port());
  auto result = client.Head("/v1/accounts/acme/dpoJobs", {{"Authorization", "Bearer acme-key"}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
}

TEST(HttpServer, PortInUseIsUnavailable) {
  auto first = Start({.data = {.acme_jobs = 1}});
  auto second = StartServer({.port = first->port(), .data = {.acme_jobs = 1}});
  EXPECT_THAT(second, ErrorIs(ErrorCode::kUnavailable, HasSubstr("cannot listen on 127.0.0.1:" +
                                                                 std::to_string(first->port()))));
}

TEST(HttpServer, ApiKeyOverridesReplaceTheDefault) {
  auto server = Start({.data = {.acme_jobs = 3}, .api_keys = {{"acme", "s3cret"}}});
  traffic::HttpClient client = ClientFor(*server);
  EXPECT_EQ(Get(client, "acme", "acme-key").response.status, 401);
  EXPECT_EQ(Get(client, "acme", "s3cret").response.status, 200);
  EXPECT_EQ(Get(client, "tiny", "tiny-key").response.status, 200);
}

class DataFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("conform-server-test-" +
             std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".jsonl");
  }
  void TearDown() override { std::filesystem::remove(path_); }
  void Write(const std::string& text) { std::ofstream(path_) << text; }
  std::filesystem::path path_;
};

TEST_F(DataFileTest, ServesTheAccountsOfTheFile) {
  Write(R"({"name": "accounts/alpha/dpoJobs/one", "dataset": "d", "wandbConfig": {"apiKey": "k"}})"
        "\n"
        R"({"name": "accounts/beta/dpoJobs/two", "dataset": "d"})"
        "\n");
  auto server = Start({.data_file = path_.string()});
  traffic::HttpClient client = ClientFor(*server);
  traffic::Exchange alpha = Get(client, "alpha", "alpha-key");
  EXPECT_EQ(alpha.response.status, 200);
  EXPECT_THAT(alpha.response.body, HasSubstr("accounts/alpha/dpoJobs/one"));
  EXPECT_THAT(alpha.response.body, ::testing::Not(HasSubstr("apiKey")));
  EXPECT_EQ(Get(client, "beta", "beta-key").response.status, 200);
  EXPECT_EQ(Get(client, "acme", "acme-key").response.status, 401);  // no generated data
}

TEST_F(DataFileTest, InvalidFileFailsToStartWithFileAndLine) {
  Write(R"({"name": "accounts/alpha/dpoJobs/one", "dataset": "d"})"
        "\n"
        R"({"name": "accounts/alpha/dpoJobs/two", "dataset": 7})"
        "\n");
  EXPECT_THAT(StartServer({.data_file = path_.string()}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr(path_.string() + ":2")));
}

}  // namespace
}  // namespace http_server_test
}  // namespace conform::server
