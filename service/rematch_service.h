// RematchService: operators start, watch, cancel and inspect the overnight
// rematch (engine/rematch.h) over the API.
//
// One run at a time, on a worker thread of this service:
//   QUEUED -> RUNNING (candidates, assignment, audit, publish) -> SUCCEEDED
//                                                     \-> FAILED | CANCELLED
// The run reads the snapshot current when it starts and the store's pending
// and rejected pairs. Publishing is one store transaction (store::Store::PublishRun)
// taken under the service's write lock: the previous run's pending proposals
// expire and the new ones appear together, or nothing changes. Writes made
// while the run computed are respected at publish time: a proposal whose
// participant is no longer ACTIVE, or whose opening is no longer OPEN or has
// no free place left, is withdrawn (RunReport.proposals_withdrawn). A crash
// or cancellation before that transaction leaves the previous proposals as
// they were; a server that starts finds runs a crash left QUEUED or RUNNING
// and marks them FAILED.
//
// Each succeeded run's report is also written as proto JSON to
// `<report_dir>/<run_id>.json` (when report_dir is set).
//
// The service uses gRPC's synchronous API: WatchRun is a long-lived stream
// that waits on a condition variable between updates, the calls are few and
// operator-only, and the suggestion path (callback API) is not shared.
//
// Thread safety: thread-safe. Stop() must be called before the server's
// context goes away; it cancels a running run and joins the worker.

#ifndef PLACEMENT_SERVICE_REMATCH_SERVICE_H_
#define PLACEMENT_SERVICE_REMATCH_SERVICE_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/time/time.h"
#include "engine/mutex.h"
#include "engine/rematch.h"
#include "placement/v1/rematch_service.grpc.pb.h"
#include "service/rpc_support.h"

namespace placement::service {

struct RematchServiceOptions {
  int threads = 0;         // worker threads of a run; 0 = all cores
  std::string report_dir;  // where report files go; empty: none
  // Time between progress messages of WatchRun while nothing changes.
  absl::Duration watch_interval = absl::Seconds(1);
};

// The API form of an engine report. Groups of fewer than kAuditMinGroup
// participants are suppressed (their numbers withheld).
void ToProto(const RematchReport& report, absl::string_view run_id,
             bool dry_run, v1::RunReport& out);

class RematchService final : public v1::RematchService::Service {
 public:
  static constexpr uint32_t kDefaultCandidates = 50;
  static constexpr uint32_t kMaxCandidates = 500;
  static constexpr double kDefaultContinuityBonus = 0.05;

  RematchService(ServiceContext& context, RematchServiceOptions options);
  ~RematchService() override;

  // Marks runs a previous process left unfinished as FAILED. Call once
  // before serving.
  absl::Status Recover();
  // Cancels the running run, ends every WatchRun with UNAVAILABLE and joins
  // the worker. Idempotent.
  void Stop();

  grpc::Status StartRun(grpc::ServerContext* server_context,
                        const v1::StartRunRequest* request,
                        v1::Run* response) override;
  grpc::Status WatchRun(grpc::ServerContext* server_context,
                        const v1::WatchRunRequest* request,
                        grpc::ServerWriter<v1::RunProgress>* writer) override;
  grpc::Status CancelRun(grpc::ServerContext* server_context,
                         const v1::CancelRunRequest* request,
                         v1::Run* response) override;
  grpc::Status GetRunReport(grpc::ServerContext* server_context,
                            const v1::GetRunReportRequest* request,
                            v1::RunReport* response) override;
  grpc::Status ListRunProposals(
      grpc::ServerContext* server_context,
      const v1::ListRunProposalsRequest* request,
      v1::ListRunProposalsResponse* response) override;

 private:
  // The run this process is executing or executed last. `run`, `phase` and
  // `percent` are read and written only under RematchService::mutex_; the
  // analysis cannot name an enclosing object's mutex on a nested struct's
  // members, so this one rule is kept by review (and the TSan tests).
  struct ActiveRun {
    v1::Run run;
    v1::RunPhase phase = v1::RUN_PHASE_UNSPECIFIED;
    double percent = 0;
    absl::Time started;
    std::atomic<bool> cancel{false};
  };

  absl::Status Start(const grpc::ServerContext& server_context,
                     const v1::StartRunRequest& request, v1::Run& response)
      ABSL_LOCKS_EXCLUDED(start_mutex_, mutex_);
  absl::Status Cancel(const grpc::ServerContext& server_context,
                      const v1::CancelRunRequest& request, v1::Run& response)
      ABSL_LOCKS_EXCLUDED(mutex_);
  absl::Status Report(const grpc::ServerContext& server_context,
                      const v1::GetRunReportRequest& request,
                      v1::RunReport& response);
  absl::Status Proposals(const grpc::ServerContext& server_context,
                         const v1::ListRunProposalsRequest& request,
                         v1::ListRunProposalsResponse& response);
  // The run `run_id` if it SUCCEEDED; INVALID_ARGUMENT, NOT_FOUND or
  // FAILED_PRECONDITION (naming its state) otherwise.
  absl::StatusOr<v1::Run> SucceededRun(absl::string_view run_id);
  // The run as this process knows it, else as stored.
  absl::StatusOr<v1::Run> FindRun(absl::string_view run_id)
      ABSL_LOCKS_EXCLUDED(mutex_);

  // The worker: runs `active` to a terminal state.
  void Execute(std::shared_ptr<ActiveRun> active,
               std::shared_ptr<const Snapshot> snapshot)
      ABSL_LOCKS_EXCLUDED(mutex_);
  absl::Status Publish(ActiveRun& active, const Snapshot& snapshot,
                       const RematchResult& result)
      ABSL_LOCKS_EXCLUDED(mutex_, context_.write_mutex);
  // Sets the terminal state, stores the run and wakes watchers.
  void Finish(ActiveRun& active, v1::RunState state,
              const std::string& error_message) ABSL_LOCKS_EXCLUDED(mutex_);
  void WriteReportFile(const v1::RunReport& report) const;

  ServiceContext& context_;
  const RematchServiceOptions options_;

  Mutex mutex_ ABSL_ACQUIRED_AFTER(start_mutex_);
  CondVar changed_;  // a run's state, phase or percent changed, or stopping
  std::shared_ptr<ActiveRun> active_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread worker_ ABSL_GUARDED_BY(start_mutex_);
  // Serialises Start and Stop, which start and join the worker.
  Mutex start_mutex_;
};

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_REMATCH_SERVICE_H_
