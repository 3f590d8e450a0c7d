#include "kubelet/container_log_tail.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sandbox {

void ContainerLogTail::poll(const std::function<void(std::string_view)> &line, bool flushPartial) {
    if (m_file.empty()) {
        return;
    }
    const int fd = ::open(m_file.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        return;
    }
    struct stat st {};
    if (::fstat(fd, &st) == 0 && static_cast<std::uint64_t>(st.st_size) < m_offset) {
        m_offset = 0; // truncated by someone else: start over
    }
    char buffer[64 * 1024];
    for (;;) {
        const ssize_t got = ::pread(fd, buffer, sizeof buffer, static_cast<off_t>(m_offset));
        if (got <= 0) {
            break;
        }
        m_offset += static_cast<std::uint64_t>(got);
        std::string_view chunk(buffer, static_cast<std::size_t>(got));
        while (!chunk.empty()) {
            const auto newline = chunk.find('\n');
            if (newline == std::string_view::npos) {
                m_partial.append(chunk);
                if (m_partial.size() >= kMaxLine) {
                    line(m_partial);
                    m_partial.clear();
                }
                break;
            }
            m_partial.append(chunk.substr(0, newline));
            line(m_partial);
            m_partial.clear();
            chunk.remove_prefix(newline + 1);
        }
    }
    if (flushPartial && !m_partial.empty()) {
        line(m_partial);
        m_partial.clear();
    }
    if (m_offset > kTruncateAbove && ::fstat(fd, &st) == 0 &&
        static_cast<std::uint64_t>(st.st_size) == m_offset && ::ftruncate(fd, 0) == 0) {
        m_offset = 0;
    }
    ::close(fd);
}

} // namespace sandbox
