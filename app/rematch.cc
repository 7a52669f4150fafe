#include "app/rematch.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/opening_rules.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "logging/log.h"
#include "proto/convert.h"

namespace placement::app {

// The run this process is executing or executed last, shared by the runner,
// its worker and every RunWatch of it. Thread-safe: the worker writes under
// `mutex` and signals `changed`; watchers wait on it.
struct ActiveRun {
  Mutex mutex;
  CondVar changed;  // the state, phase or percent changed, or stopping
  RematchRun run ABSL_GUARDED_BY(mutex);
  v1::RunPhase phase ABSL_GUARDED_BY(mutex) = v1::RUN_PHASE_UNSPECIFIED;
  double percent ABSL_GUARDED_BY(mutex) = 0;
  absl::Time started ABSL_GUARDED_BY(mutex);
  bool stopping ABSL_GUARDED_BY(mutex) = false;  // the runner is stopping
  // Read by the engine between tiles (RematchOptions::cancel).
  std::atomic<bool> cancel{false};
};

namespace {

constexpr absl::string_view kStartCall = "RematchService.StartRun";
constexpr absl::string_view kWatchCall = "RematchService.WatchRun";
constexpr absl::string_view kCancelCall = "RematchService.CancelRun";
constexpr absl::string_view kReportCall = "RematchService.GetRunReport";
constexpr absl::string_view kProposalsCall = "RematchService.ListRunProposals";
constexpr absl::string_view kListRunsCall = "RematchService.ListRuns";

void SetDuration(absl::Duration duration, google::protobuf::Duration& out) {
  out = google::protobuf::util::TimeUtil::NanosecondsToDuration(
      absl::ToInt64Nanoseconds(duration));
}

bool IsTerminal(v1::RunState state) {
  return state == v1::RUN_STATE_SUCCEEDED || state == v1::RUN_STATE_FAILED ||
         state == v1::RUN_STATE_CANCELLED;
}

v1::RunPhase PhaseOf(RematchPhase phase) {
  switch (phase) {
    case RematchPhase::kCandidates:
      return v1::RUN_PHASE_CANDIDATES;
    case RematchPhase::kAssignment:
      return v1::RUN_PHASE_ASSIGNMENT;
    case RematchPhase::kAudit:
      return v1::RUN_PHASE_AUDIT;
  }
  return v1::RUN_PHASE_UNSPECIFIED;
}

absl::Status RunIdRequired(absl::string_view run_id) {
  if (run_id.empty()) return absl::InvalidArgumentError("run_id: required");
  return absl::OkStatus();
}

absl::Status OperatorsOnly(const Caller& caller, absl::string_view call) {
  return CheckRole(caller, {Role::kOperator, Role::kAdmin}, call);
}

absl::Status CheckParameters(const RunParameters& parameters) {
  if (parameters.candidates_per_participant > kMaxCandidatesPerParticipant) {
    return absl::InvalidArgumentError(absl::StrCat(
        "candidates_per_participant: ", parameters.candidates_per_participant,
        " is above the maximum ", kMaxCandidatesPerParticipant));
  }
  if (parameters.continuity_bonus.has_value()) {
    const double bonus = *parameters.continuity_bonus;
    if (!(std::isfinite(bonus) && bonus >= 0 && bonus <= 1)) {
      return absl::InvalidArgumentError(
          absl::StrCat("continuity_bonus: ", bonus, " is outside [0, 1]"));
    }
  }
  return absl::OkStatus();
}

// The stored form of `proposal`, explained as of the run's snapshot, which
// its score came from. Reads only that immutable snapshot, so it needs no
// lock.
store::NewProposal StoredProposal(const Proposal& proposal,
                                  const Snapshot& snapshot,
                                  const ScoringContext& scoring) {
  const Explanation explanation = ExplainPair(
      snapshot.participant(*snapshot.FindParticipant(proposal.participant_id)),
      snapshot.opening(*snapshot.FindOpening(proposal.opening_id)),
      snapshot.reference(), scoring);
  store::NewProposal entry;
  entry.participant_id = proposal.participant_id;
  entry.opening_id = proposal.opening_id;
  entry.score = explanation.total;
  entry.continued_from_previous_run = proposal.continues_pending;
  v1::Match match;
  ToProto(explanation, /*include_support_needs=*/true, match);
  entry.explanation_record = match.SerializeAsString();
  ToProto(explanation, /*include_support_needs=*/false, match);
  entry.redacted_explanation_record = match.SerializeAsString();
  return entry;
}

}  // namespace

absl::string_view ReconciledSlug(Reconciled reconciled) {
  switch (reconciled) {
    case Reconciled::kKept:
      return "kept";
    case Reconciled::kParticipantGone:
      return "participant_gone";
    case Reconciled::kParticipantNotActive:
      return "participant_not_active";
    case Reconciled::kOpeningGone:
      return "opening_gone";
    case Reconciled::kOpeningNotAccepting:
      return "opening_not_accepting";
    case Reconciled::kNoFreePlace:
      return "no_free_place";
  }
  return "unknown";
}

std::vector<Reconciled> ReconcileProposals(
    const std::vector<Proposal>& proposals, const Snapshot& now,
    const Date& publish_date) {
  std::vector<size_t> order(proposals.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  // Best scores keep their places.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return proposals[a].score > proposals[b].score;
  });
  absl::flat_hash_map<std::string, int> free_places;
  auto verdict = [&](const Proposal& proposal) {
    const std::optional<int> participant =
        now.FindParticipant(proposal.participant_id);
    if (!participant) return Reconciled::kParticipantGone;
    if (now.participant(*participant).status != ParticipantStatus::kActive) {
      return Reconciled::kParticipantNotActive;
    }
    const std::optional<int> opening = now.FindOpening(proposal.opening_id);
    if (!opening) return Reconciled::kOpeningGone;
    const Opening& current = now.opening(*opening);
    if (!AcceptsPlacement(current, publish_date,
                          /*require_free_place=*/false)) {
      return Reconciled::kOpeningNotAccepting;
    }
    auto [it, inserted] =
        free_places.try_emplace(current.id, FreePlaces(current));
    if (it->second <= 0) return Reconciled::kNoFreePlace;
    --it->second;
    return Reconciled::kKept;
  };
  std::vector<Reconciled> verdicts(proposals.size(), Reconciled::kKept);
  for (const size_t i : order) verdicts[i] = verdict(proposals[i]);
  return verdicts;
}

RunWatch::RunWatch(const Context& context, std::shared_ptr<ActiveRun> active,
                   std::optional<v1::RunProgress> stored)
    : context_(&context),
      active_(std::move(active)),
      stored_(std::move(stored)) {}

absl::StatusOr<RunUpdate> RunWatch::Next(absl::Time deadline) {
  if (active_ == nullptr) {
    first_ = false;
    return RunUpdate{.progress = *stored_, .last = true};
  }
  ActiveRun& active = *active_;
  MutexLock lock(&active.mutex);
  if (!first_) {
    if (active.stopping) {
      return absl::UnavailableError(
          "the server is shutting down; call again to resume");
    }
    // Wake on a phase or state change, or at the deadline.
    const auto until = std::chrono::steady_clock::now() +
                       absl::ToChronoNanoseconds(std::max(
                           deadline - absl::Now(), absl::ZeroDuration()));
    while (!active.stopping && active.phase == phase_ &&
           ToProto(active.run.state) == state_) {
      if (active.changed.WaitUntil(&active.mutex, until)) break;
    }
  }
  first_ = false;
  RunUpdate update;
  v1::RunProgress& progress = update.progress;
  progress.set_state(ToProto(active.run.state));
  progress.set_phase(active.phase);
  progress.set_percent(active.percent);
  if (active.run.state != RunState::kQueued) {
    const absl::Time end =
        placement::IsTerminal(active.run.state)
            ? active.run.finished_at.value_or(context_->now())
            : context_->now();
    // finished_at is taken before the publishing transaction, so a message
    // sent during it may have seen a later clock: never go back.
    elapsed_ = std::max(elapsed_, end - active.started);
    SetDuration(elapsed_, *progress.mutable_elapsed());
  }
  phase_ = progress.phase();
  state_ = progress.state();
  update.last = IsTerminal(state_);
  return update;
}

RematchRunner::RematchRunner(Context& context, RematchRunnerOptions options)
    : context_(context), options_(std::move(options)) {}

RematchRunner::~RematchRunner() { Stop(); }

absl::StatusOr<int> RematchRunner::Recover() {
  return context_.store->FailUnfinishedRuns(
      context_.now(),
      "the server stopped during the run; nothing was published");
}

void RematchRunner::Stop() {
  {
    MutexLock lock(&mutex_);
    stopping_ = true;
  }
  // No Start runs past this lock, so the active run is the last one.
  MutexLock start_lock(&start_mutex_);
  if (std::shared_ptr<ActiveRun> active = Active(); active != nullptr) {
    active->cancel = true;
    {
      MutexLock lock(&active->mutex);
      active->stopping = true;
    }
    active->changed.SignalAll();
  }
  if (worker_.joinable()) worker_.join();
}

std::shared_ptr<ActiveRun> RematchRunner::Active() {
  MutexLock lock(&mutex_);
  return active_;
}

absl::StatusOr<v1::Run> RematchRunner::Start(const Caller& caller,
                                             const RunParameters& parameters) {
  if (absl::Status s = OperatorsOnly(caller, kStartCall); !s.ok()) return s;
  if (absl::Status s = CheckParameters(parameters); !s.ok()) return s;

  MutexLock start_lock(&start_mutex_);
  {
    MutexLock lock(&mutex_);
    if (stopping_) return absl::UnavailableError("the server is shutting down");
  }
  if (std::shared_ptr<ActiveRun> previous = Active(); previous != nullptr) {
    MutexLock lock(&previous->mutex);
    if (!placement::IsTerminal(previous->run.state)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "run ", previous->run.id, " is ", RunStateName(previous->run.state),
          "; one run at a time"));
    }
  }
  std::shared_ptr<const Snapshot> snapshot = LiveSnapshot(context_);
  RematchRun run;
  run.state = RunState::kQueued;
  run.created_at = context_.now();
  run.parameters = parameters;
  if (run.parameters.candidates_per_participant == 0) {
    run.parameters.candidates_per_participant =
        kDefaultCandidatesPerParticipant;
  }
  run.parameters.continuity_bonus =
      parameters.continuity_bonus.value_or(kDefaultContinuityBonus);
  run.requested_by = caller.principal;
  run.snapshot_version = snapshot->version();
  absl::StatusOr<RematchRun> created = context_.store->CreateRun(run);
  if (!created.ok()) return created.status();
  auto active = std::make_shared<ActiveRun>();
  {
    MutexLock lock(&active->mutex);
    active->run = *created;
  }
  if (worker_.joinable()) worker_.join();  // the previous run has finished
  {
    MutexLock lock(&mutex_);
    active_ = active;
  }
  worker_ =
      std::thread([this, active, snapshot] { Execute(active, snapshot); });
  v1::Run out;
  ToProto(*created, out);
  return out;
}

void RematchRunner::Execute(const std::shared_ptr<ActiveRun>& active,
                            const std::shared_ptr<const Snapshot>& snapshot) {
  const absl::Time started = context_.now();
  RematchRun run;
  {
    MutexLock lock(&active->mutex);
    active->started = started;
    active->run.state = RunState::kRunning;
    active->run.started_at = started;
    active->phase = v1::RUN_PHASE_CANDIDATES;
    run = active->run;
  }
  active->changed.SignalAll();
  logging::Info("rematch.run.start",
                {{"run_id", run.id},
                 {"dry_run", run.parameters.dry_run},
                 {"candidates_per_participant",
                  run.parameters.candidates_per_participant},
                 {"participants", snapshot->participant_count()},
                 {"openings", snapshot->opening_count()}});
  if (absl::Status s = context_.store->UpdateRun(run); !s.ok()) {
    Finish(*active, RunState::kFailed, std::string(s.message()));
    return;
  }
  absl::StatusOr<store::RematchHistory> history =
      context_.store->LoadRematchHistory();
  if (!history.ok()) {
    Finish(*active, RunState::kFailed, std::string(history.status().message()));
    return;
  }
  RematchInput input{
      .snapshot = snapshot, .previous_pending = {}, .rejected = {}};
  for (auto& [participant, opening] : history->pending) {
    input.previous_pending.push_back({participant, opening});
  }
  for (auto& [participant, opening] : history->rejected) {
    input.rejected.push_back({participant, opening});
  }
  const RunParameters& parameters = run.parameters;
  RematchOptions options;
  options.candidates_per_participant =
      static_cast<int>(parameters.candidates_per_participant);
  options.continuity_bonus =
      parameters.continuity_bonus.value_or(kDefaultContinuityBonus);
  options.threads = options_.threads;
  options.seed = parameters.seed;
  options.context.today = SwedishDate(started);
  options.context.profile = context_.profile;
  options.cancel = &active->cancel;
  options.on_progress = [&active](const RematchProgress& progress) {
    {
      MutexLock lock(&active->mutex);
      active->phase = PhaseOf(progress.phase);
      active->percent = progress.percent;
    }
    active->changed.SignalAll();
  };
  absl::StatusOr<RematchResult> result = RunRematch(input, options);
  if (!result.ok()) {
    Finish(*active, RunState::kFailed, std::string(result.status().message()));
    return;
  }
  if (result->report.outcome == RematchOutcome::kCancelled) {
    Finish(*active, RunState::kCancelled, "");
    return;
  }
  bool cancelled;
  {
    // From here on the run cannot be cancelled: Cancel sees PUBLISH.
    MutexLock lock(&active->mutex);
    cancelled = active->cancel;
    if (!cancelled) active->phase = v1::RUN_PHASE_PUBLISH;
  }
  if (cancelled) {
    Finish(*active, RunState::kCancelled, "");
    return;
  }
  active->changed.SignalAll();
  if (absl::Status s = Publish(*active, *snapshot, *result); !s.ok()) {
    Finish(*active, RunState::kFailed,
           absl::StrCat("publishing failed: ", s.message()));
    return;
  }
  active->changed.SignalAll();
}

absl::Status RematchRunner::Publish(ActiveRun& active, const Snapshot& snapshot,
                                    const RematchResult& result) {
  const absl::Time publish_started = context_.now();
  RematchRun run;
  ScoringContext scoring;
  {
    MutexLock lock(&active.mutex);
    run = active.run;
    scoring.today = SwedishDate(active.started);
  }
  scoring.profile = context_.profile;
  const bool dry_run = run.parameters.dry_run;

  // Every proposal explained before the write lock, against the snapshot
  // the run used (what the proposal was made from): the slow part of the
  // publish keeps no write waiting.
  std::vector<store::NewProposal> explained;
  explained.reserve(result.proposals.size());
  for (const Proposal& proposal : result.proposals) {
    explained.push_back(StoredProposal(proposal, snapshot, scoring));
  }

  // Holds that fell due while the run computed give their places back (a
  // failed expiry leaves them counted: see LiveSnapshot).
  ExpireDueHolds(context_).IgnoreError();
  MutexLock write_lock(&context_.write_mutex);
  // Under the lock only the check and the publication. Writes made while
  // the run computed: a proposal must still stand now (today, not the run's
  // day), against the snapshot of now.
  const std::vector<Reconciled> verdicts =
      ReconcileProposals(result.proposals, *context_.snapshots->Current(),
                         SwedishDate(publish_started));
  std::vector<store::NewProposal> proposals;
  int withdrawn = 0;
  for (size_t i = 0; i < result.proposals.size(); ++i) {
    if (verdicts[i] != Reconciled::kKept) {
      ++withdrawn;
      continue;
    }
    proposals.push_back(std::move(explained[i]));
  }

  v1::RunReport report;
  ToProto(result.report, run.id, dry_run, report);
  report.set_proposals_withdrawn(static_cast<uint32_t>(withdrawn));
  const absl::Time finished = context_.now();
  v1::PhaseTiming* timing = report.add_phase_timings();
  timing->set_phase(v1::RUN_PHASE_PUBLISH);
  SetDuration(finished - publish_started, *timing->mutable_duration());
  run.state = RunState::kSucceeded;
  run.finished_at = finished;
  if (absl::Status s = context_.store->PublishRun(
          run, report.SerializeAsString(), proposals);
      !s.ok()) {
    return s;
  }
  {
    MutexLock lock(&active.mutex);
    active.run = run;
    active.percent = 100;  // watchers see SUCCEEDED at 100 %, never below
  }
  logging::Info("rematch.run.end",
                {{"run_id", run.id},
                 {"state", RunStateName(run.state)},
                 {"dry_run", dry_run},
                 {"proposed", result.report.proposed},
                 {"unmatched", result.report.unmatched},
                 {"withdrawn", withdrawn},
                 {"duration", run.started_at ? finished - *run.started_at
                                             : absl::ZeroDuration()}});
  WriteReportFile(report);
  return absl::OkStatus();
}

void RematchRunner::Finish(ActiveRun& active, RunState state,
                           const std::string& error_message) {
  RematchRun run;
  {
    MutexLock lock(&active.mutex);
    run = active.run;
  }
  run.state = state;
  run.error_message = error_message;
  run.finished_at = context_.now();
  // Stored first, so a watcher that sees the end finds it in the store too
  // (as Publish does for a run that succeeds).
  if (absl::Status s = context_.store->UpdateRun(run); !s.ok()) {
    // The run stays unfinished in the store; the next start marks it FAILED.
    logging::Error("rematch.run.unrecorded", {{"run_id", run.id},
                                              {"state", RunStateName(state)},
                                              {"error", s.message()}});
  }
  {
    MutexLock lock(&active.mutex);
    active.run = run;
  }
  if (state == RunState::kFailed) {
    logging::Error("rematch.run.failed",
                   {{"run_id", run.id}, {"error", error_message}});
  } else {
    logging::Info("rematch.run.end",
                  {{"run_id", run.id}, {"state", RunStateName(state)}});
  }
  active.changed.SignalAll();
}

void RematchRunner::WriteReportFile(const v1::RunReport& report) const {
  if (options_.report_dir.empty()) return;
  std::error_code error;
  std::filesystem::create_directories(options_.report_dir, error);
  const std::string path =
      absl::StrCat(options_.report_dir, "/", report.run_id(), ".json");
  std::string json;
  google::protobuf::util::JsonPrintOptions print;
  print.add_whitespace = true;
  print.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(report, &json, print);
  std::ofstream file(path, std::ios::trunc);
  file << json;
  if (!file.good()) {
    logging::Warning("rematch.report.unwritten",
                     {{"run_id", report.run_id()}, {"file", path}});
  }
}

absl::StatusOr<RematchRun> RematchRunner::FindRun(absl::string_view run_id) {
  if (std::shared_ptr<ActiveRun> active = Active(); active != nullptr) {
    MutexLock lock(&active->mutex);
    if (active->run.id == run_id) return active->run;
  }
  return context_.store->GetRun(run_id);
}

absl::StatusOr<RunWatch> RematchRunner::Watch(const Caller& caller,
                                              absl::string_view run_id) {
  if (absl::Status s = OperatorsOnly(caller, kWatchCall); !s.ok()) return s;
  if (absl::Status s = RunIdRequired(run_id); !s.ok()) return s;
  if (std::shared_ptr<ActiveRun> active = Active(); active != nullptr) {
    bool same;
    {
      MutexLock lock(&active->mutex);
      same = active->run.id == run_id;
    }
    if (same) return RunWatch(context_, std::move(active), std::nullopt);
  }
  // Not running in this process: its stored state is final.
  absl::StatusOr<RematchRun> run = context_.store->GetRun(run_id);
  if (!run.ok()) return run.status();
  v1::RunProgress progress;
  progress.set_state(ToProto(run->state));
  if (run->started_at && run->finished_at) {
    SetDuration(
        absl::Trunc(*run->finished_at - *run->started_at, absl::Seconds(1)),
        *progress.mutable_elapsed());
  }
  return RunWatch(context_, nullptr, std::move(progress));
}

absl::StatusOr<v1::Run> RematchRunner::Cancel(const Caller& caller,
                                              absl::string_view run_id) {
  if (absl::Status s = OperatorsOnly(caller, kCancelCall); !s.ok()) return s;
  if (absl::Status s = RunIdRequired(run_id); !s.ok()) return s;
  if (std::shared_ptr<ActiveRun> active = Active(); active != nullptr) {
    MutexLock lock(&active->mutex);
    if (active->run.id == run_id && !placement::IsTerminal(active->run.state)) {
      if (active->phase == v1::RUN_PHASE_PUBLISH) {
        return absl::FailedPreconditionError(absl::StrCat(
            "run ", run_id,
            " is publishing, which is atomic and cannot be interrupted"));
      }
      active->cancel = true;
      v1::Run out;
      ToProto(active->run, out);
      return out;
    }
  }
  absl::StatusOr<RematchRun> run = FindRun(run_id);
  if (!run.ok()) return run.status();
  if (run->state == RunState::kCancelled) {
    v1::Run out;
    ToProto(*run, out);
    return out;
  }
  return absl::FailedPreconditionError(
      absl::StrCat("run ", run->id, ": state ", RunStateName(run->state),
                   "; only a queued or running run can be cancelled"));
}

absl::StatusOr<RematchRun> RematchRunner::SucceededRun(
    absl::string_view run_id) {
  if (absl::Status s = RunIdRequired(run_id); !s.ok()) return s;
  absl::StatusOr<RematchRun> run = FindRun(run_id);
  if (!run.ok()) return run.status();
  if (run->state != RunState::kSucceeded) {
    return absl::FailedPreconditionError(
        absl::StrCat("run ", run->id, ": state ", RunStateName(run->state)));
  }
  return run;
}

absl::StatusOr<v1::RunReport> RematchRunner::Report(const Caller& caller,
                                                    absl::string_view run_id) {
  if (absl::Status s = OperatorsOnly(caller, kReportCall); !s.ok()) return s;
  absl::StatusOr<RematchRun> run = SucceededRun(run_id);
  if (!run.ok()) return run.status();
  absl::StatusOr<std::string> record = context_.store->GetRunReport(run_id);
  if (!record.ok()) return record.status();
  v1::RunReport report;
  if (!report.ParseFromString(*record)) {
    return absl::DataLossError(absl::StrCat("the stored report of run ", run_id,
                                            " cannot be decoded"));
  }
  return report;
}

absl::StatusOr<RunPage> RematchRunner::ListRuns(const Caller& caller,
                                                int page_size,
                                                absl::string_view page_token) {
  if (absl::Status s = OperatorsOnly(caller, kListRunsCall); !s.ok()) return s;
  if (!page_token.empty()) {
    const bool run_id =
        page_token.size() == 7 && page_token[0] == 'R' &&
        std::all_of(page_token.begin() + 1, page_token.end(),
                    [](char c) { return c >= '0' && c <= '9'; });
    if (!run_id) {
      return absl::InvalidArgumentError(
          absl::StrCat("page.page_token: '", page_token,
                       "' is not a run id (\"R\" and 6 digits)"));
    }
  }
  // One more says whether a next page exists.
  absl::StatusOr<std::vector<RematchRun>> runs =
      context_.store->ListRuns(page_size + 1, page_token);
  if (!runs.ok()) return runs.status();
  RunPage page;
  const bool more = static_cast<int>(runs->size()) > page_size;
  if (more) runs->resize(static_cast<size_t>(page_size));
  std::shared_ptr<ActiveRun> active = Active();
  for (RematchRun& run : *runs) {
    if (active != nullptr) {
      MutexLock lock(&active->mutex);
      if (active->run.id == run.id) run = active->run;
    }
    ToProto(run, page.runs.emplace_back());
  }
  if (more) page.next_page_token = page.runs.back().run_id();
  return page;
}

absl::StatusOr<ProposalPage> RematchRunner::Proposals(
    const Caller& caller, absl::string_view run_id, int page_size,
    absl::string_view page_token) {
  if (absl::Status s = OperatorsOnly(caller, kProposalsCall); !s.ok()) {
    return s;
  }
  absl::StatusOr<RematchRun> run = SucceededRun(run_id);
  if (!run.ok()) return run.status();
  if (!page_token.empty() &&
      !absl::StartsWith(page_token, absl::StrCat(run->id, "-"))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "page.page_token: '", page_token, "' is not a token of run ", run->id));
  }
  store::ProposalQuery query;
  query.run_id = run->id;
  if (run->parameters.dry_run) {
    query.states = {ProposalState::kDryRun};
  } else {
    query.states = {ProposalState::kPending, ProposalState::kAccepted,
                    ProposalState::kRejected, ProposalState::kExpired};
  }
  query.redacted = true;
  return ListProposals(context_, caller, kProposalsCall, std::move(query),
                       page_size, page_token);
}

}  // namespace placement::app
