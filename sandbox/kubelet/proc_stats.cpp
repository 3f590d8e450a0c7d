#include "kubelet/proc_stats.h"

#include "rf/proc_stat.h"

#include <charconv>
#include <cmath>
#include <deque>
#include <dirent.h>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <unistd.h>

namespace sandbox {

namespace {

// The fields of /proc/<pid>/stat we use. Fields are numbered as in proc(5).
struct StatFields {
    char state = '?';
    pid_t ppid = 0;
    std::uint64_t utime = 0;      // field 14
    std::uint64_t stime = 0;      // field 15
    std::uint64_t cutime = 0;     // field 16: reaped children
    std::uint64_t cstime = 0;     // field 17
    std::uint64_t startTicks = 0; // field 22
};

std::string readWholeFile(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return {};
    }
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::optional<StatFields> readStat(pid_t pid) {
    const std::string text = readWholeFile("/proc/" + std::to_string(pid) + "/stat");
    const rf::ProcStatLine line(text);
    if (!line.has(22)) {
        return std::nullopt;
    }
    auto counter = [&](int number) {
        const std::int64_t value = line.integer(number);
        return value > 0 ? static_cast<std::uint64_t>(value) : std::uint64_t{0};
    };
    StatFields fields;
    fields.state = line.text(3).front();
    fields.ppid = static_cast<pid_t>(line.integer(4));
    fields.utime = counter(14);
    fields.stime = counter(15);
    fields.cutime = counter(16); // reaped children
    fields.cstime = counter(17);
    fields.startTicks = counter(22);
    return fields;
}

std::int64_t residentBytes(pid_t pid) {
    const std::string text = readWholeFile("/proc/" + std::to_string(pid) + "/statm");
    std::istringstream in(text);
    long long size = 0;
    long long resident = 0;
    if (!(in >> size >> resident)) {
        return 0;
    }
    static const long pageSize = sysconf(_SC_PAGESIZE);
    return static_cast<std::int64_t>(resident) * pageSize;
}

// Every numeric entry of /proc: the thread-group ids of all processes.
std::vector<pid_t> allPids() {
    std::vector<pid_t> pids;
    DIR *dir = opendir("/proc");
    if (dir == nullptr) {
        return pids;
    }
    while (const dirent *entry = readdir(dir)) {
        const std::string_view name(entry->d_name);
        pid_t pid = 0;
        const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
        if (ec == std::errc() && end == name.data() + name.size() && pid > 0) {
            pids.push_back(pid);
        }
    }
    closedir(dir);
    return pids;
}

} // namespace

std::optional<ProcessTreeUsage> readProcessTree(pid_t root) {
    const auto rootStat = readStat(root);
    if (!rootStat || rootStat->state == 'Z' || rootStat->state == 'X') {
        return std::nullopt;
    }
    std::multimap<pid_t, std::pair<pid_t, StatFields>> children; // ppid -> (pid, stat)
    for (pid_t pid : allPids()) {
        if (pid == root) {
            continue;
        }
        if (auto stat = readStat(pid)) {
            children.emplace(stat->ppid, std::make_pair(pid, *stat));
        }
    }

    static const double ticksPerSecond = static_cast<double>(sysconf(_SC_CLK_TCK));
    ProcessTreeUsage usage;
    std::uint64_t ticks = 0;
    // Reaped children's time (cutime/cstime) counts too: when a descendant exits and its
    // parent in the tree waits for it, its CPU moves from its own fields into the parent's,
    // so the tree's cumulative CPU never goes backwards and rates stay non-negative.
    auto account = [&](pid_t pid, const StatFields &stat) {
        ticks += stat.utime + stat.stime + stat.cutime + stat.cstime;
        usage.residentBytes += residentBytes(pid);
        ++usage.processes;
    };
    account(root, *rootStat);
    std::deque<pid_t> pending{root};
    while (!pending.empty()) {
        const pid_t parent = pending.front();
        pending.pop_front();
        const auto [first, last] = children.equal_range(parent);
        for (auto it = first; it != last; ++it) {
            account(it->second.first, it->second.second);
            pending.push_back(it->second.first);
        }
    }
    usage.cpuSeconds = static_cast<double>(ticks) / ticksPerSecond;
    return usage;
}

std::optional<std::uint64_t> processStartTicks(pid_t pid) {
    if (pid <= 0) {
        return std::nullopt;
    }
    const auto stat = readStat(pid);
    if (!stat) {
        return std::nullopt;
    }
    return stat->startTicks;
}

std::vector<std::string> processCommandLine(pid_t pid) {
    std::vector<std::string> argv;
    if (pid <= 0) {
        return argv;
    }
    const std::string text = readWholeFile("/proc/" + std::to_string(pid) + "/cmdline");
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\0', start);
        if (end == std::string::npos) {
            end = text.size();
        }
        argv.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return argv;
}

std::optional<std::int64_t> CpuRateMeter::sample(double cpuSeconds,
                                                 std::chrono::steady_clock::time_point at) {
    if (!m_lastCpu) {
        m_lastCpu = cpuSeconds;
        m_lastAt = at;
        return std::nullopt;
    }
    const double elapsed = std::chrono::duration<double>(at - m_lastAt).count();
    if (elapsed <= 0) {
        return std::nullopt;
    }
    // A tree whose CPU went down lost a process nobody in it waited for: count no usage
    // rather than a negative one.
    const double used = std::max(0.0, cpuSeconds - *m_lastCpu);
    m_lastCpu = cpuSeconds;
    m_lastAt = at;
    return static_cast<std::int64_t>(std::llround(used / elapsed * 1000.0));
}

} // namespace sandbox
