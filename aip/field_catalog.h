// The typed field catalog of a resource: every field path with its type, derived from the
// response schema of a List operation (validator::BuildFieldCatalog), never hard-coded. The
// filter, orderBy and readMask code in aip/ is typed by it, so the same code serves any AIP
// List operation in any OpenAPI document.
//   aip::FieldCatalog catalog;
//   catalog.Add({.path = "state", .type = aip::FieldType::kEnum, .enum_values = {"A", "B"}});
//   const aip::FieldInfo* state = catalog.Find("state");
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace conform::aip {

enum class FieldType {
  kString,
  kInteger,  // JSON integer (int32/int64 formats)
  kNumber,   // JSON number (float/double)
  kBoolean,
  kEnum,       // string with an `enum` in the schema
  kTimestamp,  // string, format date-time (RFC 3339); compared as instants
  kDuration,   // string, format duration or google.protobuf.Duration ("3.5s")
  kMessage,    // object with properties: has sub-fields, not ordered
  kMap,        // object with additionalProperties: keys tested with `:`
};

std::string_view FieldTypeName(FieldType type);

// Error::reason of a filter or orderBy that names a field the resource does not have (an
// unknown one, or one past a scalar field): what AIP-160 and AIP-132 say a server must refuse,
// told apart from what a service may define or accept (a function, an upper-case DESC).
inline constexpr char kUnknownFieldReason[] = "UNKNOWN_FIELD";

struct FieldInfo {
  std::string path;  // dotted: "trainingConfig.learningRate"
  FieldType type = FieldType::kString;
  bool repeated = false;                 // an array of `type`
  std::vector<std::string> enum_values;  // kEnum only, in declaration order
  // kEnum: the protobuf number of each of enum_values, when known (a google.rpc.Code field,
  // whose declaration order is not its numbering); empty when unknown.
  std::vector<int> enum_numbers;
  bool sortable = true;                  // usable in orderBy (scalar, not repeated)
  bool filterable = true;                // usable in a filter restriction
  bool required = false;                 // listed in the parent's `required`
  bool output_only = false;              // readOnly in the schema

  bool operator==(const FieldInfo&) const = default;
};

class FieldCatalog {
 public:
  // Adds or replaces the field with info.path.
  void Add(FieldInfo info);
  // The field at `path`, or nullptr.
  const FieldInfo* Find(std::string_view path) const;
  // Every field in the order added (parents before children).
  const std::vector<FieldInfo>& fields() const { return fields_; }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<FieldInfo> fields_;
  std::unordered_map<std::string, size_t> index_;
};

}  // namespace conform::aip
