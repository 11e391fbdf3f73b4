// Running the `hqdrill` command from tests: a scratch directory per test, the exit code
// and what it printed (test_cli.cpp, test_cli_sensitivity.cpp).
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace hqdrill::test {

inline const std::string kSrc = HQDRILL_SOURCE_DIR;
inline const std::string kCli = HQDRILL_CLI;

struct Run {
  int code;
  std::string out, err;
};

/// A fresh scratch directory per test, removed afterwards.
struct Scratch {
  std::filesystem::path dir;
  explicit Scratch(const std::string& name) {
    dir = std::filesystem::temp_directory_path() /
          ("hqdrill-test-" + name + "-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  ~Scratch() { std::filesystem::remove_all(dir); }
  std::string operator/(const std::string& rel) const { return (dir / rel).string(); }
};

inline std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

/// Runs `hqdrill ARGS` with its output in the scratch directory.
inline Run cli(const std::string& args, const Scratch& scratch) {
  const std::string out = scratch / "stdout.txt", err = scratch / "stderr.txt";
  const std::string cmd = "'" + kCli + "' " + args + " >'" + out + "' 2>'" + err + "'";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

}  // namespace hqdrill::test
