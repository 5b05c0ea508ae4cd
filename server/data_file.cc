#include "server/data_file.h"

#include <cstddef>
#include <exception>
#include <set>
#include <utility>

#include "common/file.h"
#include "server/store.h"
#include "traffic/json_members.h"

namespace conform::server {
namespace {

using Json = nlohmann::json;

struct Located {
  Json value;
  size_t line = 0;
};

size_t LineAt(std::string_view text, size_t offset) {
  size_t line = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    line += text[i] == '\n' ? 1 : 0;
  }
  return line;
}

std::string LineColumn(std::string_view text, size_t offset) {
  size_t line = 1;
  size_t column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

// nlohmann's parse error, as "where" + a message without its "[json.exception...]" prefix.
Error SyntaxError(std::string_view text, const std::string& name, size_t base_offset,
                  size_t base_line) {
  try {
    Json parsed = Json::parse(text);  // throws: that is the point
    (void)parsed;
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    size_t reason = what.find("syntax error");
    if (reason == std::string::npos) {
      reason = what.rfind(": ");
      reason = reason == std::string::npos ? 0 : reason + 2;
    }
    size_t offset = e.byte == 0 ? 0 : e.byte - 1;
    std::string where;
    if (base_line == 0) {
      where = name + ":" + LineColumn(text, offset + base_offset);
    } else {
      where = name + ":" + std::to_string(base_line) + ":" + std::to_string(offset + 1);
    }
    return InvalidArgument("not valid JSON: " + what.substr(reason), where);
  } catch (const std::exception& e) {
    return InvalidArgument(std::string("not valid JSON: ") + e.what(), name);
  }
  return InvalidArgument("not valid JSON", name);
}

// Offsets where each element of a top-level JSON array starts (the text is valid JSON).
std::vector<size_t> ElementOffsets(std::string_view text) {
  std::vector<size_t> offsets;
  int depth = 0;
  bool in_string = false;
  bool expect_element = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      continue;
    }
    if (expect_element && c != ']') {
      offsets.push_back(i);
    }
    expect_element = false;
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++depth;
      expect_element = depth == 1;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == ',' && depth == 1) {
      expect_element = true;
    }
  }
  return offsets;
}

// A member given twice in a job: which value the server serves would be a guess.
Error DuplicateMember(const traffic::JsonPath& path, const std::string& where) {
  return InvalidArgument(traffic::DottedPath(path) + " appears more than once in the job", where);
}

Result<std::vector<Located>> ParseArray(std::string_view text, const std::string& name) {
  traffic::ParsedJson document = traffic::ParseJsonNotingDuplicates(text);
  Json& parsed = document.value;
  if (parsed.is_discarded()) {
    return SyntaxError(text, name, 0, 0);
  }
  if (!parsed.is_array()) {
    return InvalidArgument("expected a JSON array of jobs or JSON Lines", name + ":1");
  }
  std::vector<size_t> offsets = ElementOffsets(text);
  std::vector<Located> jobs;
  jobs.reserve(parsed.size());
  size_t line = 1;
  size_t scanned = 0;
  for (size_t i = 0; i < parsed.size(); ++i) {
    size_t offset = i < offsets.size() ? offsets[i] : text.size();
    // Count lines incrementally: LineAt from the start for every element would be quadratic.
    line += LineAt(text.substr(scanned, offset - scanned), offset - scanned) - 1;
    scanned = offset;
    if (document.duplicate && document.duplicate->front() == traffic::JsonPathStep(i)) {
      return DuplicateMember(traffic::JsonPath(document.duplicate->begin() + 1, document.duplicate->end()),
                             name + ":" + std::to_string(line));
    }
    jobs.push_back({std::move(parsed[i]), line});
  }
  return jobs;
}

Result<std::vector<Located>> ParseLines(std::string_view text, const std::string& name) {
  std::vector<Located> jobs;
  size_t start = 0;
  size_t line = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    ++line;
    std::string_view row = text.substr(start, end - start);
    size_t row_offset = start;
    start = end + 1;
    if (row.find_first_not_of(" \t\r") == std::string_view::npos) {
      continue;
    }
    traffic::ParsedJson parsed = traffic::ParseJsonNotingDuplicates(row);
    if (parsed.value.is_discarded()) {
      return SyntaxError(row, name, row_offset, line);
    }
    if (parsed.duplicate) {
      return DuplicateMember(*parsed.duplicate, name + ":" + std::to_string(line));
    }
    jobs.push_back({std::move(parsed.value), line});
  }
  return jobs;
}

std::string Clip(const std::string& text) {
  return text.size() <= 200 ? text : text.substr(0, 200) + "...";
}

}  // namespace

Result<std::vector<Json>> ParseJobs(std::string_view text, const std::string& name,
                                    const ServedContract& contract) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);  // a UTF-8 byte-order mark, as some editors write
  }
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return InvalidArgument("no jobs: the file is empty (expected a JSON array or JSON Lines)",
                           name);
  }
  Result<std::vector<Located>> located =
      text[first] == '[' ? ParseArray(text, name) : ParseLines(text, name);
  if (!located) {
    return located.error();
  }
  std::set<std::string> names;
  std::vector<Json> jobs;
  jobs.reserve(located->size());
  for (Located& job : *located) {
    const std::string where = name + ":" + std::to_string(job.line);
    if (!job.value.is_object()) {
      return InvalidArgument(
          "a job must be a JSON object, got " + std::string(job.value.type_name()), where);
    }
    auto name_node = job.value.find("name");
    if (name_node == job.value.end() || !name_node->is_string()) {
      return InvalidArgument(
          "the job has no string \"name\"; it must be accounts/{account}/dpoJobs/{job}", where);
    }
    const std::string job_name = name_node->get<std::string>();
    Result<std::string> account = AccountOfJobName(job_name);
    if (!account) {
      return InvalidArgument(account.error().message, where);
    }
    std::vector<validator::SchemaViolation> violations =
        contract.job_schema->Validate(job.value, {.strict = true});
    if (!violations.empty()) {
      const validator::SchemaViolation& v = violations.front();
      std::string pointer = v.pointer.empty() ? "/" : v.pointer;
      return InvalidArgument("job '" + Clip(job_name) + "' breaks the DpoJob schema at " + pointer +
                                 ": " + v.message + " (" + v.check_id + ")",
                             where);
    }
    if (!names.insert(job_name).second) {
      return InvalidArgument("duplicate job name '" + Clip(job_name) + "'", where);
    }
    jobs.push_back(std::move(job.value));
  }
  return jobs;
}

Result<std::vector<Json>> LoadJobsFile(const std::string& path, const ServedContract& contract) {
  Result<std::string> text = ReadFile(path);
  if (!text) {
    return text.error();
  }
  return ParseJobs(*text, path, contract);
}

}  // namespace conform::server
