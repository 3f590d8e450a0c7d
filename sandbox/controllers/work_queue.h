#pragma once
// A keyed work queue like client-go's rate-limited delaying queue: a key waits at most once
// in the queue, a key being processed is never handed to a second worker (a re-add while it
// runs is held until done()), delayed adds fire after a real-time delay, and rate-limited
// adds back off exponentially per key until forget().

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace sandbox {

class WorkQueue final {
public:
    using SteadyTime = std::chrono::steady_clock::time_point;
    using Delay = std::chrono::steady_clock::duration;

    // Per-key exponential back-off for addRateLimited(): base * 2^failures, capped.
    WorkQueue(Delay baseBackoff = std::chrono::milliseconds(5),
              Delay maxBackoff = std::chrono::seconds(60));

    void add(const std::string &key);
    void addAfter(const std::string &key, Delay delay);
    void addRateLimited(const std::string &key);
    // Resets the key's back-off (a sync succeeded).
    void forget(const std::string &key);
    int failures(const std::string &key) const;

    // Blocks until a key is ready or the queue shuts down (nullopt).
    std::optional<std::string> get();
    // The worker finished `key`; a re-add during processing is queued now.
    void done(const std::string &key);

    void shutDown();
    bool shuttingDown() const;
    // Keys ready or processing (not counting delayed ones); for tests and idleness checks.
    std::size_t pending() const;
    std::size_t delayed() const;

private:
    void addLocked(const std::string &key);
    void promoteDueLocked(SteadyTime now);

    Delay m_base;
    Delay m_max;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::string> m_queue;
    std::set<std::string> m_dirty;      // queued (waiting for a worker)
    std::set<std::string> m_processing; // handed to a worker
    std::multimap<SteadyTime, std::string> m_waiting;
    std::map<std::string, SteadyTime> m_waitingAt; // earliest due time per delayed key
    std::map<std::string, int> m_failures;
    bool m_shutDown = false;
};

} // namespace sandbox
