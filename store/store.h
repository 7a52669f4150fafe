// The embedded store: participants and openings in one SQLite file.
//
// Durability: WAL journal with synchronous=FULL, so a call that returned OK
// has its transaction on disk; Open() sets and then verifies both settings,
// and turns on secure_delete so erased rows are overwritten, not just
// unlinked. Open() refuses, and never modifies, a file that fails
// `PRAGMA integrity_check`, is not a SQLite database, or was written by a
// newer schema version than this build knows.
//
// Records are stored as serialised placement.v1 protobuf messages beside the
// columns that queries filter on. Why protobuf on disk: its field numbering
// keeps rows written by older builds readable as the messages grow, with no
// migration per new field, and proto/convert.h already maps them to and from
// engine types. Participants and openings cross this API as engine types.
// Runs and proposals cross it as engine/runs.h records. Two payloads the
// store keeps for its callers without reading inside them are handed over
// as the serialised messages proto/convert.h makes and reads: a proposal's
// explanation as published (a v1.Match, with and without the reasons that
// mention support needs) and a run's report (a v1.RunReport). Neither a
// protobuf nor a gRPC type appears in this API.
//
// Schema versions (PRAGMA user_version), each reached from the one before by
// a forward migration that Open() runs in one transaction:
//   1  participants, openings
//   2  placements, rematch runs, proposals, suggestion actions, access log
//   3  runs keep their v1.Run record; proposals know whether they continue
//      a pending pair; proposals indexed by opening and state
//   4  the access log loses its index by participant: appends stay on the
//      table's last pages (one WAL page per commit, not one per record);
//      ReadAccessLog and erasure scan the log (about 15 million records a
//      second on the development machine)
//   5  holds; placements get an id, a source (hold, proposal, direct), an
//      end date and an outcome (version 4's rows came from accepted
//      proposals and keep that proposal's id); step_changes keeps every
//      change of a participant's step
//   6  the access log records refused calls too: an outcome (allowed,
//      denied; older records were all allowed) and, for an auditor's read
//      by principal, the principal asked about
//   7  suggestions_shown: which openings a coach was shown for a
//      participant, once per participant, opening and Swedish day, for the
//      decision funnel (engine/funnel.h); proposals indexed by the time
//      they were published
//
// Held places: an opening's places_held is never stored in its record; it
// is counted from the ACTIVE holds whenever an opening is read, so no
// import or edit of the record can lose or forge a hold. Inside a
// transaction that takes a place, holds past their expiry do not count.
//
// Faults: SQLITE_FULL (disk full, size limit) is RESOURCE_EXHAUSTED; a
// read-only file, I/O errors and a busy database are UNAVAILABLE. A failed
// write leaves the store as it was; reads keep working, and writes work
// again once the cause is gone. All but the busy database are storage
// faults (IsStorageFault): the server reports them in its health. An
// access-log write that fails says "the access log cannot be written: "
// and the cause.
//
// Erasure (GDPR Art. 17): EraseParticipant deletes every row that names the
// participant (profile, proposals, placements, holds, step changes, the
// situation after exit, suggestion actions, suggestion marks), replaces
// their id in the access log with an unlinkable "erased-N" reference, and
// checkpoints the WAL (TRUNCATE) before returning. With secure_delete on, no
// byte of the erased profile remains in the database or WAL files. A record
// queued by a read that overlapped the erasure is written under the same
// reference, so the id never reappears in the log.
//
// Thread safety: thread-safe; calls are serialised on an internal mutex
// (SQLite allows one writer at a time anyway).

#ifndef PLACEMENT_STORE_STORE_H_
#define PLACEMENT_STORE_STORE_H_

#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/followup.h"
#include "engine/funnel.h"
#include "engine/mutex.h"
#include "engine/placements.h"
#include "engine/reference_data.h"
#include "engine/row_error.h"
#include "engine/runs.h"
#include "engine/types.h"

struct sqlite3;

namespace placement::store {

struct StoreOptions {
  // SQLite VFS to open the file with; empty for the default. Tests use
  // fault_injection::kFaultInjectionVfsName.
  std::string vfs;
  // Largest size the database file may grow to, in bytes; 0 for no limit.
  // Writes beyond it fail with RESOURCE_EXHAUSTED like a full disk.
  int64_t max_bytes = 0;
};

// True for an error of this store that comes from the disk or the file: full
// (or at the size limit), read-only, an I/O error, a file that cannot be
// opened. False for OK, a busy database and every other error.
bool IsStorageFault(const absl::Status& status);

// Whether the call an access record stands for was served or refused.
enum class AccessOutcome { kAllowed, kDenied };

// "allowed", "denied" (the access_log.outcome column, the API's names).
const char* AccessOutcomeSlug(AccessOutcome outcome);

// One read or change of a participant's data, or one refused call. Never
// holds profile content.
struct AccessRecord {
  absl::Time at;
  std::string actor;           // principal id of the caller
  std::string role;            // coach, employer_contact, ..., auditor
  std::string call;            // e.g. "ParticipantRegistry.GetParticipant"
  std::string participant_id;  // "erased-N" once the participant is erased;
                               // empty for a call that names no participant
  AccessOutcome outcome = AccessOutcome::kAllowed;
  // The principal whose records an auditor asked for (an access-log read
  // by principal); empty otherwise.
  std::string asked_principal = {};
  // For a call that showed a coach openings for the participant
  // (CoachService.SuggestOpenings): the openings shown and the Swedish day.
  // Written in the record's own transaction as suggestion marks (table
  // suggestions_shown, INSERT OR IGNORE: one per participant, opening and
  // day), never as part of the log line; no mark is written for a
  // participant erased meanwhile. Empty for every other call; ReadAccessLog
  // leaves it empty.
  std::vector<std::string> suggested_opening_ids = {};
  Date suggested_on = {};
};

// Which records ListAccessLog returns: those naming `participant_id` (as
// stored, so an erased person's "erased-N" reference works too), or those
// of calls by `principal`; exactly one is set. Both bounds are optional.
struct AccessLogQuery {
  std::string participant_id = {};
  std::string principal = {};
  std::optional<absl::Time> from = {};   // at >= from
  std::optional<absl::Time> until = {};  // at < until
  // Keyset paging, newest first: only records older than this id (0: none).
  int64_t before_id = 0;
  int limit = 100;
};

// One stored access record with its position in the log.
struct AccessLogEntry {
  int64_t id = 0;  // increasing in the order records were written
  AccessRecord record;
};

// What PurgeExpired removes: records older than each instant.
struct RetentionCutoffs {
  // Decided (accepted, rejected) and expired proposals, with their
  // explanations, whose decision (or, for an expired or dry-run proposal,
  // whose run) is before this instant.
  absl::Time proposals_before;
  // Access-log records written before this instant.
  absl::Time access_log_before;
};

// How many rows PurgeExpired removed (counts only: the purge's own log line
// names nobody).
struct PurgeCounts {
  int proposals = 0;
  int access_records = 0;
};

// A published proposal as the decision funnel reads it.
struct ProposalDates {
  std::string proposal_id;
  std::string participant_id;
  absl::Time created_at;                  // when the run published it
  std::optional<absl::Time> accepted_at;  // when the coach accepted it
};

struct ErasureCounts {
  int participants = 0;
  int proposals = 0;
  int placements = 0;
  int suggestion_actions = 0;
  int holds = 0;
  int step_changes = 0;
  int suggestion_marks = 0;
  int exit_follow_ups = 0;
  int access_records_unlinked = 0;
  // Openings where the participant had a placement that had not ended (one
  // place fewer taken) or an ACTIVE hold, as stored after the erasure (for
  // the engine's snapshot).
  std::vector<Opening> released_openings = {};
};

// Outcome of importing one file. The policy: rows that pass validation are
// upserted by id in one transaction; bad rows are skipped and every problem
// is listed. With dry_run nothing is written.
struct ImportReport {
  int rows_read = 0;
  int inserted = 0;
  int updated = 0;
  int rejected = 0;  // rows with at least one error
  std::vector<RowError> errors;
  bool dry_run = false;
  std::vector<std::string> ids;  // ids of the rows stored (or that would be)
};

// Which proposals ListProposals returns; every set filter must hold.
struct ProposalQuery {
  std::string participant_id = {};  // empty: any participant
  std::string coach_id = {};  // empty: any; else that coach's caseload only
  std::string run_id = {};    // empty: any run
  // Empty: the published states (pending, accepted, rejected, expired).
  // kDryRun selects the proposals of dry runs.
  std::vector<ProposalState> states = {};
  std::string after_proposal_id = {};  // keyset paging: ids greater than this
  // Return the explanation without reasons that mention support needs (as
  // stored at publication), and no rejection reason: for operators.
  bool redacted = false;
  int limit = 100;
};

// A proposal to publish. The explanation records are serialised v1.Match
// messages (see the file comment): the full one for the participant's coach,
// the redacted one, without the reasons that mention support needs, for
// operators.
struct NewProposal {
  std::string participant_id;
  std::string opening_id;
  double score = 0;  // the explanation's total, kept as a column
  bool continued_from_previous_run = false;
  std::string explanation_record;
  std::string redacted_explanation_record;
};

// The history the next rematch run continues from.
struct RematchHistory {
  // Pairs of PENDING proposals: they keep the continuity bonus.
  std::vector<std::pair<std::string, std::string>> pending;
  // Pairs a coach REJECTED: never proposed again.
  std::vector<std::pair<std::string, std::string>> rejected;
};

// Result of DecideProposal.
struct DecisionOutcome {
  PublishedProposal proposal;  // as stored after the call
  // False when the same decision had already been taken (a safe retry).
  bool changed = false;
  // On a new ACCEPT: the participant (now PLACED) and the opening (one more
  // place taken) as stored, for the engine's snapshot.
  std::optional<Participant> participant;
  std::optional<Opening> opening;
  // Other proposals of the participant that expired with the ACCEPT.
  int expired_others = 0;
  // On a new ACCEPT: the placement it started, and the participant's live
  // hold it ended (STARTED when on the same opening, else RELEASED) with
  // that opening as stored when it is another.
  std::optional<PlacementRecord> placement;
  std::optional<Hold> hold;
  std::vector<Opening> released_openings;
};

// A hold to place (Store::PlaceHold).
struct HoldRequest {
  std::string participant_id;
  std::string opening_id;
  std::string coach_id;
  absl::Time at;
  absl::Time expires_at;
  Date today;
};

// A hold as stored after a call, with its opening as stored (places_held
// counted), for the engine's snapshot. `changed` is false for a safe retry.
struct HoldChange {
  Hold hold;
  std::optional<Opening> opening;
  bool changed = true;
};

// Holds that Store::ExpireHolds marked EXPIRED, their openings as stored
// after, and the earliest expiry of the holds still ACTIVE.
struct ExpiredHolds {
  std::vector<Hold> holds;
  std::vector<Opening> openings;
  std::optional<absl::Time> next_expiry;
};

struct HoldQuery {
  std::string participant_id = {};  // empty: any participant
  std::string coach_id = {};    // empty: any; else that coach's caseload only
  std::string opening_id = {};  // empty: any opening
  // Only holds live at this time (ACTIVE, not yet expired).
  std::optional<absl::Time> live_at = {};
  int limit = 1000;
};

// A placement to start (Store::StartPlacement). With hold_id, from that
// hold (its opening; opening_id may be empty or the same); else directly.
struct PlacementStart {
  std::string participant_id;
  std::string opening_id;
  std::string hold_id;
  std::string actor;
  Date start_date;
  absl::Time at;
  Date today;
};

// A placement as stored after a call, with the participant and every
// opening it changed as stored, for the engine's snapshot.
struct PlacementChange {
  PlacementRecord placement;
  Participant participant;
  std::vector<Opening> openings;
  std::optional<Hold> hold;  // the hold it started or released
  int expired_proposals = 0;
  std::optional<StepChange> step_change;
};

struct PlacementQuery {
  std::string participant_id = {};  // empty: any
  std::string opening_id = {};      // empty: any
  int limit = 1000;
};

class Store {
 public:
  static constexpr int kSchemaVersion = 8;

  // Opens `path`, creating the file and schema when it does not exist and
  // migrating an older schema forward. FAILED_PRECONDITION for a corrupt
  // file, another application's database or a newer schema (the file is then
  // left untouched); UNAVAILABLE when the file cannot be opened.
  static absl::StatusOr<std::unique_ptr<Store>> Open(
      const std::string& path, const StoreOptions& options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Inserts or replaces by id, all in one transaction: on error nothing of
  // the call is stored.
  absl::Status UpsertParticipants(const std::vector<Participant>& participants);
  absl::Status UpsertOpenings(const std::vector<Opening>& openings);

  // Every stored record, ordered by id.
  absl::StatusOr<std::vector<Participant>> LoadParticipants();
  absl::StatusOr<std::vector<Opening>> LoadOpenings();

  absl::StatusOr<int64_t> CountParticipants();
  absl::StatusOr<int64_t> CountOpenings();

  // Appends one record; the caller's write and its log record are separate
  // transactions, so a failed log write is reported, not hidden.
  absl::Status AppendAccess(const AccessRecord& record);
  // Appends many records in one transaction (one fsync), as for a listing.
  // Blocks until they are on disk; see AppendAccessAsync for how calls share
  // transactions. Inside a batch (InBatch) they are written in the batch's
  // transaction instead, on disk when it commits.
  absl::Status AppendAccess(const std::vector<AccessRecord>& records);
  // Queues `records` for the access-log writer (a thread of the store) and
  // returns at once. `done` runs on another thread of the store once they
  // are on disk, with OK, or with the error of the transaction that held
  // them (then none of its records was stored). Group commit: everything queued
  // while one transaction commits goes into the next, so one fsync serves many
  // calls instead of each call paying its own; a caller's records are never
  // split between transactions. `done` must not call back into the store's
  // access-log functions.
  void AppendAccessAsync(std::vector<AccessRecord> records,
                         absl::AnyInvocable<void(absl::Status) &&> done);
  // Records naming `participant_id`, oldest first, at most `limit`. Scans
  // the whole log (schema version 4): for audits, not for serving calls.
  absl::StatusOr<std::vector<AccessRecord>> ReadAccessLog(
      absl::string_view participant_id, int limit = 1000);
  // The records `query` selects, newest first (store_audit.cc). Scans the
  // log from its newest record backwards (no index but the row id: see
  // schema version 4). INVALID_ARGUMENT unless exactly one of participant_id
  // and principal is set.
  absl::StatusOr<std::vector<AccessLogEntry>> ListAccessLog(
      const AccessLogQuery& query);
  // Retention (store_audit.cc): deletes, in one transaction, the proposals
  // and access-log records older than `cutoffs`. Pending proposals, runs
  // and their reports (counts only), placements, holds, step changes and
  // suggestion actions are kept: they go when the participant is erased.
  absl::StatusOr<PurgeCounts> PurgeExpired(const RetentionCutoffs& cutoffs);

  // The decision funnel's events (store_funnel.cc), read in one snapshot of
  // the file each. Suggestion marks on days from..to (both included), in
  // day, participant and opening order. Precondition: valid dates.
  absl::StatusOr<std::vector<FunnelSuggestion>> LoadSuggestionMarks(
      const Date& from, const Date& to);
  // Published proposals (never a dry run's) created in [begin, end) or
  // accepted in [begin, end), in proposal id order.
  absl::StatusOr<std::vector<ProposalDates>> LoadProposalDates(absl::Time begin,
                                                               absl::Time end);
  // Placements that started or ended on a day from..to (both included), in
  // placement id order, each with the proposal it started from (if any).
  absl::StatusOr<std::vector<FunnelPlacement>> LoadPlacementDates(
      const Date& from, const Date& to);

  // See the class comment. NOT_FOUND when no participant has the id.
  absl::StatusOr<ErasureCounts> EraseParticipant(
      absl::string_view participant_id);

  // Imports a CSV file in the formats of data/README.md.
  absl::StatusOr<ImportReport> ImportParticipantsCsv(
      std::istream& input, const std::string& file_name,
      const ReferenceData& reference, bool dry_run = false);
  absl::StatusOr<ImportReport> ImportOpeningsCsv(std::istream& input,
                                                 const std::string& file_name,
                                                 const ReferenceData& reference,
                                                 bool dry_run = false);
  // Writes every record, in id order, in the same formats; importing the
  // output into an empty store gives back the same records.
  absl::Status ExportParticipantsCsv(std::ostream& output);
  absl::Status ExportOpeningsCsv(std::ostream& output);

  // Rematch runs and their proposals (store_proposals.cc). A run is created
  // QUEUED, updated as it runs, and either published (SUCCEEDED, with its
  // report and proposals, in one transaction) or finished FAILED or
  // CANCELLED with nothing published. Proposal life cycle:
  //   pending -> accepted | rejected | expired
  // Dry runs store their proposals in state UNSPECIFIED; they never change.

  // Stores a new run; assigns its id ("R" + 6 digits, increasing) and
  // returns the stored run.
  absl::StatusOr<RematchRun> CreateRun(RematchRun run);
  // Replaces the stored run (state, times, error) by id; NOT_FOUND when
  // unknown. Not for SUCCEEDED: PublishRun does that.
  absl::Status UpdateRun(const RematchRun& run);
  absl::StatusOr<RematchRun> GetRun(absl::string_view run_id);
  // The most recent runs first, at most `limit`; with `before_run_id`, only
  // runs older than that one (keyset paging).
  absl::StatusOr<std::vector<RematchRun>> ListRuns(
      int limit = 100, absl::string_view before_run_id = {});
  // The run's report record as PublishRun stored it (a serialised
  // v1.RunReport). NOT_FOUND when the run is unknown or has no report (not
  // SUCCEEDED).
  absl::StatusOr<std::string> GetRunReport(absl::string_view run_id);
  // In one transaction: unless the run is a dry run, every PENDING proposal
  // becomes EXPIRED; the new proposals are stored (PENDING, or DRY_RUN for a
  // dry run) with ids "<run id>-" + 7 digits in the given order and
  // created_at = run.finished_at; the run and its report record are stored.
  // Either all of it is stored or nothing. INVALID_ARGUMENT unless the run
  // is SUCCEEDED and has finished_at.
  absl::Status PublishRun(const RematchRun& run, absl::string_view report,
                          const std::vector<NewProposal>& proposals);
  // Marks runs left QUEUED or RUNNING (by a server that stopped) FAILED with
  // `message`; returns how many. Their proposals were never published.
  absl::StatusOr<int> FailUnfinishedRuns(absl::Time at,
                                         absl::string_view message);

  absl::StatusOr<std::vector<PublishedProposal>> ListProposals(
      const ProposalQuery& query);
  // NOT_FOUND when unknown.
  absl::StatusOr<PublishedProposal> GetProposal(absl::string_view proposal_id);
  absl::StatusOr<RematchHistory> LoadRematchHistory();

  // A coach's decision (NextProposalState), in one transaction with
  // everything it implies. REJECT: the proposal becomes REJECTED with `reason`.
  // ACCEPT: the proposal becomes ACCEPTED and a placement starts from it
  // (source kProposal, from `today`) as StartPlacement starts one: the
  // opening's places_taken grows by one (other coaches' live holds are not
  // free; the participant's own hold on it becomes STARTED, one elsewhere
  // RELEASED), the participant becomes PLACED, and the participant's other
  // PENDING proposals become EXPIRED. Both record a
  // suggestion action. Repeating a decision already taken changes nothing.
  // NOT_FOUND: unknown proposal. FAILED_PRECONDITION: expired, decided the
  // other way, a dry-run proposal, or on ACCEPT the opening does not accept
  // a placement on `today` (CheckAcceptsPlacement: not OPEN, ended, or no
  // free place), or the participant is not ACTIVE.
  absl::StatusOr<DecisionOutcome> DecideProposal(absl::string_view proposal_id,
                                                 Decision decision,
                                                 absl::string_view actor,
                                                 absl::string_view reason,
                                                 absl::Time at, Date today);

  // Holds and placements (store_placements.cc; the life cycles are
  // engine/placements.h). Each write is one transaction; all of them check
  // the participant's status and the opening's free places inside it, so
  // placements + live holds never exceed an opening's capacity, whoever
  // calls at once.

  // Places a hold: the participant must exist and be ACTIVE, hold no live
  // place already, and the opening must accept a placement on `today`
  // (CheckAcceptsPlacement, live holds counted). Assigns "H" + 7 digits.
  // NOT_FOUND: unknown participant or opening. FAILED_PRECONDITION: the
  // participant is not ACTIVE or already holds a place ("participant
  // P0000012 already holds a place in O000003 until ..."); the opening is
  // not OPEN or has ended; no free place ("opening O000003: no free place:
  // the last one was just taken (places_taken 2 + places_held 1 = capacity
  // 3)").
  absl::StatusOr<HoldChange> PlaceHold(const HoldRequest& request);
  // RELEASED by `actor` (NextHoldState; releasing a RELEASED hold changes
  // nothing). NOT_FOUND: unknown hold. FAILED_PRECONDITION: expired (also
  // an ACTIVE hold past its expiry at `at`) or started.
  absl::StatusOr<HoldChange> ReleaseHold(absl::string_view hold_id,
                                         absl::string_view actor,
                                         absl::Time at);
  // Marks every ACTIVE hold whose expiry is at or before `at` EXPIRED (ended
  // at its expiry), in one transaction.
  absl::StatusOr<ExpiredHolds> ExpireHolds(absl::Time at);
  // NOT_FOUND when unknown. As stored: an ACTIVE hold may be past its
  // expiry (StateAt says what it is).
  absl::StatusOr<Hold> GetHold(absl::string_view hold_id);
  // Holds `query` selects, newest first.
  absl::StatusOr<std::vector<Hold>> ListHolds(const HoldQuery& query);

  // Starts a placement ("L" + 7 digits): the participant must be ACTIVE;
  // from a hold, the hold must be live and theirs (it becomes STARTED) and
  // the opening OPEN and not ended; directly, the opening must accept a
  // placement (a live hold of the participant's own on it counts as their
  // place and becomes STARTED; one elsewhere is RELEASED). The opening gets
  // one more place taken, the participant becomes PLACED and their PENDING
  // proposals EXPIRED. NOT_FOUND: unknown participant, opening or hold.
  // INVALID_ARGUMENT: the hold is another participant's or another
  // opening's. FAILED_PRECONDITION as PlaceHold, and for a hold that is not
  // live.
  absl::StatusOr<PlacementChange> StartPlacement(const PlacementStart& start);
  // Ends a placement (NextPlacementState, ApplyPlacementEnd): its end date
  // and outcome are stored, the opening gets one place fewer taken, the
  // participant is ACTIVE again (or EXITED) with the new step of a
  // kMovedUp, and the step change is stored. NOT_FOUND: unknown placement.
  // FAILED_PRECONDITION: already ended. INVALID_ARGUMENT as
  // ApplyPlacementEnd.
  absl::StatusOr<PlacementChange> EndPlacement(absl::string_view placement_id,
                                               const PlacementEnd& end,
                                               absl::string_view actor,
                                               absl::Time at, Date today);
  // NOT_FOUND when unknown.
  absl::StatusOr<PlacementRecord> GetPlacement(absl::string_view placement_id);
  // Placements `query` selects, oldest first.
  absl::StatusOr<std::vector<PlacementRecord>> ListPlacements(
      const PlacementQuery& query);

  // Upserts one participant and, when given, the step change that goes
  // with the write, in one transaction.
  absl::Status SaveParticipant(const Participant& participant,
                               const std::optional<StepChange>& step_change);
  // The participant's step changes, oldest first.
  absl::StatusOr<std::vector<StepChange>> ListStepChanges(
      absl::string_view participant_id);

  // Records (or replaces) the participant's situation after exit, in one
  // transaction with a check that they are still EXITED with the exit date
  // the record follows up: NOT_FOUND for an unknown participant,
  // FAILED_PRECONDITION otherwise. The caller checks the rest
  // (CheckExitFollowUp).
  absl::Status SaveExitFollowUp(const ExitFollowUp& follow_up);
  // The participant's recorded situation after exit, if any.
  absl::StatusOr<std::optional<ExitFollowUp>> GetExitFollowUp(
      absl::string_view participant_id);
  // The follow-up report's events from the store (engine/followup.h):
  // every placement (with its opening's kind by `kind_of`; placements whose
  // opening it does not know are left out), every step change and every
  // situation after exit. `participants` is left empty: the caller's
  // snapshot has them. One read transaction; O(rows).
  absl::StatusOr<FollowUpEvents> LoadFollowUpEvents(
      absl::FunctionRef<std::optional<OpeningKind>(absl::string_view)> kind_of);

  // Stores `closed` (status CLOSED) and expires the PENDING proposals of
  // that opening, in one transaction. Returns how many proposals expired.
  absl::StatusOr<int> CloseOpening(const Opening& closed);

  // Stores `opening` under a new server id, "O" + 6 digits, and returns it
  // as stored. The id is one above the highest such id, read from the end
  // of the primary-key index (O(log n), not a scan), or, once O999999 is
  // taken, the lowest unused one (a scan, then). Ids of another form
  // ("OTEST-1", imported) are neither counted nor reused. The id is chosen
  // and the opening written in one transaction under the store's lock, so
  // concurrent calls never get the same id. RESOURCE_EXHAUSTED when every
  // id from O000001 to O999999 is used; opening.id is ignored.
  absl::StatusOr<Opening> InsertNewOpening(Opening opening);

  // Group commit of writes (app/write_queue.h): runs `body` on the calling
  // thread inside one transaction and commits it, so one fsync serves every
  // write in it. Every call `body` makes to this store on this thread joins
  // that transaction, each of its transactions as a savepoint; calls from
  // other threads wait until the batch has ended. AppendAccess, called inside
  // the batch, writes its records in the batch too. Returns OK once the
  // batch is on disk; else the error that ended it (the commit's, or an I/O
  // error or full disk that made SQLite roll the transaction back, which
  // Atomically reports) and nothing of the batch is stored. `body` must not
  // start another batch. Not for EraseParticipant or Checkpoint, which need
  // no transaction open.
  absl::Status InBatch(absl::FunctionRef<void()> body)
      ABSL_LOCKS_EXCLUDED(mutex_);
  // Inside InBatch's body: runs `body` as one savepoint of the batch, so an
  // error it returns undoes every store write it made, and the rest of the
  // batch stands. Once the batch's transaction is lost (see InBatch) it
  // returns that error without running `body`. Outside a batch,
  // FAILED_PRECONDITION.
  absl::Status Atomically(absl::FunctionRef<absl::Status()> body);

  // Copies the WAL into the database and truncates the WAL file.
  absl::Status Checkpoint();

  // Whether a write reaches the disk now: one durable transaction that
  // rewrites the schema version with its own value (one page, one fsync;
  // nothing changes). With a size limit (StoreOptions::max_bytes), a
  // database at the limit with no free page fails as full, as an access
  // record would. The error is a storage fault (IsStorageFault) or busy.
  absl::Status ProbeWrite();

  const std::string& path() const { return path_; }

 private:
  Store(std::string path, sqlite3* db, int64_t max_bytes)
      : path_(std::move(path)), max_bytes_(max_bytes), db_(db) {}

  absl::Status Execute(const std::string& sql)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  absl::StatusOr<int64_t> QueryInt(const std::string& sql)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  absl::StatusOr<std::string> QueryText(const std::string& sql)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  // The id InsertNewOpening gives, inside its transaction.
  absl::StatusOr<std::string> NextOpeningId()
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  absl::Status Configure() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  absl::Status Migrate(int64_t from_version)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  // Ids among `ids` that are stored in `table`.
  absl::StatusOr<std::vector<bool>> Exists(const char* table,
                                           const std::vector<std::string>& ids)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  // Gives back the places `participant_id` takes: each opening of their
  // placements that have not ended gets one place fewer taken. Adds to
  // `opening_ids` those openings and those of their ACTIVE holds. Inside a
  // transaction.
  absl::Status ReleasePlaces(const std::string& participant_id,
                             std::vector<std::string>& opening_ids)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  // Inside a transaction: `participant` (ACTIVE, checked here) takes a place
  // in `opening_id` from `source`, as StartPlacement describes; fills
  // `change`. `hold` is the live hold to start, if any.
  absl::Status TakePlace(Participant participant, const std::string& opening_id,
                         PlacementSource source, const std::string& source_id,
                         const std::string& actor, const Date& start_date,
                         absl::Time at, const Date& today,
                         PlacementChange& change)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  // The next "<prefix>" + 7 digits id of `column` in `table`.
  absl::StatusOr<std::string> NextId(const char* table, const char* column,
                                     char prefix)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  // PRAGMA wal_checkpoint(TRUNCATE), and an error unless it completed.
  absl::Status TruncateWal() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  absl::Status SqliteError(absl::string_view what)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  // Holds mutex_ for one call, unless the calling thread holds it already
  // for a batch (InBatch), whose transaction the call then joins.
  class ABSL_SCOPED_LOCKABLE CallLock {
   public:
    explicit CallLock(Store* store) ABSL_EXCLUSIVE_LOCK_FUNCTION(store->mutex_);
    CallLock(const CallLock&) = delete;
    CallLock& operator=(const CallLock&) = delete;
    ~CallLock() ABSL_UNLOCK_FUNCTION();

   private:
    Mutex* mutex_;  // null inside a batch
  };
  // True on the thread running InBatch's body.
  bool InBatchOnThisThread() const;

  const std::string path_;
  const int64_t max_bytes_;
  Mutex mutex_;
  sqlite3* const db_ ABSL_PT_GUARDED_BY(mutex_);
  // Participants erased since this store was opened, and the reference that
  // replaced their id in the access log. A read that began before an erasure
  // can queue its record after it; the writer files that record under the
  // reference, never under the id. Upserting the id again (a new person)
  // removes it. In memory only: no read outlives the process.
  absl::flat_hash_map<std::string, std::string> erased_references_
      ABSL_GUARDED_BY(mutex_);
  // Inside a batch: the error that lost its transaction, if one did.
  absl::Status batch_failure_ ABSL_GUARDED_BY(mutex_);

  // The access-log writer (AppendAccessAsync), started on first use: one
  // thread commits everything queued in one transaction at a time, another
  // runs the callers' `done`, so slow callbacks do not delay the next commit.
  struct PendingAccess {
    std::vector<AccessRecord> records;
    absl::AnyInvocable<void(absl::Status) &&> done;
  };
  struct CommittedAccess {
    std::vector<PendingAccess> batch;
    absl::Status status;
  };
  void WriteAccessLog() ABSL_LOCKS_EXCLUDED(access_mutex_, mutex_);
  // One batch of records and their suggestion marks, in one transaction.
  absl::Status WriteAccessBatch(const std::vector<AccessRecord>& records)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  void NotifyAccessLogged() ABSL_LOCKS_EXCLUDED(access_mutex_);
  Mutex access_mutex_;
  CondVar access_queued_;  // a record queued, or stopping
  CondVar access_done_;    // a batch committed, or stopped
  std::vector<PendingAccess> access_queue_ ABSL_GUARDED_BY(access_mutex_);
  std::vector<CommittedAccess> access_committed_ ABSL_GUARDED_BY(access_mutex_);
  // WAL checkpoints run on a connection and thread of their own
  // (StartCheckpointer), so a commit never waits for one: the main
  // connection's WAL hook only says when the WAL has grown enough.
  static int OnWalCommit(void* store, sqlite3* db, const char* name,
                         int frames);
  void StartCheckpointer(const std::string& vfs)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  void Checkpointer(sqlite3* connection) ABSL_LOCKS_EXCLUDED(checkpoint_mutex_);
  void StopCheckpointer() ABSL_LOCKS_EXCLUDED(checkpoint_mutex_);
  Mutex checkpoint_mutex_ ABSL_ACQUIRED_AFTER(mutex_);
  CondVar checkpoint_wanted_;
  bool checkpoint_due_ ABSL_GUARDED_BY(checkpoint_mutex_) = false;
  bool checkpoint_stopping_ ABSL_GUARDED_BY(checkpoint_mutex_) = false;
  // Started by Open() and joined by the destructor, on the thread that owns
  // the store; no other thread touches it.
  std::thread checkpointer_;

  bool access_writer_stopping_ ABSL_GUARDED_BY(access_mutex_) = false;
  bool access_writer_stopped_ ABSL_GUARDED_BY(access_mutex_) = false;
  std::thread access_writer_ ABSL_GUARDED_BY(access_mutex_);
  std::thread access_notifier_ ABSL_GUARDED_BY(access_mutex_);
};

}  // namespace placement::store

#endif  // PLACEMENT_STORE_STORE_H_
