/* STUB: replaced by its module's implementation. */
#include "idp_measure.h"
