// Heat release rate (HRR) of a fire in a room: t-squared growth or a user curve, capped
// by the fuel's peak HRR and by the ventilation limit of the room's openings, with a
// decay once most of the fuel energy is spent. Units: kW, s, kJ, m.
#pragma once

#include <limits>
#include <span>
#include <string_view>
#include <vector>

namespace hqdrill::fire {

/// Growth classes of a t-squared fire, Q = alpha t^2, with alpha = 1055 kW / t_g^2 where
/// t_g is the time to reach 1055 kW (1000 BTU/s). NFPA 72 (2019) annex B.2.3.2.3 and
/// NFPA 92 (2018) annex: slow t_g 600 s, medium 300 s, fast 150 s, ultrafast 75 s.
enum class GrowthClass { kSlow, kMedium, kFast, kUltrafast };

/// The HRR a t-squared fire's growth time refers to: 1055 kW (1000 BTU/s, NFPA 72).
inline constexpr double kTSquaredReferenceHrrKw = 1055.0;

std::string_view growth_class_name(GrowthClass c);
/// t_g (s) of a class: 600, 300, 150, 75.
double growth_time_s(GrowthClass c);
/// alpha = 1055 / t_g^2 (kW/s^2): 0.00293, 0.01172, 0.0469, 0.1876.
double tsquared_alpha_kw_per_s2(GrowthClass c);

/// One point of a user HRR curve; the curve is linear between points, zero before the
/// first point's time is reached from (0, 0), and holds the last value after the last.
struct HrrPoint {
  double time_s = 0.0;
  double hrr_kw = 0.0;
};

/// A wall opening (door or window) of a room to the outside or to another room.
struct Opening {
  double width_m = 0.0;
  double sill_m = 0.0;    ///< height of the bottom above the floor
  double soffit_m = 0.0;  ///< height of the top above the floor
  double area_m2() const { return width_m * (soffit_m - sill_m); }
  double height_m() const { return soffit_m - sill_m; }
};

/// Ventilation factor of several openings, sum of A_i sqrt(H_i) (m^(5/2)). The usual
/// effective single opening (Karlsson & Quintiere, "Enclosure Fire Dynamics", 2000,
/// sec. 6.3; NUREG-1805 ch. 2) is A_o = sum A_i, H_o = sum(A_i H_i) / A_o; HQ Drill uses
/// sum A_i sqrt(H_i) directly, which equals A_o sqrt(H_o) for one opening and differs
/// from the area-weighted form by a few per cent for unequal heights.
double ventilation_factor_m52(std::span<const Opening> openings);

/// Ventilation-limited HRR Q_v = 1500 A_o sqrt(H_o) kW. Kawagoe's burning rate
/// m = 0.5 A_o sqrt(H_o) kg/s (wood cribs; 0.5 in Karlsson & Quintiere's form) times
/// about 3000 kJ per kg of air consumed (Huggett 1980; Babrauskas 1981) gives
/// 1500 A_o sqrt(H_o) kW: the constant HQ Drill uses. Argument: ventilation factor
/// sum A_i sqrt(H_i) (m^(5/2)).
inline constexpr double kVentilationLimitKwPerM52 = 1500.0;
double ventilation_limit_kw(double ventilation_factor_m52);

/// What a fire burns like. The uncapped curve is either t-squared (alpha) or a table.
struct FireSpec {
  double alpha_kw_per_s2 = 0.0;  ///< t-squared coefficient; used when `curve` is empty
  std::vector<HrrPoint> curve;   ///< user curve (time ascending); overrides alpha if given
  /// Peak HRR the fuel package can give (kW), e.g. from a furniture calorimeter test.
  double peak_hrr_kw = std::numeric_limits<double>::infinity();
  /// Ventilation limit of the room (kW); ventilation_limit_kw() of its openings.
  double ventilation_limit_kw = std::numeric_limits<double>::infinity();
  /// Total energy of the fuel (kJ) = fire load; infinite for a fire that never burns out.
  double fuel_energy_kj = std::numeric_limits<double>::infinity();
  /// Fraction of the fuel energy released when the decay starts (EN 1991-1-2, annex E.4:
  /// the decay phase starts when 70 % of the fire load is consumed).
  double decay_start_fraction = 0.7;
};

/// A t-squared fire of coefficient alpha (kW/s^2), uncapped, never burning out.
FireSpec tsquared_fire(double alpha_kw_per_s2);
/// A fire following a user curve (kW over s).
FireSpec curve_fire(std::vector<HrrPoint> curve);

/// The HRR over time of a FireSpec, with its decay precomputed. Model: the capped growth
/// g(t) = min(curve(t), peak, ventilation limit) burns until the energy released reaches
/// decay_start_fraction x fuel energy at t_d; from there the HRR falls linearly from
/// g(t_d) to zero so that the rest of the fuel energy is released (EN 1991-1-2 annex
/// E.4 takes a linear decay; its duration here follows from the energy left:
/// t_end = t_d + 2 (1 - f) E / g(t_d)). A fuel that never reaches that fraction (a finite
/// user curve that ends at zero) just follows its curve.
class FireHrr {
 public:
  explicit FireHrr(FireSpec spec);

  /// HRR at t (kW); 0 before t = 0.
  double hrr_kw(double t_s) const;
  /// Energy released from 0 to t (kJ), exact for the piecewise model.
  double energy_kj(double t_s) const;
  /// Time the decay starts (infinite if it never does).
  double decay_start_s() const { return decay_start_s_; }
  /// Time the fire is out (infinite if it never is).
  double burnout_s() const { return burnout_s_; }
  const FireSpec& spec() const { return spec_; }

 private:
  double growth_kw(double t_s) const;         // capped growth curve g(t)
  double growth_energy_kj(double t_s) const;  // integral of g from 0 to t
  double cap_kw() const;

  FireSpec spec_;
  std::vector<HrrPoint> knots_;  // g(t) as exact piecewise-linear knots (table fires)
  std::vector<double> knot_energy_kj_;
  double decay_start_s_ = std::numeric_limits<double>::infinity();
  double decay_start_hrr_kw_ = 0.0;
  double burnout_s_ = std::numeric_limits<double>::infinity();
};

}  // namespace hqdrill::fire
