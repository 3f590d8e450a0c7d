#include "kubelet/restart_backoff.h"

#include <algorithm>

namespace sandbox {

std::chrono::seconds RestartBackoff::onExit(std::chrono::milliseconds ranFor) {
    if (ranFor >= kResetAfterRunning) {
        m_current = std::chrono::seconds(0);
    }
    const std::chrono::seconds wait = m_current;
    m_current = m_current.count() == 0 ? kInitial : std::min(m_current * 2, kMax);
    return wait;
}

std::string goDurationString(std::chrono::seconds d) {
    const long long total = d.count();
    if (total == 0) {
        return "0s";
    }
    const long long h = total / 3600;
    const long long m = (total % 3600) / 60;
    const long long s = total % 60;
    if (h > 0) {
        return std::to_string(h) + "h" + std::to_string(m) + "m" + std::to_string(s) + "s";
    }
    if (m > 0) {
        return std::to_string(m) + "m" + std::to_string(s) + "s";
    }
    return std::to_string(s) + "s";
}

} // namespace sandbox
