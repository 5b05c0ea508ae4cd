#include "recorder/internal/json_redact.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "common/utf8.h"
#include "recorder/internal/byte_scan.h"

namespace conform::recorder::internal {
namespace {

// Whether some byte of `word` equals `byte` (the classic has-zero-byte trick).
bool HasByte(uint32_t word, unsigned char byte) {
  uint32_t x = word ^ (0x01010101u * byte);
  return ((x - 0x01010101u) & ~x & 0x80808080u) != 0;
}

// Whether a name whose last three characters (lowercased, '_' and '-' dropped) are `last_three`
// (third-last in the low byte) and whose fourth-last is `fourth` may be a built-in secret name:
// apiKey/privateKey/secretKey, secret, password, passwd, token, authorization (checked on four
// letters: "region" is common and not a secret), credentials, cookie.
constexpr bool SecretEnding(uint32_t last_three, unsigned char fourth) {
  constexpr auto pack = [](char a, char b, char c) {
    return static_cast<uint32_t>(static_cast<unsigned char>(a)) |
           static_cast<uint32_t>(static_cast<unsigned char>(b)) << 8 |
           static_cast<uint32_t>(static_cast<unsigned char>(c)) << 16;
  };
  switch (last_three) {
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

// The common case of MaybeBuiltInSecretKey in a few operations: four or more characters and
// no '_', '-' or '"' among the last four. nullopt otherwise. On the four bytes before a
// member name's closing quote it decides the name without finding where the name starts.
[[gnu::always_inline]] inline std::optional<bool> QuickEnding(std::string_view key) {
  if constexpr (std::endian::native != std::endian::little) {
    return std::nullopt;
  }
  if (key.size() < 4) {
    return std::nullopt;
  }
  uint32_t word = 0;
  std::memcpy(&word, key.data() + key.size() - 4, 4);  // byte 0 is the fourth-last character
  if (HasByte(word, '_') || HasByte(word, '-') || HasByte(word, '"')) {
    return std::nullopt;
  }
  // OR 0x20 turns exactly the ASCII capitals into small letters; no other byte becomes a letter.
  word |= 0x20202020u;
  return SecretEnding(word >> 8, static_cast<unsigned char>(word & 0xFFu));
}

// Set bits, without the libgcc call std::popcount becomes below x86-64-v2.
inline size_t CountBits(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<size_t>((x * 0x0101010101010101ULL) >> 56);
}

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

// Whether a member name (raw: between its quotes, `escaped` when it holds a backslash) is
// secret by name: a built-in secret name or one of the extras (normalised).
bool IsSecretName(std::string_view raw, bool escaped, const JsonRedactRules& rules,
                  const std::vector<std::string>& normalized_extras) {
  std::string decoded = escaped ? DecodeString(raw) : std::string();
  std::string_view key = escaped ? std::string_view(decoded) : raw;
  bool extra = false;
  if (!normalized_extras.empty()) {
    std::string normalized = traffic::NormalizeJsonKey(key);
    for (const std::string& name : normalized_extras) {
      extra = extra || name == normalized;
    }
  }
  return (extra || MaybeBuiltInSecretKey(key)) && traffic::IsSecretJsonKey(key, rules.key_rules);
}

// Index just past the value at `start`, found at `depth` containers down. A container value
// that reaches deeper than max_depth sets `too_deep`.
size_t SkimValue(std::string_view text, size_t start, size_t depth, size_t max_depth,
                 bool& too_deep) {
  if (start >= text.size()) {
    return start;
  }
  char c = text[start];
  if (c == '"') {
    return StringEnd(text, start);
  }
  if (c == '{' || c == '[') {
    size_t nested = 0;
    size_t i = start;
    while (true) {
      i = FindStructural(text, i);
      if (i >= text.size()) {
        break;
      }
      char d = text[i];
      if (d == '"') {
        i = StringEnd(text, i);
        continue;
      }
      if (d == '{' || d == '[') {
        ++nested;
        if (depth + nested > max_depth) {
          too_deep = true;
        }
      } else if (d == '}' || d == ']') {
        if (--nested == 0) {
          return i + 1;
        }
      }
      ++i;
    }
    return text.size();
  }
  size_t i = start;
  while (i < text.size() && text[i] != ',' && text[i] != '}' && text[i] != ']' &&
         !IsJsonSpace(text[i])) {
    ++i;
  }
  return i;
}

// The redacted text under construction: the input with some values replaced by "[REDACTED]".
class Splice {
 public:
  explicit Splice(std::string_view text) : text_(text) {}

  // Replaces text[start, end) unless it holds nothing (empty, null or "").
  void Replace(size_t start, size_t end) {
    std::string_view value = text_.substr(start, end - start);
    if (value.empty() || value == "null" || value == "\"\"") {
      return;
    }
    if (!changed_) {
      out_.reserve(text_.size());
      changed_ = true;
    }
    out_.append(text_.substr(copied_, start - copied_));
    out_.append(kReplacement);
    copied_ = end;
  }

  // nullopt when nothing was replaced.
  std::optional<std::string> Finish() {
    if (!changed_) {
      return std::nullopt;
    }
    out_.append(text_.substr(copied_));
    return std::move(out_);
  }

 private:
  std::string_view text_;
  std::string out_;
  size_t copied_ = 0;
  bool changed_ = false;
};

// Where scanning starts: the first '{' or '[' (text.size() when there is none). A prefix (a
// UTF-8 BOM, an XSSI guard like ")]}'\n" or "while(1);", a JSONP "cb(") must not hide the JSON
// after it: scanning from the first bracket redacts more, never less, and the prefix is kept.
size_t ScanStart(std::string_view text) {
  size_t i = SkipSpace(text, 0);
  if (i < text.size() && text[i] != '{' && text[i] != '[') {
    i = text.find_first_of("{[", i);
  }
  return std::min(i, text.size());
}

struct Frame {
  bool is_object = false;
  size_t index = 0;     // next element of an array
  std::string segment;  // how this container was reached from its parent (paths only)
};

// The reference scanner, byte by byte over the structural characters: it follows arrays and
// member names, which path rules need, and takes any text.
class Scanner {
 public:
  Scanner(std::string_view text, const JsonRedactRules& rules)
      : text_(text), rules_(rules), splice_(text) {
    for (const std::string& extra : rules.key_rules.json_keys) {
      normalized_extras_.push_back(traffic::NormalizeJsonKey(extra));
    }
  }

  std::optional<std::string> Run() {
    size_t i = ScanStart(text_);
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
    return splice_.Finish();
  }

 private:
  bool IsSecretMember(std::string_view raw, bool escaped) {
    if (IsSecretName(raw, escaped, rules_, normalized_extras_)) {
      return true;
    }
    if (rules_.paths.empty()) {
      return false;
    }
    std::string decoded = escaped ? DecodeString(raw) : std::string();
    std::string_view key = escaped ? std::string_view(decoded) : raw;
    if (!PathMatches(key)) {
      return false;
    }
    // Page tokens survive whatever the rules say: naming the key as an extra secret is
    // refused by traffic for exactly those.
    return traffic::IsSecretJsonKey(key, traffic::RedactionRules{.json_keys = {std::string(key)}});
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

  // Skips the value at `start` (noting whether it reaches too deep) and replaces it unless it
  // holds nothing. Returns the index just past it.
  size_t ReplaceValue(size_t start) {
    size_t end = SkimValue(text_, start, stack_.size(), rules_.max_depth, too_deep_);
    splice_.Replace(start, end);
    return end;
  }

  std::string_view text_;
  const JsonRedactRules& rules_;
  std::vector<std::string> normalized_extras_;
  std::vector<Frame> stack_;
  Splice splice_;
  bool too_deep_ = false;
};

// The scanner for name rules (no paths), 64 bytes at a time: the bit masks of a block's quotes,
// backslashes, colons and brackets tell where its strings are (a quote that is not escaped
// opens or closes one), and only the colons and brackets outside strings are visited one by
// one: a colon ends a member name, brackets count the depth. About four times faster than
// Scanner on a page of jobs, where every few bytes are structural. It gives up (Run returns
// false, and Scanner takes the text) on a backslash outside a string, or a member name whose
// opening quote it cannot place; everything it accepts it redacts as Scanner does, or more.
class BlockScanner {
 public:
  BlockScanner(std::string_view text, const JsonRedactRules& rules,
               const std::vector<std::string>& normalized_extras)
      : text_(text), rules_(rules), extras_(normalized_extras), splice_(text) {}

  // False: Scanner must take the text.
  bool Run(size_t pos) {
    bool quote_at_63 = false;  // the previous block ended with an unescaped quote
    while (pos < text_.size()) {
      const size_t length = std::min<size_t>(64, text_.size() - pos);
      const char* data = text_.data() + pos;
      char tail[64];
      if (length < 64) {  // spaces set no bit
        std::memset(tail, ' ', sizeof tail);
        std::memcpy(tail, data, length);
        data = tail;
      }
      const BlockBits bits = ScanBlock(data);
      uint64_t escaped = 0;
      if (bits.backslash != 0 || escape_next_) {
        escaped = EscapedBits(bits.backslash);
      }
      const uint64_t quotes = bits.quote & ~escaped;
      const uint64_t inside = PrefixXor(quotes) ^ (in_string_ ? ~uint64_t{0} : 0);
      if ((bits.backslash & ~inside) != 0) {
        return false;  // not JSON: Scanner's reading of it is the one documented
      }
      const uint64_t colons = bits.colon & ~inside;
      const uint64_t opens = bits.open & ~inside;
      const uint64_t closes = bits.close & ~inside;
      const size_t opened = CountBits(opens);
      const size_t closed = CountBits(closes);
      // Brackets are visited in order only near the depth limit or below the root; elsewhere
      // the depth at a colon is counted from the masks, and only when a value is replaced.
      const bool in_order = closed > depth_ || depth_ + opened > rules_.max_depth;
      const uint64_t events = in_order ? colons | opens | closes : colons;
      if (events != 0) {
        const Block block{.pos = pos,
                          .quotes = quotes,
                          .backslashes = bits.backslash,
                          .opens = opens,
                          .closes = closes};
        Step step = Visit(block, events, in_order, quote_at_63);
        if (step.outcome == Outcome::kGiveUp) {
          return false;
        }
        if (step.outcome == Outcome::kDone) {
          return true;
        }
        if (step.outcome == Outcome::kRestart) {
          pos = step.restart_at;
          in_string_ = false;
          escape_next_ = false;
          quote_at_63 = false;
          last_quotes_ = {kNone, kNone};
          continue;
        }
      }
      if (!in_order) {
        depth_ += opened - closed;
      }
      RememberQuotes(pos, quotes);
      in_string_ = (inside >> 63) != 0;
      quote_at_63 = (quotes >> 63) != 0;
      pos += 64;
    }
    return true;
  }

  // The result once Run returned true.
  std::optional<std::string> Finish() {
    if (too_deep_) {
      return std::string(traffic::kRedacted);
    }
    return splice_.Finish();
  }

 private:
  static constexpr size_t kNone = std::string_view::npos;

  enum class Outcome { kNext, kRestart, kDone, kGiveUp };
  // A block of 64 bytes at `pos`, as bits: bit k is byte pos + k.
  struct Block {
    size_t pos = 0;
    uint64_t quotes = 0;       // unescaped quotes
    uint64_t backslashes = 0;  // all of them
    uint64_t opens = 0;        // brackets outside strings
    uint64_t closes = 0;
  };
  struct Step {
    Outcome outcome = Outcome::kNext;
    size_t restart_at = 0;
  };

  // The escaped bytes of a block: each backslash that is not itself escaped escapes the next.
  uint64_t EscapedBits(uint64_t backslashes) {
    uint64_t escaped = escape_next_ ? 1 : 0;
    escape_next_ = false;
    while (backslashes != 0) {
      const int k = std::countr_zero(backslashes);
      backslashes &= backslashes - 1;
      if ((escaped >> k & 1) != 0) {
        continue;
      }
      if (k == 63) {
        escape_next_ = true;
      } else {
        escaped |= uint64_t{1} << (k + 1);
      }
    }
    return escaped;
  }

  // The events of a block in order: its colons outside strings, and its brackets when
  // `in_order` (else depth_ stays the depth at the block's start).
  Step Visit(const Block& block, uint64_t events, bool in_order, bool quote_at_63) {
    const uint64_t counted = in_order ? block.opens | block.closes : 0;
    const uint64_t right_after_quote = block.quotes << 1 | (quote_at_63 ? 1 : 0);
    while (events != 0) {
      const int k = std::countr_zero(events);
      const uint64_t bit = uint64_t{1} << k;
      events &= events - 1;
      if ((counted & bit) == 0) {
        const size_t colon = block.pos + static_cast<size_t>(k);
        // The usual `"name":` needs no walk back over spaces.
        const size_t close = (right_after_quote & bit) != 0 ? colon - 1 : NameEnd(colon);
        if (close == kNone) {
          continue;  // `1:` or the like: not JSON, and no member name
        }
        Step step = Member(block, colon, close, bit - 1, !in_order);
        if (step.outcome != Outcome::kNext) {
          return step;
        }
      } else if ((block.opens & bit) != 0) {
        if (depth_ + 1 > rules_.max_depth) {
          too_deep_ = true;
          return Step{Outcome::kDone};
        }
        ++depth_;
      } else {
        depth_ -= depth_ > 0 ? 1 : 0;
      }
    }
    return Step{};
  }

  // The closing quote of the member name before `colon` (spaces between), or kNone.
  size_t NameEnd(size_t colon) const {
    size_t close = colon;
    while (close > 0 && IsJsonSpace(text_[close - 1])) {
      --close;
    }
    return close > 0 && text_[close - 1] == '"' ? close - 1 : kNone;
  }

  // The member name that ends with the quote at `close` before `colon`: its value is replaced
  // when the name is secret. `before`: the bits of the block before the colon;
  // `brackets_uncounted`: the block's brackets are not in depth_ yet.
  Step Member(const Block& block, size_t colon, size_t close, uint64_t before,
              bool brackets_uncounted) {
    const size_t pos = block.pos;
    // Most names end in a way no secret name does: decided from their last four bytes, when no
    // escape can reach into them.
    if (extras_.empty() && block.backslashes == 0 && close >= pos + 10) {
      if (std::optional<bool> quick = QuickEnding(text_.substr(close - 4, 4)); quick && !*quick) {
        return Step{};
      }
    }
    // The two unescaped quotes before the colon: the name's closing and opening quotes.
    uint64_t quotes_before = block.quotes & before;
    size_t from_history = 0;
    auto previous_quote = [&]() -> size_t {
      if (quotes_before != 0) {
        const int top = 63 - std::countl_zero(quotes_before);
        quotes_before &= ~(uint64_t{1} << top);
        return pos + static_cast<size_t>(top);
      }
      return from_history < 2 ? last_quotes_[from_history++] : kNone;
    };
    const size_t closing = previous_quote();
    const size_t open = previous_quote();
    if (closing != close || open == kNone) {
      return Step{Outcome::kGiveUp};
    }
    std::string_view raw = text_.substr(open + 1, close - open - 1);
    const bool escaped =
        open >= pos
            ? (block.backslashes >> (open - pos) & ((uint64_t{1} << (close - open)) - 1)) != 0
                    : raw.find('\\') != std::string_view::npos;
    if (!IsSecretName(raw, escaped, rules_, extras_)) {
      return Step{};
    }
    const size_t depth = brackets_uncounted ? depth_ + CountBits(block.opens & before) -
                                                  CountBits(block.closes & before)
                                            : depth_;
    const size_t value = SkipSpace(text_, colon + 1);
    const size_t end = SkimValue(text_, value, depth, rules_.max_depth, too_deep_);
    if (too_deep_) {
      return Step{Outcome::kDone};
    }
    splice_.Replace(value, end);
    depth_ = depth;  // the value's own brackets are behind it
    // The value is skipped whole: its bytes may lie in this block or far beyond it.
    return Step{Outcome::kRestart, end};
  }

  // Keeps the positions of the last two unescaped quotes seen, for member names that began in
  // an earlier block.
  void RememberQuotes(size_t pos, uint64_t quotes) {
    for (int taken = 0; quotes != 0 && taken < 2; ++taken) {
      const int top = 63 - std::countl_zero(quotes);
      quotes &= ~(uint64_t{1} << top);
      // Visiting from the last quote backwards: the first found is the latest overall.
      if (taken == 0) {
        last_quotes_[1] = last_quotes_[0];
        last_quotes_[0] = pos + static_cast<size_t>(top);
      } else {
        last_quotes_[1] = pos + static_cast<size_t>(top);
      }
    }
  }

  std::string_view text_;
  const JsonRedactRules& rules_;
  const std::vector<std::string>& extras_;
  Splice splice_;
  size_t depth_ = 0;
  bool in_string_ = false;    // the block starts inside a string
  bool escape_next_ = false;  // its first byte is escaped
  std::array<size_t, 2> last_quotes_{kNone, kNone};  // latest first
  bool too_deep_ = false;
};

}  // namespace

bool MaybeBuiltInSecretKey(std::string_view key) {
  if (std::optional<bool> quick = QuickEnding(key)) {
    return *quick;
  }
  // The last three characters, '_' and '-' skipped, lowercased, packed as SecretEnding reads
  // them: "apiKey" -> 'k' | 'e' << 8 | 'y' << 16.
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
      packed |= static_cast<uint32_t>(c) << (8 * (2 - found));
    } else {
      fourth = c;
    }
    ++found;
  }
  return found >= 3 && SecretEnding(packed, fourth);
}

namespace {

// BlockScanner's result; nullopt when Scanner must take the text.
std::optional<std::optional<std::string>> BlockScan(std::string_view text, size_t start,
                                                    const JsonRedactRules& rules,
                                                    const std::vector<std::string>& extras) {
  BlockScanner scanner(text, rules, extras);
  if (!scanner.Run(start)) {
    return std::nullopt;
  }
  return scanner.Finish();
}

}  // namespace

std::optional<std::string> RedactJsonText(std::string_view text, const JsonRedactRules& rules) {
  if (rules.paths.empty()) {
    const size_t start = ScanStart(text);
    if (start >= text.size()) {
      return std::nullopt;
    }
    std::vector<std::string> extras;
    for (const std::string& extra : rules.key_rules.json_keys) {
      extras.push_back(traffic::NormalizeJsonKey(extra));
    }
    if (std::optional<std::optional<std::string>> redacted = BlockScan(text, start, rules, extras)) {
      return std::move(*redacted);
    }
  }
  return Scanner(text, rules).Run();
}

std::optional<std::string> RedactJsonTextReference(std::string_view text,
                                                   const JsonRedactRules& rules) {
  return Scanner(text, rules).Run();
}

}  // namespace conform::recorder::internal
