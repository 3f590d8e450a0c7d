#pragma once
// Files of the state directory: secrets written 0600 and atomically (temp + rename), so a
// crash never leaves a half-written key, and a reader never sees a world-readable one.

#include <rf/result.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace sandbox {

rf::Status writeFileAtomic(const std::filesystem::path &path, std::string_view content,
                           unsigned mode = 0600);
rf::Result<std::string> readFile(const std::filesystem::path &path);
// Creates the directory (and parents) with mode 0700 when missing.
rf::Status ensurePrivateDirectory(const std::filesystem::path &path);

} // namespace sandbox
