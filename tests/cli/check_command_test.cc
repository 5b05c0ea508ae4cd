// `conform check` in-process: the embedded default, selection, formats, bad targets.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "common/utf8.h"
#include "tests/support/run_conform.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace conform::cli {
namespace check_command_test {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;
using conform::testing::Conform;
using conform::testing::RunResult;
using conform::testing::WithKey;

std::string CaseStatus(const Json& report, const std::string& id) {
  for (const Json& c : report["cases"]) {
    if (c["name"] == id) {
      return c["status"];
    }
  }
  return "absent";
}

TEST(CheckCommand, EmbeddedReferenceServerPasses) {
  RunResult run = Conform({"check", "--format", "json"});
  ASSERT_EQ(run.code, 0) << run.out << run.err;
  Json report = Json::parse(run.out);
  EXPECT_EQ(report["summary"]["failed"], 0);
  EXPECT_EQ(report["summary"]["must"], 0);
  EXPECT_EQ(report["summary"]["skipped"], 0) << "the embedded server offers a second principal for every check";
  EXPECT_EQ(CaseStatus(report, "order.fields"), "passed");
  EXPECT_EQ(CaseStatus(report, "auth.account_isolation"), "passed");
  EXPECT_GT(std::stoi(report["stats"]["requests"].get<std::string>()), 100);
}

TEST(CheckCommand, TextReportIsATableOfEveryCheck) {
  RunResult run = Conform({"check", "--checks", "page_size,order.default"});
  EXPECT_EQ(run.code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, AllOf(HasSubstr("pass  page_size.default"), HasSubstr("pass  page_size.maximum"),
                             HasSubstr("pass  order.default"), HasSubstr("requests:")));
  EXPECT_THAT(run.out, Not(HasSubstr("filter.sound")));
}

TEST(CheckCommand, AFaultIsCaughtAndNamed) {
  // The order checks only: the whole suite runs against faults in WholeSuiteCatchesFault.
  RunResult run = Conform({"check", "--embedded-fault", "desc-ignored", "--checks", "order"});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.out, AllOf(HasSubstr("FAIL  order.fields"), HasSubstr("expected:"), HasSubstr("$ curl -sS")));
  EXPECT_THAT(run.out, HasSubstr("$CONFORM_EMBEDDED_KEY"));
}

TEST(CheckCommand, ATotalSizeOfThePageShowsInACollectionThatFitsInOnePage) {
  // 60 jobs: the walk at the largest page size (200) is one page, where the page's length and
  // the collection's agree; the walk at small, changing sizes shows the difference.
  RunResult run = Conform({"check", "--embedded-fault", "total-size-of-page", "--embedded-jobs",
                           "60", "--checks", "total_size.stable,total_size.matches_walk"});
  EXPECT_EQ(run.code, 1) << run.out;
  EXPECT_THAT(run.out, AllOf(HasSubstr("FAIL  total_size.stable"),
                             HasSubstr("totalSize changes during the walk")));
}

TEST(CheckCommand, AMaximumPageSizeTheCollectionCannotFillSaysWhatWasJudged) {
  RunResult run =
      Conform({"check", "--embedded-jobs", "60", "--checks", "page_size.maximum", "--verbose"});
  EXPECT_EQ(run.code, 0) << run.out;
  EXPECT_THAT(
      run.out,
      HasSubstr("the collection holds 60 resources, not more than 200: only 'answered, no error' "
                "could be judged, not the coercion"));
}

TEST(CheckCommand, ReportLostOnStdoutIsExitThree) {
  RunResult run = conform::testing::ConformWithFullStdout({"check", "--checks", "page_size.default"});
  EXPECT_EQ(run.code, 3);
  EXPECT_THAT(run.err, HasSubstr("conform: cannot write the report to standard output: "));
}

TEST(CheckCommand, ZeroMaxBodySizeIsAUsageError) {
  RunResult run = Conform({"check", "--max-body-size", "0"});
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, HasSubstr("--max-body-size: '0' is too small"));
}

TEST(CheckCommand, ABodyOverTheLimitIsAFindingAndTheRunGoesOn) {
  // pageSize=1000 gets 1000 jobs from this fault, over 200 KiB; pageSize=201 still fits.
  // response.body.limit judges every response, so every scenario not excluded runs: 16
  // requests, not 255.
  RunResult run =
      Conform({"check", "--embedded-fault", "page-size-uncapped", "--max-body-size", "200KiB",
               "--checks", "page_size,response.body.limit,reads.idempotent", "--exclude-checks",
               "order,filter,read_mask,token,auth,total_size", "--format", "json"});
  EXPECT_EQ(run.code, 1) << run.err;
  Json report = Json::parse(run.out);
  EXPECT_FALSE(report.value("stopped", false));
  std::map<std::string, Json> cases;
  for (const Json& check : report["cases"]) {
    cases[check["name"].get<std::string>()] = check;
  }
  ASSERT_TRUE(cases.contains("response.body.limit"));
  const Json& limit = cases["response.body.limit"];
  ASSERT_FALSE(limit["findings"].empty()) << limit.dump();
  EXPECT_THAT(limit["findings"][0]["message"].get<std::string>(),
              HasSubstr("exceeds the limit of 204800 bytes"));
  EXPECT_THAT(limit["findings"][0]["curl"].dump(), HasSubstr("pageSize=1000"));
  // Checks after the over-limit answers still ran.
  EXPECT_EQ(cases["reads.idempotent"]["status"], "passed") << cases["reads.idempotent"].dump();
}

TEST(CheckCommand, AFirstPageOverTheLimitStopsTheRunNamingTheOption) {
  RunResult run = Conform({"check", "--max-body-size", "1KiB"});
  EXPECT_EQ(run.code, 3);
  EXPECT_THAT(run.err, HasSubstr("cannot read the first page from http://127.0.0.1:"));
  EXPECT_THAT(run.err, HasSubstr("raise --max-body-size"));
}

TEST(CheckCommand, ACollectionWithoutAnAccountInItsPathNeedsNoAccount) {
  // A List of /v1/things: pageSize and pageToken only.
  std::string spec = std::string(CONFORM_SOURCE_DIR) + "/tests/data/validator/specs/things.yaml";

  // Past the options: the closed port is the first thing it meets.
  RunResult run = Conform({"check", "--base-url", "http://127.0.0.1:9", "--spec", spec, "--retries", "0"});
  EXPECT_EQ(run.code, 3) << run.err;
  EXPECT_THAT(run.err, Not(HasSubstr("--account")));
  EXPECT_THAT(run.err, HasSubstr("cannot reach http://127.0.0.1:9"));
}

TEST(CheckCommand, UnknownCheckIdIsAUsageError) {
  RunResult run = Conform({"check", "--checks", "ordr"});
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, HasSubstr("no check id is or starts with 'ordr'"));
}

TEST(CheckCommand, UnknownFaultIsAUsageError) {
  RunResult run = Conform({"check", "--embedded-fault", "no-such-fault"});
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, HasSubstr("no-such-fault"));
}

TEST(CheckCommand, LiveTargetNeedsAnAccountAndAKey) {
  RunResult no_account = Conform({"check", "--base-url", "http://127.0.0.1:9"});
  EXPECT_EQ(no_account.code, 2);
  EXPECT_THAT(no_account.err, HasSubstr("--account"));
  RunResult no_key = Conform({"check", "--base-url", "http://127.0.0.1:9", "--account", "acme"});
  EXPECT_EQ(no_key.code, 2);
  EXPECT_THAT(no_key.err, HasSubstr("export FIREWORKS_API_KEY"));
}

TEST(CheckCommand, UnreachableTargetIsExitThreeQuickly) {
  int closed_port = 0;
  {
    testing::TestServer server([](const httplib::Request&, httplib::Response&) {});
    closed_port = server.Port();
  }
  auto started = std::chrono::steady_clock::now();
  RunResult run = Conform({"check", "--base-url", "http://127.0.0.1:" + std::to_string(closed_port), "--account",
                           "acme", "--retries", "0", "--timeout", "2000"},
                          WithKey("k"));
  EXPECT_EQ(run.code, 3);
  EXPECT_THAT(run.err, HasSubstr("cannot reach"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
}

TEST(CheckCommand, AStoppedRunStillWritesItsJsonAndJunitReports) {
  // CI reads the report files: a target that cannot be reached must not leave them missing.
  int closed_port = 0;
  {
    testing::TestServer server([](const httplib::Request&, httplib::Response&) {});
    closed_port = server.Port();
  }
  conform::testing::TempDir dir;
  std::string junit = (dir.path() / "report.xml").string();
  RunResult run = Conform({"check", "--base-url", "http://127.0.0.1:" + std::to_string(closed_port),
                           "--account", "acme", "--retries", "0", "--timeout", "2000", "--format",
                           "json", "--junit", junit},
                          WithKey("secret-key-123456"));
  EXPECT_EQ(run.code, 3);
  EXPECT_THAT(run.err, HasSubstr("cannot reach"));
  Json report = Json::parse(run.out);
  EXPECT_EQ(report["exit_code"], 3);
  EXPECT_EQ(report["stopped"], true);
  ASSERT_EQ(report["errors"].size(), 1u);
  EXPECT_THAT(report["errors"][0].get<std::string>(), HasSubstr("cannot reach"));
  EXPECT_TRUE(report["cases"].empty());
  std::ifstream file(junit);
  std::string xml((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_THAT(xml, AllOf(HasSubstr("errors=\"1\""), HasSubstr("name=\"conform check\""),
                         HasSubstr("<error type=\"stopped\" message=\""),
                         HasSubstr("cannot reach")));
  EXPECT_THAT(run.out + xml, Not(HasSubstr("secret-key-123456")));

  // A usage error too (exit 2), and the text format prints nothing more than the one line.
  RunResult usage = Conform({"check", "--checks", "no.such.check", "--format", "json", "--junit",
                             junit});
  EXPECT_EQ(usage.code, 2);
  EXPECT_EQ(Json::parse(usage.out)["exit_code"], 2);
  RunResult text = Conform({"check", "--checks", "no.such.check"});
  EXPECT_EQ(text.code, 2);
  EXPECT_EQ(text.out, "");
  EXPECT_EQ(std::count(text.err.begin(), text.err.end(), '\n'), 1) << text.err;
}

TEST(CheckCommand, AnOptionRefusedWhileParsingStillWritesTheReportsAskedFor) {
  // CLI11 stops at the bad option, possibly before --format and --junit are set: the words
  // of the command line still say which reports CI waits for.
  conform::testing::TempDir dir;
  std::string junit = (dir.path() / "report.xml").string();
  for (const std::vector<std::string>& words :
       {std::vector<std::string>{"check", "--rate", "nan", "--format", "json", "--junit", junit},
        std::vector<std::string>{"check", "--format=json", "--junit=" + junit, "--seed", "-1"}}) {
    std::filesystem::remove(junit);
    RunResult run = Conform(words);
    EXPECT_EQ(run.code, 2) << words[2];
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    Json report = Json::parse(run.out);
    EXPECT_EQ(report["exit_code"], 2);
    EXPECT_EQ(report["stopped"], true);
    EXPECT_EQ(report["command"], "check");
    ASSERT_EQ(report["errors"].size(), 1u);
    EXPECT_THAT(report["errors"][0].get<std::string>(), HasSubstr(words[1] == "--rate" ? "--rate" : "--seed"));
    std::ifstream file(junit);
    std::string xml((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    EXPECT_THAT(xml, AllOf(HasSubstr("errors=\"1\""), HasSubstr("<error type=\"stopped\"")));
  }
  // Text format: the one line, nothing on stdout; an unknown command writes no report.
  RunResult text = Conform({"check", "--rate", "nan"});
  EXPECT_EQ(text.code, 2);
  EXPECT_EQ(text.out, "");
  RunResult unknown = Conform({"chekc", "--format", "json"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_EQ(unknown.out, "");
}

// A usage error: exit 2, nothing on stdout, one line on stderr naming the command's help.
void ExpectUsageError(const RunResult& run, const std::string& command, const std::string& says) {
  EXPECT_EQ(run.code, 2) << says << ": " << run.err;
  EXPECT_EQ(run.out, "") << says;
  EXPECT_TRUE(run.err.starts_with("conform: ")) << run.err;
  EXPECT_THAT(run.err, HasSubstr(says));
  EXPECT_THAT(run.err, HasSubstr("(see conform " + command + " --help)\n"));
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
}

TEST(CheckCommand, ABadRateIsAUsageErrorNamingTheOptionAndTheValue) {
  // --rate nan passed CLI11's range check and stopped in the HTTP client, the message naming
  // --base-url and the embedded server's address.
  for (const std::string rate : {"nan", "inf", "-1", "1e-300", "2e6", "fast", ""}) {
    RunResult run = Conform({"check", "--rate", rate});
    ExpectUsageError(run, "check", "--rate: '" + rate + "' is not a rate");
    EXPECT_THAT(run.err, AllOf(Not(HasSubstr("--base-url")), Not(HasSubstr("127.0.0.1"))));
  }
  RunResult unlimited = Conform({"check", "--rate", "0", "--checks", "page_size.default"});
  EXPECT_EQ(unlimited.code, 0) << unlimited.err;
  RunResult slow = Conform({"check", "--rate", "500.5", "--checks", "page_size.default"});
  EXPECT_EQ(slow.code, 0) << slow.err;
  ExpectUsageError(Conform({"check", "--retries", "-1"}), "check", "--retries: Value -1");
  ExpectUsageError(Conform({"check", "--max-body-size", "lots"}), "check",
                   "--max-body-size: 'lots' is not a size");
}

TEST(CheckCommand, AnUnknownOptionIsNamedEvenWhenARequiredArgumentIsMissingToo) {
  // CLI11 reports the missing inputs first; the unknown word is the likelier mistake.
  ExpectUsageError(Conform({"validate", "--bogus"}), "validate",
                   "The following argument was not expected: --bogus");
  ExpectUsageError(Conform({"validate", "x.har", "--bogus"}), "validate",
                   "The following argument was not expected: --bogus");
  ExpectUsageError(Conform({"validate"}), "validate", "inputs is required");
}

TEST(CheckCommand, AMalformedBaseUrlIsAUsageErrorNamingIt) {
  // 'http://[::1' was exit 3 "could not resolve host [".
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"http://[::1", "no closing ']'"},
      {"http://", "no host"},
      {"http://host:99999", "the port '99999' is not a number from 1 to 65535"},
      {"http://host:abc", "the port 'abc'"},
      {"http://host:", "the port ''"},
      {"http://[::1]x", "not by ':PORT'"},
      {"http://[zz]:80", "is not an IPv6 address"},
      {"ftp://x", "the scheme must be http or https"},
      {"http://ho st", "a space"},
      {"http://host\t/", "a control character"},
      {"http://ho|st/", "the host 'ho|st'"},
      {"localhost:8080", "no http:// or https://"},
      {"http://host/?pageSize=1", "no query"},
      {"", "it is empty"},
  };
  for (const auto& [url, why] : cases) {
    RunResult run = Conform({"check", "--base-url", url, "--account", "a"}, WithKey("k"));
    ExpectUsageError(run, "check", "--base-url: '" + Printable(url) + "' is not a base URL");
    EXPECT_THAT(run.err, HasSubstr(why)) << url;
  }
  // Well-formed, so past the options: the closed port is what it meets.
  int closed = testing::ClosedPort();
  for (const std::string& url :
       {"http://127.0.0.1:" + std::to_string(closed), "HTTP://127.0.0.1:" + std::to_string(closed) + "/prefix/"}) {
    RunResult run = Conform({"check", "--base-url", url, "--account", "a", "--retries", "0"}, WithKey("k"));
    EXPECT_EQ(run.code, 3) << url << ": " << run.err;
  }
}

TEST(CheckCommand, ADefaultPageSizeAboveTheMaximumIsAUsageError) {
  ExpectUsageError(Conform({"check", "--max-page-size", "1", "--default-page-size", "2"}), "check",
                   "--default-page-size: 2 is above --max-page-size 1");
  // Not given, the maximum is what the spec states (the seed: 200).
  RunResult above_spec = Conform({"check", "--default-page-size", "300"});
  EXPECT_EQ(above_spec.code, 2) << above_spec.err;
  EXPECT_EQ(
      above_spec.err,
      "conform: --default-page-size 300 is above the largest page ListDpoJobs allows, 200 (default "
      "300 (given), maximum 200 (spec); pass --max-page-size too)\n");
  ExpectUsageError(Conform({"check", "--default-page-size", "0"}), "check", "--default-page-size");
  ExpectUsageError(Conform({"check", "--max-page-size", "-5"}), "check", "--max-page-size");
  RunResult equal = Conform({"check", "--max-page-size", "50", "--default-page-size", "50",
                             "--checks", "page_size.default"});
  EXPECT_EQ(equal.code, 0) << equal.err;
}

TEST(CheckCommand, APasswordInTheBaseUrlNeverReachesAnOutput) {
  // The userinfo was echoed in "cannot reach http://user:SUPERSECRETKEY123@...", the report's
  // subject line, its curl commands and the JUnit file.
  testing::TestServer html([](const httplib::Request&, httplib::Response& res) {
    res.set_content("<html>nginx</html>", "text/html");
  });
  const std::string live = "http://user:SUPERSECRETKEY123@127.0.0.1:" + std::to_string(html.Port()) + "/";
  const std::string closed =
      "http://user:SUPERSECRETKEY123@127.0.0.1:" + std::to_string(testing::ClosedPort()) + "/";
  testing::TempDir dir;
  std::string junit = (dir.path() / "report.xml").string();
  std::vector<std::string> outputs;
  const std::string malformed = "http://user:SUPERSECRETKEY123@[::1/";
  for (const std::string& url : {live, closed, malformed}) {
    for (const std::string format : {"text", "json"}) {
      RunResult run = Conform({"check", "--base-url", url, "--account", "acme", "--retries", "0",
                               "--max-requests", "30", "--format", format, "--junit", junit, "-v"},
                              WithKey("k"));
      EXPECT_NE(run.code, 0);
      EXPECT_NE(run.code, 4) << run.err;
      std::ifstream file(junit);
      std::string xml((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
      for (const std::string& text : {run.out, run.err, xml}) {
        EXPECT_THAT(text, Not(HasSubstr("SUPERSECRETKEY123"))) << url << " " << format;
      }
      outputs.push_back(run.out + run.err);
    }
  }
  // What was redacted is still said: the subject, a curl line, the unreachable and bad URLs.
  EXPECT_THAT(outputs[0], AllOf(HasSubstr("at http://REDACTED@127.0.0.1:"), HasSubstr("$ curl")));
  EXPECT_THAT(outputs[3], HasSubstr("cannot reach http://REDACTED@127.0.0.1:"));
  EXPECT_THAT(outputs[4], HasSubstr("--base-url: 'http://REDACTED@[::1/' is not a base URL"));
}

TEST(CommandLine, UsageErrorsAreOneLineNamingTheCommandsHelp) {
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{"check", "--bogus"}, "conform: The following argument was not expected: --bogus (see conform check --help)"},
      {{"check", "--format", "xml"}, "(see conform check --help)"},
      {{"record", "--upstream"}, "--upstream"},
      {{"frobnicate"}, "conform: unknown command 'frobnicate' (commands: validate, check, fuzz,"},
      {{}, "conform: a command is required (commands: validate, check"},
  };
  for (const Case& c : cases) {
    RunResult run = Conform(c.args);
    EXPECT_EQ(run.code, 2) << c.says;
    EXPECT_EQ(run.out, "") << c.says;
    EXPECT_THAT(run.err, HasSubstr(c.says));
    EXPECT_TRUE(run.err.starts_with("conform: ")) << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  }
  RunResult version = Conform({"--version"});
  EXPECT_EQ(version.code, 0);
  EXPECT_EQ(version.out, "conform 0.1.0\n");
  RunResult help = Conform({"check", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_THAT(help.out, HasSubstr("--base-url"));
}

TEST(CheckCommand, TlsFailureIsExitThree) {
  testing::TestServer plain([](const httplib::Request&, httplib::Response& res) { res.set_content("{}", "application/json"); });
  RunResult run = Conform({"check", "--base-url", "https://127.0.0.1:" + std::to_string(plain.Port()), "--account",
                           "acme", "--retries", "0", "--timeout", "2000"},
                          WithKey("k"));
  EXPECT_EQ(run.code, 3);
  EXPECT_THAT(run.err, HasSubstr("cannot reach"));
}

TEST(CheckCommand, HangingServerTimesOutWithExitThree) {
  std::mutex mutex;
  std::condition_variable released;
  bool release = false;
  {
    testing::TestServer server([&](const httplib::Request&, httplib::Response& res) {
      std::unique_lock<std::mutex> lock(mutex);
      released.wait_for(lock, std::chrono::seconds(30), [&] { return release; });
      res.set_content("{}", "application/json");
    });
    auto started = std::chrono::steady_clock::now();
    RunResult run = Conform({"check", "--base-url", server.Url(), "--account", "acme", "--retries", "0", "--timeout",
                             "300"},
                            WithKey("k"));
    EXPECT_EQ(run.code, 3);
    EXPECT_THAT(run.err, HasSubstr("cannot reach"));
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
    {
      std::lock_guard<std::mutex> lock(mutex);
      release = true;
    }
    released.notify_all();
  }
}

TEST(CheckCommand, HtmlAnswersAreFindings) {
  testing::TestServer server([](const httplib::Request&, httplib::Response& res) {
    res.set_content("<html><body>Welcome to nginx!</body></html>", "text/html");
  });
  RunResult run = Conform({"check", "--base-url", server.Url(), "--account", "acme", "--format", "json"}, WithKey("k"));
  EXPECT_EQ(run.code, 1) << run.err;
  Json report = Json::parse(run.out);
  EXPECT_EQ(CaseStatus(report, "response.content_type"), "failed");
  EXPECT_EQ(CaseStatus(report, "response.body.json"), "failed");
}

TEST(CheckCommand, TenMegabyteAnswersGetAVerdict) {
  std::string huge = "{\"dpoJobs\": [], \"padding\": \"" + std::string(10u << 20, 'x') + "\"}";
  testing::TestServer server(
      [&huge](const httplib::Request&, httplib::Response& res) { res.set_content(huge, "application/json"); });
  RunResult run = Conform({"check", "--base-url", server.Url(), "--account", "acme", "--format",
                           "json", "--max-requests", "3"},
                          WithKey("k"));
  EXPECT_NE(run.code, 0);
  EXPECT_NE(run.code, 4);
  Json report = Json::parse(run.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << run.err;
  EXPECT_EQ(CaseStatus(report, "auth.missing_credentials"), "failed");
}

TEST(CheckCommand, MaxRequestsBoundsTheRunAndCountsOnlyWhatWasSent) {
  RunResult run = Conform({"check", "--max-requests", "10", "--format", "json"});
  EXPECT_EQ(run.code, 0) << run.err;  // a short run is not a failure
  Json report = Json::parse(run.out);
  EXPECT_EQ(report["stats"]["requests"], "10");
  EXPECT_GT(report["summary"]["skipped"].get<int>(), 0);
  EXPECT_THAT(run.out, HasSubstr("request budget of 10 requests is spent"));
}

TEST(CheckCommand, TokensThatNeverEndAreCaughtInBoundedRequests) {
  std::atomic<int> served{0};
  testing::TestServer server([&served](const httplib::Request&, httplib::Response& res) {
    int n = served++;
    Json page = {{"dpoJobs", Json::array({{{"name", "accounts/acme/dpoJobs/j" + std::to_string(n)}, {"dataset", "d"}}})},
                 {"nextPageToken", "t" + std::to_string(n)},
                 {"totalSize", 3}};
    res.set_content(page.dump(), "application/json");
  });
  RunResult run = Conform({"check", "--base-url", server.Url(), "--account", "acme", "--format", "json"}, WithKey("k"));
  EXPECT_EQ(run.code, 1) << run.err;
  Json report = Json::parse(run.out);
  EXPECT_EQ(CaseStatus(report, "page_walk.terminates"), "failed");
  EXPECT_LT(served.load(), 2000);
}

TEST(CheckCommand, ServerRejectingItsOwnPageTokenFails) {
  // Page 1 promises more (a token, totalSize 3); following the token gets 400. This passed
  // every check: the error page was taken for the end of the collection.
  testing::TestServer server([](const httplib::Request& req, httplib::Response& res) {
    if (req.has_param("pageToken")) {
      res.status = 400;
      res.set_content(R"({"code": 3, "message": "invalid page token", "details": []})", "application/json");
      return;
    }
    Json page = {{"dpoJobs", Json::array({{{"name", "accounts/acme/dpoJobs/j1"}, {"dataset", "d"}}})},
                 {"nextPageToken", "next"},
                 {"totalSize", 3}};
    res.set_content(page.dump(), "application/json");
  });
  RunResult run = Conform({"check", "--base-url", server.Url(), "--account", "acme", "--format", "json"}, WithKey("k"));
  EXPECT_EQ(run.code, 1) << run.err;
  Json report = Json::parse(run.out);
  EXPECT_EQ(CaseStatus(report, "page_walk.complete"), "failed");
  EXPECT_THAT(run.out, HasSubstr("following the server's own nextPageToken: page 2 was answered 400"));
}

TEST(CheckCommand, KeyEchoedByTheServerNeverReachesAReport) {
  // A server that puts the caller's Authorization header in its pages, its errors and its
  // page tokens: the key showed up in the actual values, curl lines and the JUnit file.
  const std::string key = "SeCrEtKeY_ZZ9q7+/=";
  testing::TestServer server([](const httplib::Request& req, httplib::Response& res) {
    std::string auth = req.get_header_value("Authorization");
    if (req.has_param("pageToken")) {
      res.status = 400;
      res.set_content("you sent: " + auth, "text/plain");
      return;
    }
    Json page = {{"dpoJobs", Json::array({{{"name", "accounts/acme/dpoJobs/j1"}, {"dataset", auth}}})},
                 {"nextPageToken", auth},
                 {"totalSize", 2}};
    res.set_content(page.dump(), "application/json");
  });
  testing::TempDir dir;
  std::string junit = (dir.path() / "report.xml").string();
  RunResult text = Conform({"check", "--base-url", server.Url(), "--account", "acme", "--junit", junit, "-v"},
                           WithKey(key));
  RunResult json = Conform({"check", "--base-url", server.Url(), "--account", "acme", "--format", "json"},
                           WithKey(key));
  EXPECT_EQ(text.code, 1) << text.err;
  std::ifstream file(junit);
  std::string xml((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  for (const std::string& out : {text.out, text.err, json.out, json.err, xml}) {
    EXPECT_EQ(out.find("SeCrEtKeY_ZZ9q7"), std::string::npos) << out.substr(0, 2000);
  }
  EXPECT_THAT(json.out, HasSubstr("[REDACTED]"));
}

TEST(CheckCommand, JunitHasOneTestcasePerCheck) {
  char path[] = "/tmp/conform-check-junit-XXXXXX";
  int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  RunResult run = Conform({"check", "--checks", "page_size", "--junit", path});
  EXPECT_EQ(run.code, 0) << run.err;
  std::ifstream file(path);
  std::string xml((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  std::remove(path);
  EXPECT_THAT(xml, AllOf(HasSubstr("name=\"page_size.default\""), HasSubstr("name=\"page_size.maximum\""),
                         HasSubstr("name=\"page_size.invalid_rejected\""), HasSubstr("name=\"page_size.respected\"")));
}

}  // namespace
}  // namespace check_command_test
}  // namespace conform::cli
