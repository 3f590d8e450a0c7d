#pragma once
// The sandbox's address plan. Several sandboxes may run on one machine at once (ctest runs
// e2e tests in parallel, each with its own), so every running sandbox claims a block number
// N in 1..63 with an flock'ed file, ${XDG_RUNTIME_DIR:-/tmp}/forecast-sandbox-<uid>/blocks/N.lock,
// held while it runs, and takes its addresses from that block only:
//
//   pod IPs     127.N.0.2 - 127.N.255.254     (never .0 or .255 in the last octet)
//   ClusterIPs  127.(64+N).0.0/16             (127.(64+N).0.1 stays reserved, as the
//                                              `kubernetes` Service's address in a cluster)
//   node IP     --node-ip (default 127.0.0.1; "auto" picks 127.N.0.1)
//
// The block is recorded in the state directory, so a restarted sandbox takes the same
// block again (its pods and Services keep their addresses) unless another sandbox holds
// it meanwhile. Linux routes all of 127.0.0.0/8 to the loopback interface, so any of
// these addresses can be bound without configuring anything.

#include <rf/result.h>

#include <cstdint>
#include <filesystem>
#include <string>

namespace sandbox {

// An inclusive range of IPv4 addresses (host byte order).
struct Ipv4Range {
    std::uint32_t first = 0;
    std::uint32_t last = 0;

    bool contains(std::uint32_t ip) const { return ip >= first && ip <= last; }
};

std::string formatIpv4(std::uint32_t ip);
// Dotted quad only ("127.1.0.2"); false on anything else.
bool parseIpv4(const std::string &text, std::uint32_t &out);

class AddressPlan final {
public:
    static constexpr int kFirstBlock = 1;
    static constexpr int kLastBlock = 63;

    // Claims a free block, preferring the one recorded in `stateDir` (when not empty), and
    // records the claimed one there. `lockDir` empty: the per-user default above.
    static rf::Result<AddressPlan> claim(const std::filesystem::path &stateDir,
                                         const std::filesystem::path &lockDir = {});
    // ${XDG_RUNTIME_DIR:-/tmp}/forecast-sandbox-<uid>/blocks
    static std::filesystem::path defaultLockDir();

    // The plan of block `block` without claiming anything (tests, documentation).
    static AddressPlan forBlock(int block);

    AddressPlan(AddressPlan &&other) noexcept;
    AddressPlan &operator=(AddressPlan &&other) noexcept;
    AddressPlan(const AddressPlan &) = delete;
    AddressPlan &operator=(const AddressPlan &) = delete;
    ~AddressPlan();

    int block() const { return m_block; }
    bool claimed() const { return m_lockFd >= 0; }
    Ipv4Range podRange() const;
    // "127.(64+N).0.0/16"
    std::string serviceCidr() const;
    // 127.N.0.1: free in every plan, what `--node-ip auto` means.
    std::string blockNodeIp() const;

    // Gives the block up (closing the lock file); the destructor does it too.
    void release();

private:
    AddressPlan(int block, int lockFd)
        : m_block(block)
        , m_lockFd(lockFd) {}

    int m_block = 0;
    int m_lockFd = -1;
};

} // namespace sandbox
