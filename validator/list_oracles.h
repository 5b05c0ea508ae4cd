// The invariants of AIP-158/160/132/157 over walks of a List, as pure functions: one
// implementation of each, shared by `conform check` (fixed scenarios) and `conform fuzz`
// (generated ones). Each appends Findings whose requests are the shortest sequence that
// shows the problem (the pages up to the one where it appears).
//   std::vector<Finding> found;
//   CheckDisjoint(walk, found);
//   CheckOrder(walk, *order_by, "order.fields", found);
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aip/filter.h"
#include "aip/order_by.h"
#include "aip/read_mask.h"
#include "validator/finding.h"
#include "validator/list_walk.h"

namespace conform::validator {

// page_walk.terminates: the walk reached a page without a token (no cycle, no runaway).
void CheckTermination(const Walk& walk, std::vector<Finding>& out);

// page_walk.disjoint: no resource appears twice in one walk.
void CheckDisjoint(const Walk& walk, std::vector<Finding>& out);

// page_size.respected: no page holds more items than requested, nor more than `max_page_size`
// (the seed's 200) whatever was requested.
void CheckPageSizesRespected(const Walk& walk, int64_t max_page_size, std::vector<Finding>& out);

// total_size.stable (the same on every page) and total_size.matches_walk (equal to the number
// of items walked). Skipped when the response has no totalSize field.
void CheckTotalSize(const Walk& walk, std::vector<Finding>& out);

// page_walk.last_page_token: the page holding the last item carries no token (a token that
// leads to an empty final page breaks AIP-158's "must be empty at the end").
void CheckLastPageToken(const Walk& walk, std::vector<Finding>& out);

// Order of the walk's items, within and across pages, by `order_by` (check id `check_id`).
// Lenient where AIP-132 is silent: enums may sort by declaration, number or name, strings
// bytewise or ignoring ASCII case, and resources without the field as its proto3 default or
// all together before or after the others (as databases sort NULL); a pair with a value of
// the wrong type is not judged. One choice holds for the whole walk.
void CheckOrder(const Walk& walk, const aip::OrderBy& order_by, std::string_view check_id,
                std::vector<Finding>& out);

// How many resources satisfy a filter: `definite` surely do; `ambiguous` do or not as a
// server reads a comparison with an unset value (aip::MatchesUnambiguously).
struct FilteredCount {
  int64_t definite = 0;
  int64_t ambiguous = 0;
  bool Allows(int64_t total) const { return total >= definite && total <= definite + ambiguous; }
  std::string Describe() const;  // "12", or "12 to 15"
};
FilteredCount CountMatching(const std::vector<const nlohmann::json*>& items, const aip::Filter& filter);

// filter.sound: every item returned satisfies the filter (evaluated client-side with aip/).
void CheckFilterSound(const Walk& walk, const aip::Filter& filter, std::vector<Finding>& out);

// filter.complete: every item of the unfiltered walk `all` that satisfies the filter is in
// the filtered walk. Only meaningful when both walks completed.
void CheckFilterComplete(const Walk& filtered, const Walk& all, const aip::Filter& filter,
                         std::vector<Finding>& out);

// `check_id`: the two walks return the same items in the same order (e.g. at two page sizes,
// or with two spellings of the same orderBy). `what` explains what differs between them.
void CheckSameSequence(const Walk& a, const Walk& b, std::string_view check_id, const std::string& what,
                       std::vector<Finding>& out);

// ---- Invariants added with conform fuzz (one implementation, for check and fuzz alike) ----

// page_size.default: a page requested without pageSize (or with 0) holds at most
// `default_page_size` items (seed: "If unspecified, the default is 50");
// page_size.default_filled (should): exactly that many when it has a next token.
void CheckDefaultPageSize(const Walk& walk, int64_t default_page_size, std::vector<Finding>& out);

// page_walk.last_page_token: the last page omits nextPageToken rather than sending "" (seed:
// "If this field is omitted, there are no subsequent pages"; a client that follows any token
// present starts over).
void CheckNextTokenOmittedAtEnd(const Walk& walk, std::vector<Finding>& out);

// `check_id`: a walk whose parameters are all valid never meets an error page (a status
// other than 200, or a body that is not a JSON object). Not judged when no response came.
void CheckNoErrorPage(const Walk& walk, std::string_view check_id, const std::string& what,
                      std::vector<Finding>& out);

// `check_id`: the items of `walk`, which may have been cut short, are the first items of the
// complete walk `reference`, in order (a walk at other page sizes stopped after a few pages).
void CheckPrefixOf(const Walk& walk, const Walk& reference, std::string_view check_id,
                   const std::string& what, std::vector<Finding>& out);

// `check_id`: two complete walks return the same resources, in any order (the collection
// walked under another orderBy).
void CheckSameItems(const Walk& a, const Walk& b, std::string_view check_id,
                    const std::string& what, std::vector<Finding>& out);

// page_walk.complete: a complete walk returns every resource whose ItemKey is in `keys`
// (e.g. those present during the whole walk while others were created and deleted).
void CheckWalkCovers(const Walk& walk, const std::vector<std::string>& keys,
                     std::vector<Finding>& out);

// The next token of page `page_index` is present exactly when `remaining` resources came after
// that page's last item when it was served (known to a caller that models the collection, as
// the stateful fuzz property does): page_walk.complete when it is missing though resources
// remain (AIP-158: "must provide a next_page_token"), page_walk.last_page_token when it is
// present though none remain.
void CheckNextTokenIffMore(const Walk& walk, size_t page_index, size_t remaining,
                           std::vector<Finding>& out);

// total_size.filtered: every page of the walk with `filter` (empty: no filter) says a
// totalSize equal to the number of resources of the complete walk `all` that satisfy it.
void CheckFilteredTotalSize(const Walk& filtered, const Walk& all, const aip::Filter& filter,
                            std::vector<Finding>& out);

// reads.idempotent: the same request sent twice got the same page: status, resources,
// totalSize and whether a next page exists.
void CheckSamePage(const Page& first, const Page& second, std::vector<Finding>& out);

// Whether the answer is 400 INVALID_ARGUMENT in either google.rpc.Status JSON shape (a 400
// without a readable status counts: the body is response.error.shape's business).
bool SaysInvalidArgument(const traffic::Exchange& exchange);

// "400 INVALID_ARGUMENT", "200", or the transport error: how findings quote an answer.
std::string StatusLine(const traffic::Exchange& exchange);

// `check_id`: the request was refused with 400 INVALID_ARGUMENT (a 400 without a readable
// google.rpc.Status counts: the body is response.error.shape's business). Not judged when
// the request got no response (exchange.error).
void CheckInvalidArgument(const traffic::Exchange& exchange, std::string_view check_id,
                          const std::string& what, std::vector<Finding>& out);

// read_mask.unknown_path: a readMask entry naming no field was refused with 400
// INVALID_ARGUMENT or ignored with a 2xx (AIP-161: "When reading data, field masks may ignore
// entries that point to a value that can not exist"); the 2xx body is judged against the rest
// of the mask by the exchange checks. Anything else is a finding.
void CheckUnknownMaskPathAnswered(const traffic::Exchange& exchange, const std::string& what,
                                  std::vector<Finding>& out);

// `check_id`: the request was refused with a 4xx, whichever.
void CheckClientError(const traffic::Exchange& exchange, std::string_view check_id,
                      const std::string& what, std::vector<Finding>& out);

// `check_id`: the response status is `status` (401 UNAUTHENTICATED, 403 PERMISSION_DENIED).
void CheckStatusIs(const traffic::Exchange& exchange, int status, std::string_view check_id,
                   const std::string& what, std::vector<Finding>& out);

// response.no_5xx: whatever was sent, the answer is not a 5xx.
void CheckNo5xx(const traffic::Exchange& exchange, std::vector<Finding>& out);

// Each resource of `masked` (read with `mask`) equals the projection (aip::Project) of the
// resource at the same position of `full`, the same request without readMask:
// read_mask.equivalent_all when the mask is "*" or empty, response.read_mask.outside
// otherwise. Judged only when both are 200 pages.
void CheckReadMaskProjection(const Page& masked, const Page& full, const aip::ReadMask& mask,
                             std::vector<Finding>& out);

// secrets.credential_in_clear: no credential member (traffic::IsSecretJsonKey: apiKey,
// secret, password...) of any resource of the walk holds a value in clear; "", "****",
// "[REDACTED]" and other masked values pass.
void CheckCredentialsMasked(const Walk& walk, std::vector<Finding>& out);

}  // namespace conform::validator
