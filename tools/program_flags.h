// Command-line flags of the project's programs (placement-server,
// placement-web): `--help` lists the program's own flags, by name, with
// their defaults, and exits 0 (Abseil's --help exits 1, which reads as a
// failure to a script, and looks for a file named after the program).
// `--helpfull` and friends stay Abseil's.
//
// Usage, first thing in main:
//   if (placement::HandleHelpOrParseFlags(argc, argv, kUsage, "web_main.cc"))
//     return 0;
//
// Thread safety: call once, before other threads start.

#ifndef PLACEMENT_TOOLS_PROGRAM_FLAGS_H_
#define PLACEMENT_TOOLS_PROGRAM_FLAGS_H_

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"

namespace placement {

// True when it printed the help (the caller exits 0); otherwise it has
// parsed the command line. The program's own flags are those defined in the
// file whose name ends with `flags_file`.
inline bool HandleHelpOrParseFlags(int argc, char** argv, const char* usage,
                                   const char* flags_file) {
  static const char* own_file = flags_file;
  auto own = [](absl::string_view file) {
    return absl::EndsWith(file, own_file);
  };
  absl::SetProgramUsageMessage(usage);
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (arg == "--help" || arg == "-help" || arg == "-h" ||
        arg == "--helpshort") {
      std::vector<const absl::CommandLineFlag*> flags;
      for (const auto& [name, flag] : absl::GetAllFlags()) {
        if (own(flag->Filename())) flags.push_back(flag);
      }
      std::sort(
          flags.begin(), flags.end(),
          [](const absl::CommandLineFlag* a, const absl::CommandLineFlag* b) {
            return a->Name() < b->Name();
          });
      std::printf("%s\n\nFlags:\n", usage);
      for (const absl::CommandLineFlag* flag : flags) {
        std::printf("  --%s (default \"%s\")\n      %s\n",
                    std::string(flag->Name()).c_str(),
                    flag->DefaultValue().c_str(), flag->Help().c_str());
      }
      return true;
    }
  }
  absl::FlagsUsageConfig config;
  config.contains_help_flags = +own;
  config.contains_helpshort_flags = +own;
  absl::SetFlagsUsageConfig(config);
  absl::ParseCommandLine(argc, argv);
  return false;
}

}  // namespace placement

#endif  // PLACEMENT_TOOLS_PROGRAM_FLAGS_H_
