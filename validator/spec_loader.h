// Loading a spec into a Contract: standard OpenAPI 3.0 and 3.1 (YAML or JSON) and the
// Mintlify rendering of a single operation that the Fireworks docs publish (the seed).
// Local $refs are resolved (with 3.0 siblings such as readOnly kept), reference cycles are
// reported, and every error names file:line:column.
//   Result<Contract> contract = validator::LoadContractFile("spec/openapi.yaml");
//   Result<Contract> builtin = validator::EmbeddedContract();   // ListDpoJobs
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "validator/contract.h"

namespace conform::validator {

// Parses `text` (YAML or JSON) named `name` in messages. kInvalidArgument on any spec error,
// with where = "name:line:col": malformed YAML or a second YAML document, nesting past 256
// levels, a broken, cyclic or external $ref or one to a string, number or list, a schema
// keyword whose value has the wrong JSON type, an unbalanced path template ("/v1/{id").
Result<Contract> LoadContract(std::string_view text, const std::string& name);

// Reads and loads a file: kNotFound / kUnavailable when it cannot be read.
Result<Contract> LoadContractFile(const std::string& path);

// The ListDpoJobs contract compiled into the binary (spec/openapi.yaml).
Result<Contract> EmbeddedContract();
std::string_view EmbeddedSpecText();

}  // namespace conform::validator
