// How the filter-related fault modes misread a filter. Each mimics a bug found in real
// hand-written AIP-160 implementations; the correct server never calls these.
//   std::optional<aip::FilterSyntax> wrong = internal::SplitAtTopLevelOr("a AND b OR c");
//   // (a AND b) OR c, where AIP-160 reads a AND (b OR c)
#pragma once

#include <optional>
#include <string_view>

#include "aip/field_catalog.h"
#include "aip/filter_syntax.h"

namespace conform::server::internal {

// or-binds-looser: splits the text at every OR outside parentheses and quotes and ORs the
// parts, as a parser that gives OR the lowest precedence would. nullopt when there is no such
// OR or a part does not parse on its own (the filter is then read correctly).
std::optional<aip::FilterSyntax> SplitAtTopLevelOr(std::string_view text,
                                                   const aip::FilterOptions& options);

// not-equal-as-equal: every `!=` becomes `=`.
void NotEqualAsEqual(aip::Node& node);

// unknown-filter-field-accepted: whether a restriction names a field the catalog lacks (a
// path below a map field counts as known).
bool HasUnknownField(const aip::Node& node, const aip::FieldCatalog& catalog);

// timestamps-as-strings: the catalog with every timestamp field typed as a string, so
// comparisons are bytewise on the text.
aip::FieldCatalog TimestampsAsStrings(const aip::FieldCatalog& catalog);

}  // namespace conform::server::internal
