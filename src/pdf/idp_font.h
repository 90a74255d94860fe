/* idp_font: finding a TrueType font with fontconfig and checking that it
 * can draw a text. */
#ifndef IDP_FONT_H
#define IDP_FONT_H

#include "idp_ctx.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The path of the regular TrueType (.ttf) font of family (e.g. "DejaVu
 * Sans") found by fontconfig, with bold its bold face, into buf (size
 * bytes, NUL-terminated): what idp_build_opts_set_font takes. IDP_E_NOTFOUND
 * when no such family is installed (fontconfig's fallback to another
 * family does not count), IDP_E_USAGE when the path does not fit in buf
 * (4096 bytes always do). */
IDP_API idp_status idp_font_path(idp_ctx *ctx, const char *family, int bold, char *buf,
                                 size_t size) IDP_WUR IDP_NONNULL(1, 2, 4);

#ifdef IDP_INTERNAL
/* The path of the regular TrueType (.ttf) font of family (e.g. "DejaVu
 * Sans") found by fontconfig; with bold, its bold face. IDP_E_NOTFOUND
 * when no such family is installed (fontconfig's fallback to another
 * family does not count). Caller frees *path with free(). */
idp_status idp_font_find(idp_ctx *ctx, const char *family, int bold, char **path) IDP_WUR
    IDP_NONNULL(1, 2, 4);

/* Checks every character of the UTF-8 text is in the font's character map.
 * Fails with IDP_E_GLYPH naming the character (as "U+0141 'Ł'") and what
 * (e.g. the field name); invalid UTF-8 is IDP_E_FIELD. */
idp_status idp_font_check_text(idp_ctx *ctx, const char *font_path, const char *text,
                               const char *what) IDP_WUR IDP_NONNULL(1, 2, 3, 4);
#endif /* IDP_INTERNAL */

#ifdef __cplusplus
}
#endif

#endif
