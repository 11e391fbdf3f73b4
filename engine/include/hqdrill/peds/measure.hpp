// Measurement of pedestrian density, speed and flow from positions and velocities per step,
// independent of the model that produced them (any OperationalModel, PedWorld, a replayed
// trajectory). Two instruments, as in JuPedSim's jpsreport (J. Zhang, W. Klingsch,
// A. Schadschneider and A. Seyfried, "Transitions in pedestrian fundamental diagrams of
// straight corridors and T-junctions", J. Stat. Mech. (2011) P06004, methods A and C) and
// B. Steffen and A. Seyfried, "Methods for measuring pedestrian density, flow, speed and
// direction with minimal scatter", Physica A 389 (2010) 1902-1910:
//
//  - a measurement area (polygon): per observed step the classic density rho = N / A and the
//    mean speed and velocity of the N agents inside ("method C"); a time series. No Voronoi
//    density: Steffen and Seyfried show it has less scatter, the classic one is kept here
//    because it needs no tessellation and is what RiMEA test 4's measuring points ask for.
//  - a measurement line (segment): every crossing of an agent's centre, with its direction,
//    interpolated time and the velocity component normal to the line; cumulative counts
//    N(t), flow over fixed windows and "method A" flow N / (t_N - t_1), and the steady flow
//    between two quantiles of the crossings (bottleneck flow as in A. Seyfried et al.,
//    "New insights into pedestrian flow through bottlenecks", Transportation Science 43
//    (2009) 395-406, from the time lapses between consecutive passages).
//
// Plain values, no I/O, no globals; results depend only on the observed frames, in order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "hqdrill/peds/geometry.hpp"
#include "hqdrill/peds/vec2.hpp"

namespace hqdrill::peds {

class OperationalModel;
class SocialForceModel;

/// One observation of a measurement area.
struct AreaSample {
  double t_s = 0;
  std::size_t count = 0;      ///< N: agent centres inside the polygon.
  double density_pm2 = 0;     ///< N / A (persons per m²).
  double mean_speed_mps = 0;  ///< Mean |v| of the N agents; 0 when N = 0.
  Vec2 mean_velocity_mps;     ///< Mean velocity vector of the N agents; 0 when N = 0.
};

/// Time averages of an area's samples over [t0_s, t1_s].
struct AreaSummary {
  std::size_t samples = 0;   ///< Samples in the interval.
  std::size_t occupied = 0;  ///< ... of which with N > 0.
  double density_pm2 = 0;    ///< Mean of rho over all samples.
  double speed_mps = 0;      ///< Mean of the per-sample mean |v| over occupied samples.
  Vec2 velocity_mps;         ///< Mean of the per-sample mean velocity over occupied samples.
  /// Mean of rho * (mean velocity . direction) over all samples: the hydrodynamic specific
  /// flow J_s = rho v (persons per second per metre) through the area along `direction`.
  double specific_flow_psm = 0;
};

class MeasurementArea {
 public:
  /// `polygon`: at least 3 vertices, non-zero area (even-odd rule, any orientation).
  MeasurementArea(std::string name, Ring polygon);

  const std::string& name() const { return name_; }
  const Ring& polygon() const { return polygon_; }
  double area_m2() const { return area_m2_; }
  const std::vector<AreaSample>& samples() const { return samples_; }

  /// Averages over the samples with t0_s <= t <= t1_s; `direction` (normalised inside;
  /// default +x) is the one the specific flow is taken along.
  AreaSummary summary(double t0_s, double t1_s, Vec2 direction = {1, 0}) const;

  /// Appends the sample of one frame (called by MeasurementSet::observe).
  void sample(double t_s, std::span<const Vec2> pos, std::span<const Vec2> vel);

 private:
  std::string name_;
  Ring polygon_;
  double area_m2_ = 0;
  double x0_ = 0, y0_ = 0, x1_ = 0, y1_ = 0;  // bounding box, to skip the polygon test
  std::vector<AreaSample> samples_;
};

/// One passage of an agent's centre through a measurement line.
struct Crossing {
  double t_s = 0;               ///< Interpolated linearly between the two frames.
  std::uint32_t id = 0;         ///< The agent's id as given to observe().
  int direction = 0;            ///< +1 along the line's positive normal, -1 against it.
  double normal_speed_mps = 0;  ///< Displacement over the frame interval, along the normal.
};

/// Flow through a line over one window [t0_s, t1_s).
struct FlowWindow {
  double t0_s = 0, t1_s = 0;
  int positive = 0;       ///< Crossings in the positive direction.
  int negative = 0;       ///< Crossings in the negative direction.
  double flow_per_s = 0;  ///< (positive - negative) / (t1 - t0).
  /// Method A (jpsreport): N / (t_N - t_1) over the N positive crossings in the window,
  /// t_1 and t_N the first and last; 0 when N < 2.
  double method_a_flow_per_s = 0;
  /// Mean normal speed of the positive crossings (method A's time-mean velocity); 0 if none.
  double mean_speed_mps = 0;
};

/// Crowd pressure on a line at one observed step (SocialForceModel frames only). Meaningful
/// for a line people cannot pass (a closed gate, also given to the model as a wall): on an
/// open door every body straddling the line counts, walking or not.
struct PressureSample {
  double t_s = 0;
  double pressure_n_per_m = 0;  ///< line_pressure() of social_force.hpp.
};

class MeasurementLine {
 public:
  /// Positive direction: the left normal of a -> b, (-(b - a).y, (b - a).x) normalised.
  /// E.g. a line drawn downwards, (x, y1) -> (x, y0) with y1 > y0, counts motion towards +x
  /// as positive; drawn upwards it counts motion towards -x. `line` must have length > 0.
  MeasurementLine(std::string name, Segment line);

  const std::string& name() const { return name_; }
  const Segment& segment() const { return line_; }
  double length_m() const;
  /// Unit positive normal (left of a -> b).
  Vec2 normal() const { return normal_; }
  /// Every crossing so far, in observation order (within a frame: agent input order).
  const std::vector<Crossing>& crossings() const { return crossings_; }
  int positive_count() const { return positive_; }
  int negative_count() const { return negative_; }
  /// Net count N(t) = positive - negative crossings with time <= t_s.
  int cumulative(double t_s) const;
  /// Net crossings per second over [t0_s, t1_s): N / (t1 - t0).
  double flow_per_s(double t0_s, double t1_s) const;
  /// Consecutive windows of window_s from t0_s up to t1_s (the last one may be shorter).
  std::vector<FlowWindow> flow_windows(double t0_s, double t1_s, double window_s) const;
  /// Steady flow of the positive crossings between the quantiles lo and hi (0 <= lo < hi
  /// <= 1) of their count: (k_hi - k_lo) / (t_hi - t_lo), k = index in time order. Cuts off
  /// the start-up and the last stragglers of a room emptying through a door. 0 if fewer
  /// than two crossings lie between.
  double steady_flow_per_s(double lo = 0.1, double hi = 0.9) const;
  /// Pressure samples (only filled by MeasurementSet::observe(const SocialForceModel&)).
  const std::vector<PressureSample>& pressure() const { return pressure_; }

  /// Records the crossing of one agent's move p0 -> p1 over [t0_s, t1_s] if there is one.
  void test_move(std::uint32_t id, Vec2 p0, Vec2 p1, double t0_s, double t1_s);
  void add_pressure(double t_s, double pressure_n_per_m);

 private:
  std::string name_;
  Segment line_;
  Vec2 normal_;
  std::vector<Crossing> crossings_;
  int positive_ = 0, negative_ = 0;
  std::vector<PressureSample> pressure_;
};

struct MeasurementOptions {
  /// A move longer than this between two frames is a jump, not walking (e.g. the wrap of a
  /// periodic boundary) and crosses no line. Default: never.
  double max_move_m = std::numeric_limits<double>::infinity();
};

/// A set of areas and lines fed the same frames.
class MeasurementSet {
 public:
  explicit MeasurementSet(MeasurementOptions options = {});

  std::size_t add_area(std::string name, Ring polygon);
  std::size_t add_line(std::string name, Segment line);
  const MeasurementArea& area(std::size_t i) const { return areas_[i]; }
  const MeasurementLine& line(std::size_t i) const { return lines_[i]; }
  MeasurementLine& line(std::size_t i) { return lines_[i]; }
  std::size_t area_count() const { return areas_.size(); }
  std::size_t line_count() const { return lines_.size(); }

  /// One frame at time t_s (strictly after the previous frame): pos[k], vel[k] belong to
  /// the agent ids[k] (the three spans have the same length; ids are unique in a frame and
  /// index a dense per-id table, so keep them small: model indices are ideal). A line
  /// crossing is tested for an agent seen in this frame and in the previous one; an agent
  /// absent from a frame (not yet spawned, left) starts afresh when it reappears.
  void observe(double t_s, std::span<const Vec2> pos, std::span<const Vec2> vel,
               std::span<const std::uint32_t> ids);
  /// The active agents of any model at model.elapsed_s() (ids = model indices); one
  /// virtual call per frame (OperationalModel::collect_active).
  void observe(const OperationalModel& model);
  /// The same for a social-force model, plus the crowd pressure on each line
  /// (line_pressure in social_force.hpp; see PressureSample).
  void observe(const SocialForceModel& model);

  std::size_t frames() const { return frames_; }

 private:
  MeasurementOptions opt_;
  std::vector<MeasurementArea> areas_;
  std::vector<MeasurementLine> lines_;
  std::size_t frames_ = 0;
  double last_t_s_ = 0;
  std::vector<Vec2> prev_pos_;                   // per id
  std::vector<std::size_t> prev_frame_;          // per id: frame number + 1 when last seen, 0 never
  std::vector<Vec2> scratch_pos_, scratch_vel_;  // observe(model) buffers
  std::vector<std::uint32_t> scratch_ids_;
};

}  // namespace hqdrill::peds
