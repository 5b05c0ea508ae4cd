// `conform validate` run in-process (STYLE K4): exit codes, one clear line per bad input,
// formats, and verdicts that do not depend on the number of threads.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "cli/checks_command.h"
#include "common/utf8.h"
#include "tests/support/run_conform.h"
#include "tests/support/temp_dir.h"
#include "traffic/inputs.h"
#include "traffic/har.h"

namespace conform::cli {
namespace validate_command_test {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using conform::testing::Conform;
using conform::testing::ConformWithFullStdout;
using conform::testing::RunResult;

std::string Examples(const std::string& rest) { return std::string(CONFORM_SOURCE_DIR) + "/spec/examples/" + rest; }
std::string SpecCase(const std::string& name) {
  return std::string(CONFORM_TEST_DATA_DIR) + "/validator/specs/" + name;
}

// The one line a user sees on stderr for a tool error.
int Lines(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

TEST(ValidateCommand, ValidExamplesPassWithExitZero) {
  RunResult run = Conform({"validate", Examples("dpo_jobs/valid")});
  EXPECT_EQ(run.code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("0 failed"));
  EXPECT_EQ(run.err, "");
}

TEST(ValidateCommand, InvalidExamplesFailWithExitOne) {
  RunResult run = Conform({"validate", Examples("dpo_jobs/invalid")});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.out, AllOf(HasSubstr("FAIL"), HasSubstr("response.schema.enum"), HasSubstr("/dpoJobs/1/state")));
}

TEST(ValidateCommand, OtherSpecsAreSelectedWithSpec) {
  RunResult run = Conform({"validate", "--spec", Examples("openapi30/openapi.yaml"), Examples("openapi30/valid")});
  EXPECT_EQ(run.code, 0) << run.out << run.err;
  RunResult bad = Conform({"validate", "--spec", Examples("openapi30/openapi.yaml"), Examples("openapi30/invalid")});
  EXPECT_EQ(bad.code, 1);
  EXPECT_THAT(bad.out, HasSubstr("response.schema.write_only"));
}

TEST(ValidateCommand, StrictTurnsShouldFindingsIntoFailures) {
  std::string drift = Examples("dpo_jobs/invalid/response.schema.undeclared_property__field_not_in_spec.json");
  EXPECT_EQ(Conform({"validate", drift}).code, 0);
  RunResult strict = Conform({"validate", "--strict", drift});
  EXPECT_EQ(strict.code, 1);
  EXPECT_THAT(strict.out, HasSubstr("response.schema.undeclared_property"));
}

TEST(ValidateCommand, MissingInputIsExitThreeWithOneLine) {
  RunResult run = Conform({"validate", "/nonexistent/recording.har"});
  EXPECT_EQ(run.code, 3);
  EXPECT_THAT(run.err, HasSubstr("/nonexistent/recording.har: no such file"));
  EXPECT_EQ(Lines(run.err), 1);
}

TEST(ValidateCommand, MissingSpecIsExitThree) {
  RunResult run = Conform({"validate", "--spec", "/nonexistent/openapi.yaml", Examples("dpo_jobs/valid")});
  EXPECT_EQ(run.code, 3);
  EXPECT_THAT(run.err, HasSubstr("/nonexistent/openapi.yaml: no such file"));
}

TEST(ValidateCommand, MalformedYamlSpecIsExitTwoWithPosition) {
  RunResult run = Conform({"validate", "--spec", SpecCase("malformed.yaml"), Examples("dpo_jobs/valid")});
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, HasSubstr("malformed.yaml:11:1: malformed YAML"));
  EXPECT_EQ(Lines(run.err), 1);
}

TEST(ValidateCommand, BrokenRefIsExitTwoWithPosition) {
  RunResult run = Conform({"validate", "--spec", SpecCase("broken_ref.yaml"), Examples("dpo_jobs/valid")});
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, HasSubstr("broken_ref.yaml:12:23: broken $ref"));
}

TEST(ValidateCommand, CyclicRefIsExitTwo) {
  RunResult run = Conform({"validate", "--spec", SpecCase("cyclic_ref.yaml"), Examples("dpo_jobs/valid")});
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, HasSubstr("cyclic $ref"));
}

TEST(ValidateCommand, BodyThatIsNotJsonIsAFinding) {
  RunResult run = Conform({"validate", Examples("dpo_jobs/invalid/response.body.json__not_json.json")});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.out, HasSubstr("response.body.json"));
}

TEST(ValidateCommand, TruncatedJsonIsAFindingWithItsPosition) {
  RunResult run = Conform({"validate", Examples("dpo_jobs/invalid/response.body.json__truncated.json")});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.out, HasSubstr("unexpected end of input"));
}

TEST(ValidateCommand, InvalidUtf8IsAFinding) {
  RunResult run = Conform({"validate", Examples("dpo_jobs/invalid/response.body.json__invalid_utf8.json")});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.out, HasSubstr("UTF-8"));
}

// A HAR written by another program: Playwright 1.65 recording Debian's Chromium 156 while a
// page walked tests/independent/list_server.py (--jobs 20 --seed 3) with fetch() and four
// refusals (tests/independent/browser_session.js made it).
std::string BrowserHar() {
  return std::string(CONFORM_TEST_DATA_DIR) + "/traffic/chromium_playwright.har";
}

TEST(ValidateCommand, ABrowserRecordingOfAnotherServerPassesWithItsWalksFound) {
  RunResult run = Conform({"validate", BrowserHar()});
  EXPECT_EQ(run.code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("16 exchanges: 16 passed, 0 failed, 0 skipped"));
  EXPECT_THAT(run.out, HasSubstr("list pages: 11 in 4 walks (4 from first page to last)"));
}

// Break one page of the browser's recording: the finding's curl command must be one a user can
// paste (no "Accept-Encoding: gzip, deflate, br, zstd" printing compressed bytes, no
// Connection), and the key the browser sent in clear reaches no report.
TEST(ValidateCommand, ABrowserRecordingsFindingsReproduceWithCurlAndKeepItsKeySecret) {
  std::ifstream in(BrowserHar());
  nlohmann::json har = nlohmann::json::parse(in);
  nlohmann::json& content = har["log"]["entries"][2]["response"]["content"];
  nlohmann::json page = nlohmann::json::parse(content["text"].get<std::string>());
  page["dpoJobs"][0]["state"] = "JOB_STATE_BOGUS";
  content["text"] = page.dump();
  testing::TempDir dir;
  std::string path = dir.Write("broken.har", har.dump());
  std::string junit = (dir.path() / "junit.xml").string();
  RunResult run = Conform({"validate", path, "--junit", junit});
  EXPECT_EQ(run.code, 1) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("must  response.schema.enum  at /dpoJobs/0/state"));
  EXPECT_THAT(
      run.out,
      HasSubstr(
          "$ curl -sS 'http://127.0.0.1:44673/v1/accounts/acme/dpoJobs?pageSize=7&pageToken="));
  EXPECT_THAT(run.out, AllOf(HasSubstr("--compressed"),
                             HasSubstr("-H \"Authorization: Bearer $FIREWORKS_API_KEY\""),
                             Not(HasSubstr("Accept-Encoding")), Not(HasSubstr("Connection:"))));
  RunResult json = Conform({"validate", path, "--format", "json"});
  EXPECT_EQ(json.code, 1);
  std::ifstream junit_in(junit);
  std::string junit_text((std::istreambuf_iterator<char>(junit_in)),
                         std::istreambuf_iterator<char>());
  EXPECT_THAT(junit_text, HasSubstr("response.schema.enum"));
  for (const std::string* text : {&run.out, &run.err, &json.out, &json.err, &junit_text}) {
    EXPECT_THAT(*text, Not(HasSubstr("key-acme")));
  }
}

TEST(ValidateCommand, DeeplyNestedBodyIsAFindingNotACrash) {
  testing::TempDir dir;
  std::string path = dir.Write("deep.json", std::string(100000, '[') + std::string(100000, ']'));
  RunResult run = Conform({"validate", path});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.out, AllOf(HasSubstr("response.body.limit"), HasSubstr("nested deeper")));
}

TEST(ValidateCommand, HugeBodyIsRefusedWithOneLine) {
  testing::TempDir dir;
  // Just over the default --max-body-size (32 MiB): the raised run below parses all of it.
  std::string body = "{\"dpoJobs\": [], \"pad\": \"" + std::string(33u << 20, 'x') + "\"}";
  std::string path = dir.Write("huge.json", body);
  body.clear();
  RunResult run = Conform({"validate", path});
  EXPECT_EQ(run.code, 3);
  EXPECT_THAT(run.out, AllOf(HasSubstr("huge.json"), HasSubstr("ERROR")));
  RunResult raised = Conform({"validate", "--max-body-size", "34MiB", path});
  EXPECT_EQ(raised.code, 0) << raised.out;
}

TEST(ValidateCommand, HarEntryMissingFieldsIsNamed) {
  testing::TempDir dir;
  std::string path = dir.Write("broken.har", R"({"log": {"version": "1.2", "creator": {"name": "x", "version": "1"},
    "entries": [{"startedDateTime": "2025-01-01T00:00:00Z", "time": 1, "request": {"url": "https://x/"},
      "response": {"status": 200}, "cache": {}, "timings": {}}]}})");
  RunResult run = Conform({"validate", path});
  EXPECT_EQ(run.code, 3);
  EXPECT_THAT(run.out, AllOf(HasSubstr("broken.har"), HasSubstr("entry"), HasSubstr("method")));
}

TEST(ValidateCommand, EmptyInputIsExitThree) {
  testing::TempDir dir;
  std::string path = dir.Write("empty.jsonl", "");
  RunResult run = Conform({"validate", path});
  EXPECT_EQ(run.code, 3);
  EXPECT_THAT(run.out, HasSubstr("empty"));
}

TEST(ValidateCommand, NothingMatchingTheContractIsAConfigurationError) {
  testing::TempDir dir;
  std::string path = dir.Write("other.jsonl",
                               R"({"request": {"method": "GET", "url": "https://x/v1/models"}, "response": {"status": 200, "headers": [], "body": {}}})"
                               "\n");
  RunResult run = Conform({"validate", path});
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, HasSubstr("nothing was validated"));
}

TEST(ValidateCommand, ExchangesOfTheContractSkippedForTheirOwnReasonAreReportedNotAnError) {
  // A browser HAR of one cached response (content.size, no text) and one redirect to the same
  // list: nothing to check, but the inputs are the contract's.
  testing::TempDir dir;
  nlohmann::json entry = {
      {"startedDateTime", "2024-05-01T12:00:00.000Z"},
      {"time", 1},
      {"request", {{"method", "GET"}, {"url", "https://api.fireworks.ai/v1/accounts/acme/dpoJobs"},
                   {"httpVersion", "HTTP/1.1"}, {"headers", nlohmann::json::array()},
                   {"queryString", nlohmann::json::array()}, {"cookies", nlohmann::json::array()},
                   {"headersSize", -1}, {"bodySize", 0}}},
      {"response", {{"status", 200}, {"statusText", "OK"}, {"httpVersion", "HTTP/1.1"},
                    {"headers", {{{"name", "Content-Type"}, {"value", "application/json"}}}},
                    {"cookies", nlohmann::json::array()},
                    {"content", {{"size", 2384}, {"mimeType", "application/json"}}},
                    {"redirectURL", ""}, {"headersSize", -1}, {"bodySize", -1}}},
      {"cache", nlohmann::json::object()},
      {"timings", {{"send", 0}, {"wait", 1}, {"receive", 0}}}};
  nlohmann::json redirect = entry;
  redirect["response"]["status"] = 301;
  redirect["response"]["headers"] = {{{"name", "Location"}, {"value", "https://api.fireworks.ai/v1/accounts/acme/dpoJobs"}}};
  redirect["response"]["content"] = {{"size", 0}, {"mimeType", ""}, {"text", ""}};
  nlohmann::json har = {{"log", {{"version", "1.2"}, {"creator", {{"name", "t"}, {"version", "1"}}},
                                 {"entries", {entry, redirect}}}}};
  std::string path = dir.Write("cached.har", har.dump());
  RunResult run = Conform({"validate", path});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.out, AllOf(HasSubstr("not recorded (content.size 2384"), HasSubstr("redirect (301)"),
                             HasSubstr("2 skipped")));
}

TEST(ValidateCommand, TheSpecBesideItsRecordingsIsNotReadAsOne) {
  // openapi.json in the directory was read as a passing bare 200 body.
  testing::TempDir dir;
  nlohmann::json things = {
      {"openapi", "3.0.3"},
      {"info", {{"title", "things"}, {"version", "v1"}}},
      {"paths",
       {{"/v1/things",
         {{"get",
           {{"operationId", "ListThings"},
            {"responses",
             {{"200",
               {{"description", "ok"},
                {"content",
                 {{"application/json",
                   {{"schema", {{"type", "object"},
                                {"properties", {{"things", {{"type", "array"}}}}}}}}}}}}}}}}}}}}}};
  std::string spec = dir.Write("openapi.json", things.dump());
  dir.Write("page.jsonl",
            R"({"request": {"method": "GET", "url": "https://x/v1/things"}, "response": {"status": 200, "headers": [{"name": "Content-Type", "value": "application/json"}], "body": {"things": []}}})"
            "\n");
  RunResult run = Conform({"validate", "--spec", spec, dir.path().string()});
  EXPECT_EQ(run.code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, AllOf(HasSubstr("inputs: 1 files"), HasSubstr("checked: 1 of 1 exchanges")));
}

TEST(ValidateCommand, UnknownOptionIsUsageError) {
  RunResult run = Conform({"validate", "--frobnicate", Examples("dpo_jobs/valid")});
  EXPECT_EQ(run.code, 2);
  RunResult none = Conform({});
  EXPECT_EQ(none.code, 2);
}

TEST(ValidateCommand, BadSizeIsUsageError) {
  RunResult run = Conform({"validate", "--max-body-size", "lots", Examples("dpo_jobs/valid")});
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, HasSubstr("--max-body-size"));
}

TEST(ValidateCommand, ZeroMaxBodySizeIsUsageError) {
  RunResult run = Conform({"validate", "--max-body-size", "0", Examples("dpo_jobs/valid")});
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, HasSubstr("--max-body-size: '0' is too small"));
  EXPECT_EQ(Lines(run.err), 1);
}

TEST(ValidateCommand, LargestMaxBodySizeStillReadsBase64HarBodies) {
  RunResult run = Conform(
      {"validate", "--max-body-size", "18446744073709551615", Examples("dpo_jobs/valid/browser_session.har")});
  EXPECT_EQ(run.code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, Not(HasSubstr("over the limit")));
}

// A recorded 500 whose status is a string must not be checked, and pass, as a bare 200 body.
TEST(ValidateCommand, MalformedExchangeRecordIsAnErrorNotABareBody) {
  testing::TempDir dir;
  std::string path = dir.Write(
      "errors.jsonl",
      R"({"request":{"method":"GET","url":"http://x/v1/accounts/a/dpoJobs"},"response":{"status":"500","headers":{"Content-Type":"text/html"},"body":"<html>oops</html>"}})"
      "\n");
  RunResult run = Conform({"validate", path});
  EXPECT_EQ(run.code, 3) << run.out;
  EXPECT_THAT(run.out, HasSubstr("errors.jsonl:1: response.status is not an integer"));
}

TEST(ValidateCommand, JsonFormatIsMachineReadable) {
  RunResult run = Conform({"validate", "--format", "json", Examples("dpo_jobs/invalid")});
  EXPECT_EQ(run.code, 1);
  nlohmann::json report = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << run.out;
  EXPECT_EQ(report["command"], "validate");
  EXPECT_EQ(report["exit_code"], 1);
  EXPECT_GT(report["summary"]["failed"].get<int>(), 10);
  bool saw_enum = false;
  for (const auto& c : report["cases"]) {
    for (const auto& f : c["findings"]) {
      saw_enum = saw_enum || (f["check_id"] == "response.schema.enum" && f["json_pointer"] == "/dpoJobs/1/state");
    }
  }
  EXPECT_TRUE(saw_enum);
}

TEST(ValidateCommand, CurlLinesUseTheServerVariablesDefaults) {
  testing::TempDir dir;
  std::string path = dir.Write(
      "thing.jsonl",
      R"({"request": {"method": "GET", "url": "/v1/things/7"}, "response": {"status": 200, "headers": [{"name": "Content-Type", "value": "application/json"}], "body": {"name": 5}}})"
      "\n");
  RunResult run =
      Conform({"validate", "--format", "json", "--spec", SpecCase("server_variables.yaml"), path});
  EXPECT_EQ(run.code, 1) << run.out << run.err;
  nlohmann::json report = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << run.out;
  std::string curl;
  for (const auto& c : report["cases"]) {
    for (const auto& f : c["findings"]) {
      if (f.contains("curl")) {
        curl += f["curl"].dump();
      }
    }
  }
  EXPECT_THAT(curl, AllOf(HasSubstr("https://eu.api.example.com/api/v2/v1/things/7"),
                          Not(HasSubstr("{region}"))));
}

// The report names a few operations; a spec of a thousand (GitHub's) is not one long line.
TEST(ValidateCommand, ALargeSpecIsNamedByItsOperationCount) {
  testing::TempDir dir;
  std::string spec = "openapi: 3.0.3\ninfo: {title: many, version: '1'}\npaths:\n";
  for (int i = 0; i < 40; ++i) {
    spec += "  /things" + std::to_string(i) + ":\n    get:\n      operationId: GetThing" +
            std::to_string(i) + "\n      responses: {'200': {description: ok}}\n";
  }
  std::string spec_path = dir.Write("many.yaml", spec);
  std::string path =
      dir.Write("thing.jsonl",
                R"({"request": {"method": "GET", "url": "/things3"}, "response": {"status": 200}})"
                "\n");
  RunResult run = Conform({"validate", "--format", "json", "--spec", spec_path, path});
  EXPECT_EQ(run.code, 0) << run.out << run.err;
  nlohmann::json report = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << run.out;
  const std::string subject = report["subject"].get<std::string>();
  EXPECT_THAT(subject, AllOf(::testing::StartsWith("40 operations (GetThing"),
                             ::testing::EndsWith(", ...) from " + spec_path)));
  size_t named = 0;
  for (size_t at = subject.find("GetThing"); at != std::string::npos;
       at = subject.find("GetThing", at + 1)) {
    ++named;
  }
  EXPECT_EQ(named, 5u) << subject;
}

TEST(ValidateCommand, VerdictsDoNotDependOnThreads) {
  auto strip = [](std::string json_text) {
    nlohmann::json report = nlohmann::json::parse(json_text);
    report.erase("stats");
    return report.dump();
  };
  RunResult one = Conform({"validate", "--format", "json", "-j", "1", Examples("dpo_jobs")});
  RunResult two = Conform({"validate", "--format", "json", "-j", "2", Examples("dpo_jobs")});
  RunResult many = Conform({"validate", "--format", "json", "-j", "7", Examples("dpo_jobs")});
  EXPECT_EQ(strip(one.out), strip(two.out));
  EXPECT_EQ(strip(one.out), strip(many.out));
}

TEST(ValidateCommand, JunitFileListsEveryExchange) {
  testing::TempDir dir;
  std::string junit = (dir.path() / "report.xml").string();
  RunResult run = Conform({"validate", "--junit", junit, Examples("dpo_jobs")});
  EXPECT_EQ(run.code, 1);
  std::ifstream file(junit);
  std::string xml((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_THAT(xml, AllOf(HasSubstr("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), HasSubstr("<testsuites"),
                         HasSubstr("<testcase classname=\"conform.validate\""),
                         HasSubstr("<failure type=\"response.schema.enum\"")));
  EXPECT_EQ(std::count(xml.begin(), xml.end(), '<') - std::count(xml.begin(), xml.end(), '>'), 0);
}

TEST(ValidateCommand, ASpecThatCannotBeLoadedStillGivesAJunitError) {
  testing::TempDir dir;
  std::string spec = (dir.path() / "openapi.yaml").string();
  std::ofstream(spec) << "openapi: 3.0.3\npaths: [not, a, map]\n";
  std::string junit = (dir.path() / "report.xml").string();
  RunResult run = Conform({"validate", "--spec", spec, "--junit", junit, Examples("dpo_jobs/valid")});
  EXPECT_EQ(run.code, 2) << run.err;
  std::ifstream file(junit);
  std::string xml((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_THAT(xml, AllOf(HasSubstr("name=\"conform validate\""), HasSubstr("<error type=\"stopped\""),
                         HasSubstr("openapi.yaml")));
}

TEST(ValidateCommand, BodyWithInvalidUtf8KeepsTheJunitFileWellFormed) {
  testing::TempDir dir;
  std::string body = (dir.path() / "body.json").string();
  std::ofstream(body, std::ios::binary)
      << "{\"dpoJobs\":[{\"name\":\"accounts/a/dpoJobs/x\xFF\xFE\x1B[2J\"}],\"nextPageToken\":\"\"}";
  std::string junit = (dir.path() / "report.xml").string();
  RunResult run = Conform({"validate", "--junit", junit, body});
  EXPECT_EQ(run.code, 1);
  std::ifstream file(junit, std::ios::binary);
  std::string xml((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_THAT(xml, HasSubstr("<failure type=\"response.body.json\""));
  for (const std::string& out : {xml, run.out}) {
    EXPECT_TRUE(IsValidUtf8(out));
    EXPECT_EQ(out.find('\x1B'), std::string::npos);
    EXPECT_THAT(out, HasSubstr("\\xff"));
  }
}

TEST(ValidateCommand, AKilledRecordersCassetteIsRecovered) {
  // What `conform record` leaves when killed: complete entries, then a torn one, no "]}}".
  auto valid = traffic::ReadInput(Examples("dpo_jobs/valid/first_page.json"), traffic::InputFormat::kAuto, {});
  ASSERT_TRUE(valid.ok());
  traffic::Exchange exchange = valid->front();
  exchange.request = {.method = "GET", .url = "http://127.0.0.1:8080/v1/accounts/acme/dpoJobs"};
  exchange.response.status = 200;
  exchange.response.headers = {{"Content-Type", "application/json"}};
  std::string torn = traffic::HarStreamPrefix({.name = "conform", .version = "0.1.0"}) +
                     traffic::HarStreamEntry(exchange, 0) + traffic::HarStreamEntry(exchange, 1);
  std::string third = traffic::HarStreamEntry(exchange, 2);
  torn += third.substr(0, third.size() / 2);
  testing::TempDir dir;
  std::string path = (dir.path() / "killed.har").string();
  std::ofstream(path, std::ios::binary) << torn;
  RunResult run = Conform({"validate", "--format", "json", path});
  EXPECT_EQ(run.code, 0) << run.out << run.err;
  nlohmann::json report = nlohmann::json::parse(run.out);
  EXPECT_EQ(report["summary"]["cases"], 2);
  EXPECT_EQ(report["summary"]["unreadable"], 0);
}

TEST(ValidateCommand, UnwritableJunitIsExitThree) {
  RunResult run = Conform({"validate", "--junit", "/nonexistent/dir/report.xml", Examples("dpo_jobs/valid")});
  EXPECT_EQ(run.code, 3);
  EXPECT_THAT(run.err, HasSubstr("report.xml"));
}

TEST(ValidateCommand, JunitThroughASymlinkWritesItsTarget) {
  testing::TempDir dir;
  std::string target = dir.Write("real.xml", "stale");
  std::filesystem::path link = dir.path() / "report.xml";
  std::filesystem::create_symlink(target, link);
  RunResult run = Conform({"validate", "--junit", link.string(), Examples("dpo_jobs/valid")});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  std::ifstream file(target);
  std::string xml((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_THAT(xml, HasSubstr("<testsuites"));
}

// A FIFO stands for a device (/dev/stdout): a rename would put a regular file in its place.
// The reader opens first, non-blocking, so neither end waits and the XML sits in the pipe.
TEST(ValidateCommand, JunitIntoAFifoIsWrittenInPlace) {
  testing::TempDir dir;
  std::string fifo = (dir.path() / "report.xml").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  RunResult run = Conform({"validate", "--junit", fifo, Examples("dpo_jobs/valid")});
  std::string xml;
  char buffer[4096];
  for (ssize_t n; (n = ::read(reader, buffer, sizeof buffer)) > 0;) {
    xml.append(buffer, static_cast<size_t>(n));
  }
  ::close(reader);
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_TRUE(std::filesystem::is_fifo(fifo));
  EXPECT_THAT(xml, HasSubstr("<testsuites"));
}

TEST(ValidateCommand, ReportLostOnStdoutIsExitThree) {
  RunResult run = ConformWithFullStdout({"validate", Examples("dpo_jobs/valid")});
  EXPECT_EQ(run.code, 3);
  EXPECT_THAT(run.err, HasSubstr("conform: cannot write the report to standard output: "));
  EXPECT_EQ(Lines(run.err), 1);
}

TEST(ValidateCommand, ColourOnlyOnATerminalAndNeverWithNoColor) {
  std::string input = Examples("dpo_jobs/invalid/response.schema.enum__unknown_state.json");
  Environment tty;
  tty.stdout_is_tty = true;
  EXPECT_THAT(Conform({"validate", input}, tty).out, HasSubstr("\033["));
  EXPECT_THAT(Conform({"validate", input}).out, Not(HasSubstr("\033[")));
  Environment no_color = tty;
  no_color.getenv = [](const std::string& name) -> std::optional<std::string> {
    return name == "NO_COLOR" ? std::optional<std::string>("1") : std::nullopt;
  };
  EXPECT_THAT(Conform({"validate", input}, no_color).out, Not(HasSubstr("\033[")));
}

TEST(ChecksCommand, TableLostOnStdoutIsExitThree) {
  RunResult run = ConformWithFullStdout({"checks"});
  EXPECT_EQ(run.code, 3);
  EXPECT_THAT(run.err, HasSubstr("conform: cannot write the report to standard output: "));
  EXPECT_EQ(Lines(run.err), 1);
}

TEST(ChecksCommand, DocsTableIsTheCommandsOutput) {
  std::ifstream file(std::string(CONFORM_SOURCE_DIR) + "/docs/checks.md");
  std::string docs((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  std::string table = ChecksTable(ChecksFormat::kMarkdown);
  EXPECT_NE(docs.find(table), std::string::npos)
      << "docs/checks.md is out of date: regenerate its table with `conform checks --format markdown`";
}

}  // namespace
}  // namespace validate_command_test
}  // namespace conform::cli
