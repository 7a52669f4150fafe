// Domain types of the placement engine: participants, openings and the
// enumerations they use. Plain value types with no behaviour beyond parsing and
// printing their slugs; they know nothing of gRPC or storage.
//
// Every enumeration has a stable lower-case slug used in the CSV formats of
// data/README.md ("public_transport", "enhanced_work_training", ...).
// ParseX(slug) accepts exactly those slugs and returns INVALID_ARGUMENT naming
// the value otherwise; XSlug(value) is its inverse.
//
// Thread safety: value types; concurrent reads are safe, writes need external
// synchronisation.

#ifndef PLACEMENT_ENGINE_TYPES_H_
#define PLACEMENT_ENGINE_TYPES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace placement {

// How a participant travels; decides the speed and waiting time used for
// travel-time estimates.
enum class TravelMode : uint8_t { kWalk, kBike, kPublicTransport, kCar };
inline constexpr int kTravelModeCount = 4;

// Swedish language level, CEFR-like: none, basic (A1–A2), intermediate (B1),
// good (B2), fluent (C1 and above, or mother tongue). Ordered.
enum class SwedishLevel : uint8_t {
  kNone,
  kBasic,
  kIntermediate,
  kGood,
  kFluent
};
inline constexpr int kSwedishLevelCount = 5;

// Target groups (målgrupper) named by the programmes. An opening may restrict
// eligibility to some of them.
enum class TargetGroup : uint8_t {
  kLongTermUnemployed,    // långtidsarbetslösa, more than 12 months
  kOutsideLabourMarket,   // not registered at the employment service
  kDisability,            // funktionsnedsättning reducing work capacity
  kSickLeaveReturn,       // återgång i arbete after long sick leave
  kActivityCompensation,  // young people on aktivitetsersättning
  kNoUpperSecondary,      // did not finish upper-secondary school
  kNewlyArrived,          // nyanlända
  kFinancialAssistance,   // households on long-term ekonomiskt bistånd
};
inline constexpr int kTargetGroupCount = 8;

// Kept only for follow-up against discrimination; scoring never reads it.
enum class Gender : uint8_t { kFemale, kMale, kOther, kUndisclosed };
inline constexpr int kGenderCount = 4;

// EXITED: left the programme (exit_date says when); never matched again
// unless the coach makes them ACTIVE.
enum class ParticipantStatus : uint8_t { kActive, kPaused, kPlaced, kExited };
inline constexpr int kParticipantStatusCount = 4;

enum class OpeningKind : uint8_t {
  kEmployerInternship,    // praktikplats
  kWorkTraining,          // arbetsträning
  kEnhancedWorkTraining,  // förstärkt arbetsträning
  kSocialEnterprise,      // slot in an arbetsintegrerande socialt företag
  kSupportedEmployment,   // anställning med stöd
};
inline constexpr int kOpeningKindCount = 5;

enum class OpeningStatus : uint8_t { kDraft, kOpen, kPaused, kClosed };
inline constexpr int kOpeningStatusCount = 4;

// A support need the coach marked hard must be met by the opening; a soft one
// improves the fit when met.
enum class NeedStrength : uint8_t { kHard, kSoft };

// Steps of the progression ladder (stegförflyttning), 0 to 5:
// 0 meeting place, 1 activities, 2 sheltered work training, 3 enhanced work
// training or employer internship, 4 supported employment, 5 regular work.
inline constexpr int kMinStep = 0;
inline constexpr int kMaxStep = 5;

// Skill levels: 1 basic, 2 experienced, 3 expert.
inline constexpr int kMinSkillLevel = 1;
inline constexpr int kMaxSkillLevel = 3;

// A calendar date without time zone. Valid when year, month and day form a real
// date in 1900–2200.
struct Date {
  int year = 0;
  int month = 0;
  int day = 0;

  friend bool operator==(const Date&, const Date&) = default;
  friend auto operator<=>(const Date&, const Date&) = default;
};

struct GeoPoint {
  double latitude_deg = 0;
  double longitude_deg = 0;

  friend bool operator==(const GeoPoint&, const GeoPoint&) = default;
};

struct SkillLevel {
  std::string skill_code;  // "SSSS.NN", a code of the skill taxonomy
  int level = kMinSkillLevel;

  friend bool operator==(const SkillLevel&, const SkillLevel&) = default;
};

struct SupportNeed {
  std::string need_code;  // a code of the support-need catalogue
  NeedStrength strength = NeedStrength::kSoft;

  friend bool operator==(const SupportNeed&, const SupportNeed&) = default;
};

// A participant (deltagare). Identified by a pseudonymous id only.
struct Participant {
  std::string id;        // "P" + 7 digits
  std::string coach_id;  // the coach whose caseload holds this participant
  int birth_year = 0;    // read by the eligibility rule only
  std::string municipality_code;  // 4-digit kommunkod of home
  GeoPoint home;
  TravelMode travel_mode = TravelMode::kPublicTransport;
  int max_travel_minutes = 0;  // one way, by travel_mode
  double hours_per_week = 0;   // hours per week the participant can work
  int step = kMinStep;         // current step on the ladder
  SwedishLevel swedish_level = SwedishLevel::kNone;
  std::vector<TargetGroup> target_groups;
  std::vector<SkillLevel> skills;
  std::vector<std::string> wanted_fields;  // occupation field slugs
  std::vector<SupportNeed> needs;          // health-related: coaches only
  std::vector<std::string> vetoed_organisations;
  std::vector<std::string> vetoed_fields;
  ParticipantStatus status = ParticipantStatus::kActive;
  // The day the participant left the programme; set with status EXITED.
  std::optional<Date> exit_date;
  // The day the participant entered the programme; unset only for records
  // imported without one. Read by the follow-up report, never by scoring.
  std::optional<Date> entry_date;
  // The ESF project the participant is in (data/programmes); empty = none.
  // Read by the follow-up report, never by scoring.
  std::string programme_code;
  // When the record was last written by the server; unset for records
  // that never were (imports, generated data).
  std::optional<absl::Time> updated_at;
  // Follow-up attributes: stored for the fairness audit, never read by scoring.
  Gender gender = Gender::kUndisclosed;
  bool born_abroad = false;

  friend bool operator==(const Participant&, const Participant&) = default;
};

// An opening (plats) that participants can take.
struct Opening {
  std::string id;  // "O" + 6 digits
  OpeningKind kind = OpeningKind::kWorkTraining;
  std::string organisation_id;
  std::string organisation_name;
  std::string title;
  std::string municipality_code;
  GeoPoint location;
  std::string occupation_field;
  std::vector<std::string> essential_skills;
  std::vector<std::string> optional_skills;
  std::vector<std::string> supports;  // support codes offered
  int capacity = 1;                   // places at once, 1..1000
  int places_taken = 0;               // 0..capacity
  // Places reserved by coaches' live holds (engine/placements.h); kept by
  // the store, never imported. places_taken + places_held <= capacity.
  int places_held = 0;
  double min_hours_per_week = 0;
  double max_hours_per_week = 0;
  int step = kMinStep;                     // the ladder step this opening suits
  int min_age = 0;                         // 0 = no lower bound
  int max_age = 0;                         // 0 = no upper bound
  std::vector<TargetGroup> target_groups;  // empty = open to all
  SwedishLevel min_swedish = SwedishLevel::kNone;
  Date start_date;
  std::optional<Date> end_date;
  OpeningStatus status = OpeningStatus::kOpen;
  std::optional<absl::Time> updated_at;  // as Participant::updated_at

  friend bool operator==(const Opening&, const Opening&) = default;
};

// Slugs. Parse* returns INVALID_ARGUMENT naming the unknown value.
absl::string_view TravelModeSlug(TravelMode mode);
absl::StatusOr<TravelMode> ParseTravelMode(absl::string_view slug);
absl::string_view SwedishLevelSlug(SwedishLevel level);
absl::StatusOr<SwedishLevel> ParseSwedishLevel(absl::string_view slug);
absl::string_view TargetGroupSlug(TargetGroup group);
absl::StatusOr<TargetGroup> ParseTargetGroup(absl::string_view slug);
absl::string_view GenderSlug(Gender gender);
absl::StatusOr<Gender> ParseGender(absl::string_view slug);
absl::string_view ParticipantStatusSlug(ParticipantStatus status);
absl::StatusOr<ParticipantStatus> ParseParticipantStatus(
    absl::string_view slug);
absl::string_view OpeningKindSlug(OpeningKind kind);
absl::StatusOr<OpeningKind> ParseOpeningKind(absl::string_view slug);
absl::string_view OpeningStatusSlug(OpeningStatus status);
absl::StatusOr<OpeningStatus> ParseOpeningStatus(absl::string_view slug);
absl::string_view NeedStrengthSlug(NeedStrength strength);
absl::StatusOr<NeedStrength> ParseNeedStrength(absl::string_view slug);

// "2026-11-22". ParseDate rejects anything that is not a real ISO date.
std::string FormatDate(const Date& date);
absl::StatusOr<Date> ParseDate(absl::string_view text);
bool IsValidDate(const Date& date);

}  // namespace placement

#endif  // PLACEMENT_ENGINE_TYPES_H_
