#ifndef CCRYPTO_SHIM_H
#define CCRYPTO_SHIM_H
#include <openssl/hmac.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

/* HMAC-SHA256 of data under key into out (32 bytes). Returns 1 on success. */
static inline int CCrypto_hmacSHA256(const void *key, int keyLength, const unsigned char *data, size_t dataLength,
                                     unsigned char *out) {
    unsigned int outLength = 0;
    return HMAC(EVP_sha256(), key, keyLength, data, dataLength, out, &outLength) != NULL && outLength == 32;
}
#endif
