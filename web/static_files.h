// The console's built files (--console_dir), served as they are: which file
// a request path names, and its content type.
//
// A request path names a file under the root only if, decoded, it is
// absolute, has no empty, "." or ".." segment, no backslash or NUL, and the
// file it names, with every symbolic link resolved, is a regular file
// inside the root. "/" names index.html.
//
// Thread safety: stateless functions; safe from any thread.

#ifndef PLACEMENT_WEB_STATIC_FILES_H_
#define PLACEMENT_WEB_STATIC_FILES_H_

#include <filesystem>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace placement::web {

// The file under `root` that `request_path` (already URL-decoded) names, or
// nullopt when it names none or tries to leave the root.
std::optional<std::filesystem::path> ResolveStaticFile(
    const std::filesystem::path& root, absl::string_view request_path);

// The Content-Type to serve a file with, by its extension: html, js, mjs,
// css, json, map, svg, png, jpg, ico, woff2, woff, txt; anything else
// application/octet-stream (with nosniff, so browsers do not guess).
absl::string_view ContentTypeFor(const std::filesystem::path& file);

}  // namespace placement::web

#endif  // PLACEMENT_WEB_STATIC_FILES_H_
