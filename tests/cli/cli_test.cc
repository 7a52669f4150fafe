// The `placement` program as a new user meets it, run as a subprocess against
// a real placement-server on loopback: help for every command, flags that do
// not apply, code look-ups, JSON input with table names, the partial update
// of a participant, JSON lines, and no protobuf placeholder in any output.

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cli/command_line.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "placement/v1/coach_service.pb.h"
#include "placement/v1/followup_service.pb.h"
#include "placement/v1/registry_service.pb.h"
#include "tests/testing/running_server.h"

namespace placement::cli {
namespace {

using ::placement::testing::kAdminToken;
using ::placement::testing::kCoachToken;
using ::placement::testing::kEmployerToken;
using ::placement::testing::kOperatorToken;
using ::placement::testing::ReadFileOrDie;
using ::placement::testing::RunAndCapture;
using ::placement::testing::RunningServer;
using ::placement::testing::ScratchDir;
using ::placement::testing::WriteFileOrDie;
using ::testing::HasSubstr;
using ::testing::Not;

// Runs placement without a server or token.
int Placement(const std::vector<std::string>& args, std::string* output) {
  std::vector<std::string> argv = {PLACEMENT_CLI_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  output->clear();
  return RunAndCapture(argv, output);
}

TEST(CliHelpTest, EveryCommandsHelpShowsItsUsageAndExampleAndExitsZero) {
  for (const Command& command : Commands()) {
    if (command.name == "help") continue;  // `help --help` is the list
    const std::vector<std::string> words = absl::StrSplit(command.name, ' ');
    std::vector<std::string> args = words;
    args.push_back("--help");
    std::string out;
    EXPECT_EQ(Placement(args, &out), 0) << command.name << "\n" << out;
    EXPECT_THAT(out, HasSubstr(absl::StrCat("Usage: placement ", command.name)))
        << out;
    if (!command.examples.empty()) {
      EXPECT_THAT(out, HasSubstr(std::string(command.examples[0])));
    }
    std::vector<std::string> help = {"help"};
    help.insert(help.end(), words.begin(), words.end());
    std::string same;
    EXPECT_EQ(Placement(help, &same), 0) << command.name;
    EXPECT_EQ(same, out) << command.name;
  }
  // A command's own arguments before --help do not matter.
  std::string out;
  EXPECT_EQ(Placement({"suggest", "P0000012", "--k=5", "--help"}, &out), 0);
  EXPECT_THAT(out, HasSubstr("--max_travel_minutes=MINUTES"));
}

TEST(CliHelpTest, GlobalHelpListsCommandsAndExitCodes) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--help"}, {"help"}, {"-h"}}) {
    std::string out;
    EXPECT_EQ(Placement(args, &out), 0) << args[0];
    EXPECT_THAT(out, HasSubstr("Commands:"));
    EXPECT_THAT(out, HasSubstr("Exit codes:"));
    EXPECT_THAT(out, HasSubstr("  2  usage"));
  }
  std::string out;
  EXPECT_EQ(Placement({}, &out), 2);
  EXPECT_THAT(out, HasSubstr("Commands:"));
  EXPECT_EQ(Placement({"help", "frobnicate"}, &out), 2);
  EXPECT_THAT(out, HasSubstr("unknown command 'frobnicate'"));
}

TEST(CliHelpTest, AFlagThatDoesNotApplyIsAnErrorNamingFlagAndCommand) {
  std::string out;
  EXPECT_EQ(Placement({"suggest", "P0000001", "--municipality=9999",
                       "--status=closed"},
                      &out),
            2);
  EXPECT_THAT(out, HasSubstr("--status does not apply to 'suggest'"));
  EXPECT_EQ(Placement({"explain", "P0000001", "O000001", "--k=3"}, &out), 2);
  EXPECT_THAT(out, HasSubstr("--k does not apply to 'explain'"));
  EXPECT_EQ(Placement({"opening", "close", "O000001", "--mask=capacity"}, &out),
            2);
  EXPECT_THAT(out, HasSubstr("--mask does not apply to 'opening close'"));
  EXPECT_EQ(Placement({"health", "--frobnicate"}, &out), 2);
  EXPECT_THAT(out, HasSubstr("unknown flag --frobnicate"));
  EXPECT_EQ(Placement({"suggest", "P0000001", "--kind=sosial"}, &out), 2);
  EXPECT_THAT(out, HasSubstr("--kind: 'sosial' is not one of "
                             "employer_internship, work_training"));
  EXPECT_EQ(Placement({"suggest", "P0000001", "--k=many"}, &out), 2);
  EXPECT_THAT(out, HasSubstr("--k=many"));
}

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new ScratchDir();
    server_ = new RunningServer(*scratch_);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete scratch_;
  }
  // Runs placement against the server with `token`; returns the exit code.
  // Any output that shows a protobuf placeholder fails the test.
  static int Cli(const std::vector<std::string>& args, std::string* output,
                 const std::string& token = kCoachToken) {
    std::vector<std::string> argv = {"--server=" + server_->address(),
                                     "--token=" + token};
    argv.insert(argv.end(), args.begin(), args.end());
    const int code = Placement(argv, output);
    EXPECT_THAT(*output, Not(HasSubstr("UNSPECIFIED"))) << args[0];
    return code;
  }
  // Every line of `out` is one JSON object; returns them.
  static std::vector<google::protobuf::Struct> JsonLines(
      const std::string& out) {
    std::vector<google::protobuf::Struct> objects;
    for (absl::string_view line :
         absl::StrSplit(out, '\n', absl::SkipEmpty())) {
      google::protobuf::Struct object;
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line),
                                                              &object)
                      .ok())
          << line;
      objects.push_back(object);
    }
    return objects;
  }
  static std::string FirstOwnParticipant() {
    std::string out;
    EXPECT_EQ(Cli({"--json", "participant", "list"}, &out), 0) << out;
    const std::vector<google::protobuf::Struct> lines = JsonLines(out);
    EXPECT_FALSE(lines.empty());
    return lines.empty() ? "" : lines[0].fields().at("id").string_value();
  }

  static ScratchDir* scratch_;
  static RunningServer* server_;
};
ScratchDir* CliTest::scratch_ = nullptr;
RunningServer* CliTest::server_ = nullptr;

TEST_F(CliTest, CodesFindsASkillBySwedishOrEnglishWordWithBothLabels) {
  for (const char* word : {"diskmaskin", "DISHWASHING"}) {
    std::string out;
    ASSERT_EQ(Cli({"codes", "skills", word}, &out, kEmployerToken), 0) << out;
    EXPECT_THAT(out, HasSubstr("CODE"));
    EXPECT_THAT(out, HasSubstr("9412.01"));
    EXPECT_THAT(out, HasSubstr("Diskning och diskmaskin"));
    EXPECT_THAT(out, HasSubstr("Dishwashing and dish machine"));
    EXPECT_THAT(out, HasSubstr("kitchen_restaurant"));
  }
  std::string out;
  ASSERT_EQ(Cli({"--json", "codes", "skills", "diskmaskin"}, &out), 0);
  const std::vector<google::protobuf::Struct> skills = JsonLines(out);
  ASSERT_EQ(skills.size(), 1u);
  EXPECT_EQ(skills[0]
                .fields()
                .at("label")
                .struct_value()
                .fields()
                .at("sv")
                .string_value(),
            "Diskning och diskmaskin");
  ASSERT_EQ(Cli({"codes", "municipalities", "hällefors"}, &out, kOperatorToken),
            0);
  EXPECT_THAT(out, HasSubstr("1863"));
  EXPECT_THAT(out, HasSubstr("Örebro län"));
  ASSERT_EQ(Cli({"codes", "needs", "wheelchair"}, &out, kAdminToken), 0);
  EXPECT_THAT(out, HasSubstr("Använder rullstol"));
  EXPECT_THAT(out, HasSubstr("step_free_access"));
  ASSERT_EQ(Cli({"codes", "supports"}, &out), 0);
  EXPECT_THAT(out, HasSubstr("job_coach_on_site"));
  ASSERT_EQ(Cli({"codes", "fields", "djur"}, &out), 0);
  EXPECT_THAT(out, HasSubstr("animal_care"));
  ASSERT_EQ(Cli({"codes", "skills", "no such skill anywhere"}, &out), 0);
  EXPECT_THAT(out, HasSubstr("nothing matches"));
  EXPECT_EQ(Cli({"codes", "colours"}, &out), 2);
  EXPECT_THAT(out, HasSubstr("skills, fields, supports, needs or "
                             "municipalities"));
  EXPECT_EQ(Cli({"codes", "skills"}, &out, ""), 5);
}

TEST_F(CliTest, JsonFilesTakeTheNamesTablesPrintAndListValidValues) {
  std::string opening = ::placement::testing::ReadFileOrDie(
      ::placement::testing::DataDir() + "/demo/opening.json");
  const std::string proto_name = "\"OPENING_KIND_SOCIAL_ENTERPRISE\"";
  opening.replace(opening.find(proto_name), proto_name.size(),
                  "\"social_enterprise\"");
  const std::string good = scratch_->File("opening.json");
  ::placement::testing::WriteFileOrDie(good, opening);
  std::string out;
  ASSERT_EQ(Cli({"opening", "publish", good, "--draft"}, &out, kEmployerToken),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr(": DRAFT, 0 of 3 places taken"));
  const std::string id = out.substr(out.find('O'), 7);
  ASSERT_EQ(Cli({"opening", "get", id}, &out, kEmployerToken), 0) << out;
  EXPECT_THAT(out, HasSubstr("social_enterprise"));

  opening.replace(opening.find("\"social_enterprise\""), 19, "\"sosial\"   ");
  const std::string bad = scratch_->File("bad.json");
  ::placement::testing::WriteFileOrDie(bad, opening);
  EXPECT_EQ(Cli({"opening", "publish", bad}, &out, kEmployerToken), 2);
  EXPECT_THAT(out, HasSubstr("bad.json: not a Opening in proto JSON: kind: "
                             "'sosial' is not one of employer_internship, "
                             "work_training, enhanced_work_training, "
                             "social_enterprise, supported_employment"));
}

TEST_F(CliTest, AParticipantIsUpdatedPartly) {
  const std::string id = FirstOwnParticipant();
  std::string out;
  ASSERT_EQ(Cli({"--json", "participant", "get", id}, &out), 0) << out;
  v1::Participant before;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out, &before).ok());

  const std::string change = scratch_->File("change.json");
  // hours_per_week_available is in the file but not in the mask: kept.
  ::placement::testing::WriteFileOrDie(
      change,
      R"({"max_travel_minutes": 33, "travel_mode": "bike",
          "hours_per_week_available": 2})");
  ASSERT_EQ(Cli({"participant", "update", id, change,
                 "--mask=max_travel_minutes,travel_mode"},
                &out),
            0)
      << out;
  EXPECT_EQ(out, absl::StrCat("updated ", id, "\n"));
  ASSERT_EQ(Cli({"--json", "participant", "get", id}, &out), 0) << out;
  v1::Participant after;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out, &after).ok());
  v1::Participant expected = before;
  expected.set_max_travel_minutes(33);
  expected.set_travel_mode(v1::TRAVEL_MODE_BIKE);
  expected.clear_updated_at();
  after.clear_updated_at();
  EXPECT_EQ(after.SerializeAsString(), expected.SerializeAsString())
      << after.DebugString();
  ASSERT_EQ(Cli({"participant", "get", id}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("at most 33 min bike"));

  EXPECT_EQ(Cli({"participant", "update", id, change}, &out), 2);
  EXPECT_THAT(out, HasSubstr("--mask"));
  EXPECT_EQ(
      Cli({"participant", "update", id, change, "--mask=updated_at"}, &out), 1);
  EXPECT_THAT(out, HasSubstr("update_mask: \"updated_at\" is output only"));
  EXPECT_EQ(Cli({"participant", "update", id, change, "--mask=salary"}, &out),
            1);
  EXPECT_THAT(out, HasSubstr("\"salary\" is not a field of Participant"));
  EXPECT_EQ(
      Cli({"participant", "update", id, change, "--mask=max_travel_minutes"},
          &out, ::placement::testing::kOtherCoachToken),
      5);
}

TEST_F(CliTest, SuggestTakesTheApisFilters) {
  const std::string id = FirstOwnParticipant();
  std::string out;
  ASSERT_EQ(Cli({"--json", "suggest", id, "--k=100", "--kind=work_training",
                 "--max_travel_minutes=60", "--include_full"},
                &out),
            0)
      << out;
  v1::SuggestOpeningsResponse response;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out, &response).ok())
      << out;
  EXPECT_EQ(JsonLines(out).size(), 1u);
  for (const v1::Match& match : response.suggestions()) {
    EXPECT_LE(match.travel().minutes(), 60.0) << match.opening_id();
  }
  ASSERT_EQ(Cli({"--json", "suggest", id, "--municipality=0136,1863"}, &out), 0)
      << out;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out, &response).ok());
  ASSERT_EQ(Cli({"suggest", id, "--kind=social_enterprise,supported_employment",
                 "--municipality=0136"},
                &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("RANK OPENING"));
  EXPECT_EQ(Cli({"suggest", id, "--max_travel_minutes=241"}, &out), 2);
  EXPECT_THAT(out, HasSubstr("--max_travel_minutes=241"));
  EXPECT_EQ(Cli({"suggest", id, "--municipality=12"}, &out), 1);
  EXPECT_THAT(out, HasSubstr("municipality"));
}

TEST_F(CliTest, ListsAreJsonLinesAndTablesShowNoPlaceholder) {
  std::string out;
  ASSERT_EQ(Cli({"--json", "participant", "list"}, &out), 0);
  const std::vector<google::protobuf::Struct> participants = JsonLines(out);
  ASSERT_GT(participants.size(), 1u);
  EXPECT_TRUE(participants[0].fields().contains("id"));
  ASSERT_EQ(Cli({"--json", "opening", "list", "--status=open"}, &out), 0);
  EXPECT_GT(JsonLines(out).size(), 10u);
  ASSERT_EQ(Cli({"--json", "health"}, &out), 0);
  EXPECT_EQ(JsonLines(out).size(), 1u);
  // Tables, and the answers people read, across the roles.
  const std::string id = FirstOwnParticipant();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"participant", "list"},
        {"participant", "get", id},
        {"suggest", id, "--include_full"},
        {"explain", id, "O000001"},
        {"opening", "list"},
        {"opening", "get", "O000001"},
        {"proposals"},
        {"codes", "needs"},
        {"--json", "explain", id, "O000002"}}) {
    EXPECT_EQ(Cli(args, &out), 0) << args[0] << "\n" << out;
  }
  EXPECT_EQ(Cli({"candidates", "O000001"}, &out, kEmployerToken), 0) << out;
  EXPECT_EQ(Cli({"gaps", "0136"}, &out, kEmployerToken), 0) << out;
}

}  // namespace
}  // namespace placement::cli

namespace placement::cli {
namespace {

TEST_F(CliTest, ACoachHoldsStartsAndEndsAPlacement) {
  // The first participant of the caseload with an eligible opening.
  std::string out;
  ASSERT_EQ(Cli({"--json", "participant", "list"}, &out), 0) << out;
  std::string participant;
  std::string opening;
  for (const google::protobuf::Struct& line : JsonLines(out)) {
    if (!absl::StrContains(line.fields().at("status").string_value(),
                           "ACTIVE")) {
      continue;
    }
    const std::string id = line.fields().at("id").string_value();
    ASSERT_EQ(Cli({"--json", "suggest", id, "--k=1"}, &out), 0) << out;
    v1::SuggestOpeningsResponse response;
    ASSERT_TRUE(
        google::protobuf::util::JsonStringToMessage(out, &response).ok());
    if (response.suggestions_size() > 0) {
      participant = id;
      opening = response.suggestions(0).opening_id();
      break;
    }
  }
  ASSERT_FALSE(participant.empty());

  EXPECT_EQ(Cli({"hold", participant, opening, "--days=11"}, &out), 2);
  EXPECT_THAT(out, HasSubstr("--days=11"));
  ASSERT_EQ(Cli({"--json", "hold", participant, opening, "--days=2"}, &out), 0)
      << out;
  const std::string hold =
      JsonLines(out).at(0).fields().at("hold_id").string_value();
  ASSERT_EQ(Cli({"holds"}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr(hold));
  // The place is taken for everyone: a second hold of the same participant
  // is refused.
  EXPECT_EQ(Cli({"hold", participant, opening}, &out), 1);
  EXPECT_THAT(out, HasSubstr("already holds a place"));

  EXPECT_EQ(Cli({"start", participant}, &out), 2);
  ASSERT_EQ(Cli({"start", participant, "--hold=" + hold}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("started L"));
  const std::string placement = out.substr(out.find('L'), 8);
  EXPECT_EQ(Cli({"end", placement}, &out), 2);
  EXPECT_THAT(out, HasSubstr("--outcome"));
  ASSERT_EQ(Cli({"end", placement, "--outcome=completed"}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("completed"));

  ASSERT_EQ(Cli({"timeline", participant}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("hold_placed"));
  EXPECT_THAT(out, HasSubstr("placement_ended"));
  ASSERT_EQ(Cli({"--json", "timeline", participant}, &out), 0) << out;
  EXPECT_EQ(JsonLines(out).size(), 4u);

  ASSERT_EQ(Cli({"opening", "counts", opening}, &out, kEmployerToken), 0)
      << out;
  EXPECT_THAT(out, HasSubstr("1 ended"));
  EXPECT_THAT(out, Not(HasSubstr(participant)));
  EXPECT_EQ(Cli({"timeline", participant}, &out, kEmployerToken), 5);
}

TEST_F(CliTest, TheOperatorReadsTheDecisionFunnelAsTableJsonAndCsv) {
  // A coach is shown suggestions: the funnel's first stage.
  const std::string participant = FirstOwnParticipant();
  std::string out;
  ASSERT_EQ(Cli({"suggest", participant}, &out), 0) << out;

  const std::vector<std::string> period = {"--from=2000-01-01",
                                           "--to=2100-12-31"};
  std::vector<std::string> args = {"followup", "funnel"};
  args.insert(args.end(), period.begin(), period.end());
  ASSERT_EQ(Cli(args, &out, kOperatorToken), 0) << out;
  for (const char* column :
       {"DIMENSION", "GROUP", "PEOPLE", "SUGGESTED", "PROPOSED", "ACCEPTED",
        "STARTED", "GOOD OUTCOME", "ACCEPTED/PROPOSED", "STARTED/ACCEPTED",
        "GOOD/STARTED"}) {
    EXPECT_THAT(out, HasSubstr(column));
  }
  EXPECT_THAT(out, HasSubstr("share of the group's people"));
  EXPECT_THAT(out, HasSubstr("total"));
  EXPECT_THAT(out, HasSubstr("born_abroad"));
  EXPECT_THAT(out, HasSubstr("four fifths"));
  EXPECT_THAT(out, Not(HasSubstr(participant)));

  std::vector<std::string> json = {"--json"};
  json.insert(json.end(), args.begin(), args.end());
  ASSERT_EQ(Cli(json, &out, kAdminToken), 0) << out;
  v1::DecisionFunnel funnel;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out, &funnel).ok())
      << out;
  EXPECT_EQ(funnel.totals().participants(), 500u);
  ASSERT_EQ(funnel.totals().stages_size(), 5);
  EXPECT_GE(funnel.totals().stages(0).reached(), 1u);
  ASSERT_GT(funnel.groups_size(), 0);
  EXPECT_THAT(out, HasSubstr("\"from_date\""));  // proto field names
  // Shares of the group's people, never above 1; conversions from
  // accepted on.
  for (const v1::FunnelStage& stage : funnel.totals().stages()) {
    ASSERT_TRUE(stage.has_share());
    EXPECT_LE(stage.share(), 1.0);
    EXPECT_EQ(stage.has_conversion(),
              stage.stage() >= v1::FUNNEL_STAGE_KIND_ACCEPTED);
  }

  const std::string csv = scratch_->File("funnel.csv");
  std::vector<std::string> with_csv = args;
  with_csv.push_back("--csv=" + csv);
  ASSERT_EQ(Cli(with_csv, &out, kOperatorToken), 0) << out;
  const std::vector<std::string> lines =
      absl::StrSplit(ReadFileOrDie(csv), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u + static_cast<size_t>(funnel.groups_size()));
  EXPECT_THAT(lines[0], HasSubstr("dimension,group,suppressed,participants,"
                                  "suggested_reached,suggested_share"));
  EXPECT_THAT(lines[0], HasSubstr("good_outcome_below_four_fifths"));
  EXPECT_THAT(lines[0], HasSubstr("accepted_converted,accepted_conversion_rate,"
                                  "accepted_conversion_ratio_to_best"));
  EXPECT_THAT(lines[0], HasSubstr("from_date,to_date,"));
  EXPECT_THAT(lines[1],
              HasSubstr("2000-01-01,2100-12-31,total,all,false,500,"));
  // Every line has the header's columns.
  const size_t columns = std::count(lines[0].begin(), lines[0].end(), ',');
  for (const std::string& line : lines) {
    EXPECT_EQ(std::count(line.begin(), line.end(), ','), columns) << line;
  }

  // Coaches and employer contacts are refused (exit 5); a period the CLI
  // cannot read is a usage error, one the server refuses exit 1.
  EXPECT_EQ(Cli(args, &out, kCoachToken), 5) << out;
  EXPECT_EQ(Cli(args, &out, kEmployerToken), 5) << out;
  EXPECT_EQ(
      Cli({"followup", "funnel", "--from=2027-01-01"}, &out, kOperatorToken),
      2);
  EXPECT_THAT(out, HasSubstr("--to"));
  EXPECT_EQ(Cli({"followup", "funnel", "--from=1 May", "--to=2027-01-01"}, &out,
                kOperatorToken),
            2);
  EXPECT_EQ(Cli({"followup", "funnel", "--from=2027-02-30", "--to=2027-03-01"},
                &out, kOperatorToken),
            1);
  EXPECT_THAT(out, HasSubstr("2027-02-30 is not a valid date"));
}

TEST_F(CliTest, TheFollowUpReportAsTableJsonAndCsv) {
  std::string out;
  const std::vector<std::string> period = {
      "followup", "report", "--from=2025-12-01", "--to=2026-11-30"};
  ASSERT_EQ(Cli(period, &out, kOperatorToken), 0) << out;
  EXPECT_THAT(out, HasSubstr("Participants entering, by age at entry:"));
  EXPECT_THAT(out, HasSubstr("  16-24"));
  EXPECT_THAT(out, HasSubstr("FEMALE"));
  EXPECT_THAT(out, HasSubstr("  no_placement"));
  EXPECT_THAT(out, HasSubstr("median days"));
  EXPECT_THAT(out, HasSubstr("a total beside one: hidden"));

  // --json: the report message; --csv: every figure, withheld ones empty.
  const std::string csv = scratch_->File("followup.csv");
  std::vector<std::string> json_args = {"--json"};
  json_args.insert(json_args.end(), period.begin(), period.end());
  json_args.push_back("--csv=" + csv);
  ASSERT_EQ(Cli(json_args, &out, kAdminToken), 0) << out;
  v1::FollowUpReport report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out, &report).ok())
      << out;
  const std::vector<std::string> lines =
      absl::StrSplit(ReadFileOrDie(csv), '\n', absl::SkipEmpty());
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(
      lines[0],
      "from_date,to_date,municipality,programme,table,group,gender,value");
  const size_t rows = static_cast<size_t>(
      report.entries_by_age_band_size() + report.placements_by_kind_size() +
      report.exits_by_outcome_size() + report.exits_by_situation_size());
  // Five genders per row, three figures per gender for the moved-up share,
  // two for the median.
  EXPECT_EQ(lines.size(), 1 + rows * 5 + 5 * 3 + 5 * 2);
  for (const v1::FollowUpRow& row : report.entries_by_age_band()) {
    const std::string prefix = absl::StrCat(
        "2025-12-01,2026-11-30,,,entries_by_age_band,", row.key(), ",female,");
    const std::string value = row.counts().female().withheld()
                                  ? ""
                                  : absl::StrCat(row.counts().female().count());
    EXPECT_THAT(lines, ::testing::Contains(prefix + value));
  }
  for (const std::string& line : lines) {
    EXPECT_THAT(line, Not(HasSubstr("<5")));
  }

  // Flags and roles.
  EXPECT_EQ(
      Cli({"followup", "report", "--from=2025-12-01"}, &out, kOperatorToken),
      2);
  EXPECT_THAT(out, HasSubstr("--to"));
  EXPECT_EQ(Cli({"followup", "report", "--from=1 Dec", "--to=2026-01-01"}, &out,
                kOperatorToken),
            2);
  EXPECT_EQ(Cli({"followup", "report", "--from=2026-01-01", "--to=2025-01-01"},
                &out, kOperatorToken),
            1);
  EXPECT_THAT(out, HasSubstr("to_date"));
  EXPECT_EQ(Cli(period, &out, kCoachToken), 5);
}

TEST_F(CliTest, ACoachRecordsTheSituationAfterExit) {
  std::string out;
  const std::string id = FirstOwnParticipant();
  EXPECT_EQ(Cli({"followup", "record", id}, &out), 2);
  EXPECT_THAT(out, HasSubstr("--situation"));
  // Not exited: refused.
  EXPECT_EQ(Cli({"followup", "record", id, "--situation=studies"}, &out), 1);
  EXPECT_THAT(out, HasSubstr("not exited"));

  // A participant who left the programme on 2026-01-15.
  ASSERT_EQ(Cli({"--json", "participant", "get", id}, &out), 0) << out;
  v1::Participant participant;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(out, &participant).ok());
  participant.set_id("P0940001");
  participant.clear_updated_at();
  participant.set_status(v1::PARTICIPANT_STATUS_EXITED);
  participant.mutable_exit_date()->set_year(2026);
  participant.mutable_exit_date()->set_month(1);
  participant.mutable_exit_date()->set_day(15);
  std::string json;
  ASSERT_TRUE(
      google::protobuf::util::MessageToJsonString(participant, &json).ok());
  const std::string file = scratch_->File("exited.json");
  WriteFileOrDie(file, json);
  ASSERT_EQ(Cli({"participant", "upsert", file}, &out), 0) << out;
  EXPECT_EQ(Cli({"followup", "record", "P0940001", "--situation=studies",
                 "--checked_on=2026-06-01"},
                &out),
            1);
  EXPECT_THAT(out, HasSubstr("at least 150"));
  ASSERT_EQ(Cli({"followup", "record", "P0940001", "--situation=job_seeking",
                 "--checked_on=2026-07-20"},
                &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("job_seeking, checked on 2026-07-20"));
  ASSERT_EQ(Cli({"timeline", "P0940001"}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("exit_follow_up"));
  EXPECT_EQ(Cli({"followup", "record", "P0940001", "--situation=studies"}, &out,
                kOperatorToken),
            5);
}

}  // namespace
}  // namespace placement::cli
