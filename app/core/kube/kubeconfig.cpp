// Which files are read and in what order (clientcmd/loader.go ClientConfigLoadingRules).

#include "kube/kubeconfig.h"

#include "kube/kubeconfig_internal.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace dashboard {

namespace {

struct Candidate {
    QString path;
    bool mustExist = false;
};

QList<Candidate> candidates(const KubeconfigOptions &options) {
    if (!options.explicitPath.isEmpty()) {
        return {{QFileInfo(options.explicitPath).absoluteFilePath(), true}};
    }
    const QString list = options.environment.value(QStringLiteral("KUBECONFIG"));
    QList<Candidate> out;
    for (const QString &entry : list.split(QLatin1Char(':'), Qt::SkipEmptyParts)) {
        const QString path = QDir::cleanPath(QFileInfo(entry).absoluteFilePath());
        const bool seen =
            std::any_of(out.begin(), out.end(), [&](const Candidate &c) { return c.path == path; });
        if (!seen) {
            out.append({path, false});
        }
    }
    if (!out.isEmpty()) {
        return out;
    }
    QString home = options.environment.value(QStringLiteral("HOME"));
    if (home.isEmpty()) {
        home = QDir::homePath();
    }
    return {{QDir::cleanPath(home + QStringLiteral("/.kube/config")), false}};
}

} // namespace

Kubeconfig::Kubeconfig()
    : m_data(std::make_shared<const Data>()) {}
Kubeconfig::~Kubeconfig() = default;
Kubeconfig::Kubeconfig(const Kubeconfig &) = default;
Kubeconfig &Kubeconfig::operator=(const Kubeconfig &) = default;
Kubeconfig::Kubeconfig(Kubeconfig &&) noexcept = default;
Kubeconfig &Kubeconfig::operator=(Kubeconfig &&) noexcept = default;

rf::Result<Kubeconfig> Kubeconfig::load(const KubeconfigOptions &options) {
    auto data = std::make_shared<Data>();
    data->options = options;
    for (const Candidate &candidate : candidates(options)) {
        data->searched << candidate.path;
        QFile file(candidate.path);
        if (!file.exists()) {
            if (candidate.mustExist) {
                return rf::fail(QStringLiteral("kubeconfig file \"%1\" (--kubeconfig) does not "
                                               "exist")
                                    .arg(candidate.path)
                                    .toStdString());
            }
            continue; // missing KUBECONFIG entries and ~/.kube/config are skipped, as kubectl does
        }
        if (QFileInfo(candidate.path).isDir() || !file.open(QIODevice::ReadOnly)) {
            const QString why = QFileInfo(candidate.path).isDir() ? QStringLiteral("is a directory")
                                                                  : file.errorString();
            return rf::fail(QStringLiteral("error loading kubeconfig \"%1\": %2")
                                .arg(candidate.path, why)
                                .toStdString());
        }
        if (auto merged = kubeconfig_model::mergeFile(data->model, candidate.path, file.readAll());
            !merged.ok()) {
            return merged.error();
        }
    }
    Kubeconfig config;
    config.m_data = std::move(data);
    return config;
}

QStringList Kubeconfig::files() const {
    return m_data->model.files;
}

QList<ContextInfo> Kubeconfig::contexts() const {
    QList<ContextInfo> out;
    for (const auto &context : m_data->model.contexts) { // QMap: sorted by name
        out.append({context.name, context.cluster, context.user, context.namespaceName});
    }
    return out;
}

QString Kubeconfig::currentContext() const {
    return m_data->options.contextOverride.isEmpty() ? m_data->model.currentContext
                                                     : m_data->options.contextOverride;
}

QString Kubeconfig::Data::filesForMessages() const {
    if (model.files.isEmpty()) {
        return QStringLiteral("(no kubeconfig file found)");
    }
    return model.files.join(QStringLiteral(", "));
}

} // namespace dashboard
