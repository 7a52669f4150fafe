// Linked with service/server_main.cc into placement-server-fault-injection:
// the real server, whose SQLite writes go through the fault-injection VFS
// (fault_injection_vfs.h) when PLACEMENT_WRITE_FAULT_FILE names a control
// file. A test writes "full" or "readonly" into that file to make the
// server's writes fail as a full or read-only disk does, and empties it to
// make them work again, while the server runs: root ignores file
// permissions, and filling a real disk is neither fast nor safe.

#include <cstdlib>

#include "tests/testing/fault_injection_vfs.h"

namespace {

// Runs before main(), so before the server opens its database.
[[maybe_unused]] const bool kFaultsInstalled = [] {
  const char* control = std::getenv("PLACEMENT_WRITE_FAULT_FILE");
  if (control == nullptr || *control == '\0') return false;
  placement::fault_injection::ReadWriteFaultFrom(control);
  placement::fault_injection::RegisterFaultInjectionVfs(/*make_default=*/true);
  return true;
}();

}  // namespace
