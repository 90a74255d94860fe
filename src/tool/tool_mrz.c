/* idpack mrz: reads the machine-readable zone of ID photos and prints it
 * (to standard output only: it is personal data, never written to disk). */
#include "tool.h"
#include "idp_util.h"

#include "idp_mrz.h"
#include "tool_opts.h"
#include "tool_report.h"

#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct mrz_opts {
    bool json;
    const char *lang;
} mrz_opts;

static void mrz_help(void)
{
    fputs("Usage: idpack mrz [--json] [--lang en|it] PHOTO...\n"
          "\n"
          "Finds and reads the machine-readable zone (ICAO 9303: TD1, TD2, TD3, MRV-A,\n"
          "MRV-B) of passports, ID cards and visas in each photo, on the straightened\n"
          "document when it is found, in any of the four rotations. Prints the format,\n"
          "the lines, the fields, each check digit with its result, valid_score (the\n"
          "share of check digits that validate, 0-100) and the characters repaired by\n"
          "what their field may hold. What it reads is printed on standard output\n"
          "only and never written to a file.\n"
          "\n"
          "Options:\n"
          "  --json           print the results as JSON on stdout\n"
          "  --lang LANG      language of the labels: en, it, ... (default: the locale's)\n"
          "  -h, --help       show this help\n"
          "\n"
          "Exit status: 0 a valid zone was read (every check digit validates) from a\n"
          "photo, 1 a zone was found but its check digits do not all validate, 65 no\n"
          "zone was found (or a photo cannot be read), 66 a photo does not exist,\n"
          "64 usage error.\n",
          stdout);
}

static int parse_opts(int argc, char **argv, mrz_opts *o)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'},
        {"lang", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *lang_opt = NULL;
    int c;

    memset(o, 0, sizeof(*o));
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'j':
            if (tool_opt_flag("mrz", &o->json, "json") != 0)
                return EXIT_USAGE;
            break;
        case 'l':
            if (tool_opt_once("mrz", &lang_opt, "lang", optarg) != 0)
                return EXIT_USAGE;
            break;
        case 'h':
            mrz_help();
            return -1;
        case ':':
            return tool_usage_error("mrz", "option %s needs a value", argv[optind - 1]);
        default:
            return tool_usage_error("mrz", "unknown option '%s'", argv[optind - 1]);
        }
    }
    o->lang = tool_msg_lang(lang_opt);
    if (o->lang == NULL)
        return tool_usage_error("mrz", "unknown language '%s' (use %s)", lang_opt,
                                tool_msg_langs());
    if (optind >= argc)
        return tool_usage_error("mrz", "no photo given");
    return 0;
}

/* The year today in the local time zone: which century a two-digit birth
 * year is in (display only). */
static int this_year(void)
{
    char day[IDP_DAY_LEN], zone[64];
    int64_t now;

    if (!tool_now(&now))
        now = (int64_t)time(NULL);
    idp_local_day(now, day, zone, sizeof(zone));
    return atoi(day);
}

typedef struct labels {
    const char *format, *score, *lines, *type, *state, *surname, *given, *number, *nationality,
        *birth, *sex, *expiry, *optional, *checks, *valid, *invalid, *repairs, *none, *expected,
        *line, *column, *why_digit, *why_letter, *why_check;
} labels;

static const labels EN = {N_("format"),
                          N_("valid_score"),
                          N_("lines"),
                          N_("document type"),
                          N_("issuing state"),
                          N_("surname"),
                          N_("given names"),
                          N_("document number"),
                          N_("nationality"),
                          N_("birth date"),
                          N_("sex"),
                          N_("expiry date"),
                          N_("optional data"),
                          N_("check digits"),
                          N_("valid"),
                          N_("INVALID"),
                          N_("repairs"),
                          N_("no machine-readable zone found: photograph the side "
                             "with the two or three lines of <<< characters, flat, "
                             "sharp and without glare"),
                          N_("expected"),
                          N_("line"),
                          N_("column"),
                          N_("a date or number holds digits"),
                          N_("a name or code holds letters"),
                          N_("the variant whose check digit validates")};
/* The labels in lang: EN's words through the catalogue (po/LANG.po). */
static labels labels_in(const char *lang)
{
    labels L = EN;
    const char **words[] = {&L.format,  &L.score,     &L.lines,      &L.type,        &L.state,
                            &L.surname, &L.given,     &L.number,     &L.nationality, &L.birth,
                            &L.sex,     &L.expiry,    &L.optional,   &L.checks,      &L.valid,
                            &L.invalid, &L.repairs,   &L.none,       &L.expected,    &L.line,
                            &L.column,  &L.why_digit, &L.why_letter, &L.why_check};

    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        *words[i] = tool_tr(lang, *words[i]);
    return L;
}

static const char *why_text(const labels *L, const char *why)
{
    if (strcmp(why, "digit") == 0)
        return L->why_digit;
    if (strcmp(why, "letter") == 0)
        return L->why_letter;
    return L->why_check;
}

static void print_text(const char *file, const idp_mrz *m, const labels *L)
{
    char date[11], digit, expected, from, to;
    const char *why, *opt2 = idp_mrz_field(m, IDP_MRZ_OPTIONAL_DATA_2);
    idp_mrz_check_id id;
    int line, col;
    bool valid;

    tool_put_safe(stdout, file);
    printf(": %s %s, %s %d\n", L->format, idp_mrz_format_name(idp_mrz_format_of(m)), L->score,
           idp_mrz_valid_score(m));
    for (size_t i = 0; i < idp_mrz_line_count(m); i++)
        printf("  %s\n", idp_mrz_line(m, i));
    printf("  %-22s %s\n", L->type, idp_mrz_field(m, IDP_MRZ_DOCUMENT_TYPE));
    printf("  %-22s %s\n", L->state, idp_mrz_field(m, IDP_MRZ_ISSUING_STATE));
    printf("  %-22s %s\n", L->surname, idp_mrz_field(m, IDP_MRZ_SURNAME));
    printf("  %-22s %s\n", L->given, idp_mrz_field(m, IDP_MRZ_GIVEN_NAMES));
    printf("  %-22s %s\n", L->number, idp_mrz_field(m, IDP_MRZ_DOCUMENT_NUMBER));
    printf("  %-22s %s\n", L->nationality, idp_mrz_field(m, IDP_MRZ_NATIONALITY));
    printf("  %-22s %s\n", L->birth,
           idp_mrz_birth_iso(m, this_year(), date) ? date : idp_mrz_field(m, IDP_MRZ_BIRTH_DATE));
    printf("  %-22s %c\n", L->sex, idp_mrz_sex(m));
    printf("  %-22s %s\n", L->expiry,
           idp_mrz_expiry_iso(m, date) ? date : idp_mrz_field(m, IDP_MRZ_EXPIRY_DATE));
    printf("  %-22s %s%s%s\n", L->optional, idp_mrz_field(m, IDP_MRZ_OPTIONAL_DATA),
           opt2[0] ? " " : "", opt2);
    printf("  %s:\n", L->checks);
    for (size_t i = 0; idp_mrz_check_at(m, i, &id, &digit, &expected, &valid); i++) {
        printf("    %-16s %c  %s", idp_mrz_check_name(id), digit, valid ? L->valid : L->invalid);
        if (!valid)
            printf(" (%s %c)", L->expected, expected);
        putchar('\n');
    }
    if (idp_mrz_repair_count(m) > 0) {
        printf("  %s:\n", L->repairs);
        for (size_t i = 0; idp_mrz_repair_at(m, i, &line, &col, &from, &to, &why); i++)
            printf("    %s %d %s %d: %c -> %c (%s)\n", L->line, line + 1, L->column, col + 1, from,
                   to, why_text(L, why));
    }
}

static json_t *mrz_json(const char *file, const idp_mrz *m, bool found, const char *error)
{
    json_t *o = json_object(), *lines, *fields, *checks, *repairs;
    char date[11], s[2] = {0, 0}, digit, expected, from, to;
    const char *why;
    idp_mrz_check_id id;
    int line, col;
    bool valid;
    json_object_set_new(o, "file", json_string(file));
    json_object_set_new(o, "found", json_boolean(found));
    if (error != NULL)
        json_object_set_new(o, "error", json_string(error));
    if (!found)
        return o;
    json_object_set_new(o, "format", json_string(idp_mrz_format_name(idp_mrz_format_of(m))));
    json_object_set_new(o, "valid_score", json_integer(idp_mrz_valid_score(m)));
    json_object_set_new(o, "valid", json_boolean(idp_mrz_valid_score(m) == 100));
    json_object_set_new(o, "engine", json_string(idp_mrz_engine(m)));
    lines = json_array();
    for (size_t i = 0; i < idp_mrz_line_count(m); i++)
        json_array_append_new(lines, json_string(idp_mrz_line(m, i)));
    json_object_set_new(o, "lines", lines);
    fields = json_object();
    json_object_set_new(fields, "document_type",
                        json_string(idp_mrz_field(m, IDP_MRZ_DOCUMENT_TYPE)));
    json_object_set_new(fields, "issuing_state",
                        json_string(idp_mrz_field(m, IDP_MRZ_ISSUING_STATE)));
    json_object_set_new(fields, "surname", json_string(idp_mrz_field(m, IDP_MRZ_SURNAME)));
    json_object_set_new(fields, "given_names", json_string(idp_mrz_field(m, IDP_MRZ_GIVEN_NAMES)));
    json_object_set_new(fields, "document_number",
                        json_string(idp_mrz_field(m, IDP_MRZ_DOCUMENT_NUMBER)));
    json_object_set_new(fields, "nationality", json_string(idp_mrz_field(m, IDP_MRZ_NATIONALITY)));
    json_object_set_new(fields, "birth_date",
                        idp_mrz_birth_iso(m, this_year(), date) ? json_string(date) : json_null());
    s[0] = idp_mrz_sex(m);
    json_object_set_new(fields, "sex", json_string(s));
    json_object_set_new(fields, "expiry_date",
                        idp_mrz_expiry_iso(m, date) ? json_string(date) : json_null());
    json_object_set_new(fields, "optional_data",
                        json_string(idp_mrz_field(m, IDP_MRZ_OPTIONAL_DATA)));
    if (idp_mrz_field(m, IDP_MRZ_OPTIONAL_DATA_2)[0])
        json_object_set_new(fields, "optional_data_2",
                            json_string(idp_mrz_field(m, IDP_MRZ_OPTIONAL_DATA_2)));
    json_object_set_new(o, "fields", fields);
    checks = json_array();
    for (size_t i = 0; idp_mrz_check_at(m, i, &id, &digit, &expected, &valid); i++) {
        json_t *cj = json_object();
        char d[2] = {digit, 0}, e[2] = {expected, 0};
        json_object_set_new(cj, "field", json_string(idp_mrz_check_name(id)));
        json_object_set_new(cj, "digit", json_string(d));
        json_object_set_new(cj, "expected", json_string(e));
        json_object_set_new(cj, "valid", json_boolean(valid));
        json_array_append_new(checks, cj);
    }
    json_object_set_new(o, "checks", checks);
    repairs = json_array();
    for (size_t i = 0; idp_mrz_repair_at(m, i, &line, &col, &from, &to, &why); i++) {
        json_t *rj = json_object();
        char f[2] = {from, 0}, t[2] = {to, 0};
        json_object_set_new(rj, "line", json_integer(line + 1));
        json_object_set_new(rj, "column", json_integer(col + 1));
        json_object_set_new(rj, "from", json_string(f));
        json_object_set_new(rj, "to", json_string(t));
        json_object_set_new(rj, "why", json_string(why));
        json_array_append_new(repairs, rj);
    }
    json_object_set_new(o, "repairs", repairs);
    return o;
}

int cmd_mrz(int argc, char **argv)
{
    mrz_opts o;
    idp_ctx *ctx = NULL;
    idp_mrz *m = NULL;
    json_t *images = NULL;
    int rc, exit_code = EXIT_OK;
    bool any_valid = false, any_found = false, any_missing = false, fatal = false;

    rc = parse_opts(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    const labels words = labels_in(o.lang), *L = &words;
    if (idp_ctx_create(&ctx) != IDP_OK) {
        tool_error("out of memory");
        return EXIT_SOFTWARE;
    }
    if (idp_mrz_create(ctx, &m) != IDP_OK) {
        tool_error(idp_ctx_error(ctx));
        idp_ctx_destroy(ctx);
        return EXIT_SOFTWARE;
    }
    if (o.json)
        images = json_array();
    for (int i = optind; i < argc && !fatal; i++) {
        const char *file = argv[i];
        bool found = false;
        idp_status st;

        idp_ctx_clear(ctx);
        st = idp_mrz_read_file(ctx, file, m, &found);
        if (st != IDP_OK) {
            if (st == IDP_E_NOTFOUND)
                any_missing = true;
            else if (st == IDP_E_NOMEM || st == IDP_E_INTERNAL || st == IDP_E_IO) {
                exit_code = tool_exit_for(st);
                fatal = true;
            }
            if (o.json)
                json_array_append_new(images, mrz_json(file, m, false, idp_ctx_error(ctx)));
            else
                tool_error(idp_ctx_error(ctx));
        } else if (!found) {
            if (o.json)
                json_array_append_new(images, mrz_json(file, m, false, NULL));
            else {
                tool_put_safe(stdout, file);
                printf(": %s\n", L->none);
            }
        } else {
            any_found = true;
            any_valid = any_valid || idp_mrz_valid_score(m) == 100;
            if (o.json)
                json_array_append_new(images, mrz_json(file, m, true, NULL));
            else
                print_text(file, m, L);
        }
    }
    if (o.json) {
        json_t *root = json_object();
        json_object_set_new(root, "images", images);
        if (json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 &&
            exit_code == EXIT_OK)
            exit_code = EXIT_IOERR;
        fputc('\n', stdout);
        json_decref(root); /* the strings it held are freed unwiped: jansson keeps no hook */
    }
    if (exit_code == EXIT_OK) {
        if (any_missing)
            exit_code = EXIT_NOINPUT;
        else if (any_valid)
            exit_code = EXIT_OK;
        else if (any_found)
            exit_code = EXIT_REJECTED;
        else
            exit_code = EXIT_DATAERR;
    }
    if (fflush(stdout) != 0 && exit_code == EXIT_OK)
        exit_code = EXIT_IOERR;
    idp_mrz_destroy(m); /* wipes it */
    idp_ctx_destroy(ctx);
    return exit_code;
}
