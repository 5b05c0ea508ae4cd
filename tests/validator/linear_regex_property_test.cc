// The linear-time engine answers as std::regex (ECMAScript) does, on random patterns and
// subjects small enough for backtracking to be harmless.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <regex>
#include <string>

#include "validator/internal/linear_regex.h"

namespace conform::validator::internal {
namespace linear_regex_property_test {
namespace {

// A random pattern over a small alphabet, depth-bounded.
rc::Gen<std::string> GenPattern(int depth) {
  auto atom = rc::gen::element<std::string>("a", "b", "1", " ", ".", "[ab]", "[^a]", "[a-b1]", "\\d", "\\w",
                                            "\\s", "\\D", "\\b", "\\B", "^", "$", "\\.", "[\\d ]");
  if (depth <= 0) {
    return atom;
  }
  auto quantifier = rc::gen::element<std::string>("", "", "", "*", "+", "?", "{2}", "{0,2}", "{1,}", "*?", "+?");
  return rc::gen::mapcat(rc::gen::inRange(0, 4), [=](int shape) -> rc::Gen<std::string> {
    switch (shape) {
      case 0:  // a quantified atom
        return rc::gen::apply(
            [](const std::string& a, const std::string& q) {
              bool assertion = a == "^" || a == "$" || a == "\\b" || a == "\\B";
              return assertion ? a : a + q;
            },
            atom, quantifier);
      case 1:  // a quantified group
        return rc::gen::apply(
            [](const std::string& inner, const std::string& q, bool capture) {
              return (capture ? "(" : "(?:") + inner + ")" + q;
            },
            GenPattern(depth - 1), quantifier, rc::gen::arbitrary<bool>());
      case 2:  // alternation
        return rc::gen::apply([](const std::string& l, const std::string& r) { return l + "|" + r; },
                              GenPattern(depth - 1), GenPattern(depth - 1));
      default:  // concatenation
        return rc::gen::apply([](const std::string& l, const std::string& r) { return l + r; },
                              GenPattern(depth - 1), GenPattern(depth - 1));
    }
  });
}

RC_GTEST_PROP(LinearRegexProperty, AgreesWithStdRegex, ()) {
  const std::string pattern = *GenPattern(3);
  const std::string text = *rc::gen::container<std::string>(rc::gen::element('a', 'b', '1', ' '));
  RC_PRE(text.size() <= 10);
  std::regex reference;
  try {
    reference = std::regex(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error&) {
    RC_DISCARD("not a regex for std::regex either");
  }
  auto linear = LinearRegex::Compile(pattern);
  RC_ASSERT(linear.ok());
  RC_ASSERT(linear->Search(text) == std::regex_search(text, reference));
}

}  // namespace
}  // namespace linear_regex_property_test
}  // namespace conform::validator::internal
