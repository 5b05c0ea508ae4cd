// Every file in spec/examples/ gets its documented verdict: files under valid/ have no
// finding, files under invalid/ are named "<check id>__<what>.<ext>" and get that check.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/result_matchers.h"
#include "traffic/inputs.h"
#include "validator/exchange_validator.h"
#include "validator/spec_loader.h"

namespace conform::validator {
namespace examples_test {
namespace {

namespace fs = std::filesystem;

struct ExampleCase {
  std::string contract_dir;  // "dpo_jobs" (built-in contract) or a dir with openapi.yaml
  std::string path;
  bool valid;
  std::string expected_check;
};

std::string ExamplesDir() { return std::string(CONFORM_SOURCE_DIR) + "/spec/examples"; }

std::vector<ExampleCase> ListCases() {
  std::vector<ExampleCase> cases;
  for (const char* dir : {"dpo_jobs", "openapi30", "openapi31"}) {
    for (const char* verdict : {"valid", "invalid"}) {
      fs::path folder = fs::path(ExamplesDir()) / dir / verdict;
      std::vector<fs::path> files;
      for (const auto& entry : fs::directory_iterator(folder)) {
        files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());
      for (const fs::path& file : files) {
        std::string stem = file.stem().string();
        std::string check = verdict == std::string("invalid") ? stem.substr(0, stem.find("__")) : "";
        cases.push_back({dir, file.string(), verdict == std::string("valid"), check});
      }
    }
  }
  return cases;
}

Result<Contract> ContractFor(const std::string& dir) {
  if (dir == "dpo_jobs") {
    return EmbeddedContract();
  }
  return LoadContractFile(ExamplesDir() + "/" + dir + "/openapi.yaml");
}

void PrintTo(const ExampleCase& c, std::ostream* os) { *os << c.path; }

class Example : public ::testing::TestWithParam<ExampleCase> {};

TEST_P(Example, GetsItsDocumentedVerdict) {
  const ExampleCase& c = GetParam();
  auto contract = ContractFor(c.contract_dir);
  ASSERT_THAT(contract, IsOk());
  auto validator = ExchangeValidator::Create(*contract, {.strict = true});
  ASSERT_THAT(validator, IsOk());
  auto exchanges = traffic::ReadInput(c.path, traffic::InputFormat::kAuto, {});
  ASSERT_THAT(exchanges, IsOk());
  ASSERT_FALSE(exchanges->empty());
  std::vector<std::string> ids;
  for (const traffic::Exchange& exchange : *exchanges) {
    ExchangeVerdict verdict = (*validator)->Check(exchange);
    EXPECT_EQ(verdict.skipped, "") << exchange.source;
    for (const Finding& finding : verdict.findings) {
      ids.push_back(finding.check_id);
      if (c.valid) {
        ADD_FAILURE() << exchange.source << ": " << finding.check_id << " at " << finding.json_pointer << ": "
                      << finding.message;
      }
    }
  }
  if (!c.valid) {
    EXPECT_THAT(ids, ::testing::Contains(c.expected_check)) << c.path;
  }
}

std::string CaseName(const ::testing::TestParamInfo<ExampleCase>& info) {
  std::string name = info.param.contract_dir + "_" + fs::path(info.param.path).filename().string();
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) {
      ch = '_';
    }
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(SpecExamples, Example, ::testing::ValuesIn(ListCases()), CaseName);

// Every check a one-exchange validation can report has at least one example.
TEST(Examples, CoverEverySchemaCheck) {
  std::set<std::string> covered;
  for (const ExampleCase& c : ListCases()) {
    covered.insert(c.expected_check);
  }
  for (const char* id : {"response.schema.type", "response.schema.enum", "response.schema.required",
                         "response.schema.format", "response.schema.additional_property",
                         "response.schema.write_only", "response.schema.constraint",
                         "response.schema.undeclared_property", "response.read_mask.outside",
                         "response.status.declared", "response.content_type", "response.body.json",
                         "response.error.shape", "response.error.code_mapping",
                         "request.parameter.invalid_accepted"}) {
    EXPECT_TRUE(covered.count(id) > 0) << id;
  }
}

}  // namespace
}  // namespace examples_test
}  // namespace conform::validator
