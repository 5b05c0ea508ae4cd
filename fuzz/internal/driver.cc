#include "fuzz/internal/driver.h"

#include <utility>

#include "traffic/redact.h"
#include "validator/list_oracles.h"

namespace conform::fuzz::internal {
namespace {

using validator::Finding;

// A body over the limit is an answer (judged as response.body.limit), not a lost server.
bool NoResponse(const traffic::Exchange& exchange) {
  return !exchange.error.empty() && exchange.response.status == 0 && !exchange.body_over_limit;
}

}  // namespace

Driver::Driver(const validator::Operation& op, const validator::ExchangeValidator& validator,
               validator::SendFn send, DriverOptions options)
    : op_(op), validator_(validator), send_(std::move(send)), options_(std::move(options)) {
  if (!options_.now) {
    options_.now = [] { return std::chrono::steady_clock::now(); };
  }
}

std::string Driver::CacheKey(const traffic::Request& request) {
  std::string key = request.method;
  key += '\n';
  key += request.url;
  key += '\n';
  key += std::string(traffic::FindHeader(request.headers, "Authorization").value_or("<none>"));
  int occurrence = occurrences_[key]++;
  key += '\n';
  key += std::to_string(occurrence);
  return key;
}

traffic::Exchange Driver::Send(const traffic::Request& request, CacheUse cache,
                               std::optional<nlohmann::json>* parsed_body) {
  if (Stopped()) {
    case_stopped_ = in_case_ || case_stopped_;
    traffic::Exchange none;
    none.request = request;
    none.error = "not sent: " + stop_detail_;
    return none;
  }
  std::string key = cache == CacheUse::kReplay ? CacheKey(request) : std::string();
  if (cache == CacheUse::kReplay && shrinking_) {
    if (auto found = cache_.find(key); found != cache_.end()) {
      ++cache_hits_;
      traffic::Exchange replayed = found->second;
      std::optional<nlohmann::json> body = Judge(replayed);
      if (parsed_body != nullptr) {
        *parsed_body = std::move(body);
      }
      return replayed;
    }
  }
  traffic::Exchange exchange = send_(request);
  const bool budget = NoResponse(exchange) && exchange.error.find("budget") != std::string::npos;
  if (!budget) {
    ++sent_;  // a request the budget refused was never sent
  }
  if (NoResponse(exchange)) {
    stop_ = budget ? StopReason::kBudget : StopReason::kTransport;
    stop_detail_ = budget ? "the request budget (--max-requests) is spent" : exchange.error;
    case_stopped_ = true;
    if (!budget) {
      transport_errors_.push_back("request " + std::to_string(sent_) + " (" + request.method + " " +
                                  traffic::RedactUrl(request.url) + "): " + exchange.error);
    }
    return exchange;
  }
  if (cache == CacheUse::kReplay) {
    size_t bytes = exchange.response.body.size() + exchange.request.url.size() + key.size();
    if (cache_bytes_ + bytes <= options_.max_cache_bytes) {
      cache_bytes_ += bytes;
      cache_[key] = exchange;
    }
  }
  std::optional<nlohmann::json> body = Judge(exchange);
  if (parsed_body != nullptr) {
    *parsed_body = std::move(body);
  }
  return exchange;
}

validator::Page Driver::FetchPage(const traffic::Request& request, CacheUse cache) {
  std::optional<nlohmann::json> body;
  traffic::Exchange exchange = Send(request, cache, &body);
  return validator::ReadPage(op_, std::move(exchange), std::move(body));
}

validator::Page Driver::Get(const validator::ListTarget& target, const validator::ListQuery& query,
                            CacheUse cache) {
  return FetchPage(validator::MakeListRequest(op_, target, query), cache);
}

validator::Walk Driver::Walk(const validator::ListTarget& target, const validator::ListQuery& query,
                             const std::vector<std::optional<std::string>>& page_sizes,
                             size_t max_pages, CacheUse cache) {
  validator::FetchPageFn through = [this, cache](const traffic::Request& request) {
    return FetchPage(request, cache);
  };
  return validator::WalkPages(op_, target, query, page_sizes, through, {.max_pages = max_pages});
}

std::optional<nlohmann::json> Driver::Judge(const traffic::Exchange& exchange) {
  if (NoResponse(exchange)) {
    return std::nullopt;
  }
  validator::ExchangeVerdict verdict =
      validator_.Check(exchange, validator::ExchangeValidator::KeepBody::kYes);
  for (Finding& finding : verdict.findings) {
    AddOne(std::move(finding));
  }
  std::vector<Finding> found;
  validator::CheckNo5xx(exchange, found);
  if (exchange.response.status == 200 && verdict.body && verdict.body->is_object() && op_.list) {
    auto items = verdict.body->find(op_.list->resources_field);
    if (items != verdict.body->end() && items->is_array()) {
      validator::Walk one;
      validator::Page page;
      page.exchange.request = exchange.request;
      page.items.assign(items->begin(), items->end());
      page.items_pointer = "/" + op_.list->resources_field;
      one.pages.push_back(std::move(page));
      validator::CheckCredentialsMasked(one, found);
    }
  }
  Add(found);
  return std::move(verdict.body);
}

bool Driver::Fails(const Finding& finding) const {
  return finding.level == validator::Level::kMust ||
         (finding.level == validator::Level::kShould &&
          options_.strictness == DriverOptions::Strictness::kShouldFails);
}

void Driver::AddOne(Finding finding) {
  if (!in_case_) {
    return;
  }
  if (++per_check_[finding.check_id] > options_.max_findings_per_check) {
    return;
  }
  if (finding.source.empty()) {
    finding.source = options_.source;
  }
  findings_.push_back(std::move(finding));
}

void Driver::Add(std::vector<Finding>& findings) {
  for (Finding& finding : findings) {
    AddOne(std::move(finding));
  }
  findings.clear();
}

void Driver::Describe(std::string description) { description_ = std::move(description); }

void Driver::InternalError(std::string message) {
  internal_errors_.push_back(std::move(message));
  case_stopped_ = true;  // the case proves nothing about the server
}

void Driver::BeginProperty(std::optional<std::chrono::steady_clock::time_point> deadline) {
  deadline_ = deadline;
  if (stop_ == StopReason::kDeadline) {
    stop_ = StopReason::kNone;
    stop_detail_.clear();
  }
  shrinking_ = false;
  cache_.clear();
  cache_bytes_ = 0;
  cases_run_ = 0;
  refused_ = 0;
  failure_.reset();
  warnings_.clear();
}

void Driver::StartShrinking() { shrinking_ = true; }

void Driver::EndProperty() {
  shrinking_ = false;
  cache_.clear();
  cache_bytes_ = 0;
  deadline_.reset();
}

bool Driver::BeginCase() {
  if (!Stopped() && deadline_ && options_.now() >= *deadline_) {
    stop_ = StopReason::kDeadline;
    stop_detail_ = "the time budget (--duration) is spent";
  }
  in_case_ = !Stopped();
  case_stopped_ = Stopped();
  description_.clear();
  findings_.clear();
  per_check_.clear();
  occurrences_.clear();
  if (!shrinking_) {
    // Only the running case's answers are kept: those are what shrinking will ask again.
    cache_.clear();
    cache_bytes_ = 0;
  }
  if (in_case_ && !shrinking_) {
    ++cases_run_;
  }
  return in_case_;
}

void Driver::AbandonCase() {
  if (in_case_ && !shrinking_) {
    --cases_run_;
  }
  case_stopped_ = true;
  static_cast<void>(EndCase());
}

bool Driver::CaseFailing() const {
  for (const Finding& finding : findings_) {
    if (Fails(finding)) {
      return true;
    }
  }
  return false;
}

std::optional<std::string> Driver::EndCase() {
  bool was_in_case = in_case_;
  in_case_ = false;
  if (!was_in_case || case_stopped_) {
    findings_.clear();
    return std::nullopt;
  }
  if (!CaseFailing()) {
    if (!shrinking_) {
      for (Finding& finding : findings_) {
        size_t same = 0;
        for (const Finding& kept : warnings_) {
          same += kept.check_id == finding.check_id ? 1 : 0;
        }
        if (same == 0) {
          warnings_.push_back(std::move(finding));
        }
      }
    }
    findings_.clear();
    return std::nullopt;
  }
  std::string message;
  for (const Finding& finding : findings_) {
    if (Fails(finding)) {
      message = finding.check_id + ": " + finding.message;
      break;
    }
  }
  failure_ = CaseFailure{.description = description_, .findings = std::move(findings_)};
  findings_.clear();
  return message;
}

}  // namespace conform::fuzz::internal
