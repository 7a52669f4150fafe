// The employer-contact staff's use cases: publish an opening (as a draft or
// open), change it, take it through its life cycle (pause, reopen, close;
// engine/opening_lifecycle.h decides every transition), look openings up
// and list them, rank candidates for an opening, and report supply gaps per
// municipality. One gRPC-free function per operation; EmployerService
// (service/employer_service.h) authorises the caller, converts the request,
// calls one of these and converts the answer, and tests call them directly.
//
// Who may call: employer-contact staff and admins write openings and see
// candidates (kOpeningWriterRoles); coaches and operators may also read
// openings and supply gaps (kOpeningReaderRoles). Any other caller gets
// PERMISSION_DENIED naming the role and the call.
//
// Health data: nothing these functions return carries a participant's
// support needs, health-related reasons, follow-up attributes or vetoes.
// A candidate's reasons are ReasonsForEmployer's (engine/scoring.h): none of
// the SUPPORT component and none that mentions support needs; supply gaps
// are suppressed aggregates (engine/supply_gaps.h).
//
// Writes go to the store first and then to the snapshot, through the
// context's group commit (SubmitWrite, app/write_queue.h), so each is visible
// to every query that starts after it returns; each has an asynchronous form
// that answers through `done` once committed, and a blocking one. Access log:
// CandidatesForOpening returns one access record per candidate; the caller
// writes them (store::Store::AppendAccess or AppendAccessAsync) before the
// answer leaves. Openings hold no personal data and are not logged; closing
// prints an audit line on stdout.
//
// Errors name the request field as the API spells it (`opening_id`,
// `opening.capacity`, `filters.municipality_codes[0]`).
//
// Thread safety: thread-safe; reads see the snapshot current when they start.

#ifndef PLACEMENT_APP_EMPLOYER_H_
#define PLACEMENT_APP_EMPLOYER_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "app/caller.h"
#include "app/context.h"
#include "engine/scoring.h"
#include "engine/supply_gaps.h"
#include "engine/types.h"

namespace placement::app {

// Who may publish, change and close openings and see candidates; who may
// read openings and supply gaps.
inline constexpr std::initializer_list<Role> kOpeningWriterRoles = {
    Role::kEmployerContact, Role::kAdmin};
inline constexpr std::initializer_list<Role> kOpeningReaderRoles = {
    Role::kEmployerContact, Role::kCoach, Role::kOperator, Role::kAdmin};

inline constexpr int kDefaultCandidates = 10;
inline constexpr int kMaxCandidates = 100;
// Reasons shown per candidate, most influential first.
inline constexpr size_t kMaxCandidateReasons = 10;
// Municipality codes one filter may list.
inline constexpr int kMaxMunicipalityCodes = 300;
// Longest reason for closing an opening, in characters (not bytes).
inline constexpr size_t kMaxCloseReasonLength = 500;

// An opening as a caller writes it.
struct NewOpening {
  // Empty id: the store assigns the next free "O" + 6 digits. status and
  // places_taken are the server's and are ignored.
  Opening opening;
  // Publish as DRAFT (kept out of matching until reopened) rather than OPEN.
  bool as_draft = false;
  // False: the caller gave no coordinates, and the main town of the
  // opening's municipality stands in for `opening.location`.
  bool located = true;
};

// Stores a new opening and returns it as stored (with its id). Employer
// contacts and admins. INVALID_ARGUMENT naming the field (`opening.capacity`,
// `opening.title` is required, ...) for an opening the validator refuses or
// whose end_date has passed; ALREADY_EXISTS for an id in use.
absl::StatusOr<Opening> PublishOpening(Context& context, const Caller& caller,
                                       NewOpening request);
void PublishOpening(Context& context, const Caller& caller, NewOpening request,
                    WriteDone<Opening> done);

// An update as the caller means it, applied to the opening as stored.
struct OpeningChange {
  Opening opening;  // the opening after the change
  // As NewOpening::located; false only where the change names the location
  // and gives no coordinates.
  bool located = true;
  // The top-level fields the change names ("capacity", "title",
  // "end_date"): a title named must not be empty, an end date named must not
  // have passed.
  std::vector<std::string> fields;
};
// Makes the change from the stored opening; an error it returns is the
// update's. Called once, in the write's step under the context's write lock:
// it must not call back into these use cases.
using OpeningEditor =
    absl::AnyInvocable<absl::StatusOr<OpeningChange>(const Opening& stored)>;

// Changes the opening `opening_id` as `edit` says, atomically: no other
// write to the store comes between reading the stored opening and writing
// the change. Its id, status and places_taken stay the stored ones whatever
// `edit` returns. Writes nothing when nothing changed. Employer contacts and
// admins. INVALID_ARGUMENT as PublishOpening; NOT_FOUND naming `opening.id`;
// FAILED_PRECONDITION for a CLOSED opening (closing is final) or a capacity
// below places_taken.
absl::StatusOr<Opening> UpdateOpening(Context& context, const Caller& caller,
                                      absl::string_view opening_id,
                                      OpeningEditor edit);
void UpdateOpening(Context& context, const Caller& caller,
                   absl::string_view opening_id, OpeningEditor edit,
                   WriteDone<Opening> done);

// The life-cycle actions, by NextOpeningStatus (engine/opening_lifecycle.h):
// an action that leaves the status as it is succeeds and writes nothing (a
// safe retry); a refused one is FAILED_PRECONDITION naming `opening_id` and
// both statuses ("opening_id: 'O000012' is DRAFT; only an OPEN opening can be
// paused", "... is CLOSED; closing is final"). NOT_FOUND naming `opening_id`
// for an unknown id. Employer contacts and admins. Each returns the opening
// as it is afterwards.
absl::StatusOr<Opening> PauseOpening(Context& context, const Caller& caller,
                                     absl::string_view opening_id);
void PauseOpening(Context& context, const Caller& caller,
                  absl::string_view opening_id, WriteDone<Opening> done);
// Reopens a paused opening or publishes a draft. Also FAILED_PRECONDITION
// when its end_date has passed, or when a draft is incomplete (a CSV import
// may leave the title empty).
absl::StatusOr<Opening> ReopenOpening(Context& context, const Caller& caller,
                                      absl::string_view opening_id);
void ReopenOpening(Context& context, const Caller& caller,
                   absl::string_view opening_id, WriteDone<Opening> done);
// Closes for good and expires the opening's pending proposals in the same
// store transaction (store::Store::CloseOpening). `reason` must be at most
// kMaxCloseReasonLength characters, else INVALID_ARGUMENT naming `reason`.
// The close is logged (event opening.closed) with the opening, the caller's
// role and the number of proposals expired; the reason's text and the
// caller's principal are not (the log holds no free text, no principal).
absl::StatusOr<Opening> CloseOpening(Context& context, const Caller& caller,
                                     absl::string_view opening_id,
                                     absl::string_view reason);
void CloseOpening(Context& context, const Caller& caller,
                  absl::string_view opening_id, absl::string_view reason,
                  WriteDone<Opening> done);

// The opening `opening_id`. Readers. NOT_FOUND naming `opening_id`.
absl::StatusOr<Opening> GetOpening(Context& context, const Caller& caller,
                                   absl::string_view opening_id);

// What ListOpenings lets through; an empty list filters nothing.
struct OpeningFilters {
  std::vector<OpeningStatus> statuses = {};
  std::vector<OpeningKind> kinds = {};
  std::vector<std::string> municipality_codes = {};  // at most 300
  std::string organisation_id = {};
};
struct OpeningPage {
  std::vector<Opening> openings;  // in id order
  std::string next_page_token;    // empty on the last page
};

// One page of the openings `filters` lets through, in id order: at most
// `page_size` (at least 1) after the place `page_token` marks (empty for the
// first page). A token holds a fingerprint of the filters and the last id
// of its page, so it is refused with other filters. Readers.
// INVALID_ARGUMENT naming `municipality_codes[i]`, `organisation_id`,
// `page.page_size` or `page.page_token`.
absl::StatusOr<OpeningPage> ListOpenings(Context& context, const Caller& caller,
                                         const OpeningFilters& filters,
                                         int page_size,
                                         absl::string_view page_token);

struct CandidateQuery {
  std::string opening_id = {};
  // Wide enough for any request's value, so a refusal names it as sent.
  int64_t k = 0;  // 0 for kDefaultCandidates; at most kMaxCandidates
  std::vector<std::string> municipality_codes = {};  // homes; empty: all
  int64_t max_travel_minutes = 0;  // 0: each participant's own limit
};

// One participant ranked for an opening, as employer-contact staff may see
// them.
struct Candidate {
  std::string participant_id;
  std::string coach_id;  // whom to contact about the candidate
  // The pair's explanation, redacted: `reasons` holds ReasonsForEmployer's
  // only (no SUPPORT reason, none that mentions support needs), most
  // influential first, at most kMaxCandidateReasons; `rules` is empty (a
  // candidate is eligible). The components keep the SUPPORT value, a number
  // that names no need.
  Explanation explanation;
};

struct Candidates {
  std::vector<Candidate> candidates;  // best first
  uint64_t snapshot_version = 0;
  std::string profile_name;
  std::vector<store::AccessRecord> access;  // to write before answering
};

// The best participants for the opening: the engine's ranking
// (TopParticipants) with each pair explained. A draft or paused opening is
// previewed as if it were open, a full one as if a place were free; hard
// needs and vetoes exclude without a word. Employer contacts and admins.
// INVALID_ARGUMENT naming `opening_id`, `k`, `filters.max_travel_minutes` or
// `filters.municipality_codes[i]`; NOT_FOUND naming `opening_id`;
// FAILED_PRECONDITION for a CLOSED opening.
absl::StatusOr<Candidates> CandidatesForOpening(Context& context,
                                                const Caller& caller,
                                                const CandidateQuery& query);

struct SupplyGaps {
  // ComputeSupplyGaps's answer on the Swedish today: suppressed aggregates.
  // For employer_contact callers without the need counts (`needs` empty):
  // they read the missing supports instead.
  std::vector<MunicipalityGaps> municipalities;
  int suppression_threshold = kGapSuppressionThreshold;
  uint64_t snapshot_version = 0;
};

// The supply gaps of `municipality_codes` (empty: every municipality with an
// ACTIVE participant or an OPEN opening); engine/supply_gaps.h defines them.
// Places already taken are not free. Readers. INVALID_ARGUMENT naming
// `municipality_codes[i]` or a list longer than kMaxMunicipalityCodes.
absl::StatusOr<SupplyGaps> GetSupplyGaps(
    Context& context, const Caller& caller,
    const std::vector<std::string>& municipality_codes);

}  // namespace placement::app

#endif  // PLACEMENT_APP_EMPLOYER_H_
