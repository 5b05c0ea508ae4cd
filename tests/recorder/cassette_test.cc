// CassetteWriter and ReadCassette: the file is the traffic/har.h stream byte for byte, loads at
// any moment (finished or not), survives concurrent appends, and replaces files atomically.
#include "recorder/cassette.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/result_matchers.h"
#include "tests/support/temp_dir.h"
#include "traffic/har.h"

namespace conform::recorder {
namespace cassette_test {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

traffic::Exchange Sample(int i, std::string body = {}) {
  traffic::Exchange exchange;
  exchange.request = {
      .method = "GET",
      .url = "https://api.example.com/v1/accounts/a/dpoJobs?pageSize=" + std::to_string(i),
      .headers = {{"Accept", "application/json"}}};
  exchange.response = {
      .status = 200,
      .headers = {{"Content-Type", "application/json"}},
      .body = body.empty() ? R"({"dpoJobs":[],"n":)" + std::to_string(i) + "}" : std::move(body)};
  exchange.started = "2024-05-01T12:00:00.000Z";
  exchange.elapsed_ms = 1.5;
  return exchange;
}

TEST(Cassette, FinishedFileIsTheHarStreamByteForByte) {
  testing::TempDir dir;
  std::string path = (dir.path() / "c.har").string();
  std::vector<traffic::Exchange> exchanges = {
      Sample(0), Sample(1, std::string(5000, 'x') + "\"\n\\\x01\xC3\xA9"),
      Sample(2, std::string("\xFF\x00\x01 binary", 10) + std::string(4000, 'b'))};
  auto writer = CassetteWriter::Create(path, {});
  ASSERT_THAT(writer, IsOk());
  for (const traffic::Exchange& exchange : exchanges) {
    EXPECT_THAT((*writer)->Append(exchange), IsOk());
  }
  EXPECT_THAT((*writer)->Finish(), IsOk());
  traffic::HarCreator creator{.name = "conform", .version = "0.1.0"};
  EXPECT_EQ(Slurp(path), traffic::WriteHar(exchanges, creator));

  auto read = ReadCassette(path, {});
  ASSERT_THAT(read, IsOk());
  EXPECT_TRUE(read->finished);
  ASSERT_THAT(read->exchanges, SizeIs(3));
  EXPECT_EQ(read->exchanges[2].response.body, exchanges[2].response.body);
}

TEST(Cassette, AnUnfinishedCassetteLoadsWithEveryAppendedEntry) {
  testing::TempDir dir;
  std::string path = (dir.path() / "c.har").string();
  auto writer = CassetteWriter::Create(path, {});
  ASSERT_THAT(writer, IsOk());
  auto empty = ReadCassette(path, {});
  ASSERT_THAT(empty, IsOk());
  EXPECT_THAT(empty->exchanges, SizeIs(0));
  for (int i = 0; i < 3; ++i) {
    ASSERT_THAT((*writer)->Append(Sample(i)), IsOk());
  }
  // Read while the writer is alive: what a reader sees after a SIGKILL.
  auto read = ReadCassette(path, {});
  ASSERT_THAT(read, IsOk());
  EXPECT_FALSE(read->finished);
  ASSERT_THAT(read->exchanges, SizeIs(3));
  EXPECT_EQ(read->exchanges[1].request.url, Sample(1).request.url);
}

TEST(Cassette, ATornLastLineIsDropped) {
  testing::TempDir dir;
  std::string path = (dir.path() / "c.har").string();
  {
    auto writer = CassetteWriter::Create(path, {});
    ASSERT_THAT(writer, IsOk());
    for (int i = 0; i < 2; ++i) {
      ASSERT_THAT((*writer)->Append(Sample(i)), IsOk());
    }
  }
  std::string text = Slurp(path);
  std::string torn =
      text.substr(0, text.size() - std::string(traffic::HarStreamSuffix()).size() - 30);
  std::string torn_path = dir.Write("torn.har", torn);
  auto read = ReadCassette(torn_path, {});
  ASSERT_THAT(read, IsOk());
  EXPECT_FALSE(read->finished);
  EXPECT_THAT(read->exchanges, SizeIs(1));
  EXPECT_GT(read->discarded_bytes, 0u);
}

TEST(Cassette, ReadTrafficRecoversWhatReadInputRefuses) {
  testing::TempDir dir;
  std::string path = (dir.path() / "c.har").string();
  auto writer = CassetteWriter::Create(path, {});
  ASSERT_THAT(writer, IsOk());
  ASSERT_THAT((*writer)->Append(Sample(7)), IsOk());
  EXPECT_THAT(traffic::ReadInput(path, traffic::InputFormat::kAuto, {}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("truncated JSON")));
  auto read = ReadTraffic(path, traffic::InputFormat::kAuto, {});
  ASSERT_THAT(read, IsOk());
  ASSERT_THAT(*read, SizeIs(1));
  EXPECT_EQ((*read)[0].response.body, Sample(7).response.body);
  // Other bad input keeps its own error.
  std::string junk = dir.Write("junk.har", "{\"log\": [1,");
  EXPECT_THAT(ReadTraffic(junk, traffic::InputFormat::kAuto, {}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("junk.har")));
  EXPECT_THAT(ReadTraffic(dir.path().string() + "/missing.har", traffic::InputFormat::kAuto, {}),
              ErrorIs(ErrorCode::kNotFound, HasSubstr("no such file")));
}

TEST(Cassette, ReadTrafficAndReadCassetteStopAtTheSizeLimitOnADevice) {
  // ReadInput's refusal used to be followed by a second, unlimited read of the same device.
  const traffic::ReadOptions small{.limits = {.max_file_bytes = 1 << 20}};
  EXPECT_THAT(ReadTraffic("/dev/zero", traffic::InputFormat::kAuto, small),
              ErrorIs(ErrorCode::kResourceExhausted, HasSubstr("over the limit of 1048576 bytes")));
  EXPECT_THAT(ReadCassette("/dev/zero", small),
              ErrorIs(ErrorCode::kResourceExhausted, HasSubstr("over the limit of 1048576 bytes")));
}

TEST(Cassette, CreateKeepsExistingEntriesFirstAndReplacesTheFile) {
  testing::TempDir dir;
  std::string path = dir.Write("c.har", "old contents");
  auto writer = CassetteWriter::Create(path, {}, {Sample(0), Sample(1)});
  ASSERT_THAT(writer, IsOk());
  EXPECT_EQ((*writer)->entries(), 2u);
  auto index = (*writer)->Append(Sample(2));
  ASSERT_THAT(index, IsOk());
  EXPECT_EQ(*index, 2u);
  EXPECT_THAT((*writer)->Finish(), IsOk());
  EXPECT_EQ(Slurp(path), traffic::WriteHar({Sample(0), Sample(1), Sample(2)},
                                           {.name = "conform", .version = "0.1.0"}));
  // No temporary file is left beside it.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                          std::filesystem::directory_iterator()),
            1);
}

TEST(Cassette, AppendAfterFinishIsRefused) {
  testing::TempDir dir;
  auto writer = CassetteWriter::Create((dir.path() / "c.har").string(), {});
  ASSERT_THAT(writer, IsOk());
  EXPECT_THAT((*writer)->Finish(), IsOk());
  EXPECT_THAT((*writer)->Finish(), IsOk());
  EXPECT_THAT((*writer)->Append(Sample(0)),
              ErrorIs(ErrorCode::kFailedPrecondition, HasSubstr("already finished")));
}

TEST(Cassette, SyncedEntriesLeaveThePageCache) {
  // A long session writes gigabytes nobody reads back during it: keeping them cached filled
  // memory and, on a VM, halved the append rate once fresh memory was needed.
  testing::TempDir dir;
  struct statfs filesystem {};
  ASSERT_EQ(::statfs(dir.path().c_str(), &filesystem), 0);
  if (filesystem.f_type == TMPFS_MAGIC) {
    GTEST_SKIP() << "tmpfs pages are the file itself";
  }
  std::string path = (dir.path() / "c.har").string();
  auto writer = CassetteWriter::Create(path, {.sync = SyncPolicy::kEachEntry});
  ASSERT_THAT(writer, IsOk());
  const std::string body = R"({"text":")" + std::string(64 << 10, 'b') + R"("})";
  for (int i = 0; i < 32; ++i) {
    ASSERT_THAT((*writer)->Append(Sample(i, body)), IsOk());
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  struct stat file {};
  ASSERT_EQ(::fstat(fd, &file), 0);
  const size_t size = static_cast<size_t>(file.st_size);
  void* mapped = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  ASSERT_NE(mapped, MAP_FAILED);
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> resident((size + page - 1) / page);
  ASSERT_EQ(::mincore(mapped, size, resident.data()), 0);
  size_t cached = 0;
  for (unsigned char flags : resident) {
    cached += flags & 1;
  }
  ::munmap(mapped, size);
  ::close(fd);
  EXPECT_GT(resident.size(), 500u);  // 2 MB written
  EXPECT_LT(cached, resident.size() / 10) << cached << " of " << resident.size() << " pages cached";
  EXPECT_THAT((*writer)->Finish(), IsOk());
  EXPECT_THAT(ReadCassette(path, {}), IsOk());
}

TEST(Cassette, AMissingDirectoryIsUnavailable) {
  testing::TempDir dir;
  std::string path = (dir.path() / "no" / "such" / "c.har").string();
  EXPECT_THAT(CassetteWriter::Create(path, {}),
              ErrorIs(ErrorCode::kUnavailable, HasSubstr("cannot create the cassette")));
}

TEST(Cassette, ConcurrentAppendsEachGetTheirOwnLine) {
  for (SyncPolicy sync : {SyncPolicy::kPeriodic, SyncPolicy::kEachEntry}) {
    testing::TempDir dir;
    std::string path = (dir.path() / "c.har").string();
    auto writer =
        CassetteWriter::Create(path, {.sync = sync, .sync_interval = std::chrono::milliseconds(5)});
    ASSERT_THAT(writer, IsOk());
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 40; ++i) {
          // Big and small bodies, so both serialisation paths race.
          std::string body =
              i % 2 == 0 ? std::string() : std::string(3000 + t, 'a' + static_cast<char>(t));
          EXPECT_THAT((*writer)->Append(Sample(t * 100 + i, body)), IsOk());
        }
      });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
    EXPECT_THAT((*writer)->Finish(), IsOk());
    auto read = ReadCassette(path, {});
    ASSERT_THAT(read, IsOk());
    EXPECT_TRUE(read->finished);
    EXPECT_THAT(read->exchanges, SizeIs(320));
  }
}

TEST(Cassette, BrowserExportsAreRead) {
  auto read = ReadCassette(std::string(CONFORM_TEST_DATA_DIR) + "/traffic/chrome_export.har", {});
  ASSERT_THAT(read, IsOk());
  EXPECT_TRUE(read->finished);
  EXPECT_THAT(read->exchanges, SizeIs(6));
}

// A one-line HAR from another program (Playwright writes one) cut short is malformed JSON, not
// a conform recording interrupted before its first exchange; a conform cassette cut inside its
// first line still is one.
TEST(Cassette, ACutOneLineHarFromElsewhereIsMalformedNotAnEmptyRecording) {
  testing::TempDir dir;
  std::string whole =
      Slurp(std::string(CONFORM_TEST_DATA_DIR) + "/traffic/chromium_playwright.har");
  ASSERT_EQ(whole.find('\n'), std::string::npos) << "the fixture is one line";
  // Past its creator (75 bytes): cut inside the creator, the two cannot be told apart.
  for (size_t cut : {80u, 90u, 300u, 5000u}) {
    std::string path = dir.Write("cut.har", whole.substr(0, cut));
    EXPECT_THAT(ReadCassette(path, {}),
                ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("truncated JSON")))
        << cut;
    EXPECT_THAT(ReadTraffic(path, traffic::InputFormat::kAuto, {}),
                ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("truncated JSON")))
        << cut;
  }
  std::string prefix = traffic::HarStreamPrefix({.name = "conform"});
  for (size_t cut : {size_t{10}, size_t{40}, prefix.size() - 5, prefix.size() - 1}) {
    std::string path = dir.Write("ours.har", prefix.substr(0, cut));
    auto read = ReadCassette(path, {});
    ASSERT_THAT(read, IsOk()) << cut;
    EXPECT_FALSE(read->finished);
    EXPECT_THAT(read->exchanges, SizeIs(0));
  }
}

TEST(Cassette, MalformedHarIsAnErrorNamingTheFile) {
  testing::TempDir dir;
  std::string path = dir.Write("bad.har", "{\"log\": {\"entries\": 5}}");
  EXPECT_THAT(ReadCassette(path, {}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("log.entries is not an array")));
  std::string truncated = dir.Write("truncated.har", "{\"log\": {\"entries\": [1, 2");
  EXPECT_THAT(ReadCassette(truncated, {}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("truncated JSON")));
  std::string corrupt = dir.Write("corrupt.har", traffic::HarStreamPrefix({}) + "{not json}\n" +
                                                     traffic::HarStreamEntry(Sample(1), 1));
  EXPECT_THAT(ReadCassette(corrupt, {}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("corrupt.har:2")));
}

}  // namespace
}  // namespace cassette_test
}  // namespace conform::recorder
