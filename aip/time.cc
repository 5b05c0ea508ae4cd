#include "aip/time.h"

#include <algorithm>
#include <cstdio>

namespace conform::aip {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int32_t kNanosPerSecond = 1000000000;
constexpr int64_t kMaxDurationSeconds = 315576000000;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads `count` decimal digits at text[pos...]; -1 if any is not a digit.
int Digits(std::string_view text, size_t pos, size_t count) {
  int value = 0;
  for (size_t i = 0; i < count; ++i) {
    char c = text[pos + i];
    if (!IsDigit(c)) {
      return -1;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

bool IsLeapYear(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) {
    return 29;
  }
  return kDays[month - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible
// low-level date algorithms").
int64_t DaysFromCivil(int64_t year, int64_t month, int64_t day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

struct CivilDate {
  int64_t year;
  int month;
  int day;
};

CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t mp = (5 * day_of_year + 2) / 153;
  const int64_t day = day_of_year - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return {year, static_cast<int>(month), static_cast<int>(day)};
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) {
    --q;
  }
  return q;
}

// Appends ".fff", ".ffffff" or ".fffffffff" for nanos != 0.
void AppendFraction(std::string& out, int32_t nanos) {
  if (nanos == 0) {
    return;
  }
  char buffer[16];
  if (nanos % 1000000 == 0) {
    std::snprintf(buffer, sizeof(buffer), ".%03d", nanos / 1000000);
  } else if (nanos % 1000 == 0) {
    std::snprintf(buffer, sizeof(buffer), ".%06d", nanos / 1000);
  } else {
    std::snprintf(buffer, sizeof(buffer), ".%09d", nanos);
  }
  out += buffer;
}

}  // namespace

std::optional<Instant> ParseRfc3339(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS is 19 bytes; the shortest offset ("Z") makes 20.
  if (text.size() < 20) {
    return std::nullopt;
  }
  const int year = Digits(text, 0, 4);
  const int month = Digits(text, 5, 2);
  const int day = Digits(text, 8, 2);
  const int hour = Digits(text, 11, 2);
  const int minute = Digits(text, 14, 2);
  const int second = Digits(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
    return std::nullopt;
  }
  if (text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 60) {
    return std::nullopt;
  }
  size_t pos = 19;
  int32_t nanos = 0;
  if (text[pos] == '.') {
    ++pos;
    const size_t first = pos;
    int32_t scale = kNanosPerSecond / 10;
    while (pos < text.size() && IsDigit(text[pos])) {
      nanos += static_cast<int32_t>(text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == first) {
      return std::nullopt;
    }
  }
  if (pos >= text.size()) {
    return std::nullopt;
  }
  int offset_minutes = 0;
  const char zone = text[pos];
  if (zone == 'Z' || zone == 'z') {
    ++pos;
  } else if (zone == '+' || zone == '-') {
    if (text.size() - pos < 6 || text[pos + 3] != ':') {
      return std::nullopt;
    }
    const int offset_hour = Digits(text, pos + 1, 2);
    const int offset_minute = Digits(text, pos + 4, 2);
    if (offset_hour < 0 || offset_minute < 0 || offset_hour > 23 || offset_minute > 59) {
      return std::nullopt;
    }
    offset_minutes = offset_hour * 60 + offset_minute;
    if (zone == '-') {
      offset_minutes = -offset_minutes;
    }
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) {
    return std::nullopt;
  }
  const int minute_of_day = hour * 60 + minute;
  if (second == 60) {
    // A leap second is only inserted at the end of a UTC day.
    const int utc_minute = ((minute_of_day - offset_minutes) % 1440 + 1440) % 1440;
    if (utc_minute != 1439) {
      return std::nullopt;
    }
  }
  const int64_t seconds = DaysFromCivil(year, month, day) * kSecondsPerDay +
                          static_cast<int64_t>(minute_of_day) * 60 + second -
                          static_cast<int64_t>(offset_minutes) * 60;
  return Instant{seconds, nanos};
}

std::string FormatRfc3339(Instant instant, int offset_minutes) {
  offset_minutes = std::clamp(offset_minutes, -(23 * 60 + 59), 23 * 60 + 59);
  const int64_t local = instant.seconds + static_cast<int64_t>(offset_minutes) * 60;
  const int64_t days = FloorDiv(local, kSecondsPerDay);
  const int64_t second_of_day = local - days * kSecondsPerDay;
  const CivilDate date = CivilFromDays(days);
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%04lld-%02d-%02dT%02d:%02d:%02d",
                static_cast<long long>(date.year), date.month, date.day,
                static_cast<int>(second_of_day / 3600), static_cast<int>(second_of_day / 60 % 60),
                static_cast<int>(second_of_day % 60));
  std::string out = buffer;
  AppendFraction(out, instant.nanos);
  if (offset_minutes == 0) {
    out += 'Z';
  } else {
    const int magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    std::snprintf(buffer, sizeof(buffer), "%c%02d:%02d", offset_minutes < 0 ? '-' : '+',
                  magnitude / 60, magnitude % 60);
    out += buffer;
  }
  return out;
}

std::optional<Duration> ParseDuration(std::string_view text) {
  size_t pos = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) {
    ++pos;
  }
  int64_t seconds = 0;
  const size_t first = pos;
  while (pos < text.size() && IsDigit(text[pos])) {
    if (pos - first >= 12) {
      return std::nullopt;  // more than 315576000000 can hold
    }
    seconds = seconds * 10 + (text[pos] - '0');
    ++pos;
  }
  if (pos == first) {
    return std::nullopt;
  }
  int32_t nanos = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const size_t fraction_start = pos;
    int32_t scale = kNanosPerSecond / 10;
    while (pos < text.size() && IsDigit(text[pos])) {
      if (pos - fraction_start >= 9) {
        return std::nullopt;
      }
      nanos += static_cast<int32_t>(text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == fraction_start) {
      return std::nullopt;
    }
  }
  if (pos + 1 != text.size() || text[pos] != 's') {
    return std::nullopt;
  }
  if (seconds > kMaxDurationSeconds || (seconds == kMaxDurationSeconds && nanos != 0)) {
    return std::nullopt;
  }
  if (!negative) {
    return Duration{seconds, nanos};
  }
  if (nanos == 0) {
    return Duration{-seconds, 0};
  }
  return Duration{-seconds - 1, kNanosPerSecond - nanos};
}

std::string FormatDuration(Duration duration) {
  int64_t seconds = duration.seconds;
  int32_t nanos = duration.nanos;
  std::string out;
  if (seconds < 0) {
    out += '-';
    if (nanos != 0) {
      seconds = -(seconds + 1);
      nanos = kNanosPerSecond - nanos;
    } else {
      seconds = -seconds;
    }
  }
  out += std::to_string(seconds);
  AppendFraction(out, nanos);
  out += 's';
  return out;
}

}  // namespace conform::aip
