/* idpack build and idpack demo: one request package from two photos and
 * the seller's details. */
#include "tool.h"

#include "idp_build.h"
#include "idp_font.h"
#include "idp_form.h"
#include "idp_ledger.h"
#include "idp_package.h"
#include "idp_policy.h"
#include "tool_opts.h"
#include "tool_report.h"

#include <jansson.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>

#define MAX_SETS 64

typedef struct build_opts {
    const char *front, *back, *form_file, *out, *lang_opt, *paper, *date, *sign, *font, *policy,
        *template_id, *ledger, *agent;
    const char *sets[MAX_SETS];
    size_t n_sets;
    bool force, json, no_ledger, mrz;
} build_opts;

static void build_help(void)
{
    fputs("Usage: idpack build --front IMG [--back IMG] (--form FILE | --set KEY=VALUE ...)\n"
          "                    --out DIR [--lang en|it|de|fr|es] [--paper a4|letter]\n"
          "                    [--date ISO-8601] [--sign KEY.pem] [--font FONT]\n"
          "                    [--policy FILE] [--mrz] [--force] [--json]\n"
          "                    [--ledger PATH | --no-ledger] [--agent NAME]\n"
          "\n"
          "Builds the package a seller uploads to Amazon to reset two-step verification:\n"
          "the photos are checked (any failed check stops the build), normalised, and put\n"
          "with the filled request letter into DIR: request.pdf, id-front.jpg,\n"
          "id-back.jpg, manifest.json, SHA256SUMS (and manifest.json.sig with --sign).\n"
          "The package is then recorded in the ledger as prepared (see 'idpack track').\n"
          "IMG is a JPEG, PNG, HEIC/HEIF, TIFF or PDF file. A file of two pages (TIFF,\n"
          "PDF), or a PDF page holding both sides, given as --front alone is the front\n"
          "and the back; with --back, each file must hold one photo.\n"
          "\n"
          "Options:\n"
          "  --front IMG        photo of the front of the ID (required)\n"
          "  --back IMG         photo of the back (leave out for a passport)\n"
          "  --form FILE        the seller's details: 'key = value' lines or a .json object\n"
          "  --set KEY=VALUE    one detail (repeatable; wins over --form)\n"
          "  --out DIR          the package folder to create (its parent must exist)\n"
          "  --lang LANG        language of the letter (default: from the locale, else en)\n"
          "  --paper SIZE       a4 or letter (default: letter for amazon.com, .ca, .com.mx)\n"
          "  --date DATE        date of the request, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ\n"
          "                     (default: SOURCE_DATE_EPOCH, else now); same inputs and\n"
          "                     date give byte-identical files\n"
          "  --sign KEY.pem     sign manifest.json with this Ed25519 private key\n"
          "  --font FONT        a TrueType file or a font family (default: DejaVu Sans)\n"
          "  --policy FILE      check thresholds (see docs/checks.md)\n"
          "  --mrz              read the ID's machine-readable zone (the default, and the\n"
          "                     policy's \"mrz\": {\"read\": 1}; {\"read\": 0} turns it off):\n"
          "                     id_type and id_expiry may be left out (taken from it);\n"
          "                     an id_type, id_expiry or full_name that is not the\n"
          "                     zone's stops the build (docs/mrz.md)\n"
          "  --force            replace an existing package folder\n"
          "  --json             print the result as JSON\n"
          "  --ledger PATH      the ledger to record the package in (default:\n"
          "                     $IDPACK_LEDGER, else $XDG_DATA_HOME/idpack/ledger.sqlite)\n"
          "  --no-ledger        do not record the package\n"
          "  --agent NAME       who records it in the ledger (default: $IDPACK_AGENT,\n"
          "                     else the login name)\n"
          "  -h, --help         show this help\n"
          "\n"
          "Fields: full_name, account_email, id_type (passport, id_card, driving_licence,\n"
          "residence_permit), id_expiry (YYYY-MM-DD, or 31/12/2030 in it/fr/es) are\n"
          "required (with --mrz, id_type and id_expiry only when the zone does not give\n"
          "them); phone, new_phone (to register for 2SV), business_name, store_name,\n"
          "seller_id, marketplace, country, reason, steps_tried are optional. A passport\n"
          "is one photo (its data page); other IDs need --back.\n"
          "\n"
          "Exit status: 0 package written, 1 a photo fails a check or the ID has expired,\n"
          "65 a field or photo is invalid, 66 an input is missing, 73 the output exists\n"
          "or cannot be created, 64 usage error, 74 the package was written but could not\n"
          "be recorded in the ledger (build again with --force to record it).\n",
          stdout);
}

static int parse_opts(int argc, char **argv, build_opts *o)
{
    enum {
        O_FRONT = 256,
        O_BACK,
        O_FORM,
        O_SET,
        O_OUT,
        O_LANG,
        O_PAPER,
        O_DATE,
        O_SIGN,
        O_FONT,
        O_POLICY,
        O_FORCE,
        O_JSON,
        O_TEMPLATE,
        O_LEDGER,
        O_NO_LEDGER,
        O_MRZ,
        O_AGENT
    };
    static const struct option longopts[] = {
        {"front", required_argument, NULL, O_FRONT},
        {"back", required_argument, NULL, O_BACK},
        {"form", required_argument, NULL, O_FORM},
        {"set", required_argument, NULL, O_SET},
        {"out", required_argument, NULL, O_OUT},
        {"lang", required_argument, NULL, O_LANG},
        {"paper", required_argument, NULL, O_PAPER},
        {"date", required_argument, NULL, O_DATE},
        {"sign", required_argument, NULL, O_SIGN},
        {"font", required_argument, NULL, O_FONT},
        {"policy", required_argument, NULL, O_POLICY},
        {"template", required_argument, NULL, O_TEMPLATE},
        {"force", no_argument, NULL, O_FORCE},
        {"json", no_argument, NULL, O_JSON},
        {"ledger", required_argument, NULL, O_LEDGER},
        {"no-ledger", no_argument, NULL, O_NO_LEDGER},
        {"mrz", no_argument, NULL, O_MRZ},
        {"agent", required_argument, NULL, O_AGENT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    tool_getopt g = TOOL_GETOPT("build", argc, argv, "h", longopts);
    int c, rc = 0;

    memset(o, 0, sizeof(*o));
    while (rc == 0 && (c = tool_getopt_next(&g)) != -1) {
        switch (c) {
        case O_FRONT:
            rc = tool_opt_once("build", &o->front, "front", optarg);
            break;
        case O_BACK:
            rc = tool_opt_once("build", &o->back, "back", optarg);
            break;
        case O_FORM:
            rc = tool_opt_once("build", &o->form_file, "form", optarg);
            break;
        case O_OUT:
            rc = tool_opt_once("build", &o->out, "out", optarg);
            break;
        case O_LANG:
            rc = tool_opt_once("build", &o->lang_opt, "lang", optarg);
            break;
        case O_PAPER:
            rc = tool_opt_once("build", &o->paper, "paper", optarg);
            break;
        case O_DATE:
            rc = tool_opt_once("build", &o->date, "date", optarg);
            break;
        case O_SIGN:
            rc = tool_opt_once("build", &o->sign, "sign", optarg);
            break;
        case O_FONT:
            rc = tool_opt_once("build", &o->font, "font", optarg);
            break;
        case O_POLICY:
            rc = tool_opt_once("build", &o->policy, "policy", optarg);
            break;
        case O_TEMPLATE:
            rc = tool_opt_once("build", &o->template_id, "template", optarg);
            break;
        case O_LEDGER:
            rc = tool_opt_once("build", &o->ledger, "ledger", optarg);
            break;
        case O_AGENT:
            rc = tool_opt_once("build", &o->agent, "agent", optarg);
            break;
        case O_NO_LEDGER:
            if (o->no_ledger)
                return tool_usage_error("build", "--no-ledger given twice");
            o->no_ledger = true;
            break;
        case O_SET:
            if (o->n_sets == MAX_SETS)
                return tool_usage_error("build", "more than %d --set options", MAX_SETS);
            o->sets[o->n_sets++] = optarg;
            break;
        case O_MRZ:
            if (o->mrz)
                return tool_usage_error("build", "--mrz given twice");
            o->mrz = true;
            break;
        case O_FORCE:
            if (o->force)
                return tool_usage_error("build", "--force given twice");
            o->force = true;
            break;
        case O_JSON:
            if (o->json)
                return tool_usage_error("build", "--json given twice");
            o->json = true;
            break;
        case 'h':
            build_help();
            return -1;
        default:
            return EXIT_USAGE;
        }
    }
    if (rc != 0)
        return rc;
    if (optind < argc)
        return tool_usage_error("build", "unexpected argument '%s'", argv[optind]);
    if (o->front == NULL)
        return tool_usage_error("build", "--front IMG is required");
    if (o->out == NULL)
        return tool_usage_error("build", "--out DIR is required");
    if (o->form_file == NULL && o->n_sets == 0)
        return tool_usage_error("build", "give the seller's details with --form FILE or --set");
    if (o->ledger != NULL && o->no_ledger)
        return tool_usage_error("build", "--ledger and --no-ledger exclude each other");
    if (o->ledger != NULL && *o->ledger == '\0')
        return tool_usage_error("build", "--ledger needs a file name");
    if (o->agent != NULL && o->no_ledger)
        return tool_usage_error("build", "--agent and --no-ledger exclude each other");
    rc = tool_agent_check("build", o->agent);
    if (rc != EXIT_OK)
        return rc;
    if (o->paper != NULL && strcmp(o->paper, "a4") != 0 && strcmp(o->paper, "letter") != 0)
        return tool_usage_error("build", "--paper must be a4 or letter, not '%s'", o->paper);
    return 0;
}

/* {"date": "2026-12-02", "zone": "PST -0800"}: the day the build took as
 * today (expiry, the letter's date) and the zone it was read in. */
static json_t *today_json(const tool_build_req *bo)
{
    char day[IDP_DAY_LEN], zone[64];

    tool_today_of(bo, day, zone, sizeof(zone));
    return json_pack("{s:s, s:s}", "date", day, "zone", zone);
}

idp_status tool_build_opts(idp_ctx *ctx, const tool_build_req *req, idp_build_opts **out)
{
    idp_build_opts *opts = NULL;
    idp_status st = idp_build_opts_create(ctx, &opts);

    *out = NULL;
    if (st != IDP_OK)
        return st;
    if (req->front_path != NULL)
        idp_build_opts_set_photos(opts, req->front_path, req->back_path);
    if (req->form != NULL)
        idp_build_opts_set_form(opts, req->form);
    if (req->templates_dir != NULL)
        idp_build_opts_set_template(opts, req->templates_dir, req->template_id, req->lang);
    if (req->out_dir != NULL)
        idp_build_opts_set_out_dir(opts, req->out_dir, req->force);
    idp_build_opts_set_date(opts, req->date, req->today);
    idp_build_opts_set_font(opts, req->font_path);
    idp_build_opts_set_sign_key(opts, req->sign_key);
    idp_build_opts_set_policy(opts, req->policy);
    st = idp_build_opts_set_paper(ctx, opts, req->paper);
    if (st != IDP_OK) {
        idp_build_opts_destroy(opts);
        return st;
    }
    *out = opts;
    return IDP_OK;
}

idp_status tool_build_package(idp_ctx *ctx, const tool_build_req *req, idp_build_result *res)
{
    idp_build_opts *opts = NULL;
    idp_status st = tool_build_opts(ctx, req, &opts);

    if (st == IDP_OK)
        st = idp_build_package(ctx, opts, res);
    idp_build_opts_destroy(opts);
    return st;
}

/* The build's report of photo i; NULL when that photo was not checked
 * (the build stopped before it). */
static const idp_check_report *photo_report(const idp_build_result *res, size_t i)
{
    const idp_check_report *r = idp_build_result_report(res, i);
    return r != NULL && idp_check_report_count(r) > 0 ? r : NULL;
}

/* Runs a build whose options are filled; prints the outcome; records the
 * package in the ledger at ledger_path unless it is NULL, as agent (NULL:
 * the default, tool_ledger_agent). */
static int run_build(const char *cmd, tool_build_req *bo, const char *lang, bool json,
                     const char *policy_file, const char *font_opt, const char *ledger_path,
                     const char *agent, bool mrz)
{
    char *ledger_error = NULL, error[4096 + 64]; /* the context's longest error, the option */
    /* demo replaces its own package; build replaces one when --force asks */
    const char *replace = strcmp(cmd, "build") == 0 ? "--force" : NULL;
    idp_ctx *ctx = NULL;
    idp_policy *policy = NULL;
    idp_build_result *res = NULL;
    char font[4096]; /* a family's file (idp_font_path) */
    idp_status st;
    int exit_code;

    tool_protect_output(bo->out_dir); /* before the photo threads start */
#ifdef __GLIBC__
    /* Keep freed large buffers in the heap for the next step of the
     * photo jobs instead of handing them back to the kernel: fresh pages
     * are cleared on first touch, which was 18 % of a build's time.
     * 7-9 ms less a build, 14 MiB more at the peak (docs/performance.md).
     * The pixels in them are wiped when freed (idp_image_destroy). */
    (void)mallopt(M_MMAP_THRESHOLD, 32 << 20);
    (void)mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
    if (idp_ctx_create(&ctx) != IDP_OK || idp_build_result_create(ctx, &res) != IDP_OK) {
        idp_ctx_destroy(ctx);
        tool_error("out of memory");
        return EXIT_SOFTWARE;
    }
    tool_apply_limits(ctx);
    idp_ctx_set_threads(ctx, 2); /* the front and the back at once (docs/library.md) */
    idp_ctx_set_lang(ctx, lang);
    st = idp_policy_create(ctx, &policy);
    if (st != IDP_OK) {
        tool_error(idp_ctx_error(ctx));
        exit_code = tool_exit_for(st);
        goto out;
    }
    if (policy_file != NULL) {
        st = idp_policy_load(ctx, policy_file, policy);
        if (st != IDP_OK) {
            tool_error(idp_ctx_error(ctx));
            exit_code = tool_exit_for(st);
            goto out;
        }
    }
    if (mrz)
        idp_policy_set_mrz_read(policy, true);
    if (font_opt != NULL && strchr(font_opt, '/') == NULL && strstr(font_opt, ".ttf") == NULL) {
        st = idp_font_path(ctx, font_opt, 0, font, sizeof(font));
        if (st != IDP_OK) {
            tool_error(idp_ctx_error(ctx));
            exit_code = EXIT_DATAERR;
            goto out;
        }
        bo->font_path = font;
    } else {
        bo->font_path = font_opt;
    }
    bo->policy = policy;
    st = tool_build_package(ctx, bo, res);
    exit_code = tool_exit_for(st);
    /* The package stays even if the ledger fails: say so, exit 74. */
    if (st == IDP_OK && ledger_path != NULL &&
        tool_ledger_record(ctx, ledger_path, agent, bo, res) != IDP_OK) {
        ledger_error = strdup(idp_ctx_error(ctx));
        exit_code = EXIT_IOERR;
    }
    if (json) {
        json_t *root = json_object(), *photos = json_array();
        json_object_set_new(root, "status", json_string(st == IDP_OK ? "ok" : "error"));
        if (st != IDP_OK) {
            json_object_set_new(
                root, "error",
                tool_json_string(tool_error_advice(ctx, st, replace, TOOL_SURFACE_BUILD, lang,
                                                   error, sizeof(error))));
            json_object_set_new(root, "error_kind", json_string(idp_status_name(st)));
        } else {
            json_object_set_new(root, "package", tool_json_string(bo->out_dir));
            json_object_set_new(root, "reference", json_string(idp_build_result_reference(res)));
            json_object_set_new(root, "created", json_string(idp_build_result_created(res)));
            json_object_set_new(root, "today", today_json(bo));
            json_object_set_new(root, "paper", json_string(idp_build_result_paper(res)));
            json_object_set_new(root, "signed", json_boolean(idp_build_result_signed(res)));
            json_object_set_new(root, "bytes",
                                json_integer((json_int_t)idp_build_result_bytes(res)));
            json_object_set_new(root, "request_sha256",
                                json_string(idp_build_result_pdf_sha256(res)));
            json_object_set_new(root, "warnings", json_array());
            if (idp_build_result_warning(res)[0] != '\0')
                json_array_append_new(json_object_get(root, "warnings"),
                                      tool_json_string(idp_build_result_warning(res)));
            json_object_set_new(root, "ledger",
                                ledger_path != NULL ? tool_json_ledger(ledger_path) : json_null());
            if (exit_code == EXIT_IOERR)
                json_object_set_new(root, "ledger_error",
                                    tool_json_string(ledger_error != NULL ? ledger_error : "?"));
        }
        for (size_t i = 0; i < idp_build_result_photos(res); i++) {
            const char *file = i == 0 || bo->back_path == NULL ? bo->front_path : bo->back_path;
            if (photo_report(res, i) == NULL)
                continue;
            json_t *p = tool_report_json(file, photo_report(res, i), "", lang);
            json_object_set_new(p, "role", json_string(i == 0 ? "front" : "back"));
            json_array_append_new(photos, p);
        }
        json_object_set_new(root, "photos", photos);
        json_dumpf(root, stdout, TOOL_JSON_FLAGS);
        fputc('\n', stdout);
        json_decref(root);
    } else if (st == IDP_OK) {
        printf(tool_tr(lang, "Package written: %s\n  reference  %s\n  date       %s\n  files      "
                             "request.pdf, id-front.jpg%s, manifest.json, SHA256SUMS%s\n"),
               bo->out_dir, idp_build_result_reference(res), idp_build_result_created(res),
               idp_build_result_photos(res) > 1 ? ", id-back.jpg" : "",
               idp_build_result_signed(res) ? ", manifest.json.sig" : "");
        for (size_t i = 0; i < idp_build_result_photos(res); i++)
            if (idp_check_report_verdict(idp_build_result_report(res, i)) == IDP_VERDICT_WARN)
                tool_report_text(stdout,
                                 i == 0 || bo->back_path == NULL ? bo->front_path : bo->back_path,
                                 idp_build_result_report(res, i), "", lang);
        if (idp_build_result_warning(res)[0] != '\0')
            printf("%s: %s\n", tool_tr(lang, "Warning"), idp_build_result_warning(res));
    } else {
        bool unreadable = false;
        /* A photo that cannot be read: in a language other than English,
         * the reader's words rather than the decoder's English. */
        for (size_t i = 0; tool_lang_translated(lang) && i < idp_build_result_photos(res); i++)
            if (idp_check_report_verdict(idp_build_result_report(res, i)) == IDP_VERDICT_ERROR) {
                tool_report_text(stderr, i == 0 ? bo->front_path : bo->back_path,
                                 idp_build_result_report(res, i), "", lang);
                unreadable = true;
            }
        if (!unreadable)
            tool_print_error(cmd, tool_error_advice(ctx, st, replace, TOOL_SURFACE_BUILD, lang,
                                                    error, sizeof(error)));
        if (st == IDP_E_REJECTED)
            for (size_t i = 0; i < idp_build_result_photos(res); i++)
                if (idp_check_report_verdict(idp_build_result_report(res, i)) == IDP_VERDICT_FAIL)
                    tool_report_text(
                        stderr, i == 0 || bo->back_path == NULL ? bo->front_path : bo->back_path,
                        idp_build_result_report(res, i), "", lang);
        fputs(tool_tr(lang, "Nothing was written.\n"), stderr);
    }
    if (st == IDP_OK && exit_code == EXIT_IOERR)
        fprintf(
            stderr,
            tool_tr(lang,
                    "idpack %s: the package %s was written, but not recorded in the ledger: %s\n"
                    "Build it again with --force once the ledger is usable, to record it.\n"),
            cmd, bo->out_dir, ledger_error != NULL ? ledger_error : "out of memory");
out:
    free(ledger_error);
    idp_build_result_destroy(res);
    idp_policy_destroy(policy);
    idp_ctx_destroy(ctx);
    return exit_code;
}

int tool_run_build(const char *cmd, tool_build_req *bo, const char *lang, bool json,
                   const char *policy_file, const char *font_opt)
{
    return run_build(cmd, bo, lang, json, policy_file, font_opt, NULL, NULL, false);
}

/* A form that cannot be read: the message on stderr, or with --json the
 * same error object a failed build prints. Returns the exit code. */
static int form_error(idp_ctx *ctx, idp_status st, bool json)
{
    if (json) {
        json_t *root = json_object();
        json_object_set_new(root, "status", json_string("error"));
        json_object_set_new(root, "error", tool_json_string(idp_ctx_error(ctx)));
        json_object_set_new(root, "error_kind", json_string(idp_status_name(st)));
        json_object_set_new(root, "photos", json_array());
        json_dumpf(root, stdout, TOOL_JSON_FLAGS);
        fputc('\n', stdout);
        json_decref(root);
    } else {
        tool_print_error("build", idp_ctx_error(ctx));
    }
    return tool_exit_for(st);
}

int cmd_build(int argc, char **argv)
{
    build_opts o;
    tool_build_req bo;
    idp_ctx *ctx = NULL;
    idp_form *form = NULL;
    char *ledger_path = NULL, today[IDP_DAY_LEN];
    const char *lang;
    int rc;

    rc = parse_opts(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    lang = tool_lang(o.lang_opt);
    if (lang == NULL)
        return tool_usage_error("build", "unknown language '%s' (use en, it, de, fr or es)",
                                o.lang_opt);
    memset(&bo, 0, sizeof(bo));
    if (!tool_request_date("build", o.date, &bo.date))
        return EXIT_USAGE;
    tool_set_today(&bo, o.date, today);
    if (idp_ctx_create(&ctx) != IDP_OK || idp_form_create(ctx, &form) != IDP_OK) {
        tool_error("out of memory");
        rc = EXIT_SOFTWARE;
        goto out;
    }
    tool_apply_limits(ctx);
    for (size_t i = 0; i < o.n_sets; i++) {
        idp_status st = idp_form_set_arg_from(ctx, form, o.sets[i], "--set");
        if (st != IDP_OK) {
            rc = form_error(ctx, st, o.json);
            goto out;
        }
    }
    if (o.form_file != NULL) {
        idp_status st = idp_form_load_file(ctx, form, o.form_file, 0);
        if (st != IDP_OK) {
            rc = form_error(ctx, st, o.json);
            goto out;
        }
    }
    bo.front_path = o.front;
    bo.back_path = o.back;
    bo.form = form;
    bo.templates_dir = tool_templates_dir();
    bo.template_id = o.template_id != NULL ? o.template_id : "2fa-reset";
    bo.lang = lang;
    bo.paper = o.paper; /* a4 or letter (parse_opts) */
    bo.sign_key = o.sign;
    bo.out_dir = o.out;
    bo.force = o.force;
    if (!o.no_ledger) {
        rc = tool_ledger_path("build", o.ledger, true, &ledger_path);
        if (rc != EXIT_OK)
            goto out;
    }
    rc = run_build("build", &bo, lang, o.json, o.policy, o.font, ledger_path, o.agent, o.mrz);
out:
    free(ledger_path);
    idp_form_destroy(form);
    idp_ctx_destroy(ctx);
    return rc;
}
