// A storage-cell network for flooding of a site: yards, basements, ground floors and
// streets as prismatic cells (constant plan area) joined by weirs, orifices and pumps,
// forced by inflow hydrographs, rain and boundary stage hydrographs.
//
// Model (sources named at each formula in cells.cpp):
//  * storage cells, the node-link idea of SWMM (Rossman, Storm Water Management Model
//    Reference Manual Vol. II Hydraulics, EPA/600/R-17/111, 2017) and the storage cells
//    of LISFLOOD-FP (Bates and De Roo, J. Hydrology 236, 2000):
//      A_i dh_i/dt = Q_rain,i + Q_inflow,i + sum Q_in - sum Q_out - Q_pump,i,  h_i >= 0;
//  * broad-crested weir Q = C L H^1.5, C = 1.705 m^0.5/s, with Villemonte's (1947)
//    submergence reduction when the downstream level is above the crest;
//  * orifice Q = Cd a sqrt(2 g dH), Cd = 0.6, levels below the invert clipped to it;
//  * pumps of constant capacity, stopping when their source cell is dry;
//  * rain by the rational method Q = C i A on a per-cell catchment;
//  * boundary level cells: an infinite reservoir whose level follows a stage hydrograph.
//
// Time stepping: explicit (flows from the levels at the start of the step), adaptive
// dt = min(max_dt, level-change limit, diffusive limit theta A_i / sum K_l, next forcing
// breakpoint, target time); a limiter scales a drying cell's outflows so no volume goes
// negative. See cells.cpp for the rule and why. Water volume is booked every step:
// volume_residual_m3() = V_cells - V_0 - V_in + V_out (round-off).
//
// Deterministic; no I/O.
#pragma once

#include <Eigen/Core>
#include <string>
#include <utility>
#include <vector>

namespace hqdrill::flood {

/// A link or pump end that is outside the network (free outfall, sewer, drain).
inline constexpr int kOutside = -1;

inline constexpr double kWeirCoeffBroadCrested = 1.705;  ///< m^0.5/s, SI broad-crested weir
inline constexpr double kOrificeCd = 0.6;                ///< sharp-edged orifice

/// A time series of (t_s, value) points, t ascending.
struct Series {
  std::vector<std::pair<double, double>> points;
  /// Linear between points, held constant before the first and after the last; 0 if empty.
  [[nodiscard]] double linear(double t_s) const;
  /// Piecewise constant: the value of the last point at or before t; 0 before the first.
  [[nodiscard]] double step(double t_s) const;
  /// The first point time strictly after t, or +inf.
  [[nodiscard]] double next_break(double t_s) const;
};

struct CellSpec {
  std::string id;
  double area_m2 = 1.0;  ///< plan area, constant (prismatic)
  double ground_m = 0.0;
  double initial_depth_m = 0.0;
};

struct WeirSpec {
  int from = 0;
  int to = kOutside;  ///< a cell index or kOutside (free overfall)
  double crest_m = 0.0;
  double length_m = 1.0;
  double coeff = kWeirCoeffBroadCrested;
};

struct OrificeSpec {
  int from = 0;
  int to = kOutside;  ///< a cell index or kOutside (free discharge)
  double invert_m = 0.0;
  double area_m2 = 0.0;
  double cd = kOrificeCd;
};

struct PumpSpec {
  int from = 0;
  int to = kOutside;
  double capacity_m3s = 0.0;
  bool on = true;
};

struct CellNetworkSpec {
  std::vector<CellSpec> cells;
  std::vector<WeirSpec> weirs;
  std::vector<OrificeSpec> orifices;
  std::vector<PumpSpec> pumps;
  std::vector<Series> inflow_m3s;    ///< per cell (empty, or one per cell), linear
  Series rain_mm_h;                  ///< hyetograph, piecewise constant
  std::vector<double> runoff_coeff;  ///< per cell (empty, or one per cell)
  std::vector<double> catchment_m2;  ///< per cell (empty, or one per cell)
  std::vector<std::pair<int, Series>> boundary_levels;  ///< cell -> stage (m), linear
  double max_dt_s = 60.0;
  double max_level_change_m = 0.02;  ///< per step, per cell
};

class CellNetwork {
 public:
  explicit CellNetwork(CellNetworkSpec spec);

  /// Advances to t_s (>= time_s()), landing on it exactly.
  void advance_to(double t_s);

  [[nodiscard]] double time_s() const { return t_; }
  [[nodiscard]] double depth_m(int cell) const;
  [[nodiscard]] double level_m(int cell) const;
  [[nodiscard]] int cell_count() const { return static_cast<int>(h_.size()); }
  void set_pump_on(int pump, bool on);
  /// Raises (or lowers) a weir's crest, e.g. a sandbag barrier on a threshold.
  void set_weir_crest(int weir, double crest_m);
  /// Adds rain area (runoff coefficient x m2) draining into a cell from now on, e.g. a
  /// broken window.
  void add_runoff_area(int cell, double m2);

  /// V_cells - V_0 - V_in + V_out over the non-boundary cells (m3); round-off.
  [[nodiscard]] double volume_residual_m3() const;
  [[nodiscard]] double volume_in_m3() const { return in_m3_; }    ///< inflow, rain, boundaries
  [[nodiscard]] double volume_out_m3() const { return out_m3_; }  ///< outside, pumps, boundaries
  [[nodiscard]] double stored_volume_m3() const;                  ///< non-boundary cells
  [[nodiscard]] long steps() const { return steps_; }

 private:
  void apply_boundaries(double t_s);
  double step(double t_target);

  CellNetworkSpec spec_;
  Eigen::VectorXd area_, ground_, h_;
  Eigen::VectorXd runoff_area_;   ///< runoff coefficient x catchment (m2)
  std::vector<int> boundary_of_;  ///< per cell: index into boundary_levels, or -1
  double t_ = 0.0;
  double v0_ = 0.0, in_m3_ = 0.0, out_m3_ = 0.0;
  long steps_ = 0;
};

}  // namespace hqdrill::flood
