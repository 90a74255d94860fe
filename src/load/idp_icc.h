/* idp_icc: judges an embedded ICC profile before Little CMS reads it.
 *
 * Little CMS trusts the structure of a profile: a multi-process element
 * (mpet) tag whose position table points every element at the same bytes
 * makes it build and then evaluate a pipeline of thousands of stages, which
 * costs minutes on a 10 KB file. The judge walks the header and the tag
 * table only as far as bounding them (docs/bad-input.md, "Colour
 * profiles"); it reads nothing lcms does not also read, and takes
 * microseconds. */
#ifndef IDP_ICC_H
#define IDP_ICC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest profile accepted. Camera, phone and scanner profiles are
 * under 1 MB; the largest printer (CMYK) profiles about 2 MB. */
#define IDP_ICC_MAX_BYTES (4u * 1024u * 1024u)
/* The most tags in one profile (real ones have under 30). */
#define IDP_ICC_MAX_TAGS 100u

/* Whether the profile icc[len] may be given to Little CMS. On success
 * *use_len is the number of bytes to give it: the size the header
 * declares (a profile padded at its end is cut to it). On refusal *why is
 * a static English phrase saying what is wrong ("declares more bytes than
 * it holds", ...) and the profile must be ignored. */
bool idp_icc_judge(const uint8_t *icc, size_t len, size_t *use_len, const char **why);

#endif
