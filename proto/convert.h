// Conversion between the engine's domain types and the v1 protobuf messages.
// This is the only place that knows both; the engine never sees protobuf.
//
// ToProto never fails. FromProto maps every enum strictly: an UNSPECIFIED or
// unknown enum value is INVALID_ARGUMENT naming the field by its proto path
// and the value ("participant.travel_mode: 0 is not a travel mode"). Range
// and reference-data checks are the request validator's job, not this file's.
//
// Thread safety: stateless functions.

#ifndef PLACEMENT_PROTO_CONVERT_H_
#define PLACEMENT_PROTO_CONVERT_H_

#include "absl/status/statusor.h"
#include "engine/rematch.h"
#include "engine/runs.h"
#include "engine/scoring.h"
#include "engine/types.h"
#include "placement/v1/coach_service.pb.h"
#include "placement/v1/match.pb.h"
#include "placement/v1/opening.pb.h"
#include "placement/v1/participant.pb.h"
#include "placement/v1/rematch_service.pb.h"

namespace placement {

void ToProto(const Participant& participant, v1::Participant& out);
void ToProto(const Opening& opening, v1::Opening& out);

// `path` prefixes field names in errors ("participant", "opening",
// "request.participant", ...).
absl::StatusOr<Participant> FromProto(const v1::Participant& participant,
                                      absl::string_view path = "participant");
absl::StatusOr<Opening> FromProto(const v1::Opening& opening,
                                  absl::string_view path = "opening");

// The API form of an explanation. Reasons that mention support needs (which
// may be health data) are left out unless `include_support_needs`, and a
// hard need's exclusion is then told without naming the need; texts are in
// `language` only, or in both when it is UNSPECIFIED. The explanation's
// texts are moved, not copied: pass a temporary, or a copy.
void ToProto(Explanation explanation, bool include_support_needs,
             v1::Match& out, v1::Language language = v1::LANGUAGE_UNSPECIFIED);
// One reason of `explanation`, with its effect, texts in `language`.
void ToProto(const Explanation& explanation, const Reason& reason,
             v1::Language language, v1::Reason& out);

// A request's enum value (a repeated filter, say) as the engine's enum;
// INVALID_ARGUMENT "<field>: <value> is not an opening kind" for an
// UNSPECIFIED or unknown value. `field` is the full path ("kinds[2]").
absl::StatusOr<OpeningKind> OpeningKindFromProto(int value,
                                                 absl::string_view field);
absl::StatusOr<OpeningStatus> OpeningStatusFromProto(int value,
                                                     absl::string_view field);
absl::StatusOr<ParticipantStatus> ParticipantStatusFromProto(
    int value, absl::string_view field);

// Runs and proposals (engine/runs.h). A run's state maps one to one
// (RunState::kQueued is RUN_STATE_QUEUED); a proposal's kDryRun is
// PROPOSAL_STATE_UNSPECIFIED, the state the API gives dry-run proposals.
void ToProto(const RematchRun& run, v1::Run& out);
v1::RunState ToProto(RunState state);
absl::StatusOr<RematchRun> FromProto(const v1::Run& run,
                                     absl::string_view path = "run");
v1::ProposalState ToProto(ProposalState state);
// Every value maps, UNSPECIFIED to kDryRun; INVALID_ARGUMENT for an unknown
// one ("states[1]: 9 is not a proposal state").
absl::StatusOr<ProposalState> ProposalStateFromProto(int value,
                                                     absl::string_view field);
// INVALID_ARGUMENT "decision: 0 is not ACCEPT or REJECT" otherwise.
absl::StatusOr<Decision> DecisionFromProto(int value, absl::string_view field);
// The API form of an engine report, for the run `run_id`. Groups of fewer
// than kAuditMinGroup participants are suppressed (their numbers withheld);
// at most 100 openings without candidates are listed. The PUBLISH phase's
// timing and proposals_withdrawn are the caller's to add.
void ToProto(const RematchReport& report, absl::string_view run_id,
             bool dry_run, v1::RunReport& out);
// A stored proposal in the API's form, with the explanation it was published
// with. DATA_LOSS when its explanation record cannot be decoded.
absl::StatusOr<v1::Proposal> ProposalToProto(const PublishedProposal& proposal);

}  // namespace placement

#endif  // PLACEMENT_PROTO_CONVERT_H_
