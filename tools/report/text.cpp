#include "report/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "hqdrill/scenario.hpp"

namespace hqdrill::report {

std::string num(double v, int decimals, const Lang& lang) {
  if (!std::isfinite(v)) return "–";
  // Half away from zero (printf rounds the binary value, so 64.5 would print 64): shares
  // read next to a finding's own "65%" and never round a missed 79.5 % up to a required 80.
  const double scale = std::pow(10.0, decimals);
  double a = std::fabs(v);
  if (a * scale < 1e15) a = std::round(a * scale + 1e-9 * std::max(1.0, a * scale)) / scale;
  char buf[400];  // %.*f of 1e308 has 309 digits
  std::snprintf(buf, sizeof buf, "%.*f", decimals, a);
  std::string digits(buf), frac;
  if (const auto dot = digits.find('.'); dot != std::string::npos) {
    frac = digits.substr(dot + 1);
    digits.resize(dot);
  }
  const char group = lang.vi ? '.' : ',', point = lang.vi ? ',' : '.';
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += group;
    out += digits[i];
  }
  if (!frac.empty()) out += point + frac;
  // "-0" after rounding reads as 0.
  bool zero = true;
  for (const char c : out)
    if (c >= '1' && c <= '9') zero = false;
  return (v < 0 && !zero ? "−" : "") + out;
}

std::string pct(double share, const Lang& lang, int decimals) {
  if (!std::isfinite(share)) return "–";
  return num(100.0 * share, decimals, lang) + "%";
}

std::string duration(double seconds, const Lang& lang, bool sign) {
  if (!std::isfinite(seconds)) return "–";
  const double a = std::fabs(seconds);
  std::string s;
  // The unit switches on the rounded value: 119.6 s reads "2,0 phút", not "120 giây".
  if (std::round(a) < 120)
    s = num(a, 0, lang) + (lang.vi ? " giây" : " s");
  else if (std::round(a / 6.0) < 1200)
    s = num(a / 60.0, 1, lang) + (lang.vi ? " phút" : " min");
  else
    s = num(a / 3600.0, 1, lang) + (lang.vi ? " giờ" : " h");
  if (seconds < 0 && s.find_first_of("123456789") != std::string::npos) return "−" + s;
  if (sign && seconds > 0 && s.find_first_of("123456789") != std::string::npos) return "+" + s;
  return s;
}

std::string kpi_value(const std::string& kpi, double v, const Lang& lang, bool sign) {
  if (!std::isfinite(v)) return "–";
  const std::string unit = kpi_unit(kpi);
  std::string s;
  if (unit == "s") return duration(v, lang, sign);
  const int share_digits = std::fabs(v) < 0.1 ? 1 : 0;
  if (unit == "share" && !sign) return pct(v, lang, share_digits);
  if (unit == "share")  // a difference of shares: percentage points
    s = num(100.0 * v, share_digits, lang) + (lang.vi ? " điểm phần trăm" : " pp");
  else if (unit == "m")
    s = num(v, 2, lang) + " m";
  else if (unit == "people")  // whole people as whole numbers, means to 0.1
    s = num(v, std::fabs(v - std::round(v)) < 1e-9 ? 0 : 1, lang) +
        (lang.vi ? " người" : " people");
  else if (unit.empty())
    s = num(v, 2, lang);
  else
    s = num(v, std::fabs(v) >= 100 ? 0 : 1, lang) + " " + unit;
  if (sign && v > 0) return "+" + s;
  return s;
}

std::string money_vnd(double vnd, const Lang& lang) {
  if (!std::isfinite(vnd)) return "–";
  if (std::fabs(vnd) >= 1e6) {
    const double m = vnd / 1e6;
    const int d = std::fabs(m - std::round(m)) < 1e-9 ? 0 : 1;
    return num(m, d, lang) + (lang.vi ? " triệu đồng" : " million VND");
  }
  return num(vnd, 0, lang) + (lang.vi ? " đồng" : " VND");
}

std::string esc(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string md_text(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c == '\n' || c == '\r') {
      out += ' ';
      continue;
    }
    if (c == '\\' || c == '`' || c == '*' || c == '_' || c == '[' || c == ']' || c == '<' ||
        c == '>' || c == '#' || c == '|')
      out += '\\';
    out += c;
  }
  return out;
}

std::string md_cell(const std::string& s) {
  return md_text(s);
}

}  // namespace hqdrill::report
