/* STUB: replaced by its module's implementation. */
#include "idp_check.h"
#include <stdio.h>
void idp_check_describe(const idp_check_result *result, const char *lang, char *buf, size_t size) { (void)result; (void)lang; snprintf(buf, size, "?"); }
