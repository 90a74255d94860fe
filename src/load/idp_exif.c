/* STUB: replaced by its module's implementation. */
#include "idp_exif.h"
void idp_exif_summarize(const uint8_t *data, size_t len, idp_exif_summary *out) { (void)data; (void)len; out->orientation = 1; out->has_camera = false; out->has_gps = false; }
