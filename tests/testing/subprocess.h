// Starts a program as a child process for end-to-end tests (a real server
// on loopback), with its output captured to a file, and stops it.

#ifndef PLACEMENT_TESTS_TESTING_SUBPROCESS_H_
#define PLACEMENT_TESTS_TESTING_SUBPROCESS_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace placement::testing {

class Subprocess {
 public:
  // Starts argv[0] with the arguments; stdout and stderr go to output_path.
  Subprocess(const std::vector<std::string>& argv,
             const std::string& output_path);
  // Kills the process (SIGKILL) if it still runs.
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int signal_number);
  // Waits up to `timeout` for the exit; returns the exit code, 128 + signal
  // for a process killed by a signal, or nullopt on time-out.
  std::optional<int> Wait(absl::Duration timeout);
  bool running() const { return running_; }

 private:
  pid_t pid_ = -1;
  bool running_ = false;
};

// Runs a program to completion (at most `timeout`) and returns its exit code;
// its stdout and stderr are appended to *output.
int RunAndCapture(const std::vector<std::string>& argv, std::string* output,
                  absl::Duration timeout = absl::Seconds(30));

// Waits until `path` exists with content and returns it; "" on time-out.
std::string WaitForFile(const std::string& path, absl::Duration timeout);

}  // namespace placement::testing

#endif  // PLACEMENT_TESTS_TESTING_SUBPROCESS_H_
