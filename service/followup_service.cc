#include "service/followup_service.h"

#include "engine/rematch.h"
#include "google/protobuf/util/time_util.h"

namespace placement::service {
namespace {

void SetDate(const Date& date, v1::Date& out) {
  out.set_year(static_cast<uint32_t>(date.year));
  out.set_month(static_cast<uint32_t>(date.month));
  out.set_day(static_cast<uint32_t>(date.day));
}

// Unset fields of a request date stay 0 and fail CheckFollowUpQuery, which
// names the field.
Date DateOf(const v1::Date& date) {
  return Date{.year = static_cast<int>(date.year()),
              .month = static_cast<int>(date.month()),
              .day = static_cast<int>(date.day())};
}

void ToProto(const FollowUpCell& cell, v1::FollowUpCell& out) {
  out.set_withheld(cell.withheld);
  out.set_count(static_cast<uint32_t>(cell.count));
}

void ToProto(const ByGender<FollowUpCell>& cells, v1::FollowUpByGender& out) {
  ToProto(cells[static_cast<size_t>(Gender::kFemale)], *out.mutable_female());
  ToProto(cells[static_cast<size_t>(Gender::kMale)], *out.mutable_male());
  ToProto(cells[static_cast<size_t>(Gender::kOther)], *out.mutable_other());
  ToProto(cells[static_cast<size_t>(Gender::kUndisclosed)],
          *out.mutable_undisclosed());
  ToProto(cells[kFollowUpTotal], *out.mutable_total());
}

void ToProto(const std::vector<FollowUpRow>& rows,
             google::protobuf::RepeatedPtrField<v1::FollowUpRow>& out) {
  for (const FollowUpRow& row : rows) {
    v1::FollowUpRow* shown = out.Add();
    shown->set_key(row.key);
    ToProto(row.counts, *shown->mutable_counts());
  }
}

void ToProto(const FollowUpShare& share, v1::FollowUpShare& out) {
  ToProto(share.participants, *out.mutable_participants());
  ToProto(share.moved_up, *out.mutable_moved_up());
  if (share.share) out.set_share(*share.share);
}

void ToProto(const FollowUpMedian& median, v1::FollowUpMedian& out) {
  ToProto(median.participants, *out.mutable_participants());
  if (median.median_days) out.set_median_days(*median.median_days);
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
    if (stage.share) added.set_share(*stage.share);
    if (stage.ratio_to_best) added.set_ratio_to_best(*stage.ratio_to_best);
    added.set_below_four_fifths(stage.below_four_fifths);
    if (!stage.conversion) continue;
    v1::FunnelConversion& conversion = *added.mutable_conversion();
    conversion.set_converted(
        static_cast<uint32_t>(stage.conversion->converted));
    if (stage.conversion->rate) conversion.set_rate(*stage.conversion->rate);
    if (stage.conversion->ratio_to_best) {
      conversion.set_ratio_to_best(*stage.conversion->ratio_to_best);
    }
    conversion.set_below_four_fifths(stage.conversion->below_four_fifths);
  }
}

}  // namespace

void ToProto(const FollowUpReport& report, v1::FollowUpReport& out) {
  SetDate(report.query.from, *out.mutable_from_date());
  SetDate(report.query.to, *out.mutable_to_date());
  out.set_municipality_code(report.query.municipality_code);
  out.set_programme_code(report.query.programme_code);
  out.set_withheld_below(static_cast<uint32_t>(kFollowUpWithheldBelow));
  ToProto(report.entries_by_age_band, *out.mutable_entries_by_age_band());
  ToProto(report.placements_by_kind, *out.mutable_placements_by_kind());
  ToProto(report.exits_by_outcome, *out.mutable_exits_by_outcome());
  ToProto(report.exits_by_situation, *out.mutable_exits_by_situation());
  const auto gender = [](Gender g) { return static_cast<size_t>(g); };
  v1::FollowUpShareByGender& moved = *out.mutable_moved_up();
  ToProto(report.moved_up[gender(Gender::kFemale)], *moved.mutable_female());
  ToProto(report.moved_up[gender(Gender::kMale)], *moved.mutable_male());
  ToProto(report.moved_up[gender(Gender::kOther)], *moved.mutable_other());
  ToProto(report.moved_up[gender(Gender::kUndisclosed)],
          *moved.mutable_undisclosed());
  ToProto(report.moved_up[kFollowUpTotal], *moved.mutable_total());
  v1::FollowUpMedianByGender& days = *out.mutable_days_to_first_placement();
  const auto& medians = report.days_to_first_placement;
  ToProto(medians[gender(Gender::kFemale)], *days.mutable_female());
  ToProto(medians[gender(Gender::kMale)], *days.mutable_male());
  ToProto(medians[gender(Gender::kOther)], *days.mutable_other());
  ToProto(medians[gender(Gender::kUndisclosed)], *days.mutable_undisclosed());
  ToProto(medians[kFollowUpTotal], *days.mutable_total());
}

void ToProto(const DecisionFunnel& funnel, v1::DecisionFunnel& out) {
  SetDate(funnel.from, *out.mutable_from_date());
  SetDate(funnel.to, *out.mutable_to_date());
  ToProto(funnel.totals, *out.mutable_totals());
  for (const FunnelGroupResult& group : funnel.groups) {
    ToProto(group, *out.add_groups());
  }
  out.set_min_group_size(static_cast<uint32_t>(kAuditMinGroup));
}

grpc::ServerUnaryReactor* FollowUpService::GetFollowUpReport(
    grpc::CallbackServerContext* server,
    const v1::GetFollowUpReportRequest* request, v1::FollowUpReport* response) {
  return Respond(server, [&]() -> absl::Status {
    absl::StatusOr<Caller> caller =
        Authorize(context_, *server, {Role::kOperator, Role::kAdmin},
                  "FollowUpService.GetFollowUpReport");
    if (!caller.ok()) return caller.status();
    if (!request->has_from_date()) {
      return absl::InvalidArgumentError("from_date: required");
    }
    if (!request->has_to_date()) {
      return absl::InvalidArgumentError("to_date: required");
    }
    absl::StatusOr<FollowUpReport> report = app::GetFollowUpReport(
        context_, *caller,
        {.from = DateOf(request->from_date()),
         .to = DateOf(request->to_date()),
         .municipality_code = request->municipality_code(),
         .programme_code = request->programme_code()});
    if (!report.ok()) return report.status();
    ToProto(*report, *response);
    *response->mutable_generated_at() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
            absl::ToUnixMicros(context_.now()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* FollowUpService::GetDecisionFunnel(
    grpc::CallbackServerContext* server,
    const v1::GetDecisionFunnelRequest* request, v1::DecisionFunnel* response) {
  return Respond(server, [&]() -> absl::Status {
    absl::StatusOr<Caller> caller =
        Authorize(context_, *server, {Role::kOperator, Role::kAdmin},
                  "FollowUpService.GetDecisionFunnel");
    if (!caller.ok()) return caller.status();
    if (!request->has_from_date()) {
      return absl::InvalidArgumentError("from_date: required");
    }
    if (!request->has_to_date()) {
      return absl::InvalidArgumentError("to_date: required");
    }
    absl::StatusOr<DecisionFunnel> funnel =
        app::GetDecisionFunnel(context_, *caller, DateOf(request->from_date()),
                               DateOf(request->to_date()));
    if (!funnel.ok()) return funnel.status();
    ToProto(*funnel, *response);
    return absl::OkStatus();
  });
}

}  // namespace placement::service