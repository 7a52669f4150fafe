// placement: the command-line client for people and scripts. `placement
// --help` lists the commands and the exit codes; cli/command_line.cc holds
// the table of commands, their flags and examples.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "cli/cli_support.h"
#include "cli/command_line.h"
#include "cli/commands.h"

namespace placement::cli {
namespace {

int Main(int argc, char** argv) {
  absl::StatusOr<CommandLine> line = ParseCommandLine(argc, argv);
  if (!line.ok()) return UsageError(std::string(line.status().message()));
  std::vector<std::string> words = line->words;
  const bool help_command = !words.empty() && words[0] == "help";
  if (help_command) words.erase(words.begin());
  if (line->help || help_command) {
    if (words.empty()) {
      std::printf("%s", GlobalHelp().c_str());
      return kOk;
    }
    const Command* command = FindCommand(words);
    if (command == nullptr) {
      return UsageError("unknown command '" + words[0] +
                        "' (placement --help lists the commands)");
    }
    std::printf("%s", CommandHelp(*command).c_str());
    return kOk;
  }
  if (words.empty()) {
    std::fprintf(stderr, "%s", GlobalHelp().c_str());
    return kUsage;
  }
  const Command* command = FindCommand(words);
  if (command == nullptr) {
    return UsageError("unknown command '" + words[0] +
                      "' (placement --help lists the commands)");
  }
  if (command->run == nullptr) {  // a group without a known subcommand
    std::string verbs;
    for (absl::string_view verb : Verbs(*command)) {
      absl::StrAppend(&verbs, verbs.empty() ? "" : ", ", verb);
    }
    return UsageError(
        words.size() < 2
            ? absl::StrCat(command->name, " needs a command: ", verbs,
                           " (placement ", command->name, " --help)")
            : absl::StrCat("unknown ", command->name, " command '", words[1],
                           "'; ", command->name, " takes ", verbs));
  }
  if (absl::Status s = CheckFlagsApply(*command, line->flags); !s.ok()) {
    return UsageError(std::string(s.message()));
  }
  if (const std::string lang = absl::GetFlag(FLAGS_lang);
      lang != "en" && lang != "sv") {
    return UsageError("--lang=" + lang + ": expected en or sv");
  }
  return command->run(MakeChannel(), line->args);
}

}  // namespace
}  // namespace placement::cli

int main(int argc, char** argv) { return placement::cli::Main(argc, argv); }
