#include "validator/finding.h"

#include <utility>

#include "common/check.h"

namespace conform::validator {

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kMust:
      return "must";
    case Level::kShould:
      return "should";
    case Level::kMay:
      return "may";
  }
  return "must";
}

const std::vector<CheckInfo>& AllChecks() {
  static const std::vector<CheckInfo> kChecks = {
      // One exchange (conform validate, and every response conform check/fuzz receives).
      {"exchange.no_response", Level::kShould,
       "A recorded exchange has a response; an aborted or failed request cannot be checked",
       "HAR 1.2 (entries[].response)"},
      {"request.parameter.schema", Level::kShould,
       "Each request parameter satisfies the schema the operation declares for it",
       "OpenAPI 3.1 Parameter Object"},
      {"request.parameter.invalid_accepted", Level::kMust,
       "A request whose parameter breaks its declared schema is rejected with INVALID_ARGUMENT, "
       "not answered 2xx",
       "AIP-193; OpenAPI 3.1 Parameter Object"},
      {"response.status.declared", Level::kMust,
       "The status is declared for the operation (exactly, as a range, or by `default`), or is "
       "an error status that AIP-193 maps from a google.rpc code",
       "OpenAPI 3.1 Responses Object; AIP-193"},
      {"response.content_type", Level::kMust,
       "The Content-Type of a response with a body is one of the media types declared for its "
       "status (`application/json` for ListDpoJobs)",
       "OpenAPI 3.1 Media Type Object"},
      {"response.body.json", Level::kMust, "A JSON response body is well-formed UTF-8 JSON",
       "RFC 8259; seed: application/json"},
      {"response.body.duplicate_member", Level::kMust,
       "No object in a JSON body gives a member name twice: readers disagree on which value "
       "counts, so the body has no single meaning to check",
       "RFC 8259 §4; RFC 7493 (I-JSON) §2.3"},
      {"response.body.limit", Level::kMust,
       "A response body stays within the documented limits of conform (size, nesting depth)",
       "conform limits (--max-body-size)"},
      {"response.schema.type", Level::kMust, "Each value has a type the schema allows",
       "JSON Schema `type`"},
      {"response.schema.enum", Level::kMust, "An enum value is one of the declared values",
       "JSON Schema `enum` (e.g. gatewayJobState)"},
      {"response.schema.required", Level::kMust,
       "Required properties are present (outside a read mask they may be omitted)",
       "JSON Schema `required` (gatewayDpoJob.dataset); AIP-157"},
      {"response.schema.format", Level::kMust,
       "Values match their format: date-time, date and time are RFC 3339 (with an offset), "
       "int32/int64/uint32/uint64 within range, float/double finite and in range, uuid, email, "
       "hostname, ipv4, ipv6, uri, uri-reference, uri-template, json-pointer, "
       "relative-json-pointer, duration, regex and byte (base64) as their RFCs write them; "
       "other formats are annotations",
       "OpenAPI 3.1 Data Types; JSON Schema Validation §7.3; RFC 3339 §5.6 and Appendix A, "
       "4122, 5321, 1123, 4291, 3986, 6570, 6901, 4648"},
      {"response.schema.additional_property", Level::kMust,
       "No property beyond those declared where the schema sets additionalProperties: false",
       "JSON Schema `additionalProperties`"},
      {"response.schema.write_only", Level::kMust,
       "writeOnly properties never appear in a response", "OpenAPI 3.1 Schema Object `writeOnly`"},
      {"response.schema.constraint", Level::kMust,
       "Every other schema keyword holds (minimum, maximum, length, pattern, oneOf, anyOf, not, "
       "const, items...)",
       "JSON Schema validation keywords"},
      {"response.schema.pattern_unchecked", Level::kMay,
       "A pattern conform cannot match safely was not checked: one with lookaround or "
       "backreferences against a string over 8 KiB; patterns and formats inside anyOf/oneOf/not "
       "and patternProperties in a response holding such a string or property name, or when "
       "one of them may backtrack exponentially or std::regex cannot compile it; a valid "
       "ECMA-262 pattern neither of conform's engines compiles (Unicode property escapes "
       "such as \\p{ASCII})",
       "JSON Schema `pattern`; conform limits"},
      {"response.schema.keyword_unchecked", Level::kMay,
       "A schema keyword the validation engine (JSON Schema draft 7) cannot check was not "
       "checked: unevaluatedProperties, unevaluatedItems, maxContains, minContains over 1, "
       "$dynamicRef, and 2020-12 keywords with no draft-7 form (prefixItems, "
       "dependentRequired, dependentSchemas in OpenAPI 3.1 are translated and checked)",
       "JSON Schema 2020-12; conform limits"},
      {"response.schema.undeclared_property", Level::kShould,
       "(--strict) Every property in a response is declared by the schema: anything else is "
       "drift between the server and its spec",
       "OpenAPI 3.1 Schema Object `properties`"},
      {"response.read_mask.outside", Level::kMust,
       "With a read mask, only the masked fields of each resource are returned (a resource's "
       "`name` is response.read_mask.name_added)",
       "AIP-157; seed: readMask \"The fields to be returned in the response\""},
      {"response.read_mask.name_added", Level::kShould,
       "With a read mask that does not name it, a resource's `name` is not returned either: many "
       "services return it anyway, to identify the resource, which the AIPs do not provide for",
       "AIP-157; google.protobuf.FieldMask (a projection holds only the masked fields); seed: "
       "readMask \"The fields to be returned in the response\""},
      {"response.error.shape", Level::kMust,
       "An error body is a google.rpc.Status: {\"code\",\"message\",\"details\"} (grpc-gateway) "
       "or {\"error\":{\"code\",\"message\",\"status\"}} (AIP-193), in an AIP-style API (one "
       "with an AIP-158 List) where the spec gives the error no schema or a Status one",
       "AIP-193; seed: gatewayStatus"},
      {"response.error.code_mapping", Level::kMust,
       "The HTTP status of an error matches its google.rpc code by the mapping table",
       "seed: gatewayCode \"HTTP Mapping\"; AIP-193"},
      // List semantics (conform check and conform fuzz).
      {"response.no_5xx", Level::kMust,
       "No request conform sends gets a 5xx: invalid input is a client error (4xx), never a "
       "server fault",
       "AIP-193"},
      {"auth.missing_credentials", Level::kMust,
       "A request without Authorization is refused with 401 UNAUTHENTICATED",
       "seed: BearerAuth; AIP-193 (UNAUTHENTICATED)"},
      {"auth.invalid_credentials", Level::kMust,
       "A request with an unknown or malformed bearer key is refused with 401 UNAUTHENTICATED",
       "seed: BearerAuth; AIP-193"},
      {"auth.token_is_not_credentials", Level::kMust,
       "A valid page token replayed without credentials is refused with 401: page tokens are "
       "not authorization",
       "AIP-158; AIP-193"},
      {"auth.other_account_denied", Level::kMust,
       "A valid key of another principal on this account gets 403 PERMISSION_DENIED (checked "
       "before existence, so nothing leaks)",
       "AIP-193 (PERMISSION_DENIED); AIP-211"},
      {"auth.account_isolation", Level::kMust,
       "No resource of one account is ever visible through the other principal", "AIP-211"},
      {"page_size.default", Level::kMust,
       "pageSize absent or 0 is answered, with at most the default of 50 items, never an error",
       "seed: pageSize \"If unspecified, the default is 50\"; AIP-158 (\"must not return an "
       "error\")"},
      {"page_size.default_filled", Level::kShould,
       "pageSize absent or 0 gives exactly 50 items when more exist: what the documented default "
       "promises, though AIP-158 lets any page hold fewer",
       "seed: pageSize \"If unspecified, the default is 50\"; AIP-158 (\"may return fewer "
       "results\")"},
      {"page_size.maximum", Level::kMust,
       "pageSize above 200 (201, 1000, 2^31-1) is coerced to 200: at most 200 items, no error",
       "seed: pageSize \"values above 200 will be coerced to 200\""},
      {"page_size.invalid_rejected", Level::kMust,
       "A negative or non-numeric pageSize is rejected with 400 INVALID_ARGUMENT",
       "AIP-158 (\"If the user provides a negative page_size, INVALID_ARGUMENT\"); AIP-193"},
      {"page_size.respected", Level::kMust,
       "No page holds more items than the pageSize requested (nor more than 200)",
       "AIP-158; seed: pageSize \"The maximum number of dpo jobs to return\""},
      {"page_walk.terminates", Level::kMust,
       "Following nextPageToken reaches a last page: no token cycle, no endless walk",
       "AIP-158 (next_page_token empty at the end)"},
      {"page_walk.disjoint", Level::kMust, "Pages of one walk never repeat a resource", "AIP-158"},
      {"page_walk.complete", Level::kMust,
       "Walking every page returns every resource: the union of the pages has totalSize items "
       "and a short or empty page is not the end",
       "AIP-158; seed: nextPageToken \"If this field is omitted, there are no subsequent pages\""},
      {"page_walk.consistent_page_sizes", Level::kMust,
       "A walk at another page size (also changing between pages) returns the same resources in "
       "the same order",
       "AIP-158 (page_size may change between pages)"},
      {"page_walk.last_page_token", Level::kShould,
       "The page that holds the last resources has no nextPageToken (not a token that leads to "
       "an empty page)",
       "AIP-158 (\"if the end of the collection has been reached, next_page_token must be "
       "empty\")"},
      {"total_size.stable", Level::kMust, "totalSize is the same on every page of a walk",
       "seed: totalSize \"The total number of dpo jobs\""},
      {"total_size.matches_walk", Level::kMust,
       "totalSize equals the number of resources a full walk returns", "seed: totalSize; AIP-158"},
      {"total_size.filtered", Level::kMust,
       "With a filter, totalSize counts the matching resources, not the collection or the page",
       "seed: totalSize; AIP-160"},
      {"order.default", Level::kMust, "Without orderBy, resources come by name, ascending",
       "seed: orderBy \"If not specified, the default order is by name\""},
      {"order.fields", Level::kMust,
       "Every sortable field of the contract orders ascending and, with \" desc\", descending, "
       "within and across pages",
       "seed: orderBy; AIP-132"},
      {"order.multi_key", Level::kMust,
       "A comma list orders by the first field, then the next (\"foo desc,bar\")",
       "seed: orderBy; AIP-132"},
      {"order.whitespace", Level::kMust,
       "Extra whitespace in orderBy changes nothing (\"  createTime   desc ,name \")", "AIP-132"},
      {"order.unknown_field_rejected", Level::kMust,
       "orderBy on an unknown field is rejected with 400 INVALID_ARGUMENT", "AIP-132; AIP-193"},
      {"filter.sound", Level::kMust,
       "Every resource returned with a filter satisfies it (evaluated by conform per AIP-160)",
       "seed: filter; AIP-160"},
      {"filter.complete", Level::kMust,
       "Every resource that satisfies a filter is returned with it", "seed: filter; AIP-160"},
      {"filter.supported", Level::kShould,
       "A filter in AIP-160's syntax (comparisons, AND, OR, NOT and '-', ':' and '*' "
       "wildcards on fields the data holds) is answered, not refused",
       "AIP-160 (\"must provide the : operator\"; \"should provide\" the others); seed: filter "
       "\"See https://google.aip.dev/160 for the filter syntax specification\""},
      {"filter.invalid_rejected", Level::kMust,
       "A filter with a syntax error, an unknown field or a type error is rejected with 400 "
       "INVALID_ARGUMENT",
       "AIP-160; AIP-193"},
      {"token.binding", Level::kShould,
       "A page token used with a different filter, orderBy or readMask is rejected with 400 "
       "INVALID_ARGUMENT",
       "AIP-158 (\"if any arguments are different, the API should send an INVALID_ARGUMENT "
       "error\"); seed: pageToken (the client's \"must match\")"},
      {"token.page_size_change", Level::kMust,
       "A page token used with another pageSize is honoured: that many items, continuing where the "
       "last page ended",
       "AIP-158"},
      {"token.invalid_rejected", Level::kMust,
       "A garbage, truncated or tampered page token is rejected with 400 INVALID_ARGUMENT",
       "AIP-158; AIP-193"},
      {"token.other_account_rejected", Level::kMust,
       "A page token from one account is not accepted on another", "AIP-158; AIP-211"},
      {"read_mask.equivalent_all", Level::kMust,
       "readMask \"*\", empty and absent all return every field",
       "seed: readMask \"If empty or '*', all fields will be returned\""},
      {"read_mask.unknown_path", Level::kMust,
       "A readMask naming an unknown field is rejected with 400 INVALID_ARGUMENT or the entry "
       "ignored (a 2xx applying the rest of the mask); never a 5xx or another error",
       "AIP-161 (\"When reading data, field masks may ignore entries that point to a value "
       "that can not exist\"); AIP-193"},
      {"secrets.credential_in_clear", Level::kShould,
       "Credential fields (wandbConfig.apiKey and other apiKey/secret/password fields) are never "
       "returned in clear",
       "seed: gatewayWandbConfig.apiKey \"The API key for the wandb service\""},
      {"reads.idempotent", Level::kMust, "The same request twice returns the same page",
       "AIP-158 (consistent pagination); HTTP GET is safe"},
  };
  return kChecks;
}

const CheckInfo* FindCheck(std::string_view id) {
  for (const CheckInfo& check : AllChecks()) {
    if (check.id == id) {
      return &check;
    }
  }
  return nullptr;
}

Finding MakeFinding(std::string_view check_id, std::string message) {
  const CheckInfo* check = FindCheck(check_id);
  CONFORM_CHECK(check != nullptr);
  Finding finding;
  finding.check_id = std::string(check_id);
  finding.level = check->level;
  finding.message = std::move(message);
  return finding;
}

}  // namespace conform::validator
