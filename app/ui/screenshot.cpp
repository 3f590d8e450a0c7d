#include "ui/screenshot.h"

#include "ui/main_window.h"

#include "rf/proc_stat.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QImageWriter>
#include <QPixmap>
#include <QSet>

#include <time.h>
#include <unistd.h>

namespace dashboard {

namespace {

// Long enough for the views to lay out the rows that just arrived and the chart to draw.
constexpr int kSettleMs = 600;

// Milliseconds since this process started (the kernel's start time, so dynamic loading and
// static initialisation count); -1 where /proc is not available.
qint64 processAgeMs() {
    QFile file(QStringLiteral("/proc/self/stat"));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = file.readAll();
    const rf::ProcStatLine line(std::string_view(text.constData(), std::size_t(text.size())));
    const std::int64_t startTicks = line.integer(22); // clock ticks after boot
    timespec now{};
    const long ticksPerSecond = sysconf(_SC_CLK_TCK);
    if (startTicks <= 0 || ticksPerSecond <= 0 || clock_gettime(CLOCK_BOOTTIME, &now) != 0)
        return -1;
    const qint64 nowMs = qint64(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
    return nowMs - qint64(startTicks) * 1000 / ticksPerSecond;
}

} // namespace

Screenshot::Screenshot(MainWindow *window, QString path, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_path(std::move(path)) {
    m_timeout.setSingleShot(true);
    m_timeout.setInterval(timeoutMs);
    connect(&m_timeout, &QTimer::timeout, this, [this] { capture(false); });
    m_settle.setSingleShot(true);
    m_settle.setInterval(kSettleMs);
    connect(&m_settle, &QTimer::timeout, this, [this] { capture(true); });
}

void Screenshot::start() {
    connect(m_window, &MainWindow::settled, this, &Screenshot::settle);
    m_timeout.start();
    if (m_window->isSettled())
        settle();
}

void Screenshot::settle() {
    if (m_done || m_settle.isActive())
        return;
    m_settle.start();
    // The first complete picture: once the views have taken the data (they hear the same
    // change after this), draw the whole window and note when.
    QTimer::singleShot(0, this, [this] {
        if (m_done || m_result.firstPictureMs >= 0)
            return;
        m_window->repaint();
        m_result.firstPictureMs = processAgeMs();
    });
}

void Screenshot::capture(bool complete) {
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    m_settle.stop();
    const QImage image = m_window->grab().toImage();
    QString error;
    m_result.complete = complete;
    m_result.saved = savePng(image, m_path, &error);
    if (!m_result.saved)
        m_result.message = tr("Cannot save the screenshot to %1: %2").arg(m_path, error);
    else if (!complete)
        m_result.message =
            tr("The data did not load within %1 s; saved what the window showed to %2.")
                .arg(m_timeout.interval() / 1000)
                .arg(QFileInfo(m_path).absoluteFilePath());
    else if (m_result.firstPictureMs >= 0)
        m_result.message =
            tr("Saved the window (%1×%2 pixels) to %3; its first complete picture was drawn "
               "%4 ms after the process started.")
                .arg(image.width())
                .arg(image.height())
                .arg(QFileInfo(m_path).absoluteFilePath())
                .arg(m_result.firstPictureMs);
    else
        m_result.message = tr("Saved the window (%1×%2 pixels) to %3.")
                               .arg(image.width())
                               .arg(image.height())
                               .arg(QFileInfo(m_path).absoluteFilePath());
    Q_EMIT finished(m_result);
}

bool Screenshot::savePng(const QImage &image, const QString &path, QString *error) {
    if (image.isNull()) {
        *error = tr("the window could not be rendered");
        return false;
    }
    QImageWriter writer(path, "png");
    if (!writer.write(image)) {
        *error = writer.errorString();
        return false;
    }
    return true;
}

int Screenshot::distinctColours(const QImage &image, int limit) {
    QSet<QRgb> colours;
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < rgb.height(); y += 2) {
        const auto *line = reinterpret_cast<const QRgb *>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width(); x += 2) {
            colours.insert(line[x]);
            if (colours.size() >= limit)
                return int(colours.size());
        }
    }
    return int(colours.size());
}

} // namespace dashboard
