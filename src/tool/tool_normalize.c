/* idpack normalize: writes the upright, metadata-free, right-sized JPEG of
 * one ID photo that goes into the package. */
#include "tool.h"

#include "idp_normalize.h"
#include "tool_opts.h"
#include "tool_report.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct normalize_opts {
    const char *input;
    const char *output;
    bool json;
    bool max_side_set;
    bool quality_set;
    bool crop_set;
    bool force;
    bool crop;         /* when crop_set */
    unsigned max_side; /* when max_side_set */
    unsigned quality;  /* when quality_set */
} normalize_opts;

static void normalize_help(void)
{
    fputs("Usage: idpack normalize IMAGE -o OUT.jpg [--max-side N] [--quality Q] [--force]\n"
          "                        [--crop | --no-crop] [--json]\n"
          "\n"
          "Writes the copy of an ID photo that goes into the package: turned upright\n"
          "(EXIF orientation applied), converted to 8-bit sRGB, transparency on white,\n"
          "every metadata block removed (EXIF, GPS, XMP, thumbnails, comments, ICC), the\n"
          "long side capped and never enlarged, saved as a baseline JPEG that stays under\n"
          "Amazon's 10 MB limit with margin (the quality, then the size, is lowered if\n"
          "needed). The output is written atomically and readable only by you (mode 0600).\n"
          "\n"
          "Options:\n"
          "  -o, --output FILE   the JPEG to write (required)\n"
          "  --max-side N        cap on the long side in pixels (default 2000)\n"
          "  --quality Q         starting JPEG quality, 1 to 100 (default 88)\n"
          "  --force             replace FILE if it exists (default: refuse)\n"
          "  --crop              crop to the ID card or passport page found in the photo and\n"
          "                      straighten it to its true shape, top up, portrait documents\n"
          "                      tall (the default; no document found, or a corner outside\n"
          "                      the photo: the whole photo)\n"
          "  --no-crop           keep the whole photo\n"
          "  --json              print the result as JSON on stdout\n"
          "  -h, --help          show this help\n"
          "\n"
          "Output: one line \"OUT.jpg: WxH, BYTES bytes, quality Q\", or with --json\n"
          "{\"file\", \"output\", \"width\", \"height\", \"bytes\", \"quality\",\n"
          " \"source\": {\"width\", \"height\", \"orientation\", \"format\"}} and, with\n"
          "unless --no-crop, \"document\": {\"found\", \"kind\", \"upright\", \"orientation\",\n"
          "\"quad\"} (corners in source pixels).\n"
          "\n"
          "Exit status: 0 written, 64 usage error, 65 the image cannot be read (corrupt,\n"
          "not an image, over the limits), 66 the image does not exist, 73 the output\n"
          "exists (without --force) or cannot be created, 74 I/O error, 70 internal error.\n",
          stdout);
}

/* Returns 0 to go on, -1 after --help, or an exit code. */
static int parse_opts(int argc, char **argv, normalize_opts *o)
{
    enum { OPT_MAX_SIDE = 256, OPT_QUALITY, OPT_FORCE, OPT_JSON, OPT_CROP, OPT_NO_CROP };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"max-side", required_argument, NULL, OPT_MAX_SIDE},
        {"quality", required_argument, NULL, OPT_QUALITY},
        {"force", no_argument, NULL, OPT_FORCE},
        {"json", no_argument, NULL, OPT_JSON},
        {"crop", no_argument, NULL, OPT_CROP},
        {"no-crop", no_argument, NULL, OPT_NO_CROP},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    unsigned v;
    tool_getopt g = TOOL_GETOPT("normalize", argc, argv, "ho:", longopts);
    int c;

    memset(o, 0, sizeof(*o));
    while ((c = tool_getopt_next(&g)) != -1) {
        switch (c) {
        case 'o':
            if (o->output != NULL)
                return tool_usage_error("normalize", "--output given twice");
            if (*optarg == '\0')
                return tool_usage_error("normalize", "--output needs a file name");
            o->output = optarg;
            break;
        case OPT_MAX_SIDE:
            if (o->max_side_set)
                return tool_usage_error("normalize", "--max-side given twice");
            if (!tool_parse_u32(optarg, 30000, &v))
                return tool_usage_error("normalize",
                                        "--max-side '%s' is not a number from 1 to 30000", optarg);
            o->max_side = v;
            o->max_side_set = true;
            break;
        case OPT_QUALITY:
            if (o->quality_set)
                return tool_usage_error("normalize", "--quality given twice");
            if (!tool_parse_u32(optarg, 100, &v))
                return tool_usage_error("normalize", "--quality '%s' is not a number from 1 to 100",
                                        optarg);
            o->quality = v;
            o->quality_set = true;
            break;
        case OPT_FORCE:
            if (o->force)
                return tool_usage_error("normalize", "--force given twice");
            o->force = true;
            break;
        case OPT_JSON:
            if (o->json)
                return tool_usage_error("normalize", "--json given twice");
            o->json = true;
            break;
        case OPT_CROP:
        case OPT_NO_CROP:
            if (o->crop_set)
                return tool_usage_error("normalize", "--crop and --no-crop: give one, once");
            o->crop = c == OPT_CROP;
            o->crop_set = true;
            break;
        case 'h':
            normalize_help();
            return -1;
        default:
            return EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return tool_usage_error("normalize", "no image given");
    if (argc - optind > 1)
        return tool_usage_error("normalize", "one image at a time ('%s' is extra)",
                                argv[optind + 1]);
    if (o->output == NULL)
        return tool_usage_error("normalize", "no output given (use -o OUT.jpg)");
    o->input = argv[optind];
    return 0;
}

static int print_json(const normalize_opts *o, const idp_normalize_opts *lib,
                      const idp_normalize_result *r)
{
    json_t *root = json_object(), *src = json_object();
    uint32_t width, height;
    int orientation, rc = EXIT_OK;

    if (root == NULL || src == NULL) {
        json_decref(root);
        json_decref(src);
        tool_error("out of memory");
        return EXIT_SOFTWARE;
    }
    json_object_set_new(root, "file", tool_json_string(o->input));
    json_object_set_new(root, "output", tool_json_string(o->output));
    idp_normalize_result_size(r, &width, &height);
    json_object_set_new(root, "width", json_integer(width));
    json_object_set_new(root, "height", json_integer(height));
    json_object_set_new(root, "bytes", json_integer((json_int_t)idp_normalize_result_bytes(r)));
    json_object_set_new(root, "quality", json_integer(idp_normalize_result_quality(r)));
    idp_normalize_result_source(r, &width, &height, &orientation);
    json_object_set_new(src, "width", json_integer(width));
    json_object_set_new(src, "height", json_integer(height));
    json_object_set_new(src, "orientation", json_integer(orientation));
    json_object_set_new(src, "format", json_string(idp_normalize_result_format(r)));
    json_object_set_new(root, "source", src);
    if (idp_normalize_opts_crop(lib))
        json_object_set_new(root, "document", tool_document_json(idp_normalize_result_document(r)));
    if (json_dumpf(root, stdout, TOOL_JSON_FLAGS) != 0)
        rc = EXIT_IOERR;
    fputc('\n', stdout);
    json_decref(root);
    return rc;
}

int cmd_normalize(int argc, char **argv)
{
    normalize_opts o;
    idp_normalize_opts *lib = NULL;
    idp_normalize_result *res = NULL;
    idp_ctx *ctx = NULL;
    uint32_t width, height;
    idp_status st;
    int rc;

    rc = parse_opts(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    tool_protect_output(o.output);
    if (idp_ctx_create(&ctx) != IDP_OK) {
        tool_error("out of memory");
        return EXIT_SOFTWARE;
    }
    tool_apply_limits(ctx);
    st = idp_normalize_opts_create(ctx, &lib);
    if (st == IDP_OK)
        st = idp_normalize_result_create(ctx, &res);
    if (st != IDP_OK) {
        tool_error(idp_ctx_error(ctx));
        rc = tool_exit_for(st);
        goto out;
    }
    if (o.max_side_set)
        idp_normalize_opts_set_max_side(lib, o.max_side);
    if (o.quality_set)
        idp_normalize_opts_set_quality(lib, (int)o.quality);
    if (o.crop_set)
        idp_normalize_opts_set_crop(lib, o.crop);
    idp_normalize_opts_set_force(lib, o.force);
    st = idp_normalize_file(ctx, o.input, o.output, lib, res);
    if (st != IDP_OK) {
        char error[4096 + 64]; /* the context's longest error and the option */
        tool_error(tool_error_text(st, idp_ctx_error(ctx), "--force", error, sizeof(error)));
        rc = tool_exit_for(st);
        goto out;
    }
    if (o.json) {
        rc = print_json(&o, lib, res);
    } else {
        idp_normalize_result_size(res, &width, &height);
        printf("%s: %ux%u, %zu bytes, quality %d\n", o.output, width, height,
               idp_normalize_result_bytes(res), idp_normalize_result_quality(res));
    }
    if (fflush(stdout) != 0 && rc == EXIT_OK)
        rc = EXIT_IOERR;
out:
    idp_normalize_result_destroy(res);
    idp_normalize_opts_destroy(lib);
    idp_ctx_destroy(ctx);
    return rc;
}
