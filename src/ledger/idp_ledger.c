/* STUB: being written. */
#include "idp_ledger.h"
typedef int idp_ledger_stub_unused;
