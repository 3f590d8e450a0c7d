#pragma once
// --screenshot FILE: waits until the window shows its first complete picture (the feed has
// synced with the Deployment) or a problem page, lets layout and the chart settle, grabs the
// window and saves it as PNG. If neither happens within the timeout, it saves what is shown
// and says the picture is incomplete. The result is reported, never thrown.

#include <QImage>
#include <QObject>
#include <QString>
#include <QTimer>

namespace dashboard {

class MainWindow;

class Screenshot final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Screenshot)

public:
    struct Result {
        bool saved = false;    // the PNG was written
        bool complete = false; // data (or a problem) was on screen, not a loading state
        QString message;       // for stderr: where it went, or why not
        // Process start to the first complete picture drawn (data or a problem page), in ms;
        // -1 when that never happened or the start time is unknown.
        qint64 firstPictureMs = -1;
    };

    Screenshot(MainWindow *window, QString path, int timeoutMs, QObject *parent = nullptr);

    void start();
    const Result &result() const { return m_result; }

    // Saves `image` as PNG; on failure `error` says why.
    static bool savePng(const QImage &image, const QString &path, QString *error);
    // How many different colours the image has (a blank or single-colour grab has 1 or 2).
    static int distinctColours(const QImage &image, int limit = 256);

Q_SIGNALS:
    void finished(const dashboard::Screenshot::Result &result);

private:
    void settle();
    void capture(bool complete);

    MainWindow *m_window;
    QString m_path;
    QTimer m_timeout;
    QTimer m_settle;
    bool m_done = false;
    Result m_result;
};

} // namespace dashboard
