#include "fuzz/properties.h"

namespace conform::fuzz {

const std::vector<PropertyInfo>& AllProperties() {
  static const std::vector<PropertyInfo> kProperties = {
      {"walk_matches_reference",
       "A walk at any sequence of page sizes (changing between pages; absent, 0, 1, above the "
       "maximum) returns the reference walk: nothing repeated, nothing lost, an end, no page over "
       "its size",
       "page_walk.consistent_page_sizes, page_walk.terminates, page_walk.disjoint, "
       "page_walk.complete, page_walk.last_page_token, page_size.respected, page_size.default, "
       "order.default"},
      {"order_holds_across_pages",
       "With any orderBy (1-3 sortable fields, asc or desc, any spacing) resources come in order "
       "within and across pages, none repeated, none lost",
       "order.fields, order.multi_key, page_walk.disjoint, page_walk.complete, "
       "page_walk.terminates"},
      {"filter_sound_and_complete",
       "With any well-typed filter, in any spelling, every resource returned satisfies it and "
       "every resource that satisfies it is returned",
       "filter.sound, filter.complete, page_walk.disjoint, page_walk.terminates, "
       "page_walk.complete"},
      {"total_size_consistent",
       "totalSize is the same on every page, equals the number of resources a full walk returns, "
       "and counts the filtered collection",
       "total_size.stable, total_size.matches_walk, total_size.filtered"},
      {"token_bound_to_parameters",
       "A page token is honoured with another pageSize (continuing where its page ended) and "
       "rejected with another filter, orderBy or readMask, or on another account",
       "token.binding, token.page_size_change, token.other_account_rejected"},
      {"invalid_input_rejected_not_5xx",
       "A negative or non-numeric pageSize, an ill-formed filter, an unknown orderBy field or "
       "readMask path, a mutated or forged page token: 400 INVALID_ARGUMENT, never a 5xx",
       "page_size.invalid_rejected, filter.invalid_rejected, order.unknown_field_rejected, "
       "read_mask.unknown_path, token.invalid_rejected, response.no_5xx"},
      {"read_mask_projects",
       "A page read with a readMask is the projection of the same page read without one ('*' and "
       "empty: the same page)",
       "response.read_mask.outside, read_mask.equivalent_all"},
      {"same_request_same_page",
       "The same request, for a first page or a page reached by token, twice gives the same page",
       "reads.idempotent"},
      {"auth_required",
       "Without credentials, with an unknown or malformed key, or with a valid page token but no "
       "key: 401; another principal's key here, or this key on another account: 403",
       "auth.missing_credentials, auth.invalid_credentials, auth.token_is_not_credentials, "
       "auth.other_account_denied"},
      {"pagination_under_churn",
       "While jobs are created and deleted between pages (an rc::state model), every job present "
       "for the whole walk appears exactly once, pages respect their size, and the next token is "
       "empty exactly at the end",
       "page_walk.disjoint, page_walk.complete, page_walk.terminates, page_walk.last_page_token, "
       "page_size.respected, page_size.default, order.default",
       PropertyNeeds::kEmbeddedStore},
  };
  return kProperties;
}

const PropertyInfo* FindProperty(std::string_view name) {
  for (const PropertyInfo& property : AllProperties()) {
    if (property.name == name) {
      return &property;
    }
  }
  return nullptr;
}

}  // namespace conform::fuzz
