#include "fuzz/fuzzer.h"

#include <rapidcheck.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <utility>

#include "fuzz/internal/driver.h"
#include "fuzz/internal/properties.h"
#include "validator/exchange_validator.h"

namespace conform::fuzz {
namespace {

using Clock = std::chrono::steady_clock;

// Thrown by the listener to end a RapidCheck run early (time or request budget spent, target
// gone): RapidCheck does not catch what its listener throws, and Fuzz() catches it.
struct StopRun {};

uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

double Seconds(Clock::duration elapsed) { return std::chrono::duration<double>(elapsed).count(); }

// Counts cases and shrinks for progress, notes the first failure, and turns on the replay
// cache for the shrinking that follows it.
class Listener final : public rc::detail::TestListener {
 public:
  Listener(internal::Driver& driver, Progress& progress,
           const std::function<void(const Progress&)>& report,
           const std::function<Clock::time_point()>& now)
      : driver_(driver), progress_(progress), report_(report), now_(now) {}

  void onTestCaseFinished(const rc::detail::CaseDescription& description) override {
    progress_.cases = driver_.cases_run();
    progress_.requests = driver_.sent();
    progress_.cache_hits = driver_.cache_hits();
    if (description.result.type == rc::detail::CaseResult::Type::Failure && !failed_at_requests_) {
      failed_at_requests_ = driver_.sent();
      failed_at_ = now_();
      failing_case_ = driver_.cases_run();
      driver_.StartShrinking();
      progress_.phase = Progress::Phase::kShrinking;
    }
    Emit();
    if (driver_.Stopped()) {
      throw StopRun{};
    }
  }

  void onShrinkTried(const rc::detail::CaseDescription& /*shrink*/, bool accepted) override {
    progress_.shrinks += accepted ? 1 : 0;
    progress_.requests = driver_.sent();
    progress_.cache_hits = driver_.cache_hits();
    Emit();
    if (driver_.Stopped()) {
      throw StopRun{};
    }
  }

  void onTestFinished(const rc::detail::TestMetadata& /*metadata*/,
                      const rc::detail::TestResult& /*result*/) override {}

  const std::optional<int64_t>& failed_at_requests() const { return failed_at_requests_; }
  const std::optional<Clock::time_point>& failed_at() const { return failed_at_; }
  const std::optional<int>& failing_case() const { return failing_case_; }

 private:
  void Emit() {
    if (report_) {
      report_(progress_);
    }
  }

  internal::Driver& driver_;
  Progress& progress_;
  const std::function<void(const Progress&)>& report_;
  const std::function<Clock::time_point()>& now_;
  std::optional<int64_t> failed_at_requests_;
  std::optional<Clock::time_point> failed_at_;
  std::optional<int> failing_case_;
};

std::string StatusOf(const traffic::Exchange& exchange) {
  return exchange.error.empty() ? std::to_string(exchange.response.status) : exchange.error;
}

}  // namespace

uint64_t PropertySeed(uint64_t seed, std::string_view property) {
  uint64_t hash = 1469598103934665603ULL;  // FNV-1a
  for (char c : property) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return SplitMix64(seed ^ hash);
}

Result<FuzzResult> Fuzz(const validator::Contract& contract, const validator::Operation& op,
                        validator::SendFn send, const FuzzTarget& target,
                        const FuzzOptions& options) {
  if (!op.list) {
    return InvalidArgument(
        "operation " + op.operation_id +
        " is not an AIP-158 List (no repeated resource field and nextPageToken in its 200 "
        "response)");
  }
  if (std::count(op.path.begin(), op.path.end(), '{') > 1) {
    return InvalidArgument("operation " + op.operation_id + " has several path parameters (" +
                           op.path + "); conform fuzz fills in only the account");
  }
  if (options.runs < 1) {
    return InvalidArgument("runs must be at least 1");
  }
  std::vector<const PropertyInfo*> selected;
  for (const std::string& name : options.properties) {
    if (FindProperty(name) == nullptr) {
      std::string known;
      for (const PropertyInfo& property : AllProperties()) {
        known += (known.empty() ? "" : ", ") + std::string(property.name);
      }
      return InvalidArgument("unknown property '" + name + "' (known: " + known + ")");
    }
  }
  for (const PropertyInfo& property : AllProperties()) {
    if (options.properties.empty() ||
        std::find(options.properties.begin(), options.properties.end(), property.name) !=
            options.properties.end()) {
      selected.push_back(&property);
    }
  }
  bool should_fails = options.strictness == FuzzOptions::Strictness::kShouldFails;
  auto validator = validator::ExchangeValidator::Create(
      contract, {.strict = should_fails,
                 .operation_id = op.operation_id,
                 .requests = validator::ExchangeCheckOptions::Requests::kTrust});
  if (!validator) {
    return validator.error();
  }
  std::function<Clock::time_point()> now = options.now ? options.now : [] { return Clock::now(); };
  const Clock::time_point started = now();
  internal::Driver driver(
      op, **validator, std::move(send),
      {.strictness = should_fails ? internal::DriverOptions::Strictness::kShouldFails
                                  : internal::DriverOptions::Strictness::kMustFails,
       .source = target.base_url,
       .now = now});

  validator::ListTarget main{.base_url = target.base_url,
                             .path = internal::PathFor(op, target.account)};
  if (target.api_key) {
    main.headers.push_back({"Authorization", "Bearer " + *target.api_key});
  }
  validator::ListTarget anonymous{.base_url = target.base_url, .path = main.path};
  std::optional<validator::ListTarget> other;
  if (target.other_account && target.other_api_key) {
    other =
        validator::ListTarget{.base_url = target.base_url,
                              .path = internal::PathFor(op, *target.other_account),
                              .headers = {{"Authorization", "Bearer " + *target.other_api_key}}};
  }

  Progress progress;
  progress.property_count = selected.size();
  progress.runs = options.runs;
  if (options.progress) {
    options.progress(progress);
  }

  // The reference walk: every resource in the default order at the largest page size.
  validator::Walk reference = driver.Walk(
      main, {}, {std::to_string(options.page_sizes.max_page_size)}, options.max_reference_pages);
  const traffic::Exchange* first =
      reference.pages.empty() ? nullptr : &reference.pages.front().exchange;
  if (first != nullptr && first->body_over_limit) {  // nothing could be fuzzed
    return Unavailable("cannot read the first page from " + target.base_url + ": " + first->error +
                       "; raise --max-body-size to fuzz this server");
  }
  if (first == nullptr || (!first->error.empty() && first->response.status == 0)) {
    return Unavailable("cannot reach " + target.base_url + ": " +
                       (first == nullptr ? driver.stop_detail() : first->error));
  }
  int status = first->response.status;
  if (status == 401 || status == 403) {
    return FailedPrecondition("the server refused the credentials for account '" + target.account +
                              "' (" + StatusOf(*first) +
                              "): check the key in --api-key-env and --account");
  }
  if (status == 404) {
    return FailedPrecondition("account '" + target.account + "' was not found (404) at " +
                              target.base_url + main.path);
  }

  FuzzResult result;
  result.seed = options.seed;
  result.runs = options.runs;
  result.reference_requests = driver.sent();
  result.reference_items = reference.Items().size();
  const double reference_seconds = Seconds(now() - started);
  DataProfile profile = BuildDataProfile(op.catalog, reference.Items(), options.page_sizes);
  internal::Context ctx{.op = op,
                        .driver = driver,
                        .profile = profile,
                        .reference = reference,
                        .target = target,
                        .main = main,
                        .anonymous = anonymous,
                        .other = other};

  for (size_t index = 0; index < selected.size(); ++index) {
    const PropertyInfo& info = *selected[index];
    PropertyOutcome outcome;
    outcome.name = std::string(info.name);
    outcome.invariant = std::string(info.invariant);
    if (std::optional<std::string> why = internal::SkipReason(info.name, ctx)) {
      outcome.skipped = true;
      outcome.note = *why;
      result.properties.push_back(std::move(outcome));
      continue;
    }
    if (driver.stop_reason() == internal::StopReason::kBudget ||
        driver.stop_reason() == internal::StopReason::kTransport) {
      outcome.skipped = true;
      outcome.note = "not run: " + driver.stop_detail();
      result.properties.push_back(std::move(outcome));
      continue;
    }
    std::optional<Clock::time_point> deadline;
    if (options.duration) {
      // An even share of the time left; what a property leaves passes on to the next ones.
      Clock::duration left = started + *options.duration - now();
      deadline = now() + std::max(Clock::duration::zero(),
                                  left / static_cast<int64_t>(selected.size() - index));
    }
    driver.BeginProperty(deadline);
    const int64_t sent_before = driver.sent();
    const int64_t hits_before = driver.cache_hits();
    const Clock::time_point property_started = now();
    progress.phase = Progress::Phase::kSearching;
    progress.property = info.name;
    progress.property_index = index + 1;
    progress.cases = 0;
    progress.shrinks = 0;
    progress.property_failed = false;
    if (options.progress) {
      options.progress(progress);
    }

    internal::PropertyBody body = internal::BodyOf(info.name);
    auto testable = [&ctx, &driver, body]() {
      if (!driver.BeginCase()) {
        return;
      }
      try {
        body(ctx);
      } catch (const rc::detail::CaseResult&) {
        driver.AbandonCase();  // RC_PRE, RC_DISCARD: RapidCheck's to handle
        throw;
      } catch (const rc::GenerationFailure&) {
        driver.AbandonCase();
        throw;
      } catch (const std::exception& e) {
        driver.InternalError(e.what());
        driver.AbandonCase();
        return;
      }
      if (std::optional<std::string> failure = driver.EndCase()) {
        RC_FAIL(*failure);
      }
    };
    rc::detail::TestParams params;
    params.seed = PropertySeed(options.seed, info.name);
    params.maxSuccess = options.runs;
    params.maxSize = 100;
    params.maxDiscardRatio = 10;
    rc::detail::TestMetadata metadata;
    metadata.id = outcome.name;
    metadata.description = outcome.invariant;
    Listener listener(driver, progress, options.progress, now);
    std::string stopped_early;
    try {
      rc::detail::TestResult checked = rc::detail::checkProperty(rc::detail::toProperty(testable),
                                                                 metadata, params, listener, {});
      rc::detail::GaveUpResult gave_up;
      rc::detail::FailureResult failed;
      rc::detail::Error error;
      if (checked.match(gave_up)) {
        outcome.note = "gave up after " + std::to_string(gave_up.numSuccess) +
                       " cases: " + gave_up.description;
      } else if (checked.match(error)) {
        driver.InternalError("property " + outcome.name + ": " + error.description);
      } else if (checked.match(failed) && !driver.failure()) {
        driver.InternalError("property " + outcome.name + ": " + failed.description);
      }
    } catch (const StopRun&) {
      stopped_early = driver.stop_detail();
    }
    driver.EndProperty();
    if (info.needs == PropertyNeeds::kEmbeddedStore && target.churn) {
      internal::ResetChurnAccount(*target.churn);
    }

    outcome.cases = driver.cases_run();
    outcome.shrinks = progress.shrinks;
    outcome.requests = driver.sent() - sent_before;
    outcome.cache_hits = driver.cache_hits() - hits_before;
    outcome.seconds = Seconds(now() - property_started);
    if (const std::optional<internal::CaseFailure>& failure = driver.failure()) {
      outcome.failed = true;
      outcome.findings = failure->findings;
      outcome.counterexample = failure->description;
      outcome.failing_case = listener.failing_case();
      if (listener.failed_at_requests()) {
        outcome.requests_to_failure =
            result.reference_requests + (*listener.failed_at_requests() - sent_before);
        outcome.seconds_to_failure =
            reference_seconds + Seconds(*listener.failed_at() - property_started);
      }
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%.2f s",
                    outcome.seconds_to_failure.value_or(outcome.seconds));
      outcome.note = "failed at case " +
                     std::to_string(outcome.failing_case.value_or(outcome.cases)) + " after " +
                     std::to_string(outcome.requests_to_failure.value_or(outcome.requests)) +
                     " requests (" + seconds + "); shrunk " + std::to_string(outcome.shrinks) +
                     " times to: " + outcome.counterexample;
      if (!stopped_early.empty()) {
        outcome.note += " (shrinking stopped: " + stopped_early + ")";
      }
    } else {
      outcome.findings = driver.warnings();
      outcome.note = (outcome.note.empty() ? std::string() : outcome.note + "; ") +
                     std::to_string(outcome.cases) + (outcome.cases == 1 ? " case" : " cases");
      if (driver.refused() > 0) {
        outcome.note += ", " + std::to_string(driver.refused()) +
                        " refused with 400 (not judged here; conform check's filter.supported is)";
      }
      if (!stopped_early.empty()) {
        outcome.note += " (stopped: " + stopped_early + ")";
      }
    }
    progress.phase = Progress::Phase::kDone;
    progress.property_failed = outcome.failed;
    progress.failed_properties += outcome.failed ? 1 : 0;
    progress.cases = outcome.cases;
    progress.requests = driver.sent();
    progress.cache_hits = driver.cache_hits();
    if (options.progress) {
      options.progress(progress);
    }
    result.properties.push_back(std::move(outcome));
  }

  if (!driver.internal_errors().empty()) {
    return InternalError("conform fuzz: " + driver.internal_errors().front());
  }
  result.requests = driver.sent();
  result.cache_hits = driver.cache_hits();
  result.errors = driver.transport_errors();
  if (driver.stop_reason() == internal::StopReason::kBudget ||
      driver.stop_reason() == internal::StopReason::kTransport) {
    result.stopped = driver.stop_detail();
  }
  return result;
}

}  // namespace conform::fuzz
