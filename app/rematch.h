// The operator's use cases for the overnight rematch (engine/rematch.h):
// start a run, watch its progress, cancel it, read its report and list its
// proposals; and the rule that decides, at publish time, which of a finished
// run's proposals still stand. RematchService (service/rematch_service.h)
// authorises, converts, calls one of these and writes the answer; tests call
// them in process.
//
// One run at a time, on a worker thread of the runner:
//   QUEUED -> RUNNING (candidates, assignment, audit, publish) -> SUCCEEDED
//                                                     \-> FAILED | CANCELLED
// The run reads the snapshot current when it starts and the store's pending
// and rejected pairs. Publishing is one store transaction
// (store::Store::PublishRun) taken under the context's write lock: the
// previous run's pending proposals expire and the new ones appear together,
// or nothing changes. Writes made while the run computed are respected:
// ReconcileProposals withdraws what no longer stands
// (RunReport.proposals_withdrawn). A crash or cancellation before that
// transaction leaves the previous proposals as they were; Recover marks the
// runs a crash left QUEUED or RUNNING as FAILED. A dry run computes and
// reports and publishes no proposal.
//
// Runs and proposals are stored as engine/runs.h records; the calls answer
// in the API's messages (v1.Run, v1.RunReport, v1.RunProgress), which
// proto/convert.h makes. No gRPC type appears here.
// Errors name the request field as the API spells it
// (`candidates_per_participant`, `run_id`, `page.page_token`).
//
// Usage:
//   RematchRunner runner(context, {.threads = 2, .report_dir = "reports"});
//   absl::StatusOr<v1::Run> run = runner.Start(operator_caller, {});
//   absl::StatusOr<RunWatch> watch = runner.Watch(operator_caller,
//                                                 run->run_id());
//   for (;;) {
//     absl::StatusOr<RunUpdate> update =
//         watch->Next(absl::Now() + absl::Seconds(1));
//     if (!update.ok() || update->last) break;
//   }
//   absl::StatusOr<v1::RunReport> report =
//       runner.Report(operator_caller, run->run_id());

#ifndef PLACEMENT_APP_REMATCH_H_
#define PLACEMENT_APP_REMATCH_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "app/caller.h"
#include "app/coach.h"
#include "app/context.h"
#include "engine/matcher.h"
#include "engine/mutex.h"
#include "engine/rematch.h"
#include "engine/runs.h"
#include "engine/types.h"
#include "placement/v1/rematch_service.pb.h"

namespace placement::app {

inline constexpr uint32_t kDefaultCandidatesPerParticipant = 50;
inline constexpr uint32_t kMaxCandidatesPerParticipant = 500;
inline constexpr double kDefaultContinuityBonus = 0.05;

// Why a proposal of a finished run does or does not stand at publish time.
enum class Reconciled : uint8_t {
  kKept,
  kParticipantGone,       // no longer in the snapshot (erased)
  kParticipantNotActive,  // placed, paused or ended since the run started
  kOpeningGone,           // no longer in the snapshot
  // Not OPEN (a draft, paused or closed) or past its end date on the
  // publish date: AcceptsPlacement (engine/opening_rules.h) without the
  // free-place part, which the next reason counts.
  kOpeningNotAccepting,
  // Its free places now (capacity - places_taken) went to proposals with
  // better scores, or were taken by placements made while the run computed.
  kNoFreePlace,
};
// "kept", "participant_gone", "participant_not_active", "opening_gone",
// "opening_not_accepting", "no_free_place".
absl::string_view ReconciledSlug(Reconciled reconciled);

// Decides, for each proposal of a finished run (in the order given), whether
// it still stands against `now`, the snapshot current at publish time, on
// `publish_date`: its participant is still ACTIVE and its opening still
// accepts placements. Each opening keeps at most its free places in `now`;
// proposals take them best score first, ties in the order given (the run's
// participant-id order). The first failing reason in the order of
// Reconciled is the one returned.
//
// Pure and deterministic; `now` is only read.
std::vector<Reconciled> ReconcileProposals(
    const std::vector<Proposal>& proposals, const Snapshot& now,
    const Date& publish_date);

// What an operator asks of a run is a RunParameters (engine/runs.h): a
// candidates_per_participant of 0 is kDefaultCandidatesPerParticipant (at
// most kMaxCandidatesPerParticipant), an unset continuity_bonus is
// kDefaultContinuityBonus (within [0, 1]); Start fills both in.

// One message of a watch: the run's state, phase, percent and time elapsed
// since it started (never decreasing within one watch). `last` is true when
// nothing follows: the run ended, or it is not running in this process and
// `progress` is its stored, final state.
struct RunUpdate {
  v1::RunProgress progress;
  bool last = false;
};

// One page of RematchRunner::ListRuns.
struct RunPage {
  std::vector<v1::Run> runs;
  std::string next_page_token;  // empty on the last page
};

// The run this process is executing or executed last (rematch.cc).
struct ActiveRun;
class RematchRunner;

// A watcher's view of one run, made by RematchRunner::Watch.
//
// Thread safety: one thread at a time per RunWatch; any number of RunWatch
// objects may wait at once. Must not outlive its runner.
class RunWatch {
 public:
  // The first call returns the run's progress at once. Each later call
  // blocks until its phase or state changes, until `deadline` (then it
  // returns the progress as it is, e.g. the same phase with a higher
  // percent), or until the runner stops, and returns the progress then.
  // UNAVAILABLE ("the server is shutting down; call again to resume") on a
  // call made once the runner is stopping. Not to be called after `last`.
  absl::StatusOr<RunUpdate> Next(absl::Time deadline);

 private:
  friend class RematchRunner;
  RunWatch(const Context& context, std::shared_ptr<ActiveRun> active,
           std::optional<v1::RunProgress> stored);

  const Context* context_;
  std::shared_ptr<ActiveRun> active_;      // null for a stored run
  std::optional<v1::RunProgress> stored_;  // its only message
  bool first_ = true;
  v1::RunPhase phase_ = v1::RUN_PHASE_UNSPECIFIED;  // of the last message
  v1::RunState state_ = v1::RUN_STATE_UNSPECIFIED;  // of the last message
  absl::Duration elapsed_;                          // of the last message
};

struct RematchRunnerOptions {
  int threads = 0;              // worker threads of a run; 0 = all cores
  std::string report_dir = {};  // where report files go; empty: none
};

// Owns the active run and its worker thread. Operators and admins only:
// every call checks the caller's role (PERMISSION_DENIED naming the call,
// e.g. "RematchService.StartRun").
//
// Each succeeded run's report is also written as proto JSON to
// `<report_dir>/<run_id>.json` (when report_dir is set); a file that cannot
// be written is reported on stderr and does not fail the run.
//
// Thread safety: thread-safe. Stop() (or the destructor) must run before
// `context` goes away; it cancels a running run and joins the worker.
class RematchRunner {
 public:
  RematchRunner(Context& context, RematchRunnerOptions options);
  ~RematchRunner();
  RematchRunner(const RematchRunner&) = delete;
  RematchRunner& operator=(const RematchRunner&) = delete;

  // Marks runs a previous process left QUEUED or RUNNING as FAILED and
  // returns how many. Call once, before the first Start.
  absl::StatusOr<int> Recover();
  // Cancels the running run, makes every RunWatch::Next return UNAVAILABLE
  // and joins the worker. Idempotent; later Starts are UNAVAILABLE.
  void Stop();

  // Stores a QUEUED run with the parameters (defaults filled in), the
  // caller as requested_by and the current snapshot's version, starts it on
  // the worker and returns it. INVALID_ARGUMENT naming the field for K
  // above kMaxCandidatesPerParticipant or a bonus outside [0, 1];
  // FAILED_PRECONDITION while another run is queued or running ("run R000003 is
  // RUNNING; one run at a time"); UNAVAILABLE once stopping.
  absl::StatusOr<v1::Run> Start(const Caller& caller,
                                const RunParameters& parameters)
      ABSL_LOCKS_EXCLUDED(start_mutex_, mutex_);

  // Asks the queued or running run `run_id` to stop and returns it as it is
  // (still RUNNING; it ends CANCELLED between tiles). A run already
  // CANCELLED is returned as it is (a safe retry). FAILED_PRECONDITION while
  // it publishes, which is atomic, or for a run in another end state;
  // NOT_FOUND for an unknown id; INVALID_ARGUMENT for an empty one.
  absl::StatusOr<v1::Run> Cancel(const Caller& caller, absl::string_view run_id)
      ABSL_LOCKS_EXCLUDED(mutex_);

  // A watch of the run `run_id`: of the active run when it is this one,
  // else of its stored state. NOT_FOUND for an unknown id.
  absl::StatusOr<RunWatch> Watch(const Caller& caller, absl::string_view run_id)
      ABSL_LOCKS_EXCLUDED(mutex_);

  // The report of a SUCCEEDED run; FAILED_PRECONDITION naming the state of
  // any other run.
  absl::StatusOr<v1::RunReport> Report(const Caller& caller,
                                       absl::string_view run_id)
      ABSL_LOCKS_EXCLUDED(mutex_);

  // One page of runs, newest first: at most `page_size` runs older than
  // `page_token` (a run id from the previous page's next_page_token; empty
  // for the first page; INVALID_ARGUMENT naming `page.page_token` when it is
  // not "R" + 6 digits). The active run appears as this process knows it.
  absl::StatusOr<RunPage> ListRuns(const Caller& caller, int page_size,
                                   absl::string_view page_token)
      ABSL_LOCKS_EXCLUDED(mutex_);

  // One page of a SUCCEEDED run's proposals, in proposal-id order, with
  // redacted matches (no support-need reasons): every published state, or
  // the computed ones of a dry run. `page_token` is a proposal id of this
  // run (INVALID_ARGUMENT naming `page.page_token` otherwise). Writes one
  // access record per proposal listed before returning.
  absl::StatusOr<ProposalPage> Proposals(const Caller& caller,
                                         absl::string_view run_id,
                                         int page_size,
                                         absl::string_view page_token)
      ABSL_LOCKS_EXCLUDED(mutex_);

 private:
  // The run `run_id` if it SUCCEEDED.
  absl::StatusOr<RematchRun> SucceededRun(absl::string_view run_id)
      ABSL_LOCKS_EXCLUDED(mutex_);
  // The run as this process knows it, else as stored.
  absl::StatusOr<RematchRun> FindRun(absl::string_view run_id)
      ABSL_LOCKS_EXCLUDED(mutex_);
  std::shared_ptr<ActiveRun> Active() ABSL_LOCKS_EXCLUDED(mutex_);

  // The worker: runs `active` to a terminal state.
  void Execute(const std::shared_ptr<ActiveRun>& active,
               const std::shared_ptr<const Snapshot>& snapshot);
  // Reconciles, explains and stores the proposals in one transaction.
  absl::Status Publish(ActiveRun& active, const Snapshot& snapshot,
                       const RematchResult& result);
  // Sets the terminal state, stores the run and wakes watchers.
  void Finish(ActiveRun& active, RunState state,
              const std::string& error_message);
  void WriteReportFile(const v1::RunReport& report) const;

  Context& context_;
  const RematchRunnerOptions options_;

  // Serialises Start and Stop, which start and join the worker.
  Mutex start_mutex_;
  std::thread worker_ ABSL_GUARDED_BY(start_mutex_);
  Mutex mutex_ ABSL_ACQUIRED_AFTER(start_mutex_);
  std::shared_ptr<ActiveRun> active_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
};

}  // namespace placement::app

#endif  // PLACEMENT_APP_REMATCH_H_
