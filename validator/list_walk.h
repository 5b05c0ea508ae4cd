// Walking the pages of an AIP-158 List: build each request from parameters, follow
// nextPageToken, and keep what every list oracle needs (items, tokens, totalSize, the
// exchanges themselves for curl reproductions). The walk stops at the last page, at an error
// page, on a token seen before (a cycle) or at a bound (runaway) — never loops forever.
//   ListTarget target{.base_url = url, .path = "/v1/accounts/acme/dpoJobs", .headers = auth};
//   Walk walk = WalkPages(op, target, {.order_by = "createTime desc"}, {50}, send, {});
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "traffic/exchange.h"
#include "validator/contract.h"

namespace conform::validator {

// Where the collection is: base URL, concrete path, and headers every request carries.
struct ListTarget {
  std::string base_url;  // "http://127.0.0.1:8080"
  std::string path;      // "/v1/accounts/acme/dpoJobs"
  traffic::Headers headers;
};

// One List request's parameters, as text on the wire. nullopt: not sent.
struct ListQuery {
  std::optional<std::string> page_size;
  std::optional<std::string> page_token;
  std::optional<std::string> filter;
  std::optional<std::string> order_by;
  std::optional<std::string> read_mask;
};

// The request for `query` (parameter names from op.list, percent-encoded).
traffic::Request MakeListRequest(const Operation& op, const ListTarget& target, const ListQuery& query);

struct Page {
  traffic::Exchange exchange;
  nlohmann::json body;  // the parsed object; null when the body was not a JSON object
  std::vector<nlohmann::json> items;  // the resources, in response order
  std::string items_pointer;          // JSON pointer of the resources array: "/dpoJobs"
  std::optional<std::string> next_token;  // as returned (may be ""); nullopt when absent
  std::optional<int64_t> total_size;      // nullopt when absent or not an integer
  std::optional<int64_t> requested_size;  // the pageSize sent, when numeric
  bool ok() const { return exchange.response.status == 200 && body.is_object(); }
  bool has_more() const { return next_token.has_value() && !next_token->empty(); }
};

// Reads a response into a Page (items, token, totalSize) per op.list. `parsed_body` is the
// response body when a caller has parsed it already (the exchange validator does): a page of
// 200 resources is then not parsed twice.
Page ReadPage(const Operation& op, traffic::Exchange exchange,
              std::optional<nlohmann::json> parsed_body = std::nullopt);

enum class WalkEnd {
  kLastPage,  // a page without a next token
  kErrorPage, // a page that is not 200 with a JSON object
  kCycle,     // a token came back that was already followed
  kRunaway,   // more pages than the bound
  kBudget,    // the request budget ran out
  kPartial,   // a recording holds only part of the walk: it starts or stops mid-walk
};
std::string_view WalkEndName(WalkEnd end);

struct Walk {
  ListQuery query;           // the first page's parameters (page_token empty)
  std::vector<Page> pages;
  WalkEnd end = WalkEnd::kLastPage;
  std::string end_detail;  // one line for messages
  bool complete() const { return end == WalkEnd::kLastPage; }
  // All items of all pages, in order.
  std::vector<const nlohmann::json*> Items() const;
  // The requests of pages [0, upto], for reproductions.
  std::vector<traffic::Request> RequestsUpTo(size_t upto) const;
};

struct WalkLimits {
  size_t max_pages = 1000;
  // A server may return empty pages with a token (AIP-158), but not forever.
  size_t max_empty_pages_in_a_row = 20;
};

using SendFn = std::function<traffic::Exchange(const traffic::Request&)>;
// Sends a request and reads its answer as a page (ReadPage).
using FetchPageFn = std::function<Page(const traffic::Request&)>;

// Walks from the first page. `page_sizes[i]` is sent on page i (the last entry repeats; an
// empty list sends no pageSize), so page sizes can change between pages as AIP-158 allows.
// Runaway walks stop early: past max_pages, after max_empty_pages_in_a_row empty pages, or
// past three times the pages the first page's totalSize implies.
Walk WalkPages(const Operation& op, const ListTarget& target, const ListQuery& query,
               const std::vector<std::optional<std::string>>& page_sizes, const SendFn& send,
               const WalkLimits& limits);
// The same, for a caller that reads its pages itself.
Walk WalkPages(const Operation& op, const ListTarget& target, const ListQuery& query,
               const std::vector<std::optional<std::string>>& page_sizes, const FetchPageFn& fetch,
               const WalkLimits& limits);

// The resource's identity for duplicate and equality checks: its `name`, else its JSON text.
std::string ItemKey(const nlohmann::json& item);

// The resource as a finding names it: its `name`, else "(no name) " and the start of its JSON
// text (a whole resource on one line helps nobody).
std::string ItemLabel(const nlohmann::json& item);

}  // namespace conform::validator
