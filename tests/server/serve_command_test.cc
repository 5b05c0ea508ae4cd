// `conform serve` run in-process (STYLE K4): the banner, a served request, --list-faults, and
// the exit codes of bad options (2) and an address in use (3).
#include "cli/serve_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "cli/app.h"
#include "server/faults.h"
#include "tests/server/server_test_util.h"
#include "traffic/http_client.h"

namespace conform::cli {
namespace serve_command_test {
namespace {

using ::testing::HasSubstr;

struct CommandRun {
  int code = -1;
  std::string out;
  std::string err;
};

CommandRun Conform(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  CommandRun run;
  run.code = RunConform(args, out, err, Environment{});
  run.out = out.str();
  run.err = err.str();
  return run;
}

size_t Lines(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(ServeCommand, ListFaultsPrintsTheTable) {
  CommandRun run = Conform({"conform", "serve", "--list-faults"});
  EXPECT_EQ(run.code, 0);
  EXPECT_EQ(run.out, server::FaultTableMarkdown());
}

TEST(ServeCommand, UnknownFaultIsAUsageError) {
  CommandRun run = Conform({"conform", "serve", "--fault", "desc-ignored,nope"});
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.err, "conform: --fault: unknown fault 'nope' (see --list-faults)\n");
}

TEST(ServeCommand, BadOptionsAreUsageErrorsOnOneLine) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"conform", "serve", "--api-key", "acme"},
        std::vector<std::string>{"conform", "serve", "--api-key", "acme=a b"},
        std::vector<std::string>{"conform", "serve", "--listen", "nowhere"},
        std::vector<std::string>{"conform", "serve", "--listen", "127.0.0.1:70000"}}) {
    CommandRun run = Conform(args);
    EXPECT_EQ(run.code, 2) << args.back();
    EXPECT_EQ(Lines(run.err), 1u) << run.err;
    EXPECT_THAT(run.err, ::testing::StartsWith("conform: --")) << run.err;
  }
  // CLI11 checks the value itself (its message is app.cc's).
  EXPECT_EQ(Conform({"conform", "serve", "--jobs", "-3"}).code, 2);
  EXPECT_EQ(Conform({"conform", "serve", "--data", "jobs.jsonl", "--jobs", "5"}).code, 2);
}

TEST(ServeCommand, AddressInUseExits3) {
  auto busy = server::StartServer({.data = {.acme_jobs = 1}});
  ASSERT_TRUE(busy.ok());
  CommandRun run = Conform({"conform", "serve", "--jobs", "1", "--listen",
                            "127.0.0.1:" + std::to_string((*busy)->port())});
  EXPECT_EQ(run.code, 3);
  EXPECT_THAT(run.err, HasSubstr("cannot listen on 127.0.0.1:"));
  EXPECT_EQ(Lines(run.err), 1u);
}

TEST(ServeCommand, MissingDataFileExits3) {
  CommandRun run = Conform({"conform", "serve", "--data", "/nonexistent/jobs.jsonl"});
  EXPECT_EQ(run.code, 3);
  EXPECT_THAT(run.err, HasSubstr("/nonexistent/jobs.jsonl"));
}

TEST(ServeCommand, ServesAndPrintsUrlAccountsKeysAndCurl) {
  std::ostringstream out;
  int status = 0;
  Result<int> code = RunServeUntil(
      {.listen = "127.0.0.1:0", .jobs = 12, .faults = {"desc-ignored"}}, out,
      [&status](const server::RunningServer& running) {
        auto client = traffic::HttpClient::Create(running.base_url(), {.max_retries = 0});
        ASSERT_TRUE(client.ok());
        auto page = client->Send({.method = "GET",
                                  .url = "/v1/accounts/acme/dpoJobs?pageSize=2",
                                  .headers = {{"Authorization", "Bearer acme-key"}}});
        ASSERT_TRUE(page.ok());
        status = page->response.status;
      });
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, 0);
  EXPECT_EQ(status, 200);
  std::string text = out.str();
  EXPECT_THAT(text, HasSubstr("reference server at http://127.0.0.1:"));
  EXPECT_THAT(text, HasSubstr("(faults: desc-ignored)"));
  EXPECT_THAT(text, HasSubstr("acme 12 jobs (key acme-key)"));
  EXPECT_THAT(text, HasSubstr("tiny 3 jobs (key tiny-key)"));
  EXPECT_THAT(text, HasSubstr("ghost no data (key ghost-key"));
  EXPECT_THAT(text, HasSubstr("curl -sS -H 'Authorization: Bearer acme-key'"));
}

}  // namespace
}  // namespace serve_command_test
}  // namespace conform::cli
