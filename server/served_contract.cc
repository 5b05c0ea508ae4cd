#include "server/served_contract.h"

#include <utility>

#include "validator/spec_loader.h"

namespace conform::server {
namespace {

Result<std::shared_ptr<const ServedContract>> Load() {
  Result<validator::Contract> contract = validator::EmbeddedContract();
  if (!contract) {
    return InternalError("the embedded ListDpoJobs contract does not load: " +
                         contract.error().ToString());
  }
  auto served = std::make_shared<ServedContract>();
  served->contract = std::move(*contract);
  served->list = served->contract.FindOperation("ListDpoJobs");
  if (served->list == nullptr || !served->list->list.has_value() || served->list->catalog.empty()) {
    return InternalError("the embedded contract has no ListDpoJobs list operation");
  }
  auto schema = validator::SchemaValidator::Compile(served->list->list->resource_schema,
                                                    served->contract.definitions);
  if (!schema) {
    return InternalError("the DpoJob schema does not compile: " + schema.error().ToString());
  }
  served->job_schema = std::move(*schema);
  return std::shared_ptr<const ServedContract>(std::move(served));
}

}  // namespace

Result<std::shared_ptr<const ServedContract>> EmbeddedServedContract() {
  static const Result<std::shared_ptr<const ServedContract>> kLoaded = Load();
  return kLoaded;
}

}  // namespace conform::server
