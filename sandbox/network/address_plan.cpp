#include "network/address_plan.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sandbox {

namespace {

constexpr const char *kRecordFile = "address-block";

std::uint32_t ipOf(unsigned a, unsigned b, unsigned c, unsigned d) {
    return (a << 24) | (b << 16) | (c << 8) | d;
}

std::optional<int> recordedBlock(const std::filesystem::path &stateDir) {
    if (stateDir.empty()) {
        return std::nullopt;
    }
    std::ifstream in(stateDir / kRecordFile);
    int block = 0;
    if (in >> block && block >= AddressPlan::kFirstBlock && block <= AddressPlan::kLastBlock) {
        return block;
    }
    return std::nullopt;
}

rf::Status record(const std::filesystem::path &stateDir, int block) {
    if (stateDir.empty()) {
        return rf::ok();
    }
    const std::filesystem::path file = stateDir / kRecordFile;
    const std::filesystem::path temp = stateDir / (std::string(kRecordFile) + ".tmp");
    {
        std::ofstream out(temp, std::ios::trunc);
        out << block << "\n";
        if (!out.flush()) {
            return rf::fail("cannot write " + temp.string());
        }
    }
    std::error_code ec;
    std::filesystem::rename(temp, file, ec);
    if (ec) {
        return rf::fail("cannot write " + file.string() + ": " + ec.message());
    }
    return rf::ok();
}

// A directory only this user can use: created 0700, refused when it is a symlink or
// somebody else's (a shared /tmp must not let another user hand us their lock files).
rf::Status ensurePrivateDir(const std::filesystem::path &dir) {
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
        return rf::fail("cannot create " + dir.string() + ": " + std::strerror(errno));
    }
    struct stat info {};
    if (::lstat(dir.c_str(), &info) != 0) {
        return rf::fail("cannot inspect " + dir.string() + ": " + std::strerror(errno));
    }
    if (!S_ISDIR(info.st_mode) || info.st_uid != ::getuid()) {
        return rf::fail(dir.string() + " is not a directory owned by this user; remove it or " +
                        "set XDG_RUNTIME_DIR");
    }
    return rf::ok();
}

// -1 when another process (or another AddressPlan of this one: flock locks belong to the
// open file) holds the block.
int tryLock(const std::filesystem::path &lockDir, int block, std::string &error) {
    const std::filesystem::path file = lockDir / (std::to_string(block) + ".lock");
    // O_CLOEXEC: pod processes the sandbox starts must not inherit (and keep) the claim.
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        error = "cannot open " + file.string() + ": " + std::strerror(errno);
        return -1;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK) {
            error = "cannot lock " + file.string() + ": " + std::strerror(errno);
        }
        ::close(fd);
        return -1;
    }
    // Who holds it, for whoever wonders (informative only; the lock is the claim).
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) {
        [[maybe_unused]] const ssize_t written = ::pwrite(fd, pid.data(), pid.size(), 0);
    }
    return fd;
}

} // namespace

std::string formatIpv4(std::uint32_t ip) {
    char buffer[20];
    std::snprintf(buffer, sizeof buffer, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xffu,
                  (ip >> 8) & 0xffu, ip & 0xffu);
    return buffer;
}

bool parseIpv4(const std::string &text, std::uint32_t &out) {
    unsigned part[4];
    std::size_t at = 0;
    for (int i = 0; i < 4; ++i) {
        if (i > 0) {
            if (at >= text.size() || text[at] != '.') {
                return false;
            }
            ++at;
        }
        std::size_t digits = 0;
        unsigned value = 0;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9' && digits < 3) {
            value = value * 10 + static_cast<unsigned>(text[at] - '0');
            ++at;
            ++digits;
        }
        if (digits == 0 || value > 255) {
            return false;
        }
        part[i] = value;
    }
    if (at != text.size()) {
        return false;
    }
    out = ipOf(part[0], part[1], part[2], part[3]);
    return true;
}

std::filesystem::path AddressPlan::defaultLockDir() {
    const char *runtime = std::getenv("XDG_RUNTIME_DIR");
    const std::filesystem::path root = runtime != nullptr && runtime[0] != '\0' ? runtime : "/tmp";
    return root / ("forecast-sandbox-" + std::to_string(::getuid())) / "blocks";
}

rf::Result<AddressPlan> AddressPlan::claim(const std::filesystem::path &stateDir,
                                           const std::filesystem::path &lockDir) {
    const std::filesystem::path dir = lockDir.empty() ? defaultLockDir() : lockDir;
    if (auto made = ensurePrivateDir(dir.parent_path()); !made.ok()) {
        return made.error();
    }
    if (auto made = ensurePrivateDir(dir); !made.ok()) {
        return made.error();
    }
    std::vector<int> order;
    const std::optional<int> preferred = recordedBlock(stateDir);
    if (preferred) {
        order.push_back(*preferred);
    }
    for (int block = kFirstBlock; block <= kLastBlock; ++block) {
        if (block != preferred) {
            order.push_back(block);
        }
    }
    std::string error;
    for (int block : order) {
        const int fd = tryLock(dir, block, error);
        if (fd < 0) {
            if (!error.empty()) {
                return rf::fail(error);
            }
            continue;
        }
        AddressPlan plan(block, fd);
        if (auto recorded = record(stateDir, block); !recorded.ok()) {
            return recorded.error();
        }
        return plan;
    }
    return rf::fail("all " + std::to_string(kLastBlock - kFirstBlock + 1) +
                    " address blocks are held by running sandboxes (lock files in " + dir.string() +
                    ")");
}

AddressPlan AddressPlan::forBlock(int block) {
    return AddressPlan(block, -1);
}

AddressPlan::AddressPlan(AddressPlan &&other) noexcept
    : m_block(other.m_block)
    , m_lockFd(other.m_lockFd) {
    other.m_lockFd = -1;
}

AddressPlan &AddressPlan::operator=(AddressPlan &&other) noexcept {
    if (this != &other) {
        release();
        m_block = other.m_block;
        m_lockFd = other.m_lockFd;
        other.m_lockFd = -1;
    }
    return *this;
}

AddressPlan::~AddressPlan() {
    release();
}

void AddressPlan::release() {
    if (m_lockFd >= 0) {
        ::close(m_lockFd); // closing the only descriptor drops the flock
        m_lockFd = -1;
    }
}

Ipv4Range AddressPlan::podRange() const {
    const auto n = static_cast<unsigned>(m_block);
    return {ipOf(127, n, 0, 2), ipOf(127, n, 255, 254)};
}

std::string AddressPlan::serviceCidr() const {
    return "127." + std::to_string(64 + m_block) + ".0.0/16";
}

std::string AddressPlan::blockNodeIp() const {
    return formatIpv4(ipOf(127, static_cast<unsigned>(m_block), 0, 1));
}

} // namespace sandbox
