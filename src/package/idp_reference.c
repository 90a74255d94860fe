/* The package reference: "IDP-" and the first 40 bits of the content
 * digest in Crockford base32, as two groups of four symbols. */
#include "idp_reference.h"

#include <stddef.h>

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void idp_reference_from_digest(const uint8_t digest[IDP_SHA256_LEN], char out[IDP_REFERENCE_LEN])
{
    uint64_t bits = 0;
    size_t i, o = 0;

    for (i = 0; i < 5; i++)
        bits = (bits << 8) | digest[i];
    out[o++] = 'I';
    out[o++] = 'D';
    out[o++] = 'P';
    for (i = 0; i < 8; i++) {
        if (i % 4 == 0)
            out[o++] = '-';
        out[o++] = crockford[(bits >> (35 - 5 * i)) & 31u];
    }
    out[o] = '\0';
}

/* The value of one Crockford symbol, with its read-alike aliases, or -1. */
static int symbol_value(char c)
{
    if (c >= 'a' && c <= 'z')
        c = (char)(c - 'a' + 'A');
    if (c == 'O')
        c = '0';
    else if (c == 'I' || c == 'L')
        c = '1';
    for (int v = 0; v < 32; v++)
        if (crockford[v] == c)
            return v;
    return -1; /* U and anything else */
}

/* Accepted: "IDP" (any case), then eight symbols, with an optional '-'
 * after "IDP" and after the fourth symbol. Nothing else: no spaces, no
 * missing prefix (see docs/package.md). */
bool idp_reference_parse(const char *s, char out[IDP_REFERENCE_LEN])
{
    int vals[8];
    size_t i = 0, nsym = 0;

    if ((s[0] != 'I' && s[0] != 'i') || (s[1] != 'D' && s[1] != 'd') ||
        (s[2] != 'P' && s[2] != 'p'))
        return false;
    i = 3;
    if (s[i] == '-')
        i++;
    while (nsym < 8) {
        int v;
        if (nsym == 4 && s[i] == '-')
            i++;
        v = symbol_value(s[i]);
        if (v < 0)
            return false;
        vals[nsym++] = v;
        i++;
    }
    if (s[i] != '\0')
        return false;
    if (out != NULL) {
        size_t o = 0;
        out[o++] = 'I';
        out[o++] = 'D';
        out[o++] = 'P';
        for (nsym = 0; nsym < 8; nsym++) {
            if (nsym % 4 == 0)
                out[o++] = '-';
            out[o++] = crockford[vals[nsym]];
        }
        out[o] = '\0';
    }
    return true;
}
