// The `placement` command line: every command with its arguments, the flags
// it takes, a summary and examples, in one table from which both the help
// texts and the flag checks are made, so that they cannot disagree; and the
// parsing of argv.
//
// A flag is global (GlobalFlags: --server, --token, --json, ...) or belongs
// to the commands that list it. Any other flag given to a command is a usage
// error that names the flag and the command (exit 2), as is a flag that no
// command knows, or a flag value that does not parse.
//
// Usage:
//   absl::StatusOr<CommandLine> line = ParseCommandLine(argc, argv);
//   const Command* command = FindCommand(line->words);
//   if (absl::Status s = CheckFlagsApply(*command, line->flags); !s.ok()) ...
//
// Thread safety: ParseCommandLine sets the process's Abseil flags; call it
// once, from main, before other threads start. The rest is stateless.

#ifndef PLACEMENT_CLI_COMMAND_LINE_H_
#define PLACEMENT_CLI_COMMAND_LINE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cli/commands.h"

namespace placement::cli {

// A flag as one command uses it.
struct FlagUse {
  absl::string_view name;   // without dashes, e.g. "k"
  absl::string_view value;  // what follows '=' in the help, e.g. "N"; empty
                            // for a boolean flag
  absl::string_view help;   // what it does for this command
};

struct Command {
  absl::string_view name = {};       // "suggest", "opening update"
  absl::string_view arguments = {};  // "PARTICIPANT", "OPENING FILE"
  absl::string_view summary = {};    // one line, for the command list
  absl::string_view details = {};    // more, for `placement help NAME`
  std::vector<FlagUse> flags = {};
  std::vector<absl::string_view> examples = {};
  // Runs the command; nullptr for a group (participant, opening, rematch),
  // whose subcommands are the rows named "<group> <verb>".
  int (*run)(const Channel& channel, const Args& args) = nullptr;
};

// Every command and group, in the order of the help.
const std::vector<Command>& Commands();

// Flags every command takes.
const std::vector<FlagUse>& GlobalFlags();

// The command that the leading words name: {"opening", "update", "O1", ...}
// is "opening update", {"opening"} and {"opening", "fly"} the group
// "opening", {"suggest", "P1"} "suggest". nullptr for an unknown command.
const Command* FindCommand(const std::vector<std::string>& words);

// The subcommands of a group, e.g. "publish", "update", ... for "opening".
std::vector<absl::string_view> Verbs(const Command& group);

// `placement NAME --help`: usage, what it does, its flags, examples.
std::string CommandHelp(const Command& command);
// `placement --help`: the commands, global flags and exit codes.
std::string GlobalHelp();

struct CommandLine {
  // The program (args[0]) and the positional arguments, for the commands.
  Args args;
  // The positional arguments without the program, as strings.
  std::vector<std::string> words;
  // Names of the flags given, without dashes ("--nojson" gives "json").
  std::vector<std::string> flags;
  // --help, -help or -h was given.
  bool help = false;
};

// Sets the Abseil flags given in argv (--name=value, --name value, --name
// and --noname for booleans; one or two dashes) and returns the rest; "--"
// ends the flags. INVALID_ARGUMENT names an unknown flag (one that neither
// GlobalFlags nor any command lists), a missing value or one that does not
// parse. `argv` must outlive the result (args points into it).
absl::StatusOr<CommandLine> ParseCommandLine(int argc, char** argv);

// OK when each flag in `given` is global or listed by `command`; otherwise
// INVALID_ARGUMENT naming the flag, the command and the flags it takes.
absl::Status CheckFlagsApply(const Command& command,
                             const std::vector<std::string>& given);

}  // namespace placement::cli

#endif  // PLACEMENT_CLI_COMMAND_LINE_H_
