#include "kubelet/pod_ip_allocator.h"

#include <cstdio>

namespace sandbox {

namespace {

constexpr std::uint32_t kFirst = (127u << 24) | (1u << 16) | 1u;      // 127.1.0.1
constexpr std::uint32_t kLast = (127u << 24) | (63u << 16) | 0xfffeu; // 127.63.255.254

bool usable(std::uint32_t ip) {
    const std::uint32_t last = ip & 0xffu;
    return ip >= kFirst && ip <= kLast && last != 0 && last != 255;
}

std::string format(std::uint32_t ip) {
    char buffer[20];
    std::snprintf(buffer, sizeof buffer, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xffu,
                  (ip >> 8) & 0xffu, ip & 0xffu);
    return buffer;
}

bool parse(const std::string &text, std::uint32_t &out) {
    unsigned a, b, c, d;
    char tail;
    if (std::sscanf(text.c_str(), "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 ||
        b > 255 || c > 255 || d > 255) {
        return false;
    }
    out = (a << 24) | (b << 16) | (c << 8) | d;
    return true;
}

} // namespace

std::string PodIpAllocator::allocate(std::string_view podUid) {
    std::lock_guard lock(m_mutex);
    if (auto it = m_byPod.find(podUid); it != m_byPod.end()) {
        return format(it->second);
    }
    if (m_next == 0) {
        m_next = kFirst;
    }
    // Round-robin through the range so a freed address is not reused at once (a client
    // may still talk to the old pod's address).
    for (std::uint32_t tries = 0; tries <= kLast - kFirst; ++tries) {
        const std::uint32_t candidate = m_next;
        m_next = m_next >= kLast ? kFirst : m_next + 1;
        if (usable(candidate) && m_used.count(candidate) == 0) {
            m_used.insert(candidate);
            m_byPod.emplace(std::string(podUid), candidate);
            return format(candidate);
        }
    }
    return "127.0.0.1"; // a quarter million live pods: share the host address
}

bool PodIpAllocator::reserve(std::string_view podUid, const std::string &ip) {
    std::uint32_t value = 0;
    if (!parse(ip, value) || !usable(value)) {
        return false;
    }
    std::lock_guard lock(m_mutex);
    if (auto it = m_byPod.find(podUid); it != m_byPod.end()) {
        return it->second == value;
    }
    if (m_used.count(value) != 0) {
        return false;
    }
    m_used.insert(value);
    m_byPod.emplace(std::string(podUid), value);
    if (value >= m_next) {
        m_next = value >= kLast ? kFirst : value + 1;
    }
    return true;
}

void PodIpAllocator::release(std::string_view podUid) {
    std::lock_guard lock(m_mutex);
    if (auto it = m_byPod.find(podUid); it != m_byPod.end()) {
        m_used.erase(it->second);
        m_byPod.erase(it);
    }
}

std::size_t PodIpAllocator::inUse() const {
    std::lock_guard lock(m_mutex);
    return m_used.size();
}

} // namespace sandbox
