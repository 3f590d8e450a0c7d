#pragma once
// Injected time (STYLE rule 8) and the sandbox's time scale (--time-scale N): every period
// the sandbox simulates (probes, back-off, sync loops, grace periods, deadlines) is divided
// by the scale, while timestamps written into objects stay real wall-clock times.

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>

namespace sandbox {

using TimePoint = std::chrono::system_clock::time_point;
using Duration = std::chrono::steady_clock::duration;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
    // Real time to wait for a simulated period (period / time scale, at least 1 ms).
    Duration scaled(std::chrono::milliseconds period) const;
    double timeScale() const { return m_timeScale.load(); }
    void setTimeScale(double scale) { m_timeScale.store(scale > 0 ? scale : 1.0); }

private:
    std::atomic<double> m_timeScale{1.0};
};

class SystemClock final : public Clock {
public:
    TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// For tests: time moves only when told.
class ManualClock final : public Clock {
public:
    explicit ManualClock(TimePoint start) : m_now(start) {}
    TimePoint now() const override;
    void advance(std::chrono::milliseconds by);

private:
    mutable std::mutex m_mutex;
    TimePoint m_now;
};

// RFC 3339 in UTC with whole seconds ("2026-11-25T14:00:00Z"), as Kubernetes writes
// metav1.Time; and the MicroTime variant with microseconds.
std::string formatRfc3339(TimePoint t);
std::string formatRfc3339Micro(TimePoint t);
bool parseRfc3339(const std::string &text, TimePoint &out);

} // namespace sandbox
