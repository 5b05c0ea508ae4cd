// Recognising an AIP-158 List operation in a contract, and typing its resource fields.
// Nothing is assumed about field names beyond the AIP conventions: the repeated resource
// field is the response's array of objects; nextPageToken/next_page_token and
// totalSize/total_size; pageSize/page_size, pageToken, filter, orderBy, readMask parameters.
//   validator::DeriveListShape(op);            // sets op.list and op.catalog when a List
//   aip::FieldCatalog c = validator::BuildFieldCatalog(op.list->resource_schema);
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "aip/field_catalog.h"
#include "validator/contract.h"

namespace conform::validator {

// Sets op.list and op.catalog when `op` is a GET whose 2xx JSON response has an array of
// objects and a next-page-token string field. Leaves them empty otherwise.
void DeriveListShape(Operation& op);

// The page sizes a List is judged by.
struct PageSizes {
  int64_t default_size = 50;  // seed: "If unspecified, the default is 50"
  int64_t max_size = 200;     // seed: "The maximum page_size is 200"
  std::string origin;         // "default 20 (spec), maximum 200 (seed)"
};
// Each size given (the command line), else what the spec states (ListShape::stated_*), else the
// seed's. A default not given but above the maximum is lowered to it.
PageSizes ResolvePageSizes(const Operation& op, std::optional<int64_t> given_default,
                           std::optional<int64_t> given_max);

// Every field path of a resource schema with its type (see aip::FieldType).
aip::FieldCatalog BuildFieldCatalog(const nlohmann::json& resource_schema);

}  // namespace conform::validator
