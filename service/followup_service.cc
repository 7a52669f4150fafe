#include "service/followup_service.h"

#include "engine/rematch.h"

namespace placement::service {
namespace {

void SetFunnelDate(const Date& date, v1::Date& out) {
  out.set_year(static_cast<uint32_t>(date.year));
  out.set_month(static_cast<uint32_t>(date.month));
  out.set_day(static_cast<uint32_t>(date.day));
}

Date FunnelDateOf(const v1::Date& date) {
  return Date{.year = static_cast<int>(date.year()),
              .month = static_cast<int>(date.month()),
              .day = static_cast<int>(date.day())};
}

void ToProto(const FunnelGroupResult& group, v1::FunnelGroup& out) {
  out.set_dimension(group.dimension);
  out.set_group(group.group);
  out.set_participants(static_cast<uint32_t>(group.participants));
  out.set_suppressed(group.suppressed);
  if (group.suppressed) return;  // withheld: no stages
  for (int s = 0; s < kFunnelStageCount; ++s) {
    const FunnelStageResult& stage = group.stages[static_cast<size_t>(s)];
    v1::FunnelStage& added = *out.add_stages();
    // Engine enums are 0-based; the API's lists them from 1.
    added.set_stage(static_cast<v1::FunnelStageKind>(s + 1));
    added.set_reached(static_cast<uint32_t>(stage.reached));
    if (stage.rate) added.set_rate(*stage.rate);
    if (stage.ratio_to_best) added.set_ratio_to_best(*stage.ratio_to_best);
    added.set_below_four_fifths(stage.below_four_fifths);
  }
}

}  // namespace

void ToProto(const DecisionFunnel& funnel, v1::DecisionFunnel& out) {
  SetFunnelDate(funnel.from, *out.mutable_from());
  SetFunnelDate(funnel.to, *out.mutable_to());
  ToProto(funnel.totals, *out.mutable_totals());
  for (const FunnelGroupResult& group : funnel.groups) {
    ToProto(group, *out.add_groups());
  }
  out.set_min_group_size(static_cast<uint32_t>(kAuditMinGroup));
}

grpc::ServerUnaryReactor* FollowUpService::GetDecisionFunnel(
    grpc::CallbackServerContext* server,
    const v1::GetDecisionFunnelRequest* request, v1::DecisionFunnel* response) {
  return Respond(server, [&]() -> absl::Status {
    absl::StatusOr<Caller> caller =
        Authorize(context_, *server, {Role::kOperator, Role::kAdmin},
                  "FollowUpService.GetDecisionFunnel");
    if (!caller.ok()) return caller.status();
    if (!request->has_from())
      return absl::InvalidArgumentError("from: required");
    if (!request->has_to()) return absl::InvalidArgumentError("to: required");
    absl::StatusOr<DecisionFunnel> funnel =
        app::GetDecisionFunnel(context_, *caller, FunnelDateOf(request->from()),
                               FunnelDateOf(request->to()));
    if (!funnel.ok()) return funnel.status();
    ToProto(*funnel, *response);
    return absl::OkStatus();
  });
}

}  // namespace placement::service
