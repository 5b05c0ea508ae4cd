#include "aip/order_by.h"

#include <nlohmann/json.hpp>

#include "aip/internal/field_path.h"
#include "aip/internal/text.h"

namespace conform::aip {
namespace {

using internal::ErrorAt;
using internal::IsSpace;
using internal::Quote;

// The catalog field for the orderBy path `path`, which starts at byte `offset` of the input.
Result<FieldInfo> SortableField(const FieldCatalog& catalog, std::string_view path, size_t offset) {
  const std::vector<std::string> segments = internal::SplitPath(path);
  std::vector<size_t> starts;
  size_t start = offset;
  for (const std::string& segment : segments) {
    if (segment.empty()) {
      return ErrorAt(start, "empty field name in " + Quote(path));
    }
    starts.push_back(start);
    start += segment.size() + 1;
  }
  internal::PathResolution resolution = internal::ResolvePath(catalog, segments);
  if (!resolution.ok()) {
    Error error = ErrorAt(starts[resolution.failed_segment], resolution.error);
    error.reason = resolution.names_no_field ? kUnknownFieldReason : "";
    return error;
  }
  for (size_t i = 0; i + 1 < resolution.steps.size(); ++i) {
    const FieldInfo* field = resolution.steps[i].field;
    if (field != nullptr && field->repeated) {
      return ErrorAt(offset, "field " + Quote(path) +
                                 " is not sortable: it is inside repeated field " +
                                 Quote(field->path));
    }
    if (field != nullptr && field->type == FieldType::kMap) {
      return ErrorAt(offset, "field " + Quote(path) + " is not sortable: it is inside map field " +
                                 Quote(field->path));
    }
  }
  const FieldInfo& field = *resolution.steps.back().field;
  std::string reason;
  if (field.repeated) {
    reason = "it is repeated";
  } else if (field.type == FieldType::kMessage) {
    reason = "it is a message";
  } else if (field.type == FieldType::kMap) {
    reason = "it is a map";
  } else if (!field.sortable) {
    reason = "the API marks it not sortable";
  }
  if (!reason.empty()) {
    return ErrorAt(offset, "field " + Quote(path) + " is not sortable: " + reason);
  }
  return field;
}

bool HasKey(const OrderBy& order_by, std::string_view path) {
  for (const OrderKey& key : order_by.keys) {
    if (key.field.path == path) {
      return true;
    }
  }
  return false;
}

}  // namespace

Result<OrderBy> ParseOrderBy(std::string_view text, const FieldCatalog& catalog,
                             const OrderByOptions& options) {
  if (auto error = internal::ScreenInput(text, "orderBy", options.max_length)) {
    return *error;
  }
  OrderBy order_by;
  size_t pos = 0;
  const auto skip_space = [&] {
    while (pos < text.size() && IsSpace(text[pos])) {
      ++pos;
    }
  };
  const auto token_end = [&](size_t from) {
    while (from < text.size() && !IsSpace(text[from]) && text[from] != ',') {
      ++from;
    }
    return from;
  };
  skip_space();
  if (pos == text.size()) {
    return order_by;
  }
  while (true) {
    skip_space();
    if (pos == text.size() || text[pos] == ',') {
      return ErrorAt(
          pos, order_by.keys.empty() ? "expected a field name" : "expected a field name after ','");
    }
    const size_t path_start = pos;
    pos = token_end(pos);
    const std::string_view path = text.substr(path_start, pos - path_start);
    skip_space();
    SortDirection direction = SortDirection::kAscending;
    if (pos < text.size() && text[pos] != ',') {
      const size_t word_start = pos;
      pos = token_end(pos);
      const std::string_view word = text.substr(word_start, pos - word_start);
      if (word == "desc") {
        direction = SortDirection::kDescending;
      } else if (word != "asc") {
        return ErrorAt(word_start, "unknown direction " + Quote(word) + " after " + Quote(path) +
                                       " (use 'asc' or 'desc', lower case)");
      }
      skip_space();
      if (pos < text.size() && text[pos] != ',') {
        return ErrorAt(pos, "unexpected " + Quote(text.substr(pos, token_end(pos) - pos)) +
                                " after " + Quote(std::string(path) + " " + std::string(word)) +
                                "; separate fields with ','");
      }
    }
    Result<FieldInfo> field = SortableField(catalog, path, path_start);
    if (!field) {
      return field.error();
    }
    if (HasKey(order_by, field->path)) {
      return ErrorAt(path_start, "field " + Quote(path) + " appears twice in orderBy");
    }
    order_by.keys.push_back({std::move(*field), direction});
    if (pos == text.size()) {
      return order_by;
    }
    ++pos;  // ','
  }
}

std::string Print(const OrderBy& order_by) {
  std::string out;
  for (const OrderKey& key : order_by.keys) {
    if (!out.empty()) {
      out += ',';
    }
    out += key.field.path;
    if (key.direction == SortDirection::kDescending) {
      out += " desc";
    }
  }
  return out;
}

int Compare(const OrderBy& order_by, const nlohmann::json& a, const nlohmann::json& b,
            const CompareOptions& options) {
  for (const OrderKey& key : order_by.keys) {
    const Value left = ReadValue(FindPath(a, key.field.path), key.field);
    const Value right = ReadValue(FindPath(b, key.field.path), key.field);
    const int order = CompareValues(left, right, options);
    if (order != 0) {
      return key.direction == SortDirection::kDescending ? -order : order;
    }
  }
  return 0;
}

Result<OrderBy> WithTieBreaker(OrderBy order_by, std::string_view path,
                               const FieldCatalog& catalog) {
  if (HasKey(order_by, path)) {
    return order_by;
  }
  Result<FieldInfo> field = SortableField(catalog, path, 0);
  if (!field) {
    return field.error();
  }
  order_by.keys.push_back({std::move(*field), SortDirection::kAscending});
  return order_by;
}

}  // namespace conform::aip
