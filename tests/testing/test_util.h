// Helpers shared by the tests: a scratch folder, whole-file reads and writes,
// and the reference data under data/.

#ifndef PLACEMENT_TESTS_TESTING_TEST_UTIL_H_
#define PLACEMENT_TESTS_TESTING_TEST_UTIL_H_

#include <string>

#include "engine/reference_data.h"

namespace placement::testing {

// The repository's data/ folder.
std::string DataDir();

// The reference data of data/, loaded once per process; aborts the test
// binary when it cannot be loaded (nothing else can be tested then).
const ReferenceData& Reference();

// A fresh folder under the test temp dir, removed on destruction.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string ReadFileOrDie(const std::string& path);
void WriteFileOrDie(const std::string& path, const std::string& content);
// Copies the folder tree `from` to `to` (created).
void CopyTreeOrDie(const std::string& from, const std::string& to);

}  // namespace placement::testing

#endif  // PLACEMENT_TESTS_TESTING_TEST_UTIL_H_
