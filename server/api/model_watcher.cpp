#include "api/model_watcher.h"

#include <sys/stat.h>

namespace forecast::api {
namespace {

// The loader reports errors as values; a stray exception (e.g. bad_alloc on a huge file)
// must still not take the process down from the watcher thread.
rf::Result<Model> loadModel(const std::string &path) {
    try {
        return Model::load(path);
    } catch (const std::exception &e) {
        return rf::fail(path + ": " + e.what());
    }
}

} // namespace

FileStamp stampFile(const std::string &path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return {};
    }
    return {true, static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
            static_cast<std::int64_t>(st.st_size),
            static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

ModelWatcher::ModelWatcher(std::string path, std::chrono::seconds interval,
                           http::ModelHolder &holder, metrics::ServiceMetrics &metrics,
                           Logger &logger)
    : m_path(std::move(path))
    , m_interval(interval)
    , m_holder(holder)
    , m_metrics(metrics)
    , m_logger(logger) {}

ModelWatcher::~ModelWatcher() {
    stop();
}

rf::Status ModelWatcher::loadInitial() {
    // Stamp before reading: if the file changes during the load, the next check sees it.
    const FileStamp stamp = stampFile(m_path);
    const auto started = std::chrono::steady_clock::now();
    auto model = loadModel(m_path);
    if (!model) {
        return rf::fail(model.message());
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    m_logger.info("model loaded", {{"path", m_path},
                                   {"version", model->version},
                                   {"series", model->series().size()},
                                   {"trained_at", model->trainedAt},
                                   {"load_ms", ms.count()}});
    m_metrics.setModel(model->version);
    m_holder.replace(std::make_shared<const Model>(std::move(model.value())));
    m_served = stamp;
    return rf::ok();
}

bool ModelWatcher::checkOnce() {
    const FileStamp stamp = stampFile(m_path);
    if (stamp == m_served || (m_lastFailed && stamp == *m_lastFailed)) {
        return false;
    }
    const auto current = m_holder.current();
    const std::string currentVersion = current ? current->version : std::string();
    if (!stamp.exists) {
        m_lastFailed = stamp;
        m_metrics.countReload(false);
        m_logger.warn("model file disappeared; keeping the current model",
                      {{"path", m_path}, {"version", currentVersion}});
        return false;
    }
    m_logger.info("model file changed; reloading", {{"path", m_path}});
    const auto started = std::chrono::steady_clock::now();
    auto model = loadModel(m_path);
    if (!model) {
        m_lastFailed = stamp;
        m_metrics.countReload(false);
        m_logger.warn("model reload failed; keeping the current model",
                      {{"path", m_path}, {"error", model.message()}, {"version", currentVersion}});
        return false;
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    const std::string newVersion = model->version;
    m_holder.replace(std::make_shared<const Model>(std::move(model.value())));
    m_metrics.setModel(newVersion);
    m_metrics.countReload(true);
    m_served = stamp;
    m_lastFailed.reset();
    m_logger.info("model reloaded", {{"path", m_path},
                                     {"previous_version", currentVersion},
                                     {"version", newVersion},
                                     {"load_ms", ms.count()}});
    return true;
}

void ModelWatcher::start() {
    if (m_interval.count() <= 0 || m_thread.joinable()) {
        return;
    }
    m_thread = std::thread([this] { loop(); });
}

void ModelWatcher::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void ModelWatcher::loop() {
    std::unique_lock lock(m_mutex);
    while (!m_wake.wait_for(lock, m_interval, [this] { return m_stopping; })) {
        lock.unlock();
        checkOnce();
        lock.lock();
    }
}

} // namespace forecast::api
