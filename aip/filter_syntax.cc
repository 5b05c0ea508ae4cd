#include "aip/filter_syntax.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

#include "aip/internal/lexer.h"
#include "aip/internal/text.h"
#include "common/check.h"
#include "common/utf8.h"

namespace conform::aip {
namespace {

using internal::ErrorAt;
using internal::IsSpace;
using internal::IsTextByte;
using internal::LexPosition;

// Appends `node` to `operands`, splicing in its operands when it is itself a `kind` node.
void AppendFlattened(std::vector<Node>& operands, Node node, NodeKind kind) {
  if (node.kind == kind) {
    for (Node& child : node.children) {
      operands.push_back(std::move(child));
    }
    return;
  }
  operands.push_back(std::move(node));
}

Node Combine(NodeKind kind, std::vector<Node> operands) {
  CONFORM_CHECK(!operands.empty());
  if (operands.size() == 1) {
    return std::move(operands.front());
  }
  Node node;
  node.kind = kind;
  node.column = operands.front().column;
  node.children = std::move(operands);
  return node;
}

class Parser {
 public:
  Parser(std::string_view text, const FilterOptions& options) : text_(text), options_(options) {}

  Result<FilterSyntax> Run() {
    if (auto error = internal::ScreenInput(text_, "filter", options_.max_length)) {
      return *error;
    }
    SkipSpace();
    if (AtEnd()) {
      return FilterSyntax{};
    }
    Result<Node> root = ParseExpression();
    if (!root) {
      return root.error();
    }
    SkipSpace();
    if (!AtEnd()) {
      return Unexpected("AND, OR or the end of the filter");
    }
    return FilterSyntax{std::move(*root)};
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  bool SkipSpace() {
    const size_t start = pos_;
    while (!AtEnd() && IsSpace(text_[pos_])) {
      ++pos_;
    }
    return pos_ != start;
  }
  bool AtKeyword(std::string_view keyword) const {
    return internal::TextEnd(text_, pos_) - pos_ == keyword.size() &&
           text_.substr(pos_, keyword.size()) == keyword;
  }
  bool AtExpressionEnd() const { return AtEnd() || Peek() == ')'; }

  // Error for the token at pos_, which is not what the grammar needs here.
  Error Unexpected(std::string_view expected) const {
    if (AtEnd()) {
      return ErrorAt(pos_, "unexpected end of filter; expected " + std::string(expected));
    }
    const char c = Peek();
    std::string found;
    if (c == '"' || c == '\'') {
      found = "string";
    } else if (IsTextByte(c) || c == '-') {
      const size_t end = internal::TextEnd(text_, pos_ + 1);
      found = internal::Quote(text_.substr(pos_, end - pos_));
    } else {
      found = internal::Quote(text_.substr(pos_, 1));
    }
    std::string message = "unexpected " + found + "; expected " + std::string(expected);
    if (c == '!' && text_.substr(pos_, 2) != "!=") {
      message += " (did you mean '!='?)";
    } else if (c == '=') {
      message += " ('=' is equality; there is no '==')";
    }
    return ErrorAt(pos_, std::move(message));
  }

  // Enters one nesting level at `offset`; an error when that exceeds the limit.
  std::optional<Error> Enter(size_t offset) {
    if (depth_ >= options_.max_depth) {
      return ErrorAt(offset, "filter nests deeper than " + std::to_string(options_.max_depth) +
                                 " levels of parentheses and NOT");
    }
    ++depth_;
    return std::nullopt;
  }

  // expression : sequence {WS AND WS sequence}
  Result<Node> ParseExpression() {
    std::vector<Node> operands;
    while (true) {
      Result<Node> sequence = ParseSequence();
      if (!sequence) {
        return sequence.error();
      }
      AppendFlattened(operands, std::move(*sequence), NodeKind::kAnd);
      const size_t save = pos_;
      SkipSpace();
      if (!AtKeyword("AND")) {
        pos_ = save;
        break;
      }
      pos_ += 3;
      SkipSpace();
      if (AtExpressionEnd()) {
        return Unexpected("a term after AND");
      }
    }
    return Combine(NodeKind::kAnd, std::move(operands));
  }

  // sequence : factor {WS factor}
  Result<Node> ParseSequence() {
    std::vector<Node> operands;
    while (true) {
      Result<Node> factor = ParseFactor();
      if (!factor) {
        return factor.error();
      }
      AppendFlattened(operands, std::move(*factor), NodeKind::kSequence);
      const size_t save = pos_;
      SkipSpace();
      if (AtExpressionEnd() || AtKeyword("AND")) {
        pos_ = save;
        break;
      }
    }
    return Combine(NodeKind::kSequence, std::move(operands));
  }

  // factor : term {WS OR WS term}
  Result<Node> ParseFactor() {
    std::vector<Node> operands;
    while (true) {
      Result<Node> term = ParseTerm();
      if (!term) {
        return term.error();
      }
      AppendFlattened(operands, std::move(*term), NodeKind::kOr);
      const size_t save = pos_;
      SkipSpace();
      if (!AtKeyword("OR")) {
        pos_ = save;
        break;
      }
      pos_ += 2;
      SkipSpace();
      if (AtExpressionEnd()) {
        return Unexpected("a term after OR");
      }
    }
    return Combine(NodeKind::kOr, std::move(operands));
  }

  // term : {NOT WS | MINUS} simple   (repeated negation is accepted)
  Result<Node> ParseTerm() {
    std::vector<std::pair<NotStyle, size_t>> negations;
    while (true) {
      if (AtKeyword("NOT")) {
        if (auto error = Enter(pos_)) {
          return *error;
        }
        negations.emplace_back(NotStyle::kNot, pos_);
        pos_ += 3;
        SkipSpace();
        if (AtExpressionEnd()) {
          return Unexpected("a term after NOT");
        }
        continue;
      }
      if (Peek() == '-' && !internal::NumberEnd(text_, pos_)) {
        if (auto error = Enter(pos_)) {
          return *error;
        }
        negations.emplace_back(NotStyle::kMinus, pos_);
        ++pos_;
        continue;
      }
      break;
    }
    Result<Node> simple = ParseSimple();
    if (!simple) {
      return simple.error();
    }
    depth_ -= static_cast<int>(negations.size());
    Node node = std::move(*simple);
    for (auto it = negations.rbegin(); it != negations.rend(); ++it) {
      Node negation;
      negation.kind = NodeKind::kNot;
      negation.not_style = it->first;
      negation.column = SourceColumn{it->second + 1};
      negation.children.push_back(std::move(node));
      node = std::move(negation);
    }
    return node;
  }

  // simple : restriction | composite
  Result<Node> ParseSimple() {
    if (Peek() != '(') {
      return ParseRestriction();
    }
    return ParseParenthesised();
  }

  // '(' expression ')', without the parentheses.
  Result<Node> ParseParenthesised() {
    const size_t open = pos_;
    if (auto error = Enter(open)) {
      return *error;
    }
    ++pos_;
    SkipSpace();
    if (Peek() == ')') {
      return ErrorAt(pos_, "empty parentheses");
    }
    Result<Node> expression = ParseExpression();
    if (!expression) {
      return expression.error();
    }
    SkipSpace();
    if (Peek() != ')') {
      return Unexpected("')' to close the '(' at " + internal::ColumnWhere(open));
    }
    ++pos_;
    --depth_;
    return expression;
  }

  // restriction : comparable [comparator arg]
  Result<Node> ParseRestriction() {
    const size_t start = pos_;
    Result<Node> comparable = ParseComparable();
    if (!comparable) {
      return comparable.error();
    }
    Node node;
    node.kind = NodeKind::kRestriction;
    node.column = SourceColumn{start + 1};
    node.children.push_back(std::move(*comparable));
    const size_t save = pos_;
    SkipSpace();
    const auto [comparator, length] = ScanComparator();
    if (comparator == Comparator::kNone) {
      pos_ = save;
      return node;
    }
    node.comparator = comparator;
    node.operator_column = SourceColumn{pos_ + 1};
    pos_ += length;
    SkipSpace();
    Result<Node> arg = ParseArg();
    if (!arg) {
      return arg.error();
    }
    node.children.push_back(std::move(*arg));
    return node;
  }

  std::pair<Comparator, size_t> ScanComparator() const {
    const std::string_view rest = text_.substr(pos_);
    if (rest.starts_with("<=")) {
      return {Comparator::kLessEqual, 2};
    }
    if (rest.starts_with(">=")) {
      return {Comparator::kGreaterEqual, 2};
    }
    if (rest.starts_with("!=")) {
      return {Comparator::kNotEqual, 2};
    }
    switch (Peek()) {
      case '<':
        return {Comparator::kLess, 1};
      case '>':
        return {Comparator::kGreater, 1};
      case '=':
        return {Comparator::kEqual, 1};
      case ':':
        return {Comparator::kHas, 1};
      default:
        return {Comparator::kNone, 0};
    }
  }

  // arg : comparable | composite
  Result<Node> ParseArg() {
    if (Peek() != '(') {
      return ParseComparable();
    }
    const size_t open = pos_;
    Result<Node> expression = ParseParenthesised();
    if (!expression) {
      return expression.error();
    }
    Node composite;
    composite.kind = NodeKind::kComposite;
    composite.column = SourceColumn{open + 1};
    composite.children.push_back(std::move(*expression));
    return composite;
  }

  // comparable : member | function;  member : value {"." field};  function : name {"." name} "("
  Result<Node> ParseComparable() {
    const size_t start = pos_;
    Node node;
    node.kind = NodeKind::kMember;
    node.column = SourceColumn{start + 1};
    Result<Literal> value = ParseLiteral(LexPosition::kValue);
    if (!value) {
      return value.error();
    }
    node.parts.push_back(std::move(*value));
    while (Peek() == '.') {
      ++pos_;
      Result<Literal> field = ParseLiteral(LexPosition::kField);
      if (!field) {
        return field.error();
      }
      node.parts.push_back(std::move(*field));
    }
    if (Peek() != '(') {
      return node;
    }
    for (const Literal& part : node.parts) {
      if (part.kind != LiteralKind::kText) {
        return node;  // not a function name; the '(' starts the next factor
      }
    }
    return ParseCall(std::move(node));
  }

  // function arguments: "(" [arg {"," arg}] ")"
  Result<Node> ParseCall(Node node) {
    node.kind = NodeKind::kFunction;
    const size_t open = pos_;
    if (auto error = Enter(open)) {
      return *error;
    }
    ++pos_;
    SkipSpace();
    if (Peek() == ')') {
      ++pos_;
      --depth_;
      return node;
    }
    while (true) {
      Result<Node> arg = ParseArg();
      if (!arg) {
        return arg.error();
      }
      node.children.push_back(std::move(*arg));
      SkipSpace();
      if (Peek() == ',') {
        ++pos_;
        SkipSpace();
        continue;
      }
      if (Peek() == ')') {
        ++pos_;
        break;
      }
      return Unexpected("',' or ')' in the arguments of the call at " +
                        internal::ColumnWhere(open));
    }
    --depth_;
    return node;
  }

  Result<Literal> ParseLiteral(LexPosition position) {
    const std::string_view expected =
        position == LexPosition::kValue ? "a field or value" : "a field name after '.'";
    if (AtEnd()) {
      return Unexpected(expected);
    }
    const char c = Peek();
    if (c == '"' || c == '\'') {
      return ParseString();
    }
    Literal literal;
    literal.column = SourceColumn{pos_ + 1};
    if (position == LexPosition::kValue) {
      if (std::optional<size_t> end = internal::NumberEnd(text_, pos_)) {
        literal.kind = LiteralKind::kNumber;
        literal.text = std::string(text_.substr(pos_, *end - pos_));
        pos_ = *end;
        return literal;
      }
    }
    if (c == '-' || !IsTextByte(c)) {
      return Unexpected(expected);
    }
    const size_t end = internal::TextEnd(text_, pos_);
    literal.kind = LiteralKind::kText;
    literal.text = std::string(text_.substr(pos_, end - pos_));
    if (position == LexPosition::kValue && internal::IsKeyword(literal.text)) {
      return ErrorAt(pos_,
                     "unexpected keyword " + literal.text + "; expected " + std::string(expected));
    }
    for (size_t i = 0; i < literal.text.size(); ++i) {
      if (literal.text[i] == '*') {
        literal.wildcards.push_back(i);
      }
    }
    pos_ = end;
    return literal;
  }

  // STRING: "..." or '...' with escapes; unescaped '*' are wildcards.
  Result<Literal> ParseString() {
    const size_t open = pos_;
    const char quote = text_[pos_++];
    Literal literal;
    literal.kind = LiteralKind::kString;
    literal.column = SourceColumn{open + 1};
    while (true) {
      if (AtEnd()) {
        return ErrorAt(open, "unterminated string");
      }
      const char c = text_[pos_];
      if (c == quote) {
        ++pos_;
        return literal;
      }
      if (c == '*') {
        literal.wildcards.push_back(literal.text.size());
        literal.text += '*';
        ++pos_;
        continue;
      }
      if (c != '\\') {
        literal.text += c;
        ++pos_;
        continue;
      }
      const size_t escape = pos_;
      if (escape + 1 >= text_.size()) {
        return ErrorAt(open, "unterminated string");
      }
      const char e = text_[escape + 1];
      pos_ += 2;
      switch (e) {
        case '"':
        case '\'':
        case '\\':
        case '*':
          literal.text += e;
          break;
        case 'n':
          literal.text += '\n';
          break;
        case 't':
          literal.text += '\t';
          break;
        case 'r':
          literal.text += '\r';
          break;
        case 'u': {
          std::optional<uint32_t> code_point = ParseUnicodeEscape(escape);
          if (!code_point) {
            return ErrorAt(escape, "invalid \\u escape (need 4 hex digits; surrogates in pairs)");
          }
          AppendUtf8(literal.text, *code_point);
          break;
        }
        default:
          return ErrorAt(escape, "unknown escape " +
                                     internal::Quote(text_.substr(escape, e < 0 ? 1 : 2)) +
                                     " (known: \\\" \\' \\\\ \\* \\n \\t \\r \\uXXXX)");
      }
    }
  }

  std::optional<uint32_t> Hex4(size_t at) const {
    if (at + 4 > text_.size()) {
      return std::nullopt;
    }
    uint32_t value = 0;
    for (size_t i = at; i < at + 4; ++i) {
      const char c = text_[i];
      uint32_t digit = 0;
      if (c >= '0' && c <= '9') {
        digit = static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        digit = static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        digit = static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return std::nullopt;
      }
      value = value * 16 + digit;
    }
    return value;
  }

  // pos_ is just past "\u" (at `escape` + 2); consumes the digits (and a low surrogate).
  std::optional<uint32_t> ParseUnicodeEscape(size_t escape) {
    std::optional<uint32_t> high = Hex4(escape + 2);
    if (!high) {
      return std::nullopt;
    }
    pos_ = escape + 6;
    if (*high >= 0xDC00 && *high <= 0xDFFF) {
      return std::nullopt;
    }
    if (*high < 0xD800 || *high > 0xDBFF) {
      return high;
    }
    if (text_.substr(pos_, 2) != "\\u") {
      return std::nullopt;
    }
    std::optional<uint32_t> low = Hex4(pos_ + 2);
    if (!low || *low < 0xDC00 || *low > 0xDFFF) {
      return std::nullopt;
    }
    pos_ += 6;
    return 0x10000 + ((*high - 0xD800) << 10) + (*low - 0xDC00);
  }

  std::string_view text_;
  FilterOptions options_;
  size_t pos_ = 0;
  int depth_ = 0;
};

// ----- printing -----

int Precedence(NodeKind kind) {
  switch (kind) {
    case NodeKind::kAnd:
      return 1;
    case NodeKind::kSequence:
      return 2;
    case NodeKind::kOr:
      return 3;
    case NodeKind::kNot:
      return 4;
    default:
      return 5;
  }
}

void PrintString(const Literal& literal, std::string& out) {
  out += '"';
  size_t next_wildcard = 0;
  for (size_t i = 0; i < literal.text.size(); ++i) {
    const char c = literal.text[i];
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '*': {
        while (next_wildcard < literal.wildcards.size() && literal.wildcards[next_wildcard] < i) {
          ++next_wildcard;
        }
        const bool wildcard =
            next_wildcard < literal.wildcards.size() && literal.wildcards[next_wildcard] == i;
        out += wildcard ? "*" : "\\*";
        break;
      }
      default:
        if (byte < 0x20 || byte == 0x7F) {
          char buffer[8];
          std::snprintf(buffer, sizeof(buffer), "\\u%04X", static_cast<unsigned>(byte));
          out += buffer;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void PrintLiteral(const Literal& literal, std::string& out) {
  if (literal.kind == LiteralKind::kString) {
    PrintString(literal, out);
  } else {
    out += literal.text;
  }
}

void PrintParts(const std::vector<Literal>& parts, std::string& out) {
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) {
      out += '.';
    }
    PrintLiteral(parts[i], out);
  }
}

void PrintNode(const Node& node, std::string& out);

void PrintOperand(const Node& node, bool parenthesise, std::string& out) {
  if (parenthesise) {
    out += '(';
  }
  PrintNode(node, out);
  if (parenthesise) {
    out += ')';
  }
}

// `-` right before a number literal would make it a negative number, not a negation.
bool StartsWithNumber(const Node& node) {
  const Node* current = &node;
  while (current->kind == NodeKind::kRestriction && !current->children.empty()) {
    current = &current->children.front();
  }
  return current->kind == NodeKind::kMember && !current->parts.empty() &&
         current->parts.front().kind == LiteralKind::kNumber;
}

void PrintNode(const Node& node, std::string& out) {
  switch (node.kind) {
    case NodeKind::kAnd:
    case NodeKind::kSequence:
    case NodeKind::kOr: {
      const std::string_view separator = node.kind == NodeKind::kAnd        ? " AND "
                                         : node.kind == NodeKind::kSequence ? " "
                                                                            : " OR ";
      for (size_t i = 0; i < node.children.size(); ++i) {
        if (i > 0) {
          out += separator;
        }
        const Node& child = node.children[i];
        // OR binds tighter than AND and the implicit AND, which surprises readers (and some
        // servers): spell it out with parentheses although the grammar does not need them.
        PrintOperand(child,
                     Precedence(child.kind) <= Precedence(node.kind) || child.kind == NodeKind::kOr,
                     out);
      }
      return;
    }
    case NodeKind::kNot: {
      if (node.children.empty()) {
        return;
      }
      const Node& child = node.children.front();
      out += node.not_style == NotStyle::kNot ? "NOT " : "-";
      const bool parenthesise = Precedence(child.kind) < Precedence(NodeKind::kNot) ||
                                (node.not_style == NotStyle::kMinus && StartsWithNumber(child));
      PrintOperand(child, parenthesise, out);
      return;
    }
    case NodeKind::kRestriction:
      if (node.children.empty()) {
        return;
      }
      PrintNode(node.children[0], out);
      if (node.comparator != Comparator::kNone && node.children.size() > 1) {
        if (node.comparator == Comparator::kHas) {
          out += ':';
        } else {
          out += ' ';
          out += ComparatorText(node.comparator);
          out += ' ';
        }
        PrintNode(node.children[1], out);
      }
      return;
    case NodeKind::kMember:
      PrintParts(node.parts, out);
      return;
    case NodeKind::kFunction:
      PrintParts(node.parts, out);
      out += '(';
      for (size_t i = 0; i < node.children.size(); ++i) {
        if (i > 0) {
          out += ", ";
        }
        PrintNode(node.children[i], out);
      }
      out += ')';
      return;
    case NodeKind::kComposite:
      out += '(';
      if (!node.children.empty()) {
        PrintNode(node.children.front(), out);
      }
      out += ')';
      return;
  }
}

std::vector<size_t> AllStars(std::string_view text) {
  std::vector<size_t> stars;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '*') {
      stars.push_back(i);
    }
  }
  return stars;
}

Literal NameLiteral(std::string_view name, LexPosition position) {
  Literal literal;
  literal.text = std::string(name);
  literal.kind = internal::IsPlainText(name, position) ? LiteralKind::kText : LiteralKind::kString;
  if (literal.kind == LiteralKind::kText) {
    literal.wildcards = AllStars(name);
  }
  return literal;
}

}  // namespace

Result<FilterSyntax> ParseFilterSyntax(std::string_view text, const FilterOptions& options) {
  return Parser(text, options).Run();
}

std::string Print(const FilterSyntax& syntax) {
  return syntax.root ? Print(*syntax.root) : std::string();
}

std::string Print(const Node& node) {
  std::string out;
  PrintNode(node, out);
  return out;
}

std::string_view ComparatorText(Comparator comparator) {
  switch (comparator) {
    case Comparator::kNone:
      return "";
    case Comparator::kEqual:
      return "=";
    case Comparator::kNotEqual:
      return "!=";
    case Comparator::kLess:
      return "<";
    case Comparator::kLessEqual:
      return "<=";
    case Comparator::kGreater:
      return ">";
    case Comparator::kGreaterEqual:
      return ">=";
    case Comparator::kHas:
      return ":";
  }
  return "";
}

Literal TextLiteral(std::string text) {
  Literal literal;
  literal.kind =
      internal::IsPlainText(text, LexPosition::kValue) ? LiteralKind::kText : LiteralKind::kString;
  literal.wildcards = AllStars(text);
  literal.text = std::move(text);
  return literal;
}

Literal StringLiteral(std::string text) {
  Literal literal;
  literal.kind = LiteralKind::kString;
  literal.text = std::move(text);
  return literal;
}

Literal PatternLiteral(std::string text) {
  Literal literal;
  literal.kind = LiteralKind::kString;
  literal.wildcards = AllStars(text);
  literal.text = std::move(text);
  return literal;
}

Literal IntegerLiteral(int64_t value) {
  Literal literal;
  literal.kind = LiteralKind::kNumber;
  literal.text = std::to_string(value);
  return literal;
}

Literal FloatLiteral(double value) {
  if (std::isnan(value)) {
    return StringLiteral("NaN");
  }
  if (std::isinf(value)) {
    return StringLiteral(value > 0 ? "Infinity" : "-Infinity");
  }
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  CONFORM_CHECK(error == std::errc());
  Literal literal;
  literal.kind = LiteralKind::kNumber;
  literal.text = std::string(buffer, end);
  return literal;
}

Node MakeMember(std::string_view dotted_path) {
  Node node;
  node.kind = NodeKind::kMember;
  size_t start = 0;
  while (true) {
    const size_t dot = dotted_path.find('.', start);
    const std::string_view segment = dotted_path.substr(
        start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    node.parts.push_back(
        NameLiteral(segment, node.parts.empty() ? LexPosition::kValue : LexPosition::kField));
    if (dot == std::string_view::npos) {
      return node;
    }
    start = dot + 1;
  }
}

Node MakeRestriction(std::string_view dotted_path, Comparator comparator, Literal value) {
  Node node;
  node.kind = NodeKind::kRestriction;
  node.comparator = comparator;
  node.children.push_back(MakeMember(dotted_path));
  if (comparator != Comparator::kNone) {
    Node arg;
    arg.kind = NodeKind::kMember;
    arg.parts.push_back(std::move(value));
    node.children.push_back(std::move(arg));
  }
  return node;
}

Node MakePresence(std::string_view dotted_path) {
  return MakeRestriction(dotted_path, Comparator::kHas, TextLiteral("*"));
}

namespace {

Node MakeJunction(NodeKind kind, std::vector<Node> operands) {
  std::vector<Node> flat;
  for (Node& operand : operands) {
    AppendFlattened(flat, std::move(operand), kind);
  }
  return Combine(kind, std::move(flat));
}

}  // namespace

Node MakeAnd(std::vector<Node> operands) {
  return MakeJunction(NodeKind::kAnd, std::move(operands));
}

Node MakeSequence(std::vector<Node> operands) {
  return MakeJunction(NodeKind::kSequence, std::move(operands));
}

Node MakeOr(std::vector<Node> operands) { return MakeJunction(NodeKind::kOr, std::move(operands)); }

Node MakeNot(Node operand, NotStyle style) {
  Node node;
  node.kind = NodeKind::kNot;
  node.not_style = style;
  node.column = operand.column;
  node.children.push_back(std::move(operand));
  return node;
}

}  // namespace conform::aip
