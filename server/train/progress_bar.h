#pragma once
// A one-line progress bar redrawn in place; silent when the stream is not a terminal, so
// logs and pipes get no control characters.

#include <chrono>
#include <cstdio>
#include <string>

namespace forecast {

class ProgressBar final {
public:
    ProgressBar(std::FILE *stream, std::string label);
    ~ProgressBar();
    ProgressBar(const ProgressBar &) = delete;
    ProgressBar &operator=(const ProgressBar &) = delete;

    bool enabled() const { return m_enabled; }
    void update(std::size_t done, std::size_t total);
    // Clears the line so the next output starts clean.
    void finish();

private:
    std::FILE *m_stream;
    std::string m_label;
    bool m_enabled;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_lastDraw;
};

} // namespace forecast
