/* A trace of the finder's decisions on stderr, compiled in only when
 * IDP_DETECT_TRACE is defined (a developer's build; the library never
 * prints otherwise). docs/detection.md, "Tracing a miss". */
#ifndef IDP_TRACE_H
#define IDP_TRACE_H

#ifdef IDP_DETECT_TRACE
#include <stdio.h>
#define IDP_TRACE(...) fprintf(stderr, __VA_ARGS__)
#else
#define IDP_TRACE(...) ((void)0)
#endif

#endif
