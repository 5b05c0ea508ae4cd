#include "validator/list_shape.h"

#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ascii.h"
#include "validator/rpc_codes.h"
#include "validator/schema_util.h"

namespace conform::validator {
namespace {

using Json = nlohmann::json;

// The google.rpc.Code number of each value when every value names one (an enum that "mimics
// google/rpc/code.proto"), else empty. Its declaration order puts UNAUTHENTICATED (16) right
// after PERMISSION_DENIED (7): a server backed by the proto sorts by number.
std::vector<int> RpcCodeNumbers(const std::vector<std::string>& values) {
  std::vector<int> numbers;
  for (const std::string& value : values) {
    std::optional<int> code = RpcCodeByName(value);
    if (!code) {
      return {};
    }
    numbers.push_back(*code);
  }
  return numbers;
}

// Properties of an object schema, including those contributed by allOf branches.
void CollectProperties(const Json& schema, Json& properties, Json& required) {
  if (!schema.is_object()) {
    return;
  }
  if (auto props = schema.find("properties"); props != schema.end() && props->is_object()) {
    for (const auto& [name, sub] : props->items()) {
      properties[name] = sub;
    }
  }
  if (auto req = schema.find("required"); req != schema.end() && req->is_array()) {
    for (const Json& name : *req) {
      required.push_back(name);
    }
  }
  if (auto all_of = schema.find("allOf"); all_of != schema.end() && all_of->is_array()) {
    for (const Json& branch : *all_of) {
      CollectProperties(branch, properties, required);
    }
  }
}

bool HasType(const Json& schema, const std::string& type) {
  for (const std::string& t : SchemaTypes(schema)) {
    if (t == type) {
      return true;
    }
  }
  return false;
}

bool LooksLikeObject(const Json& schema) {
  return HasType(schema, "object") || (schema.is_object() && (schema.contains("properties") || schema.contains("allOf")));
}

std::string FirstPresent(const Json& properties, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (properties.contains(name)) {
      return name;
    }
  }
  return {};
}

aip::FieldType ScalarType(const Json& schema) {
  if (schema.contains("enum")) {
    return aip::FieldType::kEnum;
  }
  if (HasType(schema, "integer")) {
    return aip::FieldType::kInteger;
  }
  if (HasType(schema, "number")) {
    return aip::FieldType::kNumber;
  }
  if (HasType(schema, "boolean")) {
    return aip::FieldType::kBoolean;
  }
  std::string format = schema.value("format", "");
  if (format == "date-time") {
    return aip::FieldType::kTimestamp;
  }
  if (format == "duration" || format == "google-duration") {
    return aip::FieldType::kDuration;
  }
  return aip::FieldType::kString;
}

void AddFields(const Json& schema, const std::string& prefix, aip::FieldCatalog& catalog, int depth) {
  if (depth > 16) {
    return;  // recursive resources: sixteen levels of paths is plenty for filters and masks
  }
  Json properties = Json::object();
  Json required = Json::array();
  CollectProperties(schema, properties, required);
  for (const auto& [name, sub] : properties.items()) {
    aip::FieldInfo info;
    info.path = prefix.empty() ? name : prefix + "." + name;
    info.required = std::find(required.begin(), required.end(), name) != required.end();
    info.output_only = sub.value("readOnly", false);
    const Json* element = &sub;
    if (HasType(sub, "array")) {
      info.repeated = true;
      auto items = sub.find("items");
      element = items != sub.end() ? &*items : nullptr;
    }
    if (element != nullptr && element->is_object() && LooksLikeObject(*element)) {
      bool is_map = !element->contains("properties") && element->contains("additionalProperties") &&
                    (*element)["additionalProperties"] != false;
      info.type = is_map ? aip::FieldType::kMap : aip::FieldType::kMessage;
    } else if (element != nullptr && element->is_object()) {
      info.type = ScalarType(*element);
      if (info.type == aip::FieldType::kEnum) {
        for (const Json& value : (*element)["enum"]) {
          if (value.is_string()) {
            info.enum_values.push_back(value.get<std::string>());
          }
        }
        info.enum_numbers = RpcCodeNumbers(info.enum_values);
      }
    }
    info.sortable = !info.repeated && info.type != aip::FieldType::kMessage && info.type != aip::FieldType::kMap;
    info.filterable = true;
    catalog.Add(info);
    if (element != nullptr && info.type == aip::FieldType::kMessage) {
      AddFields(*element, info.path, catalog, depth + 1);
    }
  }
}

// A positive whole number in a schema keyword, if it holds one.
std::optional<int64_t> PositiveInteger(const Json& schema, const char* keyword) {
  auto value = schema.find(keyword);
  if (value == schema.end() || !value->is_number()) {
    return std::nullopt;
  }
  double number = value->get<double>();
  if (number < 1 || number > 1e9 || number != static_cast<double>(static_cast<int64_t>(number))) {
    return std::nullopt;
  }
  return static_cast<int64_t>(number);
}

// The first number after `keyword` in a sentence of `text` that holds it (case-insensitive):
// "If unspecified, the default is 50." -> 50 for "default". Sentences end at ". " or a line end.
std::optional<int64_t> NumberAfter(std::string_view text, std::string_view keyword) {
  std::string lower = AsciiLower(text);
  for (size_t at = lower.find(keyword); at != std::string::npos; at = lower.find(keyword, at + 1)) {
    for (size_t i = at + keyword.size(); i < lower.size(); ++i) {
      char c = lower[i];
      if (c == '\n' || (c == '.' && (i + 1 == lower.size() || lower[i + 1] == ' '))) {
        break;  // the sentence ends without a number
      }
      if (std::isdigit(static_cast<unsigned char>(c))) {
        int64_t value = 0;
        for (size_t j = i; j < lower.size() && std::isdigit(static_cast<unsigned char>(lower[j])) &&
                           value < 1000000000;
             ++j) {
          value = value * 10 + (lower[j] - '0');
        }
        if (value >= 1) {
          return value;
        }
        break;
      }
    }
  }
  return std::nullopt;
}

// ListShape::stated_default_page_size and stated_max_page_size from the parameter's schema,
// else from its description (the seed states both only in words).
void ReadStatedPageSizes(const Parameter& size, ListShape& shape) {
  shape.stated_default_page_size = PositiveInteger(size.schema, "default");
  shape.stated_max_page_size = PositiveInteger(size.schema, "maximum");
  std::string text =
      size.description.empty() ? size.schema.value("description", "") : size.description;
  if (!shape.stated_default_page_size) {
    shape.stated_default_page_size = NumberAfter(text, "default");
  }
  if (!shape.stated_max_page_size) {
    shape.stated_max_page_size = NumberAfter(text, "maximum");
  }
  if (!shape.stated_max_page_size) {
    shape.stated_max_page_size = NumberAfter(text, "coerced to");
  }
  if (shape.stated_default_page_size && shape.stated_max_page_size &&
      *shape.stated_default_page_size > *shape.stated_max_page_size) {
    shape.stated_default_page_size.reset();  // a misreading: neither number is trusted for it
  }
}

}  // namespace

PageSizes ResolvePageSizes(const Operation& op, std::optional<int64_t> given_default,
                           std::optional<int64_t> given_max) {
  PageSizes sizes;
  const ListShape* list = op.list ? &*op.list : nullptr;
  auto pick = [](std::optional<int64_t> given, std::optional<int64_t> stated, int64_t& into) {
    if (given) {
      into = *given;
      return "given";
    }
    if (stated) {
      into = *stated;
      return "spec";
    }
    return "seed";
  };
  std::string default_origin =
      pick(given_default, list != nullptr ? list->stated_default_page_size : std::nullopt,
           sizes.default_size);
  std::string max_origin =
      pick(given_max, list != nullptr ? list->stated_max_page_size : std::nullopt, sizes.max_size);
  if (!given_default && sizes.default_size > sizes.max_size) {
    sizes.default_size = sizes.max_size;
    default_origin = "the maximum";
  }
  sizes.origin = "default " + std::to_string(sizes.default_size) + " (" + default_origin +
                 "), maximum " + std::to_string(sizes.max_size) + " (" + max_origin + ")";
  return sizes;
}

aip::FieldCatalog BuildFieldCatalog(const Json& resource_schema) {
  aip::FieldCatalog catalog;
  AddFields(resource_schema, "", catalog, 0);
  return catalog;
}

void DeriveListShape(Operation& op) {
  if (op.method != "GET") {
    return;
  }
  for (const ResponseSpec& response : op.responses) {
    if (response.status.empty() || response.status[0] != '2') {
      continue;
    }
    for (const MediaType& media : response.content) {
      if (!media.schema || media.name.find("json") == std::string::npos) {
        continue;
      }
      Json properties = Json::object();
      Json required = Json::array();
      CollectProperties(*media.schema, properties, required);
      ListShape shape;
      shape.next_token_field = FirstPresent(properties, {"nextPageToken", "next_page_token"});
      if (shape.next_token_field.empty()) {
        continue;
      }
      for (const auto& [name, sub] : properties.items()) {
        auto items = sub.find("items");
        if (HasType(sub, "array") && items != sub.end() && LooksLikeObject(*items)) {
          shape.resources_field = name;
          shape.resource_schema = *items;
          break;
        }
      }
      if (shape.resources_field.empty()) {
        continue;
      }
      shape.total_size_field = FirstPresent(properties, {"totalSize", "total_size"});
      auto param = [&op](std::initializer_list<const char*> names) -> std::string {
        for (const char* name : names) {
          if (op.FindParameter(name, ParameterLocation::kQuery) != nullptr) {
            return name;
          }
        }
        return {};
      };
      shape.page_size_param = param({"pageSize", "page_size"});
      if (const Parameter* size =
              op.FindParameter(shape.page_size_param, ParameterLocation::kQuery)) {
        ReadStatedPageSizes(*size, shape);
      }
      shape.page_token_param = param({"pageToken", "page_token"});
      shape.filter_param = param({"filter"});
      shape.order_by_param = param({"orderBy", "order_by"});
      shape.read_mask_param = param({"readMask", "read_mask"});
      op.catalog = BuildFieldCatalog(shape.resource_schema);
      op.list = std::move(shape);
      return;
    }
  }
}

}  // namespace conform::validator
