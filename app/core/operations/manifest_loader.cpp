#include "operations/manifest_loader.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

namespace dashboard {

namespace {

// YAML 1.2 core schema for plain scalars; anything quoted or tagged !!str stays a string.
QJsonValue scalarValue(const YAML::Node &node) {
    const QString text = QString::fromStdString(node.Scalar());
    if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str") {
        return text;
    }
    static const QRegularExpression nullRe(QStringLiteral("^(~|null|Null|NULL|)$"));
    static const QRegularExpression boolRe(QStringLiteral("^(true|True|TRUE|false|False|FALSE)$"));
    static const QRegularExpression intRe(QStringLiteral("^[-+]?[0-9]+$"));
    static const QRegularExpression floatRe(
        QStringLiteral("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"));
    if (nullRe.match(text).hasMatch()) {
        return QJsonValue::Null;
    }
    if (boolRe.match(text).hasMatch()) {
        return text.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
    }
    if (intRe.match(text).hasMatch()) {
        bool ok = false;
        const qlonglong value = text.toLongLong(&ok);
        if (ok) {
            return value;
        }
    }
    if (floatRe.match(text).hasMatch()) {
        return text.toDouble();
    }
    return text;
}

QJsonValue toJson(const YAML::Node &node) {
    switch (node.Type()) {
    case YAML::NodeType::Map: {
        QJsonObject object;
        for (const auto &entry : node) {
            object.insert(QString::fromStdString(entry.first.as<std::string>()),
                          toJson(entry.second));
        }
        return object;
    }
    case YAML::NodeType::Sequence: {
        QJsonArray array;
        for (const auto &item : node) {
            array.append(toJson(item));
        }
        return array;
    }
    case YAML::NodeType::Scalar:
        return scalarValue(node);
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        break;
    }
    return QJsonValue::Null;
}

QString where(const QString &file, const YAML::Mark &mark) {
    return QStringLiteral("%1:%2:%3").arg(file).arg(mark.line + 1).arg(mark.column + 1);
}

} // namespace

rf::Result<QList<Manifest>> parseManifests(const QByteArray &text, const QString &file) {
    std::vector<YAML::Node> documents;
    try {
        documents = YAML::LoadAll(text.toStdString());
    } catch (const YAML::Exception &e) {
        return rf::fail(QStringLiteral("%1: %2")
                            .arg(where(file, e.mark), QString::fromStdString(e.msg))
                            .toStdString());
    }
    QList<Manifest> out;
    int index = 0;
    for (const YAML::Node &document : documents) {
        const int documentIndex = index++;
        if (document.IsNull()) {
            continue;
        }
        if (!document.IsMap()) {
            return rf::fail(QStringLiteral("%1: document %2 is not a Kubernetes object (a mapping "
                                           "with apiVersion and kind)")
                                .arg(where(file, document.Mark()))
                                .arg(documentIndex + 1)
                                .toStdString());
        }
        QJsonObject object;
        try {
            object = toJson(document).toObject();
        } catch (const YAML::Exception &e) {
            return rf::fail(QStringLiteral("%1: %2")
                                .arg(where(file, e.mark), QString::fromStdString(e.msg))
                                .toStdString());
        }
        QList<QJsonObject> objects;
        if (object.value(QLatin1String("kind")).toString().endsWith(QLatin1String("List")) &&
            object.value(QLatin1String("items")).isArray()) {
            for (const QJsonValue &item : object.value(QLatin1String("items")).toArray()) {
                objects << item.toObject();
            }
        } else {
            objects << object;
        }
        for (const QJsonObject &item : objects) {
            if (item.value(QLatin1String("apiVersion")).toString().isEmpty() ||
                item.value(QLatin1String("kind")).toString().isEmpty()) {
                return rf::fail(QStringLiteral("%1: document %2 has no apiVersion or kind")
                                    .arg(where(file, document.Mark()))
                                    .arg(documentIndex + 1)
                                    .toStdString());
            }
            if (item.value(QLatin1String("metadata"))
                    .toObject()
                    .value(QLatin1String("name"))
                    .toString()
                    .isEmpty()) {
                return rf::fail(QStringLiteral("%1: %2 in document %3 has no metadata.name")
                                    .arg(where(file, document.Mark()),
                                         item.value(QLatin1String("kind")).toString())
                                    .arg(documentIndex + 1)
                                    .toStdString());
            }
            out << Manifest{file, documentIndex, item};
        }
    }
    return out;
}

rf::Result<QList<Manifest>> loadManifests(const QString &directory) {
    const QDir dir(directory);
    if (!dir.exists()) {
        return rf::fail(
            QStringLiteral("the manifest folder %1 does not exist").arg(directory).toStdString());
    }
    const QStringList files =
        dir.entryList({QStringLiteral("*.yaml"), QStringLiteral("*.yml"), QStringLiteral("*.json")},
                      QDir::Files, QDir::Name);
    QList<Manifest> out;
    for (const QString &name : files) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly)) {
            return rf::fail(QStringLiteral("cannot read %1: %2")
                                .arg(file.fileName(), file.errorString())
                                .toStdString());
        }
        auto parsed = parseManifests(file.readAll(), name);
        if (!parsed.ok()) {
            return parsed.error();
        }
        out += parsed.value();
    }
    if (out.isEmpty()) {
        return rf::fail(QStringLiteral("no manifests in %1").arg(directory).toStdString());
    }
    return out;
}

} // namespace dashboard
