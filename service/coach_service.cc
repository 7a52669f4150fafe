#include "service/coach_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "proto/convert.h"

namespace placement::service {

absl::StatusOr<app::SuggestQuery> SuggestQueryOf(
    const v1::SuggestOpeningsRequest& request) {
  if (absl::Status s = CheckLanguage(request.language(), "language"); !s.ok())
    return s;
  app::SuggestQuery query;
  query.participant_id = request.participant_id();
  query.k = request.k() > static_cast<uint32_t>(app::kMaxSuggestions)
                ? app::kMaxSuggestions + 1  // refused, with its own message
                : static_cast<int>(request.k());
  const v1::MatchFilters& filters = request.filters();
  for (int i = 0; i < filters.kinds_size(); ++i) {
    absl::StatusOr<OpeningKind> kind = OpeningKindFromProto(
        filters.kinds(i), absl::StrCat("filters.kinds[", i, "]"));
    if (!kind.ok()) return kind.status();
    query.kinds.push_back(*kind);
  }
  query.municipality_codes.assign(filters.municipality_codes().begin(),
                                  filters.municipality_codes().end());
  query.max_travel_minutes =
      filters.max_travel_minutes() > static_cast<uint32_t>(kMaxTravelMinutes)
          ? kMaxTravelMinutes + 1  // refused, with its own message
          : static_cast<int>(filters.max_travel_minutes());
  query.include_full_openings = filters.include_full_openings();
  query.weights = WeightOverridesOf(request.profile());
  return query;
}

void ToProto(app::Suggestions suggestions, v1::Language language,
             v1::SuggestOpeningsResponse& out) {
  for (Explanation& match : suggestions.matches) {
    ToProto(std::move(match), /*include_support_needs=*/true,
            *out.add_suggestions(), language);
  }
  out.set_snapshot_version(suggestions.snapshot_version);
  out.set_profile_name(std::move(suggestions.profile_name));
  out.set_openings_considered(
      static_cast<uint32_t>(suggestions.openings_considered));
  out.set_openings_eligible(
      static_cast<uint32_t>(suggestions.openings_eligible));
}

grpc::ServerUnaryReactor* CoachService::SuggestOpenings(
    grpc::CallbackServerContext* server_context,
    const v1::SuggestOpeningsRequest* request,
    v1::SuggestOpeningsResponse* response) {
  return RespondWhenLogged(
      context_, server_context, [&](std::vector<store::AccessRecord>& to_log) {
        return Suggest(*server_context, *request, *response, to_log);
      });
}

grpc::ServerUnaryReactor* CoachService::ExplainMatch(
    grpc::CallbackServerContext* server_context,
    const v1::ExplainMatchRequest* request, v1::Match* response) {
  return RespondWhenLogged(
      context_, server_context, [&](std::vector<store::AccessRecord>& to_log) {
        return Explain(*server_context, *request, *response, to_log);
      });
}

grpc::ServerUnaryReactor* CoachService::ListProposals(
    grpc::CallbackServerContext* server_context,
    const v1::ListProposalsRequest* request,
    v1::ListProposalsResponse* response) {
  return Respond(server_context, [&]() -> absl::Status {
    constexpr absl::string_view kCall = "CoachService.ListProposals";
    absl::StatusOr<Caller> caller =
        Authorize(context_, *server_context, {Role::kCoach}, kCall);
    if (!caller.ok()) return caller.status();
    store::ProposalQuery query;
    query.coach_id = caller->principal;
    if (!request->participant_id().empty()) {
      absl::StatusOr<const Participant*> found = app::ParticipantForCaller(
          *context_.snapshots->Current(), *caller, request->participant_id());
      if (!found.ok()) return found.status();
      query.participant_id = request->participant_id();
    }
    for (int i = 0; i < request->states_size(); ++i) {
      const int state = request->states(i);
      if (state < v1::PROPOSAL_STATE_PENDING ||
          state > v1::PROPOSAL_STATE_EXPIRED) {
        return absl::InvalidArgumentError(absl::StrCat(
            "states[", i, "]: ", state, " is not a published proposal state"));
      }
      absl::StatusOr<ProposalState> converted =
          ProposalStateFromProto(state, absl::StrCat("states[", i, "]"));
      if (!converted.ok()) return converted.status();
      query.states.push_back(*converted);
    }
    query.run_id = request->run_id();
    return ListProposalPage(context_, *caller, kCall, std::move(query),
                            request->page(), *response->mutable_proposals(),
                            *response->mutable_next_page_token());
  });
}

grpc::ServerUnaryReactor* CoachService::DecideProposal(
    grpc::CallbackServerContext* server_context,
    const v1::DecideProposalRequest* request, v1::Proposal* response) {
  return RespondWhenCommitted(server_context, [&](Finish finish) {
    absl::StatusOr<Caller> caller =
        Authorize(context_, *server_context, {Role::kCoach},
                  "CoachService.DecideProposal");
    if (!caller.ok()) return std::move(finish)(caller.status());
    absl::StatusOr<Decision> decision =
        DecisionFromProto(request->decision(), "decision");
    if (!decision.ok()) return std::move(finish)(decision.status());
    app::DecideProposal(context_, *caller, request->proposal_id(), *decision,
                        request->reason(),
                        [response, finish = std::move(finish)](
                            absl::StatusOr<v1::Proposal> decided) mutable {
                          if (decided.ok()) *response = *std::move(decided);
                          std::move(finish)(decided.status());
                        });
  });
}

absl::Status CoachService::Suggest(
    const grpc::CallbackServerContext& server_context,
    const v1::SuggestOpeningsRequest& request,
    v1::SuggestOpeningsResponse& response,
    std::vector<store::AccessRecord>& to_log) {
  absl::StatusOr<Caller> caller = Authorize(
      context_, server_context, {Role::kCoach}, "CoachService.SuggestOpenings");
  if (!caller.ok()) return caller.status();
  absl::StatusOr<app::SuggestQuery> query = SuggestQueryOf(request);
  if (!query.ok()) return query.status();
  absl::StatusOr<app::Suggestions> suggestions =
      app::SuggestOpenings(context_, *caller, *query);
  if (!suggestions.ok()) return suggestions.status();
  // The answer leaves once these records are on disk (RespondWhenLogged).
  to_log = std::move(suggestions->access);
  ToProto(*std::move(suggestions), request.language(), response);
  return absl::OkStatus();
}

absl::Status CoachService::Explain(
    const grpc::CallbackServerContext& server_context,
    const v1::ExplainMatchRequest& request, v1::Match& response,
    std::vector<store::AccessRecord>& to_log) {
  absl::StatusOr<Caller> caller = Authorize(
      context_, server_context, {Role::kCoach}, "CoachService.ExplainMatch");
  if (!caller.ok()) return caller.status();
  if (absl::Status s = CheckLanguage(request.language(), "language"); !s.ok())
    return s;
  absl::StatusOr<app::Explained> explained = app::ExplainMatch(
      context_, *caller, request.participant_id(), request.opening_id(),
      WeightOverridesOf(request.profile()));
  if (!explained.ok()) return explained.status();
  // The answer leaves once this record is on disk (RespondWhenLogged).
  to_log = std::move(explained->access);
  ToProto(std::move(explained->explanation), /*include_support_needs=*/true,
          response, request.language());
  return absl::OkStatus();
}

}  // namespace placement::service
