#pragma once
// Row tints for unhealthy items: translucent so text keeps the palette's colour and stays
// readable on light and dark themes alike.

#include "core/domain/health.h"

#include <QVariant>

namespace dashboard {

QVariant healthBackground(Health health); // a QBrush, or invalid for healthy rows
QVariant healthForeground(Health health); // bold red/amber text for the status cell only

} // namespace dashboard
