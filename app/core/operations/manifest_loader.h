#pragma once
// Reads Kubernetes manifests the way `kubectl apply -f DIR` does: the directory's *.yaml,
// *.yml and *.json files in name order, each file split into its YAML documents, empty
// documents skipped, `kind: List` expanded. YAML scalars are typed by the core schema
// (quoted scalars stay strings). Errors name the file, line and column.

#include <rf/result.h>

#include <QJsonObject>
#include <QList>
#include <QString>

namespace dashboard {

struct Manifest {
    QString file;     // the file it came from (for messages)
    int document = 0; // 0-based document index in that file
    QJsonObject object;
};

// `directory` may be a Qt resource path (":/manifests/k8s").
rf::Result<QList<Manifest>> loadManifests(const QString &directory);
// One file's documents (YAML or JSON).
rf::Result<QList<Manifest>> parseManifests(const QByteArray &text, const QString &file);

} // namespace dashboard
