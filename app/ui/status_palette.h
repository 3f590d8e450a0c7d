#pragma once
// Colours for states (healthy, progressing, warning, failed) derived from the widget's
// palette, so text and accents stay readable on light and dark themes: a colour is picked
// for the palette's lightness and, for backgrounds, blended into the palette's own base.

#include "core/domain/health.h"

#include <QColor>
#include <QPalette>

namespace dashboard {

bool isDarkPalette(const QPalette &palette);
// Text/accent colour for a state: dark shades on light themes, light shades on dark ones.
QColor healthAccent(Health health, const QPalette &palette);
// A background tint for a state, `strength` 0..1 of the accent over the window colour.
QColor healthTint(Health health, const QPalette &palette, double strength = 0.18);
// Secondary text (captions, units): the text colour halfway to the background.
QColor secondaryText(const QPalette &palette);
QColor blend(const QColor &from, const QColor &to, double amount);

} // namespace dashboard
