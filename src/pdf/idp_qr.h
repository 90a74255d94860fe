/* idp_qr: QR codes with libqrencode. */
#ifndef IDP_QR_H
#define IDP_QR_H

#include "idp_ctx.h"

#include <stdint.h>

typedef struct idp_qr {
    uint32_t size;    /* modules per side */
    uint8_t *modules; /* size*size bytes, 1 = dark */
} idp_qr;

/* Encodes text (8-bit mode, level M). Caller frees with idp_qr_destroy(). */
idp_status idp_qr_encode(idp_ctx *ctx, const char *text, idp_qr **out) IDP_WUR IDP_NONNULL(1, 2, 3);
void idp_qr_destroy(idp_qr *qr);

#endif
