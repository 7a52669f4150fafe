// The placement gRPC server: loads reference data and the store, serves the
// API with the standard grpc.health.v1 health service and server reflection,
// and shuts down gracefully on SIGTERM or SIGINT.
//
// Start-up, in order: check the TLS files (see tls.h) and refuse a
// plain-text listen address that is not loopback; load the reference data;
// take the database's exclusive lock (store/database_lock.h: a second
// server on the same file exits here, naming the holder); open the store
// (creating it if missing); when the store is empty and
// `seed_from` is set, import that folder's participants.csv and openings.csv
// (all rows must be valid); purge what the retention policy no longer
// keeps (and again every purge_interval); load everything back; start
// listening (a port in use is refused, never shared); report SERVING, or
// NOT_SERVING for the services that write while writes fail
// (storage_health.h). The start line says the retention in force.
// Shutdown: health turns NOT_SERVING at once, in-flight calls get
// `shutdown_grace` to finish, then RunServer returns OK.

#ifndef PLACEMENT_SERVICE_SERVER_H_
#define PLACEMENT_SERVICE_SERVER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "app/retention.h"
#include "engine/placements.h"
#include "grpcpp/server_builder.h"

namespace placement::service {

struct ServerOptions {
  // host:port; port 0 picks a free port (see port_file).
  std::string listen = "127.0.0.1:50051";
  std::string db_path = "var/placement.db";
  std::string data_dir = "data";
  // Folder with participants.csv and openings.csv to import into an empty
  // store; empty to start with an empty store.
  std::string seed_from;
  // When set, the bound port is written to this file once the server serves.
  std::string port_file;
  // Credentials file (see auth.h). Required: without it every call is denied.
  std::string credentials_path;
  // Scoring profile file (see engine/scoring.h); empty for the built-in
  // default.
  std::string profile_path;
  absl::Duration shutdown_grace = absl::Seconds(10);
  // PEM certificate chain and private key of the server; with both set the
  // server speaks TLS only and may listen on any address. Neither: plain
  // text, on loopback only. One without the other is refused.
  std::string tls_cert_path;
  std::string tls_key_path;
  // PEM CA certificates; when set (with cert and key), clients must present
  // a certificate signed by one of them.
  std::string tls_client_ca_path;
  // Rematch runs: worker threads (0 = all cores) and where each run's report
  // is written as JSON (empty: a "reports" folder beside the database).
  int rematch_threads = 0;
  std::string report_dir = {};
  // How many working days a hold lasts when the request does not say,
  // 1..kMaxHoldWorkingDays (engine/placements.h).
  int hold_working_days = kDefaultHoldWorkingDays;
  // How often the server marks expired holds EXPIRED (every read does too).
  absl::Duration hold_sweep_interval = absl::Minutes(1);
  // How often to check whether the snapshot's write log is due for a
  // compaction (Snapshot::CompactionDue: past 1 % of the base); the
  // compaction itself runs on that background thread while writes go on.
  absl::Duration compaction_check_interval = absl::Seconds(1);
  // How long decided proposals and access-log records are kept
  // (app/retention.h; refused at start when out of range), and how often
  // the purge runs after the one at start.
  app::RetentionPolicy retention = {};
  absl::Duration purge_interval = absl::Hours(24);
  // How often the server checks that a write reaches the disk
  // (store::Store::ProbeWrite; see storage_health.h), also while no call
  // comes; must be positive.
  absl::Duration write_probe_interval = absl::Seconds(5);
};

// The server's limits on messages and streams per connection (also used by
// placement-load's transport floor, so that it sends the same way).
void ApplyChannelLimits(grpc::ServerBuilder& builder);

// True for 127.0.0.0/8, [::1] and localhost addresses (with a port).
bool IsLoopbackAddress(const std::string& address);

// Runs until SIGTERM or SIGINT. Must be called before the process starts any
// other thread: it blocks those signals so that only its own waiter sees them.
// Returns OK after a clean shutdown; INVALID_ARGUMENT, FAILED_PRECONDITION or
// UNAVAILABLE with a message for the operator when it cannot start.
absl::Status RunServer(const ServerOptions& options);

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_SERVER_H_
