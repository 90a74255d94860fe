/* The tool's own sentences in other languages: their translations are in
 * po/LANG.po with every other message's (docs/translating.md). */
#include "tool.h"

#include "idp_util.h"

const char *tool_tr(const char *lang, const char *en)
{
    return idp_tr(lang, en);
}
