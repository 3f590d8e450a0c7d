#pragma once
// Pod IPs from the loopback range 127.1.0.1 - 127.63.255.254 (never .0 or .255 in the last
// octet, never 127.0.0.x, which the host uses): each pod gets its own address, so with the
// process runtime every replica can listen on its containerPort like a real pod. Other
// sandbox parts take loopback addresses from 127.64.0.0 upwards (ClusterIPs).

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace sandbox {

class PodIpAllocator final {
public:
    // The pod's address (the same one on every call until release).
    std::string allocate(std::string_view podUid);
    // Keeps an address a pod already has (after a restart of the sandbox). False when the
    // address is outside the range or taken by another pod.
    bool reserve(std::string_view podUid, const std::string &ip);
    void release(std::string_view podUid);
    std::size_t inUse() const;

private:
    mutable std::mutex m_mutex;
    std::map<std::string, std::uint32_t, std::less<>> m_byPod;
    std::set<std::uint32_t> m_used;
    std::uint32_t m_next = 0;
};

} // namespace sandbox
