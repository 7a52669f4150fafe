// CLI commands of the follow-up: the report for a period (operator, admin)
// as a table, --json or a CSV file; and a participant's situation about six
// months after exit (coach).

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "cli/enum_names.h"
#include "placement/v1/followup_service.grpc.pb.h"
#include "placement/v1/placement_service.grpc.pb.h"

ABSL_FLAG(std::string, from, "",
          "First day of the period, YYYY-MM-DD (included)");
ABSL_FLAG(std::string, to, "", "Last day of the period, YYYY-MM-DD (included)");
ABSL_FLAG(std::string, programme, "",
          "Only this programme (data/programmes), e.g. 22-014-S05");
ABSL_FLAG(std::string, csv, "", "Also write every figure as CSV to this file");
ABSL_FLAG(std::string, situation, "",
          "Where the participant is: unsubsidised_work, subsidised_work, "
          "studies, job_seeking, other");
ABSL_FLAG(std::string, checked_on, "",
          "The day the situation was checked, YYYY-MM-DD (default today)");
ABSL_DECLARE_FLAG(std::string, municipality);

namespace placement::cli {
namespace {

std::string Day(const v1::Date& date) {
  return absl::StrFormat("%04u-%02u-%02u", date.year(), date.month(),
                         date.day());
}

// "<5" for a withheld count, as the supply gaps print it.
std::string CellText(const v1::FollowUpCell& cell) {
  return cell.withheld() ? absl::StrCat("<5") : absl::StrCat(cell.count());
}
// A row's total, withheld whenever a cell of its row is (so not always <5).
std::string TotalText(const v1::FollowUpCell& cell) {
  return cell.withheld() ? "hidden" : absl::StrCat(cell.count());
}
// The CSV form: empty for a withheld count.
std::string CellCsv(const v1::FollowUpCell& cell) {
  return cell.withheld() ? "" : absl::StrCat(cell.count());
}

std::vector<const v1::FollowUpCell*> Cells(const v1::FollowUpByGender& c) {
  return {&c.female(), &c.male(), &c.other(), &c.undisclosed(), &c.total()};
}
std::vector<const v1::FollowUpShare*> Shares(
    const v1::FollowUpShareByGender& c) {
  return {&c.female(), &c.male(), &c.other(), &c.undisclosed(), &c.total()};
}
std::vector<const v1::FollowUpMedian*> Medians(
    const v1::FollowUpMedianByGender& c) {
  return {&c.female(), &c.male(), &c.other(), &c.undisclosed(), &c.total()};
}

struct Table {
  const char* name;
  const google::protobuf::RepeatedPtrField<v1::FollowUpRow>* rows;
};

std::vector<Table> Tables(const v1::FollowUpReport& report) {
  return {{"entries_by_age_band", &report.entries_by_age_band()},
          {"placements_by_kind", &report.placements_by_kind()},
          {"exits_by_outcome", &report.exits_by_outcome()},
          {"exits_by_situation", &report.exits_by_situation()}};
}

constexpr const char* kHeader = "%-24s %7s %7s %7s %11s %7s\n";

void PrintGenderTable(
    const char* title,
    const google::protobuf::RepeatedPtrField<v1::FollowUpRow>& rows) {
  std::printf("%s\n", title);
  std::printf(kHeader, "", "FEMALE", "MALE", "OTHER", "UNDISCLOSED", "TOTAL");
  for (const v1::FollowUpRow& row : rows) {
    std::vector<const v1::FollowUpCell*> cells = Cells(row.counts());
    std::printf(kHeader, absl::StrCat("  ", row.key()).c_str(),
                CellText(*cells[0]).c_str(), CellText(*cells[1]).c_str(),
                CellText(*cells[2]).c_str(), CellText(*cells[3]).c_str(),
                TotalText(*cells[4]).c_str());
  }
}

std::string ShareText(const v1::FollowUpShare& share, bool total) {
  if (!share.has_share()) {
    if (!share.participants().withheld() && !share.moved_up().withheld()) {
      return "-";
    }
    return total ? "hidden" : "<5";
  }
  return absl::StrFormat("%.0f%%", 100 * share.share());
}

std::string MedianText(const v1::FollowUpMedian& median, bool total) {
  if (!median.has_median_days()) {
    if (!median.participants().withheld()) return "-";
    return total ? "hidden" : "<5";
  }
  return absl::StrFormat("%g", median.median_days());
}

void PrintReport(const v1::FollowUpReport& report) {
  std::printf(
      "Follow-up %s to %s%s%s (counts 1 to %u withheld: <5; a total beside "
      "one: hidden)\n",
      Day(report.from_date()).c_str(), Day(report.to_date()).c_str(),
      report.municipality_code().empty()
          ? ""
          : absl::StrCat(", municipality ", report.municipality_code()).c_str(),
      report.programme_code().empty()
          ? ""
          : absl::StrCat(", programme ", report.programme_code()).c_str(),
      report.withheld_below() - 1);
  PrintGenderTable("Participants entering, by age at entry:",
                   report.entries_by_age_band());
  PrintGenderTable("Placements started, by kind:", report.placements_by_kind());
  PrintGenderTable(
      "Participants leaving, by the outcome of their last placement:",
      report.exits_by_outcome());
  PrintGenderTable("The same, by their situation six months after exit:",
                   report.exits_by_situation());
  std::printf("Moved up at least one step in the period:\n");
  std::printf(kHeader, "", "FEMALE", "MALE", "OTHER", "UNDISCLOSED", "TOTAL");
  std::vector<const v1::FollowUpShare*> shares = Shares(report.moved_up());
  std::vector<std::string> in, up, share;
  for (size_t g = 0; g < shares.size(); ++g) {
    const v1::FollowUpShare& s = *shares[g];
    const bool total = g + 1 == shares.size();
    in.push_back(total ? TotalText(s.participants())
                       : CellText(s.participants()));
    up.push_back(total ? TotalText(s.moved_up()) : CellText(s.moved_up()));
    share.push_back(ShareText(s, total));
  }
  const auto row = [&](const char* name, const std::vector<std::string>& v) {
    std::printf(kHeader, name, v[0].c_str(), v[1].c_str(), v[2].c_str(),
                v[3].c_str(), v[4].c_str());
  };
  row("  in the programme", in);
  row("  moved up", up);
  row("  share", share);
  std::printf("Days from entry to first placement (median):\n");
  std::printf(kHeader, "", "FEMALE", "MALE", "OTHER", "UNDISCLOSED", "TOTAL");
  std::vector<std::string> people, median;
  const std::vector<const v1::FollowUpMedian*> medians =
      Medians(report.days_to_first_placement());
  for (size_t g = 0; g < medians.size(); ++g) {
    const bool total = g + 1 == medians.size();
    people.push_back(total ? TotalText(medians[g]->participants())
                           : CellText(medians[g]->participants()));
    median.push_back(MedianText(*medians[g], total));
  }
  row("  participants", people);
  row("  median days", median);
}

// One line per figure: table,group,gender,value (empty when withheld).
bool WriteCsv(const std::string& path, const v1::FollowUpReport& report) {
  std::ofstream out(path);
  if (!out) return false;
  static const char* const kGenders[] = {"female", "male", "other",
                                         "undisclosed", "total"};
  out << "from_date,to_date,municipality,programme,table,group,gender,value\n";
  const std::string head = absl::StrCat(
      Day(report.from_date()), ",", Day(report.to_date()), ",",
      report.municipality_code(), ",", report.programme_code(), ",");
  for (const Table& table : Tables(report)) {
    for (const v1::FollowUpRow& row : *table.rows) {
      std::vector<const v1::FollowUpCell*> cells = Cells(row.counts());
      for (size_t g = 0; g < cells.size(); ++g) {
        out << head << table.name << "," << row.key() << "," << kGenders[g]
            << "," << CellCsv(*cells[g]) << "\n";
      }
    }
  }
  std::vector<const v1::FollowUpShare*> shares = Shares(report.moved_up());
  for (size_t g = 0; g < shares.size(); ++g) {
    const v1::FollowUpShare& s = *shares[g];
    out << head << "moved_up,participants," << kGenders[g] << ","
        << CellCsv(s.participants()) << "\n";
    out << head << "moved_up,moved_up," << kGenders[g] << ","
        << CellCsv(s.moved_up()) << "\n";
    out << head << "moved_up,share," << kGenders[g] << ","
        << (s.has_share() ? absl::StrFormat("%.4f", s.share()) : "") << "\n";
  }
  std::vector<const v1::FollowUpMedian*> medians =
      Medians(report.days_to_first_placement());
  for (size_t g = 0; g < medians.size(); ++g) {
    const v1::FollowUpMedian& m = *medians[g];
    out << head << "days_to_first_placement,participants," << kGenders[g] << ","
        << CellCsv(m.participants()) << "\n";
    out << head << "days_to_first_placement,median_days," << kGenders[g] << ","
        << (m.has_median_days() ? absl::StrFormat("%g", m.median_days()) : "")
        << "\n";
  }
  out.close();
  return static_cast<bool>(out);
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

// "40 40% (0.44) !": reached, the share of the group's people, the ratio
// of that share to the best-off group's, and the four-fifths flag.
std::string StageCell(const v1::FunnelStage& stage) {
  std::string cell = absl::StrCat(stage.reached());
  if (stage.has_share()) {
    absl::StrAppend(&cell, " ", absl::StrFormat("%.0f%%", stage.share() * 100));
  }
  if (stage.has_ratio_to_best()) {
    absl::StrAppend(&cell, " ",
                    absl::StrFormat("(%.2f)", stage.ratio_to_best()));
  }
  if (stage.below_four_fifths()) absl::StrAppend(&cell, " !");
  return cell;
}

// "28 70% (0.78) !": converted, the rate of the stage before, the ratio to
// the best-off group, the flag; "-" when there was no one to convert.
std::string ConversionCell(const v1::FunnelConversion& conversion) {
  if (!conversion.has_rate()) return "-";
  std::string cell =
      absl::StrCat(conversion.converted(), " ",
                   absl::StrFormat("%.0f%%", conversion.rate() * 100));
  if (conversion.has_ratio_to_best()) {
    absl::StrAppend(&cell, " ",
                    absl::StrFormat("(%.2f)", conversion.ratio_to_best()));
  }
  if (conversion.below_four_fifths()) absl::StrAppend(&cell, " !");
  return cell;
}

// The stages with a conversion from the stage before, and their columns.
constexpr int kConversionStages[] = {2, 3, 4};  // accepted, started, good
constexpr const char* kConversionNames[] = {"ACCEPTED/PROPOSED",
                                            "STARTED/ACCEPTED", "GOOD/STARTED"};

void PrintFunnel(const v1::DecisionFunnel& funnel) {
  std::printf("Decision funnel %s to %s\n\n", Day(funnel.from_date()).c_str(),
              Day(funnel.to_date()).c_str());
  std::vector<std::string> header = {"DIMENSION", "GROUP", "PEOPLE"};
  for (const char* name : kStageNames) {
    std::string column = name;
    for (char& c : column) c = c == '_' ? ' ' : static_cast<char>(c - 32);
    header.push_back(column);
  }
  for (const char* name : kConversionNames) header.push_back(name);
  std::vector<std::vector<std::string>> rows;
  auto add = [&](const v1::FunnelGroup& group) {
    std::vector<std::string> row = {DimensionText(group), GroupText(group)};
    if (group.suppressed() ||
        group.stages_size() != static_cast<int>(std::size(kStageNames))) {
      row.push_back("withheld");
      while (row.size() < header.size()) row.push_back("-");
    } else {
      row.push_back(absl::StrCat(group.participants()));
      for (const v1::FunnelStage& stage : group.stages()) {
        row.push_back(StageCell(stage));
      }
      for (int s : kConversionStages) {
        row.push_back(ConversionCell(group.stages(s).conversion()));
      }
    }
    rows.push_back(std::move(row));
  };
  add(funnel.totals());
  for (const v1::FunnelGroup& group : funnel.groups()) add(group);
  PrintTable(header, rows);
  std::printf(
      "\nStage cells: people who reached the stage in the period, their "
      "share of the group's people, (the ratio to the dimension's best-off "
      "group); ! below four fifths (0.8). Stages are counted each on its "
      "own: a direct start needs no proposal. X/Y cells: of those who "
      "reached Y, the people the same proposal or placement carried on to X "
      "within the period, and that share. Groups under %u people are "
      "withheld.\n",
      funnel.min_group_size());
}

std::string CsvNumber(bool has, double value) {
  return has ? absl::StrFormat("%.6f", value) : "";
}

// One line per group; the totals first, as dimension "total", group "all".
bool WriteFunnelCsv(const v1::DecisionFunnel& funnel, const std::string& path) {
  std::ofstream file(path, std::ios::trunc);
  file << "from_date,to_date,dimension,group,suppressed,participants";
  for (const char* name : kStageNames) {
    file << "," << name << "_reached," << name << "_share," << name
         << "_ratio_to_best," << name << "_below_four_fifths";
  }
  for (int s : kConversionStages) {
    const char* name = kStageNames[s];
    file << "," << name << "_converted," << name << "_conversion_rate," << name
         << "_conversion_ratio_to_best," << name
         << "_conversion_below_four_fifths";
  }
  file << "\n";
  auto row = [&](const v1::FunnelGroup& group) {
    // Dimensions, slugs and codes hold no comma or quote.
    file << Day(funnel.from_date()) << "," << Day(funnel.to_date()) << ","
         << DimensionText(group) << "," << GroupText(group) << ","
         << (group.suppressed() ? "true" : "false") << ","
         << group.participants();
    const bool shown =
        !group.suppressed() &&
        group.stages_size() == static_cast<int>(std::size(kStageNames));
    for (const v1::FunnelStage& stage : group.stages()) {
      if (!shown) break;
      file << "," << stage.reached() << ","
           << CsvNumber(stage.has_share(), stage.share()) << ","
           << CsvNumber(stage.has_ratio_to_best(), stage.ratio_to_best()) << ","
           << (stage.below_four_fifths() ? "true" : "false");
    }
    for (int s : kConversionStages) {
      if (!shown) break;
      const v1::FunnelConversion& c = group.stages(s).conversion();
      file << "," << c.converted() << "," << CsvNumber(c.has_rate(), c.rate())
           << "," << CsvNumber(c.has_ratio_to_best(), c.ratio_to_best()) << ","
           << (c.below_four_fifths() ? "true" : "false");
    }
    if (!shown) {
      const size_t empty =
          std::size(kStageNames) * 4 + std::size(kConversionStages) * 4;
      file << std::string(empty, ',');
    }
    file << "\n";
  };
  row(funnel.totals());
  for (const v1::FunnelGroup& group : funnel.groups()) row(group);
  file.close();
  return !file.fail();
}

int ReportCommand(const Channel& channel, const Args& args) {
  if (args.size() != 3) return UsageError("followup report takes no argument");
  v1::GetFollowUpReportRequest request;
  const std::string from = absl::GetFlag(FLAGS_from);
  const std::string to = absl::GetFlag(FLAGS_to);
  if (from.empty() || to.empty()) {
    return UsageError(
        "followup report needs --from=YYYY-MM-DD --to=YYYY-MM-DD");
  }
  if (absl::Status s = ReadDay("from", from, *request.mutable_from_date());
      !s.ok()) {
    return UsageError(std::string(s.message()));
  }
  if (absl::Status s = ReadDay("to", to, *request.mutable_to_date()); !s.ok())
    return UsageError(std::string(s.message()));
  request.set_municipality_code(absl::GetFlag(FLAGS_municipality));
  request.set_programme_code(absl::GetFlag(FLAGS_programme));
  auto stub = v1::FollowUpService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  v1::FollowUpReport report;
  const grpc::Status status =
      stub->GetFollowUpReport(&context, request, &report);
  if (!status.ok()) return ReportCallError(status);
  if (const std::string path = absl::GetFlag(FLAGS_csv); !path.empty()) {
    if (!WriteCsv(path, report)) {
      std::fprintf(stderr, "placement: cannot write '%s'\n", path.c_str());
      return kUsage;
    }
  }
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(report);
  } else {
    PrintReport(report);
  }
  return kOk;
}

int RecordCommand(const Channel& channel, const Args& args) {
  if (args.size() != 4) return UsageError("followup record needs PARTICIPANT");
  v1::RecordExitFollowUpRequest request;
  request.set_participant_id(args[3]);
  const google::protobuf::EnumDescriptor& situations =
      *google::protobuf::GetEnumDescriptor<v1::ExitSituation>();
  const google::protobuf::EnumValueDescriptor* value =
      FindEnumValue(situations, absl::GetFlag(FLAGS_situation));
  if (value == nullptr) {
    return UsageError(absl::StrCat("followup record needs --situation, one of ",
                                   EnumChoices(situations)));
  }
  request.set_situation(static_cast<v1::ExitSituation>(value->number()));
  if (const std::string day = absl::GetFlag(FLAGS_checked_on); !day.empty()) {
    if (absl::Status s =
            ReadDay("checked_on", day, *request.mutable_checked_on());
        !s.ok()) {
      return UsageError(std::string(s.message()));
    }
  }
  auto stub = v1::PlacementService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context);
  v1::ExitFollowUp recorded;
  const grpc::Status status =
      stub->RecordExitFollowUp(&context, request, &recorded);
  if (!status.ok()) return ReportCallError(status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(recorded);
  } else {
    std::printf(
        "%s: %s, checked on %s (exit %s)\n", recorded.participant_id().c_str(),
        LowerName(recorded.situation()).c_str(),
        Day(recorded.checked_on()).c_str(), Day(recorded.exit_date()).c_str());
  }
  return kOk;
}

int FunnelCommand(const Channel& channel, const Args& args) {
  if (args.size() != 3) return UsageError("followup funnel takes no arguments");
  v1::GetDecisionFunnelRequest request;
  if (absl::GetFlag(FLAGS_from).empty() || absl::GetFlag(FLAGS_to).empty()) {
    return UsageError(
        "followup funnel needs --from=YYYY-MM-DD and --to=YYYY-MM-DD");
  }
  if (absl::Status s = ReadDay("from", absl::GetFlag(FLAGS_from),
                               *request.mutable_from_date());
      !s.ok()) {
    return UsageError(std::string(s.message()));
  }
  if (absl::Status s =
          ReadDay("to", absl::GetFlag(FLAGS_to), *request.mutable_to_date());
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
  if (!csv.empty() && !WriteFunnelCsv(funnel, csv)) {
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

}  // namespace

int FollowUpCommand(const Channel& channel, const Args& args) {
  const std::string verb = args.size() > 2 ? args[2] : "";
  if (verb == "report") return ReportCommand(channel, args);
  if (verb == "record") return RecordCommand(channel, args);
  if (verb == "funnel") return FunnelCommand(channel, args);
  return UsageError("followup needs report, funnel or record");
}

}  // namespace placement::cli
