// End-to-end behaviour of the `hqdrill` command as a user meets it.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "hqdrill/io/trace_io.hpp"

#include "cli_support.hpp"

namespace fs = std::filesystem;
using namespace hqdrill::test;

namespace {

const std::string kMinimal = kSrc + "/tests/data/scenario_minimal.json";

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace

TEST_CASE("validate accepts the minimal scenario with exit 0", "[cli]") {
  Scratch s("validate-ok");
  const Run r = cli("validate '" + kMinimal + "'", s);
  CHECK(r.code == 0);
  CHECK(r.out.find(": ok") != std::string::npos);
}

TEST_CASE("validate lists every error with file and JSON pointer and exits 2", "[cli]") {
  Scratch s("validate-bad");
  std::string text = slurp(kMinimal);
  // Two independent mistakes: an unknown node in an edge and a negative length.
  const auto p = text.find("\"to\": \"hq_guard_booth\"");
  REQUIRE(p != std::string::npos);
  text.replace(p, std::string("\"to\": \"hq_guard_booth\"").size(), "\"to\": \"hq_guard_bth\"");
  const auto q = text.find("\"length_m\": 25");
  REQUIRE(q != std::string::npos);
  text.replace(q, std::string("\"length_m\": 25").size(), "\"length_m\": -25");
  const std::string bad = s / "bad.json";
  write(bad, text);
  const Run r = cli("validate '" + bad + "'", s);
  CHECK(r.code == 2);
  CHECK(r.err.find(bad + ": /site/edges/0/to: unknown node \"hq_guard_bth\" (did you mean "
                         "\"hq_guard_booth\"?)") != std::string::npos);
  CHECK(r.err.find(bad + ": /site/edges/1/length_m:") != std::string::npos);
}

TEST_CASE("run on a broken scenario exits 2 and writes no results directory", "[cli]") {
  Scratch s("run-bad");
  const std::string bad = s / "bad.json";
  write(bad, "{\"schema\": \"hqdrill/1\", \"name\": ");  // truncated
  const Run r = cli("run '" + bad + "' --out '" + (s / "results") + "'", s);
  CHECK(r.code == 2);
  CHECK_FALSE(fs::exists(s / "results"));
  CHECK(r.err.find(bad + ":") != std::string::npos);
}

TEST_CASE("run writes summary, runs.csv and the median and worst traces", "[cli]") {
  Scratch s("run-ok");
  const std::string out = s / "results";
  const Run r = cli("run '" + kMinimal + "' --runs 20 --seed 5 --out '" + out + "'", s);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("Results: " + out) != std::string::npos);
  const std::string summary = slurp(out + "/summary.json");
  CHECK(summary.find("\"schema\": \"hqdrill.summary/1\"") != std::string::npos);
  CHECK(summary.find("\"ci95_mean\"") != std::string::npos);
  CHECK(slurp(out + "/findings.json").find("\"schema\": \"hqdrill.findings/1\"") !=
        std::string::npos);
  const std::string csv = slurp(out + "/runs.csv");
  CHECK(csv.rfind("incident,run,kpi,value\n", 0) == 0);
  int traces = 0;
  for (const auto& e : fs::recursive_directory_iterator(out + "/traces")) {
    if (!e.is_regular_file()) continue;
    ++traces;
    const auto t = hqdrill::io::read_trace(slurp(e.path().string()));
    CHECK(t.ok);
    CHECK(t.complete);
    CHECK_FALSE(t.diagnostics.has_errors());
  }
  CHECK(traces >= 1);
  // No temporary directory is left beside the results.
  for (const auto& e : fs::directory_iterator(s.dir))
    CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
}

TEST_CASE("summary.json is byte-identical with 1 and 2 threads", "[cli][determinism]") {
  Scratch s("threads");
  const std::string a = s / "one", b = s / "two";
  REQUIRE(cli("run '" + kMinimal + "' --runs 60 --threads 1 -q --out '" + a + "'", s).code == 0);
  REQUIRE(cli("run '" + kMinimal + "' --runs 60 --threads 2 -q --out '" + b + "'", s).code == 0);
  CHECK(slurp(a + "/summary.json") == slurp(b + "/summary.json"));
  CHECK(slurp(a + "/runs.csv") == slurp(b + "/runs.csv"));
  CHECK(slurp(a + "/findings.json") == slurp(b + "/findings.json"));
}

TEST_CASE("run refuses to overwrite a directory that is not a results directory", "[cli]") {
  Scratch s("refuse");
  const std::string out = s / "mine";
  fs::create_directories(out);
  write(out + "/precious.txt", "keep me");
  const Run r = cli("run '" + kMinimal + "' --runs 2 --out '" + out + "'", s);
  CHECK(r.code == 1);
  CHECK(r.err.find("refusing to overwrite") != std::string::npos);
  CHECK(slurp(out + "/precious.txt") == "keep me");
}

TEST_CASE("usage errors exit 2 and --help exits 0", "[cli]") {
  Scratch s("usage");
  CHECK(cli("run '" + kMinimal + "' --runs 0", s).code == 2);
  CHECK(cli("run '" + kMinimal + "' --bogus", s).code == 2);
  CHECK(cli("", s).code == 2);
  CHECK(cli("--help", s).code == 0);
  CHECK(cli("run --help", s).code == 0);
  CHECK(cli("validate " + (s / "no-such-file.json"), s).code == 2);
}

TEST_CASE("a truncated or garbled trace is reported, never crashes the reader", "[cli][trace]") {
  Scratch s("trace");
  const std::string out = s / "results";
  REQUIRE(cli("run '" + kMinimal + "' --runs 3 -q --out '" + out + "'", s).code == 0);
  std::string trace;
  for (const auto& e : fs::recursive_directory_iterator(out + "/traces"))
    if (e.is_regular_file()) trace = slurp(e.path().string());
  REQUIRE(trace.size() > 100);
  for (std::size_t cut :
       {std::size_t{0}, std::size_t{1}, trace.size() / 3, trace.size() / 2, trace.size() - 2}) {
    const auto t = hqdrill::io::read_trace(trace.substr(0, cut));
    CHECK_FALSE(t.complete);
    CHECK(!t.diagnostics.items.empty());
  }
  CHECK_FALSE(hqdrill::io::read_trace("{\"schema\": \"hqdrill.trace/9\"}\n").ok);
  CHECK_FALSE(hqdrill::io::read_trace(std::string("\x00\xff[[[{", 6)).ok);
}
