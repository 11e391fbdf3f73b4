#include "hqdrill/io/diagnostics.hpp"

#include <algorithm>
#include <cstdlib>

namespace hqdrill::io {

std::string format(const std::string& file, const Diagnostic& d) {
  std::string out;
  if (!file.empty()) out += file + ": ";
  if (!d.pointer.empty()) out += d.pointer + ": ";
  if (d.severity == Severity::warning) out += "warning: ";
  out += d.message;
  return out;
}

// Wagner–Fischer with two rows; bytes, not code points (ids are ASCII).
std::size_t levenshtein(const std::string& a, const std::string& b) {
  const std::string& s = a.size() < b.size() ? b : a;  // the longer one
  const std::string& t = a.size() < b.size() ? a : b;  // the shorter one, one row of it
  std::vector<std::size_t> prev(t.size() + 1), cur(t.size() + 1);
  for (std::size_t j = 0; j <= t.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= s.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= t.size(); ++j) {
      const std::size_t subst = prev[j - 1] + (s[i - 1] == t[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[t.size()];
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  // Long words are not typos of an id, and would make the quadratic distance costly.
  constexpr std::size_t kMaxWord = 256;
  if (word.size() > kMaxWord) return "";
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  std::string best;
  std::size_t best_d = limit + 1;
  for (const auto& c : candidates) {
    const std::size_t diff =
        c.size() > word.size() ? c.size() - word.size() : word.size() - c.size();
    if (diff >= best_d || c.size() > kMaxWord) continue;  // the distance is at least `diff`
    const std::size_t dist = levenshtein(word, c);
    if (dist < best_d) {
      best_d = dist;
      best = c;
    }
  }
  return best;
}

}  // namespace hqdrill::io
