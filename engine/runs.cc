#include "engine/runs.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace placement {

absl::string_view RunStateName(RunState state) {
  switch (state) {
    case RunState::kQueued:
      return "QUEUED";
    case RunState::kRunning:
      return "RUNNING";
    case RunState::kSucceeded:
      return "SUCCEEDED";
    case RunState::kFailed:
      return "FAILED";
    case RunState::kCancelled:
      return "CANCELLED";
  }
  return "UNKNOWN";
}

bool IsTerminal(RunState state) {
  return state == RunState::kSucceeded || state == RunState::kFailed ||
         state == RunState::kCancelled;
}

absl::string_view ProposalStateName(ProposalState state) {
  switch (state) {
    case ProposalState::kDryRun:
      return "DRY_RUN";
    case ProposalState::kPending:
      return "PENDING";
    case ProposalState::kAccepted:
      return "ACCEPTED";
    case ProposalState::kRejected:
      return "REJECTED";
    case ProposalState::kExpired:
      return "EXPIRED";
  }
  return "UNKNOWN";
}

absl::StatusOr<ProposalState> NextProposalState(ProposalState from,
                                                Decision decision,
                                                absl::string_view proposal_id) {
  const ProposalState decided = decision == Decision::kAccept
                                    ? ProposalState::kAccepted
                                    : ProposalState::kRejected;
  switch (from) {
    case ProposalState::kPending:
      return decided;
    case ProposalState::kAccepted:
    case ProposalState::kRejected:
      if (from == decided) return from;  // the same decision again
      return absl::FailedPreconditionError(absl::StrCat(
          "proposal ", proposal_id, " was already ",
          from == ProposalState::kAccepted ? "accepted" : "rejected"));
    case ProposalState::kExpired:
      return absl::FailedPreconditionError(
          absl::StrCat("proposal ", proposal_id, " has expired"));
    case ProposalState::kDryRun:
      break;
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "proposal ", proposal_id, " is from a dry run and cannot be decided"));
}

}  // namespace placement
