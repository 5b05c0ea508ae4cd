// `conform record` and `conform replay` in-process (STYLE K4): one clear line and the
// documented exit code for bad input, --strict exit codes, and the end-to-end story: record a
// page walk through the proxy against the reference server, replay it to a client that walks
// again without credentials, and `conform validate` the cassette.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/app.h"
#include "tests/support/run_conform.h"
#include "cli/record_command.h"
#include "cli/replay_command.h"
#include "recorder/cassette.h"
#include "recorder/redactor.h"
#include "server/http_server.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"
#include "traffic/har.h"
#include "traffic/url.h"

namespace conform::cli {
namespace record_replay_test {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;
using conform::testing::Conform;
using conform::testing::RunResult;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

int Lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

using Upstream = conform::testing::TestServer;

std::string Cassette(const conform::testing::TempDir& dir, const std::vector<std::string>& paths) {
  std::vector<traffic::Exchange> exchanges;
  for (const std::string& path : paths) {
    traffic::Exchange exchange;
    exchange.request = {.method = "GET", .url = "https://api.fireworks.ai" + path};
    exchange.response = {.status = 200,
                         .headers = {{"Content-Type", "application/json"}},
                         .body = R"({"path":")" + path + R"("})"};
    exchanges.push_back(std::move(exchange));
  }
  return dir.Write("cassette.har", traffic::WriteHar(exchanges, {.name = "test"}));
}

// Runs `conform replay` with `requests` sent while it serves; returns the exit code.
int ReplayAndRequest(ReplayOptions options, const std::vector<std::string>& requests,
                     std::string* out_text = nullptr) {
  options.proxy.listen = "127.0.0.1:0";
  std::ostringstream out;
  std::ostringstream err;
  Result<int> code = RunReplayUntil(options, out, err, [&](const recorder::Session& session) {
    httplib::Client client(session.url());
    for (const std::string& path : requests) {
      auto result = client.Get(path);
      EXPECT_TRUE(result) << path;
    }
  });
  if (out_text != nullptr) {
    *out_text = out.str() + err.str();
  }
  EXPECT_TRUE(code.ok()) << (code.ok() ? "" : code.error().ToString());
  return code.ok() ? *code : -1;
}

TEST(RecordCommand, BadOptionsAreOneLineAndExitTwo) {
  RunResult no_upstream = Conform({"record", "--out", "x.har"});
  EXPECT_EQ(no_upstream.code, 2);
  EXPECT_THAT(no_upstream.err, HasSubstr("--upstream"));

  RunResult bad_url = Conform({"record", "--upstream", "ftp://example.com", "--out", "x.har"});
  EXPECT_EQ(bad_url.code, 2);
  EXPECT_THAT(bad_url.err, HasSubstr("upstream 'ftp://example.com' is not a base URL "
                                     "(http(s)://host[:port][/prefix]): the scheme must be http "
                                     "or https"));
  // The password of an upstream URL is never shown, whatever the reason it is refused.
  RunResult secret_url =
      Conform({"record", "--upstream", "http://user:s3cr/et@host:x", "--out", "x.har"});
  EXPECT_EQ(secret_url.code, 2);
  EXPECT_THAT(secret_url.err, AllOf(HasSubstr("'http://REDACTED@host:x' is not a base URL"),
                                    Not(HasSubstr("s3cr"))));
  EXPECT_EQ(Lines(secret_url.err), 1);
  EXPECT_EQ(Lines(bad_url.err), 1);

  RunResult bad_path = Conform({"record", "--upstream", "http://127.0.0.1:1", "--out", "x.har",
                                "--listen", "127.0.0.1:0", "--redact-json-path", "a..b"});
  EXPECT_EQ(bad_path.code, 2);
  EXPECT_THAT(bad_path.err,
              HasSubstr("--redact-json-path: redaction path 'a..b' has an empty segment"));
  EXPECT_EQ(Lines(bad_path.err), 1);

  RunResult bad_size = Conform(
      {"record", "--upstream", "http://127.0.0.1:1", "--out", "x.har", "--max-body-size", "12XB"});
  EXPECT_EQ(bad_size.code, 2);
  EXPECT_THAT(bad_size.err, HasSubstr("--max-body-size"));

  RunResult bad_listen =
      Conform({"record", "--upstream", "http://127.0.0.1:1", "--out", "x.har", "--listen", "8080"});
  EXPECT_EQ(bad_listen.code, 2);
  EXPECT_THAT(bad_listen.err, HasSubstr("--listen: expected HOST:PORT"));
}

TEST(RecordCommand, ZeroMaxBodySizeIsUsageError) {
  RunResult run = Conform(
      {"record", "--upstream", "http://127.0.0.1:1", "--out", "x.har", "--max-body-size", "0"});
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, HasSubstr("--max-body-size: '0' is too small"));
  EXPECT_EQ(Lines(run.err), 1);
}

TEST(RecordCommand, UnreachableFilesAreExitThree) {
  conform::testing::TempDir dir;
  RunResult no_dir = Conform({"record", "--upstream", "http://127.0.0.1:1", "--listen",
                              "127.0.0.1:0", "--out", (dir.path() / "no/such/dir/x.har").string()});
  EXPECT_EQ(no_dir.code, 3);
  EXPECT_THAT(no_dir.err, HasSubstr("cannot create the cassette"));
  EXPECT_EQ(Lines(no_dir.err), 1);

  RunResult no_spec = Conform({"record", "--upstream", "http://127.0.0.1:1", "--out", "x.har",
                               "--validate", "--spec", "/nonexistent/openapi.yaml"});
  EXPECT_EQ(no_spec.code, 3);
  EXPECT_THAT(no_spec.err, HasSubstr("/nonexistent/openapi.yaml: no such file"));
}

TEST(RecordCommand, ValidateExitsOneWhenAMustFindingWasSeen) {
  Upstream upstream([](httplib::Server& s) {
    s.Get("/v1/accounts/a/dpoJobs", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"dpoJobs":[{"name":"accounts/a/dpoJobs/j","state":"NOPE"}]})",
                      "application/json");
    });
  });
  conform::testing::TempDir dir;
  RecordOptions options{.upstream = upstream.Url(),
                        .out = (dir.path() / "v.har").string(),
                        .validate = true,
                        .proxy = {.listen = "127.0.0.1:0"}};
  std::ostringstream out;
  std::ostringstream err;
  Result<int> code = RunRecordUntil(options, out, err, [](const recorder::Session& session) {
    httplib::Client client(session.url());
    EXPECT_TRUE(client.Get("/v1/accounts/a/dpoJobs"));
  });
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, 1);
  EXPECT_THAT(out.str(), HasSubstr("1 exchanges recorded"));
  EXPECT_THAT(out.str(), HasSubstr("response.schema.enum x1"));
  EXPECT_THAT(err.str(), HasSubstr("finding must response.schema.enum /dpoJobs/0/state"));
}

// A page that repeats a resource of the page before is fine on its own: only the walk shows it.
TEST(RecordCommand, ValidateChecksThePageWalksInTheCassetteAtExit) {
  Upstream upstream([](httplib::Server& s) {
    s.Get("/v1/accounts/a/dpoJobs", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(
          req.get_param_value("pageToken") == "t1"
              ? R"({"dpoJobs":[{"name":"accounts/a/dpoJobs/j2","dataset":"d"}]})"
              : R"({"dpoJobs":[{"name":"accounts/a/dpoJobs/j1","dataset":"d"},)"
                R"({"name":"accounts/a/dpoJobs/j2","dataset":"d"}],"nextPageToken":"t1"})",
          "application/json");
    });
  });
  conform::testing::TempDir dir;
  auto walk = [](const recorder::Session& session) {
    httplib::Client client(session.url());
    EXPECT_TRUE(client.Get("/v1/accounts/a/dpoJobs?pageSize=2"));
    EXPECT_TRUE(client.Get("/v1/accounts/a/dpoJobs?pageSize=2&pageToken=t1"));
  };
  RecordOptions options{.upstream = upstream.Url(),
                        .out = (dir.path() / "walk.har").string(),
                        .validate = true,
                        .proxy = {.listen = "127.0.0.1:0"}};
  std::ostringstream out;
  std::ostringstream err;
  Result<int> code = RunRecordUntil(options, out, err, walk);
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, 1) << out.str() << err.str();
  EXPECT_THAT(out.str(), HasSubstr("list pages: 2 in 1 walks (1 from first page to last)"));
  EXPECT_THAT(out.str(),
              HasSubstr("validated 2 exchanges: 1 findings (1 must): page_walk.disjoint x1\n"));
  EXPECT_THAT(err.str(), HasSubstr("finding must page_walk.disjoint"));
  EXPECT_THAT(err.str(), HasSubstr("pageToken=t1]"));

  // Over the size limit the walks are left to `conform validate`, and said so.
  options.out = (dir.path() / "big.har").string();
  options.walk_check_max_bytes = 1;
  std::ostringstream big_out;
  std::ostringstream big_err;
  code = RunRecordUntil(options, big_out, big_err, walk);
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, 0) << big_out.str() << big_err.str();
  EXPECT_THAT(big_out.str(), HasSubstr("page walks not checked: the cassette is"));
  EXPECT_THAT(big_out.str(), HasSubstr("run `conform validate " + options.out + "` for them"));
}

TEST(ReplayCommand, BadInputIsOneLineWithTheDocumentedExitCode) {
  conform::testing::TempDir dir;
  RunResult missing = Conform({"replay", (dir.path() / "missing.har").string()});
  EXPECT_EQ(missing.code, 3);
  EXPECT_THAT(missing.err, HasSubstr("missing.har: no such file"));
  EXPECT_EQ(Lines(missing.err), 1);

  std::string malformed = dir.Write("malformed.har", "{\"log\": {\"entries\": [1, 2");
  RunResult bad = Conform({"replay", malformed, "--listen", "127.0.0.1:0"});
  EXPECT_EQ(bad.code, 3);
  EXPECT_THAT(bad.err, HasSubstr("malformed.har"));
  EXPECT_EQ(Lines(bad.err), 1);

  std::string good = Cassette(dir, {"/v1/x"});
  Upstream busy([](httplib::Server&) {});
  RunResult in_use =
      Conform({"replay", good, "--listen", "127.0.0.1:" + std::to_string(busy.Port())});
  EXPECT_EQ(in_use.code, 3);
  EXPECT_THAT(in_use.err, HasSubstr("cannot listen on 127.0.0.1:" + std::to_string(busy.Port())));
  EXPECT_EQ(Lines(in_use.err), 1);

  RunResult needs_upstream = Conform({"replay", good, "--mode", "all"});
  EXPECT_EQ(needs_upstream.code, 2);
  EXPECT_THAT(needs_upstream.err, HasSubstr("--mode all records: it needs --upstream URL"));

  RunResult bad_mode = Conform({"replay", good, "--mode", "sometimes"});
  EXPECT_EQ(bad_mode.code, 2);

  RunResult bad_listen = Conform({"replay", good, "--listen", "localhost"});
  EXPECT_EQ(bad_listen.code, 2);
  EXPECT_EQ(Lines(bad_listen.err), 1);
}

TEST(ReplayCommand, EveryCassetteReadErrorIsExitThree) {
  conform::testing::TempDir dir;
  // Nested deeper than 512 levels (RESOURCE_EXHAUSTED from the reader).
  std::string har = R"({"log":{"version":"1.2","creator":{"name":"t","version":"1"},)"
                    R"("entries":[],"x":)";
  std::string deep =
      dir.Write("deep.har", har + std::string(600, '[') + std::string(600, ']') + "}}");
  RunResult too_deep = Conform({"replay", deep, "--listen", "127.0.0.1:0"});
  EXPECT_EQ(too_deep.code, 3) << too_deep.err;
  EXPECT_THAT(too_deep.err, HasSubstr("deep.har"));
  EXPECT_EQ(Lines(too_deep.err), 1);

  // A body over the 32 MiB read limit (RESOURCE_EXHAUSTED).
  traffic::Exchange big;
  big.request = {.method = "POST",
                 .url = "https://api.fireworks.ai/v1/x",
                 .body = std::string((size_t{32} << 20) + 1, 'b')};
  big.response = {.status = 200};
  std::string large = dir.Write("large.har", traffic::WriteHar({big}, {.name = "test"}));
  RunResult over = Conform({"replay", large, "--listen", "127.0.0.1:0"});
  EXPECT_EQ(over.code, 3) << over.err;
  EXPECT_THAT(over.err, HasSubstr("large.har: entry 0: request body is"));
  EXPECT_EQ(Lines(over.err), 1);

  // A directory where the file should be (UNAVAILABLE from reading it).
  std::string directory = (dir.path() / "dir.har").string();
  std::filesystem::create_directory(directory);
  RunResult unreadable = Conform({"replay", directory, "--listen", "127.0.0.1:0"});
  EXPECT_EQ(unreadable.code, 3) << unreadable.err;
  EXPECT_EQ(Lines(unreadable.err), 1);
}

TEST(ReplayCommand, ACassetteWithNoExchangeIsExitThreeNotA501Server) {
  conform::testing::TempDir dir;
  std::string empty = dir.Write("empty.har", traffic::WriteHar({}, {.name = "test"}));
  RunResult result = Conform({"replay", empty, "--listen", "127.0.0.1:0"});
  EXPECT_EQ(result.code, 3) << result.err;
  EXPECT_THAT(result.err, HasSubstr("empty.har: no exchanges to replay (log.entries is empty)"));
  EXPECT_EQ(Lines(result.err), 1);
}

TEST(ReplayCommand, StrictFailsOnUnmatchedRequests) {
  conform::testing::TempDir dir;
  std::string cassette = Cassette(dir, {"/v1/a"});
  std::string text;
  EXPECT_EQ(ReplayAndRequest({.cassette = cassette, .strict = true}, {"/v1/a", "/v1/b"}, &text), 1);
  EXPECT_THAT(text, HasSubstr("unmatched: GET /v1/b"));
  EXPECT_THAT(text, HasSubstr("--strict: 1 unmatched requests, 0 recorded exchanges never used"));
  EXPECT_EQ(ReplayAndRequest({.cassette = cassette}, {"/v1/a", "/v1/b"}), 0);
}

TEST(ReplayCommand, StrictFailsOnRecordingsNeverUsed) {
  conform::testing::TempDir dir;
  std::string cassette = Cassette(dir, {"/v1/a", "/v1/b"});
  std::string text;
  EXPECT_EQ(ReplayAndRequest({.cassette = cassette, .strict = true}, {"/v1/a"}, &text), 1);
  EXPECT_THAT(text, HasSubstr("unused: entry 1: GET /v1/b"));
  EXPECT_EQ(ReplayAndRequest({.cassette = cassette, .strict = true}, {"/v1/b", "/v1/a"}), 0);
}

// Walks every page of `collection` through `base`, returning the raw pages.
std::vector<std::string> WalkPages(const std::string& base, const std::string& collection,
                                   const std::string& key) {
  httplib::Client client(base);
  client.set_read_timeout(std::chrono::seconds(30));
  std::vector<std::string> pages;
  std::string token;
  for (int page = 0; page < 100; ++page) {  // bounded
    std::string path = collection + "?pageSize=5" +
                       (token.empty() ? "" : "&pageToken=" + traffic::PercentEncode(token));
    httplib::Headers headers;
    if (!key.empty()) {
      headers.emplace("Authorization", "Bearer " + key);
    }
    auto result = client.Get(path, headers);
    if (!result || result->status != 200) {
      ADD_FAILURE() << "page " << page << ": " << (result ? result->body : "no response");
      break;
    }
    pages.push_back(result->body);
    token = Json::parse(result->body).value("nextPageToken", "");
    if (token.empty()) {
      break;
    }
  }
  return pages;
}

TEST(RecordReplay, APageWalkRecordedReplaysIdenticallyAndValidates) {
  auto server = server::StartServer({.data = {.acme_jobs = 23, .seed = 7}});
  ASSERT_TRUE(server.ok()) << server.error().ToString();
  std::string key;
  for (const server::ApiKey& api_key : (*server)->api_keys()) {
    if (api_key.account == "acme") {
      key = api_key.key;
    }
  }
  ASSERT_FALSE(key.empty());
  const std::string collection = "/v1/accounts/acme/dpoJobs";
  conform::testing::TempDir dir;
  std::string cassette = (dir.path() / "walk.har").string();

  std::vector<std::string> recorded_pages;
  std::ostringstream record_out;
  std::ostringstream record_err;
  Result<int> recorded =
      RunRecordUntil({.upstream = (*server)->base_url(),
                      .out = cassette,
                      .validate = true,
                      .proxy = {.listen = "127.0.0.1:0"}},
                     record_out, record_err, [&](const recorder::Session& session) {
                       recorded_pages = WalkPages(session.url(), collection, key);
                     });
  ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
  EXPECT_EQ(*recorded, 0) << record_out.str() << record_err.str();
  ASSERT_EQ(recorded_pages.size(), 5u);  // 23 jobs, 5 per page
  EXPECT_THAT(record_out.str(), HasSubstr("5 exchanges recorded"));
  EXPECT_THAT(Slurp(cassette), Not(HasSubstr(key)));

  std::vector<std::string> replayed_pages;
  std::ostringstream replay_out;
  std::ostringstream replay_err;
  Result<int> replayed =
      RunReplayUntil({.cassette = cassette, .strict = true, .proxy = {.listen = "127.0.0.1:0"}}, replay_out,
                     replay_err, [&](const recorder::Session& session) {
                       replayed_pages = WalkPages(session.url(), collection, /*key=*/"");
                     });
  ASSERT_TRUE(replayed.ok()) << replayed.error().ToString();
  EXPECT_EQ(*replayed, 0) << replay_out.str() << replay_err.str();
  // The same pages, except that the cassette (and so the replay) holds secrets redacted.
  recorder::Redactor redactor = *recorder::Redactor::Create({});
  ASSERT_EQ(replayed_pages.size(), recorded_pages.size());
  for (size_t i = 0; i < replayed_pages.size(); ++i) {
    EXPECT_EQ(Json::parse(replayed_pages[i]), Json::parse(redactor.Body(recorded_pages[i])))
        << "page " << i;
  }

  RunResult validated = Conform({"validate", cassette});
  EXPECT_EQ(validated.code, 0) << validated.out << validated.err;
}

}  // namespace
}  // namespace record_replay_test
}  // namespace conform::cli
