#include "ui.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <set>

namespace hqdrill::viewer {

namespace {

struct Pair {
  const char* en;
  const char* vi;
};
constexpr Pair kStrings[] = {
    {"run", "lần chạy"},
    {"worst", "xấu nhất"},
    {"median", "trung vị"},
    {"requested", "theo yêu cầu"},
    {"playing", "đang phát"},
    {"paused", "tạm dừng"},
    {"KPIs (target)", "Chỉ số (mục tiêu)"},
    {"did not happen", "không xảy ra"},
    {"Event log", "Nhật ký sự kiện"},
    {"Legend", "Chú giải"},
    {"Following", "Đang theo dõi"},
    {"Click a unit to follow it", "Bấm vào một lực lượng để theo dõi"},
    {"members", "người"},
    {"H help  L tiếng Việt/English", "H trợ giúp  L tiếng Việt/English"},
    {"Police", "Công an"},
    {"Guards", "Bảo vệ"},
    {"Fire", "Chữa cháy"},
    {"Flood team", "Đội phòng chống lụt"},
    {"Self-defence", "Dân quân tự vệ"},
    {"Leaders, officials", "Lãnh đạo, cán bộ"},
    {"Other unit", "Lực lượng khác"},
    {"Gate/door locked", "Cổng/cửa khóa"},
    {"Gate/door open", "Cổng/cửa mở"},
    {"Pedestrian", "Người đi bộ"},
    {"Crowd density 0-6 /m²", "Mật độ đám đông 0-6 người/m²"},
    {"Water depth 0-1.5 m", "Độ sâu nước 0-1,5 m"},
    {"Smoke / fire (HRR)", "Khói / đám cháy (HRR)"},
    {"River stage", "Mực nước sông"},
    {"late", "muộn"},
    {"Finding", "Phát hiện"},
    {"no position yet", "chưa có vị trí"},
    {"Help", "Trợ giúp"},
    {"Space  play / pause", "Space  phát / tạm dừng"},
    {"+ / -  speed x2 / ÷2 (1x..256x)", "+ / -  tốc độ x2 / ÷2 (1x..256x)"},
    {"Right / Left  step one sample (Shift: 10)", "Phải / Trái  bước một mẫu (Shift: 10)"},
    {"N / P  next / previous event or finding", "N / P  sự kiện hoặc phát hiện tiếp / trước"},
    {"Click the timeline to scrub", "Bấm vào thanh thời gian để tua"},
    {"Drag to pan, wheel to zoom, F fit site/all",
     "Kéo để di chuyển, cuộn để phóng to, F vừa khung"},
    {"Click a unit to follow it, Esc to stop", "Bấm vào lực lượng để theo dõi, Esc để thôi"},
    {"D density map, B labels", "D bản đồ mật độ, B nhãn"},
    {"L language, H this help, Q quit", "L ngôn ngữ, H trợ giúp này, Q thoát"},
    {"S save the window as a PNG", "S lưu cửa sổ thành ảnh PNG"},
    {"Crowd states", "Trạng thái đám đông"},
    {"walking", "đi bộ"},
    {"gather", "tụ tập"},
    {"block", "chặn"},
    {"push", "xô đẩy"},
    {"sit_in", "ngồi"},
    {"enter", "xâm nhập"},
    {"representative", "đại diện"},
    {"leaving", "ra về"},
};

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

template <class T>
std::string name_of(const std::vector<T>& v, const std::string& id, bool en) {
  for (const T& x : v)
    if (x.id == id) return x.label(en);
  return id;
}

constexpr float kClockY = 44;  // y of the clock line in the panel

}  // namespace

const char* tr(Lang lang, const char* key) {
  if (lang == Lang::en) return key;
  for (const Pair& p : kStrings)
    if (std::strcmp(p.en, key) == 0) return p.vi;
  return key;
}

Layout layout(float pane_x, float pane_w, float window_h, float window_w) {
  Layout l;
  const float p = std::clamp(std::round(0.3f * pane_w), 240.f, 420.f);
  l.map = {pane_x, 0, pane_w - p, window_h - kTimelineH};
  l.panel = {pane_x + pane_w - p, 0, p, window_h - kTimelineH};
  l.timeline = {0, window_h - kTimelineH, window_w, kTimelineH};
  return l;
}

std::string clock_text(double t_s) {
  const long long s = static_cast<long long>(std::floor(std::max(0.0, t_s)));
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%02lld:%02lld", s / 60, s % 60);
  return buf;
}

std::string describe(const Replay& r, const EventV& e, Lang lang) {
  const bool en = lang == Lang::en;
  auto role = [&](const std::string& id) { return name_of(r.roles, id, en); };
  auto unit = [&](const std::string& id) { return name_of(r.units, id, en); };
  auto node = [&](const std::string& id) { return name_of(r.nodes, id, en); };
  const std::string& t = e.type;
  std::string s;
  if (t == "incident_started")
    s = (en ? "Incident starts at " : "Sự cố bắt đầu tại ") + node(e.node);
  else if (t == "detected")
    s = role(e.role) + (en ? " detects the incident" : " phát hiện sự cố");
  else if (t == "role_alerted")
    s = role(e.role) + (en ? " is alerted" : " nhận tin") +
        (e.from.empty() ? "" : (en ? " by " : " từ ") + role(e.from));
  else if (t == "role_acting")
    s = role(e.role) + (en ? " starts acting" : " bắt đầu hành động");
  else if (t == "role_vacant")
    s = role(e.role) + (en ? ": nobody holds the role" : ": không ai giữ vai trò");
  else if (t == "role_waiting")
    s = role(e.role) + (en ? " waits: all busy in " : " chờ: mọi người bận, ") + unit(e.unit);
  else if (t == "role_done")
    s = role(e.role) + (en ? " done" : " xong việc");
  else if (t.rfind("message_", 0) == 0 && t != "message_no_link") {
    s = role(e.from) + " → " + role(e.to) + " (" + e.channel + ")";
    if (t == "message_sent")
      s += en ? ", attempt " + std::to_string(e.attempt) : ", lần " + std::to_string(e.attempt);
    else if (t == "message_received")
      s += (en ? " received after " : " nhận được sau ") + fmt("%.0f s", e.delay_s);
    else if (t == "message_failed")
      s += en ? " failed" : " không liên lạc được";
    else if (t == "message_given_up")
      s += en ? " given up" : " bỏ cuộc";
    else if (t == "message_acknowledged")
      s += en ? " acknowledged" : " xác nhận";
  } else if (t == "message_no_link")
    s = role(e.role) + " → " + role(e.to) + (en ? ": no link left" : ": không còn đường liên lạc");
  else if (t == "dispatch_ordered")
    s = role(e.role) + (en ? " sends " : " điều ") + unit(e.unit) + (en ? " to " : " đến ") +
        node(e.node);
  else if (t == "unit_unavailable")
    s = unit(e.unit) + (en ? ": nobody available" : ": không có người");
  else if (t == "unit_called_out")
    s = unit(e.unit) + (en ? " called out" : " được gọi đến");
  else if (t == "unit_departed")
    s = unit(e.unit) + (en ? " leaves " : " rời ") + node(e.node);
  else if (t == "unit_blocked")
    s = unit(e.unit) + (en ? " blocked at " : " bị chặn tại ") + node(e.node);
  else if (t == "unit_arrived")
    s = unit(e.unit) + (en ? " arrives at " : " đến ") + node(e.node);
  else if (t == "edge_closed")
    s = (en ? "Closed: " : "Đóng: ") + e.edge;
  else if (t == "edge_opened")
    s = (en ? "Opened: " : "Mở: ") + e.edge;
  else if (t == "door_closed")
    s = (en ? "Door closed: " : "Đóng cửa: ") + e.extra;
  else if (t == "door_opened")
    s = (en ? "Door opened: " : "Mở cửa: ") + e.extra;
  else if (t == "task_assigned")
    s = role(e.role) + (en ? " assigns " : " giao ") + e.task;
  else if (t == "task_unstaffed")
    s = e.task + (en ? ": nobody qualified free" : ": không có người phù hợp");
  else if (t == "task_started")
    s = e.task + (en ? " started" : " bắt đầu");
  else if (t == "task_done")
    s = e.task + (en ? " done" : " hoàn thành");
  else if (t == "command_taken")
    s = role(e.role) + (en ? " takes command" : " nắm quyền chỉ huy");
  else if (t == "peds_all_out")
    s = en ? "Everyone is out" : "Mọi người đã ra ngoài";
  else if (t == "fire_noticed")
    s = role(e.role) + (en ? " notices the fire (" : " phát hiện cháy (") + e.extra + ")";
  else if (t == "alarm_sounded")
    s = en ? "Alarm sounded" : "Báo động cháy";
  else if (t == "means_fetched")
    s = unit(e.unit) + (en ? " fetched its means" : " lấy phương tiện");
  else if (t == "fire_attacked")
    s = unit(e.unit) + (en ? " attacks the fire: " : " dập lửa: ") + e.extra;
  else if (t == "room_ignited")
    s = name_of(r.fire_rooms, e.room, en) + (en ? " ignites" : " bắt cháy");
  else if (t == "room_flashover")
    s = name_of(r.fire_rooms, e.room, en) + (en ? " flashover" : " cháy bùng phát");
  else if (t == "room_untenable")
    s = name_of(r.fire_rooms, e.room, en) +
        (en ? " untenable, people: " : " không thể ở, số người: ") + e.extra;
  else if (t == "water_entered")
    s = (en ? "Water enters " : "Nước vào ") + name_of(r.flood_cells, e.cell, en);
  else if (t == "barrier_overtopped")
    s = (en ? "Barrier overtopped: " : "Nước tràn qua đê: ") + e.barrier;
  else if (t == "power_cut")
    s = en ? "Power cut" : "Mất điện";
  else if (t == "typhoon_phase")
    s = (en ? "Typhoon: " : "Bão: ") + e.extra;
  else
    s = t;
  if (e.late)
    s += std::string("  [") + tr(lang, "late") + ": " + role(e.late_role) + " +" +
         fmt("%.0f s", e.late_by_s) + "]";
  return s;
}

float Ui::text(sf::RenderTarget& target, const std::string& utf8, float x, float y, unsigned size,
               sf::Color c) {
  sf::Text t(sf::String::fromUtf8(utf8.begin(), utf8.end()), font_, size);
  t.setFillColor(c);
  t.setPosition(std::round(x), std::round(y));
  target.draw(t);
  return static_cast<float>(size) + 4;
}

void Ui::panel(sf::RenderTarget& target, const Replay& r, double t, const Rect& rect,
               const PanelState& st) {
  // The panel changes with the events shown, not with every frame: it is drawn into a
  // texture when what it shows changes, and the clock line on top of it every frame
  // (text is the costly part of a frame under llvmpipe; see BENCHMARKS.md).
  std::string key = std::to_string(r.events_until(t)) + "/" + std::to_string(st.follow) + "/" +
                    std::to_string(static_cast<int>(st.lang)) + "/" + std::to_string(st.compact) +
                    "/" + std::to_string(rect.w) + "x" + std::to_string(rect.h) + "/" +
                    std::to_string(reinterpret_cast<std::uintptr_t>(&r));
  for (const FindingMark& f : r.findings) key += f.t_s <= t ? "f" : "";
  if (st.follow >= 0) {
    if (const EventV* e = r.mover_state(st.follow, t)) key += "/" + std::to_string(e->t_s);
    for (const MoverSample& m : r.movers_at(t))
      if (m.mover == st.follow)
        key += "/" + std::to_string(std::lround(m.x)) + "," + std::to_string(std::lround(m.y));
  }
  PanelCache& c = caches_[static_cast<int>(rect.x)];
  const sf::Vector2u size(static_cast<unsigned>(rect.w), static_cast<unsigned>(rect.h));
  bool cached = c.tex && c.tex->getSize() == size;
  if (!cached) {
    c.tex = std::make_unique<sf::RenderTexture>();
    cached = c.tex->create(size.x, size.y);
    c.key.clear();
  }
  if (!cached) {  // no off-screen target: draw directly
    panel_body(target, r, t, rect, st, true);
    return;
  }
  if (c.key != key) {
    panel_body(*c.tex, r, t, {0, 0, rect.w, rect.h}, st, false);
    c.tex->display();
    c.key = key;
  }
  sf::Sprite sprite(c.tex->getTexture());
  sprite.setPosition(rect.x, rect.y);
  target.draw(sprite);
  text(target,
       clock_text(t) + " / " + clock_text(r.end_s) + "   " + (st.playing ? "▶ " : "|| ") +
           tr(st.lang, st.playing ? "playing" : "paused") + "  x" + fmt("%.0f", st.speed),
       rect.x + 10, rect.y + kClockY, 14, sf::Color(30, 30, 30));
}

void Ui::panel_body(sf::RenderTarget& target, const Replay& r, double t, const Rect& rect,
                    const PanelState& st, bool with_clock) {
  const sf::Vector2f ts(target.getSize());
  sf::View clip(sf::FloatRect(rect.x, rect.y, rect.w, rect.h));
  clip.setViewport(sf::FloatRect(rect.x / ts.x, rect.y / ts.y, rect.w / ts.x, rect.h / ts.y));
  const sf::View old = target.getView();
  target.setView(clip);
  sf::RectangleShape bg({rect.w, rect.h});
  bg.setPosition(rect.x, rect.y);
  bg.setFillColor(sf::Color(250, 250, 247));
  bg.setOutlineColor(sf::Color(180, 180, 180));
  bg.setOutlineThickness(-1);
  target.draw(bg);
  const bool en = st.lang == Lang::en;
  const Lang L = st.lang;
  const float x = rect.x + 10;
  float y = rect.y + 8;
  const sf::Color ink(30, 30, 30), grey(110, 110, 110), red(200, 20, 20), green(20, 140, 40);

  y += text(target, en && !r.incident_name_en.empty() ? r.incident_name_en : r.incident_name, x, y,
            15, ink);
  y += text(target,
            std::string(tr(L, "run")) + " " + std::to_string(r.run) + " (" +
                tr(L, r.label.c_str()) + ") · " + r.incident_id + " · " + r.start_text,
            x, y, 11, grey);
  y = rect.y + kClockY;  // the clock line: drawn by panel() over the cached panel
  if (with_clock)
    text(target,
         clock_text(t) + " / " + clock_text(r.end_s) + "   " + (st.playing ? "▶ " : "|| ") +
             tr(L, st.playing ? "playing" : "paused") + "  x" + fmt("%.0f", st.speed),
         x, y, 14, ink);
  y += 18 + 4;

  // KPIs with targets met / missed.
  y += text(target, tr(L, "KPIs (target)"), x, y, 13, ink);
  const std::size_t max_kpis = st.compact ? 6 : 12;
  std::size_t shown = 0;
  // KPIs with targets first.
  std::vector<const KpiV*> order;
  for (const KpiV& k : r.kpis)
    if (k.target_max) order.push_back(&k);
  for (const KpiV& k : r.kpis)
    if (!k.target_max) order.push_back(&k);
  for (const KpiV* k : order) {
    if (shown++ >= max_kpis) break;
    std::string line =
        k->name + "  " + (k->value ? fmt("%.1f", *k->value) : tr(L, "did not happen"));
    sf::Color c = grey;
    if (k->target_max) {
      line += std::string(" (≤ ") + fmt("%.0f", *k->target_max) + ") " + (k->met() ? "✓" : "✗");
      c = k->met() ? green : red;
    }
    y += text(target, line, x + 6, y, 11, c);
  }
  y += 4;

  // The followed unit.
  if (st.follow >= 0 && st.follow < static_cast<int>(r.movers.size())) {
    const MoverV& m = r.movers[st.follow];
    std::string name = m.unit >= 0 ? r.units[m.unit].label(en) : "?";
    y += text(target, std::string(tr(L, "Following")) + ": " + name, x, y, 13,
              m.unit >= 0 ? force_colour(r.units[m.unit].kind) : ink);
    const int role = m.unit >= 0 ? r.role_of_unit(m.unit) : -1;
    std::string line = std::to_string(m.members) + " " + tr(L, "members");
    if (role >= 0) line += " · " + r.roles[role].label(en);
    y += text(target, line, x + 6, y, 11, grey);
    const EventV* e = r.mover_state(st.follow, t);
    y += text(target, e ? clock_text(e->t_s) + "  " + describe(r, *e, L) : tr(L, "no position yet"),
              x + 6, y, 11, ink);
    for (const MoverSample& s : r.movers_at(t))
      if (s.mover == st.follow)
        y += text(target, fmt("x %.0f m", s.x) + fmt(", y %.0f m", s.y), x + 6, y, 11, grey);
  } else {
    y += text(target, tr(L, "Click a unit to follow it"), x, y, 11, grey);
  }
  y += 4;

  // Legend (bottom), computed first so the log knows its room.
  std::vector<std::pair<sf::Color, std::string>> legend;
  std::set<std::string> seen;
  for (const UnitV& u : r.units) {
    const sf::Color c = force_colour(u.kind);
    const char* key = c == force_colour("police")    ? "Police"
                      : c == force_colour("guard")   ? "Guards"
                      : c == force_colour("fire")    ? "Fire"
                      : c == force_colour("flood")   ? "Flood team"
                      : c == force_colour("defence") ? "Self-defence"
                      : c == force_colour("leader")  ? "Leaders, officials"
                                                     : "Other unit";
    if (seen.insert(key).second) legend.push_back({c, tr(L, key)});
  }
  legend.push_back({kLockedColour, tr(L, "Gate/door locked")});
  legend.push_back({kOpenColour, tr(L, "Gate/door open")});
  if (!r.peds.t_s.empty()) {
    legend.push_back({ped_colour(kWalking), tr(L, "Pedestrian")});
    if (r.has_ped_states)
      for (int s = kGather; s < kPedStateCount; ++s)
        legend.push_back({ped_colour(s), std::string("  ") + tr(L, ped_state_name(s))});
    legend.push_back({density_colour(4), tr(L, "Crowd density 0-6 /m²")});
  }
  if (!r.flood_cells.empty()) legend.push_back({depth_colour(0.8), tr(L, "Water depth 0-1.5 m")});
  if (!r.fire_rooms.empty()) legend.push_back({sf::Color(230, 60, 0), tr(L, "Smoke / fire (HRR)")});
  const float legend_line = 15;
  const float legend_h = st.compact ? 0 : 22 + legend_line * static_cast<float>(legend.size() + 1);
  const float log_bottom = rect.y + rect.h - legend_h - 6;

  // Event log: the latest events up to t, newest first; late ones red.
  y += text(target, tr(L, "Event log"), x, y, 13, ink);
  const std::size_t n = r.events_until(t);
  for (std::size_t i = n; i-- > 0 && y + 15 < log_bottom;) {
    const EventV& e = r.events[i];
    if (e.type == "message_sent" || e.type == "role_acting") continue;  // the log stays readable
    const sf::Color c = e.late ? red
                        : e.type == "message_failed" || e.type == "message_given_up"
                            ? sf::Color(190, 100, 0)
                            : ink;
    y += text(target, clock_text(e.t_s) + "  " + describe(r, e, L), x + 6, y, 11, c);
  }
  for (const FindingMark& f : r.findings)
    if (f.t_s <= t && y + 15 < log_bottom)
      y += text(target,
                clock_text(f.t_s) + "  " + tr(L, "Finding") + ": " + (en ? f.text_en : f.text_vi),
                x + 6, y, 11, sf::Color(170, 0, 170));

  if (!st.compact) {
    float ly = rect.y + rect.h - legend_h;
    ly += text(target, tr(L, "Legend"), x, ly, 13, ink);
    for (const auto& [c, label] : legend) {
      sf::RectangleShape sw({12, 10});
      sw.setPosition(x + 6, ly + 2);
      sw.setFillColor(sf::Color(c.r, c.g, c.b, std::max<sf::Uint8>(c.a, 120)));
      sw.setOutlineColor(sf::Color(80, 80, 80));
      sw.setOutlineThickness(1);
      target.draw(sw);
      text(target, label, x + 24, ly, 11, ink);
      ly += legend_line;
    }
    text(target, tr(L, "H help  L tiếng Việt/English"), x, ly, 11, grey);
  }
  target.setView(old);
}

double Ui::time_at(const Rect& tl, double end_s, float px) {
  const float x0 = tl.x + 70, x1 = tl.x + tl.w - 70;
  return std::clamp(static_cast<double>((px - x0) / std::max(1.f, x1 - x0)), 0.0, 1.0) * end_s;
}

void Ui::timeline(sf::RenderTarget& target, const Replay& a, const Replay* b, double t,
                  double end_s, const Rect& tl, const PanelState& st) {
  sf::RectangleShape bg({tl.w, tl.h});
  bg.setPosition(tl.x, tl.y);
  bg.setFillColor(sf::Color(45, 48, 55));
  target.draw(bg);
  const float x0 = tl.x + 70, x1 = tl.x + tl.w - 70, ym = tl.y + tl.h / 2;
  auto xt = [&](double v) {
    return x0 + static_cast<float>(v / std::max(end_s, 1e-9)) * (x1 - x0);
  };
  sf::RectangleShape bar({x1 - x0, 4});
  bar.setPosition(x0, ym - 2);
  bar.setFillColor(sf::Color(120, 125, 135));
  target.draw(bar);
  sf::RectangleShape done({std::max(0.f, xt(t) - x0), 4});
  done.setPosition(x0, ym - 2);
  done.setFillColor(sf::Color(240, 200, 60));
  target.draw(done);
  sf::VertexArray marks(sf::Quads);
  auto add_marks = [&](const Replay& r, float top, float bottom) {
    for (const EventV& e : r.events) {
      if (!e.mark) continue;
      sf::Color c(150, 170, 210);
      if (e.late)
        c = sf::Color(255, 60, 60);
      else if (e.type.rfind("room_", 0) == 0 || e.type == "water_entered" ||
               e.type == "barrier_overtopped")
        c = sf::Color(255, 140, 0);
      else if (e.type == "unit_arrived")
        c = sf::Color(120, 220, 120);
      add_segment(marks, {xt(e.t_s), top}, {xt(e.t_s), bottom}, 2, c);
    }
    for (const FindingMark& f : r.findings)
      add_segment(marks, {xt(f.t_s), top - 4}, {xt(f.t_s), bottom + 4}, 3, sf::Color(230, 0, 230));
  };
  if (b) {
    add_marks(a, ym - 18, ym - 5);
    add_marks(*b, ym + 5, ym + 18);
  } else {
    add_marks(a, ym - 16, ym + 16);
  }
  target.draw(marks);
  sf::RectangleShape cur({3, tl.h - 10});
  cur.setPosition(xt(t) - 1.5f, tl.y + 5);
  cur.setFillColor(sf::Color::White);
  target.draw(cur);
  const sf::Color ink(230, 230, 230);
  text(target, clock_text(t), tl.x + 8, ym - 9, 14, ink);
  text(target, clock_text(end_s), x1 + 8, ym - 9, 14, ink);
  text(target, "x" + fmt("%.0f", st.speed) + (st.playing ? " ▶" : " ||"), tl.x + 8, tl.y + 4, 10,
       sf::Color(180, 180, 180));
}

void Ui::flood_gauge(sf::RenderTarget& target, const Replay& r, double t, const Rect& map,
                     Lang lang) {
  if (r.flood_t.empty()) return;
  double lo = 1e300, hi = -1e300;
  for (const FloodSample& s : r.flood) {
    lo = std::min(lo, s.stage_m);
    hi = std::max(hi, s.stage_m);
  }
  for (const auto& [k, v] : r.alarm_levels_m) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  lo -= 0.5;
  hi += 0.5;
  const int f = Replay::frame_at(r.flood_t, t);
  const double stage = f >= 0 ? r.flood[f].stage_m : lo;
  const float gx = map.x + 10, gy = map.y + 10, gw = 150, gh = 170;
  sf::RectangleShape box({gw, gh});
  box.setPosition(gx, gy);
  box.setFillColor(sf::Color(255, 255, 255, 220));
  box.setOutlineColor(sf::Color(100, 100, 100));
  box.setOutlineThickness(1);
  target.draw(box);
  text(target, tr(lang, "River stage"), gx + 6, gy + 4, 12, sf::Color(20, 20, 20));
  const float bx = gx + 10, by = gy + 26, bw = 26, bh = gh - 50;
  auto yv = [&](double v) { return by + bh - static_cast<float>((v - lo) / (hi - lo)) * bh; };
  sf::RectangleShape tube({bw, bh});
  tube.setPosition(bx, by);
  tube.setFillColor(sf::Color(235, 240, 245));
  tube.setOutlineColor(sf::Color(80, 80, 80));
  tube.setOutlineThickness(1);
  target.draw(tube);
  sf::RectangleShape water({bw, by + bh - yv(stage)});
  water.setPosition(bx, yv(stage));
  water.setFillColor(sf::Color(40, 90, 200));
  target.draw(water);
  for (const auto& [k, v] : r.alarm_levels_m) {
    const sf::Color c = k == "III"  ? sf::Color(200, 0, 0)
                        : k == "II" ? sf::Color(230, 120, 0)
                                    : sf::Color(200, 180, 0);
    sf::RectangleShape line({bw + 14, 2});
    line.setPosition(bx - 2, yv(v) - 1);
    line.setFillColor(c);
    target.draw(line);
    text(target, k + fmt(" %.2f m", v), bx + bw + 16, yv(v) - 8, 11, c);
  }
  text(target, fmt("%.2f m", stage), gx + 6, gy + gh - 20, 12, sf::Color(20, 40, 140));
}

void Ui::help(sf::RenderTarget& target, Lang L) {
  const sf::Vector2f ts(target.getSize());
  const char* lines[] = {"Space  play / pause",
                         "+ / -  speed x2 / ÷2 (1x..256x)",
                         "Right / Left  step one sample (Shift: 10)",
                         "N / P  next / previous event or finding",
                         "Click the timeline to scrub",
                         "Drag to pan, wheel to zoom, F fit site/all",
                         "Click a unit to follow it, Esc to stop",
                         "D density map, B labels",
                         "L language, H this help, Q quit",
                         "S save the window as a PNG"};
  const float w = 460, h = 40 + 22 * static_cast<float>(std::size(lines));
  sf::RectangleShape box({w, h});
  box.setPosition((ts.x - w) / 2, (ts.y - h) / 2);
  box.setFillColor(sf::Color(20, 20, 30, 225));
  target.draw(box);
  float y = (ts.y - h) / 2 + 10;
  y += text(target, tr(L, "Help"), (ts.x - w) / 2 + 16, y, 16, sf::Color::White) + 4;
  for (const char* l : lines)
    y += text(target, tr(L, l), (ts.x - w) / 2 + 16, y, 14, sf::Color(230, 230, 230)) + 4;
}

void Ui::banner(sf::RenderTarget& target, const std::string& utf8, const Rect& map) {
  text(target, utf8, map.x + 8, map.y + map.h - 20, 11, sf::Color(90, 90, 90));
}

}  // namespace hqdrill::viewer
