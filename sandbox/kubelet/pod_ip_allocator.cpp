#include "kubelet/pod_ip_allocator.h"

namespace sandbox {

namespace {

bool usableHost(std::uint32_t ip) {
    const std::uint32_t last = ip & 0xffu;
    return last != 0 && last != 255;
}

} // namespace

PodIpAllocator::PodIpAllocator()
    : PodIpAllocator(AddressPlan::forBlock(AddressPlan::kFirstBlock).podRange()) {}

PodIpAllocator::PodIpAllocator(Ipv4Range range)
    : m_range(range) {}

void PodIpAllocator::setRange(Ipv4Range range) {
    std::lock_guard lock(m_mutex);
    m_range = range;
    m_next = 0;
}

Ipv4Range PodIpAllocator::range() const {
    std::lock_guard lock(m_mutex);
    return m_range;
}

std::string PodIpAllocator::allocate(std::string_view podUid) {
    std::lock_guard lock(m_mutex);
    if (auto it = m_byPod.find(podUid); it != m_byPod.end()) {
        return formatIpv4(it->second);
    }
    if (m_next == 0 || !m_range.contains(m_next)) {
        m_next = m_range.first;
    }
    // Round-robin through the range so a freed address is not reused at once (a client
    // may still talk to the old pod's address).
    for (std::uint64_t tries = 0; tries <= std::uint64_t{m_range.last} - m_range.first; ++tries) {
        const std::uint32_t candidate = m_next;
        m_next = m_next >= m_range.last ? m_range.first : m_next + 1;
        if (usableHost(candidate) && m_used.count(candidate) == 0) {
            m_used.insert(candidate);
            m_byPod.emplace(std::string(podUid), candidate);
            return formatIpv4(candidate);
        }
    }
    return "127.0.0.1"; // 65,000 live pods: share the host address
}

bool PodIpAllocator::reserve(std::string_view podUid, const std::string &ip) {
    std::uint32_t value = 0;
    if (!parseIpv4(ip, value)) {
        return false;
    }
    std::lock_guard lock(m_mutex);
    if (!m_range.contains(value) || !usableHost(value)) {
        return false;
    }
    if (auto it = m_byPod.find(podUid); it != m_byPod.end()) {
        return it->second == value;
    }
    if (m_used.count(value) != 0) {
        return false;
    }
    m_used.insert(value);
    m_byPod.emplace(std::string(podUid), value);
    if (value >= m_next) {
        m_next = value >= m_range.last ? m_range.first : value + 1;
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
