// Untrusted text never crashes the aip/ parsers: every input is accepted or rejected with an
// error positioned inside it; whatever parses prints back to itself. Plus the RFC 3339 round
// trip over the whole year range.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <charconv>
#include <string>
#include <vector>

#include "aip/filter.h"
#include "aip/order_by.h"
#include "aip/read_mask.h"
#include "aip/time.h"
#include "tests/aip/generators.h"
#include "tests/aip/test_catalogs.h"

namespace conform::aip {
namespace robustness_property_test {
namespace {

// Text made of grammar-relevant tokens mixed with arbitrary bytes.
rc::Gen<std::string> GenNastyText() {
  static const std::vector<std::string> kTokens = {"AND",
                                                   "OR",
                                                   "NOT",
                                                   " ",
                                                   " ",
                                                   "(",
                                                   ")",
                                                   "\"",
                                                   "'",
                                                   "\\",
                                                   "\\*",
                                                   "\\u00e9",
                                                   "*",
                                                   "-",
                                                   "-3",
                                                   "1",
                                                   "2.5",
                                                   "1e3",
                                                   "a",
                                                   "state",
                                                   "trainingConfig",
                                                   "epochs",
                                                   ".",
                                                   ":",
                                                   "=",
                                                   "!=",
                                                   "<=",
                                                   "<",
                                                   ">",
                                                   "!",
                                                   ",",
                                                   "desc",
                                                   "asc",
                                                   "\t",
                                                   "\n",
                                                   "\xFF",
                                                   "\xC3\xA9",
                                                   "\xC3",
                                                   "\x01",
                                                   std::string(1, '\0'),
                                                   "JOB_STATE_RUNNING",
                                                   "\"2023-11-07T05:31:56Z\"",
                                                   "f(",
                                                   "*,"};
  return rc::gen::exec([]() -> std::string {
    const int count = *rc::gen::inRange(0, 40);
    std::string text;
    for (int i = 0; i < count; ++i) {
      if (*rc::gen::inRange(0, 8) == 0) {
        text += *rc::gen::arbitrary<char>();
      } else {
        text += *rc::gen::elementOf(kTokens);
      }
    }
    return text;
  });
}

// Text that follows the AIP-160 grammar (untyped: any words, calls, composite arguments), with
// varied spacing, quoting and escapes. Every such text must parse.
rc::Gen<std::string> GenSpace() { return rc::gen::element<std::string>(" ", "  ", "\t", "\n "); }

rc::Gen<std::string> GenWord() {
  return rc::gen::element<std::string>("a", "state", "New", "x_1", "foo*", "\xC3\xA9t\xC3\xA9",
                                       "20s", "2023-01-01", "a-b", "ANDROID", "*", "user@host");
}

rc::Gen<std::string> GenQuoted() {
  return rc::gen::exec([]() -> std::string {
    const std::string content = *rc::gen::element<std::string>(
        "", "a b", "it's", "say \"hi\"", "x*y", "back\\slash", "tab\t", "\xC3\xA9");
    const char quote = *rc::gen::element('"', '\'');
    std::string out(1, quote);
    for (const char c : content) {
      if (c == quote || c == '\\') {
        out += '\\';
        out += c;
      } else if (c == '*' && *rc::gen::arbitrary<bool>()) {
        out += "\\*";
      } else if (c == '\t' && *rc::gen::arbitrary<bool>()) {
        out += "\\t";
      } else {
        out += c;
      }
    }
    if (*rc::gen::inRange(0, 6) == 0) {
      out += "\\u00e9";
    }
    out += quote;
    return out;
  });
}

rc::Gen<std::string> GenMemberText() {
  return rc::gen::exec([]() -> std::string {
    const int kind = *rc::gen::inRange(0, 4);
    if (kind == 0) {
      return *rc::gen::element<std::string>("0", "-3", "2.5", "1e3", "-2.5e-3", "42");
    }
    std::string out = kind == 1 ? *GenQuoted() : *GenWord();
    const int fields = *rc::gen::inRange(0, 3);
    for (int i = 0; i < fields; ++i) {
      out += "." + *rc::gen::oneOf(GenWord(), GenQuoted(),
                                   rc::gen::element<std::string>("AND", "NOT", "1", "type_map"));
    }
    return out;
  });
}

rc::Gen<std::string> GenGrammarText(int depth);

rc::Gen<std::string> GenComparableText(int depth) {
  return rc::gen::exec([depth]() -> std::string {
    if (depth <= 0 || *rc::gen::inRange(0, 5) != 0) {
      return *GenMemberText();
    }
    std::string out = *rc::gen::element<std::string>("f", "regex", "math.mem", "a.b.c") + "(";
    const int count = *rc::gen::inRange(0, 3);
    for (int i = 0; i < count; ++i) {
      out += (i > 0 ? "," + *rc::gen::element<std::string>("", " ") : "");
      out += *rc::gen::arbitrary<bool>() ? *GenComparableText(depth - 1)
                                         : "(" + *GenGrammarText(depth - 1) + ")";
    }
    return out + ")";
  });
}

rc::Gen<std::string> GenTermText(int depth) {
  return rc::gen::exec([depth]() -> std::string {
    std::string out;
    const int negation = *rc::gen::inRange(0, 6);
    if (negation == 0) {
      out += "NOT" + *GenSpace();
    } else if (negation == 1) {
      out += "-";
    }
    if (depth > 0 && *rc::gen::inRange(0, 4) == 0) {
      return out + "(" + *GenGrammarText(depth - 1) + ")";
    }
    out += *GenComparableText(depth);
    if (*rc::gen::inRange(0, 3) != 0) {
      const std::string space = *rc::gen::element<std::string>("", " ");
      out += space + *rc::gen::element<std::string>("=", "!=", "<", "<=", ">", ">=", ":") + space;
      out += depth > 0 && *rc::gen::inRange(0, 8) == 0 ? "(" + *GenGrammarText(depth - 1) + ")"
                                                       : *GenComparableText(depth);
    }
    return out;
  });
}

rc::Gen<std::string> GenGrammarText(int depth) {
  return rc::gen::exec([depth]() -> std::string {
    std::string out = *GenTermText(depth);
    const int count = *rc::gen::inRange(0, 4);
    for (int i = 0; i < count; ++i) {
      const int joint = *rc::gen::inRange(0, 3);
      const std::string space = *GenSpace();
      out += joint == 0 ? space + "AND" + space : joint == 1 ? space + "OR" + space : space;
      out += *GenTermText(depth);
    }
    return out;
  });
}

// The error's column, which must lie within the input (or just past its end).
template <typename T>
void AssertPositionedError(const Result<T>& result, const std::string& text) {
  if (result.ok()) {
    return;
  }
  const std::string& where = result.error().where;
  RC_ASSERT(where.starts_with("column "));
  size_t column = 0;
  const auto [end, error] = std::from_chars(where.data() + 7, where.data() + where.size(), column);
  RC_ASSERT(error == std::errc());
  RC_ASSERT(end == where.data() + where.size());
  RC_ASSERT(column >= 1);
  RC_ASSERT(column <= text.size() + 1);
  RC_ASSERT(result.error().code == ErrorCode::kInvalidArgument);
  RC_ASSERT(result.error().message.find('\n') == std::string::npos);
}

RC_GTEST_PROP(AipRobustness, GarbageFilterIsParsedOrRejectedWithAColumn, ()) {
  const std::string text = *GenNastyText();
  Result<FilterSyntax> syntax = ParseFilterSyntax(text);
  AssertPositionedError(syntax, text);
  if (syntax.ok()) {  // whatever parses prints back to itself
    Result<FilterSyntax> again = ParseFilterSyntax(Print(*syntax));
    RC_ASSERT(again.ok());
    RC_ASSERT(*again == *syntax);
  }
  Result<Filter> filter = ParseFilter(text, testing::DpoJobCatalog());
  AssertPositionedError(filter, text);
  if (filter.ok()) {
    Matches(*filter, testing::SampleDpoJob());
  }
}

RC_GTEST_PROP(AipRobustness, ArbitraryStringsAreParsedOrRejectedWithAColumn, (std::string text)) {
  AssertPositionedError(ParseFilterSyntax(text), text);
  AssertPositionedError(ParseFilter(text, testing::BookCatalog()), text);
  AssertPositionedError(ParseOrderBy(text, testing::DpoJobCatalog()), text);
  AssertPositionedError(ParseReadMask(text, testing::DpoJobCatalog()), text);
}

RC_GTEST_PROP(AipRobustness, GrammarValidTextParsesAndPrintsBackToTheSameTree, ()) {
  const std::string text = *GenGrammarText(3);
  const FilterOptions options{.max_length = size_t{1} << 20};  // length is not under test
  Result<FilterSyntax> syntax = ParseFilterSyntax(text, options);
  RC_ASSERT(syntax.ok());
  RC_ASSERT(syntax->root.has_value());
  const std::string printed = Print(*syntax);
  Result<FilterSyntax> again = ParseFilterSyntax(printed, options);
  RC_ASSERT(again.ok());
  RC_ASSERT(*again == *syntax);
  RC_ASSERT(Print(*again) == printed);
}

RC_GTEST_PROP(AipRobustness, GarbageOrderByAndReadMaskAreParsedOrRejectedWithAColumn, ()) {
  const std::string text = *GenNastyText();
  AssertPositionedError(ParseOrderBy(text, testing::DpoJobCatalog()), text);
  AssertPositionedError(ParseReadMask(text, testing::BookCatalog()), text);
}

RC_GTEST_PROP(AipTimeProperty, FormattedInstantsParseBackAtAnyOffset, ()) {
  // 0001-01-01 to 9998-12-31 keeps every offset inside the four-digit years.
  const int64_t seconds = *rc::gen::inRange<int64_t>(-62135596800, 253370764800);
  const int32_t nanos = *rc::gen::inRange<int32_t>(0, 1000000000);
  const int offset = *rc::gen::inRange(-(23 * 60 + 59), 23 * 60 + 60);
  const Instant instant{seconds, nanos};
  const std::string text = FormatRfc3339(instant, offset);
  const std::optional<Instant> parsed = ParseRfc3339(text);
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(*parsed == instant);
}

RC_GTEST_PROP(AipTimeProperty, FormattedDurationsParseBack, ()) {
  const int64_t seconds = *rc::gen::inRange<int64_t>(-315576000000, 315576000000);
  const int32_t nanos = *rc::gen::inRange<int32_t>(0, 1000000000);
  const Duration duration{seconds, nanos};
  const std::optional<Duration> parsed = ParseDuration(FormatDuration(duration));
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(*parsed == duration);
}

}  // namespace
}  // namespace robustness_property_test
}  // namespace conform::aip
