#pragma once
// The kubelet's crash-loop back-off (pkg/kubelet/kuberuntime, flowcontrol.Backoff with
// 10 s initial and 300 s maximum): the first crash restarts at once, every further crash
// waits the current back-off (10 s, 20 s, 40 s ... 300 s) before the next start, and a
// container that ran for 10 minutes (twice the maximum) starts over from nothing. Periods
// are simulated seconds; callers divide them by the time scale (Clock::scaled) when they
// wait. Not thread-safe: one per container, guarded by its owner.

#include <chrono>
#include <string>

namespace sandbox {

class RestartBackoff final {
public:
    static constexpr std::chrono::seconds kInitial{10};
    static constexpr std::chrono::seconds kMax{300};
    static constexpr std::chrono::seconds kResetAfterRunning{600};

    // The container ran for `ranFor` (simulated time) and exited. Returns how long to wait
    // before the restart (0: restart now) and advances the back-off for the next crash.
    std::chrono::seconds onExit(std::chrono::milliseconds ranFor);
    // The back-off the next onExit() would return after a short run (for messages).
    std::chrono::seconds current() const { return m_current; }
    void reset() { m_current = std::chrono::seconds(0); }

private:
    std::chrono::seconds m_current{0}; // 0: no crash remembered yet
};

// A duration as Go's time.Duration.String() prints whole seconds: "10s", "2m40s", "5m0s",
// "1h0m0s" — the kubelet's CrashLoopBackOff message uses it.
std::string goDurationString(std::chrono::seconds d);

} // namespace sandbox
