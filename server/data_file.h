// Jobs for the reference server from a file (`conform serve --data FILE`): a JSON array of
// DpoJobs or JSON Lines (one job per line). Every job is checked against the DpoJob schema of
// the contract and must have a name "accounts/{account}/dpoJobs/{job}", which gives its account.
//   Result<std::vector<nlohmann::json>> jobs = LoadJobsFile("jobs.jsonl", **served);
//   // error.where is "jobs.jsonl:12", error.message names the violation
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "server/served_contract.h"

namespace conform::server {

// Parses and validates `text`, named `name` in errors. kInvalidArgument with where =
// "name:line" (or "name:line:column" for JSON syntax errors) for: text that is neither a JSON
// array nor JSON Lines, an element that is not an object, a missing or malformed name, a
// duplicate name, and the first schema violation of a job (its JSON pointer and the rule).
Result<std::vector<nlohmann::json>> ParseJobs(std::string_view text, const std::string& name,
                                              const ServedContract& contract);

// Reads `path` (kNotFound / kUnavailable when it cannot) and parses it as ParseJobs does.
Result<std::vector<nlohmann::json>> LoadJobsFile(const std::string& path,
                                                 const ServedContract& contract);

}  // namespace conform::server
