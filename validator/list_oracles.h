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
// Lenient where AIP-132 is silent: enums may sort by declaration or by name, strings
// bytewise or ignoring ASCII case, and pairs involving an unset value are not judged.
void CheckOrder(const Walk& walk, const aip::OrderBy& order_by, std::string_view check_id,
                std::vector<Finding>& out);

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

}  // namespace conform::validator
