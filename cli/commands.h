// The commands of the `placement` CLI, one function per command group. Each
// takes the channel and the positional arguments (args[1] is the command)
// and returns an ExitCode (cli_support.h).

#ifndef PLACEMENT_CLI_COMMANDS_H_
#define PLACEMENT_CLI_COMMANDS_H_

#include <memory>

#include "cli/cli_support.h"
#include "grpcpp/grpcpp.h"

namespace placement::cli {

using Channel = std::shared_ptr<grpc::Channel>;

// health_command.cc: health.
int HealthCommand(const Channel& channel, const Args& args);

// codes_command.cc: codes skills|fields|supports|needs|municipalities [TEXT].
int CodesCommand(const Channel& channel, const Args& args);

// coach_commands.cc: suggest PARTICIPANT; explain PARTICIPANT OPENING.
int SuggestCommand(const Channel& channel, const Args& args);
int ExplainCommand(const Channel& channel, const Args& args);

// participant_commands.cc: participant get|list|upsert|update|erase.
int ParticipantCommand(const Channel& channel, const Args& args);

// admin_commands.cc: import participants|openings FILE; export ...
int ImportCommand(const Channel& channel, const Args& args);
int ExportCommand(const Channel& channel, const Args& args);

// opening_commands.cc: opening publish|update|pause|reopen|close|get|list;
// candidates OPENING; gaps [MUNICIPALITY...].
int OpeningCommand(const Channel& channel, const Args& args);
int CandidatesCommand(const Channel& channel, const Args& args);
int GapsCommand(const Channel& channel, const Args& args);

// rematch_commands.cc: rematch start|watch|cancel|report|proposals (operators);
// proposals [PARTICIPANT]; accept PROPOSAL; reject PROPOSAL --reason (coaches).
int RematchCommand(const Channel& channel, const Args& args);
int ProposalsCommand(const Channel& channel, const Args& args);
int DecideCommand(const Channel& channel, const Args& args);

// placement_commands.cc: hold PARTICIPANT OPENING; release HOLD; holds
// [PARTICIPANT]; start PARTICIPANT; end PLACEMENT; timeline PARTICIPANT
// (coaches); opening counts OPENING (employer contact).
int HoldCommand(const Channel& channel, const Args& args);
int ReleaseCommand(const Channel& channel, const Args& args);
int HoldsCommand(const Channel& channel, const Args& args);
int StartCommand(const Channel& channel, const Args& args);
int EndCommand(const Channel& channel, const Args& args);
int TimelineCommand(const Channel& channel, const Args& args);
int OpeningPlacementsCommand(const Channel& channel, const Args& args);

// audit_commands.cc: audit log --participant P | --principal NAME
// [--from D] [--to D] (auditor).
int AuditCommand(const Channel& channel, const Args& args);
// followup_commands.cc: followup report --from --to (operator, admin);
// followup funnel --from D --to D (operator, admin); followup record
// PARTICIPANT --situation (coach).
int FollowUpCommand(const Channel& channel, const Args& args);

}  // namespace placement::cli

#endif  // PLACEMENT_CLI_COMMANDS_H_
