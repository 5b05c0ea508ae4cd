#include "traffic/internal/json_text.h"

#include <cstdint>
#include <cstring>
#include <utility>

#include "traffic/json_members.h"

namespace conform::traffic::internal {
namespace {

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Index just past the closing quote of the string whose opening quote is at `open`.
std::optional<size_t> SkipString(std::string_view text, size_t open) {
  size_t i = open + 1;
  while (i < text.size()) {
    const void* found = std::memchr(text.data() + i, '"', text.size() - i);
    if (found == nullptr) {
      return std::nullopt;
    }
    size_t quote = static_cast<size_t>(static_cast<const char*>(found) - text.data());
    size_t backslashes = 0;
    while (quote - backslashes > open + 1 && text[quote - backslashes - 1] == '\\') {
      ++backslashes;
    }
    if (backslashes % 2 == 0) {
      return quote + 1;
    }
    i = quote + 1;
  }
  return std::nullopt;
}

// Index just past the value starting at `start` (which is not whitespace).
std::optional<size_t> SkipValue(std::string_view text, size_t start) {
  if (start >= text.size()) {
    return std::nullopt;
  }
  char first = text[start];
  if (first == '"') {
    return SkipString(text, start);
  }
  if (first == '{' || first == '[') {
    size_t depth = 0;
    size_t i = start;
    while (i < text.size()) {
      char c = text[i];
      if (c == '"') {
        auto end = SkipString(text, i);
        if (!end) {
          return std::nullopt;
        }
        i = *end;
        continue;
      }
      if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) {
          return i + 1;
        }
      }
      ++i;
    }
    return std::nullopt;
  }
  size_t i = start;
  while (i < text.size() && !IsJsonSpace(text[i]) && text[i] != ',' && text[i] != '}' &&
         text[i] != ']' && text[i] != ':' && text[i] != '{' && text[i] != '[' && text[i] != '"') {
    ++i;
  }
  if (i == start) {
    return std::nullopt;
  }
  return i;
}

size_t SkipSpace(std::string_view text, size_t i) {
  while (i < text.size() && IsJsonSpace(text[i])) {
    ++i;
  }
  return i;
}

// Collects the position of the first parse error without throwing. The member names are
// nlohmann's SAX interface.
// NOLINTBEGIN(readability-identifier-naming)
class ErrorCatcher {
 public:
  using Json = nlohmann::json;
  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(Json::number_integer_t) { return true; }
  bool number_unsigned(Json::number_unsigned_t) { return true; }
  bool number_float(Json::number_float_t, const Json::string_t&) { return true; }
  bool string(Json::string_t&) { return true; }
  bool binary(Json::binary_t&) { return true; }
  bool start_object(size_t) { return true; }
  bool key(Json::string_t&) { return true; }
  bool end_object() { return true; }
  bool start_array(size_t) { return true; }
  bool end_array() { return true; }
  bool parse_error(size_t position, const std::string&, const nlohmann::detail::exception& e) {
    position_ = position;
    message_ = e.what();
    return false;
  }

  size_t Position() const { return position_; }
  const std::string& Message() const { return message_; }

 private:
  size_t position_ = 0;
  std::string message_;
};
// NOLINTEND(readability-identifier-naming)

}  // namespace

std::string_view TrimJsonSpace(std::string_view text) {
  size_t begin = 0;
  while (begin < text.size() && IsJsonSpace(text[begin])) {
    ++begin;
  }
  size_t end = text.size();
  while (end > begin && IsJsonSpace(text[end - 1])) {
    --end;
  }
  return text.substr(begin, end - begin);
}

TextPosition PositionOf(std::string_view text, size_t offset) {
  TextPosition position;
  size_t end = offset < text.size() ? offset : text.size();
  for (size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else {
      ++position.column;
    }
  }
  return position;
}

std::optional<std::vector<RawMember>> SkimObject(std::string_view text) {
  size_t i = SkipSpace(text, 0);
  if (i >= text.size() || text[i] != '{') {
    return std::nullopt;
  }
  std::vector<RawMember> members;
  i = SkipSpace(text, i + 1);
  if (i < text.size() && text[i] == '}') {
    return SkipSpace(text, i + 1) == text.size() ? std::optional(members) : std::nullopt;
  }
  while (i < text.size()) {
    if (text[i] != '"') {
      return std::nullopt;
    }
    auto key_end = SkipString(text, i);
    if (!key_end) {
      return std::nullopt;
    }
    std::string_view key = text.substr(i + 1, *key_end - i - 2);
    i = SkipSpace(text, *key_end);
    if (i >= text.size() || text[i] != ':') {
      return std::nullopt;
    }
    i = SkipSpace(text, i + 1);
    auto value_end = SkipValue(text, i);
    if (!value_end) {
      return std::nullopt;
    }
    members.push_back(RawMember{key, text.substr(i, *value_end - i)});
    i = SkipSpace(text, *value_end);
    if (i >= text.size()) {
      return std::nullopt;
    }
    if (text[i] == '}') {
      return SkipSpace(text, i + 1) == text.size() ? std::optional(std::move(members))
                                                   : std::nullopt;
    }
    if (text[i] != ',') {
      return std::nullopt;
    }
    i = SkipSpace(text, i + 1);
  }
  return std::nullopt;
}

const RawMember* FindRawMember(const std::vector<RawMember>& members, std::string_view key) {
  const RawMember* found = nullptr;
  for (const RawMember& member : members) {
    if (member.key == key) {
      found = &member;
    }
  }
  return found;
}

bool IsIntegerLiteral(std::string_view raw) {
  if (!raw.empty() && raw.front() == '-') {
    raw.remove_prefix(1);
  }
  if (raw.empty() || (raw.size() > 1 && raw.front() == '0')) {
    return false;
  }
  for (char c : raw) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

std::optional<int> HttpStatusOf(const nlohmann::json& value) {
  if (value.is_number_unsigned()) {
    auto status = value.get<uint64_t>();
    return status <= 999 ? std::optional(static_cast<int>(status)) : std::nullopt;
  }
  if (value.is_number_integer()) {  // negative, or "-0"
    auto status = value.get<int64_t>();
    return status >= 0 && status <= 999 ? std::optional(static_cast<int>(status)) : std::nullopt;
  }
  return std::nullopt;
}

std::string Printable(std::string_view text, size_t max_length) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    if (out.size() >= max_length) {
      out += "...";
      break;
    }
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F) {
      out.push_back(c);
    } else {
      out += "\\x";
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0x0F]);
    }
  }
  return out;
}

Result<nlohmann::json> ParseJson(std::string_view text, std::string_view source, size_t max_depth,
                                 size_t first_line) {
  auto where = [&](size_t offset) {
    TextPosition at = PositionOf(text, offset);
    return std::string(source) + ":" + std::to_string(first_line + at.line - 1) + ":" +
           std::to_string(at.column);
  };
  if (auto offset = FindDepthExceeded(text, max_depth)) {
    return ResourceExhausted(
        "JSON nesting deeper than the limit of " + std::to_string(max_depth) + " levels",
        where(*offset));
  }
  ParsedJson parsed = ParseJsonNotingDuplicates(text);
  if (!parsed.value.is_discarded()) {
    if (parsed.duplicate) {
      return InvalidArgument(DottedPath(*parsed.duplicate) +
                                 " appears more than once in its object: readers disagree on "
                                 "which value counts",
                             std::string(source));
    }
    return std::move(parsed.value);
  }
  ErrorCatcher catcher;
  nlohmann::json::sax_parse(text.begin(), text.end(), &catcher);
  // nlohmann's position counts the bytes read, so the offending byte is one before it.
  size_t offset = catcher.Position() > 0 ? catcher.Position() - 1 : 0;
  std::string detail = catcher.Message();
  // "[json.exception.parse_error.101] parse error at line 1, column 4: syntax error ..."
  size_t colon = detail.find(": ");
  if (detail.rfind("[json.exception", 0) == 0 && colon != std::string::npos) {
    detail = detail.substr(colon + 2);
  }
  // Truncation: the parser ran out of input, or out of input inside a string.
  bool truncated = detail.find("unexpected end of input") != std::string::npos ||
                   (catcher.Position() >= text.size() &&
                    detail.find("missing closing quote") != std::string::npos);
  std::string message = truncated ? "truncated JSON: the text ends before the document does (" +
                                        Printable(detail, 200) + ")"
                                  : "invalid JSON: " + Printable(detail, 200);
  return InvalidArgument(std::move(message), where(offset));
}

}  // namespace conform::traffic::internal
