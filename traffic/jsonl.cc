#include "traffic/jsonl.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "traffic/internal/base64.h"
#include "traffic/internal/json_text.h"
#include "traffic/json_members.h"
#include "common/utf8.h"

// Why the reader skims before it parses: a JSONL input is typically thousands of list
// responses (47 MB for 10,000 pages). Parsing each line into a DOM here, only for the
// validator to parse its body again, doubles the cost. Instead a line is classified by a
// skim that finds member boundaries without building anything (internal::SkimObject); a bare
// body is handed over as its raw bytes. An exchange object is parsed once as an "envelope"
// in which the spans of non-string bodies are replaced by `null`, so the (small) envelope
// is parsed here and the body bytes, exactly as on the line, are parsed once by the validator.

namespace conform::traffic {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// A line classified as an exchange object, with the raw spans of bodies that are JSON
// values other than strings (kept out of the envelope) and of the status as written.
struct Classified {
  std::string_view request_body;
  std::string_view response_body;
  std::string_view status;
};

// The top-level members of an exchange object (docs/formats.md).
constexpr std::array<std::string_view, 5> kEnvelopeKeys = {"request", "response", "started",
                                                           "elapsedMs", "error"};

bool IsRawValueBody(std::string_view raw) {
  return !raw.empty() && raw.front() != '"' && raw != "null";
}

bool IsRawObject(std::string_view raw) { return !raw.empty() && raw.front() == '{'; }

// Whether the top-level members say "exchange object", however malformed its fields. If only
// well-formed records counted, a string status or a duplicate key would turn a recorded 500
// into a bare 200 body that passes; so the shape decides and ObjectReader names the bad
// field. A body that merely has a "response" member (a google.longrunning.Operation) has
// other members beside it and stays a bare body.
bool IsExchangeShaped(const std::vector<internal::RawMember>& members,
                      const std::vector<internal::RawMember>* response_members) {
  bool has_request = false;
  bool response_is_object = false;
  bool only_envelope_keys = true;
  for (const internal::RawMember& member : members) {
    has_request = has_request || member.key == "request";
    response_is_object = response_is_object || (member.key == "response" && IsRawObject(member.value));
    only_envelope_keys = only_envelope_keys && std::find(kEnvelopeKeys.begin(), kEnvelopeKeys.end(),
                                                         member.key) != kEnvelopeKeys.end();
  }
  if (has_request || (response_is_object && only_envelope_keys)) {
    return true;
  }
  // Beside a body's own members, only a response object with an integer status counts.
  const internal::RawMember* status =
      response_members == nullptr ? nullptr : internal::FindRawMember(*response_members, "status");
  return status != nullptr && internal::IsIntegerLiteral(status->value);
}

// kExchange: any object with a "response" member is read as one, so its faults are named.
std::optional<Classified> Classify(std::string_view text, LineKind kind) {
  auto members = internal::SkimObject(text);
  if (!members) {
    return std::nullopt;
  }
  const internal::RawMember* response = internal::FindRawMember(*members, "response");
  if (response == nullptr) {
    return std::nullopt;
  }
  std::optional<std::vector<internal::RawMember>> response_members;
  if (IsRawObject(response->value)) {
    response_members = internal::SkimObject(response->value);
  }
  if (kind == LineKind::kAuto &&
      !IsExchangeShaped(*members, response_members ? &*response_members : nullptr)) {
    return std::nullopt;
  }
  Classified classified;
  if (response_members) {
    if (const auto* status = internal::FindRawMember(*response_members, "status")) {
      classified.status = status->value;
    }
    if (const auto* body = internal::FindRawMember(*response_members, "body");
        body != nullptr && IsRawValueBody(body->value)) {
      classified.response_body = body->value;
    }
  }
  const internal::RawMember* request = internal::FindRawMember(*members, "request");
  if (request != nullptr && IsRawObject(request->value)) {
    if (auto request_members = internal::SkimObject(request->value)) {
      if (const auto* body = internal::FindRawMember(*request_members, "body");
          body != nullptr && IsRawValueBody(body->value)) {
        classified.request_body = body->value;
      }
    }
  }
  return classified;
}

// `text` with the raw body spans replaced by `null`.
std::string Envelope(std::string_view text, const Classified& classified) {
  std::vector<std::string_view> cuts;
  for (std::string_view span : {classified.request_body, classified.response_body}) {
    if (!span.empty()) {
      cuts.push_back(span);
    }
  }
  std::sort(cuts.begin(), cuts.end(),
            [](std::string_view a, std::string_view b) { return a.data() < b.data(); });
  std::string out;
  const char* position = text.data();
  for (std::string_view cut : cuts) {
    out.append(position, static_cast<size_t>(cut.data() - position));
    out += "null";
    position = cut.data() + cut.size();
  }
  out.append(position, static_cast<size_t>(text.data() + text.size() - position));
  return out;
}

// Reads the members of one exchange object; every error names the member.
class ObjectReader {
 public:
  ObjectReader(std::string where, const ReadOptions& options)
      : where_(std::move(where)), options_(options) {}

  Error NotA(std::string_view path, std::string_view type) const {
    return InvalidArgument(std::string(path) + " is not " + std::string(type), where_);
  }

  static const Json* Find(const Json& object, const char* key) {
    auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
  }

  Result<std::string> OptionalString(const Json& object, const char* key,
                                     const std::string& path) const {
    const Json* value = Find(object, key);
    if (value == nullptr) {
      return std::string();
    }
    if (!value->is_string()) {
      return NotA(path, "a string");
    }
    return value->get<std::string>();
  }

  // [{"name":..,"value":..}, ...] or {"name": "value" | ["v1", "v2"], ...}.
  Result<Headers> ReadHeaders(const Json& object, const std::string& path) const {
    Headers headers;
    const Json* value = Find(object, "headers");
    if (value == nullptr) {
      return headers;
    }
    if (value->is_array()) {
      for (size_t i = 0; i < value->size(); ++i) {
        const Json& item = (*value)[i];
        std::string item_path = path + "[" + std::to_string(i) + "]";
        if (!item.is_object()) {
          return NotA(item_path, "an object");
        }
        const Json* name = Find(item, "name");
        const Json* header_value = Find(item, "value");
        if (name == nullptr || !name->is_string()) {
          return NotA(item_path + ".name", "a string");
        }
        if (header_value == nullptr || !header_value->is_string()) {
          return NotA(item_path + ".value", "a string");
        }
        headers.push_back(Header{name->get<std::string>(), header_value->get<std::string>()});
      }
      return headers;
    }
    if (!value->is_object()) {
      return NotA(path, "an array or object");
    }
    for (const auto& [name, item] : value->items()) {
      if (item.is_string()) {
        headers.push_back(Header{name, item.get<std::string>()});
        continue;
      }
      if (!item.is_array()) {
        return NotA(path + "." + std::string(name), "a string or an array of strings");
      }
      for (const Json& repeated : item) {
        if (!repeated.is_string()) {
          return NotA(path + "." + std::string(name), "a string or an array of strings");
        }
        headers.push_back(Header{name, repeated.get<std::string>()});
      }
    }
    return headers;
  }

  // body: a string (used as is, or base64 with bodyEncoding), null/absent (no body), or any
  // other JSON value, taken from `raw` (its exact bytes on the line). Over the body limit, a
  // response body is marked on `exchange` in kMark mode, its bytes neither copied nor decoded;
  // any other body over it is an error.
  enum class BodyOf { kRequest, kResponse };
  Result<std::string> ReadBody(const Json& object, std::string_view raw, BodyOf of,
                               Exchange& exchange) const {
    const std::string path = of == BodyOf::kResponse ? "response" : "request";
    auto encoding = OptionalString(object, "bodyEncoding", path + ".bodyEncoding");
    if (!encoding) {
      return encoding.error();
    }
    if (!encoding->empty() && *encoding != "base64") {
      return InvalidArgument("unsupported " + path + ".bodyEncoding '" +
                                 internal::Printable(*encoding) + "' (only \"base64\")",
                             where_);
    }
    const Json* value = Find(object, "body");
    const std::string* text =
        value != nullptr && value->is_string() ? &value->get_ref<const std::string&>() : nullptr;
    if (text == nullptr && !encoding->empty()) {
      return NotA(path + ".body", "a string (bodyEncoding is base64)");
    }
    size_t size = raw.size();
    if (text != nullptr) {
      size = *encoding == "base64" ? internal::Base64DecodedSize(*text) : text->size();
    } else if (raw.empty() && value != nullptr) {
      size = value->dump().size();  // unreachable with a skimmed envelope; kept for safety
    }
    if (size > options_.limits.max_body_bytes) {
      if (of == BodyOf::kRequest || options_.limits.over_limit_response == OverLimitBody::kRefuse) {
        return ResourceExhausted(path + " body is " + std::to_string(size) +
                                     " bytes, over the limit of " +
                                     std::to_string(options_.limits.max_body_bytes) + " bytes",
                                 where_);
      }
      exchange.body_over_read_limit = UnloadedBody{
          .where = path + ".body", .bytes = size, .limit = options_.limits.max_body_bytes};
      return std::string();
    }
    if (text != nullptr && *encoding == "base64") {
      auto decoded = internal::Base64Decode(*text);
      if (!decoded) {
        return InvalidArgument(path + ".body is not valid base64", where_);
      }
      return std::move(*decoded);
    }
    if (text != nullptr) {
      return *text;
    }
    if (!raw.empty()) {
      return std::string(raw);
    }
    return value != nullptr ? value->dump() : std::string();
  }

  Result<Exchange> Read(const Json& envelope, const Classified& classified) const {
    Exchange exchange;
    exchange.source = where_;
    const Json* response_member = Find(envelope, "response");
    if (response_member == nullptr || !response_member->is_object()) {
      return NotA("response", "an object");
    }
    const Json& response = *response_member;
    const Json* status = Find(response, "status");
    if (status != nullptr && status->is_number_float() &&
        internal::IsIntegerLiteral(classified.status)) {
      // An integer past 64 bits parses as a double: still an integer, as written.
      return InvalidArgument(
          "response.status " + std::string(classified.status) + " is not an HTTP status", where_);
    }
    if (status == nullptr || !status->is_number_integer()) {
      return NotA("response.status", "an integer");
    }
    std::optional<int> status_value = internal::HttpStatusOf(*status);
    if (!status_value) {
      return InvalidArgument("response.status " + status->dump() + " is not an HTTP status",
                             where_);
    }
    exchange.response.status = *status_value;
    auto response_headers = ReadHeaders(response, "response.headers");
    if (!response_headers) {
      return response_headers.error();
    }
    exchange.response.headers = std::move(*response_headers);
    auto response_body = ReadBody(response, classified.response_body, BodyOf::kResponse, exchange);
    if (!response_body) {
      return response_body.error();
    }
    exchange.response.body = std::move(*response_body);

    if (const Json* request = Find(envelope, "request")) {
      if (!request->is_object()) {
        return NotA("request", "an object");
      }
      auto method = OptionalString(*request, "method", "request.method");
      if (!method) {
        return method.error();
      }
      exchange.request.method = std::move(*method);
      auto url = OptionalString(*request, "url", "request.url");
      if (!url) {
        return url.error();
      }
      exchange.request.url = std::move(*url);
      auto request_headers = ReadHeaders(*request, "request.headers");
      if (!request_headers) {
        return request_headers.error();
      }
      exchange.request.headers = std::move(*request_headers);
      auto request_body = ReadBody(*request, classified.request_body, BodyOf::kRequest, exchange);
      if (!request_body) {
        return request_body.error();
      }
      exchange.request.body = std::move(*request_body);
    }

    auto started = OptionalString(envelope, "started", "started");
    if (!started) {
      return started.error();
    }
    exchange.started = std::move(*started);
    if (const Json* elapsed = Find(envelope, "elapsedMs")) {
      if (!elapsed->is_number()) {
        return NotA("elapsedMs", "a number");
      }
      double ms = elapsed->get<double>();
      exchange.elapsed_ms = std::isfinite(ms) && ms > 0 ? ms : 0;
    }
    auto error = OptionalString(envelope, "error", "error");
    if (!error) {
      return error.error();
    }
    exchange.error = std::move(*error);
    if (exchange.response.status == 0 && exchange.error.empty()) {
      exchange.error = "no response (status 0)";
    }
    return exchange;
  }

 private:
  std::string where_;
  const ReadOptions& options_;
};

Result<Exchange> BareBody(std::string_view text, std::string where, const ReadOptions& options) {
  const bool over_limit = text.size() > options.limits.max_body_bytes;
  if (over_limit && options.limits.over_limit_response == OverLimitBody::kRefuse) {
    return ResourceExhausted("body is " + std::to_string(text.size()) +
                                 " bytes, over the limit of " +
                                 std::to_string(options.limits.max_body_bytes) + " bytes",
                             std::move(where));
  }
  Exchange exchange;
  exchange.source = std::move(where);
  exchange.response.status = options.default_status;
  exchange.response.headers.push_back(Header{"Content-Type", "application/json"});
  if (over_limit) {
    exchange.body_over_read_limit =
        UnloadedBody{.bytes = text.size(), .limit = options.limits.max_body_bytes};
  } else {
    exchange.response.body = std::string(text);
  }
  return exchange;
}

// One line (or one document): `where` names it, `line` is its first line for positions.
Result<Exchange> ReadUnit(std::string_view text, std::string_view source, size_t line,
                          std::string where, LineKind kind, const ReadOptions& options) {
  if (kind != LineKind::kBody) {
    if (auto classified = Classify(text, kind)) {
      std::string envelope = Envelope(text, *classified);
      if (internal::FindDepthExceeded(envelope, options.limits.max_depth)) {
        return ResourceExhausted("exchange object nested deeper than the limit of " +
                                     std::to_string(options.limits.max_depth) + " levels",
                                 std::move(where));
      }
      // nlohmann keeps the last of two members, other readers the first: a record with two
      // statuses is ambiguous and refused.
      ParsedJson parsed = ParseJsonNotingDuplicates(envelope);
      if (!parsed.value.is_discarded()) {
        if (parsed.duplicate) {
          return InvalidArgument(DottedPath(*parsed.duplicate) + " appears more than once",
                                 std::move(where));
        }
        return ObjectReader(std::move(where), options).Read(parsed.value, *classified);
      }
      if (kind == LineKind::kExchange) {
        auto error = internal::ParseJson(text, source, options.limits.max_depth, line);
        return InvalidArgument("not an exchange object: " +
                                   (error ? std::string("invalid JSON") : error.error().message),
                               error ? where : error.error().where);
      }
    } else if (kind == LineKind::kExchange) {
      return InvalidArgument(
          "not an exchange object: expected a JSON object with a \"response\" member",
          std::move(where));
    }
  }
  return BareBody(text, std::move(where), options);
}

}  // namespace

bool IsExchangeObject(std::string_view text) {
  return Classify(text, LineKind::kAuto).has_value();
}

Result<std::vector<Exchange>> ReadJsonl(std::string_view text, std::string_view source_name,
                                        LineKind kind, const ReadOptions& options) {
  if (text.starts_with(kUtf8Bom)) {
    text.remove_prefix(kUtf8Bom.size());
  }
  std::vector<Exchange> exchanges;
  std::string prefix = std::string(source_name) + ":";
  size_t position = 0;
  size_t line_number = 0;
  while (position < text.size()) {
    ++line_number;
    const void* found = std::memchr(text.data() + position, '\n', text.size() - position);
    size_t end = found == nullptr
                     ? text.size()
                     : static_cast<size_t>(static_cast<const char*>(found) - text.data());
    std::string_view line = text.substr(position, end - position);
    position = end + 1;
    if (line.ends_with('\r')) {
      line.remove_suffix(1);
    }
    if (internal::TrimJsonSpace(line).empty()) {
      continue;
    }
    auto exchange = ReadUnit(line, source_name, line_number, prefix + std::to_string(line_number),
                             kind, options);
    if (!exchange) {
      return exchange.error();
    }
    exchanges.push_back(std::move(*exchange));
  }
  return exchanges;
}

Result<Exchange> ReadJsonDocument(std::string_view text, std::string_view source_name,
                                  LineKind kind, const ReadOptions& options) {
  if (text.starts_with(kUtf8Bom)) {
    text.remove_prefix(kUtf8Bom.size());
  }
  if (internal::TrimJsonSpace(text).empty()) {
    return InvalidArgument("empty: no exchanges", std::string(source_name));
  }
  // The document is its one exchange: over the limit, there is nothing else to go on with, so
  // it is refused (as conform check refuses a first page over the limit) and never marked.
  ReadOptions refuse = options;
  refuse.limits.over_limit_response = OverLimitBody::kRefuse;
  return ReadUnit(text, source_name, 1, std::string(source_name), kind, refuse);
}

std::string ExchangeJsonLine(const Exchange& exchange) {
  using Ordered = nlohmann::ordered_json;
  auto headers = [](const Headers& list) {
    Ordered out = Ordered::array();
    for (const Header& header : list) {
      out.push_back(Ordered{{"name", header.name}, {"value", header.value}});
    }
    return out;
  };
  auto put_body = [](Ordered& object, const std::string& body) {
    if (body.empty()) {
      return;
    }
    if (IsValidUtf8(body)) {
      object["body"] = body;
    } else {
      object["body"] = internal::Base64Encode(body);
      object["bodyEncoding"] = "base64";
    }
  };
  Ordered line = Ordered::object();
  const Request& request = exchange.request;
  if (!request.method.empty() || !request.url.empty() || !request.headers.empty() ||
      !request.body.empty()) {
    Ordered out = {{"method", request.method}, {"url", request.url}};
    if (!request.headers.empty()) {
      out["headers"] = headers(request.headers);
    }
    put_body(out, request.body);
    line["request"] = std::move(out);
  }
  Ordered response = {{"status", exchange.response.status}};
  if (!exchange.response.headers.empty()) {
    response["headers"] = headers(exchange.response.headers);
  }
  put_body(response, exchange.response.body);
  line["response"] = std::move(response);
  if (!exchange.started.empty()) {
    line["started"] = exchange.started;
  }
  if (std::isfinite(exchange.elapsed_ms) && exchange.elapsed_ms > 0) {
    line["elapsedMs"] = exchange.elapsed_ms;
  }
  if (!exchange.error.empty()) {
    line["error"] = exchange.error;
  }
  return line.dump(-1, ' ', /*ensure_ascii=*/false, Ordered::error_handler_t::replace);
}

}  // namespace conform::traffic
