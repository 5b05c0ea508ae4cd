#include "aip/filter_syntax.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <charconv>
#include <limits>
#include <string>

#include "tests/support/result_matchers.h"

namespace conform::aip {
namespace filter_syntax_test {
namespace {

using ::testing::HasSubstr;

// A compact, unambiguous rendering of a tree: AND(..), SEQ(..), OR(..), NOT(..), MINUS(..);
// members as dotted parts with #number and "string" (wildcards as '*', literal stars as \*);
// composites in {..}.
std::string Shape(const Node& node);

std::string Parts(const std::vector<Literal>& parts) {
  std::string out;
  for (const Literal& part : parts) {
    if (!out.empty()) {
      out += '.';
    }
    if (part.kind == LiteralKind::kNumber) {
      out += "#" + part.text;
    } else if (part.kind == LiteralKind::kString) {
      Node member;
      member.parts = {part};
      out += Print(member);
    } else {
      out += part.text;
    }
  }
  return out;
}

std::string Shape(const Node& node) {
  std::string out;
  const auto list = [&](std::string_view name, std::string_view separator) {
    out += name;
    out += '(';
    for (size_t i = 0; i < node.children.size(); ++i) {
      out += i > 0 ? std::string(separator) : "";
      out += Shape(node.children[i]);
    }
    out += ')';
  };
  switch (node.kind) {
    case NodeKind::kAnd:
      list("AND", ", ");
      break;
    case NodeKind::kSequence:
      list("SEQ", ", ");
      break;
    case NodeKind::kOr:
      list("OR", ", ");
      break;
    case NodeKind::kNot:
      list(node.not_style == NotStyle::kNot ? "NOT" : "MINUS", ", ");
      break;
    case NodeKind::kRestriction:
      out += Shape(node.children[0]);
      if (node.comparator != Comparator::kNone) {
        out += " " + std::string(ComparatorText(node.comparator)) + " " + Shape(node.children[1]);
      }
      break;
    case NodeKind::kMember:
      out += Parts(node.parts);
      break;
    case NodeKind::kFunction:
      out += Parts(node.parts);
      list("", ", ");
      break;
    case NodeKind::kComposite:
      out += "{" + Shape(node.children[0]) + "}";
      break;
  }
  return out;
}

std::string ShapeOf(std::string_view text) {
  Result<FilterSyntax> syntax = ParseFilterSyntax(text);
  if (!syntax) {
    return "error: " + syntax.error().ToString();
  }
  return syntax->root ? Shape(*syntax->root) : "<empty>";
}

struct ShapeCase {
  std::string name;
  std::string text;
  std::string shape;
};

class FilterSyntaxShapeTest : public ::testing::TestWithParam<ShapeCase> {};

TEST_P(FilterSyntaxShapeTest, ParsesToShape) {
  EXPECT_EQ(ShapeOf(GetParam().text), GetParam().shape) << GetParam().text;
}

// The examples of the AIP-160 text and its EBNF, then our own precedence and lexing cases.
INSTANTIATE_TEST_SUITE_P(
    FilterAip160Examples, FilterSyntaxShapeTest,
    ::testing::Values(
        ShapeCase{"EmptyFilter", "", "<empty>"}, ShapeCase{"WhitespaceOnly", "  \t\n ", "<empty>"},
        ShapeCase{"ConjunctionOfSequences", "a b AND c AND d", "AND(SEQ(a, b), c, d)"},
        ShapeCase{"ParenthesisedSequenceIsEquivalent", "(a b) AND c AND d", "AND(SEQ(a, b), c, d)"},
        ShapeCase{"SequenceWithDisjunction", "New York Giants OR Yankees",
                  "SEQ(New, York, OR(Giants, Yankees))"},
        ShapeCase{"EquivalentSequence", "New York (Giants OR Yankees)",
                  "SEQ(New, York, OR(Giants, Yankees))"},
        ShapeCase{"DisjunctionOfComparisons", "a < 10 OR a >= 100", "OR(a < #10, a >= #100)"},
        ShapeCase{"LogicalNot", "NOT (a OR b)", "NOT(OR(a, b))"},
        ShapeCase{"AlternativeNot", "-file:\".java\"", "MINUS(file : \".java\")"},
        ShapeCase{"Negation", "-30", "#-30"},
        ShapeCase{"Equality", "package=com.google", "package = com.google"},
        ShapeCase{"Inequality", "msg != 'hello'", "msg != \"hello\""},
        ShapeCase{"GreaterThan", "1 > 0", "#1 > #0"},
        ShapeCase{"GreaterOrEqual", "2.5 >= 2.4", "#2.5 >= #2.4"},
        ShapeCase{"LessThan", "yesterday < request.time", "yesterday < request.time"},
        ShapeCase{"LessOrEqualWithCall", "experiment.rollout <= cohort(request.user)",
                  "experiment.rollout <= cohort(request.user)"},
        ShapeCase{"Has", "map:key", "map : key"}, ShapeCase{"HasStar", "m.foo:*", "m.foo : *"},
        ShapeCase{"HasNumber", "r:42", "r : #42"}, ShapeCase{"GlobalRestriction", "prod", "prod"},
        ShapeCase{"DeepMember", "expr.type_map.1.type", "expr.type_map.1.type"},
        ShapeCase{"FunctionWithArguments", "regex(m.key, '^.*prod.*$')",
                  "regex(m.key, \"^.*prod.*$\")"},
        ShapeCase{"QualifiedFunction", "math.mem('30mb')", "math.mem(\"30mb\")"},
        ShapeCase{"Composite", "(msg.endsWith('world') AND retries < 10)",
                  "AND(msg.endsWith(\"world\"), retries < #10)"},
        ShapeCase{"WildcardSuffix", "a = \"foo*\"", "a = \"foo*\""},
        ShapeCase{"WildcardPrefix", "a = \"*.foo\"", "a = \"*.foo\""},
        ShapeCase{"BooleanValue", "a.b = true", "a.b = true"}),
    [](const auto& test) { return test.param.name; });

INSTANTIATE_TEST_SUITE_P(
    FilterSyntaxCases, FilterSyntaxShapeTest,
    ::testing::Values(
        ShapeCase{"OrBindsTighterThanAnd", "a AND b OR c", "AND(a, OR(b, c))"},
        ShapeCase{"OrBindsTighterOnTheLeft", "a OR b AND c", "AND(OR(a, b), c)"},
        ShapeCase{"OrBindsTighterThanSequence", "a b OR c", "SEQ(a, OR(b, c))"},
        ShapeCase{"ParenthesesOverridePrecedence", "(a AND b) OR c", "OR(AND(a, b), c)"},
        ShapeCase{"NestedAndIsFlattened", "a AND (b AND c)", "AND(a, b, c)"},
        ShapeCase{"NestedOrIsFlattened", "(a OR b) OR (c OR d)", "OR(a, b, c, d)"},
        ShapeCase{"NestedSequenceIsFlattened", "(a b) c", "SEQ(a, b, c)"},
        ShapeCase{"RedundantParenthesesDropped", "((a))", "a"},
        ShapeCase{"DoubleNot", "NOT NOT a", "NOT(NOT(a))"},
        ShapeCase{"NotWithoutSpaceBeforeParenthesis", "NOT(a)", "NOT(a)"},
        ShapeCase{"MinusMinus", "--a", "MINUS(MINUS(a))"},
        ShapeCase{"MinusBeforeNot", "-NOT a", "MINUS(NOT(a))"},
        ShapeCase{"NegativeArgument", "a > -3", "a > #-3"},
        ShapeCase{"NegativeFloatArgument", "a:-2.5", "a : #-2.5"},
        ShapeCase{"ExponentNumber", "a = 1e-4", "a = #1e-4"},
        ShapeCase{"MinusBeforeWordIsNegation", "-a.b = 1", "MINUS(a.b = #1)"},
        ShapeCase{"MinusBeforeNumberWithSuffix", "-3.5s", "MINUS(3.5s)"},
        ShapeCase{"UnquotedDuration", "d > 20s", "d > 20s"},
        ShapeCase{"UnquotedFractionalDuration", "d > 3.5s", "d > 3.5s"},
        ShapeCase{"UnquotedDate", "d = 2023-01-01", "d = 2023-01-01"},
        ShapeCase{"NoSpacesAroundComparators", "a>=1", "a >= #1"},
        ShapeCase{"SequenceOfRestrictions", "x=1 y=2", "SEQ(x = #1, y = #2)"},
        ShapeCase{"KeywordAsField", "a.AND = 1", "a.AND = #1"},
        ShapeCase{"LowerCaseKeywordsAreWords", "a and b", "SEQ(a, and, b)"},
        ShapeCase{"KeywordPrefixIsAWord", "ANDROID OR NOTE", "OR(ANDROID, NOTE)"},
        ShapeCase{"QuotedField", "\"my field\".x = 1", "\"my field\".x = #1"},
        ShapeCase{"EscapedStar", "a = \"x\\*y*\"", "a = \"x\\*y*\""},
        ShapeCase{"EscapesDecoded", "a = 'it\\'s \\\"ok\\\"'", "a = \"it's \\\"ok\\\"\""},
        ShapeCase{"UnicodeEscape", "a = \"\\u00e9\"", "a = \"\xC3\xA9\""},
        ShapeCase{"SurrogatePair", "a = \"\\ud83d\\ude00\"", "a = \"\xF0\x9F\x98\x80\""},
        ShapeCase{"Utf8Word", "name = caf\xC3\xA9", "name = caf\xC3\xA9"},
        ShapeCase{"ParenthesisedArgument", "a = (b OR c)", "a = {OR(b, c)}"},
        ShapeCase{"CallWithoutArguments", "now() > t", "now() > t"},
        ShapeCase{"NestedCall", "f(g(x), (a b))", "f(g(x), {SEQ(a, b)})"},
        ShapeCase{"QuotedValueThenParenthesisIsSequence", "\"a\"(b)", "SEQ(\"a\", b)"}),
    [](const auto& test) { return test.param.name; });

struct ErrorCase {
  std::string name;
  std::string text;
  int column;
  std::string message;  // a substring of the message
};

class FilterSyntaxErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(FilterSyntaxErrorTest, RejectsWithColumn) {
  const ErrorCase& c = GetParam();
  Result<FilterSyntax> syntax = ParseFilterSyntax(c.text);
  EXPECT_THAT(syntax, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr(c.message)));
  if (!syntax) {
    EXPECT_EQ(syntax.error().where, "column " + std::to_string(c.column));
  }
}

INSTANTIATE_TEST_SUITE_P(
    FilterSyntaxErrors, FilterSyntaxErrorTest,
    ::testing::Values(ErrorCase{"MissingValue", "a = ", 5, "unexpected end of filter"},
                      ErrorCase{"UnclosedParenthesis", "(a = 1", 7,
                                "')' to close the '(' at column 1"},
                      ErrorCase{"UnclosedInnerParenthesis", "a = 1 AND (b = 2", 17, "column 11"},
                      ErrorCase{"StrayClosingParenthesis", "a = 1)", 6, "unexpected ')'"},
                      ErrorCase{"TrailingAnd", "a AND", 6, "a term after AND"},
                      ErrorCase{"TrailingOr", "a OR  ", 7, "a term after OR"},
                      ErrorCase{"AndAfterAnd", "a AND AND b", 7, "unexpected keyword AND"},
                      ErrorCase{"LeadingOr", "OR a", 1, "unexpected keyword OR"},
                      ErrorCase{"DoubleEquals", "a == 1", 4, "there is no '=='"},
                      ErrorCase{"LoneBang", "a ! b", 3, "did you mean '!='"},
                      ErrorCase{"UnterminatedString", "a = \"abc", 5, "unterminated string"},
                      ErrorCase{"UnterminatedSingleQuote", "a = 'x", 5, "unterminated string"},
                      ErrorCase{"UnknownEscape", "a = \"x\\q\"", 7, "unknown escape"},
                      ErrorCase{"ShortUnicodeEscape", "a = \"\\u12\"", 6, "invalid \\u escape"},
                      ErrorCase{"LoneLowSurrogate", "a = \"\\udc00\"", 6, "invalid \\u escape"},
                      ErrorCase{"EmptyParentheses", "()", 2, "empty parentheses"},
                      ErrorCase{"DanglingDot", "a.", 3, "a field name after '.'"},
                      ErrorCase{"DotAfterSpace", "a .b", 3, "unexpected '.'"},
                      ErrorCase{"TrailingNot", "NOT", 4, "a term after NOT"},
                      ErrorCase{"MinusThenSpace", "- a", 2, "unexpected ' '"},
                      ErrorCase{"MinusBeforeWordValue", "a = -b", 5, "unexpected '-b'"},
                      ErrorCase{"EmptyArgument", "f(a,)", 5, "unexpected ')'"},
                      ErrorCase{"MissingCommaInCall", "f(a b)", 5, "',' or ')'"},
                      ErrorCase{"HasWithoutValue", "a:", 3, "unexpected end"},
                      ErrorCase{"ComparatorAsValue", "a < < b", 5, "unexpected '<'"},
                      ErrorCase{"Comma", "a, b", 2, "unexpected ','"},
                      ErrorCase{"ControlCharacter", "a = \x01", 5, "unexpected '\\x01'"},
                      ErrorCase{"Backslash", "a\\b", 2, "unexpected '\\'"},
                      ErrorCase{"NulByte", std::string("a = \0b", 6), 5, "NUL byte"},
                      ErrorCase{"InvalidUtf8", "a = \"\xFF\"", 6, "invalid UTF-8"},
                      ErrorCase{"TruncatedUtf8", "a = caf\xC3", 8, "invalid UTF-8"},
                      ErrorCase{"OverlongUtf8", "a = \xC0\xAF", 5, "invalid UTF-8"}),
    [](const auto& test) { return test.param.name; });

TEST(FilterSyntaxLimits, RejectsTooLongFilterAtTheLimitColumn) {
  const std::string text(4097, 'x');
  Result<FilterSyntax> syntax = ParseFilterSyntax(text);
  EXPECT_THAT(syntax, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("limit is 4096")));
  if (!syntax) {
    EXPECT_EQ(syntax.error().where, "column 4097");
  }
  EXPECT_THAT(ParseFilterSyntax(std::string(4096, 'x')), IsOk());
  EXPECT_THAT(ParseFilterSyntax(std::string(20, 'x'), {.max_length = 10}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("limit is 10")));
}

TEST(FilterSyntaxLimits, AcceptsNestingUpToTheDepthLimit) {
  const std::string parens = std::string(32, '(') + "a" + std::string(32, ')');
  EXPECT_THAT(ParseFilterSyntax(parens), IsOk());
  std::string nots;
  for (int i = 0; i < 32; ++i) {
    nots += "NOT ";
  }
  EXPECT_THAT(ParseFilterSyntax(nots + "a"), IsOk());
}

TEST(FilterSyntaxLimits, RejectsDeepParenthesesBeforeRecursing) {
  const std::string text = std::string(33, '(') + "a" + std::string(33, ')');
  Result<FilterSyntax> syntax = ParseFilterSyntax(text);
  EXPECT_THAT(syntax, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("deeper than 32")));
  if (!syntax) {
    EXPECT_EQ(syntax.error().where, "column 33");
  }
}

TEST(FilterSyntaxLimits, RejectsHundredThousandOpenParenthesesWithoutCrashing) {
  const std::string text(100000, '(');
  EXPECT_THAT(ParseFilterSyntax(text, {.max_length = 200000}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("deeper than 32")));
}

TEST(FilterSyntaxLimits, RejectsLongNotChainAtTheFirstNotPastTheLimit) {
  std::string text;
  for (int i = 0; i < 50000; ++i) {
    text += "NOT ";
  }
  text += "a";
  Result<FilterSyntax> syntax = ParseFilterSyntax(text, {.max_length = 300000});
  EXPECT_THAT(syntax, ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("deeper than 32")));
  if (!syntax) {
    EXPECT_EQ(syntax.error().where, "column 129");  // the 33rd NOT
  }
  EXPECT_THAT(ParseFilterSyntax(std::string(100000, '-') + "a", {.max_length = 200000}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("deeper than 32")));
}

TEST(FilterSyntaxLimits, CountsCallsAndArgumentsTowardsDepth) {
  std::string text = "a = ";
  for (int i = 0; i < 40; ++i) {
    text += "f(";
  }
  text += "x" + std::string(40, ')');
  EXPECT_THAT(ParseFilterSyntax(text),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("deeper than 32")));
  EXPECT_THAT(ParseFilterSyntax("a = (((b)))", {.max_depth = 2}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("deeper than 2")));
}

TEST(FilterSyntaxLimits, LongFlatConjunctionIsFine) {
  std::string text = "a = 1";
  for (int i = 0; i < 400; ++i) {
    text += " AND a = 1";
  }
  Result<FilterSyntax> syntax = ParseFilterSyntax(text);
  ASSERT_THAT(syntax, IsOk());
  EXPECT_EQ(syntax->root->children.size(), 401u);
}

TEST(FilterSyntax, RecordsColumnsOfTokens) {
  Result<FilterSyntax> syntax = ParseFilterSyntax("x = 1 AND  NOT state:\"a\"");
  ASSERT_THAT(syntax, IsOk());
  const Node& root = *syntax->root;
  ASSERT_EQ(root.kind, NodeKind::kAnd);
  EXPECT_EQ(root.children[0].column.value, 1u);
  EXPECT_EQ(root.children[0].operator_column.value, 3u);
  EXPECT_EQ(root.children[0].children[1].parts[0].column.value, 5u);
  const Node& negation = root.children[1];
  EXPECT_EQ(negation.kind, NodeKind::kNot);
  EXPECT_EQ(negation.column.value, 12u);
  EXPECT_EQ(negation.children[0].column.value, 16u);
  EXPECT_EQ(negation.children[0].operator_column.value, 21u);
}

TEST(FilterSyntax, RecordsWildcardOffsetsButNotEscapedStars) {
  Result<FilterSyntax> syntax = ParseFilterSyntax(R"(a = "x\*y*z*")");
  ASSERT_THAT(syntax, IsOk());
  const Literal& value = syntax->root->children[1].parts[0];
  EXPECT_EQ(value.kind, LiteralKind::kString);
  EXPECT_EQ(value.text, "x*y*z*");
  EXPECT_EQ(value.wildcards, (std::vector<size_t>{3, 5}));
  Result<FilterSyntax> word = ParseFilterSyntax("a = f*o*");
  ASSERT_THAT(word, IsOk());
  EXPECT_EQ(word->root->children[1].parts[0].wildcards, (std::vector<size_t>{1, 3}));
}

TEST(FilterSyntax, EqualityIgnoresColumnsButNotContent) {
  Result<FilterSyntax> a = ParseFilterSyntax("x = 1");
  Result<FilterSyntax> b = ParseFilterSyntax("  x=1");
  Result<FilterSyntax> c = ParseFilterSyntax("x = 2");
  Result<FilterSyntax> d = ParseFilterSyntax("x = \"1\"");
  ASSERT_TRUE(a && b && c && d);
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
  EXPECT_NE(*a, *d);
}

struct PrintCase {
  std::string name;
  std::string text;
  std::string printed;
};

class FilterSyntaxPrintTest : public ::testing::TestWithParam<PrintCase> {};

TEST_P(FilterSyntaxPrintTest, PrintsCanonicallyAndRoundTrips) {
  const PrintCase& c = GetParam();
  Result<FilterSyntax> syntax = ParseFilterSyntax(c.text);
  ASSERT_THAT(syntax, IsOk());
  const std::string printed = Print(*syntax);
  EXPECT_EQ(printed, c.printed);
  Result<FilterSyntax> again = ParseFilterSyntax(printed);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(*again, *syntax) << printed;
}

INSTANTIATE_TEST_SUITE_P(
    FilterSyntaxPrinting, FilterSyntaxPrintTest,
    ::testing::Values(PrintCase{"Empty", "   ", ""},
                      PrintCase{"SpacesNormalised", "a  =1", "a = 1"},
                      PrintCase{"HasWithoutSpaces", "a : b", "a:b"},
                      PrintCase{"AllComparators", "a<1 b<=2 c>3 d>=4 e!=5 f=6 g:7",
                                "a < 1 b <= 2 c > 3 d >= 4 e != 5 f = 6 g:7"},
                      PrintCase{"OrInsideAndIsParenthesised", "a AND b OR c", "a AND (b OR c)"},
                      PrintCase{"AndInsideOr", "(a AND b) OR c", "(a AND b) OR c"},
                      PrintCase{"SequenceInsideAnd", "a b AND c", "a b AND c"},
                      PrintCase{"SequenceInsideOr", "(a b) OR c", "(a b) OR c"},
                      PrintCase{"OrInsideSequence", "New York Giants OR Yankees",
                                "New York (Giants OR Yankees)"},
                      PrintCase{"RedundantParentheses", "NOT ((a))", "NOT a"},
                      PrintCase{"NotOfOr", "NOT(a OR b)", "NOT (a OR b)"},
                      PrintCase{"MinusOfOr", "-(a OR b)", "-(a OR b)"},
                      PrintCase{"MinusOfNumberKeepsParentheses", "-(30)", "-(30)"},
                      PrintCase{"NegativeNumber", "-30", "-30"},
                      PrintCase{"MinusOfDottedNumberWord", "-1.5.x", "-1.5.x"},
                      PrintCase{"SingleQuotesBecomeDouble", "a = 'it\\'s'", "a = \"it's\""},
                      PrintCase{"EscapedStarStaysEscaped", R"(a = "x\*y*")", R"(a = "x\*y*")"},
                      PrintCase{"ControlCharactersEscaped", R"(a = "l1\nl2\t\r\u0001")",
                                R"(a = "l1\nl2\t\r\u0001")"},
                      PrintCase{"CallArguments", "f( a ,b )", "f(a, b)"},
                      PrintCase{"ParenthesisedArgument", "a = ( b  OR c )", "a = (b OR c)"},
                      PrintCase{"QuotedFieldName", "\"my field\".x:*", "\"my field\".x:*"}),
    [](const auto& test) { return test.param.name; });

TEST(FilterSyntaxBuilders, BuildWhatTheParserReads) {
  const Node built = MakeAnd(
      {MakeRestriction("state", Comparator::kEqual, TextLiteral("JOB_STATE_RUNNING")),
       MakeOr({MakeRestriction("trainingConfig.epochs", Comparator::kGreater, IntegerLiteral(-3)),
               MakeNot(MakePresence("completedTime"), NotStyle::kMinus)}),
       MakeRestriction("displayName", Comparator::kEqual, PatternLiteral("a*b")),
       MakeRestriction("displayName", Comparator::kNotEqual, StringLiteral("a*b"))});
  const std::string printed = Print(built);
  EXPECT_EQ(printed,
            "state = JOB_STATE_RUNNING AND (trainingConfig.epochs > -3 OR -completedTime:*) AND "
            "displayName = \"a*b\" AND displayName != \"a\\*b\"");
  Result<FilterSyntax> parsed = ParseFilterSyntax(printed);
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(*parsed->root, built);
}

TEST(FilterSyntaxBuilders, JunctionsFlattenAndUnwrapSingleOperands) {
  const Node a = MakePresence("a");
  const Node b = MakePresence("b");
  const Node c = MakePresence("c");
  const Node nested = MakeAnd({a, MakeAnd({b, c})});
  EXPECT_EQ(nested.kind, NodeKind::kAnd);
  EXPECT_EQ(nested.children.size(), 3u);
  EXPECT_EQ(MakeOr({a}), a);
  EXPECT_EQ(MakeSequence({MakeSequence({a, b}), c}).children.size(), 3u);
}

TEST(FilterSyntaxBuilders, QuoteWordsThatWouldNotReadBack) {
  EXPECT_EQ(TextLiteral("JOB_STATE_RUNNING").kind, LiteralKind::kText);
  EXPECT_EQ(TextLiteral("20s").kind, LiteralKind::kText);
  EXPECT_EQ(TextLiteral("AND").kind, LiteralKind::kString);
  EXPECT_EQ(TextLiteral("12").kind, LiteralKind::kString);
  EXPECT_EQ(TextLiteral("a b").kind, LiteralKind::kString);
  EXPECT_EQ(TextLiteral("-x").kind, LiteralKind::kString);
  EXPECT_EQ(TextLiteral("").kind, LiteralKind::kString);
  EXPECT_EQ(TextLiteral("a*").wildcards, (std::vector<size_t>{1}));
  EXPECT_EQ(Print(MakeMember("1.AND.x y")), "\"1\".AND.\"x y\"");
  for (const std::string path : {"1.5", "a.1", "NOT.x", "x-y.z", "é.ü"}) {
    const Node member = MakeMember(path);
    Result<FilterSyntax> parsed = ParseFilterSyntax(Print(member));
    ASSERT_THAT(parsed, IsOk()) << path;
    EXPECT_EQ(parsed->root->children[0], member) << path;
  }
}

TEST(FilterSyntaxBuilders, FloatLiteralsReadBackExactly) {
  for (double value : {0.1, -2.5, 1e20, 5e-324, 1.7976931348623157e308, 3.0}) {
    const Literal literal = FloatLiteral(value);
    EXPECT_EQ(literal.kind, LiteralKind::kNumber) << value;
    double read = 0;
    std::from_chars(literal.text.data(), literal.text.data() + literal.text.size(), read);
    EXPECT_EQ(read, value) << literal.text;
    Result<FilterSyntax> parsed =
        ParseFilterSyntax(Print(MakeRestriction("x", Comparator::kEqual, literal)));
    ASSERT_THAT(parsed, IsOk()) << literal.text;
    EXPECT_EQ(parsed->root->children[1].parts[0], literal);
  }
  EXPECT_EQ(FloatLiteral(std::numeric_limits<double>::quiet_NaN()).text, "NaN");
  EXPECT_EQ(FloatLiteral(-std::numeric_limits<double>::infinity()).text, "-Infinity");
}

}  // namespace
}  // namespace filter_syntax_test
}  // namespace conform::aip
