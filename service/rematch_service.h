// RematchService: operators start, watch, cancel and inspect the overnight
// rematch over the API. The runs themselves, their publication and the rules
// of both are the use cases of app/rematch.h; this class authorises the
// caller, converts the request, calls app::RematchRunner and writes the
// answer.
//
// The service uses gRPC's synchronous API: WatchRun is a long-lived stream
// that loops on RunWatch::Next and writes each update, the calls are few and
// operator-only, and the suggestion path (callback API) is not shared.
//
// Thread safety: thread-safe. Stop() must be called before the server's
// context goes away; it cancels a running run and joins the worker.

#ifndef PLACEMENT_SERVICE_REMATCH_SERVICE_H_
#define PLACEMENT_SERVICE_REMATCH_SERVICE_H_

#include <string>

#include "absl/time/time.h"
#include "app/rematch.h"
#include "placement/v1/rematch_service.grpc.pb.h"
#include "service/parsed_requests.h"
#include "service/rpc_support.h"

namespace placement::service {

struct RematchServiceOptions {
  int threads = 0;         // worker threads of a run; 0 = all cores
  std::string report_dir;  // where report files go; empty: none
  // Time between progress messages of WatchRun while nothing changes.
  absl::Duration watch_interval = absl::Seconds(1);
};

class RematchService final
    : public ParsesRequests<v1::RematchService, v1::RematchService::Service> {
 public:
  RematchService(ServiceContext& context, RematchServiceOptions options);

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
  grpc::Status ListRuns(grpc::ServerContext* server_context,
                        const v1::ListRunsRequest* request,
                        v1::ListRunsResponse* response) override;
  grpc::Status ListRunProposals(
      grpc::ServerContext* server_context,
      const v1::ListRunProposalsRequest* request,
      v1::ListRunProposalsResponse* response) override;

 private:
  ServiceContext& context_;
  const absl::Duration watch_interval_;
  app::RematchRunner runner_;
};

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_REMATCH_SERVICE_H_
