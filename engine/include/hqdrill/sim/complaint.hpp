// The crowd of a crowd-complaint incident ("khiếu kiện đông người", issue #5; design:
// docs/design/crowd-complaint.md). Complainants arrive one by one at their group's place
// (the reception office's forecourt, or the HQ gate itself), grow agitated by the
// agitation model (sim/agitation.hpp: Epstein 2002 with Granovetter thresholds), and
// gather, block, push or sit in; a share marches along the street to the defended gate.
//
// Fidelity where it matters: the area in front of the defended gate and the compound
// behind it are one pedestrian world walked with the social-force model (HFV 2000,
// peds/world.hpp), so the crowd's load on the closed gate comes from its contact and
// repulsion forces (SocialForceModel::wall_load_n); a place elsewhere is a count of people
// on a floor area (no positions: they stand, so walking there needs no model). People
// walk the site graph between the two (the march) at their own speed.
//
// The response reaches the crowd through four calls made by the replication: defenders
// arriving at a node, the gate closed by its protocol task, the dialogue started by its
// task. The gate is breached when the load exceeds what it and its defenders hold for
// BreachRule::after_s (BreachMonitor); it then opens and the blockers and pushers walk
// in (intruders). After the dialogue the complaint is received and everyone disperses.
//
// Deterministic: every random number is drawn in the constructor, in a fixed order, from
// the one stream given; the rest is a pure function of the calls made.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "hqdrill/core/rng.hpp"
#include "hqdrill/scenario.hpp"
#include "hqdrill/sim/crowd.hpp"

namespace hqdrill {

/// What a complainant is doing (also the colour a viewer gives it).
enum class ComplainantState : std::uint8_t {
  coming,          ///< not arrived yet
  gather,          ///< standing with the crowd
  block,           ///< standing in front of the gate / on the street
  push,            ///< pressing against the gate
  sit_in,          ///< sitting in front of the gate
  marching,        ///< walking the street to the gate
  enter,           ///< through the (open or breached) gate, into the compound
  representative,  ///< left the crowd to be received (Law 42/2013, Điều 29-30)
  leaving,         ///< dispersing, walking off
  gone,            ///< left the scene
};
const char* to_string(ComplainantState s);

/// The measured outcome of one run (times in ms from the incident's start; kNever if it
/// did not happen).
struct ComplaintOutcome {
  SimTime gate_closed = kNever;
  SimTime first_at_gate = kNever;  ///< the first complainant comes into the gate's area
  int defenders_at_first = 0;      ///< defenders at the gate node at that moment
  SimTime cordon_formed = kNever;
  SimTime dialogue_started = kNever;
  SimTime complaint_received = kNever;
  SimTime breach = kNever;
  int intruders = 0;  ///< distinct people who came into the compound area
  int marched = 0;    ///< people who set off on the march to the gate
  int representatives = 0;
  int peak_at_gate = 0;  ///< most people at once in the gate's measurement area
  int peak_pushers = 0;  ///< most people pushing at the gate at once
  /// Largest share of the crowd on the scene (arrived, not gone) that was active (blocking,
  /// pushing, sitting in or in the compound) at a 1-s sample with at least ten people (or
  /// the whole crowd) on the scene.
  double peak_active_fraction = 0;
  double peak_density_ppm2 = 0;        ///< gate measurement area (1-s samples)
  double peak_place_density_ppm2 = 0;  ///< the places (people / floor area, 1-s samples)
  double peak_gate_pressure_npm = 0;   ///< 1-s mean of the gate load / width while closed
  double street_blocked_s = 0;         ///< seconds the street was at the blocking density
};

class ComplaintCrowd {
 public:
  /// Draws the crowd (group sizes, arrivals, speeds, dispositions, decision phases,
  /// dispersal delays, march times, dialogue length) from rng, in that order.
  ComplaintCrowd(const Scenario& s, Index incident, Pcg32 rng);
  ~ComplaintCrowd();
  ComplaintCrowd(const ComplaintCrowd&) = delete;
  ComplaintCrowd& operator=(const ComplaintCrowd&) = delete;

  /// The step of the gate world (ms); advance() takes any time, in whole steps.
  SimTime period_ms() const;
  /// Advances to the last whole step at or before t.
  void advance(SimTime t);
  /// `members` defenders reached `node` (they stay). Counts at the gate node and at the
  /// nodes of the places.
  void add_defenders(Index node, int members);
  /// The gate is closed (by its protocol task) or opened.
  void set_gate_closed(bool closed);
  /// The dialogue task started: officials meet the crowd, representatives are named.
  void start_dialogue();
  /// Nothing more will happen: everyone has left, or nobody will arrive and everyone
  /// who came is gone.
  bool done() const;

  const ComplaintOutcome& outcome() const;
  int defenders_at_gate() const;
  PedFrame frame() const;
  /// Per person of the crowd (in drawing order): its state now.
  std::vector<ComplainantState> states() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hqdrill
