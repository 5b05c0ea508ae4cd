// RFC 3339 timestamps and protobuf-JSON durations, parsed by hand (no std::regex, tens of
// nanoseconds per call) so the validator can check `format: date-time` on every field and the
// filter/orderBy code can compare instants: the same instant written with different offsets is
// equal.
//   std::optional<aip::Instant> t = aip::ParseRfc3339("2023-11-07T07:31:56+02:00");
//   aip::FormatRfc3339(*t, 0) == "2023-11-07T05:31:56Z"
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace conform::aip {

// A point on the UTC time line: seconds since 1970-01-01T00:00:00Z plus nanoseconds.
// Normalised: 0 <= nanos < 1e9, so the default ordering is chronological.
struct Instant {
  int64_t seconds = 0;
  int32_t nanos = 0;
  auto operator<=>(const Instant&) const = default;
};

// A signed span of time. Normalised like Instant (nanos in [0, 1e9)): -1.5s is {-2, 5e8}, so
// the default ordering is numeric.
struct Duration {
  int64_t seconds = 0;
  int32_t nanos = 0;
  auto operator<=>(const Duration&) const = default;
};

// Parses an RFC 3339 `date-time` ("2023-11-07T05:31:56.5Z", "...+02:00"). Accepts lower-case
// 't'/'z' (RFC 3339 5.6 note) and any number of fraction digits (beyond 9 they are truncated).
// Rejects: missing offset, a space instead of 'T', month 13, Feb 30, Feb 29 of non-leap years,
// hour 24, two-digit years. A leap second (:60) is accepted only at 23:59:60 UTC and reads as
// the first instant of the next day. Returns nullopt on any error.
std::optional<Instant> ParseRfc3339(std::string_view text);

// Formats `instant` as RFC 3339 at a UTC offset of `offset_minutes` (clamped to +-23:59):
// "Z" for 0, else "+hh:mm"/"-hh:mm". Fraction digits: none, 3, 6 or 9, as protobuf does.
// Local years outside 0000-9999 (not RFC 3339) print with a sign or more digits.
std::string FormatRfc3339(Instant instant, int offset_minutes = 0);

// Parses a protobuf-JSON duration: optional '-', decimal seconds with up to 9 fraction digits,
// then 's' ("20s", "3.5s", "-0.25s"). Range +-315576000000s, as google.protobuf.Duration.
std::optional<Duration> ParseDuration(std::string_view text);

// "3.500s" style output: whole seconds, then 0/3/6/9 fraction digits, then 's'.
std::string FormatDuration(Duration duration);

}  // namespace conform::aip
