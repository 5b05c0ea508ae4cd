// The recording proxy over loopback HTTP (STYLE T5): transparency (status, headers, binary,
// gzip and large bodies, many clients at once), upstream failures as 502/504, redaction of
// every secret before the cassette, --validate and --fail-on-violation, and TLS upstreams.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "recorder/cassette.h"
#include "recorder/session.h"
#include "tests/recorder/loopback.h"
#include "tests/support/result_matchers.h"
#include "tests/support/temp_dir.h"
#include "traffic/request_body.h"
#include "traffic/url.h"
#include "validator/exchange_validator.h"
#include "validator/spec_loader.h"

namespace conform::recorder {
namespace proxy_test {
namespace {

using testing::ClientFor;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ReadBytes;
using ::testing::SizeIs;
using testing::TestUpstream;
using Json = nlohmann::json;

// A proxy session recording to a cassette in its own scratch directory.
struct Proxy {
  explicit Proxy(const std::string& upstream_url, SessionOptions options = {}) {
    options.mode = RecordMode::kAll;
    options.cassette = Cassette();
    options.keep_alive_timeout = std::chrono::seconds(1);  // Stop waits for idle clients
    if (!options.upstream) {
      options.upstream = UpstreamOptions{.url = upstream_url};
    }
    options.log = [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(mutex);
      log += line + "\n";
    };
    auto started = Session::Start(std::move(options));
    EXPECT_THAT(started, IsOk());
    if (started) {
      session = std::move(*started);
    }
  }
  std::string Cassette() const { return (dir.path() / "cassette.har").string(); }
  std::vector<traffic::Exchange> Stop() {
    summary = session->Stop();
    auto read = ReadCassette(Cassette(), {});
    EXPECT_THAT(read, IsOk());
    return read ? read->exchanges : std::vector<traffic::Exchange>{};
  }
  std::string Log() {
    std::lock_guard<std::mutex> lock(mutex);
    return log;
  }

  conform::testing::TempDir dir;
  std::unique_ptr<Session> session;
  SessionSummary summary;
  std::mutex mutex;
  std::string log;
};

std::string RandomBytes(size_t size, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string bytes(size, '\0');
  for (char& c : bytes) {
    c = static_cast<char>(rng() & 0xFF);
  }
  return bytes;
}

std::string Gzip(const std::string& text) {
  z_stream stream{};
  deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, static_cast<uLong>(text.size())) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

TEST(Proxy, ForwardsRequestsAndReturnsResponsesUnchanged) {
  TestUpstream upstream([](httplib::Server& s) {
    s.Post("/api/v1/echo", [](const httplib::Request& req, httplib::Response& res) {
      Json seen = {{"host", req.get_header_value("Host")},
                   {"target", req.target},
                   {"custom", req.get_header_value("X-Custom")},
                   {"connection_named", req.has_header("X-Hop")},
                   {"proxy_auth", req.has_header("Proxy-Authorization")},
                   {"body", req.body}};
      res.status = 201;
      res.set_header("X-Upstream", "yes");
      res.set_header("Set-Cookie", "a=1");
      res.set_header("Set-Cookie", "b=2");
      res.set_content(seen.dump(), "application/json; charset=utf-8");
    });
  });
  ASSERT_TRUE(upstream.Running());
  Proxy proxy(upstream.Url() + "/api");
  ASSERT_NE(proxy.session, nullptr);

  auto client = ClientFor(proxy.session->url());
  auto result = client->Post("/v1/echo?b=2&a=%20x+y",
                             {{"X-Custom", "c1"},
                              {"Connection", "keep-alive, X-Hop"},
                              {"X-Hop", "drop me"},
                              {"Proxy-Authorization", "Basic eA=="}},
                             R"({"q":1})", "application/json");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 201);
  EXPECT_EQ(result->get_header_value("X-Upstream"), "yes");
  EXPECT_EQ(result->get_header_value_count("Set-Cookie"), 2u);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json; charset=utf-8");
  Json seen = Json::parse(result->body);
  EXPECT_EQ(seen["host"], "127.0.0.1:" + std::to_string(upstream.Port()));
  EXPECT_EQ(seen["target"], "/api/v1/echo?b=2&a=%20x+y");  // byte for byte
  EXPECT_EQ(seen["custom"], "c1");
  EXPECT_EQ(seen["connection_named"], false);
  EXPECT_EQ(seen["proxy_auth"], false);
  EXPECT_EQ(seen["body"], R"({"q":1})");

  std::vector<traffic::Exchange> recorded = proxy.Stop();
  ASSERT_THAT(recorded, SizeIs(1));
  EXPECT_EQ(recorded[0].request.method, "POST");
  EXPECT_EQ(recorded[0].request.url, upstream.Url() + "/api/v1/echo?b=2&a=%20x+y");
  EXPECT_EQ(recorded[0].request.body, R"({"q":1})");
  EXPECT_EQ(recorded[0].response.status, 201);
  EXPECT_EQ(recorded[0].response.body, result->body);
  EXPECT_EQ(proxy.summary.recorded, 1u);
}

TEST(Proxy, BinaryAndLargeBodiesAreByteIdentical) {
  const std::string binary = RandomBytes(300'000, 7);
  const std::string large(20 << 20, 'L');
  TestUpstream upstream([&](httplib::Server& s) {
    s.Get("/binary", [&](const httplib::Request&, httplib::Response& res) {
      res.set_content(binary, "application/octet-stream");
    });
    s.Get("/large", [&](const httplib::Request&, httplib::Response& res) {
      res.set_content(large, "text/plain");
    });
    s.Put("/upload", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(std::to_string(std::hash<std::string>{}(req.body)), "text/plain");
    });
  });
  ASSERT_TRUE(upstream.Running());
  Proxy proxy(upstream.Url());
  ASSERT_NE(proxy.session, nullptr);
  auto client = ClientFor(proxy.session->url());
  client->set_decompress(false);

  auto got_binary = client->Get("/binary");
  ASSERT_TRUE(got_binary);
  EXPECT_TRUE(got_binary->body == binary);
  auto got_large = client->Get("/large");
  ASSERT_TRUE(got_large);
  EXPECT_EQ(got_large->body.size(), large.size());
  EXPECT_TRUE(got_large->body == large);
  auto uploaded = client->Put("/upload", binary, "application/octet-stream");
  ASSERT_TRUE(uploaded);
  EXPECT_EQ(uploaded->body, std::to_string(std::hash<std::string>{}(binary)));

  std::vector<traffic::Exchange> recorded = proxy.Stop();
  ASSERT_THAT(recorded, SizeIs(3));
  EXPECT_TRUE(recorded[0].response.body == binary);  // base64 in the HAR, bytes when read
  EXPECT_EQ(recorded[1].response.body.size(), large.size());
  EXPECT_TRUE(recorded[2].request.body == binary);
}

TEST(Proxy, MultipartBodiesAreForwardedAndRecordedAsSent) {
  // httplib's server parses a multipart body into files and leaves the body empty; the proxy
  // must pass on, and record, the bytes the client sent.
  const std::string boundary = "conform-7MA4YWxkTrZu0gW";
  const std::string content_type = "multipart/form-data; boundary=" + boundary;
  const std::string file = RandomBytes(5'000, 3);
  const std::string body = "--" + boundary +
                           "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--" +
                           boundary +
                           "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
                           "Content-Type: application/octet-stream\r\n\r\n" +
                           file + "\r\n--" + boundary + "--\r\n";
  TestUpstream upstream([](httplib::Server& s) {
    s.Post("/upload", [](const httplib::Request& req, httplib::Response& res) {
      httplib::MultipartFormData note = req.get_file_value("note");
      httplib::MultipartFormData upload = req.get_file_value("file");
      Json seen = {{"content_type", req.get_header_value("Content-Type")},
                   {"parts", req.files.size()},
                   {"note", note.content},
                   {"filename", upload.filename},
                   {"file_type", upload.content_type},
                   {"file_hash", std::to_string(std::hash<std::string>{}(upload.content))}};
      res.set_content(seen.dump(), "application/json");
    });
  });
  ASSERT_TRUE(upstream.Running());
  Proxy proxy(upstream.Url());
  ASSERT_NE(proxy.session, nullptr);

  auto result = ClientFor(proxy.session->url())->Post("/upload", body, content_type);
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  Json seen = Json::parse(result->body);
  EXPECT_EQ(seen["content_type"], content_type);
  EXPECT_EQ(seen["parts"], 2);
  EXPECT_EQ(seen["note"], "hello");
  EXPECT_EQ(seen["filename"], "a.bin");
  EXPECT_EQ(seen["file_type"], "application/octet-stream");
  EXPECT_EQ(seen["file_hash"], std::to_string(std::hash<std::string>{}(file)));

  std::vector<traffic::Exchange> recorded = proxy.Stop();
  ASSERT_THAT(recorded, SizeIs(1));
  EXPECT_TRUE(recorded[0].request.body == body);
  EXPECT_THAT(recorded[0].request.headers,
              Contains(traffic::Header{"Content-Type", content_type}));
}

TEST(Proxy, AGetBodyIsForwardedAndRecordedAndTheConnectionStaysInStep) {
  // httplib reads no body for GET: the proxy dropped it, and its bytes were left on the
  // connection. The upstream here reads bodies of any method the way the proxy does.
  TestUpstream upstream([](httplib::Server& s) {
    s.set_pre_routing_handler([](const httplib::Request& request, httplib::Response&) {
      if (traffic::DeclaresBody(request)) {
        traffic::RouteBodyAsPost(const_cast<httplib::Request&>(request));
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    auto echo = [](const httplib::Request& request, httplib::Response& res) {
      traffic::RestoreAsSent(const_cast<httplib::Request&>(request));
      Json seen = {{"method", request.method},
                   {"body", request.body},
                   {"content_type", request.get_header_value("Content-Type")}};
      res.set_content(seen.dump(), "application/json");
    };
    s.Get(".*", echo);
    s.Post(".*", echo);
  });
  ASSERT_TRUE(upstream.Running());
  Proxy proxy(upstream.Url());
  ASSERT_NE(proxy.session, nullptr);

  auto client = ClientFor(proxy.session->url());
  client->set_keep_alive(true);
  httplib::Request with_body;
  with_body.method = "GET";
  with_body.path = "/search?q=1";
  with_body.body = R"({"query":{"match":"x"}})";
  with_body.set_header("Content-Type", "application/json");
  auto first = client->send(with_body);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_EQ(Json::parse(first->body),
            (Json{{"method", "GET"}, {"body", with_body.body}, {"content_type", "application/json"}}));
  // The next request on the same connection is read from where the body ended.
  auto second = client->Get("/plain");
  ASSERT_TRUE(second);
  ASSERT_EQ(second->status, 200) << second->body;
  EXPECT_EQ(Json::parse(second->body)["method"], "GET");
  EXPECT_EQ(Json::parse(second->body)["body"], "");

  std::vector<traffic::Exchange> recorded = proxy.Stop();
  ASSERT_THAT(recorded, SizeIs(2));
  EXPECT_EQ(recorded[0].request.method, "GET");
  EXPECT_EQ(recorded[0].request.body, with_body.body);
  EXPECT_THAT(recorded[0].request.headers,
              Contains(traffic::Header{"Content-Type", "application/json"}));
  EXPECT_EQ(recorded[1].request.body, "");
}

TEST(Proxy, GzipPassesThroughToTheClientAndIsRecordedDecoded) {
  const std::string json = R"({"dpoJobs":[)" + std::string(5000, ' ') + R"(],"nextPageToken":""})";
  const std::string gzipped = Gzip(json);
  TestUpstream upstream([&](httplib::Server& s) {
    // Compressed by hand, as a CDN would: the bytes must reach the client unchanged. (With a
    // charset httplib's own compression leaves the body alone.)
    s.Get("/pre", [&](const httplib::Request&, httplib::Response& res) {
      res.set_header("Content-Encoding", "gzip");
      res.set_content(gzipped, "application/json; charset=utf-8");
    });
    // Compressed by httplib itself when the client accepts gzip.
    s.Get("/auto", [&](const httplib::Request&, httplib::Response& res) {
      res.set_content(json, "application/json");
    });
  });
  ASSERT_TRUE(upstream.Running());
  Proxy proxy(upstream.Url());
  ASSERT_NE(proxy.session, nullptr);

  auto raw = ClientFor(proxy.session->url());
  raw->set_decompress(false);
  auto pre = raw->Get("/pre", {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(pre);
  EXPECT_EQ(pre->get_header_value("Content-Encoding"), "gzip");
  EXPECT_TRUE(pre->body == gzipped);

  auto direct = ClientFor(upstream.Url());
  direct->set_decompress(false);
  auto auto_direct = direct->Get("/auto", {{"Accept-Encoding", "gzip"}});
  auto auto_proxied = raw->Get("/auto", {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(auto_direct);
  ASSERT_TRUE(auto_proxied);
  EXPECT_EQ(auto_proxied->get_header_value("Content-Encoding"), "gzip");
  EXPECT_TRUE(auto_proxied->body == auto_direct->body);

  // A gzip-capable client decodes what it gets; a client that does not ask gets identity.
  auto decoding = ClientFor(proxy.session->url());
  auto decoded = decoding->Get("/auto", {{"Accept-Encoding", "gzip, deflate"}});
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->body, json);
  auto plain = raw->Get("/auto");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->get_header_value("Content-Encoding"), "");
  EXPECT_EQ(plain->body, json);

  std::vector<traffic::Exchange> recorded = proxy.Stop();
  ASSERT_THAT(recorded, SizeIs(4));
  for (const traffic::Exchange& exchange : recorded) {
    EXPECT_EQ(exchange.response.body, json) << exchange.request.url;
  }
  EXPECT_EQ(traffic::FindHeader(recorded[0].response.headers, "content-encoding"), "gzip");
}

TEST(Proxy, ManyConcurrentClientsAreAllServedAndRecordedOnce) {
  std::atomic<int> calls{0};
  TestUpstream upstream([&](httplib::Server& s) {
    s.Get("/v1/item", [&](const httplib::Request& req, httplib::Response& res) {
      ++calls;
      res.set_content(R"({"id":")" + req.get_param_value("id") + R"("})", "application/json");
    });
  });
  ASSERT_TRUE(upstream.Running());
  Proxy proxy(upstream.Url(), {.threads = 32});
  ASSERT_NE(proxy.session, nullptr);
  constexpr int kThreads = 16;
  constexpr int kEach = 25;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto client = ClientFor(proxy.session->url());
      for (int i = 0; i < kEach; ++i) {
        std::string id = std::to_string(t) + "-" + std::to_string(i);
        auto result = client->Get("/v1/item?id=" + id);
        if (result && result->status == 200 && result->body == R"({"id":")" + id + R"("})") {
          ++ok;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(ok.load(), kThreads * kEach);
  EXPECT_EQ(calls.load(), kThreads * kEach);
  std::vector<traffic::Exchange> recorded = proxy.Stop();
  std::set<std::string> ids;
  for (const traffic::Exchange& exchange : recorded) {
    ids.insert(Json::parse(exchange.response.body)["id"].get<std::string>());
  }
  EXPECT_THAT(recorded, SizeIs(kThreads * kEach));
  EXPECT_EQ(ids.size(), static_cast<size_t>(kThreads * kEach));
}

TEST(Proxy, AResponseIsCompleteOnlyOnceItsExchangeIsInTheCassette) {
  // Whenever a response has arrived, the cassette on disk already holds its exchange
  // (redacted): what makes a recording survive a kill at any moment.
  const std::string page = R"({"dpoJobs":[{"name":"j","wandbConfig":{"apiKey":"sk-lane"}}],"x":")" +
                           std::string(40'000, 'x') + "\"}";
  TestUpstream upstream([&page](const httplib::Request& request, httplib::Response& res) {
    res.set_content(page + request.path, "application/json");
  });
  Proxy proxy(upstream.Url());
  auto client = ClientFor(proxy.session->url());
  for (int i = 0; i < 12; ++i) {
    const std::string path = "/v1/r" + std::to_string(i);
    auto response = client->Get(path);
    ASSERT_TRUE(response) << i;
    ASSERT_EQ(response->body, page + path);  // the client gets the upstream's bytes
    auto recorded = ReadCassette(proxy.Cassette(), {});
    ASSERT_THAT(recorded, IsOk());
    ASSERT_THAT(recorded->exchanges, SizeIs(i + 1)) << "response " << i << " arrived first";
    EXPECT_THAT(recorded->exchanges.back().request.url, HasSubstr(path));
    EXPECT_THAT(recorded->exchanges.back().response.body, Not(HasSubstr("sk-lane")));
  }
  // Bodies of one byte and none too.
  TestUpstream tiny([](const httplib::Request& request, httplib::Response& res) {
    res.set_content(request.path == "/one" ? "1" : "", "text/plain");
  });
  Proxy small(tiny.Url());
  auto small_client = ClientFor(small.session->url());
  for (const std::string path : {"/one", "/empty", "/one"}) {
    ASSERT_TRUE(small_client->Get(path));
  }
  auto recorded = ReadCassette(small.Cassette(), {});
  ASSERT_THAT(recorded, IsOk());
  EXPECT_THAT(recorded->exchanges, SizeIs(3));
  EXPECT_THAT(proxy.Stop(), SizeIs(12));
  EXPECT_EQ(proxy.summary.recorded, 12u);
}

TEST(Proxy, ARefusedUpstreamIs502AndRecorded) {
  int port = testing::ClosedPort();
  Proxy proxy("http://127.0.0.1:" + std::to_string(port));
  ASSERT_NE(proxy.session, nullptr);
  auto client = ClientFor(proxy.session->url());
  auto result = client->Get("/v1/x");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 502);
  EXPECT_EQ(result->get_header_value("X-Conform-Error"), "upstream-unreachable");
  Json body = Json::parse(result->body);
  EXPECT_EQ(body["code"], 14);
  EXPECT_THAT(body["message"].get<std::string>(), HasSubstr("connection refused"));
  EXPECT_TRUE(body["details"].is_array());

  std::vector<traffic::Exchange> recorded = proxy.Stop();
  ASSERT_THAT(recorded, SizeIs(1));
  EXPECT_EQ(recorded[0].response.status, 502);
  EXPECT_EQ(recorded[0].response.body, result->body);
  EXPECT_EQ(proxy.summary.upstream_failures, 1u);
  EXPECT_THAT(proxy.Log(), HasSubstr("502 for GET /v1/x"));
}

TEST(Proxy, AnIpv6UpstreamIsNamedAsAUrlWritesIt) {
  // "[::1]:port", not "::1:port" (whatever the failure: no IPv6 loopback here is one too).
  int port = testing::ClosedPort();
  Proxy proxy("http://[::1]:" + std::to_string(port));
  ASSERT_NE(proxy.session, nullptr);
  auto result = ClientFor(proxy.session->url())->Get("/v1/x");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 502);
  EXPECT_THAT(result->body, HasSubstr("upstream [::1]:" + std::to_string(port)));
  proxy.Stop();
}

TEST(Proxy, ASilentUpstreamIs504AndRecorded) {
  testing::Gate gate;
  TestUpstream upstream([&](httplib::Server& s) {
    s.Get("/slow", [&](const httplib::Request&, httplib::Response& res) {
      gate.Wait();
      res.set_content("late", "text/plain");
    });
  });
  ASSERT_TRUE(upstream.Running());
  Proxy proxy("", {.upstream = UpstreamOptions{.url = upstream.Url(),
                                               .timeout = std::chrono::milliseconds(300)}});
  ASSERT_NE(proxy.session, nullptr);
  auto client = ClientFor(proxy.session->url());
  auto result = client->Get("/slow");
  gate.Open();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 504);
  Json body = Json::parse(result->body);
  EXPECT_EQ(body["code"], 4);
  EXPECT_THAT(body["message"].get<std::string>(), HasSubstr("no response within 300 ms"));
  std::vector<traffic::Exchange> recorded = proxy.Stop();
  ASSERT_THAT(recorded, SizeIs(1));
  EXPECT_EQ(recorded[0].response.status, 504);
}

TEST(Proxy, AResponseOverTheBodyLimitIs502) {
  TestUpstream upstream([](httplib::Server& s) {
    s.Get("/declared", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(5000, 'x'), "text/plain");
    });
    s.Get("/chunked", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/plain", [](size_t offset, httplib::DataSink& sink) {
        if (offset >= 5000) {
          sink.done();
          return true;
        }
        std::string chunk(500, 'y');
        return sink.write(chunk.data(), chunk.size());
      });
    });
  });
  ASSERT_TRUE(upstream.Running());
  Proxy proxy("", {.upstream = UpstreamOptions{.url = upstream.Url(), .max_body_bytes = 1000}});
  ASSERT_NE(proxy.session, nullptr);
  auto client = ClientFor(proxy.session->url());
  for (const std::string& path : std::vector<std::string>{"/declared", "/chunked"}) {
    auto result = client->Get(path);
    ASSERT_TRUE(result) << path;
    EXPECT_EQ(result->status, 502) << path;
    EXPECT_EQ(result->get_header_value("X-Conform-Error"), "upstream-body-too-large");
    EXPECT_THAT(result->body, HasSubstr("exceeds the limit of 1000 bytes (--max-body-size)"));
  }
  EXPECT_THAT(proxy.Stop(), SizeIs(2));
}

TEST(Proxy, NoSecretByteReachesTheCassetteOrTheLog) {
  const std::vector<std::string> secrets = {"sk-bearer-0001", "cookie-0002",    "xapikey-0003",
                                            "proxyauth-0004", "custom-0005",    "query-0006",
                                            "password-0007",  "client-0008",    "setcookie-0009",
                                            "wandb-0010",     "basemodel-0011", "userinfo-0012"};
  TestUpstream upstream([&](httplib::Server& s) {
    s.Post("/v1/accounts/acme/dpoJobs", [&](const httplib::Request&, httplib::Response& res) {
      res.set_header("Set-Cookie", "session=" + secrets[8]);
      res.set_content(R"({"dpoJobs":[{"name":"accounts/acme/dpoJobs/j1","dataset":"d",)"
                      R"("wandbConfig":{"apiKey":")" +
                          secrets[9] +
                          R"(","project":"p"},)"
                          R"("trainingConfig":{"baseModel":")" +
                          secrets[10] +
                          R"("}}],)"
                          R"("nextPageToken":"next-page-keep"})",
                      "application/json");
    });
  });
  ASSERT_TRUE(upstream.Running());
  auto contract = validator::EmbeddedContract();
  ASSERT_THAT(contract, IsOk());
  auto checker = validator::ExchangeValidator::Create(*contract, {});
  ASSERT_THAT(checker, IsOk());
  Proxy proxy(upstream.Url(), {.redaction = {.headers = {"X-Trace-Context"},
                                             .json_paths = {"dpoJobs.*.trainingConfig.baseModel"}},
                               .validator = checker->get()});
  ASSERT_NE(proxy.session, nullptr);
  auto client = ClientFor(proxy.session->url());
  auto result = client->Post(
      "/v1/accounts/acme/dpoJobs?pageToken=page-keep&api_key=" + secrets[5],
      {{"Authorization", "Bearer " + secrets[0]},
       {"Cookie", "session=" + secrets[1]},
       {"X-Api-Key", secrets[2]},
       {"Proxy-Authorization", "Basic " + secrets[3]},
       {"X-Trace-Context", secrets[4]}},
      R"({"password":")" + secrets[6] + R"(","auth":{"clientSecret":")" + secrets[7] + R"("}})",
      "application/json");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  // The client still gets the upstream's response as sent.
  EXPECT_THAT(result->body, HasSubstr(secrets[9]));

  std::vector<traffic::Exchange> recorded = proxy.Stop();
  ASSERT_THAT(recorded, SizeIs(1));
  std::string file = ReadBytes(proxy.Cassette());
  std::string log = proxy.Log();
  for (const std::string& secret : secrets) {
    EXPECT_THAT(file, Not(HasSubstr(secret)));
    EXPECT_THAT(log, Not(HasSubstr(secret)));
  }
  EXPECT_THAT(file, HasSubstr("page-keep"));
  EXPECT_THAT(file, HasSubstr("next-page-keep"));
  EXPECT_THAT(file, HasSubstr("[REDACTED]"));
}

TEST(Proxy, SecretsTheUpstreamEchoesAreRemovedByValue) {
  // Names say nothing here: the upstream copies the caller's key into a header, a message, a
  // plain-text body and a URL. The cassette and the log must not hold it in any form.
  const std::string key = "sk-live-Echo/0001+x";
  const std::string cookie = "cookie-value-0002";
  const std::string query_key = "query-key-0003";
  const std::string encoded_key = traffic::PercentEncode(key);
  ASSERT_NE(encoded_key, key);
  TestUpstream upstream([&](httplib::Server& s) {
    s.Get("/v1/echo", [&](const httplib::Request& req, httplib::Response& res) {
      std::string auth = req.get_header_value("Authorization");
      res.status = 403;
      res.set_header("X-Echo", auth);
      res.set_header("Location", "/v1/next?for=" + encoded_key);
      res.set_content(R"({"error":{"code":403,"message":"key )" + key + " with cookie " + cookie +
                          " and " + query_key + R"( refused","status":"PERMISSION_DENIED"}})",
                      "application/json");
    });
    s.Get("/v1/text", [&](const httplib::Request&, httplib::Response& res) {
      res.set_content("you sent " + key, "text/plain");
    });
  });
  ASSERT_TRUE(upstream.Running());
  Proxy proxy(upstream.Url());
  ASSERT_NE(proxy.session, nullptr);
  auto client = ClientFor(proxy.session->url());
  const httplib::Headers headers = {{"Authorization", "Bearer " + key},
                                    {"Cookie", "theme=dark; session=" + cookie}};
  auto echoed = client->Get("/v1/echo?api_key=" + query_key, headers);
  ASSERT_TRUE(echoed);
  EXPECT_EQ(echoed->get_header_value("X-Echo"), "Bearer " + key);  // the client gets it as sent
  auto text = client->Get("/v1/text", headers);
  ASSERT_TRUE(text);
  EXPECT_EQ(text->body, "you sent " + key);

  std::vector<traffic::Exchange> recorded = proxy.Stop();
  ASSERT_THAT(recorded, SizeIs(2));
  std::string file = ReadBytes(proxy.Cassette());
  for (const std::string& secret : {key, cookie, query_key, encoded_key}) {
    EXPECT_THAT(file, Not(HasSubstr(secret))) << secret;
    EXPECT_THAT(proxy.Log(), Not(HasSubstr(secret))) << secret;
  }
  EXPECT_THAT(recorded[0].response.body, HasSubstr("key [REDACTED] with cookie [REDACTED]"));
  EXPECT_EQ(recorded[1].response.body, "you sent [REDACTED]");
}

TEST(Proxy, ACompressedBodyThatCannotBeDecodedIsNotRecorded) {
  // Over --max-body-size once decoded, and cut short: either way the compressed bytes would
  // reach the cassette with the secret inside them.
  const std::string bomb =
      Gzip(R"({"apiKey":"gzip-secret-1","pad":")" + std::string(5000, 'A') + R"("})");
  const std::string whole = Gzip(R"({"apiKey":"gzip-secret-2","pad":"short"})");
  const std::string torn = whole.substr(0, whole.size() - 12);
  TestUpstream upstream([&](httplib::Server& s) {
    s.Get("/bomb", [&](const httplib::Request&, httplib::Response& res) {
      res.set_header("Content-Encoding", "gzip");
      res.set_content(bomb, "application/json; charset=utf-8");
    });
    s.Get("/torn", [&](const httplib::Request&, httplib::Response& res) {
      res.set_header("Content-Encoding", "GZIP");
      res.set_content(torn, "application/json; charset=utf-8");
    });
  });
  ASSERT_TRUE(upstream.Running());
  ASSERT_LT(bomb.size(), 1000u);
  Proxy proxy("", {.upstream = UpstreamOptions{.url = upstream.Url(), .max_body_bytes = 1000}});
  ASSERT_NE(proxy.session, nullptr);
  auto client = ClientFor(proxy.session->url());
  client->set_decompress(false);
  auto got_bomb = client->Get("/bomb");
  ASSERT_TRUE(got_bomb);
  EXPECT_EQ(got_bomb->status, 200);
  EXPECT_EQ(got_bomb->get_header_value("Content-Encoding"), "gzip");
  EXPECT_TRUE(got_bomb->body == bomb);  // the client still gets the upstream's bytes
  auto got_torn = client->Get("/torn");
  ASSERT_TRUE(got_torn);
  EXPECT_TRUE(got_torn->body == torn);

  std::vector<traffic::Exchange> recorded = proxy.Stop();
  ASSERT_THAT(recorded, SizeIs(2));
  EXPECT_EQ(recorded[0].response.body,
            "[NOT RECORDED: gzip body that could not be decoded within --max-body-size for "
            "redaction]");
  EXPECT_EQ(recorded[1].response.body,
            "[NOT RECORDED: GZIP body that could not be decoded within --max-body-size for "
            "redaction]");
  for (const traffic::Exchange& exchange : recorded) {
    EXPECT_EQ(exchange.response.status, 200);
    EXPECT_EQ(traffic::FindHeader(exchange.response.headers, "content-encoding"), std::nullopt);
    EXPECT_THAT(exchange.response.body, Not(HasSubstr("secret")));
  }
  std::string log = proxy.Log();
  EXPECT_THAT(log, HasSubstr("GET /bomb: the gzip response body (" + std::to_string(bomb.size()) +
                             " bytes) is not recorded"));
  EXPECT_THAT(log, HasSubstr("GET /torn: the GZIP response body"));
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 2);
}

TEST(Proxy, ARedirectToASecretUrlIsRecordedRedacted) {
  TestUpstream upstream([](httplib::Server& s) {
    s.Get("/go", [](const httplib::Request&, httplib::Response& res) {
      res.status = 302;
      res.set_header("Location", "http://h/x?api_key=location-secret-1&n=1");
      res.set_header("Content-Location", "https://user:location-secret-2@h/y");
    });
  });
  ASSERT_TRUE(upstream.Running());
  Proxy proxy(upstream.Url());
  ASSERT_NE(proxy.session, nullptr);
  auto result = ClientFor(proxy.session->url())->Get("/go");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 302);
  EXPECT_EQ(result->get_header_value("Location"), "http://h/x?api_key=location-secret-1&n=1");
  std::vector<traffic::Exchange> recorded = proxy.Stop();
  ASSERT_THAT(recorded, SizeIs(1));
  std::string file = ReadBytes(proxy.Cassette());
  EXPECT_THAT(file, Not(HasSubstr("location-secret")));
  EXPECT_THAT(file, HasSubstr(R"("redirectURL":"http://h/x?api_key=%5BREDACTED%5D&n=1")"));
  EXPECT_EQ(traffic::FindHeader(recorded[0].response.headers, "content-location"),
            "https://REDACTED@h/y");
}

TEST(Proxy, UpstreamHeadersHttpCannotCarryAreNotForwarded) {
  // httplib writes header values verbatim: a bare CR or a NUL reaches the client as sent, and
  // some clients read a bare CR as a line end.
  testing::RawUpstream upstream(
      std::string("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Good: yes\r\n"
                  "X-Cr: a\rInjected: cr\r\nX-Nul: a") +
      '\0' + "b\r\nBad Name: v\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
  ASSERT_GT(upstream.Port(), 0);
  Proxy proxy(upstream.Url());
  ASSERT_NE(proxy.session, nullptr);
  testing::RawConnection client(proxy.session->port());
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE(client.Send("GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string response = client.ReadUntil();
  EXPECT_THAT(response, HasSubstr("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(response, HasSubstr("X-Good: yes\r\n"));
  EXPECT_THAT(response, HasSubstr("\r\n\r\n{}"));
  EXPECT_THAT(response, Not(HasSubstr("Injected")));
  EXPECT_THAT(response, Not(HasSubstr("X-Cr")));
  EXPECT_THAT(response, Not(HasSubstr("X-Nul")));
  EXPECT_THAT(response, Not(HasSubstr("Bad Name")));
  EXPECT_EQ(response.find('\0'), std::string::npos);
  client.Close();
  proxy.Stop();
  EXPECT_EQ(proxy.summary.unsafe_headers_dropped, 3u);
  EXPECT_THAT(proxy.Log(), HasSubstr("dropped 3 header(s) of the upstream's response to GET /x"));
}

TEST(Proxy, AChunkedRequestBodyOverTheLimitIs413AndNeitherForwardedNorRecorded) {
  std::atomic<int> calls{0};
  TestUpstream upstream([&](httplib::Server& s) {
    s.Post("/upload", [&](const httplib::Request& req, httplib::Response& res) {
      ++calls;
      res.set_content(std::to_string(req.body.size()), "text/plain");
    });
  });
  ASSERT_TRUE(upstream.Running());
  Proxy proxy("", {.upstream = UpstreamOptions{.url = upstream.Url(), .max_body_bytes = 1000}});
  ASSERT_NE(proxy.session, nullptr);
  auto client = ClientFor(proxy.session->url());
  // No Content-Length: httplib's own limit does not apply to a chunked body.
  auto chunked = [](size_t total) {
    return [total](size_t offset, httplib::DataSink& sink) {
      if (offset >= total) {
        sink.done();
        return true;
      }
      std::string chunk(std::min<size_t>(500, total - offset), 'c');
      return sink.write(chunk.data(), chunk.size());
    };
  };
  auto over = client->Post("/upload", chunked(5000), "application/octet-stream");
  ASSERT_TRUE(over);
  EXPECT_EQ(over->status, 413);
  EXPECT_EQ(over->get_header_value("X-Conform-Error"), "request-body-too-large");
  Json body = Json::parse(over->body);
  EXPECT_EQ(body["code"], 8);
  EXPECT_THAT(body["message"].get<std::string>(),
              HasSubstr("request body of 5000 bytes exceeds the limit of 1000 bytes"));
  EXPECT_EQ(calls.load(), 0);
  auto under = client->Post("/upload", chunked(800), "application/octet-stream");
  ASSERT_TRUE(under);
  EXPECT_EQ(under->status, 200);
  EXPECT_EQ(under->body, "800");

  std::vector<traffic::Exchange> recorded = proxy.Stop();
  ASSERT_THAT(recorded, SizeIs(1));
  EXPECT_EQ(recorded[0].request.body.size(), 800u);
  EXPECT_EQ(proxy.summary.too_large, 1u);
  EXPECT_EQ(calls.load(), 1);
}

TEST(Proxy, AContentLengthOverTheLimitIs413WithJsonAndCounted) {
  std::atomic<int> calls{0};
  TestUpstream upstream([&](httplib::Server& s) {
    s.Post("/upload", [&](const httplib::Request&, httplib::Response& res) {
      ++calls;
      res.set_content("{}", "application/json");
    });
  });
  ASSERT_TRUE(upstream.Running());
  Proxy proxy("", {.upstream = UpstreamOptions{.url = upstream.Url(), .max_body_bytes = 1000}});
  ASSERT_NE(proxy.session, nullptr);
  auto client = ClientFor(proxy.session->url());
  // httplib refuses a Content-Length over its payload limit before any handler runs.
  auto over = client->Post("/upload", std::string(2000, 'x'), "application/octet-stream");
  ASSERT_TRUE(over);
  EXPECT_EQ(over->status, 413);
  EXPECT_EQ(over->get_header_value("X-Conform-Error"), "request-body-too-large");
  EXPECT_EQ(over->get_header_value("Content-Type"), "application/json");
  Json body = Json::parse(over->body, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(body.is_object()) << over->body;
  EXPECT_EQ(body["code"], 8);
  EXPECT_EQ(body["message"],
            "conform record: request body of 2000 bytes exceeds the limit of 1000 bytes "
            "(--max-body-size)");
  // The connection is still in step: the next request on it is served.
  auto under = client->Post("/upload", std::string(10, 'x'), "application/octet-stream");
  ASSERT_TRUE(under);
  EXPECT_EQ(under->status, 200);

  EXPECT_THAT(proxy.Stop(), SizeIs(1));
  EXPECT_EQ(proxy.summary.too_large, 1u);
  EXPECT_EQ(calls.load(), 1);
  EXPECT_THAT(proxy.Log(), HasSubstr("request body of 2000 bytes exceeds the limit of 1000 bytes "
                                     "(--max-body-size): POST /upload"));
}

// Sends `request` on a fresh connection and returns what came back, up to the end of a JSON
// error body (whose members are sorted: it ends with the message).
std::string RawErrorExchange(int port, const std::string& request) {
  testing::RawConnection connection(port);
  EXPECT_TRUE(connection.ok());
  EXPECT_TRUE(connection.Send(request));
  return connection.ReadUntil(R"("})");
}

// The JSON error body of a raw response, or null.
Json ErrorBody(const std::string& response) {
  size_t start = response.find("\r\n\r\n");
  return start == std::string::npos ? Json()
                                    : Json::parse(response.substr(start + 4), nullptr, false);
}

TEST(Proxy, RequestsHttplibRefusesGetJsonErrorsNamingTheProblem) {
  std::atomic<int> calls{0};
  TestUpstream upstream([&](httplib::Server& s) {
    s.Get(".*", [&](const httplib::Request&, httplib::Response& res) {
      ++calls;
      res.status = 404;  // no body: passed on as it is, not dressed as an error of the proxy's
    });
    s.Post(".*", [&](const httplib::Request&, httplib::Response& res) {
      ++calls;
      res.set_content("{}", "application/json");
    });
  });
  ASSERT_TRUE(upstream.Running());
  Proxy proxy(upstream.Url());
  ASSERT_NE(proxy.session, nullptr);

  struct Case {
    std::string what;
    std::string request;
    std::string status_line;
    std::string marker;
    int code;
    std::string message;
  };
  const std::string path = "/v1/accounts/acme/dpoJobs";
  const std::vector<Case> cases = {
      {"1 MB request target",
       "GET " + path + "?filter=" + std::string(1 << 20, '(') + " HTTP/1.1\r\nHost: x\r\n\r\n",
       "HTTP/1.1 414 ", "request-line-too-long", 8,
       "conform record: the request line is longer than 8192 bytes"},
      {"9000-byte header",
       "GET " + path + " HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'b') + "\r\n\r\n",
       "HTTP/1.1 400 ", "malformed-request-header", 3, "header line longer than 8192 bytes"},
      {"HTTP/9.9", "GET " + path + " HTTP/9.9\r\nHost: x\r\n\r\n", "HTTP/1.1 400 ",
       "malformed-request-line", 3, "unsupported version 'HTTP/9.9'"},
      {"unknown method", "FOO " + path + " HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 400 ",
       "malformed-request-line", 3, "unknown method 'FOO'"},
      {"TRACE", "TRACE " + path + " HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 400 ",
       "method-not-supported", 3, "method TRACE is not supported"},
      {"bad chunk",
       "POST " + path + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
       "HTTP/1.1 400 ", "malformed-request-body", 3, "malformed request body"},
      {"bad Range", "GET " + path + " HTTP/1.1\r\nHost: x\r\nRange: bytes=zz\r\n\r\n",
       "HTTP/1.1 416 ", "malformed-range", 3, "malformed Range header"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    std::string response = RawErrorExchange(proxy.session->port(), c.request);
    EXPECT_EQ(response.rfind(c.status_line, 0), 0u) << response.substr(0, 200);
    EXPECT_THAT(response, HasSubstr("\r\nX-Conform-Error: " + c.marker + "\r\n"));
    EXPECT_THAT(response, HasSubstr("\r\nContent-Type: application/json\r\n"));
    Json body = ErrorBody(response);
    ASSERT_TRUE(body.is_object()) << response.substr(0, 200);
    EXPECT_EQ(body["code"], c.code);
    EXPECT_THAT(body["message"].get<std::string>(), HasSubstr(c.message));
    EXPECT_EQ(body["details"], Json::array());
  }
  EXPECT_EQ(calls.load(), 0);

  // What the upstream answers is never rewritten, however bare.
  auto client = ClientFor(proxy.session->url());
  auto bare = client->Get(path);
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->status, 404);
  EXPECT_EQ(bare->body, "");
  EXPECT_FALSE(bare->has_header("X-Conform-Error"));

  proxy.Stop();
  EXPECT_EQ(proxy.summary.too_large, 0u);
  EXPECT_EQ(proxy.summary.proxied, 1u);
  EXPECT_THAT(proxy.Log(), HasSubstr("conform record: the request line is longer than 8192 bytes"));
}

TEST(Proxy, StopGivesUpOnAClientThatNeverFinishesItsRequest) {
  TestUpstream upstream([](httplib::Server& s) {
    s.Post("/x", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("{}", "application/json");
    });
  });
  ASSERT_TRUE(upstream.Running());
  Proxy proxy(upstream.Url(), {.stop_grace = std::chrono::milliseconds(300)});
  ASSERT_NE(proxy.session, nullptr);
  // The interim 100 Continue proves a worker is reading this request; the body never comes.
  testing::RawConnection client(proxy.session->port());
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE(client.Send(
      "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n"));
  ASSERT_THAT(client.ReadUntil("100 Continue\r\n\r\n"), HasSubstr("100 Continue"));
  ASSERT_TRUE(client.Send("{\"partial\":"));

  auto started = std::chrono::steady_clock::now();
  std::vector<traffic::Exchange> recorded = proxy.Stop();
  auto took = std::chrono::steady_clock::now() - started;
  // httplib's read timeout (5 s) would end it too; a dripping client never would.
  EXPECT_LT(took, std::chrono::seconds(3));
  EXPECT_EQ(proxy.summary.abandoned, 1u);
  EXPECT_FALSE(proxy.summary.cassette_error.has_value());
  EXPECT_THAT(recorded, SizeIs(0));
  auto read = ReadCassette(proxy.Cassette(), {});
  ASSERT_THAT(read, IsOk());
  EXPECT_TRUE(read->finished);
  EXPECT_THAT(proxy.Log(), HasSubstr("1 connection(s) still open"));

  std::weak_ptr<const void> lifetime = proxy.session->Lifetime();
  proxy.session.reset();  // the abandoned worker still holds the state
  client.Close();
  EXPECT_TRUE(testing::Expires(lifetime));
}

TEST(Proxy, AnExchangeAbandonedAtStopIsNotRecordedAndTouchesNothingBorrowed) {
  std::mutex mutex;
  std::condition_variable reached_cv;
  bool reached = false;
  testing::Gate gate;
  TestUpstream upstream([&](httplib::Server& s) {
    s.Get("/v1/accounts/a/dpoJobs", [&](const httplib::Request&, httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        reached = true;
      }
      reached_cv.notify_all();
      gate.Wait();
      res.set_content(R"({"dpoJobs":[{"name":"x","state":"NOT_A_STATE"}]})", "application/json");
    });
  });
  ASSERT_TRUE(upstream.Running());
  auto contract = validator::EmbeddedContract();
  ASSERT_THAT(contract, IsOk());
  auto checker = validator::ExchangeValidator::Create(*contract, {});
  ASSERT_THAT(checker, IsOk());
  Proxy proxy(upstream.Url(),
              {.stop_grace = std::chrono::milliseconds(200), .validator = checker->get()});
  ASSERT_NE(proxy.session, nullptr);
  std::thread request([url = proxy.session->url()] {
    // httplib stops writing content-provider bodies once the server is stopping, so whether
    // this client gets its response is not part of the contract under test.
    (void)ClientFor(url)->Get("/v1/accounts/a/dpoJobs");
  });
  {
    std::unique_lock<std::mutex> lock(mutex);
    reached_cv.wait_for(lock, std::chrono::seconds(10), [&] { return reached; });
    ASSERT_TRUE(reached);
  }
  std::vector<traffic::Exchange> recorded = proxy.Stop();
  EXPECT_EQ(proxy.summary.abandoned, 1u);
  EXPECT_THAT(recorded, SizeIs(0));
  std::string log_at_stop = proxy.Log();
  std::weak_ptr<const void> lifetime = proxy.session->Lifetime();
  proxy.session.reset();
  checker->reset();  // what the caller may destroy once Stop returned
  gate.Open();       // the abandoned exchange completes: its append fails, quietly
  request.join();
  EXPECT_TRUE(testing::Expires(lifetime));
  EXPECT_EQ(proxy.Log(), log_at_stop);
  auto read = ReadCassette(proxy.Cassette(), {});
  ASSERT_THAT(read, IsOk());
  EXPECT_TRUE(read->finished);
  EXPECT_THAT(read->exchanges, SizeIs(0));
}

TEST(Proxy, ValidateLogsFindingsAndLeavesResponsesAlone) {
  const std::string bad =
      R"({"dpoJobs":[{"name":"accounts/a/dpoJobs/j","dataset":"d","state":"NOT_A_STATE"}]})";
  TestUpstream upstream([&](httplib::Server& s) {
    s.Get("/v1/accounts/a/dpoJobs", [&](const httplib::Request&, httplib::Response& res) {
      res.set_content(bad, "application/json");
    });
  });
  ASSERT_TRUE(upstream.Running());
  auto contract = validator::EmbeddedContract();
  ASSERT_THAT(contract, IsOk());
  auto checker = validator::ExchangeValidator::Create(*contract, {});
  ASSERT_THAT(checker, IsOk());
  Proxy proxy(upstream.Url(), {.validator = checker->get()});
  ASSERT_NE(proxy.session, nullptr);
  auto client = ClientFor(proxy.session->url());
  auto result = client->Get("/v1/accounts/a/dpoJobs?pageSize=5");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, bad);
  EXPECT_THAT(proxy.Log(), HasSubstr("finding must response.schema.enum /dpoJobs/0/state"));
  proxy.Stop();
  EXPECT_EQ(proxy.summary.validated, 1u);
  EXPECT_GE(proxy.summary.failing_findings, 1u);
  EXPECT_EQ(proxy.summary.findings_by_check.count("response.schema.enum"), 1u);
  EXPECT_EQ(proxy.summary.rejected, 0u);
}

TEST(Proxy, FailOnViolationAnswers502AndRecordsWhatTheUpstreamSent) {
  const std::string bad =
      R"({"dpoJobs":[{"name":"accounts/a/dpoJobs/j","dataset":"d","state":"NOT_A_STATE"}]})";
  const std::string good = R"({"dpoJobs":[{"name":"accounts/a/dpoJobs/j","dataset":"d"}]})";
  TestUpstream upstream([&](httplib::Server& s) {
    s.Get("/v1/accounts/(\\w+)/dpoJobs", [&](const httplib::Request& req, httplib::Response& res) {
      res.set_content(req.matches[1] == "bad" ? bad : good, "application/json");
    });
  });
  ASSERT_TRUE(upstream.Running());
  auto contract = validator::EmbeddedContract();
  ASSERT_THAT(contract, IsOk());
  auto checker = validator::ExchangeValidator::Create(*contract, {});
  ASSERT_THAT(checker, IsOk());
  Proxy proxy(upstream.Url(), {.validator = checker->get(), .on_violation = OnViolation::kReject});
  ASSERT_NE(proxy.session, nullptr);
  auto client = ClientFor(proxy.session->url());
  auto rejected = client->Get("/v1/accounts/bad/dpoJobs");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status, 502);
  EXPECT_EQ(rejected->get_header_value("X-Conform-Error"), "contract-violation");
  Json body = Json::parse(rejected->body);
  EXPECT_EQ(body["code"], 13);
  EXPECT_THAT(body["message"].get<std::string>(), HasSubstr("response.schema.enum"));
  ASSERT_TRUE(body["details"].is_array());
  EXPECT_EQ(body["details"][0]["checkId"], "response.schema.enum");
  EXPECT_EQ(body["details"][0]["jsonPointer"], "/dpoJobs/0/state");

  auto passed = client->Get("/v1/accounts/good/dpoJobs");
  ASSERT_TRUE(passed);
  EXPECT_EQ(passed->status, 200);
  EXPECT_EQ(passed->body, good);

  std::vector<traffic::Exchange> recorded = proxy.Stop();
  ASSERT_THAT(recorded, SizeIs(2));
  EXPECT_EQ(recorded[0].response.status, 200);
  EXPECT_EQ(recorded[0].response.body, bad);
  EXPECT_EQ(proxy.summary.rejected, 1u);
}

TEST(Proxy, HttpsUpstreamsAreVerifiedUnlessToldOtherwise) {
  conform::testing::TempDir dir;
  testing::SelfSigned identity(dir.path());
  TestUpstream upstream(
      [](httplib::Server& s) {
        s.Get("/x", [](const httplib::Request&, httplib::Response& res) {
          res.set_content("{}", "application/json");
        });
      },
      std::make_unique<httplib::SSLServer>(identity.cert, identity.key));
  ASSERT_TRUE(upstream.Running());

  Proxy strict("", {.upstream = UpstreamOptions{.url = upstream.Url("https")}});
  ASSERT_NE(strict.session, nullptr);
  auto refused = ClientFor(strict.session->url())->Get("/x");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 502);
  EXPECT_THAT(refused->body, HasSubstr("TLS handshake with upstream"));

  Proxy pinned("", {.upstream = UpstreamOptions{.url = upstream.Url("https"),
                                                .ca_file = identity.pem_path}});
  ASSERT_NE(pinned.session, nullptr);
  auto trusted = ClientFor(pinned.session->url())->Get("/x");
  ASSERT_TRUE(trusted);
  EXPECT_EQ(trusted->status, 200);

  Proxy insecure("", {.upstream = UpstreamOptions{.url = upstream.Url("https"),
                                                  .tls = traffic::TlsVerification::kInsecure}});
  ASSERT_NE(insecure.session, nullptr);
  auto accepted = ClientFor(insecure.session->url())->Get("/x");
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->status, 200);
}

TEST(Proxy, BadOptionsAreErrors) {
  conform::testing::TempDir dir;
  std::string cassette = (dir.path() / "c.har").string();
  EXPECT_THAT(Session::Start({.cassette = cassette, .upstream = UpstreamOptions{.url = "ftp://x"}}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("http:// or https://")));
  EXPECT_THAT(Session::Start({.cassette = cassette}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("needs an upstream")));
  EXPECT_THAT(Session::Start({.cassette = cassette,
                              .upstream = UpstreamOptions{.url = "http://127.0.0.1:1",
                                                          .ca_file = "/nonexistent.pem"}}),
              ErrorIs(ErrorCode::kNotFound, HasSubstr("CA file not found")));
  EXPECT_THAT(Session::Start({.cassette = cassette,
                              .upstream = UpstreamOptions{.url = "http://127.0.0.1:1"},
                              .redaction = {.json_paths = {"a..b"}}}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("empty segment")));
  // A busy port leaves an existing cassette alone.
  std::string existing = dir.Write("keep.har", "precious");
  TestUpstream busy([](httplib::Server&) {});
  ASSERT_TRUE(busy.Running());
  EXPECT_THAT(Session::Start({.listen = {.host = "127.0.0.1", .port = busy.Port()},
                              .cassette = existing,
                              .upstream = UpstreamOptions{.url = "http://127.0.0.1:1"}}),
              ErrorIs(ErrorCode::kUnavailable, HasSubstr("cannot listen on 127.0.0.1:")));
  EXPECT_EQ(ReadBytes(existing), "precious");
}

}  // namespace
}  // namespace proxy_test
}  // namespace conform::recorder
