// pagination_under_churn: an rc::state model of the collection. The model is the ordered list
// of job names; the commands are Create and Delete (through the embedded server's store) and
// ListPage(size) over HTTP, which follows the token of the previous page. A walk starts with
// the first ListPage after the previous walk ended.
#include <rapidcheck/state.h>

#include <algorithm>
#include <memory>
#include <ostream>
#include <set>
#include <utility>

#include "aip/order_by.h"
#include "fuzz/internal/properties.h"
#include "validator/list_oracles.h"

namespace conform::fuzz::internal {
namespace {

using Json = nlohmann::json;
using validator::Finding;
using validator::Page;
using validator::Walk;
using validator::WalkEnd;

// A walk under churn is bounded like any other.
constexpr size_t kMaxChurnPages = 200;

struct ChurnShared {
  std::vector<Json> templates;  // resources of the reference walk, renamed on creation
  std::string account;
};

struct ChurnModel {
  std::vector<std::string> names;  // sorted: the default order of a List is by name
  std::shared_ptr<const ChurnShared> shared;
};

struct ChurnSut {
  Context& ctx;
  const ChurnStore& store;
  validator::ListTarget target;
  bool walking = false;
  std::optional<std::string> token;
  Walk walk;
  std::vector<std::string> present;   // jobs that existed when the walk began, not deleted since
  std::optional<std::string> cursor;  // the last job the walk returned
  std::set<std::string> tokens;
  std::vector<std::string> log;
};

using ChurnCommand = rc::state::Command<ChurnModel, ChurnSut>;

std::string JobName(const std::string& account, const std::string& id) {
  return "accounts/" + account + "/dpoJobs/" + id;
}

std::string GenJobId() {
  static const std::string kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string id = "f";
  for (int i = 0; i < 5; ++i) {
    id += kAlphabet[*Pick(kAlphabet.size())];
  }
  return id;
}

bool Contains(const std::vector<std::string>& sorted, const std::string& name) {
  return std::binary_search(sorted.begin(), sorted.end(), name);
}

void Insert(std::vector<std::string>& sorted, const std::string& name) {
  sorted.insert(std::lower_bound(sorted.begin(), sorted.end(), name), name);
}

void Erase(std::vector<std::string>& sorted, const std::string& name) {
  auto found = std::lower_bound(sorted.begin(), sorted.end(), name);
  if (found != sorted.end() && *found == name) {
    sorted.erase(found);
  }
}

Json JobFrom(const ChurnShared& shared, size_t template_index, const std::string& name) {
  Json job = shared.templates.empty() ? Json{{"dataset", "accounts/conform/datasets/fuzz"}}
                                      : shared.templates[template_index % shared.templates.size()];
  job["name"] = name;
  return job;
}

enum class WalkState { kOngoing, kEnded };

// The oracles of a walk so far, and once it ended those that need its end.
void JudgeWalk(ChurnSut& sut, WalkState state) {
  const DataProfile& profile = sut.ctx.profile;
  std::vector<Finding> found;
  validator::CheckDisjoint(sut.walk, found);
  validator::CheckPageSizesRespected(sut.walk, profile.page_sizes.max_page_size, found);
  validator::CheckDefaultPageSize(sut.walk, profile.page_sizes.default_page_size, found);
  if (Result<aip::OrderBy> by_name = aip::ParseOrderBy("name", profile.catalog)) {
    validator::CheckOrder(sut.walk, *by_name, "order.default", found);
  }
  if (state == WalkState::kEnded) {
    validator::CheckTermination(sut.walk, found);
    validator::CheckNoErrorPage(sut.walk, "page_walk.complete",
                                "a walk while jobs are created and deleted", found);
    validator::CheckWalkCovers(sut.walk, sut.present, found);
    validator::CheckNextTokenOmittedAtEnd(sut.walk, found);
  }
  sut.ctx.driver.Add(found);
}

void EndWalk(ChurnSut& sut, WalkEnd end, std::string detail) {
  sut.walk.end = end;
  sut.walk.end_detail = std::move(detail);
  JudgeWalk(sut, WalkState::kEnded);
  sut.walking = false;
  sut.token.reset();
  sut.tokens.clear();
}

class CreateJob : public ChurnCommand {
 public:
  explicit CreateJob(const ChurnModel& model)
      : name_(JobName(model.shared->account, GenJobId())),
        template_index_(model.shared->templates.empty() ? 0
                                                        : *Pick(model.shared->templates.size())) {}

  void checkPreconditions(const ChurnModel& model) const override {
    RC_PRE(!Contains(model.names, name_));
  }
  void apply(ChurnModel& model) const override { Insert(model.names, name_); }
  void run(const ChurnModel& model, ChurnSut& sut) const override {
    if (sut.ctx.driver.CaseFailing() || sut.ctx.driver.Stopped()) {
      return;
    }
    sut.log.push_back("Create(" + Id() + ")");
    Status added = sut.store.add_job(JobFrom(*model.shared, template_index_, name_));
    if (!added.ok()) {
      sut.ctx.driver.InternalError("pagination_under_churn: the store refused " + name_ + ": " +
                                   added.error().ToString());
    }
  }
  void show(std::ostream& os) const override { os << "Create(" << Id() << ")"; }

 private:
  std::string Id() const { return name_.substr(name_.rfind('/') + 1); }
  std::string name_;
  size_t template_index_;
};

class DeleteJob : public ChurnCommand {
 public:
  explicit DeleteJob(const ChurnModel& model)
      : name_(model.names.empty() ? std::string() : model.names[*Pick(model.names.size())]) {}

  void checkPreconditions(const ChurnModel& model) const override {
    RC_PRE(!name_.empty() && Contains(model.names, name_));
  }
  void apply(ChurnModel& model) const override { Erase(model.names, name_); }
  void run(const ChurnModel& /*model*/, ChurnSut& sut) const override {
    if (sut.ctx.driver.CaseFailing() || sut.ctx.driver.Stopped()) {
      return;
    }
    sut.log.push_back("Delete(" + Id() + ")");
    sut.store.delete_job(name_);
    sut.present.erase(std::remove(sut.present.begin(), sut.present.end(), name_),
                      sut.present.end());
  }
  void show(std::ostream& os) const override { os << "Delete(" << Id() << ")"; }

 private:
  std::string Id() const { return name_.substr(name_.rfind('/') + 1); }
  std::string name_;
};

class ListPage : public ChurnCommand {
 public:
  explicit ListPage(const ChurnModel& /*model*/) {
    static const std::vector<std::optional<std::string>> kSizes = {"1", "2",          "3",  "5",
                                                                   "0", std::nullopt, "200"};
    size_ = kSizes[*WeightedPick({3, 3, 2, 2, 1, 1, 1})];
  }

  void run(const ChurnModel& model, ChurnSut& sut) const override {
    Driver& driver = sut.ctx.driver;
    if (driver.CaseFailing() || driver.Stopped()) {
      return;
    }
    sut.log.push_back("ListPage(" + size_.value_or("none") + ")");
    if (!sut.walking) {
      sut.walking = true;
      sut.walk = Walk{};
      sut.present = model.names;
      sut.cursor.reset();
    }
    validator::ListQuery query{.page_size = size_, .page_token = sut.token};
    Page page = validator::ReadPage(
        sut.ctx.op,
        driver.Send(validator::MakeListRequest(sut.ctx.op, sut.target, query), CacheUse::kBypass));
    if (driver.Stopped()) {
      return;
    }
    sut.walk.pages.push_back(std::move(page));
    const Page& last = sut.walk.pages.back();
    if (last.ok()) {
      // The model says what came after this page when it was served: the token must say so too.
      if (!last.items.empty()) {
        sut.cursor = validator::ItemKey(last.items.back());
      }
      size_t remaining = sut.cursor
                             ? static_cast<size_t>(model.names.end() -
                                                   std::upper_bound(model.names.begin(),
                                                                    model.names.end(), *sut.cursor))
                             : model.names.size();
      std::vector<Finding> found;
      validator::CheckNextTokenIffMore(sut.walk, sut.walk.pages.size() - 1, remaining, found);
      driver.Add(found);
    }
    if (!last.ok()) {
      EndWalk(sut, WalkEnd::kErrorPage, "an error page");
    } else if (!last.has_more()) {
      EndWalk(sut, WalkEnd::kLastPage, "");
    } else if (!sut.tokens.insert(*last.next_token).second) {
      EndWalk(sut, WalkEnd::kCycle,
              "page " + std::to_string(sut.walk.pages.size()) +
                  " returned a nextPageToken already followed");
    } else if (sut.walk.pages.size() >= kMaxChurnPages) {
      EndWalk(sut, WalkEnd::kRunaway,
              "still not at the end after " + std::to_string(kMaxChurnPages) + " pages");
    } else {
      sut.token = last.next_token;
    }
  }
  void show(std::ostream& os) const override { os << "ListPage(" << size_.value_or("none") << ")"; }

 private:
  std::optional<std::string> size_;
};

}  // namespace

void ResetChurnAccount(const ChurnStore& store) {
  for (const std::string& name : store.job_names()) {
    store.delete_job(name);
  }
}

void ChurnCase(Context& ctx) {
  const ChurnStore& store = *ctx.target.churn;
  auto shared = std::make_shared<ChurnShared>();
  shared->account = store.account;
  for (const Page& page : ctx.reference.pages) {
    for (const Json& item : page.items) {
      if (shared->templates.size() < 64 && item.is_object()) {
        shared->templates.push_back(item);
      }
    }
  }
  ResetChurnAccount(store);
  ChurnModel model{.names = {}, .shared = shared};
  auto initial = static_cast<size_t>(*Uniform(0, 12));
  for (size_t i = 0; i < initial; ++i) {
    std::string name = JobName(store.account, GenJobId());
    size_t template_index = shared->templates.empty() ? 0 : *Pick(shared->templates.size());
    if (Contains(model.names, name)) {
      continue;
    }
    Status added = store.add_job(JobFrom(*shared, template_index, name));
    if (!added.ok()) {
      ctx.driver.InternalError("pagination_under_churn: the store refused " + name + ": " +
                               added.error().ToString());
      return;
    }
    Insert(model.names, name);
  }
  ChurnSut sut{.ctx = ctx,
               .store = store,
               .target = {.base_url = ctx.target.base_url,
                          .path = PathFor(ctx.op, store.account),
                          .headers = {{"Authorization", "Bearer " + store.api_key}}}};
  // Sequences of a few dozen commands: long enough for walks of several pages with churn
  // between them, short enough to shrink quickly.
  const auto commands = *rc::gen::scale(
      0.4,
      rc::state::gen::commands(
          model,
          rc::state::gen::execOneOfWithArgs<CreateJob, DeleteJob, ListPage, ListPage, ListPage>()));
  rc::state::runAll(commands, model, sut);
  if (sut.walking && !ctx.driver.Stopped()) {
    JudgeWalk(sut, WalkState::kOngoing);
  }
  std::string log;
  for (const std::string& step : sut.log) {
    log += (log.empty() ? "" : " ") + step;
  }
  ctx.driver.Describe(std::to_string(model.names.size()) + " jobs, then " +
                      (log.empty() ? "nothing" : log));
}

}  // namespace conform::fuzz::internal
