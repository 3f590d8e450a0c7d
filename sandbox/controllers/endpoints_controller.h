#pragma once
// Endpoints controller (pkg/controller/endpoint): for every Service with a selector, an
// Endpoints object of the same name whose subsets list the selected pods' IPs — ready pods
// under addresses, the others under notReadyAddresses (all under addresses with
// publishNotReadyAddresses) — with ports resolved per pod (numeric or named targetPort)
// and a targetRef to each pod. Services without a selector keep user-managed Endpoints.

#include "controllers/controller.h"

#include <map>
#include <mutex>
#include <set>

namespace sandbox {

class EndpointsController final : public Controller {
public:
    explicit EndpointsController(ResourceService &service, int workers = 2);
    ~EndpointsController() override;

protected:
    SyncResult sync(const std::string &key) override;

private:
    const ResourceType &m_serviceType;
    const ResourceType &m_podType;
    const ResourceType &m_endpointsType;
    // namespace -> names of Services with a selector, from Service watch events: a pod
    // event wakes the Services of its namespace without reading the store.
    std::mutex m_indexMutex;
    std::map<std::string, std::set<std::string>> m_selecting;
};

// The Endpoints subsets for a Service and candidate pods (pure; sorted, grouped by port set).
boost::json::array computeEndpointSubsets(const boost::json::object &service,
                                          const std::vector<boost::json::object> &pods);

} // namespace sandbox
