#pragma once
// What the pods table sorts and filters by, kept out of the widgets (STYLE rule 4) so it is
// tested headless: columns in display order, each column's text, an ordering per column that
// sorts what the text means (restarts as numbers, age by creation time, status by how bad it
// is), and the filter box's matching.

#include "core/domain/pod_presentation.h"

#include <QString>

namespace dashboard {

enum class PodColumn { Name, Ready, Status, Restarts, LastTermination, Age, Ip, Node, Count };

QString podColumnTitle(PodColumn column); // untranslated; the UI translates
QString podCellText(const PodPresentation &pod, PodColumn column);
// Strict weak order for `column`, ascending; ties fall back to the name so rows never swap
// places between refreshes.
bool podLessThan(const PodPresentation &a, const PodPresentation &b, PodColumn column);

struct PodFilter {
    QString text;              // case-insensitive; every word must match some cell
    bool problemsOnly = false; // Warning and Failed rows only
    bool isEmpty() const { return text.trimmed().isEmpty() && !problemsOnly; }
};
bool podMatches(const PodPresentation &pod, const PodFilter &filter);

} // namespace dashboard
