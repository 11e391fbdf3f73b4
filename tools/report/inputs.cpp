#include "report/inputs.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "hqdrill/io/diagnostics.hpp"

namespace hqdrill::report {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr int kMaxDepth = 64;
constexpr std::uintmax_t kMaxJsonBytes = 256u << 20, kMaxTraceBytes = 2048u << 20;

/// Reports problems of one file as "FILE: /pointer: message".
class Check {
 public:
  Check(std::string file, std::vector<std::string>& errors) : file_(std::move(file)), e_(errors) {}

  void error(const std::string& pointer, const std::string& message) {
    e_.push_back(file_ + ": " + (pointer.empty() ? "" : pointer + ": ") + message);
    ok_ = false;
  }
  bool ok() const { return ok_; }

  /// j[key] when j is an object holding a value of that kind, else an error and nullptr.
  const json* field(const json& j, const std::string& ptr, const char* key, json::value_t kind) {
    if (!j.is_object()) {
      error(ptr, "expected an object");
      return nullptr;
    }
    const auto it = j.find(key);
    if (it == j.end()) {
      error(ptr, std::string("missing \"") + key + "\"");
      return nullptr;
    }
    const bool number = kind == json::value_t::number_float;
    const bool fits = number ? it->is_number()
                             : it->type() == kind || (kind == json::value_t::number_integer &&
                                                      it->is_number_unsigned());
    if (!fits) {
      error(ptr + "/" + key, std::string("expected ") + kind_name(kind));
      return nullptr;
    }
    if (number && !std::isfinite(it->get<double>())) {
      error(ptr + "/" + key, "expected a finite number");
      return nullptr;
    }
    return &*it;
  }
  double number(const json& j, const std::string& ptr, const char* key) {
    const json* v = field(j, ptr, key, json::value_t::number_float);
    return v ? v->get<double>() : 0.0;
  }
  std::string string(const json& j, const std::string& ptr, const char* key) {
    const json* v = field(j, ptr, key, json::value_t::string);
    return v ? v->get<std::string>() : std::string();
  }
  long long integer(const json& j, const std::string& ptr, const char* key) {
    const json* v = field(j, ptr, key, json::value_t::number_integer);
    return v ? v->get<long long>() : 0;
  }
  const json& array(const json& j, const std::string& ptr, const char* key) {
    static const json kEmpty = json::array();
    const json* v = field(j, ptr, key, json::value_t::array);
    return v ? *v : kEmpty;
  }

 private:
  static const char* kind_name(json::value_t k) {
    switch (k) {
      case json::value_t::string:
        return "a string";
      case json::value_t::array:
        return "an array";
      case json::value_t::object:
        return "an object";
      case json::value_t::boolean:
        return "true or false";
      case json::value_t::number_integer:
        return "an integer";
      default:
        return "a number";
    }
  }
  std::string file_;
  std::vector<std::string>& e_;
  bool ok_ = true;
};

/// The file's text, or nullopt with an error naming it.
std::optional<std::string> slurp(const fs::path& path, const std::string& shown,
                                 std::uintmax_t max_bytes, std::vector<std::string>& errors) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec || !fs::is_regular_file(path, ec)) {
    errors.push_back(shown + ": cannot read (" + (ec ? ec.message() : "not a file") + ")");
    return std::nullopt;
  }
  if (size > max_bytes) {
    errors.push_back(shown + ": too large (" + std::to_string(size) + " bytes)");
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  if (!in && !in.eof()) {
    errors.push_back(shown + ": cannot read");
    return std::nullopt;
  }
  return ss.str();
}

std::optional<json> read_json(const fs::path& path, const std::string& shown,
                              std::vector<std::string>& errors) {
  const auto text = slurp(path, shown, kMaxJsonBytes, errors);
  if (!text) return std::nullopt;
  if (const std::size_t at = io::json_too_deep(*text, kMaxDepth); at != std::string::npos) {
    errors.push_back(shown + ": nested deeper than " + std::to_string(kMaxDepth) +
                     " levels at byte " + std::to_string(at));
    return std::nullopt;
  }
  try {
    return json::parse(*text);
  } catch (const json::parse_error& e) {
    errors.push_back(shown + ": not valid JSON: " + e.what());
    return std::nullopt;
  }
}

void check_schema(Check& c, const json& j, const std::string& expected) {
  const std::string schema = c.string(j, "", "schema");
  if (c.ok() && schema != expected)
    c.error("/schema", "\"" + schema + "\" is not \"" + expected + "\"" +
                           (schema == "hqdrill.sensitivity/1"
                                ? " (the crowd-only sweep: re-run `hqdrill sensitivity --json`)"
                                : ""));
}

/// Parses runs.csv into the incidents' value columns; checks every row.
void read_runs_csv(const std::string& text, const std::string& shown, ReportInputs& in,
                   std::vector<std::string>& errors) {
  std::map<std::string, IncidentData*> by_id;
  std::set<std::pair<std::string, std::string>> kpis;  // (incident, KPI) of summary.json
  for (IncidentData& i : in.incidents) {
    by_id[i.id] = &i;
    for (const KpiData& k : i.kpis) kpis.emplace(i.id, k.name);
  }
  std::istringstream ss(text);
  std::string line;
  long long n = 0;
  const auto bad = [&](const std::string& m) {
    errors.push_back(shown + ": line " + std::to_string(n) + ": " + m);
  };
  while (std::getline(ss, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (n == 1) {
      if (line != "incident,run,kpi,value") {
        bad("expected the header \"incident,run,kpi,value\"");
        return;
      }
      continue;
    }
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= line.size(); ++i)
      if (i == line.size() || line[i] == ',') {
        f.push_back(line.substr(start, i - start));
        start = i + 1;
      }
    if (f.size() != 4) {
      bad("expected 4 fields, found " + std::to_string(f.size()));
      return;
    }
    const auto it = by_id.find(f[0]);
    if (it == by_id.end()) {
      bad("incident \"" + f[0] + "\" is not in summary.json");
      return;
    }
    char* end = nullptr;
    const long run = std::strtol(f[1].c_str(), &end, 10);
    if (f[1].empty() || *end != '\0' || run < 0 || run >= in.runs) {
      bad("run \"" + f[1] + "\" is not in 0.." + std::to_string(in.runs - 1));
      return;
    }
    std::optional<double> value;
    if (!f[3].empty()) {
      const double v = std::strtod(f[3].c_str(), &end);
      if (*end != '\0' || !std::isfinite(v)) {
        bad("value \"" + f[3] + "\" is not a number");
        return;
      }
      value = v;
    }
    if (!kpis.count({f[0], f[2]})) {
      bad("KPI \"" + f[2] + "\" of incident \"" + f[0] + "\" is not in summary.json");
      return;
    }
    auto& column = it->second->values[f[2]];
    if (column.empty()) column.resize(static_cast<std::size_t>(in.runs));
    column[static_cast<std::size_t>(run)] = value;
  }
  if (n == 0) errors.push_back(shown + ": empty");
}

/// Checks each target against runs.csv: its met share (a met run: the KPI happened within
/// max), allowing for the 3 decimals runs.csv writes (a value within 5e-4 of max may fall on
/// either side), and `met` against met_fraction >= min_fraction.
void cross_check(const ReportInputs& in, const std::string& summary,
                 std::vector<std::string>& errors) {
  constexpr double kCsvRounding = 5e-4;
  for (std::size_t i = 0; i < in.incidents.size(); ++i) {
    const IncidentData& inc = in.incidents[i];
    for (std::size_t t = 0; t < inc.targets.size(); ++t) {
      const TargetData& tg = inc.targets[t];
      const std::string ptr =
          summary + ": /incidents/" + std::to_string(i) + "/targets/" + std::to_string(t);
      const auto col = inc.values.find(tg.kpi);
      int surely = 0, maybe = 0;
      if (col != inc.values.end())
        for (const auto& v : col->second) {
          surely += v && *v <= tg.max - kCsvRounding;
          maybe += v && *v <= tg.max + kCsvRounding;
        }
      const double lo = static_cast<double>(surely) / in.runs;
      const double hi = static_cast<double>(maybe) / in.runs;
      if (tg.met_fraction < lo - 1e-9 || tg.met_fraction > hi + 1e-9) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "/met_fraction: %.6f but runs.csv gives %.6f",
                      tg.met_fraction, lo);
        errors.push_back(ptr + buf + " (the two files are not from the same run)");
      } else if (tg.met != (tg.met_fraction + 1e-12 >= tg.min_fraction)) {
        errors.push_back(ptr + "/met: " + (tg.met ? "true" : "false") +
                         " but met_fraction and min_fraction say otherwise");
      }
    }
  }
}

std::optional<TraceData> read_trace_file(const fs::path& dir, const std::string& rel, int run,
                                         std::vector<std::string>& errors) {
  const std::string shown = (dir / rel).string();
  const auto text = slurp(dir / rel, shown, kMaxTraceBytes, errors);
  if (!text) return std::nullopt;
  TraceData t;
  t.file = rel;
  t.run = run;
  t.read = io::read_trace(*text);
  if (!t.read.ok) {
    for (const auto& d : t.read.diagnostics.items)
      errors.push_back(shown + ": " + d.pointer + ": " + d.message);
    if (t.read.diagnostics.items.empty()) errors.push_back(shown + ": not a readable trace");
    return std::nullopt;
  }
  if (!t.read.complete) {
    std::string where;
    for (const auto& d : t.read.diagnostics.items) where = d.pointer + ": " + d.message + "; ";
    errors.push_back(
        shown + ": " +
        (where.empty() ? "line " + std::to_string(t.read.lines.size() + 1) + ": " : where) +
        "the trace is truncated (no \"end\" line): re-run `hqdrill run`");
    return std::nullopt;
  }
  return t;
}

/// A number, or null where the plan could not compute it (no run had the KPI).
void number_or_null(Check& c, const json& j, const std::string& ptr, const char* key) {
  if (j.is_object() && j.contains(key) && j[key].is_null()) return;
  c.number(j, ptr, key);
}

void interval_or_null(Check& c, const json& j, const std::string& ptr, const char* key) {
  if (j.is_object() && j.contains(key) && j[key].is_null()) return;
  const json& a = c.array(j, ptr, key);
  if (!c.ok()) return;
  if (a.size() != 2) return c.error(ptr + "/" + key, "expected [low, high]");
  for (std::size_t k = 0; k < 2; ++k)
    if (!a[k].is_number() && !a[k].is_null())
      c.error(ptr + "/" + key + "/" + std::to_string(k), "expected a number");
}

void check_combination(Check& c, const json& e, const std::string& p) {
  for (const json& id : c.array(e, p, "options"))
    if (!id.is_string()) c.error(p + "/options", "expected option ids");
  if (const json* cost = c.field(e, p, "cost", json::value_t::object))
    for (const char* dim : {"people", "hours", "money_vnd"})
      if (cost->contains(dim)) c.number(*cost, p + "/cost", dim);
  c.number(e, p, "objective");
}

/// The fields of plan.json (hqdrill.plan/1) the report reads.
void check_plan(Check& c, const json& j) {
  c.string(j, "", "scenario");
  c.integer(j, "", "runs");
  c.integer(j, "", "seed");
  c.string(j, "", "method");
  if (j.contains("front_cost")) c.string(j, "", "front_cost");
  const json& budgets = c.array(j, "", "budgets");
  for (std::size_t i = 0; i < budgets.size(); ++i) {
    c.string(budgets[i], "/budgets/" + std::to_string(i), "dim");
    c.number(budgets[i], "/budgets/" + std::to_string(i), "limit");
  }
  if (j.contains("options")) {
    const json& options = c.array(j, "", "options");
    for (std::size_t i = 0; i < options.size(); ++i) {
      const std::string p = "/options/" + std::to_string(i);
      c.string(options[i], p, "id");
      c.string(options[i], p, "name");
    }
  }
  if (const json* best = c.field(j, "", "best", json::value_t::object))
    check_combination(c, *best, "/best");
  for (const char* list : {"pareto_front", "evaluated"}) {
    const json& a = c.array(j, "", list);
    for (std::size_t i = 0; i < a.size(); ++i)
      check_combination(c, a[i], std::string("/") + list + "/" + std::to_string(i));
  }
  if (!j.contains("recommendations")) return;
  const json* rec = c.field(j, "", "recommendations", json::value_t::object);
  if (!rec) return;
  const std::string r = "/recommendations";
  for (const char* key : {"objective_base", "objective_plan", "objective_diff"})
    c.number(*rec, r, key);
  interval_or_null(c, *rec, r, "objective_ci95");
  for (const json& id : c.array(*rec, r, "plan"))
    if (!id.is_string()) c.error(r + "/plan", "expected option ids");
  const auto item = [&c](const json& it, const std::string& p) {
    c.field(it, p, "cost", json::value_t::object);
    c.number(it, p, "objective_diff");
    interval_or_null(c, it, p, "objective_ci95");
    const json& effects = c.array(it, p, "effects");
    for (std::size_t e = 0; e < effects.size(); ++e) {
      const std::string q = p + "/effects/" + std::to_string(e);
      c.string(effects[e], q, "incident");
      c.string(effects[e], q, "kpi");
      number_or_null(c, effects[e], q, "mean_diff");
      interval_or_null(c, effects[e], q, "ci95");
      c.number(effects[e], q, "met_base");
      c.number(effects[e], q, "met_with");
      c.field(effects[e], q, "significant", json::value_t::boolean);
    }
  };
  const json& items = c.array(*rec, r, "items");
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string p = r + "/items/" + std::to_string(i);
    c.string(items[i], p, "option");
    item(items[i], p);
  }
  if (rec->contains("whole")) item((*rec)["whole"], r + "/whole");
}

/// The fields of sensitivity.json (hqdrill.sensitivity/2) the report reads.
void check_sensitivity(Check& c, const json& j) {
  c.string(j, "", "scenario");
  c.integer(j, "", "runs");
  c.integer(j, "", "seed");
  if (const json* base = c.field(j, "", "base", json::value_t::object))
    c.number(*base, "/base", "objective");
  const json& rows = c.array(j, "", "rows");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string p = "/rows/" + std::to_string(i);
    c.string(rows[i], p, "label_vi");
    c.string(rows[i], p, "label_en");
    c.string(rows[i], p, "source");
    for (const char* key : {"objective_low", "objective_high", "swing"}) c.number(rows[i], p, key);
  }
}

}  // namespace

std::optional<ReportInputs> load_inputs(const std::string& dir_name, const std::string& plan_file,
                                        const std::string& sensitivity_file,
                                        std::vector<std::string>& errors) {
  const std::size_t errors_before = errors.size();
  ReportInputs in;
  in.dir = dir_name;
  const fs::path dir(dir_name);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    errors.push_back(dir_name + ": not a results directory (run `hqdrill run SCENARIO --out " +
                     dir_name + "` first)");
    return std::nullopt;
  }

  // summary.json
  const std::string summary_shown = (dir / "summary.json").string();
  const auto summary = read_json(dir / "summary.json", summary_shown, errors);
  if (!summary) return std::nullopt;
  in.files.push_back("summary.json");
  Check c(summary_shown, errors);
  check_schema(c, *summary, "hqdrill.summary/1");
  if (!c.ok()) return std::nullopt;
  if (const json* sc = c.field(*summary, "", "scenario", json::value_t::object)) {
    in.scenario_file = c.string(*sc, "/scenario", "file");
    in.scenario_name = c.string(*sc, "/scenario", "name");
  }
  const long long runs = c.integer(*summary, "", "runs");
  if (c.ok() && (runs < 1 || runs > 10'000'000)) c.error("/runs", "expected 1 to 10000000");
  in.runs = static_cast<int>(std::clamp(runs, 0LL, 10'000'000LL));
  in.seed = static_cast<unsigned long long>(c.integer(*summary, "", "seed"));
  const json& incidents = c.array(*summary, "", "incidents");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < incidents.size(); ++i) {
    const json& ji = incidents[i];
    const std::string p = "/incidents/" + std::to_string(i);
    IncidentData inc;
    inc.id = c.string(ji, p, "id");
    if (c.ok() && !ids.insert(inc.id).second) c.error(p + "/id", "\"" + inc.id + "\" twice");
    inc.type = c.string(ji, p, "type");
    inc.name = c.string(ji, p, "name");
    inc.name_en = ji.is_object() && ji.contains("name_en") && ji["name_en"].is_string()
                      ? ji["name_en"].get<std::string>()
                      : inc.name;
    inc.primary_kpi = c.string(ji, p, "primary_kpi");
    const json& kpis = c.array(ji, p, "kpis");
    for (std::size_t k = 0; k < kpis.size(); ++k) {
      const std::string q = p + "/kpis/" + std::to_string(k);
      KpiData kd;
      kd.name = c.string(kpis[k], q, "name");
      kd.runs = static_cast<int>(c.integer(kpis[k], q, "runs"));
      kd.present = static_cast<int>(c.integer(kpis[k], q, "present"));
      if (kd.present > 0) {
        kd.mean = c.number(kpis[k], q, "mean");
        kd.p50 = c.number(kpis[k], q, "p50");
        kd.p90 = c.number(kpis[k], q, "p90");
        kd.min = c.number(kpis[k], q, "min");
        kd.max = c.number(kpis[k], q, "max");
      }
      inc.kpis.push_back(kd);
    }
    const json& targets = c.array(ji, p, "targets");
    for (std::size_t t = 0; t < targets.size(); ++t) {
      const std::string q = p + "/targets/" + std::to_string(t);
      TargetData td;
      td.kpi = c.string(targets[t], q, "kpi");
      td.max = c.number(targets[t], q, "max");
      td.min_fraction = c.number(targets[t], q, "min_fraction");
      td.met_fraction = c.number(targets[t], q, "met_fraction");
      if (const json* m = c.field(targets[t], q, "met", json::value_t::boolean))
        td.met = m->get<bool>();
      if (targets[t].is_object() && targets[t].contains("description") &&
          targets[t]["description"].is_string())
        td.description = targets[t]["description"].get<std::string>();
      if (targets[t].is_object() && targets[t].contains("weight") &&
          targets[t]["weight"].is_number())
        td.weight = targets[t]["weight"].get<double>();
      inc.targets.push_back(td);
    }
    if (ji.is_object() && ji.contains("traced_runs") && ji["traced_runs"].is_object()) {
      const json& tr = ji["traced_runs"];
      const std::string q = p + "/traced_runs";
      if (tr.contains("median")) inc.median_run = static_cast<int>(c.integer(tr, q, "median"));
      if (tr.contains("worst")) inc.worst_run = static_cast<int>(c.integer(tr, q, "worst"));
    }
    in.incidents.push_back(std::move(inc));
  }
  if (!c.ok()) return std::nullopt;
  if (in.incidents.empty()) {
    errors.push_back(summary_shown + ": /incidents: no incident to report on");
    return std::nullopt;
  }

  // runs.csv, checked against summary.json.
  const std::string csv_shown = (dir / "runs.csv").string();
  const auto csv = slurp(dir / "runs.csv", csv_shown, kMaxJsonBytes * 4, errors);
  if (!csv) return std::nullopt;
  in.files.push_back("runs.csv");
  read_runs_csv(*csv, csv_shown, in, errors);
  if (errors.size() > errors_before) return std::nullopt;
  cross_check(in, summary_shown, errors);
  if (errors.size() > errors_before) return std::nullopt;

  // findings.json (optional: an older results directory may lack it).
  in.findings = json::array();
  if (fs::exists(dir / "findings.json", ec)) {
    const std::string shown = (dir / "findings.json").string();
    const auto f = read_json(dir / "findings.json", shown, errors);
    if (!f) return std::nullopt;
    Check cf(shown, errors);
    const json& list = cf.array(*f, "", "findings");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string p = "/findings/" + std::to_string(i);
      cf.string(list[i], p, "incident");
      cf.string(list[i], p, "kind");
      cf.string(list[i], p, "text_vi");
      cf.string(list[i], p, "text_en");
      cf.number(list[i], p, "frequency");
    }
    if (!cf.ok()) return std::nullopt;
    in.findings = list;
    in.files.push_back("findings.json");
  } else {
    in.notes_vi.push_back("Không có findings.json: chạy lại `hqdrill run` để có các phát hiện.");
    in.notes_en.push_back("No findings.json: re-run `hqdrill run` to get the findings.");
  }

  // Traces of the median and worst runs.
  for (IncidentData& inc : in.incidents) {
    for (auto [run, slot] : {std::pair{inc.median_run, &inc.median}, {inc.worst_run, &inc.worst}}) {
      if (run < 0) continue;
      const std::string rel = "traces/" + inc.id + "/run-" + std::to_string(run) + ".jsonl";
      if (!fs::exists(dir / rel, ec)) {
        in.notes_vi.push_back("Thiếu vết " + rel + ": biểu đồ diễn biến của lượt này không có.");
        in.notes_en.push_back("Missing trace " + rel + ": no timeline for that run.");
        continue;
      }
      *slot = read_trace_file(dir, rel, run, errors);
      if (!*slot) return std::nullopt;
      in.files.push_back(rel);
      const json h = json::parse((*slot)->read.header_json, nullptr, false);
      if (h.is_object()) {
        in.names.merge(Names::from_header(h));
        if (in.site.is_null() && h.contains("site") && h["site"].is_object()) in.site = h["site"];
      }
    }
  }

  // Optional plan and sensitivity files, of this scenario.
  const auto optional_json = [&](const std::string& given, const char* default_name,
                                 const char* schema, json& out, std::string& shown,
                                 void (*check)(Check&, const json&)) {
    const fs::path path = given.empty() ? dir / default_name : fs::path(given);
    shown = given.empty() ? (dir / default_name).string() : given;
    if (given.empty() && !fs::exists(path, ec)) return true;
    const auto j = read_json(path, shown, errors);
    if (!j) return false;
    Check cj(shown, errors);
    check_schema(cj, *j, schema);
    if (!cj.ok()) return false;
    const std::string name = cj.string(*j, "", "name");
    if (cj.ok() && name != in.scenario_name)
      cj.error("/name", "\"" + name + "\" is not the scenario of summary.json (\"" +
                            in.scenario_name + "\"): re-run it on " + in.scenario_file);
    if (cj.ok()) check(cj, *j);
    if (!cj.ok()) return false;
    out = *j;
    in.files.push_back(given.empty() ? default_name : given);
    return true;
  };
  if (!optional_json(plan_file, "plan.json", "hqdrill.plan/1", in.plan, in.plan_file, check_plan))
    return std::nullopt;
  if (!optional_json(sensitivity_file, "sensitivity.json", "hqdrill.sensitivity/2", in.sensitivity,
                     in.sensitivity_file, check_sensitivity))
    return std::nullopt;
  return in;
}

}  // namespace hqdrill::report
