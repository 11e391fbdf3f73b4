// The typed, checked scenario the engine runs. The I/O library turns
// `scenario.json` (format "hqdrill/1", docs/scenario-format.md) into this; tests and
// other clients may build it in code. Everything is addressed by dense integer
// indices (STYLE.md habit 5); string ids are kept for reports.
//
// Invariants the engine asserts (the validator guarantees them for parsed files):
// every index is in range, lengths > 0, distributions pass Distribution::check().
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "hqdrill/core/distribution.hpp"
#include "hqdrill/core/time.hpp"
#include "hqdrill/fire/compartment.hpp"
#include "hqdrill/fire/detection.hpp"
#include "hqdrill/fire/hrr.hpp"
#include "hqdrill/flood/cells.hpp"
#include "hqdrill/peds/model.hpp"
#include "hqdrill/peds/vec2.hpp"
#include "hqdrill/sim/agitation.hpp"

namespace hqdrill {

using Index = std::int32_t;
inline constexpr Index kNone = -1;

// ---------------------------------------------------------------- site

enum class NodeKind {
  gate,
  guard_post,
  building,
  room,
  hall,
  corridor,
  stairs,
  yard,
  parking,
  street,
  junction,
  station,
  assembly_point,
  hydrant,
  pump,
  store,
};
inline constexpr int kNodeKindCount = 16;

enum class TravelMode : std::uint8_t { foot = 0, vehicle = 1 };
inline constexpr int kModeCount = 2;

struct Node {
  std::string id;
  NodeKind kind = NodeKind::junction;
  std::string name;     ///< UTF-8, Vietnamese first
  std::string name_en;  ///< optional English name
  std::string site;     ///< which site it belongs to ("hq", "reception", "city", ...)
  double x_m = 0, y_m = 0;
  int floor = 0;
  double elevation_m = 0;  ///< ground elevation above datum
};

enum class DoorKind : std::uint8_t { none, door, gate };

struct Edge {
  std::string id;
  Index from = kNone, to = kNone;  ///< undirected
  double length_m = 0;
  double width_m = 0;  ///< clear width (0 = not given)
  std::array<bool, kModeCount> modes{true, false};
  /// Speed cap on this edge per mode in m/s (e.g. city traffic, stairs); 0 = none.
  std::array<double, kModeCount> speed_limit_mps{0, 0};
  DoorKind door = DoorKind::none;
  bool closed_at_start = false;  ///< a locked gate or door, a blocked path
};

/// How people inside a walkable area are simulated: one by one with the social-force
/// model (hqdrill/peds/world.hpp) or as a room of the macroscopic hydraulic model
/// (hqdrill/peds/macro.hpp).
enum class Fidelity : std::uint8_t { micro, macro };

enum class AreaKind : std::uint8_t { room, hall, corridor, yard, street, stairs, waiting };
inline constexpr int kAreaKindCount = 7;

/// A door or gate on an area's boundary (a span of one of its outline or hole edges).
/// Where it leads: `to_area` kNone = outside (people who pass it are out); otherwise the
/// area on the other side. With `edge` set, the two sides are apart and people walk the
/// length of that site-graph edge between this door and `to_door` of `to_area`; without
/// it the areas touch and the door is on both boundaries.
struct AreaDoor {
  std::string id;
  peds::Segment span;
  DoorKind kind = DoorKind::door;
  bool closed_at_start = false;
  Index to_area = kNone;
  Index to_door = kNone;  ///< index into the doors of to_area (walks along `edge`)
  Index edge = kNone;     ///< site-graph edge walked between the two doors; also closed
                          ///< and opened together with the door
};

/// A walkable area tied to a node of the site graph: polygon with holes (walls, pillars,
/// fences), doors, a fidelity and, for stairs, a speed factor.
struct Area {
  std::string id;
  std::string name, name_en;
  Index node = kNone;
  AreaKind kind = AreaKind::room;
  Fidelity fidelity = Fidelity::micro;
  std::vector<peds::Vec2> outline;
  std::vector<std::vector<peds::Vec2>> holes;
  std::vector<AreaDoor> doors;
  /// Walking speeds inside are multiplied by this (stairs: < 1).
  double speed_factor = 1.0;
  double area_m2 = 0;  ///< walkable floor area (outline minus holes), computed
};

/// A measurement area inside a walkable area: density and speed of the people in it.
struct MeasureArea {
  std::string id;
  Index area = kNone;
  std::vector<peds::Vec2> polygon;
  double area_m2 = 0;  ///< computed
};

/// A measurement line inside a walkable area: people crossing it (positive direction:
/// the left of a -> b) and, with `pressure`, the crowd's contact pressure on it (a gate).
struct MeasureLine {
  std::string id;
  Index area = kNone;
  peds::Segment line;
  bool pressure = false;
};

struct Site {
  std::vector<Node> nodes;
  std::vector<Edge> edges;
  std::vector<Area> areas;
  std::vector<MeasureArea> measure_areas;
  std::vector<MeasureLine> measure_lines;
};

// ---------------------------------------------------------------- calendar

/// Day types: Monday..Sunday, and `holiday`, which replaces the weekday of a public holiday.
enum class DayType : std::uint8_t { mon, tue, wed, thu, fri, sat, sun, holiday };
inline constexpr int kDayTypeCount = 8;
using DayMask = std::uint8_t;  ///< bit i set = applies on DayType i

/// The calendar an incident runs in: the weekday of its first day, the clock time it
/// starts, and which following days (0 = the start day) are public holidays.
struct IncidentClock {
  int start_weekday = 0;          ///< 0 = Monday .. 6 = Sunday
  int start_minute_of_day = 0;    ///< 0..1439
  std::vector<int> holiday_days;  ///< day offsets from the start day that are holidays
  std::string date;               ///< "YYYY-MM-DD" when the scenario gave one (for reports)
};

// ---------------------------------------------------------------- forces

/// A shift: `headcount` members of the unit are on duty at `post` on the given days
/// from `from_min` to `to_min` (minutes of day). to_min <= from_min crosses midnight;
/// the part after midnight belongs to the shift of the previous day's day type.
struct Shift {
  std::string name;
  DayMask days = 0;
  int from_min = 0, to_min = 0;
  int headcount = 0;
  Index post = kNone;    ///< node where the members are (kNone: the unit's home)
  bool on_call = false;  ///< reachable by phone, not on site: dispatch needs the callout delay
};

struct Unit {
  std::string id;
  std::string kind;  ///< "guard", "police", "self_defence", "fire_team", ...
  std::string name, name_en;
  Index home = kNone;  ///< where off-post members muster
  int members = 0;     ///< people in the unit in total (over all shifts)
  std::vector<std::string> skills;
  std::vector<std::string> equipment;
  TravelMode mode = TravelMode::foot;
  std::optional<Distribution> speed_mps;  ///< overrides the mode's default speed
  std::vector<Shift> shifts;
  /// Delay between an order and leaving, for members on duty (s).
  Distribution turnout_s = Distribution::constant_of(0);
  /// Members not on site (on call or off duty) can be called in with this delay (s) and
  /// then travel from `callout_from`; absent = they cannot be called in.
  std::optional<Distribution> callout_s;
  Index callout_from = kNone;
  /// Sent from outside to reinforce (113, PK20 crews): its first member at a crowd's gate
  /// or gathering place is `reinforcements_on_scene_s` of a crowd-complaint incident.
  bool reinforcement = false;
};

/// A post the plan says must be manned; a roster that leaves it empty is a warning.
struct Post {
  Index node = kNone;
  int min_headcount = 1;
  bool around_the_clock = false;  ///< "24/24"
};

/// A role someone holds (head of guards, police squad leader, ...). At any moment it is
/// held by the first of its holder units with a member on duty or on call (`unit`, then
/// `fallback_units` in order), so who holds it at 02:00 on a holiday can differ from
/// 09:00 on a Monday; with none of them it is vacant. Roles held by the same unit share
/// its members: a person busy with one role's actions is not free for another's.
struct Role {
  std::string id;
  std::string name, name_en;
  Index unit = kNone;
  std::vector<Index> fallback_units;
  /// Time from learning of the incident to starting to act (s).
  Distribution reaction_s = Distribution::constant_of(0);
  /// Time to answer a message when its holder is on site and free (s).
  Distribution answer_s = Distribution::constant_of(0);
  /// Time to answer when its holder is on call off site (woken at night, ...) (s).
  std::optional<Distribution> on_call_answer_s;
  bool removed = false;  ///< knock-out analysis: the role is never held
};

// ---------------------------------------------------------------- comms

enum class Channel : std::uint8_t { radio, phone, in_person, runner };

/// A one-way link from one role to another (the parser expands bidirectional links).
struct CommsLink {
  std::string id;
  Index from_role = kNone, to_role = kNone;
  Channel channel = Channel::phone;
  Distribution delay_s = Distribution::constant_of(0);   ///< attempt start to receipt (s)
  double failure_probability = 0;                        ///< per attempt: busy, no answer, lost
  Distribution retry_s = Distribution::constant_of(60);  ///< wait before trying again (s)
  int max_attempts = 3;
  /// Receipt to the sender knowing it arrived (s); absent = at once (a call, in person).
  std::optional<Distribution> ack_s;
  bool removed = false;  ///< knock-out analysis: the link is cut
};

// ---------------------------------------------------------------- protocols

enum class ActionKind : std::uint8_t { notify, dispatch, task };

/// What a role does once it knows of the incident, in order.
struct Action {
  ActionKind kind = ActionKind::notify;
  Index role = kNone;  ///< notify: the receiving role
  /// dispatch: the acting role's own unit moves to `to_node` (kNone = the incident's node)
  Index to_node = kNone;
  int members = 0;     ///< dispatch: how many (0 = all available)
  Index task = kNone;  ///< task: into Protocol::tasks; the acting role must own it
};

struct Rule {
  Index role = kNone;
  std::vector<Action> actions;
};

/// A task a protocol requires (close the gate, form a cordon, first attack, ...). Its
/// owner role starts it with a `task` action; members of the owner's holder unit with
/// every required skill go to `node` and work for `duration_s`.
/// pending → assigned → started → done; or unowned (owner vacant or never told),
/// or unstaffed (no qualified member free).
struct TaskDef {
  std::string id;
  std::string name, name_en;
  Index owner = kNone;  ///< role
  Index node = kNone;   ///< kNone = the incident's node
  std::vector<std::string> skills;
  int members = 1;
  Distribution duration_s = Distribution::constant_of(0);
};

struct Protocol {
  std::string id;
  std::string incident_type;
  std::vector<Rule> rules;
  std::vector<TaskDef> tasks;
  /// Command on scene, lowest authority first: command passes to a higher role when it
  /// arrives on scene (its unit reaches the incident node), after `handover_s`.
  std::vector<Index> command;
  Distribution handover_s = Distribution::constant_of(0);
};

// ---------------------------------------------------------------- incidents

struct EdgeEvent {
  SimTime at = 0;  ///< ms after the incident's start
  Index edge = kNone;
  bool closed = true;
};

/// People in the walkable areas during an incident (occupants evacuating, a crowd).
struct PedGroup {
  std::string id;
  Index area = kNone;
  int count = 0;
  /// From the incident's start (or from the alarm, see `after_alarm`) to starting to move.
  Distribution pre_movement_s = Distribution::constant_of(0);
  Distribution speed_mps = Distribution::constant_of(1.34);
  double radius_m = 0.2;
  /// Pre-movement counts from when the incident is detected (the alarm), not its start.
  bool after_alarm = true;
};

/// A door or gate opening or closing at a set time.
struct DoorEvent {
  SimTime at = 0;
  Index area = kNone, door = kNone;
  bool closed = true;
};

struct PedSettings {
  /// Walking model of the micro areas: the collision-free speed model (Weidmann's
  /// fundamental diagram) or the social-force model (contact forces and pressure).
  peds::ModelKind model = peds::ModelKind::cfsm;
  double micro_dt_s = 0.05;
  double macro_dt_s = 0.5;
  /// Door specific flow of macro areas, p/(s·m) of SFPE effective width; 0 = SFPE's
  /// 1.316 (a conservative design value; the micro models pass more, see
  /// tests/test_peds_agreement.cpp).
  double macro_door_flow_psm = 0;
  double cell_m = 0.25;  ///< floor-field grid
};

/// Members of a unit busy elsewhere for a while (escorting a visiting delegation, "khách
/// A"): from `from` they are not free for tasks or dispatch; they are free again at `to`.
struct Commitment {
  Index unit = kNone;
  int members = 0;
  SimTime from = 0, to = 0;  ///< ms after the incident's start
  std::string note;
};

/// A group of complainants (incident type "crowd_complaint"; design:
/// docs/design/crowd-complaint.md). Each person arrives at its own time and gathers in
/// `area`; a share may later march to the defended gate.
struct CrowdGroup {
  std::string id;
  Distribution count = Distribution::constant_of(1);  ///< rounded, at least 1
  /// Per person: arrival time after the incident's start (s).
  Distribution arrive_s = Distribution::constant_of(0);
  Index area = kNone;  ///< where they gather: a macro area (counted) or a micro area
  Index door = kNone;  ///< micro area: the door they come in by (kNone: its first door)
  Distribution speed_mps = Distribution::constant_of(1.2);
  double radius_m = 0.25;
  bool sit_in = false;  ///< protests by sitting in (blocks where it stands) instead of pushing
  /// The march to the gate: `march_share` of the group (the most agitated first) walks the
  /// shortest foot route of the site graph from the area's node to the gate area's node,
  /// `march_after_s` after the group's first arrival, and comes in by `march_door` of the
  /// gate area. A dialogue started before then cancels it when `march_cancel_on_dialogue`.
  double march_share = 0;
  Distribution march_after_s = Distribution::constant_of(0);
  Index march_door = kNone;
  bool march_cancel_on_dialogue = true;
};

/// How the crowd behaves (hqdrill/sim/agitation.hpp; every value but Epstein's k and T
/// is an assumption the scenario states).
struct CrowdBehaviourDef {
  AgitationParams agitation;
  double vision_m = 10;             ///< actives counted within this distance (micro areas)
  double decision_interval_s = 30;  ///< each person re-decides this often (own phase)
  double push_speed_mps = 2.0;      ///< desired speed of a pusher
  /// Contagion thresholds theta ~ U(0, contagion_max) (Granovetter 1978's uniform case at
  /// 1; smaller makes pushing catch on sooner) [assumption].
  double contagion_max = 1.0;
  Distribution disperse_s = Distribution::constant_of(600);  ///< complaint received → leaves
};

/// The defended gate: a door of a micro area (walked with the social-force model) into
/// the compound. Closed by a protocol task; breached when the crowd's load exceeds what
/// it and its defenders hold (BreachRule).
struct CrowdGate {
  Index area = kNone;            ///< the area in front of the gate (micro, social force)
  Index door = kNone;            ///< the gate: a door of `area` into `inside_area`
  Index inside_area = kNone;     ///< the compound side (micro, touching `area` through the gate)
  Index node = kNone;            ///< site node where defenders stand (the gate node)
  Index closed_by_task = kNone;  ///< protocol task whose completion closes the gate
  BreachRule rule;
  std::vector<Index> defender_units;  ///< members of these at `node` hold the gate
  Index measure_area = kNone;         ///< site measurement area: density at the gate
};

struct CrowdDef {
  std::vector<CrowdGroup> groups;
  CrowdBehaviourDef behaviour;
  CrowdGate gate;
  double cordon_spacing_m = 1.0;  ///< cordon_needed [assumption]
  int cordon_crowd_per_defender = 10;
  /// The dialogue: the owner of `dialogue_task` meets the crowd when the task starts
  /// (dialogue_started_s); it hears `representatives` of them (at most Law 42/2013 Điều
  /// 29 allows) for `dialogue_s`; then the complaint is received and the crowd disperses.
  Index dialogue_task = kNone;
  int representatives = 5;
  Distribution dialogue_s = Distribution::constant_of(1800);
  /// The street in front of the gate: blocked while the density in this measurement
  /// area is at least block_density_ppm2 (street_blocked_s counts those seconds).
  Index street_measure_area = kNone;
  double block_density_ppm2 = 1.0;
  double micro_dt_s = 0.05;
};

// ---------------------------------------------------------------- fires

/// A room of the fire model (incident type "fire"; docs/design/fire.md): a two-zone room
/// of hqdrill/fire/network.hpp tied to a site node (where responders go) and, optionally,
/// to a walkable area (whose people it endangers).
struct FireRoom {
  std::string id;
  std::string name, name_en;
  Index node = kNone;
  Index area = kNone;        ///< walkable area of its occupants (kNone: none)
  double floor_area_m2 = 0;  ///< the area's when not given
  double perimeter_m = 0;    ///< the area's outline when not given
  double height_m = 3.0;
  double floor_elevation_m = 0;
  fire::Lining lining = fire::concrete_lining(0.2);
  /// What burns here if fire reaches it: growth (alpha or curve) and peak HRR; its
  /// fuel_energy_kj is the fire load (fire_load_mj_per_m2 x floor area). nullopt: nothing
  /// that burns (a bare corridor or stair).
  std::optional<fire::FireSpec> fuel;
  double fire_load_mj_per_m2 = 0;  ///< as given (EN 1991-1-2 annex E, table E.4)
  double records = 0;  ///< records at risk here (boxes, files: any unit, summed over rooms)
};

/// A door, window or opening of a fire room, to another fire room or to the outside.
struct FireVent {
  std::string id;
  Index from = kNone;     ///< fire room
  Index to = kNone;       ///< fire room, kNone = outside
  fire::Opening opening;  ///< sill and soffit above `from`'s floor
  bool open = true;       ///< at the start
  double leak_m2 = 0;     ///< while closed
  double fails_after_s = std::numeric_limits<double>::infinity();  ///< EI of a closed door
  double breaks_at_c = std::numeric_limits<double>::infinity();    ///< a window
};

enum class DetectorKind : std::uint8_t { smoke, heat, sprinkler };

/// A detector (fire/detection.hpp) under the ceiling of a fire room. Its activation is
/// noticed by `role` after `notice_s` (the panel at the guard booth); with
/// `sounds_alarm` it also sounds the building alarm itself. A sprinkler also holds the
/// fire of its room at the HRR it activates at (a sprinkler-controlled fire).
struct FireDetector {
  std::string id;
  Index room = kNone;
  DetectorKind kind = DetectorKind::smoke;
  fire::DetectorSpec link;
  double radius_m = 2.0;  ///< horizontal distance from the fire (its room's)
  Index role = kNone;
  Distribution notice_s = Distribution::constant_of(0);
  bool sounds_alarm = false;
};

/// Guards walking a round: every `interval_s` (the first round at a uniform random time
/// within one interval) a member of `unit`, when one is on site, passes the listed rooms
/// and notices a fire in any of them (see FireDef::perceptible_kw); `role` is told after
/// `notice_s`.
struct FirePatrol {
  Index unit = kNone;
  std::vector<Index> rooms;
  double interval_s = 3600;
  Index role = kNone;
  Distribution notice_s = Distribution::constant_of(0);
};

/// Something to fight the fire with (fire/means table, an assumption to tune from drills):
/// it controls a fire whose HRR is at most `max_hrr_kw` when it is applied. Kept at `node`
/// (members fetch it on their way) or, with node kNone, carried by `units`.
struct FireMeans {
  std::string id;
  std::string name, name_en;
  std::string kind;  ///< "extinguisher", "hose", "engine", ...
  Index node = kNone;
  std::vector<Index> units;  ///< who may use it (empty: any unit sent on an attack task)
  std::vector<Index> tasks;  ///< attack tasks it serves (empty: any), e.g. the hose line's
  int count = 1;
  double max_hrr_kw = 0;
  Distribution setup_s = Distribution::constant_of(0);  ///< at the fire → applied
};

struct FireDef {
  std::vector<FireRoom> rooms;
  std::vector<FireVent> vents;
  Index origin = kNone;  ///< fire room where it starts, at the incident's start
  /// Per run, every room's growth is this many times faster (t-squared alpha x f; a
  /// curve's times / sqrt(f)): the uncertainty of how fast a real fire grows
  /// [assumption]; constant 1 = the rooms' growth as given.
  Distribution growth_factor = Distribution::constant_of(1);
  std::vector<FireDetector> detectors;
  /// A fire people notice when its HRR reaches this in a room they are in or pass, or
  /// when smoke has come: the room's upper layer at least `smoke_perceptible_k` above
  /// ambient [assumptions].
  double perceptible_kw = 25;
  double smoke_perceptible_k = 5;
  /// ... or when its upper layer's smoke reaches this optical density (1/m): soot from
  /// the oxygen the fire consumed (Huggett: 13.1 MJ/kg O2) at `soot_yield` kg per kg of
  /// fuel of `heat_of_combustion` 20 MJ/kg, seen through Mulholland and Croarkin's
  /// mass-specific extinction coefficient 8700 m2/kg [assumption: threshold and yield].
  double smoke_perceptible_od_per_m = 0.02;
  double soot_yield = 0.015;  ///< kg soot / kg fuel (SFPE Handbook, Tewarson: wood 0.015)
  /// Occupants (the incident's pedestrian groups by area) tell this role.
  Index occupants_tell = kNone;
  Distribution occupant_notice_s = Distribution::constant_of(0);
  std::optional<FirePatrol> patrol;
  Index alarm_task = kNone;         ///< protocol task whose completion sounds the alarm
  std::vector<Index> attack_tasks;  ///< protocol tasks that attack the fire
  std::vector<FireMeans> means;
  Index fire_police = kNone;  ///< unit: fire_police_on_scene_s
  double spread_delay_s = 60;
  double knockdown_s = 60;
  fire::TenabilityRule tenability;
  double flashover_c = 600;
  /// Records in a room are lost in the share of its fire load burnt, or in the share of
  /// their shelves (floor to `records_shelf_m`) that a layer at `records_lost_c` or more
  /// has reached, whichever is more [assumptions].
  double records_lost_c = 250;
  double records_shelf_m = 2.0;
  double ambient_c = fire::kAmbientC;
  double step_s = 1.0;  ///< coupling step: detectors, tenability, discovery
};

// ---------------------------------------------------------------- floods

/// What a cell of the flood model stands for (incident type "flood"; docs/design/flood.md).
/// Buildings and basements count for first_water_entry_s and time_above_threshold_s.
enum class FloodCellKind : std::uint8_t { street, yard, building, basement, boundary };

/// Records kept on the floor of a flood cell: lost in the share not yet moved when the
/// water in the cell reaches `damage_depth_m` (the lowest shelf, an assumption).
struct FloodRecords {
  double amount = 0;
  std::string unit = "boxes";
  double damage_depth_m = 0.1;
};

/// A storage cell (flood/cells.hpp): a street, a yard, a building's ground floor, a
/// basement, or a boundary whose level follows the river stage.
struct FloodCell {
  std::string id, name, name_en;
  FloodCellKind kind = FloodCellKind::yard;
  double area_m2 = 0;
  double ground_m = 0;  ///< floor or ground level, site datum (m)
  double initial_depth_m = 0;
  Index node = kNone;        ///< where it is on the map (and where workers go)
  Index area = kNone;        ///< walkable area drawn for it (kNone: a disc at the node)
  std::vector<Index> edges;  ///< site edges whose passability follows its depth
  double runoff_coeff = 0;   ///< rational method C
  double catchment_m2 = 0;   ///< area whose rain runs off into it
  std::optional<FloodRecords> records;
};

enum class FloodLinkKind : std::uint8_t { weir, orifice };

/// A weir (a sill, a door threshold, a gate) or an orifice (a drain, a pipe) between two
/// cells, or from a cell to the outside (`to` kNone). A weir can carry a sandbag barrier:
/// `barrier_m` in place at the start, raised by sandbag works; overtopped, it fails.
struct FloodLink {
  std::string id;
  FloodLinkKind kind = FloodLinkKind::weir;
  Index from = kNone, to = kNone;
  double crest_m = 0, length_m = 1, coeff = flood::kWeirCoeffBroadCrested;  ///< weir
  double invert_m = 0, area_m2 = 0, cd = flood::kOrificeCd;                 ///< orifice
  double barrier_m = 0;  ///< sandbags (or boards) already in place at the start
};

/// Mains pumps run while the grid is on or the site's generator runs; engine pumps run
/// on their own fuel for `fuel_h` hours of running.
enum class PumpPower : std::uint8_t { grid, engine };

struct FloodPump {
  std::string id, name, name_en;
  Index from = kNone, to = kNone;
  double capacity_m3s = 0;
  PumpPower power = PumpPower::grid;
  double fuel_h = 0;         ///< engine pumps
  Index ready_task = kNone;  ///< runs only once this protocol task is done (kNone: at once)
};

/// A protocol task whose duration is work over workforce: `amount` units at
/// `per_person_hour` per person present (filling and placing sandbags, carrying records
/// boxes, moving vehicles, testing the pumps and the generator, isolating power).
enum class FloodWorkKind : std::uint8_t {
  sandbags,
  records,
  vehicles,
  pumps,
  generator,
  power,
  other
};

struct FloodWork {
  Index task = kNone;
  FloodWorkKind kind = FloodWorkKind::other;
  double amount = 1;
  double per_person_hour = 1;
  Index link = kNone;   ///< sandbags: the weir it raises
  double height_m = 0;  ///< sandbags: the wall's height when all `amount` bags are placed
  Index cell = kNone;   ///< records: the cell they are carried out of
  double fuel_h = 0;    ///< generator: hours of running on its tank
};

/// Wind and storm damage at a time: the grid fails or comes back, a tree falls across an
/// edge (closed for every mode until `until`), a window breaks and rain falls into a cell.
enum class WindEventKind : std::uint8_t { power_cut, power_restored, tree_down, window_broken };

struct WindEvent {
  SimTime at = 0;
  WindEventKind kind = WindEventKind::power_cut;
  Index edge = kNone;
  SimTime until = kNever;
  Index cell = kNone;
  double catchment_m2 = 0;  ///< window_broken: rain area let in (runoff 1)
};

/// The storm's phases (times from the incident's start); `warning` is when the official
/// warning reaches the site (the incident is detected then, after detect_s).
struct TyphoonTimeline {
  std::string name;
  SimTime forecast = 0, warning = 0, landfall = kNever, peak = kNever, recession = kNever;
};

struct FloodDef {
  std::vector<FloodCell> cells;
  std::vector<FloodLink> links;
  std::vector<FloodPump> pumps;
  /// The river at the gauge (m, the station's datum) and the offset to the site datum;
  /// boundary cells follow stage + gauge_to_site_m.
  flood::Series stage_m;
  std::string station;
  std::array<double, 3> alarm_levels_m{0, 0, 0};  ///< BĐ I, II, III at the gauge
  double gauge_to_site_m = 0;
  flood::Series rain_mm_h;
  TyphoonTimeline typhoon;
  std::vector<WindEvent> wind;
  std::vector<FloodWork> works;
  /// Depth at which an edge closes for vehicles / for everyone (reopening below it).
  double vehicle_limit_m = 0.3, foot_limit_m = 0.5;
  double entry_depth_m = 0.02;     ///< water "in" a building (first_water_entry_s)
  double damage_depth_m = 0.1;     ///< time_above_threshold_s counts building depth above it
  std::vector<Index> access_from;  ///< outside nodes help comes from (site_isolated_s)
  Index access_to = kNone;         ///< the site's node help must reach by vehicle
  double step_s = 60;              ///< coupling step: works, barriers, edges, KPIs
  double max_dt_s = 30;            ///< the cell network's largest step
};

/// Road traffic by time of day: vehicle speeds of units leaving in the window are
/// multiplied by `factor`.
struct TrafficWindow {
  DayMask days = 0;
  int from_min = 0, to_min = 0;
  double factor = 1.0;
};

struct Incident {
  std::string id;
  std::string type;  ///< "generic" (crowd, fire, flood come with their models)
  std::string name, name_en;
  Index node = kNone;
  IncidentClock clock;
  Index detected_by = kNone;                             ///< role that detects it
  Distribution detect_s = Distribution::constant_of(0);  ///< start to detection (s)
  Index protocol = kNone;
  std::vector<EdgeEvent> edge_events;
  std::vector<PedGroup> ped_groups;
  std::vector<DoorEvent> door_events;
  PedSettings peds;
  std::vector<Commitment> commitments;
  std::optional<CrowdDef> crowd;  ///< type "crowd_complaint"
  std::optional<FireDef> fire;    ///< type "fire"
  std::optional<FloodDef> flood;  ///< type "flood"
  SimTime horizon = kNever;       ///< this incident's run horizon; kNever = the run's
  std::string primary_kpi;        ///< picks the median/worst runs to trace; "" = default
};

// ---------------------------------------------------------------- targets and run

/// "KPI at most `max_value` in at least `min_fraction` of runs" (e.g. police squad at
/// the gate within 180 s in 90% of runs). A run where the KPI never happened misses.
struct Target {
  std::string incident;  ///< incident id, or "" for every incident that has the KPI
  std::string kpi;       ///< e.g. "on_scene_police_squad_s"
  double max_value = 0;  ///< in the KPI's unit (kpi_unit: seconds for *_s)
  double min_fraction = 0.9;
  std::string description;
  /// How much a shortfall of this target counts in the planner's objective (> 0;
  /// plan/search.hpp): a weight-2 target missed by 10 points counts as two missed by 10.
  double weight = 1.0;
};

struct RunSettings {
  std::uint64_t seed = 1;
  int runs = 100;
  SimTime horizon = 4 * 3600 * kMsPerSecond;
  SimTime trace_sample = 5 * kMsPerSecond;  ///< position sampling interval in traces
};

/// An object of the scenario file that carries an "assumption" note: its JSON pointer
/// (RFC 6901) and its "id" ("" when it has none). The engine ignores the notes; reports use
/// them to say which values are stated assumptions (analysis/sensitivity.hpp).
struct AssumptionNote {
  std::string pointer;
  std::string id;
};

struct Scenario {
  std::string name, name_en, description;
  Site site;
  std::array<Distribution, kModeCount> mode_speed_mps{Distribution::constant_of(1.34),
                                                      Distribution::constant_of(8.0)};
  std::vector<TrafficWindow> traffic;
  std::vector<Unit> units;
  std::vector<Post> posts;
  std::vector<Role> roles;
  std::vector<CommsLink> links;
  std::vector<Protocol> protocols;
  std::vector<Incident> incidents;
  std::vector<Target> targets;
  RunSettings run;
  std::vector<AssumptionNote> assumptions;  ///< in document order (set by the reader)
};

// Helpers shared by the engine, the I/O layer and the clients.
const char* to_string(NodeKind k);
const char* to_string(TravelMode m);
const char* to_string(Channel c);
const char* to_string(DayType d);
const char* to_string(AreaKind k);
/// The unit of a KPI from its name's suffix: "s" (_s), "/m²" (_ppm2), "p/s" (_pps),
/// "N/m" (_npm), "kW" (_kw), "people" (_n), "share" (_fraction, 0 to 1); "" for anything
/// else.
const char* kpi_unit(const std::string& kpi);
const char* to_string(Fidelity f);
/// The run horizon of incident `incident`: its own (a flood lasts days) or the run's.
SimTime horizon_of(const Scenario& s, Index incident);
const char* to_string(FloodCellKind k);
const char* to_string(FloodWorkKind k);
const char* to_string(DetectorKind k);

}  // namespace hqdrill
