#include "server/list_handler.h"

#include <atomic>
#include <charconv>
#include <cstdint>
#include <exception>
#include <limits>
#include <unordered_map>
#include <utility>
#include <variant>

#include "aip/filter.h"
#include "aip/order_by.h"
#include "aip/read_mask.h"
#include "server/internal/faulty_filter.h"
#include "server/internal/list_view.h"
#include "server/page_token.h"
#include "server/served_contract.h"
#include "validator/rpc_codes.h"

namespace conform::server {
namespace {

using Json = nlohmann::json;

namespace rpc = validator::rpc;

constexpr std::string_view kCollectionPrefix = "/v1/accounts/";
constexpr std::string_view kCollectionSuffix = "/dpoJobs";
constexpr size_t kMaxQuoted = 120;   // bytes of user input echoed in a message
constexpr size_t kMaxMessage = 600;  // bytes of any error message

// An error on its way to the client.
struct Failure {
  int code = rpc::kInvalidArgument;
  std::string reason;  // ErrorInfo.reason, UPPER_SNAKE_CASE
  std::string message;
  Json metadata = Json::object();
};

template <typename T>
using Checked = std::variant<T, Failure>;

Failure InvalidArgumentFailure(std::string reason, std::string message, Json metadata) {
  return Failure{rpc::kInvalidArgument, std::move(reason), std::move(message), std::move(metadata)};
}

// `text` clipped for metadata and messages; the JSON writer replaces invalid UTF-8.
std::string Clip(std::string_view text) {
  return text.size() <= kMaxQuoted ? std::string(text)
                                   : std::string(text.substr(0, kMaxQuoted)) + "...";
}

// 'text' clipped, quoted, for messages.
std::string Quote(std::string_view text) {
  if (text.size() <= kMaxQuoted) {
    return "'" + std::string(text) + "'";
  }
  return "'" + std::string(text.substr(0, kMaxQuoted)) + "...' (" + std::to_string(text.size()) +
         " bytes)";
}

std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') {
      x = static_cast<char>(x - 'A' + 'a');
    }
    if (y >= 'A' && y <= 'Z') {
      y = static_cast<char>(y - 'A' + 'a');
    }
    if (x != y) {
      return false;
    }
  }
  return true;
}

bool ValidKeyText(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) {
      return false;
    }
  }
  return true;
}

// "Bearer <key>" (scheme case-insensitive, RFC 7235) -> key; nullopt otherwise.
std::optional<std::string_view> BearerKey(std::string_view header) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
      s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
      s.remove_suffix(1);
    }
    return s;
  };
  header = trim(header);
  size_t space = header.find_first_of(" \t");
  if (space == std::string_view::npos || !EqualsIgnoreCase(header.substr(0, space), "bearer")) {
    return std::nullopt;
  }
  std::string_view key = trim(header.substr(space));
  if (!ValidKeyText(key)) {
    return std::nullopt;
  }
  return key;
}

// The account of a collection path "/v1/accounts/{account}/dpoJobs", or nullopt.
std::optional<std::string_view> CollectionAccount(std::string_view path) {
  if (path.substr(0, kCollectionPrefix.size()) != kCollectionPrefix ||
      path.size() <= kCollectionPrefix.size() + kCollectionSuffix.size() ||
      path.substr(path.size() - kCollectionSuffix.size()) != kCollectionSuffix) {
    return std::nullopt;
  }
  std::string_view account = path.substr(
      kCollectionPrefix.size(), path.size() - kCollectionPrefix.size() - kCollectionSuffix.size());
  if (account.empty() || account.find('/') != std::string_view::npos) {
    return std::nullopt;
  }
  return account;
}

// The query parameters the method reads; each may be spelled as in the spec (camelCase) or as
// the proto field (snake_case), as grpc-gateway accepts both. Others are ignored.
struct ListParams {
  std::optional<std::string> page_size;
  std::optional<std::string> page_token;
  std::optional<std::string> filter;
  std::optional<std::string> order_by;
  std::optional<std::string> read_mask;
};

Checked<ListParams> ReadParams(const traffic::QueryParams& query) {
  ListParams params;
  struct Slot {
    std::string_view json_name;
    std::string_view proto_name;
    std::optional<std::string> ListParams::*field;
  };
  static constexpr Slot kSlots[] = {
      {"pageSize", "page_size", &ListParams::page_size},
      {"pageToken", "page_token", &ListParams::page_token},
      {"filter", "filter", &ListParams::filter},
      {"orderBy", "order_by", &ListParams::order_by},
      {"readMask", "read_mask", &ListParams::read_mask},
  };
  for (const auto& [name, value] : query) {
    for (const Slot& slot : kSlots) {
      if (name != slot.json_name && name != slot.proto_name) {
        continue;
      }
      std::optional<std::string>& field = params.*slot.field;
      if (field.has_value()) {
        return InvalidArgumentFailure(
            "DUPLICATE_PARAMETER",
            std::string(slot.json_name) + ": given more than once; send it at most once",
            {{"parameter", std::string(slot.json_name)}});
      }
      field = value;
    }
  }
  return params;
}

struct PageSizeRules {
  int default_size = kDefaultPageSize;
  bool cap = true;
  bool zero_is_empty = false;
  bool negative_is_default = false;
};

Checked<int> ParsePageSize(const std::optional<std::string>& text, const PageSizeRules& rules) {
  if (!text.has_value()) {
    return rules.default_size;
  }
  Json where = {{"parameter", "pageSize"}};
  const std::string& s = *text;
  // An integer as the parameter's schema and grpc-gateway read it: optional '-', digits.
  bool digits = !s.empty() && s != "-";
  for (size_t i = 0; i < s.size() && digits; ++i) {
    digits = (s[i] >= '0' && s[i] <= '9') || (i == 0 && s[i] == '-');
  }
  if (!digits) {
    return InvalidArgumentFailure("INVALID_PAGE_SIZE",
                                  "pageSize: " + Quote(s) + " is not an integer", where);
  }
  int64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() ||
      value > std::numeric_limits<int32_t>::max() || value < std::numeric_limits<int32_t>::min()) {
    return InvalidArgumentFailure("INVALID_PAGE_SIZE",
                                  "pageSize: " + Quote(s) + " is out of range for a 32-bit integer",
                                  where);
  }
  if (value < 0) {
    if (rules.negative_is_default) {
      return rules.default_size;
    }
    return InvalidArgumentFailure("INVALID_PAGE_SIZE",
                                  "pageSize: " + std::to_string(value) +
                                      " is negative; use 1 to 200, or 0 for the default (" +
                                      std::to_string(kDefaultPageSize) + ")",
                                  where);
  }
  if (value == 0) {
    return rules.zero_is_empty ? 0 : rules.default_size;
  }
  if (rules.cap && value > kMaxPageSize) {
    return kMaxPageSize;
  }
  return static_cast<int>(value);
}

// "column 7: unknown field 'foo'" -> "7".
std::string ColumnOf(const Error& error) {
  constexpr std::string_view kColumn = "column ";
  if (error.where.substr(0, kColumn.size()) == kColumn) {
    return error.where.substr(kColumn.size());
  }
  return "";
}

Failure ParameterFailure(std::string_view parameter, std::string_view reason, const Error& error) {
  Json metadata = {{"parameter", std::string(parameter)}};
  std::string column = ColumnOf(error);
  if (!column.empty()) {
    metadata["column"] = column;
  }
  return InvalidArgumentFailure(
      std::string(reason), std::string(parameter) + ": " + error.ToString(), std::move(metadata));
}

// Whether an orderBy names a field the catalog lacks (unknown-order-field-ignored).
bool OrderByHasUnknownField(std::string_view text, const aip::FieldCatalog& catalog) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string_view item = text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    size_t first = item.find_first_not_of(" \t");
    if (first != std::string_view::npos) {
      item.remove_prefix(first);
      std::string_view field = item.substr(0, item.find_first_of(" \t"));
      if (catalog.Find(field) == nullptr) {
        return true;
      }
    }
    if (comma == std::string_view::npos) {
      break;
    }
    start = comma + 1;
  }
  return false;
}

std::string StripOffset(const std::string& time) {
  if (!time.empty() && (time.back() == 'Z' || time.back() == 'z')) {
    return time.substr(0, time.size() - 1);
  }
  if (time.size() > 6) {
    char sign = time[time.size() - 6];
    if ((sign == '+' || sign == '-') && time[time.size() - 3] == ':') {
      return time.substr(0, time.size() - 6);
    }
  }
  return time;
}

}  // namespace

std::vector<ApiKey> DefaultApiKeys(const JobStore& store) {
  std::vector<ApiKey> keys;
  bool ghost = false;
  for (const auto& [account, size] : store.AccountSizes()) {
    keys.push_back({account, account + "-key"});
    ghost = ghost || account == kGhostAccount;
  }
  if (!ghost) {
    keys.push_back({std::string(kGhostAccount), std::string(kGhostAccount) + "-key"});
  }
  return keys;
}

Result<std::vector<ApiKey>> ResolveApiKeys(std::vector<ApiKey> defaults,
                                           const std::vector<ApiKey>& overrides) {
  std::vector<ApiKey> keys;
  for (ApiKey& key : defaults) {
    bool overridden = false;
    for (const ApiKey& o : overrides) {
      overridden = overridden || o.account == key.account;
    }
    if (!overridden) {
      keys.push_back(std::move(key));
    }
  }
  keys.insert(keys.end(), overrides.begin(), overrides.end());
  std::unordered_map<std::string, std::string> owner;
  for (const ApiKey& key : keys) {
    if (key.account.empty() || key.account.find('/') != std::string::npos) {
      return InvalidArgument("API key for an empty or malformed account '" + key.account + "'");
    }
    if (!ValidKeyText(key.key)) {
      return InvalidArgument("the API key of account '" + key.account +
                             "' is empty or holds whitespace or control characters");
    }
    auto [it, inserted] = owner.emplace(key.key, key.account);
    if (!inserted && it->second != key.account) {
      return InvalidArgument("one API key is given to two accounts, '" + it->second + "' and '" +
                             key.account + "'");
    }
  }
  return keys;
}

struct ListHandler::Impl {
  std::shared_ptr<JobStore> store;
  std::shared_ptr<const ServedContract> served;
  HandlerOptions options;
  PageTokenCodec codec;
  std::unordered_map<std::string, std::string> key_owner;  // key -> account
  aip::FieldCatalog string_time_catalog;                   // timestamps-as-strings
  mutable internal::ViewCache cache;
  mutable std::atomic<uint64_t> requests{0};  // seeds the unstable-ties shuffle

  Impl(std::shared_ptr<JobStore> s, std::shared_ptr<const ServedContract> c, HandlerOptions o,
       PageTokenCodec k)
      : store(std::move(s)),
        served(std::move(c)),
        options(std::move(o)),
        codec(std::move(k)),
        cache(options.view_cache_entries) {}

  bool Has(Fault fault) const { return options.faults.Has(fault); }
  const aip::FieldCatalog& catalog() const { return served->list->catalog; }

  ApiResponse Error(const Failure& failure) const;
  ApiResponse List(const ApiRequest& request, std::string_view account) const;
  Checked<bool> Authorize(const ApiRequest& request, std::string_view account,
                          const ListParams& params) const;
  std::string RenderJob(const StoredJob& job, const aip::ReadMask& mask) const;
  bool RendersAsStored(const aip::ReadMask& mask) const;
};

ListHandler::ListHandler(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ListHandler::~ListHandler() = default;

Result<std::unique_ptr<ListHandler>> ListHandler::Create(std::shared_ptr<JobStore> store,
                                                         HandlerOptions options) {
  CONFORM_CHECK(store != nullptr);
  Result<std::shared_ptr<const ServedContract>> served = EmbeddedServedContract();
  if (!served) {
    return served.error();
  }
  Result<std::vector<ApiKey>> keys = ResolveApiKeys({}, options.api_keys);
  if (!keys) {
    return keys.error();
  }
  Result<PageTokenCodec> codec = PageTokenCodec::Create(options.token_secret);
  if (!codec) {
    return codec.error();
  }
  options.api_keys = std::move(*keys);
  auto impl = std::make_unique<Impl>(std::move(store), std::move(*served), std::move(options),
                                     std::move(*codec));
  for (const ApiKey& key : impl->options.api_keys) {
    impl->key_owner.emplace(key.key, key.account);
  }
  impl->string_time_catalog = internal::TimestampsAsStrings(impl->catalog());
  return std::unique_ptr<ListHandler>(new ListHandler(std::move(impl)));
}

const FaultSet& ListHandler::faults() const { return impl_->options.faults; }
const std::vector<ApiKey>& ListHandler::api_keys() const { return impl_->options.api_keys; }

ApiResponse ListHandler::ErrorResponse(int rpc_code, std::string_view reason,
                                       std::string_view message) const {
  return impl_->Error(Failure{rpc_code, std::string(reason), std::string(message)});
}

ApiResponse ListHandler::Impl::Error(const Failure& failure) const {
  ApiResponse response;
  response.status = validator::HttpStatusForRpcCode(failure.code);
  if (response.status == 0) {
    response.status = 500;
  }
  std::string message = failure.message.size() <= kMaxMessage
                            ? failure.message
                            : failure.message.substr(0, kMaxMessage) + "...";
  Json body;
  if (Has(Fault::kErrorShapeDetail)) {
    body = {{"detail", message}};
  } else {
    Json info = {{"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
                 {"reason", failure.reason},
                 {"domain", kErrorDomain},
                 {"metadata", failure.metadata}};
    int code = Has(Fault::kErrorCodeMismatch) ? response.status : failure.code;
    body = {{"code", code}, {"message", message}, {"details", Json::array({info})}};
  }
  response.body = Dump(body);
  if (Has(Fault::kContentTypeTextPlain)) {
    response.content_type = "text/plain; charset=utf-8";
  }
  if (failure.code == rpc::kUnauthenticated) {
    response.headers.push_back({"WWW-Authenticate", "Bearer realm=\"conform\""});
  }
  return response;
}

ApiResponse ListHandler::Handle(const ApiRequest& request) const {
  try {
    std::optional<std::string_view> account = CollectionAccount(request.path);
    if (!account.has_value()) {
      return impl_->Error(Failure{rpc::kNotFound,
                                  "ROUTE_NOT_FOUND",
                                  "no resource at " + Quote(request.path) +
                                      "; the collection is /v1/accounts/{account_id}/dpoJobs",
                                  {{"path", Clip(request.path)}}});
    }
    if (request.method != "GET" && request.method != "HEAD") {
      ApiResponse response =
          impl_->Error(Failure{rpc::kUnimplemented,
                               "METHOD_NOT_IMPLEMENTED",
                               "method " + Quote(request.method) + " is not implemented on " +
                                   Quote(request.path) + "; ListDpoJobs is GET",
                               {{"method", Clip(request.method)}}});
      response.headers.push_back({"Allow", "GET, HEAD"});
      return response;
    }
    return impl_->List(request, *account);
  } catch (const std::exception&) {
    return impl_->Error(Failure{rpc::kInternal, "INTERNAL", "internal error"});
  } catch (...) {
    return impl_->Error(Failure{rpc::kInternal, "INTERNAL", "internal error"});
  }
}

Checked<bool> ListHandler::Impl::Authorize(const ApiRequest& request, std::string_view account,
                                           const ListParams& params) const {
  if (!request.authorization.has_value()) {
    if (Has(Fault::kMissingAuthAccepted)) {
      return true;
    }
    if (Has(Fault::kTokenReplayWithoutAuth) && params.page_token.has_value()) {
      Result<PageToken> token = codec.Decode(*params.page_token);
      if (token && token->account == account) {
        return true;
      }
    }
    return Failure{rpc::kUnauthenticated, "MISSING_CREDENTIALS",
                   "the request has no Authorization header; send 'Authorization: Bearer "
                   "<API_KEY>'"};
  }
  std::optional<std::string_view> key = BearerKey(*request.authorization);
  if (!key.has_value()) {
    return Failure{rpc::kUnauthenticated, "INVALID_CREDENTIALS",
                   "the Authorization header is not 'Bearer <API_KEY>'"};
  }
  auto owner = key_owner.find(std::string(*key));
  if (owner == key_owner.end()) {
    return Failure{rpc::kUnauthenticated, "INVALID_CREDENTIALS", "the API key is not valid"};
  }
  // AIP-193: permission is checked before existence, so a key learns nothing about accounts
  // other than its own.
  if (owner->second != account && !Has(Fault::kCrossAccountKey)) {
    return Failure{rpc::kPermissionDenied,
                   "PERMISSION_DENIED",
                   "the API key may not list the jobs of account " + Quote(account),
                   {{"account", Clip(account)}}};
  }
  return true;
}

bool ListHandler::Impl::RendersAsStored(const aip::ReadMask& mask) const {
  return (mask.all() || Has(Fault::kReadMaskIgnored)) && !Has(Fault::kApiKeyInClear) &&
         !Has(Fault::kDateTimeWithoutOffset) && !Has(Fault::kStateOutsideEnum) &&
         !Has(Fault::kMissingDataset);
}

std::string ListHandler::Impl::RenderJob(const StoredJob& job, const aip::ReadMask& mask) const {
  if (RendersAsStored(mask)) {
    return job.resource_json;
  }
  Json resource = job.resource;
  if (Has(Fault::kApiKeyInClear) && !job.wandb_api_key.empty()) {
    resource["wandbConfig"]["apiKey"] = job.wandb_api_key;
  }
  if (Has(Fault::kDateTimeWithoutOffset)) {
    for (const char* field : {"createTime", "completedTime"}) {
      if (auto it = resource.find(field); it != resource.end() && it->is_string()) {
        *it = StripOffset(it->get<std::string>());
      }
    }
  }
  if (Has(Fault::kStateOutsideEnum)) {
    if (auto it = resource.find("state"); it != resource.end() && it->is_string()) {
      std::string state = it->get<std::string>();
      constexpr std::string_view kPrefix = "JOB_STATE_";
      if (state.substr(0, kPrefix.size()) == kPrefix) {
        *it = state.substr(kPrefix.size());
      }
    }
  }
  if (Has(Fault::kMissingDataset)) {
    resource.erase("dataset");
  }
  if (!mask.all() && !Has(Fault::kReadMaskIgnored)) {
    resource = aip::Project(mask, resource);
  }
  return Dump(resource);
}

ApiResponse ListHandler::Impl::List(const ApiRequest& request, std::string_view account) const {
  Checked<ListParams> read = ReadParams(request.query);
  if (auto* failure = std::get_if<Failure>(&read)) {
    // Authentication still comes first: an unauthenticated caller learns nothing else.
    Checked<bool> auth = Authorize(request, account, ListParams{});
    if (auto* denied = std::get_if<Failure>(&auth)) {
      return Error(*denied);
    }
    return Error(*failure);
  }
  ListParams& params = std::get<ListParams>(read);
  // proto3: an empty page token is no page token (the first page).
  if (params.page_token.has_value() && params.page_token->empty()) {
    params.page_token.reset();
  }

  Checked<bool> auth = Authorize(request, account, params);
  if (auto* denied = std::get_if<Failure>(&auth)) {
    return Error(*denied);
  }
  if (!store->HasAccount(account)) {
    return Error(Failure{rpc::kNotFound,
                         "ACCOUNT_NOT_FOUND",
                         "account " + Quote(account) + " does not exist",
                         {{"account", Clip(account)}}});
  }

  PageSizeRules rules;
  rules.default_size = Has(Fault::kDefaultPageSize100) ? 100 : kDefaultPageSize;
  rules.cap = !Has(Fault::kPageSizeUncapped);
  rules.zero_is_empty = Has(Fault::kPageSizeZeroEmpty);
  rules.negative_is_default = Has(Fault::kNegativePageSizeAccepted);
  Checked<int> size = ParsePageSize(params.page_size, rules);
  if (auto* failure = std::get_if<Failure>(&size)) {
    return Error(*failure);
  }
  const int page_size = std::get<int>(size);

  // filter: the canonical text binds tokens; the effective filter is what a faulty server
  // evaluates (the same unless a filter fault applies).
  const std::string filter_text = params.filter.value_or("");
  std::string filter_canonical;
  aip::Filter filter;
  {
    const aip::FieldCatalog& typing =
        Has(Fault::kTimestampsAsStrings) ? string_time_catalog : catalog();
    Result<aip::Filter> parsed = aip::ParseFilter(filter_text, typing);
    if (parsed) {
      filter_canonical = aip::Print(*parsed);
      filter = std::move(*parsed);
      if (Has(Fault::kOrBindsLooser)) {
        if (auto split = internal::SplitAtTopLevelOr(filter_text, {})) {
          if (Result<aip::Filter> wrong = aip::CheckFilter(std::move(*split), typing)) {
            filter = std::move(*wrong);
          }
        }
      }
      if (Has(Fault::kNotEqualAsEqual) && !filter.empty()) {
        aip::FilterSyntax syntax = filter.syntax();
        internal::NotEqualAsEqual(*syntax.root);
        if (Result<aip::Filter> wrong = aip::CheckFilter(std::move(syntax), typing)) {
          filter = std::move(*wrong);
        }
      }
    } else {
      Result<aip::FilterSyntax> syntax = aip::ParseFilterSyntax(filter_text);
      bool ignore = Has(Fault::kUnknownFilterFieldAccepted) && syntax && syntax->root &&
                    internal::HasUnknownField(*syntax->root, typing);
      if (!ignore) {
        return Error(ParameterFailure("filter", "INVALID_FILTER", parsed.error()));
      }
      filter_canonical = filter_text;  // filter stays empty: matches everything
    }
  }

  // orderBy: default "name"; ties always broken by name, so the order is total.
  const std::string order_text = params.order_by.value_or("");
  aip::OrderBy requested;
  std::string order_canonical;
  {
    Result<aip::OrderBy> parsed = aip::ParseOrderBy(order_text, catalog());
    bool ignored = false;
    if (!parsed) {
      if (!(Has(Fault::kUnknownOrderFieldIgnored) &&
            OrderByHasUnknownField(order_text, catalog()))) {
        return Error(ParameterFailure("orderBy", "INVALID_ORDER_BY", parsed.error()));
      }
      parsed = aip::OrderBy{};
      ignored = true;
    }
    Result<aip::OrderBy> total = aip::WithTieBreaker(std::move(*parsed), "name", catalog());
    if (!total) {
      return Error(ParameterFailure("orderBy", "INVALID_ORDER_BY", total.error()));
    }
    requested = std::move(*total);
    order_canonical = ignored ? order_text : aip::Print(requested);
  }
  aip::OrderBy order = requested;  // the effective order
  if (Has(Fault::kSecondaryOrderIgnored) && order.keys.size() > 1) {
    Result<aip::OrderBy> first =
        aip::WithTieBreaker(aip::OrderBy{{order.keys.front()}}, "name", catalog());
    if (first) {
      order = std::move(*first);
    }
  }
  if (Has(Fault::kDescIgnored)) {
    for (aip::OrderKey& key : order.keys) {
      key.direction = aip::SortDirection::kAscending;
    }
  }
  if (Has(Fault::kUnstableTies)) {
    // The name tie-breaker goes; ties are shuffled per request instead.
    if (order.keys.size() > 1 && order.keys.back().field.path == "name") {
      order.keys.pop_back();
    }
  }

  Result<aip::ReadMask> mask = aip::ParseReadMask(params.read_mask.value_or(""), catalog());
  if (!mask) {
    return Error(ParameterFailure("readMask", "INVALID_READ_MASK", mask.error()));
  }

  const std::string binding =
      ParameterBinding(Has(Fault::kTokenNotBoundToFilter) ? "" : filter_canonical, order_canonical,
                       aip::Print(*mask));

  std::optional<PageToken> token;
  std::optional<std::vector<aip::Value>> after;
  if (params.page_token.has_value()) {
    Result<PageToken> decoded = codec.Decode(*params.page_token);
    if (!decoded) {
      if (Has(Fault::kGarbageToken500)) {
        return Error(Failure{rpc::kInternal, "INTERNAL", "internal error"});
      }
      return Error(
          InvalidArgumentFailure("INVALID_PAGE_TOKEN",
                                 "pageToken: " + decoded.error().message +
                                     "; send the nextPageToken of a previous response unchanged",
                                 {{"parameter", "pageToken"}}));
    }
    if (decoded->account != account && !Has(Fault::kTokenNotBoundToAccount)) {
      return Error(InvalidArgumentFailure(
          "PAGE_TOKEN_MISMATCH", "pageToken: the page token was issued for another account",
          {{"parameter", "pageToken"}}));
    }
    if (decoded->binding != binding) {
      return Error(InvalidArgumentFailure(
          "PAGE_TOKEN_MISMATCH",
          "pageToken: the page token was issued for another filter, orderBy or readMask; "
          "only pageSize may change between pages",
          {{"parameter", "pageToken"}}));
    }
    if (!decoded->after.is_null()) {
      after = internal::KeysFromJson(decoded->after, order);
      if (!after.has_value()) {
        return Error(InvalidArgumentFailure("INVALID_PAGE_TOKEN",
                                            "pageToken: malformed or tampered page token",
                                            {{"parameter", "pageToken"}}));
      }
    }
    token = std::move(*decoded);
  }

  // The filtered, sorted view: cached per (account, filter, order) at the account's version.
  std::shared_ptr<const internal::ListView> view;
  if (Has(Fault::kUnstableTies)) {
    std::optional<AccountSnapshot> snapshot = store->Snapshot(account);
    if (!snapshot) {
      return Error(Failure{rpc::kNotFound, "ACCOUNT_NOT_FOUND",
                           "account " + Quote(account) + " does not exist"});
    }
    view = internal::BuildView(*snapshot, filter, order, requests.fetch_add(1) + 1);
  } else {
    std::string cache_key = std::string(account);
    cache_key += '\n';
    cache_key += aip::Print(filter);
    cache_key += '\n';
    cache_key += aip::Print(order);
    std::optional<uint64_t> version = store->AccountVersion(account);
    if (version.has_value()) {
      view = cache.Find(cache_key, *version);
    }
    if (view == nullptr) {
      std::optional<AccountSnapshot> snapshot = store->Snapshot(account);
      if (!snapshot) {
        return Error(Failure{rpc::kNotFound, "ACCOUNT_NOT_FOUND",
                             "account " + Quote(account) + " does not exist"});
      }
      view = internal::BuildView(*snapshot, filter, order, std::nullopt);
      cache.Put(cache_key, view);
    }
  }
  const auto& items = view->items;

  size_t start = 0;
  if (token.has_value() && token->offset.has_value()) {
    start = static_cast<size_t>(std::min<uint64_t>(*token->offset, items.size()));
  } else if (after.has_value()) {
    start = Has(Fault::kPageRepeatsItem) ? internal::SeekAtOrAfter(*view, *after, order)
                                         : internal::SeekAfter(*view, *after, order);
  }
  size_t end = std::min(items.size(), start + static_cast<size_t>(page_size));
  const bool more = end < items.size();

  // The next token names the last item returned (a keyset position).
  std::optional<std::string> next;
  auto mint = [&](Json position, std::optional<uint64_t> offset) {
    return codec.Encode(PageToken{.account = std::string(account),
                                  .binding = binding,
                                  .after = std::move(position),
                                  .offset = offset});
  };
  if (page_size == 0) {
    if (start < items.size()) {
      next = mint(token ? token->after : Json(nullptr), token ? token->offset : std::nullopt);
    }
  } else if (more) {
    if (!(Has(Fault::kPrematureEnd) && token.has_value())) {
      if (Has(Fault::kUnstableTies)) {
        next = mint(nullptr, end);
      } else {
        // page-drops-item names the first item of the next page, which is then skipped.
        const internal::ViewItem& last = Has(Fault::kPageDropsItem) ? items[end] : items[end - 1];
        next = mint(internal::KeyJson(last.job->resource, order), std::nullopt);
      }
    }
  } else if (Has(Fault::kLastPageLoops)) {
    next = mint(nullptr, Has(Fault::kUnstableTies) ? std::optional<uint64_t>(0) : std::nullopt);
  } else if (Has(Fault::kTokenOnLastPage) && end > start) {
    next = mint(internal::KeyJson(items[end - 1].job->resource, order), std::nullopt);
  }

  const auto& shape = *served->list->list;
  size_t total = Has(Fault::kTotalSizeOfPage) ? end - start : items.size();
  std::string body;
  body.reserve(64 + (end - start) * 1024);
  body += "{\"";
  body += shape.resources_field;
  body += "\":[";
  for (size_t i = start; i < end; ++i) {
    if (i != start) {
      body += ',';
    }
    body += RenderJob(*items[i].job, *mask);
  }
  body += ']';
  if (next.has_value()) {
    body += ",\"" + shape.next_token_field + "\":" + Dump(Json(*next));
  }
  if (!shape.total_size_field.empty()) {
    body += ",\"" + shape.total_size_field + "\":";
    body += Has(Fault::kTotalSizeAsString) ? "\"" + std::to_string(total) + "\""
                                           : std::to_string(total);
  }
  body += '}';

  ApiResponse response;
  response.body = std::move(body);
  if (Has(Fault::kContentTypeTextPlain)) {
    response.content_type = "text/plain; charset=utf-8";
  }
  return response;
}

}  // namespace conform::server
