#pragma once
// The operating-system side of a process container: start a command in its own session
// (so the container's whole process tree is one process group the runtime can signal),
// tied to the sandbox with PR_SET_PDEATHSIG(SIGKILL), stdout and stderr appended to a log
// file; reap it without blocking; signal its group; find it again after a restart (pid +
// start ticks) and sweep what is left of a session whose leader is gone.

#include <rf/result.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace sandbox {

struct LaunchSpec {
    std::vector<std::string> argv; // argv[0]: a path, or a name looked up in PATH of `env`
    std::vector<std::string> env;  // "NAME=value", the whole environment
    std::filesystem::path workingDir;
    std::filesystem::path logFile; // stdout and stderr are appended here (created 0600)
    int deathSignal = 9;           // PR_SET_PDEATHSIG: SIGKILL; the watchdog asks for SIGTERM
};

struct LaunchedProcess {
    pid_t pid = -1;               // also the process group and session id
    std::uint64_t startTicks = 0; // processStartTicks(pid), identifies it across pid reuse
};

// Starts the process. PR_SET_PDEATHSIG fires when the *thread* that forked exits, so call
// this from a thread that lives as long as the runtime. Errors are the runtime's message
// for a container that cannot start, e.g. `exec: "nope": executable file not found in $PATH`.
rf::Result<LaunchedProcess> launchProcess(const LaunchSpec &spec);

struct ProcessExit {
    int exitCode = 0; // 128 + signal when killed by a signal, as container runtimes report
    int signal = 0;   // 0 when the process exited by itself
};

// waitpid(pid, WNOHANG): the exit once the child has ended, nullopt while it runs.
std::optional<ProcessExit> reapChild(pid_t pid);

// Sends `sig` to the whole process group of a container (its pid is the group id).
void signalProcessGroup(pid_t group, int sig);

// Whether the process `pid` with these start ticks still exists (and is no zombie).
bool processStillRuns(pid_t pid, std::uint64_t startTicks);

// SIGKILLs every process still in session `sid` (children left behind by a container
// whose leader is gone, e.g. after the sandbox was killed). Returns how many were signalled.
int killSession(pid_t sid);

// The absolute path `name` runs, searched in `pathVariable` (":"-separated) when it has no
// '/'; empty when not found.
std::string findExecutable(const std::string &name, const std::string &pathVariable);

} // namespace sandbox
