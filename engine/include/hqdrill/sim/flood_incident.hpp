// The water of a flood incident (issue #7; design: docs/design/flood.md): the cells and
// links of its FloodDef as a storage-cell network (flood/cells.hpp) forced by the river
// stage and the rain, with what the response changes in it: sandbag barriers raised by
// the works (and lost when overtopped), pumps that run only when set up and powered
// (the grid until a power cut, the site's generator while its fuel lasts, or their own
// engine), records carried out of a cell before the water reaches their shelves, rain
// let in by a broken window. The replication (sim/replication.cpp) advances it in fixed
// coupling steps, applies the works' progress before each step and closes the site's
// edges by the depth of their cell after it.
//
// Deterministic and free of random numbers: the water is the same in every run; what
// varies is when the people are told, arrive and finish their works.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "hqdrill/scenario.hpp"

namespace hqdrill {

/// A sandbag barrier on a weir: none (no sandbags), building (being raised), up (all
/// placed and holding), overtopped (the water went over it: it failed).
enum class BarrierState : std::uint8_t { none, building, up, overtopped };
const char* to_string(BarrierState b);

/// The water at one moment (traces, the viewer).
struct FloodFrame {
  SimTime t = 0;
  std::vector<float> depth_m;          ///< per flood cell
  float stage_m = 0;                   ///< the river at its gauge (station datum)
  std::vector<std::uint8_t> barriers;  ///< per flood link: BarrierState
};

/// What happened in one coupling step.
struct FloodChanges {
  std::vector<Index> entered;                      ///< building cells water got into
  std::vector<Index> overtopped;                   ///< links whose barrier failed
  std::vector<std::pair<Index, int>> passability;  ///< cell, 0 open / 1 no vehicles / 2 closed
};

class FloodIncident {
 public:
  FloodIncident(const Scenario& s, Index incident);
  ~FloodIncident();
  FloodIncident(const FloodIncident&) = delete;
  FloodIncident& operator=(const FloodIncident&) = delete;

  SimTime step_ms() const;
  /// Advances the water to t (> the last t) with the controls as set now; reports what
  /// changed at t.
  void advance(SimTime t, FloodChanges& out);

  // Controls (take effect from the next advance).
  /// Height of sandbags the works have placed on link `link` so far (on top of its
  /// barrier_m), and whether a work on it is under way; ignored once it has failed.
  void set_barrier_built(Index link, double height_m, bool building);
  void set_records_moved(Index cell, double fraction);
  void set_grid(bool on);
  void start_generator(double fuel_h);
  void set_pump_ready(Index pump);
  void add_rain_area(Index cell, double m2);

  // State.
  double depth_m(Index cell) const;
  double stage_m() const;  ///< gauge datum
  int passability(Index cell) const;
  BarrierState barrier(Index link) const;
  bool grid_on() const;
  FloodFrame frame() const;
  double volume_residual_m3() const;

  // Outcome (ms from the incident's start; kNever if it did not happen).
  SimTime first_entry(Index cell) const;
  double max_depth_m(Index cell) const;
  double time_above_threshold_s() const;
  int barriers_failed() const;
  /// Records lost / records at risk; nullopt when no cell holds records.
  std::optional<double> records_lost_fraction() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hqdrill
