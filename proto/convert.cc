#include "proto/convert.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"

namespace placement {
namespace {

// Engine enums are 0-based in declaration order; the proto enums list the
// same values from 1, with 0 meaning UNSPECIFIED.
template <typename ProtoEnum, typename EngineEnum>
ProtoEnum ToProtoEnum(EngineEnum value) {
  return static_cast<ProtoEnum>(static_cast<int>(value) + 1);
}

template <typename EngineEnum>
absl::StatusOr<EngineEnum> EnumAt(int value, int count,
                                  absl::string_view field_path,
                                  absl::string_view what) {
  if (value < 1 || value > count) {
    return absl::InvalidArgumentError(
        absl::StrCat(field_path, ": ", value, " is not ", what));
  }
  return static_cast<EngineEnum>(value - 1);
}

template <typename EngineEnum>
absl::StatusOr<EngineEnum> FromProtoEnum(int value, int count,
                                         absl::string_view path,
                                         absl::string_view field,
                                         absl::string_view what) {
  return EnumAt<EngineEnum>(value, count, absl::StrCat(path, ".", field), what);
}

void SetText(std::string sv, std::string en, v1::Language language,
             v1::LocalizedText& out) {
  if (language != v1::LANGUAGE_EN) out.set_sv(std::move(sv));
  if (language != v1::LANGUAGE_SV) out.set_en(std::move(en));
}

void ReasonToProto(Reason reason, ReasonEffect effect, v1::Language language,
                   v1::Reason& out) {
  SetText(std::move(reason.sv), std::move(reason.en), language,
          *out.mutable_text());
  out.set_component(ToProtoEnum<v1::ScoreComponent>(reason.component));
  out.set_effect(ToProtoEnum<v1::ReasonEffect>(effect));
}

void ToProto(const GeoPoint& point, v1::GeoPoint& out) {
  out.set_latitude(point.latitude_deg);
  out.set_longitude(point.longitude_deg);
}

void ToProto(const Date& date, v1::Date& out) {
  out.set_year(static_cast<uint32_t>(date.year));
  out.set_month(static_cast<uint32_t>(date.month));
  out.set_day(static_cast<uint32_t>(date.day));
}

Date FromProto(const v1::Date& date) {
  return Date{.year = static_cast<int>(date.year()),
              .month = static_cast<int>(date.month()),
              .day = static_cast<int>(date.day())};
}

GeoPoint FromProto(const v1::GeoPoint& point) {
  return GeoPoint{.latitude_deg = point.latitude(),
                  .longitude_deg = point.longitude()};
}

absl::Status TargetGroupsFromProto(
    const google::protobuf::RepeatedField<int>& groups, absl::string_view path,
    std::vector<TargetGroup>& out) {
  for (int i = 0; i < groups.size(); ++i) {
    absl::StatusOr<TargetGroup> group = FromProtoEnum<TargetGroup>(
        groups[i], kTargetGroupCount, path,
        absl::StrCat("target_groups[", i, "]"), "a target group");
    if (!group.ok()) return group.status();
    out.push_back(*group);
  }
  return absl::OkStatus();
}

}  // namespace

void ToProto(const Participant& p, v1::Participant& out) {
  out.Clear();
  out.set_id(p.id);
  for (const SkillLevel& skill : p.skills) {
    v1::SkillLevel* s = out.add_skills();
    s->set_skill_code(skill.skill_code);
    s->set_level(static_cast<uint32_t>(skill.level));
  }
  for (const std::string& field : p.wanted_fields) out.add_wanted_fields(field);
  for (const SupportNeed& need : p.needs) {
    v1::SupportNeed* n = out.add_support_needs();
    n->set_need_code(need.need_code);
    n->set_strength(ToProtoEnum<v1::NeedStrength>(need.strength));
  }
  out.mutable_home()->set_municipality_code(p.municipality_code);
  ToProto(p.home, *out.mutable_home()->mutable_point());
  out.set_travel_mode(ToProtoEnum<v1::TravelMode>(p.travel_mode));
  out.set_max_travel_minutes(static_cast<uint32_t>(p.max_travel_minutes));
  out.set_hours_per_week_available(p.hours_per_week);
  out.set_step(static_cast<uint32_t>(p.step));
  out.set_swedish_level(ToProtoEnum<v1::SwedishLevel>(p.swedish_level));
  for (TargetGroup group : p.target_groups) {
    out.add_target_groups(ToProtoEnum<v1::TargetGroup>(group));
  }
  out.set_birth_year(static_cast<uint32_t>(p.birth_year));
  for (const std::string& id : p.vetoed_organisations)
    out.add_vetoed_organisation_ids(id);
  for (const std::string& field : p.vetoed_fields) out.add_vetoed_fields(field);
  out.set_status(ToProtoEnum<v1::ParticipantStatus>(p.status));
  out.set_coach_id(p.coach_id);
  out.mutable_follow_up()->set_gender(ToProtoEnum<v1::Gender>(p.gender));
  out.mutable_follow_up()->set_born_abroad(p.born_abroad);
  if (p.exit_date) ToProto(*p.exit_date, *out.mutable_exit_date());
  if (p.entry_date) ToProto(*p.entry_date, *out.mutable_entry_date());
  out.set_programme_code(p.programme_code);
  if (p.updated_at) {
    *out.mutable_updated_at() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
            absl::ToUnixMicros(*p.updated_at));
  }
}

void ToProto(const Opening& o, v1::Opening& out) {
  out.Clear();
  out.set_id(o.id);
  out.set_kind(ToProtoEnum<v1::OpeningKind>(o.kind));
  out.set_organisation_id(o.organisation_id);
  out.set_organisation_name(o.organisation_name);
  out.set_title(o.title);
  out.mutable_location()->set_municipality_code(o.municipality_code);
  ToProto(o.location, *out.mutable_location()->mutable_point());
  for (const std::string& skill : o.essential_skills)
    out.add_essential_skills(skill);
  for (const std::string& skill : o.optional_skills)
    out.add_optional_skills(skill);
  out.set_occupation_field(o.occupation_field);
  for (const std::string& support : o.supports)
    out.add_supports_offered(support);
  out.set_capacity(static_cast<uint32_t>(o.capacity));
  out.set_places_taken(static_cast<uint32_t>(o.places_taken));
  out.set_min_hours_per_week(o.min_hours_per_week);
  out.set_max_hours_per_week(o.max_hours_per_week);
  out.set_step(static_cast<uint32_t>(o.step));
  v1::Eligibility* eligibility = out.mutable_eligibility();
  eligibility->set_min_age(static_cast<uint32_t>(o.min_age));
  eligibility->set_max_age(static_cast<uint32_t>(o.max_age));
  for (TargetGroup group : o.target_groups) {
    eligibility->add_target_groups(ToProtoEnum<v1::TargetGroup>(group));
  }
  out.set_min_swedish_level(ToProtoEnum<v1::SwedishLevel>(o.min_swedish));
  ToProto(o.start_date, *out.mutable_start_date());
  if (o.end_date) ToProto(*o.end_date, *out.mutable_end_date());
  out.set_status(ToProtoEnum<v1::OpeningStatus>(o.status));
  out.set_places_held(static_cast<uint32_t>(o.places_held));
  if (o.updated_at) {
    *out.mutable_updated_at() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
            absl::ToUnixMicros(*o.updated_at));
  }
}

absl::StatusOr<Participant> FromProto(const v1::Participant& in,
                                      absl::string_view path) {
  Participant p;
  p.id = in.id();
  p.coach_id = in.coach_id();
  p.birth_year = static_cast<int>(in.birth_year());
  p.municipality_code = in.home().municipality_code();
  p.home = FromProto(in.home().point());
  absl::StatusOr<TravelMode> mode = FromProtoEnum<TravelMode>(
      in.travel_mode(), kTravelModeCount, path, "travel_mode", "a travel mode");
  if (!mode.ok()) return mode.status();
  p.travel_mode = *mode;
  p.max_travel_minutes = static_cast<int>(in.max_travel_minutes());
  p.hours_per_week = in.hours_per_week_available();
  if (!in.has_step()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ".step: required (0 to 5)"));
  }
  p.step = static_cast<int>(in.step());
  absl::StatusOr<SwedishLevel> swedish =
      FromProtoEnum<SwedishLevel>(in.swedish_level(), kSwedishLevelCount, path,
                                  "swedish_level", "a Swedish level");
  if (!swedish.ok()) return swedish.status();
  p.swedish_level = *swedish;
  absl::Status groups =
      TargetGroupsFromProto(in.target_groups(), path, p.target_groups);
  if (!groups.ok()) return groups;
  for (const v1::SkillLevel& skill : in.skills()) {
    p.skills.push_back({.skill_code = skill.skill_code(),
                        .level = static_cast<int>(skill.level())});
  }
  p.wanted_fields.assign(in.wanted_fields().begin(), in.wanted_fields().end());
  for (int i = 0; i < in.support_needs_size(); ++i) {
    const v1::SupportNeed& need = in.support_needs(i);
    absl::StatusOr<NeedStrength> strength = FromProtoEnum<NeedStrength>(
        need.strength(), 2, path,
        absl::StrCat("support_needs[", i, "].strength"), "a need strength");
    if (!strength.ok()) return strength.status();
    p.needs.push_back({.need_code = need.need_code(), .strength = *strength});
  }
  p.vetoed_organisations.assign(in.vetoed_organisation_ids().begin(),
                                in.vetoed_organisation_ids().end());
  p.vetoed_fields.assign(in.vetoed_fields().begin(), in.vetoed_fields().end());
  // Unset status means active, as on import.
  if (in.status() == v1::PARTICIPANT_STATUS_UNSPECIFIED) {
    p.status = ParticipantStatus::kActive;
  } else {
    absl::StatusOr<ParticipantStatus> status = FromProtoEnum<ParticipantStatus>(
        in.status(), kParticipantStatusCount, path, "status",
        "a participant status");
    if (!status.ok()) return status.status();
    p.status = *status;
  }
  // Follow-up attributes are optional; unset gender is stored as undisclosed.
  if (in.follow_up().gender() == v1::GENDER_UNSPECIFIED) {
    p.gender = Gender::kUndisclosed;
  } else {
    absl::StatusOr<Gender> gender =
        FromProtoEnum<Gender>(in.follow_up().gender(), kGenderCount, path,
                              "follow_up.gender", "a gender");
    if (!gender.ok()) return gender.status();
    p.gender = *gender;
  }
  p.born_abroad = in.follow_up().born_abroad();
  if (in.has_exit_date()) p.exit_date = FromProto(in.exit_date());
  if (in.has_entry_date()) p.entry_date = FromProto(in.entry_date());
  p.programme_code = in.programme_code();
  if (in.has_updated_at()) {
    p.updated_at = absl::FromUnixMicros(
        google::protobuf::util::TimeUtil::TimestampToMicroseconds(
            in.updated_at()));
  }
  return p;
}

absl::StatusOr<Opening> FromProto(const v1::Opening& in,
                                  absl::string_view path) {
  Opening o;
  o.id = in.id();
  absl::StatusOr<OpeningKind> kind = FromProtoEnum<OpeningKind>(
      in.kind(), kOpeningKindCount, path, "kind", "an opening kind");
  if (!kind.ok()) return kind.status();
  o.kind = *kind;
  o.organisation_id = in.organisation_id();
  o.organisation_name = in.organisation_name();
  o.title = in.title();
  o.municipality_code = in.location().municipality_code();
  o.location = FromProto(in.location().point());
  o.essential_skills.assign(in.essential_skills().begin(),
                            in.essential_skills().end());
  o.optional_skills.assign(in.optional_skills().begin(),
                           in.optional_skills().end());
  o.occupation_field = in.occupation_field();
  o.supports.assign(in.supports_offered().begin(), in.supports_offered().end());
  o.capacity = static_cast<int>(in.capacity());
  o.places_taken = static_cast<int>(in.places_taken());
  o.min_hours_per_week = in.min_hours_per_week();
  o.max_hours_per_week = in.max_hours_per_week();
  if (!in.has_step()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ".step: required (0 to 5)"));
  }
  o.step = static_cast<int>(in.step());
  o.min_age = static_cast<int>(in.eligibility().min_age());
  o.max_age = static_cast<int>(in.eligibility().max_age());
  absl::Status groups = TargetGroupsFromProto(
      in.eligibility().target_groups(), absl::StrCat(path, ".eligibility"),
      o.target_groups);
  if (!groups.ok()) return groups;
  // Unset minimum Swedish means no requirement.
  if (in.min_swedish_level() == v1::SWEDISH_LEVEL_UNSPECIFIED) {
    o.min_swedish = SwedishLevel::kNone;
  } else {
    absl::StatusOr<SwedishLevel> swedish = FromProtoEnum<SwedishLevel>(
        in.min_swedish_level(), kSwedishLevelCount, path, "min_swedish_level",
        "a Swedish level");
    if (!swedish.ok()) return swedish.status();
    o.min_swedish = *swedish;
  }
  o.start_date = FromProto(in.start_date());
  if (in.has_end_date()) o.end_date = FromProto(in.end_date());
  absl::StatusOr<OpeningStatus> status = FromProtoEnum<OpeningStatus>(
      in.status(), kOpeningStatusCount, path, "status", "an opening status");
  if (!status.ok()) return status.status();
  o.status = *status;
  o.places_held = static_cast<int>(in.places_held());
  if (in.has_updated_at()) {
    o.updated_at = absl::FromUnixMicros(
        google::protobuf::util::TimeUtil::TimestampToMicroseconds(
            in.updated_at()));
  }
  return o;
}

absl::StatusOr<OpeningKind> OpeningKindFromProto(int value,
                                                 absl::string_view field) {
  return EnumAt<OpeningKind>(value, kOpeningKindCount, field,
                             "an opening kind");
}

absl::StatusOr<OpeningStatus> OpeningStatusFromProto(int value,
                                                     absl::string_view field) {
  return EnumAt<OpeningStatus>(value, kOpeningStatusCount, field,
                               "an opening status");
}

absl::StatusOr<ParticipantStatus> ParticipantStatusFromProto(
    int value, absl::string_view field) {
  return EnumAt<ParticipantStatus>(value, kParticipantStatusCount, field,
                                   "a participant status");
}

void ToProto(Explanation e, bool include_support_needs, v1::Match& out,
             v1::Language language) {
  out.Clear();
  out.set_participant_id(std::move(e.participant_id));
  out.set_opening_id(std::move(e.opening_id));
  out.set_score(e.total);
  out.set_eligible(e.eligible);
  for (int c = 0; c < kComponentCount; ++c) {
    v1::ComponentScore* component = out.add_components();
    component->set_component(
        ToProtoEnum<v1::ScoreComponent>(static_cast<Component>(c)));
    component->set_value(e.components[c]);
    component->set_weight(e.weights[c]);
    component->set_contribution(e.contributions[c]);
  }
  out.mutable_travel()->set_minutes(e.travel.minutes);
  out.mutable_travel()->set_distance_km(e.travel.distance_km);
  out.mutable_travel()->set_mode(ToProtoEnum<v1::TravelMode>(e.travel.mode));
  bool redacted = false;
  for (Reason& reason : e.reasons) {
    if (reason.mentions_support_needs && !include_support_needs) {
      redacted = true;
      continue;
    }
    const ReasonEffect effect = EffectOf(e, reason);
    ReasonToProto(std::move(reason), effect, language, *out.add_reasons());
  }
  for (RuleExplanation& rule : e.rules) {
    v1::Exclusion* exclusion = out.add_exclusions();
    exclusion->set_rule(ToProtoEnum<v1::HardRule>(rule.rule));
    if (rule.mentions_support_needs && !include_support_needs) {
      redacted = true;
      SetText("ett absolut stödbehov möts inte",
              "a hard support need is not met", language,
              *exclusion->mutable_text());
    } else {
      SetText(std::move(rule.sv), std::move(rule.en), language,
              *exclusion->mutable_text());
    }
  }
  out.set_sensitive_reasons_redacted(redacted);
}

void ToProto(const Explanation& explanation, const Reason& reason,
             v1::Language language, v1::Reason& out) {
  ReasonToProto(reason, EffectOf(explanation, reason), language, out);
}

namespace {

using google::protobuf::util::TimeUtil;

void SetTime(absl::Time at, google::protobuf::Timestamp& out) {
  out = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
}

absl::Time TimeOf(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(timestamp));
}

constexpr int kRunStateCount = 5;
// The report lists at most this many openings without candidates.
constexpr int kMaxListedOpenings = 100;

void SetDuration(absl::Duration duration, google::protobuf::Duration& out) {
  out = TimeUtil::NanosecondsToDuration(absl::ToInt64Nanoseconds(duration));
}

}  // namespace

v1::RunState ToProto(RunState state) {
  return ToProtoEnum<v1::RunState>(state);
}

void ToProto(const RematchReport& report, absl::string_view run_id,
             bool dry_run, v1::RunReport& out) {
  out.Clear();
  out.set_run_id(std::string(run_id));
  out.set_dry_run(dry_run);
  out.set_participants_considered(
      static_cast<uint32_t>(report.active_considered));
  out.set_participants_proposed(static_cast<uint32_t>(report.proposed));
  out.set_participants_unmatched(static_cast<uint32_t>(report.unmatched));
  out.set_openings_considered(
      static_cast<uint32_t>(report.openings_with_free_places));
  out.set_openings_without_candidates(
      static_cast<uint32_t>(report.openings_without_candidate_count));
  for (size_t i = 0; i < report.openings_without_candidate.size() &&
                     i < static_cast<size_t>(kMaxListedOpenings);
       ++i) {
    out.add_openings_without_candidates_ids(
        report.openings_without_candidate[i]);
  }
  out.set_objective(report.objective);
  out.set_objective_scale(report.objective_scale);
  for (int rule = 0; rule < kHardRuleCount; ++rule) {
    const int count = report.unmatched_by_blocking_rule[rule];
    if (count == 0) continue;
    v1::UnmatchedReason* reason = out.add_unmatched_reasons();
    reason->set_rule(ToProtoEnum<v1::HardRule>(static_cast<HardRule>(rule)));
    reason->set_count(static_cast<uint32_t>(count));
  }
  v1::FairnessAudit& audit = *out.mutable_fairness_audit();
  audit.set_min_group_size(kAuditMinGroup);
  std::vector<const AuditDimension*> dimensions;
  for (const AuditDimension& dimension : report.audit) {
    dimensions.push_back(&dimension);
  }
  // Ordered by dimension name, groups in the engine's order within each.
  std::sort(dimensions.begin(), dimensions.end(),
            [](const AuditDimension* a, const AuditDimension* b) {
              return a->dimension < b->dimension;
            });
  for (const AuditDimension* dimension : dimensions) {
    for (const AuditGroup& group : dimension->groups) {
      v1::GroupOutcome* outcome = audit.add_groups();
      outcome->set_dimension(dimension->dimension);
      outcome->set_group(group.group);
      outcome->set_suppressed(group.too_small);
      if (group.too_small) continue;  // numbers withheld
      outcome->set_participants(static_cast<uint32_t>(group.participants));
      outcome->set_proposed(static_cast<uint32_t>(group.proposed));
      outcome->set_proposal_rate(group.share_proposed);
      outcome->set_mean_score(group.mean_score);
      outcome->set_ratio_to_best(group.ratio_to_best);
      outcome->set_below_four_fifths(group.flagged);
    }
  }
  const std::pair<v1::RunPhase, absl::Duration> timings[] = {
      {v1::RUN_PHASE_CANDIDATES, report.timings.candidates},
      {v1::RUN_PHASE_ASSIGNMENT, report.timings.assignment},
      {v1::RUN_PHASE_AUDIT, report.timings.audit},
  };
  for (const auto& [phase, duration] : timings) {
    v1::PhaseTiming* timing = out.add_phase_timings();
    timing->set_phase(phase);
    SetDuration(duration, *timing->mutable_duration());
  }
  out.set_proposals_continued(static_cast<uint32_t>(report.continued_pending));
}

void ToProto(const RematchRun& run, v1::Run& out) {
  out.Clear();
  out.set_run_id(run.id);
  out.set_state(ToProtoEnum<v1::RunState>(run.state));
  SetTime(run.created_at, *out.mutable_created_at());
  if (run.started_at) SetTime(*run.started_at, *out.mutable_started_at());
  if (run.finished_at) SetTime(*run.finished_at, *out.mutable_finished_at());
  v1::StartRunRequest& parameters = *out.mutable_parameters();
  parameters.set_candidates_per_participant(
      static_cast<uint32_t>(run.parameters.candidates_per_participant));
  parameters.set_seed(run.parameters.seed);
  if (run.parameters.continuity_bonus) {
    parameters.set_continuity_bonus(*run.parameters.continuity_bonus);
  }
  parameters.set_dry_run(run.parameters.dry_run);
  out.set_requested_by(run.requested_by);
  out.set_snapshot_version(run.snapshot_version);
  out.set_error_message(run.error_message);
}

absl::StatusOr<RematchRun> FromProto(const v1::Run& run,
                                     absl::string_view path) {
  RematchRun out;
  absl::StatusOr<RunState> state = FromProtoEnum<RunState>(
      run.state(), kRunStateCount, path, "state", "a run state");
  if (!state.ok()) return state.status();
  out.id = run.run_id();
  out.state = *state;
  out.created_at = TimeOf(run.created_at());
  if (run.has_started_at()) out.started_at = TimeOf(run.started_at());
  if (run.has_finished_at()) out.finished_at = TimeOf(run.finished_at());
  const v1::StartRunRequest& parameters = run.parameters();
  out.parameters.candidates_per_participant =
      parameters.candidates_per_participant();
  out.parameters.seed = parameters.seed();
  if (parameters.has_continuity_bonus()) {
    out.parameters.continuity_bonus = parameters.continuity_bonus();
  }
  out.parameters.dry_run = parameters.dry_run();
  out.requested_by = run.requested_by();
  out.snapshot_version = run.snapshot_version();
  out.error_message = run.error_message();
  return out;
}

v1::ProposalState ToProto(ProposalState state) {
  // The engine's order is the API's, dry run (UNSPECIFIED) first.
  return static_cast<v1::ProposalState>(static_cast<int>(state));
}

absl::StatusOr<ProposalState> ProposalStateFromProto(int value,
                                                     absl::string_view field) {
  if (value < 0 || value > static_cast<int>(ProposalState::kExpired)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", value, " is not a proposal state"));
  }
  return static_cast<ProposalState>(value);
}

absl::StatusOr<Decision> DecisionFromProto(int value, absl::string_view field) {
  switch (value) {
    case v1::DECISION_ACCEPT:
      return Decision::kAccept;
    case v1::DECISION_REJECT:
      return Decision::kReject;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": ", value, " is not ACCEPT or REJECT"));
  }
}

absl::StatusOr<v1::Proposal> ProposalToProto(
    const PublishedProposal& proposal) {
  v1::Proposal out;
  if (!out.mutable_match()->ParseFromString(proposal.explanation_record)) {
    return absl::DataLossError(absl::StrCat("the explanation of proposal ",
                                            proposal.id, " cannot be decoded"));
  }
  out.set_proposal_id(proposal.id);
  out.set_run_id(proposal.run_id);
  out.set_participant_id(proposal.participant_id);
  out.set_opening_id(proposal.opening_id);
  out.set_state(ToProto(proposal.state));
  out.set_decided_by(proposal.decided_by);
  if (proposal.decided_at)
    SetTime(*proposal.decided_at, *out.mutable_decided_at());
  out.set_rejection_reason(proposal.rejection_reason);
  SetTime(proposal.created_at, *out.mutable_created_at());
  out.set_continued_from_previous_run(proposal.continued_from_previous_run);
  return out;
}

}  // namespace placement
