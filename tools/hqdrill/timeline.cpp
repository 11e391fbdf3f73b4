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

namespace hqdrill::cli {

namespace {

constexpr int kExitBadInput = 2;

using nlohmann::json;

/// id -> display name from a header list of objects with id, name, name_en.
std::map<std::string, std::string> names_of(const json& list, bool vi) {
  std::map<std::string, std::string> out;
  if (!list.is_array()) return out;
  for (const json& x : list) {
    if (!x.is_object() || !x.contains("id") || !x["id"].is_string()) continue;
    const char* key = vi ? "name" : "name_en";
    std::string n = x.contains(key) && x[key].is_string() ? x[key].get<std::string>() : "";
    out[x["id"].get<std::string>()] = n.empty() ? x["id"].get<std::string>() : n;
  }
  return out;
}

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
  const auto roles = names_of(h.value("roles", json::array()), vi);
  const auto units = names_of(h.value("units", json::array()), vi);
  const auto tasks = names_of(h.value("tasks", json::array()), vi);
  const json flood = h.value("flood", json::object());
  const auto cells = names_of(flood.value("cells", json::array()), vi);
  std::map<std::string, std::string> nodes;
  if (h.contains("site") && h["site"].is_object())
    nodes = names_of(h["site"].value("nodes", json::array()), vi);
  auto name = [](const std::map<std::string, std::string>& m, const std::string& id) {
    const auto it = m.find(id);
    return it == m.end() ? id : it->second;
  };

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
  static const std::map<std::string, std::pair<const char*, const char*>> kWords{
      {"typhoon_phase", {"Bão", "Storm"}},
      {"detected", {"Phát hiện / nhận tin", "Detected / warned"}},
      {"role_alerted", {"Nhận tin", "Told"}},
      {"role_vacant", {"KHÔNG CÓ NGƯỜI giữ vai trò", "Role VACANT"}},
      {"message_given_up", {"Bỏ liên lạc (không được)", "Message GIVEN UP"}},
      {"message_no_link", {"Không có đường liên lạc", "No comms link"}},
      {"dispatch_ordered", {"Lệnh điều động", "Dispatch ordered"}},
      {"unit_called_out", {"Gọi người ngoài giờ", "Called out"}},
      {"unit_blocked", {"Bị chặn đường", "Blocked"}},
      {"task_assigned", {"Giao nhiệm vụ", "Task assigned"}},
      {"task_unstaffed", {"Nhiệm vụ KHÔNG CÓ NGƯỜI", "Task UNSTAFFED"}},
      {"task_started", {"Bắt đầu", "Started"}},
      {"task_done", {"Xong", "Done"}},
      {"work_abandoned", {"Bỏ dở (tường bao cát bị tràn)", "Abandoned (wall overtopped)"}},
      {"command_taken", {"Nắm quyền chỉ huy", "Takes command"}},
      {"water_entered", {"NƯỚC VÀO", "WATER IN"}},
      {"barrier_overtopped", {"TƯỜNG BAO CÁT BỊ TRÀN", "SANDBAG WALL OVERTOPPED"}},
      {"power_cut", {"Mất điện lưới", "Grid power cut"}},
      {"power_restored", {"Có điện lại", "Grid power back"}},
      {"window_broken", {"Vỡ cửa kính, mưa tạt vào", "Window broken, rain in"}},
      {"edge_flooded", {"Đường ngập", "Road under water"}},
      {"edge_closed", {"Đóng đường", "Edge closed"}},
      {"edge_opened", {"Mở đường", "Edge open"}},
      {"fire_noticed", {"Phát hiện cháy", "Fire noticed"}},
      {"alarm_sounded", {"Báo động", "Alarm sounded"}},
      {"fire_attacked", {"Chữa cháy", "Fire attacked"}},
      {"room_flashover", {"CHÁY LAN TOÀN PHÒNG", "FLASHOVER"}},
      {"room_untenable", {"Phòng không còn an toàn", "Room untenable"}},
      {"peds_all_out", {"Mọi người đã ra hết", "Everyone out"}},
  };
  static const std::set<std::string> kDetail{
      "message_sent", "message_received", "message_failed", "unit_departed",
      "unit_arrived", "role_acting",      "role_done",      "message_acknowledged"};
  int printed = 0;
  for (const io::TraceLine& l : tr.lines) {
    const auto w = kWords.find(l.type);
    const bool detail = kDetail.count(l.type) > 0;
    if (w == kWords.end() && !(all_ && detail)) continue;
    const json e = json::parse(l.json, nullptr, false);
    if (!e.is_object()) continue;
    std::string what = w != kWords.end() ? (vi ? w->second.first : w->second.second) : l.type;
    std::string about;
    static const std::map<std::string, std::string> kVi{{"forecast", "dự báo"},
                                                        {"warning", "cảnh báo"},
                                                        {"landfall", "đổ bộ"},
                                                        {"peak", "đỉnh lũ"},
                                                        {"recession", "lũ rút"},
                                                        {"open", "thông"},
                                                        {"no_vehicles", "xe không qua được"},
                                                        {"closed", "không đi được"}};
    auto word = [&](const std::string& x) {
      const auto it = kVi.find(x);
      return vi && it != kVi.end() ? it->second : x;
    };
    if (e.contains("phase")) about = word(str(e, "phase"));
    if (e.contains("role")) about += name(roles, str(e, "role"));
    if (e.contains("from") && l.type == "role_alerted")
      about += (vi ? " ← " : " from ") + name(roles, str(e, "from"));
    if (e.contains("task")) about += (about.empty() ? "" : ": ") + name(tasks, str(e, "task"));
    if (e.contains("unit") && !e.contains("task"))
      about += (about.empty() ? "" : ", ") + name(units, str(e, "unit"));
    if (e.contains("cell")) about += name(cells, str(e, "cell"));
    if (e.contains("barrier")) about += str(e, "barrier");
    if (e.contains("edge")) about += str(e, "edge");
    if (e.contains("passable")) about += " → " + word(str(e, "passable"));
    if (e.contains("node") && (l.type == "unit_blocked" || l.type == "dispatch_ordered"))
      about += " @ " + name(nodes, str(e, "node"));
    if (e.contains("members")) about += " (" + std::to_string(e.value("members", 0)) + ")";
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
