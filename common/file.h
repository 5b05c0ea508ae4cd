// Reading a whole file into memory, with the errors every command reports the same way.
//   Result<std::string> text = ReadFile("spec/openapi.yaml");   // kNotFound if missing
#pragma once

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/stat.h>

#include "common/result.h"

namespace conform {

// kNotFound when the path does not exist, kInvalidArgument for a directory, kUnavailable
// when it cannot be read; `where` is the path.
inline Result<std::string> ReadFile(const std::string& path) {
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
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return Unavailable(std::string("cannot open: ") + std::strerror(errno), path);
  }
  std::string text;
  if (S_ISREG(info.st_mode)) {
    text.reserve(static_cast<size_t>(info.st_size));
  }
  char buffer[1 << 16];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
    text.append(buffer, n);
  }
  bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) {
    return Unavailable("read error", path);
  }
  return text;
}

}  // namespace conform
