#include "cli/secure_files.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace sandbox {

rf::Status writeFileAtomic(const std::filesystem::path &path, std::string_view content,
                           unsigned mode) {
    std::filesystem::path temp = path;
    temp += ".tmp." + std::to_string(::getpid());
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) {
        return rf::fail("cannot write " + temp.string() + ": " + std::strerror(errno));
    }
    // The umask may have narrowed the mode; a secret must not end up wider than asked.
    ::fchmod(fd, mode);
    const char *data = content.data();
    std::size_t left = content.size();
    while (left > 0) {
        ssize_t n = ::write(fd, data, left);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            std::string reason = std::strerror(errno);
            ::close(fd);
            ::unlink(temp.c_str());
            return rf::fail("cannot write " + temp.string() + ": " + reason);
        }
        data += n;
        left -= static_cast<std::size_t>(n);
    }
    ::fsync(fd);
    ::close(fd);
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        std::string reason = std::strerror(errno);
        ::unlink(temp.c_str());
        return rf::fail("cannot move " + temp.string() + " to " + path.string() + ": " + reason);
    }
    return rf::ok();
}

rf::Result<std::string> readFile(const std::filesystem::path &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return rf::fail("cannot read " + path.string() + ": " + std::strerror(errno));
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

rf::Status ensurePrivateDirectory(const std::filesystem::path &path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return rf::ok();
    }
    std::filesystem::create_directories(path, ec);
    if (ec) {
        return rf::fail("cannot create directory " + path.string() + ": " + ec.message());
    }
    ::chmod(path.c_str(), 0700);
    return rf::ok();
}

} // namespace sandbox
