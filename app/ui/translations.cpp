#include "translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace dashboard {

namespace {
const QString kCatalogueDir = QStringLiteral(":/i18n");
const QString kPrefix = QStringLiteral("forecast-dashboard_");
} // namespace

QStringList availableLanguages() {
    QStringList languages;
    const QStringList files =
        QDir(kCatalogueDir).entryList({kPrefix + QStringLiteral("*.qm")}, QDir::Files);
    for (const QString &file : files) {
        languages << file.mid(kPrefix.size()).chopped(3);
    }
    return languages;
}

LanguageChoice installTranslations(QCoreApplication &app, const QString &requested) {
    LanguageChoice choice;
    const QLocale locale = requested.isEmpty() ? QLocale::system() : QLocale(requested);
    // QLocale("xx") of an unknown name is the C locale: report it instead of silently
    // falling back to English.
    if (!requested.isEmpty() && locale.language() == QLocale::C &&
        requested != QLatin1String("C") && requested != QLatin1String("en")) {
        choice.language = QStringLiteral("en");
        choice.warning = QCoreApplication::translate(
                             "dashboard::Translations",
                             "Unknown language \"%1\"; showing English. Available: en, %2.")
                             .arg(requested, availableLanguages().join(QStringLiteral(", ")));
        return choice;
    }
    auto *own = new QTranslator(&app);
    if (own->load(locale, QStringLiteral("forecast-dashboard"), QStringLiteral("_"),
                  kCatalogueDir)) {
        app.installTranslator(own);
        choice.translated = true;
        choice.language = own->language();
        auto *qt = new QTranslator(&app);
        if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                     QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
            app.installTranslator(qt);
        } else {
            delete qt;
        }
    } else {
        delete own;
        choice.language = QStringLiteral("en");
        if (!requested.isEmpty() && locale.language() != QLocale::English) {
            choice.warning = QCoreApplication::translate(
                                 "dashboard::Translations",
                                 "No translation for \"%1\"; showing English. Available: en, %2.")
                                 .arg(requested, availableLanguages().join(QStringLiteral(", ")));
        }
    }
    return choice;
}

} // namespace dashboard
