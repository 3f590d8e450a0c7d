#pragma once
// Shared by the test_kubeconfig_*.cpp suites: fixture paths, an environment that does not
// leak the developer's own KUBECONFIG, HOME or SHELL into the tests, and file helpers.

#include "kube/kubeconfig.h"

#include <QDir>
#include <QFile>
#include <QProcessEnvironment>
#include <QString>

namespace kubeconfig_test {

inline QString fixture(const QString &relative) {
    return QStringLiteral(RF_APP_TESTDATA "/kubeconfig/") + relative;
}

// HOME points at `home`, PATH at the system folders, nothing else.
inline QProcessEnvironment cleanEnvironment(const QString &home) {
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("HOME"), home);
    environment.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin"));
    return environment;
}

inline void writeFile(const QString &path, const QByteArray &content, bool executable = false) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        qFatal("cannot write %s", qPrintable(path));
    }
    file.write(content);
    file.close();
    if (executable) {
        file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                            QFile::ReadGroup | QFile::ExeGroup);
    }
}

inline QByteArray readFile(const QString &path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

inline dashboard::KubeconfigOptions explicitFile(const QString &path, const QString &home) {
    dashboard::KubeconfigOptions options;
    options.explicitPath = path;
    options.environment = cleanEnvironment(home);
    return options;
}

} // namespace kubeconfig_test
