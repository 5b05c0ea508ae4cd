// conform against ListDpoJobs servers it has never seen, each written from the spec and the
// AIPs by someone who did not read conform, making other choices where the AIPs leave room:
// tests/independent/list_server.py (NULLs sorted last, opaque signed tokens, AIP-193 error
// bodies, snake_case names...) and tests/independent/node/list_server.js (NULLs first, flat
// google.rpc.Status errors, chunked and gzipped answers, the name returned beside any readMask,
// a comparison on an absent field false even for !=). Each correct server must pass every check
// and property (the Node one with its three should-level choices reported), and each fault must
// fail the check its rule belongs to. A check tuned to our own reference server shows here as
// a false alarm; one that only knows our server's bugs as a miss.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tests/support/run_conform.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_names.h"
#include "validator/finding.h"

extern char** environ;

namespace conform::cli {
namespace independent_server_test {
namespace {

using Json = nlohmann::json;
using conform::testing::Conform;
using conform::testing::RunResult;

// The two servers: the program that runs each, and its script.
struct PythonServer {
  static constexpr const char* kProgram = "python3";
  static constexpr const char* kScript = "/tests/independent/list_server.py";
};
struct NodeServer {
  static constexpr const char* kProgram = "node";
  static constexpr const char* kScript = "/tests/independent/node/list_server.js";
};

// `program` on PATH (tools/install-deps installs python3 and nodejs), or nullopt.
std::optional<std::string> FindOnPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    end = end == std::string::npos ? dirs.size() : end;
    std::string candidate = dirs.substr(start, end - start) + "/" + program;
    if (end > start && access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    start = end + 1;
  }
  return std::nullopt;
}

// The server as a child process on 127.0.0.1, port 0; `url` is read from the line it prints
// once it listens ("listening on http://127.0.0.1:PORT"), waiting at most 30 s. Its stderr goes
// to a file whose text failures show.
class ForeignServer {
 public:
  ForeignServer(const std::string& program, const std::string& script, const std::string& fault,
                int jobs) {
    std::vector<std::string> args = {program,  std::string(CONFORM_SOURCE_DIR) + script,
                                     "--port", "0",
                                     "--jobs", std::to_string(jobs),
                                     "--seed", "1"};
    if (!fault.empty()) {
      args.insert(args.end(), {"--fault", fault});
    }
    std::vector<char*> argv;
    for (std::string& arg : args) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) {
      error_ = "pipe failed";
      return;
    }
    log_ = (dir_.path() / "stderr.txt").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int spawned =
        posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    stdout_ = out[0];
    if (spawned != 0) {
      pid_ = -1;
      error_ = "cannot start " + program;
      return;
    }
    ReadUrl();
  }
  ~ForeignServer() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_ >= 0) {
      close(stdout_);
    }
  }
  ForeignServer(const ForeignServer&) = delete;
  ForeignServer& operator=(const ForeignServer&) = delete;

  const std::string& url() const { return url_; }
  // Why there is no url, with what the server wrote to stderr.
  std::string error() const {
    std::string log;
    if (FILE* file = std::fopen(log_.c_str(), "r")) {
      char buffer[4096];
      log.assign(buffer, std::fread(buffer, 1, sizeof buffer, file));
      std::fclose(file);
    }
    return error_ + (log.empty() ? "" : "\n" + log);
  }

 private:
  void ReadUrl() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    std::string line;
    while (line.find('\n') == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd fd = {.fd = stdout_, .events = POLLIN, .revents = 0};
      if (left.count() <= 0 || poll(&fd, 1, static_cast<int>(left.count())) <= 0) {
        error_ = "the server did not say where it listens within 30 s";
        return;
      }
      char buffer[256];
      const ssize_t got = read(stdout_, buffer, sizeof buffer);
      if (got <= 0) {
        error_ = "the server exited before listening";
        return;
      }
      line.append(buffer, static_cast<size_t>(got));
    }
    const std::string prefix = "listening on ";
    const size_t at = line.find(prefix);
    if (at == std::string::npos) {
      error_ = "unexpected first line: " + line;
      return;
    }
    url_ = line.substr(at + prefix.size(), line.find('\n', at) - at - prefix.size());
  }

  conform::testing::TempDir dir_;
  std::string log_;
  pid_t pid_ = -1;
  int stdout_ = -1;
  std::string url_;
  std::string error_;
};

// The accounts and keys of both servers: acme/key-acme, other/key-other.
Environment Keys() {
  Environment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    if (name == "FIREWORKS_API_KEY") {
      return "key-acme";
    }
    if (name == "OTHER_KEY") {
      return "key-other";
    }
    return std::nullopt;
  };
  return env;
}

// Runs `command` (check, fuzz) with `args` against `url` as account acme, the other principal
// given, with a JSON report on stdout.
RunResult RunAgainst(const std::string& url, std::vector<std::string> args) {
  for (const char* arg : {"--account", "acme", "--other-account", "other", "--other-api-key-env",
                          "OTHER_KEY", "--format", "json", "--base-url"}) {
    args.push_back(arg);
  }
  args.push_back(url);
  return Conform(args, Keys());
}

// Every case of a JSON report with findings, as "name: first finding".
std::vector<std::string> CasesWithFindings(const Json& report) {
  std::vector<std::string> named;
  for (const Json& c : report.value("cases", Json::array())) {
    if (!c.value("findings", Json::array()).empty()) {
      named.push_back(c["name"].get<std::string>() + ": " + c["findings"][0].value("message", ""));
    }
  }
  return named;
}

// Skips where the server's program is missing (tools/install-deps installs both, so CI runs
// these).
template <typename Server, typename Base>
class WithServer : public Base {
 protected:
  void SetUp() override {
    std::optional<std::string> found = FindOnPath(Server::kProgram);
    if (!found) {
      GTEST_SKIP() << Server::kProgram << " is not on PATH (tools/install-deps installs it)";
    }
    program_ = *found;
  }
  std::string program_;
};

using IndependentServer = WithServer<PythonServer, ::testing::Test>;

TEST_F(IndependentServer, PassesEveryCheckOfConformCheck) {
  ForeignServer server(program_, PythonServer::kScript, "", 120);
  ASSERT_FALSE(server.url().empty()) << server.error();
  RunResult run = RunAgainst(server.url(), {"check"});
  Json report = Json::parse(run.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << run.err;
  EXPECT_THAT(CasesWithFindings(report), ::testing::IsEmpty());
  EXPECT_EQ(run.code, 0) << run.err;
  int passed = 0;
  for (const Json& c : report["cases"]) {
    passed += c["status"] == "passed" ? 1 : 0;
  }
  EXPECT_EQ(passed, static_cast<int>(report["cases"].size()))
      << "with --other-account nothing is skipped";
}

TEST_F(IndependentServer, PassesEveryPropertyOfConformFuzz) {
  ForeignServer server(program_, PythonServer::kScript, "", 120);
  ASSERT_FALSE(server.url().empty()) << server.error();
  RunResult run = RunAgainst(server.url(), {"fuzz", "--seed", "1", "--runs", "25"});
  Json report = Json::parse(run.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << run.err;
  EXPECT_THAT(CasesWithFindings(report), ::testing::IsEmpty());
  EXPECT_EQ(run.code, 0) << run.err;
}

struct ForeignFault {
  const char* name;   // list_server.py --fault NAME
  const char* check;  // the check its rule belongs to
};

void PrintTo(const ForeignFault& fault, std::ostream* out) { *out << fault.name; }

// "offset-off-by-one" -> "OffsetOffByOne".
std::string FaultTestName(const ::testing::TestParamInfo<ForeignFault>& param_info) {
  return conform::testing::CamelCase(param_info.param.name);
}

// Only the fault's check is selected (the scenarios it needs still run). A should-level check
// reports the fault without failing the run.
void ExpectCaught(const std::string& program, const char* script, const ForeignFault& fault) {
  // 60 jobs give every walk several pages; a pageSize over the largest (200) needs more.
  ForeignServer server(program, script, fault.name,
                       std::string(fault.check) == "page_size.maximum" ? 300 : 60);
  ASSERT_FALSE(server.url().empty()) << server.error();
  RunResult run = RunAgainst(server.url(), {"check", "--checks", fault.check});
  Json report = Json::parse(run.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << run.err;
  const Json* outcome = nullptr;
  for (const Json& c : report["cases"]) {
    outcome = c["name"] == fault.check ? &c : outcome;
  }
  ASSERT_NE(outcome, nullptr) << fault.check << " is not in the report";
  EXPECT_FALSE((*outcome)["findings"].empty())
      << fault.name << " should be found by " << fault.check;
  bool must = false;
  for (const validator::CheckInfo& check : validator::AllChecks()) {
    must = must || (check.id == fault.check && check.level == validator::Level::kMust);
  }
  EXPECT_EQ(run.code, must ? 1 : 0) << run.err;
}

class IndependentServerFault
    : public WithServer<PythonServer, ::testing::TestWithParam<ForeignFault>> {};

TEST_P(IndependentServerFault, IsCaughtByTheCheckOfItsRule) {
  ExpectCaught(program_, PythonServer::kScript, GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    ListServerPy, IndependentServerFault,
    ::testing::Values(ForeignFault{"offset-off-by-one", "page_walk.complete"},
                      ForeignFault{"duplicate-at-boundary", "page_walk.disjoint"},
                      ForeignFault{"desc-ignored-second-key", "order.multi_key"},
                      ForeignFault{"not-ignored", "filter.sound"},
                      ForeignFault{"or-as-and", "filter.complete"},
                      ForeignFault{"total-size-unfiltered", "total_size.filtered"},
                      ForeignFault{"total-size-page", "total_size.stable"},
                      ForeignFault{"token-unbound", "token.binding"},
                      ForeignFault{"page-size-over-max", "page_size.maximum"},
                      ForeignFault{"negative-page-size-ok", "page_size.invalid_rejected"},
                      ForeignFault{"read-mask-ignored", "response.read_mask.outside"},
                      ForeignFault{"timestamp-text-order", "filter.complete"},
                      ForeignFault{"apikey-leak", "secrets.credential_in_clear"},
                      ForeignFault{"last-page-token", "page_walk.last_page_token"},
                      ForeignFault{"unknown-order-500", "order.unknown_field_rejected"},
                      ForeignFault{"other-account-leak", "auth.other_account_denied"}),
    FaultTestName);

// The check ids with findings in a JSON report, and whether any finding is must-level.
struct Found {
  std::set<std::string> ids;
  bool must = false;
};
Found FindingsOf(const Json& report) {
  Found found;
  for (const Json& c : report.value("cases", Json::array())) {
    for (const Json& finding : c.value("findings", Json::array())) {
      found.ids.insert(finding.value("check_id", c.value("name", "")));
      found.must = found.must || finding.value("level", "") == "must";
    }
  }
  return found;
}

using NodeIndependentServer = WithServer<NodeServer, ::testing::Test>;

// Its three choices the AIPs do not provide for are reported at should level, and nothing else.
TEST_F(NodeIndependentServer, PassesEveryCheckWithItsThreeShouldLevelChoicesReported) {
  ForeignServer server(program_, NodeServer::kScript, "", 120);
  ASSERT_FALSE(server.url().empty()) << server.error();
  RunResult run = RunAgainst(server.url(), {"check"});
  Json report = Json::parse(run.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << run.err;
  Found found = FindingsOf(report);
  EXPECT_FALSE(found.must) << ::testing::PrintToString(CasesWithFindings(report));
  // `completedTime:*` refused (it has no ':'); the name beside every readMask; a token minted
  // without a readMask honoured with one.
  EXPECT_THAT(found.ids, ::testing::ElementsAre("filter.supported", "response.read_mask.name_added",
                                                "token.binding"));
  EXPECT_EQ(run.code, 0) << run.err;
}

TEST_F(NodeIndependentServer, PassesEveryPropertyOfConformFuzz) {
  ForeignServer server(program_, NodeServer::kScript, "", 120);
  ASSERT_FALSE(server.url().empty()) << server.error();
  RunResult run = RunAgainst(server.url(), {"fuzz", "--seed", "1", "--runs", "25"});
  Json report = Json::parse(run.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << run.err;
  Found found = FindingsOf(report);
  EXPECT_FALSE(found.must) << ::testing::PrintToString(CasesWithFindings(report));
  for (const std::string& id : found.ids) {
    EXPECT_THAT(id, ::testing::AnyOf("response.read_mask.name_added", "token.binding"));
  }
  EXPECT_EQ(run.code, 0) << run.err;
}

// A `!=` on a field the job lacks holding is the unset reading of AIP-160, one conform
// accepts: the server's author took it for a fault; it is not one.
TEST_F(NodeIndependentServer, AnAbsentFieldMatchingNotEqualIsAnAllowedReading) {
  ForeignServer server(program_, NodeServer::kScript, "absent-ne-true", 60);
  ASSERT_FALSE(server.url().empty()) << server.error();
  RunResult run = RunAgainst(server.url(), {"check", "--checks", "filter"});
  Json report = Json::parse(run.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << run.err;
  // Only the server's refusal of ':' (filter.supported), as without the fault.
  EXPECT_THAT(FindingsOf(report).ids, ::testing::ElementsAre("filter.supported"));
  EXPECT_EQ(run.code, 0) << run.err;
}

class NodeIndependentServerFault
    : public WithServer<NodeServer, ::testing::TestWithParam<ForeignFault>> {};

TEST_P(NodeIndependentServerFault, IsCaughtByTheCheckOfItsRule) {
  ExpectCaught(program_, NodeServer::kScript, GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    ListServerJs, NodeIndependentServerFault,
    ::testing::Values(ForeignFault{"token-drops-filter", "filter.sound"},
                      ForeignFault{"lt-as-le", "filter.sound"},
                      ForeignFault{"desc-ignored", "order.fields"},
                      ForeignFault{"total-size-off-by-one", "total_size.matches_walk"},
                      ForeignFault{"invalid-filter-200", "filter.invalid_rejected"},
                      ForeignFault{"token-any-account", "token.other_account_rejected"},
                      ForeignFault{"last-page-token", "page_walk.terminates"},
                      ForeignFault{"max-page-size-1000", "page_size.maximum"},
                      ForeignFault{"read-mask-ignored", "response.read_mask.outside"},
                      ForeignFault{"apikey-in-clear", "secrets.credential_in_clear"},
                      ForeignFault{"default-order-create-time", "order.default"}),
    FaultTestName);

}  // namespace
}  // namespace independent_server_test
}  // namespace conform::cli
