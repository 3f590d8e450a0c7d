#pragma once
// Finds credential plugins (gke-gcloud-auth-plugin, aws, kubelogin, ...) the way the user's
// terminal would. A dashboard started from a desktop menu inherits the session's minimal
// PATH, not the one the login shell builds from ~/.profile, so plugins installed under
// ~/google-cloud-sdk/bin or /opt/homebrew/bin are not found (the known Lens failure). We ask
// the login shell once (`$SHELL -l -c`, bounded by a timeout) and search its PATH first,
// then the process PATH.

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <chrono>

namespace dashboard {

class CredentialPluginPath final {
public:
    static constexpr std::chrono::milliseconds kShellTimeout{10000};

    // The login shell's PATH entries followed by the environment's own PATH entries not
    // already listed. The shell runs at most once per (SHELL, HOME) for the process
    // lifetime; a shell that fails or hangs contributes nothing.
    static QStringList searchPath(const QProcessEnvironment &environment,
                                  std::chrono::milliseconds timeout = kShellTimeout);

    // The absolute path of `command` (a bare name looked up in searchPath(), or a path
    // containing '/' used as is), empty when there is no such executable.
    static QString find(const QString &command, const QStringList &searchPath);

    // Forgets cached login-shell answers (tests change SHELL between cases).
    static void clearCache();
};

} // namespace dashboard
