/* idpack demo: the whole flow on the bundled specimen photos and the
 * sample form, so a new user sees a finished package with one command. */
#include "tool.h"

#include "idp_build.h"
#include "idp_form.h"
#include "tool_opts.h"

#include <limits.h>
#include <string.h>

static void demo_help(void)
{
    fputs("Usage: idpack demo [--out DIR] [--lang en|it|de|fr|es] [--json]\n"
          "\n"
          "Builds a complete package from the bundled SPECIMEN photos (synthetic, not a\n"
          "real person) and a sample form, then verifies it, so you can see what 'idpack\n"
          "build' makes. A demo package already in DIR is replaced.\n"
          "\n"
          "Options:\n"
          "  --out DIR     where to write the package (default: idpack-demo)\n"
          "  --lang LANG   language of the letter (default: from the locale, else en)\n"
          "  --json        print the result as JSON\n"
          "  -h, --help    show this help\n"
          "\n"
          "Exit status: 0 package written, 66 the specimen files are missing, 73 DIR\n"
          "exists and is not a package, 64 usage error.\n",
          stdout);
}

int cmd_demo(int argc, char **argv)
{
    char today[IDP_DAY_LEN];
    static const struct option longopts[] = {
        {"out", required_argument, NULL, 'o'},
        {"lang", required_argument, NULL, 'l'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *lang_opt = NULL, *lang;
    char front[PATH_MAX], back[PATH_MAX], form_path[PATH_MAX];
    bool json = false;
    idp_ctx *ctx = NULL;
    idp_form *form = NULL;
    tool_build_req bo;
    idp_status st;
    tool_getopt g = TOOL_GETOPT("demo", argc, argv, "h", longopts);
    int c, rc;

    while ((c = tool_getopt_next(&g)) != -1) {
        switch (c) {
        case 'o':
            if (out != NULL)
                return tool_usage_error("demo", "--out given twice");
            out = optarg;
            break;
        case 'l':
            if (lang_opt != NULL)
                return tool_usage_error("demo", "--lang given twice");
            lang_opt = optarg;
            break;
        case 'j':
            if (json)
                return tool_usage_error("demo", "--json given twice");
            json = true;
            break;
        case 'h':
            demo_help();
            return EXIT_OK;
        default:
            return EXIT_USAGE;
        }
    }
    if (optind < argc)
        return tool_usage_error("demo", "unexpected argument '%s'", argv[optind]);
    lang = tool_lang(lang_opt);
    if (lang == NULL)
        return tool_usage_error("demo", "unknown language '%s' (use en, it, de, fr or es)",
                                lang_opt);
    snprintf(front, sizeof(front), "%s/specimen-front.jpg", tool_specimen_dir());
    snprintf(back, sizeof(back), "%s/specimen-back.jpg", tool_specimen_dir());
    snprintf(form_path, sizeof(form_path), "%s/sample-form.txt", tool_templates_dir());
    memset(&bo, 0, sizeof(bo));
    if (!tool_request_date("demo", NULL, &bo.date))
        return EXIT_USAGE;
    tool_set_today(&bo, NULL, today);
    if (idp_ctx_create(&ctx) != IDP_OK || idp_form_create(ctx, &form) != IDP_OK) {
        tool_error("out of memory");
        rc = EXIT_SOFTWARE;
        goto out;
    }
    st = idp_form_load_file(ctx, form, form_path, 0);
    if (st != IDP_OK) {
        tool_error(idp_ctx_error(ctx));
        rc = tool_exit_for(st);
        goto out;
    }
    bo.front_path = front;
    bo.back_path = back;
    bo.form = form;
    bo.templates_dir = tool_templates_dir();
    bo.template_id = "2fa-reset";
    bo.lang = lang;
    bo.out_dir = out != NULL ? out : "idpack-demo";
    bo.force = true; /* replaces only a folder that is a package */
    rc = tool_run_build("demo", &bo, lang, json, NULL, NULL);
    if (rc == EXIT_OK && !json)
        printf("\nThis is a SPECIMEN. Open %s/request.pdf to see the letter and the ID pages;\n"
               "'idpack verify %s' re-checks every hash. Build your own with 'idpack build'.\n",
               bo.out_dir, bo.out_dir);
out:
    idp_form_destroy(form);
    idp_ctx_destroy(ctx);
    return rc;
}
