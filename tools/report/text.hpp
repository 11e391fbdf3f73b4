// Words and numbers of the report in the reader's language (Vietnamese first, English
// second): decimal comma and dot thousands in Vietnamese (TCVN practice, "1.234,5"),
// the reverse in English; durations in the unit a planner reads (s, min, h).
#pragma once

#include <string>

namespace hqdrill::report {

/// The report's language. Every user-facing string goes through `t(vi, en)`.
struct Lang {
  bool vi = true;
  const std::string& t(const std::string& vi_text, const std::string& en_text) const {
    return vi ? vi_text : en_text;
  }
  const char* code() const { return vi ? "vi" : "en"; }
};

/// `v` with `decimals` digits after the separator and grouped thousands; "–" if not finite.
std::string num(double v, int decimals, const Lang& lang);
/// A share as a percentage: 0.755 -> "75,5%" (vi) / "75.5%" (en); whole numbers unless
/// `decimals` says otherwise.
std::string pct(double share, const Lang& lang, int decimals = 0);
/// Seconds in the unit a planner reads: "45 giây"/"45 s" under 2 min, "4,5 phút"/"4.5 min"
/// under 2 h, "11,6 giờ"/"11.6 h" above. Signed when `sign` (for differences).
std::string duration(double seconds, const Lang& lang, bool sign = false);
/// A KPI value in its unit (hqdrill::kpi_unit): durations as above, shares as percent,
/// metres to 0.01, people to 0.1, others to 3 significant digits.
std::string kpi_value(const std::string& kpi, double v, const Lang& lang, bool sign = false);
/// Money in dong: "85 triệu đồng" / "85 million VND" from a million up, else grouped.
std::string money_vnd(double vnd, const Lang& lang);
/// HTML-escaped text (&, <, >, ", ').
std::string esc(const std::string& s);
/// `s` as Markdown text: newlines as spaces, the characters Markdown or HTML would read
/// (\ ` * _ [ ] < > # |) escaped with a backslash.
std::string md_text(const std::string& s);
/// `s` as a Markdown table cell: md_text.
std::string md_cell(const std::string& s);

}  // namespace hqdrill::report
