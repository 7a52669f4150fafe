// Rematch runs and the proposals they publish, as records: what the store
// keeps of them and the use cases read back. The rematch itself is in
// rematch.h; this file holds what outlives one run.
//
// A run's life cycle:
//   QUEUED -> RUNNING -> SUCCEEDED | FAILED | CANCELLED
// Only a SUCCEEDED run has a report and (unless it was a dry run) published
// proposals.
//
// A proposal's life cycle, decided by its participant's coach:
//
//             accept     reject
//   PENDING   ACCEPTED   REJECTED
//   ACCEPTED  = ACCEPTED refused: already accepted
//   REJECTED  refused    = REJECTED
//   EXPIRED   refused    refused
//   DRY_RUN   refused    refused (never published)
//
// "=": repeating a decision already taken is a safe retry that changes
// nothing. A pending proposal also EXPIRES when the next run publishes, when
// its opening closes, or when its participant accepts another proposal.
//
// Thread safety: plain values and pure functions.

#ifndef PLACEMENT_ENGINE_RUNS_H_
#define PLACEMENT_ENGINE_RUNS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace placement {

enum class RunState : uint8_t {
  kQueued,
  kRunning,
  kSucceeded,
  kFailed,
  kCancelled
};
// "QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED".
absl::string_view RunStateName(RunState state);
// SUCCEEDED, FAILED and CANCELLED: the run will not change again.
bool IsTerminal(RunState state);

// What an operator asks of a run. A stored run has the defaults filled in
// (app/rematch.h says which).
struct RunParameters {
  uint32_t candidates_per_participant = 0;  // K of the rematch; 0: default
  uint64_t seed = 0;  // the tie-breaking permutation (engine/rematch.h)
  std::optional<double> continuity_bonus = {};  // unset: the default
  bool dry_run = false;  // compute and report; publish no proposal
};

struct RematchRun {
  std::string id;  // "R" + 6 digits, given by the store
  RunState state = RunState::kQueued;
  absl::Time created_at = absl::UnixEpoch();
  std::optional<absl::Time> started_at;   // when it left QUEUED
  std::optional<absl::Time> finished_at;  // when it reached a terminal state
  RunParameters parameters;
  std::string requested_by;  // principal id
  uint64_t snapshot_version = 0;
  std::string error_message;  // for FAILED, one line
};

enum class ProposalState : uint8_t {
  kDryRun,  // stored by a dry run; never published, never decided
  kPending,
  kAccepted,
  kRejected,
  kExpired
};
// "DRY_RUN", "PENDING", "ACCEPTED", "REJECTED", "EXPIRED".
absl::string_view ProposalStateName(ProposalState state);

enum class Decision : uint8_t { kAccept, kReject };

// The state after `decision` on a proposal in `from` (the table above), or
// FAILED_PRECONDITION naming the proposal and why, e.g.
//   "proposal R000003-0000012 is EXPIRED; only a PENDING proposal can be
//    decided"
//   "proposal R000003-0000012 was already rejected"
absl::StatusOr<ProposalState> NextProposalState(ProposalState from,
                                                Decision decision,
                                                absl::string_view proposal_id);

// A published (or dry-run) proposal as stored.
struct PublishedProposal {
  std::string id;  // "<run id>-" + 7 digits
  std::string run_id;
  std::string participant_id;
  std::string opening_id;
  ProposalState state = ProposalState::kPending;
  std::string decided_by;  // coach id; empty while pending and for expired
  // Accepted, rejected or expired; unset while pending (and for expiries
  // recorded before their time was kept).
  std::optional<absl::Time> decided_at;
  std::string rejection_reason;               // the coach's words, for REJECTED
  absl::Time created_at = absl::UnixEpoch();  // when the run published it
  // The previous published run proposed the same pair, still pending.
  bool continued_from_previous_run = false;
  // The pair's explanation as it was published, for the people who read it:
  // a serialised placement.v1.Match (proto/convert.h makes and reads it).
  // Neither the engine nor the store reads inside it.
  std::string explanation_record;
};

}  // namespace placement

#endif  // PLACEMENT_ENGINE_RUNS_H_
