// Fundamental diagrams and SFPE hydraulic-model relations for pedestrians: speed as a
// function of density, specific flow, effective width. Pure functions, no state.
// Units: density in persons per m² (p/m²), speed in m/s, specific flow in persons per
// second per metre of (effective) width (p/(s·m)), widths in m.
#pragma once

#include <cstdint>

namespace hqdrill::peds {

// ---------------------------------------------------------------- Weidmann

/// Weidmann (1993), "Transporttechnik der Fussgänger", IVT Schriftenreihe 90, ETH
/// Zürich; the same constants as Vadere's SpeedAdjusterWeidmann.
struct WeidmannParams {
  double v0_mps = 1.34;      ///< free walking speed
  double gamma_pm2 = 1.913;  ///< γ, in p/m² (it multiplies 1/ρ, which is m²/p)
  double rho_max_pm2 = 5.4;  ///< jam density: speed zero at and above it
};

/// v(ρ) = v0·[1 − exp(−γ·(1/ρ − 1/ρmax))]; v0 for ρ ≤ 0, 0 for ρ ≥ ρmax.
double weidmann_speed_mps(double density_pm2, const WeidmannParams& p = {});

/// Specific flow J(ρ) = ρ·v(ρ), persons per second per metre of width.
double weidmann_flow_psm(double density_pm2, const WeidmannParams& p = {});

/// Where J(ρ) peaks and its value there (capacity per metre of width).
struct FlowMaximum {
  double density_pm2 = 0;
  double flow_psm = 0;
};

/// The maximum of J(ρ) on (0, ρmax), found numerically (golden-section search; J is
/// unimodal there). For the default constants: ρ* ≈ 1.7507 p/m², J* ≈ 1.2249 p/(s·m).
FlowMaximum weidmann_flow_maximum(const WeidmannParams& p = {});

// ---------------------------------------------------------------- SFPE hydraulic model

// SFPE Handbook, "Employing the Hydraulic Model in Assessing Emergency Movement"
// (Gwynne and Rosenbaum; after Nelson and MacLennan / Fruin / Pauls):
//   S = k − a·k·D,  a = 0.266 m²/p,  for 0.54 ≤ D ≤ 1/a ≈ 3.76 p/m²;
//   below D = 0.54 people walk at their unimpeded speed, which is the same equation at
//   D = 0.54: S_free = k·(1 − 0.266·0.54) = 0.8564·k (1.199 m/s on the level; the
//   handbook's table of maximum unimpeded speeds lists 1.19 m/s for k = 1.40).
//   Fs = S·D, which peaks at D = 1/(2a) = 1.880 p/m² with Fs_max = k/(4a) = 0.9398·k:
//   1.316 p/(s·m) on the level (the handbook tabulates 1.3, i.e. 24 p/min per ft),
//   0.94, 1.01, 1.09, 1.16 on the four stair geometries below.
inline constexpr double kSfpeA = 0.266;           ///< a, m²/p
inline constexpr double kSfpeFreeDensity = 0.54;  ///< p/m²: unimpeded below this
inline constexpr double kSfpeKLevel = 1.40;       ///< corridors, aisles, ramps, doorways
inline constexpr double kSfpeKStair75x10 = 1.00;  ///< riser 7.5 in, tread 10 in
inline constexpr double kSfpeKStair7x11 = 1.08;   ///< riser 7 in, tread 11 in
inline constexpr double kSfpeKStair65x12 = 1.16;  ///< riser 6.5 in, tread 12 in
inline constexpr double kSfpeKStair65x13 = 1.23;  ///< riser 6.5 in, tread 13 in

/// Speed S(D) in m/s for the facility constant k (m/s): k·(1 − 0.266·max(D, 0.54)),
/// clamped at 0 (no movement at D ≥ 1/0.266 ≈ 3.76 p/m²).
double sfpe_speed_mps(double density_pm2, double k_mps = kSfpeKLevel);

/// Specific flow Fs(D) = S(D)·D in p/(s·m), capped at sfpe_max_specific_flow_psm(k)
/// (S·D never exceeds it; the cap makes the bound explicit).
double sfpe_specific_flow_psm(double density_pm2, double k_mps = kSfpeKLevel);

/// Fs_max = k/(4·a): the maximum of S·D (1.316 p/(s·m) for k = 1.40).
double sfpe_max_specific_flow_psm(double k_mps = kSfpeKLevel);

/// The density at which Fs peaks, 1/(2·a) = 1.880 p/m².
double sfpe_density_at_max_flow_pm2();

// ---------------------------------------------------------------- effective width

/// What bounds one side of a route, for the SFPE boundary layer (the strip people keep
/// clear of): door jamb / archway 0.15 m, stair wall or side of tread 0.15 m, corridor
/// or ramp wall 0.20 m, handrail 0.09 m (from its centreline), none 0.
enum class Boundary : std::uint8_t { none, door_jamb, stair_wall, corridor_wall, handrail };

/// The boundary layer of one side, in m.
double boundary_layer_m(Boundary b);

/// Effective width = clear width − left layer − right layer, never below 0.
double effective_width_m(double clear_width_m, Boundary left, Boundary right);

}  // namespace hqdrill::peds
