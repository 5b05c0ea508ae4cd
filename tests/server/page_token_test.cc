// Page tokens: round trip, strict base64url, tamper-proof signature.
#include "server/page_token.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/internal/base64url.h"
#include "tests/server/server_test_util.h"
#include "tests/support/result_matchers.h"

namespace conform::server {
namespace page_token_test {
namespace {

using Json = nlohmann::json;
using ::testing::HasSubstr;

PageToken Sample() {
  return PageToken{
      .account = "acme",
      .binding = ParameterBinding("state = JOB_STATE_RUNNING", "createTime desc,name", "*"),
      .after = Json::array({"2024-03-01T10:00:00Z", 2.5e-5, nullptr, "accounts/acme/dpoJobs/x"})};
}

TEST(PageTokenCodec, RoundTrips) {
  auto codec = PageTokenCodec::Create(testing::kTestSecret);
  ASSERT_THAT(codec, IsOk());
  PageToken token = Sample();
  EXPECT_THAT(codec->Decode(codec->Encode(token)), IsOkAndHolds(token));
  token.after = nullptr;
  token.offset = 42;
  EXPECT_THAT(codec->Decode(codec->Encode(token)), IsOkAndHolds(token));
}

TEST(PageTokenCodec, TokensAreUrlSafeAndOpaque) {
  auto codec = PageTokenCodec::Create(testing::kTestSecret);
  std::string text = codec->Encode(Sample());
  EXPECT_EQ(
      text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  EXPECT_EQ(text.find("acme"), std::string::npos);
}

TEST(PageTokenCodec, EveryChangedCharacterIsRejected) {
  auto codec = PageTokenCodec::Create(testing::kTestSecret);
  const std::string text = codec->Encode(Sample());
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (size_t i = 0; i < text.size(); ++i) {
    for (char replacement : alphabet) {
      if (replacement == text[i]) {
        continue;
      }
      std::string tampered = text;
      tampered[i] = replacement;
      EXPECT_THAT(codec->Decode(tampered),
                  ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("malformed or tampered")))
          << "position " << i << " -> " << replacement;
    }
  }
}

TEST(PageTokenCodec, TruncatedAndForeignTokensAreRejected) {
  auto codec = PageTokenCodec::Create(testing::kTestSecret);
  auto other = PageTokenCodec::Create("a-different-secret-of-enough-bytes");
  const std::string text = codec->Encode(Sample());
  for (size_t length = 0; length < text.size(); ++length) {
    EXPECT_FALSE(codec->Decode(text.substr(0, length)).ok()) << length;
  }
  EXPECT_FALSE(other->Decode(text).ok());
  EXPECT_FALSE(codec->Decode(text + "A").ok());
  EXPECT_FALSE(codec->Decode(std::string(kMaxPageTokenBytes + 1, 'A')).ok());
}

TEST(PageTokenCodec, SecretsAreCheckedOrRandom) {
  EXPECT_THAT(PageTokenCodec::Create("too-short"),
              ErrorIs(ErrorCode::kInvalidArgument, HasSubstr("16 bytes")));
  auto a = PageTokenCodec::Create("");
  auto b = PageTokenCodec::Create("");
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_FALSE(b->Decode(a->Encode(Sample())).ok());
}

TEST(ParameterBinding, SeparatesTheParameters) {
  EXPECT_NE(ParameterBinding("a,b", "", "*"), ParameterBinding("a", "b", "*"));
  EXPECT_EQ(ParameterBinding("x", "name", "*").size(), 16u);
}

TEST(Base64Url, EncodesWithoutPadding) {
  EXPECT_EQ(internal::Base64UrlEncode(""), "");
  EXPECT_EQ(internal::Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(internal::Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(internal::Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(internal::Base64UrlEncode("\xfb\xff"), "-_8");
}

TEST(Base64Url, DecodesOnlyCanonicalText) {
  EXPECT_EQ(internal::Base64UrlDecode("Zm9v"), "foo");
  EXPECT_EQ(internal::Base64UrlDecode("Zg"), "f");
  EXPECT_EQ(internal::Base64UrlDecode("Zh"), std::nullopt);  // low bits set
  EXPECT_EQ(internal::Base64UrlDecode("Zg=="), std::nullopt);
  EXPECT_EQ(internal::Base64UrlDecode("Z"), std::nullopt);
  EXPECT_EQ(internal::Base64UrlDecode("Zm+v"), std::nullopt);
  EXPECT_EQ(internal::Base64UrlDecode("Zm 9"), std::nullopt);
}

}  // namespace
}  // namespace page_token_test
}  // namespace conform::server
