#include "service/auth.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/csv.h"
#include "engine/row_reader.h"

namespace placement::service {
absl::StatusOr<Credentials> Credentials::Load(const std::string& path) {
  absl::StatusOr<CsvReader> reader = CsvReader::OpenFile(path);
  if (!reader.ok()) return reader.status();
  absl::StatusOr<CsvTable> table =
      CsvTable::Open(std::move(*reader), {"token", "principal", "role"}, {});
  if (!table.ok()) return table.status();
  RowReader row(*table);
  Credentials credentials;
  while (true) {
    absl::StatusOr<bool> got = table->Next();
    if (!got.ok()) return got.status();
    if (!*got) break;
    row.StartRow();
    const std::string token = row.Text("token", 200);
    const std::string principal = row.Text("principal", 64);
    const Role role = row.Parse<Role>("role", app::ParseRole);
    if (row.ok() && token.size() < kMinTokenLength) {
      row.Fail("token", "(hidden)",
               absl::StrCat("shorter than ", kMinTokenLength, " characters"));
    }
    if (row.ok() && credentials.callers_.contains(token)) {
      row.Fail("token", "(hidden)", "the same token appears twice");
    }
    if (!row.ok()) return row.errors().front().ToStatus();
    credentials.callers_[token] = Caller{.principal = principal, .role = role};
  }
  if (credentials.callers_.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no credentials"));
  }
  return credentials;
}

absl::StatusOr<Caller> Credentials::Authenticate(
    const grpc::ServerContextBase& context) const {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return absl::UnauthenticatedError(
        "no credentials: send the metadata 'authorization: Bearer <token>'");
  }
  const absl::string_view value(it->second.data(), it->second.size());
  if (!absl::StartsWith(value, "Bearer ")) {
    return absl::UnauthenticatedError(
        "the authorization metadata must be 'Bearer <token>'");
  }
  auto caller = callers_.find(value.substr(7));
  if (caller == callers_.end())
    return absl::UnauthenticatedError("unknown token");
  return caller->second;
}

}  // namespace placement::service
