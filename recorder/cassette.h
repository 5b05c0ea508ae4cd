// Crash-safe HAR cassettes: written append-only in the traffic/har.h stream layout (one entry
// per line), readable at any moment, by conform and by browsers' devtools once finished.
//   auto cassette = recorder::CassetteWriter::Create("session.har", {});
//   Result<size_t> index = (*cassette)->Append(redacted_exchange);   // on disk when it returns
//   Status done = (*cassette)->Finish();                              // adds the closing "]}}"
// A recorder killed at any moment (SIGKILL included) leaves a file that ReadCassette loads with
// every entry Append had returned for. docs/recorder.md describes the layout and trade-offs.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/result.h"
#include "traffic/exchange.h"
#include "traffic/har.h"
#include "traffic/inputs.h"
#include "traffic/read_options.h"

namespace conform::recorder {

// When an appended entry is flushed to stable storage. Either way the entry has been written
// to the file (write(2), in the kernel's page cache) before Append returns, so a killed
// process loses nothing that was appended; the policies differ only on a power loss or an
// operating system crash.
enum class SyncPolicy {
  // A background thread calls fdatasync every `sync_interval` when something was appended:
  // a power loss can lose the entries of the last interval. The default: fdatasync costs
  // 0.1-10 ms, more than proxying a request.
  kPeriodic,
  // Append returns only once an fdatasync covering the entry has completed. Concurrent
  // appends share one fdatasync (group commit).
  kEachEntry,
};

struct CassetteOptions {
  SyncPolicy sync = SyncPolicy::kPeriodic;
  std::chrono::milliseconds sync_interval{200};
  traffic::HarCreator creator{.name = "conform", .version = "0.1.0"};
};

class CassetteWriter {
 public:
  // Starts a cassette at `path`, holding `existing` as its first entries, and replaces any file
  // there atomically (the new file is written beside it and renamed over it), so `path` always
  // holds either the old file or a loadable cassette. Errors: UNAVAILABLE when the file cannot
  // be created or written (where = path).
  static Result<std::unique_ptr<CassetteWriter>> Create(
      const std::string& path, const CassetteOptions& options,
      const std::vector<traffic::Exchange>& existing = {});

  ~CassetteWriter();  // Finish(), its error ignored
  CassetteWriter(const CassetteWriter&) = delete;
  CassetteWriter& operator=(const CassetteWriter&) = delete;

  // Writes `exchange` (already redacted: the writer stores what it is given) as the next
  // entry, durably as the policy says, and returns its index. Thread-safe. Errors:
  // FAILED_PRECONDITION after Finish; UNAVAILABLE when writing or syncing failed (the error
  // sticks: later calls return it too).
  Result<size_t> Append(const traffic::Exchange& exchange);

  // Writes the closing line, syncs and closes the file. Idempotent; returns the first error
  // the writer met, if any.
  Status Finish();

  // Entries in the file, `existing` included.
  size_t entries() const;
  const std::string& path() const { return path_; }

 private:
  CassetteWriter(std::string path, int fd, const CassetteOptions& options, size_t entries);
  Status SyncUpTo(uint64_t sequence);
  void SyncLoop();

  const std::string path_;
  const CassetteOptions options_;

  mutable std::mutex write_mutex_;  // file offset, entry count, finished_
  int fd_ = -1;
  size_t entries_ = 0;
  bool finished_ = false;
  Status status_;  // the first write or sync error

  std::atomic<uint64_t> written_{0};  // entries written, a sequence number for syncing
  std::mutex sync_mutex_;             // one fdatasync at a time; guards synced_ and closed_
  uint64_t synced_ = 0;
  uint64_t dropped_bytes_ = 0;  // the file's first bytes, synced and out of the page cache
  bool closed_ = false;

  std::mutex loop_mutex_;
  std::condition_variable loop_wake_;
  bool loop_stop_ = false;
  std::thread sync_thread_;
};

// A cassette as read back.
struct Cassette {
  std::vector<traffic::Exchange> exchanges;
  bool finished = true;        // false: an interrupted recording, recovered (RecoverHar)
  size_t discarded_bytes = 0;  // bytes of a torn last entry that were dropped
};

// Reads a HAR file: a finished cassette, a cassette whose recorder died (its complete entries
// are recovered, a torn last line dropped), or any HAR 1.2 document such as a browser export.
// An empty cassette (no entries) is not an error here. Errors: those of conform::ReadFile
// (NOT_FOUND "no such file", UNAVAILABLE), RESOURCE_EXHAUSTED over limits.max_file_bytes, and
// traffic::ReadHar / traffic::RecoverHar format errors (INVALID_ARGUMENT, where = the path).
Result<Cassette> ReadCassette(const std::string& path, const traffic::ReadOptions& options);

// traffic::ReadInput, except that a HAR whose recorder was interrupted is recovered instead of
// being refused as truncated JSON. What `conform validate` needs to read torn cassettes.
Result<std::vector<traffic::Exchange>> ReadTraffic(std::string_view path,
                                                   traffic::InputFormat format,
                                                   const traffic::ReadOptions& options);

}  // namespace conform::recorder
