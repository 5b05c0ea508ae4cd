// Runs the conform command line in-process, as a user would from a shell, and keeps what it
// printed.
//   RunResult run = Conform({"check", "--format", "json"}, WithKey("acme-key"));
//   EXPECT_EQ(run.code, 0) << run.err;
#pragma once

#include <optional>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "cli/app.h"

namespace conform::testing {

struct RunResult {
  int code = -1;
  std::string out;
  std::string err;
};

inline RunResult Conform(std::vector<std::string> args, const cli::Environment& env = {}) {
  args.insert(args.begin(), "conform");
  std::ostringstream out;
  std::ostringstream err;
  RunResult run;
  run.code = cli::RunConform(args, out, err, env);
  run.out = out.str();
  run.err = err.str();
  return run;
}

// Runs the command line with a standard output whose every write fails, as on /dev/full;
// `out` of the result stays empty.
inline RunResult ConformWithFullStdout(std::vector<std::string> args,
                                       const cli::Environment& env = {}) {
  // A streambuf that accepts nothing: the stream sets badbit on the first write.
  class FullDisk : public std::streambuf {
   protected:
    int_type overflow(int_type) override { return traits_type::eof(); }
    std::streamsize xsputn(const char*, std::streamsize) override { return 0; }
  };
  args.insert(args.begin(), "conform");
  FullDisk full;
  std::ostream out(&full);
  std::ostringstream err;
  RunResult run;
  run.code = cli::RunConform(args, out, err, env);
  run.err = err.str();
  return run;
}

// An environment where FIREWORKS_API_KEY (the default --api-key-env) holds `key`.
inline cli::Environment WithKey(const std::string& key) {
  cli::Environment env;
  env.getenv = [key](const std::string& name) -> std::optional<std::string> {
    if (name == "FIREWORKS_API_KEY") {
      return key;
    }
    return std::nullopt;
  };
  return env;
}

}  // namespace conform::testing
