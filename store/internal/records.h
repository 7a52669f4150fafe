// Row helpers shared by the store's translation units: participants and
// openings read and written as their stored records inside a transaction.
// Internal to store/store*.cc.

#ifndef PLACEMENT_STORE_INTERNAL_RECORDS_H_
#define PLACEMENT_STORE_INTERNAL_RECORDS_H_

#include <sqlite3.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "engine/types.h"
#include "proto/convert.h"
#include "store/internal/sqlite_support.h"

namespace placement::store::internal {

// Runs one statement with text parameters ?1, ?2, ... and no result rows;
// returns the number of rows changed.
inline absl::StatusOr<int> Change(sqlite3* db, const std::string& path,
                                  const char* sql,
                                  const std::vector<std::string>& parameters) {
  Statement statement(db, sql);
  if (!statement.ok()) return StepError(db, path, "cannot prepare a write");
  for (size_t i = 0; i < parameters.size(); ++i) {
    statement.BindText(static_cast<int>(i + 1), parameters[i]);
  }
  if (statement.Step() != SQLITE_DONE)
    return StepError(db, path, "write failed");
  return sqlite3_changes(db);
}

inline absl::Status WriteParticipant(sqlite3* db, const std::string& path,
                                     const Participant& participant) {
  Statement statement(db,
                      "INSERT OR REPLACE INTO participants (id, coach_id, "
                      "status, record) VALUES (?, ?, ?, ?)");
  v1::Participant proto;
  ToProto(participant, proto);
  statement.BindText(1, participant.id);
  statement.BindText(2, participant.coach_id);
  statement.BindText(3, ParticipantStatusSlug(participant.status));
  statement.BindBlob(4, proto.SerializeAsString());
  if (statement.Step() != SQLITE_DONE) {
    return StepError(db, path, "writing a participant failed");
  }
  return absl::OkStatus();
}

inline absl::Status WriteOpening(sqlite3* db, const std::string& path,
                                 const Opening& opening) {
  Statement statement(db,
                      "INSERT OR REPLACE INTO openings (id, organisation_id, "
                      "status, record) VALUES (?, ?, ?, ?)");
  v1::Opening proto;
  ToProto(opening, proto);
  // Held places are counted from the holds table, never stored.
  proto.clear_places_held();
  statement.BindText(1, opening.id);
  statement.BindText(2, opening.organisation_id);
  statement.BindText(3, OpeningStatusSlug(opening.status));
  statement.BindBlob(4, proto.SerializeAsString());
  if (statement.Step() != SQLITE_DONE) {
    return StepError(db, path, "writing an opening failed");
  }
  return absl::OkStatus();
}

// The record of `id` in `table` (participants or openings), decoded.
template <typename Proto, typename Record>
inline absl::StatusOr<Record> ReadRecord(sqlite3* db, const std::string& path,
                                         const char* table,
                                         const std::string& id) {
  Statement statement(
      db, absl::StrCat("SELECT record FROM ", table, " WHERE id = ?").c_str());
  statement.BindText(1, id);
  const int code = statement.Step();
  if (code == SQLITE_DONE) {
    return absl::NotFoundError(absl::StrCat(
        table == std::string("openings") ? "opening " : "participant ", id,
        " does not exist"));
  }
  if (code != SQLITE_ROW) return StepError(db, path, "reading a record failed");
  Proto proto;
  if (!proto.ParseFromString(statement.Blob(0))) {
    return absl::DataLossError(
        absl::StrCat("'", path, "': the record of ", id, " cannot be decoded"));
  }
  absl::StatusOr<Record> record = FromProto(proto);
  if (!record.ok()) {
    return absl::DataLossError(
        absl::StrCat("'", path, "': the record of ", id,
                     " is invalid: ", record.status().message()));
  }
  return record;
}

// Places held in `opening_id` by ACTIVE holds; with `live_at`, only those
// that have not expired by then.
inline absl::StatusOr<int> HeldPlaces(sqlite3* db, const std::string& path,
                                      const std::string& opening_id,
                                      std::optional<absl::Time> live_at) {
  Statement statement(db,
                      "SELECT count(*) FROM holds WHERE opening_id = ?1 AND "
                      "state = 'active' AND expires_at > ?2");
  statement.BindText(1, opening_id);
  statement.BindInt(2, live_at ? absl::ToUnixMicros(*live_at) : INT64_MIN);
  if (statement.Step() != SQLITE_ROW) {
    return StepError(db, path, "counting held places failed");
  }
  return static_cast<int>(statement.Int(0));
}

// The opening `id` as stored, with its held places (HeldPlaces).
inline absl::StatusOr<Opening> ReadOpening(sqlite3* db, const std::string& path,
                                           const std::string& id,
                                           std::optional<absl::Time> live_at) {
  absl::StatusOr<Opening> opening =
      ReadRecord<v1::Opening, Opening>(db, path, "openings", id);
  if (!opening.ok()) return opening;
  absl::StatusOr<int> held = HeldPlaces(db, path, id, live_at);
  if (!held.ok()) return held.status();
  opening->places_held = *held;
  return opening;
}

}  // namespace placement::store::internal

#endif  // PLACEMENT_STORE_INTERNAL_RECORDS_H_
