// Copy-pasteable curl commands for findings, with secrets as shell variables, never values.
//   std::string cmd = traffic::CurlCommand(request, {.base_url = "https://api.fireworks.ai"});
//   // curl -sS 'https://api.fireworks.ai/v1/accounts/a/dpoJobs?pageSize=5'
//   //   -H "Authorization: Bearer $FIREWORKS_API_KEY"
// Arguments are POSIX-shell single-quoted, so any byte but NUL survives the paste.
#pragma once

#include <string>
#include <string_view>

#include "traffic/exchange.h"
#include "traffic/redact.h"

namespace conform::traffic {

enum class CurlLayout {
  kOneLine,    // curl -sS 'url' -H '...'
  kMultiLine,  // one argument per line, joined with " \" newlines
};

struct CurlOptions {
  // Prefixed to origin-form URLs ("/v1/..."); absolute URLs are used as they are.
  std::string base_url;
  // Shell variable holding the API key: Authorization is always rendered as
  // -H "Authorization: Bearer $<api_key_env>". Characters other than [A-Za-z0-9_] become '_'.
  std::string api_key_env = "FIREWORKS_API_KEY";
  CurlLayout layout = CurlLayout::kOneLine;
  // Extra secret names; the built-in ones always apply.
  RedactionRules redaction;
};

// The request as a curl command. The URL is escaped (EscapeUrl) and its secret query values
// redacted; Host, Content-Length, hop-by-hop headers (Connection...) and HTTP/2
// pseudo-headers (":authority", in browser exports) are left to curl; an Accept-Encoding
// asking for gzip, br... becomes --compressed; a secret header other than
// Authorization becomes a variable named after it (X-Api-Key: $X_API_KEY); a JSON body has its
// secret members redacted and is sent with --data-raw. A body containing NUL cannot be a shell
// argument and is replaced by a comment giving its size.
std::string CurlCommand(const Request& request, const CurlOptions& options = {});

// `text` as one POSIX-shell word: 'it'\''s' for "it's".
std::string ShellQuote(std::string_view text);

}  // namespace conform::traffic
