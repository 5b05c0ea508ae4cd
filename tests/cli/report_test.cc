#include "cli/report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sstream>

#include "common/utf8.h"

namespace conform::cli {
namespace report_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using validator::Finding;
using validator::MakeFinding;

Report OneCase(std::vector<Finding> findings) {
  Report report;
  report.command = "check";
  report.subject = "test";
  report.cases.push_back({.name = "case", .findings = std::move(findings)});
  return report;
}

TEST(Report, MustFindingsFailAndShouldOnlyWithStrict) {
  Report must = OneCase({MakeFinding("response.schema.enum", "bad")});
  EXPECT_EQ(ExitCodeFor(must), kExitFindings);
  Report should = OneCase({MakeFinding("secrets.credential_in_clear", "key in clear")});
  EXPECT_EQ(ExitCodeFor(should), kExitOk);
  should.strict = true;
  EXPECT_EQ(ExitCodeFor(should), kExitFindings);
  Report clean = OneCase({});
  EXPECT_EQ(ExitCodeFor(clean), kExitOk);
}

TEST(Report, UnreadableInputsWinOverFindings) {
  Report report = OneCase({MakeFinding("response.schema.enum", "bad")});
  report.errors.push_back("x.har: no such file");
  EXPECT_EQ(ExitCodeFor(report), kExitUnreachable);
}

TEST(Report, CurlCommandsNeverCarryTheKey) {
  Finding finding = MakeFinding("response.schema.enum", "bad");
  finding.requests.push_back({.method = "GET",
                              .url = "/v1/accounts/a/dpoJobs?pageSize=5",
                              .headers = {{"Authorization", "Bearer sk-live-SECRET"}}});
  Report report = OneCase({finding});
  report.base_url = "http://127.0.0.1:9";
  std::ostringstream text;
  WriteText(report, text, {});
  std::ostringstream json;
  WriteJson(report, json);
  std::string xml = JunitXml(report);
  for (const std::string& output : {text.str(), json.str(), xml}) {
    EXPECT_THAT(output, Not(HasSubstr("sk-live-SECRET")));
    EXPECT_THAT(output, HasSubstr("$FIREWORKS_API_KEY"));
  }
  EXPECT_THAT(text.str(), HasSubstr("http://127.0.0.1:9/v1/accounts/a/dpoJobs?pageSize=5"));
}

TEST(Report, JunitEscapesMarkupAndControlCharacters) {
  Finding finding = MakeFinding("response.schema.enum", "value \"<b>&</b>\" \x01 bad");
  Report report = OneCase({finding});
  std::string xml = JunitXml(report);
  EXPECT_THAT(xml, HasSubstr("&quot;&lt;b&gt;&amp;&lt;/b&gt;&quot;"));
  EXPECT_THAT(xml, Not(HasSubstr("\x01")));
  EXPECT_THAT(xml, HasSubstr("failures=\"1\""));
}

TEST(Report, SkippedCasesAreSkippedInJunit) {
  Report report;
  report.command = "check";
  report.cases.push_back({.name = "auth.account_isolation", .skipped = true, .note = "no --other-account"});
  std::string xml = JunitXml(report);
  EXPECT_THAT(xml, HasSubstr("<skipped message=\"no --other-account\"/>"));
  EXPECT_THAT(xml, HasSubstr("skipped=\"1\""));
}

TEST(Report, TextShowsAFewFindingsPerCheckUnlessVerbose) {
  std::vector<Finding> many;
  for (int i = 0; i < 12; ++i) {
    Finding finding = MakeFinding("response.schema.enum", "bad " + std::to_string(i));
    many.push_back(finding);
  }
  Report report = OneCase(many);
  std::ostringstream brief;
  WriteText(report, brief, {});
  EXPECT_THAT(brief.str(), HasSubstr("... and 7 more response.schema.enum findings"));
  EXPECT_THAT(brief.str(), Not(HasSubstr("bad 11")));
  std::ostringstream verbose;
  WriteText(report, verbose, {.verbose = true});
  EXPECT_THAT(verbose.str(), HasSubstr("bad 11"));
}

TEST(Report, JsonCarriesCountsAndExitCode) {
  Report report = OneCase({MakeFinding("response.schema.enum", "bad")});
  std::ostringstream out;
  WriteJson(report, out);
  nlohmann::json json = nlohmann::json::parse(out.str());
  EXPECT_EQ(json["exit_code"], 1);
  EXPECT_EQ(json["summary"]["failed"], 1);
  EXPECT_EQ(json["summary"]["must"], 1);
  EXPECT_EQ(json["cases"][0]["findings"][0]["check_id"], "response.schema.enum");
}


// A server's text (a parse error quoting its bytes, a value) reaches every report: the JUnit
// file must stay well-formed XML for the CI system and the terminal must not obey it.
TEST(Report, ServerTextWithBadBytesAndControlsStaysPrintable) {
  Finding finding = MakeFinding("response.body.json", "last read: '\"x\xFF\xFE'\x1B[2J\nPASS  forged");
  finding.actual = "\x01\xC2\x9B" "31mred";
  Report report = OneCase({finding});
  report.cases[0].name = "entry \x1B]0;title\x07";
  report.errors.push_back("bad.har: \xFF");
  std::ostringstream text;
  WriteText(report, text, {.color = false});
  std::string xml = JunitXml(report);
  for (const std::string& out : {text.str(), xml}) {
    EXPECT_TRUE(IsValidUtf8(out));
    for (char c : out) {
      auto u = static_cast<unsigned char>(c);
      EXPECT_TRUE(u >= 0x20 || c == '\n') << "control byte " << static_cast<int>(u);
    }
    EXPECT_THAT(out, HasSubstr("x\\xff\\xfe"));
    EXPECT_THAT(out, HasSubstr("\\x1b[2J\\x0aPASS  forged"));
    EXPECT_THAT(out, HasSubstr("\\u009b31mred"));
  }
  EXPECT_THAT(text.str(), Not(HasSubstr("\nPASS  forged")));
}

TEST(Report, RedactSecretsReplacesKeysPlainAndPercentEncoded) {
  Finding finding = MakeFinding("response.schema.type", "body says Bearer abcdefgh/12345");
  finding.actual = "\"abcdefgh/12345\"";
  finding.requests.push_back({.method = "GET",
                              .url = "/v1/x?pageToken=Bearer%20abcdefgh%2F12345",
                              .headers = {{"X-Echo", "abcdefgh/12345"}}});
  Report report = OneCase({finding});
  report.secrets = {"abcdefgh/12345", "short"};
  report.cases[0].note = "short stays: too short to tell from text";
  RedactSecrets(report);
  const Finding& scrubbed = report.cases[0].findings[0];
  EXPECT_EQ(scrubbed.message, "body says Bearer [REDACTED]");
  EXPECT_EQ(scrubbed.actual, "\"[REDACTED]\"");
  EXPECT_EQ(scrubbed.requests[0].url, "/v1/x?pageToken=Bearer%20[REDACTED]");
  EXPECT_EQ(scrubbed.requests[0].headers[0].value, "[REDACTED]");
  EXPECT_EQ(report.cases[0].note, "short stays: too short to tell from text");
}

}  // namespace
}  // namespace report_test
}  // namespace conform::cli
