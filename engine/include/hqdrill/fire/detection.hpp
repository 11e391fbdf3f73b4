// Ceiling-jet conditions under a steady fire (Alpert) and the response of heat
// detectors, sprinklers and (as a crude stand-in) smoke detectors by the RTI model
// (DETACT). Units: kW, m, s, degC (temperature differences in K).
#pragma once

#include <limits>

namespace hqdrill::fire {

/// Gas temperature rise and speed at a point of the ceiling jet.
struct CeilingJet {
  double temperature_rise_k = 0.0;
  double speed_mps = 0.0;
};

/// Alpert's steady ceiling-jet correlations (SFPE Handbook, 5th ed. 2016, ch. 14 "Ceiling
/// Jet Flows"; also NUREG-1805 ch. 10): with Q the TOTAL heat release rate (kW; the
/// handbook's correlations were fitted to total HRR of fires with a typical convective
/// fraction), H the ceiling height above the fuel (m) and r the radial distance (m):
///   dT = 16.9 Q^(2/3) / H^(5/3)                   for r/H <= 0.18
///   dT = 5.38 (Q/r)^(2/3) / H                     for r/H >  0.18
///   U  = 0.96 (Q/H)^(1/3)                         for r/H <= 0.15
///   U  = 0.195 Q^(1/3) H^(1/2) / r^(5/6)          for r/H >  0.15
/// Unconfined ceiling (no hot layer), steady fire.
CeilingJet alpert_ceiling_jet(double hrr_kw, double height_m, double radius_m);

/// A detector or sprinkler link by the RTI model.
struct DetectorSpec {
  double rti_sqrt_ms = 100.0;  ///< response time index (m s)^(1/2)
  double activation_c = 68.0;  ///< link temperature at which it activates (degC)
};

/// A heat detector / sprinkler of the given RTI and activation temperature.
DetectorSpec heat_detector(double rti_sqrt_ms, double activation_c);
/// A smoke detector as a very sensitive heat detector, as CFAST allows (CFAST 7 Technical
/// Reference Guide, NIST SP 1889v1, sec. "Smoke Detection"): activation at a temperature
/// rise of 5 K above ambient (Bukowski & Averill 1998) with RTI 5 (m s)^(1/2) (not from
/// experiment: "a slight time delay"). CFAST warns the model is very crude.
DetectorSpec smoke_detector_as_heat(double ambient_c);

/// DETACT link temperature (Evans & Stroup 1986; CFAST Technical Reference, eq. "RTI"):
/// dT_d/dt = sqrt(u) / RTI (T_g - T_d). Advances the link over dt with T_g and u held
/// constant, which is the exact solution for piecewise-constant gas conditions:
/// T_d(t + dt) = T_g - (T_g - T_d) exp(-sqrt(u) dt / RTI).
double detact_step_c(double link_c, double gas_c, double gas_speed_mps, double rti_sqrt_ms,
                     double dt_s);

/// Time (s) for a link at `link0_c` to reach `activation_c` in constant gas conditions;
/// infinite if the gas is not hotter than the activation temperature:
/// t = RTI / sqrt(u) ln((T_g - T_0) / (T_g - T_act)).
double detact_activation_time_s(double link0_c, double gas_c, double gas_speed_mps,
                                double rti_sqrt_ms, double activation_c);

/// A detector's link, advanced through piecewise-constant gas conditions; records the
/// exact activation instant inside the step where it happens.
class DetectorLink {
 public:
  DetectorLink(DetectorSpec spec, double initial_c) : spec_(spec), link_c_(initial_c) {}
  /// Advances from t to t + dt with gas temperature and speed held over the step.
  void advance(double t_s, double dt_s, double gas_c, double gas_speed_mps);
  double link_c() const { return link_c_; }
  bool activated() const { return activated_; }
  /// Activation time (s), infinite if not (yet) activated.
  double activation_s() const { return activation_s_; }

 private:
  DetectorSpec spec_;
  double link_c_;
  bool activated_ = false;
  double activation_s_ = std::numeric_limits<double>::infinity();
};

}  // namespace hqdrill::fire
