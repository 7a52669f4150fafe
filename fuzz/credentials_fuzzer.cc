// The credentials file (service/auth.h) on arbitrary bytes, read from a
// scratch file as the server reads it: a file that loads holds at least one
// token.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "service/auth.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace placement::fuzz;
  static const std::string* path =
      new std::string(ScratchDir() + "/credentials.csv");
  WriteFileOrDie(*path,
                 absl::string_view(reinterpret_cast<const char*>(data), size));
  absl::StatusOr<placement::service::Credentials> credentials =
      placement::service::Credentials::Load(*path);
  if (credentials.ok()) {
    Check(credentials->size() >= 1, "loaded credentials hold a token");
  }
  return 0;
}
