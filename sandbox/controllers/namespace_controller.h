#pragma once
// Namespace controller: ResourceService deletes a namespace's contents at DELETE time, but
// objects that linger (finalizers, pods in their grace period) keep the namespace
// Terminating; this controller retries until the namespace is empty and gone.

#include "controllers/controller.h"

namespace sandbox {

class NamespaceController final : public Controller {
public:
    explicit NamespaceController(ResourceService &service, int workers = 1);
    ~NamespaceController() override;

protected:
    SyncResult sync(const std::string &key) override;

private:
    const ResourceType &m_namespaceType;
};

} // namespace sandbox
