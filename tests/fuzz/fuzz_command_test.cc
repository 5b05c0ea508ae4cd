// `conform fuzz` in-process (STYLE K4): the embedded default, a fault found and reproduced,
// reports, progress, usage errors and an unreachable target.
#include "cli/fuzz_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>
#include <vector>

#include "cli/app.h"
#include "tests/support/run_conform.h"
#include "tests/support/test_server.h"

namespace conform::cli {
namespace fuzz_command_test {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;
using conform::testing::Conform;
using conform::testing::RunResult;

// Splits a printed reproduction line into argv (single-quoted words as ShellQuote writes them).
std::vector<std::string> Words(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false;
  bool any = false;
  for (char c : line) {
    if (c == '\'') {
      quoted = !quoted;
      any = true;
    } else if (c == ' ' && !quoted) {
      if (any) {
        words.push_back(word);
      }
      word.clear();
      any = false;
    } else {
      word.push_back(c);
      any = true;
    }
  }
  if (any) {
    words.push_back(word);
  }
  return words;
}

TEST(FuzzCommand, EmbeddedReferenceServerPasses) {
  RunResult run = Conform({"fuzz", "--runs", "5", "--embedded-jobs", "40", "--format", "json"});
  ASSERT_EQ(run.code, 0) << run.out << run.err;
  Json report = Json::parse(run.out);
  EXPECT_EQ(report["command"], "fuzz");
  EXPECT_EQ(report["summary"]["failed"], 0);
  EXPECT_EQ(report["summary"]["cases"], 10);
  EXPECT_EQ(report["summary"]["skipped"], 0);
  EXPECT_EQ(report["stats"]["seed"], "1");
  for (const Json& c : report["cases"]) {
    EXPECT_GT(c.value("requests", 0), 0) << c["name"];
  }
}

TEST(FuzzCommand, AFaultFailsShrunkWithAReproductionAndCurl) {
  RunResult run = Conform({"fuzz", "--embedded-fault", "desc-ignored", "--property",
                           "order_holds_across_pages", "--embedded-jobs", "60"});
  EXPECT_EQ(run.code, 1) << run.err;
  EXPECT_THAT(
      run.out,
      AllOf(HasSubstr("FAIL  order_holds_across_pages"), HasSubstr("shrunk"), HasSubstr("desc"),
            HasSubstr("$ curl -sS"), HasSubstr("$CONFORM_EMBEDDED_KEY"),
            HasSubstr(
                "reproduce order_holds_across_pages: conform fuzz --seed 1 --property "
                "order_holds_across_pages --embedded-fault 'desc-ignored' --embedded-jobs 60")));
  EXPECT_THAT(run.out, Not(HasSubstr("acme-key"))) << "the key is never printed";
}

TEST(FuzzCommand, TheReproductionLineFindsTheSameShrunkCase) {
  RunResult run = Conform({"fuzz", "--embedded-fault", "page-drops-item", "--property",
                           "walk_matches_reference", "--embedded-jobs", "30", "--format", "json",
                           "--seed", "5"});
  ASSERT_EQ(run.code, 1) << run.err;
  Json report = Json::parse(run.out);
  std::string line = report["stats"]["reproduce walk_matches_reference"];
  std::vector<std::string> args = Words(line);
  ASSERT_GE(args.size(), 2u);
  EXPECT_EQ(args[0], "conform");
  args.erase(args.begin());
  args.push_back("--format");
  args.push_back("json");
  RunResult again = Conform(args);
  ASSERT_EQ(again.code, 1) << again.err;
  Json second = Json::parse(again.out);
  // The same case after the same requests, shrunk the same way (only the seconds differ).
  auto without_seconds = [](const Json& note) {
    std::string text = note.get<std::string>();
    size_t open = text.find(" (");
    size_t close = text.find(" s)", open);
    return open == std::string::npos || close == std::string::npos
               ? text
               : text.erase(open, close + 3 - open);
  };
  EXPECT_EQ(without_seconds(second["cases"][0]["note"]),
            without_seconds(report["cases"][0]["note"]));
  EXPECT_THAT(second["cases"][0]["note"].get<std::string>(), HasSubstr("shrunk"));
}

TEST(FuzzCommand, JunitHasOneTestcasePerProperty) {
  char path[] = "/tmp/conform-fuzz-junit-XXXXXX";
  int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  RunResult run = Conform({"fuzz", "--runs", "3", "--embedded-jobs", "20", "--property",
                           "walk_matches_reference,auth_required", "--junit", path});
  EXPECT_EQ(run.code, 0) << run.err;
  std::ifstream file(path);
  std::string xml((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  std::remove(path);
  EXPECT_THAT(xml, AllOf(HasSubstr("name=\"walk_matches_reference\""),
                         HasSubstr("name=\"auth_required\""), HasSubstr("conform fuzz")));
}

TEST(FuzzCommand, ProgressRewritesOneLineOnATerminalOnly) {
  Environment tty;
  tty.stderr_is_tty = true;
  RunResult on_tty =
      Conform({"fuzz", "--runs", "2", "--embedded-jobs", "10", "--property", "auth_required"}, tty);
  EXPECT_EQ(on_tty.code, 0);
  EXPECT_THAT(on_tty.err, HasSubstr("\r\033[K"));
  RunResult piped =
      Conform({"fuzz", "--runs", "2", "--embedded-jobs", "10", "--property", "auth_required"});
  EXPECT_EQ(piped.code, 0);
  EXPECT_THAT(piped.err, Not(HasSubstr("\r")));
  EXPECT_THAT(piped.err, HasSubstr("[1/1] auth_required: done, 2 cases"));
}

TEST(FuzzCommand, ListPropertiesNamesEveryProperty) {
  RunResult run = Conform({"fuzz", "--list-properties"});
  EXPECT_EQ(run.code, 0);
  EXPECT_THAT(run.out, AllOf(HasSubstr("`walk_matches_reference`"),
                             HasSubstr("`pagination_under_churn`"), HasSubstr("token.binding")));
}

TEST(FuzzCommand, ReportLostOnStdoutIsExitThree) {
  RunResult run = conform::testing::ConformWithFullStdout(
      {"fuzz", "--runs", "1", "--embedded-jobs", "10", "--property", "auth_required"});
  EXPECT_EQ(run.code, 3);
  EXPECT_THAT(run.err, HasSubstr("conform: cannot write the report to standard output: "));
}

TEST(FuzzCommand, PropertyListLostOnStdoutIsExitThree) {
  RunResult run = conform::testing::ConformWithFullStdout({"fuzz", "--list-properties"});
  EXPECT_EQ(run.code, 3);
  EXPECT_EQ(run.err, "conform: cannot write the report to standard output: write error\n");
}

TEST(FuzzCommand, UsageErrorsAreExitTwo) {
  RunResult unknown = Conform({"fuzz", "--property", "walk_matches_referenc"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("no property 'walk_matches_referenc'"));
  RunResult duration = Conform({"fuzz", "--duration", "soon"});
  EXPECT_EQ(duration.code, 2);
  EXPECT_THAT(duration.err, HasSubstr("--duration"));
  RunResult runs = Conform({"fuzz", "--runs", "0"});
  EXPECT_EQ(runs.code, 2);
}

// A usage error: exit 2, nothing on stdout, one line on stderr naming fuzz's help.
void ExpectUsageError(const RunResult& run, const std::string& says) {
  EXPECT_EQ(run.code, 2) << says << ": " << run.err;
  EXPECT_EQ(run.out, "") << says;
  EXPECT_TRUE(run.err.starts_with("conform: ")) << run.err;
  EXPECT_THAT(run.err, HasSubstr(says));
  EXPECT_THAT(run.err, HasSubstr("(see conform fuzz --help)\n"));
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
}

TEST(FuzzCommand, ASeedOutsideZeroToTwoToTheSixtyFourIsAUsageError) {
  // Each became seed 18446744073709551615 without a word.
  for (const std::string seed :
       {"-1", "99999999999999999999999", "18446744073709551616", "", "1.5", "0x10", "seven"}) {
    ExpectUsageError(Conform({"fuzz", "--seed", seed}),
                     "--seed: '" + seed +
                         "' is not a seed: expected a whole number from 0 to 18446744073709551615");
  }
  // The ends of the range, and decimal even with a leading zero (CLI11 alone reads "010" as 8).
  for (const auto& [seed, used] : std::vector<std::pair<std::string, std::string>>{
           {"18446744073709551615", "18446744073709551615"}, {"0", "0"}, {"010", "10"}}) {
    RunResult run = Conform({"fuzz", "--seed", seed, "--runs", "1", "--embedded-jobs", "5",
                             "--property", "auth_required", "--format", "json"});
    ASSERT_EQ(run.code, 0) << run.err;
    EXPECT_EQ(Json::parse(run.out)["stats"]["seed"], used);
  }
}

TEST(FuzzCommand, AnEmptyOrMalformedDurationIsAUsageError) {
  // --duration '' ran without a time budget.
  for (const std::string duration : {"", " ", "5 s", "1.2.3s", "0", "0.1ms", "nan", "1e3", "2w"}) {
    ExpectUsageError(Conform({"fuzz", "--duration", duration}), "--duration: ");
  }
  ExpectUsageError(Conform({"fuzz", "--duration", ""}),
                   "--duration: '' is not a positive duration");
  RunResult timed = Conform({"fuzz", "--duration", "1ms", "--runs", "1", "--embedded-jobs", "5",
                             "--property", "auth_required"});
  EXPECT_EQ(timed.code, 0) << timed.err;
}

TEST(FuzzCommand, ADefaultPageSizeAboveTheMaximumIsAUsageError) {
  // Was accepted, then reported findings against a correct server.
  ExpectUsageError(Conform({"fuzz", "--max-page-size", "1", "--default-page-size", "2"}),
                   "--default-page-size: 2 is above --max-page-size 1");
  // Not given, the maximum is what the spec states (the seed: 200): refused before any request.
  RunResult above_spec = Conform({"fuzz", "--default-page-size", "201"});
  EXPECT_EQ(above_spec.code, 2) << above_spec.err;
  EXPECT_THAT(above_spec.err,
              ::testing::HasSubstr("--default-page-size 201 is above the largest page "
                                   "ListDpoJobs allows, 200"));
  ExpectUsageError(Conform({"fuzz", "--max-page-size", "0"}), "--max-page-size");
  ExpectUsageError(Conform({"fuzz", "--default-page-size", "-1"}), "--default-page-size");
}

TEST(FuzzCommand, ABadRateIsAUsageErrorNamingTheOptionAndTheValue) {
  for (const std::string rate : {"nan", "inf", "-0.5", "1e-9"}) {
    RunResult run = Conform({"fuzz", "--rate", rate});
    ExpectUsageError(run, "--rate: '" + rate + "' is not a rate");
    EXPECT_THAT(run.err, Not(HasSubstr("127.0.0.1")));
  }
  ExpectUsageError(Conform({"fuzz", "--base-url", "http://[::1", "--account", "a"}),
                   "--base-url: 'http://[::1' is not a base URL");
}

TEST(FuzzCommand, APasswordInTheBaseUrlNeverReachesAnOutput) {
  // An HTML server fails properties: the subject, curl lines and reproduction lines print the
  // base URL; an unreachable one prints it in the error.
  testing::TestServer html([](const httplib::Request&, httplib::Response& res) {
    res.set_content("<html>nginx</html>", "text/html");
  });
  Environment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    return name == "FIREWORKS_API_KEY" ? std::optional<std::string>("k") : std::nullopt;
  };
  const std::string live =
      "http://user:SUPERSECRETKEY123@127.0.0.1:" + std::to_string(html.Port()) + "/";
  const std::string closed =
      "http://user:SUPERSECRETKEY123@127.0.0.1:" + std::to_string(testing::ClosedPort());
  std::vector<std::string> outputs;
  const std::string malformed = "http://user:SUPERSECRETKEY123@host:x";
  for (const std::string& url : {live, closed, malformed}) {
    for (const std::string format : {"text", "json"}) {
      RunResult run = Conform({"fuzz", "--base-url", url, "--account", "acme", "--retries", "0",
                               "--runs", "2", "--max-requests", "200", "--property",
                               "walk_matches_reference,auth_required", "--format", format},
                              env);
      EXPECT_NE(run.code, 0);
      EXPECT_NE(run.code, 4) << run.err;
      EXPECT_THAT(run.out + run.err, Not(HasSubstr("SUPERSECRETKEY123"))) << url << " " << format;
      outputs.push_back(run.out + run.err);
    }
  }
  EXPECT_THAT(outputs[0], AllOf(HasSubstr("at http://REDACTED@127.0.0.1:"),
                                HasSubstr("--base-url 'http://REDACTED@127.0.0.1:")));
  EXPECT_THAT(outputs[3], HasSubstr("cannot reach http://REDACTED@127.0.0.1:"));
  EXPECT_THAT(outputs[4], HasSubstr("'http://REDACTED@host:x' is not a base URL"));
}

TEST(FuzzCommand, ParsesDurations) {
  EXPECT_EQ(*ParseFuzzDuration("90s"), std::chrono::milliseconds(90000));
  EXPECT_EQ(*ParseFuzzDuration("2m"), std::chrono::milliseconds(120000));
  EXPECT_EQ(*ParseFuzzDuration("500ms"), std::chrono::milliseconds(500));
  EXPECT_EQ(*ParseFuzzDuration("1.5"), std::chrono::milliseconds(1500));
  EXPECT_FALSE(ParseFuzzDuration("-1s").ok());
  EXPECT_FALSE(ParseFuzzDuration("5 parsecs").ok());
  EXPECT_FALSE(ParseFuzzDuration("").ok());
  EXPECT_FALSE(ParseFuzzDuration("0.5ms").ok()) << "would be a budget of 0 ms";
}

TEST(FuzzCommand, AFirstPageOverTheLimitStopsTheRunNamingTheOption) {
  RunResult run = Conform({"fuzz", "--max-body-size", "1KiB", "--runs", "1"});
  EXPECT_EQ(run.code, 3);
  EXPECT_THAT(run.err, HasSubstr("cannot read the first page from http://127.0.0.1:"));
  EXPECT_THAT(run.err, HasSubstr("raise --max-body-size to fuzz this server"));
}

TEST(FuzzCommand, UnreachableTargetIsExitThree) {
  int closed_port = 0;
  {
    testing::TestServer server([](const httplib::Request&, httplib::Response&) {});
    closed_port = server.Port();
  }
  Environment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    return name == "FIREWORKS_API_KEY" ? std::optional<std::string>("k") : std::nullopt;
  };
  RunResult run = Conform({"fuzz", "--base-url", "http://127.0.0.1:" + std::to_string(closed_port),
                           "--account", "acme", "--retries", "0", "--timeout", "2000"},
                          env);
  EXPECT_EQ(run.code, 3);
  EXPECT_THAT(run.err, HasSubstr("cannot reach"));
  // With --format json the stopped run is still a report CI can read.
  RunResult json = Conform({"fuzz", "--base-url", "http://127.0.0.1:" + std::to_string(closed_port),
                            "--account", "acme", "--retries", "0", "--timeout", "2000", "--format",
                            "json"},
                           env);
  EXPECT_EQ(json.code, 3);
  nlohmann::json report = nlohmann::json::parse(json.out);
  EXPECT_EQ(report["command"], "fuzz");
  EXPECT_EQ(report["exit_code"], 3);
  EXPECT_EQ(report["stopped"], true);
  EXPECT_THAT(report["errors"][0].get<std::string>(), HasSubstr("cannot reach"));
}

}  // namespace
}  // namespace fuzz_command_test
}  // namespace conform::cli
