/* idp_tr: the translations of idpack's messages. The English text is the
 * key; each language's text is in its gettext catalogue po/LANG.po
 * (msgid the English, msgstr the translation), turned into a C table when
 * idpack is built (po/po2c.py), so the binary needs no file at run time.
 * docs/translating.md says how to add a message or a language. */
#ifndef IDP_TR_H
#define IDP_TR_H

#include "idp_ctx.h"
#include "idp_util.h" /* idp_tr */

/* Marks an English message that is translated later, through idp_tr, so
 * that xgettext finds it (po/idpack.pot); it is the string itself. */
#define N_(s) s

/* The catalogue of lang ("it" for "it", "it_IT" or "it_IT.UTF-8"): its
 * name, a static string, or NULL when idpack has no catalogue for it
 * (English, the messages' own language, has none). */
const char *idp_tr_catalogue(const char *lang);

#endif
