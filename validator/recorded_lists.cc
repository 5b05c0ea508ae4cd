#include "validator/recorded_lists.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "aip/filter.h"
#include "aip/filter_syntax.h"
#include "aip/order_by.h"
#include "traffic/url.h"
#include "validator/list_oracles.h"
#include "validator/list_shape.h"
#include "validator/list_walk.h"

namespace conform::validator {
namespace {

// What a recorded request asked of a List, and what its response said about the next page.
struct ListCall {
  size_t index = 0;  // into the input
  const Operation* op = nullptr;
  // Requests of one walk share it: operation, origin, path, filter, orderBy, readMask.
  std::string group;
  std::string path;  // as recorded, for messages
  ListQuery query;
  bool ok = false;  // a 200 with a JSON object: a page (ExchangeVerdict::list_page)
  std::optional<std::string> next_token;
};

// "/v1/accounts/a/dpoJobs with filter 'x', orderBy 'y'"
std::string Describe(const std::string& path, const ListQuery& query) {
  std::string out;
  auto add = [&out](const char* name, const std::optional<std::string>& value) {
    if (value && !value->empty()) {
      out += std::string(out.empty() ? "" : ", ") + name + " '" + *value + "'";
    }
  };
  add("filter", query.filter);
  add("orderBy", query.order_by);
  add("readMask", query.read_mask);
  return path + " with " + (out.empty() ? "no filter, orderBy or readMask" : out);
}

std::optional<ListCall> ReadCall(size_t index, const traffic::Exchange& exchange,
                                 const ExchangeVerdict& verdict) {
  const Operation* op = verdict.operation;
  // A bare response body has no request (empty method): nothing is known of what was asked.
  if (op == nullptr || !op->list || !verdict.skipped.empty() || exchange.request.method != "GET") {
    return std::nullopt;
  }
  auto url = traffic::ParseUrl(exchange.request.url);
  if (!url) {
    return std::nullopt;
  }
  const ListShape& list = *op->list;
  auto value = [&url](const std::string& name) -> std::optional<std::string> {
    return name.empty() ? std::nullopt : traffic::QueryValue(url->query, name);
  };
  ListCall call;
  call.index = index;
  call.op = op;
  call.path = url->path;
  call.query = {.page_size = value(list.page_size_param),
                .page_token = value(list.page_token_param),
                .filter = value(list.filter_param),
                .order_by = value(list.order_by_param),
                .read_mask = value(list.read_mask_param)};
  if (call.query.page_token && call.query.page_token->empty()) {
    call.query.page_token.reset();  // "" asks for the first page
  }
  call.group = op->operation_id + '\n' + url->scheme + "://" +
               traffic::HostPort(url->host, url->port) + url->path + '\n' +
               call.query.filter.value_or("") + '\n' + call.query.order_by.value_or("") + '\n' +
               call.query.read_mask.value_or("");
  if (verdict.list_page) {
    call.ok = true;
    call.next_token = verdict.list_page->next_token;
  }
  return call;
}

bool Is2xx(const traffic::Exchange& exchange) {
  return exchange.response.status >= 200 && exchange.response.status < 300;
}

// An error answer that says nothing about the token: credentials, rate limits, an unavailable
// or overloaded server, a gateway. Anything else refuses the page the token leads to.
bool IsTransient(int status) {
  return status == 401 || status == 403 || status == 408 || status == 429 || status == 502 ||
         status == 503 || status == 504;
}

Finding AcceptedFinding(std::string_view check_id, const traffic::Exchange& exchange,
                        std::string message, std::string expected) {
  Finding finding = MakeFinding(check_id, std::move(message));
  finding.expected = std::move(expected);
  finding.actual = std::to_string(exchange.response.status) + " with a page";
  finding.requests.push_back(exchange.request);
  return finding;
}

// The filter, orderBy and pageSize of a 2xx page that the contract rules out (what the
// server should have refused with INVALID_ARGUMENT), and what conform can judge of them.
struct JudgedQuery {
  std::optional<aip::Filter> filter;     // set when the filter parses against the contract
  std::optional<aip::OrderBy> order_by;  // set when orderBy parses (or is absent: empty)
  std::vector<Finding> refused_accepted;
};

JudgedQuery JudgeQuery(const Operation& op, const traffic::Exchange& exchange,
                       const ListQuery& query) {
  JudgedQuery judged;
  if (query.filter && !query.filter->empty()) {
    const std::string& text = *query.filter;
    // conform's own length and nesting limits are not the grammar: only the grammar is judged.
    auto syntax = aip::ParseFilterSyntax(
        text, {.max_length = std::max<size_t>(text.size(), 4096), .max_depth = 256});
    if (!syntax) {
      judged.refused_accepted.push_back(
          AcceptedFinding("filter.invalid_rejected", exchange,
                          "the filter '" + text + "' does not parse (" + syntax.error().ToString() +
                              ") but was answered " + std::to_string(exchange.response.status),
                          "400 INVALID_ARGUMENT"));
    } else if (auto filter = aip::CheckFilter(std::move(*syntax), op.catalog); filter) {
      judged.filter = std::move(*filter);
    } else if (filter.error().reason == aip::kUnknownFieldReason) {
      judged.refused_accepted.push_back(
          AcceptedFinding("filter.invalid_rejected", exchange,
                          "the filter '" + text + "' names a field the resource does not have (" +
                              filter.error().ToString() + ") but was answered " +
                              std::to_string(exchange.response.status),
                          "400 INVALID_ARGUMENT"));
    }
    // Other typing errors (a function, a comparison conform types differently) are not judged:
    // AIP-160 lets a service define functions and leaves some comparisons to it.
  } else {
    judged.filter = aip::Filter();
  }
  if (query.order_by) {
    auto order_by =
        aip::ParseOrderBy(*query.order_by, op.catalog,
                          {.max_length = std::max<size_t>(query.order_by->size(), 4096)});
    if (order_by) {
      judged.order_by = std::move(*order_by);
    } else if (order_by.error().reason == aip::kUnknownFieldReason) {
      judged.refused_accepted.push_back(AcceptedFinding(
          "order.unknown_field_rejected", exchange,
          "orderBy '" + *query.order_by + "' names a field the resource does not have (" +
              order_by.error().ToString() + ") but was answered " +
              std::to_string(exchange.response.status),
          "400 INVALID_ARGUMENT"));
    }
    // An upper-case DESC, a duplicate key, a field conform takes as unsortable: AIP-132 does not
    // say these must fail, so a server may accept them.
  } else {
    judged.order_by = aip::OrderBy();
  }
  return judged;
}

// A walk as the recording holds it: which exchanges are its pages, and how it ends.
struct PlannedWalk {
  const Operation* op = nullptr;
  ListQuery query;              // of its first page
  std::vector<size_t> indexes;  // the input index of each page, in walk order
  WalkEnd end = WalkEnd::kLastPage;
  std::string end_detail;
};

// Chains the recorded List calls into walks, in input order, and reports what shows on one
// call (a refused parameter accepted, a token used out of its walk). Reads no body: a page's
// next token comes from its verdict.
class Chainer {
 public:
  Chainer(const std::vector<traffic::Exchange>& exchanges,
          const std::vector<ExchangeVerdict>& verdicts)
      : exchanges_(exchanges), verdicts_(verdicts) {}

  // The walks, in the order they began; findings and counts go to `result`.
  std::vector<PlannedWalk> Run(RecordedLists& result) {
    result_ = &result;
    for (size_t i = 0; i < exchanges_.size() && i < verdicts_.size(); ++i) {
      if (auto call = ReadCall(i, exchanges_[i], verdicts_[i])) {
        calls_.push_back(std::move(*call));
      }
    }
    for (const ListCall& call : calls_) {
      Take(call);
    }
    for (auto& [group, refusals] : refused_) {
      for (auto& [token, refusal] : refusals) {
        result_->findings.emplace_back(refusal.first, std::move(refusal.second));
      }
    }
    // Still waiting for a next page at the end of the recording: it stops mid-walk.
    for (auto& [id, walk] : open_) {
      walk.end = WalkEnd::kPartial;
      walk.end_detail = "the recording stops before the last page";
      done_.emplace(id, std::move(walk));
    }
    std::vector<PlannedWalk> walks;
    for (auto& [id, walk] : done_) {
      walks.push_back(std::move(walk));
    }
    return walks;
  }

 private:
  void Take(const ListCall& call) {
    const traffic::Exchange& exchange = exchanges_[call.index];
    std::string token_key = call.query.page_token ? call.group + '\n' + *call.query.page_token : "";
    if (call.query.page_token) {
      CheckBinding(call);
    }
    if (!call.ok) {
      // The server's own token, with the parameters it was issued for, refused: not the end of
      // the collection (page_walk.complete), unless the same token works later.
      if (!token_key.empty() && pending_.count(token_key) != 0 && !Is2xx(exchange) &&
          exchange.response.status != 0 && !IsTransient(exchange.response.status)) {
        const PlannedWalk& walk = open_.at(pending_.at(token_key));
        Finding finding =
            MakeFinding("page_walk.complete",
                        "the nextPageToken of " + exchanges_[walk.indexes.back()].source +
                            " was refused with " + std::to_string(exchange.response.status) +
                            " when sent with the same parameters");
        finding.expected = "200 with the next page";
        finding.actual = StatusLine(exchange);
        for (size_t index : walk.indexes) {
          finding.requests.push_back(exchanges_[index].request);
        }
        finding.requests.push_back(exchange.request);
        refused_[call.group].insert_or_assign(*call.query.page_token,
                                              std::make_pair(call.index, std::move(finding)));
      }
      return;
    }
    ++result_->pages;
    if (call.query.page_token) {
      refused_[call.group].erase(*call.query.page_token);
    }
    // A client that goes on following a token cycle walks the same loop again: the cycle is
    // reported once, on the walk that first closed it.
    if (looping_.count(token_key) != 0) {
      if (call.next_token) {
        looping_.insert(call.group + '\n' + *call.next_token);
      }
      return;
    }
    size_t id = 0;
    if (auto it = pending_.find(token_key); !token_key.empty() && it != pending_.end()) {
      id = it->second;
      pending_.erase(it);
    } else {
      id = next_id_++;
      PlannedWalk& walk = open_[id];
      walk.op = call.op;
      walk.query = call.query;
      if (call.query.page_token) {
        followed_[id].insert(*call.query.page_token);
      }
      if (reported_groups_.insert(call.group).second) {
        for (Finding& finding : JudgeQuery(*call.op, exchange, call.query).refused_accepted) {
          result_->findings.emplace_back(call.index, std::move(finding));
        }
      }
    }
    if (call.next_token) {
      issued_[*call.next_token].push_back(&call);
    }
    PlannedWalk& walk = open_.at(id);
    walk.indexes.push_back(call.index);
    CheckPageSizeAccepted(call, exchange);
    if (!call.next_token) {
      walk.end = walk.query.page_token ? WalkEnd::kPartial : WalkEnd::kLastPage;
      walk.end_detail = walk.query.page_token ? "the recording starts mid-walk" : "";
      Finish(id);
      return;
    }
    std::unordered_set<std::string>& followed = followed_[id];
    if (!followed.insert(*call.next_token).second) {
      for (const std::string& token : followed) {
        looping_.insert(call.group + '\n' + token);
      }
      walk.end = WalkEnd::kCycle;
      walk.end_detail = "page " + std::to_string(walk.indexes.size()) +
                        " returns a nextPageToken this walk already followed";
      Finish(id);
      return;
    }
    pending_[call.group + '\n' + *call.next_token] = id;
  }

  void Finish(size_t id) {
    done_.emplace(id, std::move(open_.at(id)));
    open_.erase(id);
    followed_.erase(id);
  }

  // token.binding (should): a page token issued for one filter, orderBy or readMask, answered
  // 2xx with others. A token the server also issued for these parameters is theirs too.
  void CheckBinding(const ListCall& call) {
    const std::string& token = *call.query.page_token;
    auto issued = issued_.find(token);
    const traffic::Exchange& exchange = exchanges_[call.index];
    if (issued == issued_.end() || !Is2xx(exchange) ||
        std::any_of(issued->second.begin(), issued->second.end(),
                    [&call](const ListCall* issuer) { return issuer->group == call.group; })) {
      return;
    }
    const ListCall& origin = *issued->second.back();
    Finding finding = MakeFinding(
        "token.binding", "a page token issued for " + Describe(origin.path, origin.query) + " (" +
                             exchanges_[origin.index].source + ")" + " was accepted for " +
                             Describe(call.path, call.query));
    finding.expected = "400 INVALID_ARGUMENT";
    finding.actual = std::to_string(exchange.response.status) + " with a page";
    finding.requests = {exchanges_[origin.index].request, exchange.request};
    result_->findings.emplace_back(call.index, std::move(finding));
  }

  // page_size.invalid_rejected: a negative pageSize answered with a page (AIP-158). A value
  // its schema already rules out is reported by the exchange check; not twice.
  void CheckPageSizeAccepted(const ListCall& call, const traffic::Exchange& exchange) {
    if (!call.query.page_size || call.query.page_size->empty() ||
        call.query.page_size->front() != '-') {
      return;
    }
    for (const Finding& finding : verdicts_[call.index].findings) {
      if (finding.check_id == "request.parameter.invalid_accepted") {
        return;
      }
    }
    if (!reported_groups_.insert(call.group + "\npageSize=" + *call.query.page_size).second) {
      return;  // the walk that goes on with it makes no new point
    }
    result_->findings.emplace_back(
        call.index, AcceptedFinding("page_size.invalid_rejected", exchange,
                                    "pageSize=" + *call.query.page_size + " was answered " +
                                        std::to_string(exchange.response.status) + " with a page",
                                    "400 INVALID_ARGUMENT"));
  }

  const std::vector<traffic::Exchange>& exchanges_;
  const std::vector<ExchangeVerdict>& verdicts_;
  RecordedLists* result_ = nullptr;
  std::vector<ListCall> calls_;
  std::map<size_t, PlannedWalk> open_;  // walk id -> a walk waiting for its next page
  std::map<size_t, PlannedWalk> done_;  // walk id -> a finished walk
  std::unordered_map<size_t, std::unordered_set<std::string>> followed_;  // tokens of an open walk
  std::unordered_map<std::string, size_t> pending_;  // group + next token -> walk id
  std::unordered_map<std::string, std::vector<const ListCall*>> issued_;  // token -> calls
  // group -> token -> the refusal of the server's own token, until the token works after all.
  std::map<std::string, std::map<std::string, std::pair<size_t, Finding>>> refused_;
  std::unordered_set<std::string> reported_groups_;  // refused parameters reported once
  std::unordered_set<std::string> looping_;          // group + token of a reported cycle
  size_t next_id_ = 0;
};

// The page a walk finding shows on: the last of its requests.
size_t PageOf(const Walk& walk, const Finding& finding) {
  if (!finding.requests.empty()) {
    for (size_t p = walk.pages.size(); p-- > 0;) {
      if (walk.pages[p].exchange.request == finding.requests.back()) {
        return p;
      }
    }
  }
  return walk.pages.size() - 1;
}

// The list oracles that need no further request, on one recorded walk; each finding with the
// input index of the page it shows on. Parses the walk's bodies (and only those).
std::vector<std::pair<size_t, Finding>> CheckWalk(const PlannedWalk& planned,
                                                  const std::vector<traffic::Exchange>& exchanges,
                                                  const RecordedListOptions& options) {
  const Operation& op = *planned.op;
  Walk walk;
  walk.query = planned.query;
  walk.end = planned.end;
  walk.end_detail = planned.end_detail;
  for (size_t index : planned.indexes) {
    walk.pages.push_back(ReadPage(op, exchanges[index]));
  }
  JudgedQuery judged = JudgeQuery(op, walk.pages.front().exchange, planned.query);
  PageSizes sizes = ResolvePageSizes(op, options.default_page_size, options.max_page_size);
  std::vector<Finding> found;
  CheckTermination(walk, found);
  CheckDisjoint(walk, found);
  CheckPageSizesRespected(walk, sizes.max_size, found);
  if (!op.list->page_size_param.empty()) {
    CheckDefaultPageSize(walk, sizes.default_size, found);
  }
  CheckTotalSize(walk, found);
  CheckLastPageToken(walk, found);
  if (judged.order_by && !judged.order_by->empty()) {
    CheckOrder(walk, *judged.order_by,
               judged.order_by->keys.size() > 1 ? "order.multi_key" : "order.fields", found);
  } else if (judged.order_by && op.catalog.Find("name") != nullptr) {
    if (auto by_name = aip::ParseOrderBy("name", op.catalog)) {
      CheckOrder(walk, *by_name, "order.default", found);
    }
  }
  if (judged.filter) {
    CheckFilterSound(walk, *judged.filter, found);
  }
  CheckCredentialsMasked(walk, found);
  std::vector<std::pair<size_t, Finding>> placed;
  for (Finding& finding : found) {
    size_t page = PageOf(walk, finding);
    if (walk.pages.size() > 1) {
      finding.source = "page " + std::to_string(page + 1) + " of a walk of " +
                       std::to_string(walk.pages.size()) + " pages from " +
                       exchanges[planned.indexes.front()].source;
    }
    placed.emplace_back(planned.indexes[page], std::move(finding));
  }
  return placed;
}

}  // namespace

RecordedLists CheckRecordedLists(const std::vector<traffic::Exchange>& exchanges,
                                 const std::vector<ExchangeVerdict>& verdicts,
                                 const RecordedListOptions& options) {
  RecordedLists result;
  std::vector<PlannedWalk> walks = Chainer(exchanges, verdicts).Run(result);
  result.walks = walks.size();
  // Walks are independent: checked on several threads, each parsing only its own pages.
  std::vector<std::vector<std::pair<size_t, Finding>>> found(walks.size());
  size_t threads = options.threads > 0 ? static_cast<size_t>(options.threads)
                                       : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min(threads, walks.size());
  std::atomic<size_t> next{0};
  auto work = [&]() {
    for (size_t w = next.fetch_add(1); w < walks.size(); w = next.fetch_add(1)) {
      found[w] = CheckWalk(walks[w], exchanges, options);
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) {
    pool.emplace_back(work);
  }
  work();
  for (std::thread& thread : pool) {
    thread.join();
  }
  for (size_t w = 0; w < walks.size(); ++w) {
    result.complete_walks += walks[w].end == WalkEnd::kLastPage ? 1 : 0;
    for (auto& placed : found[w]) {
      result.findings.push_back(std::move(placed));
    }
  }
  std::stable_sort(result.findings.begin(), result.findings.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return result;
}

}  // namespace conform::validator
