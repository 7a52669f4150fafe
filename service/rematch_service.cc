#include "service/rematch_service.h"

#include <utility>

#include "logging/log.h"

namespace placement::service {
namespace {

RunParameters ParametersOf(const v1::StartRunRequest& request) {
  RunParameters parameters;
  parameters.candidates_per_participant = request.candidates_per_participant();
  parameters.seed = request.seed();
  if (request.has_continuity_bonus()) {
    parameters.continuity_bonus = request.continuity_bonus();
  }
  parameters.dry_run = request.dry_run();
  return parameters;
}

// Sets `response` from `answer`, or returns its error as the call's status.
template <typename T>
grpc::Status Answer(absl::StatusOr<T> answer, T& response) {
  if (!answer.ok()) return ToGrpcStatus(answer.status());
  response = *std::move(answer);
  return grpc::Status::OK;
}

}  // namespace

RematchService::RematchService(ServiceContext& context,
                               RematchServiceOptions options)
    : context_(context),
      watch_interval_(options.watch_interval),
      runner_(context, {.threads = options.threads,
                        .report_dir = std::move(options.report_dir)}) {
  // WatchRun, a synchronous stream, keeps gRPC's parser
  // (service/parsed_requests.h).
  ParseRequestsOf("StartRun", &RematchService::StartRun);
  ParseRequestsOf("CancelRun", &RematchService::CancelRun);
  ParseRequestsOf("GetRunReport", &RematchService::GetRunReport);
  ParseRequestsOf("ListRuns", &RematchService::ListRuns);
  ParseRequestsOf("ListRunProposals", &RematchService::ListRunProposals);
}

absl::Status RematchService::Recover() {
  absl::StatusOr<int> failed = runner_.Recover();
  if (!failed.ok()) return failed.status();
  if (*failed > 0) {
    logging::Warning("rematch.runs.recovered",
                     {{"runs_marked_failed", *failed}});
  }
  return absl::OkStatus();
}

void RematchService::Stop() { runner_.Stop(); }

grpc::Status RematchService::StartRun(grpc::ServerContext* server_context,
                                      const v1::StartRunRequest* request,
                                      v1::Run* response) {
  absl::StatusOr<Caller> caller =
      Authorize(context_, *server_context, {Role::kOperator, Role::kAdmin},
                "RematchService.StartRun");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return Answer(runner_.Start(*caller, ParametersOf(*request)), *response);
}

grpc::Status RematchService::WatchRun(
    grpc::ServerContext* server_context, const v1::WatchRunRequest* request,
    grpc::ServerWriter<v1::RunProgress>* writer) {
  absl::StatusOr<Caller> caller =
      Authorize(context_, *server_context, {Role::kOperator, Role::kAdmin},
                "RematchService.WatchRun");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<app::RunWatch> watch =
      runner_.Watch(*caller, request->run_id());
  if (!watch.ok()) return ToGrpcStatus(watch.status());
  while (true) {
    absl::StatusOr<app::RunUpdate> update =
        watch->Next(absl::Now() + watch_interval_);
    if (!update.ok()) return ToGrpcStatus(update.status());
    if (!writer->Write(update->progress)) return grpc::Status::CANCELLED;
    if (update->last) return grpc::Status::OK;
    if (server_context->IsCancelled()) return grpc::Status::CANCELLED;
  }
}

grpc::Status RematchService::CancelRun(grpc::ServerContext* server_context,
                                       const v1::CancelRunRequest* request,
                                       v1::Run* response) {
  absl::StatusOr<Caller> caller =
      Authorize(context_, *server_context, {Role::kOperator, Role::kAdmin},
                "RematchService.CancelRun");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return Answer(runner_.Cancel(*caller, request->run_id()), *response);
}

grpc::Status RematchService::GetRunReport(
    grpc::ServerContext* server_context, const v1::GetRunReportRequest* request,
    v1::RunReport* response) {
  absl::StatusOr<Caller> caller =
      Authorize(context_, *server_context, {Role::kOperator, Role::kAdmin},
                "RematchService.GetRunReport");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return Answer(runner_.Report(*caller, request->run_id()), *response);
}

grpc::Status RematchService::ListRunProposals(
    grpc::ServerContext* server_context,
    const v1::ListRunProposalsRequest* request,
    v1::ListRunProposalsResponse* response) {
  absl::StatusOr<Caller> caller =
      Authorize(context_, *server_context, {Role::kOperator, Role::kAdmin},
                "RematchService.ListRunProposals");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<app::ProposalPage> page =
      runner_.Proposals(*caller, request->run_id(), PageSize(request->page()),
                        request->page().page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (v1::Proposal& proposal : page->proposals) {
    *response->add_proposals() = std::move(proposal);
  }
  response->set_next_page_token(std::move(page->next_page_token));
  return grpc::Status::OK;
}

grpc::Status RematchService::ListRuns(grpc::ServerContext* server_context,
                                      const v1::ListRunsRequest* request,
                                      v1::ListRunsResponse* response) {
  absl::StatusOr<Caller> caller =
      Authorize(context_, *server_context, {Role::kOperator, Role::kAdmin},
                "RematchService.ListRuns");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<app::RunPage> page = runner_.ListRuns(
      *caller, PageSize(request->page()), request->page().page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (v1::Run& run : page->runs) *response->add_runs() = std::move(run);
  response->set_next_page_token(std::move(page->next_page_token));
  return grpc::Status::OK;
}

}  // namespace placement::service
