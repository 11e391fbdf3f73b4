#include "hqdrill/fire/detection.hpp"

#include <cassert>
#include <cmath>

namespace hqdrill::fire {

CeilingJet alpert_ceiling_jet(double q_kw, double h_m, double r_m) {
  assert(h_m > 0.0 && r_m >= 0.0);
  if (q_kw <= 0.0) return {};
  const double rh = r_m / h_m;
  CeilingJet cj;
  cj.temperature_rise_k = rh <= 0.18 ? 16.9 * std::pow(q_kw, 2.0 / 3.0) / std::pow(h_m, 5.0 / 3.0)
                                     : 5.38 * std::pow(q_kw / r_m, 2.0 / 3.0) / h_m;
  cj.speed_mps = rh <= 0.15 ? 0.96 * std::cbrt(q_kw / h_m)
                            : 0.195 * std::cbrt(q_kw) * std::sqrt(h_m) / std::pow(r_m, 5.0 / 6.0);
  return cj;
}

DetectorSpec heat_detector(double rti, double activation_c) {
  return {rti, activation_c};
}

DetectorSpec smoke_detector_as_heat(double ambient_c) {
  return {5.0, ambient_c + 5.0};
}

double detact_step_c(double link_c, double gas_c, double u, double rti, double dt) {
  return gas_c - (gas_c - link_c) * std::exp(-std::sqrt(u) * dt / rti);
}

double detact_activation_time_s(double link0_c, double gas_c, double u, double rti, double act_c) {
  if (link0_c >= act_c) return 0.0;
  if (gas_c <= act_c || u <= 0.0) return std::numeric_limits<double>::infinity();
  return rti / std::sqrt(u) * std::log((gas_c - link0_c) / (gas_c - act_c));
}

void DetectorLink::advance(double t_s, double dt_s, double gas_c, double u) {
  if (!activated_) {
    const double t_act =
        detact_activation_time_s(link_c_, gas_c, u, spec_.rti_sqrt_ms, spec_.activation_c);
    if (t_act <= dt_s) {
      activated_ = true;
      activation_s_ = t_s + t_act;
    }
  }
  link_c_ = detact_step_c(link_c_, gas_c, u, spec_.rti_sqrt_ms, dt_s);
}

}  // namespace hqdrill::fire
