// placement-server: parses flags and runs the server (service/server.h).

#include <algorithm>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "logging/log.h"
#include "service/server.h"
#include "store/backup.h"
#include "tools/program_flags.h"

ABSL_FLAG(
    std::string, listen, "127.0.0.1:50051",
    "host:port to listen on; plain text only on loopback (else TLS); port 0 "
    "picks one");
ABSL_FLAG(std::string, db, "var/placement.db",
          "SQLite database file; created when missing");
ABSL_FLAG(std::string, data_dir, "data",
          "Folder with the reference data (taxonomy/, support/, geo/)");
ABSL_FLAG(std::string, seed_from, "",
          "Folder with participants.csv and openings.csv to import when the "
          "database is empty (the quick start uses data/demo)");
ABSL_FLAG(std::string, port_file, "",
          "Write the bound port to this file once serving");
ABSL_FLAG(std::string, credentials, "",
          "Credentials file mapping tokens to principals and roles (required; "
          "the quick start uses data/demo/credentials.csv)");
ABSL_FLAG(std::string, profile, "data/profiles/default.csv",
          "Scoring profile file; empty for the built-in default");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "How long in-flight calls may run on after SIGTERM");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate chain of the server; with --tls_key, serve TLS "
          "only, on any address");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA certificates; when set, clients must present a certificate "
          "signed by one of them (needs --tls_cert and --tls_key)");

ABSL_FLAG(int, rematch_threads, 0,
          "Worker threads of a rematch run; 0 = all cores");
ABSL_FLAG(int, hold_working_days, placement::kDefaultHoldWorkingDays,
          "working days (Monday to Friday) a coach's hold lasts when the "
          "request does not say, 1..10");
ABSL_FLAG(int, retain_decided_proposals_days,
          placement::app::kDefaultRetainDecidedProposalsDays,
          "Days a decided (accepted, rejected) or expired proposal and its "
          "explanation are kept, 1..3660; purged at start and daily");
ABSL_FLAG(int, retain_access_log_months,
          placement::app::kDefaultRetainAccessLogMonths,
          "Months access-log records are kept, 6..120 (at least six: EU AI "
          "Act Art. 26(6)); purged at start and daily");
ABSL_FLAG(std::string, backup_to, "",
          "Instead of serving: copy --db, consistently, to this new file and "
          "exit (SQLite's online backup; works while a server runs on --db; "
          "refuses an existing file). Exit 0 when the checked copy is in "
          "place, 1 otherwise");
ABSL_FLAG(std::string, report_dir, "",
          "Folder for rematch run reports (JSON); default: 'reports' beside "
          "--db");

ABSL_FLAG(absl::Duration, write_probe_interval, absl::Seconds(5),
          "How often to check that a write reaches the disk; health is "
          "NOT_SERVING for the services that write while writes fail");

namespace {

constexpr char kUsage[] =
    "Serves the placement matching API over gRPC.\n"
    "Example: placement-server --listen=127.0.0.1:50051 --db=var/demo.db "
    "--seed_from=data/demo --credentials=data/demo/credentials.csv\n"
    "Backup: placement-server --db=var/placement.db "
    "--backup_to=backups/placement-2026-12-01.db\n"
    "--helpfull also lists the flags of the libraries (gRPC, Abseil).";

// --backup_to: the copy, its log line and the exit code.
int Backup(const std::string& db_path, const std::string& backup_path) {
  placement::logging::Info("backup.start",
                           {{"db", db_path}, {"to", backup_path}});
  absl::StatusOr<placement::store::BackupResult> done =
      placement::store::BackupDatabase(db_path, backup_path);
  if (!done.ok()) {
    placement::logging::Error(
        "backup.failed",
        {{"db", db_path},
         {"to", backup_path},
         {"code", absl::StatusCodeToString(done.status().code())},
         {"error", done.status().message()}});
    return 1;
  }
  placement::logging::Info("backup.end",
                           {{"db", db_path},
                            {"to", backup_path},
                            {"pages", done->pages},
                            {"bytes", done->bytes},
                            {"schema_version", done->schema_version},
                            {"integrity", "ok"},
                            {"duration", done->took}});
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (placement::HandleHelpOrParseFlags(argc, argv, kUsage, "server_main.cc")) {
    return 0;
  }
  if (const std::string backup_to = absl::GetFlag(FLAGS_backup_to);
      !backup_to.empty()) {
    return Backup(absl::GetFlag(FLAGS_db), backup_to);
  }
  const placement::service::ServerOptions options{
      .listen = absl::GetFlag(FLAGS_listen),
      .db_path = absl::GetFlag(FLAGS_db),
      .data_dir = absl::GetFlag(FLAGS_data_dir),
      .seed_from = absl::GetFlag(FLAGS_seed_from),
      .port_file = absl::GetFlag(FLAGS_port_file),
      .credentials_path = absl::GetFlag(FLAGS_credentials),
      .profile_path = absl::GetFlag(FLAGS_profile),
      .shutdown_grace = absl::GetFlag(FLAGS_shutdown_grace),
      .tls_cert_path = absl::GetFlag(FLAGS_tls_cert),
      .tls_key_path = absl::GetFlag(FLAGS_tls_key),
      .tls_client_ca_path = absl::GetFlag(FLAGS_tls_client_ca),
      .rematch_threads = absl::GetFlag(FLAGS_rematch_threads),
      .report_dir = absl::GetFlag(FLAGS_report_dir),
      .hold_working_days = absl::GetFlag(FLAGS_hold_working_days),
      .retention = {.decided_proposals_days =
                        absl::GetFlag(FLAGS_retain_decided_proposals_days),
                    .access_log_months =
                        absl::GetFlag(FLAGS_retain_access_log_months)},
      .write_probe_interval = absl::GetFlag(FLAGS_write_probe_interval)};
  const absl::Status status = placement::service::RunServer(options);
  if (!status.ok()) {
    placement::logging::Error(
        "server.start_failed",
        {{"code", absl::StatusCodeToString(status.code())},
         {"error", status.message()}});
    return 1;
  }
  return 0;
}
