#include "kube/object_cache.h"

#include <QSet>

namespace dashboard {

namespace {

QString resourceVersionOf(const QJsonObject &object) {
    return object.value(QLatin1String("metadata"))
        .toObject()
        .value(QLatin1String("resourceVersion"))
        .toString();
}

} // namespace

QString ObjectCache::keyOf(const QJsonObject &object) {
    const QJsonObject metadata = object.value(QLatin1String("metadata")).toObject();
    const QString name = metadata.value(QLatin1String("name")).toString();
    const QString ns = metadata.value(QLatin1String("namespace")).toString();
    return ns.isEmpty() ? name : ns + QLatin1Char('/') + name;
}

void ObjectCache::note(const QString &key, Change change) {
    auto it = m_pending.find(key);
    if (it == m_pending.end()) {
        m_pending.insert(key, change);
        return;
    }
    const Change before = it.value();
    if (before == Change::Added && change == Change::Removed) {
        m_pending.erase(it); // came and went within one turn
    } else if (before == Change::Added) {
        // still an addition for whoever reads next
    } else if (before == Change::Removed && change == Change::Added) {
        it.value() = Change::Updated;
    } else {
        it.value() = change;
    }
}

void ObjectCache::upsert(const QJsonObject &object) {
    const QString key = keyOf(object);
    auto it = m_items.find(key);
    if (it == m_items.end()) {
        m_items.insert(key, object);
        note(key, Change::Added);
        return;
    }
    it.value() = object;
    note(key, Change::Updated);
}

void ObjectCache::remove(const QJsonObject &object) {
    const QString key = keyOf(object);
    if (m_items.remove(key) > 0) {
        note(key, Change::Removed);
    }
}

void ObjectCache::replaceAll(const QList<QJsonObject> &objects) {
    QSet<QString> seen;
    seen.reserve(objects.size());
    for (const QJsonObject &object : objects) {
        const QString key = keyOf(object);
        seen.insert(key);
        auto it = m_items.find(key);
        if (it == m_items.end()) {
            m_items.insert(key, object);
            note(key, Change::Added);
        } else if (resourceVersionOf(it.value()) != resourceVersionOf(object)) {
            it.value() = object;
            note(key, Change::Updated);
        }
    }
    for (auto it = m_items.begin(); it != m_items.end();) {
        if (seen.contains(it.key())) {
            ++it;
            continue;
        }
        note(it.key(), Change::Removed);
        it = m_items.erase(it);
    }
}

CacheChanges ObjectCache::takeChanges() {
    CacheChanges changes;
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it) {
        switch (it.value()) {
        case Change::Added:
            changes.added.append(it.key());
            break;
        case Change::Updated:
            changes.updated.append(it.key());
            break;
        case Change::Removed:
            changes.removed.append(it.key());
            break;
        }
    }
    m_pending.clear();
    changes.added.sort();
    changes.updated.sort();
    changes.removed.sort();
    return changes;
}

} // namespace dashboard
