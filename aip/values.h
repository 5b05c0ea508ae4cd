// Typed field values read from a JSON resource with proto3 semantics, and their ordering.
// Filters and orderBy read resources through here, so a missing field means the same everywhere:
// an absent primitive reads as its default ("" / 0 / false / first enum value); an absent
// timestamp, duration or message is Unset.
//   const nlohmann::json* node = aip::FindPath(job, "trainingConfig.epochs");
//   aip::Value epochs = aip::ReadValue(node, *catalog.Find("trainingConfig.epochs"));
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <variant>

#include "aip/field_catalog.h"
#include "aip/time.h"

namespace conform::aip {

// No value: an absent timestamp/duration/message, or JSON whose type does not fit the field
// (e.g. a string in an integer field). Unset sorts before every value.
struct Unset {
  bool operator==(const Unset&) const = default;
};

// An enum value by name; `index` is its position in FieldInfo::enum_values, or -1 when the
// name is not declared (a server may return values newer than the spec); `number` its
// protobuf number from FieldInfo::enum_numbers, else its index.
struct EnumValue {
  std::string name;
  int index = -1;
  int number = -1;
  // The number follows from the index within one field: equal names and indexes are equal.
  bool operator==(const EnumValue& other) const {
    return name == other.name && index == other.index;
  }
};

// Integers keep int64/uint64 exactly; floats are double. Numbers of different
// representations compare exactly (see CompareNumbers).
using Value =
    std::variant<Unset, std::string, bool, int64_t, uint64_t, double, EnumValue, Instant, Duration>;

// The JSON node at a dotted path ("trainingConfig.region") through nested objects, or nullptr
// when a step is missing, null, or not an object. Does not look inside arrays.
const nlohmann::json* FindPath(const nlohmann::json& resource, std::string_view dotted_path);

// Reads `node` (nullptr = absent) as one element of `field` (FieldInfo::repeated is ignored):
//   absent or null -> proto3 default: "" / int64 0 / false / first enum value; Unset for
//                     timestamps, durations, messages and maps;
//   integers       -> JSON numbers, or decimal strings (proto3 JSON writes int64 as strings);
//   numbers        -> also "NaN", "Infinity", "-Infinity";
//   timestamps     -> RFC 3339 strings; durations -> "3.5s" strings;
//   anything else  -> Unset (a type mismatch is the validator's finding, not ours).
Value ReadValue(const nlohmann::json* node, const FieldInfo& field);

// True for a number held as int64, uint64 or double.
bool IsNumber(const Value& value);
// True for a double NaN.
bool IsNaN(const Value& value);

// Exact three-way comparison of two numbers of any representation (-1, 0, 1). NaN is equal to
// NaN and greater than every other number, making this a total order.
int CompareNumbers(const Value& a, const Value& b);

enum class EnumOrder {
  kDeclaration,  // by position in the catalog's enum_values (undeclared names last, by name)
  kName,         // bytewise by name
  kNumber,       // by protobuf number (as declared when the numbers are not known)
};

struct CompareOptions {
  EnumOrder enum_order = EnumOrder::kDeclaration;
};

// The enum value `name` of `field` (kEnum), with its index and number.
EnumValue MakeEnumValue(const FieldInfo& field, std::string name);

// Three-way comparison (-1, 0, 1) of two values read from the same field: Unset first, then
// numbers numerically, strings bytewise, false < true, enums per `options`, instants and
// durations chronologically. Values of different kinds order by kind. A total preorder.
int CompareValues(const Value& a, const Value& b, const CompareOptions& options = {});

// Short human-readable form for messages: "\"abc\"", "42", "JOB_STATE_RUNNING", "unset".
std::string DescribeValue(const Value& value);

}  // namespace conform::aip
