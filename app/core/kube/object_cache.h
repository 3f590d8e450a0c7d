#pragma once
// The objects an informer holds, keyed "namespace/name" (client-go's MetaNamespaceKey),
// and the net change since the last take: a key added then deleted in the same turn is
// no change at all, deleted then added again is an update.

#include <QHash>
#include <QJsonObject>
#include <QStringList>

namespace dashboard {

struct CacheChanges {
    QStringList added;
    QStringList updated;
    QStringList removed;
    bool isEmpty() const { return added.isEmpty() && updated.isEmpty() && removed.isEmpty(); }
};

class ObjectCache final {
public:
    static QString keyOf(const QJsonObject &object);

    const QHash<QString, QJsonObject> &items() const { return m_items; }
    QJsonObject value(const QString &key) const { return m_items.value(key); }
    bool contains(const QString &key) const { return m_items.contains(key); }
    int size() const { return static_cast<int>(m_items.size()); }

    void upsert(const QJsonObject &object);
    void remove(const QJsonObject &object);
    // A fresh list: objects missing from it are removed, unchanged ones (same
    // resourceVersion) are not reported.
    void replaceAll(const QList<QJsonObject> &objects);

    bool hasChanges() const { return !m_pending.isEmpty(); }
    CacheChanges takeChanges();

private:
    enum class Change { Added, Updated, Removed };
    void note(const QString &key, Change change);

    QHash<QString, QJsonObject> m_items;
    QHash<QString, Change> m_pending;
};

} // namespace dashboard
