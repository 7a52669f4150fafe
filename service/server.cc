#include "service/server.h"

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "app/audit.h"
#include "app/periodic_task.h"
#include "engine/dataset.h"
#include "engine/matcher.h"
#include "engine/reference_data.h"
#include "grpc/support/log.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "logging/log.h"
#include "service/account_service.h"
#include "service/admin_service.h"
#include "service/audit_service.h"
#include "service/auth.h"
#include "service/coach_service.h"
#include "service/denial_log.h"
#include "service/employer_service.h"
#include "service/followup_service.h"
#include "service/placement_service.h"
#include "service/reference_service.h"
#include "service/registry_service.h"
#include "service/rematch_service.h"
#include "service/rpc_support.h"
#include "service/storage_health.h"
#include "service/tls.h"
#include "store/database_lock.h"
#include "store/store.h"

namespace placement::service {
namespace {

// The largest message: an ImportData request carries up to 16 MiB of CSV
// (app::kMaxImportBytes) plus its other fields, so the limit leaves room for
// them; at exactly 16 MiB gRPC itself refused a file the import allows.
constexpr int kMaxMessageBytes = 16 * 1024 * 1024 + 64 * 1024;
constexpr int kMaxRowErrorsShown = 5;
constexpr int kMaxConcurrentStreams = 200;

std::string SummariseRowErrors(const std::vector<RowError>& errors) {
  std::vector<std::string> shown;
  for (size_t i = 0; i < errors.size() && i < kMaxRowErrorsShown; ++i) {
    shown.push_back(errors[i].ToString());
  }
  return absl::StrCat(errors.size(),
                      " bad row(s), first: ", absl::StrJoin(shown, "; "));
}

// Imports seed_from/{participants,openings}.csv into an empty store.
absl::Status SeedStore(store::Store& store, const std::string& folder,
                       const ReferenceData& reference) {
  absl::StatusOr<OpeningRows> openings =
      ReadOpeningsCsv(folder + "/openings.csv", reference);
  if (!openings.ok()) return openings.status();
  if (!openings->errors.empty()) {
    return absl::FailedPreconditionError(SummariseRowErrors(openings->errors));
  }
  absl::StatusOr<ParticipantRows> participants =
      ReadParticipantsCsv(folder + "/participants.csv", reference);
  if (!participants.ok()) return participants.status();
  if (!participants->errors.empty()) {
    return absl::FailedPreconditionError(
        SummariseRowErrors(participants->errors));
  }
  if (absl::Status s = store.UpsertOpenings(openings->openings); !s.ok())
    return s;
  if (absl::Status s = store.UpsertParticipants(participants->participants);
      !s.ok()) {
    return s;
  }
  logging::Info("store.seeded",
                {{"db", store.path()},
                 {"participants", participants->participants.size()},
                 {"openings", openings->openings.size()},
                 {"from", folder}});
  return absl::OkStatus();
}

// gRPC's messages (errors only, unless GRPC_VERBOSITY says more) as
// grpc.log events.
void LogGrpcMessage(gpr_log_func_args* args) {
  logging::Level level = logging::Level::kInfo;
  if (args->severity == GPR_LOG_SEVERITY_ERROR) level = logging::Level::kError;
  logging::Log(level, "grpc.log",
               {{"file", args->file == nullptr ? "" : args->file},
                {"line", args->line},
                {"message", args->message == nullptr ? "" : args->message}});
}

}  // namespace

void ApplyChannelLimits(grpc::ServerBuilder& builder) {
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  builder.SetMaxSendMessageSize(kMaxMessageBytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             kMaxConcurrentStreams);
}

bool IsLoopbackAddress(const std::string& address) {
  return absl::StartsWith(address, "127.") ||
         absl::StartsWith(address, "[::1]:") ||
         absl::StartsWith(address, "localhost:");
}

absl::Status RunServer(const ServerOptions& options) {
  // gRPC's own messages become log lines too, so every line parses.
  gpr_set_log_function(LogGrpcMessage);
  // Only the waiter below receives these; every thread started from here on
  // (gRPC starts some as soon as credentials are made) inherits the mask.
  sigset_t shutdown_signals;
  sigemptyset(&shutdown_signals);
  sigaddset(&shutdown_signals, SIGTERM);
  sigaddset(&shutdown_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &shutdown_signals, nullptr);

  absl::StatusOr<ServerTransport> transport =
      MakeServerTransport({.cert_path = options.tls_cert_path,
                           .key_path = options.tls_key_path,
                           .client_ca_path = options.tls_client_ca_path});
  if (!transport.ok()) return transport.status();
  const bool tls = transport->security != TransportSecurity::kPlainText;
  if (!tls && !IsLoopbackAddress(options.listen)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--listen=", options.listen,
        ": plain-text gRPC is allowed on loopback only (127.0.0.1, [::1] or "
        "localhost); TLS (--tls_cert and --tls_key) is needed for any other "
        "address"));
  }

  absl::StatusOr<ReferenceData> loaded_reference =
      LoadReferenceData(options.data_dir);
  if (!loaded_reference.ok()) return loaded_reference.status();
  auto reference =
      std::make_shared<const ReferenceData>(std::move(*loaded_reference));

  if (options.credentials_path.empty()) {
    return absl::InvalidArgumentError(
        "--credentials is required: every call is authenticated (see "
        "service/auth.h)");
  }
  if (absl::Status s = app::CheckRetentionPolicy(options.retention); !s.ok()) {
    return s;
  }
  absl::StatusOr<Credentials> credentials =
      Credentials::Load(options.credentials_path);
  if (!credentials.ok()) return credentials.status();
  ScoringProfile profile = ScoringProfile::Default();
  if (!options.profile_path.empty()) {
    absl::StatusOr<ScoringProfile> loaded =
        ScoringProfile::Load(options.profile_path);
    if (!loaded.ok()) return loaded.status();
    profile = *loaded;
  }

  // Before the store opens (and may migrate or seed it): one server per
  // database, held until RunServer returns or the process ends.
  absl::StatusOr<std::unique_ptr<store::DatabaseLock>> database_lock =
      store::DatabaseLock::Acquire(options.db_path, "placement-server");
  if (!database_lock.ok()) return database_lock.status();
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      store::Store::Open(options.db_path);
  if (!store.ok()) return store.status();
  absl::StatusOr<int64_t> participant_count = (*store)->CountParticipants();
  absl::StatusOr<int64_t> opening_count = (*store)->CountOpenings();
  if (!participant_count.ok()) return participant_count.status();
  if (!opening_count.ok()) return opening_count.status();
  if (*participant_count == 0 && *opening_count == 0 &&
      !options.seed_from.empty()) {
    if (absl::Status s = SeedStore(**store, options.seed_from, *reference);
        !s.ok()) {
      return absl::Status(s.code(),
                          absl::StrCat("importing the seed data from ",
                                       options.seed_from, ": ", s.message()));
    }
  }
  if (options.hold_working_days < 1 ||
      options.hold_working_days > kMaxHoldWorkingDays) {
    return absl::InvalidArgumentError(
        absl::StrCat("--hold_working_days: ", options.hold_working_days,
                     " is outside 1..", kMaxHoldWorkingDays));
  }
  // Holds that expired while the server was down are not loaded as held.
  if (absl::StatusOr<store::ExpiredHolds> expired =
          (*store)->ExpireHolds(absl::Now());
      !expired.ok()) {
    return expired.status();
  }
  absl::StatusOr<std::vector<Participant>> participants =
      (*store)->LoadParticipants();
  if (!participants.ok()) return participants.status();
  absl::StatusOr<std::vector<Opening>> openings = (*store)->LoadOpenings();
  if (!openings.ok()) return openings.status();
  absl::StatusOr<std::shared_ptr<const Snapshot>> snapshot = Snapshot::Build(
      reference, std::move(*participants), std::move(*openings));
  if (!snapshot.ok()) return snapshot.status();
  SnapshotHolder snapshots(*snapshot);
  ServiceContext context;
  context.reference = reference;
  context.store = store->get();
  context.snapshots = &snapshots;
  context.credentials = &*credentials;
  context.profile = profile;
  context.hold_working_days = options.hold_working_days;
  context.retention = options.retention;
  if (options.write_probe_interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "--write_probe_interval must be positive");
  }
  // The services whose calls write (an access record, or data); the
  // account and reference-data services only read.
  StorageHealth storage_health(
      {"placement.v1.AdminService", "placement.v1.AuditService",
       "placement.v1.CoachService", "placement.v1.EmployerService",
       "placement.v1.FollowUpService", "placement.v1.ParticipantRegistry",
       "placement.v1.PlacementService", "placement.v1.RematchService"});
  storage_health.Report((*store)->ProbeWrite());
  context.storage_health = &storage_health;
  // The retention purge: now, and then every purge_interval (below). A
  // failure (a full disk) does not stop the server; the next purge retries.
  const auto purge = [&context] {
    absl::StatusOr<store::PurgeCounts> purged =
        app::PurgeExpiredRecords(context);
    if (!purged.ok()) {
      logging::Error(
          "retention.purge_failed",
          {{"code", absl::StatusCodeToString(purged.status().code())},
           {"error", purged.status().message()}});
      return;
    }
    logging::Info("retention.purge",
                  {{"retention", app::RetentionSummary(context.retention)},
                   {"proposals_removed", purged->proposals},
                   {"access_records_removed", purged->access_records}});
  };
  purge();
  AccountService account(context);
  RegistryService registry(context);
  PlacementService placements(context);
  ReferenceService reference_data(context);
  CoachService coach(context);
  AdminService admin(context);
  EmployerService employer(context);
  AuditService audit(context);
  FollowUpService follow_up(context);
  RematchService rematch(
      context,
      {.threads = options.rematch_threads,
       .report_dir =
           options.report_dir.empty()
               ? (std::filesystem::path(options.db_path).parent_path() /
                  "reports")
                     .string()
               : options.report_dir,
       .watch_interval = absl::Seconds(1)});
  if (absl::Status s = rematch.Recover(); !s.ok()) return s;

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, transport->credentials, &port);
  ApplyChannelLimits(builder);
  // gRPC shares a port between processes by default (SO_REUSEPORT): a second
  // server would then answer half the clients from another snapshot, or
  // another database. A port in use is refused instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.RegisterService(&account);
  builder.RegisterService(&registry);
  builder.RegisterService(&reference_data);
  builder.RegisterService(&coach);
  builder.RegisterService(&admin);
  builder.RegisterService(&employer);
  builder.RegisterService(&rematch);
  builder.RegisterService(&placements);
  builder.RegisterService(&audit);
  {
    std::vector<
        std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        interceptors;
    interceptors.push_back(MakeDenialLogInterceptorFactory(context));
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
  }
  builder.RegisterService(&follow_up);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen,
                     tls ? " with TLS (is another server using the port, or "
                           "does --tls_key not match --tls_cert?)"
                         : " (is another server using the port?)"));
  }
  for (const char* reads_only :
       {"placement.v1.AccountService", "placement.v1.ReferenceDataService"}) {
    server->GetHealthCheckService()->SetServingStatus(reads_only, true);
  }
  storage_health.Attach(server->GetHealthCheckService());

  const std::string host = options.listen.substr(0, options.listen.rfind(':'));
  const std::string address = absl::StrCat(host, ":", port);
  const Snapshot& loaded = **snapshot;
  const std::string security =
      tls ? std::string(TransportSecurityName(transport->security))
          : "plain text (loopback)";
  logging::Info(
      "server.start",
      {{"address", address},
       {"port", port},
       {"security", security},
       {"db", options.db_path},
       {"participants", loaded.participant_count()},
       {"openings", loaded.opening_count()},
       {"snapshot_mb",
        absl::StrFormat("%.1f", static_cast<double>(loaded.participant_bytes() +
                                                    loaded.opening_bytes()) /
                                    1e6)},
       {"profile", profile.name()},
       {"credentials", credentials->size()},
       {"retention", app::RetentionSummary(options.retention)},
       {"shutdown_grace", options.shutdown_grace}});
  // After the start line, so whoever waits for the port file finds it.
  if (!options.port_file.empty()) {
    std::ofstream(options.port_file, std::ios::trunc) << port << "\n";
  }

  // The periodic sweep of expired holds; reads expire them too. A failure
  // (a full disk) is retried at the next tick.
  app::PeriodicTask sweep(options.hold_sweep_interval, [&context] {
    absl::StatusOr<int> expired = app::ExpireDueHolds(context);
    if (!expired.ok()) {
      logging::Error(
          "holds.sweep_failed",
          {{"code", absl::StatusCodeToString(expired.status().code())},
           {"error", expired.status().message()}});
    } else if (*expired > 0) {
      logging::Info("holds.sweep", {{"expired", *expired}});
    }
  });
  // The retention purge ran once above; then every purge_interval.
  app::PeriodicTask daily_purge(options.purge_interval, purge);
  // Writes append to the snapshot's log; a new base is built from time to
  // time, off the writers' and readers' paths (engine/matcher.h).
  app::PeriodicTask compaction(options.compaction_check_interval, [&context] {
    context.snapshots->CompactIfDue(&context.write_mutex);
  });
  // Calls report their writes; the probe sees a disk that fails, or works
  // again, while none comes.
  app::PeriodicTask write_probe(options.write_probe_interval, [&] {
    storage_health.Report(context.store->ProbeWrite());
  });

  int signal_number = 0;
  sigwait(&shutdown_signals, &signal_number);
  sweep.Stop();
  daily_purge.Stop();
  compaction.Stop();
  write_probe.Stop();
  storage_health.Detach();
  logging::Info("server.stopping",
                {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"},
                 {"health", "NOT_SERVING"},
                 {"shutdown_grace", options.shutdown_grace}});
  server->GetHealthCheckService()->SetServingStatus(false);
  // A running rematch is cancelled (it publishes nothing) and progress
  // streams end with UNAVAILABLE, so the drain below is not held up.
  rematch.Stop();
  server->Shutdown(std::chrono::system_clock::now() +
                   absl::ToChronoSeconds(options.shutdown_grace));
  server->Wait();
  logging::Info("server.stop", {{"db", options.db_path}});
  return absl::OkStatus();
}

}  // namespace placement::service
