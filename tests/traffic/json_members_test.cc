#include "traffic/json_members.h"

#include <gtest/gtest.h>

#include <string>

namespace conform::traffic {
namespace json_members_test {
namespace {

std::string DuplicateOf(std::string_view text) {
  ParsedJson parsed = ParseJsonNotingDuplicates(text);
  EXPECT_FALSE(parsed.value.is_discarded()) << text;
  return parsed.duplicate ? DottedPath(*parsed.duplicate) : "";
}

TEST(ParseJsonNotingDuplicates, ParsesLikeNlohmannWhenNamesAreUnique) {
  std::string text = R"({"a":[1,{"b":null,"c":"x"},[true,2.5]],"d":{"a":1},"e":-3,"f":18446744073709551615})";
  ParsedJson parsed = ParseJsonNotingDuplicates(text);
  EXPECT_EQ(parsed.value, nlohmann::json::parse(text));
  EXPECT_FALSE(parsed.duplicate.has_value());
  // The same name in two different objects is no duplicate.
  EXPECT_EQ(DuplicateOf(R"([{"a":1},{"a":2}])"), "");
}

TEST(ParseJsonNotingDuplicates, NamesTheFirstMemberGivenTwiceWithItsPath) {
  EXPECT_EQ(DuplicateOf(R"({"totalSize":"x","totalSize":3})"), "totalSize");
  EXPECT_EQ(DuplicateOf(R"({"dpoJobs":[{"name":"a"},{"x":[0,1],"name":"b","name":"c"}]})"),
            "dpoJobs[1].name");
  EXPECT_EQ(DuplicateOf(R"({"a":{"b":[[{"k":1,"k":2}]]},"z":1,"z":2})"), "a.b[0][0].k");
  // Names are compared after unescaping.
  EXPECT_EQ(DuplicateOf(R"({"value":1,"v\u0061lue":2})"), "value");
  // The last value is kept, as nlohmann does.
  EXPECT_EQ(ParseJsonNotingDuplicates(R"({"s":500,"s":200})").value["s"], 200);
}

TEST(ParseJsonNotingDuplicates, LargeObjectsAreCheckedBeyondTheShortList) {
  std::string text = "{";
  for (int i = 0; i < 5000; ++i) {
    text += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  }
  EXPECT_EQ(DuplicateOf(text + "\"k4999\":0}"), "k4999");
  EXPECT_EQ(DuplicateOf(text + "\"k0\":0}"), "k0");
  EXPECT_EQ(DuplicateOf(text + "\"k5000\":0}"), "");
}

TEST(ParseJsonNotingDuplicates, InvalidJsonIsDiscarded) {
  for (std::string_view text : {"{\"a\":1,}", "", "[1] 2", "{\"a\":1,\"a\":"}) {
    EXPECT_TRUE(ParseJsonNotingDuplicates(text).value.is_discarded()) << text;
  }
}

TEST(JsonPaths, PointerEscapesAndDottedPathReadsAsWritten) {
  JsonPath path = {std::string("a/b"), size_t{3}, std::string("m~n")};
  EXPECT_EQ(JsonPointer(path), "/a~1b/3/m~0n");
  EXPECT_EQ(DottedPath(path), "a/b[3].m~n");
  EXPECT_EQ(JsonPointer({}), "");
}

}  // namespace
}  // namespace json_members_test
}  // namespace conform::traffic
