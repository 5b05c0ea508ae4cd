#include "validator/exchange_validator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>

#include "tests/support/result_matchers.h"
#include "validator/spec_loader.h"

namespace conform::validator {
namespace exchange_validator_test {
namespace {

using ::testing::Contains;
using ::testing::Each;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Json = nlohmann::json;

constexpr char kUrl[] = "https://api.fireworks.ai/v1/accounts/acme/dpoJobs";

Json Job(const std::string& id) {
  return {{"name", "accounts/acme/dpoJobs/" + id},
          {"displayName", "run " + id},
          {"createTime", "2024-05-01T10:00:00Z"},
          {"dataset", "accounts/acme/datasets/d"},
          {"state", "JOB_STATE_RUNNING"},
          {"trainingConfig", {{"baseModel", "m"}, {"epochs", 2}, {"region", "US_IOWA_1"}}}};
}

// A GET of `url` answered `status` with `body` of `content_type`.
traffic::Exchange Answered(const std::string& url, int status, const std::string& body,
                           const std::string& content_type = "application/json") {
  traffic::Exchange exchange;
  exchange.request.method = "GET";
  exchange.request.url = url;
  exchange.response.status = status;
  exchange.response.headers = {{"Content-Type", content_type}};
  exchange.response.body = body;
  exchange.source = "test";
  return exchange;
}

traffic::Exchange Ok(const Json& body, const std::string& query = "") {
  return Answered(std::string(kUrl) + (query.empty() ? "" : "?" + query), 200, body.dump());
}

traffic::Exchange WithStatus(int status, const std::string& body, const std::string& content_type = "application/json") {
  return Answered(kUrl, status, body, content_type);
}

// The check ids of what `validator` finds in `exchange`; with `with_pointer`, "id /pointer".
std::vector<std::string> FoundIds(const ExchangeValidator& validator,
                                  const traffic::Exchange& exchange, bool with_pointer = false) {
  std::vector<std::string> ids;
  for (const Finding& finding : validator.Check(exchange).findings) {
    ids.push_back(with_pointer ? finding.check_id + " " + finding.json_pointer : finding.check_id);
  }
  return ids;
}

class ExchangeValidatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto contract = EmbeddedContract();
    ASSERT_THAT(contract, IsOk());
    contract_ = *std::move(contract);
    auto validator = ExchangeValidator::Create(contract_, {});
    ASSERT_THAT(validator, IsOk());
    validator_ = *std::move(validator);
  }

  std::vector<std::string> Ids(const traffic::Exchange& exchange) {
    return FoundIds(*validator_, exchange);
  }

  Contract contract_;
  std::unique_ptr<ExchangeValidator> validator_;
};

TEST_F(ExchangeValidatorTest, ValidPagePasses) {
  traffic::Exchange exchange = Ok({{"dpoJobs", {Job("a"), Job("b")}}, {"nextPageToken", "t"}, {"totalSize", 2}});
  EXPECT_FALSE(validator_->Check(exchange).body.has_value());
  ExchangeVerdict verdict = validator_->Check(exchange, ExchangeValidator::KeepBody::kYes);
  EXPECT_EQ(verdict.skipped, "");
  ASSERT_NE(verdict.operation, nullptr);
  EXPECT_EQ(verdict.operation->operation_id, "ListDpoJobs");
  EXPECT_THAT(verdict.findings, IsEmpty());
  ASSERT_TRUE(verdict.body.has_value());
}

TEST_F(ExchangeValidatorTest, ABodyOverTheClientsLimitIsABodyLimitFindingNotAMissingResponse) {
  traffic::Exchange exchange;
  exchange.request.method = "GET";
  exchange.request.url = std::string(kUrl) + "?pageSize=1000";
  exchange.error = "response body exceeds the limit of 1024 bytes (max_body_bytes)";
  exchange.body_over_limit = true;
  ExchangeVerdict verdict = validator_->Check(exchange);
  ASSERT_EQ(verdict.findings.size(), 1u);
  EXPECT_EQ(verdict.findings[0].check_id, "response.body.limit");
  EXPECT_EQ(verdict.findings[0].message, exchange.error);
  ASSERT_EQ(verdict.findings[0].requests.size(), 1u);
  EXPECT_EQ(verdict.findings[0].requests[0].url, exchange.request.url);
  exchange.body_over_limit = false;  // any other failure: no response at all
  EXPECT_THAT(Ids(exchange), ::testing::ElementsAre("exchange.no_response"));
}

TEST_F(ExchangeValidatorTest, FindingsCarrySourceRequestAndLevel) {
  Json job = Job("a");
  job["state"] = "DONE";
  ExchangeVerdict verdict = validator_->Check(Ok({{"dpoJobs", {job}}}));
  ASSERT_EQ(verdict.findings.size(), 1u);
  const Finding& finding = verdict.findings[0];
  EXPECT_EQ(finding.check_id, "response.schema.enum");
  EXPECT_EQ(finding.level, Level::kMust);
  EXPECT_EQ(finding.json_pointer, "/dpoJobs/0/state");
  EXPECT_EQ(finding.source, "test");
  ASSERT_EQ(finding.requests.size(), 1u);
  EXPECT_EQ(finding.requests[0].url, kUrl);
}

TEST_F(ExchangeValidatorTest, UndeclaredStatusIsAFinding) {
  EXPECT_THAT(Ids(WithStatus(302, "")), Contains("response.status.declared"));
  traffic::Exchange to_login = WithStatus(302, "");
  to_login.response.headers = {{"Location", "https://login.example/"}};
  EXPECT_THAT(Ids(to_login), Contains("response.status.declared"));
  // HTTP's own: a 304, a redirect to the same operation (absolute or a path).
  for (const std::string& location : {std::string(kUrl) + "?pageSize=2", std::string("/v1/accounts/acme/dpoJobs?pageSize=3")}) {
    traffic::Exchange same = WithStatus(301, "");
    same.response.headers = {{"Location", location}};
    ExchangeVerdict verdict = validator_->Check(same);
    EXPECT_THAT(verdict.findings, IsEmpty()) << location;
    EXPECT_THAT(verdict.skipped, ::testing::HasSubstr("the same operation")) << location;
  }
  EXPECT_THAT(validator_->Check(WithStatus(304, "")).skipped, ::testing::HasSubstr("304 Not Modified"));
  EXPECT_THAT(Ids(WithStatus(204, "")), Contains("response.status.declared"));
  // Without a default response, only statuses a google.rpc code maps to are implied.
  auto seed = LoadContractFile(std::string(CONFORM_SOURCE_DIR) + "/spec/list_dpo_jobs.mintlify.yaml");
  ASSERT_THAT(seed, IsOk());
  auto validator = ExchangeValidator::Create(*seed, {});
  ASSERT_THAT(validator, IsOk());
  std::vector<std::string> ids;
  for (const Finding& finding : (*validator)->Check(WithStatus(418, R"({"code": 3, "message": "teapot"})")).findings) {
    ids.push_back(finding.check_id);
  }
  EXPECT_THAT(ids, Contains("response.status.declared"));
}

TEST_F(ExchangeValidatorTest, ErrorStatusesCoveredByDefaultOrAip193AreDeclared) {
  EXPECT_THAT(Ids(WithStatus(400, R"({"code": 3, "message": "bad"})")), IsEmpty());
  EXPECT_THAT(Ids(WithStatus(503, R"({"code": 14, "message": "later"})")), IsEmpty());
  // The seed itself documents no error response: AIP-193 statuses are still accepted.
  auto seed = LoadContractFile(std::string(CONFORM_SOURCE_DIR) + "/spec/list_dpo_jobs.mintlify.yaml");
  ASSERT_THAT(seed, IsOk());
  auto validator = ExchangeValidator::Create(*seed, {});
  ASSERT_THAT(validator, IsOk());
  EXPECT_THAT((*validator)->Check(WithStatus(404, R"({"code": 5, "message": "no account"})")).findings, IsEmpty());
}

TEST_F(ExchangeValidatorTest, WrongContentTypeIsAFinding) {
  traffic::Exchange exchange = Ok({{"totalSize", 0}});
  exchange.response.headers = {{"Content-Type", "text/html; charset=utf-8"}};
  EXPECT_THAT(Ids(exchange), Contains("response.content_type"));
  exchange.response.headers = {{"Date", "today"}};
  EXPECT_THAT(Ids(exchange), Contains("response.content_type"));
  exchange.response.headers = {{"content-type", "Application/JSON; charset=utf-8"}};
  EXPECT_THAT(Ids(exchange), IsEmpty());
}

TEST_F(ExchangeValidatorTest, BodyThatIsNotJsonIsAFinding) {
  for (const std::string& body : {std::string("<html>oops</html>"), std::string(R"({"dpoJobs": [)"),
                                  std::string(""), std::string("{\"displayName\": \"caf\xE9\"}")}) {
    traffic::Exchange exchange = Ok(Json::object());
    exchange.response.body = body;
    ExchangeVerdict verdict = validator_->Check(exchange);
    ASSERT_EQ(verdict.findings.size(), 1u) << body;
    EXPECT_EQ(verdict.findings[0].check_id, "response.body.json") << body;
  }
}

TEST_F(ExchangeValidatorTest, BytesThatAreNotUtf8ShowAsEscapesNotReplacementCharacters) {
  traffic::Exchange exchange = Ok(Json::object());
  exchange.response.body = "{\"state\":\"a\xff\xfe\\\"\xc3\xa9\"}";
  ExchangeVerdict verdict = validator_->Check(exchange);
  ASSERT_EQ(verdict.findings.size(), 1u);
  EXPECT_EQ(verdict.findings[0].check_id, "response.body.json");
  // The bytes the server sent, the valid UTF-8 kept and the JSON escapes still escaped.
  EXPECT_EQ(verdict.findings[0].actual, R"("{\"state\":\"a\xff\xfe\\\"é\"}")");
}

TEST_F(ExchangeValidatorTest, AMemberGivenTwiceIsAFindingAndTheLastValueIsChecked) {
  // {"totalSize":"x","totalSize":3}: a reader keeping the first value gets a string.
  traffic::Exchange exchange = Ok({{"dpoJobs", {Job("a")}}, {"totalSize", 3}});
  exchange.response.body.insert(1, "\"totalSize\":\"x\",");
  ExchangeVerdict verdict = validator_->Check(exchange);
  ASSERT_EQ(verdict.findings.size(), 1u) << exchange.response.body;
  EXPECT_EQ(verdict.findings[0].check_id, "response.body.duplicate_member");
  EXPECT_EQ(verdict.findings[0].level, Level::kMust);
  EXPECT_EQ(verdict.findings[0].json_pointer, "/totalSize");

  // Deeper; the schema runs on the value kept (the last), so its findings are not hidden.
  auto page_with_second_job = [](Json second_job, const std::string& first_member) {
    std::string job = second_job.dump();
    job.insert(1, first_member + ",");
    return "{\"dpoJobs\":[" + Job("a").dump() + "," + job + "]}";
  };
  traffic::Exchange nested = Ok(Json::object());
  nested.response.body = page_with_second_job(Job("b"), R"("state":7)");
  ExchangeVerdict verdict_nested = validator_->Check(nested);
  ASSERT_EQ(verdict_nested.findings.size(), 1u) << nested.response.body;
  EXPECT_EQ(verdict_nested.findings[0].check_id, "response.body.duplicate_member");
  EXPECT_EQ(verdict_nested.findings[0].json_pointer, "/dpoJobs/1/state");

  Json bogus = Job("b");
  bogus["state"] = "BOGUS";
  nested.response.body = page_with_second_job(bogus, R"("state":"JOB_STATE_RUNNING")");
  EXPECT_THAT(Ids(nested), ::testing::UnorderedElementsAre("response.body.duplicate_member",
                                                           "response.schema.enum"));
}

TEST_F(ExchangeValidatorTest, BodiesOverTheLimitsAreFindingsNotCrashes) {
  traffic::Exchange deep = Ok(Json::object());
  deep.response.body = std::string(100000, '[') + std::string(100000, ']');
  ExchangeVerdict verdict = validator_->Check(deep);
  ASSERT_EQ(verdict.findings.size(), 1u);
  EXPECT_EQ(verdict.findings[0].check_id, "response.body.limit");
  EXPECT_THAT(verdict.findings[0].message, HasSubstr("nested deeper than 256"));

  auto small = ExchangeValidator::Create(contract_, {.body_limits = {.max_bytes = 1024}});
  ASSERT_THAT(small, IsOk());
  traffic::Exchange big = Ok({{"dpoJobs", Json::array({Job("a"), Job("b"), Job("c"), Job("d"), Job("e")})}});
  ExchangeVerdict big_verdict = (*small)->Check(big);
  ASSERT_EQ(big_verdict.findings.size(), 1u);
  EXPECT_EQ(big_verdict.findings[0].check_id, "response.body.limit");
}

TEST_F(ExchangeValidatorTest, ReadMaskLimitsFieldsAndRelaxesRequired) {
  Json masked = {{"dpoJobs", {{{"name", "accounts/acme/dpoJobs/a"}, {"state", "JOB_STATE_RUNNING"}}}}};
  EXPECT_THAT(Ids(Ok(masked, "readMask=name,state")), IsEmpty());
  // Without the mask, the same body lacks the required dataset.
  EXPECT_THAT(Ids(Ok(masked)), Contains("response.schema.required"));
  // A server that ignores the mask returns fields outside it.
  ExchangeVerdict verdict = validator_->Check(Ok({{"dpoJobs", {Job("a")}}}, "readMask=name,state"));
  EXPECT_THAT(verdict.findings, Each(Field(&Finding::check_id, "response.read_mask.outside")));
  EXPECT_THAT(verdict.findings, Contains(Field(&Finding::json_pointer, "/dpoJobs/0/dataset")));
}

// Many services return a resource's name whatever the mask: a should-level deviation of its
// own, not a must-level field outside the mask.
TEST_F(ExchangeValidatorTest, ANameBesideAMaskWithoutItIsShouldLevelNameAdded) {
  Json named = {
      {"dpoJobs", {{{"name", "accounts/acme/dpoJobs/a"}, {"state", "JOB_STATE_RUNNING"}}}}};
  ExchangeVerdict verdict = validator_->Check(Ok(named, "readMask=state"));
  ASSERT_EQ(verdict.findings.size(), 1u);
  EXPECT_EQ(verdict.findings[0].check_id, "response.read_mask.name_added");
  EXPECT_EQ(verdict.findings[0].level, Level::kShould);
  EXPECT_EQ(verdict.findings[0].json_pointer, "/dpoJobs/0/name");
  // Another field outside the mask is still must-level; a nested `name` is not the resource's.
  Json more = {
      {"dpoJobs",
       {{{"name", "accounts/acme/dpoJobs/a"}, {"state", "JOB_STATE_RUNNING"}, {"dataset", "d"}}}}};
  EXPECT_THAT(Ids(Ok(more, "readMask=state")),
              ::testing::UnorderedElementsAre("response.read_mask.name_added",
                                              "response.read_mask.outside"));
  EXPECT_THAT(Ids(Ok(named, "readMask=name,state")), IsEmpty());
}

TEST_F(ExchangeValidatorTest, AMaskEntryNamingNoFieldIsIgnoredAsAServerMayIgnoreIt) {
  // AIP-161: reads may ignore such entries. The rest of the mask still applies: its fields
  // relax `required` (20 false must findings before) and bound what may be returned.
  Json masked = {{"dpoJobs", {{{"name", "accounts/acme/dpoJobs/a"}, {"state", "JOB_STATE_RUNNING"}}}}};
  EXPECT_THAT(Ids(Ok(masked, "readMask=name,conformNoSuchField,state")), IsEmpty());
  ExchangeVerdict verdict = validator_->Check(Ok({{"dpoJobs", {Job("a")}}}, "readMask=name,conformNoSuchField"));
  EXPECT_THAT(verdict.findings, Each(Field(&Finding::check_id, "response.read_mask.outside")));
  EXPECT_THAT(verdict.findings, Contains(Field(&Finding::json_pointer, "/dpoJobs/0/state")));
  // No entry names a field: a server ignoring them all may return any fields, or none.
  EXPECT_THAT(Ids(Ok({{"dpoJobs", {{{"name", "accounts/acme/dpoJobs/a"}}}}}, "readMask=conformNoSuchField")),
              IsEmpty());
  EXPECT_THAT(Ids(Ok({{"dpoJobs", {Job("a")}}}, "readMask=conformNoSuchField")), IsEmpty());
}

TEST_F(ExchangeValidatorTest, ReadMaskOnASubfieldKeepsOnlyThatSubfield) {
  Json job = {{"name", "n"}, {"trainingConfig", {{"region", "US_IOWA_1"}, {"epochs", 3}}}};
  ExchangeVerdict verdict = validator_->Check(Ok({{"dpoJobs", {job}}}, "readMask=name,trainingConfig.region"));
  ASSERT_EQ(verdict.findings.size(), 1u);
  EXPECT_EQ(verdict.findings[0].check_id, "response.read_mask.outside");
  EXPECT_EQ(verdict.findings[0].json_pointer, "/dpoJobs/0/trainingConfig/epochs");
}

TEST_F(ExchangeValidatorTest, StarAndEmptyReadMasksMeanEveryField) {
  EXPECT_THAT(Ids(Ok({{"dpoJobs", {Job("a")}}}, "readMask=*")), IsEmpty());
  EXPECT_THAT(Ids(Ok({{"dpoJobs", {Job("a")}}}, "readMask=")), IsEmpty());
}

TEST_F(ExchangeValidatorTest, ErrorBodyShapes) {
  EXPECT_THAT(Ids(WithStatus(400, R"({"code": 3, "message": "bad filter", "details": []})")), IsEmpty());
  EXPECT_THAT(Ids(WithStatus(400, R"({"error": {"code": 400, "message": "bad", "status": "INVALID_ARGUMENT"}})")),
              IsEmpty());
  EXPECT_THAT(Ids(WithStatus(400, R"({"detail": "bad filter"})")), Contains("response.error.shape"));
  EXPECT_THAT(Ids(WithStatus(400, R"({"code": "3", "message": "bad"})")), Contains("response.error.shape"));
  EXPECT_THAT(Ids(WithStatus(500, "Internal Server Error", "text/plain")), Contains("response.content_type"));
}

TEST_F(ExchangeValidatorTest, ErrorCodeMustMatchHttpStatus) {
  EXPECT_THAT(Ids(WithStatus(403, R"({"code": 5, "message": "x"})")), Contains("response.error.code_mapping"));
  EXPECT_THAT(Ids(WithStatus(400, R"({"code": 42, "message": "x"})")), Contains("response.error.code_mapping"));
  EXPECT_THAT(Ids(WithStatus(401, R"({"error": {"code": 400, "message": "x"}})")),
              Contains("response.error.code_mapping"));
  EXPECT_THAT(Ids(WithStatus(400, R"({"error": {"code": 400, "message": "x", "status": "NOT_FOUND"}})")),
              Contains("response.error.code_mapping"));
  EXPECT_THAT(Ids(WithStatus(400, R"({"error": {"code": 400, "message": "x", "status": "NOPE"}})")),
              Contains("response.error.code_mapping"));
  EXPECT_THAT(Ids(WithStatus(400, R"({"code": 9, "message": "precondition"})")), IsEmpty());
  EXPECT_THAT(Ids(WithStatus(401, R"({"code": 16, "message": "who are you"})")), IsEmpty());
  EXPECT_THAT(Ids(WithStatus(401, R"({"code": 8, "message": "who are you"})")), Contains("response.error.code_mapping"));
}

TEST_F(ExchangeValidatorTest, InvalidParameterAnsweredWithDataIsAMustFinding) {
  EXPECT_THAT(Ids(Ok({{"totalSize", 0}}, "pageSize=ten")),
              ::testing::UnorderedElementsAre("request.parameter.schema", "request.parameter.invalid_accepted"));
  traffic::Exchange rejected = WithStatus(400, R"({"code": 3, "message": "pageSize must be an integer"})");
  rejected.request.url = std::string(kUrl) + "?pageSize=ten";
  // Refused with a 4xx, as it should be: nothing to report (recorded negative tests pass --strict).
  EXPECT_THAT(Ids(rejected), IsEmpty());
  rejected.response.status = 500;
  EXPECT_THAT(Ids(rejected), ::testing::Contains("request.parameter.schema"));
  EXPECT_THAT(Ids(Ok({{"totalSize", 0}}, "pageSize=-5&filter=state%3DX")), IsEmpty());
}

TEST_F(ExchangeValidatorTest, AResponseBodyNotRecordedIsSkippedNotFailedAsEmpty) {
  traffic::Exchange exchange = Ok(Json::object());
  exchange.response.body = "";
  exchange.body_not_recorded = "the response body was not recorded (content.size 2384, no text)";
  ExchangeVerdict verdict = validator_->Check(exchange);
  EXPECT_THAT(verdict.findings, IsEmpty());
  EXPECT_EQ(verdict.skipped, exchange.body_not_recorded);
}

TEST_F(ExchangeValidatorTest, AQueryParameterGivenTwiceIsReportedAndEachValueChecked) {
  // pageSize=5&pageSize=abc passed: only the first value was read.
  ExchangeVerdict verdict = validator_->Check(Ok({{"totalSize", 0}}, "pageSize=5&pageSize=abc"));
  std::vector<std::string> messages;
  for (const Finding& finding : verdict.findings) {
    messages.push_back(finding.check_id + ": " + finding.message);
  }
  EXPECT_THAT(messages, Contains(HasSubstr("request.parameter.schema: query parameter 'pageSize' is given 2 times")));
  EXPECT_THAT(messages,
              Contains(HasSubstr("query parameter pageSize=abc (value 2): expected an integer")));
  EXPECT_THAT(messages, Contains(HasSubstr("request.parameter.invalid_accepted")));
}

TEST_F(ExchangeValidatorTest, ExchangeWithoutResponseIsReported) {
  traffic::Exchange aborted = Ok(Json::object());
  aborted.response = {};
  aborted.error = "connection reset";
  ExchangeVerdict verdict = validator_->Check(aborted);
  ASSERT_EQ(verdict.findings.size(), 1u);
  EXPECT_EQ(verdict.findings[0].check_id, "exchange.no_response");
  EXPECT_EQ(verdict.findings[0].level, Level::kShould);
}

TEST_F(ExchangeValidatorTest, UnrelatedRequestsAreSkippedWithAReason) {
  traffic::Exchange other = Ok(Json::object());
  other.request.url = "https://api.fireworks.ai/v1/accounts/acme/models";
  ExchangeVerdict verdict = validator_->Check(other);
  EXPECT_EQ(verdict.operation, nullptr);
  EXPECT_THAT(verdict.skipped, HasSubstr("no operation of the contract matches GET /v1/accounts/acme/models"));
}

TEST_F(ExchangeValidatorTest, BareBodyUsesTheOnlyOperation) {
  traffic::Exchange bare;
  bare.response.status = 200;
  bare.response.body = R"({"dpoJobs": [{"name": "x"}]})";
  ExchangeVerdict verdict = validator_->Check(bare);
  ASSERT_NE(verdict.operation, nullptr);
  EXPECT_THAT(verdict.findings, Contains(Field(&Finding::check_id, "response.schema.required")));
}

TEST(ExchangeValidator, AnotherApisBasePathAndErrorBodyAreReadAsItsSpecSays) {
  auto contract = LoadContractFile(std::string(CONFORM_TEST_DATA_DIR) + "/validator/specs/orders_v2.yaml");
  ASSERT_THAT(contract, IsOk());
  auto validator = ExchangeValidator::Create(*contract, {});
  ASSERT_THAT(validator, IsOk());
  auto ids = [&](int status, const Json& body) {
    traffic::Exchange exchange = Answered(
        "https://api.example.com/v2/stores/main-1/orders?pageSize=-1", status, body.dump());
    EXPECT_EQ((*validator)->Check(exchange).skipped, "");
    return FoundIds(**validator, exchange);
  };
  // storeId is read from the path without the server's /v2 (it was "missing"); the 400 that
  // refuses pageSize=-1 is the spec's own error body, not a google.rpc.Status.
  EXPECT_THAT(ids(400, {{"errorCode", "BAD_PAGE_SIZE"}, {"errorMessage", "pageSize < 0"}}), IsEmpty());
  // A google.rpc.Status is not what this spec declares.
  EXPECT_THAT(ids(400, {{"code", 3}, {"message", "bad"}}),
              ::testing::UnorderedElementsAre("response.schema.required", "response.schema.required",
                                              "response.schema.additional_property"));
  EXPECT_THAT(ids(200, {{"orders", Json::array()}}),
              ::testing::ElementsAre("request.parameter.schema", "request.parameter.invalid_accepted"));
}

// AIP-193 (errors are a JSON google.rpc.Status) is a rule of AIP-style APIs: where another
// API's spec gives an error no schema, its body and Content-Type are not held to it.
TEST(ExchangeValidator, SchemalessErrorsAreHeldToAip193OnlyForAipStyleApis) {
  constexpr char kSpec[] = R"(openapi: 3.0.3
info: {title: widgets, version: '1'}
paths:
  /widgets/{id}:
    get:
      operationId: GetWidget
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}
        '404':
          description: not found
          content: {application/json: {examples: {gone: {value: {missing: gone}}}}}
%LIST%)";
  constexpr char kList[] = R"(  /widgets:
    get:
      operationId: ListWidgets
      parameters:
        - {name: pageSize, in: query, schema: {type: integer}}
        - {name: pageToken, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  widgets: {type: array, items: {type: object}}
                  nextPageToken: {type: string}
)";
  auto ids = [](const std::string& spec, int status, const std::string& content_type,
                const std::string& body) {
    std::vector<std::string> found;
    auto contract = LoadContract(spec, "widgets.yaml");
    EXPECT_THAT(contract, IsOk());
    if (!contract.ok()) {
      return found;
    }
    auto validator = ExchangeValidator::Create(*contract, {});
    EXPECT_THAT(validator, IsOk());
    if (!validator.ok()) {
      return found;
    }
    return FoundIds(**validator,
                    Answered("https://api.example.com/widgets/w1", status, body, content_type));
  };
  std::string plain = kSpec;
  plain.replace(plain.find("%LIST%"), 6, "");
  std::string aip = kSpec;
  aip.replace(aip.find("%LIST%"), 6, kList);
  EXPECT_THAT(ids(plain, 404, "application/json", R"({"missing": "gone"})"), IsEmpty());
  EXPECT_THAT(ids(plain, 503, "text/html", "<h1>down</h1>"), IsEmpty());
  EXPECT_THAT(ids(aip, 404, "application/json", R"({"missing": "gone"})"),
              ::testing::ElementsAre("response.error.shape"));
  EXPECT_THAT(ids(aip, 503, "text/html", "<h1>down</h1>"),
              ::testing::ElementsAre("response.content_type", "response.body.json"));

  // A declared error schema that is not a google.rpc.Status is the only rule for its body, in
  // an AIP-style API too: HERE Tracking's {code: <HTTP status>, error: "...", details: {}}.
  // One that is (a code beside a list of details) keeps AIP-193 there, and only there.
  constexpr char kHere[] = R"(
        '400':
          description: bad
          content:
            application/json:
              schema:
                type: object
                properties:
                  code: {type: integer}
                  error: {type: string}
                  details: {type: object}
                  id: {type: string}
                  message: {type: string}
        '409':
          description: conflict
          content:
            application/json:
              schema:
                type: object
                properties:
                  code: {type: integer}
                  message: {type: string}
                  details: {type: array, items: {type: object}}
)";
  auto with_errors = [&](std::string spec) {
    spec.insert(spec.find("        '404':"), std::string(kHere).substr(1));
    return spec;
  };
  const std::string here =
      R"({"code": 400, "error": "Bad request", "details": {"hereErrorCode": 400306},
                               "id": "5771b3d4", "message": "invalid"})";
  EXPECT_THAT(ids(with_errors(aip), 400, "application/json", here), IsEmpty());
  EXPECT_THAT(ids(with_errors(plain), 400, "application/json", here), IsEmpty());
  const std::string http_code = R"({"code": 409, "message": "exists", "details": []})";
  EXPECT_THAT(ids(with_errors(aip), 409, "application/json", http_code),
              ::testing::ElementsAre("response.error.code_mapping"));
  EXPECT_THAT(ids(with_errors(plain), 409, "application/json", http_code), IsEmpty());
}

// A recursive schema (Groundhog -> predictions -> Prediction -> groundhog, from
// groundhog-day.com's spec) is read in the document's dialect like the others: in 3.0,
// `nullable` admits null and a boolean exclusiveMaximum qualifies maximum. Both failed
// before (a false type finding; valijson refusing the schema).
TEST(ExchangeValidator, RecursiveSchemasOfA30SpecAreRead30) {
  constexpr char kSpec[] = R"(openapi: 3.0.0
info: {title: groundhogs, version: '1'}
paths:
  /groundhogs/{slug}:
    get:
      operationId: GetGroundhog
      parameters: [{name: slug, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Groundhog'}}}
components:
  schemas:
    Groundhog:
      type: object
      properties:
        active: {type: integer, minimum: 0, maximum: 1, exclusiveMaximum: false}
        nickname: {type: string, nullable: true}
        predictions: {type: array, items: {$ref: '#/components/schemas/Prediction'}}
    Prediction:
      type: object
      properties:
        shadow: {type: integer, maximum: 1, exclusiveMaximum: true, nullable: true}
        groundhog: {$ref: '#/components/schemas/Groundhog'}
)";
  auto contract = LoadContract(kSpec, "groundhogs.yaml");
  ASSERT_THAT(contract, IsOk());
  auto validator = ExchangeValidator::Create(*contract, {});
  ASSERT_THAT(validator, IsOk());
  auto ids = [&](const std::string& body) {
    return FoundIds(**validator, Answered("https://api.example.com/groundhogs/phil", 200, body),
                    /*with_pointer=*/true);
  };
  EXPECT_THAT(ids(R"({"active": 1, "nickname": null, "predictions": [{"shadow": null,
                      "groundhog": {"active": 1, "nickname": null}}]})"),
              IsEmpty());
  EXPECT_THAT(ids(R"({"active": 1, "predictions": [{"shadow": 1, "groundhog": {"active": 2}}]})"),
              ::testing::UnorderedElementsAre("response.schema.constraint /predictions/0/shadow",
                                              "response.schema.constraint "
                                              "/predictions/0/groundhog/active"));
}

TEST(ExchangeValidator, UnknownOperationIdIsAConfigurationError) {
  auto contract = EmbeddedContract();
  ASSERT_THAT(contract, IsOk());
  EXPECT_THAT(ExchangeValidator::Create(*contract, {.operation_id = "ListSftJobs"}),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("no operation 'ListSftJobs'")));
}

TEST(RegisteredChecks, IdsAreUniqueAndDocumented) {
  std::set<std::string_view> ids;
  for (const CheckInfo& check : AllChecks()) {
    EXPECT_TRUE(ids.insert(check.id).second) << check.id;
    EXPECT_FALSE(check.rule.empty()) << check.id;
    EXPECT_FALSE(check.source.empty()) << check.id;
  }
  auto docs = std::string(CONFORM_SOURCE_DIR) + "/docs/checks.md";
  std::ifstream file(docs);
  ASSERT_TRUE(file.good()) << docs;
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  for (const CheckInfo& check : AllChecks()) {
    EXPECT_THAT(text, HasSubstr("`" + std::string(check.id) + "`")) << "docs/checks.md lacks " << check.id;
  }
}

}  // namespace
}  // namespace exchange_validator_test
}  // namespace conform::validator
