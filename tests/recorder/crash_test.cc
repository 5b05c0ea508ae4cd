// Crash safety of a real `conform record` process (fork + exec of the built binary): SIGKILLed
// in the middle of concurrent traffic, its cassette still loads and holds every exchange whose
// response a client had fully received; SIGTERM finishes the cassette. Waits are bounded and
// event-driven (poll on the child's stdout, a condition variable), never sleeps.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "recorder/cassette.h"
#include "tests/recorder/loopback.h"
#include "tests/support/result_matchers.h"
#include "tests/support/temp_dir.h"

namespace conform::recorder {
namespace crash_test {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using Clock = std::chrono::steady_clock;

// `conform record ...` as a child process whose stdout we read.
class RecorderProcess {
 public:
  RecorderProcess(const std::vector<std::string>& args, const std::string& stderr_path) {
    // Everything the child needs is built before fork: between fork and exec only
    // async-signal-safe calls are allowed (other threads may hold the allocator's lock).
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(CONFORM_BINARY));
    for (const std::string& arg : args) {
      argv.push_back(const_cast<char*>(arg.c_str()));
    }
    argv.push_back(nullptr);
    int fds[2];
    if (::pipe(fds) != 0) {
      return;
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (err >= 0) {
        ::dup2(err, STDERR_FILENO);
      }
      ::close(fds[0]);
      ::close(fds[1]);
      ::execv(CONFORM_BINARY, argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    stdout_ = fds[0];
  }
  ~RecorderProcess() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (stdout_ >= 0) {
      ::close(stdout_);
    }
  }
  RecorderProcess(const RecorderProcess&) = delete;
  RecorderProcess& operator=(const RecorderProcess&) = delete;

  // Reads stdout until `want` appears or it closes (the child exited), within `limit`.
  std::string ReadUntil(const std::string& want, std::chrono::seconds limit) {
    auto deadline = Clock::now() + limit;
    while (output_.find(want) == std::string::npos && Clock::now() < deadline && stdout_ >= 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      pollfd fd{.fd = stdout_, .events = POLLIN, .revents = 0};
      if (::poll(&fd, 1, static_cast<int>(std::max<int64_t>(left.count(), 1))) <= 0) {
        continue;
      }
      char buffer[4096];
      ssize_t n = ::read(stdout_, buffer, sizeof buffer);
      if (n <= 0) {
        ::close(stdout_);
        stdout_ = -1;
        break;
      }
      output_.append(buffer, static_cast<size_t>(n));
    }
    return output_;
  }

  // The URL from "listening on http://127.0.0.1:PORT,".
  std::optional<std::string> WaitForUrl() {
    std::string out = ReadUntil("stop with", std::chrono::seconds(30));
    size_t at = out.find("listening on ");
    if (at == std::string::npos) {
      return std::nullopt;
    }
    size_t start = at + 13;
    return out.substr(start, out.find(',', start) - start);
  }

  void Signal(int signal) { ::kill(pid_, signal); }

  // Exit status after the child's stdout closed (bounded by `limit`); -1 if it did not exit.
  int Wait(std::chrono::seconds limit) {
    ReadUntil("\x01never", limit);
    if (stdout_ >= 0) {
      return -1;
    }
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    return status;
  }

  bool Started() const { return pid_ > 0 && stdout_ >= 0; }

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
  bool reaped_ = false;
  std::string output_;
};

TEST(CrashSafety, SigkillMidTrafficKeepsEveryAnsweredExchange) {
  testing::TestUpstream upstream([](httplib::Server& s) {
    s.Get("/v1/item", [](const httplib::Request& req, httplib::Response& res) {
      nlohmann::json body = {{"id", req.get_param_value("id")}, {"pad", std::string(3000, 'p')}};
      res.set_content(body.dump(), "application/json");
    });
  });
  ASSERT_TRUE(upstream.Running());
  conform::testing::TempDir dir;
  std::string cassette = (dir.path() / "killed.har").string();
  RecorderProcess recorder(
      {"record", "--upstream", upstream.Url(), "--listen", "127.0.0.1:0", "--out", cassette},
      (dir.path() / "stderr.txt").string());
  ASSERT_TRUE(recorder.Started());
  std::optional<std::string> url = recorder.WaitForUrl();
  ASSERT_TRUE(url.has_value()) << testing::ReadBytes((dir.path() / "stderr.txt").string());

  constexpr int kThreads = 6;
  constexpr int kMaxEach = 2000;  // bounded even if the kill never comes
  constexpr int kKillAfter = 120;
  std::mutex mutex;
  std::condition_variable progress;
  std::set<std::string> answered;
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client client(*url);
      client.set_connection_timeout(std::chrono::seconds(5));
      client.set_read_timeout(std::chrono::seconds(5));
      client.set_tcp_nodelay(true);
      for (int i = 0; i < kMaxEach && !stop; ++i) {
        std::string id = std::to_string(t) + "-" + std::to_string(i);
        auto result = client.Get("/v1/item?id=" + id);
        if (!result) {
          break;  // the recorder is gone
        }
        if (result->status == 200 && nlohmann::json::parse(result->body)["id"] == id) {
          std::lock_guard<std::mutex> lock(mutex);
          answered.insert(id);
          progress.notify_all();
        }
      }
    });
  }
  {
    std::unique_lock<std::mutex> lock(mutex);
    progress.wait_for(lock, std::chrono::seconds(60),
                      [&] { return answered.size() >= static_cast<size_t>(kKillAfter); });
  }
  recorder.Signal(SIGKILL);  // while the threads are still sending
  stop = true;
  for (std::thread& thread : threads) {
    thread.join();
  }
  int status = recorder.Wait(std::chrono::seconds(30));
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  auto read = ReadCassette(cassette, {});
  ASSERT_THAT(read, IsOk());
  EXPECT_FALSE(read->finished);
  std::set<std::string> recorded;
  for (const traffic::Exchange& exchange : read->exchanges) {
    recorded.insert(nlohmann::json::parse(exchange.response.body)["id"].get<std::string>());
  }
  size_t missing = 0;
  for (const std::string& id : answered) {
    if (recorded.count(id) == 0) {
      ++missing;
      ADD_FAILURE() << "answered but not in the cassette: " << id;
    }
  }
  EXPECT_GE(answered.size(), static_cast<size_t>(kKillAfter));
  EXPECT_EQ(missing, 0u);
  ::testing::Test::RecordProperty("answered", static_cast<int>(answered.size()));
  ::testing::Test::RecordProperty("recorded", static_cast<int>(recorded.size()));
  std::printf(
      "SIGKILL after %zu answered exchanges: %zu in the cassette (%zu bytes of a torn "
      "line dropped)\n",
      answered.size(), recorded.size(), read->discarded_bytes);
}

TEST(CrashSafety, KilledBeforeAnyTrafficLeavesALoadableEmptyCassette) {
  conform::testing::TempDir dir;
  std::string cassette = (dir.path() / "empty.har").string();
  RecorderProcess recorder(
      {"record", "--upstream", "http://127.0.0.1:1", "--listen", "127.0.0.1:0", "--out", cassette},
      (dir.path() / "stderr.txt").string());
  ASSERT_TRUE(recorder.WaitForUrl().has_value());
  recorder.Signal(SIGKILL);
  recorder.Wait(std::chrono::seconds(30));
  auto read = ReadCassette(cassette, {});
  ASSERT_THAT(read, IsOk());
  EXPECT_THAT(read->exchanges, SizeIs(0));
}

TEST(CrashSafety, SigtermFinishesTheCassetteAndPrintsASummary) {
  testing::TestUpstream upstream([](httplib::Server& s) {
    s.Get("/v1/item", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"ok":true})", "application/json");
    });
  });
  ASSERT_TRUE(upstream.Running());
  conform::testing::TempDir dir;
  std::string cassette = (dir.path() / "clean.har").string();
  RecorderProcess recorder({"record", "--upstream", upstream.Url(), "--listen", "127.0.0.1:0",
                            "--out", cassette, "--fsync", "each"},
                           (dir.path() / "stderr.txt").string());
  std::optional<std::string> url = recorder.WaitForUrl();
  ASSERT_TRUE(url.has_value());
  httplib::Client client(*url);
  for (int i = 0; i < 3; ++i) {
    auto result = client.Get("/v1/item");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 200);
  }
  recorder.Signal(SIGTERM);
  std::string out = recorder.ReadUntil("exchanges recorded", std::chrono::seconds(30));
  int status = recorder.Wait(std::chrono::seconds(30));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_THAT(out, HasSubstr("3 exchanges recorded to " + cassette));
  EXPECT_THAT(testing::ReadBytes(cassette), EndsWith("]}}\n"));
  EXPECT_THAT(testing::ReadBytes((dir.path() / "stderr.txt").string()),
              HasSubstr("SIGTERM received, stopping"));
  auto read = ReadCassette(cassette, {});
  ASSERT_THAT(read, IsOk());
  EXPECT_TRUE(read->finished);
  EXPECT_THAT(read->exchanges, SizeIs(3));
}

TEST(CrashSafety, SigtermWithAnExchangeThatNeverEndsExitsAfterTheGracePeriod) {
  std::mutex mutex;
  std::condition_variable reached_cv;
  bool reached = false;
  testing::Gate gate;  // holds the upstream's answer for up to ten seconds
  testing::TestUpstream upstream([&](httplib::Server& s) {
    s.Get("/v1/stuck", [&](const httplib::Request&, httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        reached = true;
      }
      reached_cv.notify_all();
      gate.Wait();
      res.set_content("{}", "application/json");
    });
  });
  ASSERT_TRUE(upstream.Running());
  conform::testing::TempDir dir;
  std::string cassette = (dir.path() / "stuck.har").string();
  std::string stderr_path = (dir.path() / "stderr.txt").string();
  RecorderProcess recorder(
      {"record", "--upstream", upstream.Url(), "--listen", "127.0.0.1:0", "--out", cassette},
      stderr_path);
  std::optional<std::string> url = recorder.WaitForUrl();
  ASSERT_TRUE(url.has_value());
  std::thread client([&] {
    httplib::Client stuck(*url);
    stuck.set_read_timeout(std::chrono::seconds(30));
    (void)stuck.Get("/v1/stuck");  // the recorder exits under it
  });
  {
    std::unique_lock<std::mutex> lock(mutex);
    reached_cv.wait_for(lock, std::chrono::seconds(10), [&] { return reached; });
  }
  EXPECT_TRUE(reached);
  auto signalled = Clock::now();
  recorder.Signal(SIGTERM);
  std::string out = recorder.ReadUntil("exchanges recorded", std::chrono::seconds(30));
  int status = recorder.Wait(std::chrono::seconds(30));
  // The default grace is 5 s; the gate would have held the exchange for 10 s.
  EXPECT_LT(Clock::now() - signalled, std::chrono::seconds(9));
  gate.Open();
  client.join();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_THAT(out, HasSubstr("0 exchanges recorded to " + cassette));
  EXPECT_THAT(testing::ReadBytes(stderr_path),
              HasSubstr("1 connection(s) still open (a client still sending its request, or an "
                        "upstream still sending its response): abandoned"));
  auto read = ReadCassette(cassette, {});
  ASSERT_THAT(read, IsOk());
  EXPECT_TRUE(read->finished);
  EXPECT_THAT(read->exchanges, SizeIs(0));
}

}  // namespace
}  // namespace crash_test
}  // namespace conform::recorder
