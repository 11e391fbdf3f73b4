// Measurement areas and lines; see the header for the methods and their sources.
#include "hqdrill/peds/measure.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <utility>

#include "hqdrill/peds/social_force.hpp"

namespace hqdrill::peds {

namespace {

// Shoelace formula; absolute value, so either orientation.
double ring_area(const Ring& r) {
  double twice = 0;
  for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++)
    twice += r[j].x * r[i].y - r[i].x * r[j].y;
  return 0.5 * std::abs(twice);
}

}  // namespace

// ---------------------------------------------------------------- area

MeasurementArea::MeasurementArea(std::string name, Ring polygon)
    : name_(std::move(name)), polygon_(std::move(polygon)) {
  assert(polygon_.size() >= 3);
  area_m2_ = ring_area(polygon_);
  assert(area_m2_ > 0);
  x0_ = x1_ = polygon_[0].x;
  y0_ = y1_ = polygon_[0].y;
  for (const Vec2& v : polygon_) {
    x0_ = std::min(x0_, v.x);
    x1_ = std::max(x1_, v.x);
    y0_ = std::min(y0_, v.y);
    y1_ = std::max(y1_, v.y);
  }
}

void MeasurementArea::sample(double t_s, std::span<const Vec2> pos, std::span<const Vec2> vel) {
  AreaSample s;
  s.t_s = t_s;
  double speed_sum = 0;
  Vec2 vel_sum;
  for (std::size_t k = 0; k < pos.size(); ++k) {
    const Vec2 p = pos[k];
    if (p.x < x0_ || p.x > x1_ || p.y < y0_ || p.y > y1_) continue;
    if (!contains(polygon_, p)) continue;
    ++s.count;
    speed_sum += norm(vel[k]);
    vel_sum += vel[k];
  }
  // Method C (Zhang et al. 2011): rho = N / A, v = mean of the N instantaneous velocities.
  s.density_pm2 = static_cast<double>(s.count) / area_m2_;
  if (s.count > 0) {
    const double inv = 1.0 / static_cast<double>(s.count);
    s.mean_speed_mps = speed_sum * inv;
    s.mean_velocity_mps = inv * vel_sum;
  }
  samples_.push_back(s);
}

AreaSummary MeasurementArea::summary(double t0_s, double t1_s, Vec2 direction) const {
  const Vec2 e = normalized(direction);
  AreaSummary r;
  double rho = 0, speed = 0, flow = 0;
  Vec2 vel;
  for (const AreaSample& s : samples_) {
    if (s.t_s < t0_s || s.t_s > t1_s) continue;
    ++r.samples;
    rho += s.density_pm2;
    flow += s.density_pm2 * dot(s.mean_velocity_mps, e);
    if (s.count == 0) continue;
    ++r.occupied;
    speed += s.mean_speed_mps;
    vel += s.mean_velocity_mps;
  }
  if (r.samples > 0) {
    r.density_pm2 = rho / static_cast<double>(r.samples);
    r.specific_flow_psm = flow / static_cast<double>(r.samples);
  }
  if (r.occupied > 0) {
    const double inv = 1.0 / static_cast<double>(r.occupied);
    r.speed_mps = speed * inv;
    r.velocity_mps = inv * vel;
  }
  return r;
}

// ---------------------------------------------------------------- line

MeasurementLine::MeasurementLine(std::string name, Segment line)
    : name_(std::move(name)), line_(line) {
  const Vec2 d = line_.b - line_.a;
  assert(norm(d) > 0);
  normal_ = normalized(Vec2{-d.y, d.x});
}

double MeasurementLine::length_m() const {
  return norm(line_.b - line_.a);
}

// A side test that is half-open (a centre exactly on the line counts as being on the
// positive side), so an agent standing on the line is counted once, when it arrives from
// the negative side, and never twice.
void MeasurementLine::test_move(std::uint32_t id, Vec2 p0, Vec2 p1, double t0_s, double t1_s) {
  const Vec2 ab = line_.b - line_.a;
  const double s0 = cross(ab, p0 - line_.a), s1 = cross(ab, p1 - line_.a);
  const bool pos0 = s0 >= 0, pos1 = s1 >= 0;
  if (pos0 == pos1) return;
  const double f = s0 / (s0 - s1);  // in [0, 1]; s0 != s1 since the sides differ
  const Vec2 hit = p0 + f * (p1 - p0);
  const double u = dot(hit - line_.a, ab) / dot(ab, ab);
  if (u < 0 || u > 1) return;  // passed beside the segment
  Crossing c;
  c.t_s = t0_s + f * (t1_s - t0_s);
  c.id = id;
  c.direction = pos1 ? +1 : -1;
  c.normal_speed_mps = dot(p1 - p0, normal_) / (t1_s - t0_s);
  (c.direction > 0 ? positive_ : negative_) += 1;
  crossings_.push_back(c);
}

void MeasurementLine::add_pressure(double t_s, double pressure_n_per_m) {
  pressure_.push_back({t_s, pressure_n_per_m});
}

int MeasurementLine::cumulative(double t_s) const {
  int n = 0;
  for (const Crossing& c : crossings_)
    if (c.t_s <= t_s) n += c.direction;
  return n;
}

double MeasurementLine::flow_per_s(double t0_s, double t1_s) const {
  assert(t1_s > t0_s);
  int n = 0;
  for (const Crossing& c : crossings_)
    if (c.t_s >= t0_s && c.t_s < t1_s) n += c.direction;
  return static_cast<double>(n) / (t1_s - t0_s);
}

std::vector<FlowWindow> MeasurementLine::flow_windows(double t0_s, double t1_s,
                                                      double window_s) const {
  assert(window_s > 0 && t1_s > t0_s);
  std::vector<FlowWindow> out;
  for (int k = 0;; ++k) {
    const double a = t0_s + k * window_s;
    if (a >= t1_s) break;
    FlowWindow w;
    w.t0_s = a;
    w.t1_s = std::min(t1_s, a + window_s);
    double first = 0, last = 0, speed = 0;
    for (const Crossing& c : crossings_) {
      if (c.t_s < w.t0_s || c.t_s >= w.t1_s) continue;
      if (c.direction < 0) {
        ++w.negative;
        continue;
      }
      if (w.positive == 0) first = c.t_s;
      first = std::min(first, c.t_s);
      last = std::max(last, c.t_s);
      speed += c.normal_speed_mps;
      ++w.positive;
    }
    w.flow_per_s = static_cast<double>(w.positive - w.negative) / (w.t1_s - w.t0_s);
    if (w.positive >= 2 && last > first)
      w.method_a_flow_per_s = static_cast<double>(w.positive) / (last - first);
    if (w.positive > 0) w.mean_speed_mps = speed / w.positive;
    out.push_back(w);
  }
  return out;
}

double MeasurementLine::steady_flow_per_s(double lo, double hi) const {
  assert(lo >= 0 && lo < hi && hi <= 1);
  std::vector<double> t;
  for (const Crossing& c : crossings_)
    if (c.direction > 0) t.push_back(c.t_s);
  if (t.size() < 2) return 0.0;
  std::sort(t.begin(), t.end());
  const double last = static_cast<double>(t.size() - 1);
  const auto k_lo = static_cast<std::size_t>(std::floor(lo * last));
  const auto k_hi = static_cast<std::size_t>(std::ceil(hi * last));
  if (k_hi <= k_lo || t[k_hi] <= t[k_lo]) return 0.0;
  return static_cast<double>(k_hi - k_lo) / (t[k_hi] - t[k_lo]);
}

// ---------------------------------------------------------------- set

MeasurementSet::MeasurementSet(MeasurementOptions options) : opt_(options) {}

std::size_t MeasurementSet::add_area(std::string name, Ring polygon) {
  areas_.emplace_back(std::move(name), std::move(polygon));
  return areas_.size() - 1;
}

std::size_t MeasurementSet::add_line(std::string name, Segment line) {
  lines_.emplace_back(std::move(name), line);
  return lines_.size() - 1;
}

void MeasurementSet::observe(double t_s, std::span<const Vec2> pos, std::span<const Vec2> vel,
                             std::span<const std::uint32_t> ids) {
  assert(pos.size() == vel.size() && pos.size() == ids.size());
  assert(frames_ == 0 || t_s > last_t_s_);
  for (MeasurementArea& a : areas_) a.sample(t_s, pos, vel);

  const std::size_t frame = frames_ + 1;  // this frame's number, 1-based
  const double max2 = opt_.max_move_m * opt_.max_move_m;
  for (std::size_t k = 0; k < ids.size(); ++k) {
    const std::uint32_t id = ids[k];
    if (id >= prev_pos_.size()) {
      prev_pos_.resize(static_cast<std::size_t>(id) + 1);
      prev_frame_.resize(static_cast<std::size_t>(id) + 1, 0);
    }
    // Seen in the previous frame: test its move against every line.
    if (prev_frame_[id] == frame - 1 && frame > 1) {
      const Vec2 d = pos[k] - prev_pos_[id];
      if (dot(d, d) <= max2)
        for (MeasurementLine& l : lines_) l.test_move(id, prev_pos_[id], pos[k], last_t_s_, t_s);
    }
    prev_pos_[id] = pos[k];
    prev_frame_[id] = frame;
  }
  frames_ = frame;
  last_t_s_ = t_s;
}

void MeasurementSet::observe(const OperationalModel& model) {
  model.collect_active(scratch_pos_, scratch_vel_, scratch_ids_);
  observe(model.elapsed_s(), scratch_pos_, scratch_vel_, scratch_ids_);
}

void MeasurementSet::observe(const SocialForceModel& model) {
  observe(static_cast<const OperationalModel&>(model));
  const double t = model.elapsed_s();
  for (MeasurementLine& l : lines_) l.add_pressure(t, line_pressure(l.segment(), model));
}

}  // namespace hqdrill::peds
