#include "traffic/har.h"

#include <cmath>
#include <cstring>
#include <optional>
#include <utility>

#include "traffic/internal/base64.h"
#include "traffic/internal/json_escape.h"
#include "traffic/internal/json_text.h"
#include "common/utf8.h"
#include "traffic/url.h"

namespace conform::traffic {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kStreamStart = R"({"log":)";
constexpr std::string_view kStreamPrefixEnd = R"("entries":[)";
constexpr std::string_view kStreamSuffixLine = "]}}";

std::string_view StripBom(std::string_view text) {
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
    text.remove_prefix(kUtf8Bom.size());
  }
  return text;
}

std::string Where(std::string_view source, std::string_view text, size_t offset) {
  internal::TextPosition at = internal::PositionOf(text, offset);
  return std::string(source) + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
}

// A body as the entry holds it: its bytes, or, when it is over the limit, only its size.
struct ReadBody {
  std::string bytes;
  std::optional<size_t> over_limit;
};

// Reads the fields of one entry; every error names the entry and the field.
class EntryReader {
 public:
  EntryReader(size_t index, std::string_view source, const ReadLimits& limits)
      : index_(index), source_(source), limits_(limits) {}

  Error Fail(const std::string& what) const {
    return InvalidArgument("entry " + std::to_string(index_) + ": " + what, std::string(source_));
  }
  Error Missing(std::string_view path) const { return Fail(std::string(path) + " is missing"); }
  Error NotA(std::string_view path, std::string_view type) const {
    return Fail(std::string(path) + " is not " + std::string(type));
  }

  // object[key] if present, else nullptr.
  static const Json* Find(const Json& object, const char* key) {
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
  }

  Result<const Json*> RequiredObject(const Json& parent, const char* key,
                                     const std::string& path) const {
    const Json* value = Find(parent, key);
    if (value == nullptr) {
      return Missing(path);
    }
    if (!value->is_object()) {
      return NotA(path, "an object");
    }
    return value;
  }

  Result<std::string> RequiredString(const Json& parent, const char* key,
                                     const std::string& path) const {
    const Json* value = Find(parent, key);
    if (value == nullptr) {
      return Missing(path);
    }
    if (!value->is_string()) {
      return NotA(path, "a string");
    }
    return value->get<std::string>();
  }

  // nullptr when absent; an error when present with another type.
  Result<const Json*> OptionalString(const Json& parent, const char* key,
                                     const std::string& path) const {
    const Json* value = Find(parent, key);
    if (value != nullptr && !value->is_null() && !value->is_string()) {
      return NotA(path, "a string");
    }
    return value != nullptr && value->is_string() ? value : nullptr;
  }

  Result<Headers> ReadHeaders(const Json& parent, const std::string& path) const {
    Headers headers;
    const Json* list = Find(parent, "headers");
    if (list == nullptr || list->is_null()) {
      return headers;
    }
    if (!list->is_array()) {
      return NotA(path, "an array");
    }
    headers.reserve(list->size());
    for (size_t i = 0; i < list->size(); ++i) {
      const Json& item = (*list)[i];
      std::string item_path = path + "[" + std::to_string(i) + "]";
      if (!item.is_object()) {
        return NotA(item_path, "an object");
      }
      auto name = RequiredString(item, "name", item_path + ".name");
      if (!name) {
        return name.error();
      }
      auto value = RequiredString(item, "value", item_path + ".value");
      if (!value) {
        return value.error();
      }
      headers.push_back(Header{std::move(*name), std::move(*value)});
    }
    return headers;
  }

  // The bytes of `text`, base64-decoded when `encoding` says so; over the body limit, only its
  // size (the bytes are neither copied nor decoded).
  Result<ReadBody> Body(const Json* text, const Json* encoding, const std::string& path) const {
    if (text == nullptr) {
      return ReadBody{};
    }
    const std::string& written = text->get_ref<const std::string&>();
    std::string name = encoding != nullptr ? encoding->get<std::string>() : std::string();
    if (name == "base64") {
      if (size_t size = internal::Base64DecodedSize(written); size > limits_.max_body_bytes) {
        return ReadBody{.over_limit = size};
      }
      auto decoded = internal::Base64Decode(written);
      if (!decoded) {
        return Fail(path + ".text is not valid base64");
      }
      return ReadBody{.bytes = std::move(*decoded)};
    }
    if (!name.empty()) {
      return Fail("unsupported " + path + " encoding '" + internal::Printable(name) + "'");
    }
    if (written.size() > limits_.max_body_bytes) {
      return ReadBody{.over_limit = written.size()};
    }
    return ReadBody{.bytes = written};
  }

  Error TooLarge(std::string_view what, size_t size) const {
    return ResourceExhausted("entry " + std::to_string(index_) + ": " + std::string(what) + " is " +
                                 std::to_string(size) + " bytes, over the limit of " +
                                 std::to_string(limits_.max_body_bytes) + " bytes",
                             std::string(source_));
  }

  Result<Exchange> Read(const Json& entry) const {
    if (!entry.is_object()) {
      return Fail("is not an object");
    }
    Exchange exchange;
    exchange.source = std::string(source_) + ": entry " + std::to_string(index_);

    auto request = RequiredObject(entry, "request", "request");
    if (!request) {
      return request.error();
    }
    auto method = RequiredString(**request, "method", "request.method");
    if (!method) {
      return method.error();
    }
    exchange.request.method = std::move(*method);
    auto url = RequiredString(**request, "url", "request.url");
    if (!url) {
      return url.error();
    }
    exchange.request.url = std::move(*url);
    auto request_headers = ReadHeaders(**request, "request.headers");
    if (!request_headers) {
      return request_headers.error();
    }
    exchange.request.headers = std::move(*request_headers);
    if (auto post = ReadPostData(**request); !post) {
      return post.error();
    } else {
      exchange.request.body = std::move(*post);
    }

    auto response = RequiredObject(entry, "response", "response");
    if (!response) {
      return response.error();
    }
    const Json* status = Find(**response, "status");
    if (status == nullptr) {
      return Missing("response.status");
    }
    if (!status->is_number_integer()) {
      return NotA("response.status", "an integer");
    }
    std::optional<int> status_value = internal::HttpStatusOf(*status);
    if (!status_value) {
      return Fail("response.status " + status->dump() + " is not an HTTP status");
    }
    if (*status_value == 0) {
      auto reason = OptionalString(**response, "_error", "response._error");
      if (!reason) {
        return reason.error();
      }
      exchange.error = *reason != nullptr && !(*reason)->get_ref<const std::string&>().empty()
                           ? (*reason)->get<std::string>()
                           : "no response (status 0: the browser aborted or blocked it)";
    } else {
      exchange.response.status = *status_value;
      auto response_headers = ReadHeaders(**response, "response.headers");
      if (!response_headers) {
        return response_headers.error();
      }
      exchange.response.headers = std::move(*response_headers);
      auto body = ReadContent(**response);
      if (!body) {
        return body.error();
      }
      if (body->over_limit) {
        if (limits_.over_limit_response == OverLimitBody::kRefuse) {
          return TooLarge("response body", *body->over_limit);
        }
        exchange.body_over_read_limit = UnloadedBody{
            .where = "log.entries[" + std::to_string(index_) + "].response.content.text",
            .bytes = *body->over_limit,
            .limit = limits_.max_body_bytes};
      }
      exchange.response.body = std::move(body->bytes);
      exchange.body_not_recorded = BodyNotRecorded(**response);
    }

    auto started = OptionalString(entry, "startedDateTime", "startedDateTime");
    if (!started) {
      return started.error();
    }
    if (*started != nullptr) {
      exchange.started = (*started)->get<std::string>();
    }
    const Json* time = Find(entry, "time");
    if (time != nullptr && time->is_number()) {
      double ms = time->get<double>();
      exchange.elapsed_ms = std::isfinite(ms) && ms > 0 ? ms : 0;
    }
    return exchange;
  }

 private:
  Result<std::string> ReadPostData(const Json& request) const {
    const Json* post = Find(request, "postData");
    if (post == nullptr || post->is_null()) {
      return std::string();
    }
    if (!post->is_object()) {
      return NotA("request.postData", "an object");
    }
    auto text = OptionalString(*post, "text", "request.postData.text");
    if (!text) {
      return text.error();
    }
    auto encoding = OptionalString(*post, "_encoding", "request.postData._encoding");
    if (!encoding) {
      return encoding.error();
    }
    if (*encoding == nullptr) {
      encoding = OptionalString(*post, "encoding", "request.postData.encoding");
      if (!encoding) {
        return encoding.error();
      }
    }
    if (*text != nullptr) {
      auto body = Body(*text, *encoding, "request.postData");
      if (!body) {
        return body.error();
      }
      if (body->over_limit) {
        return TooLarge("request body", *body->over_limit);
      }
      return std::move(body->bytes);
    }
    // Form posts may carry only `params`.
    const Json* params = Find(*post, "params");
    if (params == nullptr || !params->is_array()) {
      return std::string();
    }
    QueryParams pairs;
    for (size_t i = 0; i < params->size(); ++i) {
      const Json& param = (*params)[i];
      std::string path = "request.postData.params[" + std::to_string(i) + "]";
      if (!param.is_object()) {
        return NotA(path, "an object");
      }
      auto name = RequiredString(param, "name", path + ".name");
      if (!name) {
        return name.error();
      }
      auto value = OptionalString(param, "value", path + ".value");
      if (!value) {
        return value.error();
      }
      pairs.emplace_back(std::move(*name), *value != nullptr ? (*value)->get<std::string>() : "");
    }
    std::string body = BuildQuery(pairs);
    if (body.size() > limits_.max_body_bytes) {
      return TooLarge("request body", body.size());
    }
    return body;
  }

  // HAR 1.2: content.text is optional and content.size is the length returned. Browsers leave
  // the text out of cached and unsaved responses: no text with a size over 0 is no record of
  // the body, not an empty one.
  static std::string BodyNotRecorded(const Json& response) {
    const Json* content = Find(response, "content");
    if (content == nullptr || !content->is_object()) {
      return {};
    }
    auto text = content->find("text");
    auto size = content->find("size");
    if ((text != content->end() && !text->is_null()) || size == content->end() ||
        !size->is_number() || size->get<double>() <= 0) {
      return {};
    }
    return "the response body was not recorded (content.size " + size->dump() + ", no text)";
  }

  Result<ReadBody> ReadContent(const Json& response) const {
    const Json* content = Find(response, "content");
    if (content == nullptr || content->is_null()) {
      return ReadBody{};
    }
    if (!content->is_object()) {
      return NotA("response.content", "an object");
    }
    auto text = OptionalString(*content, "text", "response.content.text");
    if (!text) {
      return text.error();
    }
    auto encoding = OptionalString(*content, "encoding", "response.content.encoding");
    if (!encoding) {
      return encoding.error();
    }
    return Body(*text, *encoding, "response.content");
  }

  size_t index_;
  std::string_view source_;
  const ReadLimits& limits_;
};

Json HeadersJson(const Headers& headers) {
  Json list = Json::array();
  for (const Header& header : headers) {
    list.push_back(Json{{"name", header.name}, {"value", header.value}});
  }
  return list;
}

Json QueryStringJson(const std::string& url) {
  Json list = Json::array();
  auto parsed = ParseUrl(url);
  if (!parsed) {
    return list;
  }
  for (const auto& [name, value] : parsed->query) {
    list.push_back(Json{{"name", name}, {"value", value}});
  }
  return list;
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition Failed";
    case 429:
      return "Too Many Requests";
    case 499:
      return "Client Closed Request";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

std::string Dump(const Json& json) {
  return json.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

}  // namespace

Result<std::vector<Exchange>> ReadHar(std::string_view text, std::string_view source_name,
                                      const ReadLimits& limits) {
  text = StripBom(text);
  if (const void* nul = std::memchr(text.data(), '\0', text.size()); nul != nullptr) {
    size_t offset = static_cast<size_t>(static_cast<const char*>(nul) - text.data());
    return InvalidArgument("contains a NUL byte; a HAR file is UTF-8 JSON text",
                           Where(source_name, text, offset));
  }
  if (auto bad = FindInvalidUtf8(text)) {
    return InvalidArgument(
        "not UTF-8 text: invalid byte 0x" + internal::Printable(text.substr(*bad, 1)).substr(2),
        Where(source_name, text, *bad));
  }
  auto doc = internal::ParseJson(text, source_name, limits.max_depth);
  if (!doc) {
    return doc.error();
  }
  std::string source(source_name);
  if (!doc->is_object()) {
    return InvalidArgument("not a HAR document: the top level is not an object", source);
  }
  auto log = doc->find("log");
  if (log == doc->end()) {
    return InvalidArgument("not a HAR document: log is missing", source);
  }
  if (!log->is_object()) {
    return InvalidArgument("not a HAR document: log is not an object", source);
  }
  auto entries = log->find("entries");
  if (entries == log->end()) {
    return InvalidArgument("log.entries is missing", source);
  }
  if (!entries->is_array()) {
    return InvalidArgument("log.entries is not an array", source);
  }
  std::vector<Exchange> exchanges;
  exchanges.reserve(entries->size());
  for (size_t i = 0; i < entries->size(); ++i) {
    auto exchange = EntryReader(i, source_name, limits).Read((*entries)[i]);
    if (!exchange) {
      return exchange.error();
    }
    exchanges.push_back(std::move(*exchange));
  }
  return exchanges;
}

nlohmann::json HarEntry(const Exchange& exchange) {
  const Request& request = exchange.request;
  const Response& response = exchange.response;
  double elapsed =
      std::isfinite(exchange.elapsed_ms) && exchange.elapsed_ms > 0 ? exchange.elapsed_ms : 0;

  Json har_request = {
      {"method", request.method},
      {"url", request.url},
      {"httpVersion", "HTTP/1.1"},
      {"cookies", Json::array()},
      {"headers", HeadersJson(request.headers)},
      {"queryString", QueryStringJson(request.url)},
      {"headersSize", -1},
      {"bodySize", request.body.size()},
  };
  if (!request.body.empty()) {
    Json post = {
        {"mimeType",
         std::string(FindHeader(request.headers, "content-type").value_or(std::string_view()))}};
    if (IsValidUtf8(request.body)) {
      post["text"] = request.body;
    } else {
      post["text"] = internal::Base64Encode(request.body);
      post["_encoding"] = "base64";
    }
    har_request["postData"] = std::move(post);
  }

  Json content = {
      {"size", response.body.size()},
      {"mimeType",
       std::string(FindHeader(response.headers, "content-type").value_or(std::string_view()))},
  };
  if (!response.body.empty()) {
    if (IsValidUtf8(response.body)) {
      content["text"] = response.body;
    } else {
      content["text"] = internal::Base64Encode(response.body);
      content["encoding"] = "base64";
    }
  }
  Json har_response = {
      {"status", response.status},
      {"statusText", ReasonPhrase(response.status)},
      {"httpVersion", response.status == 0 ? "" : "HTTP/1.1"},
      {"cookies", Json::array()},
      {"headers", HeadersJson(response.headers)},
      {"content", std::move(content)},
      {"redirectURL",
       std::string(FindHeader(response.headers, "location").value_or(std::string_view()))},
      {"headersSize", -1},
      {"bodySize", response.status == 0 ? -1 : static_cast<int64_t>(response.body.size())},
  };
  if (response.status == 0 && !exchange.error.empty()) {
    har_response["_error"] = exchange.error;
  }

  return Json{
      {"startedDateTime", exchange.started.empty() ? "1970-01-01T00:00:00.000Z" : exchange.started},
      {"time", elapsed},
      {"request", std::move(har_request)},
      {"response", std::move(har_response)},
      {"cache", Json::object()},
      {"timings",
       {{"blocked", -1},
        {"dns", -1},
        {"connect", -1},
        {"ssl", -1},
        {"send", 0},
        {"wait", elapsed},
        {"receive", 0}}},
  };
}

std::string HarStreamPrefix(const HarCreator& creator) {
  Json creator_json = {{"name", creator.name}, {"version", creator.version}};
  return std::string(kStreamStart) + R"({"version":"1.2","creator":)" + Dump(creator_json) +
         R"(,"pages":[],)" + std::string(kStreamPrefixEnd) + "\n";
}

namespace {

// Dump(HarEntry(exchange)) written straight into a string: the same members in the same
// (sorted) order, strings escaped by AppendJsonEscapedUtf8, numbers as nlohmann writes them.
// False when a string is not UTF-8: nlohmann's dump replaces such bytes, and the caller
// falls back to it.
class EntryWriter {
 public:
  explicit EntryWriter(std::string& out) : out_(out) {}

  bool Write(const Exchange& exchange) {
    const Request& request = exchange.request;
    const Response& response = exchange.response;
    double elapsed =
        std::isfinite(exchange.elapsed_ms) && exchange.elapsed_ms > 0 ? exchange.elapsed_ms : 0;
    const std::string elapsed_text = Json(elapsed).dump();  // nlohmann's shortest form
    out_ += R"({"cache":{},"request":{"bodySize":)";
    out_ += std::to_string(request.body.size());
    out_ += R"(,"cookies":[],"headers":)";
    if (!HeaderList(request.headers) ||
        !Member(R"(,"headersSize":-1,"httpVersion":"HTTP/1.1","method":)", request.method)) {
      return false;
    }
    if (!request.body.empty()) {
      const bool utf8 = IsValidUtf8(request.body);
      if (!Member(utf8 ? R"(,"postData":{"mimeType":)"
                       : R"(,"postData":{"_encoding":"base64","mimeType":)",
                  FindHeader(request.headers, "content-type").value_or(std::string_view())) ||
          !Body(request.body, utf8)) {
        return false;
      }
      out_ += '}';
    }
    out_ += R"(,"queryString":[)";
    if (auto parsed = ParseUrl(request.url)) {
      bool first = true;
      for (const auto& [name, value] : parsed->query) {
        if (!Member(first ? R"({"name":)" : R"(,{"name":)", name) ||
            !Member(R"(,"value":)", value)) {
          return false;
        }
        first = false;
        out_ += '}';
      }
    }
    if (!Member(R"(],"url":)", request.url)) {
      return false;
    }
    out_ += R"(},"response":{)";
    if (response.status == 0 && !exchange.error.empty()) {
      if (!Member(R"("_error":)", exchange.error)) {
        return false;
      }
      out_ += ',';
    }
    out_ += R"("bodySize":)";
    out_ += response.status == 0 ? std::string("-1") : std::to_string(response.body.size());
    const bool utf8 = IsValidUtf8(response.body);
    if (!Member(!response.body.empty() && !utf8
                    ? R"(,"content":{"encoding":"base64","mimeType":)"
                    : R"(,"content":{"mimeType":)",
                FindHeader(response.headers, "content-type").value_or(std::string_view()))) {
      return false;
    }
    out_ += R"(,"size":)";
    out_ += std::to_string(response.body.size());
    if (!response.body.empty() &&
        !Body(response.body, utf8)) {
      return false;
    }
    out_ += R"(},"cookies":[],"headers":)";
    if (!HeaderList(response.headers)) {
      return false;
    }
    out_ += R"(,"headersSize":-1,"httpVersion":)";
    out_ += response.status == 0 ? R"("")" : R"("HTTP/1.1")";
    if (!Member(R"(,"redirectURL":)",
                FindHeader(response.headers, "location").value_or(std::string_view()))) {
      return false;
    }
    out_ += R"(,"status":)";
    out_ += std::to_string(response.status);
    if (!Member(R"(,"statusText":)", ReasonPhrase(response.status)) ||
        !Member(R"(},"startedDateTime":)",
                exchange.started.empty() ? "1970-01-01T00:00:00.000Z" : exchange.started)) {
      return false;
    }
    out_ += R"(,"time":)";
    out_ += elapsed_text;
    out_ += R"(,"timings":{"blocked":-1,"connect":-1,"dns":-1,"receive":0,"send":0,"ssl":-1,)";
    out_ += R"("wait":)";
    out_ += elapsed_text;
    out_ += "}}";
    return true;
  }

 private:
  bool String(std::string_view text) {
    out_ += '"';
    if (!internal::AppendJsonEscapedUtf8(out_, text)) {
      return false;
    }
    out_ += '"';
    return true;
  }

  // The "text" member of a body: as it is when UTF-8, else base64.
  bool Body(const std::string& body, bool utf8) {
    return utf8 ? Member(R"(,"text":)", body) : Member(R"(,"text":)", internal::Base64Encode(body));
  }

  // `prefix` (punctuation and a key) then `text` as a JSON string.
  bool Member(std::string_view prefix, std::string_view text) {
    out_ += prefix;
    return String(text);
  }

  bool HeaderList(const Headers& headers) {
    out_ += '[';
    for (size_t i = 0; i < headers.size(); ++i) {
      if (!Member(i == 0 ? R"({"name":)" : R"(,{"name":)", headers[i].name) ||
          !Member(R"(,"value":)", headers[i].value)) {
        return false;
      }
      out_ += '}';
    }
    out_ += ']';
    return true;
  }

  std::string& out_;
};

}  // namespace

std::string HarEntryLine(const Exchange& exchange) {
  std::string line;
  line.reserve(exchange.response.body.size() + exchange.response.body.size() / 8 +
               exchange.request.body.size() + 1024);
  if (!EntryWriter(line).Write(exchange)) {
    return Dump(HarEntry(exchange));
  }
  return line;
}

std::string HarStreamEntry(const Exchange& exchange, size_t index) {
  return (index == 0 ? "" : ",") + HarEntryLine(exchange) + "\n";
}

std::string_view HarStreamSuffix() { return "]}}\n"; }

std::string WriteHar(const std::vector<Exchange>& exchanges, const HarCreator& creator) {
  std::string out = HarStreamPrefix(creator);
  for (size_t i = 0; i < exchanges.size(); ++i) {
    out += HarStreamEntry(exchanges[i], i);
  }
  out += HarStreamSuffix();
  return out;
}

Result<RecoveredHar> RecoverHar(std::string_view text, std::string_view source_name) {
  text = StripBom(text);
  RecoveredHar recovered;
  size_t first_newline = text.find('\n');
  if (first_newline == std::string_view::npos) {
    // Cut inside (or right after) the prefix: nothing was recorded yet.
    if (!kStreamStart.starts_with(text) && !text.starts_with(kStreamStart)) {
      return InvalidArgument(
          "not a HAR stream: it does not start with " + std::string(kStreamStart),
          std::string(source_name) + ":1");
    }
    recovered.har = WriteHar({}, HarCreator{});
    recovered.discarded_bytes = text.size();
    return recovered;
  }
  std::string_view prefix = text.substr(0, first_newline);
  if (!prefix.starts_with(kStreamStart) || !prefix.ends_with(kStreamPrefixEnd) ||
      !Json::accept(std::string(prefix) + std::string(kStreamSuffixLine))) {
    return InvalidArgument("not a HAR stream: line 1 is not a HAR prefix ending in \"entries\":[",
                           std::string(source_name) + ":1");
  }
  std::string out(prefix);
  out += "\n";
  size_t position = first_newline + 1;
  size_t line_number = 2;
  while (position < text.size()) {
    size_t newline = text.find('\n', position);
    bool terminated = newline != std::string_view::npos;
    size_t end = terminated ? newline : text.size();
    std::string_view line = text.substr(position, end - position);
    position = terminated ? newline + 1 : text.size();
    if (line == kStreamSuffixLine) {
      recovered.was_complete = true;
      break;
    }
    std::string_view entry = line.starts_with(',') ? line.substr(1) : line;
    if (internal::TrimJsonSpace(entry).empty() && terminated) {
      ++line_number;
      continue;
    }
    auto parsed = internal::ParseJson(entry, source_name, ReadLimits{}.max_depth);
    if (parsed && parsed->is_object()) {
      out += recovered.entries == 0 ? "" : ",";
      out += entry;
      out += "\n";
      ++recovered.entries;
    } else if (!terminated) {
      recovered.discarded_bytes = line.size();
    } else {
      return InvalidArgument("not a complete HAR entry (only the last line may be torn)",
                             std::string(source_name) + ":" + std::to_string(line_number));
    }
    ++line_number;
  }
  out += HarStreamSuffix();
  recovered.har = std::move(out);
  return recovered;
}

}  // namespace conform::traffic
