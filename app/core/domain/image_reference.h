#pragma once
// Container image references split the way the UI labels a workload's version:
// "registry:5000/team/app:1.4.2@sha256:…" → repository "registry:5000/team/app",
// tag "1.4.2", digest "sha256:…". The version shown is the tag, else the short digest,
// else "latest" (what a tagless reference pulls).

#include <QString>

namespace dashboard {

struct ImageReference {
    QString repository;
    QString tag;
    QString digest;

    static ImageReference parse(const QString &image);
    // "1.4.2", "sha256:3f2a9c1b0d4e" (12 hex digits), or "latest".
    QString version() const;
};

} // namespace dashboard
