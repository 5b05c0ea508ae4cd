// Properties over the shipped contract: every response generated from the schema validates,
// and one mutation of it is always caught, with the right check id, at the right pointer.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tests/support/schema_gen.h"
#include "validator/schema_validator.h"
#include "validator/spec_loader.h"

namespace conform::validator {
namespace schema_property_test {
namespace {

using Json = nlohmann::json;

struct Shipped {
  Json schema;
  std::shared_ptr<const SchemaValidator> validator;
};

const Shipped& ListResponse() {
  static const Shipped shipped = [] {
    auto contract = EmbeddedContract();
    CONFORM_CHECK(contract.ok());
    Json schema = *contract->operations[0].FindResponse(200)->content[0].schema;
    auto validator = SchemaValidator::Compile(schema, contract->definitions);
    CONFORM_CHECK(validator.ok());
    return Shipped{schema, *validator};
  }();
  return shipped;
}

std::vector<std::pair<std::string, Json>> Locations(const Json& instance, bool (*predicate)(const Json&)) {
  std::vector<std::pair<std::string, Json>> out;
  testing::CollectLocations(instance, ListResponse().schema, "", predicate, out);
  return out;
}

bool HasViolation(const std::vector<SchemaViolation>& found, const std::string& id, const std::string& pointer) {
  return std::any_of(found.begin(), found.end(),
                     [&](const SchemaViolation& v) { return v.check_id == id && v.pointer == pointer; });
}

RC_GTEST_PROP(ShippedContract, GeneratedResponsesValidate, ()) {
  Json page = *testing::ValidInstance(ListResponse().schema);
  auto found = ListResponse().validator->Validate(page, {.strict = true});
  RC_ASSERT(found.empty());
}

RC_GTEST_PROP(ShippedContract, WrongEnumValueIsCaughtAtItsPointer, ()) {
  Json page = *testing::ValidInstance(ListResponse().schema);
  auto targets = Locations(page, [](const Json& s) { return s.contains("enum"); });
  RC_PRE(!targets.empty());
  auto [pointer, schema] = *rc::gen::elementOf(targets);
  page[Json::json_pointer(pointer)] = "NOT_A_DECLARED_VALUE";
  RC_ASSERT(HasViolation(ListResponse().validator->Validate(page), "response.schema.enum", pointer));
}

RC_GTEST_PROP(ShippedContract, WrongTypeIsCaughtAtItsPointer, ()) {
  Json page = *testing::ValidInstance(ListResponse().schema);
  auto targets = Locations(page, [](const Json& s) { return s.contains("type") && !s.contains("enum"); });
  RC_PRE(!targets.empty());
  auto [pointer, schema] = *rc::gen::elementOf(targets);
  std::string type = schema["type"].get<std::string>();
  Json wrong = type == "string" ? Json(42) : Json("42");
  page[Json::json_pointer(pointer)] = wrong;
  RC_ASSERT(HasViolation(ListResponse().validator->Validate(page), "response.schema.type", pointer));
}

RC_GTEST_PROP(ShippedContract, OutOfRangeInt32IsCaughtAtItsPointer, (bool above)) {
  Json page = *testing::ValidInstance(ListResponse().schema);
  auto targets = Locations(page, [](const Json& s) { return s.value("format", "") == "int32"; });
  RC_PRE(!targets.empty());
  auto [pointer, schema] = *rc::gen::elementOf(targets);
  page[Json::json_pointer(pointer)] = above ? Json(int64_t{2147483648}) : Json(int64_t{-2147483649});
  RC_ASSERT(HasViolation(ListResponse().validator->Validate(page), "response.schema.format", pointer));
}

RC_GTEST_PROP(ShippedContract, BadDateTimeIsCaughtAtItsPointer, ()) {
  Json page = *testing::ValidInstance(ListResponse().schema);
  auto targets = Locations(page, [](const Json& s) { return s.value("format", "") == "date-time"; });
  RC_PRE(!targets.empty());
  auto [pointer, schema] = *rc::gen::elementOf(targets);
  std::string bad = *rc::gen::element(std::string("2023-11-07 05:31:56"), std::string("2023-11-07T05:31:56"),
                                      std::string("2023-13-07T05:31:56Z"), std::string("2024-02-30T05:31:56Z"),
                                      std::string("2023-02-29T05:31:56Z"), std::string("yesterday"));
  page[Json::json_pointer(pointer)] = bad;
  RC_ASSERT(HasViolation(ListResponse().validator->Validate(page), "response.schema.format", pointer));
}

RC_GTEST_PROP(ShippedContract, MissingRequiredFieldIsCaughtAtItsPointer, ()) {
  Json page = *testing::ValidInstance(ListResponse().schema);
  RC_PRE(page.contains("dpoJobs") && !page["dpoJobs"].empty());
  size_t index = *rc::gen::inRange<size_t>(0, page["dpoJobs"].size());
  page["dpoJobs"][index].erase("dataset");
  RC_ASSERT(HasViolation(ListResponse().validator->Validate(page), "response.schema.required",
                         "/dpoJobs/" + std::to_string(index) + "/dataset"));
}

}  // namespace
}  // namespace schema_property_test
}  // namespace conform::validator
