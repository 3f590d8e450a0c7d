#include "metrics/process_collector.h"

#include "rf/proc_stat.h"

#include <dirent.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

namespace forecast::metrics {
namespace {

std::string readFile(const char *path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

double countOpenFds() {
    DIR *dir = opendir("/proc/self/fd");
    if (dir == nullptr) {
        return 0.0;
    }
    double count = 0.0;
    while (const dirent *entry = readdir(dir)) {
        if (entry->d_name[0] != '.') {
            count += 1.0;
        }
    }
    closedir(dir);
    return count - 1.0; // the directory handle opened just now
}

prometheus::MetricFamily family(const char *name, const char *help, prometheus::MetricType type,
                                double value) {
    prometheus::MetricFamily f;
    f.name = name;
    f.help = help;
    f.type = type;
    prometheus::ClientMetric m;
    if (type == prometheus::MetricType::Counter) {
        m.counter.value = value;
    } else {
        m.gauge.value = value;
    }
    f.metric.push_back(std::move(m));
    return f;
}

ProcessSample readSample() {
    const auto sample =
        parseProcess(readFile("/proc/self/stat"), readFile("/proc/self/statm"),
                     readFile("/proc/stat"), sysconf(_SC_CLK_TCK), sysconf(_SC_PAGESIZE));
    return sample.value_or(ProcessSample{});
}

} // namespace

std::optional<ProcessSample> parseProcess(const std::string &stat, const std::string &statm,
                                          const std::string &procStat, long ticksPerSecond,
                                          long pageSize) {
    const rf::ProcStatLine line(stat);
    if (stat.rfind(')') == std::string::npos || ticksPerSecond <= 0 || pageSize <= 0) {
        return std::nullopt;
    }
    const auto utime = static_cast<double>(line.integer(14));
    const auto stime = static_cast<double>(line.integer(15));
    const auto startTicks = static_cast<double>(line.integer(22));
    ProcessSample sample;
    sample.cpuSeconds = (utime + stime) / static_cast<double>(ticksPerSecond);

    std::istringstream pages(statm);
    double sizePages = 0.0;
    double residentPages = 0.0;
    if (!(pages >> sizePages >> residentPages)) {
        return std::nullopt;
    }
    sample.virtualBytes = sizePages * static_cast<double>(pageSize);
    sample.residentBytes = residentPages * static_cast<double>(pageSize);

    const auto btimePos = procStat.find("btime ");
    if (btimePos != std::string::npos) {
        const double bootTime = std::strtod(procStat.c_str() + btimePos + 6, nullptr);
        sample.startTimeSeconds = bootTime + startTicks / static_cast<double>(ticksPerSecond);
    }
    return sample;
}

ProcessCollector::ProcessCollector()
    : m_startTimeSeconds(readSample().startTimeSeconds) {}

std::vector<prometheus::MetricFamily> ProcessCollector::Collect() const {
    using prometheus::MetricType;
    const ProcessSample s = readSample();
    std::vector<prometheus::MetricFamily> out;
    out.reserve(5);
    out.push_back(family("process_cpu_seconds_total",
                         "Total user and system CPU time spent in seconds.", MetricType::Counter,
                         s.cpuSeconds));
    out.push_back(family("process_resident_memory_bytes", "Resident memory size in bytes.",
                         MetricType::Gauge, s.residentBytes));
    out.push_back(family("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                         MetricType::Gauge, s.virtualBytes));
    out.push_back(family("process_open_fds", "Number of open file descriptors.", MetricType::Gauge,
                         countOpenFds()));
    out.push_back(family("process_start_time_seconds",
                         "Start time of the process since unix epoch in seconds.",
                         MetricType::Gauge, m_startTimeSeconds));
    return out;
}

} // namespace forecast::metrics
