#pragma once
// What GET /version answers. The minor version decides which kubectl the build machines'
// dispatcher runs (1.32); the git version says plainly that this is the sandbox.

#include <boost/json/object.hpp>

namespace sandbox {

inline constexpr const char *kServerGitVersion = "v1.32.0-forecast-sandbox";

boost::json::object serverVersionInfo();

} // namespace sandbox
