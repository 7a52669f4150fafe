// What the gRPC health service says about the database: the services whose
// calls must write (every coach read writes its access record first) are
// NOT_SERVING from the first write that fails on a storage fault (a full or
// read-only disk, an I/O error: store::IsStorageFault) until a write
// succeeds again, and SERVING otherwise. A busy database and a refused
// request say nothing about the disk and change nothing.
//
// Who reports: every access-log write of a call (RespondWhenLogged,
// LogAccess, the denial log) and the server's write probe
// (store::Store::ProbeWrite, every --write_probe_interval), so a disk that
// fills or turns read-only while no call comes is seen, and one that works
// again is seen while a load balancer keeps calls away. A failed write that
// leaves no access record (an upsert, say) fails its call at once and turns
// health at the next probe. The
// server as a whole ("") counts among the affected services: most of the
// API cannot answer. Each change is one line on stderr, with the cause.
//
// Thread safety: thread-safe.

#ifndef PLACEMENT_SERVICE_STORAGE_HEALTH_H_
#define PLACEMENT_SERVICE_STORAGE_HEALTH_H_

#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "engine/mutex.h"
#include "grpcpp/health_check_service_interface.h"

namespace placement::service {

class StorageHealth {
 public:
  // `services`: the fully qualified names of the services whose calls
  // write; "" is added.
  explicit StorageHealth(std::vector<std::string> services);
  StorageHealth(const StorageHealth&) = delete;
  StorageHealth& operator=(const StorageHealth&) = delete;

  // From now on, reports to `health` (not owned; it must outlive the
  // reporting or Detach()), starting with the current state.
  void Attach(grpc::HealthCheckServiceInterface* health)
      ABSL_LOCKS_EXCLUDED(mutex_);
  // Stops reporting: the server is stopping and says NOT_SERVING itself.
  void Detach() ABSL_LOCKS_EXCLUDED(mutex_);

  // The outcome of a write: OK means writes work; a storage fault means
  // they do not; anything else is ignored.
  void Report(const absl::Status& write) ABSL_LOCKS_EXCLUDED(mutex_);

  // OK while writes work; else the storage fault of the last failed write.
  absl::Status state() const ABSL_LOCKS_EXCLUDED(mutex_);

 private:
  void Publish() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  const std::vector<std::string> services_;
  mutable Mutex mutex_;
  absl::Status fault_ ABSL_GUARDED_BY(mutex_);
  grpc::HealthCheckServiceInterface* health_ ABSL_GUARDED_BY(mutex_) = nullptr;
};

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_STORAGE_HEALTH_H_
