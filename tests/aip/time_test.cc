#include "aip/time.h"

#include <gtest/gtest.h>

#include <string>

namespace conform::aip {
namespace time_test {
namespace {

struct TimestampCase {
  std::string name;
  std::string text;
  bool valid;
  int64_t seconds = 0;  // when valid
  int32_t nanos = 0;
};

class AipTimeRfc3339Test : public ::testing::TestWithParam<TimestampCase> {};

TEST_P(AipTimeRfc3339Test, ParsesOrRejects) {
  const TimestampCase& c = GetParam();
  std::optional<Instant> parsed = ParseRfc3339(c.text);
  EXPECT_EQ(parsed.has_value(), c.valid) << c.text;
  if (parsed && c.valid) {
    EXPECT_EQ(parsed->seconds, c.seconds) << c.text;
    EXPECT_EQ(parsed->nanos, c.nanos) << c.text;
  }
}

INSTANTIATE_TEST_SUITE_P(
    AipTime, AipTimeRfc3339Test,
    ::testing::Values(
        TimestampCase{"Epoch", "1970-01-01T00:00:00Z", true, 0, 0},
        TimestampCase{"SeedExample", "2023-11-07T05:31:56Z", true, 1699335116, 0},
        TimestampCase{"PositiveOffset", "2023-11-07T07:31:56+02:00", true, 1699335116, 0},
        TimestampCase{"NegativeOffset", "2023-11-07T00:01:56-05:30", true, 1699335116, 0},
        TimestampCase{"LowerCaseTAndZ", "2023-11-07t05:31:56z", true, 1699335116, 0},
        TimestampCase{"Millis", "2023-11-07T05:31:56.123Z", true, 1699335116, 123000000},
        TimestampCase{"Nanos", "2023-11-07T05:31:56.123456789Z", true, 1699335116, 123456789},
        TimestampCase{"FractionPastNanosTruncated", "2023-11-07T05:31:56.1234567891Z", true,
                      1699335116, 123456789},
        TimestampCase{"BeforeEpoch", "1969-12-31T23:59:59.5Z", true, -1, 500000000},
        TimestampCase{"LeapDay2020", "2020-02-29T00:00:00Z", true, 1582934400, 0},
        TimestampCase{"LeapDay2000", "2000-02-29T00:00:00Z", true, 951782400, 0},
        TimestampCase{"LeapSecondAtUtcMidnight", "2016-12-31T23:59:60Z", true, 1483228800, 0},
        TimestampCase{"LeapSecondWithOffset", "2016-12-31T15:59:60-08:00", true, 1483228800, 0},
        TimestampCase{"YearZero", "0000-01-01T00:00:00Z", true, -62167219200, 0},
        TimestampCase{"Year9999", "9999-12-31T23:59:59Z", true, 253402300799, 0},
        TimestampCase{"MonthThirteen", "2023-13-01T00:00:00Z", false},
        TimestampCase{"MonthZero", "2023-00-01T00:00:00Z", false},
        TimestampCase{"February30", "2023-02-30T00:00:00Z", false},
        TimestampCase{"February29NonLeap", "2023-02-29T00:00:00Z", false},
        TimestampCase{"February29Year1900", "1900-02-29T00:00:00Z", false},
        TimestampCase{"April31", "2023-04-31T00:00:00Z", false},
        TimestampCase{"DayZero", "2023-04-00T00:00:00Z", false},
        TimestampCase{"Hour24", "2023-11-07T24:00:00Z", false},
        TimestampCase{"Minute60", "2023-11-07T05:60:00Z", false},
        TimestampCase{"LeapSecondMidDay", "2023-11-07T05:31:60Z", false},
        TimestampCase{"MissingOffset", "2023-11-07T05:31:56", false},
        TimestampCase{"SpaceInsteadOfT", "2023-11-07 05:31:56Z", false},
        TimestampCase{"DateOnly", "2023-11-07", false},
        TimestampCase{"EmptyFraction", "2023-11-07T05:31:56.Z", false},
        TimestampCase{"OffsetWithoutColon", "2023-11-07T05:31:56+0200", false},
        TimestampCase{"OffsetHour24", "2023-11-07T05:31:56+24:00", false},
        TimestampCase{"TrailingGarbage", "2023-11-07T05:31:56Zx", false},
        TimestampCase{"TwoDigitYear", "23-11-07T05:31:56Z", false},
        TimestampCase{"Empty", "", false},
        TimestampCase{"SignedDigits", "2023-+1-07T05:31:56Z", false}),
    [](const auto& test) { return test.param.name; });

TEST(AipTime, SameInstantWithDifferentOffsetsIsEqual) {
  EXPECT_EQ(ParseRfc3339("2023-11-07T05:31:56Z"), ParseRfc3339("2023-11-07T07:31:56+02:00"));
  EXPECT_LT(*ParseRfc3339("2023-11-07T05:31:56Z"), *ParseRfc3339("2023-11-07T06:31:56+00:59"));
}

TEST(AipTime, FormatsAtOffsetsWithProtobufFractionDigits) {
  const Instant t{1699335116, 0};
  EXPECT_EQ(FormatRfc3339(t), "2023-11-07T05:31:56Z");
  EXPECT_EQ(FormatRfc3339(t, 120), "2023-11-07T07:31:56+02:00");
  EXPECT_EQ(FormatRfc3339(t, -330), "2023-11-07T00:01:56-05:30");
  EXPECT_EQ(FormatRfc3339({0, 500000000}), "1970-01-01T00:00:00.500Z");
  EXPECT_EQ(FormatRfc3339({0, 500}), "1970-01-01T00:00:00.000000500Z");
  EXPECT_EQ(FormatRfc3339({0, 123456000}), "1970-01-01T00:00:00.123456Z");
  EXPECT_EQ(FormatRfc3339({-1, 500000000}), "1969-12-31T23:59:59.500Z");
}

struct DurationCase {
  std::string name;
  std::string text;
  bool valid;
  int64_t seconds = 0;
  int32_t nanos = 0;
};

class AipTimeDurationTest : public ::testing::TestWithParam<DurationCase> {};

TEST_P(AipTimeDurationTest, ParsesOrRejects) {
  const DurationCase& c = GetParam();
  std::optional<Duration> parsed = ParseDuration(c.text);
  EXPECT_EQ(parsed.has_value(), c.valid) << c.text;
  if (parsed && c.valid) {
    EXPECT_EQ(parsed->seconds, c.seconds) << c.text;
    EXPECT_EQ(parsed->nanos, c.nanos) << c.text;
  }
}

INSTANTIATE_TEST_SUITE_P(
    AipTime, AipTimeDurationTest,
    ::testing::Values(DurationCase{"Whole", "20s", true, 20, 0},
                      DurationCase{"Fraction", "3.5s", true, 3, 500000000},
                      DurationCase{"Nanos", "0.000000001s", true, 0, 1},
                      DurationCase{"Negative", "-1.5s", true, -2, 500000000},
                      DurationCase{"NegativeWhole", "-3s", true, -3, 0},
                      DurationCase{"Zero", "0s", true, 0, 0},
                      DurationCase{"Max", "315576000000s", true, 315576000000, 0},
                      DurationCase{"OverMax", "315576000001s", false},
                      DurationCase{"TenFractionDigits", "1.0000000001s", false},
                      DurationCase{"NoUnit", "3.5", false}, DurationCase{"Minutes", "3m", false},
                      DurationCase{"NoDigits", "s", false},
                      DurationCase{"EmptyFraction", "3.s", false},
                      DurationCase{"PlusSign", "+3s", false}, DurationCase{"Empty", "", false}),
    [](const auto& test) { return test.param.name; });

TEST(AipTime, DurationsOrderNumerically) {
  EXPECT_LT(*ParseDuration("-1.5s"), *ParseDuration("-1.2s"));
  EXPECT_LT(*ParseDuration("-0.5s"), *ParseDuration("0s"));
  EXPECT_LT(*ParseDuration("3s"), *ParseDuration("3.5s"));
  EXPECT_EQ(*ParseDuration("3.5s"), *ParseDuration("3.500s"));
}

TEST(AipTime, FormatsDurations) {
  EXPECT_EQ(FormatDuration({3, 500000000}), "3.500s");
  EXPECT_EQ(FormatDuration({-2, 500000000}), "-1.500s");
  EXPECT_EQ(FormatDuration({-3, 0}), "-3s");
  EXPECT_EQ(FormatDuration({0, 1}), "0.000000001s");
}

}  // namespace
}  // namespace time_test
}  // namespace conform::aip
