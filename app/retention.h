// How long the server keeps what it stores about people's use of the
// service, and the instants that follow from it at a given time.
//
//   decided and expired proposals, with their explanations:
//       --retain_decided_proposals_days (default 90, at least 1)
//   access-log records (served and refused calls, audits):
//       --retain_access_log_months (default 24, at least 6: a deployer of a
//       high-risk AI system keeps its logs at least six months, EU AI Act
//       Art. 26(6))
//   run reports: kept; they hold counts, opening ids and group statistics,
//       never a participant id
//   placements, outcomes, holds and step history: kept for follow-up until
//       the participant is erased
//
// Periods are counted in Swedish calendar days and months back from the
// moment of the purge: at 2026-12-01 10:00 with 90 days, the cutoff is
// 2026-09-02 10:00 (Europe/Stockholm), and a record older than that goes.
//
// Thread safety: plain values and pure functions.

#ifndef PLACEMENT_APP_RETENTION_H_
#define PLACEMENT_APP_RETENTION_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "store/store.h"

namespace placement::app {

inline constexpr int kDefaultRetainDecidedProposalsDays = 90;
inline constexpr int kDefaultRetainAccessLogMonths = 24;
inline constexpr int kMinRetainAccessLogMonths = 6;
// Ten years: longer is a typo, not a policy.
inline constexpr int kMaxRetainDays = 3660;
inline constexpr int kMaxRetainMonths = 120;

struct RetentionPolicy {
  int decided_proposals_days = kDefaultRetainDecidedProposalsDays;
  int access_log_months = kDefaultRetainAccessLogMonths;
};

// INVALID_ARGUMENT naming the server flag and saying why, for a period out
// of range (proposals 1..kMaxRetainDays days; the access log
// kMinRetainAccessLogMonths..kMaxRetainMonths months).
absl::Status CheckRetentionPolicy(const RetentionPolicy& policy);

// The cutoffs of `policy` at `now` (see the file comment).
store::RetentionCutoffs RetentionCutoffsAt(const RetentionPolicy& policy,
                                           absl::Time now);

// "decided proposals 90 days, access log 24 months", for the server's
// start line.
std::string RetentionSummary(const RetentionPolicy& policy);

}  // namespace placement::app

#endif  // PLACEMENT_APP_RETENTION_H_
