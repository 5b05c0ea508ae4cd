#include "validator/exchange_validator.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "aip/read_mask.h"
#include "common/ascii.h"
#include "common/utf8.h"
#include "traffic/url.h"
#include "validator/internal/document.h"
#include "validator/internal/value_text.h"
#include "validator/rpc_codes.h"
#include "validator/schema_util.h"

namespace conform::validator {
namespace {


// The mask a server that ignores unknown entries applies (AIP-161: reads "may ignore entries
// that point to a value that can not exist"): the entries of `text` that parse on their own.
Result<aip::ReadMask> KnownPathsOf(std::string_view text, const aip::FieldCatalog& catalog) {
  std::string known;
  for (size_t start = 0; start <= text.size();) {
    size_t comma = std::min(text.find(',', start), text.size());
    std::string_view entry = text.substr(start, comma - start);
    if (aip::ParseReadMask(entry, catalog).ok()) {
      known += (known.empty() ? "" : ",") + std::string(entry);
    }
    start = comma + 1;
  }
  if (known.empty()) {
    return InvalidArgument("no entry of the read mask names a field");
  }
  return aip::ParseReadMask(known, catalog);
}

using Json = nlohmann::json;

// Whether the spec declares an error body of its own (RFC 7807 problem details,
// {"errorCode", "errorMessage"}...): a schema with properties that is not a google.rpc.Status
// (no `error` object of the Google JSON shape, no `code` beside a list of `details` of the
// grpc-gateway one). Such a body is held
// to its schema, not to AIP-193's shape; a schema that says nothing keeps AIP-193.
bool DeclaresOwnErrorBody(const Json& schema, const Json& definitions) {
  const Json* node = &schema;
  for (int hops = 0; hops < 8 && node->is_object() && node->contains("$ref"); ++hops) {
    const Json& ref = (*node)["$ref"];
    const std::string prefix = "#/definitions/";
    if (!ref.is_string() || ref.get<std::string>().rfind(prefix, 0) != 0) {
      return false;
    }
    auto found = definitions.find(ref.get<std::string>().substr(prefix.size()));
    if (found == definitions.end()) {
      return false;
    }
    node = &*found;
  }
  if (!node->is_object()) {
    return false;
  }
  bool has_properties = false;
  // Whether a property's schema admits `type` (an untyped one admits anything).
  auto admits = [](const Json& property, const char* type) {
    std::vector<std::string> types = SchemaTypes(property);
    return types.empty() || std::find(types.begin(), types.end(), type) != types.end();
  };
  // A google.rpc.Status: an `error` object (Google JSON), or a `code` beside list `details`
  // (grpc-gateway). HERE's {code: <HTTP status>, error: "Bad request", details: {...}} is not.
  auto look = [&](const Json& part) {
    auto properties = part.find("properties");
    if (properties == part.end() || !properties->is_object() || properties->empty()) {
      return false;
    }
    has_properties = true;
    auto error = properties->find("error");
    if (error != properties->end()) {
      return admits(*error, "object");
    }
    auto details = properties->find("details");
    return properties->contains("code") &&
           (details == properties->end() || admits(*details, "array"));
  };
  if (look(*node)) {
    return false;
  }
  if (auto all_of = node->find("allOf"); all_of != node->end() && all_of->is_array()) {
    for (const Json& branch : *all_of) {
      if (branch.is_object() && look(branch)) {
        return false;
      }
    }
  }
  return has_properties;
}

std::string MediaTypeOf(std::string_view content_type) {
  return AsciiLower(TrimSpacesAndTabs(content_type.substr(0, content_type.find(';'))));
}

bool MediaMatches(const std::string& declared, const std::string& actual) {
  std::string want = MediaTypeOf(declared);
  if (want == actual || want == "*/*") {
    return true;
  }
  if (want.size() > 2 && want.compare(want.size() - 2, 2, "/*") == 0) {
    return actual.compare(0, want.size() - 1, want, 0, want.size() - 1) == 0;
  }
  return false;
}

// The path of a server URL, its variables kept: "/{basePath}/v2" for
// "https://{region}.example.com:{port}/{basePath}/v2?x" (the authority is skipped unread, so a
// variable there does not matter), "/v2" for "/v2". nullopt for a relative URL that does not
// start with '/' ("v2", "."), which is not resolved against the spec's location.
std::optional<std::string> ServerPath(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  size_t authority = std::string_view::npos;
  if (size_t scheme_end = url.find("://");
      scheme_end != std::string_view::npos &&
      url.substr(0, scheme_end).find('/') == std::string_view::npos) {
    authority = scheme_end + 3;
  } else if (url.starts_with("//")) {
    authority = 2;
  }
  if (authority != std::string_view::npos) {
    size_t slash = url.find('/', authority);
    return slash == std::string_view::npos ? std::string("/") : std::string(url.substr(slash));
  }
  if (url.starts_with('/')) {
    return std::string(url);
  }
  return std::nullopt;
}

// Whether one segment of a request path matches one segment of a server path, where each
// `{name}` stands for one or more characters of any value (a recording may use any value of a
// server variable, not only its default): "v{major}" matches "v2". The greedy match backtracks
// only to the last variable: at worst pattern × segment steps, both one path segment long.
bool SegmentMatches(std::string_view pattern, std::string_view segment) {
  if (pattern.find('{') == std::string_view::npos) {
    return pattern == segment;
  }
  enum class Kind { kChar, kAny, kRun };  // a literal character; one character; zero or more
  struct Token {
    Kind kind;
    char c;
  };
  std::vector<Token> tokens;
  for (size_t i = 0; i < pattern.size(); ++i) {
    size_t close = pattern[i] == '{' ? pattern.find('}', i) : std::string_view::npos;
    if (close == std::string_view::npos) {
      tokens.push_back({Kind::kChar, pattern[i]});
      continue;
    }
    tokens.push_back({Kind::kAny, '\0'});
    tokens.push_back({Kind::kRun, '\0'});
    i = close;
  }
  size_t p = 0;
  size_t t = 0;
  size_t run = std::string_view::npos;  // the last kRun passed, to retry with one more character
  size_t run_from = 0;
  while (t < segment.size()) {
    if (p < tokens.size() && (tokens[p].kind == Kind::kAny ||
                              (tokens[p].kind == Kind::kChar && tokens[p].c == segment[t]))) {
      ++p;
      ++t;
    } else if (p < tokens.size() && tokens[p].kind == Kind::kRun) {
      run = p++;
      run_from = t;
    } else if (run != std::string_view::npos) {
      p = run + 1;
      t = ++run_from;
    } else {
      return false;
    }
  }
  while (p < tokens.size() && tokens[p].kind == Kind::kRun) {
    ++p;
  }
  return p == tokens.size();
}

// How much of `path` the server path `base` covers, segment by segment ("/{basePath}/v2"
// covers the first 12 characters of "/anything/v2/books/7"); nullopt when `path` does not
// start with it.
std::optional<size_t> BasePathLength(std::string_view base, std::string_view path) {
  if (!path.starts_with('/')) {
    return std::nullopt;
  }
  size_t at = 0;  // the '/' before the next segment of `path`
  for (size_t from = 1; from <= base.size();) {
    size_t end = std::min(base.find('/', from), base.size());
    if (at >= path.size()) {
      return std::nullopt;
    }
    size_t segment_end = std::min(path.find('/', at + 1), path.size());
    if (!SegmentMatches(base.substr(from, end - from), path.substr(at + 1, segment_end - at - 1))) {
      return std::nullopt;
    }
    at = segment_end;
    from = end + 1;
  }
  return at;
}

// "2048 bytes", or "41943040 bytes (40.0 MiB)" from 1 MiB on.
std::string SizeText(size_t bytes) {
  std::string text = std::to_string(bytes) + " bytes";
  if (bytes >= (size_t{1} << 20)) {
    char mib[32];
    std::snprintf(mib, sizeof mib, " (%.1f MiB)", static_cast<double>(bytes) / (1024.0 * 1024.0));
    text += mib;
  }
  return text;
}

// response.body.limit for a recorded body the reader left unloaded, in the shape of
// ParseJsonBody's size message, naming where the recording holds it.
Finding UnloadedBodyFinding(const traffic::UnloadedBody& body) {
  Finding finding = MakeFinding("response.body.limit",
                                (body.where.empty() ? "" : body.where + ": ") + "body is " +
                                    SizeText(body.bytes) + ", over the limit of " +
                                    SizeText(body.limit) + " (--max-body-size); it was not loaded");
  finding.expected = "a body within the limits";
  finding.actual = "a body of " + SizeText(body.bytes) + ", not read";
  return finding;
}

bool IsJsonMedia(const std::string& media) {
  std::string bare = MediaTypeOf(media);
  return bare == "application/json" || (bare.size() > 5 && bare.compare(bare.size() - 5, 5, "+json") == 0);
}

// Drops `required` entries outside the read mask, at every depth of the resource schema; all
// of them when `mask` is null (a mask whose entries all name no field: what a server that
// ignores them returns is open).
Json WithoutMaskedRequired(const Json& schema, const aip::ReadMask* mask, const std::string& prefix) {
  if (!schema.is_object()) {
    return schema;
  }
  Json out = schema;
  if (auto required = out.find("required"); required != out.end() && required->is_array()) {
    Json kept = Json::array();
    for (const Json& name : *required) {
      if (name.is_string() && mask != nullptr && aip::Allows(*mask, prefix.empty() ? name.get<std::string>()
                                                                : prefix + "." + name.get<std::string>())) {
        kept.push_back(name);
      }
    }
    *required = kept;
  }
  if (auto properties = out.find("properties"); properties != out.end() && properties->is_object()) {
    for (auto& [name, sub] : properties->items()) {
      sub = WithoutMaskedRequired(sub, mask, prefix.empty() ? name : prefix + "." + name);
    }
  }
  if (auto all_of = out.find("allOf"); all_of != out.end() && all_of->is_array()) {
    for (Json& branch : *all_of) {
      branch = WithoutMaskedRequired(branch, mask, prefix);
    }
  }
  return out;
}

// Reports every field of `resource` the mask does not cover.
void FindOutsideMask(const Json& value, const aip::ReadMask& mask, const std::string& field_path,
                     const std::string& pointer, std::vector<Finding>& out) {
  if (!value.is_object()) {
    return;
  }
  for (const auto& [key, child] : value.items()) {
    std::string path = field_path.empty() ? key : field_path + "." + key;
    std::string child_pointer = internal::AppendPointer(pointer, key);
    aip::MaskCoverage coverage = aip::Coverage(mask, path);
    if (coverage == aip::MaskCoverage::kFull) {
      continue;
    }
    if (coverage == aip::MaskCoverage::kPartial) {
      FindOutsideMask(child, mask, path, child_pointer, out);
      continue;
    }
    // The resource's own name, returned whatever the mask, is a common choice, not lost data.
    const bool name = field_path.empty() && key == kResourceName;
    Finding finding =
        MakeFinding(name ? "response.read_mask.name_added" : "response.read_mask.outside",
                    "field '" + path + "' is returned but the read mask does not include it");
    finding.json_pointer = child_pointer;
    finding.expected = "only " + aip::Print(mask);
    finding.actual = internal::DescribeValue(child);
    out.push_back(std::move(finding));
  }
}

Finding ViolationFinding(const SchemaViolation& violation) {
  Finding finding = MakeFinding(violation.check_id, violation.message);
  finding.json_pointer = violation.pointer;
  finding.expected = violation.expected;
  finding.actual = violation.actual;
  return finding;
}

// AIP-193: an error body is a google.rpc.Status whose code matches the HTTP status.
void CheckErrorBody(const Json& value, int http_status, std::vector<Finding>& out) {
  auto add = [&out](Finding finding) { out.push_back(std::move(finding)); };
  {
    auto status = ReadRpcStatus(value);
    if (!status) {
      Finding finding = MakeFinding("response.error.shape",
                                    "error body is not a google.rpc.Status in either JSON shape");
      finding.expected = "{\"code\": <google.rpc code>, \"message\": ...} or {\"error\": {\"code\": <HTTP status>, "
                         "\"message\": ..., \"status\": ...}}";
      finding.actual = internal::DescribeValue(value, 120);
      add(std::move(finding));
      return;
    }
    int expected_http = 0;
    std::string basis;
    if (status->shape == RpcStatus::Shape::kGrpcGateway) {
      expected_http = HttpStatusForRpcCode(status->code);
      basis = "google.rpc code " + std::to_string(status->code) + " (" + std::string(RpcCodeName(status->code)) + ")";
      if (expected_http == 0) {
        Finding finding = MakeFinding("response.error.code_mapping",
                                      "code " + std::to_string(status->code) + " is not a google.rpc code (0..16)");
        finding.json_pointer = "/code";
        finding.expected = "0..16";
        finding.actual = std::to_string(status->code);
        add(std::move(finding));
        return;
      }
    } else {
      if (status->code != http_status) {
        Finding finding = MakeFinding("response.error.code_mapping",
                                      "error.code " + std::to_string(status->code) + " differs from the HTTP status " +
                                          std::to_string(http_status));
        finding.json_pointer = "/error/code";
        finding.expected = std::to_string(http_status);
        finding.actual = std::to_string(status->code);
        add(std::move(finding));
      }
      if (!status->status.empty()) {
        auto code = RpcCodeByName(status->status);
        expected_http = code ? HttpStatusForRpcCode(*code) : 0;
        basis = "error.status " + status->status;
        if (!code) {
          Finding finding = MakeFinding("response.error.code_mapping",
                                        "error.status '" + status->status + "' is not a google.rpc code name");
          finding.json_pointer = "/error/status";
          finding.expected = "a google.rpc code name such as INVALID_ARGUMENT";
          finding.actual = status->status;
          add(std::move(finding));
          return;
        }
      }
    }
    if (expected_http != 0 && expected_http != http_status) {
      Finding finding = MakeFinding("response.error.code_mapping",
                                    "HTTP status " + std::to_string(http_status) + " does not match " + basis +
                                        ", which maps to " + std::to_string(expected_http));
      finding.json_pointer = status->shape == RpcStatus::Shape::kGrpcGateway ? "/code" : "/error/status";
      finding.expected = std::to_string(expected_http);
      finding.actual = std::to_string(http_status);
      add(std::move(finding));
    }
  }
}

}  // namespace

std::optional<RpcStatus> ReadRpcStatus(const Json& body) {
  if (!body.is_object()) {
    return std::nullopt;
  }
  auto error = body.find("error");
  if (error != body.end() && error->is_object()) {
    auto code = error->find("code");
    auto message = error->find("message");
    if (code == error->end() || !code->is_number_integer() || message == error->end() || !message->is_string()) {
      return std::nullopt;
    }
    RpcStatus status;
    status.shape = RpcStatus::Shape::kGoogleJson;
    status.code = code->get<int>();
    status.message = message->get<std::string>();
    if (auto name = error->find("status"); name != error->end() && name->is_string()) {
      status.status = name->get<std::string>();
    }
    return status;
  }
  auto code = body.find("code");
  auto message = body.find("message");
  if (code == body.end() || !code->is_number_integer() || message == body.end() || !message->is_string()) {
    return std::nullopt;
  }
  if (auto details = body.find("details"); details != body.end() && !details->is_array()) {
    return std::nullopt;
  }
  RpcStatus status;
  status.shape = RpcStatus::Shape::kGrpcGateway;
  status.code = code->get<int>();
  status.message = message->get<std::string>();
  return status;
}

namespace {

// The schema dialect as the spec loader read `contract`: a 3.0 document, and the Mintlify
// rendering (whose schemas the loader canonicalises as 3.0, the dialect of the tools that
// write it), are 3.0; a 3.1 document, or a contract built in code, is 3.1.
Dialect DialectOf(const Contract& contract) {
  if (contract.format.rfind("OpenAPI 3.0", 0) == 0 || contract.format == "Mintlify rendering") {
    return Dialect::kOpenApi30;
  }
  return Dialect::kOpenApi31;
}

bool Admits(const std::vector<std::string>& types, std::string_view type) {
  return std::find(types.begin(), types.end(), type) != types.end();
}

// The JSON types a parameter's schema admits: its `type`, else those of its anyOf/oneOf/allOf
// branches (the Mintlify rendering lists alternatives) and of its enum and const values.
// Empty when the schema says nothing of them.
std::vector<std::string> ParameterTypes(const Json& schema, int depth = 0) {
  std::vector<std::string> types = SchemaTypes(schema);
  if (!types.empty() || !schema.is_object() || depth > 8) {
    return types;
  }
  auto add = [&types](const std::string& type) {
    if (!Admits(types, type)) {
      types.push_back(type);
    }
  };
  for (const char* keyword : {"anyOf", "oneOf", "allOf"}) {
    if (auto branches = schema.find(keyword); branches != schema.end() && branches->is_array()) {
      for (const Json& branch : *branches) {
        for (const std::string& type : ParameterTypes(branch, depth + 1)) {
          add(type);
        }
      }
    }
  }
  if (auto values = schema.find("enum"); values != schema.end() && values->is_array()) {
    for (const Json& value : *values) {
      add(internal::JsonTypeName(&value));
    }
  }
  if (auto value = schema.find("const"); value != schema.end()) {
    add(internal::JsonTypeName(&*value));
  }
  return types;
}

// `text` read whole as a T by std::from_chars, or nullopt.
template <typename T>
std::optional<T> ParseWhole(std::string_view text) {
  T value{};
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// The JSON values `text` can be read as where `types` are admitted, most specific first and
// always ending with the string itself: an integer (a double when the digits are out of the
// 64-bit range, which `type: integer` then refuses), a finite number, true or false.
std::vector<Json> ScalarReadings(const std::string& text, const std::vector<std::string>& types) {
  std::vector<Json> readings;
  const bool number = Admits(types, "number");
  if (Admits(types, "integer") || number) {
    if (auto integer = ParseWhole<int64_t>(text)) {
      readings.emplace_back(*integer);
    } else if (auto large = ParseWhole<uint64_t>(text)) {
      readings.emplace_back(*large);
    } else if (auto real = ParseWhole<double>(text);
               real && std::isfinite(*real) &&
               (number || text.find_first_not_of("-0123456789") == std::string::npos)) {
      readings.emplace_back(*real);
    }
  }
  if (Admits(types, "boolean") && (text == "true" || text == "false")) {
    readings.emplace_back(text == "true");
  }
  readings.emplace_back(text);
  return readings;
}

// `text` cut at each `separator`: "" is no piece, "a," is "a" and "".
std::vector<std::string> SplitOn(std::string_view text, char separator) {
  std::vector<std::string> pieces;
  for (size_t start = 0; !text.empty();) {
    size_t cut = text.find(separator, start);
    pieces.emplace_back(text.substr(start, cut == std::string_view::npos ? cut : cut - start));
    if (cut == std::string_view::npos) {
      break;
    }
    start = cut + 1;
  }
  return pieces;
}

// `value` without the prefix its style puts before it: label ".5" is "5", matrix ";id=5" (or
// the empty ";id") is "5". A value without the prefix is taken as it is.
std::string_view Unprefixed(const Parameter& parameter, std::string_view value) {
  if (parameter.style == ParameterStyle::kLabel && value.starts_with('.')) {
    return value.substr(1);
  }
  if (parameter.style == ParameterStyle::kMatrix && value.starts_with(';') &&
      value.substr(1).starts_with(parameter.name)) {
    std::string_view rest = value.substr(1 + parameter.name.size());
    if (rest.empty() || rest.starts_with('=')) {
      return rest.empty() ? rest : rest.substr(1);
    }
  }
  return value;
}

// The items of an array parameter given as `values`, as its style and explode say (OpenAPI's
// style table, with RFC 6570 for label: `.a,b` unexploded, `.a.b` exploded). Form, and the
// delimited styles, with explode: one item per repeated value (one value with a comma is one
// item). Without explode: each value split on ',' (form, simple), ' ' (spaceDelimited, the
// query's %20 or '+' already decoded) or '|' (pipeDelimited). Simple ignores explode for
// arrays. Matrix exploded: `;ids=a;ids=b`. nullopt for deepObject, which has no array form:
// such a parameter is left unchecked.
std::optional<std::vector<std::string>> ArrayItems(const Parameter& parameter,
                                                   const std::vector<std::string>& values) {
  char separator = ',';
  switch (parameter.style) {
    case ParameterStyle::kDeepObject:
      return std::nullopt;
    case ParameterStyle::kForm:
    case ParameterStyle::kSpaceDelimited:
    case ParameterStyle::kPipeDelimited:
      if (parameter.explode) {
        return values.size() == 1 && values[0].empty() ? std::vector<std::string>{} : values;
      }
      separator = parameter.style == ParameterStyle::kSpaceDelimited  ? ' '
                  : parameter.style == ParameterStyle::kPipeDelimited ? '|'
                                                                      : ',';
      break;
    case ParameterStyle::kLabel:
      separator = parameter.explode ? '.' : ',';
      break;
    case ParameterStyle::kSimple:
    case ParameterStyle::kMatrix:
      break;
  }
  std::vector<std::string> items;
  for (const std::string& value : values) {
    if (parameter.style == ParameterStyle::kMatrix && parameter.explode) {
      // ";ids=a;ids=b": each piece after a ';' is "ids=a".
      std::string_view rest = value;
      rest.remove_prefix(rest.starts_with(';') ? 1 : 0);
      for (const std::string& piece : SplitOn(rest, ';')) {
        if (piece == parameter.name) {
          continue;  // ";ids" is the empty array
        }
        items.emplace_back(Unprefixed(parameter, ";" + piece));
      }
      continue;
    }
    for (std::string& piece : SplitOn(Unprefixed(parameter, value), separator)) {
      items.push_back(std::move(piece));
    }
  }
  return items;
}

// The JSON values the text of `parameter` can be read as, the one a finding describes first.
// A scalar is coerced to the schema's type (ScalarReadings), after its label or matrix prefix.
// An array is split as its style and explode say (ArrayItems), one way only. Objects (form,
// deepObject and the like) are not read: empty.
std::vector<Json> ParameterReadings(const Parameter& parameter,
                                    const std::vector<std::string>& values) {
  const std::vector<std::string> types = ParameterTypes(parameter.schema);
  std::vector<Json> readings;
  if (values.empty() || Admits(types, "object")) {
    return readings;
  }
  if (Admits(types, "array")) {
    auto items = parameter.schema.find("items");
    const std::vector<std::string> item_types =
        items != parameter.schema.end() && items->is_object() ? ParameterTypes(*items)
                                                              : std::vector<std::string>{};
    if (std::optional<std::vector<std::string>> pieces = ArrayItems(parameter, values)) {
      Json array = Json::array();
      for (const std::string& piece : *pieces) {
        array.push_back(ScalarReadings(piece, item_types).front());
      }
      readings.push_back(std::move(array));
    }
  }
  const bool scalar =
      types.empty() || std::any_of(types.begin(), types.end(),
                                   [](const std::string& type) { return type != "array"; });
  if (values.size() == 1 && scalar) {
    for (Json& reading : ScalarReadings(std::string(Unprefixed(parameter, values[0])), types)) {
      readings.push_back(std::move(reading));
    }
  }
  return readings;
}

// `text` safe for a one-line message: control characters and bytes that are not UTF-8 escaped
// (Printable), cut after 80 bytes.
std::string Shown(std::string_view text) {
  std::string shown = Printable(text);
  if (shown.size() > 80) {
    size_t cut = 80;
    while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) {
      --cut;  // not inside a UTF-8 sequence
    }
    shown.resize(cut);
    shown += "...";
  }
  return shown;
}

// "an integer", "a string or null".
std::string TypesText(const std::vector<std::string>& types) {
  std::string text;
  for (const std::string& type : types) {
    const bool vowel = type == "integer" || type == "array" || type == "object";
    const char* article = type == "null" ? "" : vowel ? "an " : "a ";
    text += std::string(text.empty() ? "" : " or ") + article + type;
  }
  return text;
}

// What the schema wants of the value `violation` is about, in words: "expected an integer",
// "shorter than minLength 3". `schema` is the parameter's, `instance` the value checked.
std::string Wants(const SchemaViolation& violation, const Json& schema, const Json& instance) {
  const Json* node = SchemaAt(schema, violation.pointer, instance);
  const std::string& keyword = violation.keyword;
  if (node == nullptr || !node->is_object()) {
    return violation.message;
  }
  if (keyword == "type" && !SchemaTypes(*node).empty()) {
    const std::vector<std::string> types = SchemaTypes(*node);
    const Json* actual = ValueAt(instance, violation.pointer);
    // Only digits out of the int64 and uint64 range are read as a double for an integer.
    const bool too_large =
        actual != nullptr && actual->is_number_float() && Admits(types, "integer");
    return "expected " + TypesText(types) + (too_large ? " within the 64-bit range" : "");
  }
  if (keyword == "format") {
    return violation.expected.empty() ? "not a valid " + node->value("format", std::string("value"))
                                      : "expected " + violation.expected;
  }
  if (keyword == "pattern" && node->contains("pattern")) {
    return "does not match the pattern /" + node->value("pattern", std::string()) + "/";
  }
  if (keyword == "enum" && node->contains("enum")) {
    return "not " + internal::DescribeEnum((*node)["enum"]);
  }
  if (keyword == "const" && node->contains("const")) {
    return "not the constant " + internal::DescribeValue((*node)["const"]);
  }
  static constexpr std::pair<std::string_view, std::string_view> kBounds[] = {
      {"minLength", "shorter than minLength "},
      {"maxLength", "longer than maxLength "},
      {"minimum", "less than the minimum "},
      {"maximum", "greater than the maximum "},
      {"exclusiveMinimum", "not above exclusiveMinimum "},
      {"exclusiveMaximum", "not below exclusiveMaximum "},
      {"multipleOf", "not a multiple of "},
      {"minItems", "fewer items than minItems "},
      {"maxItems", "more items than maxItems "},
  };
  for (const auto& [name, words] : kBounds) {
    if (keyword == name && node->contains(name)) {
      return std::string(words) + (*node)[std::string(name)].dump();
    }
  }
  if (keyword == "uniqueItems") {
    return "an item repeats (uniqueItems)";
  }
  return violation.message;
}

// Why `values` (one value, or the repeated values of an exploded array) break the schema of
// `parameter`: "item 3 (x): expected an integer" for ids=1,2,x. nullopt when some reading of
// them (ParameterReadings) satisfies it.
std::optional<std::string> ParameterProblem(const Parameter& parameter,
                                            const SchemaValidator& schema,
                                            const std::vector<std::string>& values) {
  const std::vector<Json> readings = ParameterReadings(parameter, values);
  std::vector<SchemaViolation> first;
  for (size_t i = 0; i < readings.size(); ++i) {
    std::vector<SchemaViolation> violations = schema.Validate(readings[i]);
    // Not failures: keywords and long strings the engine left unchecked.
    std::erase_if(violations,
                  [](const SchemaViolation& v) { return v.check_id.ends_with("_unchecked"); });
    if (violations.empty()) {
      return std::nullopt;
    }
    if (i == 0) {
      first = std::move(violations);
    }
  }
  if (first.empty()) {
    return std::nullopt;
  }
  std::string reasons;
  for (size_t i = 0; i < first.size() && i < 3; ++i) {
    const SchemaViolation& violation = first[i];
    std::string where;
    if (std::vector<std::string> tokens = PointerTokens(violation.pointer); tokens.size() == 1) {
      if (auto index = ParseWhole<size_t>(tokens[0]);
          index && readings[0].is_array() && *index < readings[0].size()) {
        const Json& item = readings[0][*index];
        where = "item " + std::to_string(*index + 1) + " (" +
                Shown(item.is_string() ? item.get_ref<const std::string&>() : item.dump()) + "): ";
      }
    }
    reasons +=
        (reasons.empty() ? "" : "; ") + where + Wants(violation, parameter.schema, readings[0]);
  }
  if (first.size() > 3) {
    reasons += "; and " + std::to_string(first.size() - 3) + " more";
  }
  return reasons;
}

}  // namespace

Result<std::unique_ptr<ExchangeValidator>> ExchangeValidator::Create(const Contract& contract,
                                                                     ExchangeCheckOptions options) {
  std::unique_ptr<ExchangeValidator> validator(new ExchangeValidator(contract, std::move(options)));
  validator->compile_options_ = {.dialect = DialectOf(contract)};
  if (!validator->options_.operation_id.empty()) {
    validator->forced_ = contract.FindOperation(validator->options_.operation_id);
    if (validator->forced_ == nullptr) {
      std::string known;
      for (const Operation& op : contract.operations) {
        known += (known.empty() ? "" : ", ") + op.operation_id;
      }
      return InvalidArgument("no operation '" + validator->options_.operation_id + "' in " +
                             contract.source + " (it has: " + known + ")");
    }
  }
  validator->aip_errors_ = contract.format.starts_with("Mintlify") ||
                           std::any_of(contract.operations.begin(), contract.operations.end(),
                                       [](const Operation& op) { return op.list.has_value(); });
  for (const Server& server : contract.servers) {
    std::optional<std::string> base = ServerPath(server.url);
    while (base && base->ends_with('/')) {
      base->pop_back();  // "/api/" is the base path "/api"; "/" is none
    }
    if (base && !base->empty()) {
      validator->base_paths_.push_back(*std::move(base));
    }
  }
  // A schema given to several responses or parameters (an error body, a shared resource,
  // pageSize) is compiled once: Presalytics' spec gives one schema to 191 responses.
  std::unordered_map<std::string, Result<std::shared_ptr<const SchemaValidator>>> by_text;
  auto compile_once =
      [&](const Json& schema) -> const Result<std::shared_ptr<const SchemaValidator>>& {
    std::string text = schema.dump();
    auto known = by_text.find(text);
    if (known == by_text.end()) {
      known = by_text
                  .emplace(std::move(text), SchemaValidator::Compile(schema, contract.definitions,
                                                                     validator->compile_options_))
                  .first;
    }
    return known->second;
  };
  for (const Operation& op : contract.operations) {
    for (const ResponseSpec& response : op.responses) {
      for (const MediaType& media : response.content) {
        if (!media.schema) {
          continue;
        }
        const auto& schema = compile_once(*media.schema);
        if (!schema) {
          return InvalidArgument(schema.error().message, contract.source + ": " + op.operation_id +
                                                             " response " + response.status + " " +
                                                             media.name);
        }
        validator->compiled_.push_back({&op, &response, &media, *schema});
      }
    }
  }
  for (const Operation& op : contract.operations) {
    for (const Parameter& parameter : op.parameters) {
      if (!parameter.schema.is_object() || parameter.schema.empty()) {
        continue;  // no schema: anything goes
      }
      // The loader accepted the spec: a parameter schema the engine cannot take goes
      // unchecked, it does not refuse the contract.
      if (const auto& schema = compile_once(parameter.schema)) {
        validator->parameter_schemas_.emplace(&parameter, *schema);
      }
    }
  }
  return validator;
}

const ExchangeValidator::CompiledMedia* ExchangeValidator::FindCompiled(const MediaType* media) const {
  for (const CompiledMedia& compiled : compiled_) {
    if (compiled.media == media) {
      return &compiled;
    }
  }
  return nullptr;
}

std::shared_ptr<const SchemaValidator> ExchangeValidator::MaskedSchema(const CompiledMedia& media,
                                                                       const std::string& mask_key,
                                                                       const Json& schema) const {
  std::string key = std::to_string(reinterpret_cast<uintptr_t>(media.media)) + "|" + mask_key;
  std::lock_guard<std::mutex> lock(masked_mutex_);
  auto found = masked_.find(key);
  if (found != masked_.end()) {
    return found->second;
  }
  auto compiled = SchemaValidator::Compile(schema, contract_.definitions, compile_options_);
  std::shared_ptr<const SchemaValidator> result = compiled ? *compiled : media.schema;
  if (masked_.size() < 256) {
    masked_.emplace(key, result);
  }
  return result;
}

const Operation* ExchangeValidator::ResolveOperation(const traffic::Exchange& exchange,
                                                     std::string& why_not) const {
  if (forced_ != nullptr) {
    return forced_;
  }
  if (exchange.request.url.empty()) {
    if (contract_.operations.size() == 1) {
      return &contract_.operations.front();
    }
    why_not = "a response without its request needs --operation (the contract has " +
              std::to_string(contract_.operations.size()) + " operations)";
    return nullptr;
  }
  auto url = traffic::ParseUrl(exchange.request.url);
  if (!url) {
    why_not = "request URL is not valid: " + url.error().message;
    return nullptr;
  }
  std::string method = exchange.request.method.empty() ? "GET" : exchange.request.method;
  for (const std::string& path : CandidatePaths(url->path)) {
    if (const Operation* op = contract_.MatchOperation(method, path)) {
      return op;
    }
  }
  why_not = "no operation of the contract matches " + method + " " + url->path;
  return nullptr;
}

bool ExchangeValidator::LeadsTo(const Operation& op, const traffic::Exchange& exchange,
                                std::string_view location) const {
  auto url = traffic::ParseUrl(location);  // absolute, or a path on the request's origin
  if (!url) {
    return false;
  }
  std::string method = exchange.request.method.empty() ? "GET" : exchange.request.method;
  for (const std::string& path : CandidatePaths(url->path)) {
    if (contract_.MatchOperation(method, path) == &op) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> ExchangeValidator::CandidatePaths(const std::string& path) const {
  std::vector<std::string> paths = {path};
  // Servers such as https://host/api put a base path in front of every template.
  for (const std::string& base : base_paths_) {
    if (auto length = BasePathLength(base, path)) {
      paths.push_back(path.substr(*length));
    }
  }
  return paths;
}

void ExchangeValidator::CheckRequest(const Operation& op, const traffic::Exchange& exchange,
                                     ExchangeVerdict& verdict) const {
  if (exchange.request.url.empty()) {
    return;
  }
  auto url = traffic::ParseUrl(exchange.request.url);
  if (!url) {
    return;
  }
  bool accepted = exchange.response.status >= 200 && exchange.response.status < 300;
  // A request the server refused with a 4xx was answered as it should be (a negative test).
  bool refused = exchange.response.status >= 400 && exchange.response.status < 500;
  auto report = [&](const std::string& message) {
    if (refused) {
      return;
    }
    Finding finding = MakeFinding("request.parameter.schema", message);
    finding.source = exchange.source;
    finding.requests.push_back(exchange.request);
    verdict.findings.push_back(finding);
    if (accepted) {
      Finding accepted_finding =
          MakeFinding("request.parameter.invalid_accepted",
                      "the server answered " + std::to_string(exchange.response.status) +
                          " to a request with an invalid parameter: " + message);
      accepted_finding.expected = "400 INVALID_ARGUMENT";
      accepted_finding.actual = std::to_string(exchange.response.status);
      accepted_finding.source = exchange.source;
      accepted_finding.requests.push_back(exchange.request);
      verdict.findings.push_back(std::move(accepted_finding));
    }
  };
  for (const Parameter& parameter : op.parameters) {
    auto compiled = parameter_schemas_.find(&parameter);
    const SchemaValidator* schema =
        compiled != parameter_schemas_.end() ? compiled->second.get() : nullptr;
    const std::string location(ParameterLocationName(parameter.in));
    // "query parameter ids=1&ids=x: item 2 (x): expected an integer"
    auto check = [&](const std::vector<std::string>& values, const std::string& which) {
      if (schema == nullptr) {
        return;
      }
      if (auto problem = ParameterProblem(parameter, *schema, values)) {
        std::string sent;
        for (const std::string& value : values) {
          sent += (sent.empty() ? "" : "&") + parameter.name + "=" + value;
        }
        report(location + " parameter " + Shown(sent) + which + ": " + *problem);
      }
    };
    std::vector<std::string> values;
    if (parameter.in == ParameterLocation::kQuery) {
      for (const auto& [name, text] : url->query) {
        if (name == parameter.name) {
          values.push_back(text);
        }
      }
      // A scalar given twice: servers differ on which value they use, so each is checked. An
      // array (form, explode) is given once per item.
      if (values.size() > 1 && !Admits(ParameterTypes(parameter.schema), "array")) {
        report("query parameter '" + parameter.name + "' is given " +
               std::to_string(values.size()) + " times; servers differ on which value counts");
        for (size_t i = 1; i < values.size(); ++i) {
          check({values[i]}, " (value " + std::to_string(i + 1) + ")");
        }
        values.resize(1);
      }
    } else if (parameter.in == ParameterLocation::kPath) {
      for (const std::string& path : CandidatePaths(url->path)) {  // the base path taken off
        if (auto params = op.MatchPath(path)) {
          for (const auto& [name, text] : *params) {
            if (name == parameter.name) {
              values = {traffic::PercentDecode(text, traffic::PlusIs::kPlus)};
            }
          }
          break;
        }
      }
    } else if (parameter.in == ParameterLocation::kHeader) {
      if (auto header = traffic::FindHeader(exchange.request.headers, parameter.name)) {
        values = {std::string(*header)};
      }
    } else {
      continue;
    }
    if (values.empty()) {
      if (parameter.required) {
        report("required " + location + " parameter '" + parameter.name + "' is missing");
      }
      continue;
    }
    check(values, "");
  }
}

void ExchangeValidator::CheckResponse(const Operation& op, const traffic::Exchange& exchange,
                                      ExchangeVerdict& verdict, KeepBody keep_body) const {
  const traffic::Response& response = exchange.response;
  auto add = [&](Finding finding) {
    finding.source = exchange.source;
    if (!exchange.request.url.empty()) {
      finding.requests.push_back(exchange.request);
    }
    verdict.findings.push_back(std::move(finding));
  };

  const ResponseSpec* spec = op.FindResponse(response.status);
  bool is_error = response.status >= 400;
  if (spec == nullptr && response.status >= 300 && response.status < 400) {
    // HTTP's own answers, which browsers' HARs are full of: a cache's 304, and a redirect to
    // the same operation (https, a trailing slash); the API's answer is the exchange it leads
    // to, recorded on its own. A redirect anywhere else (a login page) stays a finding.
    auto location = traffic::FindHeader(response.headers, "location");
    if (response.status == 304 || (location && LeadsTo(op, exchange, *location))) {
      verdict.skipped = response.status == 304
                            ? "304 Not Modified: a cache revalidation, no API response"
                            : "redirect (" + std::to_string(response.status) + ") to " +
                                  std::string(*location) + ", the same operation: the response it "
                                  "leads to is checked on its own";
      return;
    }
  }
  if (spec == nullptr && !(is_error && IsRpcMappedHttpStatus(response.status))) {
    std::string declared;
    for (const ResponseSpec& r : op.responses) {
      declared += (declared.empty() ? "" : ", ") + r.status;
    }
    Finding finding = MakeFinding("response.status.declared",
                                  "status " + std::to_string(response.status) + " is not declared for " +
                                      op.operation_id + " and no google.rpc code maps to it");
    finding.expected = declared;
    finding.actual = std::to_string(response.status);
    add(std::move(finding));
  }

  // Which media type the body should be, and its schema.
  bool expects_json = is_error && aip_errors_;  // AIP-193 errors are JSON where the spec is silent
  const MediaType* media = nullptr;
  auto content_type = traffic::FindHeader(response.headers, "content-type");
  std::string actual_media = content_type ? MediaTypeOf(*content_type) : "";
  if (spec != nullptr && !spec->content.empty()) {
    for (const MediaType& candidate : spec->content) {
      if (content_type && MediaMatches(candidate.name, actual_media)) {
        media = &candidate;
        break;
      }
    }
    bool body_present = !response.body.empty() || exchange.body_over_read_limit.has_value();
    if (media == nullptr && body_present && !response.headers.empty()) {
      std::string declared;
      for (const MediaType& candidate : spec->content) {
        declared += (declared.empty() ? "" : ", ") + candidate.name;
      }
      Finding finding = MakeFinding(
          "response.content_type",
          content_type ? "Content-Type '" + std::string(*content_type) + "' is not declared for status " +
                             std::to_string(response.status)
                       : "response has a body but no Content-Type header");
      finding.expected = declared;
      finding.actual = content_type ? std::string(*content_type) : "no Content-Type";
      add(std::move(finding));
    }
    if (media == nullptr) {
      // Unknown or wrong type: still check the body against the first JSON media type.
      for (const MediaType& candidate : spec->content) {
        if (IsJsonMedia(candidate.name)) {
          media = &candidate;
          break;
        }
      }
    }
    expects_json = media != nullptr && IsJsonMedia(media->name);
  } else if (is_error && aip_errors_ && (!response.body.empty() || exchange.body_over_read_limit) &&
             content_type && !IsJsonMedia(actual_media)) {
    Finding finding = MakeFinding("response.content_type",
                                  "error response has Content-Type '" + std::string(*content_type) +
                                      "'; AIP-193 errors are JSON");
    finding.expected = "application/json";
    finding.actual = std::string(*content_type);
    add(std::move(finding));
  }
  if (exchange.body_over_read_limit) {
    // Whatever its media type: the reader did not load it, so nothing of it can be checked.
    add(UnloadedBodyFinding(*exchange.body_over_read_limit));
    return;
  }
  if (!expects_json) {
    return;
  }

  auto body = ParseJsonBody(response.body, options_.body_limits);
  if (!body) {
    bool limit = body.error().code == ErrorCode::kResourceExhausted;
    Finding finding = MakeFinding(limit ? "response.body.limit" : "response.body.json", body.error().message);
    finding.expected = limit ? "a body within the limits" : "a JSON document";
    finding.actual = internal::DescribeValue(Json(response.body.substr(0, 60)));
    add(std::move(finding));
    return;
  }
  if (!body->duplicate_pointer.empty()) {
    Finding finding = MakeFinding(
        "response.body.duplicate_member",
        "member '" + body->duplicate_pointer +
            "' appears more than once in its object: JSON readers disagree on which value "
            "counts (conform checks the last)");
    finding.json_pointer = body->duplicate_pointer;
    finding.expected = "each member name once per object";
    finding.actual = "the name given twice";
    add(std::move(finding));
  }
  const Json& value = body->value;
  if (op.list && response.status == 200 && value.is_object()) {
    ExchangeVerdict::ListPage& page = verdict.list_page.emplace();
    auto token = value.find(op.list->next_token_field);
    if (token != value.end() && token->is_string() && !token->get_ref<const std::string&>().empty()) {
      page.next_token = token->get<std::string>();
    }
  }

  const bool error_schema = media != nullptr && media->schema;
  if (is_error && aip_errors_ &&
      !(error_schema && DeclaresOwnErrorBody(*media->schema, contract_.definitions))) {
    // The shape is the root cause: when it is wrong, the schema's oneOf failing says nothing new.
    std::vector<Finding> error_findings;
    CheckErrorBody(value, response.status, error_findings);
    bool shape_broken = std::any_of(error_findings.begin(), error_findings.end(),
                                    [](const Finding& f) { return f.check_id == "response.error.shape"; });
    for (Finding& finding : error_findings) {
      add(std::move(finding));
    }
    if (shape_broken) {
      if (keep_body == KeepBody::kYes) {
        verdict.body = std::move(body->value);
      }
      return;
    }
  }

  if (media != nullptr && media->schema) {
    const CompiledMedia* compiled = FindCompiled(media);
    std::shared_ptr<const SchemaValidator> schema = compiled != nullptr ? compiled->schema : nullptr;
    std::optional<aip::ReadMask> mask;
    bool mask_names_nothing = false;  // every entry names no field: judge neither way
    if (op.list && !op.list->read_mask_param.empty() && response.status < 300) {
      if (auto url = traffic::ParseUrl(exchange.request.url)) {
        auto text = traffic::QueryValue(url->query, op.list->read_mask_param);
        if (text && !text->empty()) {
          auto parsed = aip::ParseReadMask(*text, op.catalog);
          if (!parsed) {
            parsed = KnownPathsOf(*text, op.catalog);
            mask_names_nothing = !parsed;
          }
          if (parsed && !parsed->all()) {
            mask = *std::move(parsed);
          }
        }
      }
    }
    if ((mask || mask_names_nothing) && compiled != nullptr) {
      // Required fields outside the mask may be left out (AIP-157).
      Json masked = *media->schema;
      Json* resources = nullptr;
      if (masked.contains("properties") && masked["properties"].contains(op.list->resources_field)) {
        resources = &masked["properties"][op.list->resources_field];
      }
      if (resources != nullptr && resources->contains("items")) {
        (*resources)["items"] = WithoutMaskedRequired((*resources)["items"], mask ? &*mask : nullptr, "");
        schema = MaskedSchema(*compiled, mask ? aip::Print(*mask) : "\n(no entry names a field)", masked);
      }
    }
    if (schema != nullptr) {
      for (const SchemaViolation& violation : schema->Validate(value, {.strict = options_.strict})) {
        add(ViolationFinding(violation));
      }
    }
    if (mask && value.is_object()) {
      auto resources = value.find(op.list->resources_field);
      if (resources != value.end() && resources->is_array()) {
        std::vector<Finding> outside;
        for (size_t i = 0; i < resources->size(); ++i) {
          FindOutsideMask((*resources)[i], *mask, "",
                          internal::AppendPointer(internal::AppendPointer("", op.list->resources_field), i), outside);
        }
        for (Finding& finding : outside) {
          add(std::move(finding));
        }
      }
    }
  }

  if (keep_body == KeepBody::kYes) {
    verdict.body = std::move(body->value);
  }
}

ExchangeVerdict ExchangeValidator::Check(const traffic::Exchange& exchange, KeepBody keep_body) const {
  ExchangeVerdict verdict;
  if (exchange.body_over_limit) {
    Finding finding = MakeFinding("response.body.limit", exchange.error);
    finding.source = exchange.source;
    finding.expected = "a body within the limits";
    finding.actual = "a body over them, not read";
    finding.requests.push_back(exchange.request);
    verdict.findings.push_back(std::move(finding));
    verdict.skipped = "body over the limit";
    return verdict;
  }
  if (!exchange.error.empty() || exchange.response.status == 0) {
    Finding finding = MakeFinding("exchange.no_response",
                                  exchange.error.empty() ? "no response was recorded" : exchange.error);
    finding.source = exchange.source;
    verdict.findings.push_back(std::move(finding));
    verdict.skipped = "no response";
    return verdict;
  }
  std::string why_not;
  const Operation* op = ResolveOperation(exchange, why_not);
  if (op == nullptr) {
    verdict.skipped = why_not;
    return verdict;
  }
  verdict.operation = op;
  if (!exchange.body_not_recorded.empty()) {
    verdict.skipped = exchange.body_not_recorded;  // an absent body is not an empty one
    return verdict;
  }
  if (options_.requests == ExchangeCheckOptions::Requests::kCheck) {
    CheckRequest(*op, exchange, verdict);
  }
  CheckResponse(*op, exchange, verdict, keep_body);
  return verdict;
}

}  // namespace conform::validator
