#include "recorder/internal/json_redact.h"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "common/utf8.h"
#include "recorder/internal/byte_scan.h"

namespace conform::recorder::internal {
namespace {

constexpr std::string_view kReplacement = "\"[REDACTED]\"";

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t SkipSpace(std::string_view text, size_t i) {
  while (i < text.size() && IsJsonSpace(text[i])) {
    ++i;
  }
  return i;
}

struct StringSpan {
  size_t end = 0;        // just past the closing quote, or text.size() when unterminated
  bool escaped = false;  // the contents hold a backslash escape
};

StringSpan ScanString(std::string_view text, size_t open) {
  StringSpan span;
  size_t i = open + 1;
  while (true) {
    i = FindEither(text, i, '"', '\\');
    if (i >= text.size()) {
      span.end = text.size();
      return span;
    }
    if (text[i] == '\\') {
      span.escaped = true;
      i += 2;  // the escaped character, whatever it is
      continue;
    }
    span.end = i + 1;
    return span;
  }
}

size_t StringEnd(std::string_view text, size_t open) { return ScanString(text, open).end; }

std::optional<unsigned> Hex4(std::string_view text, size_t at) {
  if (at + 4 > text.size()) {
    return std::nullopt;
  }
  unsigned value = 0;
  for (size_t k = 0; k < 4; ++k) {
    int digit = HexDigitValue(text[at + k]);
    if (digit < 0) {
      return std::nullopt;
    }
    value = value * 16 + static_cast<unsigned>(digit);
  }
  return value;
}

// The text of a JSON string's contents (between the quotes) with its escapes decoded. A bad
// escape is kept literally: the key is compared, not validated.
std::string DecodeString(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != '\\' || i + 1 >= raw.size()) {
      out.push_back(c);
      continue;
    }
    char e = raw[++i];
    switch (e) {
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u': {
        auto unit = Hex4(raw, i + 1);
        if (!unit) {
          out.push_back('u');
          break;
        }
        i += 4;
        unsigned code_point = *unit;
        if (code_point >= 0xD800 && code_point <= 0xDBFF && i + 2 < raw.size() &&
            raw[i + 1] == '\\' && raw[i + 2] == 'u') {
          auto low = Hex4(raw, i + 3);
          if (low && *low >= 0xDC00 && *low <= 0xDFFF) {
            code_point = 0x10000 + ((code_point - 0xD800) << 10) + (*low - 0xDC00);
            i += 6;
          }
        }
        AppendUtf8(out, code_point);
        break;
      }
      default:
        out.push_back(e);  // \" \\ \/ and anything else
    }
  }
  return out;
}

struct Frame {
  bool is_object = false;
  size_t index = 0;     // next element of an array
  std::string segment;  // how this container was reached from its parent (paths only)
};

class Scanner {
 public:
  Scanner(std::string_view text, const JsonRedactRules& rules) : text_(text), rules_(rules) {
    for (const std::string& extra : rules.key_rules.json_keys) {
      normalized_extras_.push_back(traffic::NormalizeJsonKey(extra));
    }
  }

  std::optional<std::string> Run() {
    size_t i = SkipSpace(text_, 0);
    if (i < text_.size() && text_[i] != '{' && text_[i] != '[') {
      // A prefix (a UTF-8 BOM, an XSSI guard like ")]}'\n" or "while(1);", a JSONP "cb(")
      // must not hide the JSON after it: scanning from the first bracket redacts more, never
      // less, and the prefix is copied as it is.
      i = text_.find_first_of("{[", i);
    }
    if (i >= text_.size()) {
      return std::nullopt;
    }
    std::string pending_segment;
    bool expect_key = false;  // inside an object, before a member name
    while (true) {
      i = FindStructural(text_, i);  // numbers, literals, ':' and spaces need no attention
      if (i >= text_.size()) {
        break;
      }
      char c = text_[i];
      if (c == '"') {
        StringSpan span = ScanString(text_, i);
        size_t end = span.end;
        size_t after = SkipSpace(text_, end);
        bool in_object = !stack_.empty() && stack_.back().is_object;
        if (in_object && expect_key && after < text_.size() && text_[after] == ':') {
          expect_key = false;
          std::string_view raw = text_.substr(i + 1, end - i - 2);
          size_t value_start = SkipSpace(text_, after + 1);
          if (IsSecretMember(raw, span.escaped)) {
            i = ReplaceValue(value_start);
            if (too_deep_) {
              return std::string(traffic::kRedacted);
            }
            continue;
          }
          if (!rules_.paths.empty()) {
            pending_segment = span.escaped ? DecodeString(raw) : std::string(raw);
          }
          i = value_start;
          continue;
        }
        i = end;
        continue;
      }
      switch (c) {
        case '{':
        case '[':
          if (stack_.size() + 1 > rules_.max_depth) {
            return std::string(traffic::kRedacted);
          }
          if (!rules_.paths.empty() && !stack_.empty() && !stack_.back().is_object) {
            pending_segment = std::to_string(stack_.back().index);
          }
          stack_.push_back(Frame{.is_object = c == '{', .segment = std::move(pending_segment)});
          pending_segment.clear();
          expect_key = c == '{';
          ++i;
          if (c == '[' && !rules_.paths.empty()) {
            i = MaybeReplaceElement(i);
            if (too_deep_) {
              return std::string(traffic::kRedacted);
            }
          }
          continue;
        case '}':
        case ']':
          if (!stack_.empty()) {
            stack_.pop_back();
          }
          expect_key = false;
          ++i;
          continue;
        case ',':
          ++i;
          if (!stack_.empty() && stack_.back().is_object) {
            expect_key = true;
          } else if (!stack_.empty()) {
            ++stack_.back().index;
            if (!rules_.paths.empty()) {
              i = MaybeReplaceElement(i);
              if (too_deep_) {
                return std::string(traffic::kRedacted);
              }
            }
          }
          continue;
        default:
          ++i;
      }
    }
    if (!changed_) {
      return std::nullopt;
    }
    out_.append(text_.substr(copied_));
    return std::move(out_);
  }

 private:
  bool IsSecretMember(std::string_view raw, bool escaped) {
    std::string decoded = escaped ? DecodeString(raw) : std::string();
    std::string_view key = escaped ? std::string_view(decoded) : raw;
    if (MaybeBuiltInSecretKey(key) || IsExtra(key)) {
      if (traffic::IsSecretJsonKey(key, rules_.key_rules)) {
        return true;
      }
    }
    if (rules_.paths.empty() || !PathMatches(key)) {
      return false;
    }
    // Page tokens survive whatever the rules say: naming the key as an extra secret is
    // refused by traffic for exactly those.
    return traffic::IsSecretJsonKey(key, traffic::RedactionRules{.json_keys = {std::string(key)}});
  }

  bool IsExtra(std::string_view key) const {
    if (normalized_extras_.empty()) {
      return false;
    }
    std::string normalized = traffic::NormalizeJsonKey(key);
    for (const std::string& extra : normalized_extras_) {
      if (extra == normalized) {
        return true;
      }
    }
    return false;
  }

  // Whether the value reached by `last` from the current container is selected by a path.
  bool PathMatches(std::string_view last) const {
    // stack_[0] is the root: its segment is empty and not part of the path.
    size_t length = stack_.size();  // (stack_.size() - 1) containers below the root, + last
    for (const std::vector<std::string>& path : rules_.paths) {
      if (path.size() != length) {
        continue;
      }
      bool match = true;
      for (size_t k = 0; k + 1 < length && match; ++k) {
        match = path[k] == "*" || path[k] == stack_[k + 1].segment;
      }
      if (match && (path.back() == "*" || path.back() == last)) {
        return true;
      }
    }
    return false;
  }

  // At the start of an array element (after '[' or ','): replaces it if a path selects it.
  size_t MaybeReplaceElement(size_t i) {
    size_t start = SkipSpace(text_, i);
    if (start >= text_.size() || text_[start] == ']') {
      return i;
    }
    if (!PathMatches(std::to_string(stack_.back().index))) {
      return i;
    }
    return ReplaceValue(start);
  }

  // Skips the value at `start` (recording its depth) and replaces it unless it is null or "".
  // Returns the index just past it.
  size_t ReplaceValue(size_t start) {
    size_t end = SkimValue(start);
    std::string_view value = text_.substr(start, end - start);
    if (value.empty() || value == "null" || value == "\"\"") {
      return end;
    }
    if (!changed_) {
      out_.reserve(text_.size());
      changed_ = true;
    }
    out_.append(text_.substr(copied_, start - copied_));
    out_.append(kReplacement);
    copied_ = end;
    return end;
  }

  size_t SkimValue(size_t start) {
    if (start >= text_.size()) {
      return start;
    }
    char c = text_[start];
    if (c == '"') {
      return StringEnd(text_, start);
    }
    if (c == '{' || c == '[') {
      size_t depth = 0;
      size_t i = start;
      while (true) {
        i = FindStructural(text_, i);
        if (i >= text_.size()) {
          break;
        }
        char d = text_[i];
        if (d == '"') {
          i = StringEnd(text_, i);
          continue;
        }
        if (d == '{' || d == '[') {
          ++depth;
          if (stack_.size() + depth > rules_.max_depth) {
            too_deep_ = true;
          }
        } else if (d == '}' || d == ']') {
          if (--depth == 0) {
            return i + 1;
          }
        }
        ++i;
      }
      return text_.size();
    }
    size_t i = start;
    while (i < text_.size() && text_[i] != ',' && text_[i] != '}' && text_[i] != ']' &&
           !IsJsonSpace(text_[i])) {
      ++i;
    }
    return i;
  }

  std::string_view text_;
  const JsonRedactRules& rules_;
  std::vector<std::string> normalized_extras_;
  std::vector<Frame> stack_;
  std::string out_;
  size_t copied_ = 0;
  bool changed_ = false;
  bool too_deep_ = false;
};

}  // namespace

namespace {

// Whether some byte of `word` equals `byte` (the classic has-zero-byte trick).
bool HasByte(uint32_t word, unsigned char byte) {
  uint32_t x = word ^ (0x01010101u * byte);
  return ((x - 0x01010101u) & ~x & 0x80808080u) != 0;
}

// The common case of MaybeBuiltInSecretKey in a few operations: four or more characters and
// no '_' or '-' among the last four. nullopt otherwise.
std::optional<bool> QuickEnding(std::string_view key) {
  if constexpr (std::endian::native != std::endian::little) {
    return std::nullopt;
  }
  if (key.size() < 4) {
    return std::nullopt;
  }
  uint32_t word = 0;
  std::memcpy(&word, key.data() + key.size() - 4, 4);  // byte 0 is the fourth-last character
  if (HasByte(word, '_') || HasByte(word, '-')) {
    return std::nullopt;
  }
  // OR 0x20 turns exactly the ASCII capitals into small letters; no other byte becomes a letter.
  word |= 0x20202020u;
  constexpr auto pack = [](char a, char b, char c) {
    return static_cast<uint32_t>(static_cast<unsigned char>(a)) |
           static_cast<uint32_t>(static_cast<unsigned char>(b)) << 8 |
           static_cast<uint32_t>(static_cast<unsigned char>(c)) << 16;
  };
  switch (word >> 8) {
    case pack('k', 'e', 'y'):
    case pack('r', 'e', 't'):
    case pack('o', 'r', 'd'):
    case pack('s', 'w', 'd'):
    case pack('k', 'e', 'n'):
    case pack('a', 'l', 's'):
    case pack('k', 'i', 'e'):
      return true;
    case pack('i', 'o', 'n'):
      return (word & 0xFFu) == 't';
    default:
      return false;
  }
}

}  // namespace

bool MaybeBuiltInSecretKey(std::string_view key) {
  if (std::optional<bool> quick = QuickEnding(key)) {
    return *quick;
  }
  // The last three characters, '_' and '-' skipped, lowercased, packed: "apiKey" -> 'k','e','y'.
  uint32_t packed = 0;
  unsigned char fourth = 0;
  int found = 0;
  for (size_t i = key.size(); i > 0 && found < 4; --i) {
    auto c = static_cast<unsigned char>(key[i - 1]);
    if (c == '_' || c == '-') {
      continue;
    }
    c = c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c - 'A' + 'a') : c;
    if (found < 3) {
      packed |= static_cast<uint32_t>(c) << (8 * found);
    } else {
      fourth = c;
    }
    ++found;
  }
  if (found < 3) {
    return false;
  }
  // apiKey/privateKey/secretKey, secret, password, passwd, token, authorization (checked on
  // four letters: "region" is common and not a secret), credentials, cookie.
  constexpr auto pack = [](char a, char b, char c) {
    return static_cast<uint32_t>(static_cast<unsigned char>(c)) |
           static_cast<uint32_t>(static_cast<unsigned char>(b)) << 8 |
           static_cast<uint32_t>(static_cast<unsigned char>(a)) << 16;
  };
  switch (packed) {
    case pack('k', 'e', 'y'):
    case pack('r', 'e', 't'):
    case pack('o', 'r', 'd'):
    case pack('s', 'w', 'd'):
    case pack('k', 'e', 'n'):
    case pack('a', 'l', 's'):
    case pack('k', 'i', 'e'):
      return true;
    case pack('i', 'o', 'n'):
      return fourth == 't';
    default:
      return false;
  }
}

std::optional<std::string> RedactJsonText(std::string_view text, const JsonRedactRules& rules) {
  return Scanner(text, rules).Run();
}

}  // namespace conform::recorder::internal
