#include "service/rematch_service.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "engine/opening_rules.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"

namespace placement::service {
namespace {

constexpr int kMaxListedOpenings = 100;

void SetTimestamp(absl::Time time, google::protobuf::Timestamp& out) {
  out = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(time));
}

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

absl::Status RunIdRequired(const std::string& run_id) {
  if (run_id.empty()) return absl::InvalidArgumentError("run_id: required");
  return absl::OkStatus();
}

}  // namespace

void ToProto(const RematchReport& report, absl::string_view run_id,
             bool dry_run, v1::RunReport& out) {
  out.Clear();
  out.set_run_id(std::string(run_id));
  out.set_dry_run(dry_run);
  out.set_participants_considered(
      static_cast<uint32_t>(report.active_considered));
  out.set_participants_proposed(static_cast<uint32_t>(report.proposed));
  out.set_participants_unmatched(static_cast<uint32_t>(report.unmatched));
  out.set_openings_considered(
      static_cast<uint32_t>(report.openings_with_free_places));
  out.set_openings_without_candidates(
      static_cast<uint32_t>(report.openings_without_candidate_count));
  for (size_t i = 0; i < report.openings_without_candidate.size() &&
                     i < static_cast<size_t>(kMaxListedOpenings);
       ++i) {
    out.add_openings_without_candidates_ids(
        report.openings_without_candidate[i]);
  }
  out.set_objective(report.objective);
  out.set_objective_scale(report.objective_scale);
  for (int rule = 0; rule < kHardRuleCount; ++rule) {
    const int count = report.unmatched_by_blocking_rule[rule];
    if (count == 0) continue;
    v1::UnmatchedReason* reason = out.add_unmatched_reasons();
    reason->set_rule(static_cast<v1::HardRule>(rule + 1));
    reason->set_count(static_cast<uint32_t>(count));
  }
  v1::FairnessAudit& audit = *out.mutable_fairness_audit();
  audit.set_min_group_size(kAuditMinGroup);
  std::vector<const AuditDimension*> dimensions;
  for (const AuditDimension& dimension : report.audit) {
    dimensions.push_back(&dimension);
  }
  // Ordered by dimension name, groups in the engine's order within each.
  std::sort(dimensions.begin(), dimensions.end(),
            [](const AuditDimension* a, const AuditDimension* b) {
              return a->dimension < b->dimension;
            });
  for (const AuditDimension* dimension : dimensions) {
    for (const AuditGroup& group : dimension->groups) {
      v1::GroupOutcome* outcome = audit.add_groups();
      outcome->set_dimension(dimension->dimension);
      outcome->set_group(group.group);
      outcome->set_suppressed(group.too_small);
      if (group.too_small) continue;  // numbers withheld
      outcome->set_participants(static_cast<uint32_t>(group.participants));
      outcome->set_proposed(static_cast<uint32_t>(group.proposed));
      outcome->set_proposal_rate(group.share_proposed);
      outcome->set_mean_score(group.mean_score);
      outcome->set_ratio_to_best(group.ratio_to_best);
      outcome->set_below_four_fifths(group.flagged);
    }
  }
  const std::pair<v1::RunPhase, absl::Duration> timings[] = {
      {v1::RUN_PHASE_CANDIDATES, report.timings.candidates},
      {v1::RUN_PHASE_ASSIGNMENT, report.timings.assignment},
      {v1::RUN_PHASE_AUDIT, report.timings.audit},
  };
  for (const auto& [phase, duration] : timings) {
    v1::PhaseTiming* timing = out.add_phase_timings();
    timing->set_phase(phase);
    SetDuration(duration, *timing->mutable_duration());
  }
  out.set_proposals_continued(static_cast<uint32_t>(report.continued_pending));
}

RematchService::RematchService(ServiceContext& context,
                               RematchServiceOptions options)
    : context_(context), options_(std::move(options)) {}

RematchService::~RematchService() { Stop(); }

absl::Status RematchService::Recover() {
  absl::StatusOr<int> failed = context_.store->FailUnfinishedRuns(
      context_.now(),
      "the server stopped during the run; nothing was published");
  if (!failed.ok()) return failed.status();
  if (*failed > 0) {
    std::printf("Marked %d unfinished rematch run(s) FAILED\n", *failed);
  }
  return absl::OkStatus();
}

void RematchService::Stop() {
  {
    MutexLock lock(&mutex_);
    stopping_ = true;
    if (active_ != nullptr) active_->cancel = true;
  }
  changed_.SignalAll();
  MutexLock start_lock(&start_mutex_);
  if (worker_.joinable()) worker_.join();
}

grpc::Status RematchService::StartRun(grpc::ServerContext* server_context,
                                      const v1::StartRunRequest* request,
                                      v1::Run* response) {
  return ToGrpcStatus(Start(*server_context, *request, *response));
}

grpc::Status RematchService::CancelRun(grpc::ServerContext* server_context,
                                       const v1::CancelRunRequest* request,
                                       v1::Run* response) {
  return ToGrpcStatus(Cancel(*server_context, *request, *response));
}

grpc::Status RematchService::GetRunReport(
    grpc::ServerContext* server_context, const v1::GetRunReportRequest* request,
    v1::RunReport* response) {
  return ToGrpcStatus(Report(*server_context, *request, *response));
}

grpc::Status RematchService::ListRunProposals(
    grpc::ServerContext* server_context,
    const v1::ListRunProposalsRequest* request,
    v1::ListRunProposalsResponse* response) {
  return ToGrpcStatus(Proposals(*server_context, *request, *response));
}

absl::Status RematchService::Start(const grpc::ServerContext& server_context,
                                   const v1::StartRunRequest& request,
                                   v1::Run& response) {
  constexpr absl::string_view kCall = "RematchService.StartRun";
  absl::StatusOr<Caller> caller = Authorize(
      context_, server_context, {Role::kOperator, Role::kAdmin}, kCall);
  if (!caller.ok()) return caller.status();
  if (request.candidates_per_participant() > kMaxCandidates) {
    return absl::InvalidArgumentError(absl::StrCat(
        "candidates_per_participant: ", request.candidates_per_participant(),
        " is above the maximum ", kMaxCandidates));
  }
  if (request.has_continuity_bonus() &&
      !(std::isfinite(request.continuity_bonus()) &&
        request.continuity_bonus() >= 0 && request.continuity_bonus() <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("continuity_bonus: ", request.continuity_bonus(),
                     " is outside [0, 1]"));
  }

  MutexLock start_lock(&start_mutex_);
  std::shared_ptr<const Snapshot> snapshot = context_.snapshots->Current();
  auto active = std::make_shared<ActiveRun>();
  {
    MutexLock lock(&mutex_);
    if (stopping_) {
      return absl::UnavailableError("the server is shutting down");
    }
    if (active_ != nullptr && !IsTerminal(active_->run.state())) {
      return absl::FailedPreconditionError(
          absl::StrCat("run ", active_->run.run_id(), " is ",
                       v1::RunState_Name(active_->run.state()).substr(10),
                       "; one run at a time"));
    }
  }
  v1::Run run;
  run.set_state(v1::RUN_STATE_QUEUED);
  SetTimestamp(context_.now(), *run.mutable_created_at());
  v1::StartRunRequest& parameters = *run.mutable_parameters();
  parameters = request;
  if (parameters.candidates_per_participant() == 0) {
    parameters.set_candidates_per_participant(kDefaultCandidates);
  }
  if (!parameters.has_continuity_bonus()) {
    parameters.set_continuity_bonus(kDefaultContinuityBonus);
  }
  run.set_requested_by(caller->principal);
  run.set_snapshot_version(snapshot->version());
  absl::StatusOr<v1::Run> created = context_.store->CreateRun(run);
  if (!created.ok()) return created.status();
  active->run = *created;
  if (worker_.joinable()) worker_.join();  // the previous run has finished
  {
    MutexLock lock(&mutex_);
    active_ = active;
  }
  worker_ =
      std::thread([this, active, snapshot] { Execute(active, snapshot); });
  response = *created;
  return absl::OkStatus();
}

void RematchService::Execute(std::shared_ptr<ActiveRun> active,
                             std::shared_ptr<const Snapshot> snapshot) {
  v1::Run run;
  {
    MutexLock lock(&mutex_);
    active->started = context_.now();
    active->run.set_state(v1::RUN_STATE_RUNNING);
    SetTimestamp(active->started, *active->run.mutable_started_at());
    active->phase = v1::RUN_PHASE_CANDIDATES;
    run = active->run;
  }
  changed_.SignalAll();
  if (absl::Status s = context_.store->UpdateRun(run); !s.ok()) {
    Finish(*active, v1::RUN_STATE_FAILED, std::string(s.message()));
    return;
  }
  absl::StatusOr<store::RematchHistory> history =
      context_.store->LoadRematchHistory();
  if (!history.ok()) {
    Finish(*active, v1::RUN_STATE_FAILED,
           std::string(history.status().message()));
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
  const v1::StartRunRequest& parameters = run.parameters();
  RematchOptions options;
  options.candidates_per_participant =
      static_cast<int>(parameters.candidates_per_participant());
  options.continuity_bonus = parameters.continuity_bonus();
  options.threads = options_.threads;
  options.seed = parameters.seed();
  options.context.today = app::SwedishDate(active->started);
  options.context.profile = context_.profile;
  options.cancel = &active->cancel;
  options.on_progress = [this, &active](const RematchProgress& progress) {
    {
      MutexLock lock(&mutex_);
      active->phase = PhaseOf(progress.phase);
      active->percent = progress.percent;
    }
    changed_.SignalAll();
  };
  absl::StatusOr<RematchResult> result = RunRematch(input, options);
  if (!result.ok()) {
    Finish(*active, v1::RUN_STATE_FAILED,
           std::string(result.status().message()));
    return;
  }
  if (result->report.outcome == RematchOutcome::kCancelled) {
    Finish(*active, v1::RUN_STATE_CANCELLED, "");
    return;
  }
  bool cancelled;
  {
    // From here on the run cannot be cancelled: CancelRun sees PUBLISH.
    MutexLock lock(&mutex_);
    cancelled = active->cancel;
    if (!cancelled) active->phase = v1::RUN_PHASE_PUBLISH;
  }
  if (cancelled) {
    Finish(*active, v1::RUN_STATE_CANCELLED, "");
    return;
  }
  changed_.SignalAll();
  if (absl::Status s = Publish(*active, *snapshot, *result); !s.ok()) {
    Finish(*active, v1::RUN_STATE_FAILED,
           absl::StrCat("publishing failed: ", s.message()));
    return;
  }
  {
    MutexLock lock(&mutex_);
    active->percent = 100;
  }
  changed_.SignalAll();
}

absl::Status RematchService::Publish(ActiveRun& active,
                                     const Snapshot& snapshot,
                                     const RematchResult& result) {
  const absl::Time publish_started = context_.now();
  ScoringContext scoring;
  scoring.today = app::SwedishDate(active.started);
  scoring.profile = context_.profile;
  v1::Run run;
  {
    MutexLock lock(&mutex_);
    run = active.run;
  }
  const bool dry_run = run.parameters().dry_run();

  MutexLock write_lock(&context_.write_mutex);
  // Writes made while the run computed: a proposal must still be
  // acceptable now (today, not the run's day), and no opening may get more
  // proposals than it has free places now. Best scores keep their places.
  std::shared_ptr<const Snapshot> now = context_.snapshots->Current();
  const Date today = app::SwedishDate(publish_started);
  std::vector<const Proposal*> order;
  for (const Proposal& proposal : result.proposals) order.push_back(&proposal);
  std::stable_sort(
      order.begin(), order.end(),
      [](const Proposal* a, const Proposal* b) { return a->score > b->score; });
  absl::flat_hash_map<std::string, int> free_places;
  std::vector<bool> keep(result.proposals.size(), false);
  for (const Proposal* proposal : order) {
    std::optional<int> participant =
        now->FindParticipant(proposal->participant_id);
    std::optional<int> opening = now->FindOpening(proposal->opening_id);
    if (!participant || !opening) continue;
    if (now->participant(*participant).status != ParticipantStatus::kActive)
      continue;
    const Opening& current = now->opening(*opening);
    if (!AcceptsPlacement(current, today)) continue;
    auto [it, inserted] = free_places.try_emplace(
        current.id, current.capacity - current.places_taken);
    if (it->second <= 0) continue;
    --it->second;
    keep[static_cast<size_t>(proposal - result.proposals.data())] = true;
  }

  std::vector<store::NewProposal> proposals;
  int withdrawn = 0;
  for (size_t i = 0; i < result.proposals.size(); ++i) {
    const Proposal& proposal = result.proposals[i];
    if (!keep[i]) {
      ++withdrawn;
      continue;
    }
    // The explanation as of the run's snapshot, which the score came from.
    const Explanation explanation = ExplainPair(
        snapshot.participant(
            *snapshot.FindParticipant(proposal.participant_id)),
        snapshot.opening(*snapshot.FindOpening(proposal.opening_id)),
        snapshot.reference(), scoring);
    store::NewProposal entry;
    entry.proposal.set_participant_id(proposal.participant_id);
    entry.proposal.set_opening_id(proposal.opening_id);
    entry.proposal.set_continued_from_previous_run(proposal.continues_pending);
    ToProto(explanation, /*include_support_needs=*/true,
            *entry.proposal.mutable_match());
    ToProto(explanation, /*include_support_needs=*/false, entry.redacted_match);
    proposals.push_back(std::move(entry));
  }

  v1::RunReport report;
  ToProto(result.report, run.run_id(), dry_run, report);
  report.set_proposals_withdrawn(static_cast<uint32_t>(withdrawn));
  const absl::Time finished = context_.now();
  v1::PhaseTiming* timing = report.add_phase_timings();
  timing->set_phase(v1::RUN_PHASE_PUBLISH);
  SetDuration(finished - publish_started, *timing->mutable_duration());
  run.set_state(v1::RUN_STATE_SUCCEEDED);
  SetTimestamp(finished, *run.mutable_finished_at());
  if (absl::Status s = context_.store->PublishRun(run, report, proposals);
      !s.ok()) {
    return s;
  }
  {
    MutexLock lock(&mutex_);
    active.run = run;
  }
  WriteReportFile(report);
  return absl::OkStatus();
}

void RematchService::Finish(ActiveRun& active, v1::RunState state,
                            const std::string& error_message) {
  v1::Run run;
  {
    MutexLock lock(&mutex_);
    active.run.set_state(state);
    active.run.set_error_message(error_message);
    SetTimestamp(context_.now(), *active.run.mutable_finished_at());
    run = active.run;
  }
  if (absl::Status s = context_.store->UpdateRun(run); !s.ok()) {
    // The run stays unfinished in the store; the next start marks it FAILED.
    std::fprintf(stderr, "rematch run %s: cannot store its end state: %s\n",
                 run.run_id().c_str(), std::string(s.message()).c_str());
  }
  changed_.SignalAll();
}

void RematchService::WriteReportFile(const v1::RunReport& report) const {
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
    std::fprintf(stderr, "rematch run %s: cannot write the report to %s\n",
                 report.run_id().c_str(), path.c_str());
  }
}

absl::StatusOr<v1::Run> RematchService::FindRun(absl::string_view run_id) {
  {
    MutexLock lock(&mutex_);
    if (active_ != nullptr && active_->run.run_id() == run_id) {
      return active_->run;
    }
  }
  return context_.store->GetRun(run_id);
}

grpc::Status RematchService::WatchRun(
    grpc::ServerContext* server_context, const v1::WatchRunRequest* request,
    grpc::ServerWriter<v1::RunProgress>* writer) {
  constexpr absl::string_view kCall = "RematchService.WatchRun";
  absl::StatusOr<Caller> caller = Authorize(
      context_, *server_context, {Role::kOperator, Role::kAdmin}, kCall);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (absl::Status s = RunIdRequired(request->run_id()); !s.ok())
    return ToGrpcStatus(s);
  std::shared_ptr<ActiveRun> active;
  {
    MutexLock lock(&mutex_);
    if (active_ != nullptr && active_->run.run_id() == request->run_id()) {
      active = active_;
    }
  }
  if (active == nullptr) {
    // Not running in this process: its stored state is final.
    absl::StatusOr<v1::Run> run = context_.store->GetRun(request->run_id());
    if (!run.ok()) return ToGrpcStatus(run.status());
    v1::RunProgress progress;
    progress.set_state(run->state());
    if (run->has_started_at() && run->has_finished_at()) {
      SetDuration(absl::Seconds(run->finished_at().seconds() -
                                run->started_at().seconds()),
                  *progress.mutable_elapsed());
    }
    writer->Write(progress);
    return grpc::Status::OK;
  }

  absl::Duration elapsed;
  MutexLock lock(&mutex_);
  while (true) {
    v1::RunProgress progress;
    progress.set_state(active->run.state());
    progress.set_phase(active->phase);
    progress.set_percent(active->percent);
    if (active->run.state() != v1::RUN_STATE_QUEUED) {
      const absl::Time end =
          IsTerminal(active->run.state())
              ? absl::FromUnixSeconds(active->run.finished_at().seconds()) +
                    absl::Nanoseconds(active->run.finished_at().nanos())
              : context_.now();
      // finished_at is taken before the publishing transaction, so a
      // message sent during it may have seen a later clock: never go back.
      elapsed = std::max(elapsed, end - active->started);
      SetDuration(elapsed, *progress.mutable_elapsed());
    }
    lock.Unlock();
    const bool written = writer->Write(progress);
    lock.Lock();
    if (!written) return grpc::Status::CANCELLED;
    if (IsTerminal(progress.state())) return grpc::Status::OK;
    if (stopping_) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          "the server is shutting down; call again to resume");
    }
    if (server_context->IsCancelled()) return grpc::Status::CANCELLED;
    // Wake on a phase or state change, or after the interval.
    const v1::RunPhase phase = active->phase;
    const v1::RunState state = active->run.state();
    const auto deadline = std::chrono::steady_clock::now() +
                          absl::ToChronoMilliseconds(options_.watch_interval);
    while (!stopping_ && active->phase == phase &&
           active->run.state() == state) {
      if (changed_.WaitUntil(&mutex_, deadline)) break;
    }
  }
}

absl::Status RematchService::Cancel(const grpc::ServerContext& server_context,
                                    const v1::CancelRunRequest& request,
                                    v1::Run& response) {
  constexpr absl::string_view kCall = "RematchService.CancelRun";
  absl::StatusOr<Caller> caller = Authorize(
      context_, server_context, {Role::kOperator, Role::kAdmin}, kCall);
  if (!caller.ok()) return caller.status();
  if (absl::Status s = RunIdRequired(request.run_id()); !s.ok()) return s;
  {
    MutexLock lock(&mutex_);
    if (active_ != nullptr && active_->run.run_id() == request.run_id() &&
        !IsTerminal(active_->run.state())) {
      if (active_->phase == v1::RUN_PHASE_PUBLISH) {
        return absl::FailedPreconditionError(absl::StrCat(
            "run ", request.run_id(),
            " is publishing, which is atomic and cannot be interrupted"));
      }
      active_->cancel = true;
      response = active_->run;
      return absl::OkStatus();
    }
  }
  absl::StatusOr<v1::Run> run = FindRun(request.run_id());
  if (!run.ok()) return run.status();
  if (run->state() == v1::RUN_STATE_CANCELLED) {
    response = *run;
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat("run ", run->run_id(), ": state ",
                   v1::RunState_Name(run->state()).substr(10),
                   "; only a queued or running run can be cancelled"));
}

absl::StatusOr<v1::Run> RematchService::SucceededRun(absl::string_view run_id) {
  if (run_id.empty()) return absl::InvalidArgumentError("run_id: required");
  absl::StatusOr<v1::Run> run = FindRun(run_id);
  if (!run.ok()) return run.status();
  if (run->state() != v1::RUN_STATE_SUCCEEDED) {
    return absl::FailedPreconditionError(
        absl::StrCat("run ", run->run_id(), ": state ",
                     v1::RunState_Name(run->state()).substr(10)));
  }
  return run;
}

absl::Status RematchService::Report(const grpc::ServerContext& server_context,
                                    const v1::GetRunReportRequest& request,
                                    v1::RunReport& response) {
  constexpr absl::string_view kCall = "RematchService.GetRunReport";
  absl::StatusOr<Caller> caller = Authorize(
      context_, server_context, {Role::kOperator, Role::kAdmin}, kCall);
  if (!caller.ok()) return caller.status();
  absl::StatusOr<v1::Run> run = SucceededRun(request.run_id());
  if (!run.ok()) return run.status();
  absl::StatusOr<v1::RunReport> report =
      context_.store->GetRunReport(request.run_id());
  if (!report.ok()) return report.status();
  response = std::move(*report);
  return absl::OkStatus();
}

absl::Status RematchService::Proposals(
    const grpc::ServerContext& server_context,
    const v1::ListRunProposalsRequest& request,
    v1::ListRunProposalsResponse& response) {
  constexpr absl::string_view kCall = "RematchService.ListRunProposals";
  absl::StatusOr<Caller> caller = Authorize(
      context_, server_context, {Role::kOperator, Role::kAdmin}, kCall);
  if (!caller.ok()) return caller.status();
  absl::StatusOr<v1::Run> run = SucceededRun(request.run_id());
  if (!run.ok()) return run.status();
  const std::string& after = request.page().page_token();
  if (!after.empty() && after.rfind(run->run_id() + "-", 0) != 0) {
    return absl::InvalidArgumentError(absl::StrCat("page.page_token: '", after,
                                                   "' is not a token of run ",
                                                   run->run_id()));
  }
  store::ProposalQuery query;
  query.run_id = run->run_id();
  if (run->parameters().dry_run()) {
    query.states = {v1::PROPOSAL_STATE_UNSPECIFIED};
  } else {
    query.states = {v1::PROPOSAL_STATE_PENDING, v1::PROPOSAL_STATE_ACCEPTED,
                    v1::PROPOSAL_STATE_REJECTED, v1::PROPOSAL_STATE_EXPIRED};
  }
  query.redacted = true;
  return ListProposalPage(context_, *caller, kCall, std::move(query),
                          request.page(), *response.mutable_proposals(),
                          *response.mutable_next_page_token());
}

}  // namespace placement::service
