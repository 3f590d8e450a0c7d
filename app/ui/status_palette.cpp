#include "ui/status_palette.h"

#include <algorithm>

namespace dashboard {

bool isDarkPalette(const QPalette &palette) {
    return palette.color(QPalette::Window).lightnessF() < 0.5;
}

QColor healthAccent(Health health, const QPalette &palette) {
    const bool dark = isDarkPalette(palette);
    switch (health) {
    case Health::Healthy:
        return dark ? QColor(0x6c, 0xcf, 0x7f) : QColor(0x1b, 0x7f, 0x37);
    case Health::Progressing:
        return dark ? QColor(0x7a, 0xb4, 0xff) : QColor(0x1a, 0x5f, 0xb4);
    case Health::Warning:
        return dark ? QColor(0xf2, 0xc0, 0x4c) : QColor(0x9a, 0x62, 0x00);
    case Health::Failed:
        return dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xc0, 0x1c, 0x28);
    }
    return palette.color(QPalette::WindowText);
}

QColor blend(const QColor &from, const QColor &to, double amount) {
    const double t = std::clamp(amount, 0.0, 1.0);
    auto mix = [t](double a, double b) { return a + (b - a) * t; };
    return QColor::fromRgbF(float(mix(from.redF(), to.redF())),
                            float(mix(from.greenF(), to.greenF())),
                            float(mix(from.blueF(), to.blueF())));
}

QColor healthTint(Health health, const QPalette &palette, double strength) {
    return blend(palette.color(QPalette::Window), healthAccent(health, palette), strength);
}

QColor secondaryText(const QPalette &palette) {
    return blend(palette.color(QPalette::WindowText), palette.color(QPalette::Window), 0.4);
}

} // namespace dashboard
