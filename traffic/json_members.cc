#include "traffic/json_members.h"

#include <string>
#include <unordered_set>
#include <utility>

namespace conform::traffic {
namespace {

using Json = nlohmann::json;
using DomBuilder = nlohmann::detail::json_sax_dom_parser<Json>;

// nlohmann's own DOM builder, with every event passed through a record of where the parse is.
class DuplicateNoter {
 public:
  explicit DuplicateNoter(Json& result) : builder_(result, /*allow_exceptions=*/false) {}

  bool null() { return Value() && builder_.null(); }
  bool boolean(bool value) { return Value() && builder_.boolean(value); }
  bool number_integer(Json::number_integer_t value) {
    return Value() && builder_.number_integer(value);
  }
  bool number_unsigned(Json::number_unsigned_t value) {
    return Value() && builder_.number_unsigned(value);
  }
  bool number_float(Json::number_float_t value, const Json::string_t& text) {
    return Value() && builder_.number_float(value, text);
  }
  bool string(Json::string_t& value) { return Value() && builder_.string(value); }
  bool binary(Json::binary_t& value) { return Value() && builder_.binary(value); }

  bool start_object(size_t elements) {
    Value();
    frames_.push_back(Frame{});
    return builder_.start_object(elements);
  }
  bool key(Json::string_t& name) {
    Frame& object = frames_.back();
    if (!duplicate_ && object.Seen(name)) {
      duplicate_ = PathTo(name);
    }
    object.last_key = name;
    return builder_.key(name);
  }
  bool end_object() {
    frames_.pop_back();
    return builder_.end_object();
  }
  bool start_array(size_t elements) {
    Value();
    frames_.push_back(Frame{.array = true});
    return builder_.start_array(elements);
  }
  bool end_array() {
    frames_.pop_back();
    return builder_.end_array();
  }
  bool parse_error(size_t position, const std::string& token,
                   const nlohmann::detail::exception& error) {
    return builder_.parse_error(position, token, error);
  }

  std::optional<JsonPath> TakeDuplicate() { return std::move(duplicate_); }

 private:
  struct Frame {
    bool array = false;
    size_t items = 0;      // array: elements begun so far
    std::string last_key;  // object: the member being read
    // Names seen: a short list scanned, then a set once the object is large (a map of
    // thousands of entries must not cost a quadratic scan).
    std::vector<std::string> names;
    std::unordered_set<std::string> many;

    bool Seen(const std::string& name) {
      if (!many.empty()) {
        return !many.insert(name).second;
      }
      for (const std::string& seen : names) {
        if (seen == name) {
          return true;
        }
      }
      names.push_back(name);
      if (names.size() > 16) {
        many.insert(std::make_move_iterator(names.begin()), std::make_move_iterator(names.end()));
        names.clear();
      }
      return false;
    }
  };

  // Counts an element of the enclosing array; always true, to chain with the builder.
  bool Value() {
    if (!frames_.empty() && frames_.back().array) {
      ++frames_.back().items;
    }
    return true;
  }

  JsonPath PathTo(const std::string& name) const {
    JsonPath path;
    for (size_t i = 0; i + 1 < frames_.size(); ++i) {
      const Frame& frame = frames_[i];
      if (frame.array) {
        path.emplace_back(frame.items - 1);
      } else {
        path.emplace_back(frame.last_key);
      }
    }
    path.emplace_back(name);
    return path;
  }

  DomBuilder builder_;
  std::vector<Frame> frames_;
  std::optional<JsonPath> duplicate_;
};

}  // namespace

std::string DottedPath(const JsonPath& path) {
  std::string out;
  for (const JsonPathStep& step : path) {
    if (const size_t* index = std::get_if<size_t>(&step)) {
      out += "[" + std::to_string(*index) + "]";
    } else {
      if (!out.empty()) {
        out += ".";
      }
      out += std::get<std::string>(step);
    }
  }
  return out;
}

std::string JsonPointer(const JsonPath& path) {
  std::string out;
  for (const JsonPathStep& step : path) {
    out += "/";
    if (const size_t* index = std::get_if<size_t>(&step)) {
      out += std::to_string(*index);
      continue;
    }
    for (char c : std::get<std::string>(step)) {
      if (c == '~') {
        out += "~0";
      } else if (c == '/') {
        out += "~1";
      } else {
        out += c;
      }
    }
  }
  return out;
}

ParsedJson ParseJsonNotingDuplicates(std::string_view text) {
  ParsedJson parsed;
  DuplicateNoter noter(parsed.value);
  if (!Json::sax_parse(text.begin(), text.end(), &noter)) {
    parsed.value = Json(Json::value_t::discarded);
    return parsed;
  }
  parsed.duplicate = noter.TakeDuplicate();
  return parsed;
}

}  // namespace conform::traffic
