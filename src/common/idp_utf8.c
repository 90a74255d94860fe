/* idp_utf8: the one UTF-8 decoder; see idp_utf8.h. */
#include "idp_utf8.h"

size_t idp_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char b, lo = 0x80, hi = 0xBF;
    size_t n;
    uint32_t c;

    if (len == 0)
        return 0;
    b = s[0];
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b >= 0xC2 && b <= 0xDF) {
        n = 1;
        c = b & 0x1Fu;
    } else if (b >= 0xE0 && b <= 0xEF) {
        n = 2;
        c = b & 0x0Fu;
        if (b == 0xE0)
            lo = 0xA0; /* overlong */
        else if (b == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 3;
        c = b & 0x07u;
        if (b == 0xF0)
            lo = 0x90; /* overlong */
        else if (b == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0; /* a continuation byte, C0/C1 (overlong) or F5..FF */
    }
    if (len <= n)
        return 0;
    for (size_t k = 1; k <= n; k++) {
        unsigned char t = s[k];
        if (t < lo || t > hi)
            return 0;
        lo = 0x80;
        hi = 0xBF;
        c = (c << 6) | (t & 0x3Fu);
    }
    *cp = c;
    return n + 1;
}

size_t idp_utf8_decode_str(const char *s, uint32_t *cp)
{
    size_t len = 0;

    /* At most four bytes are looked at; the NUL stops the count. */
    while (len < 4 && s[len] != '\0')
        len++;
    if (len == 0) {
        *cp = 0;
        return 1;
    }
    return idp_utf8_decode((const unsigned char *)s, len, cp);
}

uint32_t idp_utf8_next(const unsigned char *s, size_t len, size_t *i)
{
    uint32_t cp = 0xFFFD;
    size_t n = *i < len ? idp_utf8_decode(s + *i, len - *i, &cp) : 0;

    if (n == 0) {
        *i += 1;
        return 0xFFFD;
    }
    *i += n;
    return cp;
}

bool idp_utf8_valid(const char *s, size_t len, bool allow_nul, size_t *bad)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        uint32_t cp;
        size_t n = idp_utf8_decode(u + i, len - i, &cp);
        if (n == 0 || (cp == 0 && !allow_nul)) {
            if (bad != NULL)
                *bad = i;
            return false;
        }
        i += n;
    }
    return true;
}

size_t idp_utf8_count(const char *s)
{
    size_t n = 0;

    for (; *s != '\0'; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

size_t idp_utf8_seq_len(unsigned char lead)
{
    return lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

size_t idp_utf8_cut(const char *s, size_t n)
{
    size_t start = n;

    while (start > 0 && ((unsigned char)s[start - 1] & 0xC0) == 0x80)
        start--;
    if (start == n) /* ends on ASCII, or on a lead byte cut from its tail */
        return n > 0 && (unsigned char)s[n - 1] >= 0xC0 ? n - 1 : n;
    if (start == 0) /* continuation bytes only */
        return 0;
    /* s[start - 1] leads the last character: whole, or cut short? */
    if ((unsigned char)s[start - 1] >= 0xC0 &&
        idp_utf8_seq_len((unsigned char)s[start - 1]) == n - start + 1)
        return n;
    return start - 1;
}

bool idp_utf8_bidi_control(uint32_t cp)
{
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}
