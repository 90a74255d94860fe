/* idp_form: the values of a request's fields (UTF-8 key -> value), from a
 * form file, --set KEY=VALUE, the saved profile or a CSV row. */
#ifndef IDP_FORM_H
#define IDP_FORM_H

#include "idp_ctx.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct idp_form idp_form;

/* Creates an empty form; the caller frees it with idp_form_destroy(). */
IDP_API idp_status idp_form_create(idp_ctx *ctx, idp_form **out) IDP_WUR IDP_NONNULL(1, 2);

/* Wipes the values (personal data) and frees; NULL is fine. */
IDP_API void idp_form_destroy(idp_form *form);

/* What is wrong with text s[0..len) as a field value: not valid UTF-8, a
 * control character (tab and newline allowed), a bidirectional control;
 * NULL when it is fine, else the problem in English ("contains a control
 * character"; static), with *at the byte offset. Never quotes the text. */
IDP_API const char *idp_text_problem(const char *s, size_t len, size_t *at) IDP_NONNULL(1, 3);
#ifdef IDP_INTERNAL
/* The Italian of a problem idp_text_problem() reports (en itself when it
 * has none). */
#endif /* IDP_INTERNAL */

/* Sets key to value (both copied). Keys are [a-z0-9_]+; values valid UTF-8
 * with no control characters but tab (newlines only where the value is
 * multi-line: the caller of render decides; here \n is allowed) and no
 * bidirectional controls such as U+202E or U+200F. A key set
 * twice is an error (IDP_E_FIELD) unless replace is true. origin names
 * where the value comes from, for messages ("form.txt:3", "--set"). */
IDP_API idp_status idp_form_set(idp_ctx *ctx, idp_form *form, const char *key, const char *value,
                                const char *origin, int replace) IDP_WUR IDP_NONNULL(1, 2, 3, 4, 5);

/* Parses "key=value" and sets it; messages and the field's origin name it
 * "argument". */
IDP_API idp_status idp_form_set_arg(idp_ctx *ctx, idp_form *form, const char *arg) IDP_WUR
    IDP_NONNULL(1, 2, 3);
/* The same, the argument named origin in messages and as the field's
 * origin (a program's own option name, e.g. the tool's "--set";
 * idp_form_set_arg's is "argument"). */
IDP_API idp_status idp_form_set_arg_from(idp_ctx *ctx, idp_form *form, const char *arg,
                                         const char *origin) IDP_WUR IDP_NONNULL(1, 2, 3, 4);

/* Reads a form file: UTF-8 "key = value" lines, '#' comments and blank
 * lines ignored, surrounding white space trimmed; a file whose name ends in
 * ".json" is a JSON object of strings (read with jansson). Errors name the
 * file and line. Values already set (e.g. by --set) are kept: later
 * sources do not override earlier ones unless replace. */
IDP_API idp_status idp_form_load_file(idp_ctx *ctx, idp_form *form, const char *path,
                                      int replace) IDP_WUR IDP_NONNULL(1, 2, 3);

/* The value of key (borrowed), or NULL when unset. */
IDP_API const char *idp_form_get(const idp_form *form, const char *key) IDP_NONNULL(1, 2);

/* Where the value of key came from ("form.txt:3", "--set"), for messages
 * (borrowed), or NULL when unset. */
IDP_API const char *idp_form_origin(const idp_form *form, const char *key) IDP_NONNULL(1, 2);

/* Iteration in insertion order. */
IDP_API size_t idp_form_count(const idp_form *form) IDP_NONNULL(1);
IDP_API const char *idp_form_key(const idp_form *form, size_t i) IDP_NONNULL(1);

#ifdef __cplusplus
}
#endif

#endif
