#include "server/internal/faulty_filter.h"

#include <string>
#include <utility>
#include <vector>

namespace conform::server::internal {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

std::optional<aip::FilterSyntax> SplitAtTopLevelOr(std::string_view text,
                                                   const aip::FilterOptions& options) {
  std::vector<std::string_view> parts;
  size_t part_start = 0;
  int depth = 0;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote != 0) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (depth == 0 && c == 'O' && i > 0 && IsSpace(text[i - 1]) && i + 2 < text.size() &&
               text[i + 1] == 'R' && IsSpace(text[i + 2])) {
      parts.push_back(text.substr(part_start, i - part_start));
      part_start = i + 2;
    }
  }
  if (parts.empty()) {
    return std::nullopt;
  }
  parts.push_back(text.substr(part_start));
  std::vector<aip::Node> roots;
  for (std::string_view part : parts) {
    Result<aip::FilterSyntax> parsed = aip::ParseFilterSyntax(part, options);
    if (!parsed || !parsed->root.has_value()) {
      return std::nullopt;
    }
    roots.push_back(std::move(*parsed->root));
  }
  return aip::FilterSyntax{aip::MakeOr(std::move(roots))};
}

void NotEqualAsEqual(aip::Node& node) {
  if (node.kind == aip::NodeKind::kRestriction && node.comparator == aip::Comparator::kNotEqual) {
    node.comparator = aip::Comparator::kEqual;
  }
  for (aip::Node& child : node.children) {
    NotEqualAsEqual(child);
  }
}

bool HasUnknownField(const aip::Node& node, const aip::FieldCatalog& catalog) {
  if (node.kind == aip::NodeKind::kRestriction && !node.children.empty() &&
      node.children.front().kind == aip::NodeKind::kMember &&
      node.comparator != aip::Comparator::kNone) {
    std::string path;
    bool known = false;
    for (const aip::Literal& part : node.children.front().parts) {
      path += (path.empty() ? "" : ".") + part.text;
      const aip::FieldInfo* field = catalog.Find(path);
      if (field != nullptr && field->type == aip::FieldType::kMap) {
        known = true;  // map keys are free-form
        break;
      }
      known = field != nullptr;
    }
    if (!known) {
      return true;
    }
  }
  for (const aip::Node& child : node.children) {
    if (HasUnknownField(child, catalog)) {
      return true;
    }
  }
  return false;
}

aip::FieldCatalog TimestampsAsStrings(const aip::FieldCatalog& catalog) {
  aip::FieldCatalog strings;
  for (aip::FieldInfo field : catalog.fields()) {
    if (field.type == aip::FieldType::kTimestamp) {
      field.type = aip::FieldType::kString;
    }
    strings.Add(std::move(field));
  }
  return strings;
}

}  // namespace conform::server::internal
