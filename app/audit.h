// The access log as the auditor reads it, the records of refused calls,
// and the retention purge.
//
// Who may read the log: the auditor role only. Admins import, export and
// erase; their own reads are among what the auditor reviews (separation of
// duties). An auditor sees nothing of a participant but the ids in the log.
// Every read of the log leaves a record of its own, naming the participant
// or the principal asked about, written before the answer leaves (as every
// read of personal data), so it shows in the next read, not in its own.
//
// Thread safety: thread-safe, as the Context.

#ifndef PLACEMENT_APP_AUDIT_H_
#define PLACEMENT_APP_AUDIT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "app/caller.h"
#include "app/context.h"
#include "engine/types.h"
#include "store/store.h"

namespace placement::app {

inline constexpr char kListAccessLogCall[] = "AuditService.ListAccessLog";

struct AccessLogRequest {
  // Exactly one of the two.
  std::string participant_id = {};
  std::string principal = {};
  // Swedish calendar days, both included; unset: no bound.
  std::optional<Date> from = {};
  std::optional<Date> to = {};
  int page_size = 50;
  std::string page_token = {};  // next_page_token of the previous page
};

struct AccessLogPage {
  std::vector<store::AccessRecord> records;  // newest first
  std::string next_page_token;               // empty on the last page
  // The auditor's own read, for the caller to write before answering.
  std::vector<store::AccessRecord> access;
};

// One page of the log. PERMISSION_DENIED unless the caller is an auditor;
// INVALID_ARGUMENT naming the field for neither or both of participant_id
// and principal, a malformed id, `to_date` before `from_date`, a page size
// below 1 or a page token this call did not give.
absl::StatusOr<AccessLogPage> ListAccessLog(Context& context,
                                            const Caller& caller,
                                            const AccessLogRequest& request);

// The record of a call refused with PERMISSION_DENIED: the caller, `call`,
// the participant id the request named (empty when it named none), stamped
// context.now(). Written whether or not the participant exists, under the
// id as asked, so the log says no more than the refusal did.
store::AccessRecord DenialRecord(const Context& context, const Caller& caller,
                                 absl::string_view call,
                                 absl::string_view participant_id);

// Deletes what context.retention no longer keeps at context.now()
// (store::Store::PurgeExpired with RetentionCutoffsAt). The server runs it
// at start and daily.
absl::StatusOr<store::PurgeCounts> PurgeExpiredRecords(Context& context);

}  // namespace placement::app

#endif  // PLACEMENT_APP_AUDIT_H_
