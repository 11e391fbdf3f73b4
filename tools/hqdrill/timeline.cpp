#include "timeline.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "hqdrill/io/trace_io.hpp"
#include "report/names.hpp"

namespace hqdrill::cli {

namespace {

constexpr int kExitBadInput = 2;

using nlohmann::json;

std::string str(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

}  // namespace

TimelineCommand::TimelineCommand(CLI::App& app) {
  sub_ = app.add_subcommand(
      "timeline",
      "Print one traced run (results/<scenario>/traces/<incident>/run-K.jsonl) as a timeline.");
  sub_->add_option("TRACE", trace_, "Trace file (JSON Lines, hqdrill.trace/1)")->required();
  sub_->add_option("--lang", lang_, "vi (default) or en")->check(CLI::IsMember({"vi", "en"}));
  sub_->add_flag("--all", all_, "Also every message attempt, departure and arrival");
}

int TimelineCommand::run() const {
  std::ifstream in(trace_, std::ios::binary);
  if (!in) {
    std::cerr << "hqdrill timeline: cannot open " << trace_ << "\n";
    return kExitBadInput;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const io::TraceRead tr = io::read_trace(ss.str());
  if (!tr.ok) {
    for (const auto& d : tr.diagnostics.items)
      std::cerr << trace_ << ": " << d.pointer << ": " << d.message << "\n";
    if (tr.diagnostics.items.empty()) std::cerr << trace_ << ": not a readable trace\n";
    return kExitBadInput;
  }
  const bool vi = lang_ == "vi";
  const json h = json::parse(tr.header_json, nullptr, false);
  const json inc = h.value("incident", json::object());
  const report::Names names = report::Names::from_header(h);

  // Clock: the incident's start weekday and time.
  static const char* const kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  static const char* const kDaysVi[] = {"T2", "T3", "T4", "T5", "T6", "T7", "CN"};
  static const char* const kDaysEn[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  const json start = inc.value("start", json::object());
  int day0 = 0, minute0 = 0;
  const std::string wd = str(start, "weekday");
  for (int d = 0; d < 7; ++d)
    if (wd == kDays[d]) day0 = d;
  const std::string tm = str(start, "time");
  if (tm.size() >= 5) minute0 = std::stoi(tm.substr(0, 2)) * 60 + std::stoi(tm.substr(3, 2));
  auto clock = [&](double t_s) {
    const long m = minute0 + static_cast<long>(std::floor(t_s / 60.0));
    const int day = static_cast<int>((day0 + m / 1440) % 7);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s %02ld:%02ld  (+%6.2f h)", vi ? kDaysVi[day] : kDaysEn[day],
                  (m % 1440) / 60, m % 60, t_s / 3600.0);
    return std::string(buf);
  };

  std::cout << str(inc, vi ? "name" : "name_en") << "\n"
            << (vi ? "Lượt chạy " : "Run ") << h.value("run", 0) << " (" << str(h, "label") << "), "
            << (vi ? "bắt đầu " : "start ") << str(start, "date") << " " << wd << " " << tm
            << "\n\n";
  int printed = 0;
  for (const io::TraceLine& l : tr.lines) {
    const char* word = report::event_word(l.type, vi);
    if (!word && !(all_ && report::is_detail_event(l.type))) continue;
    const json e = json::parse(l.json, nullptr, false);
    if (!e.is_object()) continue;
    const std::string what = word ? word : l.type;
    const std::string about = report::event_about(e, l.type, names, vi);
    std::cout << "  " << clock(l.t_s) << "  " << what << (about.empty() ? "" : ": ") << about
              << "\n";
    ++printed;
  }
  if (!tr.complete)
    std::cout << (vi ? "\n(vết bị cắt cụt: thiếu dòng \"end\")\n"
                     : "\n(the trace is truncated: no \"end\" line)\n");
  if (printed == 0) std::cout << (vi ? "(không có sự kiện)\n" : "(no events)\n");
  return 0;
}

}  // namespace hqdrill::cli
