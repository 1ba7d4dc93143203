#ifndef CIRCLES_COPENSSL_SHIM_H
#define CIRCLES_COPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/bio.h>

/* Function-like macros of OpenSSL, as functions Swift can call. */
static inline long circles_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
static inline long circles_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) { return SSL_CTX_set_min_proto_version(ctx, version); }
static inline long circles_SSL_set_tlsext_host_name(SSL *ssl, const char *name) { return SSL_set_tlsext_host_name(ssl, name); }
static inline long circles_BIO_get_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }
static inline size_t circles_BIO_ctrl_pending(BIO *bio) { return BIO_ctrl_pending(bio); }

/* TLS: memory BIOs, context options and certificate pinning. */
static inline int circles_BIO_reset(BIO *bio) { return BIO_reset(bio); }
static inline long circles_BIO_set_mem_eof_return(BIO *bio, int value) { return BIO_set_mem_eof_return(bio, value); }
static inline long circles_SSL_CTX_add1_chain_cert(SSL_CTX *ctx, X509 *cert) { return SSL_CTX_add1_chain_cert(ctx, cert); }

/* TLS 1.2 or later, no renegotiation, no compression; small buffers on idle connections. */
static inline int circles_SSL_CTX_configure(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    return SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) == 1;
}

/* Certificate verification that accepts exactly the pinned leaf certificate (no chain, issuer or
   validity checks), then checks the host name or IP address the connection set. */
static inline int circles_verify_pinned(X509_STORE_CTX *store, void *arg) {
    X509 *pinned = (X509 *)arg;
    X509 *leaf = X509_STORE_CTX_get0_cert(store);
    if (leaf == NULL || X509_cmp(leaf, pinned) != 0) {
        X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_UNTRUSTED);
        return 0;
    }
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(store);
    const char *host = X509_VERIFY_PARAM_get0_host(param, 0);
    if (host != NULL && X509_check_host(leaf, host, 0, X509_VERIFY_PARAM_get_hostflags(param), NULL) != 1) {
        X509_STORE_CTX_set_error(store, X509_V_ERR_HOSTNAME_MISMATCH);
        return 0;
    }
    char *ip = X509_VERIFY_PARAM_get1_ip_asc(param);
    if (ip != NULL) {
        int matches = X509_check_ip_asc(leaf, ip, 0) == 1;
        OPENSSL_free(ip);
        if (!matches) {
            X509_STORE_CTX_set_error(store, X509_V_ERR_IP_ADDRESS_MISMATCH);
            return 0;
        }
    }
    X509_STORE_CTX_set_error(store, X509_V_OK);
    return 1;
}

/* Makes `ctx` trust exactly `cert`, which must outlive it. */
static inline void circles_SSL_CTX_pin_certificate(SSL_CTX *ctx, X509 *cert) {
    SSL_CTX_set_cert_verify_callback(ctx, circles_verify_pinned, cert);
}

#endif
