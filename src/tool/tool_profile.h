/* The saved profile's place, shared by idpack profile and idpack drop. */
#ifndef IDP_TOOL_PROFILE_H
#define IDP_TOOL_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

/* The profile file: $XDG_CONFIG_HOME/idpack/profile.ini, else
 * $HOME/.config/idpack/profile.ini (an XDG_CONFIG_HOME that is not an
 * absolute path is ignored, as the XDG spec says). False, with a message
 * on stderr, when neither variable says where, or the path is too long. */
bool tool_profile_path(const char *cmd, char *buf, size_t size);

#endif
