#pragma once
// The one generic controller engine (kwok's shape): watches through ResourceService turn
// events into keys, a keyed work queue with delayed and rate-limited requeue feeds a few
// workers, and each worker calls sync(key), which answers Done (optionally "look again
// after"), Retry (after a delay, or rate-limited) or Error (logged, rate-limited). Every
// controller of the sandbox — and the kubelet — is one subclass with one sync function.
//
// Controllers read the store through ResourceService on every sync instead of keeping an
// informer cache: the in-memory store is cheap to read, and a fresh read can never act on a
// stale view (no "expectations" bookkeeping needed).

#include "api/resource_service.h"
#include "controllers/work_queue.h"
#include "util/clock.h"

#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace sandbox {

struct SyncResult {
    enum class Kind { Done, Retry, Error };
    Kind kind = Kind::Done;
    Duration after{0}; // Done: look again after this (0 = no); Retry: delay (0 = back-off)
    std::string message;

    static SyncResult done() { return {}; }
    static SyncResult doneRequeueAfter(Duration after) { return {Kind::Done, after, {}}; }
    static SyncResult retry(Duration after = Duration::zero()) { return {Kind::Retry, after, {}}; }
    static SyncResult error(std::string message) {
        return {Kind::Error, Duration::zero(), std::move(message)};
    }
    // The earlier of two requeue wishes (0 = none).
    static Duration earliest(Duration a, Duration b);
};

// "namespace/name" (or "name" for cluster-scoped objects) and back.
std::string objectKey(const boost::json::object &object);
std::string objectKey(std::string_view ns, std::string_view name);
std::pair<std::string, std::string> splitKey(std::string_view key);

class Controller {
public:
    Controller(std::string name, ResourceService &service, int workers = 2);
    virtual ~Controller();
    Controller(const Controller &) = delete;
    Controller &operator=(const Controller &) = delete;

    const std::string &name() const { return m_name; }
    // Starts the registered watches and the workers. Idempotent.
    void start();
    // Stops watches, drains nothing, joins the workers. Idempotent; the destructor of a
    // subclass must call it before its members go away.
    void stop();
    bool running() const { return m_running.load(); }

    void enqueue(const std::string &key) { m_queue.add(key); }
    void enqueueAfter(const std::string &key, Duration after) { m_queue.addAfter(key, after); }
    // Syncs that ran (tests and metrics).
    std::uint64_t syncCount() const { return m_syncs.load(); }

protected:
    using EventHandler = std::function<void(const WatchEvent &)>;
    // Registers a watch on every namespace of `type`, started by start(). The handler runs
    // on the store's writing thread: it must only compute keys and enqueue.
    void watch(const ResourceType &type, EventHandler handler);
    // The common handler: enqueue the object's own key.
    void watchOwnKey(const ResourceType &type);

    virtual SyncResult sync(const std::string &key) = 0;

    ResourceService &service() { return m_service; }
    const Clock &clock() const { return m_service.clock(); }
    const ResourceType &type(std::string_view group, std::string_view resource) const;

private:
    void workerLoop();

    std::string m_name;
    ResourceService &m_service;
    int m_workerCount;
    WorkQueue m_queue;
    std::vector<std::pair<const ResourceType *, EventHandler>> m_watchSpecs;
    std::vector<WatchId> m_watches;
    std::vector<std::thread> m_workers;
    std::atomic<bool> m_running{false};
    std::atomic<std::uint64_t> m_syncs{0};
};

} // namespace sandbox
