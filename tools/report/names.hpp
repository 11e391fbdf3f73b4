// Names a reader knows things by, from a trace header (hqdrill.trace/1: roles, units,
// tasks, site nodes, flood cells, fire rooms and pedestrian groups, each with name and
// name_en), and the words for KPIs and trace events in Vietnamese and English. Shared by
// `hqdrill timeline` and `hqdrill report`.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace hqdrill::report {

struct Names {
  /// id -> {Vietnamese, English}; a missing name falls back to the other, then to the id.
  using Map = std::map<std::string, std::pair<std::string, std::string>>;
  Map roles, units, tasks, nodes, cells, rooms, groups;

  /// Reads what the header has; never throws (a missing list is an empty map).
  static Names from_header(const nlohmann::json& header);
  /// Adds what `other` has and this lacks.
  void merge(const Names& other);
  static std::string name(const Map& m, const std::string& id, bool vi);
};

/// A KPI in words, e.g. "notified_police_squad_leader_s" -> "Tiểu đội CSBVMT được báo" /
/// "Police squad leader told"; an unknown KPI is returned as is.
std::string kpi_label(const std::string& kpi, const Names& n, bool vi);

/// The headline word of a trace event type ("task_done" -> "Xong" / "Done"), or nullptr
/// for detail events (message attempts, departures...) and unknown types.
const char* event_word(const std::string& type, bool vi);
/// True for the detail events `hqdrill timeline --all` adds.
bool is_detail_event(const std::string& type);
/// What an event is about in words ("Bảo vệ trực chốt cổng chính ← ...: Đóng cổng chính").
std::string event_about(const nlohmann::json& e, const std::string& type, const Names& n, bool vi);

}  // namespace hqdrill::report
