// Social-force pedestrian model with body and sliding-friction contact forces:
// D. Helbing, I. Farkas and T. Vicsek, "Simulating dynamical features of escape panic",
// Nature 407, 487-490 (2000) (equations (1)-(3) and the parameter values of its Methods).
//
//   m_i dv_i/dt = m_i (v0_i e_i - v_i) / tau                                  (driving)
//               + sum_j [A exp((r_ij - d_ij)/B) + k g(r_ij - d_ij)] n_ij      (repulsion, body)
//               + sum_j kappa g(r_ij - d_ij) (dv_ji . t_ij) t_ij               (sliding friction)
//               + sum_W [A exp((r_i - d_iW)/B) + k g(r_i - d_iW)] n_iW
//                       - kappa g(r_i - d_iW) (v_i . t_iW) t_iW                (walls)
//   g(x) = x if x > 0 else 0;  r_ij = r_i + r_j;  d = centre distance;  n points to agent i;
//   t = (-n.y, n.x);  dv_ji . t_ij = (v_j - v_i) . t_ij.
//
// One step is two stages (STYLE.md habit 6): compute every acceleration from the state at t
// into a separate buffer, then commit all agents (semi-implicit Euler, speed clamp, wall clip,
// goal removal). Agents are addressed by index (habit 5); there is no threading and the
// result is a pure function of the inputs, bit for bit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "hqdrill/peds/model.hpp"
#include "hqdrill/peds/vec2.hpp"

namespace hqdrill::peds {

/// Model constants. Defaults: Helbing, Farkas and Vicsek (2000), Methods ("tau = 0.5 s,
/// A_i = 2x10^3 N, B_i = 0.08 m, k = 1.2x10^5 kg s^-2, kappa = 2.4x10^5 kg m^-1 s^-1",
/// mass 80 kg; the same A, B, k, kappa for the walls). Cut-off, speed clamp and goal radius
/// are HQ Drill's numerical choices.
struct SocialForceParams {
  double relaxation_time_s = 0.5;                ///< tau, HFV 2000.
  double repulsion_n = 2000.0;                   ///< A, agent-agent, HFV 2000.
  double repulsion_range_m = 0.08;               ///< B, agent-agent, HFV 2000.
  double body_stiffness_kg_per_s2 = 1.2e5;       ///< k, body (compression) force, HFV 2000.
  double friction_kg_per_m_s = 2.4e5;            ///< kappa, sliding friction, HFV 2000.
  double wall_repulsion_n = 2000.0;              ///< A for walls, HFV 2000.
  double wall_repulsion_range_m = 0.08;          ///< B for walls, HFV 2000.
  double wall_body_stiffness_kg_per_s2 = 1.2e5;  ///< k for walls, HFV 2000.
  double wall_friction_kg_per_m_s = 2.4e5;       ///< kappa for walls, HFV 2000.
  /// Interaction cut-off and grid cell size (m). Pairs further apart are skipped: for two
  /// 0.2 m agents at 1.5 m, A exp((r_ij - d)/B) = 2000 exp(-13.75) = 2e-3 N, 1e-5 of the
  /// driving force m v0 / tau = 214 N (walls: 2000 exp(-16.25) = 2e-4 N). Must exceed the
  /// largest r_i + r_j. 2 m costs 1.6x the time for no visible change.
  double cutoff_m = 1.5;
  /// Speed clamp: |v_i| <= max_speed_factor * v0_i after each step (HQ Drill's choice, not
  /// from HFV 2000). It keeps the explicit step bounded when contact forces are stiff and
  /// bounds the motion of an agent per step.
  double max_speed_factor = 1.3;
  /// An agent whose centre comes within this distance (m) of its goal point is removed.
  double goal_radius_m = 0.5;
};

/// AgentSpec, DirectionProvider and the OperationalModel interface: model.hpp.
class SocialForceModel final : public OperationalModel {
 public:
  explicit SocialForceModel(SocialForceParams params = {});

  /// Adds an agent and returns its index (stable: agents are never erased, only made
  /// inactive).
  std::size_t add_agent(const AgentSpec& spec) override;

  /// If set, the provider gives each agent's desired direction; otherwise it is the unit
  /// vector to the agent's goal point. Called in agent index order during the compute stage.
  void set_direction_provider(DirectionProvider provider) override;

  /// Walls: set or extend between steps (a closing door is an added segment).
  void set_walls(std::vector<Segment> walls) override;
  std::size_t add_wall(const Segment& wall) override;
  const std::vector<Segment>& walls() const override { return walls_; }

  /// Periodic boundary in x (off by default): the strip x0_m <= x < x0_m + length_m is
  /// closed into a loop, as in the usual measurement of a fundamental diagram in a
  /// corridor (JuPedSim's RiMEA test 4 runs a 26 m periodic corridor). Agents leaving at one
  /// end re-enter at the other and interact across the seam (each agent within the
  /// cut-off of x0_m also appears, shifted by +length_m, as a ghost beyond the far end; its
  /// pair forces are added to the agent). length_m must exceed 2 x cutoff_m so no pair is
  /// seen twice. Walls are not repeated: give them the full length of the strip. Call
  /// before the first step; positions already added are wrapped into the strip.
  void set_periodic_x(double x0_m, double length_m) override;
  bool periodic_x() const { return periodic_len_m_ > 0; }

  /// Advances by dt_s (> 0). Contact forces are stiff (sqrt(k/m) = 39 rad/s): dt_s = 0.05 s
  /// keeps every value finite and bounded (speed clamp) but contact-dominated measurements
  /// such as pressure want dt_s <= 0.01 s.
  void step(double dt_s) override;

  std::size_t size() const override { return px_.size(); }
  std::size_t active_count() const override { return active_count_; }
  bool active(std::size_t i) const override { return active_[i] != 0; }
  Vec2 position(std::size_t i) const override { return {px_[i], py_[i]}; }
  Vec2 velocity(std::size_t i) const override { return {vx_[i], vy_[i]}; }
  double radius_m(std::size_t i) const override { return radius_[i]; }
  /// Deactivates agent i now (e.g. taken out by a marshal); its exit time is not set.
  void deactivate(std::size_t i) override;

  /// Simulated time: an integer count of microseconds (dt rounded to 1 us each step);
  /// elapsed_s() is OperationalModel's.
  std::int64_t elapsed_us() const override { return elapsed_us_; }
  /// Time at which agent i reached its goal (us), or -1 if it has not.
  std::int64_t exit_time_us(std::size_t i) const override { return exit_us_[i]; }
  void collect_active(std::vector<Vec2>& positions, std::vector<Vec2>& velocities,
                      std::vector<std::uint32_t>& ids) const override;

  /// Total normal body (contact) force k g(r_i - d_iW) of all agents on wall w in the last
  /// step's compute stage (N), and that force per metre of wall (N/m) -- the crowd pressure
  /// on a closed gate modelled as a wall. Zero before the first step. In HFV 2000 a body
  /// touches a wall only when pushed harder than A = 2000 N (the repulsion at zero gap, about
  /// ten agents' driving force m v0 / tau), so light crowds give exactly zero.
  double wall_contact_force_n(std::size_t w) const;
  double wall_pressure_n_per_m(std::size_t w) const;
  /// Total normal force of all agents on wall w in the last compute stage (N): the
  /// repulsion A exp((r_i - d_iW)/B) plus the body force, i.e. everything the wall pushes
  /// back with. At rest against a closed gate it carries the crowd's whole push
  /// (sum of m v0 / tau of the pushers), unlike wall_contact_force_n.
  double wall_load_n(std::size_t w) const;

  void set_desired_speed(std::size_t i, double v0_mps) override;

  const SocialForceParams& params() const { return params_; }

 private:
  void build_grid();
  template <bool kGhosts>
  void pair_forces();
  void compute_accelerations();
  void commit(double dt_s);
  Vec2 clip_to_walls(std::size_t i, Vec2 from, Vec2 to, Vec2& v) const;

  SocialForceParams params_;
  DirectionProvider provider_;
  std::vector<Segment> walls_;

  // Hot per-agent state (structure of arrays), addressed by agent index.
  std::vector<double> px_, py_, vx_, vy_;
  std::vector<double> v0_, radius_, mass_;
  std::vector<std::uint8_t> active_;
  // Cold per-agent data.
  std::vector<double> gx_, gy_;
  std::vector<std::uint8_t> remove_at_goal_;
  std::vector<std::int64_t> exit_us_;
  std::size_t active_count_ = 0;
  std::int64_t elapsed_us_ = 0;
  double periodic_x0_m_ = 0, periodic_len_m_ = 0;  // length 0: not periodic

  // Second buffer: accelerations computed from the state at t.
  std::vector<double> ax_, ay_;
  std::vector<double> wall_contact_n_;
  std::vector<double> wall_load_n_;

  // Uniform grid rebuilt every step by counting sort. Agents of cell c are
  // cell_start_[c] .. cell_start_[c + 1] - 1 in the sorted copies below.
  double grid_x0_ = 0, grid_y0_ = 0, cell_m_ = 1;
  std::size_t grid_nx_ = 0, grid_ny_ = 0;
  std::vector<std::uint32_t> cell_of_;  // per agent index (active only)
  std::vector<std::uint32_t> slot_of_;  // per agent index: position in the sorted arrays
  std::vector<std::uint32_t> cell_start_;
  std::vector<double> sx_, sy_, svx_, svy_, sr_;
  std::vector<std::uint32_t> sid_;       // agent index; size() + index for a periodic ghost
  std::vector<std::uint32_t> ghost_of_;  // agent index of each ghost (periodic mode)
  std::vector<double> sfx_, sfy_;        // pair forces (N), sorted order
  // Walls binned into every cell their cut-off-expanded bounding box touches.
  std::vector<std::uint32_t> wall_cell_start_;
  std::vector<std::uint32_t> wall_items_;
  std::vector<std::uint32_t> fill_;  // counting-sort cursor, reused every step
};

/// Crowd pressure on `line` (N/m): the total normal body force k g(r_i - d_i) of the active
/// agents of `model` whose bodies overlap the line (d_i = distance from centre to the line),
/// divided by the line's length; k = params().wall_body_stiffness_kg_per_s2. Only the direct
/// contact force is counted (the force transmitted through the crowd arrives through the
/// front row's overlap). Returns 0 for a zero-length line.
double line_pressure(const Segment& line, const SocialForceModel& model);

}  // namespace hqdrill::peds
