/* The language of a command when --lang is not given: the saved
 * profile's (as drop and profile speak it), else the locale's. */
#include "tool.h"
#include "tool_opts.h"
#include "tool_profile.h"

#include "idp_profile.h"

#include <stdlib.h>

const char *tool_default_lang(const char *cmd, bool messages)
{
    const char *(*of)(const char *) = messages ? tool_msg_lang : tool_lang;
    char path[4096];
    idp_ctx *ctx = NULL;
    idp_profile *profile = NULL;
    const char *lang = NULL;
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

    /* A profile that cannot be read is not the command's concern here:
     * the locale decides. */
    if (((xdg != NULL && xdg[0] == '/') || (home != NULL && home[0] != '\0')) &&
        tool_profile_path(cmd, path, sizeof(path)) && idp_ctx_create(&ctx) == IDP_OK &&
        idp_profile_load(ctx, path, &profile) == IDP_OK && idp_profile_lang(profile) != NULL)
        lang = of(idp_profile_lang(profile)); /* a static string, or NULL */
    idp_profile_destroy(profile);
    idp_ctx_destroy(ctx);
    return lang != NULL ? lang : of(NULL);
}
