// The people of an incident in the site's walkable areas (scenario `site.areas`,
// incident `pedestrians`): occupants leaving, a crowd moving. Each area is simulated at
// its own fidelity: `micro` areas one person at a time with the walking model of the
// incident (collision-free speed model or social force; hqdrill/peds/world.hpp), grouped
// into clusters of areas that touch through doors; `macro` areas as rooms of the hydraulic model
// (hqdrill/peds/macro.hpp). Between areas that are apart, people walk the site-graph edge that
// joins the two doors, at their own speed. Everyone heads for the outside (a door with "to":
// "outside") along the cheapest route through open doors; closing a door reroutes them.
//
// A Crowd is stepped by its replication's event loop (sim/replication.cpp) at a fixed
// period; it draws every random number from the one stream it is given, in a fixed
// order, so a run is a pure function of (scenario, incident, seed, replication).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hqdrill/core/rng.hpp"
#include "hqdrill/scenario.hpp"

namespace hqdrill {

/// One person's story; times in ms from the incident's start, kNever if it has not
/// happened.
struct PersonRecord {
  Index group = kNone;
  Index area = kNone;        ///< where the person started
  SimTime appears = kNever;  ///< placed in its area (start, or the alarm)
  SimTime starts = kNever;   ///< starts moving (after pre-movement)
  SimTime out = kNever;      ///< passed a door to the outside
  double path_m = 0;         ///< walked in micro areas, macro rooms and along edges
  /// The door to the outside it left by: area and door index into Site::areas.
  Index exit_area = kNone, exit_door = kNone;
};

/// Where the people are at one moment (for traces and the viewer).
struct PedFrame {
  SimTime t = 0;
  /// People walking in micro areas: person id and position (m, site frame).
  std::vector<std::int32_t> person;
  std::vector<float> x, y;
  /// Crowd complaints: per person above, its ComplainantState (sim/complaint.hpp); empty
  /// for other incidents.
  std::vector<std::uint8_t> state;
  /// Per scenario area: people in it (micro and macro), and per area walking edges.
  std::vector<int> area_count;
  int on_edges = 0;
  int out = 0;
};

/// Per scenario area: whether people of the incident's pedestrian groups can be in it (it
/// is a group's area, or joined to one through doors, open or not).
std::vector<char> areas_in_reach(const Site& site, const Incident& inc);

/// KPI names of the measurement areas and lines in the incident's reach, in
/// Crowd::measures() order.
std::vector<std::string> measure_kpi_names(const Site& site, const Incident& inc);

class Crowd {
 public:
  /// Samples the people of the incident's groups (places, speeds, pre-movement) from rng.
  Crowd(const Scenario& s, Index incident, Pcg32 rng);
  ~Crowd();
  Crowd(const Crowd&) = delete;
  Crowd& operator=(const Crowd&) = delete;

  /// The step period the world must call advance() at (ms).
  SimTime period_ms() const;
  /// The alarm was given at t: groups with pre-movement from the alarm appear now.
  void alarm(SimTime t);
  /// Opens or closes door `door` of area `area` (both sides of its connection) now: at the
  /// last step advance() reached (the world advances to the event time first).
  void set_door(Index area, Index door, bool closed);
  /// Advances the simulation to time t (a multiple of period_ms()).
  void advance(SimTime t);
  /// Nobody is moving or about to: everyone out, or the rest wait for the alarm or are
  /// trapped with no open route.
  bool idle() const;
  /// Everyone out.
  bool all_out() const;

  const std::vector<PersonRecord>& people() const;
  /// Last person of group g out, kNever if someone of it is not out.
  SimTime group_out(Index g) const;
  SimTime all_out_time() const;
  PedFrame frame() const;
  /// The measurement KPIs in the order of measure_kpi_names(): per measurement area in
  /// reach the
  /// peak of its 1-s mean density (/m²); per line the net people passed, the peak flow
  /// over 10-s windows (p/s) and, with pressure, the peak 1-s mean pressure (N/m).
  std::vector<std::optional<double>> measures() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hqdrill
