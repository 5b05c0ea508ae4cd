#include "recorder/cassette.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <utility>

#include "common/file.h"

namespace conform::recorder {
namespace {

constexpr std::string_view kStreamStart = R"({"log":)";
constexpr std::string_view kPrefixEnd = R"("entries":[)";
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string ErrnoText(int error) { return std::strerror(error); }

// Writes every byte of `parts` (retrying short writes and EINTR). Returns errno, or 0.
int WriteAll(int fd, std::vector<std::string_view> parts) {
  size_t first = 0;
  while (first < parts.size()) {
    iovec vectors[4];
    int count = 0;
    for (size_t k = first; k < parts.size() && count < 4; ++k) {
      vectors[count].iov_base = const_cast<char*>(parts[k].data());  // writev does not write it
      vectors[count].iov_len = parts[k].size();
      ++count;
    }
    ssize_t written = ::writev(fd, vectors, count);
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      return errno;
    }
    auto left = static_cast<size_t>(written);
    while (first < parts.size() && left >= parts[first].size()) {
      left -= parts[first].size();
      ++first;
    }
    if (first < parts.size()) {
      parts[first].remove_prefix(left);
    }
  }
  return 0;
}

// fsync of the directory holding `path`, so that a created or renamed file survives a crash.
void SyncDirectoryOf(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::string directory = parent.empty() ? "." : parent.string();
  int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

std::string_view StripBom(std::string_view text) {
  return text.starts_with(kUtf8Bom) ? text.substr(kUtf8Bom.size()) : text;
}

// Written by a cassette writer (finished or not), as opposed to a HAR from elsewhere.
bool LooksLikeStream(std::string_view text) {
  text = StripBom(text);
  size_t newline = text.find('\n');
  if (newline != std::string_view::npos) {
    std::string_view first = text.substr(0, newline);
    return first.starts_with(kStreamStart) && first.ends_with(kPrefixEnd);
  }
  // Cut inside the first line: a part of what HarStreamPrefix writes, the creator then
  // `,"pages":[],"entries":[`. A one-line HAR from elsewhere (Playwright writes one) starts the
  // same way but goes on differently after its creator: cut, it is malformed JSON, not a
  // recording interrupted before its first exchange.
  constexpr std::string_view kFixedStart = R"({"log":{"version":"1.2","creator":)";
  if (kFixedStart.starts_with(text)) {
    return true;
  }
  if (!text.starts_with(kFixedStart) || nlohmann::json::accept(text)) {
    return false;
  }
  constexpr std::string_view kAfterCreator = R"(,"pages":[],"entries":[)";
  std::string_view rest = text.substr(kFixedStart.size());
  const size_t creator_end = rest.find('}');  // the creator holds two plain strings
  return creator_end == std::string_view::npos ||
         kAfterCreator.starts_with(rest.substr(creator_end + 1));
}

}  // namespace

CassetteWriter::CassetteWriter(std::string path, int fd, const CassetteOptions& options,
                               size_t entries)
    : path_(std::move(path)),
      options_(options),
      fd_(fd),
      entries_(entries),
      written_(entries),
      synced_(entries) {
  if (options_.sync == SyncPolicy::kPeriodic) {
    sync_thread_ = std::thread([this] { SyncLoop(); });
  }
}

CassetteWriter::~CassetteWriter() { (void)Finish(); }

Result<std::unique_ptr<CassetteWriter>> CassetteWriter::Create(
    const std::string& path, const CassetteOptions& options,
    const std::vector<traffic::Exchange>& existing) {
  const std::string temporary = path + ".conform-tmp-" + std::to_string(::getpid());
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Unavailable("cannot create the cassette: " + ErrnoText(errno), path);
  }
  auto fail = [&](const std::string& what, int error) -> Error {
    ::close(fd);
    ::unlink(temporary.c_str());
    return Unavailable(what + ": " + ErrnoText(error), path);
  };
  std::string head = traffic::HarStreamPrefix(options.creator);
  for (size_t i = 0; i < existing.size(); ++i) {
    head += i == 0 ? "" : ",";
    head += traffic::HarEntryLine(existing[i]);
    head += "\n";
  }
  if (int error = WriteAll(fd, {head}); error != 0) {
    return fail("cannot write the cassette", error);
  }
  if (::fdatasync(fd) != 0) {
    return fail("cannot sync the cassette", errno);
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    return fail("cannot create the cassette", errno);
  }
  SyncDirectoryOf(path);
  return std::unique_ptr<CassetteWriter>(new CassetteWriter(path, fd, options, existing.size()));
}

Result<size_t> CassetteWriter::Append(const traffic::Exchange& exchange) {
  // Serialising is the expensive part and needs no lock.
  std::string line = traffic::HarEntryLine(exchange);
  size_t index = 0;
  {
    std::lock_guard<std::mutex> lock(write_mutex_);
    if (finished_) {
      return FailedPrecondition("the cassette is already finished", path_);
    }
    if (!status_) {
      return status_.error();
    }
    index = entries_;
    if (int error = WriteAll(fd_, {index == 0 ? "" : ",", line, "\n"}); error != 0) {
      status_ = Unavailable("cannot write the cassette: " + ErrnoText(error), path_);
      return status_.error();
    }
    ++entries_;
    written_.store(entries_);
  }
  if (options_.sync == SyncPolicy::kEachEntry) {
    if (Status synced = SyncUpTo(index + 1); !synced) {
      return synced.error();
    }
  }
  return index;
}

Status CassetteWriter::SyncUpTo(uint64_t sequence) {
  std::lock_guard<std::mutex> lock(sync_mutex_);
  if (synced_ >= sequence || closed_) {
    return OkStatus();
  }
  // Everything written so far rides on this one call: the group commit.
  uint64_t target = written_.load();
  if (::fdatasync(fd_) != 0) {
    int error = errno;
    std::lock_guard<std::mutex> write_lock(write_mutex_);
    if (status_) {
      status_ = Unavailable("cannot sync the cassette: " + ErrnoText(error), path_);
    }
    return status_;
  }
  synced_ = target;
  // A cassette is not read back while it is recorded: its synced pages leave the page cache
  // rather than fill memory with gigabytes of a long session (on this VM a growing page cache
  // costs fresh guest memory: appends ran at half speed past 3 GB).
  struct stat file {};
  if (::fstat(fd_, &file) == 0 && static_cast<uint64_t>(file.st_size) > dropped_bytes_) {
    (void)::posix_fadvise(fd_, static_cast<off_t>(dropped_bytes_),
                          static_cast<off_t>(static_cast<uint64_t>(file.st_size) - dropped_bytes_),
                          POSIX_FADV_DONTNEED);
    dropped_bytes_ = static_cast<uint64_t>(file.st_size) & ~uint64_t{4095};  // whole pages
  }
  return OkStatus();
}

void CassetteWriter::SyncLoop() {
  std::unique_lock<std::mutex> lock(loop_mutex_);
  while (!loop_stop_) {
    loop_wake_.wait_for(lock, options_.sync_interval, [this] { return loop_stop_; });
    if (loop_stop_) {
      break;
    }
    lock.unlock();
    (void)SyncUpTo(written_.load());
    lock.lock();
  }
}

Status CassetteWriter::Finish() {
  {
    std::lock_guard<std::mutex> lock(write_mutex_);
    if (finished_) {
      return status_;
    }
    finished_ = true;
    if (status_) {
      if (int error = WriteAll(fd_, {traffic::HarStreamSuffix()}); error != 0) {
        status_ = Unavailable("cannot finish the cassette: " + ErrnoText(error), path_);
      }
    }
  }
  if (sync_thread_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(loop_mutex_);
      loop_stop_ = true;
    }
    loop_wake_.notify_all();
    sync_thread_.join();
  }
  std::lock_guard<std::mutex> lock(sync_mutex_);
  int sync_error = ::fdatasync(fd_) == 0 ? 0 : errno;
  int close_error = ::close(fd_) == 0 ? 0 : errno;
  closed_ = true;
  synced_ = UINT64_MAX;
  std::lock_guard<std::mutex> write_lock(write_mutex_);
  if (status_ && (sync_error != 0 || close_error != 0)) {
    status_ = Unavailable(
        "cannot finish the cassette: " + ErrnoText(sync_error != 0 ? sync_error : close_error),
        path_);
  }
  return status_;
}

size_t CassetteWriter::entries() const {
  std::lock_guard<std::mutex> lock(write_mutex_);
  return entries_;
}

Result<Cassette> ReadCassette(const std::string& path, const traffic::ReadOptions& options) {
  auto text = ReadFile(path, options.limits.max_file_bytes);
  if (!text) {
    return text.error();
  }
  Cassette cassette;
  std::string har;
  std::string_view to_read = *text;
  if (LooksLikeStream(*text)) {
    auto recovered = traffic::RecoverHar(*text, path);
    if (!recovered) {
      return recovered.error();
    }
    cassette.finished = recovered->was_complete;
    cassette.discarded_bytes = recovered->discarded_bytes;
    har = std::move(recovered->har);
    to_read = har;
  }
  auto exchanges = traffic::ReadHar(to_read, path, options.limits);
  if (!exchanges) {
    return exchanges.error();
  }
  cassette.exchanges = std::move(*exchanges);
  return cassette;
}

Result<std::vector<traffic::Exchange>> ReadTraffic(std::string_view path,
                                                   traffic::InputFormat format,
                                                   const traffic::ReadOptions& options) {
  auto exchanges = traffic::ReadInput(path, format, options);
  if (exchanges ||
      (format != traffic::InputFormat::kAuto && format != traffic::InputFormat::kHar)) {
    return exchanges;
  }
  if (exchanges.error().code == ErrorCode::kResourceExhausted ||
      exchanges.error().code == ErrorCode::kUnavailable ||
      exchanges.error().code == ErrorCode::kNotFound) {
    return exchanges;  // the file itself could not be had: reading it again will not help
  }
  auto text = ReadFile(std::string(path), options.limits.max_file_bytes);
  if (!text || !LooksLikeStream(*text)) {
    return exchanges;
  }
  auto recovered = traffic::RecoverHar(*text, path);
  if (!recovered || recovered->was_complete) {
    return exchanges;  // not torn: the original error says what is wrong
  }
  return traffic::ReadInputText(recovered->har, path, traffic::InputFormat::kHar, options);
}

}  // namespace conform::recorder
