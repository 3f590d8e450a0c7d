#include "progress_bar.h"

#include <unistd.h>

namespace forecast {

ProgressBar::ProgressBar(std::FILE *stream, std::string label)
    : m_stream(stream)
    , m_label(std::move(label))
    , m_enabled(::isatty(fileno(stream)) == 1)
    , m_start(std::chrono::steady_clock::now())
    , m_lastDraw(m_start) {}

ProgressBar::~ProgressBar() {
    finish();
}

void ProgressBar::update(std::size_t done, std::size_t total) {
    if (!m_enabled || total == 0) {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    // Redrawing costs a write syscall: at most ~20 per second, plus the final state.
    if (done < total && m_drawn && now - m_lastDraw < std::chrono::milliseconds(50)) {
        return;
    }
    m_lastDraw = now;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(kWidth * done / total);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(kWidth - filled), '.');
    const double seconds = std::chrono::duration<double>(now - m_start).count();
    std::fprintf(m_stream, "\r%s [%s] %zu/%zu %.1fs", m_label.c_str(), bar.c_str(), done, total,
                 seconds);
    std::fflush(m_stream);
    m_drawn = true;
}

void ProgressBar::finish() {
    if (m_enabled && m_drawn) {
        std::fprintf(m_stream, "\r\033[K");
        std::fflush(m_stream);
        m_drawn = false;
    }
}

} // namespace forecast
