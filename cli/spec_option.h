// The contract a subcommand works against: --spec FILE, or the built-in ListDpoJobs.
//   Result<validator::Contract> contract = LoadSpecOption(options.spec);
#pragma once

#include <string>

#include "common/result.h"
#include "validator/contract.h"
#include "validator/spec_loader.h"

namespace conform::cli {

inline Result<validator::Contract> LoadSpecOption(const std::string& spec) {
  if (spec.empty()) {
    return validator::EmbeddedContract();
  }
  return validator::LoadContractFile(spec);
}

}  // namespace conform::cli
