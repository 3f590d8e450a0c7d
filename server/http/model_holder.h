#pragma once
// The model currently served. Requests take a snapshot (a shared_ptr) and keep using it even
// if a reload swaps in a new model meanwhile: a swap never fails or blocks a request.
//
// The request path takes no lock: each thread caches the snapshot with the generation it
// belongs to and only goes to the mutex when a reload has published a new generation.
// (std::atomic<std::shared_ptr> in libstdc++ spins on a lock bit, and a spinner whose lock
// holder was preempted burns its time slice: a latency tail on a busy machine.)

#include "model/forecast_model.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

namespace forecast::http {

class ModelHolder final {
public:
    ModelHolder() = default;
    ModelHolder(const ModelHolder &) = delete;
    ModelHolder &operator=(const ModelHolder &) = delete;

    std::shared_ptr<const Model> current() const {
        thread_local Snapshot cache;
        const std::uint64_t generation = m_generation.load(std::memory_order_acquire);
        if (cache.owner != this || cache.generation != generation) {
            std::lock_guard lock(m_mutex);
            cache.owner = this;
            cache.generation = m_generation.load(std::memory_order_relaxed);
            cache.model = m_model;
        }
        return cache.model;
    }

    void replace(std::shared_ptr<const Model> model) {
        std::lock_guard lock(m_mutex);
        m_model = std::move(model);
        m_generation.store(nextGeneration(), std::memory_order_release);
    }

private:
    struct Snapshot {
        const ModelHolder *owner = nullptr;
        std::uint64_t generation = 0;
        std::shared_ptr<const Model> model;
    };

    // Generations are unique process-wide, so a holder created at the address of a destroyed
    // one can never match a stale per-thread snapshot.
    static std::uint64_t nextGeneration() {
        static std::atomic<std::uint64_t> counter{0};
        return counter.fetch_add(1, std::memory_order_relaxed) + 1;
    }

    mutable std::mutex m_mutex;
    std::shared_ptr<const Model> m_model;
    std::atomic<std::uint64_t> m_generation{nextGeneration()};
};

} // namespace forecast::http
