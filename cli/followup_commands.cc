// CLI commands of the follow-up (operators and admins): followup funnel
// --from D --to D, the decision funnel per group as a table, --json or a
// CSV file.

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "placement/v1/followup_service.grpc.pb.h"

ABSL_FLAG(std::string, from, "",
          "First day of the period, YYYY-MM-DD (included)");
ABSL_FLAG(std::string, to, "", "Last day of the period, YYYY-MM-DD (included)");
ABSL_FLAG(std::string, csv, "", "Also write the answer as CSV to this file");

namespace placement::cli {
namespace {

// "2027-01-15" into `out`; a usage error names the flag.
absl::Status ReadPeriodDay(absl::string_view flag, const std::string& text,
                           v1::Date& out) {
  int year = 0;
  int month = 0;
  int day = 0;
  char rest = 0;
  if (text.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("followup funnel needs --", flag, "=YYYY-MM-DD"));
  }
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &year, &month, &day, &rest) !=
      3) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, "=", text, ": expected YYYY-MM-DD"));
  }
  out.set_year(static_cast<uint32_t>(year));
  out.set_month(static_cast<uint32_t>(month));
  out.set_day(static_cast<uint32_t>(day));
  return absl::OkStatus();
}

std::string DayText(const v1::Date& date) {
  return absl::StrFormat("%04u-%02u-%02u", date.year(), date.month(),
                         date.day());
}

constexpr const char* kStageNames[] = {"suggested", "proposed", "accepted",
                                       "started", "good_outcome"};

// The totals as a row: dimension "total", group "all".
std::string DimensionText(const v1::FunnelGroup& group) {
  return group.dimension().empty() ? "total" : group.dimension();
}
std::string GroupText(const v1::FunnelGroup& group) {
  return group.dimension().empty() ? "all" : group.group();
}

// "40 40% (0.44) !": reached, rate, ratio to the best-off group, flag.
std::string StageCell(const v1::FunnelStage& stage) {
  std::string cell = absl::StrCat(stage.reached());
  if (stage.has_rate()) {
    absl::StrAppend(&cell, " ", absl::StrFormat("%.0f%%", stage.rate() * 100));
  }
  if (stage.has_ratio_to_best()) {
    absl::StrAppend(&cell, " ",
                    absl::StrFormat("(%.2f)", stage.ratio_to_best()));
  }
  if (stage.below_four_fifths()) absl::StrAppend(&cell, " !");
  return cell;
}

void PrintFunnel(const v1::DecisionFunnel& funnel) {
  std::printf("Decision funnel %s to %s\n\n", DayText(funnel.from()).c_str(),
              DayText(funnel.to()).c_str());
  std::vector<std::string> header = {"DIMENSION", "GROUP", "PEOPLE"};
  for (const char* name : kStageNames) {
    std::string column = name;
    for (char& c : column) c = c == '_' ? ' ' : static_cast<char>(c - 32);
    header.push_back(column);
  }
  std::vector<std::vector<std::string>> rows;
  auto add = [&](const v1::FunnelGroup& group) {
    std::vector<std::string> row = {DimensionText(group), GroupText(group)};
    if (group.suppressed()) {
      row.push_back("withheld");
      for (size_t s = 0; s < std::size(kStageNames); ++s) row.push_back("-");
    } else {
      row.push_back(absl::StrCat(group.participants()));
      for (const v1::FunnelStage& stage : group.stages()) {
        row.push_back(StageCell(stage));
      }
    }
    rows.push_back(std::move(row));
  };
  add(funnel.totals());
  for (const v1::FunnelGroup& group : funnel.groups()) add(group);
  PrintTable(header, rows);
  std::printf(
      "\nEach cell: people who reached the stage in the period, the rate "
      "(of the stage before; suggested: of the group's people), (the ratio "
      "to the dimension's best-off group); ! below four fifths (0.8). A "
      "stage can be reached without the one before it (a direct start, a "
      "run's own proposal), so a rate can pass 100%%. Groups under %u "
      "people are withheld.\n",
      funnel.min_group_size());
}

// One line per group; the totals first, as dimension "total", group "all".
bool WriteCsv(const v1::DecisionFunnel& funnel, const std::string& path) {
  std::ofstream file(path, std::ios::trunc);
  file << "from,to,dimension,group,suppressed,participants";
  for (const char* name : kStageNames) {
    file << "," << name << "_reached," << name << "_rate," << name
         << "_ratio_to_best," << name << "_below_four_fifths";
  }
  file << "\n";
  auto row = [&](const v1::FunnelGroup& group) {
    // Dimensions, slugs and codes hold no comma or quote.
    file << DayText(funnel.from()) << "," << DayText(funnel.to()) << ","
         << DimensionText(group) << "," << GroupText(group) << ","
         << (group.suppressed() ? "true" : "false") << ","
         << group.participants();
    for (size_t s = 0; s < std::size(kStageNames); ++s) {
      if (group.suppressed() || static_cast<int>(s) >= group.stages_size()) {
        file << ",,,,";
        continue;
      }
      const v1::FunnelStage& stage = group.stages(static_cast<int>(s));
      file << "," << stage.reached() << ","
           << (stage.has_rate() ? absl::StrFormat("%.6f", stage.rate()) : "")
           << ","
           << (stage.has_ratio_to_best()
                   ? absl::StrFormat("%.6f", stage.ratio_to_best())
                   : "")
           << "," << (stage.below_four_fifths() ? "true" : "false");
    }
    file << "\n";
  };
  row(funnel.totals());
  for (const v1::FunnelGroup& group : funnel.groups()) row(group);
  file.close();
  return !file.fail();
}

}  // namespace

int FollowUpCommand(const Channel& channel, const Args& args) {
  if (args.size() != 3) return UsageError("followup funnel takes no arguments");
  v1::GetDecisionFunnelRequest request;
  if (absl::Status s = ReadPeriodDay("from", absl::GetFlag(FLAGS_from),
                                     *request.mutable_from());
      !s.ok()) {
    return UsageError(std::string(s.message()));
  }
  if (absl::Status s =
          ReadPeriodDay("to", absl::GetFlag(FLAGS_to), *request.mutable_to());
      !s.ok()) {
    return UsageError(std::string(s.message()));
  }
  auto stub = v1::FollowUpService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  v1::DecisionFunnel funnel;
  const grpc::Status status =
      stub->GetDecisionFunnel(&context, request, &funnel);
  if (!status.ok()) return ReportCallError(status);
  const std::string csv = absl::GetFlag(FLAGS_csv);
  if (!csv.empty() && !WriteCsv(funnel, csv)) {
    std::fprintf(stderr, "placement: cannot write %s\n", csv.c_str());
    return kUsage;
  }
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(funnel);
  } else {
    PrintFunnel(funnel);
  }
  return kOk;
}

}  // namespace placement::cli
