// Recognising an AIP-158 List operation in a contract, and typing its resource fields.
// Nothing is assumed about field names beyond the AIP conventions: the repeated resource
// field is the response's array of objects; nextPageToken/next_page_token and
// totalSize/total_size; pageSize/page_size, pageToken, filter, orderBy, readMask parameters.
//   validator::DeriveListShape(op);            // sets op.list and op.catalog when a List
//   aip::FieldCatalog c = validator::BuildFieldCatalog(op.list->resource_schema);
#pragma once

#include <nlohmann/json.hpp>

#include "aip/field_catalog.h"
#include "validator/contract.h"

namespace conform::validator {

// Sets op.list and op.catalog when `op` is a GET whose 2xx JSON response has an array of
// objects and a next-page-token string field. Leaves them empty otherwise.
void DeriveListShape(Operation& op);

// Every field path of a resource schema with its type (see aip::FieldType).
aip::FieldCatalog BuildFieldCatalog(const nlohmann::json& resource_schema);

}  // namespace conform::validator
