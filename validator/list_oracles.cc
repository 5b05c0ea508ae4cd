#include "validator/list_oracles.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "aip/values.h"
#include "common/ascii.h"
#include "traffic/redact.h"
#include "validator/exchange_validator.h"
#include "validator/rpc_codes.h"

namespace conform::validator {
namespace {

using Json = nlohmann::json;

// Where item `index` of the walk lives.
struct ItemPosition {
  size_t page;
  size_t offset;
};

std::vector<ItemPosition> Positions(const Walk& walk) {
  std::vector<ItemPosition> positions;
  for (size_t p = 0; p < walk.pages.size(); ++p) {
    for (size_t i = 0; i < walk.pages[p].items.size(); ++i) {
      positions.push_back({p, i});
    }
  }
  return positions;
}

std::string Where(const ItemPosition& position) {
  return "page " + std::to_string(position.page + 1) + ", item " + std::to_string(position.offset + 1);
}

std::string Pointer(const Walk& walk, const ItemPosition& position) {
  return walk.pages[position.page].items_pointer + "/" + std::to_string(position.offset);
}

Finding WalkFinding(std::string_view id, std::string message, const Walk& walk, size_t upto_page) {
  Finding finding = MakeFinding(id, std::move(message));
  finding.requests = walk.RequestsUpTo(upto_page);
  return finding;
}

// Where a resource without the field (absent or null, or below an absent message) sorts.
// AIP-132 does not say. A proto3 service reads it as the field's default ("" and 0 sort
// early, an unset timestamp first); a SQL-backed one as NULL: after every value in
// PostgreSQL (last ascending, first descending), before in MySQL and SQLite, and some put
// NULLs last (or first) whichever the direction.
enum class AbsentOrder { kAsDefault, kSmallest, kLargest, kFirst, kLast };

struct OrderMode {
  aip::EnumOrder enums;
  bool fold_case;
  AbsentOrder absent;
};

// -1/0/1, or 2 when the pair cannot be judged (a value of the wrong type on this key).
int CompareKey(const aip::OrderKey& key, const Json& a, const Json& b, const OrderMode& mode) {
  const bool descending = key.direction == aip::SortDirection::kDescending;
  const Json* left_node = aip::FindPath(a, key.field.path);
  const Json* right_node = aip::FindPath(b, key.field.path);
  AbsentOrder absent = mode.absent;
  const bool either_absent = left_node == nullptr || right_node == nullptr;
  if (either_absent && absent == AbsentOrder::kAsDefault &&
      std::holds_alternative<aip::Unset>(aip::ReadValue(nullptr, key.field))) {
    absent = AbsentOrder::kSmallest;  // no default (a timestamp): unset sorts before every value
  }
  if (either_absent && absent != AbsentOrder::kAsDefault) {
    if (left_node == right_node) {
      return 0;  // neither has it: tied on this key
    }
    const int absent_goes =  // -1: the resource without the field comes first
        absent == AbsentOrder::kFirst      ? -1
        : absent == AbsentOrder::kLast     ? 1
        : absent == AbsentOrder::kSmallest ? (descending ? 1 : -1)
                                           : (descending ? -1 : 1);
    return left_node == nullptr ? absent_goes : -absent_goes;
  }
  aip::Value left = aip::ReadValue(left_node, key.field);
  aip::Value right = aip::ReadValue(right_node, key.field);
  if (std::holds_alternative<aip::Unset>(left) || std::holds_alternative<aip::Unset>(right)) {
    return 2;
  }
  int c = 0;
  if (mode.fold_case && std::holds_alternative<std::string>(left) && std::holds_alternative<std::string>(right)) {
    std::string l = AsciiLower(std::get<std::string>(left));
    std::string r = AsciiLower(std::get<std::string>(right));
    c = l < r ? -1 : (l > r ? 1 : 0);
  } else {
    c = aip::CompareValues(left, right, {.enum_order = mode.enums});
  }
  return descending ? -c : c;
}

// The first adjacent pair out of order under `mode`, as the index of the second item.
std::optional<size_t> FirstInversion(const std::vector<const Json*>& items, const aip::OrderBy& order_by,
                                     const OrderMode& mode) {
  for (size_t i = 1; i < items.size(); ++i) {
    for (const aip::OrderKey& key : order_by.keys) {
      int c = CompareKey(key, *items[i - 1], *items[i], mode);
      if (c == 0) {
        continue;
      }
      if (c == 1) {
        return i;
      }
      break;  // -1 (in order) or 2 (cannot judge): later keys do not matter
    }
  }
  return std::nullopt;
}

std::string DescribeKeys(const aip::OrderBy& order_by, const Json& item) {
  std::string out = ItemLabel(item);
  for (const aip::OrderKey& key : order_by.keys) {
    if (key.field.path == kResourceName) {
      continue;
    }
    const Json* node = aip::FindPath(item, key.field.path);
    out +=
        ", " + key.field.path +
        (node == nullptr ? " absent" : "=" + aip::DescribeValue(aip::ReadValue(node, key.field)));
  }
  return out;
}

}  // namespace

void CheckTermination(const Walk& walk, std::vector<Finding>& out) {
  if (walk.end != WalkEnd::kCycle && walk.end != WalkEnd::kRunaway) {
    return;
  }
  Finding finding = WalkFinding("page_walk.terminates",
                                "following nextPageToken never ends: " + walk.end_detail, walk,
                                walk.pages.empty() ? 0 : walk.pages.size() - 1);
  finding.expected = "a last page without nextPageToken";
  finding.actual = std::string(WalkEndName(walk.end)) + " after " + std::to_string(walk.pages.size()) + " pages";
  // A long walk makes a long reproduction: the first pages and the last one show it.
  if (finding.requests.size() > 6) {
    std::vector<traffic::Request> shortened(finding.requests.begin(), finding.requests.begin() + 3);
    shortened.insert(shortened.end(), finding.requests.end() - 2, finding.requests.end());
    finding.requests = std::move(shortened);
  }
  out.push_back(std::move(finding));
}

void CheckDisjoint(const Walk& walk, std::vector<Finding>& out) {
  std::unordered_map<std::string, ItemPosition> seen;
  std::vector<ItemPosition> positions = Positions(walk);
  std::vector<const Json*> items = walk.Items();
  size_t reported = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    std::string key = ItemKey(*items[i]);
    auto [it, inserted] = seen.emplace(key, positions[i]);
    if (inserted) {
      continue;
    }
    if (++reported > 3) {
      break;  // the first few duplicates make the point
    }
    Finding finding = WalkFinding("page_walk.disjoint",
                                  "'" + ItemLabel(*items[i]) + "' appears twice: at " +
                                      Where(it->second) + " and again at " + Where(positions[i]),
                                  walk, positions[i].page);
    finding.expected = "each resource once per walk";
    finding.actual = "repeated at " + Where(positions[i]);
    out.push_back(std::move(finding));
  }
}

void CheckPageSizesRespected(const Walk& walk, int64_t max_page_size, std::vector<Finding>& out) {
  for (size_t p = 0; p < walk.pages.size(); ++p) {
    const Page& page = walk.pages[p];
    int64_t limit = max_page_size;
    if (page.requested_size && *page.requested_size > 0) {
      limit = std::min(limit, *page.requested_size);
    }
    if (static_cast<int64_t>(page.items.size()) <= limit) {
      continue;
    }
    Finding finding = WalkFinding("page_size.respected",
                                  "page " + std::to_string(p + 1) + " holds " + std::to_string(page.items.size()) +
                                      " items, more than " + std::to_string(limit),
                                  walk, p);
    finding.expected = "at most " + std::to_string(limit) + " items";
    finding.actual = std::to_string(page.items.size()) + " items";
    finding.json_pointer = "";
    out.push_back(std::move(finding));
    return;
  }
}

void CheckTotalSize(const Walk& walk, std::vector<Finding>& out) {
  std::optional<int64_t> first;
  size_t first_page = 0;
  for (size_t p = 0; p < walk.pages.size(); ++p) {
    const Page& page = walk.pages[p];
    if (!page.total_size) {
      continue;
    }
    if (!first) {
      first = page.total_size;
      first_page = p;
      continue;
    }
    if (*page.total_size != *first) {
      Finding finding = WalkFinding("total_size.stable",
                                    "totalSize changes during the walk: " + std::to_string(*first) + " on page " +
                                        std::to_string(first_page + 1) + ", " + std::to_string(*page.total_size) +
                                        " on page " + std::to_string(p + 1),
                                    walk, p);
      finding.expected = std::to_string(*first);
      finding.actual = std::to_string(*page.total_size);
      out.push_back(std::move(finding));
      break;  // one instability makes the point; the count below is judged on its own
    }
  }
  if (!first || !walk.complete()) {
    return;
  }
  size_t walked = walk.Items().size();
  if (static_cast<int64_t>(walked) != *first) {
    Finding finding = WalkFinding("total_size.matches_walk",
                                  "totalSize says " + std::to_string(*first) + " but walking every page gives " +
                                      std::to_string(walked) + " items",
                                  walk, walk.pages.size() - 1);
    finding.expected = std::to_string(walked);
    finding.actual = std::to_string(*first);
    out.push_back(std::move(finding));
  }
}

void CheckLastPageToken(const Walk& walk, std::vector<Finding>& out) {
  if (!walk.complete() || walk.pages.size() < 2) {
    return;
  }
  const Page& last = walk.pages.back();
  const Page& before = walk.pages[walk.pages.size() - 2];
  if (!last.items.empty() || before.items.empty()) {
    return;
  }
  Finding finding = WalkFinding("page_walk.last_page_token",
                                "the page holding the last items had a nextPageToken that only leads to an empty page",
                                walk, walk.pages.size() - 1);
  finding.expected = "no nextPageToken on page " + std::to_string(walk.pages.size() - 1);
  finding.actual = "a token, then an empty page";
  out.push_back(std::move(finding));
}

void CheckOrder(const Walk& walk, const aip::OrderBy& order_by, std::string_view check_id,
                std::vector<Finding>& out) {
  if (order_by.empty()) {
    return;
  }
  std::vector<const Json*> items = walk.Items();
  // Enums by declaration, by protobuf number (google.rpc.Code declares UNAUTHENTICATED = 16
  // after PERMISSION_DENIED = 7) or by name; strings with or without case folding; resources
  // without the field where proto3 or a database puts them. The first mode is the reference
  // server's, so a correct walk costs one pass.
  std::vector<OrderMode> modes;
  for (AbsentOrder absent : {AbsentOrder::kAsDefault, AbsentOrder::kSmallest, AbsentOrder::kLargest,
                             AbsentOrder::kFirst, AbsentOrder::kLast}) {
    for (bool fold_case : {false, true}) {
      for (aip::EnumOrder enums :
           {aip::EnumOrder::kDeclaration, aip::EnumOrder::kNumber, aip::EnumOrder::kName}) {
        modes.push_back({enums, fold_case, absent});
      }
    }
  }
  std::optional<size_t> inversion = FirstInversion(items, order_by, modes[0]);
  if (!inversion) {
    return;
  }
  for (size_t m = 1; m < modes.size(); ++m) {
    if (!FirstInversion(items, order_by, modes[m])) {
      return;  // consistent with another ordering AIP-132 leaves open
    }
  }
  std::vector<ItemPosition> positions = Positions(walk);
  const ItemPosition& at = positions[*inversion];
  const ItemPosition& before = positions[*inversion - 1];
  bool across = at.page != before.page;
  Finding finding = WalkFinding(
      check_id,
      std::string(across ? "across pages " + std::to_string(before.page + 1) + "-" + std::to_string(at.page + 1)
                         : "on page " + std::to_string(at.page + 1)) +
          ": " + Where(at) + " sorts before " + Where(before) + " by orderBy '" + aip::Print(order_by) + "'",
      walk, at.page);
  finding.expected = DescribeKeys(order_by, *items[*inversion]) + " before " +
                     DescribeKeys(order_by, *items[*inversion - 1]);
  finding.actual = "the other way round";
  out.push_back(std::move(finding));
}

FilteredCount CountMatching(const std::vector<const Json*>& items, const aip::Filter& filter) {
  FilteredCount count;
  for (const Json* item : items) {
    std::optional<bool> matches = aip::MatchesUnambiguously(filter, *item);
    count.definite += matches.value_or(false) ? 1 : 0;
    count.ambiguous += matches ? 0 : 1;
  }
  return count;
}

std::string FilteredCount::Describe() const {
  return ambiguous == 0 ? std::to_string(definite)
                        : std::to_string(definite) + " to " + std::to_string(definite + ambiguous);
}

void CheckFilterSound(const Walk& walk, const aip::Filter& filter, std::vector<Finding>& out) {
  std::vector<ItemPosition> positions = Positions(walk);
  std::vector<const Json*> items = walk.Items();
  for (size_t i = 0; i < items.size(); ++i) {
    // Either answer is right where AIP-160 leaves it open (a comparison with an unset value).
    if (aip::MatchesUnambiguously(filter, *items[i]).value_or(true)) {
      continue;
    }
    Finding finding = WalkFinding("filter.sound",
                                  "'" + ItemLabel(*items[i]) + "' (" + Where(positions[i]) +
                                      ") does not satisfy the filter '" + aip::Print(filter) + "'",
                                  walk, positions[i].page);
    finding.json_pointer = Pointer(walk, positions[i]);
    finding.expected = "only resources matching " + aip::Print(filter);
    finding.actual = ItemLabel(*items[i]);
    out.push_back(std::move(finding));
    return;
  }
}

void CheckFilterComplete(const Walk& filtered, const Walk& all, const aip::Filter& filter,
                         std::vector<Finding>& out) {
  if (!filtered.complete() || !all.complete()) {
    return;
  }
  std::unordered_set<std::string> returned;
  for (const Json* item : filtered.Items()) {
    returned.insert(ItemKey(*item));
  }
  size_t missing = 0;
  std::string first_missing;
  for (const Json* item : all.Items()) {
    if (aip::MatchesUnambiguously(filter, *item).value_or(false) &&
        returned.count(ItemKey(*item)) == 0) {
      if (missing++ == 0) {
        first_missing = ItemLabel(*item);
      }
    }
  }
  if (missing == 0) {
    return;
  }
  Finding finding = WalkFinding("filter.complete",
                                std::to_string(missing) + " resources satisfy the filter '" + aip::Print(filter) +
                                    "' but are not returned with it (first: '" + first_missing + "')",
                                filtered, filtered.pages.size() - 1);
  finding.expected = std::to_string(returned.size() + missing) + " resources";
  finding.actual = std::to_string(returned.size()) + " resources";
  out.push_back(std::move(finding));
}

void CheckSameSequence(const Walk& a, const Walk& b, std::string_view check_id, const std::string& what,
                       std::vector<Finding>& out) {
  if (!a.complete() || !b.complete()) {
    return;
  }
  std::vector<const Json*> left = a.Items();
  std::vector<const Json*> right = b.Items();
  std::vector<ItemPosition> left_positions = Positions(a);
  std::vector<ItemPosition> right_positions = Positions(b);
  // The pages of both walks up to item `i` (or to their ends) are the whole reproduction.
  auto requests_to = [&](size_t i) {
    std::vector<traffic::Request> requests =
        a.RequestsUpTo(i < left_positions.size() ? left_positions[i].page : a.pages.size() - 1);
    for (const traffic::Request& request :
         b.RequestsUpTo(i < right_positions.size() ? right_positions[i].page : b.pages.size() - 1)) {
      requests.push_back(request);
    }
    return requests;
  };
  size_t common = std::min(left.size(), right.size());
  for (size_t i = 0; i < common; ++i) {
    if (ItemKey(*left[i]) == ItemKey(*right[i])) {
      continue;
    }
    Finding finding =
        MakeFinding(check_id, what + ": item " + std::to_string(i + 1) + " differs ('" +
                                  ItemLabel(*left[i]) + "' vs '" + ItemLabel(*right[i]) + "')");
    finding.expected = ItemLabel(*left[i]);
    finding.actual = ItemLabel(*right[i]);
    finding.requests = requests_to(i);
    out.push_back(std::move(finding));
    return;
  }
  if (left.size() != right.size()) {
    Finding finding = MakeFinding(check_id, what + ": " + std::to_string(left.size()) + " items vs " +
                                                std::to_string(right.size()) + " items");
    finding.expected = std::to_string(left.size()) + " items";
    finding.actual = std::to_string(right.size()) + " items";
    finding.requests = requests_to(common);
    out.push_back(std::move(finding));
  }
}

// ---- Invariants added with conform fuzz ---------------------------------------------------

// Whether an error response says INVALID_ARGUMENT in either JSON shape (a 400 whose body is
// not a google.rpc.Status still counts: that is response.error.shape's finding).
bool SaysInvalidArgument(const traffic::Exchange& exchange) {
  if (exchange.response.status != 400) {
    return false;
  }
  Json body = Json::parse(exchange.response.body, nullptr, false);
  std::optional<RpcStatus> status = ReadRpcStatus(body);
  if (!status) {
    return true;
  }
  if (status->shape == RpcStatus::Shape::kGrpcGateway) {
    return status->code == rpc::kInvalidArgument;
  }
  return status->status.empty() || status->status == "INVALID_ARGUMENT";
}

// "400 INVALID_ARGUMENT", "200", or the transport error.
std::string StatusLine(const traffic::Exchange& exchange) {
  if (!exchange.error.empty()) {
    return exchange.error;
  }
  std::string text = std::to_string(exchange.response.status);
  // A success of megabytes is a page, not a google.rpc.Status: parsing it only to find none
  // took seconds for each line naming a 10 MB answer. Errors are named whatever their size.
  constexpr size_t kLargestSuccessParsed = 64 * 1024;
  if (exchange.response.status < 300 && exchange.response.body.size() > kLargestSuccessParsed) {
    return text;
  }
  Json body = Json::parse(exchange.response.body, nullptr, false);
  if (std::optional<RpcStatus> status = ReadRpcStatus(body)) {
    if (status->shape == RpcStatus::Shape::kGrpcGateway && !RpcCodeName(status->code).empty()) {
      text += " " + std::string(RpcCodeName(status->code));
    } else if (!status->status.empty()) {
      text += " " + status->status;
    }
  }
  return text;
}

namespace {


Finding ExchangeFinding(std::string_view id, std::string message,
                        const traffic::Exchange& exchange) {
  Finding finding = MakeFinding(id, std::move(message));
  finding.requests.push_back(exchange.request);
  return finding;
}

bool NoResponse(const traffic::Exchange& exchange) {
  return !exchange.error.empty() && exchange.response.status == 0;
}

}  // namespace

void CheckDefaultPageSize(const Walk& walk, int64_t default_page_size, std::vector<Finding>& out) {
  for (size_t p = 0; p < walk.pages.size(); ++p) {
    const Page& page = walk.pages[p];
    bool defaulted = !page.requested_size || *page.requested_size == 0;
    if (!defaulted || !page.ok()) {
      continue;
    }
    auto held = static_cast<int64_t>(page.items.size());
    bool too_many = held > default_page_size;
    bool too_few = page.has_more() && held != default_page_size;
    if (!too_many && !too_few) {
      continue;
    }
    std::string asked = page.requested_size ? "pageSize=0" : "no pageSize";
    // More than the default breaks it; fewer while more remain is allowed by AIP-158 ("may
    // return fewer results") but not what the documented default promises.
    Finding finding = WalkFinding(
        too_many ? "page_size.default" : "page_size.default_filled",
        "page " + std::to_string(p + 1) + " (" + asked + ") holds " + std::to_string(held) +
            " items" + (page.has_more() ? " and has a next page" : "") +
            "; the default page size is " + std::to_string(default_page_size),
        walk, p);
    finding.expected = too_many ? "at most " + std::to_string(default_page_size) + " items"
                                : std::to_string(default_page_size) + " items while more remain";
    finding.actual = std::to_string(held) + " items";
    out.push_back(std::move(finding));
    return;
  }
}

void CheckNextTokenOmittedAtEnd(const Walk& walk, std::vector<Finding>& out) {
  if (!walk.complete() || walk.pages.empty()) {
    return;
  }
  const Page& last = walk.pages.back();
  if (!last.next_token.has_value() || !last.next_token->empty()) {
    return;
  }
  Finding finding = WalkFinding("page_walk.last_page_token",
                                "the last page carries an empty next page token (\"\") instead "
                                "of omitting it",
                                walk, walk.pages.size() - 1);
  finding.expected = "no nextPageToken member on the last page";
  finding.actual = "\"\"";
  out.push_back(std::move(finding));
}

void CheckNoErrorPage(const Walk& walk, std::string_view check_id, const std::string& what,
                      std::vector<Finding>& out) {
  if (walk.end != WalkEnd::kErrorPage || walk.pages.empty()) {
    return;
  }
  const Page& last = walk.pages.back();
  if (NoResponse(last.exchange)) {
    return;
  }
  Finding finding = WalkFinding(check_id,
                                what + ": page " + std::to_string(walk.pages.size()) +
                                    " was answered " + StatusLine(last.exchange),
                                walk, walk.pages.size() - 1);
  finding.expected = "200 with a page of resources";
  finding.actual = StatusLine(last.exchange);
  out.push_back(std::move(finding));
}

void CheckPrefixOf(const Walk& walk, const Walk& reference, std::string_view check_id,
                   const std::string& what, std::vector<Finding>& out) {
  if (!reference.complete()) {
    return;
  }
  std::vector<const Json*> got = walk.Items();
  std::vector<const Json*> want = reference.Items();
  std::vector<ItemPosition> positions = Positions(walk);
  for (size_t i = 0; i < got.size(); ++i) {
    bool beyond = i >= want.size();
    if (!beyond && ItemKey(*got[i]) == ItemKey(*want[i])) {
      continue;
    }
    Finding finding = WalkFinding(
        check_id,
        what + ": item " + std::to_string(i + 1) + " (" + Where(positions[i]) + ") is '" +
            ItemLabel(*got[i]) + "'" +
            (beyond ? ", but the collection has only " + std::to_string(want.size()) + " items"
                    : ", expected '" + ItemLabel(*want[i]) + "'"),
        walk, positions[i].page);
    finding.expected = beyond ? "no item " + std::to_string(i + 1) : ItemLabel(*want[i]);
    finding.actual = ItemLabel(*got[i]);
    out.push_back(std::move(finding));
    return;
  }
  if (walk.complete() && got.size() < want.size()) {
    Finding finding = WalkFinding(check_id,
                                  what + ": the walk ended after " + std::to_string(got.size()) +
                                      " items, before '" + ItemLabel(*want[got.size()]) + "'",
                                  walk, walk.pages.empty() ? 0 : walk.pages.size() - 1);
    finding.expected = std::to_string(want.size()) + " items";
    finding.actual = std::to_string(got.size()) + " items";
    out.push_back(std::move(finding));
  }
}

void CheckSameItems(const Walk& a, const Walk& b, std::string_view check_id,
                    const std::string& what, std::vector<Finding>& out) {
  if (!a.complete() || !b.complete()) {
    return;
  }
  std::unordered_map<std::string, int> counts;
  for (const Json* item : a.Items()) {
    ++counts[ItemKey(*item)];
  }
  for (const Json* item : b.Items()) {
    --counts[ItemKey(*item)];
  }
  std::vector<std::string> missing;
  std::vector<std::string> extra;
  for (const auto& [key, count] : counts) {
    if (count > 0) {
      missing.push_back(key);
    } else if (count < 0) {
      extra.push_back(key);
    }
  }
  if (missing.empty() && extra.empty()) {
    return;
  }
  std::sort(missing.begin(), missing.end());
  std::sort(extra.begin(), extra.end());
  std::string message = what + ": ";
  if (!missing.empty()) {
    message += std::to_string(missing.size()) + " missing (first: '" + missing.front() + "')";
  }
  if (!extra.empty()) {
    message += std::string(missing.empty() ? "" : ", ") + std::to_string(extra.size()) +
               " unexpected or repeated (first: '" + extra.front() + "')";
  }
  Finding finding = MakeFinding(check_id, message);
  finding.expected = std::to_string(a.Items().size()) + " items";
  finding.actual = std::to_string(b.Items().size()) + " items";
  finding.requests = b.RequestsUpTo(b.pages.empty() ? 0 : b.pages.size() - 1);
  out.push_back(std::move(finding));
}

void CheckWalkCovers(const Walk& walk, const std::vector<std::string>& keys,
                     std::vector<Finding>& out) {
  if (!walk.complete()) {
    return;
  }
  std::unordered_set<std::string> returned;
  for (const Json* item : walk.Items()) {
    returned.insert(ItemKey(*item));
  }
  size_t missing = 0;
  std::string first;
  for (const std::string& key : keys) {
    if (returned.count(key) == 0 && missing++ == 0) {
      first = key;
    }
  }
  if (missing == 0) {
    return;
  }
  Finding finding = WalkFinding("page_walk.complete",
                                std::to_string(missing) +
                                    " resources that existed during the whole walk were never "
                                    "returned (first: '" +
                                    first + "')",
                                walk, walk.pages.empty() ? 0 : walk.pages.size() - 1);
  finding.expected = "each of the " + std::to_string(keys.size()) + " resources once";
  finding.actual = std::to_string(missing) + " never returned";
  out.push_back(std::move(finding));
}

void CheckNextTokenIffMore(const Walk& walk, size_t page_index, size_t remaining,
                           std::vector<Finding>& out) {
  if (page_index >= walk.pages.size() || !walk.pages[page_index].ok()) {
    return;
  }
  const Page& page = walk.pages[page_index];
  std::string where = "page " + std::to_string(page_index + 1);
  if (!page.has_more() && remaining > 0) {
    Finding finding =
        WalkFinding("page_walk.complete",
                    where + " has no nextPageToken, but " + std::to_string(remaining) +
                        " resources came after its last item",
                    walk, page_index);
    finding.expected = "a nextPageToken";
    finding.actual = "none, with " + std::to_string(remaining) + " resources left";
    out.push_back(std::move(finding));
  } else if (page.has_more() && remaining == 0) {
    Finding finding = WalkFinding(
        "page_walk.last_page_token",
        where + " has a nextPageToken, but no resource came after its last item", walk, page_index);
    finding.expected = "no nextPageToken at the end of the collection";
    finding.actual = "a nextPageToken";
    out.push_back(std::move(finding));
  }
}

void CheckFilteredTotalSize(const Walk& filtered, const Walk& all, const aip::Filter& filter,
                            std::vector<Finding>& out) {
  if (!all.complete()) {
    return;
  }
  FilteredCount count = CountMatching(all.Items(), filter);
  for (size_t p = 0; p < filtered.pages.size(); ++p) {
    const Page& page = filtered.pages[p];
    if (!page.total_size || count.Allows(*page.total_size)) {
      continue;
    }
    std::string with =
        filter.empty() ? "without a filter" : "with filter '" + aip::Print(filter) + "'";
    Finding finding = WalkFinding("total_size.filtered",
                                  with + ", totalSize is " + std::to_string(*page.total_size) +
                                      " on page " + std::to_string(p + 1) + " but " +
                                      count.Describe() + " resources match",
                                  filtered, p);
    finding.expected = count.Describe();
    finding.actual = std::to_string(*page.total_size);
    out.push_back(std::move(finding));
    return;
  }
}

void CheckSamePage(const Page& first, const Page& second, std::vector<Finding>& out) {
  if (NoResponse(first.exchange) || NoResponse(second.exchange)) {
    return;
  }
  std::string differs;
  if (first.exchange.response.status != second.exchange.response.status) {
    differs = "status " + std::to_string(first.exchange.response.status) + " then " +
              std::to_string(second.exchange.response.status);
  } else if (first.items.size() != second.items.size()) {
    differs = std::to_string(first.items.size()) + " resources then " +
              std::to_string(second.items.size());
  } else if (first.items != second.items) {
    for (size_t i = 0; i < first.items.size(); ++i) {
      if (first.items[i] != second.items[i]) {
        differs = "resource " + std::to_string(i + 1) + " differs ('" + ItemLabel(first.items[i]) +
                  "' then '" + ItemLabel(second.items[i]) + "')";
        break;
      }
    }
  } else if (first.total_size != second.total_size) {
    differs = "totalSize differs";
  } else if (first.has_more() != second.has_more()) {
    differs = first.has_more() ? "the second answer has no next page"
                               : "the second answer has a next page";
  }
  if (differs.empty()) {
    return;
  }
  Finding finding = MakeFinding("reads.idempotent",
                                "the same request twice returned different pages: " + differs);
  finding.expected = "the same page both times";
  finding.actual = differs;
  finding.requests = {first.exchange.request, second.exchange.request};
  out.push_back(std::move(finding));
}

void CheckInvalidArgument(const traffic::Exchange& exchange, std::string_view check_id,
                          const std::string& what, std::vector<Finding>& out) {
  if (NoResponse(exchange) || SaysInvalidArgument(exchange)) {
    return;
  }
  Finding finding =
      ExchangeFinding(check_id, what + " was answered " + StatusLine(exchange), exchange);
  finding.expected = "400 INVALID_ARGUMENT";
  finding.actual = StatusLine(exchange);
  out.push_back(std::move(finding));
}

void CheckUnknownMaskPathAnswered(const traffic::Exchange& exchange, const std::string& what,
                                  std::vector<Finding>& out) {
  int status = exchange.response.status;
  if (NoResponse(exchange) || SaysInvalidArgument(exchange) || (status >= 200 && status < 300)) {
    return;
  }
  Finding finding = ExchangeFinding("read_mask.unknown_path",
                                    what + " was answered " + StatusLine(exchange), exchange);
  finding.expected = "400 INVALID_ARGUMENT, or 200 with the entry ignored";
  finding.actual = StatusLine(exchange);
  out.push_back(std::move(finding));
}

void CheckClientError(const traffic::Exchange& exchange, std::string_view check_id,
                      const std::string& what, std::vector<Finding>& out) {
  int status = exchange.response.status;
  if (NoResponse(exchange) || (status >= 400 && status < 500)) {
    return;
  }
  Finding finding =
      ExchangeFinding(check_id, what + " was answered " + StatusLine(exchange), exchange);
  finding.expected = "a 4xx";
  finding.actual = StatusLine(exchange);
  out.push_back(std::move(finding));
}

void CheckStatusIs(const traffic::Exchange& exchange, int status, std::string_view check_id,
                   const std::string& what, std::vector<Finding>& out) {
  if (NoResponse(exchange) || exchange.response.status == status) {
    return;
  }
  Finding finding =
      ExchangeFinding(check_id, what + " was answered " + StatusLine(exchange), exchange);
  finding.expected = std::to_string(status);
  finding.actual = StatusLine(exchange);
  out.push_back(std::move(finding));
}

void CheckNo5xx(const traffic::Exchange& exchange, std::vector<Finding>& out) {
  if (exchange.response.status < 500) {
    return;
  }
  Finding finding =
      ExchangeFinding("response.no_5xx", "the server answered " + StatusLine(exchange), exchange);
  finding.expected = "a 2xx or a 4xx";
  finding.actual = std::to_string(exchange.response.status);
  out.push_back(std::move(finding));
}

namespace {

// `masked` without the empty messages the projection lacks where the full resource has that
// message: a mask of `status.message` on a job whose status has no message may give
// `"status": {}`, as protobuf's FieldMaskUtil.merge sets the parent before copying nothing.
Json WithoutEmptyParents(const Json& masked, const Json& expected, const Json& full) {
  if (!masked.is_object() || !full.is_object()) {
    return masked;
  }
  Json out = Json::object();
  for (const auto& [key, value] : masked.items()) {
    auto in_full = full.find(key);
    const bool known = in_full != full.end() && in_full->is_object();
    auto in_expected = expected.is_object() ? expected.find(key) : expected.end();
    const bool projected = expected.is_object() && in_expected != expected.end();
    if (!projected && known && value.is_object() && value.empty()) {
      continue;
    }
    out[key] = projected && known ? WithoutEmptyParents(value, *in_expected, *in_full) : value;
  }
  return out;
}

}  // namespace

void CheckReadMaskProjection(const Page& masked, const Page& full, const aip::ReadMask& mask,
                             std::vector<Finding>& out) {
  if (!masked.ok() || !full.ok()) {
    return;
  }
  std::string_view id = mask.all() ? "read_mask.equivalent_all" : "response.read_mask.outside";
  std::string mask_text = aip::Print(mask);
  auto report = [&](std::string message, std::string pointer, std::string expected,
                    std::string actual) {
    Finding finding = MakeFinding(id, std::move(message));
    finding.json_pointer = std::move(pointer);
    finding.expected = std::move(expected);
    finding.actual = std::move(actual);
    finding.requests = {full.exchange.request, masked.exchange.request};
    out.push_back(std::move(finding));
  };
  if (masked.items.size() != full.items.size()) {
    report("readMask=" + mask_text + " returned " + std::to_string(masked.items.size()) +
               " resources, without it " + std::to_string(full.items.size()),
           "", std::to_string(full.items.size()) + " resources",
           std::to_string(masked.items.size()) + " resources");
    return;
  }
  const std::string name_key(kResourceName);
  for (size_t i = 0; i < masked.items.size(); ++i) {
    Json expected = aip::Project(mask, full.items[i]);
    // The resource's name beside the mask is response.read_mask.name_added (should), judged on
    // each response; the projection is judged without it.
    if (expected.is_object() && !expected.contains(name_key) && full.items[i].is_object() &&
        full.items[i].contains(name_key) && masked.items[i].is_object() &&
        masked.items[i].contains(name_key) &&
        masked.items[i][name_key] == full.items[i][name_key]) {
      expected[name_key] = full.items[i][name_key];
    }
    if (masked.items[i] == expected ||
        WithoutEmptyParents(masked.items[i], expected, full.items[i]) == expected) {
      continue;
    }
    // Name the first member that differs: one outside the mask, or a masked one lost.
    std::string member;
    if (masked.items[i].is_object() && expected.is_object()) {
      for (const auto& [key, value] : masked.items[i].items()) {
        if (!expected.contains(key) || expected[key] != value) {
          member = key;
          break;
        }
      }
      if (member.empty()) {
        for (const auto& [key, value] : expected.items()) {
          if (!masked.items[i].contains(key)) {
            member = key;
            break;
          }
        }
      }
    }
    std::string pointer =
        masked.items_pointer + "/" + std::to_string(i) + (member.empty() ? "" : "/" + member);
    report("with readMask=" + mask_text + ", resource " + std::to_string(i + 1) + " ('" +
               ItemLabel(full.items[i]) +
               "') is not the projection of the resource read without a mask" +
               (member.empty() ? std::string() : " (member '" + member + "')"),
           pointer, "the fields " + mask_text + " of the full resource",
           masked.items[i].is_object() ? std::to_string(masked.items[i].size()) + " members"
                                       : "not an object");
    return;
  }
}

void CheckCredentialsMasked(const Walk& walk, std::vector<Finding>& out) {
  size_t reported = 0;
  std::function<void(const Json&, const std::string&, size_t)> scan =
      [&](const Json& value, const std::string& pointer, size_t page) {
        if (!value.is_object() || reported >= 3) {
          return;
        }
        for (const auto& [key, child] : value.items()) {
          std::string child_pointer = pointer + "/" + key;
          if (child.is_string() && traffic::IsSecretJsonKey(key)) {
            const std::string& text = child.get_ref<const std::string&>();
            bool masked =
                text.empty() || text.find("***") != std::string::npos ||
                text == traffic::kRedacted ||
                std::all_of(text.begin(), text.end(), [&](char c) { return c == text[0]; });
            if (masked) {
              continue;
            }
            Finding finding = WalkFinding("secrets.credential_in_clear",
                                          "'" + key + "' is returned in clear", walk, page);
            finding.json_pointer = child_pointer;
            finding.expected = "absent or masked";
            finding.actual = "a " + std::to_string(text.size()) + "-character value (not shown)";
            out.push_back(std::move(finding));
            ++reported;
          } else {
            scan(child, child_pointer, page);
          }
        }
      };
  for (size_t p = 0; p < walk.pages.size(); ++p) {
    for (size_t i = 0; i < walk.pages[p].items.size(); ++i) {
      scan(walk.pages[p].items[i], walk.pages[p].items_pointer + "/" + std::to_string(i), p);
    }
  }
}

}  // namespace conform::validator
