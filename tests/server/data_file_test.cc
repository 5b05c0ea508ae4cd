// Jobs from a file: JSON arrays and JSON Lines, and errors that name file:line.
#include "server/data_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/generator.h"
#include "tests/support/result_matchers.h"

namespace conform::server {
namespace data_file_test {
namespace {

using Json = nlohmann::json;
using ::testing::AllOf;
using ::testing::HasSubstr;

const ServedContract& Served() {
  static auto served = EmbeddedServedContract();
  CONFORM_CHECK(served.ok());
  return **served;
}

std::string Job(const std::string& id, const std::string& extra = "") {
  return R"({"name": "accounts/acme/dpoJobs/)" + id + R"(", "dataset": "d")" + extra + "}";
}

TEST(ParseJobs, ReadsAJsonArray) {
  std::string text = "[\n  " + Job("a") + ",\n  " + Job("b") + "\n]\n";
  auto jobs = ParseJobs(text, "jobs.json", Served());
  ASSERT_THAT(jobs, IsOk());
  EXPECT_EQ(jobs->size(), 2u);
}

TEST(ParseJobs, ReadsJsonLinesWithBlankLines) {
  std::string text = Job("a") + "\n\n" + Job("b") + "\r\n";
  auto jobs = ParseJobs(text, "jobs.jsonl", Served());
  ASSERT_THAT(jobs, IsOk());
  EXPECT_EQ(jobs->size(), 2u);
}

TEST(ParseJobs, ReadsGeneratedJobsBack) {
  std::string text;
  for (const Json& job : GenerateJobs("acme", 30, 1)) {
    text += job.dump() + "\n";
  }
  auto jobs = ParseJobs(text, "jobs.jsonl", Served());
  ASSERT_THAT(jobs, IsOk());
  EXPECT_EQ(jobs->size(), 30u);
}

TEST(ParseJobs, NamesTheLineOfASchemaViolationInAnArray) {
  std::string text = "[\n" + Job("a") + ",\n" + Job("b") + ",\n" +
                     Job("c", R"(, "trainingConfig": {"epochs": "three"})") + "\n]";
  EXPECT_THAT(ParseJobs(text, "jobs.json", Served()),
              ErrorIs(ErrorCode::kInvalidArgument,
                      AllOf(HasSubstr("jobs.json:4:"), HasSubstr("/trainingConfig/epochs"),
                            HasSubstr("accounts/acme/dpoJobs/c"))));
}

TEST(ParseJobs, NamesTheLineOfAViolationInJsonLines) {
  std::string text = Job("a") + "\n" + Job("b", R"(, "state": "PAUSED")") + "\n";
  EXPECT_THAT(
      ParseJobs(text, "jobs.jsonl", Served()),
      ErrorIs(ErrorCode::kInvalidArgument, AllOf(HasSubstr("jobs.jsonl:2:"), HasSubstr("/state"))));
}

TEST(ParseJobs, RejectsAMissingRequiredDataset) {
  EXPECT_THAT(
      ParseJobs(R"({"name": "accounts/acme/dpoJobs/a"})", "j.jsonl", Served()),
      ErrorIs(ErrorCode::kInvalidArgument, AllOf(HasSubstr("j.jsonl:1"), HasSubstr("dataset"))));
}

TEST(ParseJobs, RejectsBadAndDuplicateNames) {
  EXPECT_THAT(
      ParseJobs(R"({"dataset": "d"})", "j.jsonl", Served()),
      ErrorIs(ErrorCode::kInvalidArgument, AllOf(HasSubstr("j.jsonl:1"), HasSubstr("name"))));
  EXPECT_THAT(ParseJobs(R"({"name": "jobs/x", "dataset": "d"})", "j.jsonl", Served()),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("accounts/{account}")));
  EXPECT_THAT(
      ParseJobs(Job("a") + "\n" + Job("a") + "\n", "j.jsonl", Served()),
      ErrorIs(ErrorCode::kInvalidArgument, AllOf(HasSubstr("j.jsonl:2"), HasSubstr("duplicate"))));
}

TEST(ParseJobs, RejectsAMemberGivenTwiceNamingItsLine) {
  // nlohmann would keep the last value silently; another reader of the file the first.
  std::string twice = R"({"name": "accounts/acme/dpoJobs/b", "dataset": "d", "state": "JOB_STATE_RUNNING", "state": "JOB_STATE_FAILED"})";
  EXPECT_THAT(ParseJobs(Job("a") + "\n" + twice + "\n", "j.jsonl", Served()),
              ErrorIs(ErrorCode::kInvalidArgument,
                      "j.jsonl:2: state appears more than once in the job"));
  EXPECT_THAT(ParseJobs("[\n" + Job("a") + ",\n" + twice + "\n]", "j.json", Served()),
              ErrorIs(ErrorCode::kInvalidArgument,
                      "j.json:3: state appears more than once in the job"));
}

TEST(ParseJobs, RejectsSyntaxErrorsWithLineAndColumn) {
  EXPECT_THAT(ParseJobs("[\n" + Job("a") + ",\n  {\"name\": }\n]", "j.json", Served()),
              ErrorIs(ErrorCode::kInvalidArgument,
                      AllOf(HasSubstr("j.json:3:"), HasSubstr("not valid JSON"))));
  EXPECT_THAT(ParseJobs(Job("a") + "\n{oops\n", "j.jsonl", Served()),
              ErrorIs(ErrorCode::kInvalidArgument,
                      AllOf(HasSubstr("j.jsonl:2:"), HasSubstr("not valid JSON"))));
}

TEST(ParseJobs, RejectsNonObjectsAndEmptyFiles) {
  EXPECT_THAT(ParseJobs("[1]", "j.json", Served()),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("JSON object")));
  EXPECT_THAT(ParseJobs(" \n", "j.json", Served()),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(ParseJobs("{\"a\": 1}\n", "j.json", Served()),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("name")));
}

TEST(LoadJobsFile, MissingFileIsNotFound) {
  EXPECT_THAT(LoadJobsFile("/nonexistent/jobs.json", Served()),
              ErrorIs(ErrorCode::kNotFound, HasSubstr("/nonexistent/jobs.json")));
}

}  // namespace
}  // namespace data_file_test
}  // namespace conform::server
