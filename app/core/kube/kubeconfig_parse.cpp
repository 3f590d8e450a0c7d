// Reading one kubeconfig file into the merged model (clientcmd/api/v1 types, loader.go's
// merge and ResolvePaths). Type errors carry the line and column of the offending node.

#include "kube/kubeconfig_model.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

namespace dashboard::kubeconfig_model {

namespace {

const char kExecExtension[] = "client.authentication.k8s.io/exec";

// Thrown only inside this file, caught in mergeFile and turned into an rf::Error.
struct FieldError {
    YAML::Mark mark;
    std::string message;
};

[[noreturn]] void fail(const YAML::Node &node, const std::string &message) {
    throw FieldError{node.Mark(), message};
}

QString text(const YAML::Node &node, const char *field) {
    if (!node || node.IsNull()) {
        return {};
    }
    if (!node.IsScalar()) {
        fail(node, std::string(field) + ": expected a string");
    }
    return QString::fromStdString(node.Scalar());
}

bool flag(const YAML::Node &node, const char *field) {
    if (!node || node.IsNull()) {
        return false;
    }
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
        fail(node, std::string(field) + ": expected true or false");
    }
    return value;
}

QStringList strings(const YAML::Node &node, const char *field) {
    QStringList out;
    if (!node || node.IsNull()) {
        return out;
    }
    if (!node.IsSequence()) {
        fail(node, std::string(field) + ": expected a list of strings");
    }
    for (const YAML::Node &item : node) {
        out << text(item, field);
    }
    return out;
}

QByteArray base64(const YAML::Node &node, const char *field) {
    QByteArray encoded = text(node, field).toLatin1();
    encoded.replace('\n', "").replace('\r', "").replace(' ', "");
    if (encoded.isEmpty()) {
        return {};
    }
    auto decoded = QByteArray::fromBase64Encoding(encoded, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        // Never echo the value: it may be a private key.
        fail(node, std::string(field) + ": not valid base64");
    }
    return *decoded;
}

const YAML::Node mapping(const YAML::Node &node, const char *field) {
    if (node && !node.IsNull() && !node.IsMap()) {
        fail(node, std::string(field) + ": expected a mapping");
    }
    return node;
}

// Relative paths are relative to the folder of the file that defined them (loader.go
// ResolvePaths); kubectl does not expand "~".
QString resolve(const QString &dir, const QString &path) {
    if (path.isEmpty() || QDir::isAbsolutePath(path)) {
        return path;
    }
    return QDir::cleanPath(dir + QLatin1Char('/') + path);
}

QJsonValue toJson(const YAML::Node &node) {
    switch (node.Type()) {
    case YAML::NodeType::Map: {
        QJsonObject object;
        for (const auto &entry : node) {
            object.insert(QString::fromStdString(entry.first.Scalar()), toJson(entry.second));
        }
        return object;
    }
    case YAML::NodeType::Sequence: {
        QJsonArray array;
        for (const YAML::Node &item : node) {
            array.append(toJson(item));
        }
        return array;
    }
    case YAML::NodeType::Scalar: {
        const QString value = QString::fromStdString(node.Scalar());
        if (node.Tag() == "!") { // quoted: always a string
            return value;
        }
        static const QRegularExpression integer(QStringLiteral("^[-+]?[0-9]+$"));
        static const QRegularExpression real(
            QStringLiteral("^[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?$"));
        if (value == QLatin1String("true") || value == QLatin1String("false")) {
            return value == QLatin1String("true");
        }
        if (value == QLatin1String("null") || value == QLatin1String("~")) {
            return QJsonValue::Null;
        }
        if (integer.match(value).hasMatch() || real.match(value).hasMatch()) {
            return value.toDouble();
        }
        return value;
    }
    default:
        return QJsonValue::Null;
    }
}

template <class Entry, class Fill>
void mergeNamed(QMap<QString, Entry> &into, const YAML::Node &list, const char *field,
                const char *body, const QString &file, Fill fill) {
    if (!list || list.IsNull()) {
        return;
    }
    if (!list.IsSequence()) {
        fail(list, std::string(field) + ": expected a list of {name, " + body + "} entries");
    }
    for (const YAML::Node &item : list) {
        if (!item.IsMap()) {
            fail(item, std::string(field) + ": expected {name, " + body + "}");
        }
        const QString name = text(item["name"], "name");
        // The first file (and the first entry) defining a name wins the whole entry.
        if (name.isEmpty() || into.contains(name)) {
            continue;
        }
        Entry entry;
        entry.name = name;
        entry.file = file;
        fill(entry, mapping(item[body], body));
        into.insert(name, entry);
    }
}

void fillCluster(Cluster &c, const YAML::Node &n, const QString &dir) {
    if (!n || n.IsNull()) {
        return;
    }
    c.server = text(n["server"], "server");
    c.certificateAuthority =
        resolve(dir, text(n["certificate-authority"], "certificate-authority"));
    c.certificateAuthorityData =
        base64(n["certificate-authority-data"], "certificate-authority-data");
    c.insecureSkipTlsVerify = flag(n["insecure-skip-tls-verify"], "insecure-skip-tls-verify");
    c.tlsServerName = text(n["tls-server-name"], "tls-server-name");
    c.proxyUrl = text(n["proxy-url"], "proxy-url");
    c.disableCompression = flag(n["disable-compression"], "disable-compression");
    const YAML::Node extensions = n["extensions"];
    if (extensions && extensions.IsSequence()) {
        for (const YAML::Node &extension : extensions) {
            if (extension.IsMap() && text(extension["name"], "name") == kExecExtension &&
                extension["extension"]) {
                const QJsonValue json = toJson(extension["extension"]);
                c.execExtensionJson =
                    json.isArray() ? QJsonDocument(json.toArray()).toJson(QJsonDocument::Compact)
                                   : QJsonDocument(json.toObject()).toJson(QJsonDocument::Compact);
            }
        }
    }
}

ExecPluginConfig parseExec(const YAML::Node &n, const QString &dir) {
    ExecPluginConfig exec;
    exec.apiVersion = text(n["apiVersion"], "exec.apiVersion");
    exec.command = text(n["command"], "exec.command");
    if (exec.command.contains(QLatin1Char('/'))) {
        exec.command = resolve(dir, exec.command);
    }
    exec.args = strings(n["args"], "exec.args");
    const YAML::Node env = n["env"];
    if (env && !env.IsNull()) {
        if (!env.IsSequence()) {
            fail(env, "exec.env: expected a list of {name, value}");
        }
        for (const YAML::Node &item : env) {
            if (!item.IsMap()) {
                fail(item, "exec.env: expected {name, value}");
            }
            exec.env.append(
                {text(item["name"], "exec.env.name"), text(item["value"], "exec.env.value")});
        }
    }
    exec.interactiveMode = text(n["interactiveMode"], "exec.interactiveMode");
    exec.provideClusterInfo = flag(n["provideClusterInfo"], "exec.provideClusterInfo");
    exec.installHint = text(n["installHint"], "exec.installHint");
    return exec;
}

void fillUser(User &u, const YAML::Node &n, const QString &dir) {
    if (!n || n.IsNull()) {
        return;
    }
    u.clientCertificate = resolve(dir, text(n["client-certificate"], "client-certificate"));
    u.clientCertificateData = base64(n["client-certificate-data"], "client-certificate-data");
    u.clientKey = resolve(dir, text(n["client-key"], "client-key"));
    u.clientKeyData = base64(n["client-key-data"], "client-key-data");
    u.token = text(n["token"], "token").toUtf8();
    u.tokenFile = resolve(dir, text(n["tokenFile"], "tokenFile"));
    u.username = text(n["username"], "username");
    u.password = text(n["password"], "password").toUtf8();
    u.impersonate = text(n["as"], "as");
    u.impersonateUid = text(n["as-uid"], "as-uid");
    u.impersonateGroups = strings(n["as-groups"], "as-groups");
    const YAML::Node extra = mapping(n["as-user-extra"], "as-user-extra");
    if (extra && extra.IsMap()) {
        for (const auto &entry : extra) {
            u.impersonateExtra.insert(QString::fromStdString(entry.first.Scalar()),
                                      strings(entry.second, "as-user-extra"));
        }
    }
    if (const YAML::Node exec = mapping(n["exec"], "exec"); exec && exec.IsMap()) {
        u.exec = parseExec(exec, dir);
    }
    if (const YAML::Node provider = mapping(n["auth-provider"], "auth-provider");
        provider && provider.IsMap()) {
        u.authProvider = text(provider["name"], "auth-provider.name");
        if (u.authProvider.isEmpty()) {
            u.authProvider = QStringLiteral("(unnamed)");
        }
    }
}

void fillContext(Context &c, const YAML::Node &n) {
    if (!n || n.IsNull()) {
        return;
    }
    c.cluster = text(n["cluster"], "cluster");
    c.user = text(n["user"], "user");
    c.namespaceName = text(n["namespace"], "namespace");
}

QString located(const QString &path, const YAML::Mark &mark, const std::string &message) {
    // yaml-cpp counts from 0; editors and kubectl count from 1.
    return QStringLiteral("error loading kubeconfig \"%1\": line %2, column %3: %4")
        .arg(path)
        .arg(mark.line + 1)
        .arg(mark.column + 1)
        .arg(QString::fromStdString(message));
}

} // namespace

rf::Status mergeFile(Model &model, const QString &path, const QByteArray &bytes) {
    const QString dir = QFileInfo(path).absolutePath();
    try {
        const YAML::Node root = YAML::Load(bytes.toStdString());
        if (!root || root.IsNull()) {
            model.files << path; // an empty file is an empty config
            return rf::ok();
        }
        if (!root.IsMap()) {
            fail(root, "not a kubeconfig: expected a mapping with clusters, users and contexts");
        }
        // Parse into a copy so a file with an error contributes nothing.
        Model merged = model;
        mergeNamed(merged.clusters, root["clusters"], "clusters", "cluster", path,
                   [&](Cluster &c, const YAML::Node &n) { fillCluster(c, n, dir); });
        mergeNamed(merged.users, root["users"], "users", "user", path,
                   [&](User &u, const YAML::Node &n) { fillUser(u, n, dir); });
        mergeNamed(merged.contexts, root["contexts"], "contexts", "context", path,
                   [&](Context &c, const YAML::Node &n) { fillContext(c, n); });
        if (merged.currentContext.isEmpty()) {
            merged.currentContext = text(root["current-context"], "current-context");
        }
        merged.files << path;
        model = std::move(merged);
        return rf::ok();
    } catch (const FieldError &error) {
        return rf::fail(located(path, error.mark, error.message).toStdString());
    } catch (const YAML::Exception &error) {
        return rf::fail(located(path, error.mark, error.msg).toStdString());
    }
}

} // namespace dashboard::kubeconfig_model
