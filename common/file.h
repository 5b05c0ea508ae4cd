// Reading a whole file into memory, with the errors every command reports the same way.
//   Result<std::string> text = ReadFile("spec/openapi.yaml");   // kNotFound if missing
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/stat.h>

#include "common/result.h"

namespace conform {

// Files larger than this are refused unless a caller says otherwise: a spec, a cassette or a
// recording that size is a mistake (or /dev/zero), and reading it would take the memory.
inline constexpr uint64_t kDefaultMaxFileBytes = uint64_t{1} << 30;

// kNotFound when the path does not exist, kInvalidArgument for a directory, kUnavailable
// when it cannot be read, kResourceExhausted past `max_bytes` (checked before reading a regular
// file, while reading anything else: a pipe, a device); `where` is the path.
inline Result<std::string> ReadFile(const std::string& path,
                                    uint64_t max_bytes = kDefaultMaxFileBytes) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return NotFound("no such file", path);
    }
    return Unavailable(std::string("cannot read: ") + std::strerror(errno), path);
  }
  if (S_ISDIR(info.st_mode)) {
    return InvalidArgument("is a directory, expected a file", path);
  }
  const std::string limit = "over the limit of " + std::to_string(max_bytes) + " bytes";
  if (S_ISREG(info.st_mode) && static_cast<uint64_t>(info.st_size) > max_bytes) {
    return ResourceExhausted("file is " + std::to_string(info.st_size) + " bytes, " + limit, path);
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return Unavailable(std::string("cannot read: ") + std::strerror(errno), path);
  }
  std::string text;
  if (S_ISREG(info.st_mode)) {
    text.reserve(static_cast<size_t>(info.st_size));
  }
  char buffer[1 << 16];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
    if (text.size() + n > max_bytes) {
      std::fclose(file);
      return ResourceExhausted("file is " + limit, path);
    }
    text.append(buffer, n);
  }
  bool failed = std::ferror(file) != 0;
  int error = errno;
  std::fclose(file);
  if (failed) {
    return Unavailable(std::string("cannot read: ") + std::strerror(error), path);
  }
  return text;
}

}  // namespace conform
