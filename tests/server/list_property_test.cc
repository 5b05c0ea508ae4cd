// Properties of the reference handler: a page walk (page sizes changing between pages) is the
// filtered, sorted collection exactly once; a page token is accepted only for its own account
// and parameters; and, as an rc::state model, pages stay exact while jobs are created and
// deleted between them.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "aip/filter.h"
#include "aip/order_by.h"
#include "aip/read_mask.h"
#include "server/list_handler.h"
#include "server/served_contract.h"
#include "tests/server/server_test_util.h"

namespace conform::server {
namespace list_property_test {
namespace {

using Json = nlohmann::json;

const aip::FieldCatalog& Catalog() {
  static auto served = EmbeddedServedContract();
  CONFORM_CHECK(served.ok());
  return (*served)->list->catalog;
}

// Small value domains, so that filters match some jobs and orderBy keys tie often.
const std::vector<std::string> kTimes = {"2024-01-01T00:00:00Z", "2024-01-01T02:00:00+02:00",
                                         "2024-01-01T01:00:00Z", "2024-01-02T00:00:00.500Z",
                                         "2023-12-31T23:00:00-01:00"};
const std::vector<std::string> kStates = {"JOB_STATE_COMPLETED", "JOB_STATE_RUNNING",
                                          "JOB_STATE_FAILED", "JOB_STATE_PENDING"};
const std::vector<std::string> kDisplayNames = {"a", "b", "Ünï", "", "日本", "a b"};

const std::vector<std::string> kFilters = {
    "",
    "state = JOB_STATE_COMPLETED",
    "state != JOB_STATE_RUNNING",
    "trainingConfig.epochs > 1",
    "displayName = \"a\"",
    "displayName = \"a*\"",
    "createTime >= \"2024-01-01T01:00:00Z\"",
    "createTime < \"2024-01-01T03:00:00+02:00\"",
    "state = JOB_STATE_COMPLETED OR trainingConfig.epochs = 2",
    "state = JOB_STATE_FAILED AND trainingConfig.epochs <= 2 OR displayName = \"b\"",
    "NOT wandbConfig.enabled = true",
    "wandbConfig:*",
    "trainingConfig.learningRate < 0.0001",
};
const std::vector<std::string> kOrderFields = {"name",
                                               "displayName",
                                               "createTime",
                                               "state",
                                               "trainingConfig.epochs",
                                               "trainingConfig.learningRate",
                                               "wandbConfig.enabled",
                                               "completedTime"};
const std::vector<std::string> kMasks = {
    "", "*", "name", "name,createTime", "trainingConfig.epochs,state", "wandbConfig"};

rc::Gen<std::vector<Json>> GenJobs(const std::string& account, size_t min, size_t max) {
  return rc::gen::exec([account, min, max] {
    size_t count = *rc::gen::inRange(min, max + 1);
    std::vector<Json> jobs;
    for (size_t i = 0; i < count; ++i) {
      std::string id =
          *rc::gen::container<std::string>(3, rc::gen::elementOf(std::string("abcxyz")));
      Json job = {{"name", "accounts/" + account + "/dpoJobs/" + id + "-" + std::to_string(i)},
                  {"dataset", "d"},
                  {"displayName", *rc::gen::elementOf(kDisplayNames)},
                  {"state", *rc::gen::elementOf(kStates)},
                  {"trainingConfig",
                   {{"epochs", *rc::gen::inRange(1, 4)},
                    {"learningRate", *rc::gen::elementOf(std::vector<double>{1e-5, 1e-4, 2e-4})}}}};
      if (*rc::gen::inRange(0, 5) != 0) {
        job["createTime"] = *rc::gen::elementOf(kTimes);
      }
      if (*rc::gen::arbitrary<bool>()) {
        job["completedTime"] = *rc::gen::elementOf(kTimes);
      }
      if (*rc::gen::arbitrary<bool>()) {
        job["wandbConfig"] = {{"enabled", *rc::gen::arbitrary<bool>()}, {"apiKey", "secret"}};
      }
      jobs.push_back(std::move(job));
    }
    return jobs;
  });
}

// "createTime desc ,  state" with random directions and blanks.
rc::Gen<std::string> GenOrderBy() {
  return rc::gen::exec([] {
    std::vector<std::string> fields = kOrderFields;
    size_t keys = *rc::gen::inRange<size_t>(0, 3);
    std::string text;
    for (size_t k = 0; k < keys; ++k) {
      size_t pick = *rc::gen::inRange<size_t>(0, fields.size());
      std::string field = fields[pick];
      fields.erase(fields.begin() + static_cast<std::ptrdiff_t>(pick));
      std::string blank = *rc::gen::element<std::string>("", " ", "  ");
      text += (k == 0 ? "" : ",") + blank + field + (*rc::gen::arbitrary<bool>() ? " desc" : "") +
              blank;
    }
    return text;
  });
}

std::vector<std::string> Oracle(const std::vector<Json>& jobs, const std::string& filter_text,
                                const std::string& order_text) {
  auto filter = aip::ParseFilter(filter_text, Catalog());
  auto order = aip::ParseOrderBy(order_text, Catalog());
  RC_ASSERT(filter.ok());
  RC_ASSERT(order.ok());
  auto total = aip::WithTieBreaker(*order, "name", Catalog());
  RC_ASSERT(total.ok());
  std::vector<Json> kept;
  for (Json job : jobs) {
    if (job.contains("wandbConfig")) {
      job["wandbConfig"].erase("apiKey");  // never listed, so never matched
    }
    if (aip::Matches(*filter, job)) {
      kept.push_back(job);
    }
  }
  std::stable_sort(kept.begin(), kept.end(),
                   [&](const Json& a, const Json& b) { return aip::Compare(*total, a, b) < 0; });
  std::vector<std::string> names;
  for (const Json& job : kept) {
    names.push_back(job["name"]);
  }
  return names;
}

std::shared_ptr<JobStore> StoreOf(const std::vector<std::vector<Json>>& accounts) {
  auto store = std::make_shared<JobStore>();
  store->AddAccount("a");
  store->AddAccount("b");
  for (const auto& jobs : accounts) {
    for (const Json& job : jobs) {
      RC_ASSERT(store->AddJob(job).ok());
    }
  }
  return store;
}

RC_GTEST_PROP(ListProperty, PagesConcatenateToTheFilteredSortedCollection, ()) {
  const std::vector<Json> jobs = *GenJobs("a", 0, 25);
  const std::string filter = *rc::gen::elementOf(kFilters);
  const std::string order = *GenOrderBy();
  const std::string mask = *rc::gen::elementOf(kMasks);
  const std::vector<int> sizes =
      *rc::gen::container<std::vector<int>>(*rc::gen::inRange(1, 4), rc::gen::inRange(1, 7));
  auto store = StoreOf({jobs});
  auto handler = testing::MakeHandler(store);

  traffic::QueryParams params = {{"filter", filter}, {"orderBy", order}, {"readMask", mask}};
  testing::Walk walk = testing::WalkPages(*handler, "a", "a-key", params, sizes, jobs.size() + 2);
  RC_ASSERT(walk.failed_status == 0);
  RC_ASSERT(walk.finished);
  const std::vector<std::string> expected = Oracle(jobs, filter, order);
  for (size_t i = 0; i < walk.pages.size(); ++i) {
    const Json& page = walk.pages[i];
    RC_ASSERT(page["totalSize"] == expected.size());
    RC_ASSERT(page["dpoJobs"].size() <= static_cast<size_t>(sizes[i % sizes.size()]));
  }
  if (mask.find("name") != std::string::npos || mask.empty() || mask == "*") {
    RC_ASSERT(walk.names == expected);
  } else {
    RC_ASSERT(walk.names.size() == expected.size());  // names are masked out
  }
}

RC_GTEST_PROP(ListProperty, TokenIsAcceptedOnlyForItsAccountAndParameters, ()) {
  const std::vector<Json> jobs_a = *GenJobs("a", 3, 8);
  const std::vector<Json> jobs_b = *GenJobs("b", 3, 8);
  auto store = StoreOf({jobs_a, jobs_b});
  auto handler = testing::MakeHandler(store);

  std::string filter = *rc::gen::elementOf(kFilters);
  const std::string order = *GenOrderBy();
  const std::string mask = *rc::gen::elementOf(kMasks);
  auto first = [&](const std::string& f) {
    return testing::NextToken(testing::Body(
        testing::List(*handler, "a", "a-key",
                      {{"filter", f}, {"orderBy", order}, {"readMask", mask}, {"pageSize", "1"}})));
  };
  std::string token = first(filter);
  if (token.empty()) {
    filter = "";  // every job matches: with 3 or more jobs and pageSize 1 there is a token
    token = first(filter);
  }
  RC_ASSERT(!token.empty());
  auto list = [&](const std::string& account, const std::string& f, const std::string& o,
                  const std::string& m, const std::string& size) {
    return testing::List(
        *handler, account, account + "-key",
        {{"filter", f}, {"orderBy", o}, {"readMask", m}, {"pageSize", size}, {"pageToken", token}});
  };

  // Its own account and parameters, any page size: accepted.
  RC_ASSERT(list("a", filter, order, mask, *rc::gen::element<std::string>("1", "5", "0")).status ==
            200);
  // Another account, with that account's own key: rejected.
  ApiResponse other = list("b", filter, order, mask, "1");
  RC_ASSERT(other.status == 400);
  RC_ASSERT(testing::RpcCode(other) == 3);

  // Another canonical filter, orderBy or readMask: rejected.
  auto canonical_filter = [](const std::string& f) {
    return aip::Print(*aip::ParseFilter(f, Catalog()));
  };
  auto canonical_order = [](const std::string& o) {
    return aip::Print(*aip::WithTieBreaker(*aip::ParseOrderBy(o, Catalog()), "name", Catalog()));
  };
  auto canonical_mask = [](const std::string& m) {
    return aip::Print(*aip::ParseReadMask(m, Catalog()));
  };
  const int which = *rc::gen::inRange(0, 3);
  std::string f = filter;
  std::string o = order;
  std::string m = mask;
  if (which == 0) {
    f = *rc::gen::elementOf(kFilters);
    RC_PRE(canonical_filter(f) != canonical_filter(filter));
  } else if (which == 1) {
    o = *GenOrderBy();
    RC_PRE(canonical_order(o) != canonical_order(order));
  } else {
    m = *rc::gen::elementOf(kMasks);
    RC_PRE(canonical_mask(m) != canonical_mask(mask));
  }
  ApiResponse changed = list("a", f, o, m, "1");
  RC_ASSERT(changed.status == 400);
  RC_ASSERT(testing::Reason(changed) == "PAGE_TOKEN_MISMATCH");
}

// --- rc::state: pages under churn --------------------------------------------------------

struct ModelJob {
  std::string name;
  std::string create_time;
};

struct ChurnModel {
  bool by_create_time = false;  // orderBy "createTime desc" (ties by name), else by name
  std::vector<ModelJob> jobs;   // in list order
  bool walking = false;
  std::optional<ModelJob> cursor;  // the last item returned in this walk
  std::set<std::string> present;   // present since the walk began
  std::set<std::string> seen;
  int next_id = 0;
};

bool Before(const ChurnModel& model, const ModelJob& a, const ModelJob& b) {
  if (model.by_create_time && a.create_time != b.create_time) {
    return a.create_time > b.create_time;
  }
  return a.name < b.name;
}

struct ExpectedPage {
  std::vector<std::string> names;
  std::optional<ModelJob> last;
  bool more = false;
};

ExpectedPage Expect(const ChurnModel& model, size_t size) {
  ExpectedPage page;
  size_t i = 0;
  if (model.walking && model.cursor.has_value()) {
    while (i < model.jobs.size() && !Before(model, *model.cursor, model.jobs[i])) {
      ++i;
    }
  }
  for (; i < model.jobs.size() && page.names.size() < size; ++i) {
    page.names.push_back(model.jobs[i].name);
    page.last = model.jobs[i];
  }
  page.more = i < model.jobs.size();
  return page;
}

struct ChurnSut {
  std::shared_ptr<JobStore> store;
  std::unique_ptr<ListHandler> handler;
  std::string token;
};

using ChurnCommand = rc::state::Command<ChurnModel, ChurnSut>;

struct CreateJob : ChurnCommand {
  ModelJob job;
  explicit CreateJob(const ChurnModel& model) {
    std::string id = *rc::gen::container<std::string>(2, rc::gen::elementOf(std::string("abyz")));
    job.name = "accounts/acme/dpoJobs/" + id + "-" + std::to_string(model.next_id);
    // Same-format UTC times compare as text, so the model needs no time arithmetic.
    job.create_time = *rc::gen::element<std::string>("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z",
                                                     "2024-01-03T00:00:00Z");
  }
  void apply(ChurnModel& model) const override {
    auto at = std::find_if(model.jobs.begin(), model.jobs.end(),
                           [&](const ModelJob& other) { return Before(model, job, other); });
    model.jobs.insert(at, job);
    ++model.next_id;
  }
  void run(const ChurnModel&, ChurnSut& sut) const override {
    RC_ASSERT(
        sut.store->AddJob({{"name", job.name}, {"dataset", "d"}, {"createTime", job.create_time}})
            .ok());
  }
  void show(std::ostream& os) const override { os << "Create(" << job.name << ")"; }
};

struct DeleteJob : ChurnCommand {
  std::string name;
  explicit DeleteJob(const ChurnModel& model) {
    RC_PRE(!model.jobs.empty());
    name = (*rc::gen::elementOf(model.jobs)).name;
  }
  // Shrinking may drop the Create this Delete depends on.
  void checkPreconditions(const ChurnModel& model) const override {
    RC_PRE(std::any_of(model.jobs.begin(), model.jobs.end(),
                       [&](const ModelJob& job) { return job.name == name; }));
  }
  void apply(ChurnModel& model) const override {
    model.jobs.erase(std::find_if(model.jobs.begin(), model.jobs.end(),
                                  [&](const ModelJob& job) { return job.name == name; }));
    model.present.erase(name);
  }
  void run(const ChurnModel&, ChurnSut& sut) const override {
    RC_ASSERT(sut.store->DeleteJob(name));
  }
  void show(std::ostream& os) const override { os << "Delete(" << name << ")"; }
};

struct ListPage : ChurnCommand {
  size_t size = 1;
  explicit ListPage(const ChurnModel&) { size = *rc::gen::inRange<size_t>(1, 5); }
  void apply(ChurnModel& model) const override {
    if (!model.walking) {
      model.present.clear();
      for (const ModelJob& job : model.jobs) {
        model.present.insert(job.name);
      }
      model.seen.clear();
    }
    ExpectedPage page = Expect(model, size);
    model.seen.insert(page.names.begin(), page.names.end());
    model.walking = page.more;
    model.cursor = page.more ? page.last : std::nullopt;
  }
  void run(const ChurnModel& model, ChurnSut& sut) const override {
    RC_ASSERT(sut.token.empty() == !model.walking);
    traffic::QueryParams query = {{"pageSize", std::to_string(size)}};
    if (model.by_create_time) {
      query.emplace_back("orderBy", "createTime desc");
    }
    if (!sut.token.empty()) {
      query.emplace_back("pageToken", sut.token);
    }
    ApiResponse response = testing::List(*sut.handler, "acme", "acme-key", query);
    RC_ASSERT(response.status == 200);
    Json body = testing::Body(response);
    ExpectedPage expected = Expect(model, size);
    std::vector<std::string> names = testing::Names(body);
    RC_ASSERT(names == expected.names);
    RC_ASSERT(names.size() <= size);
    RC_ASSERT(body["totalSize"] == model.jobs.size());
    sut.token = testing::NextToken(body);
    // The token is present exactly while items remain.
    RC_ASSERT(sut.token.empty() == !expected.more);
    if (!expected.more) {
      // End of the walk: every job present throughout was returned.
      std::set<std::string> seen = model.walking ? model.seen : std::set<std::string>{};
      seen.insert(names.begin(), names.end());
      for (const std::string& name : model.walking ? model.present : std::set<std::string>{}) {
        RC_ASSERT(seen.count(name) == 1u);
      }
    }
  }
  void show(std::ostream& os) const override { os << "ListPage(" << size << ")"; }
};

struct ListWithBadToken : ChurnCommand {
  size_t position = 0;
  explicit ListWithBadToken(const ChurnModel&) { position = *rc::gen::inRange<size_t>(0, 200); }
  void apply(ChurnModel&) const override {}
  void run(const ChurnModel&, ChurnSut& sut) const override {
    std::string bad = sut.token.empty() ? "not-a-token" : sut.token;
    if (!sut.token.empty()) {
      size_t at = position % bad.size();
      bad[at] = bad[at] == 'A' ? 'B' : 'A';
    }
    ApiResponse response =
        testing::List(*sut.handler, "acme", "acme-key", {{"pageSize", "2"}, {"pageToken", bad}});
    RC_ASSERT(response.status == 400);
    RC_ASSERT(testing::RpcCode(response) == 3);
  }
  void show(std::ostream& os) const override { os << "ListWithBadToken(" << position << ")"; }
};

RC_GTEST_PROP(ListProperty, PagesStayExactWhileJobsAreCreatedAndDeleted, ()) {
  ChurnModel model;
  model.by_create_time = *rc::gen::arbitrary<bool>();
  ChurnSut sut;
  sut.store = std::make_shared<JobStore>();
  sut.store->AddAccount("acme");
  sut.handler = testing::MakeHandler(sut.store);
  rc::state::check(
      model, sut,
      rc::state::gen::execOneOfWithArgs<CreateJob, DeleteJob, ListPage, ListWithBadToken>());
}

}  // namespace
}  // namespace list_property_test
}  // namespace conform::server
