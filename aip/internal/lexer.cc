#include "aip/internal/lexer.h"

namespace conform::aip::internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool IsTextByte(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x80) {
    return true;
  }
  if (byte <= 0x20 || byte == 0x7F) {
    return false;
  }
  switch (c) {
    case '.':
    case ',':
    case ':':
    case '(':
    case ')':
    case '<':
    case '>':
    case '=':
    case '!':
    case '"':
    case '\'':
    case '\\':
      return false;
    default:
      return true;
  }
}

size_t TextEnd(std::string_view text, size_t pos) {
  while (pos < text.size() && IsTextByte(text[pos])) {
    ++pos;
  }
  return pos;
}

std::optional<size_t> NumberEnd(std::string_view text, size_t pos) {
  size_t i = pos;
  if (i < text.size() && text[i] == '-') {
    ++i;
  }
  const size_t digits = i;
  while (i < text.size() && IsDigit(text[i])) {
    ++i;
  }
  if (i == digits) {
    return std::nullopt;
  }
  if (i + 1 < text.size() && text[i] == '.' && IsDigit(text[i + 1])) {
    i += 2;
    while (i < text.size() && IsDigit(text[i])) {
      ++i;
    }
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    size_t j = i + 1;
    if (j < text.size() && (text[j] == '+' || text[j] == '-')) {
      ++j;
    }
    if (j < text.size() && IsDigit(text[j])) {
      i = j;
      while (i < text.size() && IsDigit(text[i])) {
        ++i;
      }
    }
  }
  if (i < text.size() && (IsTextByte(text[i]) || text[i] == '.')) {
    return std::nullopt;
  }
  return i;
}

bool IsKeyword(std::string_view word) { return word == "AND" || word == "OR" || word == "NOT"; }

bool IsPlainText(std::string_view word, LexPosition position) {
  if (word.empty() || word[0] == '-' || TextEnd(word, 0) != word.size()) {
    return false;
  }
  if (position == LexPosition::kField) {
    return true;
  }
  return !IsKeyword(word) && !NumberEnd(word, 0).has_value();
}

}  // namespace conform::aip::internal
