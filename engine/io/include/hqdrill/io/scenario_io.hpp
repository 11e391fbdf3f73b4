// Scenario parsing and validation: JSON ("hqdrill/1", docs/scenario-format.md) into the
// engine's typed Scenario. Validation happens here, at the boundary (STYLE.md habit 10):
// every error of a file is collected with its JSON pointer; nothing throws for bad input.
#pragma once

#include <optional>
#include <string>

#include "hqdrill/io/diagnostics.hpp"
#include "hqdrill/scenario.hpp"

namespace hqdrill::io {

struct LoadResult {
  std::optional<Scenario> scenario;  ///< set only when there are no errors
  Diagnostics diagnostics;           ///< errors and warnings, in document order
};

/// Parses and validates scenario text. `text` may be anything (empty, truncated,
/// garbled, hostile): the result then carries errors, never a crash or an exception.
LoadResult parse_scenario(const std::string& text);

/// Reads `path` and parses it; an unreadable file is an error at pointer "".
LoadResult load_scenario(const std::string& path);

}  // namespace hqdrill::io
