// The contract the reference server serves: the built-in ListDpoJobs operation, its typed
// field catalog (filter, orderBy, readMask) and the compiled DpoJob schema (data files are
// validated against it). Loaded once per process and shared.
//   Result<std::shared_ptr<const ServedContract>> served = EmbeddedServedContract();
//   const aip::FieldCatalog& catalog = (*served)->list->catalog;
#pragma once

#include <memory>

#include "common/result.h"
#include "validator/contract.h"
#include "validator/schema_validator.h"

namespace conform::server {

struct ServedContract {
  validator::Contract contract;
  const validator::Operation* list = nullptr;  // ListDpoJobs, inside `contract`; has list shape
  std::shared_ptr<const validator::SchemaValidator> job_schema;  // one DpoJob

  ServedContract() = default;
  ServedContract(const ServedContract&) = delete;  // `list` points into `contract`
  ServedContract& operator=(const ServedContract&) = delete;
};

// kInternal if the embedded spec does not load (a build problem, not an input problem).
Result<std::shared_ptr<const ServedContract>> EmbeddedServedContract();

}  // namespace conform::server
