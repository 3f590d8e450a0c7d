#pragma once
// Follows a container's log file (its stdout and stderr are appended there instead of to a
// pipe, so a restarted sandbox can pick up the output of a process it adopted) and hands
// complete lines to the caller. The file is truncated once everything in it has been read
// and it has grown past a bound, as a log rotation would; the writer appends (O_APPEND), so
// it keeps writing at the new end.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace sandbox {

class ContainerLogTail final {
public:
    static constexpr std::uint64_t kTruncateAbove = 8u * 1024 * 1024;
    static constexpr std::size_t kMaxLine = 64 * 1024; // longer lines are split

    ContainerLogTail() = default;
    explicit ContainerLogTail(std::filesystem::path file, std::uint64_t offset = 0)
        : m_file(std::move(file))
        , m_offset(offset) {}

    // Reads what was appended since the last call; `line` gets each complete line (without
    // the newline). With `flushPartial` (the writer has exited) a last unterminated line is
    // delivered too.
    void poll(const std::function<void(std::string_view line)> &line, bool flushPartial = false);
    const std::filesystem::path &file() const { return m_file; }

private:
    std::filesystem::path m_file;
    std::uint64_t m_offset = 0;
    std::string m_partial;
};

} // namespace sandbox
