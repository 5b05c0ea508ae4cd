// Token rules of the AIP-160 filter grammar, shared by the parser and the tree builders so a
// word built in code prints back exactly as the parser would read it.
//   internal::NumberEnd("-2.5 AND x", 0) == 4;  internal::IsPlainText("a-b", kValue) == true
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace conform::aip::internal {

// Where a word is read: the first token of a member (numbers and keywords are special there),
// or a field name after '.' (anything goes, but no number is lexed).
enum class LexPosition { kValue, kField };

// Bytes of TEXT words: anything but whitespace, control bytes, the backslash and
// . , : ( ) < > = ! " '   ('-' is a TEXT byte, but a word never starts with it).
bool IsTextByte(char c);

// End of the run of TEXT bytes starting at `pos`.
size_t TextEnd(std::string_view text, size_t pos);

// If a number literal (-?digits[.digits][(e|E)[+-]digits]) starts at `pos` and ends where a
// word would (not followed by a TEXT byte or '.'), its end; else nullopt.
std::optional<size_t> NumberEnd(std::string_view text, size_t pos);

bool IsKeyword(std::string_view word);  // AND, OR, NOT

// Whether `word` lexes back, alone at `position`, as one TEXT token equal to it.
bool IsPlainText(std::string_view word, LexPosition position);

}  // namespace conform::aip::internal
