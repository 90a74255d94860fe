/* idp_tr: a message's translation, looked up in the table built from
 * po/LANG.po; see idp_tr.h. */
#include "idp_tr.h"
#include "idp_tr_int.h"

#include <string.h>

const char *idp_tr_catalogue(const char *lang)
{
    size_t n = 0;

    if (lang == NULL)
        return NULL;
    /* "it", "it_IT", "it_IT.UTF-8", "it-IT": the language before the
     * territory and the encoding */
    while (lang[n] != '\0' && lang[n] != '_' && lang[n] != '-' && lang[n] != '.' && lang[n] != '@')
        n++;
    for (size_t l = 0; l < idp_tr_n_langs; l++)
        if (strlen(idp_tr_langs[l].lang) == n && strncmp(idp_tr_langs[l].lang, lang, n) == 0)
            return idp_tr_langs[l].lang;
    return NULL;
}

const char *idp_tr_language(size_t i)
{
    if (i == 0)
        return "en";
    return i - 1 < idp_tr_n_langs ? idp_tr_langs[i - 1].lang : NULL;
}

const char *idp_tr(const char *lang, const char *en)
{
    if (lang == NULL)
        return en;
    for (size_t l = 0; l < idp_tr_n_langs; l++) {
        const idp_tr_lang *t = &idp_tr_langs[l];
        size_t lo = 0, hi = t->n;
        if (strcmp(t->lang, lang) != 0)
            continue;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int c = strcmp(en, t->entries[mid].en);
            if (c == 0)
                return t->entries[mid].tr;
            if (c < 0)
                hi = mid;
            else
                lo = mid + 1;
        }
        return en;
    }
    return en;
}
