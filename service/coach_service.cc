#include "service/coach_service.h"

#include "absl/strings/str_cat.h"

namespace placement::service {
namespace {

// The request's filters as a query; INVALID_ARGUMENT names the bad field.
absl::Status ApplyFilters(const v1::MatchFilters& filters,
                          const ReferenceData& reference, TopKQuery& query) {
  for (int i = 0; i < filters.kinds_size(); ++i) {
    const int kind = filters.kinds(i);
    if (kind < 1 || kind > kOpeningKindCount) {
      return absl::InvalidArgumentError(absl::StrCat(
          "filters.kinds[", i, "]: ", kind, " is not an opening kind"));
    }
    query.kinds.push_back(static_cast<OpeningKind>(kind - 1));
  }
  for (int i = 0; i < filters.municipality_codes_size(); ++i) {
    const std::string& code = filters.municipality_codes(i);
    if (!reference.municipalities.Find(code)) {
      return absl::InvalidArgumentError(
          absl::StrCat("filters.municipality_codes[", i, "]: '", code,
                       "' is not a municipality code"));
    }
    query.municipalities.push_back(code);
  }
  if (filters.max_travel_minutes() > static_cast<uint32_t>(kMaxTravelMinutes)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "filters.max_travel_minutes: ", filters.max_travel_minutes(),
        " is above the maximum ", kMaxTravelMinutes));
  }
  query.context.max_travel_minutes =
      static_cast<int>(filters.max_travel_minutes());
  query.context.require_free_place = !filters.include_full_openings();
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* CoachService::SuggestOpenings(
    grpc::CallbackServerContext* server_context,
    const v1::SuggestOpeningsRequest* request,
    v1::SuggestOpeningsResponse* response) {
  return Respond(server_context,
                 [&] { return Suggest(*server_context, *request, *response); });
}

grpc::ServerUnaryReactor* CoachService::ExplainMatch(
    grpc::CallbackServerContext* server_context,
    const v1::ExplainMatchRequest* request, v1::Match* response) {
  return Respond(server_context,
                 [&] { return Explain(*server_context, *request, *response); });
}

absl::Status CoachService::Suggest(
    const grpc::CallbackServerContext& server_context,
    const v1::SuggestOpeningsRequest& request,
    v1::SuggestOpeningsResponse& response) {
  constexpr absl::string_view kCall = "CoachService.SuggestOpenings";
  absl::StatusOr<Caller> caller =
      Authorize(context_, server_context, {Role::kCoach}, kCall);
  if (!caller.ok()) return caller.status();
  std::shared_ptr<const Snapshot> snapshot = context_.snapshots->Current();
  absl::StatusOr<const Participant*> found =
      ParticipantForCaller(*snapshot, *caller, request.participant_id());
  if (!found.ok()) return found.status();
  const Participant* participant = *found;
  if (request.k() > kMaxK) {
    return absl::InvalidArgumentError(
        absl::StrCat("k: ", request.k(), " is above the maximum ", kMaxK));
  }
  TopKQuery query;
  query.k = static_cast<int>(request.k() == 0 ? kDefaultK : request.k());
  query.context.today = SwedishDate(context_.now());
  absl::StatusOr<ScoringProfile> profile =
      ProfileFor(context_.profile, request.profile(), "profile");
  if (!profile.ok()) return profile.status();
  query.context.profile = *profile;
  if (absl::Status s =
          ApplyFilters(request.filters(), *context_.reference, query);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = LogAccess(context_, *caller, kCall, participant->id);
      !s.ok())
    return s;

  // Explanations always apply the free-place rule, so a full opening listed
  // on request shows as not eligible with that one exclusion.
  ScoringContext explain_context = query.context;
  explain_context.require_free_place = true;
  for (const RankedMatch& match : TopOpenings(*snapshot, *participant, query)) {
    const Explanation explanation =
        ExplainPair(*participant, snapshot->opening(match.index),
                    snapshot->reference(), explain_context);
    ToProto(explanation, /*include_support_needs=*/true,
            *response.add_suggestions());
  }
  response.set_snapshot_version(snapshot->version());
  response.set_profile_name(query.context.profile.name());
  response.set_openings_considered(
      static_cast<uint32_t>(snapshot->opening_count()));
  return absl::OkStatus();
}

absl::Status CoachService::Explain(
    const grpc::CallbackServerContext& server_context,
    const v1::ExplainMatchRequest& request, v1::Match& response) {
  constexpr absl::string_view kCall = "CoachService.ExplainMatch";
  absl::StatusOr<Caller> caller =
      Authorize(context_, server_context, {Role::kCoach}, kCall);
  if (!caller.ok()) return caller.status();
  std::shared_ptr<const Snapshot> snapshot = context_.snapshots->Current();
  absl::StatusOr<const Participant*> found =
      ParticipantForCaller(*snapshot, *caller, request.participant_id());
  if (!found.ok()) return found.status();
  const Participant* participant = *found;
  std::optional<int> opening = snapshot->FindOpening(request.opening_id());
  if (!opening) {
    return absl::NotFoundError(absl::StrCat(
        "opening_id: '", request.opening_id(), "' does not exist"));
  }
  ScoringContext scoring;
  scoring.today = SwedishDate(context_.now());
  absl::StatusOr<ScoringProfile> profile =
      ProfileFor(context_.profile, request.profile(), "profile");
  if (!profile.ok()) return profile.status();
  scoring.profile = *profile;
  if (absl::Status s = LogAccess(context_, *caller, kCall, participant->id);
      !s.ok())
    return s;
  ToProto(ExplainPair(*participant, snapshot->opening(*opening),
                      snapshot->reference(), scoring),
          /*include_support_needs=*/true, response);
  return absl::OkStatus();
}

}  // namespace placement::service
