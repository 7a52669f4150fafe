#include "service/coach_service.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

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
  return Respond(server_context,
                 [&] { return List(*server_context, *request, *response); });
}

grpc::ServerUnaryReactor* CoachService::DecideProposal(
    grpc::CallbackServerContext* server_context,
    const v1::DecideProposalRequest* request, v1::Proposal* response) {
  return Respond(server_context,
                 [&] { return Decide(*server_context, *request, *response); });
}

absl::Status CoachService::Suggest(
    const grpc::CallbackServerContext& server_context,
    const v1::SuggestOpeningsRequest& request,
    v1::SuggestOpeningsResponse& response, std::vector<store::AccessRecord>& to_log) {
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
  if (absl::Status s = CheckLanguage(request.language(), "language"); !s.ok())
    return s;
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
  // The answer leaves once this record is on disk (RespondWhenLogged).
  to_log = AccessRecords(context_, *caller, kCall, {participant->id});

  // Explanations always apply the free-place rule, so a full opening listed
  // on request shows as not eligible with that one exclusion.
  ScoringContext explain_context = query.context;
  explain_context.require_free_place = true;
  TopKCounts counts;
  for (const RankedMatch& match :
       TopOpenings(*snapshot, *participant, query, &counts)) {
    ToProto(ExplainPair(*participant, snapshot->opening(match.index),
                        snapshot->reference(), explain_context),
            /*include_support_needs=*/true, *response.add_suggestions(),
            request.language());
  }
  response.set_snapshot_version(snapshot->version());
  response.set_profile_name(query.context.profile.name());
  response.set_openings_considered(static_cast<uint32_t>(counts.considered));
  response.set_openings_eligible(static_cast<uint32_t>(counts.eligible));
  return absl::OkStatus();
}

absl::Status CoachService::Explain(
    const grpc::CallbackServerContext& server_context,
    const v1::ExplainMatchRequest& request, v1::Match& response,
    std::vector<store::AccessRecord>& to_log) {
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
  if (absl::Status s = CheckLanguage(request.language(), "language"); !s.ok())
    return s;
  ScoringContext scoring;
  scoring.today = SwedishDate(context_.now());
  absl::StatusOr<ScoringProfile> profile =
      ProfileFor(context_.profile, request.profile(), "profile");
  if (!profile.ok()) return profile.status();
  scoring.profile = *profile;
  // The answer leaves once this record is on disk (RespondWhenLogged).
  to_log = AccessRecords(context_, *caller, kCall, {participant->id});
  ToProto(ExplainPair(*participant, snapshot->opening(*opening),
                      snapshot->reference(), scoring),
          /*include_support_needs=*/true, response, request.language());
  return absl::OkStatus();
}

absl::Status CoachService::List(
    const grpc::CallbackServerContext& server_context,
    const v1::ListProposalsRequest& request,
    v1::ListProposalsResponse& response) {
  constexpr absl::string_view kCall = "CoachService.ListProposals";
  absl::StatusOr<Caller> caller =
      Authorize(context_, server_context, {Role::kCoach}, kCall);
  if (!caller.ok()) return caller.status();
  store::ProposalQuery query;
  query.coach_id = caller->principal;
  if (!request.participant_id().empty()) {
    std::shared_ptr<const Snapshot> snapshot = context_.snapshots->Current();
    absl::StatusOr<const Participant*> found =
        ParticipantForCaller(*snapshot, *caller, request.participant_id());
    if (!found.ok()) return found.status();
    query.participant_id = request.participant_id();
  }
  for (int i = 0; i < request.states_size(); ++i) {
    const int state = request.states(i);
    if (state < v1::PROPOSAL_STATE_PENDING ||
        state > v1::PROPOSAL_STATE_EXPIRED) {
      return absl::InvalidArgumentError(absl::StrCat(
          "states[", i, "]: ", state, " is not a published proposal state"));
    }
    query.states.push_back(static_cast<v1::ProposalState>(state));
  }
  query.run_id = request.run_id();
  return ListProposalPage(context_, *caller, kCall, std::move(query),
                          request.page(), *response.mutable_proposals(),
                          *response.mutable_next_page_token());
}

absl::Status CoachService::Decide(
    const grpc::CallbackServerContext& server_context,
    const v1::DecideProposalRequest& request, v1::Proposal& response) {
  constexpr absl::string_view kCall = "CoachService.DecideProposal";
  absl::StatusOr<Caller> caller =
      Authorize(context_, server_context, {Role::kCoach}, kCall);
  if (!caller.ok()) return caller.status();
  if (request.proposal_id().empty()) {
    return absl::InvalidArgumentError("proposal_id: required");
  }
  if (request.decision() != v1::DECISION_ACCEPT &&
      request.decision() != v1::DECISION_REJECT) {
    return absl::InvalidArgumentError(
        absl::StrCat("decision: ", static_cast<int>(request.decision()),
                     " is not ACCEPT or REJECT"));
  }
  if (request.decision() == v1::DECISION_REJECT) {
    if (request.reason().empty()) {
      return absl::InvalidArgumentError(
          "reason: required when rejecting a proposal");
    }
    const size_t characters = Utf8Characters(request.reason());
    if (characters > kMaxReasonLength) {
      return absl::InvalidArgumentError(
          absl::StrCat("reason: ", characters,
                       " characters is above the maximum ", kMaxReasonLength));
    }
  }
  // The proposal's participant must be in the caller's caseload; a proposal
  // of another caseload looks like an unknown one.
  absl::StatusOr<v1::Proposal> proposal =
      context_.store->GetProposal(request.proposal_id());
  if (!proposal.ok() && !absl::IsNotFound(proposal.status())) {
    return proposal.status();
  }
  {
    std::shared_ptr<const Snapshot> snapshot = context_.snapshots->Current();
    const std::optional<int> index =
        proposal.ok() ? snapshot->FindParticipant(proposal->participant_id())
                      : std::nullopt;
    const Participant* participant =
        index ? &snapshot->participant(*index) : nullptr;
    if (participant == nullptr || participant->coach_id != caller->principal) {
      return absl::PermissionDeniedError(
          absl::StrCat("proposal '", request.proposal_id(),
                       "' is not for a participant of your caseload"));
    }
  }
  store::DecisionOutcome outcome;
  {
    MutexLock lock(&context_.write_mutex);
    const absl::Time now = context_.now();
    absl::StatusOr<store::DecisionOutcome> decided = context_.store->DecideProposal(
        request.proposal_id(), request.decision(), caller->principal,
        request.reason(), now, SwedishDate(now));
    if (!decided.ok()) return decided.status();
    outcome = std::move(*decided);
    if (outcome.participant.has_value() || outcome.opening.has_value()) {
      context_.snapshots->Update(
          [&](const std::shared_ptr<const Snapshot>& snapshot) {
            std::shared_ptr<const Snapshot> next = snapshot;
            if (outcome.participant) {
              next = next->WithParticipant(*outcome.participant);
            }
            if (outcome.opening) next = next->WithOpening(*outcome.opening);
            return next;
          });
    }
  }
  if (absl::Status s = LogAccess(context_, *caller, kCall,
                                 outcome.proposal.participant_id());
      !s.ok())
    return s;
  response = std::move(outcome.proposal);
  return absl::OkStatus();
}

}  // namespace placement::service
