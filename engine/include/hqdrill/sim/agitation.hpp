// Agitation of a crowd of complainants (khiếu kiện đông người), the behaviour model of the
// crowd-complaint incident (issue #5; design: docs/design/crowd-complaint.md, sections 2
// and 3). Pure functions and small value types: no pedestrians, no clock, no I/O.
//
// Who turns active: J. M. Epstein, "Modeling civil violence: An agent-based computational
// approach", PNAS 99 suppl. 3 (2002) 7243-7250, as read in two public re-implementations
// (NetLogo "Rebellion", Mesa's epstein_civil_violence; the paper itself was not available):
//   grievance            G = H (1 - L)                 H hardship ~ U(0, 1)
//   arrest probability   P = 1 - exp(-k C / A)         C defenders in view, A = 1 + actives
//   active               G - R P > T                   R risk aversion ~ U(0, 1)
// with k = 2.3 and T = 0.1 (both models). We use the continuous C / A (Mesa); NetLogo
// floors it. Who escalates to pushing: M. Granovetter, "Threshold models of collective
// behavior", AJS 83 (1978): a person joins when the share of actives around it reaches its
// own threshold theta ~ U(0, 1) [assumption: uniform, swept in sensitivity runs].
// Legitimacy L moves with events [assumption; Epstein keeps it fixed]: it falls while the
// crowd waits unheard, at a closed gate and a heavy police line, and rises once a dialogue
// has started. Every constant not from Epstein is marked as an assumption.
//
// Representatives: Law on Citizen Reception 42/2013/QH13, Điều 29 (and Decree
// 124/2020/NĐ-CP, Điều 6): 5 to 10 complainants name 1 or 2 representatives, more than 10
// may name more but not over 5 (read in secondary copies; see the design note).
#pragma once

#include <optional>

#include "hqdrill/core/rng.hpp"

namespace hqdrill {

struct AgitationParams {
  double k = 2.3;            ///< Epstein 2002 (as in NetLogo Rebellion and Mesa).
  double threshold = 0.1;    ///< T, Epstein 2002.
  double legitimacy = 0.92;  ///< L0 [assumption: a crowd that came to be received; G <= 0.08 < T]
  double wait_loss_per_h = 0.06;  ///< L lost per hour unheard [assumption]
  double gate_loss = 0.03;        ///< L lost while the gate in view is closed [assumption]
  double line_loss = 0.03;  ///< L lost while defenders/crowd at the gate > heavy_ratio [assumption]
  double heavy_ratio = 0.5;     ///< [assumption]
  double dialogue_gain = 0.10;  ///< L gained once a dialogue has started [assumption]
  double push_margin = 0.05;    ///< net agitation above T + this may push [assumption]
};

/// What a person brings: drawn once, in person order, from the crowd's stream.
struct Disposition {
  double hardship = 0;             ///< H ~ U(0, 1), Epstein 2002.
  double risk_aversion = 0;        ///< R ~ U(0, 1), Epstein 2002.
  double contagion_threshold = 0;  ///< theta ~ U(0, 1), Granovetter 1978 [assumption: uniform]
};
Disposition draw_disposition(Pcg32& rng);

/// What the crowd around the gate sees at one moment.
struct CrowdSituation {
  double unheard_s = 0;  ///< time since arrival with no dialogue started
  bool gate_closed_in_view = false;
  double defenders_per_crowd = 0;  ///< defenders / people at the gate
  bool dialogue_started = false;
};

/// Perceived legitimacy, clamped to [0, 1].
double legitimacy(const AgitationParams& p, const CrowdSituation& s);

/// P = 1 - exp(-k C / A), A = 1 + active people in view (the person counts itself).
double arrest_probability(double k, int defenders_in_view, int actives_in_view);

/// Net agitation G - R P of a person.
double net_agitation(const Disposition& d, double legitimacy, double arrest_probability);

enum class CrowdBehaviour { gather, block, push, sit_in };

/// The behaviour a person chooses: gather (a <= T), block (a > T), push (a > T + margin
/// and the share of actives in view at least its contagion threshold), or sit-in instead
/// of block and push when the group protests by sitting in.
CrowdBehaviour decide(const AgitationParams& p, const Disposition& d, double net_agitation,
                      double active_share_in_view, bool sit_in_group);

/// Expected share of actives when H and R are U(0, 1), for legitimacy L, threshold T and
/// arrest probability P: the integral over h in [T/g, 1] of min(1, (h g - T)/P), g = 1 - L
/// (closed form; the reference for tests and for macro areas, where people have no view).
double expected_active_share(double legitimacy, double threshold, double arrest_probability);

/// Representatives a crowd of n complainants may name (Law 42/2013/QH13, Điều 29): 0 below
/// 5 (they are received one by one), 2 for 5 to 10, 5 above 10.
int max_representatives(int complainants);

/// The gate holds while the crowd's load on it is within its capacity plus what its
/// defenders hold; it is breached once overloaded for `after_s` without a break.
struct BreachRule {
  double capacity_npm =
      1500;  ///< BS 6180 Table 2 line load where people congregate [assumption for a gate]
  double defender_hold_n = 320;  ///< one pusher: m v_push / tau = 80 x 2.0 / 0.5 [assumption]
  double after_s = 10;           ///< [assumption]
};

/// Whether a load (N) on a gate of width_m with `defenders` holding it exceeds the rule.
bool overloaded(const BreachRule& r, double load_n, double width_m, int defenders);

/// Watches a gate's load over time and says when it was breached.
class BreachMonitor {
 public:
  BreachMonitor(BreachRule rule, double width_m) : rule_(rule), width_m_(width_m) {}
  /// One observation at t_s (non-decreasing): the load on the gate and the defenders.
  void observe(double t_s, double load_n, int defenders);
  /// When the gate gave way (the end of the first overload lasting after_s), if it did.
  std::optional<double> breached_at() const { return breached_at_; }

 private:
  BreachRule rule_;
  double width_m_;
  std::optional<double> since_;
  std::optional<double> breached_at_;
};

/// Defenders a cordon needs at a gate [assumption: one per `spacing_m` of width, and one per
/// `crowd_per_defender` people at the gate; no published ratio was found].
int cordon_needed(double width_m, int crowd_at_gate, double spacing_m = 1.0,
                  int crowd_per_defender = 10);

}  // namespace hqdrill
