// Redaction before anything touches disk or a log: the built-in secret names of
// traffic/redact.h (Authorization, cookies, API keys, apiKey/password/secret members at any
// depth) plus the rules given with --redact-header and --redact-json-path, in both directions.
//   auto redactor = recorder::Redactor::Create({.json_paths =
//   {"dpoJobs.*.trainingConfig.baseModel"}}); traffic::Exchange safe =
//   redactor->Apply(std::move(exchange));
// pageToken and nextPageToken always survive: replaying a page walk needs them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "recorder/internal/json_redact.h"
#include "traffic/exchange.h"
#include "traffic/redact.h"

namespace conform::recorder {

struct RedactionOptions {
  // Extra secret header names (ASCII case-insensitive), on top of traffic::IsSecretHeader.
  std::vector<std::string> headers;
  // Extra JSON rules. A rule with a '.', '[' or '*' is a path from the body's root:
  // "dpoJobs.*.trainingConfig.baseModel", "dpoJobs[*].dataset", "items.0.id", "$.a.b". A
  // segment "*" matches any member name or array index. Any other rule is a member name that
  // is secret at any depth, compared like the built-in names (case-insensitive, '_' and '-'
  // ignored), and is then also a secret query parameter.
  std::vector<std::string> json_paths;
};

class Redactor {
 public:
  // Errors: INVALID_ARGUMENT for an empty rule or a path with an empty segment ("a..b", "a.").
  static Result<Redactor> Create(const RedactionOptions& options);

  // Secret header values, query parameter values and JSON body members become "[REDACTED]"
  // (headers keep a "Bearer "/"Basic " scheme word), in the request and the response; the URLs
  // in Location, Content-Location and Referer headers are redacted like the request URL. JSON
  // bodies keep every other byte; a form-encoded request body is redacted by parameter name.
  // Bodies that are not JSON are kept as they are. The request's own secret values (its key,
  // 8 bytes or more) are then removed wherever else they appear: an upstream that echoes them
  // in a header, a message or a body of any type.
  traffic::Exchange Apply(traffic::Exchange exchange) const;

  // A JSON body redacted by the same rules (the input when nothing is secret).
  std::string Body(std::string body) const;
  // A URL with secret query values and userinfo redacted.
  std::string Url(std::string_view url) const;

  const traffic::RedactionRules& rules() const { return json_rules_.key_rules; }

 private:
  Redactor() = default;
  internal::JsonRedactRules json_rules_;
};

}  // namespace conform::recorder
