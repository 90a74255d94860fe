/* idp_tr_int: the shape of the table po/po2c.py generates from po/LANG.po. */
#ifndef IDP_TR_INT_H
#define IDP_TR_INT_H

#include <stddef.h>

typedef struct idp_tr_entry {
    const char *en; /* msgid */
    const char *tr; /* msgstr */
} idp_tr_entry;

typedef struct idp_tr_lang {
    const char *lang;            /* the catalogue's name: "it" for po/it.po */
    const idp_tr_entry *entries; /* sorted by the bytes of en (strcmp) */
    size_t n;
} idp_tr_lang;

extern const idp_tr_lang idp_tr_langs[];
extern const size_t idp_tr_n_langs;

#endif
