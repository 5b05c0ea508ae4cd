// OpenAPI discriminators: the value of the discriminator property selects the oneOf/anyOf branch
// a body is checked against (valijson knows none, so CanonicalSchema translates them). Each spec
// of tests/data/validator/specs/discriminator_pets.yaml is loaded as OpenAPI 3.0 and 3.1.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/file.h"
#include "tests/support/result_matchers.h"
#include "validator/schema_util.h"
#include "validator/schema_validator.h"
#include "validator/spec_loader.h"

namespace conform::validator {
namespace discriminator_test {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Json = nlohmann::json;

auto Violation(const std::string& check_id, const std::string& pointer) {
  return AllOf(Field(&SchemaViolation::check_id, check_id),
               Field(&SchemaViolation::pointer, pointer));
}

class Discriminator : public ::testing::TestWithParam<std::string> {
 protected:
  // The violations of `body` against the 200 response of `operation_id`.
  std::vector<SchemaViolation> Check(const std::string& operation_id, const std::string& body,
                                     const ValidateOptions& options = {}) {
    auto text =
        ReadFile(std::string(CONFORM_TEST_DATA_DIR) + "/validator/specs/discriminator_pets.yaml");
    EXPECT_THAT(text, IsOk());
    if (!text.ok()) {
      return {};
    }
    std::string spec = *text;
    spec.replace(spec.find("openapi: 3.0.3"), 14, "openapi: " + GetParam());
    auto contract = LoadContract(spec, "discriminator_pets.yaml");
    EXPECT_THAT(contract, IsOk());
    if (!contract.ok()) {
      return {};
    }
    const Operation* op = contract->FindOperation(operation_id);
    EXPECT_NE(op, nullptr) << operation_id;
    const ResponseSpec* response = op != nullptr ? op->FindResponse(200) : nullptr;
    if (response == nullptr || response->content.empty() || !response->content[0].schema) {
      ADD_FAILURE() << "no 200 schema for " << operation_id;
      return {};
    }
    auto schema = SchemaValidator::Compile(*response->content[0].schema, contract->definitions);
    EXPECT_THAT(schema, IsOk());
    if (!schema.ok()) {
      return {};
    }
    return (*schema)->Validate(Json::parse(body), options);
  }
};

// Both branches are open enough for a cat to match the Dog schema too: plain oneOf failed it.
TEST_P(Discriminator, CorrectCatPasses) {
  EXPECT_THAT(Check("GetPet", R"({"petType": "cat", "name": "Tom"})"), IsEmpty());
  EXPECT_THAT(Check("GetPet", R"({"petType": "cat", "name": "Tom", "huntingSkill": "lazy",
                                  "born": "2023-11-07T05:31:56Z"})"),
              IsEmpty());
  EXPECT_THAT(Check("GetPet", R"({"petType": "dog", "name": "Rex", "packSize": 3})"), IsEmpty());
}

// Plain oneOf passed this body on Dog; the discriminator says it is a Cat, which is closed.
TEST_P(Discriminator, DogBodyLabelledCatGetsCatFindings) {
  EXPECT_THAT(Check("GetPet", R"({"petType": "cat", "name": "Rex", "packSize": 3})"),
              ElementsAre(Violation("response.schema.additional_property", "/packSize")));
}

TEST_P(Discriminator, SelectedBranchFindingsAreExplained) {
  auto found = Check("GetPet", R"({"petType": "cat", "name": "Tom", "huntingSkill": "fetch"})");
  ASSERT_THAT(found, ElementsAre(Violation("response.schema.enum", "/huntingSkill")));
  EXPECT_THAT(found[0].expected, HasSubstr("clueless, lazy, adventurous"));
  EXPECT_EQ(found[0].actual, "\"fetch\"");
}

TEST_P(Discriminator, FormatsInTheSelectedBranchAreChecked) {
  EXPECT_THAT(Check("GetPet", R"({"petType": "cat", "name": "Tom", "born": "yesterday"})"),
              ElementsAre(Violation("response.schema.format", "/born")));
}

TEST_P(Discriminator, UnknownValueIsOneFinding) {
  auto found = Check("GetPet", R"({"petType": "fish", "name": "Nemo"})");
  ASSERT_THAT(found, ElementsAre(Violation("response.schema.enum", "/petType")));
  EXPECT_THAT(found[0].message, HasSubstr("discriminator property 'petType'"));
  EXPECT_THAT(found[0].message, HasSubstr("\"fish\""));
  EXPECT_THAT(found[0].message, HasSubstr("one of cat, dog, Cat, Dog"));
  EXPECT_EQ(found[0].actual, "\"fish\"");
}

// ExaVault's spec discriminates on a status code (responseStatus: 200 or 404) with only the
// implicit mapping (schema names): no value selects a branch, and the plain oneOf judges.
TEST_P(Discriminator, AValueNoMappingGivesLeavesThePlainOneOf) {
  EXPECT_THAT(Check("GetVisitor", R"({"kind": "visitor", "name": "Ann"})"), IsEmpty());
  EXPECT_THAT(Check("GetVisitor", R"({"kind": "visitor", "name": "Bob", "memberId": 7})"),
              IsEmpty());
  auto found = Check("GetVisitor", R"({"kind": "visitor"})");
  ASSERT_THAT(found, ElementsAre(Violation("response.schema.enum", "/kind")));
  EXPECT_THAT(found[0].message, HasSubstr("selects none of its schemas, and none matches it"));
}

TEST_P(Discriminator, NonStringValueIsOneFinding) {
  EXPECT_THAT(Check("GetPet", R"({"petType": 7, "name": "Nemo"})"),
              ElementsAre(Violation("response.schema.enum", "/petType")));
}

TEST_P(Discriminator, MissingPropertyIsOneFinding) {
  auto found = Check("GetPet", R"({"name": "Tom"})");
  ASSERT_THAT(found, ElementsAre(Violation("response.schema.required", "/petType")));
  EXPECT_THAT(found[0].message, HasSubstr("discriminator property 'petType' is missing"));
}

// OpenAPI leaves an absent property undefined and says a discriminator "MUST NOT change the
// validation outcome": where the branches do not require it, the plain oneOf judges.
TEST_P(Discriminator, AbsentOptionalPropertyLeavesThePlainOneOf) {
  EXPECT_THAT(Check("GetVisitor", R"({"name": "Ann"})"), IsEmpty());
  EXPECT_THAT(Check("GetVisitor", R"({"name": "Bob", "memberId": 7})"), IsEmpty());
  auto found = Check("GetVisitor", R"({"memberId": "7"})");
  ASSERT_THAT(found, ElementsAre(Violation("response.schema.constraint", "")));
  EXPECT_THAT(found[0].message, HasSubstr("discriminator property 'kind' absent"));
  // Present, the value still selects: a member's fields on a guest.
  EXPECT_THAT(Check("GetVisitor", R"({"kind": "guest", "name": "Bob", "memberId": 7})"),
              ElementsAre(Violation("response.schema.additional_property", "/memberId")));
}

TEST_P(Discriminator, NonObjectIsHeldToTheBranchTypes) {
  EXPECT_THAT(Check("GetPet", R"("cat")"), ElementsAre(Violation("response.schema.type", "")));
}

TEST_P(Discriminator, MappingByBareSchemaNames) {
  EXPECT_THAT(Check("GetPetByName", R"({"petType": "cat", "name": "Tom"})"), IsEmpty());
  EXPECT_THAT(Check("GetPetByName", R"({"petType": "dog", "name": "Rex", "packSize": -1})"),
              ElementsAre(Violation("response.schema.constraint", "/packSize")));
  EXPECT_THAT(Check("GetPetByName", R"({"petType": "cat", "name": "Rex", "packSize": 3})"),
              ElementsAre(Violation("response.schema.additional_property", "/packSize")));
}

// Without a mapping entry the value is the schema name; with one, the name still selects it.
TEST_P(Discriminator, ImplicitMappingBySchemaName) {
  EXPECT_THAT(Check("GetPetImplicit", R"({"petType": "Cat", "name": "Tom"})"), IsEmpty());
  EXPECT_THAT(Check("GetPetImplicit", R"({"petType": "Lizard"})"), IsEmpty());
  EXPECT_THAT(Check("GetPetImplicit", R"({"petType": "Cat", "name": "Rex", "packSize": 3})"),
              ElementsAre(Violation("response.schema.additional_property", "/packSize")));
  auto found = Check("GetPetImplicit", R"({"petType": "cat", "name": "Tom"})");
  ASSERT_THAT(found, ElementsAre(Violation("response.schema.enum", "/petType")));
  EXPECT_THAT(found[0].message, HasSubstr("Cat, Dog, Lizard"));
  EXPECT_THAT(Check("GetPet", R"({"petType": "Cat", "name": "Tom"})"), IsEmpty());
}

// anyOf passed this body on Dog.
TEST_P(Discriminator, AnyOfSelectsTheBranchToo) {
  EXPECT_THAT(Check("GetPetAnyOf", R"({"petType": "dog", "name": "Rex", "huntingSkill": "lazy"})"),
              IsEmpty());
  EXPECT_THAT(Check("GetPetAnyOf", R"({"petType": "cat", "name": "Rex", "packSize": 3})"),
              ElementsAre(Violation("response.schema.additional_property", "/packSize")));
  EXPECT_THAT(Check("GetPetAnyOf", R"({"petType": "fish"})"),
              ElementsAre(Violation("response.schema.enum", "/petType")));
}

TEST_P(Discriminator, DiscriminatedItemsOfAnArray) {
  EXPECT_THAT(Check("GetShelter", R"({"pets": [{"petType": "cat", "name": "Tom"},
                                               {"petType": "dog", "name": "Rex"}]})"),
              IsEmpty());
  auto found = Check("GetShelter", R"({"pets": [{"petType": "cat", "name": "Tom"},
                                                {"petType": "cat", "name": "Rex", "packSize": 3},
                                                {"petType": "fish"}, {}]})");
  ASSERT_THAT(found,
              ElementsAre(Violation("response.schema.additional_property", "/pets/1/packSize"),
                          Violation("response.schema.enum", "/pets/2/petType"),
                          Violation("response.schema.required", "/pets/3/petType")));
  EXPECT_THAT(found[1].message, HasSubstr("discriminator property 'petType' is \"fish\""));
  EXPECT_THAT(found[2].message, HasSubstr("discriminator property 'petType' is missing"));
}

// The nested nodes go through "#/definitions/...", which the loader does not canonicalise.
TEST_P(Discriminator, RecursiveDiscriminatedSchema) {
  EXPECT_THAT(Check("GetTree", R"({"kind": "Branch", "children": [{"kind": "Leaf", "value": 1},
                                  {"kind": "Branch", "children": [{"kind": "Leaf", "value": 2}]}]})"),
              IsEmpty());
  // "Twig" names no branch, so the plain oneOf judges the node: a Leaf, it passes ("MUST NOT
  // change the validation outcome"); one that is neither fails it, and behind the recursive
  // $ref too the failure is the discriminator property's (it was the oneOf's own finding).
  EXPECT_THAT(Check("GetTree", R"({"kind": "Branch", "children": [{"kind": "Twig", "value": 1}]})"),
              IsEmpty());
  auto twig = Check("GetTree", R"({"kind": "Branch", "children": [{"kind": "Twig"}]})");
  ASSERT_THAT(twig, ElementsAre(Violation("response.schema.enum", "/children/0/kind")));
  EXPECT_THAT(twig[0].message, HasSubstr("selects none of its schemas, and none matches it"));
  EXPECT_THAT(
      Check("GetTree", R"({"kind": "Branch", "children": [{"kind": "Leaf", "children": []}]})"),
      ElementsAre(Violation("response.schema.required", "/children/0/value")));
}

// A branch that is the schema being defined becomes "#/definitions/...": still named Owner.
TEST_P(Discriminator, RecursiveBranchKeepsItsName) {
  EXPECT_THAT(Check("GetOwner", R"({"role": "Owner", "partner": {"role": "Owner",
                                   "partner": {"role": "Keeper", "keys": 1}}})"),
              IsEmpty());
  EXPECT_THAT(Check("GetOwner", R"({"role": "x", "partner": {"role": "Owner",
                                   "partner": {"role": "Keeper", "keys": "k"}}})"),
              ElementsAre(Violation("response.schema.type", "/partner/partner/keys")));
}

// The allOf inheritance form: the parent's discriminator is an annotation, never a finding.
TEST_P(Discriminator, InheritanceFormHasNoFalseFindings) {
  EXPECT_THAT(Check("GetHousePet", R"({"petType": "cat", "indoor": true})"), IsEmpty());
  EXPECT_THAT(Check("GetHouseCat", R"({"petType": "cat", "indoor": true})"), IsEmpty());
  EXPECT_THAT(Check("GetKennel", R"({"petType": "cat", "indoor": true})"), IsEmpty());
  EXPECT_THAT(Check("GetKennel", R"({"petType": "cat", "indoor": "yes"})"),
              ElementsAre(Violation("response.schema.type", "/indoor")));
  EXPECT_THAT(Check("GetHouseCat", R"({"indoor": true})"),
              ElementsAre(Violation("response.schema.required", "/petType")));
}

TEST_P(Discriminator, StrictModeSeesNoDriftInTheBranches) {
  EXPECT_THAT(
      Check("GetPet", R"({"petType": "dog", "name": "Rex", "packSize": 3})", {.strict = true}),
      IsEmpty());
  EXPECT_THAT(
      Check("GetShelter", R"({"pets": [{"petType": "dog", "name": "Rex"}]})", {.strict = true}),
      IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(Versions, Discriminator, ::testing::Values("3.0.3", "3.1.0"),
                         [](const auto& param_info) {
                           return param_info.param == "3.0.3" ? "OpenApi30" : "OpenApi31";
                         });

// --- what is left as it is ---------------------------------------------------------------

const Json kCatAndDog = Json::parse(R"({"oneOf": [{"$ref": "#/components/schemas/Cat"},
                                                  {"$ref": "#/components/schemas/Dog"}]})");

// Swagger 2.0 writes the property name alone; the loader refuses 2.0, the translation skips it.
TEST(DiscriminatorTranslation, SwaggerStringDiscriminatorIsLeftAlone) {
  Json schema = kCatAndDog;
  schema["discriminator"] = "petType";
  Json canonical = CanonicalSchema(schema, Dialect::kOpenApi30);
  EXPECT_TRUE(canonical.contains("oneOf"));
  EXPECT_FALSE(canonical.contains("allOf"));
  EXPECT_FALSE(FindTranslatedDiscriminator(canonical).has_value());
}

TEST(DiscriminatorTranslation, UnresolvedBranchRefsAreNames) {
  Json schema = kCatAndDog;
  schema["discriminator"] = {{"propertyName", "petType"}};
  Json canonical = CanonicalSchema(schema, Dialect::kOpenApi31);
  EXPECT_FALSE(canonical.contains("oneOf"));
  auto discriminator = FindTranslatedDiscriminator(canonical);
  ASSERT_TRUE(discriminator.has_value());
  EXPECT_EQ(discriminator->property, "petType");
  EXPECT_EQ(discriminator->values, Json::parse(R"(["Cat", "Dog"])"));
}

TEST(DiscriminatorTranslation, MappingToAnotherSchemaIsLeftAlone) {
  Json schema = kCatAndDog;
  schema["discriminator"] = {{"propertyName", "petType"},
                             {"mapping", {{"lion", "#/components/schemas/Lion"}}}};
  EXPECT_TRUE(CanonicalSchema(schema, Dialect::kOpenApi30).contains("oneOf"));
}

TEST(DiscriminatorTranslation, InlineBranchIsLeftAlone) {
  Json schema = kCatAndDog;
  schema["oneOf"].push_back({{"type", "object"}});
  schema["discriminator"] = {{"propertyName", "petType"}};
  EXPECT_TRUE(CanonicalSchema(schema, Dialect::kOpenApi30).contains("oneOf"));
}

// The branches inlined as the loader does, with the $refs the resolver keeps.
TEST(DiscriminatorTranslation, NullableSchemaAdmitsNull) {
  Json schema = Json::parse(R"({"type": "object", "nullable": true,
                                "oneOf": [{"type": "object"}, {"type": "object"}]})");
  schema["discriminator"] = {
      {"propertyName", "kind"},
      {kDiscriminatorBranchRefs, {"#/components/schemas/A", "#/components/schemas/B"}}};
  Json canonical = CanonicalSchema(schema, Dialect::kOpenApi30);
  EXPECT_FALSE(canonical["discriminator"].contains(kDiscriminatorBranchRefs));
  auto compiled = SchemaValidator::Compile(canonical, Json::object());
  ASSERT_THAT(compiled, IsOk());
  EXPECT_THAT((*compiled)->Validate(Json(nullptr)), IsEmpty());
  EXPECT_THAT((*compiled)->Validate(Json::parse(R"({"kind": "B"})")), IsEmpty());
  EXPECT_THAT((*compiled)->Validate(Json("B")), ElementsAre(Violation("response.schema.type", "")));
  EXPECT_THAT((*compiled)->Validate(Json::parse(R"({"kind": "C"})")),
              ElementsAre(Violation("response.schema.enum", "/kind")));
}

}  // namespace
}  // namespace discriminator_test
}  // namespace conform::validator
