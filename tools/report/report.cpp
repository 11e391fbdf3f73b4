#include "report/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "hqdrill/scenario.hpp"
#include "report/charts.hpp"
#include "report/story.hpp"

namespace hqdrill::report {

namespace {

using nlohmann::json;

constexpr const char* kStyle = R"(
body{font-family:"DejaVu Sans","Noto Sans",Arial,sans-serif;max-width:980px;margin:24px auto;padding:0 16px;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #8a1c1c;padding-bottom:3px;margin-top:1.8em}
h3{margin-top:1.4em}.sub{color:#555}.note{color:#555;font-size:.9em}
table{border-collapse:collapse;width:100%;margin:.6em 0;font-size:.92em}th,td{border:1px solid #bbb;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#f1ece4}td.num{text-align:right;white-space:nowrap}tr.weak td{color:#777}
.ok{color:#1f6b2a}.late{color:#a01818}.pill{display:inline-block;padding:0 6px;border-radius:8px;font-size:.85em}
.pill.ok{background:#e3f1e3}.pill.late{background:#f6e0e0}
figure{margin:1em 0;page-break-inside:avoid}figcaption{font-size:.85em;color:#444}
svg.chart{width:100%;height:auto;font-family:inherit}
svg .axis{stroke:#333;stroke-width:1}svg .grid{stroke:#e3e3e3;stroke-width:1}
svg .tick{font-size:11px;fill:#333}svg .axis-title{font-size:12px;fill:#333}
svg .label{font-size:12px;fill:#222}svg .label.small{font-size:10px}
svg .note{font-size:11px;fill:#444}svg .note.ok{fill:#1f6b2a}svg .note.late{fill:#a01818}
svg .bar.ok{fill:#5b9e63}svg .bar.late{fill:#c9524b}svg .bar.mixed{fill:#d9a441}svg .bar.missing{fill:#7a2a2a}
svg .bar.low{fill:#4f7cac}svg .bar.high{fill:#d08c3c}
svg .target{stroke:#a01818;stroke-width:1.5;stroke-dasharray:5 3}svg .required{stroke:#111;stroke-width:2}
svg .base{stroke:#111;stroke-width:1.5}svg .band{fill:#f7f7f7}
svg .trip{fill:#4f7cac}svg .work{fill:#5b9e63}svg .wait{fill:#cfcfcf}svg .event{fill:#333}
svg .alarm{fill:#c9524b;stroke:#7a1010}svg .front{fill:none;stroke:#8a1c1c;stroke-width:1.5}
svg .pt{fill:#9a9a9a}svg .pt.front{fill:#8a1c1c}svg .pt.best{fill:#d08c3c;stroke:#111}
svg .ci{stroke:#9a9a9a;stroke-width:2}svg .ci.sig{stroke:#1f6b2a;stroke-width:3}svg .ci.worse{stroke:#a01818;stroke-width:3}svg .pt.worse{fill:#c9524b;stroke:#111}
svg .panel{fill:#fbfaf7;stroke:#ccc}svg .area{fill:#e6e1d3;stroke:#b8ae95}svg .edge{stroke:#888;stroke-width:1.2}
svg .node{fill:#555}svg .node.key{fill:#8a1c1c}
@media print{body{max-width:none}h2{page-break-before:auto}}
)";

/// Runs every chart through layout once the page has loaded: a chart counts as drawn when
/// its <svg> has a non-empty bounding box and at least one data mark (a bar, point, lane
/// item, area or edge), not just axes. The counts land on <body> (data-charts-total,
/// data-charts-drawn) with the ids of the others (data-chart-errors), each also a console
/// error, so a headless browser can check the report (tests/report_check.sh).
constexpr const char* kSelfCheck = R"(<script>
window.addEventListener('load',function(){var f=document.querySelectorAll('figure[data-chart]'),n=0,bad=[];
for(var i=0;i<f.length;i++){var s=f[i].querySelector('svg');var b=s?s.getBBox():null;
var marks=s?s.querySelectorAll('.bar,.pt,.trip,.work,.wait,.event,.alarm,.area,.edge,.node,.ci').length:0;
if(s&&b.width>0&&b.height>0&&marks>0)n++;else{bad.push(f[i].getAttribute('data-chart'));console.error('hqdrill report: chart not drawn: '+f[i].getAttribute('data-chart'));}}
document.body.setAttribute('data-charts-total',f.length);document.body.setAttribute('data-charts-drawn',n);
document.body.setAttribute('data-chart-errors',bad.join(' '));});
</script>)";

/// Both documents, built in step.
class Doc {
 public:
  std::string html, md;
  int charts = 0;

  void h2(const std::string& id, const std::string& t) {
    html += "<h2 id=\"" + id + "\">" + esc(t) + "</h2>\n";
    md += "\n## " + md_text(t) + "\n\n";
  }
  void h3(const std::string& t) {
    html += "<h3>" + esc(t) + "</h3>\n";
    md += "\n### " + md_text(t) + "\n\n";
  }
  void p(const std::string& t, const char* cls = nullptr) {
    html += std::string("<p") + (cls ? std::string(" class=\"") + cls + "\"" : "") + ">" + esc(t) +
            "</p>\n";
    md += (cls && std::string(cls) == "note" ? "_" + md_text(t) + "_" : md_text(t)) + "\n\n";
  }
  void bullets(const std::vector<std::string>& items) {
    if (items.empty()) return;
    html += "<ul>";
    for (const auto& i : items) {
      html += "<li>" + esc(i) + "</li>";
      md += "- " + md_text(i) + "\n";
    }
    html += "</ul>\n";
    md += "\n";
  }
  /// Cells are plain text; a column listed in `numeric` is right-aligned. Rows whose
  /// first cell starts with "\x01" are drawn weak (greyed) and the marker removed.
  void table(const std::vector<std::string>& head,
             const std::vector<std::vector<std::string>>& rows,
             const std::set<std::size_t>& numeric = {}) {
    html += "<table><thead><tr>";
    md += "|";
    for (const auto& h : head) {
      html += "<th>" + esc(h) + "</th>";
      md += " " + md_cell(h) + " |";
    }
    html += "</tr></thead><tbody>\n";
    md += "\n|";
    for (std::size_t i = 0; i < head.size(); ++i) md += numeric.count(i) ? "---:|" : "---|";
    md += "\n";
    for (auto r : rows) {
      const bool weak = !r.empty() && !r[0].empty() && r[0][0] == '\x01';
      if (weak) r[0].erase(0, 1);
      html += weak ? "<tr class=\"weak\">" : "<tr>";
      md += "|";
      for (std::size_t i = 0; i < r.size(); ++i) {
        html += std::string(numeric.count(i) ? "<td class=\"num\">" : "<td>") + esc(r[i]) + "</td>";
        md += " " + md_cell(r[i]) + " |";
      }
      html += "</tr>\n";
      md += "\n";
    }
    html += "</tbody></table>\n";
    md += "\n";
  }
  void figure(const std::string& id, const std::string& svg, const std::string& caption,
              const Lang& lang) {
    html += "<figure data-chart=\"" + esc(id) + "\">" + svg + "<figcaption>" + esc(caption) +
            "</figcaption></figure>\n";
    std::string text = lang.t("Biểu đồ trong report.html: ", "Chart in report.html: ") + caption;
    while (!text.empty() && text.back() == ' ') text.pop_back();
    md += "_" + md_text(text) + "_\n\n";
    ++charts;
  }
};

std::string incident_name(const IncidentData& i, const Lang& lang) {
  return lang.vi ? i.name : (i.name_en.empty() ? i.name : i.name_en);
}

/// "Xong: Đóng cổng chính ≤ 2,0 phút"
std::string target_text(const TargetData& t, const Names& n, const Lang& lang,
                        std::size_t label_chars = 200) {
  std::string label = kpi_label(t.kpi, n, lang.vi);
  if (label.size() > label_chars) {  // clip the name, never the limit
    std::size_t cut = label_chars;
    while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) --cut;
    label = label.substr(0, cut) + "…";
  }
  if (t.max == 0) return label + " = 0";
  return label + " ≤ " + kpi_value(t.kpi, t.max, lang);
}

/// "3." for the third incident of the results (the numbering of section 8).
std::string incident_code(const ReportInputs& in, const std::string& id) {
  for (std::size_t i = 0; i < in.incidents.size(); ++i)
    if (in.incidents[i].id == id) return std::to_string(i + 1) + ".";
  return id;
}

const IncidentData* find_incident(const ReportInputs& in, const std::string& id) {
  for (const IncidentData& i : in.incidents)
    if (i.id == id) return &i;
  return nullptr;
}

std::string str(const json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>()
                                                                : std::string();
}
double dbl(const json& j, const char* key, double fallback = NAN) {
  return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].get<double>() : fallback;
}
const json& arr(const json& j, const char* key) {
  static const json kEmpty = json::array();
  return j.is_object() && j.contains(key) && j[key].is_array() ? j[key] : kEmpty;
}

std::string cost_text(const json& cost, const Lang& lang) {
  std::vector<std::string> parts;
  if (const double m = dbl(cost, "money_vnd", 0); m > 0) parts.push_back(money_vnd(m, lang));
  if (const double h = dbl(cost, "hours", 0); h > 0)
    parts.push_back(num(h, 0, lang) + lang.t(" giờ công", " person-hours"));
  if (const double p = dbl(cost, "people", 0); p > 0)
    parts.push_back(num(p, 0, lang) + lang.t(" người", " people"));
  if (parts.empty()) return lang.t("không tốn", "none");
  std::string s;
  for (const auto& x : parts) s += (s.empty() ? "" : ", ") + x;
  return s;
}

/// Option id -> display name, from the plan file's "options" list.
std::map<std::string, std::string> option_names(const json& plan, const Lang& lang) {
  std::map<std::string, std::string> out;
  for (const json& o : arr(plan, "options")) {
    const std::string id = str(o, "id");
    std::string name = lang.vi ? str(o, "name") : str(o, "name_en");
    if (name.empty()) name = str(o, "name");
    out[id] = name.empty() ? id : name;
  }
  return out;
}

std::string options_label(const json& ids, const std::map<std::string, std::string>& names,
                          const Lang& lang) {
  if (!ids.is_array() || ids.empty())
    return lang.t("hiện trạng (không thêm gì)", "as is (nothing added)");
  std::string s;
  for (const json& id : ids) {
    const std::string k = id.is_string() ? id.get<std::string>() : "";
    const auto it = names.find(k);
    s += (s.empty() ? "" : " + ") + (it != names.end() ? it->second : k);
  }
  return s;
}

/// "−62 giây [−82; −43]"
std::string diff_with_ci(const std::string& kpi, double d, const json& ci, const Lang& lang) {
  std::string s = kpi_value(kpi, d, lang, true);
  if (ci.is_array() && ci.size() == 2 && ci[0].is_number() && ci[1].is_number())
    s += " [" + kpi_value(kpi, ci[0].get<double>(), lang, true) + "; " +
         kpi_value(kpi, ci[1].get<double>(), lang, true) + "]";
  return s;
}

std::string j_with_ci(double d, const json& ci, const Lang& lang) {
  std::string s = (d > 0 ? "+" : "") + num(d, 3, lang);
  if (ci.is_array() && ci.size() == 2 && ci[0].is_number() && ci[1].is_number())
    s += " [" + num(ci[0].get<double>(), 3, lang) + "; " + num(ci[1].get<double>(), 3, lang) + "]";
  return s;
}

/// One effect in words: "KPI (incident): −62 s [−82; −43]; target met 76% → 91%".
std::string effect_text(const json& e, const ReportInputs& in, const Lang& lang) {
  const std::string kpi = str(e, "kpi");
  const IncidentData* inc = find_incident(in, str(e, "incident"));
  // The incident by its number in section 8: names are long in a table cell.
  std::string code = inc ? incident_code(in, inc->id) : str(e, "incident");
  if (!code.empty() && code.back() == '.') code.pop_back();
  std::string s =
      kpi_label(kpi, in.names, lang.vi) + lang.t(" (tình huống ", " (incident ") + code +
      "): " + diff_with_ci(kpi, dbl(e, "mean_diff"), e.contains("ci95") ? e["ci95"] : json(), lang);
  const double a = dbl(e, "met_base"), b = dbl(e, "met_with");
  if (std::isfinite(a) && std::isfinite(b))
    s += lang.t("; đạt mục tiêu ", "; target met ") + pct(a, lang, 1) + " → " + pct(b, lang, 1);
  return s;
}

/// The effect a planner reads first: among the significant ones, the largest rise of a
/// target's met share, else the largest improvement relative to the target's limit (every
/// target is "at most", so lower is better); then the largest significant worsening, if
/// any, flagged. Without a significant effect, the largest one, flagged as such.
std::string main_effect(const json& item, const ReportInputs& in, const Lang& lang) {
  const json& effects = arr(item, "effects");
  if (effects.empty()) return lang.t("không tác động đến mục tiêu nào", "touches no target");
  const auto rel = [](const json& e) {
    const double limit = std::fabs(dbl(e, "target_max", 0));
    const double d = dbl(e, "mean_diff", 0);
    return std::isfinite(d) ? d / std::max(limit, 1.0) : 0.0;
  };
  const auto gain = [](const json& e) { return dbl(e, "met_with", 0) - dbl(e, "met_base", 0); };
  const json* best = nullptr;
  const json* worst = nullptr;
  for (const json& e : effects) {
    if (!(e.contains("significant") && e["significant"].is_boolean() &&
          e["significant"].get<bool>()))
      continue;
    if (gain(e) > 1e-12 || (gain(e) >= -1e-12 && rel(e) < 0)) {
      if (!best || gain(e) > gain(*best) + 1e-12 ||
          (std::fabs(gain(e) - gain(*best)) <= 1e-12 && rel(e) < rel(*best)))
        best = &e;
    } else if (!worst || gain(e) < gain(*worst) - 1e-12 ||
               (std::fabs(gain(e) - gain(*worst)) <= 1e-12 && rel(e) > rel(*worst))) {
      worst = &e;
    }
  }
  std::string s;
  if (best)
    s = effect_text(*best, in, lang);
  else if (!worst)
    s = effect_text(effects[0], in, lang) +
        lang.t(" (không có ý nghĩa thống kê)", " (not significant)");
  else
    s = lang.t("không cải thiện mục tiêu nào một cách có ý nghĩa",
               "no significant improvement of a target");
  if (worst) s += lang.t(". ⚠ Nhưng xấu đi: ", ". ⚠ But worse: ") + effect_text(*worst, in, lang);
  return s;
}

// ------------------------------------------------------------------ sections

struct TargetRef {
  const IncidentData* inc;
  const TargetData* t;
};

std::vector<TargetRef> all_targets(const ReportInputs& in) {
  std::vector<TargetRef> out;
  for (const IncidentData& i : in.incidents)
    for (const TargetData& t : i.targets) out.push_back({&i, &t});
  return out;
}

/// Findings grouped by (kind, subject) across incidents, in the order of findings.json
/// (ranked by impact): each group shows its best-ranked member, frequency and cost alike.
struct FindingGroup {
  const json* worst = nullptr;  ///< the best-ranked member (the file's order)
  std::vector<std::string> incidents;
};
std::vector<FindingGroup> group_findings(const json& findings) {
  std::map<std::pair<std::string, std::string>, std::size_t> at;
  std::vector<FindingGroup> out;
  for (const json& f : findings) {
    const auto key = std::make_pair(str(f, "kind"), str(f, "subject"));
    const auto [it, fresh] = at.try_emplace(key, out.size());
    if (fresh) out.push_back({&f, {}});
    out[it->second].incidents.push_back(str(f, "incident"));
  }
  return out;
}

void summary_section(Doc& d, const ReportInputs& in, const Lang& lang) {
  d.h2("tom-tat", lang.t("1. Tóm tắt", "1. Summary"));
  const auto targets = all_targets(in);
  int met = 0;
  for (const auto& r : targets) met += r.t->met;
  std::vector<std::string> items;
  items.push_back(lang.t("Mô phỏng ", "Simulated ") + std::to_string(in.incidents.size()) +
                  lang.t(" tình huống, mỗi tình huống ", " incidents, ") + std::to_string(in.runs) +
                  lang.t(" lượt chạy với độ trễ ngẫu nhiên (giá trị khởi tạo ngẫu nhiên, seed ",
                         " runs each with random delays (seed ") +
                  std::to_string(in.seed) + ").");
  items.push_back(
      lang.t("Đạt ", "Met ") + std::to_string(met) + "/" + std::to_string(targets.size()) +
      lang.t(" mục tiêu (một mục tiêu đạt khi tỷ lệ lượt chạy đạt không thấp hơn tỷ lệ yêu cầu).",
             " targets (a target is met when the share of runs meeting it reaches the share "
             "required)."));
  std::vector<TargetRef> missed;
  for (const auto& r : targets)
    if (!r.t->met) missed.push_back(r);
  std::stable_sort(missed.begin(), missed.end(), [](const TargetRef& a, const TargetRef& b) {
    return a.t->min_fraction - a.t->met_fraction > b.t->min_fraction - b.t->met_fraction;
  });
  for (std::size_t k = 0; k < missed.size() && k < 3; ++k)
    items.push_back(lang.t("Chưa đạt, xa mục tiêu nhất: ", "Missed by most: ") +
                    target_text(*missed[k].t, in.names, lang) + " — " +
                    incident_name(*missed[k].inc, lang) + ": " +
                    pct(missed[k].t->met_fraction, lang, 1) +
                    lang.t(" lượt chạy đạt, yêu cầu ", " of runs, required ") +
                    pct(missed[k].t->min_fraction, lang) + ".");
  const auto groups = group_findings(in.findings);
  if (!groups.empty())
    items.push_back(lang.t("Điểm yếu phối hợp lớn nhất: ", "Largest coordination gap: ") +
                    str(*groups[0].worst, lang.vi ? "text_vi" : "text_en"));
  const json& rec = in.plan.is_object() && in.plan.contains("recommendations")
                        ? in.plan["recommendations"]
                        : json();
  if (rec.is_object()) {
    const auto names = option_names(in.plan, lang);
    items.push_back(
        lang.t("Kế hoạch đề xuất: ", "Recommended plan: ") +
        options_label(rec.value("plan", json::array()), names, lang) +
        lang.t("; mức thiếu hụt mục tiêu J ", "; target shortfall J ") +
        num(dbl(rec, "objective_base"), 3, lang) + " → " +
        num(dbl(rec, "objective_plan"), 3, lang) + lang.t(" (thay đổi ", " (change ") +
        j_with_ci(dbl(rec, "objective_diff"), rec.value("objective_ci95", json()), lang) + ").");
  }
  if (in.sensitivity.is_object() && !arr(in.sensitivity, "rows").empty()) {
    const json& r0 = arr(in.sensitivity, "rows")[0];
    items.push_back(lang.t("Giả định ảnh hưởng lớn nhất đến kết luận: ",
                           "The assumption the conclusions hang on most: ") +
                    str(r0, lang.vi ? "label_vi" : "label_en") + " (J " +
                    num(dbl(r0, "objective_low"), 3, lang) + " … " +
                    num(dbl(r0, "objective_high"), 3, lang) + ").");
  }
  d.bullets(items);
  std::vector<TargetBar> bars;
  for (const auto& r : targets)
    bars.push_back({incident_code(in, r.inc->id) + " " + target_text(*r.t, in.names, lang, 46),
                    r.t->met_fraction, r.t->min_fraction});
  d.figure("targets", targets_chart(bars, lang),
           lang.t("Tỷ lệ lượt chạy đạt từng mục tiêu; chữ cái đầu là mã tình huống. Nguồn: "
                  "summary.json (targets), kiểm tra lại với runs.csv.",
                  "Share of runs meeting each target; the leading letter is the incident. Source: "
                  "summary.json (targets), checked against runs.csv."),
           lang);
}

void went_well_section(Doc& d, const ReportInputs& in, const Lang& lang) {
  d.h2("lam-tot", lang.t("2. Những việc làm tốt", "2. What went well"));
  std::vector<TargetRef> met;
  for (const auto& r : all_targets(in))
    if (r.t->met) met.push_back(r);
  std::stable_sort(met.begin(), met.end(), [](const TargetRef& a, const TargetRef& b) {
    return a.t->met_fraction - a.t->min_fraction > b.t->met_fraction - b.t->min_fraction;
  });
  if (all_targets(in).empty()) {
    d.p(lang.t("Kịch bản không đặt mục tiêu nào.", "The scenario sets no target."));
    return;
  }
  if (met.empty()) {
    d.p(lang.t("Không mục tiêu nào đạt.", "No target was met."));
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : met)
    rows.push_back({incident_name(*r.inc, lang), target_text(*r.t, in.names, lang),
                    pct(r.t->met_fraction, lang, 1), pct(r.t->min_fraction, lang)});
  d.table({lang.t("Tình huống", "Incident"), lang.t("Mục tiêu", "Target"),
           lang.t("Lượt chạy đạt", "Runs meeting it"), lang.t("Yêu cầu", "Required")},
          rows, {2, 3});
}

/// A short title of a finding: its kind in words and its subject's name.
std::string finding_title(const json& f, const ReportInputs& in, const Lang& lang) {
  static const std::map<std::string, std::pair<const char*, const char*>> kKinds{
      {"late_notification", {"Báo tin muộn", "Told late"}},
      {"never_notified", {"Không được báo", "Never told"}},
      {"indirect_link", {"Không có liên lạc trực tiếp", "No direct link"}},
      {"unreliable_link", {"Liên lạc không tin cậy", "Unreliable link"}},
      {"idle_on_scene", {"Chờ tại chỗ không có việc", "Idle on scene"}},
      {"unowned_task", {"Nhiệm vụ không có người chủ trì", "Task with no owner"}},
      {"fire_outgrew_first_attack",
       {"Đám cháy vượt khả năng chữa cháy ban đầu", "Fire outgrew the first attack"}},
      {"gate_undefended", {"Cổng không có người giữ", "Gate undefended"}}};
  const std::string kind = str(f, "kind"), subject = str(f, "subject");
  const auto k = kKinds.find(kind);
  std::string who = Names::name(in.names.roles, subject, lang.vi);
  if (who == subject) who = Names::name(in.names.units, subject, lang.vi);
  if (who == subject) who = Names::name(in.names.tasks, subject, lang.vi);
  return (k != kKinds.end() ? (lang.vi ? k->second.first : k->second.second) : kind) +
         (subject.empty() ? "" : ": " + who);
}

void to_improve_section(Doc& d, const ReportInputs& in, const Lang& lang) {
  d.h2("can-cai-thien", lang.t("3. Những việc cần cải thiện", "3. What to improve"));
  std::vector<TargetRef> missed;
  for (const auto& r : all_targets(in))
    if (!r.t->met) missed.push_back(r);
  std::stable_sort(missed.begin(), missed.end(), [](const TargetRef& a, const TargetRef& b) {
    return a.t->min_fraction - a.t->met_fraction > b.t->min_fraction - b.t->met_fraction;
  });
  if (all_targets(in).empty()) {
    d.p(lang.t("Kịch bản không đặt mục tiêu nào.", "The scenario sets no target."));
  } else if (missed.empty()) {
    d.p(lang.t("Mọi mục tiêu đều đạt.", "Every target was met."));
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : missed) {
      const auto col = r.inc->values.find(r.t->kpi);
      std::vector<double> v;
      int missing = 0;
      if (col != r.inc->values.end())
        for (const auto& x : col->second) x ? v.push_back(*x) : void(++missing);
      std::sort(v.begin(), v.end());
      // The 90th percentile of summary.json (type 7, over the runs where it happened).
      std::string p90 = "–";
      for (const KpiData& kd : r.inc->kpis)
        if (kd.name == r.t->kpi && kd.present > 0) p90 = kpi_value(kd.name, kd.p90, lang);
      rows.push_back({incident_name(*r.inc, lang), target_text(*r.t, in.names, lang),
                      pct(r.t->met_fraction, lang, 1), pct(r.t->min_fraction, lang), p90,
                      pct(static_cast<double>(missing) / in.runs, lang, 1)});
    }
    d.h3(lang.t("Mục tiêu chưa đạt", "Targets missed"));
    d.table({lang.t("Tình huống", "Incident"), lang.t("Mục tiêu", "Target"),
             lang.t("Lượt chạy đạt", "Runs meeting it"), lang.t("Yêu cầu", "Required"),
             lang.t("Phân vị 90 (lượt có xảy ra)", "90th percentile (runs where it happened)"),
             lang.t("Không xảy ra", "Never happened")},
            rows, {2, 3, 4, 5});
  }
  const auto groups = group_findings(in.findings);
  if (groups.empty()) return;
  d.h3(lang.t("Điểm yếu phối hợp (phát hiện từ các lượt chạy)",
              "Coordination gaps (found in the runs)"));
  std::vector<std::vector<std::string>> rows;
  for (std::size_t k = 0; k < groups.size() && k < 10; ++k) {
    const FindingGroup& g = groups[k];
    rows.push_back({std::to_string(k + 1), str(*g.worst, lang.vi ? "text_vi" : "text_en"),
                    std::to_string(g.incidents.size()) + "/" + std::to_string(in.incidents.size()),
                    pct(dbl(*g.worst, "frequency", 0), lang, 1)});
  }
  std::vector<FindingBar> bars;
  for (std::size_t k = 0; k < groups.size() && k < 10; ++k) {
    const json& f = *groups[k].worst;
    bars.push_back({std::to_string(k + 1) + ". " + finding_title(f, in, lang),
                    dbl(f, "frequency", 0), dbl(f, "cost_s", 0)});
  }
  d.figure("findings", findings_chart(bars, lang),
           lang.t("Mười điểm yếu phối hợp lớn nhất theo thứ hạng tác động của findings.json (số "
                  "thứ tự như bảng dưới), mỗi điểm ở tình huống bị ảnh hưởng nặng nhất; con số: "
                  "thời gian mất trung bình. Nguồn: findings.json.",
                  "The ten largest coordination gaps by the impact rank of findings.json "
                  "(numbered as in the table below), each in the incident where it costs most; "
                  "figure: time lost on average. Source: findings.json."),
           lang);
  d.table({"#",
           lang.t("Phát hiện (ở tình huống bị ảnh hưởng nặng nhất)",
                  "Finding (in the incident where it costs most)"),
           lang.t("Số tình huống", "Incidents"), lang.t("Tần suất", "Frequency")},
          rows, {2, 3});
  d.p(lang.t("Nguồn: findings.json (", "Source: findings.json (") +
          std::to_string(in.findings.size()) +
          lang.t(
              " phát hiện, gộp theo loại và đối tượng; bằng chứng là các lượt chạy ghi trong tệp).",
              " findings, grouped by kind and subject; the evidence runs are listed in the file)."),
      "note");
}

void recommendations_section(Doc& d, const ReportInputs& in, const Lang& lang) {
  d.h2("khuyen-nghi",
       lang.t("4. Khuyến nghị cho kế hoạch năm sau", "4. Recommendations for next year's plan"));
  const json& rec = in.plan.is_object() && in.plan.contains("recommendations")
                        ? in.plan["recommendations"]
                        : json();
  if (!rec.is_object()) {
    d.p(
        lang.t("Chưa có đánh giá phương án (plan.json). Chạy: hqdrill plan KỊCH_BẢN --options "
               "PHƯƠNG_ÁN --json THƯ_MỤC/plan.json, rồi tạo lại báo cáo. Các điểm yếu ở mục 3 là "
               "việc cần xem xét; chưa có số liệu hiệu quả nên chưa khuyến nghị.",
               "No plan evaluation yet (plan.json). Run: hqdrill plan SCENARIO --options OPTIONS "
               "--json DIR/plan.json, then make the report again. The gaps in section 3 are what "
               "to look at; without measured effects nothing is recommended."));
    return;
  }
  const json& items = arr(rec, "items");
  if (items.empty()) {
    d.p(
        lang.t("Không phương án nào làm giảm mức thiếu hụt mục tiêu trong ngân sách: giữ nguyên "
               "hiện trạng và xem lại các phương án.",
               "No option lowers the target shortfall within the budget: keep things as they are "
               "and revisit the options."));
    return;
  }
  std::vector<std::vector<std::string>> rows;
  int k = 0;
  for (const json& it : items) {
    std::string owner = str(it, lang.vi ? "owner_name" : "owner_name_en");
    if (owner.empty()) owner = str(it, "owner");
    std::string name = str(it, lang.vi ? "name" : "name_en");
    if (name.empty()) name = str(it, "option");
    rows.push_back({std::to_string(++k), name, owner, main_effect(it, in, lang),
                    j_with_ci(dbl(it, "objective_diff"), it.value("objective_ci95", json()), lang),
                    cost_text(it.value("cost", json::object()), lang)});
  }
  if (rec.contains("whole") && rec["whole"].is_object()) {
    const json& w = rec["whole"];
    rows.push_back({"Σ", lang.t("Cả kế hoạch", "The whole plan"), "", main_effect(w, in, lang),
                    j_with_ci(dbl(w, "objective_diff"), w.value("objective_ci95", json()), lang),
                    cost_text(w.value("cost", json::object()), lang)});
  }
  d.table({"#", lang.t("Hành động", "Action"), lang.t("Chủ trì", "Owner"),
           lang.t("Hiệu quả dự kiến (khoảng tin cậy 95%)", "Expected effect (95% interval)"),
           lang.t("Thay đổi J (95%)", "Change in J (95%)"), lang.t("Chi phí", "Cost")},
          rows, {4});
  d.p(lang.t("Hiệu quả: so sánh cặp từng lượt chạy (cùng số ngẫu nhiên) giữa hiện trạng và hiện "
             "trạng cộng hành động; khoảng tin cậy 95% của hiệu trung bình; 'có ý nghĩa' khi "
             "khoảng không chứa 0 và kiểm định dấu p < 0,05. J là mức thiếu hụt mục tiêu: tổng, "
             "trên mọi mục tiêu, của phần tỷ lệ lượt chạy đạt còn thiếu so với tỷ lệ yêu cầu (0 = "
             "mọi mục tiêu đạt); J càng nhỏ càng tốt. Nguồn: ",
             "Effects: paired runs (common random numbers) of the plan as is and with the action; "
             "95% interval of the mean difference; significant when the interval excludes 0 and "
             "the sign test gives p < 0.05. J is the target shortfall: the sum over targets of the "
             "share of runs missing below the share required (0 = every target met); lower is "
             "better. Source: ") +
          in.plan_file + ".",
      "note");
}

void plan_section(Doc& d, const ReportInputs& in, const Lang& lang) {
  d.h2("so-sanh", lang.t("5. So sánh phương án", "5. Plan comparison"));
  if (!in.plan.is_object()) {
    d.p(lang.t("Chưa có plan.json (xem mục 4).", "No plan.json (see section 4)."), "note");
    return;
  }
  const auto names = option_names(in.plan, lang);
  const json& rec = in.plan.contains("recommendations") ? in.plan["recommendations"] : json();
  if (rec.is_object() && rec.contains("whole") && rec["whole"].is_object()) {
    std::vector<EffectRow> rows;
    std::vector<std::vector<std::string>> table;
    // One chart per unit family: seconds (in minutes) for the forest plot; others in the table.
    for (const json& e : arr(rec["whole"], "effects")) {
      const std::string kpi = str(e, "kpi");
      const IncidentData* inc = find_incident(in, str(e, "incident"));
      const std::string label =
          incident_code(in, str(e, "incident")) + " " + kpi_label(kpi, in.names, lang.vi);
      const json& ci = e.contains("ci95") ? e["ci95"] : json();
      const bool sig = e.value("significant", false);
      // Runs identical in both plans (an incident the plan cannot touch): in the table only.
      const bool unchanged =
          dbl(e, "mean_diff") == 0 && ci.is_array() && ci.size() == 2 && ci[0] == ci[1];
      if (!unchanged && std::string(kpi_unit(kpi)) == "s" && ci.is_array() && ci.size() == 2 &&
          ci[0].is_number() && ci[1].is_number() && std::isfinite(dbl(e, "mean_diff")))
        rows.push_back({label, dbl(e, "mean_diff") / 60.0, ci[0].get<double>() / 60.0,
                        ci[1].get<double>() / 60.0, sig});
      table.push_back(
          {std::string(sig ? "" : "\x01") + (inc ? incident_name(*inc, lang) : str(e, "incident")),
           kpi_label(kpi, in.names, lang.vi), diff_with_ci(kpi, dbl(e, "mean_diff"), ci, lang),
           pct(dbl(e, "met_base"), lang) + " → " + pct(dbl(e, "met_with"), lang),
           sig ? lang.t("có", "yes") : lang.t("không", "no")});
    }
    if (!rows.empty())
      d.figure(
          "forest", forest_chart(rows, lang.t("phút", "min"), lang),
          lang.t("Kế hoạch đề xuất so với hiện trạng: hiệu trung bình (phút) của các chỉ số có mục "
                 "tiêu, với khoảng tin cậy 95%; xanh đậm = tốt hơn có ý nghĩa thống kê, đỏ = xấu "
                 "hơn có ý "
                 "nghĩa; chỉ số không đổi chỉ có trong bảng. Nguồn: ",
                 "Recommended plan against the plan as is: mean difference (min) of the targeted "
                 "KPIs with 95% intervals; bold green = significantly better, red = significantly "
                 "worse; unchanged KPIs are in the table only. Source: ") +
              in.plan_file + " (recommendations.whole).",
          lang);
    d.table({lang.t("Tình huống", "Incident"), lang.t("Chỉ số", "KPI"),
             lang.t("Hiệu (95%)", "Difference (95%)"), lang.t("Đạt mục tiêu", "Target met"),
             lang.t("Có ý nghĩa", "Significant")},
            table);
  }
  // Pareto front.
  const std::string dim =
      str(in.plan, "front_cost").empty() ? "money_vnd" : str(in.plan, "front_cost");
  std::vector<ParetoPoint> pts;
  std::set<std::string> front_keys;
  for (const json& f : arr(in.plan, "pareto_front"))
    front_keys.insert(f.value("options", json::array()).dump());
  const std::string best_key =
      in.plan.contains("best") ? in.plan["best"].value("options", json::array()).dump() : "";
  for (const json& e : arr(in.plan, "evaluated")) {
    const json ids = e.value("options", json::array());
    const std::string key = ids.dump();
    pts.push_back({dbl(e.value("cost", json::object()), dim.c_str(), 0), dbl(e, "objective", 0),
                   options_label(ids, names, lang), front_keys.count(key) > 0, key == best_key,
                   ids.empty()});
  }
  if (!pts.empty()) {
    const std::string axis = dim == "hours"    ? lang.t("giờ công", "person-hours")
                             : dim == "people" ? lang.t("người", "people")
                                               : "VND";
    d.figure("pareto", pareto_chart(pts, axis, dim == "money_vnd", lang),
             lang.t("Mỗi điểm là một tổ hợp phương án đã mô phỏng (",
                    "Each point is a combination of options simulated (") +
                 std::to_string(pts.size()) + lang.t(" tổ hợp, ", " combinations, ") +
                 std::to_string(in.plan.value("runs", 0)) +
                 lang.t(" lượt mỗi tình huống, phương pháp ", " runs per incident, method ") +
                 str(in.plan, "method") +
                 lang.t("); đỏ: biên Pareto (không tổ hợp nào rẻ hơn mà tốt hơn); cam: tốt nhất "
                        "trong ngân sách. Nguồn: ",
                        "); red: the Pareto front (nothing cheaper is better); orange: the best "
                        "within the budget. Source: ") +
                 in.plan_file + ".",
             lang);
    // The plan's own runs against the results': the same objective, other runs.
    double j_results = 0;
    for (const auto& r : all_targets(in))
      j_results += r.t->weight * std::max(0.0, r.t->min_fraction - r.t->met_fraction);
    const json& base = in.plan.contains("baseline") ? in.plan["baseline"] : json();
    if (base.is_object() && base.contains("objective") && base["objective"].is_number())
      d.p(lang.t("J của hiện trạng: ", "J as is: ") +
              num(base["objective"].get<double>(), 3, lang) +
              lang.t(" theo plan.json (", " in plan.json (") +
              std::to_string(in.plan.value("runs", 0)) +
              lang.t(" lượt chạy mỗi tổ hợp), ", " runs per combination), ") +
              num(j_results, 3, lang) + lang.t(" theo summary.json (", " in summary.json (") +
              std::to_string(in.runs) +
              lang.t(" lượt chạy); khác nhau chỉ do số lượt chạy.",
                     " runs); they differ only by the runs drawn."),
          "note");
    std::vector<std::vector<std::string>> rows;
    for (const json& f : arr(in.plan, "pareto_front"))
      rows.push_back({options_label(f.value("options", json::array()), names, lang),
                      cost_text(f.value("cost", json::object()), lang),
                      num(dbl(f, "objective"), 3, lang)});
    d.table({lang.t("Tổ hợp trên biên Pareto", "Combination on the Pareto front"),
             lang.t("Chi phí", "Cost"), "J"},
            rows, {2});
  }
}

void sensitivity_section(Doc& d, const ReportInputs& in, const Lang& lang) {
  d.h2("do-nhay", lang.t("6. Độ nhạy với các giả định", "6. Sensitivity to the assumptions"));
  if (!in.sensitivity.is_object()) {
    d.p(lang.t(
            "Chưa có sensitivity.json. Chạy: hqdrill sensitivity KỊCH_BẢN --json "
            "THƯ_MỤC/sensitivity.json.",
            "No sensitivity.json. Run: hqdrill sensitivity SCENARIO --json DIR/sensitivity.json."),
        "note");
    return;
  }
  const json& rows = arr(in.sensitivity, "rows");
  const double base = dbl(in.sensitivity.value("base", json::object()), "objective", 0);
  std::vector<TornadoRow> bars;
  std::vector<std::vector<std::string>> table;
  // The 15 largest swings; rows that moved J in neither direction are left to the file.
  int shown = 0, flat = 0;
  for (const json& r : rows) {
    if (!(dbl(r, "swing", 0) > 0)) {
      ++flat;
      continue;
    }
    if (shown == 15) continue;
    const std::string label = str(r, lang.vi ? "label_vi" : "label_en");
    std::string source = str(r, "source");
    if (lang.vi && source == "assumption") source = "giả định";
    if (lang.vi && source == "scenario value (no assumption note)")
      source = "giá trị của kịch bản (không ghi chú giả định)";
    bars.push_back({label, dbl(r, "objective_low", base), dbl(r, "objective_high", base)});
    table.push_back({std::to_string(++shown), label, source, num(dbl(r, "objective_low"), 3, lang),
                     num(dbl(r, "objective_high"), 3, lang), num(dbl(r, "swing"), 3, lang)});
  }
  if (!bars.empty())
    d.figure(
        "tornado", tornado_chart(bars, base, lang),
        lang.t("Mỗi giả định được đặt ở giá trị thấp rồi cao, các giả định khác giữ nguyên (",
               "Each assumption set low, then high, the others unchanged (") +
            std::to_string(in.sensitivity.value("runs", 0)) +
            lang.t(
                " lượt mỗi biến thể, cùng số ngẫu nhiên); xếp theo độ lệch của J. Nguồn: ",
                " runs per variant, common random numbers); ranked by the swing of J. Source: ") +
            in.sensitivity_file + ".",
        lang);
  d.table({"#", lang.t("Giả định", "Assumption"), lang.t("Nguồn", "Source"),
           lang.t("J thấp", "J low"), lang.t("J cao", "J high"), lang.t("Độ lệch", "Swing")},
          table, {3, 4, 5});
  std::vector<std::string> left_out;
  const json& analysed = arr(in.sensitivity, "incidents");
  for (const IncidentData& inc : in.incidents) {
    bool in_sweep = false;
    for (const json& id : analysed) in_sweep = in_sweep || (id.is_string() && id == inc.id);
    if (!in_sweep) left_out.push_back(incident_code(in, inc.id) + " " + incident_name(inc, lang));
  }
  if (!left_out.empty()) {
    std::string list;
    for (const auto& x : left_out) list += (list.empty() ? "" : "; ") + x;
    d.p(lang.t("J ở đây chỉ tính các tình huống đã phân tích; không gồm: ",
               "J here counts only the incidents analysed; left out: ") +
            list + ".",
        "note");
  }
  d.p(std::to_string(rows.size()) + lang.t(" giả định đã thử; ", " assumptions tried; ") +
          std::to_string(flat) +
          lang.t(" giả định không làm J thay đổi ở số lượt chạy này (không vẽ). Với ít lượt chạy, "
                 "các độ lệch nhỏ có thể chỉ là nhiễu: mỗi mục tiêu đổi theo bước 1/số lượt.",
                 " did not move J at these runs (not drawn). With few runs the small swings may be "
                 "noise: each target moves in steps of 1/runs."),
      "note");
}

void site_section(Doc& d, const ReportInputs& in, const Lang& lang) {
  d.h2("so-do", lang.t("7. Sơ đồ khu vực", "7. Site map"));
  if (in.site.is_null()) {
    d.p(lang.t("Không có vết nào để vẽ sơ đồ.", "No trace to draw the site from."), "note");
    return;
  }
  d.figure(
      "site", site_map(in.site, lang),
      lang.t("Sơ đồ khu vực từ vết lượt chạy (traces/…): khu vực đi bộ, đường nối, cổng và chốt. ",
             "Site from the run traces (traces/…): walkable areas, edges, gates and posts. "),
      lang);
}

void incidents_section(Doc& d, const ReportInputs& in, const Lang& lang) {
  d.h2("tinh-huong", lang.t("8. Chi tiết từng tình huống", "8. Each incident in detail"));
  int n = 0;
  for (const IncidentData& inc : in.incidents) {
    d.h3(std::to_string(++n) + ". " + incident_name(inc, lang));
    std::vector<std::string> kpis;
    for (const TargetData& t : inc.targets)
      if (std::find(kpis.begin(), kpis.end(), t.kpi) == kpis.end()) kpis.push_back(t.kpi);
    if (kpis.empty() && !inc.primary_kpi.empty()) kpis.push_back(inc.primary_kpi);
    std::vector<std::vector<std::string>> rows;
    for (const std::string& k : kpis) {
      const auto col = inc.values.find(k);
      std::vector<double> present;
      int missing = 0;
      if (col != inc.values.end())
        for (const auto& v : col->second) v ? present.push_back(*v) : void(++missing);
      else
        missing = in.runs;
      const TargetData* target = nullptr;
      for (const TargetData& t : inc.targets)
        if (t.kpi == k) target = &t;
      std::optional<HistogramTarget> ht;
      if (target) ht = HistogramTarget{target->max, target->min_fraction, target->met_fraction};
      const std::string label = kpi_label(k, in.names, lang.vi);
      d.figure("hist-" + inc.id + "-" + k, histogram_chart(k, label, present, missing, ht, lang),
               label + lang.t(": phân bố qua ", ": distribution over ") + std::to_string(in.runs) +
                   lang.t(" lượt chạy. Nguồn: runs.csv.", " runs. Source: runs.csv."),
               lang);
      for (const KpiData& kd : inc.kpis)
        if (kd.name == k)
          rows.push_back(
              {label, kd.present ? kpi_value(k, kd.p50, lang) : "–",
               kd.present ? kpi_value(k, kd.p90, lang) : "–",
               kd.present ? kpi_value(k, kd.max, lang) : "–",
               pct(1.0 - static_cast<double>(kd.present) / std::max(1, kd.runs), lang, 1),
               target ? kpi_value(k, target->max, lang) + " / " + pct(target->min_fraction, lang)
                      : "–",
               target ? pct(target->met_fraction, lang, 1) : "–"});
    }
    d.table({lang.t("Chỉ số", "KPI"), lang.t("Trung vị", "Median"),
             lang.t("Phân vị 90", "90th pct"), lang.t("Lớn nhất", "Max"),
             lang.t("Không xảy ra", "Never"), lang.t("Mục tiêu", "Target"), lang.t("Đạt", "Met")},
            rows, {1, 2, 3, 4, 6});
    std::vector<Deadline> deadlines;
    for (const TargetData& t : inc.targets)
      if (std::string(kpi_unit(t.kpi)) == "s")
        deadlines.push_back(
            {t.max, kpi_label(t.kpi, in.names, lang.vi) + " ≤ " + kpi_value(t.kpi, t.max, lang)});
    std::stable_sort(deadlines.begin(), deadlines.end(), [](const Deadline& a, const Deadline& b) {
      return a.t_s != b.t_s ? a.t_s < b.t_s : a.label < b.label;
    });
    const Story med = inc.median ? build_story(inc.median->read, lang.vi) : Story{};
    const Story worst = inc.worst ? build_story(inc.worst->read, lang.vi) : Story{};
    double x_max = std::max(med.end_s, worst.end_s);
    for (const Deadline& dl : deadlines) x_max = std::max(x_max, dl.t_s);
    for (const auto& [story, data, which, key] :
         {std::tuple{&med, &inc.median, lang.t("lượt trung vị", "median run"), "median"},
          std::tuple{&worst, &inc.worst, lang.t("lượt tệ nhất", "worst run"), "worst"}}) {
      if (!*data || story->lanes.empty()) continue;
      d.figure("timeline-" + inc.id + "-" + key, timeline_chart(*story, deadlines, x_max, lang),
               lang.t("Diễn biến ", "Timeline of the ") + which + " (" + lang.t("lượt ", "run ") +
                   std::to_string((*data)->run) + lang.t(", theo ", " by ") +
                   kpi_label(inc.primary_kpi, in.names, lang.vi) +
                   lang.t("): chấm = nhận tin/sự kiện, xám = chờ (phản ứng, chờ người), xanh dương "
                          "= di chuyển, xanh lá = làm nhiệm vụ, tam giác đỏ = sự cố; vạch đỏ = hạn "
                          "mục tiêu. Nguồn: ",
                          "): dot = told/event, grey = waiting (reaction, waiting for people), "
                          "blue = travelling, green = working, red triangle = failure; red dashes "
                          "= target deadlines. Source: ") +
                   (*data)->file + ".",
               lang);
    }
  }
}

void method_section(Doc& d, const ReportInputs& in, const Lang& lang) {
  d.h2("phuong-phap", lang.t("9. Phương pháp và nguồn số liệu", "9. Method and sources"));
  d.bullets({lang.t("Kịch bản: ", "Scenario: ") + in.scenario_file + " — " + in.scenario_name,
             lang.t("Thư mục kết quả: ", "Results directory: ") + in.dir +
                 lang.t("; mọi số trong báo cáo lấy từ các tệp sau trong thư mục này: ",
                        "; every number in this report comes from these files in it: ") +
                 [&] {
                   std::string s;
                   for (const auto& f : in.files) s += (s.empty() ? "" : ", ") + f;
                   return s;
                 }(),
             lang.t("Tái lập: hqdrill run ", "To reproduce: hqdrill run ") + in.scenario_file +
                 " --runs " + std::to_string(in.runs) + " --seed " + std::to_string(in.seed) +
                 lang.t(" cho kết quả giống hệt từng byte, với bất kỳ số luồng nào.",
                        " gives byte-identical results whatever the thread count."),
             lang.t("Các thời gian, khoảng cách và xác suất không có trong báo cáo năm 2017 là giả "
                    "định của kịch bản (đánh dấu 'assumption' trong tệp kịch bản); mục 6 cho biết "
                    "kết luận phụ thuộc vào giả định nào nhiều nhất.",
                    "Times, distances and probabilities not given by the 2017 report are the "
                    "scenario's assumptions (marked 'assumption' in the scenario file); section 6 "
                    "shows which of them the conclusions depend on most.")});
  std::vector<std::string> again;
  if (in.plan.is_object())
    again.push_back("hqdrill plan " + str(in.plan, "scenario") + " --options " +
                    str(in.plan, "options_file") + " --runs " +
                    std::to_string(in.plan.value("runs", 0)) + " --seed " +
                    std::to_string(in.plan.value("seed", 0ull)) +
                    [&] {
                      std::string b;
                      for (const json& x : arr(in.plan, "budgets")) {
                        char limit[40];
                        std::snprintf(limit, sizeof limit, "%.15g", dbl(x, "limit", 0));
                        b += " --budget " + str(x, "dim") + "=" + limit;
                      }
                      return b;
                    }() +
                    " --json " + in.plan_file);
  if (in.sensitivity.is_object())
    again.push_back("hqdrill sensitivity " + str(in.sensitivity, "scenario") + " --runs " +
                    std::to_string(in.sensitivity.value("runs", 0)) + " --seed " +
                    std::to_string(in.sensitivity.value("seed", 0ull)) + " --json " +
                    in.sensitivity_file);
  if (!again.empty()) {
    d.p(lang.t("Đánh giá phương án và độ nhạy được tạo bằng:",
               "The plan evaluation and the sensitivity were made with:"));
    d.bullets(again);
  }
  const auto& notes = lang.vi ? in.notes_vi : in.notes_en;
  if (!notes.empty()) d.bullets(notes);
}

}  // namespace

ReportText build_report(const ReportInputs& in, const Lang& lang) {
  Doc d;
  const std::string title = lang.t("Báo cáo sau diễn tập và kế hoạch cải tiến",
                                   "After-action report and improvement plan");
  summary_section(d, in, lang);
  went_well_section(d, in, lang);
  to_improve_section(d, in, lang);
  recommendations_section(d, in, lang);
  plan_section(d, in, lang);
  sensitivity_section(d, in, lang);
  site_section(d, in, lang);
  incidents_section(d, in, lang);
  method_section(d, in, lang);

  ReportText out;
  out.charts = d.charts;
  const std::string sub = in.scenario_name + " · " + std::to_string(in.runs) +
                          lang.t(" lượt chạy mỗi tình huống", " runs per incident");
  out.html = std::string("<!DOCTYPE html>\n<html lang=\"") + lang.code() +
             "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
             "content=\"width=device-width, initial-scale=1\">\n"
             "<meta name=\"generator\" content=\"hqdrill report\">\n<meta name=\"hqdrill-charts\" "
             "content=\"" +
             std::to_string(d.charts) + "\">\n<title>" + esc(title + " — " + in.scenario_name) +
             "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<h1>" + esc(title) +
             "</h1>\n<p class=\"sub\">" + esc(sub) + "</p>\n" + d.html + kSelfCheck +
             "\n</body>\n</html>\n";
  out.markdown = "# " + title + "\n\n" + sub + "\n" + d.md;
  return out;
}

}  // namespace hqdrill::report
