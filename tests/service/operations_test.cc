// Operating the real placement-server (service/server_main.cc): its log is
// structured lines without personal data; `--backup_to` copies a live
// database under writes, and the copy restores; the CLI reads an
// operator's token from a private file, as the scheduled overnight run in
// deploy/ does.

#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "engine/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "placement/v1/coach_service.grpc.pb.h"
#include "placement/v1/registry_service.grpc.pb.h"
#include "tests/store/sqlite_file.h"
#include "tests/testing/running_server.h"

namespace placement::service {
namespace {

using ::placement::store::IntegrityCheck;

using ::placement::testing::CallAs;
using ::placement::testing::DataDir;
using ::placement::testing::kCoachPrincipal;
using ::placement::testing::kCoachToken;
using ::placement::testing::kOperatorToken;
using ::placement::testing::ReadFileOrDie;
using ::placement::testing::RunAndCapture;
using ::placement::testing::RunningServer;
using ::placement::testing::ScratchDir;
using ::placement::testing::WriteFileOrDie;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using ::testing::MatchesRegex;
using ::testing::Not;

// One line of the log, read the way a log shipper reads logfmt.
struct LogLine {
  absl::Time at;
  std::string level;
  std::string event;
  std::map<std::string, std::string> fields;
};

// The line's timestamp (RFC 3339) and key=value pairs, with quoted values
// unescaped; nullopt for a line that is not one.
std::optional<LogLine> ParseLogLine(absl::string_view text) {
  const size_t space = text.find(' ');
  if (space == absl::string_view::npos) return std::nullopt;
  LogLine line;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text.substr(0, space), &line.at,
                       &error) ||
      text[space - 1] != 'Z' || text[space - 5] != '.') {
    return std::nullopt;  // UTC, with milliseconds
  }
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t i = space;
  while (i < text.size()) {
    if (text[i] != ' ') return std::nullopt;
    ++i;
    const size_t equals = text.find('=', i);
    if (equals == absl::string_view::npos || equals == i) return std::nullopt;
    std::string key(text.substr(i, equals - i));
    for (const char c : key) {
      if (!absl::ascii_islower(c) && c != '_' && !absl::ascii_isdigit(c)) {
        return std::nullopt;
      }
    }
    i = equals + 1;
    std::string value;
    if (i < text.size() && text[i] == '"') {
      ++i;
      while (i < text.size() && text[i] != '"') {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        value.push_back(text[i++]);
      }
      if (i == text.size()) return std::nullopt;  // unterminated
      ++i;
    } else {
      const size_t end = std::min(text.find(' ', i), text.size());
      value = std::string(text.substr(i, end - i));
      if (value.empty() || absl::StrContains(value, '"')) return std::nullopt;
      i = end;
    }
    pairs.emplace_back(std::move(key), std::move(value));
  }
  if (pairs.size() < 2 || pairs[0].first != "level" ||
      pairs[1].first != "event") {
    return std::nullopt;
  }
  line.level = pairs[0].second;
  line.event = pairs[1].second;
  for (size_t p = 2; p < pairs.size(); ++p) line.fields.insert(pairs[p]);
  return line;
}

// Every line of the log; a line that does not parse fails the test.
std::vector<LogLine> ParseLog(const std::string& log) {
  std::vector<LogLine> lines;
  for (absl::string_view text : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
    std::optional<LogLine> line = ParseLogLine(text);
    EXPECT_TRUE(line.has_value()) << "not a structured log line: " << text;
    if (!line) continue;
    EXPECT_THAT(line->level, MatchesRegex("info|warn|error")) << text;
    EXPECT_THAT(line->event, MatchesRegex("[a-z_]+(\\.[a-z_]+)+")) << text;
    lines.push_back(std::move(*line));
  }
  return lines;
}

const LogLine* FindEvent(const std::vector<LogLine>& lines,
                         absl::string_view event) {
  for (const LogLine& line : lines) {
    if (line.event == event) return &line;
  }
  return nullptr;
}

// The first column of data/demo/participants.csv.
std::vector<std::string> DemoParticipantIds() {
  std::vector<std::string> ids;
  std::ifstream file(DataDir() + "/demo/participants.csv");
  std::string row;
  std::getline(file, row);  // header
  while (std::getline(file, row)) {
    ids.push_back(std::string(row.substr(0, row.find(','))));
  }
  return ids;
}

// A token file as an operator makes one: the token and a newline.
std::string WriteTokenFile(const ScratchDir& scratch, const std::string& name,
                           const std::string& token, mode_t mode) {
  const std::string path = scratch.File(name);
  WriteFileOrDie(path, token + "\n");
  EXPECT_EQ(::chmod(path.c_str(), mode), 0);
  return path;
}

std::vector<v1::Participant> Caseload(const RunningServer& server) {
  auto registry = v1::ParticipantRegistry::NewStub(server.channel());
  std::vector<v1::Participant> all;
  v1::ListParticipantsRequest request;
  request.mutable_page()->set_page_size(500);
  do {
    v1::ListParticipantsResponse response;
    const grpc::Status status = registry->ListParticipants(
        CallAs(kCoachToken).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    all.insert(all.end(), response.participants().begin(),
               response.participants().end());
    request.mutable_page()->set_page_token(response.next_page_token());
  } while (!request.page().page_token().empty());
  return all;
}

// The CLI command line of a deploy/ example, pointed at `server` with the
// token in `token_file`: from the systemd unit's ExecStart (continuation
// lines joined) or the crontab line that starts `cron_time`, up to its
// redirection.
std::vector<std::string> DeployedCommand(const std::string& file,
                                         absl::string_view cron_time,
                                         const RunningServer& server,
                                         const std::string& token_file) {
  const std::string text = ReadFileOrDie(DataDir() + "/../deploy/" + file);
  std::string command;
  if (cron_time.empty()) {
    const size_t start = text.find("\nExecStart=");
    EXPECT_NE(start, std::string::npos) << file;
    if (start == std::string::npos) return {};
    size_t end = start + 1;
    while (true) {
      end = text.find('\n', end);
      if (text[end - 1] != '\\') break;
      ++end;
    }
    command = absl::StrReplaceAll(text.substr(start + 11, end - start - 11),
                                  {{"\\\n", " "}});
  } else {
    const size_t start = text.find(absl::StrCat("\n", cron_time, " * * * "));
    EXPECT_NE(start, std::string::npos) << file;
    if (start == std::string::npos) return {};
    command = text.substr(start + cron_time.size() + 8);
    command = command.substr(0, command.find('>'));
  }
  std::vector<std::string> argv;
  for (absl::string_view word :
       absl::StrSplit(command, ' ', absl::SkipWhitespace())) {
    if (argv.empty()) {
      EXPECT_THAT(std::string(word),
                  MatchesRegex("(/usr/local/bin/)?placement"))
          << file;
      argv.push_back(PLACEMENT_CLI_PATH);
    } else if (absl::StartsWith(word, "--server=")) {
      argv.push_back("--server=" + server.address());
    } else if (absl::StartsWith(word, "--token_file=")) {
      argv.push_back("--token_file=" + token_file);
    } else {
      argv.push_back(std::string(word));
    }
  }
  return argv;
}

void StopServer(RunningServer& server) {
  server.process().Signal(SIGTERM);
  EXPECT_EQ(server.process().Wait(absl::Seconds(30)), 0) << server.log();
}

TEST(OperationsTest, LogIsStructuredLinesWithoutPersonalData) {
  ScratchDir scratch;
  const absl::Time started = absl::Now() - absl::Seconds(1);
  RunningServer server(scratch);
  // Coach calls that name participants: the caseload, suggestions, a new
  // participant.
  std::vector<v1::Participant> caseload = Caseload(server);
  ASSERT_FALSE(caseload.empty());
  auto coach = v1::CoachService::NewStub(server.channel());
  v1::SuggestOpeningsRequest suggest;
  suggest.set_participant_id(caseload.front().id());
  v1::SuggestOpeningsResponse suggestions;
  ASSERT_TRUE(
      coach->SuggestOpenings(CallAs(kCoachToken).get(), suggest, &suggestions)
          .ok());
  v1::UpsertParticipantRequest upsert;
  *upsert.mutable_participant() = caseload.front();
  upsert.mutable_participant()->set_id("PLOGTEST1");
  upsert.mutable_participant()->clear_updated_at();
  v1::Participant saved;
  ASSERT_TRUE(v1::ParticipantRegistry::NewStub(server.channel())
                  ->UpsertParticipant(CallAs(kCoachToken).get(), upsert, &saved)
                  .ok());
  // The overnight run as the systemd unit in deploy/ starts it (systemd
  // hands the service its credential with mode 0400).
  const std::string token_file =
      WriteTokenFile(scratch, "operator-token", kOperatorToken, 0400);
  const std::vector<std::string> command =
      DeployedCommand("placement-rematch.service", "", server, token_file);
  ASSERT_THAT(command, IsSupersetOf({"rematch", "start", "--wait"}));
  std::string output;
  ASSERT_EQ(RunAndCapture(command, &output, absl::Seconds(120)), 0) << output;
  StopServer(server);
  const std::string log = server.log();

  const std::vector<LogLine> lines = ParseLog(log);
  std::vector<std::string> events;
  for (const LogLine& line : lines) {
    events.push_back(line.event);
    EXPECT_GE(line.at, started) << line.event;
    EXPECT_LE(line.at, absl::Now()) << line.event;
  }
  EXPECT_THAT(events,
              IsSupersetOf({"store.seeded", "retention.purge", "server.start",
                            "rematch.run.start", "rematch.run.end",
                            "server.stopping", "server.stop"}))
      << log;
  EXPECT_EQ(events.front(), "store.seeded");
  EXPECT_EQ(events.back(), "server.stop");

  const LogLine* start = FindEvent(lines, "server.start");
  ASSERT_NE(start, nullptr);
  EXPECT_EQ(start->level, "info");
  EXPECT_EQ(start->fields.at("address"), server.address());
  EXPECT_EQ(start->fields.at("db"), server.db_path());
  EXPECT_EQ(start->fields.at("retention"),
            "decided proposals 90 days, access log 24 months");
  const LogLine* run_start = FindEvent(lines, "rematch.run.start");
  const LogLine* run_end = FindEvent(lines, "rematch.run.end");
  ASSERT_NE(run_start, nullptr);
  ASSERT_NE(run_end, nullptr);
  EXPECT_THAT(run_start->fields.at("run_id"), MatchesRegex("R[0-9]{6}"));
  EXPECT_EQ(run_end->fields.at("run_id"), run_start->fields.at("run_id"));
  EXPECT_EQ(run_end->fields.at("state"), "SUCCEEDED");
  EXPECT_THAT(output, HasSubstr(run_start->fields.at("run_id")));
  const LogLine* purge = FindEvent(lines, "retention.purge");
  ASSERT_NE(purge, nullptr);
  EXPECT_EQ(purge->fields.at("access_records_removed"), "0");

  // No participant id, no staff principal, no token.
  const std::vector<std::string> ids = DemoParticipantIds();
  ASSERT_GT(ids.size(), 100u);
  for (const std::string& id : ids) {
    ASSERT_THAT(log, Not(HasSubstr(id))) << "participant id in the log";
  }
  EXPECT_THAT(log, Not(HasSubstr("PLOGTEST1")));
  EXPECT_THAT(log, Not(HasSubstr(kCoachPrincipal)));
  EXPECT_THAT(log, Not(HasSubstr(kOperatorToken)));
  EXPECT_THAT(log, Not(HasSubstr(kCoachToken)));
}

TEST(OperationsTest, AStartThatFailsIsOneErrorLine) {
  ScratchDir scratch;
  std::string output;
  EXPECT_EQ(
      RunAndCapture({PLACEMENT_SERVER_PATH, "--listen=127.0.0.1:0",
                     "--db=" + scratch.File("x.db"), "--data_dir=" + DataDir()},
                    &output),
      1);
  const std::vector<LogLine> lines = ParseLog(output);
  ASSERT_EQ(lines.size(), 1u) << output;
  EXPECT_EQ(lines[0].level, "error");
  EXPECT_EQ(lines[0].event, "server.start_failed");
  EXPECT_EQ(lines[0].fields.at("code"), "INVALID_ARGUMENT");
  EXPECT_THAT(lines[0].fields.at("error"), HasSubstr("--credentials"));
}

// The backup of a live database under concurrent upserts, then the restore
// as the README describes it: stop the server, check the copy, put it in
// place of the database, start. Every upsert acknowledged before the backup
// began is there.
TEST(OperationsTest, BackupUnderWritesRestoresEveryEarlierAcknowledgedWrite) {
  ScratchDir scratch;
  auto server = std::make_unique<RunningServer>(scratch);
  const v1::Participant model = Caseload(*server).front();

  Mutex mutex;
  std::vector<std::string> acknowledged;  // in the order the server said OK
  std::atomic<bool> stop = false;
  std::thread writer([&] {
    auto registry = v1::ParticipantRegistry::NewStub(server->channel());
    for (int i = 0; !stop && i < 100000; ++i) {
      v1::UpsertParticipantRequest upsert;
      *upsert.mutable_participant() = model;
      upsert.mutable_participant()->set_id(absl::StrFormat("PBK%05d", i));
      upsert.mutable_participant()->clear_updated_at();
      v1::Participant saved;
      if (!registry
               ->UpsertParticipant(CallAs(kCoachToken).get(), upsert, &saved)
               .ok()) {
        continue;
      }
      MutexLock lock(&mutex);
      acknowledged.push_back(saved.id());
    }
  });
  const auto acknowledged_count = [&] {
    MutexLock lock(&mutex);
    return acknowledged.size();
  };
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (acknowledged_count() < 40 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  const size_t before_backup = acknowledged_count();
  const std::string backup = scratch.File("backups/demo-1.db");
  std::filesystem::create_directories(scratch.File("backups"));
  std::string output;
  const int code =
      RunAndCapture({PLACEMENT_SERVER_PATH, "--db=" + server->db_path(),
                     "--backup_to=" + backup},
                    &output);
  const size_t after_backup = acknowledged_count();
  while (acknowledged_count() < after_backup + 10 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  stop = true;
  writer.join();
  ASSERT_EQ(code, 0) << output;
  ASSERT_GE(before_backup, 40u);
  const std::vector<LogLine> lines = ParseLog(output);
  const LogLine* end = FindEvent(lines, "backup.end");
  ASSERT_NE(end, nullptr) << output;
  EXPECT_EQ(end->fields.at("to"), backup);
  EXPECT_EQ(end->fields.at("integrity"), "ok");

  // A second backup to the same file is refused; the first stays.
  EXPECT_EQ(RunAndCapture({PLACEMENT_SERVER_PATH, "--db=" + server->db_path(),
                           "--backup_to=" + backup},
                          &output),
            1);
  EXPECT_THAT(output, HasSubstr("event=backup.failed"));
  EXPECT_THAT(output, HasSubstr("code=ALREADY_EXISTS"));

  // The restore.
  const std::string db_path = server->db_path();
  StopServer(*server);
  server.reset();
  ASSERT_EQ(IntegrityCheck(backup), "ok");
  std::filesystem::rename(db_path, db_path + ".replaced");
  for (const char* suffix : {"-wal", "-shm"}) {
    std::filesystem::remove(db_path + suffix);
  }
  std::filesystem::copy_file(backup, db_path);
  RunningServer restored(scratch);
  std::set<std::string> ids;
  for (const v1::Participant& p : Caseload(restored)) ids.insert(p.id());
  MutexLock lock(&mutex);
  for (size_t i = 0; i < before_backup; ++i) {
    EXPECT_TRUE(ids.contains(acknowledged[i]))
        << acknowledged[i] << " was acknowledged before the backup began";
  }
  // One consistent state: a prefix of the acknowledged writes.
  size_t restored_writes = 0;
  for (const std::string& id : ids) restored_writes += id.starts_with("PBK");
  EXPECT_LE(restored_writes, after_backup + 1);
  for (size_t i = 0; i < restored_writes; ++i) {
    EXPECT_TRUE(ids.contains(acknowledged[i])) << acknowledged[i];
  }
}

TEST(OperationsTest, TokenFileIsReadAndAnOpenOneIsRefused) {
  ScratchDir scratch;
  RunningServer server(scratch);
  const auto run = [&](std::vector<std::string> flags, std::string* output) {
    std::vector<std::string> argv = {PLACEMENT_CLI_PATH,
                                     "--server=" + server.address()};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.insert(argv.end(), {"rematch", "list"});
    output->clear();
    return RunAndCapture(argv, output);
  };
  std::string output;
  const std::string file =
      WriteTokenFile(scratch, "operator.token", kOperatorToken, 0600);
  EXPECT_EQ(run({"--token_file=" + file}, &output), 0) << output;
  const std::string owner_read_only =
      WriteTokenFile(scratch, "read-only.token", kOperatorToken, 0400);
  EXPECT_EQ(run({"--token_file=" + owner_read_only}, &output), 0) << output;

  for (const mode_t open_mode : {0640, 0604, 0660, 0644}) {
    ASSERT_EQ(::chmod(file.c_str(), open_mode), 0);
    EXPECT_EQ(run({"--token_file=" + file}, &output), 2) << output;
    EXPECT_THAT(output, HasSubstr(absl::StrFormat("permissions %04o are too "
                                                  "open",
                                                  open_mode)));
    EXPECT_THAT(output, HasSubstr("chmod 600 " + file));
    EXPECT_THAT(output, Not(HasSubstr(kOperatorToken)));
  }
  ASSERT_EQ(::chmod(file.c_str(), 0600), 0);

  EXPECT_EQ(
      run({"--token_file=" + file, "--token=" + std::string(kOperatorToken)},
          &output),
      2);
  EXPECT_THAT(output, HasSubstr("not both"));
  EXPECT_EQ(run({"--token_file=" + scratch.File("missing.token")}, &output), 2);
  EXPECT_THAT(output, HasSubstr("missing.token"));
  const std::string empty = WriteTokenFile(scratch, "empty.token", "", 0600);
  EXPECT_EQ(run({"--token_file=" + empty}, &output), 2);
  EXPECT_THAT(output, HasSubstr("empty"));
  const std::string wrong =
      WriteTokenFile(scratch, "wrong.token", "not-a-valid-token-000", 0600);
  EXPECT_EQ(run({"--token_file=" + wrong}, &output), 5) << output;

  EXPECT_EQ(RunAndCapture({PLACEMENT_CLI_PATH, "--help"}, &output), 0);
  EXPECT_THAT(output, HasSubstr("--token_file"));

  // The crontab's overnight run, as written in deploy/.
  const std::vector<std::string> cron =
      DeployedCommand("crontab", "30 2", server, file);
  ASSERT_THAT(cron, IsSupersetOf({"rematch", "start", "--wait"}));
  EXPECT_EQ(RunAndCapture(cron, &output, absl::Seconds(120)), 0) << output;
  EXPECT_THAT(output, HasSubstr("\"state\":\"RUN_STATE_SUCCEEDED\""));
}

}  // namespace
}  // namespace placement::service
