/* idp_qr: QR codes with libqrencode. The modules are copied out of
 * libqrencode's QRcode so callers never see its types. */
#include "idp_qr.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

/* The reference is short; anything longer than this is a caller's bug,
 * not something to put in a QR code on a letter. */
#define IDP_QR_MAX_TEXT 256

idp_status idp_qr_encode(idp_ctx *ctx, const char *text, idp_qr **out)
{
    QRcode *code = NULL;
    idp_qr *qr = NULL;
    size_t len = strlen(text), n;
    idp_status st = IDP_OK;

    *out = NULL;
    if (len == 0 || len > IDP_QR_MAX_TEXT) {
        st = idp_fail(ctx, IDP_E_USAGE, "QR code: the text must be 1 to %d bytes, not %zu",
                      IDP_QR_MAX_TEXT, len);
        goto out;
    }
    errno = 0;
    /* Version 0: the smallest that fits; 8-bit hint; case-sensitive. */
    code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (code == NULL) {
        st = errno == ENOMEM ? idp_fail(ctx, IDP_E_NOMEM, "QR code: out of memory")
                             : idp_fail(ctx, IDP_E_INTERNAL, "QR code: cannot encode \"%s\"", text);
        goto out;
    }
    if (code->width <= 0 || !idp_mul_size((size_t)code->width, (size_t)code->width, &n)) {
        st = idp_fail(ctx, IDP_E_INTERNAL, "QR code: libqrencode gave a %d-module symbol",
                      code->width);
        goto out;
    }
    qr = calloc(1, sizeof(*qr));
    if (qr == NULL || (qr->modules = malloc(n)) == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "QR code: out of memory");
        goto out;
    }
    qr->size = (uint32_t)code->width;
    /* Bit 0 of each libqrencode byte is the module colour (1 = dark). */
    for (size_t i = 0; i < n; i++)
        qr->modules[i] = (uint8_t)(code->data[i] & 1u);
    *out = qr;
    qr = NULL;
out:
    idp_qr_destroy(qr);
    if (code != NULL)
        QRcode_free(code);
    return st;
}

void idp_qr_destroy(idp_qr *qr)
{
    if (qr == NULL)
        return;
    free(qr->modules);
    free(qr);
}
