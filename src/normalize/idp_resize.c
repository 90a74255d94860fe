/* STUB: replaced by its module's implementation. */
#include "idp_resize.h"
