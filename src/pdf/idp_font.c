/* idp_font: finding a TrueType font with fontconfig and checking that it
 * can draw a text.
 *
 * Finding: FcFontMatch always answers with some font (its fallback for an
 * unknown family is the default sans), so the answer is checked: one of
 * the matched font's family names must be the one asked for, the file must
 * be a .ttf (libharu 2.3.0 embeds TrueType outlines only) and, for bold, a
 * bold face (no synthetic emboldening).
 *
 * Checking: the font's character map comes from fontconfig, from its cache
 * when the file is one of the installed fonts (cheap: this runs once per
 * form field), else from reading the file (FcFreeTypeQuery). The UTF-8 is
 * decoded here, strictly: overlong forms, surrogates, code points above
 * U+10FFFF and truncated sequences are refused. */
#include "idp_font.h"
#include "idp_utf8.h"

#include "idp_io.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fontconfig/fontconfig.h>

static bool has_ttf_suffix(const char *path)
{
    size_t n = strlen(path);
    const char *ext = path + (n >= 4 ? n - 4 : 0);

    return n >= 4 && ext[0] == '.' && (ext[1] == 't' || ext[1] == 'T') &&
           (ext[2] == 't' || ext[2] == 'T') && (ext[3] == 'f' || ext[3] == 'F');
}

/* a == b ignoring ASCII case and spaces, as fontconfig compares family
 * names ("DejaVu Sans" == "dejavusans"). */
static bool same_family(const char *a, const char *b)
{
    for (;;) {
        while (*a == ' ')
            a++;
        while (*b == ' ')
            b++;
        if (*a == '\0' || *b == '\0')
            return *a == *b;
        if (FcToLower((FcChar8)*a) != FcToLower((FcChar8)*b))
            return false;
        a++;
        b++;
    }
}

/* Is one of pattern's family names family? */
static bool has_family(FcPattern *pattern, const char *family)
{
    FcChar8 *name;

    for (int i = 0; FcPatternGetString(pattern, FC_FAMILY, i, &name) == FcResultMatch; i++) {
        if (same_family((const char *)name, family))
            return true;
    }
    return false;
}

idp_status idp_font_find(idp_ctx *ctx, const char *family, int bold, char **path)
{
    FcPattern *want = NULL, *match = NULL;
    FcResult result;
    FcChar8 *file = NULL;
    FcBool variable = FcFalse;
    int weight = FC_WEIGHT_REGULAR, index = 0;
    idp_status st = IDP_OK;

    *path = NULL;
    if (*family == '\0') {
        st = idp_fail(ctx, IDP_E_USAGE, "font: empty family name");
        goto out;
    }
    if (!FcInit()) {
        st = idp_fail(ctx, IDP_E_INTERNAL, "font: fontconfig cannot be initialised");
        goto out;
    }
    /* Built by hand, not with FcNameParse(): a family may hold ':' or '-'. */
    want = FcPatternCreate();
    if (want == NULL || !FcPatternAddString(want, FC_FAMILY, (const FcChar8 *)family) ||
        !FcPatternAddInteger(want, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR) ||
        !FcPatternAddInteger(want, FC_SLANT, FC_SLANT_ROMAN) ||
        !FcPatternAddInteger(want, FC_WIDTH, FC_WIDTH_NORMAL) ||
        !FcConfigSubstitute(NULL, want, FcMatchPattern)) {
        st = idp_fail(ctx, IDP_E_NOMEM, "font: out of memory");
        goto out;
    }
    FcDefaultSubstitute(want);
    match = FcFontMatch(NULL, want, &result);
    if (match == NULL || result != FcResultMatch || !has_family(match, family)) {
        st = idp_fail(ctx, IDP_E_NOTFOUND, "font \"%s\" is not installed", family);
        goto out;
    }
    if (FcPatternGetString(match, FC_FILE, 0, &file) != FcResultMatch) {
        st = idp_fail(ctx, IDP_E_NOTFOUND, "font \"%s\": fontconfig gives no file", family);
        goto out;
    }
    (void)FcPatternGetInteger(match, FC_WEIGHT, 0, &weight);
    (void)FcPatternGetInteger(match, FC_INDEX, 0, &index);
    (void)FcPatternGetBool(match, FC_VARIABLE, 0, &variable);
    if (bold && weight < FC_WEIGHT_DEMIBOLD) {
        st = idp_fail(ctx, IDP_E_NOTFOUND, "font \"%s\" has no bold face installed", family);
        goto out;
    }
    if (!has_ttf_suffix((const char *)file) || index != 0 || variable) {
        st = idp_fail(ctx, IDP_E_FORMAT,
                      "font \"%s\": %s is not a plain TrueType (.ttf) file, which is what the "
                      "PDF can embed",
                      family, (const char *)file);
        goto out;
    }
    *path = strdup((const char *)file);
    if (*path == NULL)
        st = idp_fail(ctx, IDP_E_NOMEM, "font: out of memory");
out:
    if (match != NULL)
        FcPatternDestroy(match);
    if (want != NULL)
        FcPatternDestroy(want);
    return st;
}

/* The pattern (with FC_CHARSET and FC_FAMILY) of the font file at path:
 * from fontconfig's cache if the file is installed, else by reading it.
 * *set or *query is what the caller destroys. */
static idp_status font_pattern(idp_ctx *ctx, const char *path, FcFontSet **set, FcPattern **query,
                               FcPattern **pattern)
{
    FcPattern *want = NULL;
    FcObjectSet *os = NULL;
    FILE *f;
    int count = 0;
    idp_status st = IDP_OK;

    *set = NULL;
    *query = NULL;
    *pattern = NULL;
    if (!FcInit()) {
        st = idp_fail(ctx, IDP_E_INTERNAL, "font: fontconfig cannot be initialised");
        goto out;
    }
    want = FcPatternCreate();
    os = FcObjectSetBuild(FC_FAMILY, FC_CHARSET, FC_INDEX, (char *)NULL);
    if (want == NULL || os == NULL || !FcPatternAddString(want, FC_FILE, (const FcChar8 *)path) ||
        !FcPatternAddInteger(want, FC_INDEX, 0)) {
        st = idp_fail(ctx, IDP_E_NOMEM, "font: out of memory");
        goto out;
    }
    *set = FcFontList(NULL, want, os);
    if (*set != NULL && (*set)->nfont > 0) {
        *pattern = (*set)->fonts[0];
        goto out;
    }
    /* Not an installed font: read the file itself. */
    f = fopen(path, "rb");
    if (f == NULL) {
        st = idp_fail(ctx, IDP_E_NOTFOUND, "%s: cannot open the font file", path);
        goto out;
    }
    fclose(f);
    *query = FcFreeTypeQuery((const FcChar8 *)path, 0, NULL, &count);
    if (*query == NULL) {
        st = idp_fail(ctx, IDP_E_FORMAT, "%s: not a font file", path);
        goto out;
    }
    *pattern = *query;
out:
    if (os != NULL)
        FcObjectSetDestroy(os);
    if (want != NULL)
        FcPatternDestroy(want);
    return st;
}

idp_status idp_font_check_text(idp_ctx *ctx, const char *font_path, const char *text,
                               const char *what)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t len = strlen(text), i = 0;
    FcFontSet *set = NULL;
    FcPattern *query = NULL, *pattern = NULL;
    FcCharSet *charset = NULL;
    FcChar8 *family = NULL;
    const char *name = "?";
    idp_status st = IDP_OK;

    /* The text first: invalid UTF-8 is the form's fault, whatever the font. */
    while (i < len) {
        uint32_t cp;
        size_t n = idp_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            st = idp_fail(ctx, IDP_E_FIELD, "%s: invalid UTF-8 at byte %zu", what, i + 1);
            goto out;
        }
        i += n;
    }
    st = font_pattern(ctx, font_path, &set, &query, &pattern);
    if (st != IDP_OK)
        goto out;
    if (FcPatternGetCharSet(pattern, FC_CHARSET, 0, &charset) != FcResultMatch) {
        st = idp_fail(ctx, IDP_E_FORMAT, "%s: the font has no character map", font_path);
        goto out;
    }
    if (FcPatternGetString(pattern, FC_FAMILY, 0, &family) == FcResultMatch)
        name = (const char *)family;
    for (i = 0; i < len;) {
        size_t start = i;
        uint32_t cp = 0;
        i += idp_utf8_decode(s + i, len - i, &cp); /* validated above */
        /* Tabs and line breaks lay the text out; they are not drawn. */
        /* U+00A0 (a phone number kept on one line) is drawn as a space */
        if (cp == '\t' || cp == '\n' || cp == '\r' || FcCharSetHasChar(charset, cp) ||
            (cp == 0xA0 && FcCharSetHasChar(charset, ' ')))
            continue;
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
            st = idp_fail(ctx, IDP_E_GLYPH,
                          "U+%04X (a control character) in %s cannot be drawn with font %s (%s)",
                          (unsigned)cp, what, name, idp_basename(font_path));
        else
            st = idp_fail(ctx, IDP_E_GLYPH, "U+%04X '%.*s' in %s cannot be drawn with font %s (%s)",
                          (unsigned)cp, (int)(i - start), text + start, what, name,
                          idp_basename(font_path));
        goto out;
    }
out:
    if (set != NULL)
        FcFontSetDestroy(set);
    if (query != NULL)
        FcPatternDestroy(query);
    return st;
}

idp_status idp_font_path(idp_ctx *ctx, const char *family, int bold, char *buf, size_t size)
{
    char *path = NULL;
    idp_status st = idp_font_find(ctx, family, bold, &path);

    if (size > 0)
        buf[0] = '\0';
    if (st == IDP_OK && strlen(path) >= size)
        st = idp_fail(ctx, IDP_E_USAGE, "font \"%s\": its path is longer than the buffer given",
                      family);
    if (st == IDP_OK)
        memcpy(buf, path, strlen(path) + 1);
    free(path);
    return st;
}
