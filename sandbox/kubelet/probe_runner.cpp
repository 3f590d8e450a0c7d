// The prober (pkg/kubelet/prober/worker.go) for every container of a runtime on one Asio
// thread: each probe of a container is a worker with its own steady timer; a probe run is an
// asynchronous check (probe_http.cpp, probe_tcp.cpp, probe_exec.cpp), so a slow endpoint
// delays nothing else.
//
// Differences from the kubelet, on purpose: the first run of a probe is at
// initialDelaySeconds after add() (the kubelet's ticker starts when its worker does and
// skips runs inside the delay, so its first run lands anywhere up to one period later), and
// timeouts are never shorter than kMinTimeout of real time however large the time scale,
// so a busy machine does not fail healthy probes.

#include "kubelet/probe_runner.h"

#include "kubelet/probe_check.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <atomic>
#include <mutex>
#include <optional>
#include <pthread.h>
#include <thread>

namespace sandbox {

namespace asio = boost::asio;
using Steady = std::chrono::steady_clock;

namespace {

constexpr auto kMinTimeout = std::chrono::milliseconds(200);

enum class ProbeType { Startup = 0, Readiness = 1, Liveness = 2 };

constexpr std::array<std::string_view, 3> kFields{"startupProbe", "readinessProbe",
                                                  "livenessProbe"};
constexpr std::array<std::string_view, 3> kNames{"Startup", "Readiness", "Liveness"};

} // namespace

struct ProbeRunner::Impl {
    struct Worker {
        Worker(asio::io_context &io, ProbeType t, ProbeSpec s)
            : type(t)
            , spec(std::move(s))
            , timer(io) {}
        ProbeType type;
        ProbeSpec spec;
        asio::steady_timer timer;
        std::uint64_t generation = 0; // a stale timer handler (cancelled too late) sees a newer one
        Steady::time_point nextAt{};
        std::shared_ptr<ProbeCheck> inFlight;
        ProbeResult lastResult = ProbeResult::Success; // Go's zero Result
        int resultRun = 0;
        bool onHold = false; // liveness/startup failed for good: the container gets restarted
    };

    struct Entry {
        Id id = 0;
        ProbeTarget target;
        Callback callback;
        ProbeState state; // guarded by Impl::mutex
        std::array<std::optional<Worker>, 3> workers;
        std::atomic<bool> removed{false};
        std::mutex callbackMutex; // held while the callback runs; remove() waits on it
    };
    using EntryPtr = std::shared_ptr<Entry>;

    explicit Impl(const Clock &c)
        : clock(c)
        , work(asio::make_work_guard(io)) {
        thread = std::thread([this] {
            pthread_setname_np(pthread_self(), "probe-runner");
            io.run();
        });
        threadId = thread.get_id();
    }

    bool onThread() const { return std::this_thread::get_id() == threadId; }

    Duration period(const Worker &w) const {
        return clock.scaled(std::chrono::milliseconds(std::int64_t{w.spec.periodSeconds} * 1000));
    }

    Duration timeout(const Worker &w) const {
        return std::max<Duration>(
            clock.scaled(std::chrono::milliseconds(std::int64_t{w.spec.timeoutSeconds} * 1000)),
            kMinTimeout);
    }

    void begin(const EntryPtr &e) {
        const auto now = Steady::now();
        notify(e, {}); // the initial state, so a runtime may rely on callbacks alone
        for (auto &slot : e->workers) {
            if (slot) {
                const auto delay = clock.scaled(
                    std::chrono::milliseconds(std::int64_t{slot->spec.initialDelaySeconds} * 1000));
                schedule(e, *slot,
                         now + (slot->spec.initialDelaySeconds > 0 ? delay : Duration{0}));
            }
        }
    }

    void schedule(const EntryPtr &e, Worker &w, Steady::time_point at) {
        w.nextAt = at;
        const std::uint64_t generation = ++w.generation;
        w.timer.expires_at(at);
        w.timer.async_wait([this, e, &w, generation](boost::system::error_code ec) {
            if (ec || e->removed || generation != w.generation) {
                return;
            }
            tick(e, w);
        });
    }

    // Runs the probe now instead of at its next tick (readiness once the container started).
    void trigger(const EntryPtr &e, Worker &w) {
        if (w.inFlight || w.onHold) {
            return;
        }
        w.timer.cancel();
        ++w.generation;
        asio::post(io, [this, e, &w, generation = w.generation] {
            if (!e->removed && generation == w.generation && !w.inFlight) {
                tick(e, w);
            }
        });
    }

    bool gated(const Entry &e, const Worker &w) {
        std::lock_guard lock(mutex);
        // Other probes wait for the startup probe; the startup probe stops once it passed.
        return (w.type == ProbeType::Startup) == e.state.started;
    }

    void tick(const EntryPtr &e, Worker &w) {
        const auto now = Steady::now();
        // A ticker drops ticks it could not deliver: the next run is one period on, never
        // a burst of catch-up runs.
        auto next = w.nextAt + period(w);
        if (next < now) {
            next = now + period(w);
        }
        if (w.onHold || gated(*e, w)) {
            schedule(e, w, next);
            return;
        }
        auto done = [this, e, &w, next](ProbeOutcome outcome) {
            w.inFlight.reset();
            if (e->removed) {
                return;
            }
            record(e, w, std::move(outcome));
            schedule(e, w, std::max(next, Steady::now()));
        };
        switch (w.spec.kind) {
        case ProbeKind::HttpGet:
            w.inFlight = startHttpCheck(io, w.spec, timeout(w), std::move(done));
            break;
        case ProbeKind::TcpSocket:
            w.inFlight = startTcpCheck(io, w.spec, timeout(w), std::move(done));
            break;
        case ProbeKind::Exec:
            w.inFlight = startExecCheck(io, w.spec, e->target.env, e->target.workingDir, timeout(w),
                                        std::move(done));
            break;
        case ProbeKind::Grpc:
            asio::post(io, [done = std::move(done)] {
                done({ProbeResult::Unknown, "grpc probes are not supported by forecast-sandbox"});
            });
            break;
        }
    }

    // worker.go doProbe after the probe ran: thresholds, then the result takes effect.
    void record(const EntryPtr &e, Worker &w, ProbeOutcome outcome) {
        const std::string name(kNames[static_cast<std::size_t>(w.type)]);
        if (outcome.result == ProbeResult::Unknown) {
            // An error, not a result: the kubelet records an event and keeps the old result.
            notify(e, name + " probe errored: " + outcome.output);
            return;
        }
        const ProbeResult result =
            outcome.result == ProbeResult::Warning ? ProbeResult::Success : outcome.result;
        std::string failure;
        if (result == ProbeResult::Failure) {
            failure = name + " probe failed: " + outcome.output;
        }
        if (w.lastResult == result) {
            ++w.resultRun;
        } else {
            w.lastResult = result;
            w.resultRun = 1;
        }
        const bool holds =
            (result == ProbeResult::Failure && w.resultRun < w.spec.failureThreshold) ||
            (result == ProbeResult::Success && w.resultRun < w.spec.successThreshold);
        bool changed = false;
        bool startedNow = false;
        {
            std::lock_guard lock(mutex);
            ProbeState &state = e->state;
            if (!failure.empty()) {
                state.lastFailure = failure;
            }
            if (!holds) {
                switch (w.type) {
                case ProbeType::Startup:
                    if (result == ProbeResult::Success && !state.started) {
                        state.started = true;
                        startedNow = true;
                        if (!e->workers[static_cast<std::size_t>(ProbeType::Readiness)]) {
                            state.ready = true;
                        }
                        changed = true;
                    } else if (result == ProbeResult::Failure && !state.startupFailed) {
                        state.startupFailed = true;
                        changed = true;
                    }
                    break;
                case ProbeType::Readiness:
                    if (state.ready != (result == ProbeResult::Success)) {
                        state.ready = result == ProbeResult::Success;
                        changed = true;
                    }
                    break;
                case ProbeType::Liveness:
                    if (result == ProbeResult::Failure && !state.livenessFailed) {
                        state.livenessFailed = true;
                        changed = true;
                    }
                    break;
                }
            }
        }
        if (!holds && result == ProbeResult::Failure && w.type != ProbeType::Readiness) {
            w.onHold = true;
            w.resultRun = 0;
        }
        if (changed || !failure.empty()) {
            notify(e, failure);
        }
        if (startedNow) {
            // prober_manager UpdatePodStatus: a started but unready container gets its
            // readiness probe run at once.
            if (auto &readiness = e->workers[static_cast<std::size_t>(ProbeType::Readiness)]) {
                trigger(e, *readiness);
            }
        }
    }

    void notify(const EntryPtr &e, const std::string &failure) {
        ProbeState snapshot;
        {
            std::lock_guard lock(mutex);
            snapshot = e->state;
        }
        std::lock_guard lock(e->callbackMutex);
        if (e->removed || !e->callback) {
            return;
        }
        try {
            e->callback(snapshot, failure);
        } catch (...) {
            // Exceptions never cross into the runner's thread loop (STYLE rule 6).
        }
    }

    void stopEntry(const EntryPtr &e) {
        for (auto &slot : e->workers) {
            if (slot) {
                ++slot->generation;
                slot->timer.cancel();
                if (auto check = std::move(slot->inFlight)) {
                    check->cancel();
                }
            }
        }
    }

    const Clock &clock;
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work;
    std::thread thread;
    std::thread::id threadId;
    mutable std::mutex mutex;
    std::map<Id, EntryPtr> entries;
    Id nextId = 1;
    bool stopped = false;
};

ProbeRunner::ProbeRunner(const Clock &clock)
    : m_impl(std::make_unique<Impl>(clock)) {}

ProbeRunner::~ProbeRunner() {
    shutdown();
}

ProbeRunner::Id ProbeRunner::add(ProbeTarget target, Callback callback) {
    auto entry = std::make_shared<Impl::Entry>();
    for (std::size_t i = 0; i < kFields.size(); ++i) {
        if (auto spec = parseProbe(target.container, kFields[i], target.podIP)) {
            entry->workers[i].emplace(m_impl->io, static_cast<ProbeType>(i), std::move(*spec));
        }
    }
    entry->state.started = !entry->workers[static_cast<std::size_t>(ProbeType::Startup)];
    entry->state.ready =
        entry->state.started && !entry->workers[static_cast<std::size_t>(ProbeType::Readiness)];
    entry->target = std::move(target);
    entry->callback = std::move(callback);
    {
        std::lock_guard lock(m_impl->mutex);
        entry->id = m_impl->nextId++;
        m_impl->entries.emplace(entry->id, entry);
        if (m_impl->stopped) {
            return entry->id;
        }
    }
    asio::post(m_impl->io, [impl = m_impl.get(), entry] {
        if (!entry->removed) {
            impl->begin(entry);
        }
    });
    return entry->id;
}

void ProbeRunner::remove(Id id) {
    Impl::EntryPtr entry;
    {
        std::lock_guard lock(m_impl->mutex);
        const auto it = m_impl->entries.find(id);
        if (it == m_impl->entries.end()) {
            return;
        }
        entry = std::move(it->second);
        m_impl->entries.erase(it);
    }
    entry->removed = true;
    if (m_impl->onThread()) {
        // From a callback: nothing else runs callbacks, so none of this entry is in flight
        // (the one running may be its own; locking would deadlock).
        m_impl->stopEntry(entry);
        return;
    }
    asio::post(m_impl->io, [impl = m_impl.get(), entry] { impl->stopEntry(entry); });
    // Wait out a callback of this entry that already passed its removed check.
    std::lock_guard wait(entry->callbackMutex);
}

ProbeState ProbeRunner::state(Id id) const {
    std::lock_guard lock(m_impl->mutex);
    const auto it = m_impl->entries.find(id);
    return it == m_impl->entries.end() ? ProbeState{} : it->second->state;
}

void ProbeRunner::shutdown() {
    std::map<Id, Impl::EntryPtr> entries;
    {
        std::lock_guard lock(m_impl->mutex);
        if (m_impl->stopped) {
            return;
        }
        m_impl->stopped = true;
        entries.swap(m_impl->entries);
    }
    for (auto &[id, entry] : entries) {
        entry->removed = true;
    }
    m_impl->work.reset();
    m_impl->io.stop();
    if (m_impl->thread.joinable()) {
        if (m_impl->onThread()) {
            m_impl->thread.detach(); // shut down from a callback: the loop ends on its own
        } else {
            m_impl->thread.join();
        }
    }
    // The loop is over: end what was in flight (exec probes kill their process groups).
    if (!m_impl->onThread()) {
        for (auto &[id, entry] : entries) {
            m_impl->stopEntry(entry);
        }
    }
}

} // namespace sandbox
