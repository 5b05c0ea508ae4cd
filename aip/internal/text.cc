#include "aip/internal/text.h"

#include <algorithm>
#include <cstdio>

#include "common/utf8.h"

namespace conform::aip::internal {
namespace {

constexpr size_t kMaxQuoted = 64;
constexpr size_t kMaxSuggestLength = 64;

// Length of the valid UTF-8 sequence at text[pos], or 0 if it is not valid.
size_t Utf8SequenceLength(std::string_view text, size_t pos) {
  return conform::Utf8SequenceLength(reinterpret_cast<const unsigned char*>(text.data()),
                                     text.size(), pos);
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      const size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string ColumnWhere(size_t offset) { return "column " + std::to_string(offset + 1); }

Error ErrorAt(size_t offset, std::string message) {
  return InvalidArgument(std::move(message), ColumnWhere(offset));
}

std::optional<Error> ScreenInput(std::string_view text, std::string_view what, size_t max_length) {
  if (text.size() > max_length) {
    return ErrorAt(max_length, std::string(what) + " is " + std::to_string(text.size()) +
                                   " bytes long; the limit is " + std::to_string(max_length));
  }
  size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == '\0') {
      return ErrorAt(pos, "NUL byte in " + std::string(what));
    }
    const size_t length = Utf8SequenceLength(text, pos);
    if (length == 0) {
      return ErrorAt(pos, "invalid UTF-8 in " + std::string(what));
    }
    pos += length;
  }
  return std::nullopt;
}

std::string Quote(std::string_view text) {
  std::string out = "'";
  size_t pos = 0;
  while (pos < text.size() && pos < kMaxQuoted) {
    const auto c = static_cast<unsigned char>(text[pos]);
    const size_t length = Utf8SequenceLength(text, pos);
    if (c < 0x20 || c == 0x7F || length == 0) {
      char buffer[8];
      std::snprintf(buffer, sizeof(buffer), "\\x%02X", c);
      out += buffer;
      ++pos;
      continue;
    }
    out.append(text.substr(pos, length));
    pos += length;
  }
  if (pos < text.size()) {
    out += "...";
  }
  out += "'";
  return out;
}

std::string Suggestion(std::string_view name, const std::vector<std::string_view>& candidates) {
  if (name.size() > kMaxSuggestLength) {
    return "";
  }
  const size_t budget = name.size() <= 4 ? 1 : 2;
  std::string_view best;
  size_t best_distance = budget + 1;
  for (std::string_view candidate : candidates) {
    if (candidate.size() > kMaxSuggestLength) {
      continue;
    }
    const size_t distance = EditDistance(name, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  if (best.empty()) {
    return "";
  }
  return " (did you mean " + Quote(best) + "?)";
}

std::vector<std::string_view> ChildNames(const FieldCatalog& catalog, std::string_view parent) {
  std::vector<std::string_view> names;
  for (const FieldInfo& field : catalog.fields()) {
    std::string_view path = field.path;
    if (parent.empty()) {
      if (path.find('.') == std::string_view::npos) {
        names.push_back(path);
      }
      continue;
    }
    if (path.size() > parent.size() + 1 && path.substr(0, parent.size()) == parent &&
        path[parent.size()] == '.' && path.find('.', parent.size() + 1) == std::string_view::npos) {
      names.push_back(path.substr(parent.size() + 1));
    }
  }
  return names;
}

}  // namespace conform::aip::internal
