// The job coach's use cases: good next openings for one participant of the
// caseload with every reason, the explanation of any pair, and the coach's
// decision on a proposal of the overnight run. One gRPC-free function per
// operation; CoachService (service/coach_service.h) authorises the caller,
// converts the request, calls one of these and converts the answer, and the
// load tool (benchmarks/load_tool.cc) and tests call them directly.
//
// Access log: a function whose answer shows a participant's data returns the
// access records of that answer; the caller writes them (store::Store::
// AppendAccess or AppendAccessAsync) before the answer leaves, and fails the
// call if they cannot be written. Decisions log their own record.
//
// Errors name the request field as the API spells it (`filters.kinds[0]`).
//
// Thread safety: thread-safe; reads see the snapshot current when they start.

#ifndef PLACEMENT_APP_COACH_H_
#define PLACEMENT_APP_COACH_H_

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "app/caller.h"
#include "app/context.h"
#include "engine/scoring.h"
#include "engine/types.h"
#include "engine/validation.h"
#include "placement/v1/coach_service.pb.h"

namespace placement::app {

inline constexpr int kDefaultSuggestions = 10;
inline constexpr int kMaxSuggestions = 100;
// Longest rejection reason, in characters (not bytes).
inline constexpr size_t kMaxDecisionReasonLength = 500;

struct SuggestQuery {
  std::string participant_id = {};
  int k = 0;  // 0 for kDefaultSuggestions; at most kMaxSuggestions
  std::vector<OpeningKind> kinds = {};               // empty: every kind
  std::vector<std::string> municipality_codes = {};  // empty: everywhere
  int max_travel_minutes = 0;  // 0: the participant's own limit
  // List full openings too; they are explained as not eligible.
  bool include_full_openings = false;
  WeightOverrides weights = {};
};

struct Suggestions {
  // Best first; each with every reason, support needs included (the caller
  // is the participant's coach).
  std::vector<Explanation> matches;
  uint64_t snapshot_version = 0;
  std::string profile_name;
  int openings_considered = 0;  // openings the filters let through
  int openings_eligible = 0;    // of those, the ones no hard rule excludes
  std::vector<store::AccessRecord> access;  // to write before answering
};

// Coaches only, for a participant of their own caseload. INVALID_ARGUMENT
// for k above the maximum, an unknown municipality, a travel limit above
// kMaxTravelMinutes or a bad weight; PERMISSION_DENIED outside the caseload
// (whether or not the id exists). The answer's access record carries the
// openings shown, which the store keeps as the day's suggestion marks for
// the decision funnel (app/funnel.h).
absl::StatusOr<Suggestions> SuggestOpenings(Context& context,
                                            const Caller& caller,
                                            const SuggestQuery& query);

struct Explained {
  Explanation explanation;
  std::vector<store::AccessRecord> access;  // to write before answering
};

// Why `opening_id` scores as it does for the participant, or which hard
// rules exclude it. As SuggestOpenings for who may ask; NOT_FOUND naming
// `opening_id` for an unknown opening.
absl::StatusOr<Explained> ExplainMatch(Context& context, const Caller& caller,
                                       absl::string_view participant_id,
                                       absl::string_view opening_id,
                                       const WeightOverrides& weights = {});

// One page of the proposals of the coach's caseload, in proposal-id order:
// those after `page_token` (a proposal id, empty for the first page), at most
// `page_size`, and the token of the next page (empty on the last). Writes
// one access record per proposal listed, under `call`, before returning.
struct ProposalPage {
  std::vector<v1::Proposal> proposals;
  std::string next_page_token;
};
absl::StatusOr<ProposalPage> ListProposals(
    Context& context, const Caller& caller, absl::string_view call,
    store::ProposalQuery query, int page_size, absl::string_view page_token);

// A coach accepts or rejects a proposal for a participant of their caseload.
// REJECT needs a reason of at most kMaxDecisionReasonLength characters.
// Accepting places the participant (see store::Store::DecideProposal); the
// snapshot is updated in the same order as the store. A repeated decision is
// a safe retry. Writes its access record before returning.
absl::StatusOr<v1::Proposal> DecideProposal(Context& context,
                                            const Caller& caller,
                                            absl::string_view proposal_id,
                                            Decision decision,
                                            absl::string_view reason);
void DecideProposal(Context& context, const Caller& caller,
                    absl::string_view proposal_id, Decision decision,
                    absl::string_view reason, WriteDone<v1::Proposal> done);

}  // namespace placement::app

#endif  // PLACEMENT_APP_COACH_H_
