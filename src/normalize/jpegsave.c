/* STUB: replaced by its module's implementation. */
#include "idp_jpegsave.h"
