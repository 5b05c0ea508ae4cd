#include "traffic/jsonl.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "tests/support/result_matchers.h"

namespace conform::traffic {
namespace jsonl_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr ReadOptions kDefaults{};

TEST(ReadJsonl, ClassifiesEachLine) {
  const std::string text =
      R"({"request":{"method":"GET","url":"/v1/accounts/a/dpoJobs?pageSize=1"},"response":{"status":200,"body":{"dpoJobs":[]}}})"
      "\n"
      R"({"dpoJobs":[],"nextPageToken":""})"
      "\n"
      "\n"
      R"({"dpoJobs": [)"
      "\n"
      R"({"response":{"status":404,"headers":{"Content-Type":"application/json"},"body":"{\"code\":5}"}})"
      "\n"
      R"({"name":"operations/1","done":true,"response":{"status":"DONE"}})"
      "\n"
      R"({"data":{"request":{},"response":{"status":"200"}}})"
      "\n"
      "   \t\n"
      "[1,2]\n";
  auto exchanges = ReadJsonl(text, "f.jsonl", LineKind::kAuto, kDefaults);
  ASSERT_THAT(exchanges, IsOk());
  std::vector<std::string> sources;
  std::vector<int> statuses;
  std::vector<std::string> methods;
  for (const Exchange& exchange : *exchanges) {
    sources.push_back(exchange.source);
    statuses.push_back(exchange.response.status);
    methods.push_back(exchange.request.method);
  }
  EXPECT_THAT(sources, ElementsAre("f.jsonl:1", "f.jsonl:2", "f.jsonl:4", "f.jsonl:5", "f.jsonl:6",
                                   "f.jsonl:7", "f.jsonl:9"));
  EXPECT_THAT(statuses, ElementsAre(200, 200, 200, 404, 200, 200, 200));
  EXPECT_THAT(methods, ElementsAre("GET", "", "", "", "", "", ""));
  EXPECT_EQ((*exchanges)[0].request.url, "/v1/accounts/a/dpoJobs?pageSize=1");
  EXPECT_EQ((*exchanges)[0].response.body, R"({"dpoJobs":[]})");
  EXPECT_EQ((*exchanges)[1].response.body, R"({"dpoJobs":[],"nextPageToken":""})");
  // Not JSON: a bare body holding the raw line, for the validator to report.
  EXPECT_EQ((*exchanges)[2].response.body, R"({"dpoJobs": [)");
  EXPECT_EQ((*exchanges)[3].response.body, R"({"code":5})");
  EXPECT_EQ(FindHeader((*exchanges)[3].response.headers, "content-type"), "application/json");
  // A "response" member beside a body's own members, or deeper down, leaves a body a body.
  EXPECT_EQ((*exchanges)[4].response.body,
            R"({"name":"operations/1","done":true,"response":{"status":"DONE"}})");
  EXPECT_EQ((*exchanges)[5].response.body, R"({"data":{"request":{},"response":{"status":"200"}}})");
  EXPECT_EQ((*exchanges)[6].response.body, "[1,2]");
}

TEST(ReadJsonl, BareBodyHasDefaultStatusJsonContentTypeAndUnknownRequest) {
  auto exchanges = ReadJsonl(R"({"dpoJobs":[]})", "b.jsonl", LineKind::kAuto,
                             ReadOptions{.default_status = 201});
  ASSERT_THAT(exchanges, IsOk());
  ASSERT_EQ(exchanges->size(), 1u);
  const Exchange& bare = exchanges->front();
  EXPECT_EQ(bare.response.status, 201);
  EXPECT_EQ(bare.response.headers, (Headers{{"Content-Type", "application/json"}}));
  EXPECT_EQ(bare.request, Request{});
  EXPECT_TRUE(bare.error.empty());
}

TEST(ReadJsonl, JsonValueBodyKeepsItsExactBytes) {
  const std::string body = R"({ "b": 1.50, "a":[1,  2e3], "s": "\u00e9" })";
  auto exchanges = ReadJsonl(R"({"response":{"status":200,"body":)" + body +
                                 R"(},"request":{"method":"POST","url":"/x","body":[true, null]}})",
                             "v.jsonl", LineKind::kAuto, kDefaults);
  ASSERT_THAT(exchanges, IsOk());
  EXPECT_EQ(exchanges->front().response.body, body);
  EXPECT_EQ(exchanges->front().request.body, "[true, null]");
}

TEST(ReadJsonl, ReadsEveryExchangeObjectMember) {
  const std::string line =
      R"({"request":{"method":"GET","url":"https://h/v1/x?pageToken=a%2Bb",)"
      R"("headers":[{"name":"Accept","value":"application/json"},{"name":"X-A","value":"1"}]},)"
      R"("response":{"status":200,"headers":{"Set-Cookie":["a=1","b=2"],"Content-Type":"text/plain"},)"
      R"("body":"/wAB","bodyEncoding":"base64"},)"
      R"("started":"2024-05-01T12:00:00Z","elapsedMs":12.5,"error":""})";
  auto exchanges = ReadJsonl(line, "m.jsonl", LineKind::kAuto, kDefaults);
  ASSERT_THAT(exchanges, IsOk());
  const Exchange& exchange = exchanges->front();
  EXPECT_EQ(exchange.request.headers, (Headers{{"Accept", "application/json"}, {"X-A", "1"}}));
  // The object form keeps repeated headers (and is read in key order).
  EXPECT_EQ(
      exchange.response.headers,
      (Headers{{"Content-Type", "text/plain"}, {"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}}));
  EXPECT_EQ(exchange.response.body, std::string("\xff\x00\x01", 3));
  EXPECT_EQ(exchange.started, "2024-05-01T12:00:00Z");
  EXPECT_DOUBLE_EQ(exchange.elapsed_ms, 12.5);
}

TEST(ReadJsonl, IgnoresCrLfAndByteOrderMark) {
  auto exchanges = ReadJsonl("\xEF\xBB\xBF{\"a\":1}\r\n\r\n{\"b\":2}\r\n", "w.jsonl",
                             LineKind::kAuto, kDefaults);
  ASSERT_THAT(exchanges, IsOk());
  ASSERT_EQ(exchanges->size(), 2u);
  EXPECT_EQ((*exchanges)[0].response.body, "{\"a\":1}");
  EXPECT_EQ((*exchanges)[1].response.body, "{\"b\":2}");
  EXPECT_EQ((*exchanges)[1].source, "w.jsonl:3");
}

TEST(ReadJsonl, MemberOfWrongTypeIsAnErrorNamingTheLine) {
  const std::string text =
      "{}\n\n"
      R"({"response":{"status":200,"headers":5}})";
  EXPECT_THAT(ReadJsonl(text, "e.jsonl", LineKind::kAuto, kDefaults),
              ErrorIs(ErrorCode::kInvalidArgument,
                      "e.jsonl:3: response.headers is not an array or object"));
  EXPECT_THAT(ReadJsonl(R"({"response":{"status":1000}})", "e.jsonl", LineKind::kAuto, kDefaults),
              ErrorIs(ErrorCode::kInvalidArgument,
                      "e.jsonl:1: response.status 1000 is not an HTTP status"));
  EXPECT_THAT(ReadJsonl(R"({"response":{"status":200},"request":{"url":7}})", "e.jsonl",
                        LineKind::kAuto, kDefaults),
              ErrorIs(ErrorCode::kInvalidArgument, "e.jsonl:1: request.url is not a string"));
  EXPECT_THAT(ReadJsonl(R"({"response":{"status":200,"body":"*","bodyEncoding":"base64"}})",
                        "e.jsonl", LineKind::kAuto, kDefaults),
              ErrorIs(ErrorCode::kInvalidArgument, "e.jsonl:1: response.body is not valid base64"));
}

// A record shaped like an exchange whose fields are malformed is an error naming the line
// and the field: read as a bare 200 body, a recorded 500 would pass.
struct MalformedExchangeCase {
  std::string name;
  std::string line;
  std::string message;
};

void PrintTo(const MalformedExchangeCase& test_case, std::ostream* os) { *os << test_case.name; }

class ReadJsonlMalformedExchange : public ::testing::TestWithParam<MalformedExchangeCase> {};

TEST_P(ReadJsonlMalformedExchange, IsAnErrorNamingLineAndField) {
  const MalformedExchangeCase& test_case = GetParam();
  EXPECT_THAT(ReadJsonl(R"({"response":{"status":200}})"
                        "\n" + test_case.line + "\n",
                        "m.jsonl", LineKind::kAuto, kDefaults),
              ErrorIs(ErrorCode::kInvalidArgument, "m.jsonl:2: " + test_case.message));
}

INSTANTIATE_TEST_SUITE_P(
    Fields, ReadJsonlMalformedExchange,
    ::testing::Values(
        MalformedExchangeCase{
            "StringStatus",
            R"({"request":{"method":"GET","url":"http://x/v1/accounts/a/dpoJobs"},"response":{"status":"500","headers":{"Content-Type":"text/html"},"body":"<html>oops</html>"}})",
            "response.status is not an integer"},
        MalformedExchangeCase{"FloatStatus", R"({"response":{"status":500.0,"body":{"a":1}}})",
                              "response.status is not an integer"},
        MalformedExchangeCase{"StatusPastInt64", R"({"response":{"status":9223372036854775808}})",
                              "response.status 9223372036854775808 is not an HTTP status"},
        MalformedExchangeCase{"StatusPast64Bits",
                              R"({"response":{"status":99999999999999999999}})",
                              "response.status 99999999999999999999 is not an HTTP status"},
        MalformedExchangeCase{"StringStatusBesideUnknownMembers",
                              R"({"request":{},"response":{"status":"500"},"note":"x"})",
                              "response.status is not an integer"},
        MalformedExchangeCase{"ResponseNotAnObject", R"({"request":{"url":"/x"},"response":"500"})",
                              "response is not an object"},
        MalformedExchangeCase{"DuplicateStatus", R"({"response":{"status":500,"status":200}})",
                              "response.status appears more than once"},
        MalformedExchangeCase{"DuplicateResponse",
                              R"({"response":{"status":500},"response":{"status":"200"}})",
                              "response appears more than once"},
        MalformedExchangeCase{
            "DuplicateEscapedHeader",
            R"({"response":{"status":200,"headers":[{"name":"a","value":"1","v\u0061lue":"2"}]}})",
            "response.headers[0].value appears more than once"}),
    [](const ::testing::TestParamInfo<MalformedExchangeCase>& test_case) {
      return test_case.param.name;
    });

TEST(ReadJsonl, ExchangeModeRequiresExchangeObjects) {
  const std::string good = R"({"response":{"status":200}})";
  EXPECT_THAT(ReadJsonl(good + "\n{\"dpoJobs\":[]}", "x.jsonl", LineKind::kExchange, kDefaults),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("x.jsonl:2: not an exchange object")));
  EXPECT_THAT(ReadJsonl(R"({"response":{"status":200},"x":tru})", "x.jsonl", LineKind::kExchange,
                        kDefaults),
              ErrorIs(ErrorCode::kInvalidArgument,
                      HasSubstr("x.jsonl:1:35: not an exchange object: invalid JSON")));
  auto ok = ReadJsonl(good, "x.jsonl", LineKind::kExchange, kDefaults);
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ(ok->front().response.body, "");
}

TEST(ReadJsonl, BodyModeTakesEveryLineAsABody) {
  const std::string line = R"({"response":{"status":404}})";
  auto exchanges = ReadJsonl(line, "b.jsonl", LineKind::kBody, kDefaults);
  ASSERT_THAT(exchanges, IsOk());
  EXPECT_EQ(exchanges->front().response.status, 200);
  EXPECT_EQ(exchanges->front().response.body, line);
}

TEST(ReadJsonl, BodiesOverTheLimitNameFileAndLine) {
  ReadOptions small{.limits = {.max_body_bytes = 8}};
  EXPECT_THAT(ReadJsonl("{}\n\"123456789\"", "l.jsonl", LineKind::kAuto, small),
              ErrorIs(ErrorCode::kResourceExhausted,
                      "l.jsonl:2: body is 11 bytes, over the limit of 8 bytes"));
  EXPECT_THAT(ReadJsonl(R"({"response":{"status":200,"body":"123456789"}})", "l.jsonl",
                        LineKind::kAuto, small),
              ErrorIs(ErrorCode::kResourceExhausted,
                      "l.jsonl:1: response body is 9 bytes, over the limit of 8 bytes"));
}

TEST(ReadJsonl, ResponseBodiesOverTheLimitAreMarkedAndTheNextLinesRead) {
  const ReadOptions mark{
      .limits = {.max_body_bytes = 8, .over_limit_response = OverLimitBody::kMark}};
  const std::string text =
      "{}\n"
      R"({"response":{"status":200,"headers":{"Content-Type":"application/json"},"body":"123456789"}})"
      "\n"
      R"({"response":{"status":200,"body":[1,2,3,4,5]}})"
      "\n"
      R"({"response":{"status":200,"body":"QUJDREVGR0hJ","bodyEncoding":"base64"}})"
      "\n"
      "\"123456789\"\n"
      "[1]\n";
  auto exchanges = ReadJsonl(text, "l.jsonl", LineKind::kAuto, mark);
  ASSERT_THAT(exchanges, IsOk());
  ASSERT_EQ(exchanges->size(), 6u);
  std::vector<std::string> marked;
  for (const Exchange& exchange : *exchanges) {
    if (exchange.body_over_read_limit) {
      EXPECT_EQ(exchange.response.body, "") << exchange.source;
      EXPECT_EQ(exchange.body_over_read_limit->limit, 8u);
      marked.push_back(exchange.source + " " + exchange.body_over_read_limit->where + " " +
                       std::to_string(exchange.body_over_read_limit->bytes));
    }
  }
  EXPECT_THAT(marked, ElementsAre("l.jsonl:2 response.body 9", "l.jsonl:3 response.body 11",
                                  "l.jsonl:4 response.body 9", "l.jsonl:5  11"));
  EXPECT_EQ((*exchanges)[1].response.headers.size(), 1u);
  EXPECT_EQ((*exchanges)[0].response.body, "{}");
  EXPECT_EQ((*exchanges)[5].response.body, "[1]");
  // A request body over the limit is still an error: no check reads it.
  EXPECT_THAT(ReadJsonl(R"({"request":{"method":"POST","url":"/x","body":"123456789"},)"
                        R"("response":{"status":200}})",
                        "l.jsonl", LineKind::kAuto, mark),
              ErrorIs(ErrorCode::kResourceExhausted,
                      "l.jsonl:1: request body is 9 bytes, over the limit of 8 bytes"));
  // One document is its only exchange: nothing else to go on with, so it is refused.
  EXPECT_THAT(ReadJsonDocument("\"123456789\"", "one.json", LineKind::kAuto, mark),
              ErrorIs(ErrorCode::kResourceExhausted,
                      "one.json: body is 11 bytes, over the limit of 8 bytes"));
}

TEST(ReadJsonl, LimitsTheEnvelopeDepthButHandsDeepBodiesOver) {
  const std::string deep = std::string(1000, '[') + std::string(1000, ']');
  EXPECT_THAT(
      ReadJsonl(R"({"response":{"status":200},"x":)" + deep + "}", "d.jsonl", LineKind::kAuto,
                kDefaults),
      ErrorIs(ErrorCode::kResourceExhausted, HasSubstr("d.jsonl:1: exchange object nested")));
  auto body = ReadJsonl(R"({"response":{"status":200,"body":)" + deep + "}}", "d.jsonl",
                        LineKind::kAuto, kDefaults);
  ASSERT_THAT(body, IsOk());
  EXPECT_EQ(body->front().response.body, deep);
  auto bare = ReadJsonl(deep, "d.jsonl", LineKind::kAuto, kDefaults);
  ASSERT_THAT(bare, IsOk());
  EXPECT_EQ(bare->front().response.body, deep);
}

TEST(ReadJsonl, SplitsTenThousandBodies) {
  std::string page = R"({"dpoJobs":[)";
  for (int i = 0; i < 10; ++i) {
    page += std::string(i == 0 ? "" : ",") + R"({"name":"accounts/a/dpoJobs/j)" +
            std::to_string(i) + R"(","state":"JOB_STATE_RUNNING","displayName":"x \"y\" z"})";
  }
  page += R"(],"nextPageToken":"t"})";
  std::string text;
  for (int i = 0; i < 10'000; ++i) {
    text += i % 100 == 0 ? R"({"response":{"status":200,"body":)" + page + "}}\n" : page + "\n";
  }
  auto exchanges = ReadJsonl(text, "big.jsonl", LineKind::kAuto, kDefaults);
  ASSERT_THAT(exchanges, IsOk());
  ASSERT_EQ(exchanges->size(), 10'000u);
  for (const Exchange& exchange : *exchanges) {
    ASSERT_EQ(exchange.response.body, page) << exchange.source;
  }
  EXPECT_EQ(exchanges->back().source, "big.jsonl:10000");
}

RC_GTEST_PROP(ReadJsonl, BodyModeGivesOneExchangePerNonBlankLineHoldingItsBytes, ()) {
  const auto lines = *rc::gen::container<std::vector<std::string>>(rc::gen::oneOf(
      rc::gen::container<std::string>(rc::gen::distinctFrom('\n')),
      rc::gen::element<std::string>("", " ", R"({"response":{"status":200}})", "{\"a\":")));
  std::string text;
  std::vector<std::string> expected;
  for (const std::string& line : lines) {
    text += line + "\n";
    std::string_view kept = line;
    if (kept.ends_with('\r')) {
      kept.remove_suffix(1);
    }
    if (kept.find_first_not_of(" \t\r") != std::string_view::npos) {
      expected.emplace_back(kept);
    }
  }
  if (text.starts_with("\xEF\xBB\xBF")) {
    RC_DISCARD("a leading byte order mark is dropped");
  }
  auto exchanges = ReadJsonl(text, "g.jsonl", LineKind::kBody, kDefaults);
  RC_ASSERT(exchanges.ok());
  RC_ASSERT(exchanges->size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    RC_ASSERT((*exchanges)[i].response.body == expected[i]);
    RC_ASSERT((*exchanges)[i].source.rfind("g.jsonl:", 0) == 0u);
  }
  // Auto mode reads the same number of exchanges or names a line.
  auto automatic = ReadJsonl(text, "g.jsonl", LineKind::kAuto, kDefaults);
  RC_ASSERT(!automatic.ok() || automatic->size() == expected.size());
}

TEST(IsExchangeObject, GoesByTheTopLevelShapeNotTheFields) {
  EXPECT_TRUE(IsExchangeObject(R"(  {"x":[{"response":1}],"response":{"a":{},"status":-0}} )"));
  EXPECT_TRUE(IsExchangeObject(R"({"response":{"status":2e2},"elapsedMs":1})"));
  EXPECT_TRUE(IsExchangeObject(R"({"request":{},"response":"500","note":1})"));
  EXPECT_FALSE(IsExchangeObject(R"({"data":{"response":{"status":200}}})"));
  EXPECT_FALSE(IsExchangeObject(R"({"response":{"status":200}} trailing)"));
  EXPECT_FALSE(IsExchangeObject(R"({"response":[{"status":200}]})"));
  EXPECT_FALSE(IsExchangeObject(R"({"done":true,"response":{"status":"DONE"}})"));
  EXPECT_FALSE(IsExchangeObject("not json"));
  // Keys are compared as written: an escaped spelling is not recognised.
  EXPECT_FALSE(IsExchangeObject(R"({"respons\u0065":{"status":200}})"));
}

TEST(ReadJsonDocument, ReadsPrettyPrintedExchangeAndTruncatedBody) {
  auto exchange = ReadJsonDocument("{\n  \"response\": {\n    \"status\": 503\n  }\n}\n",
                                   "one.json", LineKind::kAuto, kDefaults);
  ASSERT_THAT(exchange, IsOk());
  EXPECT_EQ(exchange->response.status, 503);
  EXPECT_EQ(exchange->source, "one.json");

  auto truncated =
      ReadJsonDocument("{\n  \"dpoJobs\": [\n", "cut.json", LineKind::kAuto, kDefaults);
  ASSERT_THAT(truncated, IsOk());
  EXPECT_EQ(truncated->response.body, "{\n  \"dpoJobs\": [\n");
  EXPECT_EQ(truncated->response.status, 200);

  EXPECT_THAT(ReadJsonDocument(" \n", "blank.json", LineKind::kAuto, kDefaults),
              ErrorIs(ErrorCode::kInvalidArgument, "blank.json: empty: no exchanges"));
}

TEST(ExchangeJsonLine, WritesTheFormatReadJsonlReads) {
  Exchange exchange;
  exchange.request = {
      .method = "GET", .url = "/v1/x?pageToken=a", .headers = {{"Authorization", "Bearer k"}}};
  exchange.response = {.status = 200,
                       .headers = {{"Content-Type", "application/json"}},
                       .body = std::string("\x89PNG\x00", 5)};
  exchange.elapsed_ms = 3.25;
  std::string line = ExchangeJsonLine(exchange);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_THAT(line, HasSubstr(R"("bodyEncoding":"base64")"));
  auto back = ReadJsonl(line, "o.jsonl", LineKind::kExchange, kDefaults);
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(back->front().request, exchange.request);
  EXPECT_EQ(back->front().response, exchange.response);
  EXPECT_EQ(back->front().elapsed_ms, 3.25);
}

rc::Gen<std::string> GenAscii() {
  return rc::gen::container<std::string>(rc::gen::inRange<char>(' ', '~'));
}

RC_GTEST_PROP(ExchangeJsonLine, ReadJsonlOfExchangeJsonLineIsIdentity, ()) {
  Exchange exchange;
  exchange.request.method = *rc::gen::element<std::string>("", "GET", "POST");
  exchange.request.url = *GenAscii();
  exchange.request.headers = *rc::gen::container<Headers>(
      rc::gen::construct<Header>(rc::gen::nonEmpty(GenAscii()), GenAscii()));
  exchange.request.body = *rc::gen::arbitrary<std::string>();
  exchange.response.status = *rc::gen::inRange(100, 600);
  exchange.response.headers = *rc::gen::container<Headers>(
      rc::gen::construct<Header>(rc::gen::nonEmpty(GenAscii()), GenAscii()));
  exchange.response.body = *rc::gen::oneOf(GenAscii(), rc::gen::arbitrary<std::string>());
  exchange.started = *GenAscii();
  exchange.elapsed_ms = *rc::gen::inRange(0, 100'000) / 16.0;
  auto back = ReadJsonl(ExchangeJsonLine(exchange), "p.jsonl", LineKind::kExchange, kDefaults);
  RC_ASSERT(back.ok());
  RC_ASSERT(back->size() == 1u);
  RC_ASSERT(back->front().request == exchange.request);
  RC_ASSERT(back->front().response == exchange.response);
  RC_ASSERT(back->front().started == exchange.started);
  RC_ASSERT(back->front().elapsed_ms == exchange.elapsed_ms);
}

}  // namespace
}  // namespace jsonl_test
}  // namespace conform::traffic
