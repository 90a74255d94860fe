/* What idpack drop needs beside the build: the package folder keyed by
 * the inputs (so the same photos and details dropped again give the same
 * package, not a copy), and a profile to fill in when there is none. */
#ifndef IDP_TOOL_DROP_H
#define IDP_TOOL_DROP_H

#include "idp_reference.h"
#include "tool.h"

#include <stdbool.h>
#include <stddef.h>

/* The key of a drop's inputs: the first 8 hex digits of SHA-256 over the
 * bytes of the photos (front, then back), the details (every field, by
 * key), the language, the template and the day of bo->date, into key (9
 * bytes). False when a photo cannot be read or is over the size limit:
 * the build then says why. */
bool tool_drop_key(const tool_build_req *bo, char key[9]);

/* True when dir is a package that verifies (every hash, no file missing or
 * extra); its reference goes to ref. */
bool tool_drop_verifies(const char *dir, char ref[IDP_REFERENCE_LEN]);

/* Writes at path a profile to fill in from the template in lang
 * (idp_profile_write_blank). Nothing is written when path exists (true).
 * False (after a message on stderr) when it cannot be written. */
bool tool_drop_profile_template(const char *path, const char *lang);

/* Opens path in the desktop's default application for it (xdg-open: a
 * text editor for profile.ini) when xdg-open is on PATH and there is a
 * graphical session (DISPLAY or WAYLAND_DISPLAY); waits at most a second
 * for it and ignores any failure. */
void tool_drop_open(const char *path);

#endif
