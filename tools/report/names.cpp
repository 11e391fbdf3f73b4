#include "report/names.hpp"

#include <set>
#include <string_view>
#include <utility>
#include <vector>

namespace hqdrill::report {

namespace {

using nlohmann::json;

std::string str(const json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>()
                                                                : std::string();
}

void read_list(const json& list, Names::Map& out) {
  if (!list.is_array()) return;
  for (const json& x : list) {
    const std::string id = str(x, "id");
    if (id.empty()) continue;
    out[id] = {str(x, "name"), str(x, "name_en")};
  }
}

const json& member(const json& j, const char* key) {
  static const json kNull;
  return j.is_object() && j.contains(key) ? j[key] : kNull;
}

bool starts(const std::string& s, std::string_view p) {
  return s.rfind(p, 0) == 0;
}
bool ends(const std::string& s, std::string_view p) {
  return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}
/// s without `prefix` and `suffix` (both known to be there).
std::string middle(const std::string& s, std::string_view prefix, std::string_view suffix) {
  return s.substr(prefix.size(), s.size() - prefix.size() - suffix.size());
}

}  // namespace

Names Names::from_header(const json& h) {
  Names n;
  read_list(member(h, "roles"), n.roles);
  read_list(member(h, "units"), n.units);
  read_list(member(h, "tasks"), n.tasks);
  read_list(member(h, "groups"), n.groups);
  read_list(member(member(h, "site"), "nodes"), n.nodes);
  read_list(member(member(h, "flood"), "cells"), n.cells);
  read_list(member(member(h, "fire"), "rooms"), n.rooms);
  return n;
}

void Names::merge(const Names& o) {
  for (auto [mine, theirs] : std::vector<std::pair<Map*, const Map*>>{{&roles, &o.roles},
                                                                      {&units, &o.units},
                                                                      {&tasks, &o.tasks},
                                                                      {&nodes, &o.nodes},
                                                                      {&cells, &o.cells},
                                                                      {&rooms, &o.rooms},
                                                                      {&groups, &o.groups}})
    mine->insert(theirs->begin(), theirs->end());
}

std::string Names::name(const Map& m, const std::string& id, bool vi) {
  const auto it = m.find(id);
  if (it == m.end()) return id;
  const std::string& first = vi ? it->second.first : it->second.second;
  const std::string& second = vi ? it->second.second : it->second.first;
  return !first.empty() ? first : !second.empty() ? second : id;
}

std::string kpi_label(const std::string& k, const Names& n, bool vi) {
  struct Fixed {
    const char* kpi;
    const char* vi;
    const char* en;
  };
  static const Fixed kFixed[] = {
      {"detect_s", "Phát hiện sự việc", "Incident detected"},
      {"all_on_scene_s", "Mọi lực lượng được điều động có mặt", "Every unit sent on scene"},
      {"peds_out_s", "Mọi người ra khỏi nhà", "Everyone out of the building"},
      {"complaint_received_s", "Tiếp nhận đơn khiếu nại", "Complaint received"},
      {"cordon_formed_s", "Lập hàng rào bảo vệ", "Cordon formed"},
      {"gate_closed_s", "Đóng cổng", "Gate closed"},
      {"dialogue_started_s", "Bắt đầu đối thoại", "Dialogue started"},
      {"breach_s", "Đám đông vượt cổng", "Gate breached"},
      {"breach_fraction", "Cổng bị vượt (1 = có)", "Gate breached (1 = yes)"},
      {"first_at_gate_s", "Người đầu tiên của đoàn đến cổng", "First marcher at the gate"},
      {"first_defender_at_gate_s", "Lực lượng bảo vệ đầu tiên tại cổng",
       "First defender at the gate"},
      {"reinforcements_on_scene_s", "Lực lượng tăng cường có mặt", "Reinforcements on scene"},
      {"defenders_when_crowd_arrives_n", "Số người bảo vệ tại cổng khi đoàn đến",
       "Defenders at the gate when the crowd arrives"},
      {"intruders_n", "Số người vượt vào trong", "Intruders"},
      {"marched_n", "Số người tuần hành", "Marchers"},
      {"peak_active_fraction", "Tỷ lệ kích động cao nhất", "Peak share agitated"},
      {"peak_at_gate_n", "Số người đông nhất tại cổng", "Peak crowd at the gate"},
      {"peak_density_ppm2", "Mật độ cao nhất", "Peak density"},
      {"peak_place_density_ppm2", "Mật độ cao nhất tại điểm theo dõi", "Peak density at a place"},
      {"peak_gate_pressure_npm", "Lực ép lên cổng cao nhất", "Peak line load on the gate"},
      {"peak_pushers_n", "Số người xô đẩy cao nhất", "Peak pushers"},
      {"street_blocked_s", "Thời gian đường bị chặn", "Street blocked"},
      {"detection_s", "Phát hiện cháy", "Fire detected"},
      {"alarm_s", "Báo động cháy", "Fire alarm"},
      {"first_attack_s", "Chữa cháy ban đầu", "First attack on the fire"},
      {"controlled_s", "Khống chế đám cháy", "Fire controlled"},
      {"fire_police_on_scene_s", "Cảnh sát PCCC có mặt", "Fire police on scene"},
      {"aset_s", "Thời gian an toàn sẵn có (ASET)", "Available safe egress time (ASET)"},
      {"rset_s", "Thời gian thoát nạn cần thiết (RSET)", "Required safe egress time (RSET)"},
      {"aset_margin_s", "Độ dư an toàn ASET − RSET", "Safety margin ASET − RSET"},
      {"evacuation_complete_s", "Thoát nạn xong", "Evacuation complete"},
      {"exposed_n", "Số người bị phơi nhiễm khói", "People exposed to smoke"},
      {"flashover_fraction", "Cháy lan toàn phòng (1 = có)", "Flashover (1 = yes)"},
      {"controlled_by_team_fraction", "Tỷ lệ do đội PCCC cơ sở khống chế",
       "Share controlled by the in-house team"},
      {"rooms_involved", "Số phòng bị cháy", "Rooms on fire"},
      {"records_lost_fraction", "Tỷ lệ hồ sơ bị mất", "Share of records lost"},
      {"peak_hrr_kw", "Công suất cháy cao nhất", "Peak heat release rate"},
      {"warning_lead_s", "Thời gian từ cảnh báo đến khi bão đổ bộ",
       "Lead time from warning to landfall"},
      {"barriers_complete_s", "Hoàn thành tường bao cát", "Sandbag walls complete"},
      {"records_moved_s", "Chuyển xong hồ sơ lưu trữ", "Records moved"},
      {"first_water_entry_s", "Nước bắt đầu vào nhà", "First water in a building"},
      {"time_above_threshold_s", "Thời gian ngập quá ngưỡng", "Time above the depth threshold"},
      {"barriers_failed", "Số tường bao cát bị tràn", "Sandbag walls overtopped"},
      {"site_isolated_s", "Thời gian khu vực bị cô lập với xe", "Site cut off for vehicles"},
  };
  for (const Fixed& f : kFixed)
    if (k == f.kpi) return vi ? f.vi : f.en;
  if (starts(k, "notified_") && ends(k, "_s"))
    return Names::name(n.roles, middle(k, "notified_", "_s"), vi) + (vi ? " được báo" : " told");
  if (starts(k, "on_scene_") && ends(k, "_s"))
    return Names::name(n.units, middle(k, "on_scene_", "_s"), vi) + (vi ? " có mặt" : " on scene");
  if (starts(k, "task_") && ends(k, "_done_s"))
    return (vi ? "Xong: " : "Done: ") + Names::name(n.tasks, middle(k, "task_", "_done_s"), vi);
  if (starts(k, "peds_out_") && ends(k, "_s"))
    return (vi ? "Ra khỏi nhà: " : "Out of the building: ") +
           Names::name(n.groups, middle(k, "peds_out_", "_s"), vi);
  if (starts(k, "aset_") && ends(k, "_s"))
    return "ASET " + Names::name(n.rooms, middle(k, "aset_", "_s"), vi);
  if (starts(k, "first_water_entry_") && ends(k, "_s"))
    return (vi ? "Nước vào: " : "Water in: ") +
           Names::name(n.cells, middle(k, "first_water_entry_", "_s"), vi);
  if (starts(k, "max_depth_") && ends(k, "_m"))
    return (vi ? "Độ sâu ngập lớn nhất: " : "Peak depth: ") +
           Names::name(n.cells, middle(k, "max_depth_", "_m"), vi);
  if (ends(k, "_at_gate_s")) {
    const std::string unit = k.substr(0, k.size() - std::string_view("_at_gate_s").size());
    return Names::name(n.units, unit, vi) + (vi ? " tại cổng" : " at the gate");
  }
  return k;
}

namespace {
struct Word {
  const char* vi;
  const char* en;
};
const std::map<std::string, Word>& words() {
  static const std::map<std::string, Word> kWords{
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
  return kWords;
}
}  // namespace

const char* event_word(const std::string& type, bool vi) {
  const auto it = words().find(type);
  if (it == words().end()) return nullptr;
  return vi ? it->second.vi : it->second.en;
}

bool is_detail_event(const std::string& type) {
  static const std::set<std::string> kDetail{
      "message_sent", "message_received", "message_failed", "unit_departed",
      "unit_arrived", "role_acting",      "role_done",      "message_acknowledged"};
  return kDetail.count(type) > 0;
}

std::string event_about(const json& e, const std::string& type, const Names& n, bool vi) {
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
  std::string about;
  if (e.contains("phase")) about = word(str(e, "phase"));
  if (e.contains("role")) about += Names::name(n.roles, str(e, "role"), vi);
  if (e.contains("from") && type == "role_alerted")
    about += (vi ? " ← " : " from ") + Names::name(n.roles, str(e, "from"), vi);
  if (e.contains("task"))
    about += (about.empty() ? "" : ": ") + Names::name(n.tasks, str(e, "task"), vi);
  if (e.contains("unit") && !e.contains("task"))
    about += (about.empty() ? "" : ", ") + Names::name(n.units, str(e, "unit"), vi);
  if (e.contains("cell")) about += Names::name(n.cells, str(e, "cell"), vi);
  if (e.contains("room") && !e.contains("role")) about += Names::name(n.rooms, str(e, "room"), vi);
  if (e.contains("barrier")) about += str(e, "barrier");
  if (e.contains("edge")) about += str(e, "edge");
  if (e.contains("passable")) about += " → " + word(str(e, "passable"));
  if (e.contains("node") && (type == "unit_blocked" || type == "dispatch_ordered"))
    about += " @ " + Names::name(n.nodes, str(e, "node"), vi);
  if (e.contains("members") && e["members"].is_number_integer())
    about += " (" + std::to_string(e["members"].get<long long>()) + ")";
  return about;
}

}  // namespace hqdrill::report
