#include "http/server_context.h"

namespace forecast::http {

void SessionRegistry::add(Session *session, std::weak_ptr<Session> handle) {
    std::lock_guard lock(m_mutex);
    m_sessions.emplace(session, std::move(handle));
}

void SessionRegistry::remove(Session *session) {
    std::lock_guard lock(m_mutex);
    m_sessions.erase(session);
}

std::vector<std::shared_ptr<Session>> SessionRegistry::live() const {
    std::vector<std::shared_ptr<Session>> out;
    std::lock_guard lock(m_mutex);
    out.reserve(m_sessions.size());
    for (const auto &[raw, handle] : m_sessions) {
        if (auto session = handle.lock()) {
            out.push_back(std::move(session));
        }
    }
    return out;
}

} // namespace forecast::http
