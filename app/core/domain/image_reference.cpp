#include "core/domain/image_reference.h"

namespace dashboard {

ImageReference ImageReference::parse(const QString &image) {
    ImageReference ref;
    QString rest = image.trimmed();
    if (const qsizetype at = rest.indexOf(u'@'); at >= 0) {
        ref.digest = rest.mid(at + 1);
        rest.truncate(at);
    }
    // A colon after the last slash is a tag; before it, a registry port.
    const qsizetype slash = rest.lastIndexOf(u'/');
    const qsizetype colon = rest.lastIndexOf(u':');
    if (colon > slash) {
        ref.tag = rest.mid(colon + 1);
        rest.truncate(colon);
    }
    ref.repository = rest;
    return ref;
}

QString ImageReference::version() const {
    if (!tag.isEmpty())
        return tag;
    if (!digest.isEmpty()) {
        const qsizetype colon = digest.indexOf(u':');
        return digest.left(colon + 1 + 12);
    }
    return QStringLiteral("latest");
}

} // namespace dashboard
