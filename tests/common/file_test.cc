// ReadFile: the one whole-file reader (specs, cassettes, data files), and its size limit.
#include "common/file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include <unistd.h>

namespace conform {
namespace file_test {
namespace {

using ::testing::HasSubstr;

class ReadFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("conform_file_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::FILE* file = std::fopen(path.c_str(), "wb");
    std::fwrite(text.data(), 1, text.size(), file);
    std::fclose(file);
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(ReadFileTest, ReadsAWholeFileWithinTheLimit) {
  auto text = ReadFile(Write("a.yaml", "openapi: 3.1.0\n"), 15);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "openapi: 3.1.0\n");
}

TEST_F(ReadFileTest, ARegularFileOverTheLimitIsRefusedBeforeReading) {
  auto text = ReadFile(Write("big.yaml", std::string(100, 'x')), 64);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code, ErrorCode::kResourceExhausted);
  EXPECT_THAT(text.error().message, HasSubstr("file is 100 bytes, over the limit of 64 bytes"));
}

TEST_F(ReadFileTest, ADeviceWithoutEndStopsAtTheLimit) {
  auto text = ReadFile("/dev/zero", 1 << 20);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code, ErrorCode::kResourceExhausted);
  EXPECT_THAT(text.error().message, HasSubstr("file is over the limit of 1048576 bytes"));
}

TEST_F(ReadFileTest, MissingFilesAndDirectoriesAreNamed) {
  EXPECT_EQ(ReadFile((dir_ / "none").string()).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ReadFile(dir_.string()).error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace file_test
}  // namespace conform
