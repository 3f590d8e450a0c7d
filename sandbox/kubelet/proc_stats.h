#pragma once
// Resource usage of a local process tree read from /proc (Linux only): what the process
// runtime uses for container CPU and memory (metrics, HPA, OOMKilled) and for finding a
// container's processes again after a sandbox restart.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace sandbox {

struct ProcessTreeUsage {
    double cpuSeconds = 0;        // user + system time of the root and every descendant alive now
    std::int64_t residentBytes = 0; // sum of RSS over the tree
    int processes = 0;
};

// Sums /proc/<pid>/stat (utime+stime) and /proc/<pid>/statm (resident) over `root` and all
// its descendants (found through the ppid field of /proc/*/stat). nullopt: root is gone or a
// zombie.
std::optional<ProcessTreeUsage> readProcessTree(pid_t root);

// Process start time in clock ticks since boot (field 22 of /proc/<pid>/stat): with the pid
// it identifies a process across pid reuse. nullopt: no such process.
std::optional<std::uint64_t> processStartTicks(pid_t pid);

// argv of a live process (/proc/<pid>/cmdline); empty when unreadable.
std::vector<std::string> processCommandLine(pid_t pid);

// Turns successive cumulative CPU readings into a rate (millicores) over real time.
class CpuRateMeter final {
public:
    // Returns the average millicores since the previous sample; nullopt on the first.
    std::optional<std::int64_t> sample(double cpuSeconds,
                                       std::chrono::steady_clock::time_point at);

private:
    std::optional<double> m_lastCpu;
    std::chrono::steady_clock::time_point m_lastAt{};
};

} // namespace sandbox
