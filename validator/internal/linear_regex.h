// Schema `pattern`s matched in time linear in the subject: a Thompson NFA simulated as in
// Pike's VM (the approach of RE2), over the subject's code points. std::regex backtracks: a
// pattern as ordinary as ^([a-zA-Z0-9]+[-_]?)*$ took 37 s on a 31-character token a server
// sent, and longer strings overflow its stack. This engine has no backtracking, so neither.
//   auto regex = LinearRegex::Compile("^[a-z]+(-[a-z0-9]+)*$");
//   if (regex && regex->Search("dpo-job-7")) { ... }
// It speaks the ECMA-262 syntax JSON Schema patterns use: alternation, groups (capturing,
// non-capturing and named, all just grouping here), the quantifiers * + ? {n} {n,} {n,m}
// (greedy or lazy: the same for "does it match"), classes with ranges and negation, . ^ $
// \b \B \d \D \w \W \s \S and the character escapes. Backreferences and lookaround need
// backtracking by nature: Compile refuses them (kUnimplemented) and the caller decides.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace conform::validator::internal {

class LinearRegex {
 public:
  // kUnimplemented for backreferences and lookaround, and for a pattern whose counted
  // repetitions would expand to more than kMaxInstructions; kInvalidArgument for a pattern
  // that is not a regex.
  static Result<LinearRegex> Compile(std::string_view pattern);

  // Whether the pattern matches anywhere in `text` (std::regex_search, ECMAScript, no flags).
  // `text` is UTF-8; a byte that is not is one character of its own, matched only by . and
  // negated classes.
  bool Search(std::string_view text) const;

  static constexpr size_t kMaxInstructions = 20'000;

  enum class Op : uint8_t { kClass, kSplit, kJump, kMatch, kBegin, kEnd, kWordBoundary, kNotWordBoundary };
  struct Instruction {
    Op op;
    int x = 0;  // kClass: index into classes_; kSplit, kJump: a target
    int y = 0;  // kSplit: the other target
  };
  // Code point ranges, inclusive, sorted and disjoint.
  using Ranges = std::vector<std::pair<uint32_t, uint32_t>>;

 private:
  LinearRegex() = default;
  friend class RegexCompiler;

  std::vector<Instruction> program_;
  std::vector<Ranges> classes_;
};

}  // namespace conform::validator::internal
