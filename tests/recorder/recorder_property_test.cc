// Properties that hold the recorder's fast paths to the reference implementations in traffic/:
// the one-pass redactor means what traffic::RedactBody means, the cassette file is
// traffic::WriteHar byte for byte, and a cassette cut at any byte loads every complete entry.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "recorder/cassette.h"
#include "common/utf8.h"
#include "recorder/internal/json_redact.h"
#include "recorder/redactor.h"
#include "tests/recorder/loopback.h"
#include "tests/support/temp_dir.h"
#include "traffic/har.h"
#include "traffic/redact.h"

namespace conform::recorder {
namespace recorder_property_test {
namespace {

using Json = nlohmann::json;

const std::vector<std::string>& KeyPool() {
  static const std::vector<std::string> keys = {
      "apiKey",       "api_key",   "API-KEY",       "password",    "secret",
      "clientSecret", "token",     "hfToken",       "pageToken",   "nextPageToken",
      "eosToken",     "name",      "state",         "wandbConfig", "dpoJobs",
      "credentials",  "cookie",    "authorization", "region",      "key",
      "tokenizer",    "x",         "caf\xC3\xA9",   "quo\"te",     "back\\slash",
      "tab\tkey",     "privateKey"};
  return keys;
}

rc::Gen<std::string> GenKey() {
  return rc::gen::oneOf(rc::gen::elementOf(KeyPool()),
                        rc::gen::container<std::string>(rc::gen::inRange<char>('a', 'z' + 1)));
}

rc::Gen<Json> GenJson(int depth) {
  return rc::gen::exec([depth] {
    int kind = *rc::gen::inRange(0, depth > 0 ? 7 : 5);
    switch (kind) {
      case 0:
        return Json(nullptr);
      case 1:
        return Json(*rc::gen::arbitrary<bool>());
      case 2:
        return Json(*rc::gen::inRange(-1000, 1000));
      case 3:
        return Json(*rc::gen::elementOf(
            std::vector<std::string>{"", "v", "sk-123", "a\"b", "\xC3\xA9t\xC3\xA9", "line\n"}));
      case 4:
        return Json(*rc::gen::container<std::string>(rc::gen::inRange<char>(' ', '~' + 1)));
      case 5: {
        Json array = Json::array();
        int size = *rc::gen::inRange(0, 4);
        for (int i = 0; i < size; ++i) {
          array.push_back(*GenJson(depth - 1));
        }
        return array;
      }
      default: {
        Json object = Json::object();
        int size = *rc::gen::inRange(0, 5);
        for (int i = 0; i < size; ++i) {
          object[*GenKey()] = *GenJson(depth - 1);
        }
        return object;
      }
    }
  });
}

RC_GTEST_PROP(RecorderProperties, OnePassRedactionMeansWhatTrafficRedactBodyMeans, ()) {
  Json document = *rc::gen::exec([] {
    Json object = Json::object();
    int size = *rc::gen::inRange(1, 6);
    for (int i = 0; i < size; ++i) {
      object[*GenKey()] = *GenJson(3);
    }
    return object;
  });
  int style = *rc::gen::inRange(0, 3);
  std::string text = style == 0   ? document.dump()
                     : style == 1 ? document.dump(2)
                                  : document.dump(-1, ' ', /*ensure_ascii=*/true);
  Redactor redactor = *Redactor::Create({});
  std::string ours = redactor.Body(text);
  std::string reference = traffic::RedactBody(text);
  RC_CLASSIFY(reference != text, "holds a secret");
  RC_ASSERT(Json::parse(ours) == Json::parse(reference));
  if (reference == text) {
    RC_ASSERT(ours == text);  // nothing secret: the bytes are untouched
  }
}

// Pages of many members, so that names, values and spaces fall across the block scanner's
// 64-byte blocks at every offset.
rc::Gen<std::string> GenPageText() {
  return rc::gen::exec([] {
    Json page = Json::array();
    int items = *rc::gen::inRange(1, 12);
    for (int i = 0; i < items; ++i) {
      Json item = Json::object();
      int size = *rc::gen::inRange(1, 6);
      for (int k = 0; k < size; ++k) {
        item[*GenKey()] = *GenJson(*rc::gen::inRange(0, 4));
      }
      page.push_back(std::move(item));
    }
    Json document = {{*GenKey(), std::move(page)}};
    int style = *rc::gen::inRange(0, 4);
    return style == 0   ? document.dump()
           : style == 1 ? document.dump(*rc::gen::inRange(1, 9))
           : style == 2 ? document.dump(-1, ' ', /*ensure_ascii=*/true)
                        : document.dump(*rc::gen::inRange(1, 40), ' ', /*ensure_ascii=*/true);
  });
}

internal::JsonRedactRules GenNameRules() {
  internal::JsonRedactRules rules;
  if (*rc::gen::inRange(0, 3) == 0) {
    rules.key_rules.json_keys = {*rc::gen::elementOf(
        std::vector<std::string>{"name", "state", "x", "region", "caf\xC3\xA9", "quo\"te"})};
  }
  if (*rc::gen::inRange(0, 3) == 0) {
    rules.max_depth = *rc::gen::inRange<size_t>(1, 8);  // the too-deep paths of both scanners
  }
  return rules;
}

RC_GTEST_PROP(RecorderProperties, TheBlockScannerWritesWhatTheReferenceScannerWrites, ()) {
  std::string text = *GenPageText();
  internal::JsonRedactRules rules = GenNameRules();
  std::optional<std::string> reference = internal::RedactJsonTextReference(text, rules);
  RC_CLASSIFY(reference.has_value(), "redacted");
  RC_ASSERT(internal::RedactJsonText(text, rules) == reference);
}

// Broken JSON (bytes inserted, dropped or flipped anywhere, quotes and backslashes included):
// whatever secret the reference scanner removes, the block scanner removes too.
RC_GTEST_PROP(RecorderProperties, TheBlockScannerRemovesEverySecretTheReferenceRemoves, ()) {
  Json page = Json::array();
  int items = *rc::gen::inRange(1, 8);
  for (int i = 0; i < items; ++i) {
    page.push_back({{"name", "job-" + std::to_string(i)},
                    {*rc::gen::elementOf(std::vector<std::string>{"apiKey", "password", "note"}),
                     "SECRET" + std::to_string(i) + "X"},
                    {"nested", *GenJson(2)}});
  }
  std::string text = Json{{"items", page}}.dump(*rc::gen::inRange(-1, 3));
  int edits = *rc::gen::inRange(1, 6);
  for (int e = 0; e < edits && !text.empty(); ++e) {
    size_t at = *rc::gen::inRange<size_t>(0, text.size());
    char byte = *rc::gen::elementOf(std::string("\"\\:{}[], a\n"));
    switch (*rc::gen::inRange(0, 3)) {
      case 0:
        text.insert(at, 1, byte);
        break;
      case 1:
        text.erase(at, 1);
        break;
      default:
        text[at] = byte;
    }
  }
  internal::JsonRedactRules rules;
  std::string reference = internal::RedactJsonTextReference(text, rules).value_or(text);
  std::string ours = internal::RedactJsonText(text, rules).value_or(text);
  for (int i = 0; i < items; ++i) {
    std::string secret = "SECRET" + std::to_string(i) + "X";
    if (text.find(secret) != std::string::npos && reference.find(secret) == std::string::npos) {
      RC_ASSERT(ours.find(secret) == std::string::npos);
    }
  }
}

RC_GTEST_PROP(RecorderProperties, EverySecretKeyPassesThePrefilter, ()) {
  static const std::vector<std::string> fragments = {
      "api",           "Key",      "key",    "_",     "-",           "secret",
      "Secret",        "password", "Passwd", "token", "Token",       "private",
      "access",        "refresh",  "id",     "auth",  "credentials", "cookie",
      "authorization", "page",     "client", "hf",    "x",           "KEY",
      "SECRET",        "eos",      "Access", "S"};
  std::vector<std::string> parts =
      *rc::gen::container<std::vector<std::string>>(rc::gen::elementOf(fragments));
  std::string key;
  for (const std::string& part : parts) {
    key += part;
  }
  if (traffic::IsSecretJsonKey(key)) {
    RC_ASSERT(internal::MaybeBuiltInSecretKey(key));
  }
}

rc::Gen<std::string> GenBody() {
  return rc::gen::oneOf(rc::gen::arbitrary<std::string>(), rc::gen::just(std::string()),
                        rc::gen::map(rc::gen::inRange<size_t>(0, 6000),
                                     [](size_t size) {
                                       std::string body(size, 'j');
                                       for (size_t i = 0; i < size; i += 97) {
                                         body[i] = "\"\\\n\t\x01\x7F/"[i % 7];
                                       }
                                       return body;
                                     }),
                        rc::gen::map(rc::gen::inRange<size_t>(1, 1500),
                                     [](size_t copies) {
                                       std::string body;
                                       for (size_t i = 0; i < copies; ++i) {
                                         body += "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80 ";
                                       }
                                       return body;
                                     }),
                        rc::gen::map(rc::gen::inRange<size_t>(2100, 4000), [](size_t size) {
                          std::string body(size, 'b');
                          body[size / 2] =
                              '\xC3';  // a lone lead byte: not UTF-8, written as base64
                          return body;
                        }));
}

rc::Gen<traffic::Exchange> GenExchange() {
  return rc::gen::exec([] {
    traffic::Exchange exchange;
    exchange.request.method = *rc::gen::elementOf(std::vector<std::string>{"GET", "POST"});
    exchange.request.url =
        "https://api.example.com/v1/x?n=" + std::to_string(*rc::gen::inRange(0, 100));
    exchange.request.headers = {{"Accept", "application/json"}};
    exchange.request.body = *rc::gen::oneOf(rc::gen::just(std::string()), GenBody());
    exchange.response.status = *rc::gen::elementOf(std::vector<int>{0, 200, 404});
    if (exchange.response.status == 0) {
      exchange.error = "connection refused";
    }
    exchange.response.headers = {{"Content-Type", "application/json"},
                                 {"X-Note", *rc::gen::elementOf(std::vector<std::string>{
                                                "plain", "conform-body-", "tab\there"})}};
    exchange.response.body = *GenBody();
    exchange.elapsed_ms = *rc::gen::inRange(0, 5000) / 7.0;
    exchange.started = "2024-05-01T12:00:00.000Z";
    return exchange;
  });
}

RC_GTEST_PROP(RecorderProperties, TheCassetteFileIsWriteHarByteForByte, ()) {
  std::vector<traffic::Exchange> exchanges =
      *rc::gen::resize(6, rc::gen::container<std::vector<traffic::Exchange>>(GenExchange()));
  conform::testing::TempDir dir;
  std::string path = (dir.path() / "c.har").string();
  auto writer = CassetteWriter::Create(path, {});
  RC_ASSERT(writer.ok());
  for (const traffic::Exchange& exchange : exchanges) {
    RC_ASSERT((*writer)->Append(exchange).ok());
  }
  RC_ASSERT((*writer)->Finish().ok());
  RC_ASSERT(testing::ReadBytes(path) ==
            traffic::WriteHar(exchanges, {.name = "conform", .version = "0.1.0"}));
}

RC_GTEST_PROP(RecorderProperties, ACassetteCutAtAnyByteLoadsEveryCompleteEntry, ()) {
  std::vector<traffic::Exchange> exchanges =
      *rc::gen::resize(5, rc::gen::container<std::vector<traffic::Exchange>>(GenExchange()));
  std::string whole = traffic::HarStreamPrefix({.name = "conform", .version = "0.1.0"});
  std::vector<size_t> entry_ends;  // offset just past each entry's JSON
  for (size_t i = 0; i < exchanges.size(); ++i) {
    whole += traffic::HarStreamEntry(exchanges[i], i);
    entry_ends.push_back(whole.size() - 1);
  }
  size_t cut = *rc::gen::inRange<size_t>(0, whole.size() + 1);
  conform::testing::TempDir dir;
  std::string path = dir.Write("c.har", whole.substr(0, cut));
  auto read = ReadCassette(path, {});
  RC_ASSERT(read.ok());
  size_t complete = 0;
  for (size_t end : entry_ends) {
    complete += end <= cut ? 1 : 0;
  }
  RC_ASSERT(read->exchanges.size() == complete);
  for (size_t i = 0; i < complete; ++i) {
    RC_ASSERT(read->exchanges[i].request.body == exchanges[i].request.body);
    if (exchanges[i].response.status != 0) {
      RC_ASSERT(read->exchanges[i].response.body == exchanges[i].response.body);
    }
  }
}

}  // namespace
}  // namespace recorder_property_test
}  // namespace conform::recorder
