#pragma once
// Shared by the test_domain_*.cpp tests: loading the objects saved from a sandbox
// (testdata/domain/*.json, see capture.py there) and reading kubectl's own printed table
// for the same objects, so expected strings are kubectl's, not ours.

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QRegularExpression>
#include <QStringList>

namespace domain_test {

inline QJsonObject loadFixture(const QString &file) {
    QFile f(QStringLiteral(RF_APP_TESTDATA "/domain/") + file);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open fixture %s", qPrintable(f.fileName()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("%s: %s", qPrintable(f.fileName()), qPrintable(error.errorString()));
    return doc.object();
}

// The saved `kubectl get -o json` output: a List's items, or the single object.
inline QList<QJsonObject> items(const QJsonObject &fixture) {
    const QJsonObject list = fixture.value(QLatin1String("list")).toObject();
    QList<QJsonObject> out;
    if (!list.contains(QLatin1String("items")))
        return {list};
    for (const QJsonValue &item : list.value(QLatin1String("items")).toArray())
        out << item.toObject();
    return out;
}

// The instant the server printed kubectl's table: the start of the recorded window. The
// capture scripts keep the window inside one wall-clock second and objects carry whole-second
// timestamps, so every instant of the window gives the ages the server printed.
inline QDateTime printedAt(const QJsonObject &fixture,
                           QLatin1String window = QLatin1String("printedBetween")) {
    const QString start = fixture.value(window).toArray().at(0).toString();
    return QDateTime::fromString(start, Qt::ISODateWithMs).toUTC();
}

// kubectl's column layout: tabwriter pads every cell of a column to the same width, so the
// header words' offsets are the column offsets (header names may contain one space, cells
// may contain single spaces: "5 (40s ago)").
class PrintedTable {
public:
    explicit PrintedTable(const QJsonArray &lines) {
        const QString header = lines.at(0).toString();
        static const QRegularExpression column(QStringLiteral("\\S+(?: \\S+)*"));
        for (auto it = column.globalMatch(header); it.hasNext();) {
            const QRegularExpressionMatch m = it.next();
            m_headers << m.captured();
            m_offsets << m.capturedStart();
        }
        for (int i = 1; i < lines.size(); ++i)
            m_lines << lines.at(i).toString();
    }

    int rowCount() const { return static_cast<int>(m_lines.size()); }

    QString cell(int row, const QString &header) const {
        const int column = static_cast<int>(m_headers.indexOf(header));
        if (column < 0)
            qFatal("no column %s", qPrintable(header));
        const QString &line = m_lines.at(row);
        const int start = static_cast<int>(m_offsets.at(column));
        const int end = column + 1 < m_offsets.size() ? static_cast<int>(m_offsets.at(column + 1))
                                                      : static_cast<int>(line.size());
        return line.mid(start, end - start).trimmed();
    }

    // The row whose `header` cell equals `value`; -1 when absent.
    int find(const QString &header, const QString &value) const {
        for (int row = 0; row < rowCount(); ++row) {
            if (cell(row, header) == value)
                return row;
        }
        return -1;
    }

private:
    QStringList m_headers;
    QList<qsizetype> m_offsets;
    QStringList m_lines;
};

} // namespace domain_test
