// Shared by the tools that start a real placement-server on generated data
// (placement-load, placement-lifecycle-bench): the credentials file that
// gives every caseload's coach a token, and reading those tokens back.
// Header-only.

#ifndef PLACEMENT_BENCHMARKS_POPULATION_FILES_H_
#define PLACEMENT_BENCHMARKS_POPULATION_FILES_H_

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "engine/types.h"

namespace placement::benchmarks {

// A scratch folder /tmp/<prefix>-XXXXXX for a load tool's population, store
// and credentials, removed with its contents at scope exit unless `keep`.
// path() is empty when it could not be made.
class WorkFolder {
 public:
  WorkFolder(const std::string& prefix, bool keep) : keep_(keep) {
    std::string pattern = "/tmp/" + prefix + "-XXXXXX";
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  WorkFolder(const WorkFolder&) = delete;
  WorkFolder& operator=(const WorkFolder&) = delete;
  ~WorkFolder() {
    std::error_code ignored;
    if (!keep_ && !path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  bool keep_;
};

// Coach principal -> token, from a CSV `token,principal,role`.
inline absl::StatusOr<absl::flat_hash_map<std::string, std::string>>
CoachTokens(const std::string& path) {
  std::ifstream file(path);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  absl::flat_hash_map<std::string, std::string> tokens;
  std::string line;
  bool header = true;
  while (std::getline(file, line)) {
    if (header) {
      header = false;
      continue;
    }
    std::vector<std::string> fields =
        absl::StrSplit(absl::StripAsciiWhitespace(line), ',');
    if (fields.size() == 3 && fields[2] == "coach") {
      tokens.emplace(fields[1], fields[0]);
    }
  }
  return tokens;
}

// One token per caseload; tokens are at least 16 characters (auth.h).
inline absl::Status WriteCredentials(
    const std::vector<Participant>& participants, const std::string& path) {
  std::vector<std::string> coaches;
  for (const Participant& p : participants) coaches.push_back(p.coach_id);
  std::sort(coaches.begin(), coaches.end());
  coaches.erase(std::unique(coaches.begin(), coaches.end()), coaches.end());
  std::ofstream file(path, std::ios::trunc);
  file << "token,principal,role\n";
  for (const std::string& coach : coaches) {
    file << "load-tool-token-" << coach << "," << coach << ",coach\n";
  }
  file.close();
  if (!file) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace placement::benchmarks

#endif  // PLACEMENT_BENCHMARKS_POPULATION_FILES_H_
