// Plan options files ("hqdrill.options/1", docs/options-format.md) read against the
// scenario they change: every id is resolved in that scenario, every error named with
// its JSON pointer (with "did you mean" for mistyped ids), all of a file's errors at once;
// nothing throws for bad input.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hqdrill/io/diagnostics.hpp"
#include "hqdrill/plan/options.hpp"
#include "hqdrill/scenario.hpp"

namespace hqdrill::io {

struct OptionsLoadResult {
  std::optional<std::vector<plan::PlanOption>> options;  ///< set only when there are no errors
  Diagnostics diagnostics;
};

/// At most this many options in a file (the search keeps a combination in 64 bits).
inline constexpr std::size_t kMaxOptions = 64;

/// Parses and validates options text against `s`.
OptionsLoadResult parse_options(const std::string& text, const Scenario& s);

/// Reads `path` and parses it; an unreadable file is an error at pointer "".
OptionsLoadResult load_options(const std::string& path, const Scenario& s);

}  // namespace hqdrill::io
