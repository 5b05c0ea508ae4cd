// Findings for one Exchange against a Contract: status declared, Content-Type, a JSON body
// within limits, the response schema (read-mask aware), request parameters, and the error
// body shape of AIP-193. The same checks run on recorded traffic (`conform validate`), on
// live responses (`conform check`) and on fuzzed ones (`conform fuzz`).
//   auto validator = ExchangeValidator::Create(contract, {.strict = true});
//   ExchangeVerdict verdict = validator->Check(exchange);
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "traffic/exchange.h"
#include "validator/contract.h"
#include "validator/finding.h"
#include "validator/json_body.h"
#include "validator/schema_validator.h"

namespace conform::validator {

struct ExchangeCheckOptions {
  bool strict = false;       // also report undeclared properties (drift)
  BodyLimits body_limits;    // size and depth of response bodies
  std::string operation_id;  // check every exchange against this operation
  // Check request parameters against their schemas. Off for conform check, whose own
  // requests are deliberately invalid at times.
  enum class Requests { kCheck, kTrust };
  Requests requests = Requests::kCheck;
};

struct ExchangeVerdict {
  const Operation* operation = nullptr;  // nullptr when skipped
  std::string skipped;                   // why the exchange was not checked; empty if checked
  std::vector<Finding> findings;
  // The parsed response body when it was JSON (for callers that go on to list checks).
  std::optional<nlohmann::json> body;
  // Set for a 200 answer of a List whose body is a JSON object: a page. Its nextPageToken
  // (nullopt when absent or ""), so that chaining recorded pages into walks needs no second
  // parse of every body.
  struct ListPage {
    std::optional<std::string> next_token;
  };
  std::optional<ListPage> list_page;
};

class ExchangeValidator {
 public:
  // Compiles every response and parameter schema of the contract, in its dialect (OpenAPI 3.0
  // for 3.0 documents and the Mintlify rendering, as the spec loader reads them; 3.1
  // otherwise). Fails with kInvalidArgument when `options.operation_id` names no operation or
  // a response schema cannot be compiled; a parameter whose schema cannot be is not checked.
  // The contract must outlive the validator.
  static Result<std::unique_ptr<ExchangeValidator>> Create(const Contract& contract,
                                                           ExchangeCheckOptions options);

  // Thread-safe. The parsed body is kept in the verdict only when asked: list checks need
  // it, a validation run over 10,000 recorded responses does not.
  enum class KeepBody { kNo, kYes };
  ExchangeVerdict Check(const traffic::Exchange& exchange, KeepBody keep_body = KeepBody::kNo) const;

  const Contract& contract() const { return contract_; }

 private:
  ExchangeValidator(const Contract& contract, ExchangeCheckOptions options)
      : contract_(contract), options_(std::move(options)) {}

  struct CompiledMedia {
    const Operation* operation;
    const ResponseSpec* response;
    const MediaType* media;
    std::shared_ptr<const SchemaValidator> schema;
  };
  const CompiledMedia* FindCompiled(const MediaType* media) const;
  // The schema for a read-mask-limited response: required fields outside the mask dropped.
  std::shared_ptr<const SchemaValidator> MaskedSchema(const CompiledMedia& media,
                                                      const std::string& mask_key,
                                                      const nlohmann::json& schema) const;

  const Operation* ResolveOperation(const traffic::Exchange& exchange, std::string& why_not) const;
  // Whether a redirect to `location` (absolute, or a path on the request's origin) reaches
  // `op` again.
  bool LeadsTo(const Operation& op, const traffic::Exchange& exchange, std::string_view location) const;
  // `path` as sent, then without the base path of each server of the contract ("/v2"; a
  // `{variable}` in it matches any one segment).
  std::vector<std::string> CandidatePaths(const std::string& path) const;
  void CheckRequest(const Operation& op, const traffic::Exchange& exchange, ExchangeVerdict& verdict) const;
  void CheckResponse(const Operation& op, const traffic::Exchange& exchange, ExchangeVerdict& verdict,
                     KeepBody keep_body) const;

  const Contract& contract_;
  ExchangeCheckOptions options_;
  CompileOptions compile_options_;  // the contract's dialect, for every schema compiled
  const Operation* forced_ = nullptr;
  // The path part of each server URL that has one, without a trailing '/' ("/{basePath}/v2").
  std::vector<std::string> base_paths_;
  // Whether error bodies are held to AIP-193 (a JSON google.rpc.Status) where the spec gives
  // them no schema or a Status one: for an AIP-style API only (the Mintlify rendering of the
  // seed, or a contract with an AIP-158 List). Another API's errors are what its spec says.
  bool aip_errors_ = false;
  std::vector<CompiledMedia> compiled_;
  // The compiled schema of each parameter that has one (none for `{}`, or one that does not
  // compile); parameters with the same schema share it.
  std::map<const Parameter*, std::shared_ptr<const SchemaValidator>> parameter_schemas_;
  mutable std::mutex masked_mutex_;
  mutable std::map<std::string, std::shared_ptr<const SchemaValidator>> masked_;
};

// The google.rpc.Status in an error body, in either JSON shape (DESIGN.md "The error body").
struct RpcStatus {
  enum class Shape { kGrpcGateway, kGoogleJson };
  Shape shape = Shape::kGrpcGateway;
  int code = 0;          // google.rpc code number (grpc-gateway) or HTTP status (Google JSON)
  std::string status;    // google.rpc code name (Google JSON `error.status`), may be empty
  std::string message;
};
// nullopt when `body` is neither shape.
std::optional<RpcStatus> ReadRpcStatus(const nlohmann::json& body);

}  // namespace conform::validator
