// Recorded traffic that conform reads only in part: a response body over the reader's limit
// (a response.body.limit finding on its exchange, the others validated), and request paths
// under a server URL with variables.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/result_matchers.h"
#include "traffic/har.h"
#include "traffic/jsonl.h"
#include "validator/exchange_validator.h"
#include "validator/spec_loader.h"

namespace conform::validator {
namespace recorded_limits_test {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Json = nlohmann::json;

constexpr char kUrl[] = "https://api.fireworks.ai/v1/accounts/acme/dpoJobs";

traffic::Exchange Page(std::string body, std::string content_type = "application/json") {
  traffic::Exchange exchange;
  exchange.request = {.method = "GET", .url = kUrl};
  exchange.response = {.status = 200,
                       .headers = {{"Content-Type", std::move(content_type)}},
                       .body = std::move(body)};
  return exchange;
}

std::vector<std::string> Ids(const ExchangeVerdict& verdict) {
  std::vector<std::string> ids;
  for (const Finding& finding : verdict.findings) {
    ids.push_back(finding.check_id);
  }
  return ids;
}

class RecordedLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto contract = EmbeddedContract();
    ASSERT_THAT(contract, IsOk());
    contract_ = *std::move(contract);
    auto validator = ExchangeValidator::Create(contract_, {});
    ASSERT_THAT(validator, IsOk());
    validator_ = *std::move(validator);
  }

  Contract contract_;
  std::unique_ptr<ExchangeValidator> validator_;
};

TEST_F(RecordedLimitsTest, AHarEntryOverTheBodyLimitIsABodyLimitFindingAndTheOthersAreChecked) {
  const std::string big = R"({"dpoJobs":[],"nextPageToken":")" + std::string(2000, 'x') + "\"}";
  const std::string har =
      traffic::WriteHar({Page(R"({"dpoJobs":[]})"), Page(big), Page(R"({"dpoJobs":[]})")}, {});
  auto exchanges = traffic::ReadHar(
      har, "s.har", {.max_body_bytes = 1024, .over_limit_response = traffic::OverLimitBody::kMark});
  ASSERT_THAT(exchanges, IsOk());
  ASSERT_EQ(exchanges->size(), 3u);
  std::vector<ExchangeVerdict> verdicts;
  for (const traffic::Exchange& exchange : *exchanges) {
    verdicts.push_back(validator_->Check(exchange));
    EXPECT_EQ(verdicts.back().skipped, "") << exchange.source;
  }
  EXPECT_THAT(verdicts[0].findings, IsEmpty());
  EXPECT_THAT(verdicts[2].findings, IsEmpty());
  ASSERT_EQ(verdicts[1].findings.size(), 1u);
  const Finding& finding = verdicts[1].findings[0];
  EXPECT_EQ(finding.check_id, "response.body.limit");
  EXPECT_EQ(finding.level, Level::kMust);
  EXPECT_EQ(finding.message,
            "log.entries[1].response.content.text: body is " + std::to_string(big.size()) +
                " bytes, over the limit of 1024 bytes (--max-body-size); it was not loaded");
  EXPECT_EQ(finding.source, "s.har: entry 1");
  ASSERT_EQ(finding.requests.size(), 1u);
  EXPECT_EQ(finding.requests[0].url, kUrl);
}

TEST_F(RecordedLimitsTest, ABase64BodyOverTheLimitIsReportedWithItsDecodedSize) {
  std::string binary(3000, '\xff');  // not UTF-8: WriteHar writes it as base64
  auto exchanges = traffic::ReadHar(
      traffic::WriteHar({Page(binary, "application/octet-stream")}, {}), "b.har",
      {.max_body_bytes = 2048, .over_limit_response = traffic::OverLimitBody::kMark});
  ASSERT_THAT(exchanges, IsOk());
  ExchangeVerdict verdict = validator_->Check(exchanges->front());
  // The media type is wrong too, and is still reported: only the body was not loaded.
  EXPECT_THAT(Ids(verdict), ElementsAre("response.content_type", "response.body.limit"));
  EXPECT_THAT(verdict.findings.back().message,
              AllOf(HasSubstr("log.entries[0].response.content.text"),
                    HasSubstr("body is 3000 bytes, over the limit of 2048 bytes")));
}

TEST_F(RecordedLimitsTest, ABareJsonLinesBodyOverTheLimitIsReportedAndTheNextLineChecked) {
  traffic::ReadOptions options;
  options.limits = {.max_body_bytes = 64, .over_limit_response = traffic::OverLimitBody::kMark};
  const std::string big = R"({"dpoJobs":[],"nextPageToken":")" + std::string(100, 'x') + "\"}";
  auto exchanges = traffic::ReadJsonl(big + "\n" + R"({"dpoJobs":[]})", "p.jsonl",
                                      traffic::LineKind::kAuto, options);
  ASSERT_THAT(exchanges, IsOk());
  ASSERT_EQ(exchanges->size(), 2u);
  ExchangeVerdict verdict = validator_->Check((*exchanges)[0]);
  ASSERT_THAT(Ids(verdict), ElementsAre("response.body.limit"));
  EXPECT_THAT(verdict.findings[0].message,
              HasSubstr("body is " + std::to_string(big.size()) +
                        " bytes, over the limit of 64 bytes (--max-body-size)"));
  EXPECT_EQ(verdict.findings[0].source, "p.jsonl:1");
  EXPECT_THAT(validator_->Check((*exchanges)[1]).findings, IsEmpty());
}

TEST_F(RecordedLimitsTest, ABodyOverTheLimitOutsideTheContractIsSkippedNotAFinding) {
  // A browser's HAR holds videos and bundles of other hosts: not the API's to answer for.
  traffic::Exchange asset = Page("", "video/mp4");
  asset.request.url = "https://cdn.example.com/intro.mp4";
  asset.body_over_read_limit = traffic::UnloadedBody{
      .where = "log.entries[7].response.content.text", .bytes = 40 << 20, .limit = 32 << 20};
  ExchangeVerdict verdict = validator_->Check(asset);
  EXPECT_THAT(verdict.findings, IsEmpty());
  EXPECT_THAT(verdict.skipped, HasSubstr("no operation of the contract matches"));
}

// Nesting past the validator's depth limit inside one recorded body is already a finding on
// that exchange: the HAR reader never parses a body (it is a string), only the document.
TEST_F(RecordedLimitsTest, ABodyNestedTooDeepInAHarIsAFindingNotAFileError) {
  const std::string deep = std::string(1000, '[') + std::string(1000, ']');
  auto exchanges =
      traffic::ReadHar(traffic::WriteHar({Page(deep), Page(R"({"dpoJobs":[]})")}, {}), "d.har", {});
  ASSERT_THAT(exchanges, IsOk());
  ExchangeVerdict verdict = validator_->Check(exchanges->front());
  ASSERT_THAT(Ids(verdict), ElementsAre("response.body.limit"));
  EXPECT_THAT(verdict.findings[0].message, HasSubstr("nested deeper than"));
  EXPECT_THAT(validator_->Check((*exchanges)[1]).findings, IsEmpty());
}

// A contract of one operation, GET /books/{id} (id an integer), under `server`.
Contract BooksContract(const std::string& server) {
  const std::string spec = R"(
openapi: 3.0.3
info: {title: books, version: v2}
servers:
  - url: ')" + server + R"('
    variables:
      region: {default: eu}
      port: {default: '443'}
      basePath: {default: api, enum: [api, beta]}
      major: {default: '2'}
paths:
  /books/{id}:
    get:
      operationId: GetBook
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {id: {type: integer}}}
)";
  auto contract = LoadContract(spec, "books.yaml");
  EXPECT_THAT(contract, IsOk());
  return contract ? *std::move(contract) : Contract{};
}

// The findings for GET `url` answered 200 {"id": 7}, or the reason it was skipped.
std::vector<std::string> BookIds(const Contract& contract, const std::string& url) {
  auto validator = ExchangeValidator::Create(contract, {});
  EXPECT_THAT(validator, IsOk());
  traffic::Exchange exchange;
  exchange.request = {.method = "GET", .url = url};
  exchange.response = {
      .status = 200, .headers = {{"Content-Type", "application/json"}}, .body = R"({"id": 7})"};
  ExchangeVerdict verdict = (*validator)->Check(exchange);
  if (!verdict.skipped.empty()) {
    return {"skipped: " + verdict.skipped};
  }
  return Ids(verdict);
}

TEST(ServerVariables, AVariableInTheBasePathMatchesAnySegment) {
  Contract contract = BooksContract("http://x/{basePath}/v2");
  // Neither the default nor an enum value: a recording may hold whatever was deployed.
  EXPECT_THAT(BookIds(contract, "http://x/anything/v2/books/7"), IsEmpty());
  EXPECT_THAT(BookIds(contract, "/api/v2/books/7"), IsEmpty());
  // The path parameter is read past the base path: "seven" is not an integer.
  EXPECT_THAT(BookIds(contract, "/anything/v2/books/seven"),
              ElementsAre("request.parameter.schema", "request.parameter.invalid_accepted"));
  // A variable is one segment, and the literal segments still have to match.
  EXPECT_THAT(BookIds(contract, "/a/b/v2/books/7"),
              ElementsAre(HasSubstr("skipped: no operation of the contract matches")));
  EXPECT_THAT(BookIds(contract, "/api/v3/books/7"),
              ElementsAre(HasSubstr("skipped: no operation of the contract matches")));
}

TEST(ServerVariables, VariablesInTheHostAndPortAreNotRead) {
  Contract contract = BooksContract("https://{region}.api.example.com:{port}/{basePath}/v{major}/");
  EXPECT_THAT(BookIds(contract, "https://eu.api.example.com/beta/v2/books/7"), IsEmpty());
  EXPECT_THAT(BookIds(contract, "https://eu.api.example.com/beta/v10/books/7"), IsEmpty());
  EXPECT_THAT(BookIds(contract, "https://eu.api.example.com/beta/x2/books/7"),
              ElementsAre(HasSubstr("skipped: no operation of the contract matches")));
}

TEST(ServerVariables, RelativeServerUrlsWorkAsBefore) {
  EXPECT_THAT(BookIds(BooksContract("/v2"), "/v2/books/7"), IsEmpty());
  EXPECT_THAT(BookIds(BooksContract("/v2/"), "/v2/books/7"), IsEmpty());
  EXPECT_THAT(BookIds(BooksContract("/{basePath}/v2"), "/beta/v2/books/7"), IsEmpty());
  // Not resolved against the spec's location: only paths as the spec writes them match.
  for (const char* relative : {"v2", "."}) {
    EXPECT_THAT(BookIds(BooksContract(relative), "/books/7"), IsEmpty()) << relative;
    EXPECT_THAT(BookIds(BooksContract(relative), "/v2/books/7"),
                ElementsAre(HasSubstr("skipped: no operation of the contract matches")))
        << relative;
  }
}

}  // namespace
}  // namespace recorded_limits_test
}  // namespace conform::validator
