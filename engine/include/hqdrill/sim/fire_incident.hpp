// The fire of a fire incident (issue #6; design: docs/design/fire.md): the rooms of its
// FireDef as a two-zone network (fire/network.hpp), its detectors (DETACT driven by
// Alpert's ceiling jet in the burning room and by the upper layer elsewhere), people who
// notice it (occupants of a room, a guard's patrol round), tenability of the rooms people
// are in, and the records at risk. The replication (sim/replication.cpp) advances it in
// fixed steps, carries each cue to the role told by the coordination protocol, and calls
// suppress() when an attack controls the fire.
//
// Deterministic: the random numbers (patrol phase, notice delays) are drawn in the
// constructor, in a fixed order, from the one stream given.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "hqdrill/core/rng.hpp"
#include "hqdrill/fire/network.hpp"
#include "hqdrill/scenario.hpp"

namespace hqdrill {

/// How a fire became known.
enum class FireCue : std::uint8_t { detector, patrol, occupants };
const char* to_string(FireCue c);

/// Someone or something noticed the fire at `at`; `role` is told at `told`.
struct FireNotice {
  SimTime at = kNever, told = kNever;
  FireCue cue = FireCue::detector;
  Index source = kNone;  ///< detector index, or fire room where people noticed it
  Index role = kNone;
  bool sounds_alarm = false;  ///< a detector that sounds the building alarm itself
};

/// The fire rooms' state at one moment (traces, the viewer).
struct FireFrame {
  SimTime t = 0;
  std::vector<float> hrr_kw, upper_c, layer_m;  ///< per fire room
  std::vector<std::uint8_t> state;              ///< per room: FireRoomState
};

/// Per room: 0 = cold, 1 = smoke (upper layer 5+ K above ambient), 2 = untenable,
/// 3 = burning, 4 = flashed over, 5 = put out.
enum class FireRoomState : std::uint8_t { cold, smoke, untenable, burning, flashover, out };

class FireIncident {
 public:
  FireIncident(const Scenario& s, Index incident, Pcg32 rng);
  ~FireIncident();
  FireIncident(const FireIncident&) = delete;
  FireIncident& operator=(const FireIncident&) = delete;

  /// The step the world advances the fire at (ms).
  SimTime step_ms() const;
  /// Advances to t (a multiple of step_ms()); cues noticed in the step are appended to
  /// `notices` (each once), rooms that became untenable to `untenable`.
  void advance(SimTime t, std::vector<FireNotice>& notices, std::vector<Index>& untenable);
  /// Total HRR at t (>= the last step): advances the rooms (not detectors or people) to t.
  double hrr_at(SimTime t);
  /// Puts out every burning room now (an attack that controls the fire); no room ignites
  /// after it.
  void suppress_all(SimTime t);
  /// Attackers going in at t open the closed doors between burning rooms and other rooms
  /// (not windows or doors to the outside); returns how many. Air rushes in: a fire starved
  /// behind a locked door can flare up before the means is applied.
  int open_doors(SimTime t);
  /// Nothing burns and nothing more can happen that a KPI counts: the world may stop
  /// stepping.
  bool settled() const;

  const fire::FireNetwork& network() const;
  FireFrame frame() const;

  // Outcome (ms from the incident's start, kNever if it did not happen).
  SimTime first_cue() const;
  FireCue first_cue_kind() const;
  SimTime flashover() const;
  /// When room r became untenable (rooms with an area); kNever if it stayed tenable.
  SimTime untenable_at(Index room) const;
  double peak_hrr_kw() const;
  /// Records lost / records at risk; nullopt when no room holds records.
  std::optional<double> records_lost_fraction() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hqdrill
