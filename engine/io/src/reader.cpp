#include "reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace hqdrill::io::detail {

namespace {

const std::vector<std::string> kFreeTextKeys{"assumption", "source", "note", "$comment"};

bool is_free_text_key(std::string_view k) {
  return std::find(kFreeTextKeys.begin(), kFreeTextKeys.end(), k) != kFreeTextKeys.end();
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 (RFC 3629: no overlongs,
// no surrogates, nothing above U+10FFFF).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  return n;
}

}  // namespace

std::string escape_pointer_token(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string child(const std::string& ptr, std::string_view key) {
  return ptr + "/" + escape_pointer_token(key);
}

std::string child(const std::string& ptr, std::size_t index) {
  return ptr + "/" + std::to_string(index);
}

std::string sanitize_utf8(std::string_view s, std::size_t max_bytes) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X",
                    static_cast<unsigned>(static_cast<unsigned char>(s[i])));
      if (out.size() + 4 > max_bytes) break;
      out += buf;
      ++i;
      continue;
    }
    if (out.size() + n > max_bytes) break;
    out.append(s, i, n);
    i += n;
  }
  if (i < s.size()) out += "…";
  return out;
}

std::string quote(std::string_view s) {
  constexpr std::size_t kMax = 80;
  std::string shortened = sanitize_utf8(s, kMax);
  return Json(shortened).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string type_name(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "number";
    case Json::value_t::string:
      return "string";
    case Json::value_t::array:
      return "array";
    case Json::value_t::object:
      return "object";
    default:
      return "value";
  }
}

std::string show(const Json& j) {
  if (j.is_string()) return quote(j.get_ref<const std::string&>());
  if (j.is_number() || j.is_boolean() || j.is_null()) return j.dump();
  return type_name(j);
}

std::string show_number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "infinity" : "-infinity";
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
    return buf;
  }
  char buf[40];
  for (int prec = 1; prec <= 17; ++prec) {  // the shortest form that reads back exactly
    std::snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

std::string join_or(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

// ---------------------------------------------------------------- Reader

std::optional<std::string> Reader::string(const Json& j, const std::string& ptr) {
  if (!j.is_string()) {
    error(ptr, "expected a string, got " + type_name(j));
    return std::nullopt;
  }
  return j.get<std::string>();
}

bool Reader::in_range(double v, const Json& j, const std::string& ptr, Range r) {
  std::string what;
  if (r.lo_open ? !(v > r.lo) : !(v >= r.lo))
    what = (r.lo_open ? "must be greater than " : "must be at least ") + show_number(r.lo);
  else if (r.hi_open ? !(v < r.hi) : !(v <= r.hi))
    what = (r.hi_open ? "must be less than " : "must be at most ") + show_number(r.hi);
  if (what.empty()) return true;
  error(ptr, what + " (got " + show(j) + ")");
  return false;
}

std::optional<double> Reader::number(const Json& j, const std::string& ptr, Range r) {
  if (!j.is_number()) {
    error(ptr, "expected a number, got " + type_name(j));
    return std::nullopt;
  }
  const double v = j.get<double>();
  if (!std::isfinite(v)) {  // the parser rejects these; a Json built in code may not
    error(ptr, "expected a finite number, got " + show(j));
    return std::nullopt;
  }
  if (!in_range(v, j, ptr, r)) return std::nullopt;
  return v;
}

std::optional<std::int64_t> Reader::integer(const Json& j, const std::string& ptr, std::int64_t lo,
                                            std::int64_t hi) {
  if (!j.is_number()) {
    error(ptr, "expected an integer, got " + type_name(j));
    return std::nullopt;
  }
  std::int64_t v = 0;
  if (j.is_number_unsigned()) {
    const auto u = j.get<std::uint64_t>();
    v = u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
            ? std::numeric_limits<std::int64_t>::max()
            : static_cast<std::int64_t>(u);
  } else if (j.is_number_integer()) {
    v = j.get<std::int64_t>();
  } else {
    const double d = j.get<double>();
    if (!std::isfinite(d) || d != std::floor(d)) {
      error(ptr, "expected an integer, got " + show(j));
      return std::nullopt;
    }
    if (d < static_cast<double>(lo) || d > static_cast<double>(hi)) {
      in_range(d, j, ptr, {static_cast<double>(lo), false, static_cast<double>(hi), false});
      return std::nullopt;
    }
    v = static_cast<std::int64_t>(d);
  }
  if (v < lo || v > hi) {
    error(ptr, (v < lo ? "must be at least " + std::to_string(lo)
                       : "must be at most " + std::to_string(hi)) +
                   " (got " + show(j) + ")");
    return std::nullopt;
  }
  return v;
}

std::optional<std::uint64_t> Reader::unsigned64(const Json& j, const std::string& ptr) {
  if (!j.is_number()) {
    error(ptr, "expected an integer, got " + type_name(j));
    return std::nullopt;
  }
  if (j.is_number_unsigned()) return j.get<std::uint64_t>();
  if (j.is_number_integer()) {
    const auto v = j.get<std::int64_t>();
    if (v < 0) {
      error(ptr, "must be at least 0 (got " + show(j) + ")");
      return std::nullopt;
    }
    return static_cast<std::uint64_t>(v);
  }
  const double d = j.get<double>();
  constexpr double kExact = 9007199254740992.0;  // 2^53: beyond it a double is not exact
  if (!std::isfinite(d) || d != std::floor(d) || d > kExact) {
    error(ptr, "expected an integer, got " + show(j));
    return std::nullopt;
  }
  if (d < 0) {
    error(ptr, "must be at least 0 (got " + show(j) + ")");
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(d);
}

std::optional<bool> Reader::boolean(const Json& j, const std::string& ptr) {
  if (!j.is_boolean()) {
    error(ptr, "expected a boolean, got " + type_name(j));
    return std::nullopt;
  }
  return j.get<bool>();
}

std::optional<int> Reader::one_of(const Json& j, const std::string& ptr, std::string_view what,
                                  const std::vector<std::string>& names) {
  auto s = string(j, ptr);
  if (!s) return std::nullopt;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == *s) return static_cast<int>(i);
  const std::string guess = did_you_mean(*s, names);
  std::vector<std::string> quoted;
  for (const auto& n : names) quoted.push_back(quote(n));
  error(ptr, "unknown " + std::string(what) + " " + quote(*s) +
                 (guess.empty() ? " (expected " + join_or(quoted) + ")"
                                : " (did you mean " + quote(guess) + "?)"));
  return std::nullopt;
}

bool Reader::is_object(const Json& j, const std::string& ptr) {
  if (j.is_object()) return true;
  error(ptr, "expected an object, got " + type_name(j));
  return false;
}

bool Reader::is_array(const Json& j, const std::string& ptr) {
  if (j.is_array()) return true;
  error(ptr, "expected an array, got " + type_name(j));
  return false;
}

std::optional<std::vector<std::string>> Reader::strings(const Json& j, const std::string& ptr) {
  if (!is_array(j, ptr)) return std::nullopt;
  std::vector<std::string> out;
  for (std::size_t i = 0; i < j.size(); ++i)
    if (auto s = string(j[i], child(ptr, i))) out.push_back(std::move(*s));
  return out;
}

// ---------------------------------------------------------------- Obj

Obj::Obj(Reader& r, const Json& j, std::string ptr, const std::vector<std::string>& allowed,
         const std::vector<std::string>& required)
    : r_(r), j_(&j), ptr_(std::move(ptr)) {
  if (!r.is_object(j, ptr_)) return;
  ok_ = true;
  std::vector<std::string> candidates = allowed;
  candidates.insert(candidates.end(), kFreeTextKeys.begin(), kFreeTextKeys.end());
  for (const auto& [key, value] : j.items()) {
    if (is_free_text_key(key)) {
      if (!value.is_string()) r.string(value, child(ptr_, key));
      continue;
    }
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    const std::string guess = did_you_mean(key, candidates);
    r.error(ptr_, "unknown key " + quote(key) +
                      (guess.empty() ? "" : " (did you mean " + quote(guess) + "?)"));
  }
  for (const auto& key : required)
    if (!j.contains(key)) r.error(ptr_, "missing required key " + quote(key));
}

const Json* Obj::find(std::string_view key) const {
  if (!ok_) return nullptr;
  auto it = j_->find(key);
  return it == j_->end() ? nullptr : &*it;
}

std::optional<std::string> Obj::str(std::string_view key) {
  const Json* v = find(key);
  return v ? r_.string(*v, ptr(key)) : std::nullopt;
}

std::optional<double> Obj::number(std::string_view key, Range range) {
  const Json* v = find(key);
  return v ? r_.number(*v, ptr(key), range) : std::nullopt;
}

std::optional<std::int64_t> Obj::integer(std::string_view key, std::int64_t lo, std::int64_t hi) {
  const Json* v = find(key);
  return v ? r_.integer(*v, ptr(key), lo, hi) : std::nullopt;
}

std::optional<bool> Obj::boolean(std::string_view key) {
  const Json* v = find(key);
  return v ? r_.boolean(*v, ptr(key)) : std::nullopt;
}

std::optional<int> Obj::one_of(std::string_view key, std::string_view what,
                               const std::vector<std::string>& names) {
  const Json* v = find(key);
  return v ? r_.one_of(*v, ptr(key), what, names) : std::nullopt;
}

// ---------------------------------------------------------------- ids

bool valid_id(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

IdTable collect_ids(Reader& r, const Json* arr, const std::string& arr_ptr) {
  IdTable t;
  if (!arr || !arr->is_array()) return t;
  t.available = true;
  t.pointers.resize(arr->size());
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const Json& e = (*arr)[i];
    const std::string eptr = child(arr_ptr, i);
    t.pointers[i] = child(eptr, "id");
    if (!e.is_object()) continue;
    auto it = e.find("id");
    if (it == e.end()) continue;
    const std::string& iptr = t.pointers[i];
    auto id = r.string(*it, iptr);
    if (!id) continue;
    if (!valid_id(*id)) {
      r.error(iptr, "invalid id " + quote(*id) +
                        " (use only letters A-Z a-z, digits and \"_\", \".\", \"-\")");
      t.refused.insert(*id);
      continue;
    }
    auto [pos, fresh] = t.index.emplace(*id, static_cast<Index>(i));
    if (!fresh) {
      r.error(iptr, "duplicate id " + quote(*id) + " (first at " +
                        t.pointers[static_cast<std::size_t>(pos->second)] + ")");
      continue;
    }
    t.ids.push_back(*id);
  }
  return t;
}

Index resolve(Reader& r, const IdTable& t, const Json& j, const std::string& ptr,
              std::string_view what) {
  auto s = r.string(j, ptr);
  if (!s) return kNone;
  const Index i = t.find(*s);
  if (i != kNone || !t.available || t.refused.count(*s)) return i;  // reported elsewhere
  const std::string guess = did_you_mean(*s, t.ids);
  r.error(ptr, "unknown " + std::string(what) + " " + quote(*s) +
                   (guess.empty() ? "" : " (did you mean " + quote(guess) + "?)"));
  return kNone;
}

// ---------------------------------------------------------------- clock and calendar

std::optional<int> read_clock_time(Reader& r, const Json& j, const std::string& ptr, bool end) {
  auto s = r.string(j, ptr);
  if (!s) return std::nullopt;
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const std::string& t = *s;
  if (t.size() == 5 && digit(t[0]) && digit(t[1]) && t[2] == ':' && digit(t[3]) && digit(t[4])) {
    const int h = (t[0] - '0') * 10 + (t[1] - '0');
    const int m = (t[3] - '0') * 10 + (t[4] - '0');
    if (h < 24 && m < 60) return h * 60 + m;
    if (h == 24 && m == 0) {
      if (end) return 24 * 60;
      r.error(ptr, "\"24:00\" is allowed only as an end time");
      return std::nullopt;
    }
  }
  r.error(ptr, "invalid time " + quote(t) +
                   (end ? " (expected \"HH:MM\" from 00:00 to 24:00)"
                        : " (expected \"HH:MM\" from 00:00 to 23:59)"));
  return std::nullopt;
}

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);                 // [0, 399]
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

int weekday_from_days(std::int64_t days) {
  // Hinnant's weekday_from_days gives 0 = Sunday; 1970-01-01 (day 0) was a Thursday.
  const std::int64_t sunday_based = days >= -4 ? (days + 4) % 7 : (days + 5) % 7 + 6;
  return static_cast<int>((sunday_based + 6) % 7);
}

std::optional<CivilDate> read_date(Reader& r, const Json& j, const std::string& ptr) {
  auto s = r.string(j, ptr);
  if (!s) return std::nullopt;
  const std::string& t = *s;
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  bool shape = t.size() == 10 && t[4] == '-' && t[7] == '-';
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) shape = shape && digit(t[i]);
  if (shape) {
    const int y = std::stoi(t.substr(0, 4));
    const auto m = static_cast<unsigned>(std::stoi(t.substr(5, 2)));
    const auto d = static_cast<unsigned>(std::stoi(t.substr(8, 2)));
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    static constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m >= 1 && m <= 12 && d >= 1 && d <= kDays[m - 1] + (m == 2 && leap ? 1u : 0u))
      return CivilDate{y, m, d};
  }
  r.error(ptr, "invalid date " + quote(t) + " (expected a calendar date \"YYYY-MM-DD\")");
  return std::nullopt;
}

std::size_t too_deep(const std::string& text, int max_depth) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string::npos;
}

}  // namespace hqdrill::io::detail

namespace hqdrill::io {

std::size_t json_too_deep(const std::string& text, int max_depth) {
  return detail::too_deep(text, max_depth);
}

}  // namespace hqdrill::io
