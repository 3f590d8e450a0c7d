#pragma once
// Events expire: the real API server stores them with a one-hour TTL (--event-ttl). This
// controller sweeps core/v1 Events whose lastTimestamp is older than the TTL, so a
// sandbox left running for a class does not grow without bound.

#include "controllers/controller.h"

namespace sandbox {

class EventTtlController final : public Controller {
public:
    explicit EventTtlController(ResourceService &service,
                                std::chrono::seconds ttl = std::chrono::hours(1));
    ~EventTtlController() override;

    void startSweeping(); // start() plus the first sweep

protected:
    SyncResult sync(const std::string &key) override;

private:
    const ResourceType &m_eventType;
    std::chrono::seconds m_ttl;
};

} // namespace sandbox
