#pragma once
// Free functions inside namespace dashboard translate their own words with this tr(): lupdate
// files a free tr() call there under the context "dashboard", and this looks the text up in
// that same context. Classes keep QObject::tr (their own context).

#include <QCoreApplication>
#include <QString>

namespace dashboard {

inline QString tr(const char *text) {
    return QCoreApplication::translate("dashboard", text);
}

} // namespace dashboard
