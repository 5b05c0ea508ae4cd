// RapidCheck generators of JSON instances that satisfy a canonical schema (properties,
// required, items, enum, type, format date-time/int32/int64/float, allOf), for properties
// that mutate a valid instance and expect the validator to notice.
//   rc::Gen<nlohmann::json> page = conform::testing::ValidInstance(response_schema);
#pragma once

#include <rapidcheck.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace conform::testing {

inline rc::Gen<std::string> ValidDateTime() {
  return rc::gen::map(
      rc::gen::tuple(rc::gen::inRange(1970, 2100), rc::gen::inRange(1, 13), rc::gen::inRange(1, 29),
                     rc::gen::inRange(0, 24), rc::gen::inRange(0, 60), rc::gen::inRange(0, 60),
                     rc::gen::element(std::string("Z"), std::string("+00:00"), std::string("-08:00"),
                                      std::string("+05:30"), std::string(".5Z"), std::string(".123456789+01:00"))),
      [](const std::tuple<int, int, int, int, int, int, std::string>& t) {
        char text[64];
        std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d", std::get<0>(t), std::get<1>(t),
                      std::get<2>(t), std::get<3>(t), std::get<4>(t), std::get<5>(t));
        return std::string(text) + std::get<6>(t);
      });
}

inline std::vector<std::string> TypesOf(const nlohmann::json& schema) {
  std::vector<std::string> types;
  if (!schema.contains("type")) {
    return types;
  }
  if (schema["type"].is_string()) {
    types.push_back(schema["type"].get<std::string>());
  } else {
    for (const auto& t : schema["type"]) {
      types.push_back(t.get<std::string>());
    }
  }
  return types;
}

inline rc::Gen<nlohmann::json> ValidInstance(const nlohmann::json& schema, int depth = 0) {
  using Json = nlohmann::json;
  if (schema.contains("enum")) {
    std::vector<Json> values(schema["enum"].begin(), schema["enum"].end());
    return rc::gen::elementOf(values);
  }
  std::vector<std::string> types = TypesOf(schema);
  std::string type = types.empty() ? (schema.contains("properties") ? "object" : "string") : types[0];
  std::string format = schema.value("format", "");
  if (type == "object") {
    Json properties = schema.value("properties", Json::object());
    std::vector<std::string> required;
    for (const auto& r : schema.value("required", Json::array())) {
      required.push_back(r.get<std::string>());
    }
    std::vector<std::pair<std::string, Json>> fields;
    for (const auto& [name, sub] : properties.items()) {
      fields.emplace_back(name, sub);
    }
    return rc::gen::exec([fields, required, depth]() {
      Json out = Json::object();
      for (const auto& [name, sub] : fields) {
        bool must = std::find(required.begin(), required.end(), name) != required.end();
        // gen::element is uniform whatever the size; inRange favours 0 at small sizes.
        if (must || (depth < 4 && *rc::gen::element(0, 1, 2, 3) != 0)) {
          out[name] = *ValidInstance(sub, depth + 1);
        }
      }
      return out;
    });
  }
  if (type == "array") {
    Json items = schema.value("items", Json::object());
    int low = depth == 1 ? 1 : 0;  // the resources array is never empty, so mutations have a target
    return rc::gen::exec([items, depth, low]() {
      int count = low == 1 ? *rc::gen::element(1, 2, 3) : *rc::gen::element(0, 1, 2, 3);
      Json out = Json::array();
      for (int i = 0; i < count; ++i) {
        out.push_back(*ValidInstance(items, depth + 1));
      }
      return out;
    });
  }
  if (type == "integer") {
    if (format == "int32") {
      return rc::gen::map(rc::gen::arbitrary<int32_t>(), [](int32_t v) { return Json(v); });
    }
    return rc::gen::map(rc::gen::arbitrary<int64_t>(), [](int64_t v) { return Json(v); });
  }
  if (type == "number") {
    return rc::gen::map(rc::gen::inRange(-100000, 100000), [](int v) { return Json(v / 7.0); });
  }
  if (type == "boolean") {
    return rc::gen::map(rc::gen::arbitrary<bool>(), [](bool v) { return Json(v); });
  }
  if (format == "date-time") {
    return rc::gen::map(ValidDateTime(), [](const std::string& v) { return Json(v); });
  }
  return rc::gen::map(rc::gen::container<std::string>(rc::gen::inRange('a', 'z')),
                      [](const std::string& v) { return Json(v); });
}

// Every JSON pointer in `value` whose schema location satisfies `predicate(schema)`.
template <typename Predicate>
void CollectLocations(const nlohmann::json& value, const nlohmann::json& schema, const std::string& pointer,
                      Predicate predicate, std::vector<std::pair<std::string, nlohmann::json>>& out) {
  if (predicate(schema)) {
    out.emplace_back(pointer, schema);
  }
  if (value.is_object() && schema.contains("properties")) {
    for (const auto& [key, child] : value.items()) {
      if (schema["properties"].contains(key)) {
        CollectLocations(child, schema["properties"][key], pointer + "/" + key, predicate, out);
      }
    }
  } else if (value.is_array() && schema.contains("items")) {
    for (size_t i = 0; i < value.size(); ++i) {
      CollectLocations(value[i], schema["items"], pointer + "/" + std::to_string(i), predicate, out);
    }
  }
}

}  // namespace conform::testing
