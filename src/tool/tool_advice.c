/* What a library error leaves to its caller (idp_ctx_advice): how the
 * command that printed it gives a photo, in its own words. */
#include "tool.h"

#include <stdio.h>

/* The words of each command, in the order of idp_advice (NONE first). */
static const char *const build_words[] = {
    "",
    N_(" (--back)"),
    N_(" (--back PHOTO)"),
    N_(" (--front and --back)"),
};
static const char *const drop_words[] = {
    "",
    N_(" (drop the data page alone)"),
    N_(" (drop both photos together)"),
    N_(" (name the dropped files ...-front and ...-back)"),
};
static const char *const window_words[] = {
    "",
    N_(" (remove the photo of the back: \"Use another photo\" under it)"),
    N_(" (drop it in the Back box)"),
    N_(" (drop each photo in the other box)"),
};

const char *tool_advice(const idp_ctx *ctx, tool_surface surface, const char *lang)
{
    const char *const *words = surface == TOOL_SURFACE_DROP     ? drop_words
                               : surface == TOOL_SURFACE_WINDOW ? window_words
                                                                : build_words;
    idp_advice a = idp_ctx_advice(ctx);

    if ((unsigned)a >= sizeof(build_words) / sizeof(build_words[0]) || a == IDP_ADVICE_NONE)
        return "";
    return tool_tr(lang, words[a]);
}

const char *tool_error_advice(const idp_ctx *ctx, idp_status st, const char *replace_opt,
                              tool_surface surface, const char *lang, char *buf, size_t size)
{
    const char *advice = tool_advice(ctx, surface, lang);

    if (*advice == '\0')
        return tool_error_text(st, idp_ctx_error(ctx), replace_opt, buf, size);
    snprintf(buf, size, "%s%s", idp_ctx_error(ctx), advice);
    return buf;
}
