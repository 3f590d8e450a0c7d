#include "controllers/controller.h"

#include "api/http_log.h"
#include "util/json_util.h"

#include <exception>

namespace sandbox {

Duration SyncResult::earliest(Duration a, Duration b) {
    if (a <= Duration::zero()) {
        return b;
    }
    if (b <= Duration::zero()) {
        return a;
    }
    return std::min(a, b);
}

std::string objectKey(const boost::json::object &object) {
    return objectKey(json::namespaceOf(object), json::name(object));
}

std::string objectKey(std::string_view ns, std::string_view name) {
    if (ns.empty()) {
        return std::string(name);
    }
    std::string key;
    key.reserve(ns.size() + name.size() + 1);
    key.append(ns).append("/").append(name);
    return key;
}

std::pair<std::string, std::string> splitKey(std::string_view key) {
    const auto slash = key.find('/');
    if (slash == std::string_view::npos) {
        return {std::string(), std::string(key)};
    }
    return {std::string(key.substr(0, slash)), std::string(key.substr(slash + 1))};
}

Controller::Controller(std::string name, ResourceService &service, int workers)
    : m_name(std::move(name))
    , m_service(service)
    , m_workerCount(workers < 1 ? 1 : workers) {}

Controller::~Controller() {
    stop();
}

const ResourceType &Controller::type(std::string_view group, std::string_view resource) const {
    for (const ResourceType &t : m_service.registry().all()) {
        if (t.group == group && t.resource == resource) {
            return t;
        }
    }
    // The builtin registry always has the kinds the controllers use; reaching this is a
    // programming error in a test registry.
    std::terminate();
}

void Controller::watch(const ResourceType &type, EventHandler handler) {
    m_watchSpecs.emplace_back(&type, std::move(handler));
}

void Controller::watchOwnKey(const ResourceType &type) {
    watch(type, [this](const WatchEvent &event) { enqueue(objectKey(event.object)); });
}

void Controller::start() {
    if (m_running.exchange(true)) {
        return;
    }
    for (int i = 0; i < m_workerCount; ++i) {
        m_workers.emplace_back([this] { workerLoop(); });
    }
    for (auto &[type, handler] : m_watchSpecs) {
        auto id = m_service.watch(*type, "", ListOptions{}, handler);
        if (id) {
            m_watches.push_back(*id);
        } else {
            logLine(LogLevel::Error, "controller watch failed",
                    {{"controller", m_name},
                     {"resource", type->resource},
                     {"error", id.error().message}});
        }
    }
    logLine(LogLevel::Info, "controller started", {{"controller", m_name}});
}

void Controller::stop() {
    if (!m_running.exchange(false)) {
        return;
    }
    for (WatchId id : m_watches) {
        m_service.unwatch(id);
    }
    m_watches.clear();
    m_queue.shutDown();
    for (auto &worker : m_workers) {
        if (worker.joinable()) {
            worker.join();
        }
    }
    m_workers.clear();
}

void Controller::workerLoop() {
    while (auto key = m_queue.get()) {
        SyncResult result;
        try {
            result = sync(*key);
        } catch (const std::exception &e) {
            // A malformed object must not kill the worker (boost::json accessors throw).
            result = SyncResult::error(std::string("exception: ") + e.what());
        }
        ++m_syncs;
        switch (result.kind) {
        case SyncResult::Kind::Done:
            m_queue.forget(*key);
            if (result.after > Duration::zero()) {
                m_queue.addAfter(*key, result.after);
            }
            break;
        case SyncResult::Kind::Retry:
            logLine(LogLevel::Debug, "controller sync retried",
                    {{"controller", m_name}, {"key", *key}});
            if (result.after > Duration::zero()) {
                m_queue.addAfter(*key, result.after);
            } else {
                m_queue.addRateLimited(*key);
            }
            break;
        case SyncResult::Kind::Error:
            logLine(m_queue.failures(*key) < 5 ? LogLevel::Warn : LogLevel::Error,
                    "controller sync failed",
                    {{"controller", m_name}, {"key", *key}, {"error", result.message}});
            m_queue.addRateLimited(*key);
            break;
        }
        m_queue.done(*key);
    }
}

} // namespace sandbox
