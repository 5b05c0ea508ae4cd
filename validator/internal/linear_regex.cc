#include "validator/internal/linear_regex.h"

#include <algorithm>
#include <memory>
#include <optional>

namespace conform::validator::internal {
namespace {

using Ranges = LinearRegex::Ranges;
using Op = LinearRegex::Op;
constexpr uint32_t kMaxCodePoint = 0x10FFFF;
constexpr uint32_t kInvalidByteBase = 0x110000;  // past Unicode: a byte that is not UTF-8
constexpr int kMaxNesting = 200;

// One code point of `text` at `at` (advanced); an invalid byte is kInvalidByteBase + byte.
uint32_t NextCodePoint(std::string_view text, size_t& at) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char first = byte(at);
  size_t length = first < 0x80 ? 1 : (first >> 5) == 0x6 ? 2 : (first >> 4) == 0xE ? 3 : (first >> 3) == 0x1E ? 4 : 0;
  if (length == 1) {
    ++at;
    return first;
  }
  if (length == 0 || at + length > text.size()) {
    ++at;
    return kInvalidByteBase + first;
  }
  uint32_t value = first & (0x7F >> length);
  for (size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) {
      ++at;
      return kInvalidByteBase + first;
    }
    value = (value << 6) | (byte(at + i) & 0x3F);
  }
  static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (value < kSmallest[length] || value > kMaxCodePoint || (value >= 0xD800 && value <= 0xDFFF)) {
    ++at;
    return kInvalidByteBase + first;
  }
  at += length;
  return value;
}

Ranges Normalize(Ranges ranges) {
  std::sort(ranges.begin(), ranges.end());
  Ranges out;
  for (const auto& range : ranges) {
    if (!out.empty() && range.first <= out.back().second + 1) {
      out.back().second = std::max(out.back().second, range.second);
    } else {
      out.push_back(range);
    }
  }
  return out;
}

// Everything `ranges` leaves out, invalid bytes included.
Ranges Complement(const Ranges& ranges) {
  Ranges sorted = Normalize(ranges);
  Ranges out;
  uint32_t next = 0;
  for (const auto& [low, high] : sorted) {
    if (low > next) {
      out.emplace_back(next, low - 1);
    }
    next = high + 1;
  }
  if (next <= kInvalidByteBase + 0xFF) {
    out.emplace_back(next, kInvalidByteBase + 0xFF);
  }
  return out;
}

const Ranges& Digits() {
  static const Ranges kDigits = {{'0', '9'}};
  return kDigits;
}
const Ranges& WordChars() {
  static const Ranges kWord = {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}};
  return kWord;
}
const Ranges& Spaces() {  // ECMA-262 WhiteSpace and LineTerminator
  static const Ranges kSpaces = Normalize({{'\t', '\r'}, {' ', ' '}, {0xA0, 0xA0}, {0x1680, 0x1680},
                                           {0x2000, 0x200A}, {0x2028, 0x2029}, {0x202F, 0x202F},
                                           {0x205F, 0x205F}, {0x3000, 0x3000}, {0xFEFF, 0xFEFF}});
  return kSpaces;
}
const Ranges& AnyButLineTerminators() {
  static const Ranges kDot = Complement({{'\n', '\n'}, {'\r', '\r'}, {0x2028, 0x2029}});
  return kDot;
}

bool IsWordChar(uint32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

struct Node {
  enum class Kind { kEmpty, kClass, kBegin, kEnd, kWordBoundary, kNotWordBoundary, kConcat, kAlternation, kRepeat };
  Kind kind = Kind::kEmpty;
  Ranges ranges;                               // kClass
  std::vector<std::unique_ptr<Node>> children;  // kConcat, kAlternation; kRepeat: one
  int min = 0;
  int max = -1;  // kRepeat; -1: no upper bound
};

}  // namespace

// Parses the pattern (as code points) into a tree, then emits the Pike VM program.
class RegexCompiler {
 public:
  explicit RegexCompiler(std::string_view pattern) {
    for (size_t at = 0; at < pattern.size();) {
      text_.push_back(NextCodePoint(pattern, at));
    }
  }

  Result<LinearRegex> Compile() {
    auto tree = ParseAlternation(0);
    if (!tree) {
      return tree.error();
    }
    if (at_ < text_.size()) {  // only an unmatched ')' stops the top level early
      return InvalidArgument("unmatched ')' at character " + std::to_string(at_ + 1));
    }
    LinearRegex regex;
    out_ = &regex;
    if (Status emitted = Emit(**tree); !emitted) {
      return emitted.error();
    }
    Add({Op::kMatch});
    return regex;
  }

 private:
  using NodePtr = std::unique_ptr<Node>;

  bool AtEnd() const { return at_ >= text_.size(); }
  uint32_t Peek(size_t ahead = 0) const { return at_ + ahead < text_.size() ? text_[at_ + ahead] : 0; }

  static NodePtr ClassNode(Ranges ranges) {
    auto node = std::make_unique<Node>();
    node->kind = Node::Kind::kClass;
    node->ranges = Normalize(std::move(ranges));
    return node;
  }
  static NodePtr Simple(Node::Kind kind) {
    auto node = std::make_unique<Node>();
    node->kind = kind;
    return node;
  }

  Result<NodePtr> ParseAlternation(int depth) {
    if (depth > kMaxNesting) {
      return Unimplemented("groups nested deeper than " + std::to_string(kMaxNesting));
    }
    auto first = ParseConcatenation(depth);
    if (!first) {
      return first.error();
    }
    if (Peek() != '|' || AtEnd()) {
      return first;
    }
    auto node = Simple(Node::Kind::kAlternation);
    node->children.push_back(*std::move(first));
    while (!AtEnd() && Peek() == '|') {
      ++at_;
      auto next = ParseConcatenation(depth);
      if (!next) {
        return next.error();
      }
      node->children.push_back(*std::move(next));
    }
    return node;
  }

  Result<NodePtr> ParseConcatenation(int depth) {
    auto node = Simple(Node::Kind::kConcat);
    while (!AtEnd() && Peek() != '|' && Peek() != ')') {
      auto atom = ParseAtom(depth);
      if (!atom) {
        return atom.error();
      }
      auto repeated = ParseQuantifier(*std::move(atom));
      if (!repeated) {
        return repeated.error();
      }
      node->children.push_back(*std::move(repeated));
    }
    return node;
  }

  // A quantifier after `atom`, if any. A '{' that does not open a valid {n}, {n,} or {n,m} is
  // a literal (ECMA-262 Annex B), as std::regex also reads it.
  Result<NodePtr> ParseQuantifier(NodePtr atom) {
    if (AtEnd()) {
      return atom;
    }
    int min = 0;
    int max = -1;
    const uint32_t c = Peek();
    if (c == '*' || c == '+' || c == '?') {
      ++at_;
      min = c == '+' ? 1 : 0;
      max = c == '?' ? 1 : -1;
    } else if (c == '{') {
      size_t save = at_;
      ++at_;
      std::optional<int> low = ParseNumber();
      std::optional<int> high;
      bool comma = false;
      if (low && Peek() == ',') {
        comma = true;
        ++at_;
        high = ParseNumber();
      }
      if (!low || AtEnd() || Peek() != '}') {
        at_ = save;
        return atom;
      }
      ++at_;
      min = *low;
      max = comma ? (high ? *high : -1) : *low;
      if (max != -1 && max < min) {
        return InvalidArgument("numbers out of order in a {" + std::to_string(min) + "," + std::to_string(max) + "} quantifier");
      }
    } else {
      return atom;
    }
    if (!AtEnd() && Peek() == '?') {
      ++at_;  // lazy: the same set of matches
    }
    const Node::Kind kind = atom->kind;
    if (kind == Node::Kind::kBegin || kind == Node::Kind::kEnd || kind == Node::Kind::kWordBoundary ||
        kind == Node::Kind::kNotWordBoundary) {
      return InvalidArgument("nothing to repeat before character " + std::to_string(at_));
    }
    auto node = Simple(Node::Kind::kRepeat);
    node->min = min;
    node->max = max;
    node->children.push_back(std::move(atom));
    return node;
  }

  std::optional<int> ParseNumber() {
    if (AtEnd() || Peek() < '0' || Peek() > '9') {
      return std::nullopt;
    }
    int64_t value = 0;
    while (!AtEnd() && Peek() >= '0' && Peek() <= '9') {
      value = std::min<int64_t>(value * 10 + (Peek() - '0'), 1'000'000);
      ++at_;
    }
    return static_cast<int>(value);
  }

  Result<NodePtr> ParseAtom(int depth) {
    const uint32_t c = Peek();
    ++at_;
    switch (c) {
      case '^':
        return Simple(Node::Kind::kBegin);
      case '$':
        return Simple(Node::Kind::kEnd);
      case '.':
        return ClassNode(AnyButLineTerminators());
      case '*':
      case '+':
      case '?':
        return InvalidArgument("nothing to repeat before character " + std::to_string(at_));
      case '[':
        return ParseClass();
      case '\\':
        return ParseEscape();
      case '(': {
        if (Peek() == '?') {
          if (Peek(1) == ':') {
            at_ += 2;
          } else if (Peek(1) == '<' && Peek(2) != '=' && Peek(2) != '!') {
            at_ += 2;  // (?<name>...): a named group
            while (!AtEnd() && Peek() != '>') {
              ++at_;
            }
            if (AtEnd()) {
              return InvalidArgument("unterminated group name");
            }
            ++at_;
          } else {
            return Unimplemented("lookahead and lookbehind need a backtracking engine");
          }
        }
        auto inner = ParseAlternation(depth + 1);
        if (!inner) {
          return inner.error();
        }
        if (AtEnd() || Peek() != ')') {
          return InvalidArgument("missing ')'");
        }
        ++at_;
        return inner;
      }
      default:
        return ClassNode({{c, c}});
    }
  }

  // After a backslash, outside a class.
  Result<NodePtr> ParseEscape() {
    if (AtEnd()) {
      return InvalidArgument("a pattern cannot end with '\\'");
    }
    const uint32_t c = Peek();
    if (c == 'b' || c == 'B') {
      ++at_;
      return Simple(c == 'b' ? Node::Kind::kWordBoundary : Node::Kind::kNotWordBoundary);
    }
    if ((c >= '1' && c <= '9') || c == 'k') {
      return Unimplemented("backreferences need a backtracking engine");
    }
    auto ranges = ParseClassEscape(false);
    if (!ranges) {
      return ranges.error();
    }
    return ClassNode(*std::move(ranges));
  }

  // The code points an escape stands for (at_ is just past the backslash).
  Result<Ranges> ParseClassEscape(bool in_class) {
    const uint32_t c = Peek();
    ++at_;
    auto hex = [&](size_t digits) -> std::optional<uint32_t> {
      uint32_t value = 0;
      for (size_t i = 0; i < digits; ++i) {
        uint32_t d = Peek();
        int v = d >= '0' && d <= '9' ? static_cast<int>(d - '0')
                : d >= 'a' && d <= 'f' ? static_cast<int>(d - 'a' + 10)
                : d >= 'A' && d <= 'F' ? static_cast<int>(d - 'A' + 10)
                                       : -1;
        if (v < 0 || AtEnd()) {
          return std::nullopt;
        }
        value = value * 16 + static_cast<uint32_t>(v);
        ++at_;
      }
      return value;
    };
    auto one = [](uint32_t v) { return Ranges{{v, v}}; };
    switch (c) {
      case 'd':
        return Digits();
      case 'D':
        return Complement(Digits());
      case 'w':
        return WordChars();
      case 'W':
        return Complement(WordChars());
      case 's':
        return Spaces();
      case 'S':
        return Complement(Spaces());
      case 't':
        return one('\t');
      case 'n':
        return one('\n');
      case 'r':
        return one('\r');
      case 'f':
        return one('\f');
      case 'v':
        return one('\v');
      case 'b':
        return one('\b');  // only reached inside a class: backspace
      case '0':
        if (Peek() >= '0' && Peek() <= '9') {
          return Unimplemented("octal escapes are not supported");
        }
        return one(0);
      case 'x': {
        size_t save = at_;
        if (auto value = hex(2)) {
          return one(*value);
        }
        at_ = save;
        return one('x');
      }
      case 'u': {
        size_t save = at_;
        if (auto value = hex(4)) {
          return one(*value);
        }
        at_ = save;
        return one('u');
      }
      case 'c':
        if ((Peek() >= 'a' && Peek() <= 'z') || (Peek() >= 'A' && Peek() <= 'Z')) {
          uint32_t letter = Peek();
          ++at_;
          return one(letter % 32);
        }
        at_ -= 1;  // "\c" not followed by a letter is a backslash, then a 'c'
        return one('\\');
      case 'p':
      case 'P':
        return Unimplemented("Unicode property escapes are not supported");
      default:
        if (in_class && c >= '1' && c <= '9') {
          return Unimplemented("octal escapes are not supported");
        }
        return one(c);  // an identity escape: \. \\ \/ \- \[ ...
    }
  }

  Result<NodePtr> ParseClass() {
    bool negated = false;
    if (Peek() == '^' && !AtEnd()) {
      negated = true;
      ++at_;
    }
    Ranges ranges;
    while (true) {
      if (AtEnd()) {
        return InvalidArgument("missing ']'");
      }
      if (Peek() == ']') {
        ++at_;
        break;
      }
      auto low = ClassAtom();
      if (!low) {
        return low.error();
      }
      if (Peek() == '-' && Peek(1) != ']' && at_ + 1 < text_.size()) {
        size_t save = at_;
        ++at_;
        auto high = ClassAtom();
        if (!high) {
          return high.error();
        }
        if (low->size() == 1 && high->size() == 1 && low->front().first == low->front().second &&
            high->front().first == high->front().second) {
          if (high->front().first < low->front().first) {
            return InvalidArgument("range out of order in a character class");
          }
          ranges.emplace_back(low->front().first, high->front().first);
          continue;
        }
        // [\d-x]: a class escape at either end makes '-' a literal (Annex B).
        at_ = save;
      }
      ranges.insert(ranges.end(), low->begin(), low->end());
      if (Peek() == '-' && (Peek(1) == ']' || at_ + 1 >= text_.size())) {
        ranges.emplace_back('-', '-');
        ++at_;
      }
    }
    return ClassNode(negated ? Complement(ranges) : ranges);
  }

  Result<Ranges> ClassAtom() {
    const uint32_t c = Peek();
    ++at_;
    if (c != '\\') {
      return Ranges{{c, c}};
    }
    if (AtEnd()) {
      return InvalidArgument("a pattern cannot end with '\\'");
    }
    return ParseClassEscape(true);
  }

  int Add(LinearRegex::Instruction instruction) {
    out_->program_.push_back(instruction);
    return static_cast<int>(out_->program_.size()) - 1;
  }

  Status Emit(const Node& node) {
    if (out_->program_.size() > LinearRegex::kMaxInstructions) {
      return Unimplemented("the pattern's repetitions expand past " + std::to_string(LinearRegex::kMaxInstructions) +
                           " instructions");
    }
    switch (node.kind) {
      case Node::Kind::kEmpty:
        return OkStatus();
      case Node::Kind::kClass:
        out_->classes_.push_back(node.ranges);
        Add({Op::kClass, static_cast<int>(out_->classes_.size()) - 1});
        return OkStatus();
      case Node::Kind::kBegin:
        Add({Op::kBegin});
        return OkStatus();
      case Node::Kind::kEnd:
        Add({Op::kEnd});
        return OkStatus();
      case Node::Kind::kWordBoundary:
        Add({Op::kWordBoundary});
        return OkStatus();
      case Node::Kind::kNotWordBoundary:
        Add({Op::kNotWordBoundary});
        return OkStatus();
      case Node::Kind::kConcat:
        for (const auto& child : node.children) {
          if (Status emitted = Emit(*child); !emitted) {
            return emitted;
          }
        }
        return OkStatus();
      case Node::Kind::kAlternation: {
        std::vector<int> to_end;
        for (size_t i = 0; i < node.children.size(); ++i) {
          int split = -1;
          if (i + 1 < node.children.size()) {
            split = Add({Op::kSplit});
            out_->program_[static_cast<size_t>(split)].x = split + 1;
          }
          if (Status emitted = Emit(*node.children[i]); !emitted) {
            return emitted;
          }
          if (split >= 0) {
            to_end.push_back(Add({Op::kJump}));
            out_->program_[static_cast<size_t>(split)].y = static_cast<int>(out_->program_.size());
          }
        }
        for (int jump : to_end) {
          out_->program_[static_cast<size_t>(jump)].x = static_cast<int>(out_->program_.size());
        }
        return OkStatus();
      }
      case Node::Kind::kRepeat: {
        const Node& body = *node.children.front();
        for (int i = 0; i < node.min; ++i) {
          if (Status emitted = Emit(body); !emitted) {
            return emitted;
          }
        }
        if (node.max == -1) {  // L: split body, out; body; jump L
          int split = Add({Op::kSplit});
          out_->program_[static_cast<size_t>(split)].x = split + 1;
          if (Status emitted = Emit(body); !emitted) {
            return emitted;
          }
          Add({Op::kJump, split});
          out_->program_[static_cast<size_t>(split)].y = static_cast<int>(out_->program_.size());
          return OkStatus();
        }
        std::vector<int> to_end;  // each optional copy may be the last
        for (int i = node.min; i < node.max; ++i) {
          int split = Add({Op::kSplit});
          out_->program_[static_cast<size_t>(split)].x = split + 1;
          to_end.push_back(split);
          if (Status emitted = Emit(body); !emitted) {
            return emitted;
          }
        }
        for (int split : to_end) {
          out_->program_[static_cast<size_t>(split)].y = static_cast<int>(out_->program_.size());
        }
        return OkStatus();
      }
    }
    return OkStatus();
  }

  std::vector<uint32_t> text_;
  size_t at_ = 0;
  LinearRegex* out_ = nullptr;
};

Result<LinearRegex> LinearRegex::Compile(std::string_view pattern) { return RegexCompiler(pattern).Compile(); }

namespace {

// The threads of one step, each a program counter, without repeats (a sparse set).
class ThreadList {
 public:
  explicit ThreadList(size_t size) : sparse_(size), dense_(size) {}
  bool Contains(int pc) const {
    size_t i = sparse_[static_cast<size_t>(pc)];
    return i < size_ && dense_[i] == pc;
  }
  void Add(int pc) {
    sparse_[static_cast<size_t>(pc)] = size_;
    dense_[size_++] = pc;
  }
  void Clear() { size_ = 0; }
  size_t size() const { return size_; }
  int operator[](size_t i) const { return dense_[i]; }

 private:
  std::vector<size_t> sparse_;
  std::vector<int> dense_;
  size_t size_ = 0;
};

bool InRanges(const Ranges& ranges, uint32_t c) {
  auto it = std::upper_bound(ranges.begin(), ranges.end(), std::make_pair(c, UINT32_MAX));
  return it != ranges.begin() && std::prev(it)->second >= c;
}

}  // namespace

bool LinearRegex::Search(std::string_view text) const {
  const size_t size = program_.size();
  ThreadList current(size);
  ThreadList next(size);
  std::vector<int> stack;
  // Where the subject stands: whether at its start or end, and the characters either side.
  bool at_start = true;
  bool at_end = text.empty();
  uint32_t before = 0;
  uint32_t after = 0;
  size_t position = 0;
  if (!text.empty()) {
    size_t peek = 0;
    after = NextCodePoint(text, peek);
  }
  // Follows jumps, splits and assertions from `pc`; true once a thread reaches kMatch.
  auto add = [&](ThreadList& list, int pc) {
    stack.push_back(pc);
    while (!stack.empty()) {
      int at = stack.back();
      stack.pop_back();
      if (list.Contains(at)) {
        continue;
      }
      list.Add(at);
      const Instruction& instruction = program_[static_cast<size_t>(at)];
      const bool word_boundary = (!at_start && IsWordChar(before)) != (!at_end && IsWordChar(after));
      switch (instruction.op) {
        case Op::kMatch:
          stack.clear();
          return true;
        case Op::kJump:
          stack.push_back(instruction.x);
          break;
        case Op::kSplit:
          stack.push_back(instruction.y);
          stack.push_back(instruction.x);
          break;
        case Op::kBegin:
          if (at_start) {
            stack.push_back(at + 1);
          }
          break;
        case Op::kEnd:
          if (at_end) {
            stack.push_back(at + 1);
          }
          break;
        case Op::kWordBoundary:
          if (word_boundary) {
            stack.push_back(at + 1);
          }
          break;
        case Op::kNotWordBoundary:
          if (!word_boundary) {
            stack.push_back(at + 1);
          }
          break;
        case Op::kClass:
          break;  // waits for the next character
      }
    }
    return false;
  };
  while (true) {
    if (add(current, 0)) {  // a match may start here (the search is unanchored)
      return true;
    }
    if (at_end) {
      return false;
    }
    const uint32_t c = after;
    NextCodePoint(text, position);
    before = c;
    at_start = false;
    at_end = position >= text.size();
    if (!at_end) {
      size_t peek = position;
      after = NextCodePoint(text, peek);
    }
    next.Clear();
    for (size_t i = 0; i < current.size(); ++i) {
      const Instruction& instruction = program_[static_cast<size_t>(current[i])];
      if (instruction.op == Op::kClass && InRanges(classes_[static_cast<size_t>(instruction.x)], c) &&
          add(next, current[i] + 1)) {
        return true;
      }
    }
    std::swap(current, next);
  }
}

}  // namespace conform::validator::internal
