/* The batch's own sentences (the reasons of a row, the whole-batch
 * errors, the CSV reader's errors) in other languages: their translations
 * are in po/LANG.po with every other message's (docs/translating.md). */
#include "idp_batch_int.h"

#include "idp_tr.h"

const char *batch_tr(const char *lang, const char *en)
{
    return idp_tr(lang, en);
}
