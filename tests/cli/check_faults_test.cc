// The self-test of conform check (issue: "against every fault mode of the reference server,
// fails naming the check for that fault's rule"): one case per fault of server/faults.h.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sstream>
#include <string>

#include "cli/app.h"
#include "server/faults.h"

namespace conform::server {
// Names the fault in test listings instead of gtest's byte dump.
inline void PrintTo(const FaultInfo& info, std::ostream* out) { *out << info.name; }
}  // namespace conform::server

namespace conform::cli {
namespace {

using Json = nlohmann::json;

class CheckCatchesFault : public ::testing::TestWithParam<server::FaultInfo> {};

TEST_P(CheckCatchesFault, FailsNamingTheCheckForItsRule) {
  const server::FaultInfo& fault = GetParam();
  std::ostringstream out;
  std::ostringstream err;
  int code = RunConform({"conform", "check", "--embedded-fault", std::string(fault.name), "--format", "json"}, out, err,
                        Environment{});
  Json report = Json::parse(out.str(), nullptr, false);
  ASSERT_TRUE(report.is_object()) << err.str();
  std::string status = "absent";
  for (const Json& c : report["cases"]) {
    if (c["name"] == fault.check) {
      status = c["status"];
    }
  }
  bool should_level = fault.check == "secrets.credential_in_clear" || fault.check == "page_walk.last_page_token";
  EXPECT_EQ(code, should_level ? 0 : 1) << err.str();
  if (should_level) {
    // should-level findings warn; they fail the run only with --strict.
    bool warned = false;
    for (const Json& c : report["cases"]) {
      warned = warned || (c["name"] == fault.check && !c["findings"].empty());
    }
    EXPECT_TRUE(warned) << fault.name;
  } else {
    EXPECT_EQ(status, "failed") << fault.name << " should fail " << fault.check;
  }
}

INSTANTIATE_TEST_SUITE_P(ReferenceServer, CheckCatchesFault, ::testing::ValuesIn(server::AllFaults()),
                         [](const ::testing::TestParamInfo<server::FaultInfo>& param_info) {
                           std::string name;
                           bool upper = true;
                           for (char c : param_info.param.name) {
                             if (c == '-') {
                               upper = true;
                               continue;
                             }
                             name.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
                             upper = false;
                           }
                           return name;
                         });

}  // namespace
}  // namespace conform::cli
