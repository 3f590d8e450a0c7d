#pragma once
// Private to the kubeconfig implementation files: the definition of Kubeconfig::Data.

#include "kube/kubeconfig.h"
#include "kube/kubeconfig_model.h"

namespace dashboard {

struct Kubeconfig::Data {
    kubeconfig_model::Model model;
    KubeconfigOptions options;
    QStringList searched; // the candidate files, for "nothing found" messages

    QString filesForMessages() const;
};

} // namespace dashboard
