#pragma once
// Loads the model file at start and, every MODEL_CACHE_TTL seconds, checks whether the file
// changed (device, inode, size, mtime). A changed file is loaded on the watcher's own thread,
// off the request path, and swapped in atomically; a file that fails to load leaves the
// current model serving, is logged at warn and counted as model_reloads_total{result="failure"}.

#include "api/logger.h"
#include "http/model_holder.h"
#include "metrics/service_metrics.h"

#include <rf/result.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace forecast::api {

struct FileStamp {
    bool exists = false;
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::int64_t size = 0;
    std::int64_t mtimeNanos = 0;
    bool operator==(const FileStamp &) const = default;
};

FileStamp stampFile(const std::string &path);

class ModelWatcher final {
public:
    ModelWatcher(std::string path, std::chrono::seconds interval, http::ModelHolder &holder,
                 metrics::ServiceMetrics &metrics, Logger &logger);
    ~ModelWatcher();
    ModelWatcher(const ModelWatcher &) = delete;
    ModelWatcher &operator=(const ModelWatcher &) = delete;

    // The first load; its error names the file and the problem.
    rf::Status loadInitial();
    // Starts periodic checks (no thread when the interval is 0).
    void start();
    void stop();
    // One check; true when a new model was swapped in.
    bool checkOnce();

private:
    void loop();

    std::string m_path;
    std::chrono::seconds m_interval;
    http::ModelHolder &m_holder;
    metrics::ServiceMetrics &m_metrics;
    Logger &m_logger;
    FileStamp m_served;                    // stamp of the file the current model came from
    std::optional<FileStamp> m_lastFailed; // a broken file is reported once, not every check
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace forecast::api
