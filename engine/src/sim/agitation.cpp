#include "hqdrill/sim/agitation.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace hqdrill {

Disposition draw_disposition(Pcg32& rng) {
  Disposition d;
  d.hardship = rng.next_double();
  d.risk_aversion = rng.next_double();
  d.contagion_threshold = rng.next_double();
  return d;
}

double legitimacy(const AgitationParams& p, const CrowdSituation& s) {
  double l = p.legitimacy - p.wait_loss_per_h * s.unheard_s / 3600.0;
  if (s.gate_closed_in_view) l -= p.gate_loss;
  if (s.defenders_per_crowd > p.heavy_ratio) l -= p.line_loss;
  if (s.dialogue_started) l += p.dialogue_gain;
  return std::clamp(l, 0.0, 1.0);
}

double arrest_probability(double k, int defenders_in_view, int actives_in_view) {
  assert(defenders_in_view >= 0 && actives_in_view >= 0);
  return 1.0 - std::exp(-k * defenders_in_view / (1.0 + actives_in_view));
}

double net_agitation(const Disposition& d, double legitimacy, double arrest_probability) {
  return d.hardship * (1.0 - legitimacy) - d.risk_aversion * arrest_probability;
}

CrowdBehaviour decide(const AgitationParams& p, const Disposition& d, double a,
                      double active_share_in_view, bool sit_in_group) {
  if (a <= p.threshold) return CrowdBehaviour::gather;
  if (sit_in_group) return CrowdBehaviour::sit_in;
  if (a > p.threshold + p.push_margin && active_share_in_view >= d.contagion_threshold)
    return CrowdBehaviour::push;
  return CrowdBehaviour::block;
}

double expected_active_share(double L, double T, double P) {
  // Active when h g - r P > T, h, r ~ U(0, 1): for fixed h the share of r is
  // min(1, (h g - T) / P) where h g > T. Integrate over h in [T/g, 1].
  const double g = 1.0 - L;
  if (g <= T) return 0.0;
  const double h0 = T / g;
  if (P <= 0) return 1.0 - h0;
  // (h g - T) / P reaches 1 at h1 = (T + P) / g.
  const double h1 = (T + P) / g;
  if (h1 >= 1.0) return g * (1.0 - h0) * (1.0 - h0) / (2.0 * P);  // (g - T)^2 / (2 g P)
  // Ramp from h0 to h1, then 1 up to h = 1.
  return P / (2.0 * g) + (1.0 - h1);
}

int max_representatives(int complainants) {
  if (complainants < 5) return 0;
  if (complainants <= 10) return 2;
  return 5;
}

bool overloaded(const BreachRule& r, double load_n, double width_m, int defenders) {
  return load_n > r.capacity_npm * width_m + defenders * r.defender_hold_n;
}

void BreachMonitor::observe(double t_s, double load_n, int defenders) {
  if (breached_at_) return;
  if (!overloaded(rule_, load_n, width_m_, defenders)) {
    since_.reset();
    return;
  }
  if (!since_) since_ = t_s;
  if (t_s - *since_ >= rule_.after_s) breached_at_ = t_s;
}

int cordon_needed(double width_m, int crowd_at_gate, double spacing_m, int crowd_per_defender) {
  assert(spacing_m > 0 && crowd_per_defender > 0);
  const int by_width = static_cast<int>(std::ceil(width_m / spacing_m - 1e-9));
  const int by_crowd = (crowd_at_gate + crowd_per_defender - 1) / crowd_per_defender;
  return std::max(by_width, by_crowd);
}

}  // namespace hqdrill
