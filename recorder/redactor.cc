#include "recorder/redactor.h"

#include <utility>

#include "recorder/internal/json_redact.h"

namespace conform::recorder {
namespace {

bool IsFormEncoded(const traffic::Headers& headers) {
  auto type = traffic::FindHeader(headers, "content-type");
  constexpr std::string_view kForm = "application/x-www-form-urlencoded";
  return type && type->size() >= kForm.size() &&
         traffic::EqualsIgnoreCase(type->substr(0, kForm.size()), kForm);
}

// "dpoJobs[*].x" -> {"dpoJobs", "*", "x"}; "$.a" -> {"a"}.
Result<std::vector<std::string>> SplitPath(const std::string& rule) {
  std::string text = rule;
  if (text.starts_with("$.")) {
    text = text.substr(2);
  }
  std::string dotted;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '[') {
      dotted.push_back(text[i]);
      continue;
    }
    size_t close = text.find(']', i);
    if (close == std::string::npos) {
      return InvalidArgument("redaction path '" + rule + "' has an unclosed '['");
    }
    dotted += "." + text.substr(i + 1, close - i - 1);
    i = close;
  }
  std::vector<std::string> segments;
  size_t start = 0;
  while (true) {
    size_t dot = dotted.find('.', start);
    std::string segment =
        dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (segment.empty()) {
      return InvalidArgument("redaction path '" + rule + "' has an empty segment");
    }
    segments.push_back(std::move(segment));
    if (dot == std::string::npos) {
      break;
    }
    start = dot + 1;
  }
  return segments;
}

}  // namespace

Result<Redactor> Redactor::Create(const RedactionOptions& options) {
  Redactor redactor;
  for (const std::string& header : options.headers) {
    if (header.empty()) {
      return InvalidArgument("a redacted header name is empty");
    }
    redactor.json_rules_.key_rules.headers.push_back(header);
  }
  for (const std::string& rule : options.json_paths) {
    if (rule.empty()) {
      return InvalidArgument("a redaction path is empty");
    }
    if (rule.find_first_of(".[*") == std::string::npos) {
      redactor.json_rules_.key_rules.json_keys.push_back(rule);
      continue;
    }
    auto segments = SplitPath(rule);
    if (!segments) {
      return segments.error();
    }
    redactor.json_rules_.paths.push_back(std::move(*segments));
  }
  return redactor;
}

std::string Redactor::Body(std::string body) const {
  if (auto redacted = internal::RedactJsonText(body, json_rules_)) {
    return std::move(*redacted);
  }
  return body;
}

std::string Redactor::Url(std::string_view url) const { return traffic::RedactUrl(url, rules()); }

traffic::Exchange Redactor::Apply(traffic::Exchange exchange) const {
  // The request's own secrets, to remove wherever an upstream echoes them.
  const std::vector<std::string> echoes =
      traffic::SecretValueForms(traffic::RequestSecretValues(exchange.request, rules()));
  // Bodies are taken out so that traffic::RedactExchange only does the small parts (headers,
  // URL, form parameters) and the JSON bodies go through the one-pass scanner.
  std::string response_body = std::move(exchange.response.body);
  exchange.response.body.clear();
  bool form = IsFormEncoded(exchange.request.headers);
  std::string request_body;
  if (!form) {
    request_body = std::move(exchange.request.body);
    exchange.request.body.clear();
  }
  exchange = traffic::RedactExchange(std::move(exchange), rules());
  if (!form) {
    exchange.request.body = Body(std::move(request_body));
  }
  exchange.response.body = Body(std::move(response_body));
  if (!echoes.empty()) {
    for (traffic::Headers* headers : {&exchange.request.headers, &exchange.response.headers}) {
      for (traffic::Header& header : *headers) {
        traffic::ScrubSecretValues(header.value, echoes);
      }
    }
    for (std::string* text : {&exchange.request.url, &exchange.request.body,
                              &exchange.response.body, &exchange.error}) {
      traffic::ScrubSecretValues(*text, echoes);
    }
  }
  return exchange;
}

}  // namespace conform::recorder
