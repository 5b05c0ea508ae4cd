#include "validator/contract.h"

#include <algorithm>
#include <string>

namespace conform::validator {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) {
      segments.push_back(path.substr(pos));
      break;
    }
    segments.push_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return segments;
}

}  // namespace

std::string_view ParameterLocationName(ParameterLocation in) {
  switch (in) {
    case ParameterLocation::kPath:
      return "path";
    case ParameterLocation::kQuery:
      return "query";
    case ParameterLocation::kHeader:
      return "header";
    case ParameterLocation::kCookie:
      return "cookie";
  }
  return "query";
}

const Parameter* Operation::FindParameter(std::string_view name, ParameterLocation in) const {
  for (const Parameter& parameter : parameters) {
    if (parameter.name == name && parameter.in == in) {
      return &parameter;
    }
  }
  return nullptr;
}

const ResponseSpec* Operation::FindResponse(int status) const {
  std::string exact = std::to_string(status);
  std::string range = std::to_string(status / 100) + "XX";
  const ResponseSpec* by_range = nullptr;
  const ResponseSpec* by_default = nullptr;
  for (const ResponseSpec& response : responses) {
    if (response.status == exact) {
      return &response;
    }
    if (response.status == range || response.status == std::to_string(status / 100) + "xx") {
      by_range = &response;
    }
    if (response.status == "default") {
      by_default = &response;
    }
  }
  if (by_range != nullptr) {
    return by_range;
  }
  // `default` describes errors in AIP-style documents (ours included): a 200 or a 302 must be
  // declared explicitly, unless the operation declares no success response at all.
  bool declares_success = std::any_of(responses.begin(), responses.end(),
                                      [](const ResponseSpec& r) { return !r.status.empty() && r.status[0] == '2'; });
  if (by_default != nullptr && (status >= 400 || !declares_success)) {
    return by_default;
  }
  return nullptr;
}

std::optional<std::vector<std::pair<std::string, std::string>>> Operation::MatchPath(
    std::string_view request_path) const {
  std::vector<std::string_view> want = Segments(path);
  std::vector<std::string_view> got = Segments(request_path);
  if (want.size() != got.size()) {
    return std::nullopt;
  }
  std::vector<std::pair<std::string, std::string>> params;
  for (size_t i = 0; i < want.size(); ++i) {
    std::string_view pattern = want[i];
    std::string_view actual = got[i];
    size_t open = pattern.find('{');
    if (open == std::string_view::npos) {
      if (pattern != actual) {
        return std::nullopt;
      }
      continue;
    }
    // A segment such as "{name}" or "prefix{name}suffix" (e.g. "{job}:cancel").
    size_t close = pattern.find('}', open);
    if (close == std::string_view::npos) {
      return std::nullopt;
    }
    std::string_view prefix = pattern.substr(0, open);
    std::string_view suffix = pattern.substr(close + 1);
    if (actual.size() < prefix.size() + suffix.size() + 1 || actual.substr(0, prefix.size()) != prefix ||
        actual.substr(actual.size() - suffix.size()) != suffix) {
      return std::nullopt;
    }
    params.emplace_back(std::string(pattern.substr(open + 1, close - open - 1)),
                        std::string(actual.substr(prefix.size(), actual.size() - prefix.size() - suffix.size())));
  }
  return params;
}

const Operation* Contract::FindOperation(std::string_view operation_id) const {
  for (const Operation& op : operations) {
    if (op.operation_id == operation_id) {
      return &op;
    }
  }
  return nullptr;
}

const Operation* Contract::MatchOperation(std::string_view method, std::string_view path) const {
  const Operation* best = nullptr;
  size_t best_literals = 0;
  for (const Operation& op : operations) {
    if (op.method.size() != method.size() ||
        !std::equal(op.method.begin(), op.method.end(), method.begin(), [](char a, char b) {
          return std::toupper(static_cast<unsigned char>(a)) == std::toupper(static_cast<unsigned char>(b));
        })) {
      continue;
    }
    if (!op.MatchPath(path)) {
      continue;
    }
    size_t literals = 0;
    for (std::string_view segment : Segments(op.path)) {
      literals += segment.find('{') == std::string_view::npos ? 1 : 0;
    }
    if (best == nullptr || literals > best_literals) {
      best = &op;
      best_literals = literals;
    }
  }
  return best;
}

ParameterStyle DefaultParameterStyle(ParameterLocation in) {
  return in == ParameterLocation::kPath || in == ParameterLocation::kHeader ? ParameterStyle::kSimple
                                                                            : ParameterStyle::kForm;
}

std::string Server::UrlWithDefaults() const {
  std::string out;
  for (size_t at = 0; at < url.size();) {
    size_t left = url.find('{', at);
    size_t right = left == std::string::npos ? left : url.find('}', left);
    if (right == std::string::npos) {
      out += url.substr(at);
      break;
    }
    auto found = variable_defaults.find(url.substr(left + 1, right - left - 1));
    out += url.substr(at, left - at);
    out += found != variable_defaults.end() ? found->second : url.substr(left, right - left + 1);
    at = right + 1;
  }
  return out;
}

}  // namespace conform::validator
