// AIP-160 filter syntax: parse text into a tree (grammar and limits only, no field types),
// print a tree back as canonical text, and build trees in code (the fuzzer generates
// well-typed filters this way, then prints them). filter.h types a tree against a catalog.
//   Result<aip::FilterSyntax> tree = aip::ParseFilterSyntax("a b AND (c OR NOT d:*)");
//   aip::Print(*tree) == "a b AND (c OR NOT d:*)"
//   aip::Print(aip::MakeRestriction("state", aip::Comparator::kEqual, aip::TextLiteral("X")))
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace conform::aip {

// A 1-based byte column in the parsed text (0 for nodes built in code). Positions do not take
// part in equality, so a tree equals the tree parsed from its printed text.
struct SourceColumn {
  size_t value = 0;
  friend bool operator==(SourceColumn, SourceColumn) { return true; }
};

enum class LiteralKind {
  kText,    // a bare word: state, JOB_STATE_RUNNING, foo*, 20s, true
  kString,  // "..." or '...', unescaped
  kNumber,  // 42, -3, 2.5, 1e3 (kept as written)
};

// One token of a member or function name.
struct Literal {
  LiteralKind kind = LiteralKind::kText;
  std::string text;
  // Byte offsets in `text` of the '*' that are wildcards: every '*' of a kText; the unescaped
  // ones of a kString ("a\*b*" has one literal star and one wildcard at offset 3).
  std::vector<size_t> wildcards;
  SourceColumn column;
  bool operator==(const Literal&) const = default;
};

enum class NodeKind {
  kAnd,          // children: >= 2 operands joined by AND (none of them kAnd)
  kSequence,     // children: >= 2 operands separated by whitespace, an implicit AND
  kOr,           // children: >= 2 operands joined by OR (none of them kOr)
  kNot,          // children: 1 operand
  kRestriction,  // children: comparable [, argument] (argument iff comparator != kNone)
  kMember,       // parts: value {"." field}; no children
  kFunction,     // parts: name segments; children: arguments
  kComposite,    // children: 1 expression in parentheses (only as an argument)
};

enum class Comparator {
  kNone,  // a bare comparable (AIP-160 "global restriction")
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kHas,  // ':'
};

enum class NotStyle {
  kNot,    // NOT a
  kMinus,  // -a
};

// A node of the syntax tree. Grouping parentheses are not kept: `(a AND b) AND c` parses as
// one kAnd of three operands, and Print() adds parentheses where precedence needs them.
struct Node {
  NodeKind kind = NodeKind::kMember;
  std::vector<Node> children;
  std::vector<Literal> parts;                 // kMember, kFunction
  Comparator comparator = Comparator::kNone;  // kRestriction
  NotStyle not_style = NotStyle::kNot;        // kNot
  SourceColumn column;                        // where the node starts
  SourceColumn operator_column;               // kRestriction: where the comparator is
  bool operator==(const Node&) const = default;
};

// A parsed filter; no root for the empty (or all-whitespace) filter.
struct FilterSyntax {
  std::optional<Node> root;
  bool operator==(const FilterSyntax&) const = default;
};

struct FilterOptions {
  size_t max_length = 4096;  // bytes of filter text
  // Nesting limit: each '(' (grouping, argument or call) and each NOT or '-' adds one level.
  // Checked before descending, so input depth never drives recursion past it.
  int max_depth = 32;
};

// Parses AIP-160 text. Precedence, loosest first: AND, implicit AND (whitespace), OR, NOT/-.
// So `a AND b OR c` is `a AND (b OR c)`. Keywords AND, OR, NOT are upper case; `NOT(` needs no
// space and NOT may repeat (`NOT NOT a`). `-` right before a number makes it negative (`-30`),
// elsewhere it negates (`-file:".java"`). Values: words (may contain '*'), "double" or
// 'single' quoted strings with \" \' \\ \* \n \t \r \uXXXX escapes, numbers. Timestamps
// contain ':' and must be quoted. Errors: kInvalidArgument with where = "column N" (1-based
// byte) for syntax errors, over-long or too-deep input, NUL bytes and invalid UTF-8.
Result<FilterSyntax> ParseFilterSyntax(std::string_view text, const FilterOptions& options = {});

// Canonical text: single spaces, `a = 1` (`a:b` for ':'), strings double-quoted, parentheses
// where precedence needs them plus around an OR inside AND or a sequence (`a AND (b OR c)`).
// ParseFilterSyntax(Print(t)) == t for every parsed t and every tree built with the Make*
// helpers below (texts must be valid UTF-8). Recursion follows the tree's height, which the
// parser bounds; keep built trees as shallow.
std::string Print(const FilterSyntax& syntax);
std::string Print(const Node& node);

// "=", "!=", "<", "<=", ">", ">=", ":" ("" for kNone).
std::string_view ComparatorText(Comparator comparator);

// Literal builders. TextLiteral keeps a bare word when it lexes as one at the start of a
// member, else it becomes a string whose every '*' stays a wildcard (same meaning).
Literal TextLiteral(std::string text);
Literal StringLiteral(std::string text);   // quoted; every '*' is a literal star
Literal PatternLiteral(std::string text);  // quoted; every '*' is a wildcard
Literal IntegerLiteral(int64_t value);
// Shortest text that reads back as `value`; NaN and infinities become the strings "NaN",
// "Infinity", "-Infinity" (the protobuf JSON spellings, which number fields accept).
Literal FloatLiteral(double value);

// Node builders. MakeAnd/MakeSequence/MakeOr flatten operands of the same kind and return a
// single operand unchanged; they need at least one operand.
Node MakeMember(std::string_view dotted_path);
Node MakeRestriction(std::string_view dotted_path, Comparator comparator, Literal value);
Node MakePresence(std::string_view dotted_path);  // path:*
Node MakeAnd(std::vector<Node> operands);
Node MakeSequence(std::vector<Node> operands);
Node MakeOr(std::vector<Node> operands);
Node MakeNot(Node operand, NotStyle style = NotStyle::kNot);

}  // namespace conform::aip
