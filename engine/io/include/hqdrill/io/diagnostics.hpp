// Problems found in a user's file: each names the file and the JSON pointer
// (RFC 6901) of the offending value, so `site.json: /site/edges/3/to: unknown node`.
#pragma once

#include <string>
#include <vector>

namespace hqdrill::io {

enum class Severity { error, warning };

struct Diagnostic {
  Severity severity = Severity::error;
  std::string pointer;  ///< JSON pointer, "" for the whole document
  std::string message;  ///< one sentence, no trailing period
};

struct Diagnostics {
  std::vector<Diagnostic> items;

  void error(std::string pointer, std::string message) {
    items.push_back({Severity::error, std::move(pointer), std::move(message)});
  }
  void warning(std::string pointer, std::string message) {
    items.push_back({Severity::warning, std::move(pointer), std::move(message)});
  }
  bool has_errors() const {
    for (const auto& d : items)
      if (d.severity == Severity::error) return true;
    return false;
  }
  std::size_t count(Severity s) const {
    std::size_t n = 0;
    for (const auto& d : items) n += d.severity == s;
    return n;
  }
};

/// "FILE: /pointer: message" (errors) or "FILE: /pointer: warning: message".
std::string format(const std::string& file, const Diagnostic& d);

/// Edit distance, for "did you mean" suggestions.
std::size_t levenshtein(const std::string& a, const std::string& b);

/// The closest of `candidates` to `word` when close enough to be a likely typo
/// (distance at most max(2, |word|/3)), else "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

/// The offset of the first bracket (outside strings) opening nesting level max_depth + 1,
/// or npos: check a user's JSON with it before parsing, as building and destroying a
/// deeply nested tree recurses.
std::size_t json_too_deep(const std::string& text, int max_depth);

}  // namespace hqdrill::io
