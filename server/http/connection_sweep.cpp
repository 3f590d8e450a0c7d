#include "http/connection_sweep.h"

#include "http/session.h"

namespace forecast::http {

ConnectionSweep::ConnectionSweep(boost::asio::io_context &ioc, Clock::duration period)
    : m_timer(std::in_place, ioc)
    , m_period(period) {}

void ConnectionSweep::add(Session &session) {
    session.m_sweepIndex = m_sessions.size();
    m_sessions.push_back(&session);
    if (!m_armed) {
        arm();
    }
}

void ConnectionSweep::remove(Session &session) {
    const std::size_t index = session.m_sweepIndex;
    if (index == Session::kNotSwept) {
        // Already removed when its connection closed (a session's last reference may then be
        // dropped on another thread, which must not touch the vector), or never added.
        return;
    }
    m_sessions[index] = m_sessions.back();
    m_sessions[index]->m_sweepIndex = index;
    m_sessions.pop_back();
    session.m_sweepIndex = Session::kNotSwept;
}

void ConnectionSweep::releaseTimer() {
    m_timer.reset();
    m_armed = false;
}

void ConnectionSweep::arm() {
    if (!m_timer) {
        return;
    }
    m_armed = true;
    m_timer->expires_after(m_period);
    m_timer->async_wait([this](const boost::system::error_code &ec) {
        m_armed = false;
        if (!ec) {
            sweep();
        }
    });
}

void ConnectionSweep::sweep() {
    const auto now = Clock::now();
    // timeOut() only closes the socket; the session is destroyed later, from its aborted
    // operation's handler, so the vector does not change under this loop.
    for (Session *session : m_sessions) {
        if (session->deadline() <= now) {
            session->timeOut();
        }
    }
    if (!m_sessions.empty()) {
        arm(); // an idle server (no connections) has no timer running
    }
}

} // namespace forecast::http
