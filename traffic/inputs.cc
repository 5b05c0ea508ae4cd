#include "traffic/inputs.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>
#include <utility>

#include "common/file.h"
#include "traffic/har.h"
#include "traffic/internal/json_text.h"
#include "traffic/jsonl.h"

namespace conform::traffic {
namespace {

namespace fs = std::filesystem;

std::string LowerExtension(std::string_view name) {
  std::string extension = fs::path(name).extension().string();
  for (char& c : extension) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return extension;
}

bool IsTrafficExtension(const std::string& extension) {
  return extension == ".har" || extension == ".json" || extension == ".jsonl" ||
         extension == ".ndjson";
}

Result<std::string> ReadFileBytes(const std::string& path, uint64_t max_bytes) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return InvalidArgument("is a directory; expand it into files first", path);
  }
  return ReadFile(path, max_bytes);
}

bool LooksLikeHar(std::string_view text) {
  auto members = internal::SkimObject(text);
  if (!members) {
    return false;
  }
  const internal::RawMember* log = internal::FindRawMember(*members, "log");
  return log != nullptr && !log->value.empty() && log->value.front() == '{';
}

// Non-blank lines, counting at most two; and the first of them.
struct LineShape {
  size_t non_blank = 0;
  std::string_view first;
};
LineShape ShapeOf(std::string_view text) {
  LineShape shape;
  size_t position = 0;
  while (position <= text.size() && shape.non_blank < 2) {
    size_t end = text.find('\n', position);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = internal::TrimJsonSpace(text.substr(position, end - position));
    if (!line.empty()) {
      if (shape.non_blank == 0) {
        shape.first = line;
      }
      ++shape.non_blank;
    }
    position = end + 1;
  }
  return shape;
}

bool IsOneDocument(std::string_view text, const std::string& extension) {
  LineShape shape = ShapeOf(text);
  if (extension == ".jsonl" || extension == ".ndjson") {
    return false;
  }
  if (shape.non_blank <= 1) {
    return extension == ".json";
  }
  bool whole_is_json = nlohmann::json::accept(text);
  if (extension == ".json") {
    return whole_is_json || !nlohmann::json::accept(shape.first);
  }
  return whole_is_json;
}

Error NoExchanges(std::string_view name) {
  return InvalidArgument("empty: no exchanges", std::string(name));
}

}  // namespace

Result<std::vector<Exchange>> ReadInputText(std::string_view text, std::string_view name,
                                            InputFormat format, const ReadOptions& options) {
  if (internal::TrimJsonSpace(text).empty()) {
    return NoExchanges(name);
  }
  std::string extension = LowerExtension(name);
  if (format == InputFormat::kHar ||
      (format == InputFormat::kAuto && (extension == ".har" || LooksLikeHar(text)))) {
    auto exchanges = ReadHar(text, name, options.limits);
    if (!exchanges) {
      return exchanges.error();  // a conform recording cut short is recovered by the caller
    }
    if (exchanges->empty()) {
      return InvalidArgument("empty: no exchanges (log.entries is empty)", std::string(name));
    }
    return exchanges;
  }
  LineKind kind = format == InputFormat::kExchanges ? LineKind::kExchange
                  : format == InputFormat::kBodies  ? LineKind::kBody
                                                    : LineKind::kAuto;
  if (IsOneDocument(text, extension)) {
    auto exchange = ReadJsonDocument(text, name, kind, options);
    if (!exchange) {
      return exchange.error();
    }
    std::vector<Exchange> exchanges;
    exchanges.push_back(std::move(*exchange));
    return exchanges;
  }
  auto exchanges = ReadJsonl(text, name, kind, options);
  if (exchanges && exchanges->empty()) {
    return NoExchanges(name);
  }
  return exchanges;
}

Result<std::vector<Exchange>> ReadInput(std::string_view path, InputFormat format,
                                        const ReadOptions& options) {
  std::string name(path);
  auto bytes = ReadFileBytes(name, options.limits.max_file_bytes);
  if (!bytes) {
    return bytes.error();
  }
  return ReadInputText(*bytes, name, format, options);
}

Result<std::vector<std::string>> ExpandInputs(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](std::string path) {
    if (seen.insert(path).second) {
      out.push_back(std::move(path));
    }
  };
  for (const std::string& path : paths) {
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (status.type() == fs::file_type::not_found) {
      return NotFound("no such file", path);
    }
    if (ec) {
      return Unavailable("cannot read: " + ec.message(), path);
    }
    if (!fs::is_directory(status)) {
      add(path);
      continue;
    }
    std::vector<fs::path> found;
    fs::recursive_directory_iterator it(path, ec);
    if (ec) {
      return Unavailable("cannot read directory: " + ec.message(), path);
    }
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) {
        return Unavailable("cannot read directory: " + ec.message(), path);
      }
      const fs::directory_entry& entry = *it;
      std::string file_name = entry.path().filename().string();
      if (file_name.starts_with('.')) {
        if (entry.is_directory(ec)) {
          it.disable_recursion_pending();
        }
        continue;
      }
      if (entry.is_regular_file(ec) && IsTrafficExtension(LowerExtension(file_name))) {
        found.push_back(entry.path());
      }
    }
    if (ec) {
      return Unavailable("cannot read directory: " + ec.message(), path);
    }
    if (found.empty()) {
      return NotFound("no .har, .json, .jsonl or .ndjson files", path);
    }
    std::sort(found.begin(), found.end());
    for (const fs::path& file : found) {
      add(file.string());
    }
  }
  return out;
}

}  // namespace conform::traffic
