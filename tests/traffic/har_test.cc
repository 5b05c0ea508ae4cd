#include "traffic/har.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/result_matchers.h"

namespace conform::traffic {
namespace har_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Json = nlohmann::json;

std::string ReadFixture(const std::string& name) {
  std::ifstream in(std::string(CONFORM_TEST_DATA_DIR) + "/traffic/" + name, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A small valid HAR with two entries; tests break entry 1.
Json MinimalHar() {
  Json entry = {
      {"startedDateTime", "2024-05-01T12:00:00.000Z"},
      {"time", 10},
      {"request",
       {{"method", "GET"},
        {"url", "https://api.fireworks.ai/v1/accounts/a/dpoJobs"},
        {"httpVersion", "HTTP/1.1"},
        {"headers", Json::array({{{"name", "Accept"}, {"value", "application/json"}}})},
        {"queryString", Json::array()},
        {"cookies", Json::array()},
        {"headersSize", -1},
        {"bodySize", 0}}},
      {"response",
       {{"status", 200},
        {"statusText", "OK"},
        {"httpVersion", "HTTP/1.1"},
        {"headers", Json::array({{{"name", "Content-Type"}, {"value", "application/json"}}})},
        {"cookies", Json::array()},
        {"content", {{"size", 2}, {"mimeType", "application/json"}, {"text", "{}"}}},
        {"redirectURL", ""},
        {"headersSize", -1},
        {"bodySize", 2}}},
      {"cache", Json::object()},
      {"timings", {{"send", 0}, {"wait", 10}, {"receive", 0}}},
  };
  return Json{{"log",
               {{"version", "1.2"},
                {"creator", {{"name", "t"}, {"version", "1"}}},
                {"entries", Json::array({entry, entry})}}}};
}

Exchange SampleExchange(std::string response_body) {
  Exchange exchange;
  exchange.request = {
      .method = "GET",
      .url = "https://api.fireworks.ai/v1/accounts/a/dpoJobs?pageSize=2&pageToken=x%2By",
      .headers = {{"Accept", "application/json"}}};
  exchange.response = {.status = 200,
                       .headers = {{"Content-Type", "application/json"}},
                       .body = std::move(response_body)};
  exchange.started = "2024-05-01T12:00:00.000Z";
  exchange.elapsed_ms = 12.5;
  return exchange;
}

TEST(ReadHar, ReadsChromeExport) {
  auto exchanges = ReadHar(ReadFixture("chrome_export.har"), "chrome_export.har", ReadLimits{});
  ASSERT_THAT(exchanges, IsOk());
  ASSERT_EQ(exchanges->size(), 6u);

  const Exchange& first = (*exchanges)[0];
  EXPECT_EQ(first.source, "chrome_export.har: entry 0");
  EXPECT_EQ(first.request.method, "GET");
  EXPECT_EQ(first.request.url, "https://api.fireworks.ai/v1/accounts/acme/dpoJobs?pageSize=2");
  EXPECT_EQ(FindHeader(first.request.headers, "Authorization"), "Bearer fw_SECRET_KEY_123");
  EXPECT_EQ(first.response.status, 200);
  EXPECT_EQ(FindHeader(first.response.headers, "content-type"), "application/json");
  EXPECT_THAT(first.response.body, HasSubstr("\"nextPageToken\":\"abc+/==\""));
  EXPECT_EQ(first.started, "2024-05-01T12:00:00.000Z");
  EXPECT_DOUBLE_EQ(first.elapsed_ms, 44.1);
  EXPECT_TRUE(first.error.empty());

  // content.encoding base64 is decoded.
  EXPECT_EQ((*exchanges)[1].response.body,
            R"({"dpoJobs":[{"name":"accounts/acme/dpoJobs/j3","state":"JOB_STATE_FAILED"}],)"
            R"("nextPageToken":"","totalSize":3})");
  // postData.text is the request body, UTF-8 intact.
  EXPECT_EQ((*exchanges)[2].request.method, "POST");
  EXPECT_THAT((*exchanges)[2].request.body, HasSubstr("run \xC3\xA9"));
  // Binary base64 content decodes byte for byte.
  EXPECT_EQ(
      (*exchanges)[3].response.body,
      std::string("\x00\x00\x01\x00\x01\x00\x10\x10\x00\x00\x01\x00\x20\x00\xff\xfe\x80\x81", 18));
  // content.text absent: an empty body.
  EXPECT_EQ((*exchanges)[4].response.status, 204);
  EXPECT_EQ((*exchanges)[4].response.body, "");
}

TEST(ReadHar, AbortedEntryBecomesExchangeWithErrorAndNoResponse) {
  auto exchanges = ReadHar(ReadFixture("chrome_export.har"), "c.har", ReadLimits{});
  ASSERT_THAT(exchanges, IsOk());
  const Exchange& aborted = (*exchanges)[5];
  EXPECT_EQ(aborted.response.status, 0);
  EXPECT_EQ(aborted.error, "net::ERR_ABORTED");
  EXPECT_TRUE(aborted.response.headers.empty());
  EXPECT_EQ(aborted.request.url, "https://api.fireworks.ai/v1/accounts/acme/dpoJobs?pageSize=500");

  Json har = MinimalHar();
  har["log"]["entries"][1]["response"]["status"] = 0;
  auto without_reason = ReadHar(har.dump(), "c.har", ReadLimits{});
  ASSERT_THAT(without_reason, IsOk());
  EXPECT_THAT((*without_reason)[1].error, HasSubstr("no response"));
}

TEST(ReadHar, RejectsBodyOverTheLimitNamingEntryAndSize) {
  Json har = MinimalHar();
  har["log"]["entries"][1]["response"]["content"]["text"] = std::string(101, 'x');
  EXPECT_THAT(ReadHar(har.dump(), "big.har", ReadLimits{.max_body_bytes = 100}),
              ErrorIs(ErrorCode::kResourceExhausted,
                      "big.har: entry 1: response body is 101 bytes, over the limit of 100 bytes"));
  EXPECT_THAT(ReadHar(har.dump(), "big.har", ReadLimits{.max_body_bytes = 101}), IsOk());
}

TEST(ReadHar, AResponseBodyOverTheLimitIsMarkedOnItsEntryAndTheOthersAreRead) {
  Json har = MinimalHar();
  har["log"]["entries"].push_back(har["log"]["entries"][0]);
  har["log"]["entries"][1]["response"]["status"] = 503;
  har["log"]["entries"][1]["response"]["content"]["text"] = std::string(101, 'x');
  const ReadLimits mark{.max_body_bytes = 100, .over_limit_response = OverLimitBody::kMark};
  auto exchanges = ReadHar(har.dump(), "big.har", mark);
  ASSERT_THAT(exchanges, IsOk());
  ASSERT_EQ(exchanges->size(), 3u);
  const Exchange& big = (*exchanges)[1];
  ASSERT_TRUE(big.body_over_read_limit.has_value());
  EXPECT_EQ(big.body_over_read_limit->where, "log.entries[1].response.content.text");
  EXPECT_EQ(big.body_over_read_limit->bytes, 101u);
  EXPECT_EQ(big.body_over_read_limit->limit, 100u);
  EXPECT_EQ(big.response.body, "");  // not loaded
  EXPECT_EQ(big.response.status, 503);
  EXPECT_EQ(big.body_not_recorded, "");
  EXPECT_THAT(big.response.headers, ElementsAre(Header{"Content-Type", "application/json"}));
  for (size_t i : {size_t{0}, size_t{2}}) {
    EXPECT_FALSE((*exchanges)[i].body_over_read_limit.has_value()) << i;
    EXPECT_EQ((*exchanges)[i].response.body, "{}") << i;
  }
  EXPECT_FALSE(ReadHar(har.dump(), "big.har", ReadLimits{.max_body_bytes = 101})
                   ->at(1)
                   .body_over_read_limit.has_value());
}

TEST(ReadHar, ABase64BodyOverTheLimitIsMeasuredNotDecoded) {
  Json har = MinimalHar();
  Json& content = har["log"]["entries"][1]["response"]["content"];
  content["encoding"] = "base64";
  content["text"] = std::string(200, 'A');  // 150 bytes
  const ReadLimits mark{.max_body_bytes = 149, .over_limit_response = OverLimitBody::kMark};
  auto exchanges = ReadHar(har.dump(), "b.har", mark);
  ASSERT_THAT(exchanges, IsOk());
  ASSERT_TRUE((*exchanges)[1].body_over_read_limit.has_value());
  EXPECT_EQ((*exchanges)[1].body_over_read_limit->bytes, 150u);
  // Padding and wrapped lines count as the decoder reads them: "QUJD\nRA==" is 4 bytes.
  content["text"] = "QUJD\nRA==";
  EXPECT_EQ(ReadHar(har.dump(), "b.har",
                    ReadLimits{.max_body_bytes = 3, .over_limit_response = OverLimitBody::kMark})
                ->at(1)
                .body_over_read_limit->bytes,
            4u);
  EXPECT_EQ(ReadHar(har.dump(), "b.har", ReadLimits{.max_body_bytes = 4})->at(1).response.body,
            "ABCD");
  // Over the limit, text that is not base64 is never decoded, so not refused for it either.
  content["text"] = std::string(200, '!');
  auto garbage = ReadHar(har.dump(), "b.har", mark);
  ASSERT_THAT(garbage, IsOk());
  EXPECT_TRUE((*garbage)[1].body_over_read_limit.has_value());
  EXPECT_THAT(ReadHar(har.dump(), "b.har", ReadLimits{.max_body_bytes = 150}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("is not valid base64")));
}

TEST(ReadHar, ARequestBodyOverTheLimitStillRefusesTheFile) {
  Json har = MinimalHar();
  har["log"]["entries"][1]["request"]["postData"] = {{"mimeType", "text/plain"},
                                                     {"text", std::string(101, 'x')}};
  EXPECT_THAT(
      ReadHar(har.dump(), "up.har",
              ReadLimits{.max_body_bytes = 100, .over_limit_response = OverLimitBody::kMark}),
      ErrorIs(ErrorCode::kResourceExhausted,
              "up.har: entry 1: request body is 101 bytes, over the limit of 100 bytes"));
}

TEST(ReadHar, LargestBodyLimitDoesNotWrapForBase64Bodies) {
  Json har = MinimalHar();
  har["log"]["entries"][1]["response"]["content"]["text"] = "e30=";
  har["log"]["entries"][1]["response"]["content"]["encoding"] = "base64";
  auto exchanges = ReadHar(har.dump(), "max.har", ReadLimits{.max_body_bytes = SIZE_MAX});
  ASSERT_THAT(exchanges, IsOk());
  EXPECT_EQ((*exchanges)[1].response.body, "{}");
}

TEST(ReadHar, RefusesDeepNestingBeforeParsing) {
  std::string deep = R"({"log":{"entries":[{"request":)" + std::string(100'000, '[') +
                     std::string(100'000, ']') + "}]}}";
  EXPECT_THAT(ReadHar(deep, "deep.har", ReadLimits{}),
              ErrorIs(ErrorCode::kResourceExhausted,
                      HasSubstr("deep.har:1:539: JSON nesting deeper than the limit of 512")));
  std::string just_brackets(100'000, '[');
  EXPECT_THAT(ReadHar(just_brackets, "b.har", ReadLimits{}),
              ErrorIs(ErrorCode::kResourceExhausted, HasSubstr("nesting")));
}

TEST(ReadHar, RejectsNulAndInvalidUtf8WithPosition) {
  const std::string with_nul("{\"log\":\n {\"entries\": [\0]}}", 26);
  EXPECT_THAT(ReadHar(with_nul, "n.har", ReadLimits{}),
              ErrorIs(ErrorCode::kInvalidArgument,
                      "n.har:2:15: contains a NUL byte; a HAR "
                      "file is UTF-8 JSON text"));
  EXPECT_THAT(
      ReadHar("{\"log\": \"\xC3\x28\"}", "u.har", ReadLimits{}),
      ErrorIs(ErrorCode::kInvalidArgument, "u.har:1:10: not UTF-8 text: invalid byte 0xC3"));
}

TEST(ReadHar, ReportsSyntaxErrorsAndTruncationWithLineAndColumn) {
  EXPECT_THAT(ReadHar("{\"log\":\n  {\"entries\": tru}}", "s.har", ReadLimits{}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("s.har:2:")));
  std::string whole = MinimalHar().dump();
  EXPECT_THAT(ReadHar(whole.substr(0, whole.size() / 2), "t.har", ReadLimits{}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("truncated JSON")));
}

TEST(ReadHar, RefusesAMemberGivenTwiceNamingItsPath) {
  // nlohmann keeps the last status, a browser's reader may keep the first: the recorded 500
  // must not silently become a 200.
  std::string text = MinimalHar().dump();
  size_t status = text.find("\"status\":200");
  ASSERT_NE(status, std::string::npos);
  text.insert(status, "\"status\":500,");
  EXPECT_THAT(ReadHar(text, "d.har", ReadLimits{}),
              ErrorIs(ErrorCode::kInvalidArgument,
                      "d.har: log.entries[0].response.status appears more than once in its "
                      "object: readers disagree on which value counts"));
}

TEST(ReadHar, AResponseWhoseBodyWasNotSavedIsMarkedNotEmpty) {
  // Chrome leaves content.text out of cached and unsaved responses, keeping content.size.
  Json har = MinimalHar();
  Json& content = har["log"]["entries"][0]["response"]["content"];
  content.erase("text");
  content["size"] = 2384;
  auto exchanges = ReadHar(har.dump(), "c.har", ReadLimits{});
  ASSERT_THAT(exchanges, IsOk());
  EXPECT_EQ(exchanges->front().response.body, "");
  EXPECT_EQ(exchanges->front().body_not_recorded,
            "the response body was not recorded (content.size 2384, no text)");
  content["text"] = nullptr;
  EXPECT_NE(ReadHar(har.dump(), "c.har", ReadLimits{})->front().body_not_recorded, "");
  content["size"] = 0;  // nothing was sent: an empty body
  EXPECT_EQ(ReadHar(har.dump(), "c.har", ReadLimits{})->front().body_not_recorded, "");
  content["text"] = "";
  content["size"] = 5;
  EXPECT_EQ(ReadHar(har.dump(), "c.har", ReadLimits{})->front().body_not_recorded, "");
}

TEST(ReadHar, RejectsDocumentsThatAreNotHar) {
  EXPECT_THAT(ReadHar("[]", "x.har", ReadLimits{}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("top level is not an object")));
  EXPECT_THAT(ReadHar("{}", "x.har", ReadLimits{}),
              ErrorIs(ErrorCode::kInvalidArgument, "x.har: not a HAR document: log is missing"));
  EXPECT_THAT(ReadHar(R"({"log":{}})", "x.har", ReadLimits{}),
              ErrorIs(ErrorCode::kInvalidArgument, "x.har: log.entries is missing"));
  EXPECT_THAT(ReadHar(R"({"log":{"entries":{}}})", "x.har", ReadLimits{}),
              ErrorIs(ErrorCode::kInvalidArgument, "x.har: log.entries is not an array"));
  EXPECT_THAT(ReadHar(R"({"log":{"entries":[7]}})", "x.har", ReadLimits{}),
              ErrorIs(ErrorCode::kInvalidArgument, "x.har: entry 0: is not an object"));
}

// One case per required field: removing it names entry 1 and the field.
struct BrokenEntryCase {
  std::string name;
  std::string parent;  // JSON pointer inside entry 1
  std::string member;  // removed, or replaced by `value`
  Json value;          // null: remove the member
  std::string message;
};

void PrintTo(const BrokenEntryCase& test_case, std::ostream* os) { *os << test_case.name; }

class ReadHarBrokenEntry : public ::testing::TestWithParam<BrokenEntryCase> {};

TEST_P(ReadHarBrokenEntry, NamesEntryAndField) {
  const BrokenEntryCase& test_case = GetParam();
  Json har = MinimalHar();
  Json& parent = har["log"]["entries"][1][Json::json_pointer(test_case.parent)];
  if (test_case.value.is_null()) {
    parent.erase(test_case.member);
  } else {
    parent[test_case.member] = test_case.value;
  }
  EXPECT_THAT(ReadHar(har.dump(), "cassette.har", ReadLimits{}),
              ErrorIs(ErrorCode::kInvalidArgument, "cassette.har: entry 1: " + test_case.message));
}

INSTANTIATE_TEST_SUITE_P(
    RequiredFields, ReadHarBrokenEntry,
    ::testing::Values(BrokenEntryCase{"Request", "", "request", nullptr, "request is missing"},
                      BrokenEntryCase{"RequestMethod", "/request", "method", nullptr,
                                      "request.method is missing"},
                      BrokenEntryCase{"RequestUrl", "/request", "url", nullptr,
                                      "request.url is missing"},
                      BrokenEntryCase{"Response", "", "response", nullptr, "response is missing"},
                      BrokenEntryCase{"ResponseStatus", "/response", "status", nullptr,
                                      "response.status is missing"},
                      BrokenEntryCase{"HeaderName", "/response/headers/0", "name", nullptr,
                                      "response.headers[0].name is missing"},
                      BrokenEntryCase{"HeaderValue", "/request/headers/0", "value", nullptr,
                                      "request.headers[0].value is missing"}),
    [](const ::testing::TestParamInfo<BrokenEntryCase>& test_case) {
      return test_case.param.name;
    });

INSTANTIATE_TEST_SUITE_P(
    WrongTypes, ReadHarBrokenEntry,
    ::testing::Values(
        BrokenEntryCase{"RequestNotObject", "", "request", "GET", "request is not an object"},
        BrokenEntryCase{"MethodNotString", "/request", "method", 5,
                        "request.method is not a string"},
        BrokenEntryCase{"StatusNotInteger", "/response", "status", "200",
                        "response.status is not an integer"},
        BrokenEntryCase{"StatusOutOfRange", "/response", "status", 1200,
                        "response.status 1200 is not an HTTP status"},
        BrokenEntryCase{"StatusPastInt64", "/response", "status",
                        uint64_t{9223372036854775808u},
                        "response.status 9223372036854775808 is not an HTTP status"},
        BrokenEntryCase{"HeadersNotArray", "/request", "headers", Json::object({{"a", "b"}}),
                        "request.headers is not an array"},
        BrokenEntryCase{"ContentTextNotString", "/response/content", "text", 5,
                        "response.content.text is not a string"},
        BrokenEntryCase{"BadBase64", "/response/content", "encoding", "base64",
                        "response.content.text is not valid base64"},
        BrokenEntryCase{"UnknownEncoding", "/response/content", "encoding", "gzip",
                        "unsupported response.content encoding 'gzip'"}),
    [](const ::testing::TestParamInfo<BrokenEntryCase>& test_case) {
      return test_case.param.name;
    });

TEST(HarEntry, HasEveryMemberHar12Requires) {
  Exchange exchange = SampleExchange("{}");
  exchange.request.method = "POST";
  exchange.request.body = R"({"displayName":"x"})";
  exchange.request.headers.push_back({"Content-Type", "application/json"});
  Json entry = HarEntry(exchange);
  for (const char* member :
       {"startedDateTime", "time", "request", "response", "cache", "timings"}) {
    EXPECT_TRUE(entry.contains(member)) << member;
  }
  for (const char* member : {"method", "url", "httpVersion", "cookies", "headers", "queryString",
                             "headersSize", "bodySize", "postData"}) {
    EXPECT_TRUE(entry["request"].contains(member)) << member;
  }
  for (const char* member : {"status", "statusText", "httpVersion", "cookies", "headers", "content",
                             "redirectURL", "headersSize", "bodySize"}) {
    EXPECT_TRUE(entry["response"].contains(member)) << member;
  }
  for (const char* member : {"send", "wait", "receive"}) {
    EXPECT_TRUE(entry["timings"].contains(member)) << member;
  }
  EXPECT_EQ(entry["request"]["postData"]["mimeType"], "application/json");
  EXPECT_EQ(entry["request"]["postData"]["text"], R"({"displayName":"x"})");
  EXPECT_EQ(entry["response"]["statusText"], "OK");
  EXPECT_EQ(entry["response"]["content"]["size"], 2);
  EXPECT_EQ(entry["time"], 12.5);
  // queryString is decoded, as HAR wants.
  EXPECT_EQ(entry["request"]["queryString"][1], (Json{{"name", "pageToken"}, {"value", "x+y"}}));
}

TEST(HarEntry, WritesBodiesThatAreNotUtf8AsBase64) {
  Exchange exchange = SampleExchange(std::string("\xff\x00\x01", 3));
  exchange.request.body = std::string("\x80", 1);
  Json entry = HarEntry(exchange);
  EXPECT_EQ(entry["response"]["content"]["encoding"], "base64");
  EXPECT_EQ(entry["response"]["content"]["text"], "/wAB");
  EXPECT_EQ(entry["request"]["postData"]["_encoding"], "base64");
  EXPECT_EQ(entry["request"]["postData"]["text"], "gA==");
  EXPECT_FALSE(HarEntry(SampleExchange("{}"))["response"]["content"].contains("encoding"));
}

TEST(WriteHar, RoundTripsBinaryBodiesAndErrors) {
  Exchange binary = SampleExchange(std::string("\x89PNG\r\n\x1a\n\x00\xff", 10));
  binary.request.body = std::string("\x00\x01\x02", 3);
  Exchange aborted;
  aborted.request = {.method = "GET", .url = "https://h/x"};
  aborted.error = "connection refused to h:443";
  aborted.started = "2024-05-01T12:00:01.000Z";
  std::string har = WriteHar({SampleExchange("{\"a\":\"\xC3\xA9\"}"), binary, aborted},
                             {.name = "conform", .version = "0.1.0"});
  EXPECT_TRUE(Json::accept(har));
  auto back = ReadHar(har, "rt.har", ReadLimits{});
  ASSERT_THAT(back, IsOk());
  ASSERT_EQ(back->size(), 3u);
  EXPECT_EQ((*back)[0].response.body, "{\"a\":\"\xC3\xA9\"}");
  EXPECT_EQ((*back)[1].response.body, binary.response.body);
  EXPECT_EQ((*back)[1].request.body, binary.request.body);
  EXPECT_EQ((*back)[2].response.status, 0);
  EXPECT_EQ((*back)[2].error, "connection refused to h:443");
  EXPECT_EQ(Json::parse(har)["log"]["creator"]["version"], "0.1.0");
}

rc::Gen<std::string> GenText() {
  return rc::gen::oneOf(
      rc::gen::container<std::string>(rc::gen::inRange<char>(' ', '~')),
      rc::gen::element<std::string>("", "{}", "{\"n\":\"\xC3\xA9\xE6\x97\xA5\"}", "\n\t\"\\"));
}

rc::Gen<std::string> GenBody() {
  return rc::gen::oneOf(GenText(), rc::gen::arbitrary<std::string>());
}

rc::Gen<Headers> GenHeaders() {
  return rc::gen::container<Headers>(rc::gen::construct<Header>(
      rc::gen::nonEmpty(rc::gen::container<std::string>(rc::gen::inRange<char>('!', '~'))),
      GenText()));
}

rc::Gen<Exchange> GenExchange() {
  return rc::gen::exec([] {
    Exchange exchange;
    exchange.request.method = *rc::gen::element<std::string>("GET", "POST", "DELETE", "");
    exchange.request.url = *GenText();
    exchange.request.headers = *GenHeaders();
    exchange.request.body = *GenBody();
    exchange.started = *rc::gen::nonEmpty(GenText());
    exchange.elapsed_ms = *rc::gen::inRange<int>(0, 1'000'000) / 64.0;
    if (*rc::gen::inRange(0, 8) == 0) {
      exchange.error = *rc::gen::nonEmpty(GenText());
    } else {
      exchange.response.status = *rc::gen::inRange(100, 600);
      exchange.response.headers = *GenHeaders();
      exchange.response.body = *GenBody();
    }
    return exchange;
  });
}

RC_GTEST_PROP(WriteHar, ReadHarOfWriteHarGivesBackEveryExchange, ()) {
  const auto count = *rc::gen::inRange<size_t>(0, 6);
  const auto exchanges = *rc::gen::container<std::vector<Exchange>>(count, GenExchange());
  auto back = ReadHar(WriteHar(exchanges, {.name = "rc", .version = "1"}), "p.har", ReadLimits{});
  RC_ASSERT(back.ok());
  RC_ASSERT(back->size() == exchanges.size());
  for (size_t i = 0; i < exchanges.size(); ++i) {
    const Exchange& in = exchanges[i];
    const Exchange& out = (*back)[i];
    RC_ASSERT(out.request == in.request);
    RC_ASSERT(out.response == in.response);
    RC_ASSERT(out.started == in.started);
    RC_ASSERT(out.elapsed_ms == in.elapsed_ms);
    RC_ASSERT(out.error == in.error);
    RC_ASSERT(out.source == "p.har: entry " + std::to_string(i));
  }
}

RC_GTEST_PROP(ReadHar, DamagedDocumentsGiveAnExchangeListOrAnErrorNamingTheSource, ()) {
  std::string har = WriteHar({SampleExchange("{\"a\":[1,2]}"), SampleExchange("{}")}, HarCreator{});
  const auto flips = *rc::gen::container<std::vector<std::pair<size_t, char>>>(
      rc::gen::pair(rc::gen::inRange<size_t>(0, har.size()), rc::gen::arbitrary<char>()));
  for (const auto& [position, byte] : flips) {
    har[position] = byte;
  }
  auto exchanges = ReadHar(har, "m.har", ReadLimits{});
  if (exchanges.ok()) {
    RC_ASSERT(exchanges->size() <= 2u);
  } else {
    RC_ASSERT(exchanges.error().where.rfind("m.har", 0) == 0u);
  }
}

TEST(HarStream, PiecesConcatenateToWriteHarOneEntryPerLine) {
  std::vector<Exchange> exchanges = {SampleExchange("{}"), SampleExchange("{\n\"a\": 1\n}")};
  HarCreator creator{.name = "conform", .version = "9"};
  std::string streamed = HarStreamPrefix(creator) + HarStreamEntry(exchanges[0], 0) +
                         HarStreamEntry(exchanges[1], 1) + std::string(HarStreamSuffix());
  EXPECT_EQ(streamed, WriteHar(exchanges, creator));
  EXPECT_EQ(std::count(streamed.begin(), streamed.end(), '\n'), 4);
  EXPECT_EQ(HarStreamEntry(exchanges[1], 1).front(), ',');
  EXPECT_EQ(HarStreamEntry(exchanges[1], 1).back(), '\n');
}

TEST(RecoverHar, RecoversEveryCompleteEntryWhereverTheFileIsCut) {
  std::vector<Exchange> exchanges = {SampleExchange("{\"page\":1}"),
                                     SampleExchange(std::string("\x00\xff", 2)),
                                     SampleExchange("{\"page\":3}")};
  std::string text = WriteHar(exchanges, {.name = "conform", .version = "1"});
  // Entry i is complete once the '}' ending its line is on disk.
  std::vector<size_t> entry_ends;
  size_t line_start = text.find('\n') + 1;
  for (size_t i = 0; i < exchanges.size(); ++i) {
    size_t newline = text.find('\n', line_start);
    entry_ends.push_back(newline);
    line_start = newline + 1;
  }
  for (size_t cut = 0; cut <= text.size(); ++cut) {
    size_t expected = static_cast<size_t>(std::count_if(entry_ends.begin(), entry_ends.end(),
                                                        [&](size_t end) { return end <= cut; }));
    auto recovered = RecoverHar(std::string_view(text).substr(0, cut), "torn.har");
    ASSERT_THAT(recovered, IsOk()) << "cut at " << cut;
    EXPECT_EQ(recovered->entries, expected) << "cut at " << cut;
    EXPECT_EQ(recovered->was_complete, cut + 1 >= text.size()) << "cut at " << cut;
    auto back = ReadHar(recovered->har, "recovered.har", ReadLimits{});
    ASSERT_THAT(back, IsOk()) << "cut at " << cut;
    ASSERT_EQ(back->size(), expected) << "cut at " << cut;
    for (size_t i = 0; i < expected; ++i) {
      EXPECT_EQ((*back)[i].response.body, exchanges[i].response.body) << "cut at " << cut;
    }
  }
}

TEST(RecoverHar, ReportsWhatWasDropped) {
  std::string text = WriteHar({SampleExchange("{}")}, {.name = "conform", .version = "1"});
  std::string torn = text.substr(0, text.find("]}}")) + ",{\"startedDateT";
  auto recovered = RecoverHar(torn, "t.har");
  ASSERT_THAT(recovered, IsOk());
  EXPECT_EQ(recovered->entries, 1u);
  EXPECT_EQ(recovered->discarded_bytes, std::string(",{\"startedDateT").size());
  EXPECT_FALSE(recovered->was_complete);
}

TEST(RecoverHar, RejectsTextThatIsNotAStreamOrIsCorruptInTheMiddle) {
  EXPECT_THAT(RecoverHar("hello\n", "x.har"),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("x.har:1: not a HAR stream")));
  EXPECT_THAT(RecoverHar("[1,2", "x.har"),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("not a HAR stream")));
  std::string text = WriteHar({SampleExchange("{}"), SampleExchange("{}")}, HarCreator{});
  size_t second_line = text.find('\n') + 1;
  text[second_line] = '#';
  EXPECT_THAT(RecoverHar(text, "x.har"),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("x.har:2: not a complete HAR entry")));
}

}  // namespace
}  // namespace har_test
}  // namespace conform::traffic
