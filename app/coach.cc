#include "app/coach.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "proto/convert.h"

namespace placement::app {
namespace {

constexpr absl::string_view kSuggestCall = "CoachService.SuggestOpenings";
constexpr absl::string_view kExplainCall = "CoachService.ExplainMatch";
constexpr absl::string_view kDecideCall = "CoachService.DecideProposal";

}  // namespace

absl::StatusOr<Suggestions> SuggestOpenings(Context& context,
                                            const Caller& caller,
                                            const SuggestQuery& request) {
  if (absl::Status s = CheckRole(caller, {Role::kCoach}, kSuggestCall); !s.ok())
    return s;
  std::shared_ptr<const Snapshot> snapshot = LiveSnapshot(context);
  absl::StatusOr<const Participant*> found =
      ParticipantForCaller(*snapshot, caller, request.participant_id);
  if (!found.ok()) return found.status();
  const Participant& participant = **found;
  if (request.k < 0 || request.k > kMaxSuggestions) {
    return absl::InvalidArgumentError(absl::StrCat(
        "k: ", request.k, " is above the maximum ", kMaxSuggestions));
  }
  TopKQuery query;
  query.k = request.k == 0 ? kDefaultSuggestions : request.k;
  query.context.today = SwedishDate(context.now());
  absl::StatusOr<ScoringProfile> profile =
      ProfileFor(context.profile, request.weights, "profile");
  if (!profile.ok()) return profile.status();
  query.context.profile = *std::move(profile);
  query.kinds = request.kinds;
  for (size_t i = 0; i < request.municipality_codes.size(); ++i) {
    const std::string& code = request.municipality_codes[i];
    if (!context.reference->municipalities.Find(code)) {
      return absl::InvalidArgumentError(
          absl::StrCat("filters.municipality_codes[", i, "]: '", code,
                       "' is not a municipality code"));
    }
    query.municipalities.push_back(code);
  }
  if (request.max_travel_minutes < 0 ||
      request.max_travel_minutes > kMaxTravelMinutes) {
    return absl::InvalidArgumentError(
        absl::StrCat("filters.max_travel_minutes: ", request.max_travel_minutes,
                     " is above the maximum ", kMaxTravelMinutes));
  }
  query.context.max_travel_minutes = request.max_travel_minutes;
  query.context.require_free_place = !request.include_full_openings;

  // Explanations always apply the free-place rule, so a full opening listed
  // on request shows as not eligible with that one exclusion.
  ScoringContext explain_context = query.context;
  explain_context.require_free_place = true;
  Suggestions result;
  TopKCounts counts;
  const std::vector<RankedMatch> ranked =
      TopOpenings(*snapshot, participant, query, &counts);
  result.matches.reserve(ranked.size());
  for (const RankedMatch& match : ranked) {
    result.matches.push_back(
        ExplainPair(participant, snapshot->opening(match.index),
                    snapshot->reference(), explain_context));
  }
  result.snapshot_version = snapshot->version();
  result.profile_name = query.context.profile.name();
  result.openings_considered = counts.considered;
  result.openings_eligible = counts.eligible;
  result.access =
      AccessRecords(context, caller, kSuggestCall, {participant.id});
  // The openings shown, for the decision funnel: marked in the access
  // record's own commit (store::AccessRecord), so they cost no fsync.
  store::AccessRecord& record = result.access.front();
  record.suggested_on = query.context.today;
  record.suggested_opening_ids.reserve(result.matches.size());
  for (const Explanation& match : result.matches) {
    record.suggested_opening_ids.push_back(match.opening_id);
  }
  return result;
}

absl::StatusOr<Explained> ExplainMatch(Context& context, const Caller& caller,
                                       absl::string_view participant_id,
                                       absl::string_view opening_id,
                                       const WeightOverrides& weights) {
  if (absl::Status s = CheckRole(caller, {Role::kCoach}, kExplainCall); !s.ok())
    return s;
  std::shared_ptr<const Snapshot> snapshot = LiveSnapshot(context);
  absl::StatusOr<const Participant*> found =
      ParticipantForCaller(*snapshot, caller, participant_id);
  if (!found.ok()) return found.status();
  const Participant& participant = **found;
  std::optional<int> opening = snapshot->FindOpening(opening_id);
  if (!opening) {
    return absl::NotFoundError(
        absl::StrCat("opening_id: '", opening_id, "' does not exist"));
  }
  ScoringContext scoring;
  scoring.today = SwedishDate(context.now());
  absl::StatusOr<ScoringProfile> profile =
      ProfileFor(context.profile, weights, "profile");
  if (!profile.ok()) return profile.status();
  scoring.profile = *std::move(profile);
  return Explained{
      .explanation = ExplainPair(participant, snapshot->opening(*opening),
                                 snapshot->reference(), scoring),
      .access = AccessRecords(context, caller, kExplainCall, {participant.id}),
  };
}

absl::StatusOr<ProposalPage> ListProposals(
    Context& context, const Caller& caller, absl::string_view call,
    store::ProposalQuery query, int page_size, absl::string_view page_token) {
  query.after_proposal_id = std::string(page_token);
  query.limit = page_size + 1;  // one more says whether a next page exists
  absl::StatusOr<std::vector<PublishedProposal>> proposals =
      context.store->ListProposals(query);
  if (!proposals.ok()) return proposals.status();
  ProposalPage page;
  const bool more = static_cast<int>(proposals->size()) > page_size;
  if (more) proposals->resize(static_cast<size_t>(page_size));
  std::vector<std::string> participant_ids;
  participant_ids.reserve(proposals->size());
  page.proposals.reserve(proposals->size());
  for (const PublishedProposal& proposal : *proposals) {
    participant_ids.push_back(proposal.participant_id);
    absl::StatusOr<v1::Proposal> listed = ProposalToProto(proposal);
    if (!listed.ok()) return listed.status();
    page.proposals.push_back(*std::move(listed));
  }
  if (!participant_ids.empty()) {
    if (absl::Status s = context.store->AppendAccess(
            AccessRecords(context, caller, call, participant_ids));
        !s.ok()) {
      return s;
    }
  }
  if (more) page.next_page_token = page.proposals.back().proposal_id();
  return page;
}

void DecideProposal(Context& context, const Caller& caller,
                    absl::string_view proposal_id, Decision decision,
                    absl::string_view reason, WriteDone<v1::Proposal> done) {
  if (absl::Status s = CheckRole(caller, {Role::kCoach}, kDecideCall); !s.ok())
    return std::move(done)(s);
  if (proposal_id.empty()) {
    return std::move(done)(absl::InvalidArgumentError("proposal_id: required"));
  }
  if (decision == Decision::kReject) {
    if (reason.empty()) {
      return std::move(done)(absl::InvalidArgumentError(
          "reason: required when rejecting a proposal"));
    }
    const size_t characters = Utf8Characters(reason);
    if (characters > kMaxDecisionReasonLength) {
      return std::move(done)(absl::InvalidArgumentError(absl::StrCat(
          "reason: ", characters, " characters is above the maximum ",
          kMaxDecisionReasonLength)));
    }
  }
  // The proposal's participant must be in the caller's caseload; a proposal
  // of another caseload looks like an unknown one.
  absl::StatusOr<PublishedProposal> proposal =
      context.store->GetProposal(proposal_id);
  if (!proposal.ok() && !absl::IsNotFound(proposal.status())) {
    return std::move(done)(proposal.status());
  }
  {
    std::shared_ptr<const Snapshot> snapshot = context.snapshots->Current();
    const std::optional<int> index =
        proposal.ok() ? snapshot->FindParticipant(proposal->participant_id)
                      : std::nullopt;
    const Participant* participant =
        index ? &snapshot->participant(*index) : nullptr;
    if (participant == nullptr || participant->coach_id != caller.principal) {
      return std::move(done)(absl::PermissionDeniedError(
          absl::StrCat("proposal '", proposal_id,
                       "' is not for a participant of your caseload")));
    }
  }
  if (decision == Decision::kAccept) LiveSnapshot(context);  // holds expired
  SubmitWrite<v1::Proposal>(
      context,
      [&context, caller, id = std::string(proposal_id), decision,
       reason = std::string(reason)](
          WorkingSnapshot& working) -> absl::StatusOr<v1::Proposal> {
        const absl::Time now = context.now();
        absl::StatusOr<store::DecisionOutcome> outcome =
            context.store->DecideProposal(id, decision, caller.principal,
                                          reason, now, SwedishDate(now));
        if (!outcome.ok()) return outcome.status();
        if (absl::Status s = context.store->AppendAccess(
                AccessRecords(context, caller, kDecideCall,
                              {outcome->proposal.participant_id}));
            !s.ok()) {
          return s;
        }
        if (outcome->participant.has_value() || outcome->opening.has_value()) {
          working.Update([&](const std::shared_ptr<const Snapshot>& snapshot) {
            std::shared_ptr<const Snapshot> next = snapshot;
            if (outcome->participant) {
              next = next->WithParticipant(*outcome->participant);
            }
            if (outcome->opening) next = next->WithOpening(*outcome->opening);
            for (const Opening& released : outcome->released_openings) {
              next = next->WithOpening(released);
            }
            return next;
          });
        }
        return ProposalToProto(outcome->proposal);
      },
      std::move(done));
}

absl::StatusOr<v1::Proposal> DecideProposal(Context& context,
                                            const Caller& caller,
                                            absl::string_view proposal_id,
                                            Decision decision,
                                            absl::string_view reason) {
  return Await<v1::Proposal>([&](WriteDone<v1::Proposal> done) {
    DecideProposal(context, caller, proposal_id, decision, reason,
                   std::move(done));
  });
}

}  // namespace placement::app
