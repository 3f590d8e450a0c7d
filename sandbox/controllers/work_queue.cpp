#include "controllers/work_queue.h"

#include <algorithm>

namespace sandbox {

WorkQueue::WorkQueue(Delay baseBackoff, Delay maxBackoff)
    : m_base(baseBackoff)
    , m_max(maxBackoff) {}

void WorkQueue::addLocked(const std::string &key) {
    if (m_shutDown || m_dirty.count(key) != 0) {
        return;
    }
    m_dirty.insert(key);
    if (m_processing.count(key) != 0) {
        return; // done() queues it
    }
    m_queue.push_back(key);
    m_cv.notify_one();
}

void WorkQueue::add(const std::string &key) {
    std::lock_guard lock(m_mutex);
    addLocked(key);
}

void WorkQueue::addAfter(const std::string &key, Delay delay) {
    if (delay <= Delay::zero()) {
        add(key);
        return;
    }
    std::lock_guard lock(m_mutex);
    if (m_shutDown) {
        return;
    }
    const SteadyTime due = std::chrono::steady_clock::now() + delay;
    auto existing = m_waitingAt.find(key);
    if (existing != m_waitingAt.end()) {
        if (existing->second <= due) {
            return; // already due earlier
        }
        auto range = m_waiting.equal_range(existing->second);
        for (auto it = range.first; it != range.second; ++it) {
            if (it->second == key) {
                m_waiting.erase(it);
                break;
            }
        }
    }
    m_waitingAt[key] = due;
    m_waiting.emplace(due, key);
    m_cv.notify_all();
}

void WorkQueue::addRateLimited(const std::string &key) {
    Delay delay;
    {
        std::lock_guard lock(m_mutex);
        const int n = m_failures[key]++;
        delay = m_base;
        for (int i = 0; i < n && delay < m_max; ++i) {
            delay *= 2;
        }
        delay = std::min(delay, m_max);
    }
    addAfter(key, delay);
}

void WorkQueue::forget(const std::string &key) {
    std::lock_guard lock(m_mutex);
    m_failures.erase(key);
}

int WorkQueue::failures(const std::string &key) const {
    std::lock_guard lock(m_mutex);
    auto it = m_failures.find(key);
    return it == m_failures.end() ? 0 : it->second;
}

void WorkQueue::promoteDueLocked(SteadyTime now) {
    while (!m_waiting.empty() && m_waiting.begin()->first <= now) {
        std::string key = m_waiting.begin()->second;
        m_waiting.erase(m_waiting.begin());
        m_waitingAt.erase(key);
        addLocked(key);
    }
}

std::optional<std::string> WorkQueue::get() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (m_shutDown) {
            return std::nullopt;
        }
        promoteDueLocked(std::chrono::steady_clock::now());
        if (!m_queue.empty()) {
            std::string key = std::move(m_queue.front());
            m_queue.pop_front();
            m_dirty.erase(key);
            m_processing.insert(key);
            return key;
        }
        if (m_waiting.empty()) {
            m_cv.wait(lock);
        } else {
            m_cv.wait_until(lock, m_waiting.begin()->first);
        }
    }
}

void WorkQueue::done(const std::string &key) {
    std::lock_guard lock(m_mutex);
    m_processing.erase(key);
    if (m_dirty.count(key) != 0) {
        m_queue.push_back(key);
        m_cv.notify_one();
    }
}

void WorkQueue::shutDown() {
    std::lock_guard lock(m_mutex);
    m_shutDown = true;
    m_cv.notify_all();
}

bool WorkQueue::shuttingDown() const {
    std::lock_guard lock(m_mutex);
    return m_shutDown;
}

std::size_t WorkQueue::pending() const {
    std::lock_guard lock(m_mutex);
    return m_dirty.size() + m_processing.size();
}

std::size_t WorkQueue::delayed() const {
    std::lock_guard lock(m_mutex);
    return m_waiting.size();
}

} // namespace sandbox
