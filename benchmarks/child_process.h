// A program of this project (placement-server, placement-web) started as a
// child process by a benchmark tool: it writes its port to a file once
// serving, its output goes to a log file, and it never outlives the tool.
// Header-only.
//
// Example:
//   ChildProcess server;
//   absl::StatusOr<std::string> address = server.Start(
//       {PLACEMENT_SERVER_PATH, "--listen=127.0.0.1:0", "--port_file=" + port},
//       log, port);
//
// Thread safety: not thread-safe; one owner.

#ifndef PLACEMENT_BENCHMARKS_CHILD_PROCESS_H_
#define PLACEMENT_BENCHMARKS_CHILD_PROCESS_H_

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace placement::benchmarks {

class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() { Stop(); }

  // Starts argv[0] and waits until it has written its port to `port_file`;
  // returns "127.0.0.1:<port>".
  absl::StatusOr<std::string> Start(const std::vector<std::string>& argv,
                                    const std::string& log_path,
                                    const std::string& port_file) {
    log_path_ = log_path;
    name_ = std::filesystem::path(argv[0]).filename().string();
    std::vector<char*> args;
    for (const std::string& arg : argv) {
      args.push_back(const_cast<char*>(arg.c_str()));
    }
    args.push_back(nullptr);
    pid_ = fork();
    if (pid_ < 0) return absl::InternalError("fork failed");
    if (pid_ == 0) {
      // The child must not outlive the tool, even when the tool is killed.
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      const int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
      }
      execv(args[0], args.data());
      _exit(127);
    }
    const absl::Time deadline = absl::Now() + absl::Minutes(5);
    while (absl::Now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return absl::UnavailableError(
            absl::StrCat(name_, " exited during start-up:\n", Log()));
      }
      std::ifstream file(port_file);
      std::string port;
      if (std::getline(file, port) && !port.empty() && file.good()) {
        return absl::StrCat("127.0.0.1:", absl::StripAsciiWhitespace(port));
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    return absl::DeadlineExceededError(
        absl::StrCat(name_, " did not serve within 5 minutes:\n", Log()));
  }

  // SIGTERM, then SIGKILL if it has not exited within 10 s. The exit code,
  // 128 + signal, or -1 when not running.
  int Stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 1000; ++i) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return 128 + SIGKILL;
  }

  pid_t pid() const { return pid_; }

  std::string Log() const {
    std::ifstream file(log_path_);
    std::stringstream content;
    content << file.rdbuf();
    return content.str();
  }

 private:
  pid_t pid_ = -1;
  std::string log_path_;
  std::string name_;
};

}  // namespace placement::benchmarks

#endif  // PLACEMENT_BENCHMARKS_CHILD_PROCESS_H_
