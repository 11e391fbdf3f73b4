// Collision-free speed model (CFSM): A. Tordeux, M. Chraibi and A. Seyfried, "Collision-free
// speed model for pedestrian dynamics", in Traffic and Granular Flow '15, Springer (2016)
// 225-232, arXiv:1512.05597; as implemented in JuPedSim (libsimulator/src/
// CollisionFreeSpeedModel.cpp, jupedsim 1.x), whose reading of the paper we follow:
//
//   dx_i/dt = V_i(s_i) e_i                                    (first order: no inertia)
//   V_i(s)  = min(v0_i, max(0, (s - l_ij) / T))               (optimal speed, time gap T)
//   e_i     = u( e0_i + sum_j a exp((l_ij - d_ij)/D) n_ij
//                    + sum_W a_w exp((r_i - d_iW)/D_w) n_iW ) (direction)
//   s_i - l = min over j ahead of (d_ij - l_ij), j ahead: (x_j - x_i) . e_i >= 0 and
//             |(x_j - x_i) x e_i| <= l_ij  (in front, within the body width)
//   u(x) = x / |x|;  l_ij = r_i + r_j (the "agent length" l = 2r for equal radii);
//   d_ij = centre distance, n_ij = unit vector from j to i; d_iW = distance to the closest
//   point of wall W, n_iW = unit vector from that point to i.
//
// As in JuPedSim: neighbours hidden behind a wall (the segment between the centres crosses
// one) are ignored, walls only bend the direction (they are not in the spacing), and a zero
// direction sum keeps the previous direction. HQ Drill's additions: an agent whose desired
// direction is zero stands still (PedWorld's pre-movement; the paper has no such agents), a
// move that would cross a wall slides along it instead (a safety net: the wall term turns
// agents away at r + D_w ln(a_w) = 0.23 m, but as walls are not in the spacing a centre
// pushed on by others can come one step, v0 dt, closer than r), optional periodic-x, goal
// removal.
//
// Known properties of the published model kept here: the last agent of a queue, with no one
// behind, is pushed back by the repulsion of the one ahead once closer than
// l + D ln(a) = l + 0.21 m, reverses its direction and steps back for one step, so it
// hovers there (centre distance 0.60-0.62 m at dt 0.01 s, 0.60-0.67 m at dt 0.05 s, for
// l = 0.4 m) instead of closing to l; inside a crowd the repulsions cancel and the spacing
// law decides. Collision-free for dt_s < T (a follower closes at most dt/T of its gap per
// step; agents approaching each other from the side are kept apart by the direction term
// only).
//
// One step is compute-then-commit (STYLE.md habit 6): every velocity from the state at t
// into a second buffer, then every position. Deterministic, bit for bit.
//
// Calibration (HQ Drill, 2026-11-28) against Weidmann (1993), v(rho) = 1.34 [1 -
// exp(-1.913 (1/rho - 1/5.4))], in rimea_fd.hpp's periodic corridor (16 m x 3 m, walls along
// both sides, v0 1.34 m/s, r 0.2 m so l = 0.4 m, 10 s transient + 60 s measured, dt 0.01 s,
// speed = mean x-velocity in a 2 m section; m/s):
//
//   rho /m²    Weidmann   T = 0.50   T = 0.55   T = 0.60   T = 1.0 (JuPedSim)
//   0.5        1.298      1.340      1.340      1.340      0.938
//   1          1.058      1.215      1.105      1.013      0.606
//   2          0.606      0.690      0.630      0.576      0.351
//   3          0.331      0.323      0.295      0.271      0.161
//   4          0.156      0.201      0.183      0.168      0.102
//   5          0.037      0.084      0.076      0.069      0.037
//   6          0          0          0          0          0
//
// T = 0.55 s is within 0.047 m/s of Weidmann at 0.5-4 /m² (RiMEA 4 band: 0.25 m/s or 35 %;
// worst 0.14 of the band); at dt 0.05 s within 0.075 m/s (worst 0.30); corridors 5 m and
// 10 m wide and another seed also pass (worst 0.18, 0.23, 0.11 of the band). l = 2r = 0.4 m is
// close to Weidmann's jam spacing 1/sqrt(5.4) = 0.43 m, so l was left at the body size, not fitted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "hqdrill/core/rng.hpp"
#include "hqdrill/peds/model.hpp"
#include "hqdrill/peds/vec2.hpp"

namespace hqdrill::peds {

/// Model constants. Repulsion defaults: JuPedSim's CollisionFreeSpeedModel
/// (strength_neighbor_repulsion 8.0, range_neighbor_repulsion 0.1 m,
/// strength_geometry_repulsion 5.0, range_geometry_repulsion 0.02 m). JuPedSim's time gap
/// default is 1 s (with v0 1.2 m/s, r 0.2 m); HQ Drill calibrates T to Weidmann instead.
struct CfsmParams {
  /// T (s). Calibrated so that the periodic-corridor fundamental diagram with r = 0.2 m and
  /// v0 = 1.34 m/s matches Weidmann (1993): the table at the top of this header.
  double time_gap_s = 0.55;
  double neighbor_repulsion = 8.0;          ///< a (dimensionless), JuPedSim default.
  double neighbor_repulsion_range_m = 0.1;  ///< D (m), JuPedSim default.
  double wall_repulsion = 5.0;              ///< a_w (dimensionless), JuPedSim default.
  double wall_repulsion_range_m = 0.02;     ///< D_w (m), JuPedSim default.
  /// Neighbour cut-off and grid cell size (m), raised automatically to 2 r_max + v0_max T
  /// (the farthest neighbour that can slow an agent below v0; 0.4 + 1.34 x 0.55 = 1.14 m
  /// with the defaults) and to 4 r_max, so the speed law is always exact. The repulsion
  /// dropped beyond 1.2 m is at most a exp((0.4 - 1.2)/D) = 2.7e-3 of the unit desired
  /// direction per neighbour (JuPedSim uses 3 m; 1.5 m costs 1.4x the time here).
  double cutoff_m = 1.2;
  /// An agent whose centre comes within this distance (m) of its goal point is removed.
  double goal_radius_m = 0.5;
  /// Unblocking (HQ Drill's addition; 0 turns it off). A first-order model whose speed
  /// function returns zero can freeze for ever in a cycle of agents each "ahead" of the next
  /// (seen at a 1 m door: two agents at the jambs turned inwards, one between them behind;
  /// JuPedSim reports the same freezing and adds randomness to the speed, PR #1516, 2025).
  /// An agent slower than unblock_speed_mps that has a desired direction first tries its
  /// desired direction e0 itself (when the repulsion terms turned it away: an agent pressed
  /// on a door jamb is turned by the stiff wall term into the neighbour beside it while
  /// its way out is free; three abreast in a 1 m exit froze so in RiMEA 9), then one
  /// direction rotated by a uniform angle in +-unblock_angle_rad (own PCG32 stream, seed
  /// below), and takes a try if its speed law gives it more speed there; the speed law
  /// still keeps it off the agents ahead in the new direction, walls still slide. Agents
  /// that can walk are untouched.
  double unblock_speed_mps = 0.01;
  double unblock_angle_rad = 0.5;
  std::uint64_t seed = 1;  ///< PCG32 state of the unblocking draws.
};

class CollisionFreeSpeedModel final : public OperationalModel {
 public:
  explicit CollisionFreeSpeedModel(CfsmParams params = {});

  /// Uses position, goal, desired_speed_mps, radius_m, remove_at_goal; the initial
  /// velocity only sets the initial direction (kept when the direction sum is zero).
  std::size_t add_agent(const AgentSpec& spec) override;
  void set_direction_provider(DirectionProvider provider) override;
  void set_walls(std::vector<Segment> walls) override;
  std::size_t add_wall(const Segment& wall) override;
  const std::vector<Segment>& walls() const override { return walls_; }
  /// Periodic boundary in x, as SocialForceModel::set_periodic_x: agents within the cut-off
  /// of either end also appear, shifted by -+length_m, beyond the other end as neighbours.
  /// length_m must exceed 2 x cutoff_m. Walls are not repeated.
  void set_periodic_x(double x0_m, double length_m) override;
  bool periodic_x() const { return periodic_len_m_ > 0; }

  /// Advances by dt_s (0 < dt_s < T; JuPedSim's usual 0.01-0.05 s).
  void step(double dt_s) override;

  std::size_t size() const override { return px_.size(); }
  std::size_t active_count() const override { return active_count_; }
  bool active(std::size_t i) const override { return active_[i] != 0; }
  void deactivate(std::size_t i) override;
  void set_desired_speed(std::size_t i, double v0_mps) override;
  Vec2 position(std::size_t i) const override { return {px_[i], py_[i]}; }
  /// V_i(s_i) e_i of the last step (the actual displacement / dt when a wall cut the move).
  Vec2 velocity(std::size_t i) const override { return {vx_[i], vy_[i]}; }
  double radius_m(std::size_t i) const override { return radius_[i]; }
  std::int64_t exit_time_us(std::size_t i) const override { return exit_us_[i]; }
  std::int64_t elapsed_us() const override { return elapsed_us_; }
  void collect_active(std::vector<Vec2>& positions, std::vector<Vec2>& velocities,
                      std::vector<std::uint32_t>& ids) const override;

  /// Walking direction e_i of the last step (unit, or zero before the first step).
  Vec2 direction(std::size_t i) const { return {ex_[i], ey_[i]}; }
  const CfsmParams& params() const { return params_; }

 private:
  void build_grid();
  void compute_velocities();
  void commit(double dt_s);
  Vec2 clip_to_walls(std::size_t i, Vec2 from, Vec2 to) const;
  bool hidden_by_wall(std::uint32_t w0, std::uint32_t w1, Vec2 a, Vec2 b) const;

  CfsmParams params_;
  Pcg32 rng_;  // unblocking draws only, in agent index order
  DirectionProvider provider_;
  std::vector<Segment> walls_;

  // Hot per-agent state (structure of arrays), addressed by agent index.
  std::vector<double> px_, py_, vx_, vy_, ex_, ey_;
  std::vector<double> v0_, radius_;
  std::vector<std::uint8_t> active_;
  // Cold per-agent data.
  std::vector<double> gx_, gy_;
  std::vector<std::uint8_t> remove_at_goal_;
  std::vector<std::int64_t> exit_us_;
  std::size_t active_count_ = 0;
  std::int64_t elapsed_us_ = 0;
  double periodic_x0_m_ = 0, periodic_len_m_ = 0;  // length 0: not periodic
  double reach_m_;  // grid cell and cut-off: CfsmParams::cutoff_m, raised by add_agent

  // Second buffer: velocity and direction computed from the state at t.
  std::vector<double> nvx_, nvy_, nex_, ney_;

  // Uniform grid rebuilt every step by counting sort (grid.hpp). Agents of cell c are
  // cell_start_[c] .. cell_start_[c + 1] - 1 in the sorted copies below.
  std::size_t grid_nx_ = 0, grid_ny_ = 0;
  std::vector<std::uint32_t> cell_of_;  // per agent index (active only)
  std::vector<std::uint32_t> cell_start_;
  std::vector<double> sx_, sy_, sr_;
  std::vector<std::uint32_t> sid_;  // agent index; size() + index for a periodic ghost
  std::vector<std::uint32_t> ghost_of_;
  std::vector<double> ghost_x_;
  std::vector<std::uint32_t> wall_cell_start_, wall_items_, fill_;
  // Per-agent scratch of the compute stage: neighbours within the cut-off.
  struct Neighbour {
    double dx, dy, d, l;
  };
  std::vector<Neighbour> near_;
  std::vector<std::uint32_t> cand_;  // sorted slots within the cut-off
};

}  // namespace hqdrill::peds
