/* The page's files, built into the binary (cmake/EmbedAssets.cmake writes
 * window_assets.c from src/window/assets at build time). */
#ifndef IDP_WINDOW_ASSETS_H
#define IDP_WINDOW_ASSETS_H

typedef struct window_asset {
    const char *path; /* "/app.js" */
    const char *type; /* its Content-Type */
    const unsigned char *data;
    unsigned long size;
} window_asset;

extern const window_asset window_assets[];
extern const unsigned window_n_assets;

#endif
