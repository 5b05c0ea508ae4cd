#include "traffic/inputs.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/result_matchers.h"
#include "traffic/har.h"

namespace conform::traffic {
namespace inputs_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

constexpr ReadOptions kDefaults{};

std::string Fixture(const std::string& name) {
  return std::string(CONFORM_TEST_DATA_DIR) + "/traffic/" + name;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A fresh directory per test, under gtest's temporary directory.
class InputsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) / "conform_traffic_inputs" / info->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& relative, std::string_view content) {
    fs::path path = dir_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << content;
    return path.string();
  }

  fs::path dir_;
};

TEST_F(InputsTest, DetectsHarByExtensionAndByContent) {
  auto by_extension = ReadInput(Fixture("chrome_export.har"), InputFormat::kAuto, kDefaults);
  ASSERT_THAT(by_extension, IsOk());
  EXPECT_EQ(by_extension->size(), 6u);

  std::string renamed = Write("export.json", Slurp(Fixture("chrome_export.har")));
  auto by_content = ReadInput(renamed, InputFormat::kAuto, kDefaults);
  ASSERT_THAT(by_content, IsOk());
  EXPECT_EQ(by_content->size(), 6u);
  EXPECT_EQ(by_content->front().source, renamed + ": entry 0");
}

TEST_F(InputsTest, ReadsJsonLinesByExtension) {
  std::string path = Write("pages.ndjson", "{\"dpoJobs\":[]}\n");
  auto exchanges = ReadInput(path, InputFormat::kAuto, kDefaults);
  ASSERT_THAT(exchanges, IsOk());
  ASSERT_EQ(exchanges->size(), 1u);
  EXPECT_EQ(exchanges->front().source, path + ":1");
}

TEST_F(InputsTest, JsonFileIsOneBareBodyEvenWhenTruncated) {
  std::string pretty = "{\n  \"dpoJobs\": [],\n  \"nextPageToken\": \"\"\n}\n";
  std::string path = Write("page.json", pretty);
  auto exchanges = ReadInput(path, InputFormat::kAuto, kDefaults);
  ASSERT_THAT(exchanges, IsOk());
  ASSERT_EQ(exchanges->size(), 1u);
  EXPECT_EQ(exchanges->front().response.body, pretty);
  EXPECT_EQ(exchanges->front().source, path);

  std::string cut = Write("cut.json", pretty.substr(0, 20));
  auto truncated = ReadInput(cut, InputFormat::kAuto, kDefaults);
  ASSERT_THAT(truncated, IsOk());
  ASSERT_EQ(truncated->size(), 1u);
  EXPECT_EQ(truncated->front().response.body, pretty.substr(0, 20));
}

TEST_F(InputsTest, JsonFileHoldingJsonLinesIsReadAsLines) {
  auto exchanges =
      ReadInput(Write("misnamed.json", "{\"a\":1}\n{\"b\":2}\n"), InputFormat::kAuto, kDefaults);
  ASSERT_THAT(exchanges, IsOk());
  EXPECT_EQ(exchanges->size(), 2u);
}

TEST_F(InputsTest, OtherExtensionsAreLinesUnlessTheWholeIsOneDocument) {
  auto lines = ReadInput(Write("out.txt", "{\"a\":1}\n{\"b\":2}\n"), InputFormat::kAuto, kDefaults);
  ASSERT_THAT(lines, IsOk());
  EXPECT_EQ(lines->size(), 2u);
  auto pretty = ReadInput(Write("out.log", "{\n\"a\": 1\n}\n"), InputFormat::kAuto, kDefaults);
  ASSERT_THAT(pretty, IsOk());
  ASSERT_EQ(pretty->size(), 1u);
  EXPECT_EQ(pretty->front().response.body, "{\n\"a\": 1\n}\n");
}

TEST_F(InputsTest, ForcedFormatsOverrideDetection) {
  std::string exchange_line = R"({"response":{"status":404,"body":"{}"}})";
  std::string path = Write("x.jsonl", exchange_line + "\n");
  auto bodies = ReadInput(path, InputFormat::kBodies, kDefaults);
  ASSERT_THAT(bodies, IsOk());
  EXPECT_EQ(bodies->front().response.body, exchange_line);
  auto exchanges = ReadInput(path, InputFormat::kExchanges, kDefaults);
  ASSERT_THAT(exchanges, IsOk());
  EXPECT_EQ(exchanges->front().response.status, 404);
  EXPECT_THAT(ReadInput(Write("b.jsonl", "{}\n"), InputFormat::kExchanges, kDefaults),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("b.jsonl:1: not an exchange object")));
  EXPECT_THAT(
      ReadInput(path, InputFormat::kHar, kDefaults),
      ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("not a HAR document: log is missing")));
}

TEST_F(InputsTest, MissingFileIsNotFound) {
  std::string path = (dir_ / "nope.har").string();
  EXPECT_THAT(ReadInput(path, InputFormat::kAuto, kDefaults),
              ErrorIs(ErrorCode::kNotFound, path + ": no such file"));
}

TEST_F(InputsTest, EmptyInputsAreAClearError) {
  EXPECT_THAT(ReadInput(Write("e.jsonl", ""), InputFormat::kAuto, kDefaults),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("e.jsonl: empty: no exchanges")));
  EXPECT_THAT(ReadInput(Write("blank.json", " \n\n\t"), InputFormat::kAuto, kDefaults),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("empty: no exchanges")));
  EXPECT_THAT(ReadInput(Write("none.har", R"({"log":{"version":"1.2","entries":[]}})"),
                        InputFormat::kAuto, kDefaults),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("empty: no exchanges")));
}

TEST_F(InputsTest, DirectoryIsNotAFile) {
  EXPECT_THAT(ReadInput(dir_.string(), InputFormat::kAuto, kDefaults),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("is a directory")));
}

TEST_F(InputsTest, UnreadableFileIsUnavailable) {
  std::string path = Write("secret.har", "{}");
  fs::permissions(path, fs::perms::none);
  if (std::FILE* probe = std::fopen(path.c_str(), "rb")) {
    std::fclose(probe);
    GTEST_SKIP() << "permissions are not enforced for this user (root?)";
  }
  EXPECT_THAT(ReadInput(path, InputFormat::kAuto, kDefaults),
              ErrorIs(ErrorCode::kUnavailable, HasSubstr("cannot read: Permission denied")));
}

TEST_F(InputsTest, HarThatIsNotUtf8OrHasNulIsAClearError) {
  EXPECT_THAT(ReadInput(Write("bad.har", "{\"log\":\"\xff\"}"), InputFormat::kAuto, kDefaults),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("bad.har:1:9: not UTF-8 text")));
  EXPECT_THAT(
      ReadInput(Write("nul.har", std::string("{\"log\":\0}", 9)), InputFormat::kAuto, kDefaults),
      ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("nul.har:1:8: contains a NUL byte")));
}

TEST_F(InputsTest, FileOverTheSizeLimitIsRefused) {
  std::string path = Write("big.jsonl", std::string(100, ' ') + "{}");
  EXPECT_THAT(ReadInput(path, InputFormat::kAuto, ReadOptions{.limits = {.max_file_bytes = 64}}),
              ErrorIs(ErrorCode::kResourceExhausted, HasSubstr("over the limit of 64 bytes")));
}

TEST_F(InputsTest, ADeviceOrPipeWithoutEndStopsAtTheSizeLimit) {
  // No size to check first: the limit holds while reading (it read /dev/zero until memory ran
  // out, and a torn-recording retry read it again).
  for (InputFormat format : {InputFormat::kAuto, InputFormat::kHar, InputFormat::kExchanges}) {
    EXPECT_THAT(ReadInput("/dev/zero", format, ReadOptions{.limits = {.max_file_bytes = 1 << 20}}),
                ErrorIs(ErrorCode::kResourceExhausted, HasSubstr("over the limit of 1048576 bytes")));
  }
}

// A HAR cut short says where it ends, and nothing about recovering: conform's own recordings
// are recovered by recorder::ReadTraffic before a user sees this; others cannot be.
TEST_F(InputsTest, ATornHarSaysWhereItEnds) {
  Exchange exchange;
  exchange.request = {.method = "GET", .url = "/x"};
  exchange.response = {.status = 200, .body = "{}"};
  std::string har = WriteHar({exchange, exchange}, HarCreator{});
  std::string path = Write("torn.har", har.substr(0, har.size() - 10));
  auto read = ReadInput(path, InputFormat::kAuto, kDefaults);
  EXPECT_THAT(read, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("torn.har:")));
  EXPECT_THAT(read, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("truncated JSON")));
  EXPECT_THAT(read, ErrorIs(ErrorCode::kInvalidArgument, ::testing::Not(HasSubstr("RecoverHar"))));
}

TEST_F(InputsTest, ExpandInputsWalksDirectoriesInSortedOrder) {
  Write("d/b.har", "{}");
  Write("d/a.jsonl", "{}");
  Write("d/sub/c.json", "{}");
  Write("d/Z.NDJSON", "{}");
  Write("d/.hidden.har", "{}");
  Write("d/.git/x.har", "{}");
  Write("d/notes.txt", "{}");
  std::string explicit_file = Write("notes.txt", "{}");
  std::string d = (dir_ / "d").string();
  auto paths = ExpandInputs({explicit_file, d, d + "/b.har"});
  ASSERT_THAT(paths, IsOk());
  EXPECT_THAT(*paths, ElementsAre(explicit_file, d + "/Z.NDJSON", d + "/a.jsonl", d + "/b.har",
                                  d + "/sub/c.json"));
}

TEST_F(InputsTest, ExpandInputsReportsMissingPathsAndEmptyDirectories) {
  std::string missing = (dir_ / "missing").string();
  EXPECT_THAT(ExpandInputs({missing}), ErrorIs(ErrorCode::kNotFound, missing + ": no such file"));
  Write("empty/readme.md", "x");
  EXPECT_THAT(ExpandInputs({(dir_ / "empty").string()}),
              ErrorIs(ErrorCode::kNotFound, HasSubstr("no .har, .json, .jsonl or .ndjson files")));
}

}  // namespace
}  // namespace inputs_test
}  // namespace conform::traffic
