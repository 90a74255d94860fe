/* idp_icc: bounds an ICC profile before Little CMS reads it (idp_icc.h).
 *
 * What idpack needs from a profile is its device to PCS conversion for the
 * relative colorimetric intent: the A2B0/A2B1 lookup tables or the
 * matrix/TRC tags. Little CMS prefers the floating-point D2Bx tags when a
 * profile has them; they hold multi-process elements (mpet), whose element
 * count and position table are not bounded by the profile's size (every
 * entry may point at the same bytes). Real camera, phone and scanner
 * profiles (sRGB, Display P3, Adobe RGB, printer CMYK) carry no D2Bx, B2Dx
 * or mpet tag, so a profile with one is ignored rather than bounded: sRGB
 * is assumed, as for a photo without a profile. For the lookup-table types
 * (mft1, mft2, mAB, mBA) the channel counts are bounded and the tables
 * must fit in the tag, so evaluating them costs a bounded number of
 * operations per sample. */
#include "idp_icc.h"

#include <string.h>

#define HEADER_BYTES 128u
#define TAG_ENTRY_BYTES 12u
/* Channels of a lookup table: 1 (grey) to 4 (CMYK) in, and out (PCS: 3,
 * CMYK: 4, gamut: 1). Little CMS evaluates an n-input table over 2^n
 * corners per sample. */
#define MAX_LUT_CHANNELS 4u

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static bool is_sig(const uint8_t *p, const char *sig)
{
    return memcmp(p, sig, 4) == 0;
}

static bool channels_ok(unsigned in, unsigned out)
{
    return in >= 1 && in <= MAX_LUT_CHANNELS && out >= 1 && out <= MAX_LUT_CHANNELS;
}

/* lut8Type (mft1) and lut16Type (mft2): the tables must fit in the tag. */
static const char *judge_mft(const uint8_t *t, uint32_t size, bool wide)
{
    unsigned in, out, grid, k;
    uint64_t n_in = 256, n_out = 256, clut = 1, need;
    unsigned bytes = wide ? 2 : 1;

    if (size < (wide ? 52u : 48u))
        return "a lookup table tag is too short";
    in = t[8];
    out = t[9];
    grid = t[10];
    if (!channels_ok(in, out) || grid < 2)
        return "a lookup table has an unusual number of channels or grid points";
    if (wide) {
        n_in = be16(t + 48);
        n_out = be16(t + 50);
        if (n_in < 2 || n_in > 4096 || n_out < 2 || n_out > 4096)
            return "a lookup table has an unusual number of entries";
    }
    for (k = 0; k < in; k++)
        clut *= grid; /* at most 255^4: no overflow */
    need = (wide ? 52u : 48u) + (in * n_in + clut * out + out * n_out) * bytes;
    if (need > size)
        return "a lookup table is larger than its tag";
    return NULL;
}

/* lutAtoBType (mAB) and lutBtoAType (mBA): every part inside the tag, the
 * CLUT's grid within it. */
static const char *judge_mab(const uint8_t *t, uint32_t size)
{
    unsigned in, out, k;
    uint32_t clut_off;
    uint64_t points = 1, need;

    if (size < 32)
        return "a lookup table tag is too short";
    in = t[8];
    out = t[9];
    if (!channels_ok(in, out))
        return "a lookup table has an unusual number of channels";
    for (k = 12; k < 32; k += 4)
        if (be32(t + k) >= size)
            return "a lookup table points outside its tag";
    clut_off = be32(t + 24);
    if (clut_off == 0)
        return NULL;
    if ((uint64_t)clut_off + 20 > size)
        return "a lookup table points outside its tag";
    for (k = 0; k < in; k++) {
        unsigned g = t[clut_off + k];
        if (g < 2)
            return "a lookup table has an unusual number of grid points";
        points *= g;
    }
    if (t[clut_off + 16] != 1 && t[clut_off + 16] != 2)
        return "a lookup table has an unknown precision";
    need = (uint64_t)clut_off + 20 + points * (t[clut_off + 16] * out);
    if (need > size)
        return "a lookup table is larger than its tag";
    return NULL;
}

/* One tag: its signature and the type of the data it points at. */
static const char *judge_tag(const uint8_t *sig, const uint8_t *t, uint32_t size)
{
    /* D2B0..D2B3 and B2D0..B2D3: floating-point pipelines (mpet). */
    if ((memcmp(sig, "D2B", 3) == 0 || memcmp(sig, "B2D", 3) == 0) && sig[3] >= '0' &&
        sig[3] <= '3')
        return "it has floating-point (D2Bx/B2Dx) pipelines, which idpack does not use";
    if (size < 8)
        return "a tag is too short";
    if (is_sig(t, "mpet"))
        return "it has multi-process elements, which idpack does not use";
    if (is_sig(t, "mft1"))
        return judge_mft(t, size, false);
    if (is_sig(t, "mft2"))
        return judge_mft(t, size, true);
    if (is_sig(t, "mAB ") || is_sig(t, "mBA "))
        return judge_mab(t, size);
    if (is_sig(t, "curv")) {
        if (size < 12 || (uint64_t)be32(t + 8) * 2 + 12 > size)
            return "a tone curve is larger than its tag";
    } else if (is_sig(t, "para")) {
        if (size < 12 || be16(t + 8) > 4)
            return "a tone curve has an unknown function type";
    }
    return NULL;
}

bool idp_icc_judge(const uint8_t *icc, size_t len, size_t *use_len, const char **why)
{
    uint32_t declared, count, i;
    uint64_t table_end;

    *use_len = 0;
    *why = NULL;
    if (icc == NULL || len < HEADER_BYTES + 4) {
        *why = "it is shorter than a profile header";
        return false;
    }
    declared = be32(icc);
    if (declared > len) {
        *why = "it declares more bytes than it holds";
        return false;
    }
    if (declared < HEADER_BYTES + 4) {
        *why = "it declares fewer bytes than a profile header";
        return false;
    }
    if (declared > IDP_ICC_MAX_BYTES) {
        *why = "it is larger than 4 MiB";
        return false;
    }
    if (!is_sig(icc + 36, "acsp")) {
        *why = "it has no profile signature";
        return false;
    }
    if (icc[8] < 2 || icc[8] > 4) {
        *why = "it is not an ICC version 2 or 4 profile";
        return false;
    }
    count = be32(icc + HEADER_BYTES);
    if (count > IDP_ICC_MAX_TAGS) {
        *why = "it has more than 100 tags";
        return false;
    }
    table_end = HEADER_BYTES + 4 + (uint64_t)count * TAG_ENTRY_BYTES;
    if (table_end > declared) {
        *why = "its tag table runs past its end";
        return false;
    }
    for (i = 0; i < count; i++) {
        const uint8_t *e = icc + HEADER_BYTES + 4 + (size_t)i * TAG_ENTRY_BYTES;
        uint32_t off = be32(e + 4), size = be32(e + 8);

        if (off < table_end || (uint64_t)off + size > declared) {
            *why = "a tag lies outside the profile";
            return false;
        }
        *why = judge_tag(e, icc + off, size);
        if (*why != NULL)
            return false;
    }
    *use_len = declared;
    return true;
}
