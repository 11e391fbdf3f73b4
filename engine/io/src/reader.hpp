// Internal to hqdrill_io: checked reading of JSON values. Every reader reports what is
// wrong at the value's JSON pointer and returns nullopt, so a caller simply skips a bad
// value and goes on collecting the file's other errors.
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hqdrill/core/distribution.hpp"
#include "hqdrill/io/diagnostics.hpp"
#include "hqdrill/scenario.hpp"

namespace hqdrill::io::detail {

using Json = nlohmann::ordered_json;  // keeps keys in document order

inline constexpr double kInf = std::numeric_limits<double>::infinity();

/// RFC 6901: "~" becomes "~0" and "/" becomes "~1".
std::string escape_pointer_token(std::string_view key);
std::string child(const std::string& ptr, std::string_view key);
std::string child(const std::string& ptr, std::size_t index);

/// A JSON string literal of `s`, shortened when long and never invalid UTF-8.
std::string quote(std::string_view s);
/// Replaces bytes that are not valid UTF-8 by "\xNN" and cuts at `max_bytes`.
std::string sanitize_utf8(std::string_view s, std::size_t max_bytes);
/// "null", "boolean", "number", "string", "array" or "object".
std::string type_name(const Json& j);
/// The value as written (numbers as the file gave them), shortened.
std::string show(const Json& j);
/// A number without a spurious ".0": 0, 0.5, 2592000, 1e+300.
std::string show_number(double v);
/// "a, b or c".
std::string join_or(const std::vector<std::string>& words);

/// Bounds of a number: [lo, hi] with either end optionally open.
struct Range {
  double lo = -kInf;
  bool lo_open = false;
  double hi = kInf;
  bool hi_open = false;
};
inline constexpr Range kAny{};
inline constexpr Range kNonNegative{0.0, false, kInf, false};
inline constexpr Range kPositive{0.0, true, kInf, false};

class Reader {
 public:
  explicit Reader(Diagnostics& d) : diag_(d) {}

  void error(const std::string& ptr, std::string message) { diag_.error(ptr, std::move(message)); }
  void warning(const std::string& ptr, std::string message) {
    diag_.warning(ptr, std::move(message));
  }
  bool has_errors() const { return diag_.has_errors(); }
  std::size_t error_count() const { return diag_.count(Severity::error); }

  std::optional<std::string> string(const Json& j, const std::string& ptr);
  std::optional<double> number(const Json& j, const std::string& ptr, Range r = kAny);
  std::optional<std::int64_t> integer(const Json& j, const std::string& ptr,
                                      std::int64_t lo = std::numeric_limits<std::int32_t>::min(),
                                      std::int64_t hi = std::numeric_limits<std::int32_t>::max());
  std::optional<std::uint64_t> unsigned64(const Json& j, const std::string& ptr);
  std::optional<bool> boolean(const Json& j, const std::string& ptr);
  /// Index of the string in `names`; otherwise `unknown <what> "x" (did you mean ...)`.
  std::optional<int> one_of(const Json& j, const std::string& ptr, std::string_view what,
                            const std::vector<std::string>& names);
  bool is_object(const Json& j, const std::string& ptr);
  bool is_array(const Json& j, const std::string& ptr);
  /// An array of strings (each checked); nullopt if it is not an array.
  std::optional<std::vector<std::string>> strings(const Json& j, const std::string& ptr);

  /// Reports "must be ... (got v)" when `v` is outside `r`; `j` shows the value as written.
  bool in_range(double v, const Json& j, const std::string& ptr, Range r);

 private:
  Diagnostics& diag_;
};

/// An object with a fixed set of keys. Construction reports a non-object, unknown keys
/// (with a suggestion), missing required keys and non-string free-text keys.
class Obj {
 public:
  Obj(Reader& r, const Json& j, std::string ptr, const std::vector<std::string>& allowed,
      const std::vector<std::string>& required);

  bool ok() const { return ok_; }
  const std::string& ptr() const { return ptr_; }
  std::string ptr(std::string_view key) const { return child(ptr_, key); }
  const Json* find(std::string_view key) const;
  bool has(std::string_view key) const { return find(key) != nullptr; }

  // Each returns nullopt silently when the key is absent, and reports a bad value.
  std::optional<std::string> str(std::string_view key);
  std::optional<double> number(std::string_view key, Range r = kAny);
  std::optional<std::int64_t> integer(std::string_view key,
                                      std::int64_t lo = std::numeric_limits<std::int32_t>::min(),
                                      std::int64_t hi = std::numeric_limits<std::int32_t>::max());
  std::optional<bool> boolean(std::string_view key);
  std::optional<int> one_of(std::string_view key, std::string_view what,
                            const std::vector<std::string>& names);

 private:
  Reader& r_;
  const Json* j_ = nullptr;
  std::string ptr_;
  bool ok_ = false;
};

// ---------------------------------------------------------------- ids

/// Ids of one list: the first index of each id, and all ids in order for suggestions.
struct IdTable {
  std::unordered_map<std::string, Index> index;
  std::vector<std::string> ids;
  std::vector<std::string> pointers;  ///< pointer of the "id" of each element, by index
  /// Ids given but refused (bad pattern): references to them are not reported again.
  std::set<std::string> refused;
  /// False when the list itself is missing or not an array: references are not checked.
  bool available = false;
  Index find(const std::string& id) const {
    auto it = index.find(id);
    return it == index.end() ? kNone : it->second;
  }
};

bool valid_id(std::string_view s);

/// Checks the `id` of each object in `arr` (string, pattern, unique). Missing ids and
/// non-objects are left to the element's own reader.
IdTable collect_ids(Reader& r, const Json* arr, const std::string& arr_ptr);

/// Looks up a reference; reports `unknown <what> "x" (did you mean "y"?)`.
Index resolve(Reader& r, const IdTable& t, const Json& j, const std::string& ptr,
              std::string_view what);

// ---------------------------------------------------------------- values

enum class Quantity { delay, speed };

/// A distribution: a plain number or a `{"dist": ...}` object (docs/scenario-format.md).
std::optional<Distribution> read_distribution(Reader& r, const Json& j, const std::string& ptr,
                                              Quantity q);

/// "HH:MM" to minutes of day; "24:00" (1440) only when `end` is true.
std::optional<int> read_clock_time(Reader& r, const Json& j, const std::string& ptr, bool end);

struct CivilDate {
  int y = 0;
  unsigned m = 0, d = 0;
};
/// A real calendar date "YYYY-MM-DD".
std::optional<CivilDate> read_date(Reader& r, const Json& j, const std::string& ptr);

/// Days since 1970-01-01 (proleptic Gregorian). Howard Hinnant, "chrono-Compatible
/// Low-Level Date Algorithms", days_from_civil
/// (http://howardhinnant.github.io/date_algorithms.html).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);
/// 0 = Monday .. 6 = Sunday, for days since 1970-01-01 (a Thursday).
int weekday_from_days(std::int64_t days);

// ---------------------------------------------------------------- scenario

/// Where typed elements came from, for the checks that run on the typed scenario.
struct Meta {
  std::vector<int> link_origin;  ///< per typed link: its index in /comms/links
  /// [protocol][rule] pointer of the rule's "role" value ("" when absent).
  std::vector<std::vector<std::string>> rule_ptr;
  /// [protocol][rule][action] pointer of the action, parallel to Rule::actions.
  std::vector<std::vector<std::vector<std::string>>> action_ptr;
  /// [protocol][task] pointer of the task.
  std::vector<std::vector<std::string>> task_ptr;
};

struct Parsed {
  Scenario s;
  IdTable nodes, edges, units, roles, protocols, incidents;
  Meta meta;
};

/// Reads the structure of the document (types, keys, ranges, references).
void read_scenario(Reader& r, const Json& root, Parsed& p);

/// Checks across the typed scenario: comms links for notifies, protocol types, then
/// (only when everything else is valid) reachability and the 24/24 rosters.
void check_scenario(Reader& r, Parsed& p);

/// The offset of the first bracket (outside strings) that opens nesting level
/// max_depth + 1, or npos: checked before parsing, as building and destroying the tree of
/// a deeply nested document recurses.
std::size_t too_deep(const std::string& text, int max_depth);

}  // namespace hqdrill::io::detail
