#!/usr/bin/env python3
"""Writes the shipped fire scenarios (scenarios/fire-*.json) from the default scenario:
same site, forces, roles, links and protocols, byte for byte; only the name, the
description, the incidents and the targets differ. The night records-room fire is the
default's incident h; the others change its fire, its clock and its people. Run it after
changing quang-ngai-hq.json; tests/test_shipped_scenarios.cpp checks the files are in step.

    python3 tools/make_fire_scenarios.py
"""
import copy
import json

from make_crowd_scenarios import SCEN, write

TOOL = "tools/make_fire_scenarios.py"

# A point smoke detector on the records room's ceiling (the plan variant of the night fire).
SMOKE = {
    "id": "records_smoke", "room": "records", "kind": "smoke", "radius_m": 2.5, "role": "guard_hq_post",
    "notice_s": {"dist": "lognormal", "median": 45, "p90": 180},
    "assumption": "Plan option: a point smoke detector on the records room's ceiling, 2.5 m from the fire, "
                  "annunciating at the guard booth; the guard notices the panel in 45 s median, 3 min p90 at "
                  "night (as incident b of the default scenario assumes)."}

# A quick-response sprinkler over the records room's shelves (a third plan variant).
SPRINKLER = {
    "id": "records_sprinkler", "room": "records", "kind": "sprinkler", "rti": 50, "activation_c": 68,
    "radius_m": 2.5, "role": "guard_hq_post", "notice_s": {"dist": "lognormal", "median": 45, "p90": 180},
    "source": "Quick-response sprinkler: RTI at most 50 (m·s)^½ (models.md, CFAST Technical Reference); "
              "68 °C is the common ordinary-temperature rating.",
    "assumption": "Plan option: one sprinkler 2.5 m from the fire; a sprinkler-controlled fire is held at the HRR "
                  "it activates at (the fire model's hold); its flow alarm reaches the guard booth like a detector."}

# A 4 kg extinguisher hung by the records room's door (the other plan variant).
EXT_RECORDS = {
    "id": "ext_records", "name": "Bình bột chữa cháy MFZ4 cạnh cửa phòng lưu trữ",
    "name_en": "4 kg powder extinguisher by the records room's door", "kind": "extinguisher",
    "node": "hq_records_room", "tasks": ["first_attack"], "count": 1, "max_hrr_kw": 300, "setup_s": {"dist": "uniform", "min": 5, "max": 15},
    "assumption": "Plan option: as ext_lobby, kept at the records room's door."}


def main():
    default = json.loads((SCEN / "quang-ngai-hq.json").read_text(encoding="utf-8"))
    night = next(i for i in default["incidents"] if i["type"] == "fire")
    night_targets = [t for t in default["targets"] if t.get("incident") == night["id"]]

    def targets_for(id_, extra=()):
        out = []
        for t in night_targets + list(extra):
            t = copy.deepcopy(t)
            t["incident"] = id_
            out.append(t)
        return out

    about_night = ("Fire scenario (issue #6): a fire starts in the locked records room at 02:00 on a Sunday; "
                   "two guards on shift, the fire team and the Office leaders on call.")
    write("fire-records-night.json", "quang-ngai-hq.json",
          "Cháy phòng lưu trữ ban đêm", "Night fire in the records room",
          about_night + " Baseline: no detector, the guards' hourly round.", [night], targets_for(night["id"]),
          tool=TOOL)

    inc = copy.deepcopy(night)
    inc["id"] = "h-fire-records-sun-0200-smoke-detector"
    inc["name"] += " – có đầu báo khói"
    inc["name_en"] += " – with a smoke detector"
    inc["fire"]["detectors"] = [SMOKE]
    inc["note"] = "Plan variant of the night records-room fire: a smoke detector in the records room."
    write("fire-records-night-smoke-detector.json", "quang-ngai-hq.json",
          "Cháy phòng lưu trữ ban đêm – phương án lắp đầu báo khói",
          "Night fire in the records room – plan: a smoke detector",
          about_night + " Plan variant: a smoke detector in the records room annunciating at the guard booth.",
          [inc], targets_for(inc["id"]), tool=TOOL)

    inc = copy.deepcopy(night)
    inc["id"] = "h-fire-records-sun-0200-extinguisher"
    inc["name"] += " – thêm bình chữa cháy cạnh phòng"
    inc["name_en"] += " – extinguisher by the door"
    inc["fire"]["means"].insert(0, EXT_RECORDS)
    inc["note"] = "Plan variant of the night records-room fire: an extinguisher by the records room's door."
    write("fire-records-night-extinguisher.json", "quang-ngai-hq.json",
          "Cháy phòng lưu trữ ban đêm – phương án đặt bình chữa cháy cạnh phòng",
          "Night fire in the records room – plan: an extinguisher by its door",
          about_night + " Plan variant: a 4 kg extinguisher by the records room's door.",
          [inc], targets_for(inc["id"]), tool=TOOL)

    inc = copy.deepcopy(night)
    inc["id"] = "h-fire-records-sun-0200-sprinkler"
    inc["name"] += " – có đầu phun sprinkler"
    inc["name_en"] += " – with a sprinkler"
    inc["fire"]["detectors"] = [SPRINKLER]
    inc["note"] = ("Plan variant of the night records-room fire: a quick-response sprinkler over the shelves; "
                   "its flow alarm annunciates at the guard booth.")
    write("fire-records-night-sprinkler.json", "quang-ngai-hq.json",
          "Cháy phòng lưu trữ ban đêm – phương án lắp sprinkler", "Night fire in the records room – plan: a sprinkler",
          about_night + " Plan variant: a quick-response sprinkler in the records room (it holds the fire at the "
          "size it activates at).", [inc], targets_for(inc["id"]), tool=TOOL)

    # Working day: a fire in the ground-floor offices, the building full (incident f's people).
    evac = next(i for i in default["incidents"] if i["id"] == "f-evacuation-mon-1000")
    day = copy.deepcopy(night)
    day["id"] = "fire-offices-mon-1000"
    day["name"] = "Cháy phòng làm việc tầng 1, thứ Hai 10:00 (ngày làm việc, nhà đông người)"
    day["name_en"] = "Fire in the ground-floor offices, Monday 10:00 (working day, building full)"
    day["node"] = "hq_corridor_g"
    day["start"] = {"weekday": "mon", "time": "10:00", "holiday": False}
    day["fire"]["origin"] = "offices_g"
    for v in day["fire"]["vents"]:
        if v["id"] in ("records_door", "offices_door", "offices_windows", "front_door", "back_door",
                       "floor_1_windows"):
            v["open"] = True
    day["pedestrians"] = copy.deepcopy(evac["pedestrians"])
    day["fire"]["occupants"] = {
        "tell": "guard_hq_post", "notice_s": {"dist": "lognormal", "median": 30, "p90": 90},
        "assumption": "Staff who see flames or smoke phone or run to the guard: 30 s median, 90 s p90."}
    day["primary_kpi"] = "aset_margin_s"
    day["note"] = ("Working hours: doors and windows open, 115 people in the building (incident f's groups). "
                   "Staff in the offices see the fire and tell the guard, who sounds the alarm; the in-house "
                   "fire team is on site.")
    day_targets = [
        {"incident": day["id"], "kpi": "exposed_n", "max": 0, "min_fraction": 0.95,
         "description": "Nobody is still in a room when it becomes untenable in 95% of runs.", "assumption": "Ours."},
        {"incident": day["id"], "kpi": "alarm_s", "max_s": 180, "min_fraction": 0.9,
         "description": "Building alarm within 3 min of ignition in 90% of runs.", "assumption": "Ours."},
        {"incident": day["id"], "kpi": "rset_s", "max_s": 600, "min_fraction": 0.9,
         "description": "Everyone out within 10 min of ignition in 90% of runs.", "assumption": "Ours."},
        {"incident": day["id"], "kpi": "controlled_by_team_fraction", "max": 1, "min_fraction": 1,
         "description": "(Reported, always met: the share of runs the in-house response controls the fire.)",
         "assumption": "A reporting target."}]
    write("fire-offices-weekday.json", "quang-ngai-hq.json",
          "Cháy nhà làm việc chính trong giờ làm việc", "Working-day fire in the main building",
          "Fire scenario (issue #6): a fire in the ground-floor offices at 10:00 on a Monday with the building "
          "full; evacuation with the pedestrian model against the smoke.", [day], day_targets, tool=TOOL)

    # The same fire while a crowd complaint holds the gate: the crowd's demand on people and
    # roads as commitments and closed edges (the two incidents are not co-simulated).
    both = copy.deepcopy(day)
    both["id"] = "fire-offices-during-crowd-mon-0900"
    both["name"] = "Cháy phòng làm việc tầng 1 trong lúc khiếu kiện đông người tại cổng chính, thứ Hai 09:00"
    both["name_en"] = "Fire in the ground-floor offices during a crowd complaint at the main gate, Monday 09:00"
    both["start"] = {"weekday": "mon", "time": "09:00", "holiday": False}
    both["commitments"] = [
        {"unit": "police_squad", "members": 3, "from_s": 0, "to_s": 7200,
         "note": "The three officers on watch hold the line at the main gate (crowd-200, an hour in). Ours."},
        {"unit": "guards_hq", "members": 1, "from_s": 0, "to_s": 7200,
         "note": "One of the two guards on shift keeps the closed main gate. Ours."},
        {"unit": "self_defence", "members": 10, "from_s": 0, "to_s": 7200,
         "note": "Six self-defence members at the gate and four on the building's entrances (the crowd protocol). Ours."}]
    # The crowd fills the street in front of the main gate and the gate is shut (ours).
    both["edge_events"] = [{"at_s": 0, "edge": "e_st_front", "state": "closed"},
                           {"at_s": 0, "edge": "e_gate_main", "state": "closed"}]
    both["note"] = ("The crowd is represented by what it takes from the fire response (issue #6's 'competing for the "
                    "same people'): the police on watch, a guard and ten self-defence members are busy at the gate, "
                    "and the street and the main gate are shut, so the fire engine must come round to the side gate. "
                    "The crowd itself is not simulated in this incident (see docs/design/fire.md).")
    write("fire-during-crowd.json", "quang-ngai-hq.json",
          "Cháy trong lúc khiếu kiện đông người", "Fire during a crowd complaint",
          "Fire scenario (issue #6): the working-day office fire while a crowd complaint holds the main gate.",
          [both], [dict(t, incident=both["id"]) for t in day_targets], tool=TOOL)


if __name__ == "__main__":
    main()
