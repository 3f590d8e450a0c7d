#pragma once
// The open connections of one I/O thread and their deadlines. One timer per thread wakes a
// few times a second and closes every connection whose deadline has passed, instead of a
// timer armed and cancelled around every read and write: on a keep-alive connection that
// was three timer-queue updates per request for a deadline that almost never fires.
// Used only from the thread that runs its io_context. Includes Asio: transport sources only.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

namespace forecast::http {

class Session;

class ConnectionSweep final {
public:
    using Clock = std::chrono::steady_clock;

    // `period` bounds how late a deadline is enforced.
    ConnectionSweep(boost::asio::io_context &ioc, Clock::duration period);
    ConnectionSweep(const ConnectionSweep &) = delete;
    ConnectionSweep &operator=(const ConnectionSweep &) = delete;

    void add(Session &session);
    void remove(Session &session);
    std::size_t size() const { return m_sessions.size(); }

    // Destroys the timer; call before the io_context is destroyed (sessions destroyed with
    // the io_context's pending handlers still remove themselves from this object).
    void releaseTimer();

private:
    void arm();
    void sweep();

    std::vector<Session *> m_sessions; // each session knows its index (swap-and-pop removal)
    std::optional<boost::asio::steady_timer> m_timer;
    Clock::duration m_period;
    bool m_armed = false;
};

} // namespace forecast::http
