#pragma once
// Chooses the UI language: `--lang xx_YY` when given, else the system locale. Installs the
// dashboard's own catalogue (embedded from resources/translations at build time) and Qt's
// (qtbase, for standard dialogs and buttons) when Debian's qt6-translations-l10n has it.

#include <QString>

class QCoreApplication;

namespace dashboard {

struct LanguageChoice {
    QString language; // "zh_CN", or "en" when no catalogue matched
    bool translated = false;
    QString warning; // set when --lang named a language we have no catalogue for
};

// Languages with a catalogue, besides English (e.g. {"zh_CN"}).
QStringList availableLanguages();

LanguageChoice installTranslations(QCoreApplication &app, const QString &requested = {});

} // namespace dashboard
