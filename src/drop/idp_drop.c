/* Which photo is the front: the file names, else the order, and the
 * machine-readable zone the photos show (idp_drop.h). */
#include "idp_drop.h"

#include "idp_io.h"
#include "idp_mrz.h"

#include <string.h>

int idp_drop_role(const char *path)
{
    static const char *const fronts[] = {"front", "fronte", "recto", "vorderseite", "anverso"};
    static const char *const backs[] = {"back",      "retro",      "verso",  "r\u00fcckseite",
                                        "ruckseite", "rueckseite", "reverso"};
    const char *base = idp_basename(path);
    char name[256];
    size_t n = 0;
    int found = 0;

    for (size_t i = 0; base[i] != '\0' && n + 1 < sizeof(name); i++) {
        unsigned char c = (unsigned char)base[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (c == 0x9c && n > 0 && (unsigned char)name[n - 1] == 0xc3)
            c = 0xbc; /* Ü -> ü */
        name[n++] = (char)c;
    }
    name[n] = '\0';
    for (size_t i = 0; i < n;) {
        size_t start = i, len;
        while (i < n && (((unsigned char)name[i] >= 0x80) || (name[i] >= 'a' && name[i] <= 'z') ||
                         (name[i] >= '0' && name[i] <= '9')))
            i++;
        len = i - start;
        for (size_t k = 0; len > 0 && k < sizeof(fronts) / sizeof(fronts[0]); k++)
            if (strlen(fronts[k]) == len && memcmp(name + start, fronts[k], len) == 0)
                found |= IDP_DROP_ROLE_FRONT;
        for (size_t k = 0; len > 0 && k < sizeof(backs) / sizeof(backs[0]); k++)
            if (strlen(backs[k]) == len && memcmp(name + start, backs[k], len) == 0)
                found |= IDP_DROP_ROLE_BACK;
        if (len == 0)
            i++;
    }
    return found == (IDP_DROP_ROLE_FRONT | IDP_DROP_ROLE_BACK) ? IDP_DROP_ROLE_NONE : found;
}

void idp_drop_order(const char *photos[2])
{
    int r0, r1;

    if (photos[0] == NULL || photos[1] == NULL)
        return;
    r0 = idp_drop_role(photos[0]);
    r1 = idp_drop_role(photos[1]);
    if ((r0 == IDP_DROP_ROLE_BACK && r1 != IDP_DROP_ROLE_BACK) ||
        (r1 == IDP_DROP_ROLE_FRONT && r0 != IDP_DROP_ROLE_FRONT)) {
        const char *first = photos[0];
        photos[0] = photos[1];
        photos[1] = first;
    }
}

bool idp_drop_zone_swapped(idp_status st, const idp_build_result *res)
{
    return st == IDP_E_MISMATCH && res->n_photos == 2 && res->reports[0].has_mrz &&
           res->reports[0].mrz.format == IDP_MRZ_TD1 && !res->reports[1].has_mrz;
}

bool idp_drop_swap_by_zone(idp_status st, const idp_build_result *res, const char *const photos[2])
{
    return idp_drop_zone_swapped(st, res) && photos[0] != NULL && photos[1] != NULL &&
           idp_drop_role(photos[0]) == IDP_DROP_ROLE_NONE &&
           idp_drop_role(photos[1]) == IDP_DROP_ROLE_NONE;
}
