// RapidCheck generators for the aip/ properties, driven by a FieldCatalog: well-typed filter
// trees (built with the public Make* helpers), resources with small value pools (so
// comparisons tie often; some values have the wrong JSON type), orderBy and read masks.
//   Node filter = *aip::testing::GenFilter(aip::testing::DpoJobCatalog(), 3);
#pragma once

#include <rapidcheck.h>

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "aip/field_catalog.h"
#include "aip/filter_syntax.h"
#include "aip/order_by.h"
#include "aip/read_mask.h"
#include "aip/time.h"

namespace conform::aip {

// RapidCheck prints counterexamples through showValue, found by argument-dependent lookup.
inline void showValue(const Node& node,
                      std::ostream& os) {  // NOLINT(readability-identifier-naming)
  os << Print(node);
}

namespace testing {

using Json = nlohmann::json;

// Fields directly below `parent` ("" = top level).
inline std::vector<const FieldInfo*> Children(const FieldCatalog& catalog,
                                              const std::string& parent) {
  std::vector<const FieldInfo*> children;
  for (const FieldInfo& field : catalog.fields()) {
    const std::string& path = field.path;
    if (parent.empty() ? path.find('.') == std::string::npos
                       : (path.size() > parent.size() + 1 && path.starts_with(parent + ".") &&
                          path.find('.', parent.size() + 1) == std::string::npos)) {
      children.push_back(&field);
    }
  }
  return children;
}

inline std::vector<std::string> StringPool() {
  return {"", "a", "ab", "b", "a*b", "nightly-dpo-run", "x y", "\xC3\xA9", "\"q\"", "back\\slash"};
}

inline std::vector<std::string> TimestampPool() {
  return {"2023-11-07T05:31:56Z", "2023-11-07T07:31:56+02:00", "2023-11-07T05:31:56.5Z",
          "1999-12-31T23:59:59-00:30", "2020-02-29T00:00:00Z"};
}

inline std::vector<std::string> DurationPool() { return {"-1.5s", "0s", "3.5s", "3.500s", "20s"}; }

inline rc::Gen<int64_t> GenSmallInteger() { return rc::gen::inRange<int64_t>(-3, 4); }

// A JSON value for one element of `field` (scalars only); sometimes of the wrong type.
inline rc::Gen<Json> GenScalarJson(const FieldInfo& field) {
  return rc::gen::exec([field]() -> Json {
    if (*rc::gen::inRange(0, 20) == 0) {
      return *rc::gen::element(Json(nullptr), Json("junk"), Json(7), Json(true));
    }
    switch (field.type) {
      case FieldType::kString:
        return *rc::gen::elementOf(StringPool());
      case FieldType::kInteger:
        if (*rc::gen::inRange(0, 4) == 0) {
          return std::to_string(*GenSmallInteger());  // proto3 JSON int64
        }
        return *GenSmallInteger();
      case FieldType::kNumber:
        return *rc::gen::element(Json(-2.5), Json(0), Json(0.1), Json(1.5), Json(3), Json("NaN"));
      case FieldType::kBoolean:
        return *rc::gen::arbitrary<bool>();
      case FieldType::kEnum:
        if (field.enum_values.empty() || *rc::gen::inRange(0, 10) == 0) {
          return "UNDECLARED_VALUE";
        }
        return *rc::gen::elementOf(field.enum_values);
      case FieldType::kTimestamp:
        return *rc::gen::elementOf(TimestampPool());
      case FieldType::kDuration:
        return *rc::gen::elementOf(DurationPool());
      case FieldType::kMessage:
      case FieldType::kMap:
        break;
    }
    return nullptr;
  });
}

inline rc::Gen<Json> GenObject(const FieldCatalog& catalog, const std::string& prefix);

// A value for `field` including repeated fields, messages and maps.
inline rc::Gen<Json> GenFieldJson(const FieldCatalog& catalog, const FieldInfo& field) {
  return rc::gen::exec([&catalog, field]() -> Json {
    const auto one = [&]() -> Json {
      if (field.type == FieldType::kMessage) {
        return *GenObject(catalog, field.path);
      }
      if (field.type == FieldType::kMap) {
        Json map = Json::object();
        for (const char* key : {"env", "tier"}) {
          if (*rc::gen::arbitrary<bool>()) {
            map[key] = *rc::gen::element(Json("prod"), Json("dev"), Json(2), Json(false));
          }
        }
        return map;
      }
      return *GenScalarJson(field);
    };
    if (!field.repeated) {
      return one();
    }
    Json array = Json::array();
    const int count = *rc::gen::inRange(0, 3);
    for (int i = 0; i < count; ++i) {
      array.push_back(one());
    }
    return array;
  });
}

// An object with a random subset of the fields below `prefix`.
inline rc::Gen<Json> GenObject(const FieldCatalog& catalog, const std::string& prefix) {
  return rc::gen::exec([&catalog, prefix]() -> Json {
    Json object = Json::object();
    for (const FieldInfo* field : Children(catalog, prefix)) {
      if (*rc::gen::inRange(0, 3) == 0) {
        continue;
      }
      const std::string key = prefix.empty() ? field->path : field->path.substr(prefix.size() + 1);
      object[key] = *GenFieldJson(catalog, *field);
    }
    return object;
  });
}

inline rc::Gen<Json> GenResource(const FieldCatalog& catalog) { return GenObject(catalog, ""); }

inline bool InsideRepeated(const FieldCatalog& catalog, const FieldInfo& field) {
  for (size_t dot = field.path.find('.'); dot != std::string::npos;
       dot = field.path.find('.', dot + 1)) {
    const FieldInfo* parent = catalog.Find(field.path.substr(0, dot));
    if (parent != nullptr && parent->repeated) {
      return true;
    }
  }
  return false;
}

// A literal that type-checks against one element of `field` (a scalar type).
inline rc::Gen<Literal> GenLiteral(const FieldInfo& field) {
  return rc::gen::exec([field]() -> Literal {
    switch (field.type) {
      case FieldType::kString: {
        const std::string text = *rc::gen::elementOf(StringPool());
        switch (*rc::gen::inRange(0, 3)) {
          case 0:
            return StringLiteral(text);
          case 1:
            return PatternLiteral(text);
          default:
            return TextLiteral(text);
        }
      }
      case FieldType::kInteger:
        return IntegerLiteral(*GenSmallInteger());
      case FieldType::kNumber:
        return *rc::gen::arbitrary<bool>() ? IntegerLiteral(*GenSmallInteger())
                                           : FloatLiteral(*rc::gen::element(-2.5, 0.1, 1.5, 3.0));
      case FieldType::kBoolean:
        return TextLiteral(*rc::gen::arbitrary<bool>() ? "true" : "false");
      case FieldType::kEnum: {
        const std::string name = *rc::gen::elementOf(field.enum_values);
        return *rc::gen::arbitrary<bool>() ? TextLiteral(name) : StringLiteral(name);
      }
      case FieldType::kTimestamp: {
        const Instant instant = *ParseRfc3339(*rc::gen::elementOf(TimestampPool()));
        return StringLiteral(FormatRfc3339(instant, *rc::gen::element(0, 120, -330, 59)));
      }
      case FieldType::kDuration:
        return StringLiteral(*rc::gen::elementOf(DurationPool()));
      case FieldType::kMessage:
      case FieldType::kMap:
        break;
    }
    return TextLiteral("*");
  });
}

// One well-typed restriction on a filterable field of `catalog`.
inline rc::Gen<Node> GenRestriction(const FieldCatalog& catalog) {
  return rc::gen::exec([&catalog]() -> Node {
    std::vector<const FieldInfo*> fields;
    for (const FieldInfo& field : catalog.fields()) {
      if (field.filterable) {
        fields.push_back(&field);
      }
    }
    const FieldInfo& field = **rc::gen::elementOf(fields);
    const bool through_repeated = InsideRepeated(catalog, field);
    if (field.type == FieldType::kMessage || *rc::gen::inRange(0, 6) == 0) {
      return MakePresence(field.path);
    }
    if (field.type == FieldType::kMap) {
      if (*rc::gen::arbitrary<bool>()) {
        return MakeRestriction(field.path, Comparator::kHas, TextLiteral("env"));
      }
      return MakeRestriction(field.path + ".env", Comparator::kEqual, PatternLiteral("pr*"));
    }
    std::vector<Comparator> comparators = {Comparator::kEqual, Comparator::kNotEqual,
                                           Comparator::kHas};
    const bool ordered = field.type != FieldType::kBoolean && field.type != FieldType::kEnum;
    if (ordered) {
      comparators.insert(comparators.end(), {Comparator::kLess, Comparator::kLessEqual,
                                             Comparator::kGreater, Comparator::kGreaterEqual});
    }
    if (field.repeated || through_repeated) {
      comparators = {Comparator::kHas};
    }
    return MakeRestriction(field.path, *rc::gen::elementOf(comparators), *GenLiteral(field));
  });
}

// A well-typed filter tree of at most `depth` levels of AND / OR / sequences / NOT.
inline rc::Gen<Node> GenFilter(const FieldCatalog& catalog, int depth) {
  return rc::gen::exec([&catalog, depth]() -> Node {
    const int choice = depth <= 0 ? 0 : *rc::gen::inRange(0, 8);
    if (choice <= 2) {
      return *GenRestriction(catalog);
    }
    if (choice == 3) {
      const NotStyle style = *rc::gen::element(NotStyle::kNot, NotStyle::kMinus);
      return MakeNot(*GenFilter(catalog, depth - 1), style);
    }
    std::vector<Node> operands;
    const int count = *rc::gen::inRange(2, 4);
    for (int i = 0; i < count; ++i) {
      operands.push_back(*GenFilter(catalog, depth - 1));
    }
    if (choice <= 5) {
      return choice == 4 ? MakeAnd(std::move(operands)) : MakeOr(std::move(operands));
    }
    return MakeSequence(std::move(operands));
  });
}

// Paths of fields usable in orderBy.
inline std::vector<std::string> SortablePaths(const FieldCatalog& catalog) {
  std::vector<std::string> paths;
  for (const FieldInfo& field : catalog.fields()) {
    if (field.sortable && !field.repeated && field.type != FieldType::kMessage &&
        field.type != FieldType::kMap && !InsideRepeated(catalog, field)) {
      paths.push_back(field.path);
    }
  }
  return paths;
}

// orderBy text with 1-3 distinct sortable keys and random directions and spacing.
inline rc::Gen<std::string> GenOrderByText(const FieldCatalog& catalog) {
  return rc::gen::exec([&catalog]() -> std::string {
    std::vector<std::string> paths = SortablePaths(catalog);
    const int count = *rc::gen::inRange(1, 4);
    std::string text;
    std::vector<std::string> used;
    for (int i = 0; i < count; ++i) {
      const std::string path = *rc::gen::elementOf(paths);
      if (std::find(used.begin(), used.end(), path) != used.end()) {
        continue;
      }
      used.push_back(path);
      text += (text.empty() ? "" : *rc::gen::element<std::string>(",", " , ", ",  ")) + path;
      text += *rc::gen::element<std::string>("", " asc", " desc", "  desc ");
    }
    return text;
  });
}

// Read-mask text over paths that do not enter repeated fields (map keys included).
inline rc::Gen<std::string> GenReadMaskText(const FieldCatalog& catalog) {
  return rc::gen::exec([&catalog]() -> std::string {
    std::vector<std::string> paths;
    for (const FieldInfo& field : catalog.fields()) {
      if (!InsideRepeated(catalog, field)) {
        paths.push_back(field.path);
        if (field.type == FieldType::kMap) {
          paths.push_back(field.path + ".env");
        }
      }
    }
    const int count = *rc::gen::inRange(1, 5);
    std::string text;
    for (int i = 0; i < count; ++i) {
      text += (text.empty() ? "" : ", ") + *rc::gen::elementOf(paths);
    }
    return text;
  });
}

}  // namespace testing
}  // namespace conform::aip
