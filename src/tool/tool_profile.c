/* idpack profile: the seller's details saved for drag and drop, checked
 * field by field as a build checks them. */
#include "tool.h"

#include "idp_build.h"
#include "idp_profile.h"
#include "idp_template.h"
#include "tool_opts.h"
#include "tool_profile.h"
#include "tool_report.h"

#include <jansson.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_ARGS 64

static void profile_help(void)
{
    fputs("Usage: idpack profile set KEY=VALUE...\n"
          "       idpack profile unset KEY...\n"
          "       idpack profile show [--json]\n"
          "       idpack profile path\n"
          "\n"
          "Saves the seller's details once, so that 'idpack drop' (dropping photos on the\n"
          "idpack icon) can build a package without asking. Each value is checked as\n"
          "'idpack build' checks it; a partial profile is fine until you drop photos.\n"
          "The profile is kept in $XDG_CONFIG_HOME/idpack/profile.ini (default\n"
          "~/.config/idpack/profile.ini), mode 0600, as 'key = value' lines.\n"
          "\n"
          "Subcommands:\n"
          "  set KEY=VALUE...   save details (an empty VALUE removes the key)\n"
          "  unset KEY...       remove details\n"
          "  show               print the saved details and what is still missing\n"
          "  path               print where the profile is kept\n"
          "\n"
          "Options:\n"
          "  --json             (show) print the profile as JSON\n"
          "  -h, --help         show this help\n"
          "\n"
          "Keys: the fields of 'idpack build' (full_name, account_email, id_type,\n"
          "id_expiry are required; phone, new_phone, business_name, store_name, seller_id,\n"
          "marketplace, country, reason, steps_tried are optional) and lang, the language\n"
          "of the letter and of the messages of 'idpack drop' (en, it, de, fr or es).\n"
          "\n"
          "Exit status: 0 done, 1 the ID has expired, 65 a value is invalid, 66 no\n"
          "profile saved yet (show, unset), 73 the profile cannot be written, 64 usage\n"
          "error.\n",
          stdout);
}

bool tool_profile_path(const char *cmd, char *buf, size_t size)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    int n;

    if (home == NULL || *home == '\0') {
        const struct passwd *pw = getpwuid(getuid());
        home = pw != NULL ? pw->pw_dir : NULL;
    }
    if (xdg != NULL && xdg[0] == '/')
        n = snprintf(buf, size, "%s/idpack/profile.ini", xdg);
    else if (home != NULL && home[0] == '/')
        n = snprintf(buf, size, "%s/.config/idpack/profile.ini", home);
    else {
        fprintf(stderr,
                "idpack %s: cannot tell where the profile is: set HOME or "
                "XDG_CONFIG_HOME\n",
                cmd);
        return false;
    }
    if (n < 0 || (size_t)n >= size) {
        fprintf(stderr, "idpack %s: the profile's path is too long\n", cmd);
        return false;
    }
    return true;
}

/* Loads the profile at path; a missing one is an empty profile when
 * may_be_new, else an error. Returns an exit code. */
static int load(idp_ctx *ctx, const char *path, bool may_be_new, idp_profile **out)
{
    idp_status st = idp_profile_load(ctx, path, out);

    if (st == IDP_E_NOTFOUND && may_be_new)
        st = idp_profile_create(ctx, out);
    if (st == IDP_E_NOTFOUND) {
        fprintf(stderr,
                "idpack profile: no profile saved yet (%s); create it with\n"
                "  idpack profile set full_name=\"...\" account_email=... "
                "id_type=id_card id_expiry=YYYY-MM-DD\n",
                path);
        return EXIT_NOINPUT;
    }
    if (st != IDP_OK) {
        tool_print_error("profile", idp_ctx_error(ctx));
        return tool_exit_for(st);
    }
    return EXIT_OK;
}

/* Splits "key=value" (blanks around each trimmed) into key and value,
 * pointing into buf. */
static bool split_arg(const char *arg, char *buf, size_t size, char **key, char **value)
{
    char *eq, *end;

    if (strlen(arg) >= size || strchr(arg, '=') == NULL || arg[0] == '=')
        return false;
    strcpy(buf, arg);
    eq = strchr(buf, '=');
    *eq = '\0';
    *key = buf;
    *value = eq + 1;
    while (**key == ' ' || **key == '\t')
        (*key)++;
    for (end = eq; end > *key && (end[-1] == ' ' || end[-1] == '\t');)
        *--end = '\0';
    while (**value == ' ' || **value == '\t')
        (*value)++;
    for (end = *value + strlen(*value); end > *value && (end[-1] == ' ' || end[-1] == '\t');)
        *--end = '\0';
    return **key != '\0';
}

static int cmd_set(idp_ctx *ctx, const char *path, int argc, char **argv)
{
    idp_profile *p = NULL;
    idp_template *tmpl = NULL;
    const char *lang = NULL;
    char today[IDP_DAY_LEN], zone[64], buf[8192], errors[8192] = "";
    idp_status worst = IDP_OK;
    int64_t now;
    int rc;

    if (argc == 0)
        return tool_usage_error("profile", "set needs at least one KEY=VALUE");
    if (argc > MAX_ARGS)
        return tool_usage_error("profile", "more than %d values at once", MAX_ARGS);
    for (int i = 0; i < argc; i++) {
        char *key, *value, other[8192], *okey, *ovalue;
        if (!split_arg(argv[i], buf, sizeof(buf), &key, &value))
            return tool_usage_error("profile", "value %d is not KEY=VALUE", i + 1);
        for (int j = 0; j < i; j++)
            if (split_arg(argv[j], other, sizeof(other), &okey, &ovalue) && strcmp(okey, key) == 0)
                return tool_usage_error("profile", "%s is given twice", key);
        if (strcmp(key, IDP_PROFILE_LANG_KEY) == 0)
            lang = tool_lang(value) != NULL && strlen(value) == 2 ? tool_lang(value) : NULL;
    }
    if (!tool_request_date("profile", NULL, &now))
        return EXIT_USAGE;
    if (tool_date_fixed(NULL))
        idp_utc_day(now, today);
    else
        idp_local_day(now, today, zone, sizeof(zone));
    rc = load(ctx, path, true, &p);
    if (rc != EXIT_OK)
        goto out;
    if (lang == NULL)
        lang = idp_profile_lang(p) != NULL ? idp_profile_lang(p) : tool_lang(NULL);
    idp_ctx_set_lang(ctx, lang);
    if (idp_template_load(ctx, tool_templates_dir(), "2fa-reset", lang, &tmpl) != IDP_OK) {
        tool_error(idp_ctx_error(ctx));
        rc = EXIT_SOFTWARE;
        goto out;
    }
    /* Every bad value is reported, not only the first; an expired ID
     * (exit 1) counts less than a malformed value (exit 65). */
    for (int i = 0; i < argc; i++) {
        char *key, *value;
        idp_status st;
        split_arg(argv[i], buf, sizeof(buf), &key, &value);
        st = idp_profile_set(ctx, p, tmpl, key, value, "idpack profile set", today);
        if (st != IDP_OK) {
            size_t o = strlen(errors);
            snprintf(errors + o, sizeof(errors) - o, "%s%s", o ? "\n" : "", idp_ctx_error(ctx));
            if (worst == IDP_OK || worst == IDP_E_EXPIRED)
                worst = st;
        }
    }
    if (worst != IDP_OK) {
        fprintf(stderr, tool_tr(lang, "%s\nNothing was saved.\n"), errors);
        rc = tool_exit_for(worst);
        goto out;
    }
    if (idp_profile_save(ctx, p, path) != IDP_OK) {
        tool_error(idp_ctx_error(ctx));
        rc = EXIT_CANTCREAT;
        goto out;
    }
    printf(tool_tr(lang, "Saved in %s\n"), path);
    rc = EXIT_OK;
out:
    memset(buf, 0, sizeof(buf));
    idp_template_destroy(tmpl);
    idp_profile_destroy(p);
    return rc;
}

static int cmd_unset(idp_ctx *ctx, const char *path, int argc, char **argv)
{
    idp_profile *p = NULL;
    int rc;

    if (argc == 0)
        return tool_usage_error("profile", "unset needs at least one KEY");
    rc = load(ctx, path, false, &p);
    for (int i = 0; rc == EXIT_OK && i < argc; i++) {
        if (idp_profile_unset(ctx, p, argv[i]) != IDP_OK) {
            tool_error(idp_ctx_error(ctx));
            rc = EXIT_SOFTWARE;
        }
    }
    if (rc == EXIT_OK && idp_profile_save(ctx, p, path) != IDP_OK) {
        tool_error(idp_ctx_error(ctx));
        rc = EXIT_CANTCREAT;
    }
    if (rc == EXIT_OK)
        printf(tool_tr(idp_profile_lang(p) != NULL ? idp_profile_lang(p) : tool_lang(NULL),
                       "Saved in %s\n"),
               path);
    idp_profile_destroy(p);
    return rc;
}

static int cmd_show(idp_ctx *ctx, const char *path, bool json)
{
    idp_profile *p = NULL;
    idp_template *tmpl = NULL;
    const idp_field *missing[32];
    const char *lang;
    size_t n_missing;
    const idp_form *form;
    int rc = load(ctx, path, false, &p);

    if (rc != EXIT_OK)
        return rc;
    form = idp_profile_form(p);
    lang = idp_profile_lang(p) != NULL ? idp_profile_lang(p) : tool_lang(NULL);
    if (idp_template_load(ctx, tool_templates_dir(), "2fa-reset", lang, &tmpl) != IDP_OK) {
        tool_error(idp_ctx_error(ctx));
        rc = EXIT_SOFTWARE;
        goto out;
    }
    n_missing = idp_profile_missing(p, tmpl, missing, sizeof(missing) / sizeof(missing[0]));
    if (n_missing > sizeof(missing) / sizeof(missing[0]))
        n_missing = sizeof(missing) / sizeof(missing[0]);
    if (json) {
        json_t *root = json_object(), *fields = json_object(), *miss = json_array();
        json_object_set_new(root, "path", json_string(path));
        json_object_set_new(root, "lang",
                            idp_profile_lang(p) != NULL ? json_string(idp_profile_lang(p))
                                                        : json_null());
        for (size_t i = 0; i < idp_form_count(form); i++) {
            const char *k = idp_form_key(form, i);
            json_object_set_new(fields, k, json_string(idp_form_get(form, k)));
        }
        json_object_set_new(root, "fields", fields);
        for (size_t i = 0; i < n_missing; i++)
            json_array_append_new(miss, json_string(idp_field_key(missing[i])));
        json_object_set_new(root, "missing", miss);
        json_object_set_new(root, "complete", json_boolean(n_missing == 0));
        json_dumpf(root, stdout, TOOL_JSON_FLAGS);
        fputc('\n', stdout);
        json_decref(root);
    } else {
        printf(tool_tr(lang, "Profile: %s\n"), path);
        if (idp_profile_lang(p) != NULL)
            printf("  %-14s %s\n", IDP_PROFILE_LANG_KEY, idp_profile_lang(p));
        for (size_t i = 0; i < idp_form_count(form); i++) {
            const char *k = idp_form_key(form, i);
            printf("  %-14s %s\n", k, idp_form_get(form, k));
        }
        if (n_missing == 0) {
            puts(tool_tr(lang, "Complete: 'idpack drop' can use it."));
        } else {
            fputs(tool_tr(lang, "Missing for 'idpack drop':"), stdout);
            for (size_t i = 0; i < n_missing; i++)
                printf("%s %s (%s)", i ? "," : "", idp_field_key(missing[i]),
                       idp_field_label(missing[i]));
            fputc('\n', stdout);
        }
    }
out:
    idp_template_destroy(tmpl);
    idp_profile_destroy(p);
    return rc;
}

int cmd_profile(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    tool_getopt g = TOOL_GETOPT("profile", argc, argv, "h", longopts);
    char path[PATH_MAX];
    idp_ctx *ctx = NULL;
    bool json = false, help = false;
    const char *sub;
    int c, rc;

    while ((c = tool_getopt_next(&g)) != -1) {
        switch (c) {
        case 'j':
            if (json)
                return tool_usage_error("profile", "--json given twice");
            json = true;
            break;
        case 'h':
            help = true;
            break;
        default:
            return EXIT_USAGE;
        }
    }
    if (help) {
        profile_help();
        return EXIT_OK;
    }
    /* The operands, in order: the subcommand, then its KEY=VALUE or KEY. */
    argc -= optind - 1;
    argv += optind - 1;
    if (argc < 2)
        return tool_usage_error("profile", "say what to do: set, unset, show or path");
    sub = argv[1];
    if (json && strcmp(sub, "show") != 0)
        return tool_usage_error("profile", "--json goes with show only");
    if (strcmp(sub, "show") == 0 || strcmp(sub, "path") == 0) {
        if (argc > 2)
            return tool_usage_error("profile", "unexpected argument '%s'", argv[2]);
    } else if (strcmp(sub, "set") != 0 && strcmp(sub, "unset") != 0) {
        return tool_usage_error("profile", "unknown subcommand '%s' (set, unset, show or path)",
                                sub);
    }
    if (!tool_profile_path("profile", path, sizeof(path)))
        return EXIT_USAGE;
    if (strcmp(sub, "path") == 0) {
        puts(path);
        return EXIT_OK;
    }
    if (strcmp(sub, "show") != 0)
        tool_protect_output(path);
    if (idp_ctx_create(&ctx) != IDP_OK) {
        tool_error("out of memory");
        return EXIT_SOFTWARE;
    }
    if (strcmp(sub, "show") == 0)
        rc = cmd_show(ctx, path, json);
    else if (strcmp(sub, "set") == 0)
        rc = cmd_set(ctx, path, argc - 2, argv + 2);
    else
        rc = cmd_unset(ctx, path, argc - 2, argv + 2);
    idp_ctx_destroy(ctx);
    return rc;
}
