// The HAR entry writer (traffic::HarEntryLine) and its escaper write what nlohmann's dump of
// traffic::HarEntry writes, byte for byte, whatever the exchange holds: quotes, controls, DEL,
// multi-byte characters, bytes that are not UTF-8, query strings, bodies as text or base64,
// failed exchanges, odd elapsed times.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/utf8.h"
#include "traffic/har.h"
#include "traffic/internal/json_escape.h"

namespace conform::traffic {
namespace har_writer_property_test {
namespace {

using Json = nlohmann::json;

// Text dense in what an escaper must notice, at every offset of its 16-byte blocks.
rc::Gen<std::string> GenEscapable() {
  static const std::vector<std::string> pieces = {
      "a", "bc", "0123456789abcdef", "\"", "\\", "\n", "\t", "\x01", "\x1F", "\x7F", "/",
      "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\"\"\"\"", "\xFF", "\xC3", "\xED\xA0\x80",
      "%20", "+", "&", "=", "?"};
  return rc::gen::map(rc::gen::container<std::vector<std::string>>(rc::gen::elementOf(pieces)),
                      [](const std::vector<std::string>& parts) {
                        std::string text;
                        for (const std::string& part : parts) {
                          text += part;
                        }
                        return text;
                      });
}

// Mostly valid UTF-8 (so that the writer, not its fallback, is what gets compared).
rc::Gen<std::string> GenText() {
  return rc::gen::oneOf(rc::gen::suchThat(GenEscapable(), [](const std::string& text) {
                          return IsValidUtf8(text);
                        }),
                        GenEscapable(), rc::gen::just(std::string()),
                        rc::gen::just(std::string(3000, 'j') + "\"end\""));
}

rc::Gen<Headers> GenHeaders() {
  return rc::gen::container<Headers>(rc::gen::exec([] {
    return Header{*rc::gen::oneOf(rc::gen::elementOf(std::vector<std::string>{
                                      "Content-Type", "content-type", "Location", "X-A"}),
                                  GenText()),
                  *GenText()};
  }));
}

RC_GTEST_PROP(HarWriterProperties, EscapingIsNlohmannsDump, ()) {
  std::string text = *GenEscapable();
  std::string out = *rc::gen::elementOf(std::vector<std::string>{"", "{\"text\":\""});
  const std::string before = out;
  bool escaped = internal::AppendJsonEscapedUtf8(out, text);
  RC_ASSERT(escaped == IsValidUtf8(text));
  if (escaped) {
    std::string dumped = Json(text).dump();  // with its quotes
    RC_ASSERT(out == before + dumped.substr(1, dumped.size() - 2));
  }
}

RC_GTEST_PROP(HarWriterProperties, AnEntryLineIsTheDumpOfHarEntry, ()) {
  Exchange exchange;
  exchange.request.method = *rc::gen::oneOf(
      rc::gen::elementOf(std::vector<std::string>{"GET", "POST", "DELETE"}), GenText());
  exchange.request.url = *rc::gen::oneOf(
      rc::gen::just(std::string("https://api.example.com/v1/x?pageSize=5&filter=a%20b&x=+&e")),
      rc::gen::map(GenText(), [](std::string text) { return "http://h/p?q=" + text + "&r=1"; }),
      GenText());
  exchange.request.headers = *GenHeaders();
  exchange.request.body = *rc::gen::oneOf(rc::gen::just(std::string()), GenText());
  exchange.response.status = *rc::gen::elementOf(std::vector<int>{0, 200, 201, 204, 404, 418, 503});
  exchange.response.headers = *GenHeaders();
  exchange.response.body = *GenText();
  exchange.error = *rc::gen::oneOf(rc::gen::just(std::string()), GenText());
  exchange.started = *rc::gen::oneOf(rc::gen::just(std::string()),
                                     rc::gen::just(std::string("2024-05-01T12:00:00.000Z")));
  exchange.elapsed_ms = *rc::gen::elementOf(std::vector<double>{
      0, 1.5, 100, 0.1, 12345.678901, 1e-7, 3e9, -2, std::numeric_limits<double>::quiet_NaN(),
      std::numeric_limits<double>::infinity()});
  RC_ASSERT(HarEntryLine(exchange) ==
            HarEntry(exchange).dump(-1, ' ', /*ensure_ascii=*/false,
                                    Json::error_handler_t::replace));
}

}  // namespace
}  // namespace har_writer_property_test
}  // namespace conform::traffic
