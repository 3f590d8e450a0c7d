#pragma once
// Pod IPs from the sandbox's loopback block (network/address_plan.h: 127.N.0.2 -
// 127.N.255.254, never .0 or .255 in the last octet): each pod gets its own address, so with
// the process runtime every replica can listen on its containerPort like a real pod, and
// sandboxes running side by side (each with its own block) never hand out the same one.

#include "network/address_plan.h"

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace sandbox {

class PodIpAllocator final {
public:
    // Block 1 of the address plan unless told otherwise.
    PodIpAllocator();
    explicit PodIpAllocator(Ipv4Range range);

    // Changes the range new addresses come from (the sandbox sets its claimed block before
    // the kubelet starts). Addresses already handed out stay with their pods.
    void setRange(Ipv4Range range);
    Ipv4Range range() const;

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
    Ipv4Range m_range;
    std::uint32_t m_next = 0;
};

} // namespace sandbox
