/* idp_wipe: erasing personal data and secrets; see idp_wipe.h. */
#include "idp_wipe.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

void idp_wipe(void *p, size_t n)
{
    if (p == NULL || n == 0)
        return;
    OPENSSL_cleanse(p, n);
}

void idp_free_wiped(void *buf, size_t len)
{
    if (buf == NULL)
        return;
    idp_wipe(buf, len);
    free(buf);
}

void idp_free_wiped_str(char *s)
{
    if (s != NULL)
        idp_free_wiped(s, strlen(s));
}
