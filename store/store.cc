#include "store/store.h"

#include <sqlite3.h>

#include <iterator>

#include "absl/cleanup/cleanup.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "engine/dataset.h"
#include "proto/convert.h"
#include "store/internal/records.h"
#include "store/internal/sqlite_support.h"

namespace placement::store {
namespace {

using internal::FromSqliteCode;
using internal::InTransaction;
using internal::Statement;
using internal::StepError;

constexpr char kCreateSchemaV1[] = R"sql(
  CREATE TABLE participants (
    id         TEXT PRIMARY KEY,
    coach_id   TEXT NOT NULL,
    status     TEXT NOT NULL,
    record     BLOB NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX participants_by_coach ON participants (coach_id);
  CREATE TABLE openings (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL,
    status          TEXT NOT NULL,
    record          BLOB NOT NULL
  ) WITHOUT ROWID;
  PRAGMA user_version = 1;
)sql";

// kMigrations[v - 1] takes schema version v to v + 1.
constexpr const char* kMigrations[] = {
    // 1 -> 2
    R"sql(
  CREATE TABLE placements (
    participant_id TEXT NOT NULL,
    opening_id     TEXT NOT NULL,
    since          TEXT NOT NULL,
    PRIMARY KEY (participant_id, opening_id)
  ) WITHOUT ROWID;
  CREATE INDEX placements_by_opening ON placements (opening_id);
  CREATE TABLE runs (
    run_id      TEXT PRIMARY KEY,
    state       TEXT NOT NULL,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    report      BLOB
  ) WITHOUT ROWID;
  CREATE TABLE proposals (
    proposal_id    TEXT PRIMARY KEY,
    run_id         TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    opening_id     TEXT NOT NULL,
    state          TEXT NOT NULL,
    score          REAL NOT NULL,
    explanation    BLOB,
    decided_by     TEXT,
    decided_at     INTEGER,
    reason         TEXT,
    created_at     INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX proposals_by_participant ON proposals (participant_id);
  CREATE INDEX proposals_by_run ON proposals (run_id);
  CREATE TABLE suggestion_actions (
    id             INTEGER PRIMARY KEY,
    participant_id TEXT NOT NULL,
    opening_id     TEXT NOT NULL,
    action         TEXT NOT NULL,
    actor          TEXT NOT NULL,
    at             INTEGER NOT NULL,
    note           TEXT
  );
  CREATE INDEX suggestion_actions_by_participant ON suggestion_actions (participant_id);
  CREATE TABLE access_log (
    id              INTEGER PRIMARY KEY,
    at              INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    role            TEXT NOT NULL,
    call            TEXT NOT NULL,
    participant_ref TEXT NOT NULL
  );
  CREATE INDEX access_log_by_participant ON access_log (participant_ref);
  PRAGMA user_version = 2;
)sql",
    // 2 -> 3
    R"sql(
  ALTER TABLE runs ADD COLUMN record BLOB;
  ALTER TABLE proposals ADD COLUMN continued INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE proposals ADD COLUMN redacted_explanation BLOB;
  CREATE INDEX proposals_by_opening ON proposals (opening_id);
  CREATE INDEX proposals_by_state ON proposals (state);
  PRAGMA user_version = 3;
)sql",
    // 3 -> 4: every suggestion appends an access record, and an index by
    // participant put each one on a random page of the index, so a commit
    // wrote a 4 KiB WAL page per record and the checkpoint wrote it again.
    // Appended in id order, a commit now fills the table's last page or two.
    // Reading one participant's records, and erasure, scan the log instead.
    R"sql(
  DROP INDEX access_log_by_participant;
  PRAGMA user_version = 4;
)sql",
    // 4 -> 5: holds; placements with an id, a source, an end and an
    // outcome (the rows of version 4 all came from accepted proposals);
    // every change of a participant's step.
    R"sql(
  CREATE TABLE holds (
    hold_id        TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL,
    opening_id     TEXT NOT NULL,
    coach_id       TEXT NOT NULL,
    state          TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    ended_at       INTEGER,
    ended_by       TEXT NOT NULL DEFAULT '',
    placement_id   TEXT NOT NULL DEFAULT ''
  ) WITHOUT ROWID;
  CREATE INDEX holds_by_participant ON holds (participant_id);
  CREATE INDEX holds_by_opening ON holds (opening_id, state);
  CREATE INDEX holds_by_state_and_expiry ON holds (state, expires_at);
  CREATE TABLE placements_v5 (
    placement_id   TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL,
    opening_id     TEXT NOT NULL,
    source         TEXT NOT NULL,
    source_id      TEXT NOT NULL DEFAULT '',
    started_by     TEXT NOT NULL DEFAULT '',
    start_date     TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    end_date       TEXT,
    outcome        TEXT,
    moved_to_step  INTEGER NOT NULL DEFAULT -1,
    left_programme INTEGER NOT NULL DEFAULT 0,
    ended_by       TEXT NOT NULL DEFAULT '',
    ended_at       INTEGER
  ) WITHOUT ROWID;
  INSERT INTO placements_v5 (placement_id, participant_id, opening_id, source,
                             source_id, started_by, start_date, created_at)
    SELECT printf('L%07d', row_number() OVER (ORDER BY since, participant_id,
                                                       opening_id)),
           pl.participant_id, pl.opening_id, 'proposal',
           coalesce((SELECT proposal_id FROM proposals p
                     WHERE p.participant_id = pl.participant_id
                       AND p.opening_id = pl.opening_id
                       AND p.state = 'accepted' LIMIT 1), ''),
           coalesce((SELECT decided_by FROM proposals p
                     WHERE p.participant_id = pl.participant_id
                       AND p.opening_id = pl.opening_id
                       AND p.state = 'accepted' LIMIT 1), ''),
           since,
           coalesce((SELECT decided_at FROM proposals p
                     WHERE p.participant_id = pl.participant_id
                       AND p.opening_id = pl.opening_id
                       AND p.state = 'accepted' LIMIT 1), 0)
    FROM placements pl;
  DROP TABLE placements;
  ALTER TABLE placements_v5 RENAME TO placements;
  CREATE INDEX placements_by_participant ON placements (participant_id);
  CREATE INDEX placements_by_opening ON placements (opening_id);
  CREATE TABLE step_changes (
    id             INTEGER PRIMARY KEY,
    participant_id TEXT NOT NULL,
    on_date        TEXT NOT NULL,
    from_step      INTEGER NOT NULL,
    to_step        INTEGER NOT NULL,
    reason         TEXT NOT NULL,
    placement_id   TEXT NOT NULL DEFAULT '',
    actor          TEXT NOT NULL DEFAULT '',
    at             INTEGER NOT NULL
  );
  CREATE INDEX step_changes_by_participant ON step_changes (participant_id);
  PRAGMA user_version = 5;
)sql",
    // 5 -> 6: refused calls are logged beside the served ones; an auditor's
    // read by principal names the principal asked about.
    R"sql(
  ALTER TABLE access_log ADD COLUMN outcome TEXT NOT NULL DEFAULT 'allowed';
  ALTER TABLE access_log ADD COLUMN asked_principal TEXT NOT NULL DEFAULT '';
  PRAGMA user_version = 6;
)sql",
    // 6 -> 7: which openings a coach was shown for a participant, once a
    // day per pair, for the decision funnel. Keyed by day first, so a
    // day's marks go to the end of the table and a period is one range;
    // erasure scans it, as it scans the access log.
    R"sql(
  CREATE TABLE suggestions_shown (
    day            TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    opening_id     TEXT NOT NULL,
    PRIMARY KEY (day, participant_id, opening_id)
  ) WITHOUT ROWID;
  CREATE INDEX proposals_by_created_at ON proposals (created_at);
  PRAGMA user_version = 7;
)sql",
    // 7 -> 8: each exited participant's situation about six months after
    // the exit, as their coach recorded it (one row each; replaced).
    R"sql(
  CREATE TABLE exit_follow_ups (
    participant_id TEXT PRIMARY KEY,
    situation      TEXT NOT NULL,
    checked_on     TEXT NOT NULL,
    exit_date      TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    recorded_at    INTEGER NOT NULL
  ) WITHOUT ROWID;
  PRAGMA user_version = 8;
)sql",
};
static_assert(std::size(kMigrations) == Store::kSchemaVersion - 1);

}  // namespace

namespace {
// The store whose batch (Store::InBatch) the calling thread is running.
thread_local const Store* batch_store = nullptr;
}  // namespace

// The analysis cannot follow the condition; to callers the lock is held
// either way, which is true.
Store::CallLock::CallLock(Store* store) ABSL_NO_THREAD_SAFETY_ANALYSIS
    : mutex_(batch_store == store ? nullptr : &store->mutex_) {
  if (mutex_ != nullptr) mutex_->Lock();
}

Store::CallLock::~CallLock() ABSL_NO_THREAD_SAFETY_ANALYSIS {
  if (mutex_ != nullptr) mutex_->Unlock();
}

bool Store::InBatchOnThisThread() const { return batch_store == this; }

absl::Status Store::InBatch(absl::FunctionRef<void()> body) {
  MutexLock lock(&mutex_);
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) !=
      SQLITE_OK) {
    const absl::Status status = SqliteError("cannot start a write");
    internal::LogFailedCommit(path_, status);
    return status;
  }
  batch_failure_ = absl::OkStatus();
  batch_store = this;
  body();
  batch_store = nullptr;
  absl::Status status = batch_failure_;
  if (status.ok() && sqlite3_get_autocommit(db_) != 0) {
    status = absl::UnavailableError(absl::StrCat(
        "a write to '", path_, "' was rolled back by the database"));
  }
  if (status.ok() &&
      sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    status = SqliteError("commit failed");
  }
  if (!status.ok() && sqlite3_get_autocommit(db_) == 0) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  if (!status.ok()) internal::LogFailedCommit(path_, status);
  return status;
}

absl::Status Store::Atomically(absl::FunctionRef<absl::Status()> body) {
  if (!InBatchOnThisThread()) {
    return absl::FailedPreconditionError("Store::Atomically outside a batch");
  }
  mutex_.AssertHeld();  // InBatch holds it for this thread
  if (!batch_failure_.ok()) return batch_failure_;
  absl::Status status = InTransaction(db_, path_, body);
  // Some errors (I/O, a full disk) roll the whole transaction back.
  if (!status.ok() && sqlite3_get_autocommit(db_) != 0) {
    batch_failure_ = status;
  }
  return status;
}

absl::StatusOr<std::unique_ptr<Store>> Store::Open(
    const std::string& path, const StoreOptions& options) {
  sqlite3* db = nullptr;
  const int code = sqlite3_open_v2(
      path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
      options.vfs.empty() ? nullptr : options.vfs.c_str());
  if (code != SQLITE_OK) {
    const std::string message =
        absl::StrCat("cannot open the database '", path,
                     "': ", db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return absl::UnavailableError(message);
  }
  if (options.max_bytes < 0) {
    sqlite3_close(db);
    return absl::InvalidArgumentError(
        absl::StrCat("max_bytes: ", options.max_bytes, " is negative"));
  }
  std::unique_ptr<Store> store(new Store(path, db, options.max_bytes));
  MutexLock lock(&store->mutex_);
  absl::Status configured = store->Configure();
  if (!configured.ok()) return configured;
  store->StartCheckpointer(options.vfs);
  return store;
}

namespace {
// WAL frames (pages) after which a checkpoint is started; SQLite's own
// automatic checkpoint uses the same figure.
constexpr int kCheckpointFrames = 1000;
}  // namespace

int Store::OnWalCommit(void* store, sqlite3* /*db*/, const char* /*name*/,
                       int frames) {
  if (frames >= kCheckpointFrames) {
    Store* self = static_cast<Store*>(store);
    {
      MutexLock lock(&self->checkpoint_mutex_);
      self->checkpoint_due_ = true;
    }
    self->checkpoint_wanted_.Signal();
  }
  return SQLITE_OK;
}

void Store::StartCheckpointer(const std::string& vfs) {
  sqlite3* connection = nullptr;
  if (sqlite3_open_v2(path_.c_str(), &connection,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX,
                      vfs.empty() ? nullptr : vfs.c_str()) != SQLITE_OK) {
    // Without a second connection SQLite's automatic checkpoint, on the
    // committing connection, stays in place.
    sqlite3_close(connection);
    return;
  }
  sqlite3_busy_timeout(connection, 5000);
  // A connection learns that the file is in WAL mode on its first read;
  // until then a checkpoint on it does nothing.
  if (sqlite3_exec(connection, "SELECT count(*) FROM sqlite_master", nullptr,
                   nullptr, nullptr) != SQLITE_OK) {
    sqlite3_close(connection);
    return;
  }
  // Replaces the automatic checkpoint (which is itself a WAL hook).
  sqlite3_wal_hook(db_, &Store::OnWalCommit, this);
  checkpointer_ = std::thread([this, connection] { Checkpointer(connection); });
}

void Store::Checkpointer(sqlite3* connection) {
  while (true) {
    {
      MutexLock lock(&checkpoint_mutex_);
      while (!checkpoint_due_ && !checkpoint_stopping_) {
        checkpoint_wanted_.Wait(&checkpoint_mutex_);
      }
      if (checkpoint_stopping_) break;
      checkpoint_due_ = false;
    }
    // PASSIVE: copies what it can without blocking readers or the writer. A
    // failure (a full disk, say) is retried at the next trigger; the WAL
    // keeps every committed transaction meanwhile.
    sqlite3_wal_checkpoint_v2(connection, nullptr, SQLITE_CHECKPOINT_PASSIVE,
                              nullptr, nullptr);
  }
  sqlite3_close(connection);
}

void Store::StopCheckpointer() {
  if (!checkpointer_.joinable()) return;
  {
    MutexLock lock(&checkpoint_mutex_);
    checkpoint_stopping_ = true;
  }
  checkpoint_wanted_.Signal();
  checkpointer_.join();
}

Store::~Store() {
  StopCheckpointer();
  std::thread writer;
  std::thread notifier;
  {
    MutexLock lock(&access_mutex_);
    access_writer_stopping_ = true;
    writer = std::move(access_writer_);
    notifier = std::move(access_notifier_);
  }
  access_queued_.Signal();
  // The writer commits what is still queued, and the notifier reports it,
  // before they stop.
  if (writer.joinable()) writer.join();
  if (notifier.joinable()) notifier.join();
  sqlite3_close(db_);
}

absl::Status Store::Configure() {
  sqlite3_busy_timeout(db_, 5000);
  sqlite3_extended_result_codes(db_, 1);
  // Anything but a database (or a damaged header) fails on the first read.
  absl::StatusOr<int64_t> version = QueryInt("PRAGMA user_version");
  if (!version.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("'", path_, "' is not a readable placement database (",
                     version.status().message(), "); it was left untouched"));
  }
  if (*version > kSchemaVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("'", path_, "' has schema version ", *version,
                     ", newer than version ", kSchemaVersion,
                     " that this build knows; use a newer placement-server"));
  }
  absl::StatusOr<std::string> integrity = QueryText("PRAGMA integrity_check");
  if (!integrity.ok() || *integrity != "ok") {
    return absl::FailedPreconditionError(
        absl::StrCat("'", path_, "' failed its integrity check (",
                     integrity.ok() ? *integrity : integrity.status().message(),
                     "); it was left untouched. Restore it from a backup."));
  }

  absl::StatusOr<std::string> journal = QueryText("PRAGMA journal_mode = WAL");
  if (!journal.ok()) return journal.status();
  if (absl::Status s =
          Execute("PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;");
      !s.ok()) {
    return s;
  }
  absl::StatusOr<int64_t> synchronous = QueryInt("PRAGMA synchronous");
  if (*journal != "wal" || !synchronous.ok() || *synchronous != 2) {
    return absl::FailedPreconditionError(absl::StrCat(
        "'", path_, "': cannot set journal_mode=WAL and synchronous=FULL (got ",
        *journal, ", ", synchronous.ok() ? absl::StrCat(*synchronous) : "?",
        "); refusing to run without durable writes"));
  }

  if (max_bytes_ > 0) {
    absl::StatusOr<int64_t> page_size = QueryInt("PRAGMA page_size");
    if (!page_size.ok()) return page_size.status();
    const int64_t pages = std::max<int64_t>(1, max_bytes_ / *page_size);
    if (absl::Status s =
            Execute(absl::StrCat("PRAGMA max_page_count = ", pages));
        !s.ok()) {
      return s;
    }
  }

  if (*version == 0) {
    absl::StatusOr<int64_t> tables =
        QueryInt("SELECT count(*) FROM sqlite_master");
    if (!tables.ok()) return tables.status();
    if (*tables != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "'", path_,
          "' is a SQLite database of another application; it was left "
          "untouched"));
    }
    if (absl::Status s =
            Execute(absl::StrCat("BEGIN;", kCreateSchemaV1, "COMMIT;"));
        !s.ok()) {
      return s;
    }
    return Migrate(1);
  }
  return Migrate(*version);
}

absl::Status Store::Migrate(int64_t from_version) {
  for (int64_t version = from_version; version < kSchemaVersion; ++version) {
    absl::Status s =
        Execute(absl::StrCat("BEGIN;", kMigrations[version - 1], "COMMIT;"));
    if (!s.ok()) {
      Execute("ROLLBACK").IgnoreError();
      return absl::Status(
          s.code(),
          absl::StrCat("migrating '", path_, "' from schema ", version, " to ",
                       version + 1, ": ", s.message()));
    }
  }
  return absl::OkStatus();
}

absl::Status Store::SqliteError(absl::string_view what) {
  return FromSqliteCode(
      sqlite3_extended_errcode(db_),
      absl::StrCat(what, " in '", path_, "': ", sqlite3_errmsg(db_)));
}

absl::Status Store::Execute(const std::string& sql) {
  char* error = nullptr;
  const int code = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  if (code == SQLITE_OK) return absl::OkStatus();
  const std::string message = error ? error : sqlite3_errstr(code);
  sqlite3_free(error);
  return FromSqliteCode(code,
                        absl::StrCat("database '", path_, "': ", message));
}

absl::StatusOr<int64_t> Store::QueryInt(const std::string& sql) {
  Statement statement(db_, sql.c_str());
  if (!statement.ok()) return SqliteError("query failed");
  if (sqlite3_step(statement.get()) != SQLITE_ROW)
    return SqliteError("query failed");
  return sqlite3_column_int64(statement.get(), 0);
}

absl::StatusOr<std::string> Store::QueryText(const std::string& sql) {
  Statement statement(db_, sql.c_str());
  if (!statement.ok()) return SqliteError("query failed");
  if (sqlite3_step(statement.get()) != SQLITE_ROW)
    return SqliteError("query failed");
  const unsigned char* text = sqlite3_column_text(statement.get(), 0);
  return text ? std::string(reinterpret_cast<const char*>(text))
              : std::string();
}

namespace {

// Runs `bind(statement, record)` and a step for each record, in one
// transaction (InTransaction: a savepoint inside a batch).
template <typename Record, typename Bind>
absl::Status WriteAll(sqlite3* db, const char* sql,
                      const std::vector<Record>& records, Bind bind,
                      const std::string& path) {
  return InTransaction(db, path, [&]() -> absl::Status {
    Statement statement(db, sql);
    if (!statement.ok()) return StepError(db, path, "cannot prepare the write");
    for (const Record& record : records) {
      sqlite3_reset(statement.get());
      bind(statement, record);
      if (sqlite3_step(statement.get()) != SQLITE_DONE) {
        return StepError(db, path, "write failed");
      }
    }
    return absl::OkStatus();
  });
}

template <typename Proto, typename Record>
absl::StatusOr<std::vector<Record>> LoadAll(sqlite3* db, const char* sql,
                                            const std::string& path) {
  Statement statement(db, sql);
  if (!statement.ok()) {
    return FromSqliteCode(
        sqlite3_extended_errcode(db),
        absl::StrCat("cannot read '", path, "': ", sqlite3_errmsg(db)));
  }
  std::vector<Record> records;
  int code;
  while ((code = sqlite3_step(statement.get())) == SQLITE_ROW) {
    const void* blob = sqlite3_column_blob(statement.get(), 0);
    const int size = sqlite3_column_bytes(statement.get(), 0);
    Proto proto;
    if (!proto.ParseFromArray(blob, size)) {
      return absl::DataLossError(
          absl::StrCat("'", path, "': a stored record of ",
                       Proto::descriptor()->name(), " cannot be decoded"));
    }
    absl::StatusOr<Record> record = FromProto(proto);
    if (!record.ok()) {
      return absl::DataLossError(absl::StrCat(
          "'", path,
          "': a stored record is invalid: ", record.status().message()));
    }
    records.push_back(std::move(*record));
  }
  if (code != SQLITE_DONE) {
    return FromSqliteCode(code, absl::StrCat("reading '", path,
                                             "' failed: ", sqlite3_errmsg(db)));
  }
  return records;
}

}  // namespace

absl::Status Store::UpsertParticipants(
    const std::vector<Participant>& participants) {
  CallLock lock(this);
  absl::Status status = WriteAll(
      db_,
      "INSERT OR REPLACE INTO participants (id, coach_id, status, record) "
      "VALUES (?, ?, ?, ?)",
      participants,
      [](Statement& statement, const Participant& p) {
        v1::Participant proto;
        ToProto(p, proto);
        statement.BindText(1, p.id);
        statement.BindText(2, p.coach_id);
        statement.BindText(3, std::string(ParticipantStatusSlug(p.status)));
        statement.BindBlob(4, proto.SerializeAsString());
      },
      path_);
  // An erased id stored again is a new person: their reads are theirs.
  if (status.ok()) {
    for (const Participant& p : participants) erased_references_.erase(p.id);
  }
  return status;
}

absl::Status Store::UpsertOpenings(const std::vector<Opening>& openings) {
  CallLock lock(this);
  return WriteAll(
      db_,
      "INSERT OR REPLACE INTO openings (id, organisation_id, status, record) "
      "VALUES (?, ?, ?, ?)",
      openings,
      [](Statement& statement, const Opening& o) {
        v1::Opening proto;
        ToProto(o, proto);
        proto.clear_places_held();  // counted from the holds table
        statement.BindText(1, o.id);
        statement.BindText(2, o.organisation_id);
        statement.BindText(3, std::string(OpeningStatusSlug(o.status)));
        statement.BindBlob(4, proto.SerializeAsString());
      },
      path_);
}

absl::StatusOr<std::vector<Participant>> Store::LoadParticipants() {
  CallLock lock(this);
  return LoadAll<v1::Participant, Participant>(
      db_, "SELECT record FROM participants ORDER BY id", path_);
}

absl::StatusOr<std::vector<Opening>> Store::LoadOpenings() {
  CallLock lock(this);
  absl::StatusOr<std::vector<Opening>> openings = LoadAll<v1::Opening, Opening>(
      db_, "SELECT record FROM openings ORDER BY id", path_);
  if (!openings.ok()) return openings;
  absl::flat_hash_map<std::string, int> held;
  {
    Statement statement(db_,
                        "SELECT opening_id, count(*) FROM holds WHERE state = "
                        "'active' GROUP BY opening_id");
    int code;
    while ((code = statement.Step()) == SQLITE_ROW) {
      held[statement.Text(0)] = static_cast<int>(statement.Int(1));
    }
    if (code != SQLITE_DONE) return SqliteError("counting held places failed");
  }
  for (Opening& opening : *openings) {
    auto it = held.find(opening.id);
    opening.places_held = it == held.end() ? 0 : it->second;
  }
  return openings;
}

absl::StatusOr<int64_t> Store::CountParticipants() {
  CallLock lock(this);
  return QueryInt("SELECT count(*) FROM participants");
}

absl::StatusOr<int64_t> Store::CountOpenings() {
  CallLock lock(this);
  return QueryInt("SELECT count(*) FROM openings");
}

}  // namespace placement::store

namespace placement::store {
namespace {

// Counts the distinct rows (file, line) among the errors.
int RejectedRows(const std::vector<RowError>& errors) {
  absl::flat_hash_set<std::pair<std::string, int>> rows;
  for (const RowError& e : errors) rows.emplace(e.file, e.line);
  return static_cast<int>(rows.size());
}

}  // namespace

bool IsStorageFault(const absl::Status& status) {
  return status.GetPayload(internal::kStorageFaultPayload).has_value();
}

absl::Status Store::ProbeWrite() {
  MutexLock lock(&mutex_);
  return InTransaction(db_, path_, [&]() -> absl::Status {
    mutex_.AssertHeld();  // the body runs inside InTransaction, under the lock
    if (max_bytes_ > 0) {
      absl::StatusOr<int64_t> pages = QueryInt("PRAGMA page_count");
      absl::StatusOr<int64_t> limit = QueryInt("PRAGMA max_page_count");
      absl::StatusOr<int64_t> free_pages = QueryInt("PRAGMA freelist_count");
      if (!pages.ok()) return pages.status();
      if (!limit.ok()) return limit.status();
      if (!free_pages.ok()) return free_pages.status();
      if (*pages >= *limit && *free_pages == 0) {
        return FromSqliteCode(
            SQLITE_FULL,
            absl::StrCat("database '", path_, "' is at its size limit of ",
                         max_bytes_, " bytes"));
      }
    }
    return Execute(absl::StrCat("PRAGMA user_version = ", kSchemaVersion));
  });
}

absl::Status Store::AppendAccess(const AccessRecord& record) {
  return AppendAccess(std::vector<AccessRecord>{record});
}

absl::Status Store::AppendAccess(const std::vector<AccessRecord>& records) {
  // Inside a batch the records go in its transaction: the writer thread
  // could not take the lock the batch holds.
  if (InBatchOnThisThread()) {
    CallLock lock(this);
    return WriteAccessBatch(records);
  }
  struct Result {
    Mutex mutex;
    CondVar written;
    bool done ABSL_GUARDED_BY(mutex) = false;
    absl::Status status ABSL_GUARDED_BY(mutex);
  } result;
  AppendAccessAsync(records, [&result](absl::Status status) {
    MutexLock lock(&result.mutex);
    result.status = std::move(status);
    result.done = true;
    result.written.Signal();
  });
  MutexLock lock(&result.mutex);
  while (!result.done) result.written.Wait(&result.mutex);
  return result.status;
}

void Store::AppendAccessAsync(std::vector<AccessRecord> records,
                              absl::AnyInvocable<void(absl::Status) &&> done) {
  if (records.empty()) {
    std::move(done)(absl::OkStatus());
    return;
  }
  {
    MutexLock lock(&access_mutex_);
    if (!access_writer_.joinable()) {
      access_writer_ = std::thread([this] { WriteAccessLog(); });
      access_notifier_ = std::thread([this] { NotifyAccessLogged(); });
    }
    access_queue_.push_back({std::move(records), std::move(done)});
  }
  access_queued_.Signal();
}

// Every suggestion writes one record, and with synchronous=FULL a commit
// costs an fsync (milliseconds on the development machine), so a transaction
// per call would cap the whole server at one call per fsync. The writer
// takes everything queued while it committed the previous batch.
void Store::WriteAccessLog() {
  while (true) {
    std::vector<PendingAccess> batch;
    bool stopped = false;
    {
      MutexLock lock(&access_mutex_);
      while (access_queue_.empty() && !access_writer_stopping_) {
        access_queued_.Wait(&access_mutex_);
      }
      if (access_queue_.empty()) {  // stopping, and nothing is left
        access_writer_stopped_ = true;
        stopped = true;
      } else {
        batch.swap(access_queue_);
      }
    }
    if (stopped) {
      access_done_.Signal();
      return;
    }
    std::vector<AccessRecord> records;
    for (PendingAccess& pending : batch) {
      std::move(pending.records.begin(), pending.records.end(),
                std::back_inserter(records));
    }
    absl::Status status;
    {
      CallLock lock(this);
      status = internal::WithPrefix(WriteAccessBatch(records),
                                    "the access log cannot be written: ");
    }
    {
      MutexLock lock(&access_mutex_);
      access_committed_.push_back({std::move(batch), std::move(status)});
    }
    access_done_.Signal();
  }
}

// The suggestion marks ride in the access record's transaction: the call
// that shows a coach openings already pays for that commit, so the marks
// cost no fsync of their own.
absl::Status Store::WriteAccessBatch(const std::vector<AccessRecord>& records) {
  return InTransaction(db_, path_, [&]() -> absl::Status {
    mutex_.AssertHeld();  // the body runs inside InTransaction, under the lock
    Statement log(db_,
                  "INSERT INTO access_log (at, actor, role, call, "
                  "participant_ref, outcome, asked_principal) VALUES (?, ?, ?, "
                  "?, ?, ?, ?)");
    Statement mark(db_,
                   "INSERT OR IGNORE INTO suggestions_shown (day, "
                   "participant_id, opening_id) VALUES (?, ?, ?)");
    if (!log.ok() || !mark.ok()) {
      return StepError(db_, path_, "cannot prepare the write");
    }
    for (const AccessRecord& record : records) {
      auto erased = erased_references_.find(record.participant_id);
      log.Reset();
      log.BindInt(1, absl::ToUnixMicros(record.at));
      log.BindText(2, record.actor);
      log.BindText(3, record.role);
      log.BindText(4, record.call);
      log.BindText(5, erased == erased_references_.end() ? record.participant_id
                                                         : erased->second);
      log.BindText(6, AccessOutcomeSlug(record.outcome));
      log.BindText(7, record.asked_principal);
      if (log.Step() != SQLITE_DONE) {
        return StepError(db_, path_, "write failed");
      }
      if (erased != erased_references_.end()) continue;  // no mark for them
      const std::string day = FormatDate(record.suggested_on);
      for (const std::string& opening_id : record.suggested_opening_ids) {
        mark.Reset();
        mark.BindText(1, day);
        mark.BindText(2, record.participant_id);
        mark.BindText(3, opening_id);
        if (mark.Step() != SQLITE_DONE) {
          return StepError(db_, path_, "write failed");
        }
      }
    }
    return absl::OkStatus();
  });
}

void Store::NotifyAccessLogged() {
  while (true) {
    std::vector<CommittedAccess> committed;
    {
      MutexLock lock(&access_mutex_);
      while (access_committed_.empty() && !access_writer_stopped_) {
        access_done_.Wait(&access_mutex_);
      }
      if (access_committed_.empty()) return;  // the writer has stopped
      committed.swap(access_committed_);
    }
    for (CommittedAccess& batch : committed) {
      for (PendingAccess& pending : batch.batch) {
        std::move(pending.done)(batch.status);
      }
    }
  }
}

absl::StatusOr<std::vector<AccessRecord>> Store::ReadAccessLog(
    absl::string_view participant_id, int limit) {
  CallLock lock(this);
  Statement statement(
      db_,
      "SELECT at, actor, role, call, participant_ref, outcome, "
      "asked_principal FROM access_log WHERE participant_ref = ? ORDER BY id "
      "LIMIT ?");
  if (!statement.ok()) return SqliteError("cannot read the access log");
  statement.BindText(1, std::string(participant_id));
  sqlite3_bind_int(statement.get(), 2, limit);
  std::vector<AccessRecord> records;
  auto text = [&](int column) {
    const unsigned char* value = sqlite3_column_text(statement.get(), column);
    return value ? std::string(reinterpret_cast<const char*>(value))
                 : std::string();
  };
  int code;
  while ((code = sqlite3_step(statement.get())) == SQLITE_ROW) {
    records.push_back(AccessRecord{
        .at = absl::FromUnixMicros(sqlite3_column_int64(statement.get(), 0)),
        .actor = text(1),
        .role = text(2),
        .call = text(3),
        .participant_id = text(4),
        .outcome = text(5) == AccessOutcomeSlug(AccessOutcome::kDenied)
                       ? AccessOutcome::kDenied
                       : AccessOutcome::kAllowed,
        .asked_principal = text(6)});
  }
  if (code != SQLITE_DONE) return SqliteError("reading the access log failed");
  return records;
}

absl::StatusOr<ErasureCounts> Store::EraseParticipant(
    absl::string_view participant_id) {
  CallLock lock(this);
  const std::string id(participant_id);
  ErasureCounts counts;
  std::string erased_reference;
  absl::Status status = InTransaction(db_, path_, [&]() -> absl::Status {
    mutex_.AssertHeld();  // the body runs inside InTransaction, under the lock
    // Each statement deletes (or unlinks) the rows naming the participant and
    // reports how many it touched.
    struct Step {
      const char* sql;
      int* count;
    };
    const Step steps[] = {
        {"DELETE FROM participants WHERE id = ?1", &counts.participants},
        {"DELETE FROM proposals WHERE participant_id = ?1", &counts.proposals},
        {"DELETE FROM placements WHERE participant_id = ?1",
         &counts.placements},
        {"DELETE FROM holds WHERE participant_id = ?1", &counts.holds},
        {"DELETE FROM step_changes WHERE participant_id = ?1",
         &counts.step_changes},
        {"DELETE FROM exit_follow_ups WHERE participant_id = ?1",
         &counts.exit_follow_ups},
        {"DELETE FROM suggestion_actions WHERE participant_id = ?1",
         &counts.suggestion_actions},
        // A scan: the marks are keyed by day (schema version 6).
        {"DELETE FROM suggestions_shown WHERE participant_id = ?1",
         &counts.suggestion_marks},
        // A scan: the log has no index by participant (schema version 4).
        {"UPDATE access_log SET participant_ref = ?2 WHERE participant_ref = "
         "?1",
         &counts.access_records_unlinked},
    };
    // One unlinkable reference per erasure keeps the person's log records
    // together (what was done, when, by whom) without saying who they were.
    std::vector<std::string> released_ids;
    if (absl::Status s = ReleasePlaces(id, released_ids); !s.ok()) return s;
    absl::StatusOr<std::string> reference =
        QueryText("SELECT 'erased-' || lower(hex(randomblob(8)))");
    if (!reference.ok()) return reference.status();
    erased_reference = *reference;
    for (const Step& step : steps) {
      Statement statement(db_, step.sql);
      if (!statement.ok())
        return StepError(db_, path_, "cannot prepare the erasure");
      statement.BindText(1, id);
      if (sqlite3_bind_parameter_count(statement.get()) == 2) {
        statement.BindText(2, *reference);
      }
      if (sqlite3_step(statement.get()) != SQLITE_DONE) {
        return StepError(db_, path_, "erasure failed");
      }
      *step.count = sqlite3_changes(db_);
    }
    if (counts.participants == 0) {
      return absl::NotFoundError(
          absl::StrCat("participant '", id, "' does not exist"));
    }
    // As stored now: places taken given back, holds gone.
    for (const std::string& opening_id : released_ids) {
      absl::StatusOr<Opening> opening =
          internal::ReadOpening(db_, path_, opening_id, std::nullopt);
      if (absl::IsNotFound(opening.status())) continue;
      if (!opening.ok()) return opening.status();
      counts.released_openings.push_back(*std::move(opening));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  erased_references_[id] = erased_reference;
  // Old page images of the erased rows live in the WAL until it is
  // checkpointed and truncated.
  if (absl::Status s = TruncateWal(); !s.ok()) return s;
  return counts;
}

absl::Status Store::TruncateWal() {
  // The pragma reports "busy" in its first column, rather than failing,
  // when it could not finish (the checkpointer thread's PASSIVE checkpoint
  // holding the lock past the busy timeout, a long reader): try again.
  for (int attempt = 0; attempt < 5; ++attempt) {
    absl::StatusOr<int64_t> busy = QueryInt("PRAGMA wal_checkpoint(TRUNCATE)");
    if (!busy.ok()) return busy.status();
    if (*busy == 0) return absl::OkStatus();
  }
  return absl::UnavailableError(absl::StrCat(
      "'", path_,
      "': the write-ahead log could not be checkpointed and truncated (the "
      "database is busy); the change is stored, retry to clear the log"));
}

absl::Status Store::Checkpoint() {
  CallLock lock(this);
  return TruncateWal();
}

absl::StatusOr<std::vector<bool>> Store::Exists(
    const char* table, const std::vector<std::string>& ids) {
  Statement statement(
      db_, absl::StrCat("SELECT 1 FROM ", table, " WHERE id = ?").c_str());
  if (!statement.ok()) return SqliteError("cannot prepare a lookup");
  std::vector<bool> exists;
  exists.reserve(ids.size());
  for (const std::string& id : ids) {
    sqlite3_reset(statement.get());
    statement.BindText(1, id);
    const int code = sqlite3_step(statement.get());
    if (code != SQLITE_ROW && code != SQLITE_DONE)
      return SqliteError("lookup failed");
    exists.push_back(code == SQLITE_ROW);
  }
  return exists;
}

namespace {

// Counts inserts and updates, then (unless a dry run) upserts the good rows.
template <typename Record, typename ExistsFn, typename UpsertFn>
absl::StatusOr<ImportReport> FinishImport(int rows_read,
                                          std::vector<RowError> errors,
                                          const std::vector<Record>& records,
                                          bool dry_run, ExistsFn exists_fn,
                                          UpsertFn upsert_fn) {
  ImportReport report{.rows_read = rows_read,
                      .inserted = 0,
                      .updated = 0,
                      .rejected = RejectedRows(errors),
                      .errors = std::move(errors),
                      .dry_run = dry_run,
                      .ids = {}};
  report.ids.reserve(records.size());
  for (const Record& record : records) report.ids.push_back(record.id);
  absl::StatusOr<std::vector<bool>> exists = exists_fn(report.ids);
  if (!exists.ok()) return exists.status();
  for (bool e : *exists) (e ? report.updated : report.inserted) += 1;
  if (!dry_run) {
    if (absl::Status s = upsert_fn(records); !s.ok()) return s;
  }
  return report;
}

}  // namespace

absl::StatusOr<ImportReport> Store::ImportParticipantsCsv(
    std::istream& input, const std::string& file_name,
    const ReferenceData& reference, bool dry_run) {
  absl::StatusOr<ParticipantRows> rows =
      ReadParticipantsCsv(input, file_name, reference);
  if (!rows.ok()) return rows.status();
  return FinishImport(
      rows->rows_read, std::move(rows->errors), rows->participants, dry_run,
      [this](const std::vector<std::string>& ids) {
        CallLock lock(this);
        return Exists("participants", ids);
      },
      [this](const std::vector<Participant>& records) {
        return UpsertParticipants(records);
      });
}

absl::StatusOr<ImportReport> Store::ImportOpeningsCsv(
    std::istream& input, const std::string& file_name,
    const ReferenceData& reference, bool dry_run) {
  absl::StatusOr<OpeningRows> rows =
      ReadOpeningsCsv(input, file_name, reference);
  if (!rows.ok()) return rows.status();
  return FinishImport(
      rows->rows_read, std::move(rows->errors), rows->openings, dry_run,
      [this](const std::vector<std::string>& ids) {
        CallLock lock(this);
        return Exists("openings", ids);
      },
      [this](const std::vector<Opening>& records) {
        return UpsertOpenings(records);
      });
}

absl::Status Store::ExportParticipantsCsv(std::ostream& output) {
  absl::StatusOr<std::vector<Participant>> participants = LoadParticipants();
  if (!participants.ok()) return participants.status();
  ParticipantCsvWriter writer(output);
  for (const Participant& p : *participants) writer.Write(p);
  if (!output)
    return absl::UnavailableError("writing the participant export failed");
  return absl::OkStatus();
}

absl::Status Store::ExportOpeningsCsv(std::ostream& output) {
  absl::StatusOr<std::vector<Opening>> openings = LoadOpenings();
  if (!openings.ok()) return openings.status();
  OpeningCsvWriter writer(output);
  for (const Opening& o : *openings) writer.Write(o);
  if (!output)
    return absl::UnavailableError("writing the opening export failed");
  return absl::OkStatus();
}

}  // namespace placement::store
