#include "validator/check_suite.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "aip/filter.h"
#include "aip/filter_syntax.h"
#include "aip/order_by.h"
#include "aip/read_mask.h"
#include "aip/time.h"
#include "aip/values.h"
#include "traffic/redact.h"
#include "traffic/url.h"
#include "validator/exchange_validator.h"
#include "validator/internal/value_text.h"
#include "validator/list_oracles.h"
#include "validator/rpc_codes.h"

namespace conform::validator {
namespace {

using Json = nlohmann::json;

// Checks conform check reports; single-exchange checks about recorded requests are not ours.
bool SuiteReports(std::string_view id) {
  return id != "exchange.no_response" && id.rfind("request.parameter.", 0) != 0;
}

// A value seen in the data, as a filter literal.
std::optional<aip::Literal> LiteralFor(const aip::Value& value) {
  return aip::ToLiteral(value);
}

// The same instant as `text` written at another UTC offset (+05:30), or nullopt.
std::optional<std::string> AtOtherOffset(const std::string& text) {
  auto instant = aip::ParseRfc3339(text);
  if (!instant) {
    return std::nullopt;
  }
  return aip::FormatRfc3339(*instant, 5 * 60 + 30);
}

// How many resources the collection must hold before a check's rule can be broken: one to
// order or to walk past needs two; one to read, mask or scan needs one. Checks of responses
// count the responses they judged instead (their notes say how many).
size_t ResourcesNeeded(std::string_view id) {
  for (std::string_view two :
       {"order.default", "order.fields", "order.multi_key", "order.whitespace",
        "page_walk.disjoint", "page_walk.consistent_page_sizes", "page_size.respected"}) {
    if (id == two) {
      return 2;
    }
  }
  for (std::string_view one :
       {"page_size.default_filled", "read_mask.equivalent_all", "secrets.credential_in_clear"}) {
    if (id == one) {
      return 1;
    }
  }
  return 0;
}

}  // namespace

bool CheckNamedIn(const std::vector<std::string>& patterns, std::string_view id) {
  return std::any_of(patterns.begin(), patterns.end(), [id](const std::string& pattern) {
    std::string_view p = pattern;
    if (p.size() >= 2 && p.substr(p.size() - 2) == ".*") {
      p.remove_suffix(2);
    }
    return id == p || (id.size() > p.size() && id.substr(0, p.size()) == p && id[p.size()] == '.');
  });
}

bool CheckSelected(const SuiteOptions& options, std::string_view id) {
  return (options.include.empty() || CheckNamedIn(options.include, id)) &&
         !CheckNamedIn(options.exclude, id);
}

struct CheckSuite::State {
  State(const Contract& c, const Operation& o, SendFn s, CheckTarget t, SuiteOptions opts)
      : contract(c),
        op(o),
        send(std::move(s)),
        target(std::move(t)),
        options(std::move(opts)),
        judges_every_scenario(JudgesEveryScenario()) {}

  const Contract& contract;
  const Operation& op;
  SendFn send;
  CheckTarget target;
  SuiteOptions options;
  // A check judged on whatever every scenario sees is selected (Runs); set once, from options.
  const bool judges_every_scenario;

  std::unique_ptr<ExchangeValidator> validator;
  std::map<std::string, CheckOutcome, std::less<>> outcomes;
  std::string charge_to;  // the check whose scenario is sending requests
  int requests = 0;
  std::vector<std::string> errors;
  bool stopped = false;  // the target stopped answering or the budget ran out
  std::string stop_reason;
  size_t responses_checked = 0;
  // What response.error.* and response.read_mask.outside could judge: their notes say so, so a
  // run that provoked no error, or sent no mask, does not pass them unseen.
  size_t error_responses_checked = 0;
  size_t masked_responses_checked = 0;

  ListTarget main;       // our account, our key
  ListTarget anonymous;  // our account, no key
  std::string account_path;

  // ---- plumbing -------------------------------------------------------------------------

  bool Selected(std::string_view id) const { return CheckSelected(options, id) && SuiteReports(id); }

  bool AnySelected(std::initializer_list<std::string_view> ids) const {
    return std::any_of(ids.begin(), ids.end(), [this](std::string_view id) { return Selected(id); });
  }

  // Whether a scenario sends its requests: when one of its own checks is selected, or a check
  // judged on whatever every scenario sees (each response, each walk) is and the scenario's
  // checks were not excluded by name. Without the second, `--checks response.error.shape`
  // passed having seen no error, and `--checks page_walk.disjoint` walked no ordering with
  // ties; without the last, `--exclude-checks order` still sent orderBy.
  bool Runs(std::initializer_list<std::string_view> ids) const {
    if (AnySelected(ids)) {
      return true;
    }
    bool excluded = std::any_of(ids.begin(), ids.end(), [this](std::string_view id) {
      return CheckNamedIn(options.exclude, id);
    });
    return !excluded && judges_every_scenario;
  }

  bool JudgesEveryScenario() const {
    return std::any_of(AllChecks().begin(), AllChecks().end(), [this](const CheckInfo& check) {
      return Selected(check.id) &&
             (check.id.rfind("response.", 0) == 0 || check.id == "page_walk.terminates" ||
              check.id == "page_walk.disjoint" || check.id == "page_walk.complete");
    });
  }

  CheckOutcome& Outcome(std::string_view id) {
    auto found = outcomes.find(id);
    if (found == outcomes.end()) {
      found = outcomes.emplace(std::string(id), CheckOutcome{.id = std::string(id)}).first;
    }
    return found->second;
  }

  void Add(Finding finding) {
    if (!Selected(finding.check_id)) {
      return;
    }
    CheckOutcome& outcome = Outcome(finding.check_id);
    // A page of 200 broken resources is 200 findings of one kind: keep a readable number.
    if (outcome.findings.size() >= 20) {
      return;
    }
    finding.source = finding.source.empty() ? target.base_url : finding.source;
    outcome.findings.push_back(std::move(finding));
  }

  void AddAll(std::vector<Finding>& findings) {
    for (Finding& finding : findings) {
      Add(std::move(finding));
    }
    findings.clear();
  }

  void Skip(std::string_view id, const std::string& why) {
    if (!Selected(id)) {
      return;
    }
    CheckOutcome& outcome = Outcome(id);
    if (outcome.findings.empty()) {
      outcome.skipped = true;
      outcome.note = why;
    }
  }

  void Note(std::string_view id, const std::string& note) {
    if (Selected(id)) {
      CheckOutcome& outcome = Outcome(id);
      outcome.note = outcome.note.empty() ? note : outcome.note + "; " + note;
    }
  }

  // Every request goes through here: counted, and every response judged on its own. With
  // `parsed_body`, the body the judge parsed is handed back (FetchPage reads pages from it).
  traffic::Exchange Send(const traffic::Request& request,
                         std::optional<Json>* parsed_body = nullptr) {
    if (stopped) {
      traffic::Exchange none;
      none.request = request;
      none.error = "not sent: the run stopped earlier";
      return none;
    }
    traffic::Exchange exchange = send(request);
    if (!exchange.error.empty() && exchange.response.status == 0 &&
        exchange.error.find("budget") != std::string::npos) {
      stopped = true;  // --max-requests: the run is short, not broken; nothing was sent
      stop_reason = exchange.error;
      return exchange;
    }
    ++requests;
    if (!charge_to.empty()) {
      ++Outcome(charge_to).requests;
    }
    if (!exchange.error.empty() && exchange.response.status == 0 && !exchange.body_over_limit) {
      stopped = true;
      stop_reason = exchange.error;
      errors.push_back("request " + std::to_string(requests) + " (" + request.method + " " +
                       traffic::RedactUrl(request.url) + "): " + exchange.error);
      return exchange;
    }
    ++responses_checked;
    error_responses_checked += exchange.response.status >= 400 ? 1 : 0;
    // A masked answer is evidence for response.read_mask.outside only when it holds resources.
    const bool masked = exchange.response.status < 300 && SendsAMask(request);
    ExchangeVerdict verdict = validator->Check(exchange, parsed_body != nullptr || masked
                                                             ? ExchangeValidator::KeepBody::kYes
                                                             : ExchangeValidator::KeepBody::kNo);
    if (masked && verdict.body && verdict.body->is_object()) {
      auto resources = verdict.body->find(op.list->resources_field);
      masked_responses_checked +=
          resources != verdict.body->end() && resources->is_array() && !resources->empty() ? 1 : 0;
    }
    for (Finding& finding : verdict.findings) {
      Add(std::move(finding));
    }
    if (parsed_body != nullptr) {
      *parsed_body = std::move(verdict.body);
    }
    if (exchange.response.status >= 500) {
      Finding finding = MakeFinding("response.no_5xx", "the server answered " + StatusLine(exchange));
      finding.expected = "a 2xx or a 4xx";
      finding.actual = std::to_string(exchange.response.status);
      finding.requests.push_back(exchange.request);
      Add(std::move(finding));
    }
    return exchange;
  }

  traffic::Exchange Get(const ListTarget& where, const ListQuery& query) {
    return Send(MakeListRequest(op, where, query));
  }

  // Whether `request` asks for some fields only (a readMask other than "" and "*").
  bool SendsAMask(const traffic::Request& request) const {
    if (!op.list || op.list->read_mask_param.empty()) {
      return false;
    }
    auto url = traffic::ParseUrl(request.url);
    std::optional<std::string> mask =
        url ? traffic::QueryValue(url->query, op.list->read_mask_param) : std::nullopt;
    return mask && !mask->empty() && *mask != "*";
  }

  Page FetchPage(const traffic::Request& request) {
    std::optional<Json> body;
    traffic::Exchange exchange = Send(request, &body);
    return ReadPage(op, std::move(exchange), std::move(body));
  }

  Page GetPage(const ListTarget& where, const ListQuery& query) {
    return FetchPage(MakeListRequest(op, where, query));
  }

  Walk WalkAll(const ListTarget& where, const ListQuery& query, const std::vector<std::optional<std::string>>& sizes,
               size_t max_pages) {
    FetchPageFn through = [this](const traffic::Request& request) { return FetchPage(request); };
    return WalkPages(op, where, query, sizes, through, {.max_pages = max_pages});
  }

  // Expects a 400 INVALID_ARGUMENT for `query`; a finding of `id` otherwise.
  void ExpectInvalidArgument(std::string_view id, const ListTarget& where, const ListQuery& query,
                             const std::string& what) {
    traffic::Exchange exchange = Get(where, query);
    if (stopped || SaysInvalidArgument(exchange)) {
      return;
    }
    Finding finding = MakeFinding(id, what + " was answered " + StatusLine(exchange));
    finding.expected = "400 INVALID_ARGUMENT";
    finding.actual = StatusLine(exchange);
    finding.requests.push_back(exchange.request);
    Add(std::move(finding));
  }

  void ExpectStatus(std::string_view id, const traffic::Request& request, int status, const std::string& what,
                    const std::string& expected_text) {
    traffic::Exchange exchange = Send(request);
    if (stopped || exchange.response.status == status) {
      return;
    }
    Finding finding = MakeFinding(id, what + " was answered " + StatusLine(exchange));
    finding.expected = expected_text;
    finding.actual = StatusLine(exchange);
    finding.requests.push_back(exchange.request);
    Add(std::move(finding));
  }

  std::string PageSizeText(int64_t size) const { return std::to_string(size); }

  // ---- scenarios --------------------------------------------------------------------------

  Walk reference;  // every resource in the default order, at the largest page size
  std::vector<const Json*> items;

  void ReferenceWalk() {
    charge_to = "page_walk.terminates";
    reference = WalkAll(main, {}, {PageSizeText(options.max_page_size)}, options.max_pages_per_walk);
    items = reference.Items();
    std::vector<Finding> found;
    CheckTermination(reference, found);
    CheckDisjoint(reference, found);
    CheckPageSizesRespected(reference, options.max_page_size, found);
    CheckTotalSize(reference, found);
    CheckLastPageToken(reference, found);
    // A 4xx or 5xx answer to the server's own nextPageToken is not the end of the collection.
    if (reference.pages.size() > 1) {
      CheckNoErrorPage(reference, "page_walk.complete", "following the server's own nextPageToken", found);
    }
    AddAll(found);
    if (reference.complete() && !reference.pages.empty() && reference.pages.front().total_size &&
        static_cast<int64_t>(items.size()) < *reference.pages.front().total_size) {
      Finding finding = MakeFinding("page_walk.complete",
                                    "the walk ended after " + std::to_string(items.size()) + " resources, but totalSize says " +
                                        std::to_string(*reference.pages.front().total_size));
      finding.expected = std::to_string(*reference.pages.front().total_size) + " resources";
      finding.actual = std::to_string(items.size()) + " resources";
      finding.requests = reference.RequestsUpTo(reference.pages.size());
      Add(std::move(finding));
    }
    Note("page_walk.terminates", std::to_string(reference.pages.size()) + " pages, " + std::to_string(items.size()) +
                                     " resources at pageSize " + std::to_string(options.max_page_size));
    if (op.catalog.Find("name") != nullptr) {
      auto by_name = aip::ParseOrderBy("name", op.catalog);
      if (by_name) {
        CheckOrder(reference, *by_name, "order.default", found);
        AddAll(found);
      }
    } else {
      Skip("order.default", "the resource has no name field");
    }
    if (!reference.pages.empty() && !reference.pages.front().total_size) {
      for (const char* id : {"total_size.stable", "total_size.matches_walk", "total_size.filtered"}) {
        Skip(id, "the response has no totalSize");
      }
    }
  }

  // Page sizes that change between pages and give a walk of a few dozen pages at most.
  std::vector<std::optional<std::string>> ChangingSizes() const {
    int64_t n = static_cast<int64_t>(items.size());
    int64_t base = std::max<int64_t>(1, n / 25);
    std::vector<int64_t> sizes = {base * 3, base, base * 5 + 1, base * 2, base * 7, base + 1};
    std::vector<std::optional<std::string>> out;
    for (int64_t size : sizes) {
      out.push_back(std::to_string(std::min(size, options.max_page_size)));
    }
    return out;
  }

  void ChangingPageSizeWalk() {
    if (!Runs({"page_walk.consistent_page_sizes", "page_walk.complete", "token.page_size_change",
               "total_size.stable", "total_size.matches_walk"})) {
      return;
    }
    charge_to = "page_walk.consistent_page_sizes";
    Walk walk = WalkAll(main, {}, ChangingSizes(), options.max_pages_per_walk);
    std::vector<Finding> found;
    CheckTermination(walk, found);
    CheckDisjoint(walk, found);
    // The reference walk is one page when the collection fits in the largest page: this one
    // has dozens, where a totalSize of the page rather than the collection shows.
    CheckTotalSize(walk, found);
    if (walk.pages.size() > 1) {
      CheckNoErrorPage(walk, "page_walk.complete", "following the server's own nextPageToken", found);
    }
    CheckSameSequence(reference, walk, "page_walk.consistent_page_sizes",
                      "walking at pageSize " + std::to_string(options.max_page_size) +
                          " and at page sizes that change between pages give different resources",
                      found);
    AddAll(found);
    // Items of the reference walk that never showed up: lost at a page boundary.
    if (walk.complete() && reference.complete()) {
      std::unordered_set<std::string> seen;
      for (const Json* item : walk.Items()) {
        seen.insert(ItemKey(*item));
      }
      size_t lost = 0;
      std::string first;
      for (const Json* item : items) {
        if (seen.count(ItemKey(*item)) == 0 && lost++ == 0) {
          first = ItemLabel(*item);
        }
      }
      if (lost > 0) {
        Finding finding = MakeFinding("page_walk.complete", std::to_string(lost) +
                                                                " resources never appear when walking at small, changing "
                                                                "page sizes (first: '" +
                                                                first + "')");
        finding.expected = std::to_string(items.size()) + " resources";
        finding.actual = std::to_string(seen.size()) + " distinct resources";
        finding.requests = walk.RequestsUpTo(walk.pages.size());
        Add(std::move(finding));
      }
    }
    for (size_t p = 1; p < walk.pages.size(); ++p) {
      const Page& page = walk.pages[p];
      if (page.requested_size && *page.requested_size > 0 &&
          static_cast<int64_t>(page.items.size()) > *page.requested_size) {
        Finding finding = MakeFinding("token.page_size_change",
                                      "page " + std::to_string(p + 1) + " asked for " +
                                          std::to_string(*page.requested_size) + " resources with a page token and got " +
                                          std::to_string(page.items.size()));
        finding.expected = "at most " + std::to_string(*page.requested_size);
        finding.actual = std::to_string(page.items.size());
        finding.requests = walk.RequestsUpTo(p);
        Add(std::move(finding));
        break;
      }
    }
    Note("page_walk.consistent_page_sizes", std::to_string(walk.pages.size()) + " pages at changing sizes");
  }

  void PageSizeChecks() {
    int64_t n = static_cast<int64_t>(items.size());
    bool total_known = reference.complete();
    if (Runs({"page_size.default", "page_size.default_filled"})) {
      charge_to = "page_size.default";
      for (const std::optional<std::string>& size : {std::optional<std::string>(), std::optional<std::string>("0")}) {
        Page page = GetPage(main, {.page_size = size});
        const traffic::Exchange& exchange = page.exchange;
        std::string what = size ? "pageSize=0" : "no pageSize";
        if (!page.ok()) {
          if (!stopped) {
            Finding finding = MakeFinding("page_size.default", what + " was answered " + StatusLine(exchange));
            finding.expected = "200 with the default page size";
            finding.actual = StatusLine(exchange);
            finding.requests.push_back(exchange.request);
            Add(std::move(finding));
          }
          continue;
        }
        int64_t got = static_cast<int64_t>(page.items.size());
        int64_t want = std::min(n, options.default_page_size);
        // More than the default breaks it; fewer is allowed ("The API may return fewer results
        // than the number requested (including zero results)", AIP-158) but not what the
        // documented default promises.
        const char* id = got > options.default_page_size ? "page_size.default"
                         : total_known && got < want     ? "page_size.default_filled"
                                                         : nullptr;
        if (id != nullptr && Selected(id)) {
          Finding finding = MakeFinding(id, what + " returned " + std::to_string(got) +
                                                " resources; the default page size is " +
                                                std::to_string(options.default_page_size));
          finding.expected = std::to_string(want) + " resources";
          finding.actual = std::to_string(got) + " resources";
          finding.requests.push_back(exchange.request);
          Add(std::move(finding));
        }
      }
    }
    if (Runs({"page_size.maximum"})) {
      charge_to = "page_size.maximum";
      for (const char* size : {"201", "1000", "2147483647"}) {
        Page page = GetPage(main, {.page_size = std::string(size)});
        const traffic::Exchange& exchange = page.exchange;
        if (stopped) {
          return;
        }
        if (!page.ok() || static_cast<int64_t>(page.items.size()) > options.max_page_size) {
          Finding finding = MakeFinding(
              "page_size.maximum",
              "pageSize=" + std::string(size) + " was answered " + StatusLine(exchange) +
                  (page.ok() ? " with " + std::to_string(page.items.size()) + " resources" : std::string()));
          finding.expected = "200 with at most " + std::to_string(options.max_page_size) + " resources";
          finding.actual = page.ok() ? std::to_string(page.items.size()) + " resources" : StatusLine(exchange);
          finding.requests.push_back(exchange.request);
          Add(std::move(finding));
        }
      }
      if (total_known && n <= options.max_page_size) {
        Note("page_size.maximum",
             "the collection holds " + std::to_string(n) + " resources, not more than " +
                 std::to_string(options.max_page_size) +
                 ": only 'answered, no error' could be judged, not the coercion");
      }
    }
    if (Runs({"page_size.invalid_rejected"})) {
      charge_to = "page_size.invalid_rejected";
      for (const char* size : {"-1", "-200", "abc", "1.5"}) {
        ExpectInvalidArgument("page_size.invalid_rejected", main, {.page_size = std::string(size)},
                              "pageSize=" + std::string(size));
      }
    }
  }

  // Sortable fields worth ordering by (credentials are not).
  std::vector<const aip::FieldInfo*> SortableFields() const {
    std::vector<const aip::FieldInfo*> fields;
    for (const aip::FieldInfo& field : op.catalog.fields()) {
      std::string last = field.path.substr(field.path.rfind('.') + 1);
      if (field.sortable && !traffic::IsSecretJsonKey(last)) {
        fields.push_back(&field);
      }
    }
    return fields;
  }

  int64_t OrderPageSize() const {
    return std::clamp<int64_t>(static_cast<int64_t>(items.size()) / 3, 2, 50);
  }

  // A short walk (three pages) ordered by `order_by`: enough to cross two page boundaries.
  Walk OrderedWalk(const std::string& order_by) {
    return WalkAll(main, {.order_by = order_by}, {std::to_string(OrderPageSize())}, 3);
  }

  void OrderChecks() {
    if (op.list->order_by_param.empty()) {  // nothing to send: AIP-132 ordering is optional
      for (const char* id : {"order.fields", "order.multi_key", "order.whitespace", "order.unknown_field_rejected"}) {
        Skip(id, "the operation has no orderBy parameter");
      }
      return;
    }
    if (Runs({"order.fields"})) {
      charge_to = "order.fields";
      std::vector<std::string> refused;
      size_t judged = 0;
      for (const aip::FieldInfo* field : SortableFields()) {
        for (bool descending : {false, true}) {
          std::string text = field->path + (descending ? " desc" : "");
          Walk walk = OrderedWalk(text);
          if (stopped) {
            return;
          }
          if (walk.pages.empty() || !walk.pages.front().ok()) {
            if (!walk.pages.empty() && walk.pages.front().exchange.response.status == 400) {
              refused.push_back(text);  // AIP-132 lets a service choose its sortable fields
            }
            continue;
          }
          auto order = aip::ParseOrderBy(text, op.catalog);
          if (!order) {
            continue;
          }
          std::vector<Finding> found;
          CheckOrder(walk, *order, "order.fields", found);
          CheckDisjoint(walk, found);
          AddAll(found);
          ++judged;
        }
      }
      Note("order.fields", std::to_string(judged) + " orderings walked");
      if (!refused.empty()) {
        Note("order.fields", std::to_string(refused.size()) + " refused with 400 (not sortable here): " + refused.front() +
                                 (refused.size() > 1 ? ", ..." : ""));
      }
      if (judged == 0) {
        Skip("order.fields", "the server accepted none of the orderings");
      }
    }
    const aip::FieldInfo* enum_field = nullptr;
    const aip::FieldInfo* time_field = nullptr;
    for (const aip::FieldInfo* field : SortableFields()) {
      if (enum_field == nullptr && field->type == aip::FieldType::kEnum) {
        enum_field = field;
      }
      if (time_field == nullptr && field->type == aip::FieldType::kTimestamp) {
        time_field = field;
      }
    }
    if (Runs({"order.multi_key"})) {
      charge_to = "order.multi_key";
      std::vector<std::string> orders;
      if (enum_field != nullptr && time_field != nullptr) {
        orders.push_back(enum_field->path + "," + time_field->path + " desc");
      }
      if (op.catalog.Find("displayName") != nullptr || time_field != nullptr) {
        const aip::FieldInfo* second = time_field;
        std::vector<const aip::FieldInfo*> sortable = SortableFields();
        const aip::FieldInfo* first = nullptr;
        for (const aip::FieldInfo* field : sortable) {
          if (field->type == aip::FieldType::kString && field->path != "name") {
            first = field;
            break;
          }
        }
        if (first != nullptr && second != nullptr) {
          orders.push_back(first->path + " desc," + second->path);
        }
      }
      for (const std::string& text : orders) {
        Walk walk = OrderedWalk(text);
        auto order = aip::ParseOrderBy(text, op.catalog);
        if (stopped || !order || walk.pages.empty()) {
          continue;
        }
        if (!walk.pages.front().ok()) {
          Finding finding = MakeFinding("order.multi_key",
                                        "orderBy '" + text + "' was answered " + StatusLine(walk.pages.front().exchange));
          finding.expected = "200";
          finding.actual = StatusLine(walk.pages.front().exchange);
          finding.requests.push_back(walk.pages.front().exchange.request);
          Add(std::move(finding));
          continue;
        }
        std::vector<Finding> found;
        CheckOrder(walk, *order, "order.multi_key", found);
        AddAll(found);
      }
      if (orders.empty()) {
        Skip("order.multi_key", "the contract has no pair of sortable fields to combine");
      }
    }
    if (Runs({"order.whitespace"}) && time_field != nullptr) {
      charge_to = "order.whitespace";
      std::string tidy = time_field->path + " desc,name";
      std::string spaced = "  " + time_field->path + "   desc ,  name ";
      Walk a = OrderedWalk(tidy);
      Walk b = OrderedWalk(spaced);
      if (!stopped && !b.pages.empty() && !b.pages.front().ok()) {
        Finding finding = MakeFinding("order.whitespace",
                                      "orderBy '" + spaced + "' was answered " + StatusLine(b.pages.front().exchange));
        finding.expected = "the same result as '" + tidy + "'";
        finding.actual = StatusLine(b.pages.front().exchange);
        finding.requests.push_back(b.pages.front().exchange.request);
        Add(std::move(finding));
      } else if (!stopped) {
        // Compare the pages both walks got (they were cut at three pages).
        a.end = WalkEnd::kLastPage;
        b.end = WalkEnd::kLastPage;
        std::vector<Finding> found;
        CheckSameSequence(a, b, "order.whitespace", "'" + tidy + "' and '" + spaced + "' order differently", found);
        AddAll(found);
      }
    } else if (time_field == nullptr) {
      Skip("order.whitespace", "the contract has no sortable timestamp to order by");
    }
    if (Runs({"order.unknown_field_rejected"})) {
      charge_to = "order.unknown_field_rejected";
      ExpectInvalidArgument("order.unknown_field_rejected", main, {.order_by = "conformNoSuchField"},
                            "orderBy=conformNoSuchField");
      ExpectInvalidArgument("order.unknown_field_rejected", main, {.order_by = "name,conformNoSuchField desc"},
                            "orderBy='name,conformNoSuchField desc'");
    }
  }

  // Filters built from the contract's field types and the values seen in the data.
  std::vector<std::string> FiltersFromData() const {
    std::vector<std::string> filters;
    std::set<aip::FieldType> covered;
    std::vector<aip::Node> restrictions;  // for AND/OR precedence
    for (const aip::FieldInfo& field : op.catalog.fields()) {
      if (field.repeated || !field.filterable || traffic::IsSecretJsonKey(field.path.substr(field.path.rfind('.') + 1))) {
        continue;
      }
      // The most common value of the field, and the median for ordered types.
      std::map<std::string, std::pair<int, aip::Value>> counts;
      std::vector<aip::Value> values;
      for (const Json* item : items) {
        const Json* node = aip::FindPath(*item, field.path);
        if (node == nullptr) {
          continue;
        }
        aip::Value value = aip::ReadValue(node, field);
        if (std::holds_alternative<aip::Unset>(value)) {
          continue;
        }
        std::string key = aip::DescribeValue(value);
        auto& entry = counts[key];
        entry.first++;
        entry.second = value;
        values.push_back(value);
      }
      if (values.empty()) {
        continue;
      }
      auto common = std::max_element(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
        return a.second.first < b.second.first;
      });
      std::sort(values.begin(), values.end(),
                [](const aip::Value& a, const aip::Value& b) { return aip::CompareValues(a, b) < 0; });
      const aip::Value& median = values[values.size() / 2];
      bool first_of_type = covered.insert(field.type).second;
      bool nested = field.path.find('.') != std::string::npos;
      if (!first_of_type && !(nested && covered.insert(aip::FieldType::kMap).second)) {
        continue;  // one filter family per type, plus one nested field
      }
      auto literal = LiteralFor(common->second.second);
      auto median_literal = LiteralFor(median);
      if (!literal || !median_literal) {
        continue;
      }
      switch (field.type) {
        case aip::FieldType::kEnum:
        case aip::FieldType::kBoolean:
          filters.push_back(aip::Print(aip::MakeRestriction(field.path, aip::Comparator::kEqual, *literal)));
          filters.push_back(aip::Print(aip::MakeRestriction(field.path, aip::Comparator::kNotEqual, *literal)));
          filters.push_back(aip::Print(
              aip::MakeNot(aip::MakeRestriction(field.path, aip::Comparator::kEqual, *literal), aip::NotStyle::kMinus)));
          restrictions.push_back(aip::MakeRestriction(field.path, aip::Comparator::kEqual, *literal));
          break;
        case aip::FieldType::kTimestamp: {
          filters.push_back(aip::Print(aip::MakeRestriction(field.path, aip::Comparator::kGreater, *median_literal)));
          filters.push_back(aip::Print(aip::MakeRestriction(field.path, aip::Comparator::kLessEqual, *median_literal)));
          if (auto other = AtOtherOffset(median_literal->text)) {
            filters.push_back(
                aip::Print(aip::MakeRestriction(field.path, aip::Comparator::kGreater, aip::StringLiteral(*other))));
            // An instant of the data at another offset: a server comparing text matches
            // nothing, whatever the data (`>` misses it when no value lies in the offset's gap).
            filters.push_back(
                aip::Print(aip::MakeRestriction(field.path, aip::Comparator::kEqual, aip::StringLiteral(*other))));
          }
          filters.push_back(aip::Print(aip::MakePresence(field.path)));
          restrictions.push_back(aip::MakeRestriction(field.path, aip::Comparator::kGreater, *median_literal));
          break;
        }
        case aip::FieldType::kInteger:
        case aip::FieldType::kNumber:
        case aip::FieldType::kDuration:
          filters.push_back(aip::Print(aip::MakeRestriction(field.path, aip::Comparator::kGreaterEqual, *median_literal)));
          filters.push_back(aip::Print(aip::MakeRestriction(field.path, aip::Comparator::kLess, *median_literal)));
          break;
        case aip::FieldType::kString: {
          filters.push_back(aip::Print(aip::MakeRestriction(field.path, aip::Comparator::kEqual, *literal)));
          const std::string& text = std::get<std::string>(common->second.second);
          if (text.size() >= 4) {
            filters.push_back(aip::Print(
                aip::MakeRestriction(field.path, aip::Comparator::kEqual, aip::PatternLiteral(text.substr(0, 3) + "*"))));
          }
          restrictions.push_back(aip::MakeRestriction(field.path, aip::Comparator::kEqual, *literal));
          break;
        }
        default:
          break;
      }
    }
    // AND/OR precedence: `a AND b OR c` means `a AND (b OR c)` (AIP-160).
    if (restrictions.size() >= 3) {
      std::string text = aip::Print(restrictions[0]) + " AND " + aip::Print(restrictions[1]) + " OR " +
                         aip::Print(restrictions[2]);
      filters.push_back(text);
      filters.push_back(aip::Print(restrictions[1]) + " OR " + aip::Print(restrictions[2]) + " " +
                        aip::Print(restrictions[0]));
    }
    return filters;
  }

  void FilterChecks() {
    if (!Runs({"filter.sound", "filter.complete", "total_size.filtered", "filter.supported",
               "filter.invalid_rejected"})) {
      return;
    }
    if (op.list->filter_param.empty()) {
      for (const char* id : {"filter.sound", "filter.complete", "total_size.filtered",
                             "filter.supported", "filter.invalid_rejected"}) {
        Skip(id, "the operation has no filter parameter");
      }
      return;
    }
    if (Runs({"filter.sound", "filter.complete", "total_size.filtered", "filter.supported"})) {
      charge_to = "filter.sound";
      std::vector<std::string> filters = FiltersFromData();
      size_t accepted = 0;
      std::vector<std::string> refused;
      std::vector<traffic::Request> refused_requests;  // the first few
      auto judge = [&](const Walk& walk, const aip::Filter& filter) {
        std::vector<Finding> found;
        CheckTermination(walk, found);
        CheckDisjoint(walk, found);
        CheckFilterSound(walk, filter, found);
        if (reference.complete()) {
          CheckFilterComplete(walk, reference, filter, found);
          CheckFilteredTotalSize(walk, reference, filter, found);
        }
        AddAll(found);
      };
      // The filter that returned the most, walked again over several small pages below: a
      // filter lost from the page token shows only after the first page.
      std::optional<aip::Filter> widest;
      std::string widest_text;
      size_t widest_count = 0;
      for (const std::string& text : filters) {
        auto filter = aip::ParseFilter(text, op.catalog);
        if (!filter) {
          continue;  // our own generator's bug would show in tests, not here
        }
        Walk walk = WalkAll(main, {.filter = text}, {PageSizeText(options.max_page_size)}, options.max_pages_per_walk);
        if (stopped) {
          return;
        }
        if (walk.pages.empty() || !walk.pages.front().ok()) {
          if (!walk.pages.empty() && walk.pages.front().exchange.response.status == 400) {
            refused.push_back(text);
            if (refused_requests.size() < 3) {
              refused_requests.push_back(walk.pages.front().exchange.request);
            }
          }
          continue;
        }
        ++accepted;
        judge(walk, *filter);
        if (walk.complete() && walk.Items().size() > widest_count) {
          widest = *filter;
          widest_text = text;
          widest_count = walk.Items().size();
        }
      }
      if (widest && widest_count >= 2) {
        const int64_t size = std::max<int64_t>(1, static_cast<int64_t>((widest_count + 2) / 3));
        Walk paged = WalkAll(main, {.filter = widest_text}, {std::to_string(size)},
                             options.max_pages_per_walk);
        if (stopped) {
          return;
        }
        if (!paged.pages.empty() && paged.pages.front().ok()) {
          judge(paged, *widest);
        }
      }
      std::string note = std::to_string(accepted) + " filters walked";
      if (!refused.empty()) {
        note += "; " + std::to_string(refused.size()) + " refused with 400 (e.g. '" + refused.front() + "')";
      }
      Note("filter.sound", note);
      if (accepted == 0) {
        for (const char* id : {"filter.sound", "filter.complete", "total_size.filtered"}) {
          Skip(id, filters.empty() ? "no filter could be built from the data" : "the server accepted none of the filters");
        }
      }
      if (filters.empty()) {
        Skip("filter.supported", "no filter could be built from the data");
      } else if (!refused.empty()) {
        // Every filter built here uses what AIP-160 says filtering provides.
        std::string examples;
        for (size_t i = 0; i < refused.size() && i < 3; ++i) {
          examples += (i == 0 ? "'" : ", '") + refused[i] + "'";
        }
        Finding finding = MakeFinding("filter.supported",
                                      std::to_string(refused.size()) + " of " +
                                          std::to_string(refused.size() + accepted) +
                                          " filters in AIP-160's syntax were refused: " + examples);
        finding.expected =
            "answered: comparisons, AND, OR, NOT, '-', ':' and '*' wildcards (AIP-160)";
        finding.actual = "400";
        finding.requests = refused_requests;
        Add(std::move(finding));
      } else {
        Note("filter.supported", std::to_string(accepted) + " filters answered");
      }
    }
    if (Runs({"filter.invalid_rejected"})) {
      charge_to = "filter.invalid_rejected";
      std::string some_field = op.catalog.fields().empty() ? "name" : op.catalog.fields().front().path;
      const std::vector<std::pair<std::string, std::string>> invalid = {
          {some_field + " = (", "a syntax error"},
          {"(" + some_field + " = \"x\"", "an unbalanced parenthesis"},
          {"conformNoSuchField = 1", "an unknown field"},
          {some_field + " = \"x\" AND AND", "a dangling AND"},
      };
      for (const auto& [text, what] : invalid) {
        ExpectInvalidArgument("filter.invalid_rejected", main, {.filter = text}, "filter '" + text + "' (" + what + ")");
      }
      for (const aip::FieldInfo& field : op.catalog.fields()) {
        if (field.type == aip::FieldType::kInteger && !field.repeated) {
          std::string text = field.path + " = \"not-a-number\"";
          ExpectInvalidArgument("filter.invalid_rejected", main, {.filter = text},
                                "filter '" + text + "' (a string for an integer field)");
          break;
        }
      }
    }
  }

  // A page token from the first page of `query` at page size 2; nullopt if none comes back.
  std::optional<std::string> TokenFor(const ListQuery& query) {
    ListQuery first = query;
    first.page_size = "2";
    Page page = GetPage(main, first);
    if (!page.ok() || !page.has_more()) {
      return std::nullopt;
    }
    return page.next_token;
  }

  void TokenChecks() {
    if (!Runs({"token.binding", "token.invalid_rejected", "token.other_account_rejected",
               "auth.token_is_not_credentials"})) {
      return;
    }
    charge_to = "token.binding";
    const aip::FieldInfo* time_field = nullptr;
    for (const aip::FieldInfo* field : SortableFields()) {
      if (field->type == aip::FieldType::kTimestamp) {
        time_field = field;
        break;
      }
    }
    // Only what the operation declares is sent: a page token is bound to those parameters.
    const bool orders = !op.list->order_by_param.empty();
    const bool filters = !op.list->filter_param.empty();
    const bool masks = !op.list->read_mask_param.empty();
    std::string order = time_field != nullptr ? time_field->path + " desc" : "name desc";
    std::string filter = "name:*";
    ListQuery base;
    if (orders) {
      base.order_by = order;
    }
    std::optional<std::string> token = TokenFor(base);
    if (!token) {
      for (const char* id : {"token.binding", "token.invalid_rejected", "token.other_account_rejected",
                             "auth.token_is_not_credentials"}) {
        Skip(id, items.size() < 3 ? "fewer than 3 resources: no second page to get a token for"
                                  : "the first page of two resources came without a nextPageToken");
      }
      return;
    }
    if (Selected("token.binding") && !orders && !filters && !masks) {
      Skip("token.binding", "the operation has no filter, orderBy or readMask parameter to bind a token to");
    } else if (Runs({"token.binding"})) {
      // The token of `base`, sent with one parameter changed to `value`.
      auto expect_refused = [&](std::optional<std::string> ListQuery::*parameter, const std::string& value,
                                const std::string& what) {
        ListQuery changed = base;
        changed.page_token = token;
        changed.page_size = "2";
        changed.*parameter = value;
        ExpectInvalidArgument("token.binding", main, changed, what);
      };
      if (filters) {
        expect_refused(&ListQuery::filter, filter, "a page token with a filter it was not issued for");
      }
      if (orders) {
        expect_refused(&ListQuery::order_by, "name", "a page token with another orderBy");
      }
      if (masks) {
        expect_refused(&ListQuery::read_mask, "name", "a page token with another readMask");
      }
    }
    if (Runs({"token.invalid_rejected"})) {
      charge_to = "token.invalid_rejected";
      std::string tampered = *token;
      size_t middle = tampered.size() / 2;
      tampered[middle] = tampered[middle] == 'A' ? 'B' : 'A';
      const std::vector<std::pair<std::string, std::string>> bad = {
          {"conform-garbage-token", "a garbage page token"},
          {token->substr(0, token->size() / 2), "a truncated page token"},
          {tampered, "a page token with one character changed"},
          {*token + "AAAA", "a page token with bytes appended"},
      };
      for (const auto& [text, what] : bad) {
        if (text == *token || text.empty()) {  // an empty pageToken asks for the first page
          continue;
        }
        ListQuery query = base;
        query.page_size = "2";
        query.page_token = text;
        ExpectInvalidArgument("token.invalid_rejected", main, query, what);
      }
    }
    if (Runs({"auth.token_is_not_credentials"}) && op.bearer_auth) {
      charge_to = "auth.token_is_not_credentials";
      ListQuery query = base;
      query.page_size = "2";
      query.page_token = token;
      ExpectStatus("auth.token_is_not_credentials", MakeListRequest(op, anonymous, query), 401,
                   "a valid page token without credentials", "401 UNAUTHENTICATED");
    } else if (!op.bearer_auth) {
      Skip("auth.token_is_not_credentials", "the operation declares no bearer authentication");
    }
    if (Selected("token.other_account_rejected") && !HasAccountInPath()) {
      Skip("token.other_account_rejected", "the operation's path names no account (" + op.path + ")");
    } else if (Runs({"token.other_account_rejected"})) {
      charge_to = "token.other_account_rejected";
      ListQuery query = base;
      query.page_size = "2";
      query.page_token = token;
      if (target.other_account && target.other_api_key) {
        ListTarget other = OtherTarget(*target.other_account, *target.other_api_key);
        traffic::Exchange exchange = Get(other, query);
        if (!stopped && (exchange.response.status < 400 || exchange.response.status >= 500)) {
          Finding finding = MakeFinding("token.other_account_rejected",
                                        "a page token of account '" + target.account + "' was accepted on account '" +
                                            *target.other_account + "': " + StatusLine(exchange));
          finding.expected = "400 INVALID_ARGUMENT";
          finding.actual = StatusLine(exchange);
          finding.requests.push_back(exchange.request);
          Add(std::move(finding));
        }
      } else {
        ListTarget elsewhere = main;
        elsewhere.path = PathFor("conform-no-such-account");
        traffic::Exchange exchange = Get(elsewhere, query);
        if (!stopped && exchange.response.status < 400) {
          Finding finding = MakeFinding("token.other_account_rejected",
                                        "a page token of account '" + target.account +
                                            "' was accepted on account 'conform-no-such-account': " + StatusLine(exchange));
          finding.expected = "a 4xx";
          finding.actual = StatusLine(exchange);
          finding.requests.push_back(exchange.request);
          Add(std::move(finding));
        }
      }
    }
  }

  // Whether the collection's path has a parameter for the account ("/v1/accounts/{id}/x").
  bool HasAccountInPath() const {
    size_t open = op.path.find('{');
    return open != std::string::npos && op.path.find('}', open) != std::string::npos;
  }

  std::string PathFor(const std::string& account) const {
    std::string path = op.path;
    size_t open = path.find('{');
    size_t close = path.find('}', open);
    if (open == std::string::npos || close == std::string::npos) {
      return path;
    }
    return path.substr(0, open) + traffic::PercentEncode(account) + path.substr(close + 1);
  }

  ListTarget OtherTarget(const std::string& account, const std::string& key) const {
    ListTarget other;
    other.base_url = target.base_url;
    other.path = PathFor(account);
    other.headers = {{"Authorization", "Bearer " + key}};
    return other;
  }

  void AuthChecks() {
    if (!op.bearer_auth) {
      for (const char* id : {"auth.missing_credentials", "auth.invalid_credentials", "auth.other_account_denied",
                             "auth.account_isolation"}) {
        Skip(id, "the operation declares no bearer authentication");
      }
      return;
    }
    if (Runs({"auth.missing_credentials"})) {
      charge_to = "auth.missing_credentials";
      ExpectStatus("auth.missing_credentials", MakeListRequest(op, anonymous, {}), 401, "a request without credentials",
                   "401 UNAUTHENTICATED");
    }
    if (Runs({"auth.invalid_credentials"})) {
      charge_to = "auth.invalid_credentials";
      ListTarget wrong = anonymous;
      wrong.headers.push_back({"Authorization", "Bearer conform-invalid-key-0f3a9c"});
      ExpectStatus("auth.invalid_credentials", MakeListRequest(op, wrong, {}), 401, "a request with an unknown API key",
                   "401 UNAUTHENTICATED");
      ListTarget malformed = anonymous;
      malformed.headers.push_back({"Authorization", "Basic Y29uZm9ybTpjb25mb3Jt"});
      ExpectStatus("auth.invalid_credentials", MakeListRequest(op, malformed, {}), 401,
                   "a request with Basic instead of Bearer credentials", "401 UNAUTHENTICATED");
    }
    if (!HasAccountInPath()) {
      Skip("auth.other_account_denied", "the operation's path names no account (" + op.path + ")");
      Skip("auth.account_isolation", "the operation's path names no account (" + op.path + ")");
      return;
    }
    if (!target.other_account || !target.other_api_key) {
      Skip("auth.other_account_denied", "needs a second principal (--other-account, --other-api-key-env)");
      Skip("auth.account_isolation", "needs a second principal (--other-account, --other-api-key-env)");
      return;
    }
    ListTarget other = OtherTarget(*target.other_account, *target.other_api_key);
    if (Runs({"auth.other_account_denied"})) {
      charge_to = "auth.other_account_denied";
      ListTarget their_key_our_account = main;
      their_key_our_account.headers = other.headers;
      ExpectStatus("auth.other_account_denied", MakeListRequest(op, their_key_our_account, {}), 403,
                   "account '" + target.account + "' read with the key of '" + *target.other_account + "'",
                   "403 PERMISSION_DENIED");
      ListTarget our_key_their_account = other;
      our_key_their_account.headers = main.headers;
      ExpectStatus("auth.other_account_denied", MakeListRequest(op, our_key_their_account, {}), 403,
                   "account '" + *target.other_account + "' read with the key of '" + target.account + "'",
                   "403 PERMISSION_DENIED");
    }
    if (Runs({"auth.account_isolation"})) {
      charge_to = "auth.account_isolation";
      Walk theirs = WalkAll(other, {}, {PageSizeText(options.max_page_size)}, options.max_pages_per_walk);
      std::unordered_set<std::string> ours;
      for (const Json* item : items) {
        ours.insert(ItemKey(*item));
      }
      std::string prefix = "accounts/" + target.account + "/";
      for (size_t p = 0; p < theirs.pages.size(); ++p) {
        for (const Json& item : theirs.pages[p].items) {
          std::string key = ItemKey(item);
          if (ours.count(key) == 0 && key.rfind(prefix, 0) != 0) {
            continue;
          }
          Finding finding =
              MakeFinding("auth.account_isolation",
                          "'" + ItemLabel(item) + "' of account '" + target.account +
                              "' is listed under account '" + *target.other_account + "'");
          finding.expected = "only resources of " + *target.other_account;
          finding.actual = ItemLabel(item);
          finding.requests = theirs.RequestsUpTo(p);
          Add(std::move(finding));
          return;
        }
      }
    }
  }

  void ReadMaskChecks() {
    if (op.list->read_mask_param.empty()) {
      Skip("read_mask.equivalent_all", "the operation has no readMask parameter");
      Skip("read_mask.unknown_path", "the operation has no readMask parameter");
      return;
    }
    if (Runs({"read_mask.equivalent_all"})) {
      charge_to = "read_mask.equivalent_all";
      std::string size = std::to_string(std::min<int64_t>(10, options.max_page_size));
      Page plain = GetPage(main, {.page_size = size});
      const traffic::Exchange& absent = plain.exchange;
      for (const char* mask : {"*", ""}) {
        Page page = GetPage(main, {.page_size = size, .read_mask = std::string(mask)});
        const traffic::Exchange& exchange = page.exchange;
        if (stopped || !plain.ok()) {
          return;
        }
        bool same = page.ok() && page.items == plain.items;
        if (!same) {
          Finding finding = MakeFinding("read_mask.equivalent_all",
                                        "readMask='" + std::string(mask) + "' does not return what no readMask returns (" +
                                            StatusLine(exchange) + ")");
          finding.expected = std::to_string(plain.items.size()) + " resources with every field";
          finding.actual = page.ok() ? std::to_string(page.items.size()) + " resources, differing" : StatusLine(exchange);
          finding.requests = {absent.request, exchange.request};
          Add(std::move(finding));
        }
      }
      // Masks the exchange validator judges (fields outside the mask are response.read_mask.outside).
      std::vector<std::string> masks;
      for (const aip::FieldInfo& field : op.catalog.fields()) {
        if (field.path.find('.') != std::string::npos && !field.repeated && masks.size() < 1) {
          masks.push_back("name," + field.path);
        }
      }
      masks.push_back("name");
      // And one without the name: whether a server returns it anyway (name_added).
      for (const aip::FieldInfo& field : op.catalog.fields()) {
        if (field.path.find('.') == std::string::npos && field.path != kResourceName &&
            !field.repeated) {
          masks.push_back(field.path);
          break;
        }
      }
      for (const std::string& mask : masks) {
        charge_to = "response.read_mask.outside";
        Get(main, {.page_size = size, .read_mask = mask});
      }
    }
    if (Runs({"read_mask.unknown_path"})) {
      charge_to = "read_mask.unknown_path";
      traffic::Exchange exchange = Get(main, {.read_mask = "name,conformNoSuchField"});
      if (!stopped) {
        std::vector<Finding> found;
        CheckUnknownMaskPathAnswered(exchange, "readMask='name,conformNoSuchField'", found);
        for (Finding& finding : found) {
          Add(std::move(finding));
        }
      }
    }
  }

  void SecretChecks() {
    if (!Selected("secrets.credential_in_clear")) {
      return;
    }
    size_t reported = 0;
    std::function<void(const Json&, const std::string&, size_t)> scan = [&](const Json& value, const std::string& pointer,
                                                                            size_t page) {
      if (!value.is_object() || reported >= 3) {
        return;
      }
      for (const auto& [key, child] : value.items()) {
        std::string child_pointer = pointer + "/" + key;
        if (child.is_string() && traffic::IsSecretJsonKey(key)) {
          const std::string& text = child.get_ref<const std::string&>();
          // Masked values ("", "****", "[REDACTED]", "sk-...1234" with stars) are fine.
          bool masked = text.empty() || text.find("***") != std::string::npos || text == "[REDACTED]" ||
                        std::all_of(text.begin(), text.end(), [&](char c) { return c == text[0]; });
          if (!masked) {
            Finding finding = MakeFinding("secrets.credential_in_clear", "'" + key + "' is returned in clear");
            finding.json_pointer = child_pointer;
            finding.expected = "absent or masked";
            finding.actual = "a " + std::to_string(text.size()) + "-character value (not shown)";
            finding.requests = reference.RequestsUpTo(page);
            Add(std::move(finding));
            ++reported;
          }
        } else {
          scan(child, child_pointer, page);
        }
      }
    };
    for (size_t p = 0; p < reference.pages.size(); ++p) {
      for (size_t i = 0; i < reference.pages[p].items.size(); ++i) {
        scan(reference.pages[p].items[i], reference.pages[p].items_pointer + "/" + std::to_string(i), p);
      }
    }
    Note("secrets.credential_in_clear", std::to_string(items.size()) + " resources scanned");
  }

  void IdempotenceChecks() {
    if (!Runs({"reads.idempotent"})) {
      return;
    }
    charge_to = "reads.idempotent";
    ListQuery query{.page_size = "5"};
    for (int round = 0; round < 2; ++round) {
      Page a = GetPage(main, query);
      Page b = GetPage(main, query);
      if (stopped) {
        return;
      }
      const traffic::Exchange& first = a.exchange;
      const traffic::Exchange& second = b.exchange;
      bool same = first.response.status == second.response.status && a.items == b.items &&
                  a.total_size == b.total_size && a.has_more() == b.has_more();
      if (!same) {
        Finding finding = MakeFinding("reads.idempotent", "the same request twice returned different pages");
        finding.expected = std::to_string(a.items.size()) + " resources, the same both times";
        finding.actual = "the second answer differs";
        finding.requests = {first.request, second.request};
        Add(std::move(finding));
        return;
      }
      if (!a.has_more()) {
        return;
      }
      query.page_token = a.next_token;  // the second round repeats a page reached by token
    }
  }
};

CheckSuite::CheckSuite(const Contract& contract, const Operation& op, SendFn send, CheckTarget target,
                       SuiteOptions options)
    : state_(std::make_unique<State>(contract, op, std::move(send), std::move(target), std::move(options))) {}

CheckSuite::~CheckSuite() = default;

Result<SuiteResult> CheckSuite::Run() {
  State& s = *state_;
  if (!s.op.list) {
    return InvalidArgument("operation " + s.op.operation_id + " is not an AIP-158 List (no repeated resource field " +
                           "and nextPageToken in its 200 response)");
  }
  if (std::count(s.op.path.begin(), s.op.path.end(), '{') > 1) {
    return InvalidArgument("operation " + s.op.operation_id + " has several path parameters (" + s.op.path +
                           "); conform check fills in only the account");
  }
  auto validator = ExchangeValidator::Create(
      s.contract, {.strict = s.options.strict,
                   .operation_id = s.op.operation_id,
                   .requests = ExchangeCheckOptions::Requests::kTrust});
  if (!validator) {
    return validator.error();
  }
  s.validator = *std::move(validator);
  s.account_path = s.PathFor(s.target.account);
  s.main = {.base_url = s.target.base_url, .path = s.account_path};
  if (s.target.api_key) {
    s.main.headers.push_back({"Authorization", "Bearer " + *s.target.api_key});
  }
  s.anonymous = {.base_url = s.target.base_url, .path = s.account_path};

  // Preflight: can we read the collection at all with the credentials given?
  s.charge_to = "page_walk.terminates";
  traffic::Exchange first = s.Get(s.main, {.page_size = std::to_string(s.options.max_page_size)});
  if (first.body_over_limit) {  // nothing could be checked: not a verdict on the server
    return Unavailable("cannot read the first page from " + s.target.base_url + ": " + first.error +
                       "; raise --max-body-size to check this server");
  }
  if (!first.error.empty() && first.response.status == 0) {
    return Unavailable("cannot reach " + s.target.base_url + ": " + first.error);
  }
  if (first.response.status == 401 || first.response.status == 403) {
    return FailedPrecondition("the server refused the credentials for account '" + s.target.account + "' (" +
                              StatusLine(first) + "): check the key in --api-key-env and --account");
  }
  if (first.response.status == 404) {
    if (!s.HasAccountInPath()) {
      return FailedPrecondition("the collection was not found (" + StatusLine(first) + ") at " + s.target.base_url +
                                s.account_path);
    }
    return FailedPrecondition("account '" + s.target.account + "' was not found (" + StatusLine(first) + ") at " +
                              s.target.base_url + s.account_path);
  }

  s.ReferenceWalk();
  // Auth first after the walk: it costs a handful of requests and matters most, so a request
  // budget spent on a broken server still leaves a verdict on it.
  if (!s.stopped) {
    s.AuthChecks();
  }
  if (!s.stopped) {
    s.ChangingPageSizeWalk();
  }
  if (!s.stopped) {
    s.PageSizeChecks();
  }
  if (!s.stopped) {
    s.OrderChecks();
  }
  if (!s.stopped) {
    s.FilterChecks();
  }
  if (!s.stopped) {
    s.TokenChecks();
  }
  if (!s.stopped) {
    s.ReadMaskChecks();
  }
  if (!s.stopped) {
    s.SecretChecks();
    s.IdempotenceChecks();
  }

  SuiteResult result;
  result.requests = s.requests;
  result.errors = s.errors;
  const size_t resources = s.items.size();
  for (const CheckInfo& info : AllChecks()) {
    if (!s.Selected(info.id)) {
      continue;
    }
    CheckOutcome outcome = s.Outcome(info.id);
    if (s.stopped && outcome.findings.empty() && outcome.requests == 0 && !outcome.skipped) {
      outcome.skipped = true;
      outcome.note = "not run: " + s.stop_reason;
    }
    // An empty account passes an ordering check on nothing: it is skipped, and says why.
    if (const size_t needed = ResourcesNeeded(info.id);
        s.reference.complete() && resources < needed && outcome.findings.empty() &&
        !outcome.skipped) {
      outcome.skipped = true;
      outcome.note = "the collection holds " + std::to_string(resources) +
                     (resources == 1 ? " resource" : " resources") + "; this rule needs " +
                     std::to_string(needed) + " to show";
    }
    if (info.id.rfind("response.", 0) == 0 && outcome.note.empty()) {
      const bool of_errors = info.id.rfind("response.error.", 0) == 0;
      const bool of_masks =
          info.id == "response.read_mask.outside" || info.id == "response.read_mask.name_added";
      const size_t judged = of_errors  ? s.error_responses_checked
                            : of_masks ? s.masked_responses_checked
                                       : s.responses_checked;
      const std::string what = of_errors  ? "error responses"
                               : of_masks ? "responses with resources to a readMask"
                                          : "responses";
      // A check that saw nothing it could judge has not passed: it did not run.
      if (judged == 0 && outcome.findings.empty()) {
        outcome.skipped = true;
        outcome.note = "no " + what + " to judge";
      } else {
        outcome.note = "on " + std::to_string(judged) + " " + what;
      }
    }
    result.checks.push_back(std::move(outcome));
  }
  return result;
}

}  // namespace conform::validator
