#!/usr/bin/env python3
"""Writes the shipped flood scenarios (scenarios/typhoon-*.json, flood-*.json) from the
default scenario: same site, forces, roles, links and protocols, byte for byte; only the
name, the description, the incidents and the targets differ. The weekday typhoon is the
default's incident i; the night one moves its clock and shortens its warning; the plan
variants add a pump or sandbags by the archive; the last adds a fire during the flood.
Run it after changing quang-ngai-hq.json; tests/test_shipped_scenarios.cpp checks the
files are in step.

    python3 tools/make_flood_scenarios.py
"""
import copy
import json

from make_crowd_scenarios import SCEN, write

TOOL = "tools/make_flood_scenarios.py"
H = 3600

# Plan option: an electric sump pump in the archive, on the building's supply (and the
# generator, when the plan starts it).
RECORDS_PUMP = {
    "id": "records_pump", "name": "Bơm chìm chạy dầu 2 inch đặt sẵn trong kho lưu trữ",
    "name_en": "2-inch diesel pump set ready in the archive", "from": "hq_records", "to": "outside",
    "capacity_m3_h": 35, "power": "engine", "fuel_h": 12,
    "assumption": "Plan option: a 2-inch trash pump (30-40 m³/h, models.md) with its hose out of the window, "
                  "primed and started by its float switch: it needs no one (ours)."}


def shift_series(points, dt_s):
    return [dict(p, at_s=max(0, p["at_s"] + dt_s)) for p in points]


def main():
    default = json.loads((SCEN / "quang-ngai-hq.json").read_text(encoding="utf-8"))
    weekday = next(i for i in default["incidents"] if i["type"] == "flood")
    wd_targets = [t for t in default["targets"] if t.get("incident") == weekday["id"]]

    def targets_for(id_, extra=()):
        out = []
        for t in wd_targets + list(extra):
            t = copy.deepcopy(t)
            t["incident"] = id_
            out.append(t)
        return out

    about = ("Flood scenario (issue #7): a typhoon forecast 36 h before landfall; the Trà Khúc rises from below "
             "BĐ I to 1.1 m above BĐ III; the Office's flood plan sandbags the doors, carries the archive upstairs, "
             "moves the vehicles and checks the pump.")
    write("typhoon-bd3-weekday.json", "quang-ngai-hq.json", "Bão và lũ trên báo động III, ngày làm việc",
          "Typhoon and flood above alarm level III, working days", about + " Warning on Monday afternoon.",
          [weekday], targets_for(weekday["id"]), tool=TOOL, generic_targets=False)

    # The same storm arriving the night before a public holiday (2 September 2018 is a
    # Sunday, compensated on Monday 3 September): the forecast at 18:00 on Saturday 1,
    # the warning at 22:00 (the storm sped up: 16 h to landfall instead of 30), nobody
    # of the flood team on site, the duty leader reads the dispatch later at night.
    night = copy.deepcopy(weekday)
    night["id"] = "i-typhoon-bd3-night-before-holiday"
    night["name"] = ("Bão đổ bộ, lũ sông Trà Khúc trên báo động III, đêm trước ngày nghỉ lễ Quốc khánh "
                     "(dự báo 18:00 thứ Bảy 01/9)")
    night["name_en"] = ("Typhoon landfall, Trà Khúc above alarm level III, the night before the National Day "
                        "holiday (forecast Saturday 1 September 18:00)")
    night["start"] = {"date": "2018-09-01", "time": "18:00"}
    night["detection"] = {"role": "office_duty_leader", "delay_s": {"dist": "lognormal", "median": 14400, "p90": 43200}}
    night["assumption"] = ("The storm speeds up: the warning reaches the Office at 22:00, 16 h before landfall "
                           "(20 h after the forecast). It comes as a written dispatch (công điện) to the Office; on a "
                           "holiday eve the duty leader, at home, learns of it 4 h (median) to 12 h (p90, when the "
                           "Office opens its mail in the morning) later (ours).")
    f = night["flood"]
    # Everything from the warning on comes 14 h sooner than on the weekday (30 h → 16 h).
    dt = -14 * H
    f["typhoon"] = dict(f["typhoon"], warning_s=4 * H, landfall_s=20 * H, peak_s=26 * H, recession_s=38 * H,
                        assumption="20 h from forecast to landfall, warning 16 h ahead (ours: a storm that "
                                   "speeds up over the sea).")
    f["river"]["stage"] = [{"at_s": 0, "level_m": 4.2}, {"at_s": 10 * H, "alarm": "II", "plus_m": 0.1},
                           {"at_s": 17 * H, "alarm": "III"}, {"at_s": 26 * H, "alarm": "III", "plus_m": 1.1},
                           {"at_s": 38 * H, "alarm": "III", "plus_m": -0.1}, {"at_s": 44 * H, "alarm": "II", "plus_m": 0.8}]
    f["river"]["assumption"] = ("From between BĐ I and II to 1.1 m above BĐ III in 26 h (ours: the weekday "
                                "storm's rise, compressed).")
    f["rain_mm_h"] = shift_series(f["rain_mm_h"], dt)
    for w in f["wind"]:
        w["at_s"] += dt
        if "until_s" in w:
            w["until_s"] += dt
    night["horizon_s"] = 44 * H
    write("typhoon-bd3-night-before-holiday.json", "quang-ngai-hq.json",
          "Bão và lũ trên báo động III, đêm trước ngày nghỉ lễ", "Typhoon and flood above alarm level III, holiday eve",
          about + " Here the storm comes the night before the National Day holiday with a 16 h warning.",
          [night], targets_for(night["id"]), tool=TOOL, generic_targets=False)

    pump = copy.deepcopy(night)
    pump["flood"]["pumps"].append(RECORDS_PUMP)
    write("typhoon-bd3-night-before-holiday-records-pump.json", "quang-ngai-hq.json",
          "Bão đêm trước ngày lễ – thêm bơm đặt sẵn trong kho lưu trữ", "Holiday-eve typhoon – a pump set in the archive",
          about + " Plan variant of the holiday-eve storm: a diesel pump stands ready in the archive.",
          [pump], targets_for(night["id"]), tool=TOOL, generic_targets=False)

    bags = copy.deepcopy(night)
    door = next(l for l in bags["flood"]["links"] if l["id"] == "records_door")
    door["barrier_m"] = 0.5
    door["assumption"] = ("A 2 cm door sill; plan option: a 0.5 m sandbag wall (45 bags) kept in place across the "
                          "archive's door through the flood season (ours).")
    write("typhoon-bd3-night-before-holiday-records-sandbags.json", "quang-ngai-hq.json",
          "Bão đêm trước ngày lễ – bao cát đặt sẵn ở cửa kho lưu trữ",
          "Holiday-eve typhoon – sandbags kept at the archive's door",
          about + " Plan variant of the holiday-eve storm: sandbags kept across the archive's door all season.",
          [bags], targets_for(night["id"]), tool=TOOL, generic_targets=False)

    # A fire reported in the archive at the height of the weekday flood (Tuesday 22:00,
    # 2 h after landfall): the flood has cut the fire station's road and a fallen tree the
    # police station's. The fire model does not carry the water: the closures come in as
    # edge events, at the times of the weekday flood's median run.
    fire = copy.deepcopy(next(i for i in default["incidents"] if i["type"] == "fire"))
    fire["id"] = "j-fire-records-during-flood"
    fire["name"] = "Cháy kho lưu trữ giữa lúc lũ (thứ Ba 22:00, đường từ Đội Cảnh sát PCCC bị ngập)"
    fire["name_en"] = "Archive fire during the flood (Tuesday 22:00, the fire station's road under water)"
    fire["start"] = {"weekday": "tue", "time": "22:00", "holiday": False}
    fire["edge_events"] = [{"at_s": 0, "edge": "e_road_fire", "state": "closed"},
                           {"at_s": 0, "edge": "e_road_police", "state": "closed"}]
    fire["assumption"] = ("Incident h's fire at the flood's height; from the weekday typhoon (incident i): the low "
                          "stretch of the fire station's road is closed to vehicles from about 32 h to 55 h after the "
                          "forecast, a fallen tree blocks the police station's road from 37 h to 46 h. Both closed for the "
                          "fire's whole horizon (ours). Not co-simulated: the guards and the flood team are not "
                          "busy with the flood here.")
    ftargets = [dict(copy.deepcopy(t), incident=fire["id"]) for t in default["targets"]
                if t.get("incident") == next(i for i in default["incidents"] if i["type"] == "fire")["id"]]
    write("flood-with-fire.json", "quang-ngai-hq.json", "Lũ kèm cháy kho lưu trữ", "Flood with an archive fire",
          about + " During the weekday flood a fire starts in the archive; water and a fallen tree cut both "
                  "stations' roads.", [weekday, fire], targets_for(weekday["id"]) + ftargets, tool=TOOL, generic_targets=False)


if __name__ == "__main__":
    main()
