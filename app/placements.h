// The placement's life as use cases: a coach holds a free place for a
// participant of their caseload, releases it or starts the placement from
// it, starts a placement directly, ends it with an outcome, and reads the
// participant's timeline, and records the situation after exit;
// employer-contact staff read an opening's
// placements as counts. One gRPC-free function per operation;
// PlacementService (service/placement_service.h) authorises the caller,
// converts the request, calls one of these and converts the answer.
//
// Rules (engine/placements.h): a hold lasts `working_days` (0: the server's
// default, Context::hold_working_days; at most kMaxHoldWorkingDays) working
// days; a participant holds at most one place at a time; a live hold takes
// its place for everyone else in suggestions, candidates, supply gaps, the
// rematch and accepting a proposal. Whether a place is free is decided in
// the store's transaction, so of many coaches holding the last place at
// once exactly one succeeds and the others get FAILED_PRECONDITION "...
// the last one was just taken ...". Expired holds are marked lazily before
// every read and write here (LiveSnapshot, app/context.h) and by the
// server's periodic sweep.
//
// Who: holds, placements and the timeline are the participant's coach's
// only (PERMISSION_DENIED outside the caseload, the same whether or not the
// id exists); an opening's counts are for employer_contact, operator and
// admin, and never say who, nor that a placement ended for health reasons
// (counted as "interrupted").
//
// Access log: writes log one record for the participant in the write's own
// transaction, under the API's call name ("PlacementService.HoldPlace");
// reads return their records in `access` for the caller to write before
// answering.
//
// Writes go through the context's group commit (SubmitWrite,
// app/write_queue.h): each has an asynchronous form that answers through
// `done` once the write is on disk and in the snapshot (checks that need no
// lock answer at once), and a blocking one.
//
// Thread safety: thread-safe.

#ifndef PLACEMENT_APP_PLACEMENTS_H_
#define PLACEMENT_APP_PLACEMENTS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "app/caller.h"
#include "app/context.h"
#include "engine/placements.h"
#include "store/store.h"

namespace placement::app {

struct HoldQuery {
  std::string participant_id = {};
  std::string opening_id = {};
  int working_days = 0;  // 0: the server's default
};

// Holds one free place of an OPEN opening for the participant; returns the
// hold as stored. INVALID_ARGUMENT for bad ids or working_days;
// PERMISSION_DENIED outside the caseload; NOT_FOUND for an unknown opening;
// FAILED_PRECONDITION as store::Store::PlaceHold.
absl::StatusOr<Hold> HoldPlace(Context& context, const Caller& caller,
                               const HoldQuery& query);
void HoldPlace(Context& context, const Caller& caller, const HoldQuery& query,
               WriteDone<Hold> done);

// Releases the hold; a released hold again is a safe retry. NOT_FOUND is
// PERMISSION_DENIED for a hold outside the caseload, as for an unknown one.
absl::StatusOr<Hold> ReleaseHold(Context& context, const Caller& caller,
                                 absl::string_view hold_id);
void ReleaseHold(Context& context, const Caller& caller,
                 absl::string_view hold_id, WriteDone<Hold> done);

struct HoldList {
  std::vector<Hold> holds;  // newest first; live ones only
  std::vector<store::AccessRecord> access;
};
// The live holds of the caller's caseload, or of one participant of it.
absl::StatusOr<HoldList> ListHolds(Context& context, const Caller& caller,
                                   absl::string_view participant_id);

struct StartQuery {
  std::string participant_id = {};
  std::string opening_id = {};  // may be empty with hold_id
  std::string hold_id = {};     // empty: directly
  Date start_date = {};         // unset (year 0): today
};
// Starts a placement (store::Store::StartPlacement) with a start date at
// most kMaxStartDaysBack days back and kMaxStartDaysAhead ahead.
absl::StatusOr<store::PlacementChange> StartPlacement(Context& context,
                                                      const Caller& caller,
                                                      StartQuery query);
void StartPlacement(Context& context, const Caller& caller, StartQuery query,
                    WriteDone<store::PlacementChange> done);

// Ends the placement with `end` (store::Store::EndPlacement). The
// placement's participant must be in the caller's caseload.
absl::StatusOr<store::PlacementChange> EndPlacement(
    Context& context, const Caller& caller, absl::string_view placement_id,
    const PlacementEnd& end);
void EndPlacement(Context& context, const Caller& caller,
                  absl::string_view placement_id, const PlacementEnd& end,
                  WriteDone<store::PlacementChange> done);

struct Timeline {
  std::vector<TimelineEvent> events;  // SortTimeline order
  std::vector<store::AccessRecord> access;
};
// Steps, holds, placements with outcomes, proposals and decisions of one
// participant of the caller's caseload, in date order (SortTimeline).
absl::StatusOr<Timeline> GetTimeline(Context& context, const Caller& caller,
                                     absl::string_view participant_id);

struct ExitFollowUpQuery {
  std::string participant_id = {};
  std::optional<ExitSituation> situation = {};  // required
  Date checked_on = {};                         // unset (year 0): today
};
// Records (or replaces) the situation after exit of a participant of the
// caller's caseload (CheckExitFollowUp: EXITED, checked at least
// kExitFollowUpMinDays after the exit, not after today); returns it as
// stored. INVALID_ARGUMENT naming the field ("situation: required");
// PERMISSION_DENIED outside the caseload; FAILED_PRECONDITION for a
// participant who is not EXITED.
absl::StatusOr<ExitFollowUp> RecordExitFollowUp(Context& context,
                                                const Caller& caller,
                                                const ExitFollowUpQuery& query);
void RecordExitFollowUp(Context& context, const Caller& caller,
                        const ExitFollowUpQuery& query,
                        WriteDone<ExitFollowUp> done);

// An opening's current and past placements as counts (CountPlacements).
// employer_contact, operator, admin. NOT_FOUND for an unknown opening.
absl::StatusOr<OpeningPlacementCounts> GetOpeningPlacementCounts(
    Context& context, const Caller& caller, absl::string_view opening_id);

}  // namespace placement::app

#endif  // PLACEMENT_APP_PLACEMENTS_H_
