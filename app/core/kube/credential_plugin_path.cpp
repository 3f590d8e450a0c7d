#include "kube/credential_plugin_path.h"

#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QMutexLocker>
#include <QProcess>
#include <QtDebug>

namespace dashboard {

namespace {

// Login scripts may print banners to stdout; markers let us pick PATH out of the noise.
constexpr char kBegin[] = "__RF_LOGIN_PATH_BEGIN__";
constexpr char kEnd[] = "__RF_LOGIN_PATH_END__";

QMutex &cacheMutex() {
    static QMutex mutex;
    return mutex;
}

QHash<QString, QStringList> &cache() {
    static QHash<QString, QStringList> entries;
    return entries;
}

QStringList splitPath(const QString &path) {
    QStringList out;
    for (const QString &entry : path.split(QLatin1Char(':'), Qt::SkipEmptyParts)) {
        if (!out.contains(entry)) {
            out << entry;
        }
    }
    return out;
}

QStringList askLoginShell(const QString &shell, const QProcessEnvironment &environment,
                          std::chrono::milliseconds timeout) {
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.setProgram(shell);
    process.setArguments({QStringLiteral("-l"), QStringLiteral("-c"),
                          QStringLiteral("printf '%s%s%s' '%1' \"$PATH\" '%2'")
                              .arg(QLatin1String(kBegin), QLatin1String(kEnd))});
    process.start();
    const int ms = static_cast<int>(timeout.count());
    if (!process.waitForStarted(ms)) {
        qWarning("credential plugins: login shell %s did not start: %s", qPrintable(shell),
                 qPrintable(process.errorString()));
        return {};
    }
    if (!process.waitForFinished(ms)) {
        qWarning("credential plugins: login shell %s did not answer within %lld ms; using the "
                 "process PATH",
                 qPrintable(shell), static_cast<long long>(timeout.count()));
        process.kill();
        process.waitForFinished(2000);
        return {};
    }
    const QString out = QString::fromLocal8Bit(process.readAllStandardOutput());
    const qsizetype begin = out.lastIndexOf(QLatin1String(kBegin));
    const qsizetype end = out.lastIndexOf(QLatin1String(kEnd));
    if (process.exitStatus() != QProcess::NormalExit || begin < 0 || end < begin) {
        qWarning("credential plugins: login shell %s gave no PATH (exit code %d)",
                 qPrintable(shell), process.exitCode());
        return {};
    }
    const qsizetype from = begin + qsizetype(sizeof(kBegin) - 1);
    return splitPath(out.mid(from, end - from));
}

} // namespace

QStringList CredentialPluginPath::searchPath(const QProcessEnvironment &environment,
                                             std::chrono::milliseconds timeout) {
    const QString shell = environment.value(QStringLiteral("SHELL"));
    QStringList login;
    if (!shell.isEmpty()) {
        const QString key = shell + QLatin1Char('\n') + environment.value(QStringLiteral("HOME"));
        // Held while the shell runs so concurrent first requests ask it only once; the
        // shell is bounded by the timeout and never calls back into us.
        QMutexLocker lock(&cacheMutex());
        auto it = cache().constFind(key);
        if (it == cache().constEnd()) {
            it = cache().insert(key, askLoginShell(shell, environment, timeout));
        }
        login = *it;
    }
    for (const QString &entry : splitPath(environment.value(QStringLiteral("PATH")))) {
        if (!login.contains(entry)) {
            login << entry;
        }
    }
    return login;
}

QString CredentialPluginPath::find(const QString &command, const QStringList &searchPath) {
    auto executable = [](const QString &path) {
        const QFileInfo info(path);
        return info.isFile() && info.isExecutable();
    };
    if (command.contains(QLatin1Char('/'))) {
        return executable(command) ? QFileInfo(command).absoluteFilePath() : QString();
    }
    for (const QString &dir : searchPath) {
        const QString candidate = dir + QLatin1Char('/') + command;
        if (executable(candidate)) {
            return QFileInfo(candidate).absoluteFilePath();
        }
    }
    return {};
}

void CredentialPluginPath::clearCache() {
    QMutexLocker lock(&cacheMutex());
    cache().clear();
}

} // namespace dashboard
