// A SQLite VFS that wraps the default one and can be told to fail writes the
// way a full disk (SQLITE_FULL) or a read-only file (SQLITE_READONLY) does,
// so the store's behaviour under those faults is testable deterministically
// and without privileges (root ignores file permissions; mounting a small
// filesystem needs CAP_SYS_ADMIN). Reads always pass through.
//
// Thread safety: the fault switch is an atomic; RegisterFaultInjectionVfs is
// idempotent and thread-safe.

#ifndef PLACEMENT_TESTS_TESTING_FAULT_INJECTION_VFS_H_
#define PLACEMENT_TESTS_TESTING_FAULT_INJECTION_VFS_H_

#include <string>

namespace placement::fault_injection {

inline constexpr char kFaultInjectionVfsName[] = "placement-fault-injection";

enum class WriteFault { kNone, kDiskFull, kReadOnly };

// Registers the VFS under kFaultInjectionVfsName, as the default VFS when
// `make_default` (the first call decides).
void RegisterFaultInjectionVfs(bool make_default = false);
// Applies to every file opened through the VFS, from the next write on.
void SetWriteFault(WriteFault fault);
// From now on, each write reads the fault from the file at `path` instead:
// "full" (kDiskFull), "readonly" (kReadOnly), anything else or no file
// (kNone). Lets a test switch the faults of another process. Call before
// any write.
void ReadWriteFaultFrom(const std::string& path);

}  // namespace placement::fault_injection

#endif  // PLACEMENT_TESTS_TESTING_FAULT_INJECTION_VFS_H_
