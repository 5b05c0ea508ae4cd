#include "validator/list_oracles.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <unordered_set>

#include "aip/values.h"

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

std::string Lower(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

struct OrderMode {
  aip::EnumOrder enums;
  bool fold_case;
};

// -1/0/1, or 2 when the pair cannot be judged (an unset value on this key).
int CompareKey(const aip::OrderKey& key, const Json& a, const Json& b, const OrderMode& mode) {
  aip::Value left = aip::ReadValue(aip::FindPath(a, key.field.path), key.field);
  aip::Value right = aip::ReadValue(aip::FindPath(b, key.field.path), key.field);
  if (std::holds_alternative<aip::Unset>(left) || std::holds_alternative<aip::Unset>(right)) {
    return 2;
  }
  int c = 0;
  if (mode.fold_case && std::holds_alternative<std::string>(left) && std::holds_alternative<std::string>(right)) {
    std::string l = Lower(std::get<std::string>(left));
    std::string r = Lower(std::get<std::string>(right));
    c = l < r ? -1 : (l > r ? 1 : 0);
  } else {
    c = aip::CompareValues(left, right, {.enum_order = mode.enums});
  }
  return key.direction == aip::SortDirection::kDescending ? -c : c;
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
  std::string out = ItemKey(item);
  for (const aip::OrderKey& key : order_by.keys) {
    if (key.field.path == "name") {
      continue;
    }
    out += ", " + key.field.path + "=" +
           aip::DescribeValue(aip::ReadValue(aip::FindPath(item, key.field.path), key.field));
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
    Finding finding = WalkFinding(
        "page_walk.disjoint",
        "'" + key + "' appears twice: at " + Where(it->second) + " and again at " + Where(positions[i]), walk,
        positions[i].page);
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
      return;
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
  const OrderMode modes[] = {{aip::EnumOrder::kDeclaration, false},
                             {aip::EnumOrder::kName, false},
                             {aip::EnumOrder::kDeclaration, true},
                             {aip::EnumOrder::kName, true}};
  std::optional<size_t> inversion = FirstInversion(items, order_by, modes[0]);
  if (!inversion) {
    return;
  }
  for (size_t m = 1; m < std::size(modes); ++m) {
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

void CheckFilterSound(const Walk& walk, const aip::Filter& filter, std::vector<Finding>& out) {
  std::vector<ItemPosition> positions = Positions(walk);
  std::vector<const Json*> items = walk.Items();
  for (size_t i = 0; i < items.size(); ++i) {
    if (aip::Matches(filter, *items[i])) {
      continue;
    }
    Finding finding = WalkFinding("filter.sound",
                                  "'" + ItemKey(*items[i]) + "' (" + Where(positions[i]) +
                                      ") does not satisfy the filter '" + aip::Print(filter) + "'",
                                  walk, positions[i].page);
    finding.json_pointer = Pointer(walk, positions[i]);
    finding.expected = "only resources matching " + aip::Print(filter);
    finding.actual = ItemKey(*items[i]);
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
    if (aip::Matches(filter, *item) && returned.count(ItemKey(*item)) == 0) {
      if (missing++ == 0) {
        first_missing = ItemKey(*item);
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
    Finding finding = MakeFinding(check_id, what + ": item " + std::to_string(i + 1) + " differs ('" +
                                                ItemKey(*left[i]) + "' vs '" + ItemKey(*right[i]) + "')");
    finding.expected = ItemKey(*left[i]);
    finding.actual = ItemKey(*right[i]);
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

}  // namespace conform::validator
