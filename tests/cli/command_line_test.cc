#include "cli/command_line.h"

#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cli/cli_support.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

ABSL_DECLARE_FLAG(int, k);
ABSL_DECLARE_FLAG(std::string, kind);

namespace placement::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// argv as ParseCommandLine gets it; the strings live as long as the object.
class Argv {
 public:
  Argv(std::initializer_list<std::string> words) : words_(words) {
    for (std::string& word : words_) pointers_.push_back(word.data());
  }
  int argc() const { return static_cast<int>(pointers_.size()); }
  char** argv() { return pointers_.data(); }

 private:
  std::vector<std::string> words_;
  std::vector<char*> pointers_;
};

TEST(CommandTableTest, EveryCommandHasAnExampleAndRealFlags) {
  std::set<std::string> names;
  for (const Command& command : Commands()) {
    EXPECT_TRUE(names.insert(std::string(command.name)).second)
        << command.name << " twice";
    EXPECT_FALSE(command.summary.empty()) << command.name;
    if (command.run == nullptr && command.name != "help") {
      EXPECT_FALSE(Verbs(command).empty()) << command.name;
      continue;
    }
    ASSERT_FALSE(command.examples.empty()) << command.name;
    for (absl::string_view example : command.examples) {
      if (absl::StartsWith(example, "echo")) continue;
      EXPECT_THAT(std::string(example),
                  HasSubstr(absl::StrCat(" ", command.name)))
          << command.name << ": an example of another command";
    }
    for (const FlagUse& flag : command.flags) {
      EXPECT_NE(absl::FindCommandLineFlag(flag.name), nullptr)
          << command.name << " --" << flag.name << " is not a flag";
    }
  }
  for (const FlagUse& flag : GlobalFlags()) {
    EXPECT_NE(absl::FindCommandLineFlag(flag.name), nullptr) << flag.name;
  }
}

TEST(CommandTableTest, FindCommandPrefersTheSubcommand) {
  EXPECT_EQ(FindCommand({"opening", "update", "O000001", "f.json"})->name,
            "opening update");
  EXPECT_EQ(FindCommand({"opening", "fly"})->name, "opening");
  EXPECT_EQ(FindCommand({"opening"})->name, "opening");
  EXPECT_EQ(FindCommand({"suggest", "P0000012"})->name, "suggest");
  EXPECT_EQ(FindCommand({"codes", "skills", "disk"})->name, "codes");
  EXPECT_EQ(FindCommand({"frobnicate"}), nullptr);
  EXPECT_EQ(FindCommand({}), nullptr);
  EXPECT_THAT(Verbs(*FindCommand({"participant"})),
              ElementsAre("get", "list", "upsert", "update", "erase"));
}

TEST(CommandTableTest, HelpShowsUsageFlagsAndExamples) {
  const std::string help = CommandHelp(*FindCommand({"suggest"}));
  EXPECT_THAT(help, HasSubstr("Usage: placement suggest PARTICIPANT"));
  EXPECT_THAT(help, HasSubstr("--kind=KIND,..."));
  EXPECT_THAT(help, HasSubstr("social_enterprise"));
  EXPECT_THAT(help, HasSubstr("--max_travel_minutes=MINUTES"));
  EXPECT_THAT(help, HasSubstr("--include_full"));
  EXPECT_THAT(help, HasSubstr("Examples:\n  placement suggest P0000012"));
  const std::string group = CommandHelp(*FindCommand({"opening"}));
  EXPECT_THAT(group, HasSubstr("opening update OPENING FILE"));
  const std::string global = GlobalHelp();
  EXPECT_THAT(global, HasSubstr("Exit codes:\n  0  success"));
  EXPECT_THAT(global, HasSubstr("  5  not allowed"));
  EXPECT_THAT(global, HasSubstr("codes skills|fields"));
  EXPECT_THAT(global, ::testing::Not(HasSubstr("opening update")));
  for (const std::string& text : {help, group, global}) {
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      if (absl::StartsWith(line, "  placement ")) continue;  // examples
      EXPECT_LE(line.size(), 80u) << line;
    }
  }
}

TEST(CheckFlagsApplyTest, AFlagOfAnotherCommandIsNamedWithTheCommand) {
  const Command& suggest = *FindCommand({"suggest"});
  EXPECT_TRUE(
      CheckFlagsApply(suggest, {"k", "municipality", "json", "server"}).ok());
  const absl::Status status = CheckFlagsApply(suggest, {"k", "status"});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("--status does not apply to 'suggest'"));
  EXPECT_THAT(status.message(), HasSubstr("it takes --k, --kind"));
  EXPECT_THAT(CheckFlagsApply(*FindCommand({"explain"}), {"k"}).message(),
              HasSubstr("it takes only the global flags"));
  EXPECT_THAT(
      CheckFlagsApply(*FindCommand({"opening", "list"}), {"mask"}).message(),
      HasSubstr("--mask does not apply to 'opening list'"));
}

TEST(ParseCommandLineTest, SetsFlagsAndKeepsTheWords) {
  Argv argv({"placement", "--kind", "work_training", "suggest", "-k=7",
             "P0000012", "--nojson", "--", "--k=8"});
  absl::StatusOr<CommandLine> line = ParseCommandLine(argv.argc(), argv.argv());
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_THAT(line->words, ElementsAre("suggest", "P0000012", "--k=8"));
  ASSERT_EQ(line->args.size(), 4u);
  EXPECT_STREQ(line->args[0], "placement");
  EXPECT_THAT(line->flags, ElementsAre("kind", "k", "json"));
  EXPECT_FALSE(line->help);
  EXPECT_EQ(absl::GetFlag(FLAGS_k), 7);
  EXPECT_EQ(absl::GetFlag(FLAGS_kind), "work_training");
  EXPECT_FALSE(absl::GetFlag(FLAGS_json));
}

TEST(ParseCommandLineTest, HelpAndErrors) {
  Argv help({"placement", "suggest", "--help"});
  absl::StatusOr<CommandLine> line = ParseCommandLine(help.argc(), help.argv());
  ASSERT_TRUE(line.ok());
  EXPECT_TRUE(line->help);
  const struct {
    std::initializer_list<std::string> argv;
    std::string message;
  } kBad[] = {
      {{"placement", "--bogus"}, "unknown flag --bogus"},
      {{"placement", "--flagfile=x"}, "unknown flag --flagfile"},
      {{"placement", "--nok"}, "unknown flag --nok"},
      {{"placement", "suggest", "--k"}, "--k needs a value"},
      {{"placement", "--k=many"}, "--k=many: "},
      {{"placement", "--json=maybe"}, "--json=maybe: "},
  };
  for (const auto& bad : kBad) {
    Argv argv(bad.argv);
    line = ParseCommandLine(argv.argc(), argv.argv());
    ASSERT_FALSE(line.ok()) << bad.message;
    EXPECT_THAT(line.status().message(), HasSubstr(bad.message));
  }
}

}  // namespace
}  // namespace placement::cli
