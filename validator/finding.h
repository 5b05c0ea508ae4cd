// Findings: contract violations as data (STYLE E1a), and the registry of every check id
// conform knows, with its level and the rule it enforces. Reports (terminal, JSON, JUnit)
// are views of a list of Findings.
//   Finding f = MakeFinding("response.schema.enum", "value is not one of the 17 states");
//   f.json_pointer = "/dpoJobs/3/state";
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "traffic/exchange.h"

namespace conform::validator {

// must: the contract is broken (fails the run); should: a recommendation (fails with
// --strict); may: informational.
enum class Level { kMust, kShould, kMay };
std::string_view LevelName(Level level);

struct CheckInfo {
  std::string_view id;      // stable: "response.schema.enum" (STYLE E8)
  Level level;
  std::string_view rule;    // the rule, quoted or paraphrased from its source
  std::string_view source;  // "seed: ListDpoJobs", "AIP-158", "OpenAPI 3.1 §4.8.17"...
};

// Every check of conform, in documentation order (docs/checks.md mirrors it; a test keeps
// the two in step).
const std::vector<CheckInfo>& AllChecks();
// nullptr for an unknown id.
const CheckInfo* FindCheck(std::string_view id);

struct Finding {
  std::string check_id;
  Level level = Level::kMust;
  std::string message;       // one line
  std::string json_pointer;  // into the response body; empty when not about one value
  std::string expected;
  std::string actual;
  std::string source;  // where the exchange came from ("x.har: entry 3") or the target
  std::vector<traffic::Request> requests;  // the requests that show it, in order
};

// A finding of the registered check `check_id` at its registered level. An unknown id is a
// bug in conform and aborts.
Finding MakeFinding(std::string_view check_id, std::string message);

}  // namespace conform::validator
