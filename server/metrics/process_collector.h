#pragma once
// Standard process metrics read from /proc at scrape time (prometheus-cpp core has none):
// process_cpu_seconds_total, process_resident_memory_bytes, process_virtual_memory_bytes,
// process_open_fds, process_start_time_seconds.

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <optional>
#include <string>
#include <vector>

namespace forecast::metrics {

struct ProcessSample {
    double cpuSeconds = 0.0;
    double residentBytes = 0.0;
    double virtualBytes = 0.0;
    double openFds = 0.0;
    double startTimeSeconds = 0.0; // Unix time
};

// Parses the contents of /proc/<pid>/stat, /proc/<pid>/statm and the btime line of
// /proc/stat. Separate from I/O so tests can feed fixed text.
std::optional<ProcessSample> parseProcess(const std::string &stat, const std::string &statm,
                                          const std::string &procStat, long ticksPerSecond,
                                          long pageSize);

class ProcessCollector final : public prometheus::Collectable {
public:
    ProcessCollector();
    std::vector<prometheus::MetricFamily> Collect() const override;

private:
    double m_startTimeSeconds = 0.0; // fixed for the life of the process: read once
};

} // namespace forecast::metrics
