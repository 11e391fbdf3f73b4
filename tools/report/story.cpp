#include "report/story.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "report/text.hpp"

namespace hqdrill::report {

namespace {

using nlohmann::json;

std::string str(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

}  // namespace

Story build_story(const io::TraceRead& trace, bool vi) {
  const json h = json::parse(trace.header_json, nullptr, false);
  const Names names = Names::from_header(h.is_object() ? h : json::object());
  const Lang lang{vi};
  Story story;
  if (h.is_object()) {
    if (h.contains("run") && h["run"].is_number_integer()) story.run = h["run"].get<int>();
    story.label = str(h, "label");
  }

  std::vector<StoryLane> incident(1), roles, units, tasks;
  incident[0].kind = StoryLane::Kind::incident;
  incident[0].id = "incident";
  incident[0].label = vi ? "Sự việc" : "Incident";
  auto lane = [&](std::vector<StoryLane>& v, StoryLane::Kind kind, const std::string& id,
                  const std::string& label) -> StoryLane& {
    for (StoryLane& l : v)
      if (l.id == id) return l;
    v.push_back({kind, id, label, {}});
    return v.back();
  };
  // Open intervals: unit trips by mover, task (assigned, started) times by task id.
  std::map<long long, std::pair<double, std::string>> trips;
  std::map<std::string, double> assigned, started;
  auto at = [&](double t) { return "+" + duration(t, lang) + ": "; };

  for (const io::TraceLine& l : trace.lines) {
    if (l.type == "positions" || l.type == "end" || l.type == "fire" || l.type == "flood" ||
        l.type == "peds")
      continue;
    const json e = json::parse(l.json, nullptr, false);
    if (!e.is_object()) continue;
    const double t = l.t_s;
    const char* word = event_word(l.type, vi);
    const std::string about = event_about(e, l.type, names, vi);
    const std::string tip = at(t) + (word ? word : l.type) + (about.empty() ? "" : ": " + about);
    bool shown = true;
    if (l.type == "role_alerted" || l.type == "role_acting" || l.type == "role_vacant" ||
        l.type == "command_taken") {
      const std::string id = str(e, "role");
      StoryLane& r = lane(roles, StoryLane::Kind::role, id, Names::name(names.roles, id, vi));
      const auto kind = l.type == "role_vacant" ? StoryItem::Kind::alarm : StoryItem::Kind::point;
      if (l.type == "role_acting" && !r.items.empty()) {
        // The wait between being told and acting: reaction (and answering) time.
        const double told = r.items.front().t0;
        r.items.push_back({StoryItem::Kind::wait, told, t, tip});
      } else {
        r.items.push_back({kind, t, t, tip});
      }
    } else if (l.type == "message_given_up" || l.type == "message_no_link") {
      const std::string id = str(e, "role").empty() ? str(e, "from") : str(e, "role");
      lane(roles, StoryLane::Kind::role, id, Names::name(names.roles, id, vi))
          .items.push_back({StoryItem::Kind::alarm, t, t, tip});
    } else if (l.type == "unit_departed") {
      const long long mover =
          e.contains("mover") && e["mover"].is_number_integer() ? e["mover"].get<long long>() : -1;
      trips[mover] = {t, str(e, "unit")};
      shown = false;
    } else if (l.type == "unit_arrived") {
      const long long mover =
          e.contains("mover") && e["mover"].is_number_integer() ? e["mover"].get<long long>() : -1;
      const std::string id = str(e, "unit");
      const auto it = trips.find(mover);
      const double t0 = it != trips.end() ? it->second.first : t;
      if (it != trips.end()) trips.erase(it);
      lane(units, StoryLane::Kind::unit, id, Names::name(names.units, id, vi))
          .items.push_back({StoryItem::Kind::bar, t0, t,
                            at(t0) + (vi ? "xuất phát → " : "departed → ") + at(t) +
                                (vi ? "đến " : "arrived ") +
                                Names::name(names.nodes, str(e, "node"), vi)});
    } else if (l.type == "unit_blocked" || l.type == "unit_called_out") {
      const std::string id = str(e, "unit");
      lane(units, StoryLane::Kind::unit, id, Names::name(names.units, id, vi))
          .items.push_back(
              {l.type == "unit_blocked" ? StoryItem::Kind::alarm : StoryItem::Kind::point, t, t,
               tip});
    } else if (l.type == "task_assigned") {
      assigned.emplace(str(e, "task"), t);
      shown = false;
    } else if (l.type == "task_started") {
      started.emplace(str(e, "task"), t);
      shown = false;
    } else if (l.type == "task_done" || l.type == "task_unstaffed" || l.type == "work_abandoned") {
      const std::string id = str(e, "task");
      StoryLane& k = lane(tasks, StoryLane::Kind::task, id, Names::name(names.tasks, id, vi));
      if (l.type != "task_done") {
        k.items.push_back({StoryItem::Kind::alarm, t, t, tip});
      } else {
        const auto a = assigned.find(id);
        const auto s = started.find(id);
        const double ta = a != assigned.end() ? a->second : t;
        const double ts = s != started.end() ? s->second : ta;
        if (ts > ta)
          k.items.push_back({StoryItem::Kind::wait, ta, ts,
                             at(ta) + (vi ? "giao việc, chờ người đến" : "assigned, waiting")});
        k.items.push_back(
            {StoryItem::Kind::bar, ts, t, at(ts) + (vi ? "bắt đầu → " : "started → ") + tip});
      }
    } else if (word) {
      const bool bad = l.type == "room_flashover" || l.type == "water_entered" ||
                       l.type == "barrier_overtopped" || l.type == "room_untenable";
      incident[0].items.push_back(
          {bad ? StoryItem::Kind::alarm : StoryItem::Kind::point, t, t, tip});
    } else {
      shown = false;
    }
    if (shown) story.end_s = std::max(story.end_s, t);
  }
  // Units that set off and never arrived (blocked, cut off, still on the way): open
  // bars to the last event.
  for (const auto& [mover, trip] : trips) {
    (void)mover;
    lane(units, StoryLane::Kind::unit, trip.second, Names::name(names.units, trip.second, vi))
        .items.push_back({StoryItem::Kind::wait, trip.first, std::max(trip.first, story.end_s),
                          at(trip.first) + (vi ? "xuất phát, chưa đến" : "departed, not arrived")});
  }
  // Tasks started and never done: open bars to the last event.
  for (const auto& [id, ts] : started) {
    bool done = false;
    for (const StoryLane& k : tasks)
      if (k.id == id)
        for (const StoryItem& it : k.items) done = done || it.kind == StoryItem::Kind::bar;
    if (!done)
      lane(tasks, StoryLane::Kind::task, id, Names::name(names.tasks, id, vi))
          .items.push_back({StoryItem::Kind::wait, ts, story.end_s,
                            at(ts) + (vi ? "bắt đầu, chưa xong" : "started, not done")});
  }
  for (auto* v : {&incident, &roles, &units, &tasks})
    for (StoryLane& l : *v)
      if (!l.items.empty() || l.kind == StoryLane::Kind::incident)
        story.lanes.push_back(std::move(l));
  if (story.lanes.size() == 1 && story.lanes[0].items.empty()) story.lanes.clear();
  return story;
}

}  // namespace hqdrill::report
