#include "validator/internal/document.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/nesting.h"

namespace conform::validator::internal {
namespace {

using Json = nlohmann::json;

// YAML 1.2 core-schema resolution of a plain (unquoted) scalar.
Json ResolvePlainScalar(const std::string& text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return nullptr;
  }
  if (text == "true" || text == "True" || text == "TRUE") {
    return true;
  }
  if (text == "false" || text == "False" || text == "FALSE") {
    return false;
  }
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  const char* digits = begin;
  if (*digits == '+' || *digits == '-') {
    ++digits;
  }
  if (digits != end && std::all_of(digits, end, [](char c) { return c >= '0' && c <= '9'; })) {
    int64_t value = 0;
    auto [ptr, ec] = std::from_chars(*begin == '+' ? begin + 1 : begin, end, value);
    if (ec == std::errc() && ptr == end) {
      return value;
    }
    uint64_t unsigned_value = 0;
    auto [uptr, uec] = std::from_chars(*begin == '+' ? begin + 1 : begin, end, unsigned_value);
    if (uec == std::errc() && uptr == end) {
      return unsigned_value;
    }
  }
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'o')) {
    int64_t value = 0;
    auto [ptr, ec] = std::from_chars(begin + 2, end, value, text[1] == 'x' ? 16 : 8);
    if (ec == std::errc() && ptr == end) {
      return value;
    }
  }
  if (text == ".inf" || text == ".Inf" || text == ".INF" || text == "+.inf") {
    return std::numeric_limits<double>::infinity();
  }
  if (text == "-.inf" || text == "-.Inf" || text == "-.INF") {
    return -std::numeric_limits<double>::infinity();
  }
  // A decimal float: digits with '.' or an exponent, nothing else.
  bool looks_numeric = digits != end && text.find_first_not_of("0123456789.eE+-") == std::string::npos &&
                       text.find_first_of("0123456789") != std::string::npos;
  if (looks_numeric) {
    double value = 0;
    auto [ptr, ec] = std::from_chars(*begin == '+' ? begin + 1 : begin, end, value);
    if (ec == std::errc() && ptr == end) {
      return value;
    }
  }
  return text;
}

Position PositionOf(const YAML::Mark& mark) {
  if (mark.is_null()) {
    return {};
  }
  return {mark.line + 1, mark.column + 1};
}

Position PositionOf(const YAML::Node& node) { return PositionOf(node.Mark()); }

std::string Pos(Position p) { return std::to_string(p.line) + ":" + std::to_string(p.column); }

std::string TooDeep() {
  return "document nested deeper than " + std::to_string(kMaxDepth) + " levels";
}

// The lines of `text`, without their '\n'.
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = std::min(text.find('\n', start), text.size());
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// Where block nesting first passes `max_depth` levels below the top: indentation, and the
// "- ", "? " and ": " that open a further level on the same line ("- - - x"). An estimate
// (flow brackets are counted by FindDepthExceeded), used only to say where when yaml-cpp has
// refused a document as too deep: its own mark is where it gave up, ~500 levels in.
std::optional<Position> FindBlockDepthExceeded(std::string_view text, size_t max_depth) {
  std::vector<size_t> open;  // the columns of the levels open at the current line
  std::vector<std::string_view> lines = Lines(text);
  for (size_t number = 0; number < lines.size(); ++number) {
    std::string_view line = lines[number];
    size_t column = line.find_first_not_of(' ');
    if (column == std::string_view::npos || line[column] == '#') {
      continue;
    }
    while (!open.empty() && open.back() >= column) {
      open.pop_back();
    }
    while (true) {
      open.push_back(column);
      if (open.size() > max_depth + 1) {
        return Position{static_cast<int>(number + 1), static_cast<int>(column + 1)};
      }
      bool opens = column + 1 < line.size() && line[column + 1] == ' ' &&
                   (line[column] == '-' || line[column] == '?' || line[column] == ':');
      size_t next = opens ? line.find_first_not_of(' ', column + 1) : std::string_view::npos;
      if (next == std::string_view::npos || line[next] == '#') {
        break;
      }
      column = next;
    }
  }
  return std::nullopt;
}

// Where the YAML document whose root yaml-cpp marks at `mark` begins: at its "---" line when
// one precedes it (the mark of an empty document is where the next token, or the end, is).
Position DocumentStart(std::string_view text, const YAML::Mark& mark) {
  std::vector<std::string_view> lines = Lines(text);
  for (int i = std::min(mark.line, static_cast<int>(lines.size()) - 1); i >= 0; --i) {
    std::string_view line = lines[static_cast<size_t>(i)];
    if (line.rfind("...", 0) == 0) {
      break;
    }
    if (line.rfind("---", 0) == 0 && (line.size() == 3 || line[3] == ' ' || line[3] == '\t')) {
      return {i + 1, 1};
    }
  }
  return PositionOf(mark);
}

class Converter {
 public:
  explicit Converter(Document& doc) : doc_(doc) {}

  Result<Json> ConvertDocument(const YAML::Node& root) {
    root_ = root;
    return Convert(root, "", 0);
  }

 private:
  Result<Json> Convert(const YAML::Node& node, const std::string& pointer, int depth) {
    if (depth > kMaxDepth) {
      return Fail(TooDeep(), node);
    }
    // YAML aliases share nodes: a 1 KB "billion laughs" expands to 10^9 values here.
    if (++converted_ > kMaxValues) {
      return Fail(TooManyValues(), node);
    }
    if (Status sized = SizeOnFirstAlias(node); !sized) {
      return sized.error();
    }
    doc_.positions.emplace(pointer, PositionOf(node));
    switch (node.Type()) {
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        return Json(nullptr);
      case YAML::NodeType::Scalar: {
        const std::string& tag = node.Tag();
        if (tag == "!" || tag == "tag:yaml.org,2002:str") {
          return Json(node.Scalar());
        }
        return ResolvePlainScalar(node.Scalar());
      }
      case YAML::NodeType::Sequence: {
        Json array = Json::array();
        size_t index = 0;
        for (const YAML::Node& item : node) {
          auto value = Convert(item, AppendPointer(pointer, index++), depth + 1);
          if (!value) {
            return value.error();
          }
          array.push_back(*std::move(value));
        }
        return array;
      }
      case YAML::NodeType::Map: {
        Json object = Json::object();
        std::vector<YAML::Node> chain = {node};
        if (Status added = AddEntries(object, node, pointer, depth, chain); !added) {
          return added.error();
        }
        return object;
      }
    }
    return Json(nullptr);
  }

  // The first time a collection comes round again (an alias, or a mapping merged by `<<`),
  // the whole document's expanded size is computed without expanding it: counting while
  // converting refused a "billion laughs" only after two million conversions (4 s).
  Status SizeOnFirstAlias(const YAML::Node& node) {
    if (sized_ || !(node.IsSequence() || node.IsMap()) || node.Mark().is_null() ||
        seen_.insert(node.Mark().pos).second) {
      return OkStatus();
    }
    sized_ = true;
    std::optional<Position> over;
    std::unordered_map<int, size_t> sizes;
    std::unordered_set<int> open;
    ExpandedSize(root_, 0, sizes, open, over);
    if (over) {
      return InvalidArgument(TooManyValues(), doc_.name + ":" + Pos(*over));
    }
    return OkStatus();
  }

  // The values `node` converts to, each collection sized once (by its position: an alias is
  // its anchor's node), saturating past kMaxValues. `over` is the first collection found
  // past it. A collection inside itself, or nesting past the limit, counts nothing here:
  // Convert reports those.
  size_t ExpandedSize(const YAML::Node& node, int depth, std::unordered_map<int, size_t>& sizes,
                      std::unordered_set<int>& open, std::optional<Position>& over) const {
    if (!(node.IsSequence() || node.IsMap()) || node.Mark().is_null()) {
      return 1;
    }
    const int at = node.Mark().pos;
    if (auto known = sizes.find(at); known != sizes.end()) {
      return known->second;
    }
    if (depth > kMaxDepth || over || !open.insert(at).second) {
      return 0;
    }
    size_t size = 1;
    for (const auto& item : node) {
      // A sequence's items are values; a mapping's keys are not (only scalars), its values are.
      const YAML::Node& value = node.IsMap() ? item.second : item;
      size = std::min(size + ExpandedSize(value, depth + 1, sizes, open, over), kMaxValues + 1);
    }
    open.erase(at);
    if (size > kMaxValues && !over) {
      over = PositionOf(node);
    }
    sizes.emplace(at, size);
    return size;
  }

  // The YAML 1.1 merge key (https://yaml.org/type/merge.html), which yaml-cpp 0.7 leaves to
  // its users: a plain `<<`; a quoted '<<' is an ordinary key.
  static bool IsMergeKey(const YAML::Node& key) {
    return (key.Tag() == "?" || key.Tag() == "tag:yaml.org,2002:merge") && key.Scalar() == "<<";
  }

  static std::string KindOf(const YAML::Node& node) {
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        return "a scalar";
      case YAML::NodeType::Sequence:
        return "a list";
      case YAML::NodeType::Map:
        return "a mapping";
      default:
        return "null";
    }
  }

  Error Fail(const std::string& message, const YAML::Node& at) const {
    return InvalidArgument(message, doc_.name + ":" + Pos(PositionOf(at)));
  }

  // Adds to `object` (the mapping at `pointer`, `depth`) the entries of the YAML mapping
  // `node` that it lacks: `node`'s own keys first, then those its `<<` merges in, earlier
  // mappings of a merge list first, so explicit keys win over merged ones. `chain` holds
  // `node` and the mappings whose merges led to it. Merged entries count against kMaxValues
  // and merge chains against the nesting limit, as aliases do.
  Status AddEntries(Json& object, const YAML::Node& node, const std::string& pointer, int depth,
                    std::vector<YAML::Node>& chain) {
    std::unordered_set<std::string> own;
    std::optional<std::pair<YAML::Node, YAML::Node>> merge;
    for (const auto& entry : node) {
      if (!entry.first.IsScalar()) {
        return Fail("mapping keys must be scalars", entry.first);
      }
      if (IsMergeKey(entry.first)) {
        if (merge) {
          return Fail("duplicate key '<<'", entry.first);
        }
        merge.emplace(entry.first, entry.second);
        continue;
      }
      const std::string& key = entry.first.Scalar();
      // Without a merge yet, `object` holds exactly the mapping's own keys.
      if (chain.size() > 1 ? !own.insert(key).second : object.contains(key)) {
        return Fail("duplicate key '" + key + "'", entry.first);
      }
      if (chain.size() > 1 && ++converted_ > kMaxValues) {
        return InvalidArgument(TooManyValues(), doc_.name + ":" + Pos(merge_at_));
      }
      if (object.contains(key)) {
        continue;  // a merged entry that the mapping (or an earlier merge) gives itself
      }
      std::string member = AppendPointer(pointer, key);
      doc_.key_positions.emplace(member, PositionOf(entry.first));
      auto value = Convert(entry.second, member, depth + 1);
      if (!value) {
        return value.error();
      }
      object[key] = *std::move(value);
    }
    if (!merge) {
      return OkStatus();
    }
    const auto& [key, value] = *merge;
    std::vector<YAML::Node> sources;
    if (value.IsMap()) {
      sources.push_back(value);
    } else if (value.IsSequence()) {
      size_t number = 0;
      for (const YAML::Node& item : value) {
        ++number;
        if (!item.IsMap()) {
          return Fail("merge key '<<' takes a mapping or a list of mappings: item " +
                          std::to_string(number) + " of its list is " + KindOf(item),
                      key);
        }
        sources.push_back(item);
      }
    } else {
      return Fail("merge key '<<' takes a mapping or a list of mappings, not " + KindOf(value),
                  key);
    }
    for (const YAML::Node& source : sources) {
      if (std::any_of(chain.begin(), chain.end(),
                      [&](const YAML::Node& n) { return n.is(source); })) {
        return Fail("merge key '<<' merges a mapping into itself", key);
      }
      if (depth + static_cast<int>(chain.size()) > kMaxDepth) {
        return Fail(TooDeep(), key);
      }
      Position outer = merge_at_;
      merge_at_ = PositionOf(key);
      if (++converted_ > kMaxValues) {
        return InvalidArgument(TooManyValues(), doc_.name + ":" + Pos(merge_at_));
      }
      if (Status sized = SizeOnFirstAlias(source); !sized) {
        return sized;
      }
      chain.push_back(source);
      Status added = AddEntries(object, source, pointer, depth, chain);
      chain.pop_back();
      merge_at_ = outer;
      if (!added) {
        return added;
      }
    }
    return OkStatus();
  }

  static std::string TooManyValues() {
    return "document expands to more than " + std::to_string(kMaxValues) +
           " values (YAML aliases repeating aliases?)";
  }

  Document& doc_;
  YAML::Node root_;
  size_t converted_ = 0;
  Position merge_at_;  // of the `<<` being expanded: where a merge bomb is reported
  std::unordered_set<int> seen_;  // positions of the collections converted so far
  bool sized_ = false;            // SizeOnFirstAlias ran
};

}  // namespace

std::string KindOf(const Json& value) {
  switch (value.type()) {
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "a list";
    case Json::value_t::string: {
      const std::string& text = value.get_ref<const std::string&>();
      Json shown = text.size() > 40 ? text.substr(0, 40) + "..." : text;
      return "a string " + shown.dump(-1, ' ', false, Json::error_handler_t::replace);
    }
    case Json::value_t::boolean:
    case Json::value_t::null:
      return value.dump();
    default:
      return "a number " + value.dump();
  }
}

std::string AppendPointer(std::string_view pointer, std::string_view token) {
  std::string out(pointer);
  out.push_back('/');
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string AppendPointer(std::string_view pointer, size_t index) {
  return std::string(pointer) + "/" + std::to_string(index);
}

std::string Document::WhereKey(std::string_view pointer) const {
  auto found = key_positions.find(std::string(pointer));
  if (found != key_positions.end() && found->second.line > 0) {
    return name + ":" + Pos(found->second);
  }
  return Where(pointer);
}

std::string Document::Where(std::string_view pointer) const {
  std::string current(pointer);
  while (true) {
    auto found = positions.find(current);
    if (found != positions.end() && found->second.line > 0) {
      return name + ":" + std::to_string(found->second.line) + ":" +
             std::to_string(found->second.column);
    }
    if (current.empty()) {
      return name;
    }
    size_t slash = current.rfind('/');
    current.resize(slash == std::string::npos ? 0 : slash);
  }
}

Result<Document> ParseDocument(std::string_view text, std::string name) {
  Document doc;
  doc.name = std::move(name);
  // YAML 1.2 reads a lone CR (old Mac line ends) as a line break; yaml-cpp does not, and saw
  // one long line ("illegal map value" at 1:20). As LF the file loads, lines numbered as an
  // editor shows them, and columns unchanged.
  std::string normalised(text);
  for (size_t i = 0; i < normalised.size(); ++i) {
    if (normalised[i] == '\r' && (i + 1 == normalised.size() || normalised[i + 1] != '\n')) {
      normalised[i] = '\n';
    }
  }
  // yaml-cpp recurses while parsing: refuse pathological nesting before handing it over.
  if (auto too_deep = FindDepthExceeded(normalised, kMaxDepth)) {
    size_t offset = *too_deep;
    auto end = normalised.begin() + static_cast<std::ptrdiff_t>(offset);
    size_t line = 1 + static_cast<size_t>(std::count(normalised.begin(), end, '\n'));
    size_t line_start = normalised.rfind('\n', offset);
    size_t column = offset - (line_start == std::string::npos ? 0 : line_start + 1) + 1;
    return InvalidArgument(TooDeep(),
                           doc.name + ":" + std::to_string(line) + ":" + std::to_string(column));
  }
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(normalised);
  } catch (const YAML::DeepRecursion& e) {
    // Block nesting: yaml-cpp gives up ~500 levels in; name the line that passed our limit.
    std::optional<Position> at = FindBlockDepthExceeded(normalised, kMaxDepth);
    return InvalidArgument(TooDeep(), doc.name + ":" + Pos(at ? *at : PositionOf(e.mark)));
  } catch (const YAML::Exception& e) {
    std::string where = doc.name;
    if (!e.mark.is_null()) {
      where += ":" + Pos(PositionOf(e.mark));
    }
    return InvalidArgument("malformed YAML: " + e.msg, where);
  } catch (const std::exception& e) {
    return InvalidArgument(std::string("unreadable document: ") + e.what(), doc.name);
  }
  // A second document would be ignored, and with it whatever the author put there.
  if (documents.size() > 1) {
    return InvalidArgument(
        "the file holds more than one YAML document (the second starts here); a spec is one",
        doc.name + ":" + Pos(DocumentStart(normalised, documents[1].Mark())));
  }
  YAML::Node node = documents.empty() ? YAML::Node() : documents[0];
  Converter converter(doc);
  try {
    auto root = converter.ConvertDocument(node);
    if (!root) {
      return root.error();
    }
    doc.root = *std::move(root);
  } catch (const std::exception& e) {
    return InvalidArgument(std::string("unreadable document: ") + e.what(), doc.name);
  }
  return doc;
}

}  // namespace conform::validator::internal
