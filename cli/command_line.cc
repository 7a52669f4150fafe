#include "cli/command_line.h"

#include <algorithm>
#include <optional>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace placement::cli {
namespace {

// The column of the texts in lists: "  opening update OPENING FILE   ...".
constexpr int kListWidth = 30;
constexpr size_t kLineWidth = 80;

const std::vector<FlagUse>& Global() {
  static const auto* flags = new std::vector<FlagUse>{
      {"server", "HOST:PORT", "the server (default 127.0.0.1:50051)"},
      {"token", "TOKEN",
       "bearer token (default: the PLACEMENT_TOKEN environment variable)"},
      {"token_file", "FILE",
       "read the bearer token from FILE (mode 600: a file that group or "
       "others can read is refused); keeps it off the command line"},
      {"json", "",
       "JSON lines for scripts instead of tables: one compact object per line "
       "(per item for lists and streams)"},
      {"lang", "en|sv",
       "language of reasons and labels in tables (default en); --json "
       "carries both"},
      {"timeout", "DURATION", "deadline of each call, e.g. 5s (default 5s)"},
      {"tls_ca", "FILE",
       "trust this PEM CA for the server's certificate; enables TLS"},
      {"tls_cert", "FILE",
       "present this PEM client certificate; enables TLS; needs --tls_key"},
      {"tls_key", "FILE", "the private key of --tls_cert"},
      {"tls_server_name", "NAME",
       "check the server's certificate against NAME, not the host of "
       "--server"},
  };
  return *flags;
}

const FlagUse kK = {"k", "N", "how many results, 1 to 100 (default 10)"};
const FlagUse kDryRun = {"dry_run", "",
                         "compute and report, but store nothing"};

const std::vector<Command>& Table() {
  static const auto* commands = new std::vector<Command>{
      {.name = "health",
       .summary = "Is the server serving? (exit 0 yes, 4 no)",
       .details = "Needs no token.",
       .examples = {"placement health",
                    "placement --server=matching.example.se:50051 "
                    "--tls_ca=ca.pem health"},
       .run = HealthCommand},
      {.name = "suggest",
       .arguments = "PARTICIPANT",
       .summary = "Best next openings for a participant, and why.",
       .details = "For coaches, for participants of their own caseload. Only "
                  "openings with a free place unless --include_full.",
       .flags = {kK,
                 {"kind", "KIND,...",
                  "only these kinds: employer_internship, work_training, "
                  "enhanced_work_training, social_enterprise, "
                  "supported_employment"},
                 {"municipality", "CODE,...",
                  "only openings in these municipalities (4-digit codes; "
                  "placement codes municipalities)"},
                 {"max_travel_minutes", "MINUTES",
                  "at most this one-way travel, 1 to 240 (never more than "
                  "the participant's own limit)"},
                 {"include_full", "",
                  "also full openings worth waiting for, marked FULL"}},
       .examples = {"placement suggest P0000012 --k=5",
                    "placement suggest P0000012 --kind=work_training,"
                    "social_enterprise --max_travel_minutes=45",
                    "placement --lang=sv suggest P0000012 --municipality=0136 "
                    "--include_full"},
       .run = SuggestCommand},
      {.name = "explain",
       .arguments = "PARTICIPANT OPENING",
       .summary = "Every component and reason of one pair.",
       .details = "For coaches. Any opening, eligible or not: the hard rules "
                  "that exclude it are listed.",
       .examples = {"placement explain P0000012 O000015",
                    "placement --json explain P0000012 O000001"},
       .run = ExplainCommand},
      {.name = "participant",
       .arguments = "get|list|upsert|update|erase",
       .summary = "Participant records (coaches: own caseload)."},
      {.name = "participant get",
       .arguments = "PARTICIPANT",
       .summary = "One participant of your caseload.",
       .examples = {"placement participant get P0000012"},
       .run = ParticipantCommand},
      {.name = "participant list",
       .summary = "Your caseload (coaches) or everyone (admins).",
       .examples = {"placement participant list",
                    "placement --json participant list | jq -r .id"},
       .run = ParticipantCommand},
      {.name = "participant upsert",
       .arguments = "FILE",
       .summary = "Create or replace one from proto JSON.",
       .details = "The whole record: fields left out take their defaults. Enum "
                  "values may be written as tables print them "
                  "(\"travel_mode\": \"public_transport\") or by their proto "
                  "names.",
       .examples = {"placement participant upsert participant.json"},
       .run = ParticipantCommand},
      {.name = "participant update",
       .arguments = "PARTICIPANT FILE",
       .summary = "Change the named fields of a participant.",
       .details =
           "FILE is proto JSON holding the new values; only the fields named "
           "in --mask change, everything else is kept. A field named but "
           "absent from FILE is cleared.",
       .flags = {{"mask", "FIELD,...",
                  "the fields to change, paths of Participant, e.g. "
                  "max_travel_minutes,skills,home (required)"}},
       .examples = {"echo '{\"max_travel_minutes\": 45}' > /tmp/travel.json",
                    "placement participant update P0000012 /tmp/travel.json "
                    "--mask=max_travel_minutes"},
       .run = ParticipantCommand},
      {.name = "participant erase",
       .arguments = "PARTICIPANT",
       .summary = "Erase everything about one (admin).",
       .details = "Irreversible (GDPR Art. 17). A place the participant held "
                  "is released.",
       .examples = {"placement participant erase P0000012"},
       .run = ParticipantCommand},
      {.name = "codes",
       .arguments = "skills|fields|supports|needs|municipalities [TEXT]",
       .summary = "Look codes up, in Swedish and English.",
       .details = "TEXT keeps the entries whose code or label (Swedish or "
                  "English) contains it, ignoring case. Any role may look "
                  "codes up.",
       .examples = {"placement codes skills disk",
                    "placement codes skills dishwashing",
                    "placement codes needs wheelchair",
                    "placement codes municipalities kalmar",
                    "placement --json codes fields"},
       .run = CodesCommand},
      {.name = "import",
       .arguments = "participants|openings FILE",
       .summary = "Upsert the rows of a CSV file (admin).",
       .details = "Good rows are stored; each bad row is listed by file, "
                  "line, field and value. Exit 1 when a row was rejected.",
       .flags = {kDryRun},
       .examples = {"placement import openings /tmp/openings.csv --dry_run"},
       .run = ImportCommand},
      {.name = "export",
       .arguments = "participants|openings",
       .summary = "Every record as CSV on standard output (admin).",
       .examples = {"placement export openings > /tmp/openings.csv"},
       .run = ExportCommand},
      {.name = "opening",
       .arguments = "publish|update|pause|reopen|close|get|list|counts",
       .summary = "Openings through their life cycle."},
      {.name = "opening publish",
       .arguments = "FILE",
       .summary = "Publish an opening from proto JSON.",
       .details = "Enum values may be written as tables print them "
                  "(\"kind\": \"social_enterprise\") or by their proto "
                  "names.",
       .flags = {{"draft", "",
                  "create it as DRAFT: not matched until reopened"}},
       .examples = {"placement opening publish data/demo/opening.json "
                    "--draft"},
       .run = OpeningCommand},
      {.name = "opening update",
       .arguments = "OPENING FILE",
       .summary = "Change the named fields of an opening.",
       .details = "FILE is proto JSON holding the new values; only the "
                  "fields named in --mask change.",
       .flags = {{"mask", "FIELD,...",
                  "the fields to change, paths of Opening, e.g. "
                  "capacity,supports_offered (required)"}},
       .examples = {"echo '{\"capacity\": 5}' > /tmp/capacity.json",
                    "placement opening update O000151 /tmp/capacity.json "
                    "--mask=capacity"},
       .run = OpeningCommand},
      {.name = "opening pause",
       .arguments = "OPENING",
       .summary = "Stop matching an open opening.",
       .examples = {"placement opening pause O000151"},
       .run = OpeningCommand},
      {.name = "opening reopen",
       .arguments = "OPENING",
       .summary = "Resume matching; publishes a draft.",
       .examples = {"placement opening reopen O000151"},
       .run = OpeningCommand},
      {.name = "opening close",
       .arguments = "OPENING",
       .summary = "Close for good; pending proposals expire.",
       .flags = {{"reason", "TEXT", "why, up to 500 characters"}},
       .examples = {"placement opening close O000151 "
                    "--reason=\"the supervisor left\""},
       .run = OpeningCommand},
      {.name = "opening get",
       .arguments = "OPENING",
       .summary = "One opening.",
       .examples = {"placement opening get O000015"},
       .run = OpeningCommand},
      {.name = "opening list",
       .summary = "Openings by id, filtered.",
       .flags = {{"status", "STATUS,...",
                  "only these statuses: draft, open, paused, closed"},
                 {"municipality", "CODE,...",
                  "only these municipalities (4-digit codes)"}},
       .examples = {"placement opening list --status=open "
                    "--municipality=0880"},
       .run = OpeningCommand},
      {.name = "opening counts",
       .arguments = "OPENING",
       .summary = "Current and past placements, as counts only.",
       .details = "Never who; every interruption, whatever its reason, is "
                  "counted as interrupted.",
       .examples = {"placement opening counts O000151"},
       .run = OpeningPlacementsCommand},
      {.name = "candidates",
       .arguments = "OPENING",
       .summary = "Who could fit an opening (no health data).",
       .flags = {kK},
       .examples = {"placement candidates O000151 --k=5"},
       .run = CandidatesCommand},
      {.name = "gaps",
       .arguments = "[MUNICIPALITY...]",
       .summary = "Unmet needs and fields per municipality.",
       .details = "Counts from 1 to 4 are withheld.",
       .examples = {"placement gaps 0880"},
       .run = GapsCommand},
      {.name = "proposals",
       .arguments = "[PARTICIPANT]",
       .summary = "Rematch proposals for your caseload (coach).",
       .flags = {{"state", "STATE,...",
                  "only these states: pending, accepted, rejected, "
                  "expired"}},
       .examples = {"placement proposals --state=pending"},
       .run = ProposalsCommand},
      {.name = "accept",
       .arguments = "PROPOSAL",
       .summary = "Accept: the participant takes the place.",
       .examples = {"placement accept R000001-0000010"},
       .run = DecideCommand},
      {.name = "reject",
       .arguments = "PROPOSAL",
       .summary = "Reject a proposal, saying why (coach).",
       .flags = {{"reason", "TEXT", "why, up to 500 characters (required)"}},
       .examples = {"placement reject R000001-0000011 "
                    "--reason=\"prefers mornings\""},
       .run = DecideCommand},
      {.name = "hold",
       .arguments = "PARTICIPANT OPENING",
       .summary = "Hold a free place for a participant (coach).",
       .details = "The place is taken for everyone else until the hold is "
                  "started, released or expires (working days, Monday to "
                  "Friday). One hold per participant.",
       .flags = {{"days", "N",
                  "working days it lasts, 1 to 10 (default: the server's, "
                  "3)"}},
       .examples = {"placement hold P0000012 O000015 --days=5"},
       .run = HoldCommand},
      {.name = "release",
       .arguments = "HOLD",
       .summary = "Release a hold; the place is free again.",
       .examples = {"placement release H0000001"},
       .run = ReleaseCommand},
      {.name = "holds",
       .arguments = "[PARTICIPANT]",
       .summary = "Live holds of your caseload (coach).",
       .examples = {"placement holds", "placement holds P0000012"},
       .run = HoldsCommand},
      {.name = "start",
       .arguments = "PARTICIPANT",
       .summary = "Start a placement: from a hold or directly.",
       .details = "The participant becomes PLACED and takes the place; "
                  "their pending proposals expire.",
       .flags = {{"hold", "HOLD", "start from this hold"},
                 {"opening", "OPENING",
                  "start directly in this opening (needs a free place)"},
                 {"start_date", "YYYY-MM-DD",
                  "first day, up to 31 days back or 92 ahead (default "
                  "today)"}},
       .examples = {"placement start P0000012 --hold=H0000001",
                    "placement start P0000012 --opening=O000015 "
                    "--start_date=2027-02-01"},
       .run = StartCommand},
      {.name = "end",
       .arguments = "PLACEMENT",
       .summary = "End a placement with its outcome.",
       .details = "The place is freed; the participant is ACTIVE again, or "
                  "EXITED with --leaves_programme.",
       .flags = {{"outcome", "OUTCOME",
                  "completed, moved_up, unsubsidised_work, subsidised_work, "
                  "studies, interrupted_by_participant, "
                  "interrupted_by_employer, interrupted_health, "
                  "interrupted_other (required)"},
                 {"to_step", "N", "for moved_up: the new step, 1 to 5"},
                 {"end_date", "YYYY-MM-DD", "last day (default today)"},
                 {"leaves_programme", "",
                  "the participant leaves the programme"}},
       .examples = {"placement end L0000001 --outcome=moved_up --to_step=4",
                    "placement end L0000002 --outcome=unsubsidised_work "
                    "--leaves_programme"},
       .run = EndCommand},
      {.name = "timeline",
       .arguments = "PARTICIPANT",
       .summary = "A participant's path in date order (coach).",
       .details = "Step changes, holds, placements with outcomes, proposals "
                  "and decisions.",
       .examples = {"placement timeline P0000012"},
       .run = TimelineCommand},
      {.name = "followup",
       .arguments = "report|funnel|record",
       .summary = "Follow-up, counts only: report, funnel, record."},
      {.name = "followup report",
       .summary = "Entries, placements, exits, steps (operator).",
       .details = "Counts by gender for the period, both days included: "
                  "participants entering by age band, placements started "
                  "by kind, exits by the last placement's outcome and by "
                  "the situation six months after exit, the share who "
                  "moved up a step, the median days from entry to first "
                  "placement. Counts from 1 to 4 are withheld (<5; empty "
                  "in the CSV file).",
       .flags = {{"from", "YYYY-MM-DD", "first day of the period (required)"},
                 {"to", "YYYY-MM-DD", "last day of the period (required)"},
                 {"municipality", "CODE",
                  "only participants living there (4-digit code)"},
                 {"programme", "CODE",
                  "only participants of this programme, e.g. 22-014-S05"},
                 {"csv", "FILE",
                  "also write every figure as CSV to FILE "
                  "(table,group,gender,value)"}},
       .examples = {"placement followup report --from=2026-01-01 "
                    "--to=2026-12-31",
                    "placement followup report --from=2026-01-01 "
                    "--to=2026-06-30 --programme=22-014-S05 "
                    "--csv=/tmp/followup.csv"},
       .run = FollowUpCommand},
      {.name = "followup record",
       .arguments = "PARTICIPANT",
       .summary = "The situation six months after exit (coach).",
       .details = "For an EXITED participant of your caseload, at least 150 "
                  "days after the exit; recording again replaces it.",
       .flags = {{"situation", "SITUATION",
                  "unsubsidised_work, subsidised_work, studies, "
                  "job_seeking, other (required)"},
                 {"checked_on", "YYYY-MM-DD",
                  "the day it was checked (default today)"}},
       .examples = {"placement followup record P0000012 "
                    "--situation=unsubsidised_work"},
       .run = FollowUpCommand},
      {.name = "followup funnel",
       .summary = "The decision funnel per group, with four-fifths flags.",
       .details =
           "Per gender, born abroad, age band, target group and "
           "municipality: people in the programme during the period, and "
           "how many were suggested to a coach, proposed by a run, "
           "accepted by a coach, started a placement and ended one well "
           "(completed, moved up, to work or to studies), each with its "
           "rate, the ratio to the best-off group and ! below four fifths. "
           "Groups under 5 people are withheld. The totals are the row "
           "total/all.",
       .flags = {{"from", "YYYY-MM-DD", "first day of the period (required)"},
                 {"to", "YYYY-MM-DD", "last day of the period (required)"},
                 {"csv", "FILE",
                  "also write the funnel to FILE as CSV, one line per group"}},
       .examples = {"placement followup funnel --from=2027-01-01 "
                    "--to=2027-03-31",
                    "placement followup funnel --from=2027-01-01 "
                    "--to=2027-12-31 --csv=funnel-2027.csv",
                    "placement --json followup funnel --from=2027-01-01 "
                    "--to=2027-01-31"},
       .run = FollowUpCommand},
      {.name = "rematch",
       .arguments = "start|list|watch|cancel|report|proposals",
       .summary = "The overnight rematch (operator)."},
      {.name = "rematch start",
       .summary = "Start a rematch run.",
       .details =
           "With --wait the exit code says how the run ended, for cron and "
           "systemd (deploy/): 0 SUCCEEDED; 1 FAILED or CANCELLED, or the "
           "start was refused (e.g. a run in progress); 2 usage or token "
           "file; 3 server unreachable or stopped during the run; 5 not an "
           "operator's or admin's token.",
       .flags = {{"candidates", "K",
                  "candidate openings per participant, 1 to 500 (default "
                  "50)"},
                 {"seed", "N", "tie-breaking seed (default 1)"},
                 {"continuity_bonus", "X",
                  "bonus of a still-pending pair, 0 to 1 (default 0.05)"},
                 kDryRun,
                 {"wait", "", "follow the run's progress until it ends"}},
       .examples = {"placement rematch start --wait",
                    "placement rematch start --dry_run --wait",
                    "placement --token_file=/etc/placement/operator.token "
                    "rematch start --wait"},
       .run = RematchCommand},
      {.name = "rematch list",
       .summary = "Runs, newest first, with state and parameters.",
       .examples = {"placement rematch list",
                    "placement --json rematch list | head -1"},
       .run = RematchCommand},
      {.name = "rematch watch",
       .arguments = "RUN",
       .summary = "Follow a run; exit 0 when it succeeds.",
       .examples = {"placement rematch watch R000001",
                    "placement --json rematch watch R000001"},
       .run = RematchCommand},
      {.name = "rematch cancel",
       .arguments = "RUN",
       .summary = "Stop a run; nothing is published.",
       .examples = {"placement rematch cancel R000004"},
       .run = RematchCommand},
      {.name = "rematch report",
       .arguments = "RUN",
       .summary = "Counts, blocking rules, fairness audit.",
       .flags = {{"out", "FILE", "also write the report as JSON to FILE"}},
       .examples = {"placement rematch report R000001 --out=/tmp/R000001.json"},
       .run = RematchCommand},
      {.name = "rematch proposals",
       .arguments = "RUN",
       .summary = "A run's proposals (no support-need reasons).",
       .examples = {"placement rematch proposals R000001 | head -3"},
       .run = RematchCommand},
      {.name = "audit",
       .arguments = "log",
       .summary = "The access log (auditor)."},
      {.name = "audit log",
       .summary = "Who read or changed a participant's data, or what a "
                  "principal did, and what was refused; newest first.",
       .details = "Name one participant or one principal. Your own read is "
                  "logged too, and shows in the next one. Records are kept "
                  "as long as the server's --retain_access_log_months.",
       .flags = {{"participant", "P", "records naming this participant"},
                 {"principal", "NAME", "records of this principal's calls"},
                 {"from", "YYYY-MM-DD", "first day (Swedish time, included)"},
                 {"to", "YYYY-MM-DD", "last day (included)"}},
       .examples = {"placement audit log --participant=P0000012",
                    "placement audit log --principal=C0136-01 "
                    "--from=2026-11-01 --to=2026-11-30",
                    "placement --json audit log --participant=P0000012"},
       .run = AuditCommand},
      {.name = "help",
       .arguments = "[COMMAND]",
       .summary = "The commands, or one command's usage.",
       .examples = {"placement help suggest", "placement help opening update"}},
  };
  return *commands;
}

const Command* Named(absl::string_view name) {
  for (const Command& command : Table()) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

bool Lists(const std::vector<FlagUse>& flags, absl::string_view name) {
  return std::any_of(flags.begin(), flags.end(),
                     [&](const FlagUse& flag) { return flag.name == name; });
}

// Whether any command, or every command, takes the flag.
bool Known(absl::string_view name) {
  if (Lists(Global(), name)) return true;
  return std::any_of(Table().begin(), Table().end(),
                     [&](const Command& c) { return Lists(c.flags, name); });
}

// `text` in lines of at most kLineWidth characters, each after the first
// indented by `indent` spaces, broken at spaces.
std::string Wrap(absl::string_view text, size_t first, size_t indent) {
  std::string out;
  size_t column = first;
  bool line_start = true;
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    if (!line_start && column + 1 + word.size() > kLineWidth) {
      absl::StrAppend(&out, "\n", std::string(indent, ' '));
      column = indent;
      line_start = true;
    }
    if (!line_start) {
      out += ' ';
      ++column;
    }
    absl::StrAppend(&out, word);
    column += word.size();
    line_start = false;
  }
  return out;
}

// "  left                            text", the text wrapped in its column;
// a left side too wide for its column gets a line of its own.
std::string Row(absl::string_view left, absl::string_view text) {
  constexpr size_t kColumn = kListWidth;
  std::string out = absl::StrCat("  ", left);
  if (out.size() + 1 > kColumn) {
    absl::StrAppend(&out, "\n");
    out.append(kColumn, ' ');
  } else {
    out.append(kColumn - out.size(), ' ');
  }
  absl::StrAppend(&out, Wrap(text, kColumn, kColumn), "\n");
  return out;
}

std::string FlagLines(const std::vector<FlagUse>& flags) {
  std::string out;
  for (const FlagUse& flag : flags) {
    absl::StrAppend(
        &out,
        Row(flag.value.empty() ? absl::StrCat("--", flag.name)
                               : absl::StrCat("--", flag.name, "=", flag.value),
            flag.help));
  }
  return out;
}

std::string Synopsis(const Command& command) {
  std::string out = absl::StrCat("placement ", command.name);
  if (!command.arguments.empty()) absl::StrAppend(&out, " ", command.arguments);
  for (const FlagUse& flag : command.flags) {
    absl::StrAppend(&out, " [--", flag.name,
                    flag.value.empty() ? "" : absl::StrCat("=", flag.value),
                    "]");
  }
  return out;
}

constexpr char kExitCodes[] =
    "Exit codes:\n"
    "  0  success\n"
    "  1  the server answered with an error; an import rejected rows; a "
    "run failed\n"
    "  2  usage: unknown command, a flag the command does not take, a bad "
    "value\n"
    "     or input file\n"
    "  3  cannot reach the server: no connection in time (nothing listens, "
    "TLS\n"
    "     failed); only then does it say \"cannot reach\"\n"
    "  4  the server is up but not serving (health)\n"
    "  5  not allowed: no valid token, or the role or caseload forbids it\n"
    "  6  the server cannot do it now: UNAVAILABLE or RESOURCE_EXHAUSTED "
    "(e.g. its\n"
    "     disk is full or read-only), or no answer within --timeout; retry "
    "later\n"
    "  A server error prints \"server error CODE: message\" (1, 5 or 6).\n";

}  // namespace

const std::vector<Command>& Commands() { return Table(); }

const std::vector<FlagUse>& GlobalFlags() { return Global(); }

const Command* FindCommand(const std::vector<std::string>& words) {
  if (words.empty()) return nullptr;
  if (words.size() >= 2) {
    if (const Command* verb = Named(absl::StrCat(words[0], " ", words[1]))) {
      return verb;
    }
  }
  return Named(words[0]);
}

std::vector<absl::string_view> Verbs(const Command& group) {
  std::vector<absl::string_view> verbs;
  const std::string prefix = absl::StrCat(group.name, " ");
  for (const Command& command : Table()) {
    absl::string_view name = command.name;
    if (absl::ConsumePrefix(&name, prefix)) verbs.push_back(name);
  }
  return verbs;
}

std::string CommandHelp(const Command& command) {
  std::string out;
  if (command.run == nullptr && command.name != "help") {
    absl::StrAppend(&out, "Usage: placement ", command.name, " ",
                    command.arguments, " ...\n\n", command.summary,
                    "\n\nCommands:\n");
    for (absl::string_view verb : Verbs(command)) {
      const Command& sub = *Named(absl::StrCat(command.name, " ", verb));
      absl::StrAppend(&out, Row(absl::StrCat(command.name, " ", verb,
                                             sub.arguments.empty() ? "" : " ",
                                             sub.arguments),
                                sub.summary));
    }
    absl::StrAppend(&out, "\nplacement ", command.name,
                    " COMMAND --help shows one of them.\n");
    return out;
  }
  absl::StrAppend(&out, "Usage: ", Wrap(Synopsis(command), 0, 8), "\n\n",
                  command.summary, "\n");
  if (!command.details.empty()) {
    absl::StrAppend(&out, Wrap(command.details, 0, 0), "\n");
  }
  if (!command.flags.empty()) {
    absl::StrAppend(&out, "\nFlags:\n", FlagLines(command.flags));
  }
  absl::StrAppend(
      &out,
      "\nGlobal flags (every command): --server --token --token_file --json\n"
      "--lang --timeout --tls_* (placement --help describes them and the exit "
      "codes).\n");
  if (!command.examples.empty()) {
    absl::StrAppend(&out, "\nExamples:\n");
    for (absl::string_view example : command.examples) {
      absl::StrAppend(&out, "  ", example, "\n");
    }
  }
  return out;
}

std::string GlobalHelp() {
  std::string out =
      "Command-line client of the placement matching engine.\n\n"
      "Usage: placement [GLOBAL FLAGS] COMMAND [ARGUMENTS] [FLAGS]\n\n"
      "Commands:\n";
  for (const Command& command : Table()) {
    if (absl::StrContains(command.name, ' ')) continue;  // in its group
    absl::StrAppend(&out, Row(absl::StrCat(command.name,
                                           command.arguments.empty() ? "" : " ",
                                           command.arguments),
                              command.summary));
  }
  absl::StrAppend(
      &out,
      "\n`placement COMMAND --help` (or `placement help COMMAND`) shows a "
      "command's\nusage, flags and examples. A flag a command does not take "
      "is an error.\n\nGlobal flags:\n",
      FlagLines(Global()),
      "\nCalls other than health need a token: --token=... or "
      "PLACEMENT_TOKEN.\n\n",
      kExitCodes,
      "\nExamples:\n"
      "  placement health\n"
      "  export PLACEMENT_TOKEN=demo-coach-haninge-0136-01\n"
      "  placement participant list\n"
      "  placement suggest P0000012 --k=5 --kind=work_training\n"
      "  placement --lang=sv explain P0000012 O000015\n"
      "  placement codes skills disk\n");
  return out;
}

absl::StatusOr<CommandLine> ParseCommandLine(int argc, char** argv) {
  CommandLine line;
  if (argc > 0) line.args.push_back(argv[0]);
  bool flags_ended = false;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (flags_ended || arg.size() < 2 || arg[0] != '-') {
      line.args.push_back(argv[i]);
      line.words.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_ended = true;
      continue;
    }
    absl::ConsumePrefix(&arg, "-");
    absl::ConsumePrefix(&arg, "-");
    const size_t equals = arg.find('=');
    std::string name(arg.substr(0, equals));
    if (name == "help" || name == "h") {
      line.help = true;
      continue;
    }
    std::optional<std::string> value;
    if (equals != absl::string_view::npos) {
      value = std::string(arg.substr(equals + 1));
    }
    absl::CommandLineFlag* flag =
        Known(name) ? absl::FindCommandLineFlag(name) : nullptr;
    if (flag == nullptr && !value && absl::StartsWith(name, "no") &&
        Known(name.substr(2))) {
      flag = absl::FindCommandLineFlag(name.substr(2));
      if (flag != nullptr && flag->IsOfType<bool>()) {
        name = name.substr(2);
        value = "false";
      } else {
        flag = nullptr;
      }
    }
    if (flag == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag --", name,
                       " (placement --help lists the commands "
                       "and their flags)"));
    }
    if (!value) {
      if (flag->IsOfType<bool>()) {
        value = "true";
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("--", name, " needs a value: --", name, "=..."));
      }
    }
    std::string error;
    if (!flag->ParseFrom(*value, &error)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", name, "=", *value, ": ", error));
    }
    line.flags.push_back(name);
  }
  return line;
}

absl::Status CheckFlagsApply(const Command& command,
                             const std::vector<std::string>& given) {
  for (const std::string& name : given) {
    if (Lists(Global(), name) || Lists(command.flags, name)) continue;
    std::vector<std::string> takes;
    for (const FlagUse& flag : command.flags) {
      takes.push_back(absl::StrCat("--", flag.name));
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "--", name, " does not apply to '", command.name, "'; it takes ",
        takes.empty() ? "only the global flags"
                      : absl::StrJoin(takes, ", ") + " and the global flags",
        " (placement ", command.name, " --help)"));
  }
  return absl::OkStatus();
}

}  // namespace placement::cli
