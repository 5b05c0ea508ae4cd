#include "server/faults.h"

#include <cstddef>

#include "common/ascii.h"

namespace conform::server {
namespace {

constexpr std::string_view kSeedPageToken =
    "\"A page token, received from a previous ListDpoJobs call. Provide this to retrieve the "
    "subsequent page.\"";

}  // namespace

const std::vector<FaultInfo>& AllFaults() {
  static const std::vector<FaultInfo> kFaults = {
      {Fault::kPageDropsItem, "page-drops-item",
       "the next page starts one item too late: the first item of every page after the first is "
       "never returned",
       kSeedPageToken, "seed: pageToken; AIP-158", "page_walk.complete"},
      {Fault::kPageRepeatsItem, "page-repeats-item",
       "the next page starts with the last item of the previous page (with pageSize=1 the walk "
       "never advances)",
       kSeedPageToken, "seed: pageToken; AIP-158", "page_walk.disjoint"},
      {Fault::kPageSizeUncapped, "page-size-uncapped",
       "pageSize above 200 returns that many items (pageSize=500 gives 500)",
       "\"The maximum page_size is 200, values above 200 will be coerced to 200.\"",
       "seed: pageSize", "page_size.maximum"},
      {Fault::kDefaultPageSize100, "default-page-size-100",
       "without pageSize (or with 0) a page holds 100 items",
       "\"If unspecified, the default is 50.\"", "seed: pageSize", "page_size.default"},
      {Fault::kPageSizeZeroEmpty, "page-size-zero-empty",
       "pageSize=0 returns an empty page (with a nextPageToken) instead of the default 50",
       "\"If the user does not specify page_size (or specifies 0), the API chooses an appropriate "
       "default\"",
       "AIP-158; seed: pageSize", "page_size.default_filled"},
      {Fault::kNegativePageSizeAccepted, "negative-page-size-accepted",
       "pageSize=-5 answers 200 with a default page",
       "\"If the user specifies a negative value for page_size, the API must send an "
       "INVALID_ARGUMENT error.\"",
       "AIP-158", "page_size.invalid_rejected"},
      {Fault::kDescIgnored, "desc-ignored", "\"createTime desc\" returns createTime ascending",
       "\"To specify a descending order for a field, append a \" desc\" suffix.\"",
       "seed: orderBy; AIP-132", "order.fields"},
      {Fault::kSecondaryOrderIgnored, "secondary-order-ignored",
       "only the first orderBy field is used: \"state,createTime desc\" orders by state, then name",
       "\"A comma-separated list of fields to order by. e.g. \"foo,bar\"\"",
       "seed: orderBy; AIP-132", "order.multi_key"},
      {Fault::kUnstableTies, "unstable-ties",
       "ties of the orderBy fields come in a different order on every request and tokens hold an "
       "offset, so pages repeat and skip items",
       kSeedPageToken, "seed: pageToken; AIP-158", "page_walk.disjoint"},
      {Fault::kUnknownOrderFieldIgnored, "unknown-order-field-ignored",
       "orderBy=nosuchfield answers 200 in the default order",
       "\"If a user provides a negative or other invalid value, the API must send an "
       "INVALID_ARGUMENT error.\"",
       "AIP-132", "order.unknown_field_rejected"},
      {Fault::kNotEqualAsEqual, "not-equal-as-equal",
       "`state != JOB_STATE_COMPLETED` returns only the completed jobs",
       "`a != 42`: \"True unless `a` equals 42.\"", "AIP-160", "filter.sound"},
      {Fault::kOrBindsLooser, "or-binds-looser", "`a AND b OR c` is evaluated as `(a AND b) OR c`",
       "\"the OR operator has higher precedence than AND ... The expression a AND b OR c "
       "evaluates: a AND (b OR c).\"",
       "AIP-160", "filter.sound"},
      {Fault::kTimestampsAsStrings, "timestamps-as-strings",
       "timestamps in filters compare as text, so the same instant written with another UTC "
       "offset (`createTime = \"2024-05-01T00:00:00-12:00\"`) matches nothing",
       "\"Timestamps expect an RFC-3339 formatted string (e.g. 2012-04-21T11:30:00-04:00). UTC "
       "offsets are supported.\"",
       "AIP-160", "filter.complete"},
      {Fault::kUnknownFilterFieldAccepted, "unknown-filter-field-accepted",
       "a filter naming an unknown field is ignored: `nosuchfield = 1` answers 200 with every job",
       "\"If a user attempts to traverse to a field that is not defined on the message, the "
       "service should return an error with INVALID_ARGUMENT.\"",
       "AIP-160", "filter.invalid_rejected"},
      {Fault::kTotalSizeOfPage, "total-size-of-page",
       "totalSize is the number of items on the page, not in the filtered collection",
       "\"The total number of dpo jobs\"; \"If filtering is used, the total_size field should "
       "reflect the size of the collection after the filter is applied.\"",
       "seed: totalSize; AIP-132", "total_size.matches_walk"},
      {Fault::kTokenNotBoundToFilter, "token-not-bound-to-filter",
       "a page token minted under one filter is accepted with another filter",
       "\"When paginating, all other parameters provided to ListDpoJobs must match the call that "
       "provided the page token.\"",
       "seed: pageToken; AIP-158", "token.binding"},
      {Fault::kTokenNotBoundToAccount, "token-not-bound-to-account",
       "a page token minted for one account is accepted on another",
       "\"When paginating, all other parameters provided to ListDpoJobs must match the call that "
       "provided the page token.\"",
       "seed: pageToken; AIP-158", "token.other_account_rejected"},
      {Fault::kGarbageToken500, "garbage-token-500",
       "a malformed or tampered pageToken answers 500 INTERNAL instead of 400",
       "\"INVALID_ARGUMENT: The client specified an invalid argument.\"; INTERNAL \"is reserved "
       "for serious errors\"",
       "seed: gatewayCode; AIP-193", "token.invalid_rejected"},
      {Fault::kLastPageLoops, "last-page-loops",
       "the last page has a nextPageToken that leads back to the first page",
       "\"If the end of the collection has been reached, the next_page_token field must be "
       "empty.\"",
       "AIP-158", "page_walk.terminates"},
      {Fault::kTokenOnLastPage, "token-on-last-page",
       "the page holding the last jobs still has a nextPageToken, which leads to an empty page "
       "(a token is set whenever a page is not empty)",
       "\"If the end of the collection has been reached, the next_page_token field must be empty. "
       "This is the only way to communicate \"end-of-collection\" to users.\"",
       "AIP-158", "page_walk.last_page_token"},
      {Fault::kPrematureEnd, "premature-end",
       "a page reached with a pageToken has no nextPageToken although items remain: walks stop "
       "after two pages",
       "\"If the end of the collection has not been reached (or if the API can not determine in "
       "time), the API must provide a next_page_token.\"",
       "AIP-158", "page_walk.complete"},
      {Fault::kDateTimeWithoutOffset, "date-time-without-offset",
       "createTime and completedTime lose their offset: \"2024-03-01T10:00:00\"",
       "createTime: `format: date-time` (RFC 3339 requires the offset)", "seed: gatewayDpoJob",
       "response.schema.format"},
      {Fault::kStateOutsideEnum, "state-outside-enum",
       "state loses its prefix: \"RUNNING\" instead of \"JOB_STATE_RUNNING\"",
       "state: `$ref: gatewayJobState` (`enum: JOB_STATE_UNSPECIFIED, ...`)",
       "seed: gatewayJobState", "response.schema.enum"},
      {Fault::kTotalSizeAsString, "total-size-as-string", "totalSize is sent as a string: \"350\"",
       "totalSize: `type: integer, format: int32`", "seed: gatewayListDpoJobsResponse",
       "response.schema.type"},
      {Fault::kMissingDataset, "missing-dataset", "jobs are returned without their dataset",
       "gatewayDpoJob: `required: [dataset]`", "seed: gatewayDpoJob", "response.schema.required"},
      {Fault::kMissingAuthAccepted, "missing-auth-accepted",
       "a request without Authorization is served as the account's owner",
       "\"UNAUTHENTICATED: The request does not have valid authentication credentials for the "
       "operation.\"",
       "seed: BearerAuth, gatewayCode; AIP-193", "auth.missing_credentials"},
      {Fault::kTokenReplayWithoutAuth, "token-replay-without-auth",
       "a valid pageToken without Authorization is served",
       "\"They must not provide any form of authorization to the underlying resources\"", "AIP-158",
       "auth.token_is_not_credentials"},
      {Fault::kCrossAccountKey, "cross-account-key",
       "the key of one account lists another account's jobs",
       "\"If the user does not have permission to access the resource or parent, regardless of "
       "whether or not it exists, the service must error with PERMISSION_DENIED (HTTP 403).\"",
       "AIP-193", "auth.other_account_denied"},
      {Fault::kReadMaskIgnored, "read-mask-ignored", "readMask=name returns every field",
       "\"The fields to be returned in the response. If empty or \"*\", all fields will be "
       "returned.\"",
       "seed: readMask; AIP-157", "response.read_mask.outside"},
      {Fault::kApiKeyInClear, "api-key-in-clear", "wandbConfig.apiKey is returned in clear",
       "\"apiKey: The API key for the wandb service.\" is a credential: secrets never leave the "
       "server",
       "seed: gatewayWandbConfig; DESIGN.md", "secrets.credential_in_clear"},
      {Fault::kErrorShapeDetail, "error-shape-detail",
       "errors are {\"detail\": \"...\"} instead of a google.rpc.Status",
       "\"Services must return a google.rpc.Status message when an API error occurs\"", "AIP-193",
       "response.error.shape"},
      {Fault::kErrorCodeMismatch, "error-code-mismatch",
       "the error body's code is the HTTP status (400) instead of the google.rpc code (3)",
       "\"INVALID_ARGUMENT ... HTTP Mapping: 400 Bad Request\"", "seed: gatewayCode; AIP-193",
       "response.error.code_mapping"},
      {Fault::kContentTypeTextPlain, "content-type-text-plain",
       "every response (JSON body unchanged) says Content-Type: text/plain",
       "response `200: application/json`", "seed: response", "response.content_type"},
  };
  return kFaults;
}

const FaultInfo* FindFault(std::string_view name) {
  for (const FaultInfo& info : AllFaults()) {
    if (info.name == name) {
      return &info;
    }
  }
  return nullptr;
}

const FaultInfo& DescribeFault(Fault fault) {
  for (const FaultInfo& info : AllFaults()) {
    if (info.fault == fault) {
      return info;
    }
  }
  CONFORM_CHECK(false);
  return AllFaults().front();
}

std::vector<std::string> FaultSet::Names() const {
  std::vector<std::string> names;
  for (const FaultInfo& info : AllFaults()) {
    if (Has(info.fault)) {
      names.emplace_back(info.name);
    }
  }
  return names;
}

Result<FaultSet> ParseFaults(const std::vector<std::string>& specs) {
  FaultSet faults;
  for (const std::string& spec : specs) {
    std::string_view rest = spec;
    while (true) {
      size_t comma = rest.find(',');
      std::string_view name = TrimSpacesAndTabs(rest.substr(0, comma));
      if (name.empty()) {
        return InvalidArgument("empty fault name in '" + spec + "' (see --list-faults)");
      }
      const FaultInfo* info = FindFault(name);
      if (info == nullptr) {
        return InvalidArgument("unknown fault '" + std::string(name) + "' (see --list-faults)");
      }
      faults.Add(info->fault);
      if (comma == std::string_view::npos) {
        break;
      }
      rest.remove_prefix(comma + 1);
    }
  }
  return faults;
}

std::string FaultTableMarkdown() {
  // A '|' inside a cell would split it; none of the texts has one outside backticks, and
  // GitHub splits on those too, so escape them all.
  auto cell = [](std::string_view text) {
    std::string out;
    for (char c : text) {
      if (c == '|') {
        out += "\\|";
      } else {
        out += c;
      }
    }
    return out;
  };
  std::string table =
      "| fault | symptom | rule broken | source | caught by |\n|---|---|---|---|---|\n";
  for (const FaultInfo& info : AllFaults()) {
    table += "| `" + std::string(info.name) + "` | " + cell(info.symptom) + " | " +
             cell(info.rule) + " | " + cell(info.source) + " | `" + std::string(info.check) +
             "` |\n";
  }
  return table;
}

}  // namespace conform::server
