// Raw SQL on a store's database file, for the tests that take a file back
// to an older schema, look at what was written or check a copy. Header-only.

#ifndef PLACEMENT_TESTS_STORE_SQLITE_FILE_H_
#define PLACEMENT_TESTS_STORE_SQLITE_FILE_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "gtest/gtest.h"

namespace placement::store {

// Runs `sql` (one or more statements) on the file; a failure fails the test.
inline void Execute(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error ? error : "") << " in " << sql;
  sqlite3_free(error);
  sqlite3_close(db);
}

// The first column of the first row of `sql`; -1 when there is no row.
inline int64_t QueryInt(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr);
  int64_t value = -1;
  if (sqlite3_step(statement) == SQLITE_ROW)
    value = sqlite3_column_int64(statement, 0);
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return value;
}

// What PRAGMA integrity_check says of the file: "ok" for a sound database.
inline std::string IntegrityCheck(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr);
  std::string result = "no answer";
  if (sqlite3_step(statement) == SQLITE_ROW) {
    result = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return result;
}

}  // namespace placement::store

#endif  // PLACEMENT_TESTS_STORE_SQLITE_FILE_H_
