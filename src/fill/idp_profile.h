/* idp_profile: the seller's saved details for drag and drop: the request
 * fields of a form plus the language of letters and messages, kept as
 * "key = value" lines in a file the caller names (the tool uses
 * $XDG_CONFIG_HOME/idpack/profile.ini).
 *
 * A public header of libidpack (docs/library.md). */
#ifndef IDP_PROFILE_H
#define IDP_PROFILE_H

#include "idp_ctx.h"
#include "idp_form.h"
#include "idp_template.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque; wiped when destroyed (it holds personal data). */
typedef struct idp_profile idp_profile;

/* The key of the language ("en", "it", "de", "fr" or "es"); every other
 * key is a request field. */
#define IDP_PROFILE_LANG_KEY "lang"

/* Creates an empty profile; the caller frees it with idp_profile_destroy(). */
IDP_API idp_status idp_profile_create(idp_ctx *ctx, idp_profile **out) IDP_WUR IDP_NONNULL(1, 2);

/* Reads the profile at path (idp_form_load_file: "key = value" lines,
 * '#' comments). A missing file is IDP_E_NOTFOUND naming it; a bad lang
 * value is IDP_E_FIELD naming the file and line. The field values are not
 * validated here (a partial profile is fine): idp_template_validate does
 * that where they are used, naming "profile.ini:LINE". Caller frees *out. */
IDP_API idp_status idp_profile_load(idp_ctx *ctx, const char *path, idp_profile **out) IDP_WUR
    IDP_NONNULL(1, 2, 3);

/* Wipes the values (personal data) and frees; NULL is fine. */
IDP_API void idp_profile_destroy(idp_profile *p);

/* The request fields (borrowed, valid while p lives and is not changed). */
IDP_API const idp_form *idp_profile_form(const idp_profile *p) IDP_NONNULL(1);

/* The language, or NULL when the profile does not say (borrowed). */
IDP_API const char *idp_profile_lang(const idp_profile *p) IDP_NONNULL(1);

/* Sets key to value, replacing an earlier value. "lang" must be en, it,
 * de, fr or es; any other key must be a field of template t and the value
 * must pass the same check as in a build (idp_template_validate: same
 * messages, IDP_E_FIELD; an expiry before today, YYYY-MM-DD, is
 * IDP_E_EXPIRED). An empty value removes the key. origin names where the
 * value comes from, for messages ("--set"). */
IDP_API idp_status idp_profile_set(idp_ctx *ctx, idp_profile *p, const idp_template *t,
                                   const char *key, const char *value, const char *origin,
                                   const char *today) IDP_WUR IDP_NONNULL(1, 2, 3, 4, 5, 6, 7);

/* Removes key; a key that is not set is fine. */
IDP_API idp_status idp_profile_unset(idp_ctx *ctx, idp_profile *p, const char *key) IDP_WUR
    IDP_NONNULL(1, 2, 3);

/* Writes the profile to path atomically (temporary file, fsync, rename),
 * mode 0600, creating the missing folders of path with mode 0700. Errors
 * name the file. */
IDP_API idp_status idp_profile_save(idp_ctx *ctx, const idp_profile *p, const char *path) IDP_WUR
    IDP_NONNULL(1, 2, 3);

/* Writes at path a profile to fill in, for a seller who has none: every
 * field of template t on its own line, empty ("full_name ="), under a
 * comment saying what it takes (its label, required or optional, the date
 * format, the choices), and "lang = " t's language; the comments are in
 * t's language (po/LANG.po through idp_tr; English without a catalogue).
 * The missing folders of path are made (mode 0700), the file is mode 0600
 * and written atomically. A path that exists is never replaced:
 * IDP_E_EXISTS. Errors name the file. */
IDP_API idp_status idp_profile_write_blank(idp_ctx *ctx, const idp_template *t,
                                           const char *path) IDP_WUR IDP_NONNULL(1, 2, 3);

/* The required fields of t the profile lacks (unset or blank), in the
 * template's order: writes at most max of them to missing[] (borrowed
 * from t) and returns how many there are. */
IDP_API size_t idp_profile_missing(const idp_profile *p, const idp_template *t,
                                   const idp_field **missing, size_t max) IDP_NONNULL(1, 2);

#ifdef __cplusplus
}
#endif

#endif
