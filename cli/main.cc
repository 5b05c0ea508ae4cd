// The conform binary: everything lives in cli/app.cc so tests can run it in-process.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "cli/app.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  conform::cli::Environment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    return value == nullptr ? std::nullopt : std::optional<std::string>(value);
  };
  env.stdout_is_tty = isatty(STDOUT_FILENO) != 0;
  env.stderr_is_tty = isatty(STDERR_FILENO) != 0;
  return conform::cli::RunConform(args, std::cout, std::cerr, env);
}
