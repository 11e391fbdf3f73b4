// The operational (walking) model interface of the pedestrian library: what a world
// (PedWorld), the measurement instruments (measure.hpp) and the validation runs
// (rimea_fd.hpp) need from a microscopic model, so that they can drive either of
//
//  - SocialForceModel (social_force.hpp): Helbing, Farkas and Vicsek (2000), second order,
//    with contact forces -- the model for crowd pressure on gates and walls;
//  - CollisionFreeSpeedModel (cfsm.hpp): Tordeux, Chraibi and Seyfried (2016), first order,
//    calibrated to Weidmann's fundamental diagram -- the model for walking and evacuation
//    times.
//
// Calls through this interface are virtual: per step or per frame, never per agent in a hot
// loop (collect_active() hands a whole frame over in one call). Both implementations are
// `final`, so code holding the concrete type pays nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "hqdrill/peds/vec2.hpp"

namespace hqdrill::peds {

/// One pedestrian as given to add_agent (shared by the models; each ignores what it does
/// not use: the collision-free speed model has no mass and no initial velocity).
struct AgentSpec {
  Vec2 position;                    ///< Centre (m).
  Vec2 goal;                        ///< Goal point (m): desired direction and removal.
  double desired_speed_mps = 1.34;  ///< v0 (Weidmann 1993 free walking speed).
  double radius_m = 0.2;            ///< Body radius r_i (m).
  double mass_kg = 80.0;            ///< m_i (HFV 2000; social force only).
  Vec2 velocity;                    ///< Initial velocity (m/s; social force only).
  bool remove_at_goal = true;       ///< Deactivate within the model's goal radius of the goal.
};

/// Which walking model a world or a validation run uses.
enum class ModelKind {
  social_force,  ///< SocialForceModel (HFV 2000): contact forces, crowd pressure.
  cfsm,          ///< CollisionFreeSpeedModel (Tordeux et al. 2016): Weidmann's diagram.
};

/// Desired direction of `agent` at `position` (state at t). Need not be unit length: it is
/// normalised; a zero vector means "no desired direction" (the agent brakes to rest).
using DirectionProvider = std::function<Vec2(std::size_t agent, Vec2 position)>;

class OperationalModel {
 public:
  virtual ~OperationalModel() = default;

  /// Adds an agent and returns its index (stable: agents are never erased, only made
  /// inactive).
  virtual std::size_t add_agent(const AgentSpec& spec) = 0;
  /// If set, the provider gives each agent's desired direction; otherwise it is the unit
  /// vector to the agent's goal point. Called in agent index order during the step.
  virtual void set_direction_provider(DirectionProvider provider) = 0;
  /// Walls: set or extend between steps (a closing door is an added segment). Agents never
  /// cross a wall.
  virtual void set_walls(std::vector<Segment> walls) = 0;
  virtual std::size_t add_wall(const Segment& wall) = 0;
  virtual const std::vector<Segment>& walls() const = 0;
  /// Periodic boundary in x (see the implementations): x0_m <= x < x0_m + length_m is closed
  /// into a loop. For fundamental-diagram measurements; call before the first step.
  virtual void set_periodic_x(double x0_m, double length_m) = 0;

  /// Advances by dt_s (> 0).
  virtual void step(double dt_s) = 0;

  virtual std::size_t size() const = 0;
  virtual std::size_t active_count() const = 0;
  virtual bool active(std::size_t i) const = 0;
  /// Changes agent i's desired speed v0 from the next step on (m/s, >= 0).
  virtual void set_desired_speed(std::size_t i, double v0_mps) = 0;
  /// Deactivates agent i now (e.g. it left through an exit); its exit time is not set.
  virtual void deactivate(std::size_t i) = 0;
  virtual Vec2 position(std::size_t i) const = 0;
  /// Velocity of the last step (m/s).
  virtual Vec2 velocity(std::size_t i) const = 0;
  virtual double radius_m(std::size_t i) const = 0;
  /// Time at which agent i reached its goal (us), or -1 if it has not.
  virtual std::int64_t exit_time_us(std::size_t i) const = 0;

  /// Simulated time: an integer count of microseconds (dt rounded to 1 us each step).
  virtual std::int64_t elapsed_us() const = 0;
  double elapsed_s() const { return static_cast<double>(elapsed_us()) * 1e-6; }

  /// One frame for measurement: clears the three vectors and appends, in index order, the
  /// position, velocity and index of every active agent.
  virtual void collect_active(std::vector<Vec2>& positions, std::vector<Vec2>& velocities,
                              std::vector<std::uint32_t>& ids) const = 0;
};

}  // namespace hqdrill::peds
