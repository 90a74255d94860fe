/* The library's version at run time (idpack.h). */
#include "idpack.h"

const char *idp_version(void)
{
    return IDPACK_VERSION_STRING;
}
