#include "cli/certificates.h"

#include "cli/secure_files.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace sandbox {

namespace {

struct Free {
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
    void operator()(X509 *p) const { X509_free(p); }
    void operator()(BIO *p) const { BIO_free(p); }
    void operator()(X509_EXTENSION *p) const { X509_EXTENSION_free(p); }
    void operator()(BIGNUM *p) const { BN_free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Free>;
using CertPtr = std::unique_ptr<X509, Free>;
using BioPtr = std::unique_ptr<BIO, Free>;

std::string bioText(BIO *bio) {
    char *data = nullptr;
    long size = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(size));
}

rf::Result<std::string> keyPem(EVP_PKEY *key) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        return rf::fail("cannot encode a private key");
    }
    return bioText(bio.get());
}

rf::Result<std::string> certPem(X509 *cert) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) {
        return rf::fail("cannot encode a certificate");
    }
    return bioText(bio.get());
}

bool addExtension(X509 *cert, X509 *issuer, int nid, const char *value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    std::unique_ptr<X509_EXTENSION, Free> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

bool randomSerial(X509 *cert) {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) {
        return false;
    }
    bytes[0] &= 0x7f; // positive, as RFC 5280 requires
    std::unique_ptr<BIGNUM, Free> bn(BN_bin2bn(bytes, sizeof bytes, nullptr));
    return bn && BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) != nullptr;
}

// A certificate for `key` named `commonName`, signed by issuerKey (self-signed when issuer
// is null), with the given extensions.
rf::Result<CertPtr>
makeCertificate(EVP_PKEY *key, const char *commonName, X509 *issuer, EVP_PKEY *issuerKey, long days,
                std::initializer_list<std::pair<int, const char *>> extensions) {
    CertPtr cert(X509_new());
    if (!cert || X509_set_version(cert.get(), 2) != 1 || !randomSerial(cert.get())) {
        return rf::fail("cannot create a certificate");
    }
    // Back-date an hour so a client with a slightly slow clock accepts it.
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), days * 24 * 3600);
    X509_set_pubkey(cert.get(), key);
    X509_NAME *name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char *>("forecast-sandbox"), -1, -1,
                               0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char *>(commonName), -1, -1, 0);
    X509 *issuerCert = issuer ? issuer : cert.get();
    X509_set_issuer_name(cert.get(), X509_get_subject_name(issuerCert));
    for (const auto &[nid, value] : extensions) {
        if (!addExtension(cert.get(), issuerCert, nid, value)) {
            return rf::fail(std::string("cannot add certificate extension ") + OBJ_nid2sn(nid));
        }
    }
    if (X509_sign(cert.get(), issuerKey ? issuerKey : key, EVP_sha256()) == 0) {
        return rf::fail("cannot sign a certificate");
    }
    return cert;
}

KeyPtr loadKey(const std::string &pem) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    return KeyPtr(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

CertPtr loadCert(const std::string &pem) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    return CertPtr(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

bool stillUsable(const TlsMaterial &material) {
    CertPtr server = loadCert(material.serverCertificatePem);
    CertPtr ca = loadCert(material.caCertificatePem);
    KeyPtr serverKey = loadKey(material.serverKeyPem);
    KeyPtr caKey = loadKey(material.caKeyPem);
    if (!server || !ca || !serverKey || !caKey) {
        return false;
    }
    if (X509_check_private_key(server.get(), serverKey.get()) != 1 ||
        X509_check_private_key(ca.get(), caKey.get()) != 1) {
        return false;
    }
    // Valid for at least one more day, and really issued by this CA.
    time_t tomorrow = time(nullptr) + 24 * 3600;
    if (X509_cmp_time(X509_get0_notAfter(server.get()), &tomorrow) <= 0) {
        return false;
    }
    KeyPtr caPublic(X509_get_pubkey(ca.get()));
    return caPublic && X509_verify(server.get(), caPublic.get()) == 1;
}

} // namespace

rf::Result<TlsMaterial> generateTlsMaterial() {
    KeyPtr caKey(EVP_EC_gen("P-256"));
    KeyPtr serverKey(EVP_EC_gen("P-256"));
    if (!caKey || !serverKey) {
        return rf::fail("cannot generate ECDSA P-256 keys");
    }
    auto ca = makeCertificate(caKey.get(), "forecast-sandbox-ca", nullptr, nullptr, 3650,
                              {{NID_basic_constraints, "critical,CA:TRUE"},
                               {NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature"},
                               {NID_subject_key_identifier, "hash"}});
    if (!ca.ok()) {
        return ca.error();
    }
    auto server = makeCertificate(serverKey.get(), "forecast-sandbox", ca->get(), caKey.get(), 3650,
                                  {{NID_basic_constraints, "critical,CA:FALSE"},
                                   {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
                                   {NID_ext_key_usage, "serverAuth"},
                                   {NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"},
                                   {NID_authority_key_identifier, "keyid:always"}});
    if (!server.ok()) {
        return server.error();
    }
    TlsMaterial out;
    auto caPem = certPem(ca->get());
    auto caKeyText = keyPem(caKey.get());
    auto serverPem = certPem(server->get());
    auto serverKeyText = keyPem(serverKey.get());
    if (!caPem.ok() || !caKeyText.ok() || !serverPem.ok() || !serverKeyText.ok()) {
        return rf::fail("cannot encode the generated certificates");
    }
    out.caCertificatePem = std::move(caPem.value());
    out.caKeyPem = std::move(caKeyText.value());
    out.serverCertificatePem = std::move(serverPem.value());
    out.serverKeyPem = std::move(serverKeyText.value());
    return out;
}

rf::Result<TlsMaterial> ensureTlsMaterial(const std::filesystem::path &stateDir) {
    if (auto dir = ensurePrivateDirectory(stateDir); !dir.ok()) {
        return dir.error();
    }
    const auto ca = stateDir / "ca.crt";
    const auto caKey = stateDir / "ca.key";
    const auto server = stateDir / "server.crt";
    const auto serverKey = stateDir / "server.key";
    auto a = readFile(ca);
    auto b = readFile(caKey);
    auto c = readFile(server);
    auto d = readFile(serverKey);
    if (a.ok() && b.ok() && c.ok() && d.ok()) {
        TlsMaterial existing{a.value(), b.value(), c.value(), d.value()};
        if (stillUsable(existing)) {
            return existing;
        }
    }
    auto fresh = generateTlsMaterial();
    if (!fresh.ok()) {
        return fresh.error();
    }
    for (const auto &[path, text, mode] :
         {std::tuple{caKey, &fresh->caKeyPem, 0600u},
          std::tuple{serverKey, &fresh->serverKeyPem, 0600u},
          std::tuple{ca, &fresh->caCertificatePem, 0644u},
          std::tuple{server, &fresh->serverCertificatePem, 0644u}}) {
        if (auto written = writeFileAtomic(path, *text, mode); !written.ok()) {
            return written.error();
        }
    }
    return fresh;
}

rf::Result<std::string> ensureToken(const std::filesystem::path &stateDir) {
    const auto path = stateDir / "token";
    if (auto existing = readFile(path); existing.ok()) {
        std::string token = existing.value();
        while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) {
            token.pop_back();
        }
        if (token.size() >= 32) {
            return token;
        }
    }
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1) {
        return rf::fail("cannot generate a random token");
    }
    static const char *hex = "0123456789abcdef";
    std::string token;
    for (unsigned char b : bytes) {
        token.push_back(hex[b >> 4]);
        token.push_back(hex[b & 15]);
    }
    if (auto written = writeFileAtomic(path, token + "\n", 0600); !written.ok()) {
        return written.error();
    }
    return token;
}


} // namespace sandbox
