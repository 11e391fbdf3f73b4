#include "hqdrill/peds/world.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <utility>

namespace hqdrill::peds {

namespace {

constexpr std::size_t kNotSpawned = std::numeric_limits<std::size_t>::max();

std::int64_t to_us(double s) {
  return static_cast<std::int64_t>(std::llround(s * 1e6));
}
double to_s(std::int64_t us) {
  return static_cast<double>(us) * 1e-6;
}

double point_segment_distance(const Segment& s, Vec2 p) {
  return norm(p - closest_point(s, p));
}

/// Whether segments p0-p1 and q0-q1 cross (touching counts).
bool segments_cross(Vec2 p0, Vec2 p1, Vec2 q0, Vec2 q1) {
  const Vec2 r = p1 - p0, s = q1 - q0;
  const double d1 = cross(s, p0 - q0), d2 = cross(s, p1 - q0);
  const double d3 = cross(r, q0 - p0), d4 = cross(r, q1 - p0);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
    return true;
  return false;
}

}  // namespace

PedWorld::PedWorld(std::vector<WalkableArea> areas, std::vector<ExitRef> exits,
                   PedWorldOptions options)
    : areas_(std::move(areas)),
      exits_(std::move(exits)),
      opt_(options),
      model_(options.model),
      min_wall_distance_m_(std::numeric_limits<double>::infinity()) {
  for ([[maybe_unused]] const ExitRef& e : exits_) {
    assert(e.area < areas_.size());
    assert(areas_[e.area].door_index(e.door) >= 0);
  }
  model_.set_direction_provider([this](std::size_t mi, Vec2 p) -> Vec2 {
    const std::size_t wi = world_index_[mi];
    if (model_.elapsed_us() < start_us_[wi] || !field_) return {0, 0};
    return field_->direction(p);
  });
  rebuild();
}

std::vector<Segment> PedWorld::open_exit_spans() const {
  std::vector<Segment> spans;
  for (const ExitRef& e : exits_) {
    const WalkableArea& a = areas_[e.area];
    const Door& d = a.doors[static_cast<std::size_t>(a.door_index(e.door))];
    if (d.open) spans.push_back(d.span);
  }
  return spans;
}

void PedWorld::rebuild() {
  exit_spans_ = open_exit_spans();
  if (exit_spans_.empty()) {
    field_.reset();
    // Walls without a field: every area's walls (doors listed in one area only are
    // not cut from the other; with no exit open nobody walks anyway).
    std::vector<Segment> walls;
    for (const WalkableArea& a : areas_) {
      const std::vector<Segment> w = a.walls();
      walls.insert(walls.end(), w.begin(), w.end());
    }
    model_.set_walls(std::move(walls));
    return;
  }
  field_.reset();
  field_.emplace(std::span<const WalkableArea>(areas_), exit_spans_, opt_.field);
  model_.set_walls(field_->walls());
}

std::size_t PedWorld::add_agent(const PedSpec& spec) {
  assert(spec.radius_m > 0 && spec.desired_speed_mps > 0);
  assert(spec.spawn_time_s >= 0 && spec.pre_movement_s >= 0);
  const std::size_t wi = specs_.size();
  specs_.push_back(spec);
  records_.push_back({});
  const std::int64_t spawn = std::max(to_us(spec.spawn_time_s), model_.elapsed_us());
  spawn_us_.push_back(spawn);
  start_us_.push_back(spawn + to_us(spec.pre_movement_s));
  model_index_.push_back(kNotSpawned);
  pending_.push_back(wi);
  ++remaining_;
  spawn_due();
  return wi;
}

void PedWorld::spawn_due() {
  const std::int64_t now = model_.elapsed_us();
  std::size_t kept = 0;
  for (const std::size_t wi : pending_) {
    if (spawn_us_[wi] > now) {
      pending_[kept++] = wi;
      continue;
    }
    const PedSpec& s = specs_[wi];
    AgentSpec a;
    a.position = s.position;
    a.goal = s.position;  // unused: the direction provider steers, removal is ours
    a.desired_speed_mps = s.desired_speed_mps;
    a.radius_m = s.radius_m;
    a.remove_at_goal = false;
    const std::size_t mi = model_.add_agent(a);
    model_index_[wi] = mi;
    if (world_index_.size() <= mi) world_index_.resize(mi + 1, kNotSpawned);
    world_index_[mi] = wi;
    records_[wi].spawn_s = to_s(spawn_us_[wi]);
    records_[wi].start_s = to_s(start_us_[wi]);
  }
  pending_.resize(kept);
}

void PedWorld::schedule_door(DoorEvent event) {
  assert(event.area < areas_.size());
  const auto first = events_.begin() + static_cast<std::ptrdiff_t>(next_event_);
  const auto at = std::upper_bound(first, events_.end(), event.time_s,
                                   [](double t, const DoorEvent& e) { return t < e.time_s; });
  events_.insert(at, std::move(event));
}

Vec2 PedWorld::position(std::size_t i) const {
  const std::size_t mi = model_index_[i];
  return mi == kNotSpawned ? specs_[i].position : model_.position(mi);
}

void PedWorld::step(double dt_s) {
  assert(dt_s > 0);
  const std::int64_t now = model_.elapsed_us();
  bool changed = false;
  while (next_event_ < events_.size() && to_us(events_[next_event_].time_s) <= now) {
    const DoorEvent& e = events_[next_event_++];
    changed |= areas_[e.area].set_door_open(e.door, e.open);
  }
  if (changed) rebuild();
  spawn_due();

  const std::size_t n = model_.size();
  std::vector<Vec2> before(n);
  for (std::size_t mi = 0; mi < n; ++mi) before[mi] = model_.position(mi);
  model_.step(dt_s);
  const double t = model_.elapsed_s();

  for (std::size_t mi = 0; mi < n; ++mi) {
    if (!model_.active(mi)) continue;
    const std::size_t wi = world_index_[mi];
    const Vec2 p = model_.position(mi);
    records_[wi].path_m += norm(p - before[mi]);
    if (opt_.check_walls) {
      for (const Segment& w : model_.walls()) {
        if (segments_cross(before[mi], p, w.a, w.b)) ++wall_crossings_;
        min_wall_distance_m_ = std::min(min_wall_distance_m_, point_segment_distance(w, p));
      }
    }
    bool is_out = true;
    for (const WalkableArea& a : areas_)
      if (a.contains(p)) {
        is_out = false;
        break;
      }
    for (const Segment& s : exit_spans_)
      if (!is_out && point_segment_distance(s, p) <= opt_.exit_tolerance_m) is_out = true;
    if (is_out) {
      model_.deactivate(mi);
      records_[wi].exit_s = t;
      --remaining_;
    }
  }
}

bool PedWorld::run(double dt_s, double max_time_s) {
  const std::int64_t end = to_us(max_time_s);
  while (remaining_ > 0 && model_.elapsed_us() < end) step(dt_s);
  return remaining_ == 0;
}

double PedWorld::evacuation_time_s() const {
  if (remaining_ > 0) return -1.0;
  double t = 0.0;
  for (const AgentRecord& r : records_) t = std::max(t, r.exit_s);
  return t;
}

}  // namespace hqdrill::peds
