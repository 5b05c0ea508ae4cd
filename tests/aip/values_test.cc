#include "aip/values.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace conform::aip {
namespace values_test {
namespace {

using Json = nlohmann::json;

FieldInfo Field(FieldType type, std::vector<std::string> enum_values = {}) {
  return {.path = "f", .type = type, .enum_values = std::move(enum_values)};
}

Value Read(const char* json, FieldType type) {
  const Json node = Json::parse(json);
  return ReadValue(&node, Field(type));
}

TEST(AipValues, AbsentPrimitivesReadAsProto3Defaults) {
  EXPECT_EQ(ReadValue(nullptr, Field(FieldType::kString)), Value(std::string()));
  EXPECT_EQ(ReadValue(nullptr, Field(FieldType::kInteger)), Value(int64_t{0}));
  EXPECT_EQ(ReadValue(nullptr, Field(FieldType::kBoolean)), Value(false));
  EXPECT_EQ(ReadValue(nullptr, Field(FieldType::kEnum, {"A_UNSPECIFIED", "B"})),
            Value(EnumValue{"A_UNSPECIFIED", 0}));
  const Json null_node = nullptr;
  EXPECT_EQ(ReadValue(&null_node, Field(FieldType::kInteger)), Value(int64_t{0}));
}

TEST(AipValues, AbsentTimestampsDurationsAndMessagesAreUnset) {
  EXPECT_EQ(ReadValue(nullptr, Field(FieldType::kTimestamp)), Value(Unset{}));
  EXPECT_EQ(ReadValue(nullptr, Field(FieldType::kDuration)), Value(Unset{}));
  EXPECT_EQ(ReadValue(nullptr, Field(FieldType::kMessage)), Value(Unset{}));
}

TEST(AipValues, MismatchedJsonTypesAreUnset) {
  EXPECT_EQ(Read(R"(3)", FieldType::kString), Value(Unset{}));
  EXPECT_EQ(Read(R"("x")", FieldType::kInteger), Value(Unset{}));
  EXPECT_EQ(Read(R"("true")", FieldType::kBoolean), Value(Unset{}));
  EXPECT_EQ(Read(R"("2023-02-30T00:00:00Z")", FieldType::kTimestamp), Value(Unset{}));
  EXPECT_EQ(Read(R"(3.5)", FieldType::kDuration), Value(Unset{}));
}

TEST(AipValues, ReadsProto3JsonSpellings) {
  EXPECT_EQ(Read(R"("-9223372036854775808")", FieldType::kInteger),
            Value(std::numeric_limits<int64_t>::min()));
  EXPECT_EQ(Read(R"("18446744073709551615")", FieldType::kInteger),
            Value(std::numeric_limits<uint64_t>::max()));
  EXPECT_EQ(Read(R"(18446744073709551615)", FieldType::kInteger),
            Value(std::numeric_limits<uint64_t>::max()));
  EXPECT_EQ(Read(R"(7)", FieldType::kInteger), Value(int64_t{7}));
  EXPECT_TRUE(IsNaN(Read(R"("NaN")", FieldType::kNumber)));
  EXPECT_EQ(Read(R"("-Infinity")", FieldType::kNumber),
            Value(-std::numeric_limits<double>::infinity()));
  EXPECT_EQ(Read(R"("2.5")", FieldType::kNumber), Value(2.5));
  EXPECT_EQ(Read(R"("3.5s")", FieldType::kDuration), Value(Duration{3, 500000000}));
  EXPECT_EQ(Read(R"("2023-11-07T07:31:56+02:00")", FieldType::kTimestamp),
            Value(Instant{1699335116, 0}));
}

TEST(AipValues, UndeclaredEnumNamesKeepTheirName) {
  const Json node = "C";
  EXPECT_EQ(ReadValue(&node, Field(FieldType::kEnum, {"A", "B"})), Value(EnumValue{"C", -1}));
}

TEST(AipValues, FindPathFollowsObjectsOnly) {
  const Json job = Json::parse(R"({"a": {"b": {"c": 1}, "n": null}, "arr": [{"x": 1}]})");
  ASSERT_NE(FindPath(job, "a.b.c"), nullptr);
  EXPECT_EQ(*FindPath(job, "a.b.c"), 1);
  EXPECT_EQ(FindPath(job, "a.n"), nullptr);
  EXPECT_EQ(FindPath(job, "a.n.x"), nullptr);
  EXPECT_EQ(FindPath(job, "a.missing"), nullptr);
  EXPECT_EQ(FindPath(job, "arr.x"), nullptr);
  EXPECT_EQ(FindPath(Json(3), "a"), nullptr);
}

struct NumberCase {
  std::string name;
  Value a;
  Value b;
  int expected;
};

class AipValuesNumberTest : public ::testing::TestWithParam<NumberCase> {};

TEST_P(AipValuesNumberTest, ComparesExactlyAcrossRepresentations) {
  const NumberCase& c = GetParam();
  EXPECT_EQ(CompareNumbers(c.a, c.b), c.expected);
  EXPECT_EQ(CompareNumbers(c.b, c.a), -c.expected);
}

constexpr int64_t kTwo53 = int64_t{1} << 53;

INSTANTIATE_TEST_SUITE_P(
    AipValues, AipValuesNumberTest,
    ::testing::Values(
        NumberCase{"IntInt", int64_t{-3}, int64_t{2}, -1},
        NumberCase{"IntDoubleEqual", int64_t{3}, 3.0, 0},
        NumberCase{"IntDoubleFraction", int64_t{2}, 2.5, -1},
        NumberCase{"NegativeIntDoubleFraction", int64_t{-3}, -2.5, -1},
        NumberCase{"BeyondDoublePrecision", kTwo53 + 1, static_cast<double>(kTwo53), 1},
        NumberCase{"IntMaxVersusTwoTo63", std::numeric_limits<int64_t>::max(),
                   9223372036854775808.0, -1},
        NumberCase{"IntMinVersusMinusTwoTo63", std::numeric_limits<int64_t>::min(),
                   -9223372036854775808.0, 0},
        NumberCase{"UintVersusNegativeInt", std::numeric_limits<uint64_t>::max(), int64_t{-1}, 1},
        NumberCase{"UintVersusInt", uint64_t{5}, int64_t{5}, 0},
        NumberCase{"UintVersusDouble", std::numeric_limits<uint64_t>::max(), 18446744073709551616.0,
                   -1},
        NumberCase{"UintVersusNegativeDouble", uint64_t{0}, -0.5, 1},
        NumberCase{"Infinity", int64_t{1}, std::numeric_limits<double>::infinity(), -1},
        NumberCase{"NaNIsGreatest", std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::quiet_NaN(), -1},
        NumberCase{"NaNEqualsNaN", std::numeric_limits<double>::quiet_NaN(),
                   std::numeric_limits<double>::quiet_NaN(), 0},
        NumberCase{"NegativeZero", -0.0, int64_t{0}, 0}),
    [](const auto& test) { return test.param.name; });

TEST(AipValues, CompareValuesOrdersUnsetFirstAndKindsConsistently) {
  EXPECT_LT(CompareValues(Unset{}, Value(Instant{-100, 0})), 0);
  EXPECT_LT(CompareValues(Value(false), Value(true)), 0);
  EXPECT_LT(CompareValues(Value(std::string("B")), Value(std::string("a"))), 0);  // bytewise
  EXPECT_LT(CompareValues(Value(std::string("a")), Value(std::string("\xC3\xA9"))), 0);
  EXPECT_EQ(CompareValues(Value(Duration{3, 0}), Value(Duration{3, 0})), 0);
  EXPECT_GT(CompareValues(Value(Duration{-1, 0}), Value(Duration{-2, 500000000})), 0);
}

TEST(AipValues, EnumsCompareByDeclarationOrByName) {
  const Value running{EnumValue{"RUNNING", 2}};
  const Value creating{EnumValue{"CREATING", 1}};
  const Value future{EnumValue{"AAA_FUTURE", -1}};
  EXPECT_GT(CompareValues(running, creating), 0);
  EXPECT_GT(CompareValues(future, running), 0);  // undeclared after declared
  const CompareOptions by_name{.enum_order = EnumOrder::kName};
  EXPECT_LT(CompareValues(creating, running, by_name), 0);
  EXPECT_LT(CompareValues(future, creating, by_name), 0);
}

TEST(AipValues, EnumsCompareByProtobufNumberWhenTheCatalogKnowsIt) {
  // google.rpc.Code declares UNAUTHENTICATED (16) right after PERMISSION_DENIED (7).
  const FieldInfo code{.path = "status.code",
                       .type = FieldType::kEnum,
                       .enum_values = {"OK", "PERMISSION_DENIED", "UNAUTHENTICATED", "DATA_LOSS"},
                       .enum_numbers = {0, 7, 16, 15}};
  const Value unauthenticated{MakeEnumValue(code, "UNAUTHENTICATED")};
  const Value data_loss{MakeEnumValue(code, "DATA_LOSS")};
  EXPECT_EQ(std::get<EnumValue>(data_loss).number, 15);
  EXPECT_LT(CompareValues(unauthenticated, data_loss), 0);  // declaration
  const CompareOptions by_number{.enum_order = EnumOrder::kNumber};
  EXPECT_GT(CompareValues(unauthenticated, data_loss, by_number), 0);
  // Without numbers, by number is by declaration; undeclared names still come last.
  const FieldInfo state{.path = "state", .type = FieldType::kEnum, .enum_values = {"B", "A"}};
  EXPECT_LT(CompareValues(Value(MakeEnumValue(state, "B")), Value(MakeEnumValue(state, "A")), by_number), 0);
  EXPECT_GT(CompareValues(Value(MakeEnumValue(state, "NEW")), Value(MakeEnumValue(state, "A")), by_number), 0);
}

TEST(AipValues, DescribesValuesForMessages) {
  EXPECT_EQ(DescribeValue(Value(std::string("a\"b"))), "\"a\\\"b\"");
  EXPECT_EQ(DescribeValue(Value(int64_t{-4})), "-4");
  EXPECT_EQ(DescribeValue(Value(EnumValue{"X", 0})), "X");
  EXPECT_EQ(DescribeValue(Value(Instant{0, 0})), "1970-01-01T00:00:00Z");
  EXPECT_EQ(DescribeValue(Value(Unset{})), "unset");
}

}  // namespace
}  // namespace values_test
}  // namespace conform::aip
