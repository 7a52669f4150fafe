#include "tests/testing/fault_injection_vfs.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

namespace placement::fault_injection {
namespace {

std::atomic<WriteFault> current_fault{WriteFault::kNone};
// Set once, before any write (ReadWriteFaultFrom).
std::string* fault_file = nullptr;

WriteFault FaultFromFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return WriteFault::kNone;
  char buffer[16] = {};
  const ssize_t read_bytes = read(fd, buffer, sizeof(buffer) - 1);
  close(fd);
  if (read_bytes <= 0) return WriteFault::kNone;
  if (std::strncmp(buffer, "full", 4) == 0) return WriteFault::kDiskFull;
  if (std::strncmp(buffer, "readonly", 8) == 0) return WriteFault::kReadOnly;
  return WriteFault::kNone;
}
sqlite3_vfs* base_vfs = nullptr;
sqlite3_vfs fault_vfs;
sqlite3_io_methods fault_methods;

// Our file wraps the base VFS's file, which follows it in memory.
struct FaultFile {
  sqlite3_file base;  // must be first: SQLite sees a FaultFile as sqlite3_file
  sqlite3_file* real;
};

sqlite3_file* Real(sqlite3_file* file) {
  return reinterpret_cast<FaultFile*>(file)->real;
}

int FaultCode() {
  const WriteFault fault =
      fault_file != nullptr ? FaultFromFile(*fault_file) : current_fault.load();
  switch (fault) {
    case WriteFault::kDiskFull:
      return SQLITE_FULL;
    case WriteFault::kReadOnly:
      return SQLITE_READONLY;
    case WriteFault::kNone:
      break;
  }
  return SQLITE_OK;
}

int Close(sqlite3_file* file) {
  const int code = Real(file)->pMethods->xClose(Real(file));
  sqlite3_free(Real(file));
  return code;
}
int Read(sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
  return Real(file)->pMethods->xRead(Real(file), buffer, amount, offset);
}
int Write(sqlite3_file* file, const void* buffer, int amount,
          sqlite3_int64 offset) {
  if (const int fault = FaultCode(); fault != SQLITE_OK) return fault;
  return Real(file)->pMethods->xWrite(Real(file), buffer, amount, offset);
}
int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  if (const int fault = FaultCode(); fault != SQLITE_OK) return fault;
  return Real(file)->pMethods->xTruncate(Real(file), size);
}
int Sync(sqlite3_file* file, int flags) {
  return Real(file)->pMethods->xSync(Real(file), flags);
}
int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  return Real(file)->pMethods->xFileSize(Real(file), size);
}
int Lock(sqlite3_file* file, int level) {
  return Real(file)->pMethods->xLock(Real(file), level);
}
int Unlock(sqlite3_file* file, int level) {
  return Real(file)->pMethods->xUnlock(Real(file), level);
}
int CheckReservedLock(sqlite3_file* file, int* out) {
  return Real(file)->pMethods->xCheckReservedLock(Real(file), out);
}
int FileControl(sqlite3_file* file, int op, void* arg) {
  return Real(file)->pMethods->xFileControl(Real(file), op, arg);
}
int SectorSize(sqlite3_file* file) {
  return Real(file)->pMethods->xSectorSize(Real(file));
}
int DeviceCharacteristics(sqlite3_file* file) {
  return Real(file)->pMethods->xDeviceCharacteristics(Real(file));
}
int ShmMap(sqlite3_file* file, int page, int size, int extend,
           void volatile** out) {
  return Real(file)->pMethods->xShmMap(Real(file), page, size, extend, out);
}
int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
  return Real(file)->pMethods->xShmLock(Real(file), offset, n, flags);
}
void ShmBarrier(sqlite3_file* file) {
  Real(file)->pMethods->xShmBarrier(Real(file));
}
int ShmUnmap(sqlite3_file* file, int delete_flag) {
  return Real(file)->pMethods->xShmUnmap(Real(file), delete_flag);
}

int Open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags,
         int* out_flags) {
  auto* wrapper = reinterpret_cast<FaultFile*>(file);
  wrapper->base.pMethods = nullptr;
  wrapper->real =
      static_cast<sqlite3_file*>(sqlite3_malloc(base_vfs->szOsFile));
  if (wrapper->real == nullptr) return SQLITE_NOMEM;
  const int code =
      base_vfs->xOpen(base_vfs, name, wrapper->real, flags, out_flags);
  if (code != SQLITE_OK) {
    sqlite3_free(wrapper->real);
    return code;
  }
  wrapper->base.pMethods = &fault_methods;
  return SQLITE_OK;
}

int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return base_vfs->xDelete(base_vfs, name, sync_dir);
}
int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return base_vfs->xAccess(base_vfs, name, flags, out);
}
int FullPathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return base_vfs->xFullPathname(base_vfs, name, size, out);
}
int Randomness(sqlite3_vfs*, int size, char* out) {
  return base_vfs->xRandomness(base_vfs, size, out);
}
int Sleep(sqlite3_vfs*, int microseconds) {
  return base_vfs->xSleep(base_vfs, microseconds);
}
int CurrentTime(sqlite3_vfs*, double* out) {
  return base_vfs->xCurrentTime(base_vfs, out);
}
int GetLastError(sqlite3_vfs*, int size, char* out) {
  return base_vfs->xGetLastError(base_vfs, size, out);
}
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) {
  return base_vfs->xCurrentTimeInt64(base_vfs, out);
}

}  // namespace

void RegisterFaultInjectionVfs(bool make_default) {
  static std::once_flag once;
  std::call_once(once, [make_default] {
    base_vfs = sqlite3_vfs_find(nullptr);
    fault_methods = sqlite3_io_methods{};
    fault_methods.iVersion = 2;  // with shared memory, as WAL needs
    fault_methods.xClose = Close;
    fault_methods.xRead = Read;
    fault_methods.xWrite = Write;
    fault_methods.xTruncate = Truncate;
    fault_methods.xSync = Sync;
    fault_methods.xFileSize = FileSize;
    fault_methods.xLock = Lock;
    fault_methods.xUnlock = Unlock;
    fault_methods.xCheckReservedLock = CheckReservedLock;
    fault_methods.xFileControl = FileControl;
    fault_methods.xSectorSize = SectorSize;
    fault_methods.xDeviceCharacteristics = DeviceCharacteristics;
    fault_methods.xShmMap = ShmMap;
    fault_methods.xShmLock = ShmLock;
    fault_methods.xShmBarrier = ShmBarrier;
    fault_methods.xShmUnmap = ShmUnmap;

    fault_vfs = sqlite3_vfs{};
    fault_vfs.iVersion = 2;
    fault_vfs.szOsFile = static_cast<int>(sizeof(FaultFile));
    fault_vfs.mxPathname = base_vfs->mxPathname;
    fault_vfs.zName = kFaultInjectionVfsName;
    fault_vfs.xOpen = Open;
    fault_vfs.xDelete = Delete;
    fault_vfs.xAccess = Access;
    fault_vfs.xFullPathname = FullPathname;
    fault_vfs.xDlOpen = nullptr;
    fault_vfs.xRandomness = Randomness;
    fault_vfs.xSleep = Sleep;
    fault_vfs.xCurrentTime = CurrentTime;
    fault_vfs.xGetLastError = GetLastError;
    fault_vfs.xCurrentTimeInt64 = CurrentTimeInt64;
    sqlite3_vfs_register(&fault_vfs, make_default ? 1 : 0);
  });
}

void SetWriteFault(WriteFault fault) { current_fault.store(fault); }

void ReadWriteFaultFrom(const std::string& path) {
  fault_file = new std::string(path);  // lives as long as the process
}

}  // namespace placement::fault_injection
