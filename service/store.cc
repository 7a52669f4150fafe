#include "service/store.h"

#include <sqlite3.h>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "service/convert.h"

namespace placement::service {
namespace {

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

// Disk full and read-only files are reported so callers can tell the user
// what to fix; everything else is UNAVAILABLE.
absl::Status FromSqliteCode(int code, absl::string_view message) {
  switch (code & 0xFF) {
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(message);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::FailedPreconditionError(message);
    default:
      return absl::UnavailableError(message);
  }
}

// A prepared statement, finalised on destruction.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    code_ = sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr);
  }
  ~Statement() { sqlite3_finalize(statement_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return code_ == SQLITE_OK; }
  sqlite3_stmt* get() { return statement_; }

  void BindText(int index, const std::string& text) {
    sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
  }
  void BindBlob(int index, const std::string& blob) {
    sqlite3_bind_blob(statement_, index, blob.data(), static_cast<int>(blob.size()),
                      SQLITE_TRANSIENT);
  }

 private:
  sqlite3_stmt* statement_ = nullptr;
  int code_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& path) {
  sqlite3* db = nullptr;
  const int code = sqlite3_open_v2(path.c_str(), &db,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                       SQLITE_OPEN_FULLMUTEX,
                                   nullptr);
  if (code != SQLITE_OK) {
    const std::string message = absl::StrCat(
        "cannot open the database '", path, "': ", db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return absl::UnavailableError(message);
  }
  std::unique_ptr<Store> store(new Store(path, db));
  absl::MutexLock lock(&store->mutex_);
  absl::Status configured = store->Configure();
  if (!configured.ok()) return configured;
  return store;
}

Store::~Store() { sqlite3_close(db_); }

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
    return absl::FailedPreconditionError(absl::StrCat(
        "'", path_, "' has schema version ", *version, ", newer than version ",
        kSchemaVersion, " that this build knows; use a newer placement-server"));
  }
  absl::StatusOr<std::string> integrity = QueryText("PRAGMA integrity_check");
  if (!integrity.ok() || *integrity != "ok") {
    return absl::FailedPreconditionError(absl::StrCat(
        "'", path_, "' failed its integrity check (",
        integrity.ok() ? *integrity : integrity.status().message(),
        "); it was left untouched. Restore it from a backup."));
  }

  absl::StatusOr<std::string> journal = QueryText("PRAGMA journal_mode = WAL");
  if (!journal.ok()) return journal.status();
  if (absl::Status s = Execute("PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;");
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

  if (*version == 0) {
    absl::StatusOr<int64_t> tables = QueryInt("SELECT count(*) FROM sqlite_master");
    if (!tables.ok()) return tables.status();
    if (*tables != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "'", path_, "' is a SQLite database of another application; it was left "
                      "untouched"));
    }
    return Execute(absl::StrCat("BEGIN;", kCreateSchemaV1, "COMMIT;"));
  }
  return absl::OkStatus();
}

absl::Status Store::SqliteError(absl::string_view what) {
  return FromSqliteCode(sqlite3_extended_errcode(db_),
                        absl::StrCat(what, " in '", path_, "': ", sqlite3_errmsg(db_)));
}

absl::Status Store::Execute(const std::string& sql) {
  char* error = nullptr;
  const int code = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  if (code == SQLITE_OK) return absl::OkStatus();
  const std::string message = error ? error : sqlite3_errstr(code);
  sqlite3_free(error);
  return FromSqliteCode(code, absl::StrCat("database '", path_, "': ", message));
}

absl::StatusOr<int64_t> Store::QueryInt(const std::string& sql) {
  Statement statement(db_, sql.c_str());
  if (!statement.ok()) return SqliteError("query failed");
  if (sqlite3_step(statement.get()) != SQLITE_ROW) return SqliteError("query failed");
  return sqlite3_column_int64(statement.get(), 0);
}

absl::StatusOr<std::string> Store::QueryText(const std::string& sql) {
  Statement statement(db_, sql.c_str());
  if (!statement.ok()) return SqliteError("query failed");
  if (sqlite3_step(statement.get()) != SQLITE_ROW) return SqliteError("query failed");
  const unsigned char* text = sqlite3_column_text(statement.get(), 0);
  return text ? std::string(reinterpret_cast<const char*>(text)) : std::string();
}

namespace {

// Runs `write(statement)` for each record inside one transaction.
template <typename Record, typename Bind>
absl::Status UpsertAll(sqlite3* db, const char* sql, const std::vector<Record>& records,
                       Bind bind, const std::string& path) {
  auto fail = [&](absl::string_view what) {
    const absl::Status status = FromSqliteCode(
        sqlite3_extended_errcode(db),
        absl::StrCat(what, " in '", path, "': ", sqlite3_errmsg(db)));
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return status;
  };
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return FromSqliteCode(sqlite3_extended_errcode(db),
                          absl::StrCat("cannot start a write in '", path,
                                       "': ", sqlite3_errmsg(db)));
  }
  Statement statement(db, sql);
  if (!statement.ok()) return fail("cannot prepare the write");
  for (const Record& record : records) {
    sqlite3_reset(statement.get());
    bind(statement, record);
    if (sqlite3_step(statement.get()) != SQLITE_DONE) return fail("write failed");
  }
  if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return fail("commit failed");
  }
  return absl::OkStatus();
}

template <typename Proto, typename Record>
absl::StatusOr<std::vector<Record>> LoadAll(sqlite3* db, const char* sql,
                                            const std::string& path) {
  Statement statement(db, sql);
  if (!statement.ok()) {
    return FromSqliteCode(sqlite3_extended_errcode(db),
                          absl::StrCat("cannot read '", path, "': ", sqlite3_errmsg(db)));
  }
  std::vector<Record> records;
  int code;
  while ((code = sqlite3_step(statement.get())) == SQLITE_ROW) {
    const void* blob = sqlite3_column_blob(statement.get(), 0);
    const int size = sqlite3_column_bytes(statement.get(), 0);
    Proto proto;
    if (!proto.ParseFromArray(blob, size)) {
      return absl::DataLossError(absl::StrCat("'", path, "': a stored record of ",
                                              Proto::descriptor()->name(),
                                              " cannot be decoded"));
    }
    absl::StatusOr<Record> record = FromProto(proto);
    if (!record.ok()) {
      return absl::DataLossError(absl::StrCat("'", path, "': a stored record is invalid: ",
                                              record.status().message()));
    }
    records.push_back(std::move(*record));
  }
  if (code != SQLITE_DONE) {
    return FromSqliteCode(code, absl::StrCat("reading '", path, "' failed: ",
                                             sqlite3_errmsg(db)));
  }
  return records;
}

}  // namespace

absl::Status Store::UpsertParticipants(const std::vector<Participant>& participants) {
  absl::MutexLock lock(&mutex_);
  return UpsertAll(
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
}

absl::Status Store::UpsertOpenings(const std::vector<Opening>& openings) {
  absl::MutexLock lock(&mutex_);
  return UpsertAll(
      db_,
      "INSERT OR REPLACE INTO openings (id, organisation_id, status, record) "
      "VALUES (?, ?, ?, ?)",
      openings,
      [](Statement& statement, const Opening& o) {
        v1::Opening proto;
        ToProto(o, proto);
        statement.BindText(1, o.id);
        statement.BindText(2, o.organisation_id);
        statement.BindText(3, std::string(OpeningStatusSlug(o.status)));
        statement.BindBlob(4, proto.SerializeAsString());
      },
      path_);
}

absl::StatusOr<std::vector<Participant>> Store::LoadParticipants() {
  absl::MutexLock lock(&mutex_);
  return LoadAll<v1::Participant, Participant>(
      db_, "SELECT record FROM participants ORDER BY id", path_);
}

absl::StatusOr<std::vector<Opening>> Store::LoadOpenings() {
  absl::MutexLock lock(&mutex_);
  return LoadAll<v1::Opening, Opening>(db_, "SELECT record FROM openings ORDER BY id",
                                       path_);
}

absl::StatusOr<int64_t> Store::CountParticipants() {
  absl::MutexLock lock(&mutex_);
  return QueryInt("SELECT count(*) FROM participants");
}

absl::StatusOr<int64_t> Store::CountOpenings() {
  absl::MutexLock lock(&mutex_);
  return QueryInt("SELECT count(*) FROM openings");
}

}  // namespace placement::service
