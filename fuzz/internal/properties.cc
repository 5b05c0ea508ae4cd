#include "fuzz/internal/properties.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "aip/filter.h"
#include "aip/order_by.h"
#include "aip/read_mask.h"
#include "traffic/url.h"
#include "validator/list_oracles.h"

namespace conform::fuzz::internal {
namespace {

using Json = nlohmann::json;
using validator::Finding;
using validator::ListQuery;
using validator::Page;
using validator::Walk;
using validator::WalkEnd;
using PageSizes = std::vector<std::optional<std::string>>;

std::string SizesText(const PageSizes& sizes) {
  std::string text = "[";
  for (size_t i = 0; i < sizes.size(); ++i) {
    text += (i == 0 ? "" : ", ") + sizes[i].value_or("none");
  }
  return text + "]";
}

std::string Quoted(const std::string& text) { return "'" + text + "'"; }

// "filter='a' orderBy='b'": the parameters of `query` that are set, for descriptions.
std::string QueryText(const ListQuery& query) {
  std::string text;
  auto add = [&text](const char* name, const std::optional<std::string>& value) {
    if (value) {
      text += (text.empty() ? "" : " ") + std::string(name) + "=" + Quoted(*value);
    }
  };
  add("pageSize", query.page_size);
  add("filter", query.filter);
  add("orderBy", query.order_by);
  add("readMask", query.read_mask);
  return text.empty() ? "no parameters" : text;
}

// The walk was stopped by our page bound, not by the server.
bool CutShort(const Walk& walk, size_t max_pages) {
  return walk.end == WalkEnd::kRunaway && walk.pages.size() >= max_pages;
}

// A 400 for parameters the AIPs let a service refuse (an orderBy field it does not sort by, a
// filter field it does not index): not a finding, but counted in the property's note.
bool Refused(const Walk& walk) {
  return !walk.pages.empty() && walk.pages.front().exchange.response.status == 400;
}

// `reference` with only the resources that satisfy `filter`, pages and requests kept; nullopt
// when a resource may rightly be kept or not (aip::MatchesUnambiguously), as the server's
// pages then need not continue any one list.
std::optional<Walk> Filtered(const Walk& reference, const aip::Filter& filter) {
  Walk out = reference;
  for (Page& page : out.pages) {
    std::vector<Json> kept;
    for (Json& item : page.items) {
      std::optional<bool> matches = aip::MatchesUnambiguously(filter, item);
      if (!matches) {
        return std::nullopt;
      }
      if (*matches) {
        kept.push_back(std::move(item));
      }
    }
    page.items = std::move(kept);
  }
  return out;
}

const ListQuery kNoQuery{};

// Filter and orderBy canonical forms: equal texts mean the same parameters to a server.
std::string FilterCanonical(const std::optional<std::string>& text,
                            const aip::FieldCatalog& catalog) {
  Result<aip::Filter> filter = aip::ParseFilter(text.value_or(""), catalog);
  return filter ? aip::Print(*filter) : "<invalid>" + text.value_or("");
}

std::string OrderCanonical(const std::optional<std::string>& text,
                           const aip::FieldCatalog& catalog) {
  Result<aip::OrderBy> order = aip::ParseOrderBy(text.value_or(""), catalog);
  if (!order) {
    return "<invalid>" + text.value_or("");
  }
  // "createTime" and "createTime,name" order alike once ties are broken by name.
  if (catalog.Find("name") != nullptr) {
    if (Result<aip::OrderBy> total = aip::WithTieBreaker(*order, "name", catalog)) {
      return aip::Print(*total);
    }
  }
  return aip::Print(*order);
}

std::string MaskCanonical(const std::optional<std::string>& text,
                          const aip::FieldCatalog& catalog) {
  Result<aip::ReadMask> mask = aip::ParseReadMask(text.value_or(""), catalog);
  return mask ? aip::Print(*mask) : "<invalid>" + text.value_or("");
}

// Smaller page sizes, so that an ordered walk crosses several page boundaries.
rc::Gen<PageSizes> GenSmallPageSizes(const DataProfile& profile) {
  std::vector<int64_t> choices = {2,  1,  3,  5,  10,
                                  25, 49, 50, 51, static_cast<int64_t>(profile.items / 3 + 1)};
  auto size = rc::gen::exec([choices]() -> std::optional<std::string> {
    return std::to_string(choices[*Pick(choices.size())]);
  });
  return SomeOf(size, 3);
}

void WalkMatchesReference(Context& ctx) {
  const DataProfile& profile = ctx.profile;
  PageSizes sizes = *GenPageSizes(profile);
  auto max_pages = static_cast<size_t>(*Uniform(1, 12));
  ctx.driver.Describe("pageSize=" + SizesText(sizes) + " maxPages=" + std::to_string(max_pages));
  Walk walk = ctx.driver.Walk(ctx.main, kNoQuery, sizes, max_pages);
  if (ctx.driver.Stopped()) {
    return;
  }
  bool cut = CutShort(walk, max_pages);
  std::vector<Finding> found;
  if (!cut) {
    validator::CheckTermination(walk, found);
  }
  validator::CheckNoErrorPage(walk, "page_walk.complete",
                              "a walk at page sizes " + SizesText(sizes), found);
  validator::CheckDisjoint(walk, found);
  validator::CheckPageSizesRespected(walk, profile.page_sizes.max_page_size, found);
  validator::CheckDefaultPageSize(walk, profile.page_sizes.default_page_size, found);
  validator::CheckLastPageToken(walk, found);
  validator::CheckNextTokenOmittedAtEnd(walk, found);
  if (profile.catalog.Find("name") != nullptr) {
    if (Result<aip::OrderBy> by_name = aip::ParseOrderBy("name", profile.catalog)) {
      validator::CheckOrder(walk, *by_name, "order.default", found);
    }
  }
  std::string what = "walking at pageSize " + SizesText(sizes) + " and at pageSize " +
                     std::to_string(profile.page_sizes.max_page_size) + " give different resources";
  if (walk.complete()) {
    validator::CheckSameSequence(ctx.reference, walk, "page_walk.consistent_page_sizes", what,
                                 found);
  } else if (cut) {
    validator::CheckPrefixOf(walk, ctx.reference, "page_walk.consistent_page_sizes", what, found);
  }
  ctx.driver.Add(found);
}

void OrderHoldsAcrossPages(Context& ctx) {
  const DataProfile& profile = ctx.profile;
  std::string order_text = *GenOrderBy(profile);
  PageSizes sizes = *GenSmallPageSizes(profile);
  auto max_pages = static_cast<size_t>(*Uniform(2, 6));
  ctx.driver.Describe("orderBy=" + Quoted(order_text) + " pageSize=" + SizesText(sizes) +
                      " maxPages=" + std::to_string(max_pages));
  Walk walk = ctx.driver.Walk(ctx.main, {.order_by = order_text}, sizes, max_pages);
  if (ctx.driver.Stopped()) {
    return;
  }
  if (Refused(walk)) {
    ctx.driver.CountRefused();
    return;
  }
  Result<aip::OrderBy> order = aip::ParseOrderBy(order_text, profile.catalog);
  if (!order) {
    ctx.driver.InternalError("generated orderBy '" + order_text +
                             "' does not parse: " + order.error().ToString());
    return;
  }
  std::vector<Finding> found;
  validator::CheckOrder(walk, *order, order->keys.size() > 1 ? "order.multi_key" : "order.fields",
                        found);
  validator::CheckDisjoint(walk, found);
  if (!CutShort(walk, max_pages)) {
    validator::CheckTermination(walk, found);
  }
  validator::CheckNoErrorPage(walk, "page_walk.complete", "a walk ordered by " + Quoted(order_text),
                              found);
  validator::CheckSameItems(ctx.reference, walk, "page_walk.complete",
                            "ordered by " + Quoted(order_text) +
                                ", the walk returns other resources than the "
                                "reference walk",
                            found);
  ctx.driver.Add(found);
}

void FilterSoundAndComplete(Context& ctx) {
  const DataProfile& profile = ctx.profile;
  FilterCase filter_case = *GenFilter(profile);
  std::vector<int64_t> sizes = {profile.page_sizes.max_page_size, 50, 7};
  std::string size = std::to_string(sizes[*WeightedPick({4, 2, 1})]);
  ctx.driver.Describe("filter=" + Quoted(filter_case.text) + " (" + filter_case.spelling +
                      ") pageSize=" + size);
  Result<aip::Filter> filter = aip::ParseFilter(filter_case.text, profile.catalog);
  if (!filter) {
    ctx.driver.InternalError("generated filter '" + filter_case.text +
                             "' does not parse: " + filter.error().ToString());
    return;
  }
  const size_t max_pages = 12;
  Walk walk = ctx.driver.Walk(ctx.main, {.filter = filter_case.text}, {size}, max_pages);
  if (ctx.driver.Stopped()) {
    return;
  }
  if (Refused(walk)) {
    ctx.driver.CountRefused();
    return;
  }
  std::vector<Finding> found;
  validator::CheckFilterSound(walk, *filter, found);
  validator::CheckFilterComplete(walk, ctx.reference, *filter, found);
  validator::CheckDisjoint(walk, found);
  if (!CutShort(walk, max_pages)) {
    validator::CheckTermination(walk, found);
  }
  validator::CheckNoErrorPage(walk, "page_walk.complete",
                              "a walk with filter " + Quoted(filter_case.text), found);
  ctx.driver.Add(found);
}

void TotalSizeConsistent(Context& ctx) {
  const DataProfile& profile = ctx.profile;
  std::optional<FilterCase> filter_case;
  if (!ctx.op.list->filter_param.empty() && !profile.filterable.empty() && *Pick(2) == 1) {
    filter_case = *GenFilter(profile);
  }
  PageSizes sizes = *GenPageSizes(profile);
  auto max_pages = static_cast<size_t>(*Uniform(1, 12));
  ListQuery query;
  if (filter_case) {
    query.filter = filter_case->text;
  }
  ctx.driver.Describe((filter_case ? "filter=" + Quoted(filter_case->text) + " " : std::string()) +
                      "pageSize=" + SizesText(sizes) + " maxPages=" + std::to_string(max_pages));
  Result<aip::Filter> filter = aip::ParseFilter(query.filter.value_or(""), profile.catalog);
  if (!filter) {
    ctx.driver.InternalError("generated filter '" + *query.filter +
                             "' does not parse: " + filter.error().ToString());
    return;
  }
  Walk walk = ctx.driver.Walk(ctx.main, query, sizes, max_pages);
  if (ctx.driver.Stopped()) {
    return;
  }
  if (Refused(walk)) {
    ctx.driver.CountRefused();
    return;
  }
  std::vector<Finding> found;
  validator::CheckTotalSize(walk, found);
  validator::CheckFilteredTotalSize(walk, ctx.reference, *filter, found);
  ctx.driver.Add(found);
}

enum class TokenChange { kFilter, kOrderBy, kReadMask, kPageSize, kOtherAccount };

void TokenBoundToParameters(Context& ctx) {
  const DataProfile& profile = ctx.profile;
  const validator::ListShape& list = *ctx.op.list;
  ListQuery base;
  if (!list.filter_param.empty() && !profile.filterable.empty() && *Pick(3) == 2) {
    base.filter = (*GenFilter(profile)).text;
  }
  if (!list.order_by_param.empty() && !profile.sortable.empty() && *Pick(5) >= 3) {
    base.order_by = *GenOrderBy(profile);
  }
  if (!list.read_mask_param.empty() && *Pick(4) == 3) {
    base.read_mask = *GenReadMask(profile);
  }
  std::string first_size = std::to_string(*Uniform(1, 5));
  std::vector<TokenChange> changes = {TokenChange::kPageSize};
  if (!list.filter_param.empty() && !profile.filterable.empty()) {
    changes.push_back(TokenChange::kFilter);
  }
  if (!list.order_by_param.empty() && !profile.sortable.empty()) {
    changes.push_back(TokenChange::kOrderBy);
  }
  if (!list.read_mask_param.empty()) {
    changes.push_back(TokenChange::kReadMask);
  }
  if (ctx.other) {
    changes.push_back(TokenChange::kOtherAccount);
  }
  TokenChange change = changes[*Pick(changes.size())];

  ListQuery first_query = base;
  first_query.page_size = first_size;
  std::string description = "token from " + QueryText(first_query) + ", then ";
  ctx.driver.Describe(description + "...");
  Page first = ctx.driver.Get(ctx.main, first_query);
  if (ctx.driver.Stopped() || !first.ok() || !first.has_more()) {
    if (first.exchange.response.status == 400) {
      ctx.driver.CountRefused();
    }
    return;  // nothing to bind: every resource fits on the first page
  }
  ListQuery next = first_query;
  next.page_token = first.next_token;
  std::vector<Finding> found;
  // The token minted with `minted` as `parameter`, used with `next`'s value: 400 expected.
  auto expect_refused = [&](const std::string& parameter, const std::optional<std::string>& minted,
                            const std::string& used) {
    ctx.driver.Describe(description + parameter + "=" + Quoted(used));
    traffic::Exchange exchange =
        ctx.driver.Send(validator::MakeListRequest(ctx.op, ctx.main, next));
    validator::CheckInvalidArgument(exchange, "token.binding",
                                    "a page token minted with " + parameter + " " +
                                        Quoted(minted.value_or("")) + " and used with " +
                                        parameter + " " + Quoted(used),
                                    found);
  };
  switch (change) {
    case TokenChange::kFilter: {
      next.filter = (*GenFilter(profile)).text;
      if (FilterCanonical(next.filter, profile.catalog) ==
          FilterCanonical(base.filter, profile.catalog)) {
        return;
      }
      expect_refused("filter", base.filter, *next.filter);
      break;
    }
    case TokenChange::kOrderBy: {
      next.order_by = *GenOrderBy(profile);
      if (OrderCanonical(next.order_by, profile.catalog) ==
          OrderCanonical(base.order_by, profile.catalog)) {
        return;
      }
      expect_refused("orderBy", base.order_by, *next.order_by);
      break;
    }
    case TokenChange::kReadMask: {
      next.read_mask = *GenReadMask(profile);
      if (MaskCanonical(next.read_mask, profile.catalog) ==
          MaskCanonical(base.read_mask, profile.catalog)) {
        return;
      }
      expect_refused("readMask", base.read_mask, *next.read_mask);
      break;
    }
    case TokenChange::kPageSize: {
      int64_t size = *Uniform(1, 60);
      if (std::to_string(size) == first_size) {
        size += 1;
      }
      next.page_size = std::to_string(size);
      ctx.driver.Describe(description + "pageSize=" + *next.page_size);
      Page second = ctx.driver.Get(ctx.main, next);
      if (ctx.driver.Stopped()) {
        return;
      }
      Walk walk;
      walk.query = first_query;
      walk.pages = {first, second};
      walk.end = !second.ok()        ? WalkEnd::kErrorPage
                 : second.has_more() ? WalkEnd::kRunaway
                                     : WalkEnd::kLastPage;
      std::string what =
          "a page token used with pageSize " + *next.page_size + " instead of " + first_size;
      validator::CheckNoErrorPage(walk, "token.page_size_change", what, found);
      validator::CheckPageSizesRespected(walk, profile.page_sizes.max_page_size, found);
      // Without their names in the mask, two resources may read alike: identity needs names.
      Result<aip::ReadMask> mask = aip::ParseReadMask(base.read_mask.value_or(""), profile.catalog);
      bool names_shown = mask && aip::Coverage(*mask, "name") == aip::MaskCoverage::kFull;
      if (names_shown) {
        validator::CheckDisjoint(walk, found);
      }
      Result<aip::Filter> filter = aip::ParseFilter(base.filter.value_or(""), profile.catalog);
      std::optional<Walk> expected =
          filter ? Filtered(ctx.reference, *filter) : std::optional<Walk>();
      if (!base.order_by && names_shown && expected) {
        validator::CheckPrefixOf(walk, *expected, "token.page_size_change",
                                 what + ": the pages do not continue the collection", found);
      }
      break;
    }
    case TokenChange::kOtherAccount: {
      ctx.driver.Describe(description + "the same request on account " +
                          Quoted(ctx.target.other_account.value_or("")));
      traffic::Exchange exchange =
          ctx.driver.Send(validator::MakeListRequest(ctx.op, *ctx.other, next));
      validator::CheckClientError(exchange, "token.other_account_rejected",
                                  "a page token of account " + Quoted(ctx.target.account) +
                                      " used on account " +
                                      Quoted(ctx.target.other_account.value_or("")) +
                                      " with its own key (curl: send that account's key)",
                                  found);
      break;
    }
  }
  if (ctx.driver.Stopped()) {
    return;
  }
  ctx.driver.Add(found);
}

enum class BadInput { kPageSize, kFilter, kOrderBy, kReadMask, kMutatedToken, kForgedToken };

void InvalidInputRejectedNot5xx(Context& ctx) {
  const DataProfile& profile = ctx.profile;
  const validator::ListShape& list = *ctx.op.list;
  std::vector<BadInput> kinds = {BadInput::kPageSize};
  if (!list.filter_param.empty()) {
    kinds.push_back(BadInput::kFilter);
  }
  if (!list.order_by_param.empty()) {
    kinds.push_back(BadInput::kOrderBy);
  }
  if (!list.read_mask_param.empty()) {
    kinds.push_back(BadInput::kReadMask);
  }
  if (!list.page_token_param.empty()) {
    kinds.push_back(BadInput::kMutatedToken);
    kinds.push_back(BadInput::kForgedToken);
  }
  BadInput kind = kinds[*Pick(kinds.size())];
  ListQuery query;
  InvalidInput bad;
  std::string parameter;
  std::string id;
  switch (kind) {
    case BadInput::kPageSize:
      bad = *GenInvalidPageSize();
      query.page_size = bad.text;
      parameter = "pageSize";
      id = "page_size.invalid_rejected";
      break;
    case BadInput::kFilter:
      bad = *GenInvalidFilter(profile);
      query.filter = bad.text;
      parameter = "filter";
      id = "filter.invalid_rejected";
      break;
    case BadInput::kOrderBy:
      bad = *GenInvalidOrderBy(profile);
      query.order_by = bad.text;
      parameter = "orderBy";
      id = "order.unknown_field_rejected";
      break;
    case BadInput::kReadMask:
      bad = *GenInvalidReadMask(profile);
      query.read_mask = bad.text;
      parameter = "readMask";
      id = "read_mask.unknown_path";
      break;
    case BadInput::kMutatedToken: {
      query.page_size = "1";
      ctx.driver.Describe("a mutated pageToken");
      Page first = ctx.driver.Get(ctx.main, query);
      if (ctx.driver.Stopped() || !first.has_more() || first.next_token->empty()) {
        return;
      }
      bad = *GenTokenMutation(*first.next_token);
      query.page_token = bad.text;
      parameter = "pageToken";
      id = "token.invalid_rejected";
      break;
    }
    case BadInput::kForgedToken:
      bad = *GenGarbageToken();
      query.page_token = bad.text;
      parameter = "pageToken";
      id = "token.invalid_rejected";
      break;
  }
  bool token = kind == BadInput::kMutatedToken || kind == BadInput::kForgedToken;
  ctx.driver.Describe(parameter + "=" + (token ? "<" + bad.what + ">" : Quoted(bad.text)) + " (" +
                      bad.what + ")");
  traffic::Exchange exchange = ctx.driver.Send(validator::MakeListRequest(ctx.op, ctx.main, query));
  if (ctx.driver.Stopped()) {
    return;
  }
  std::vector<Finding> found;
  std::string what = parameter + (token ? " with " : "=" + Quoted(bad.text) + ", ") + bad.what;
  if (kind == BadInput::kReadMask) {
    validator::CheckUnknownMaskPathAnswered(exchange, what, found);  // 400, or 2xx ignoring it
  } else {
    validator::CheckInvalidArgument(exchange, id, what, found);
  }
  ctx.driver.Add(found);
}

void ReadMaskProjects(Context& ctx) {
  const DataProfile& profile = ctx.profile;
  std::string mask_text = *GenReadMask(profile);
  std::string size = std::to_string(*Uniform(1, 10));
  ctx.driver.Describe("readMask=" + Quoted(mask_text) + " pageSize=" + size);
  Result<aip::ReadMask> mask = aip::ParseReadMask(mask_text, profile.catalog);
  if (!mask) {
    ctx.driver.InternalError("generated readMask '" + mask_text +
                             "' does not parse: " + mask.error().ToString());
    return;
  }
  Page full = ctx.driver.Get(ctx.main, {.page_size = size});
  Page masked = ctx.driver.Get(ctx.main, {.page_size = size, .read_mask = mask_text});
  if (ctx.driver.Stopped()) {
    return;
  }
  std::vector<Finding> found;
  if (!masked.ok() && masked.exchange.response.status == 400) {
    if (mask->all()) {
      // seed: "If empty or '*', all fields will be returned"
      validator::CheckStatusIs(masked.exchange, 200, "read_mask.equivalent_all",
                               "readMask=" + Quoted(mask_text), found);
      ctx.driver.Add(found);
    } else {
      ctx.driver.CountRefused();
    }
    return;
  }
  validator::CheckReadMaskProjection(masked, full, *mask, found);
  ctx.driver.Add(found);
}

void SameRequestSamePage(Context& ctx) {
  const DataProfile& profile = ctx.profile;
  const validator::ListShape& list = *ctx.op.list;
  ListQuery query;
  query.page_size = *GenPageSize(profile);
  if (!list.filter_param.empty() && !profile.filterable.empty() && *Pick(4) == 3) {
    query.filter = (*GenFilter(profile)).text;
  }
  if (!list.order_by_param.empty() && !profile.sortable.empty() && *Pick(3) == 2) {
    query.order_by = *GenOrderBy(profile);
  }
  if (!list.read_mask_param.empty() && *Pick(5) == 4) {
    query.read_mask = *GenReadMask(profile);
  }
  bool by_token = !list.page_token_param.empty() && *Pick(2) == 1;
  ctx.driver.Describe(QueryText(query) +
                      (by_token ? ", the page after the first" : ", the first page"));
  if (by_token) {
    Page first = ctx.driver.Get(ctx.main, query);
    if (ctx.driver.Stopped()) {
      return;
    }
    if (first.has_more()) {
      query.page_token = first.next_token;
    }
  }
  Page a = ctx.driver.Get(ctx.main, query);
  Page b = ctx.driver.Get(ctx.main, query);
  if (ctx.driver.Stopped()) {
    return;
  }
  std::vector<Finding> found;
  validator::CheckSamePage(a, b, found);
  ctx.driver.Add(found);
}

enum class Credentials {
  kNone,
  kUnknownKey,
  kBasic,
  kBearerWithoutKey,
  kTokenWithoutKey,
  kOtherKeyHere,
  kOurKeyThere
};

void AuthRequired(Context& ctx) {
  const DataProfile& profile = ctx.profile;
  std::vector<Credentials> kinds = {Credentials::kNone, Credentials::kUnknownKey,
                                    Credentials::kBasic, Credentials::kBearerWithoutKey};
  if (!ctx.op.list->page_token_param.empty()) {
    kinds.push_back(Credentials::kTokenWithoutKey);
  }
  if (ctx.other) {
    kinds.push_back(Credentials::kOtherKeyHere);
    kinds.push_back(Credentials::kOurKeyThere);
  }
  Credentials kind = kinds[*Pick(kinds.size())];
  ListQuery query;
  query.page_size = *GenPageSize(profile);
  std::vector<Finding> found;
  auto with_header = [&](const std::string& value) {
    validator::ListTarget target = ctx.anonymous;
    target.headers.push_back({"Authorization", value});
    return target;
  };
  auto expect = [&](const validator::ListTarget& target, int status, std::string_view id,
                    const std::string& what) {
    ctx.driver.Describe(what + ", " + QueryText(query));
    traffic::Exchange exchange = ctx.driver.Send(validator::MakeListRequest(ctx.op, target, query));
    if (!ctx.driver.Stopped()) {
      validator::CheckStatusIs(exchange, status, id, what, found);
    }
  };
  switch (kind) {
    case Credentials::kNone:
      expect(ctx.anonymous, 401, "auth.missing_credentials", "a request without credentials");
      break;
    // curl commands always show the key as a variable: the message says what was sent instead.
    case Credentials::kUnknownKey: {
      std::string key = "conform-invalid-key-" + std::to_string(*Uniform(0, 999999));
      expect(with_header("Bearer " + key), 401, "auth.invalid_credentials",
             "a request with the unknown API key '" + key + "' (curl: send that key)");
      break;
    }
    case Credentials::kBasic:
      expect(with_header("Basic Y29uZm9ybTpjb25mb3Jt"), 401, "auth.invalid_credentials",
             "a request with 'Authorization: Basic Y29uZm9ybTpjb25mb3Jt' (curl: send that header)");
      break;
    case Credentials::kBearerWithoutKey:
      expect(with_header("Bearer"), 401, "auth.invalid_credentials",
             "a request with 'Authorization: Bearer' and no key (curl: send that header)");
      break;
    case Credentials::kTokenWithoutKey: {
      ctx.driver.Describe("a valid page token without credentials, " + QueryText(query));
      Page first = ctx.driver.Get(ctx.main, query);
      if (ctx.driver.Stopped() || !first.has_more()) {
        return;
      }
      query.page_token = first.next_token;
      expect(ctx.anonymous, 401, "auth.token_is_not_credentials",
             "a valid page token without credentials");
      break;
    }
    case Credentials::kOtherKeyHere: {
      validator::ListTarget target = ctx.main;
      target.headers = ctx.other->headers;
      expect(target, 403, "auth.other_account_denied",
             "account " + Quoted(ctx.target.account) + " read with the key of " +
                 Quoted(ctx.target.other_account.value_or("")) +
                 " (curl: send that account's key)");
      break;
    }
    case Credentials::kOurKeyThere: {
      validator::ListTarget target = *ctx.other;
      target.headers = ctx.main.headers;
      expect(target, 403, "auth.other_account_denied",
             "account " + Quoted(ctx.target.other_account.value_or("")) + " read with the key of " +
                 Quoted(ctx.target.account));
      break;
    }
  }
  ctx.driver.Add(found);
}

}  // namespace

std::string PathFor(const validator::Operation& op, const std::string& account) {
  std::string path = op.path;
  size_t open = path.find('{');
  size_t close = path.find('}', open);
  if (open == std::string::npos || close == std::string::npos) {
    return path;
  }
  return path.substr(0, open) + traffic::PercentEncode(account) + path.substr(close + 1);
}

const std::vector<PropertyEntry>& PropertyEntries() {
  static const std::vector<PropertyEntry> kEntries = {
      {{"walk_matches_reference",
        "A walk at any sequence of page sizes (changing between pages; absent, 0, 1, above the "
        "maximum) returns the reference walk: nothing repeated, nothing lost, an end, no page over "
        "its size",
        "page_walk.consistent_page_sizes, page_walk.terminates, page_walk.disjoint, "
        "page_walk.complete, page_walk.last_page_token, page_size.respected, page_size.default, "
        "order.default"},
       &WalkMatchesReference},
      {{"order_holds_across_pages",
        "With any orderBy (1-3 sortable fields, asc or desc, any spacing) resources come in order "
        "within and across pages, none repeated, none lost",
        "order.fields, order.multi_key, page_walk.disjoint, page_walk.complete, "
        "page_walk.terminates"},
       &OrderHoldsAcrossPages},
      {{"filter_sound_and_complete",
        "With any well-typed filter, in any spelling, every resource returned satisfies it and "
        "every resource that satisfies it is returned",
        "filter.sound, filter.complete, page_walk.disjoint, page_walk.terminates, "
        "page_walk.complete"},
       &FilterSoundAndComplete},
      {{"total_size_consistent",
        "totalSize is the same on every page, equals the number of resources a full walk returns, "
        "and counts the filtered collection",
        "total_size.stable, total_size.matches_walk, total_size.filtered"},
       &TotalSizeConsistent},
      {{"token_bound_to_parameters",
        "A page token is honoured with another pageSize (continuing where its page ended) and "
        "rejected with another filter, orderBy or readMask, or on another account",
        "token.binding, token.page_size_change, token.other_account_rejected"},
       &TokenBoundToParameters},
      {{"invalid_input_rejected_not_5xx",
        "A negative or non-numeric pageSize, an ill-formed filter, an unknown orderBy field or "
        "readMask path, a mutated or forged page token: 400 INVALID_ARGUMENT, never a 5xx",
        "page_size.invalid_rejected, filter.invalid_rejected, order.unknown_field_rejected, "
        "read_mask.unknown_path, token.invalid_rejected, response.no_5xx"},
       &InvalidInputRejectedNot5xx},
      {{"read_mask_projects",
        "A page read with a readMask is the projection of the same page read without one ('*' and "
        "empty: the same page)",
        "response.read_mask.outside, read_mask.equivalent_all"},
       &ReadMaskProjects},
      {{"same_request_same_page",
        "The same request, for a first page or a page reached by token, twice gives the same page",
        "reads.idempotent"},
       &SameRequestSamePage},
      {{"auth_required",
        "Without credentials, with an unknown or malformed key, or with a valid page token but no "
        "key: 401; another principal's key here, or this key on another account: 403",
        "auth.missing_credentials, auth.invalid_credentials, auth.token_is_not_credentials, "
        "auth.other_account_denied"},
       &AuthRequired},
      {{"pagination_under_churn",
        "While jobs are created and deleted between pages (an rc::state model), every job present "
        "for the whole walk appears exactly once, pages respect their size, and the next token is "
        "empty exactly at the end",
        "page_walk.disjoint, page_walk.complete, page_walk.terminates, page_walk.last_page_token, "
        "page_size.respected, page_size.default, order.default",
        PropertyNeeds::kEmbeddedStore},
       &ChurnCase},
  };
  return kEntries;
}

PropertyBody BodyOf(std::string_view property) {
  for (const PropertyEntry& entry : PropertyEntries()) {
    if (entry.info.name == property) {
      return entry.body;
    }
  }
  return nullptr;
}

std::optional<std::string> SkipReason(std::string_view property, const Context& ctx) {
  const validator::ListShape& list = *ctx.op.list;
  if (property == "order_holds_across_pages") {
    if (list.order_by_param.empty()) {
      return "the operation has no orderBy parameter";
    }
    if (ctx.profile.sortable.empty()) {
      return "the resource has no sortable field";
    }
  }
  if (property == "filter_sound_and_complete") {
    if (list.filter_param.empty()) {
      return "the operation has no filter parameter";
    }
    if (ctx.profile.filterable.empty()) {
      return "the resource has no filterable field";
    }
  }
  if (property == "total_size_consistent" && list.total_size_field.empty()) {
    return "the response has no totalSize";
  }
  if (property == "token_bound_to_parameters") {
    if (list.page_token_param.empty()) {
      return "the operation has no pageToken parameter";
    }
    if (ctx.profile.items < 2) {
      return "fewer than 2 resources: no page token to bind";
    }
  }
  if (property == "read_mask_projects" && list.read_mask_param.empty()) {
    return "the operation has no readMask parameter";
  }
  if (property == "auth_required" && !ctx.op.bearer_auth) {
    return "the operation declares no bearer authentication";
  }
  if (property == "pagination_under_churn" && !ctx.target.churn) {
    return "creates and deletes jobs: the embedded reference server only (no --base-url)";
  }
  return std::nullopt;
}

}  // namespace conform::fuzz::internal
