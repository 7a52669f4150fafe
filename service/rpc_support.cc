#include "service/rpc_support.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/field_mask_util.h"

namespace placement::service {
namespace {

// Validator field names (CSV columns) to proto field paths.
struct PathMapping {
  absl::string_view field;
  absl::string_view path;
};
constexpr PathMapping kParticipantPaths[] = {
    {"municipality", "home.municipality_code"},
    {"lat", "home.point.latitude"},
    {"lon", "home.point.longitude"},
    {"hours_per_week", "hours_per_week_available"},
    {"needs", "support_needs"},
    {"vetoed_organisations", "vetoed_organisation_ids"},
};
constexpr PathMapping kOpeningPaths[] = {
    {"municipality", "location.municipality_code"},
    {"lat", "location.point.latitude"},
    {"lon", "location.point.longitude"},
    {"supports", "supports_offered"},
    {"min_hours", "min_hours_per_week"},
    {"max_hours", "max_hours_per_week"},
    {"min_age", "eligibility.min_age"},
    {"max_age", "eligibility.max_age"},
    {"target_groups", "eligibility.target_groups"},
};

template <size_t N>
absl::Status ProblemsToStatus(const std::vector<FieldProblem>& problems,
                              absl::string_view prefix,
                              const PathMapping (&paths)[N]) {
  if (problems.empty()) return absl::OkStatus();
  std::vector<std::string> parts;
  for (const FieldProblem& problem : problems) {
    absl::string_view path = problem.field;
    for (const PathMapping& mapping : paths) {
      if (mapping.field == problem.field) path = mapping.path;
    }
    parts.push_back(absl::StrCat(prefix, ".", path, ": '", problem.value, "' ",
                                 problem.reason));
  }
  return absl::InvalidArgumentError(absl::StrJoin(parts, "; "));
}

v1::ReasonEffect EffectOf(double component_value) {
  if (component_value >= 0.7) return v1::REASON_EFFECT_POSITIVE;
  if (component_value <= 0.3) return v1::REASON_EFFECT_NEGATIVE;
  return v1::REASON_EFFECT_NEUTRAL;
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

Date SwedishDate(absl::Time time) {
  static const absl::TimeZone* const kZone = [] {
    auto* zone = new absl::TimeZone(absl::UTCTimeZone());
    absl::LoadTimeZone("Europe/Stockholm", zone);
    return zone;
  }();
  const absl::CivilDay day = absl::ToCivilDay(time, *kZone);
  return Date{.year = static_cast<int>(day.year()),
              .month = day.month(),
              .day = day.day()};
}

absl::StatusOr<Caller> Authorize(const ServiceContext& context,
                                 const grpc::ServerContextBase& server_context,
                                 std::initializer_list<Role> allowed,
                                 absl::string_view call) {
  absl::StatusOr<Caller> caller =
      context.credentials->Authenticate(server_context);
  if (!caller.ok()) return caller.status();
  for (Role role : allowed) {
    if (caller->role == role) return caller;
  }
  return absl::PermissionDeniedError(absl::StrCat(
      "the role ", RoleSlug(caller->role), " may not call ", call));
}

absl::Status CheckCaseload(const Caller& caller,
                           absl::string_view participant_id,
                           const Participant* participant) {
  if (caller.role != Role::kCoach) return absl::OkStatus();
  if (participant == nullptr || participant->coach_id != caller.principal) {
    return absl::PermissionDeniedError(absl::StrCat(
        "participant '", participant_id, "' is not in your caseload"));
  }
  return absl::OkStatus();
}

absl::StatusOr<const Participant*> ParticipantForCaller(
    const Snapshot& snapshot, const Caller& caller, absl::string_view id) {
  std::optional<int> index = snapshot.FindParticipant(id);
  const Participant* participant =
      index ? &snapshot.participant(*index) : nullptr;
  if (absl::Status s = CheckCaseload(caller, id, participant); !s.ok()) {
    return s;
  }
  if (participant == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("participant_id: '", id, "' does not exist"));
  }
  return participant;
}

absl::Status LogAccess(ServiceContext& context, const Caller& caller,
                       absl::string_view call,
                       absl::string_view participant_id) {
  return LogAccess(context, caller, call,
                   std::vector<std::string>{std::string(participant_id)});
}

absl::Status LogAccess(ServiceContext& context, const Caller& caller,
                       absl::string_view call,
                       const std::vector<std::string>& participant_ids) {
  if (participant_ids.empty()) return absl::OkStatus();
  return context.store->AppendAccess(
      AccessRecords(context, caller, call, participant_ids));
}

std::vector<store::AccessRecord> AccessRecords(
    const ServiceContext& context, const Caller& caller, absl::string_view call,
    const std::vector<std::string>& participant_ids) {
  const absl::Time now = context.now();
  std::vector<store::AccessRecord> records;
  records.reserve(participant_ids.size());
  for (const std::string& id : participant_ids) {
    records.push_back(
        store::AccessRecord{.at = now,
                            .actor = caller.principal,
                            .role = std::string(RoleSlug(caller.role)),
                            .call = std::string(call),
                            .participant_id = id});
  }
  return records;
}

absl::Status ParticipantProblems(const std::vector<FieldProblem>& problems,
                                 absl::string_view prefix) {
  return ProblemsToStatus(problems, prefix, kParticipantPaths);
}

absl::Status OpeningProblems(const std::vector<FieldProblem>& problems,
                             absl::string_view prefix) {
  return ProblemsToStatus(problems, prefix, kOpeningPaths);
}

namespace {

void SetText(std::string sv, std::string en, v1::Language language,
             v1::LocalizedText& out) {
  if (language != v1::LANGUAGE_EN) out.set_sv(std::move(sv));
  if (language != v1::LANGUAGE_SV) out.set_en(std::move(en));
}

}  // namespace

absl::Status CheckLanguage(int language, absl::string_view field) {
  if (v1::Language_IsValid(language)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": ", language,
      " is not a Language (LANGUAGE_SV = 1, LANGUAGE_EN = 2, or unset for "
      "both)"));
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
    component->set_component(static_cast<v1::ScoreComponent>(c + 1));
    component->set_value(e.components[c]);
    component->set_weight(e.weights[c]);
    component->set_contribution(e.contributions[c]);
  }
  out.mutable_travel()->set_minutes(e.travel.minutes);
  out.mutable_travel()->set_distance_km(e.travel.distance_km);
  out.mutable_travel()->set_mode(
      static_cast<v1::TravelMode>(static_cast<int>(e.travel.mode) + 1));
  bool redacted = false;
  for (Reason& reason : e.reasons) {
    if (reason.mentions_support_needs && !include_support_needs) {
      redacted = true;
      continue;
    }
    v1::Reason* r = out.add_reasons();
    SetText(std::move(reason.sv), std::move(reason.en), language,
            *r->mutable_text());
    r->set_component(static_cast<v1::ScoreComponent>(
        static_cast<int>(reason.component) + 1));
    r->set_effect(EffectOf(e.components[static_cast<int>(reason.component)]));
  }
  for (RuleExplanation& rule : e.rules) {
    v1::Exclusion* exclusion = out.add_exclusions();
    exclusion->set_rule(
        static_cast<v1::HardRule>(static_cast<int>(rule.rule) + 1));
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

absl::StatusOr<ScoringProfile> ProfileFor(const ScoringProfile& base,
                                          const v1::ScoringProfileOverride& o,
                                          absl::string_view path) {
  std::array<std::optional<double>, kComponentCount> overrides;
  if (o.has_skills_weight()) overrides[0] = o.skills_weight();
  if (o.has_support_weight()) overrides[1] = o.support_weight();
  if (o.has_travel_weight()) overrides[2] = o.travel_weight();
  if (o.has_step_weight()) overrides[3] = o.step_weight();
  if (o.has_preference_weight()) overrides[4] = o.preference_weight();
  absl::StatusOr<ScoringProfile> profile = base.WithOverrides(overrides);
  if (!profile.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", profile.status().message()));
  }
  return profile;
}

absl::Status CheckId(absl::string_view id, absl::string_view path) {
  if (id.empty())
    return absl::InvalidArgumentError(absl::StrCat(path, ": required"));
  std::vector<std::string> problems = IdProblems(id);
  if (problems.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      path, ": '", id.substr(0, 60), "' ", absl::StrJoin(problems, "; ")));
}

absl::Status CheckUpdateMask(const google::protobuf::FieldMask& mask,
                             const google::protobuf::Descriptor& type,
                             absl::Span<const absl::string_view> output_only,
                             absl::Span<const absl::string_view> immutable,
                             absl::string_view example) {
  if (mask.paths().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("update_mask: required; name the fields to change, e.g. "
                     "\"",
                     example, "\""));
  }
  for (const std::string& path : mask.paths()) {
    const absl::string_view top =
        absl::string_view(path).substr(0, path.find('.'));
    if (std::find(output_only.begin(), output_only.end(), top) !=
        output_only.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("update_mask: \"", path, "\" is output only"));
    }
    if (std::find(immutable.begin(), immutable.end(), top) != immutable.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("update_mask: \"", path, "\" is immutable"));
    }
    if (!google::protobuf::util::FieldMaskUtil::GetFieldDescriptors(&type, path,
                                                                    nullptr)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "update_mask: \"", absl::string_view(path).substr(0, 100),
          "\" is not a field of ", type.name()));
    }
  }
  return absl::OkStatus();
}

void MergeMasked(const google::protobuf::Message& source,
                 const google::protobuf::FieldMask& mask,
                 google::protobuf::Message& destination) {
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(source, mask, options,
                                                        &destination);
}

size_t Utf8Characters(absl::string_view text) {
  return static_cast<size_t>(std::count_if(
      text.begin(), text.end(),
      [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

int PageSize(const v1::PageRequest& page) {
  if (page.page_size() == 0) return kDefaultPageSize;
  return static_cast<int>(std::min<uint32_t>(
      page.page_size(), static_cast<uint32_t>(kMaxPageSize)));
}

absl::Status ListProposalPage(
    ServiceContext& context, const Caller& caller, absl::string_view call,
    store::ProposalQuery query, const v1::PageRequest& page,
    google::protobuf::RepeatedPtrField<v1::Proposal>& out,
    std::string& next_page_token) {
  const int page_size = PageSize(page);
  query.after_proposal_id = page.page_token();
  query.limit = page_size + 1;  // one more says whether a next page exists
  absl::StatusOr<std::vector<v1::Proposal>> proposals =
      context.store->ListProposals(query);
  if (!proposals.ok()) return proposals.status();
  const bool more = static_cast<int>(proposals->size()) > page_size;
  if (more) proposals->resize(static_cast<size_t>(page_size));
  std::vector<std::string> participant_ids;
  for (const v1::Proposal& proposal : *proposals) {
    participant_ids.push_back(proposal.participant_id());
  }
  if (absl::Status s = LogAccess(context, caller, call, participant_ids);
      !s.ok())
    return s;
  for (v1::Proposal& proposal : *proposals) *out.Add() = std::move(proposal);
  if (more) next_page_token = out.Get(out.size() - 1).proposal_id();
  return absl::OkStatus();
}

}  // namespace placement::service
