// Validating a JSON instance against a normalised schema. The structural keywords (type,
// enum, required, allOf, oneOf...) go to a pluggable engine (valijson today; a faster engine
// can implement StructuralEngine later); formats, writeOnly and undeclared-property drift are
// checked by our own compiled walk, because Debian's valijson 1.0 compiles a std::regex per
// date-time value (~0.5 ms each) and knows nothing of int32 or writeOnly.
//   auto schema = SchemaValidator::Compile(response_schema, contract.definitions,
//                                          {.dialect = Dialect::kOpenApi30});
//   std::vector<SchemaViolation> found = (*schema)->Validate(body, {.strict = true});
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "validator/schema_util.h"

namespace conform::validator {

// One root cause: cascades ("failed to validate property 'dpoJobs'...") are collapsed.
struct SchemaViolation {
  std::string check_id;  // "response.schema.enum", ... (see finding.h)
  std::string pointer;   // JSON pointer of the offending value (or of a missing property)
  std::string message;   // one line
  std::string expected;
  std::string actual;
  // The schema keyword that failed ("type", "minLength", "pattern", "format"...) at the schema
  // of `pointer`; empty when no one keyword names the cause (a failed anyOf, writeOnly drift).
  std::string keyword = {};
};

struct ValidateOptions {
  // Report properties the schema does not declare (drift), where it allows them silently.
  bool strict = false;
};

// The structural half, behind an interface so another engine can replace valijson.
class StructuralEngine {
 public:
  virtual ~StructuralEngine() = default;
  // True when `instance` is valid; otherwise appends root-cause violations.
  virtual bool Validate(const nlohmann::json& instance, std::vector<SchemaViolation>& out) const = 0;
};

// valijson 1.0 (draft 7) over nlohmann::json. `schema` must not contain `format` where our
// walk checks it (see SchemaValidator::Compile). Fails with kInvalidArgument when valijson
// cannot parse the schema.
Result<std::unique_ptr<StructuralEngine>> MakeValijsonEngine(const nlohmann::json& schema);

struct CompileOptions {
  // The dialect the schema was written in. It decides what an integer is: in OpenAPI 3.1
  // (JSON Schema 2020-12, as in draft 6+) a number with a zero fractional part (1.0, 1e2) is
  // one; in OpenAPI 3.0 (draft 4's `type: integer`) it is a number, not an integer.
  Dialect dialect = Dialect::kOpenApi31;
};

class SchemaValidator {
 public:
  // Compiles a canonical schema (validator::CanonicalSchema). `definitions` holds the targets
  // of recursive "#/definitions/..." references (Contract::definitions).
  static Result<std::shared_ptr<const SchemaValidator>> Compile(const nlohmann::json& schema,
                                                                const nlohmann::json& definitions,
                                                                const CompileOptions& options = {});

  // Every violation of `instance`, in document order. Thread-safe. In OpenAPI 3.1 a number with
  // a zero fractional part (1.0, 1e2) that fits int64/uint64 counts as an integer: the body is
  // copied with such numbers as integers, only when it holds one. In 3.0 it stays a number.
  std::vector<SchemaViolation> Validate(const nlohmann::json& instance,
                                        const ValidateOptions& options = {}) const;

  // Strings longer than this never reach std::regex, which recurses once per character (a
  // 100 KB string overflows the stack): patterns with lookaround or backreferences, and what
  // valijson matches itself (patterns and formats inside anyOf/oneOf/not, patternProperties).
  // They get a may-level response.schema.pattern_unchecked finding instead. Other patterns go
  // to the linear-time engine, which takes any length.
  static constexpr size_t kMaxRegexSubject = 8192;

  ~SchemaValidator();
  SchemaValidator(const SchemaValidator&) = delete;
  SchemaValidator& operator=(const SchemaValidator&) = delete;

  // A pattern valijson must not match (see backtracking_pattern_ below), and why.
  struct EnginePattern {
    std::string pattern;
    std::string why;  // "may take exponential time ...", "cannot be compiled ..."
  };

 private:
  SchemaValidator();
  struct Plan;
  nlohmann::json schema_;  // canonical, with definitions: for expected-value messages
  Dialect dialect_ = Dialect::kOpenApi31;
  std::unique_ptr<StructuralEngine> engine_;
  // engine_ without the patterns and formats inside anyOf/oneOf/not, for documents holding a
  // string over kMaxRegexSubject; null when the schema has none there.
  std::unique_ptr<StructuralEngine> engine_without_alternative_regexes_;
  // A pattern inside anyOf/oneOf/not (or a patternProperties key) that std::regex may take
  // exponential time on, or cannot compile (the why): then engine_ has none of them, and
  // every response says so.
  std::optional<EnginePattern> backtracking_pattern_;
  // "keyword at /schema/pointer" for each keyword valijson cannot check (unevaluatedProperties,
  // maxContains...): every response gets a may-level response.schema.keyword_unchecked.
  std::vector<std::string> unchecked_keywords_;
  std::unique_ptr<Plan> plan_;
};

// Why `pattern` is not a regular expression, or nullopt: neither the linear engine nor
// std::regex (ECMAScript) compiles it and it uses no ECMA-262 syntax they lack (Unicode
// property escapes \p{...}, valid with the `u` flag JSON Schema patterns assume). A pattern
// that is one but that conform cannot compile is not an error: values are reported as not
// checked against it (response.schema.pattern_unchecked). std::regex is instantiated in
// schema_validator.cc only (see validator/CMakeLists.txt).
std::optional<std::string> PatternError(const std::string& pattern);

// Format checks, exposed for tests and other modules. `format` is the OpenAPI format name.
// Unknown formats are annotations and always pass.
bool StringMatchesFormat(std::string_view format, std::string_view value);
bool NumberMatchesFormat(std::string_view format, const nlohmann::json& value);

}  // namespace conform::validator
