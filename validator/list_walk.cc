#include "validator/list_walk.h"

#include <charconv>
#include <unordered_set>

#include "traffic/url.h"

namespace conform::validator {

traffic::Request MakeListRequest(const Operation& op, const ListTarget& target, const ListQuery& query) {
  traffic::QueryParams params;
  const ListShape* list = op.list ? &*op.list : nullptr;
  auto add = [&params](const std::string& name, const std::optional<std::string>& value) {
    if (value && !name.empty()) {
      params.emplace_back(name, *value);
    }
  };
  if (list != nullptr) {
    add(list->page_size_param.empty() ? "pageSize" : list->page_size_param, query.page_size);
    add(list->page_token_param.empty() ? "pageToken" : list->page_token_param, query.page_token);
    add(list->filter_param.empty() ? "filter" : list->filter_param, query.filter);
    add(list->order_by_param.empty() ? "orderBy" : list->order_by_param, query.order_by);
    add(list->read_mask_param.empty() ? "readMask" : list->read_mask_param, query.read_mask);
  }
  traffic::Request request;
  request.method = "GET";
  std::string base = target.base_url;
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  request.url = base + target.path + (params.empty() ? "" : "?" + traffic::BuildQuery(params));
  request.headers = target.headers;
  return request;
}

Page ReadPage(const Operation& op, traffic::Exchange exchange,
              std::optional<nlohmann::json> parsed_body) {
  Page page;
  page.exchange = std::move(exchange);
  if (auto url = traffic::ParseUrl(page.exchange.request.url); url && op.list) {
    if (auto size = traffic::QueryValue(url->query, op.list->page_size_param)) {
      int64_t value = 0;
      auto [ptr, ec] = std::from_chars(size->data(), size->data() + size->size(), value);
      if (ec == std::errc() && ptr == size->data() + size->size()) {
        page.requested_size = value;
      }
    }
  }
  nlohmann::json body = parsed_body
                            ? *std::move(parsed_body)
                            : nlohmann::json::parse(page.exchange.response.body, nullptr, false);
  if (!body.is_object() || !op.list) {
    return page;
  }
  page.body = std::move(body);
  page.items_pointer = "/" + op.list->resources_field;
  if (auto items = page.body.find(op.list->resources_field); items != page.body.end() && items->is_array()) {
    page.items.assign(items->begin(), items->end());
  }
  if (auto token = page.body.find(op.list->next_token_field); token != page.body.end() && token->is_string()) {
    page.next_token = token->get<std::string>();
  }
  if (!op.list->total_size_field.empty()) {
    if (auto total = page.body.find(op.list->total_size_field); total != page.body.end()) {
      if (total->is_number_integer()) {
        page.total_size = total->get<int64_t>();
      }
    }
  }
  return page;
}

std::string_view WalkEndName(WalkEnd end) {
  switch (end) {
    case WalkEnd::kLastPage:
      return "last page";
    case WalkEnd::kErrorPage:
      return "error page";
    case WalkEnd::kCycle:
      return "token cycle";
    case WalkEnd::kRunaway:
      return "too many pages";
    case WalkEnd::kBudget:
      return "request budget spent";
    case WalkEnd::kPartial:
      return "only part of the walk recorded";
  }
  return "";
}

std::vector<const nlohmann::json*> Walk::Items() const {
  std::vector<const nlohmann::json*> items;
  for (const Page& page : pages) {
    for (const nlohmann::json& item : page.items) {
      items.push_back(&item);
    }
  }
  return items;
}

std::vector<traffic::Request> Walk::RequestsUpTo(size_t upto) const {
  std::vector<traffic::Request> requests;
  for (size_t i = 0; i <= upto && i < pages.size(); ++i) {
    requests.push_back(pages[i].exchange.request);
  }
  return requests;
}

namespace {

// The resource's `name` when it has a string one, else nullptr.
const nlohmann::json* NameOf(const nlohmann::json& item) {
  if (!item.is_object()) {
    return nullptr;
  }
  auto name = item.find(kResourceName);
  return name != item.end() && name->is_string() ? &*name : nullptr;
}

}  // namespace

std::string ItemKey(const nlohmann::json& item) {
  if (const nlohmann::json* name = NameOf(item)) {
    return name->get<std::string>();
  }
  return item.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string ItemLabel(const nlohmann::json& item) {
  constexpr size_t kShown = 80;
  if (const nlohmann::json* name = NameOf(item)) {
    return name->get<std::string>();
  }
  std::string key = ItemKey(item);  // without a name, its JSON text
  if (key.size() <= kShown) {
    return "(no name) " + key;
  }
  size_t cut = kShown;
  while (cut > 0 && (static_cast<unsigned char>(key[cut]) & 0xC0) == 0x80) {
    --cut;  // not inside a UTF-8 sequence
  }
  return "(no name) " + key.substr(0, cut) + "...";
}

Walk WalkPages(const Operation& op, const ListTarget& target, const ListQuery& query,
               const std::vector<std::optional<std::string>>& page_sizes, const SendFn& send,
               const WalkLimits& limits) {
  FetchPageFn fetch = [&op, &send](const traffic::Request& request) {
    return ReadPage(op, send(request));
  };
  return WalkPages(op, target, query, page_sizes, fetch, limits);
}

Walk WalkPages(const Operation& op, const ListTarget& target, const ListQuery& query,
               const std::vector<std::optional<std::string>>& page_sizes, const FetchPageFn& fetch,
               const WalkLimits& limits) {
  Walk walk;
  walk.query = query;
  walk.query.page_token.reset();
  std::unordered_set<std::string> followed;
  ListQuery current = walk.query;
  size_t max_pages = limits.max_pages;
  size_t empty_in_a_row = 0;
  for (size_t index = 0;; ++index) {
    if (index >= max_pages) {
      walk.end = WalkEnd::kRunaway;
      walk.end_detail = "still not at the end after " + std::to_string(index) + " pages";
      return walk;
    }
    if (empty_in_a_row >= limits.max_empty_pages_in_a_row) {
      walk.end = WalkEnd::kRunaway;
      walk.end_detail = std::to_string(empty_in_a_row) + " empty pages in a row, each with a nextPageToken";
      return walk;
    }
    if (!page_sizes.empty()) {
      current.page_size = page_sizes[std::min(index, page_sizes.size() - 1)];
    }
    Page fetched = fetch(MakeListRequest(op, target, current));
    const traffic::Exchange& exchange = fetched.exchange;
    if (!exchange.error.empty() && exchange.response.status == 0 &&
        exchange.error.find("budget") != std::string::npos) {
      walk.end = WalkEnd::kBudget;
      walk.end_detail = exchange.error;
      return walk;
    }
    walk.pages.push_back(std::move(fetched));
    const Page& page = walk.pages.back();
    if (!page.ok()) {
      walk.end = WalkEnd::kErrorPage;
      walk.end_detail = page.exchange.error.empty()
                            ? "page " + std::to_string(index + 1) + " answered " +
                                  std::to_string(page.exchange.response.status)
                            : "page " + std::to_string(index + 1) + ": " + page.exchange.error;
      return walk;
    }
    if (!page.has_more()) {
      walk.end = WalkEnd::kLastPage;
      return walk;
    }
    empty_in_a_row = page.items.empty() ? empty_in_a_row + 1 : 0;
    if (index == 0 && page.total_size && *page.total_size >= 0 && !page.items.empty()) {
      // totalSize and the smallest page size asked for say how many pages there can be.
      size_t smallest = page.items.size();
      for (const std::optional<std::string>& size : page_sizes) {
        int64_t value = 0;
        if (size && std::from_chars(size->data(), size->data() + size->size(), value).ec == std::errc() &&
            value > 0) {
          smallest = std::min(smallest, static_cast<size_t>(value));
        }
      }
      size_t expected = static_cast<size_t>(*page.total_size) / smallest + 1;
      max_pages = std::min(max_pages, 3 * expected + 10);
    }
    if (!followed.insert(*page.next_token).second) {
      walk.end = WalkEnd::kCycle;
      walk.end_detail = "page " + std::to_string(index + 1) + " returned a nextPageToken already followed";
      return walk;
    }
    current.page_token = page.next_token;
  }
}

}  // namespace conform::validator
