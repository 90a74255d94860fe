/* idpack drop: what runs when a seller drops photos on the idpack icon.
 * Front and back from the file names (else the order), the details from
 * the saved profile, the package next to the photos; when something is
 * wrong, idpack-problems.txt next to them says in plain words what to do,
 * in the profile's language. A desktop notification either way. */
#include "tool.h"

#include "idp_build.h"
#include "idp_io.h"
#include "idp_ledger.h"
#include "idp_policy.h"
#include "idp_profile.h"
#include "idp_template.h"
#include "idp_version.h"
#include "tool_drop.h"
#include "tool_opts.h"
#include "tool_profile.h"
#include "tool_report.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROBLEMS_FILE "idpack-problems.txt"

/* ---- messages ----------------------------------------------------------- */

/* What drop tells the seller, in English and Italian (other languages get
 * English: the check messages exist in these two). */
typedef struct drop_text {
    const char *failed, *photo, *front, *back, *retake, *no_profile, *missing, *bad_field, *expired,
        *count, *other, *notify_ok, *notify_fail, *written, *unreadable, *no_file, *too_large,
        *edit, *notify_profile, *reused, *mismatch;
} drop_text;

static const drop_text text_en = {
    .failed = "idpack could not make your package from: {}\n",
    .photo = "Photo",
    .front = "front of the ID",
    .back = "back of the ID",
    .retake = "What to do: take the photo(s) named above again, then drop the photos on the "
              "idpack icon again.\n",
    .no_profile = "Your details are not saved yet: idpack has made the file for them, a line "
                  "for each detail.\n",
    .missing = "Your saved details lack: {}.\n",
    .bad_field = "One of your saved details is not valid: {}\n",
    .expired = "Your ID expired on {}: Amazon does not accept an expired ID. Photograph a "
               "valid document and write its expiry date as id_expiry in your details.\n",
    .count = "Drop one photo (a passport) or two photos (front and back of an ID card) at a "
             "time; {} files were dropped.\n",
    .other = "Something went wrong: {}\n",
    .notify_ok = "Package ready: {}",
    .notify_fail = "Something is wrong: read {}",
    .written = "These problems are also written in {}\n",
    .unreadable = "this file cannot be opened as a photo: save it again as JPEG or PNG, or "
                  "take the photo again",
    .no_file = "this file does not exist (was it moved or renamed?): drop the photos again",
    .too_large = "this file is too large to be a photo of an ID (over 50 MB or 100 megapixels): "
                 "take the photo again with the phone's normal camera settings",
    .edit = "What to do: open {} (idpack opens it in your text editor; else open it with any "
            "text editor), write each detail after its '=' sign, save the file, then drop the "
            "photos on the idpack icon again.\n",
    .notify_profile = "Your details are needed: write them in the file that opened ({}), save "
                      "it, then drop the photos again (more in idpack-problems.txt)",
    .reused = "These photos and details already made this package; it is unchanged: {}\n",
    .mismatch = "Your saved details do not match the machine-readable zone of your ID (the "
                "lines of letters and <<< at the bottom):\n{}\nCorrect your details, or "
                "photograph the ID the details are for.\n",
};

static const drop_text text_it = {
    .failed = "idpack non ha potuto preparare il pacchetto da: {}\n",
    .photo = "Foto",
    .front = "fronte del documento",
    .back = "retro del documento",
    .retake = "Cosa fare: rifai le foto indicate sopra, poi trascinale di nuovo sull'icona "
              "di idpack.\n",
    .no_profile = "I tuoi dati non sono ancora salvati: idpack ha creato il file per loro, una "
                  "riga per ogni dato.\n",
    .missing = "Nei tuoi dati salvati mancano: {}.\n",
    .bad_field = "Uno dei tuoi dati salvati non è valido: {}\n",
    .expired = "Il tuo documento è scaduto il {}: Amazon non accetta documenti scaduti. "
               "Fotografa un documento valido e scrivi la sua scadenza come id_expiry nei tuoi "
               "dati.\n",
    .count = "Trascina una foto (passaporto) o due foto (fronte e retro della carta) alla "
             "volta; ne sono stati trascinati {}.\n",
    .other = "Qualcosa non ha funzionato: {}\n",
    .notify_ok = "Pacchetto pronto: {}",
    .notify_fail = "C'è un problema: leggi {}",
    .written = "Questi problemi sono scritti anche in {}\n",
    .unreadable = "questo file non si apre come foto: salvalo di nuovo come JPEG o PNG, oppure "
                  "rifai la foto",
    .no_file = "questo file non esiste (è stato spostato o rinominato?): trascina di nuovo le foto",
    .too_large = "questo file è troppo grande per la foto di un documento (oltre 50 MB o 100 "
                 "megapixel): rifai la foto con le impostazioni normali della fotocamera",
    .edit = "Cosa fare: apri {} (idpack lo apre nel tuo editor di testo; altrimenti aprilo con "
            "un qualsiasi editor di testo), scrivi ogni dato dopo il suo segno '=', salva il "
            "file, poi trascina di nuovo le foto sull'icona di idpack.\n",
    .notify_profile = "Servono i tuoi dati: scrivili nel file che si è aperto ({}), salvalo, poi "
                      "trascina di nuovo le foto (altro in idpack-problems.txt)",
    .reused = "Queste foto e questi dati hanno già prodotto questo pacchetto, che resta "
              "invariato: {}\n",
    .mismatch = "I tuoi dati salvati non corrispondono alla zona a lettura ottica del documento "
                "(le righe di lettere e <<< in basso):\n{}\nCorreggi i tuoi dati, oppure "
                "fotografa il documento a cui si riferiscono.\n",
};

/* ---- a growing text ----------------------------------------------------- */

typedef struct text_buf {
    char *s;
    size_t len, cap;
    bool oom;
} text_buf;

static void tb_printf(text_buf *b, const char *fmt, ...) IDP_PRINTF(2, 3);

static void tb_printf(text_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (b->oom)
        return;
    va_start(ap, fmt);
    n = vsnprintf(b->s != NULL ? b->s + b->len : NULL, b->s != NULL ? b->cap - b->len : 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true;
        return;
    }
    if (b->s == NULL || (size_t)n >= b->cap - b->len) {
        size_t cap = b->cap * 2 + (size_t)n + 256;
        char *grown = malloc(cap);
        if (grown == NULL) {
            b->oom = true;
            return;
        }
        if (b->s != NULL)
            memcpy(grown, b->s, b->len);
        idp_free_wiped(b->s, b->cap);
        b->s = grown;
        b->cap = cap;
        va_start(ap, fmt);
        n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

/* Appends tmpl with "{}" replaced by arg (the message tables hold no
 * printf formats). */
static void tb_fill(text_buf *b, const char *tmpl, const char *arg)
{
    const char *at = strstr(tmpl, "{}");

    if (at == NULL)
        tb_printf(b, "%s", tmpl);
    else
        tb_printf(b, "%.*s%s%s", (int)(at - tmpl), tmpl, arg, at + 2);
}

/* The same into a fixed buffer. */
static void fill_buf(char *buf, size_t size, const char *tmpl, const char *arg)
{
    const char *at = strstr(tmpl, "{}");

    if (at == NULL)
        snprintf(buf, size, "%s", tmpl);
    else
        snprintf(buf, size, "%.*s%s%s", (int)(at - tmpl), tmpl, arg, at + 2);
}

/* ---- which photo is which ----------------------------------------------- */

enum { ROLE_NONE = 0, ROLE_FRONT = 1, ROLE_BACK = 2 };

/* ROLE_FRONT or ROLE_BACK when a whole word of the lower-cased base name
 * says so (and not both), else ROLE_NONE. Words are runs of letters,
 * digits and non-ASCII bytes: "ID_fronte.jpg", "retro-2.JPG". */
static int role_of(const char *path)
{
    static const char *const fronts[] = {"front", "fronte", "recto", "vorderseite", "anverso"};
    static const char *const backs[] = {"back",      "retro",      "verso",  "r\u00fcckseite",
                                        "ruckseite", "rueckseite", "reverso"};
    const char *base = idp_basename(path);
    char name[256];
    size_t n = 0;
    int found = 0;

    for (size_t i = 0; base[i] != '\0' && n + 1 < sizeof(name); i++) {
        unsigned char c = (unsigned char)base[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (c == 0x9c && n > 0 && (unsigned char)name[n - 1] == 0xc3)
            c = 0xbc; /* Ü -> ü */
        name[n++] = (char)c;
    }
    name[n] = '\0';
    for (size_t i = 0; i < n;) {
        size_t start = i, len;
        while (i < n && (((unsigned char)name[i] >= 0x80) || (name[i] >= 'a' && name[i] <= 'z') ||
                         (name[i] >= '0' && name[i] <= '9')))
            i++;
        len = i - start;
        for (size_t k = 0; len > 0 && k < sizeof(fronts) / sizeof(fronts[0]); k++)
            if (strlen(fronts[k]) == len && memcmp(name + start, fronts[k], len) == 0)
                found |= ROLE_FRONT;
        for (size_t k = 0; len > 0 && k < sizeof(backs) / sizeof(backs[0]); k++)
            if (strlen(backs[k]) == len && memcmp(name + start, backs[k], len) == 0)
                found |= ROLE_BACK;
        if (len == 0)
            i++;
    }
    return found == (ROLE_FRONT | ROLE_BACK) ? ROLE_NONE : found;
}

/* ---- the notification ----------------------------------------------------- */

/* Shows a desktop notification with notify-send when it is on PATH; waits
 * at most 3 s for it and ignores any failure. */
static void notify(const char *summary, const char *body, bool ok)
{
    char a0[] = "notify-send", a1[] = "--app-name=idpack", a2[] = "--icon=idpack",
         a3[] = "--urgency", normal[] = "normal", critical[] = "critical";
    char *args[] = {a0,
                    a1,
                    a2,
                    a3,
                    ok ? normal : critical,
                    (char *)(uintptr_t)summary,
                    (char *)(uintptr_t)body,
                    NULL};
    posix_spawn_file_actions_t fa;
    extern char **environ;
    pid_t pid;
    int status;

    if (posix_spawn_file_actions_init(&fa) != 0)
        return;
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    if (posix_spawnp(&pid, "notify-send", &fa, NULL, args, environ) == 0) {
        struct timespec nap = {0, 50 * 1000 * 1000};
        int i;
        for (i = 0; i < 60; i++) {
            if (waitpid(pid, &status, WNOHANG) != 0)
                break;
            nanosleep(&nap, NULL);
        }
        if (i == 60) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
        }
    }
    posix_spawn_file_actions_destroy(&fa);
}

/* ---- the problems ----------------------------------------------------------- */

/* The failed checks of one photo, one line each. */
static void add_photo_problems(text_buf *b, const drop_text *tx, const char *lang, const char *path,
                               bool back, const idp_check_report *r)
{
    char msg[512];
    bool header = false;

    for (size_t i = 0; i < r->n_checks; i++) {
        if (r->checks[i].status != IDP_CHECK_FAIL)
            continue;
        if (!header)
            tb_printf(b, "%s \"%s\" (%s):\n", tx->photo, idp_basename(path),
                      back ? tx->back : tx->front);
        header = true;
        idp_check_describe(&r->checks[i], lang, msg, sizeof(msg));
        tb_printf(b, "  - %s\n", msg);
    }
    if (!header && r->verdict == IDP_VERDICT_ERROR) {
        tb_printf(b, "%s \"%s\" (%s):\n", tx->photo, idp_basename(path),
                  back ? tx->back : tx->front);
        tb_printf(b, "  - %s\n",
                  r->load_status == IDP_E_NOTFOUND ? tx->no_file
                  : r->load_status == IDP_E_LIMITS ? tx->too_large
                                                   : tx->unreadable);
    }
}

static bool reports_fail(const idp_check_report *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (r[i].verdict == IDP_VERDICT_FAIL || r[i].verdict == IDP_VERDICT_ERROR)
            return true;
    return false;
}

/* Checks the photos on their own (when the details stop the build before
 * it looks at them), so the seller learns everything at once. */
static void check_alone(const char *const *photos, size_t n, idp_check_report *reports)
{
    idp_policy policy;

    idp_policy_default(&policy);
    for (size_t i = 0; i < n; i++) {
        idp_ctx *ctx = NULL;
        memset(&reports[i], 0, sizeof(reports[i]));
        if (idp_ctx_create(&ctx) != IDP_OK)
            continue;
        tool_apply_limits(ctx);
        idp_ctx_set_threads(ctx, 2); /* as idpack check does */
        (void)idp_check_file(ctx, photos[i], &policy, &reports[i]);
        idp_ctx_destroy(ctx);
    }
    if (n == 2)
        idp_check_duplicates(reports, n, &policy);
}

/* Drops id_type and id_expiry from a list of missing fields: the
 * machine-readable zone gives them (--mrz). Returns the count left. */
static size_t not_from_zone(const idp_field **missing, size_t n)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        if (strcmp(missing[i]->key, "id_type") != 0 && strcmp(missing[i]->key, "id_expiry") != 0)
            missing[k++] = missing[i];
    return k;
}

/* Whether the build refused the photos as swapped: the front shows an ID
 * card's zone (TD1, on a card's back) and the back none (idp_build_mrz.h). */
static bool zone_says_swapped(idp_status st, const idp_build_result *res)
{
    return st == IDP_E_MISMATCH && res->n_photos == 2 && res->reports[0].has_mrz &&
           res->reports[0].mrz.format == IDP_MRZ_TD1 && !res->reports[1].has_mrz;
}

/* "a.jpg, b.jpg" */
static void name_list(text_buf *b, char **files, size_t n)
{
    for (size_t i = 0; i < n; i++)
        tb_printf(b, "%s%s", i ? ", " : "", idp_basename(files[i]));
}

static void dir_of(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');

    if (slash == NULL)
        snprintf(buf, size, ".");
    else if (slash == path)
        snprintf(buf, size, "/");
    else
        snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

/* ---- the command ------------------------------------------------------------- */

static void drop_help(void)
{
    fputs("Usage: idpack drop [--date ISO-8601] [--no-notify] [--ledger PATH | --no-ledger]\n"
          "                   [--mrz] PHOTO [PHOTO]\n"
          "\n"
          "What runs when photos are dropped on the idpack icon: builds the package\n"
          "from one photo (a passport) or two (front and back of an ID card) and the\n"
          "details saved with 'idpack profile', in a folder next to the first photo named\n"
          "by the day and a key of the inputs (idpack-package-YYYY-MM-DD-KEY, KEY 8 hex\n"
          "digits of the SHA-256 of the photos, the details, the language and the day).\n"
          "The same photos and details dropped again the same day give the same folder:\n"
          "a package there that verifies is reported again, unchanged, not copied;\n"
          "nothing is ever replaced.\n"
          "\n"
          "Front and back come from the file names (front, fronte, recto, vorderseite,\n"
          "anverso; back, retro, verso, rückseite, reverso, as whole words: ID_fronte.jpg,\n"
          "retro-2.jpg), else from the order given. When a photo fails a check, the\n"
          "profile lacks a detail, the ID has expired or a file cannot be read, it writes\n"
          "idpack-problems.txt next to the photos in plain words, in the profile's\n"
          "language (lang), and writes no package; a later drop replaces that file, and a\n"
          "successful one removes it. With no profile saved, it writes one to fill in\n"
          "(every detail on its own line, empty) and opens it in the text editor\n"
          "(xdg-open); so it does with a profile that lacks a detail. A desktop\n"
          "notification (notify-send) says how it went. A new package is recorded in the\n"
          "ledger as prepared (see 'idpack track').\n"
          "\n"
          "Options:\n"
          "  --date DATE   date of the request, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ\n"
          "                (default: SOURCE_DATE_EPOCH, else now)\n"
          "  --no-notify   no desktop notification, no editor opened\n"
          "  --ledger PATH the ledger to record the package in (default:\n"
          "                $IDPACK_LEDGER, else $XDG_DATA_HOME/idpack/ledger.sqlite)\n"
          "  --no-ledger   do not record the package\n"
          "  --mrz         read the ID's machine-readable zone (the default, always on\n"
          "                in drop): the profile may leave out id_type and id_expiry\n"
          "                (taken from it); an id_type, id_expiry or full_name that is\n"
          "                not the zone's is a problem; when only the order said which\n"
          "                photo is the front, the one showing an ID card's zone is\n"
          "                taken as the back (docs/mrz.md)\n"
          "  -h, --help    show this help\n"
          "\n"
          "Exit status: 0 package written, 1 a photo fails a check or the ID has expired,\n"
          "65 a detail or a photo is invalid, 66 no profile saved or a photo is missing,\n"
          "73 the package cannot be written, 64 usage error (no photo, or more than two),\n"
          "74 the package was written but could not be recorded in the ledger.\n",
          stdout);
}

typedef struct drop_opts {
    const char *date, *ledger;
    bool no_notify, no_ledger, mrz;
} drop_opts;

/* The package these photos and details already made: said as a new one
 * is, on stdout and in the notification; a stale problems file goes. */
static void report_reused(const drop_opts *o, const drop_text *tx, const char *out_dir,
                          const char *problems_path, const idp_build_result *res,
                          const char *const photos[2])
{
    char line[PATH_MAX + 256];

    if (unlink(problems_path) != 0 && errno != ENOENT)
        fprintf(stderr, "idpack drop: %s: cannot remove: %s\n", problems_path, strerror(errno));
    fill_buf(line, sizeof(line), tx->reused, out_dir);
    fputs(line, stdout);
    const char *lang = tx == &text_it ? "it" : "en";
    printf(tool_tr(lang, "  reference  %s\n  front      %s\n"), res->reference, photos[0]);
    if (photos[1] != NULL)
        printf(tool_tr(lang, "  back       %s\n"), photos[1]);
    if (!o->no_notify) {
        fill_buf(line, sizeof(line), tx->notify_ok, idp_basename(out_dir));
        notify("idpack", line, true);
    }
}

static int parse_opts(int argc, char **argv, drop_opts *o)
{
    enum { O_DATE = 256, O_NO_NOTIFY, O_LEDGER, O_NO_LEDGER, O_MRZ };
    static const struct option longopts[] = {
        {"date", required_argument, NULL, O_DATE},
        {"no-notify", no_argument, NULL, O_NO_NOTIFY},
        {"ledger", required_argument, NULL, O_LEDGER},
        {"no-ledger", no_argument, NULL, O_NO_LEDGER},
        {"mrz", no_argument, NULL, O_MRZ},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    tool_getopt g = TOOL_GETOPT("drop", argc, argv, "h", longopts);
    int c;

    memset(o, 0, sizeof(*o));
    while ((c = tool_getopt_next(&g)) != -1) {
        switch (c) {
        case O_DATE:
            if (o->date != NULL)
                return tool_usage_error("drop", "--date given twice");
            o->date = optarg;
            break;
        case O_NO_NOTIFY:
            if (o->no_notify)
                return tool_usage_error("drop", "--no-notify given twice");
            o->no_notify = true;
            break;
        case O_LEDGER:
            if (o->ledger != NULL)
                return tool_usage_error("drop", "--ledger given twice");
            if (*optarg == '\0')
                return tool_usage_error("drop", "--ledger needs a file name");
            o->ledger = optarg;
            break;
        case O_NO_LEDGER:
            if (o->no_ledger)
                return tool_usage_error("drop", "--no-ledger given twice");
            o->no_ledger = true;
            break;
        case O_MRZ:
            if (o->mrz)
                return tool_usage_error("drop", "--mrz given twice");
            o->mrz = true;
            break;
        case 'h':
            drop_help();
            return -1;
        default:
            return EXIT_USAGE;
        }
    }
    if (o->ledger != NULL && o->no_ledger)
        return tool_usage_error("drop", "--ledger and --no-ledger exclude each other");
    return 0;
}

/* Builds into DIR/idpack-package-DAY-KEY, the folder of these inputs
 * (tool_drop_key). When a package that verifies is already there, the
 * same photos and details made it: it is the result, unchanged, and
 * *reused is set. A name taken by anything else: -2, -3, ...; nothing is
 * ever replaced. */
static idp_status build_keyed(idp_ctx *ctx, idp_build_opts *bo, const char *dir,
                              idp_build_result *res, char *out, size_t size, bool *reused)
{
    char day[16], key[9];
    idp_status st = IDP_E_EXISTS;
    struct stat sb;
    /* No key when a photo cannot be read: the build says why. */
    bool keyed = tool_drop_key(bo, key);

    *reused = false;
    if (bo->today != NULL)
        snprintf(day, sizeof(day), "%s", bo->today);
    else
        idp_utc_day(bo->date, day);
    for (unsigned k = 1; k < 1000 && st == IDP_E_EXISTS; k++) {
        int n = snprintf(out, size, "%s/idpack-package-%s%s%s", dir, day, keyed ? "-" : "",
                         keyed ? key : "");
        if (k > 1)
            snprintf(out + n, size - (size_t)n, "-%u", k);
        if (lstat(out, &sb) == 0) {
            if (keyed && S_ISDIR(sb.st_mode) && tool_drop_verifies(out, res->reference)) {
                *reused = true;
                return IDP_OK;
            }
            continue;
        }
        bo->out_dir = out;
        st = idp_build_package(ctx, bo, res);
    }
    return st;
}

/* Records the package in the ledger (unless --no-ledger). The package
 * stays if that fails: says so and returns EXIT_IOERR, as build does. */
static int record(idp_ctx *ctx, const drop_opts *o, const idp_build_opts *bo,
                  const idp_build_result *res)
{
    idp_ledger_package pkg;
    char *path = NULL;
    int rc;

    if (o->no_ledger)
        return EXIT_OK;
    rc = tool_ledger_path("drop", o->ledger, true, &path);
    if (rc != EXIT_OK)
        return EXIT_IOERR;
    memset(&pkg, 0, sizeof(pkg));
    pkg.reference = res->reference;
    pkg.account_email = idp_form_get(bo->form, "account_email");
    pkg.lang = bo->lang;
    pkg.folder = bo->out_dir;
    pkg.pdf_sha256 = res->pdf_sha256;
    pkg.created = bo->date;
    if (tool_ledger_record(ctx, path, &pkg) != IDP_OK) {
        fprintf(
            stderr,
            tool_tr(bo->lang,
                    "idpack drop: the package is written, but not recorded in the ledger: %s\n"),
            idp_ctx_error(ctx));
        rc = EXIT_IOERR;
    }
    free(path);
    return rc;
}

int cmd_drop(int argc, char **argv)
{
    char today[IDP_DAY_LEN];
    drop_opts o;
    char profile_path[PATH_MAX], dir[PATH_MAX], out_dir[PATH_MAX + 64],
        problems_path[PATH_MAX + 64];
    const char *photos[2] = {NULL, NULL}, *lang, *expiry;
    const drop_text *tx;
    idp_ctx *ctx = NULL;
    idp_profile *profile = NULL;
    idp_template *tmpl = NULL;
    idp_build_opts bo;
    idp_build_result res;
    idp_check_report alone[2];
    idp_policy policy;
    text_buf pb = {0};
    size_t n_files, n_missing;
    bool reused, edit_profile = false;
    idp_status st;
    int rc, exit_code = EXIT_OK;

    rc = parse_opts(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    n_files = (size_t)(argc - optind);
    memset(&bo, 0, sizeof(bo));
    memset(&res, 0, sizeof(res));
    if (!tool_request_date("drop", o.date, &bo.date))
        return EXIT_USAGE;
    tool_set_today(&bo, o.date, today);
    if (!tool_profile_path("drop", profile_path, sizeof(profile_path)))
        return EXIT_USAGE;
    if (idp_ctx_create(&ctx) != IDP_OK) {
        tool_error("out of memory");
        return EXIT_SOFTWARE;
    }
    tool_apply_limits(ctx);
    st = idp_profile_load(ctx, profile_path, &profile);
    lang = profile != NULL && idp_profile_lang(profile) != NULL ? idp_profile_lang(profile)
                                                                : tool_lang(NULL);
    tx = strcmp(lang, "it") == 0 ? &text_it : &text_en;
    idp_ctx_set_lang(ctx, lang);
    if (n_files == 0) {
        char body[256];
        fputs("idpack drop: no photo given\nRun 'idpack drop --help' for usage.\n", stderr);
        if (!o.no_notify) {
            fill_buf(body, sizeof(body), tx->count, "0");
            notify("idpack", body, false);
        }
        exit_code = EXIT_USAGE;
        goto out;
    }
    dir_of(argv[optind], dir, sizeof(dir));
    snprintf(problems_path, sizeof(problems_path), "%s/%s", dir, PROBLEMS_FILE);
    {
        /* The package and the problems file both go into dir. */
        const char *guarded = dir;
        (void)idp_remove_temporaries(dir, NULL, 0);
        tool_guard(&guarded, 1);
    }
    {
        text_buf names = {0};
        name_list(&names, argv + optind, n_files);
        tb_fill(&pb, tx->failed, names.s != NULL ? names.s : "");
        tb_printf(&pb, "\n");
        idp_free_wiped(names.s, names.cap);
    }

    if (n_files > 2) {
        char count[32];
        snprintf(count, sizeof(count), "%zu", n_files);
        tb_fill(&pb, tx->count, count);
        exit_code = EXIT_USAGE;
        goto problems;
    }
    photos[0] = argv[optind];
    photos[1] = n_files == 2 ? argv[optind + 1] : NULL;
    if (n_files == 2) {
        int r0 = role_of(photos[0]), r1 = role_of(photos[1]);
        if ((r0 == ROLE_BACK && r1 != ROLE_BACK) || (r1 == ROLE_FRONT && r0 != ROLE_FRONT)) {
            photos[0] = argv[optind + 1];
            photos[1] = argv[optind];
        }
    }

    /* The details: a missing or partial profile stops here, but the photos
     * are still checked so every problem is told at once. */
    if (st == IDP_E_NOTFOUND) {
        /* A profile to fill in, opened in the seller's text editor. */
        edit_profile = tool_drop_profile_template(profile_path, lang, tx == &text_it ? "it" : "en");
        if (edit_profile)
            tb_printf(&pb, "%s", tx->no_profile);
        exit_code = EXIT_NOINPUT;
    } else if (st != IDP_OK) {
        tb_fill(&pb, tx->bad_field, idp_ctx_error(ctx));
        edit_profile = true;
        exit_code = tool_exit_for(st);
    } else {
        st = idp_template_load(ctx, tool_templates_dir(), "2fa-reset", lang, &tmpl);
        if (st != IDP_OK) {
            tb_fill(&pb, tx->other, idp_ctx_error(ctx));
            exit_code = tool_exit_for(st);
            goto problems;
        }
        const idp_field *missing[32];
        n_missing = idp_profile_missing(profile, tmpl, missing, 32);
        if (n_missing > 32)
            n_missing = 32;
        n_missing = not_from_zone(missing, n_missing); /* the zone gives these */
        if (n_missing > 0) {
            text_buf names = {0};
            for (size_t i = 0; i < n_missing; i++)
                tb_printf(&names, "%s%s (%s)", i ? ", " : "", missing[i]->key, missing[i]->label);
            tb_fill(&pb, tx->missing, names.s != NULL ? names.s : "");
            free(names.s);
            edit_profile = true;
            exit_code = EXIT_DATAERR;
        }
    }
    if (edit_profile) {
        tb_fill(&pb, tx->edit, profile_path);
        tb_printf(&pb, "\n");
    } else if (exit_code == EXIT_NOINPUT) {
        /* The file could not be made: the command instead. */
        tb_printf(&pb, "idpack profile set full_name=\"...\" account_email=... id_type=id_card "
                       "id_expiry=YYYY-MM-DD\n\n");
    }
    if (exit_code != EXIT_OK) {
        check_alone(photos, n_files, alone);
        for (size_t i = 0; i < n_files; i++)
            add_photo_problems(&pb, tx, lang, photos[i], i == 1, &alone[i]);
        if (reports_fail(alone, n_files))
            tb_printf(&pb, "\n%s", tx->retake);
        goto problems;
    }

    /* The build. */
    idp_policy_default(&policy);
    policy.mrz_read = 1; /* the default; --mrz says so too */
    bo.front_path = photos[0];
    bo.back_path = photos[1];
    bo.form = idp_profile_form(profile);
    bo.templates_dir = tool_templates_dir();
    bo.template_id = "2fa-reset";
    bo.lang = lang;
    bo.policy = &policy;
    bo.tool_version = IDP_VERSION;
    st = build_keyed(ctx, &bo, dir, &res, out_dir, sizeof(out_dir), &reused);
    if (zone_says_swapped(st, &res) && role_of(photos[0]) == ROLE_NONE &&
        role_of(photos[1]) == ROLE_NONE) {
        /* Only the order said which is the front; the zone says the
         * other way round: so be it. */
        const char *first = photos[0];
        photos[0] = photos[1];
        photos[1] = first;
        bo.front_path = photos[0];
        bo.back_path = photos[1];
        idp_ctx_clear(ctx);
        memset(&res, 0, sizeof(res));
        st = build_keyed(ctx, &bo, dir, &res, out_dir, sizeof(out_dir), &reused);
    }
    if (st == IDP_OK && reused) {
        report_reused(&o, tx, out_dir, problems_path, &res, photos);
        goto out;
    }
    exit_code = tool_exit_for(st);
    if (st == IDP_OK) {
        char body[PATH_MAX + 128];
        if (unlink(problems_path) != 0 && errno != ENOENT)
            fprintf(stderr, "idpack drop: %s: cannot remove: %s\n", problems_path, strerror(errno));
        exit_code = record(ctx, &o, &bo, &res);
        printf(tool_tr(lang, "Package written: %s\n  reference  %s\n  front      %s\n"), out_dir,
               res.reference, photos[0]);
        if (photos[1] != NULL)
            printf(tool_tr(lang, "  back       %s\n"), photos[1]);
        for (size_t i = 0; i < res.n_photos; i++)
            if (res.reports[i].verdict == IDP_VERDICT_WARN)
                tool_report_text(stdout, photos[i], &res.reports[i], "", lang);
        if (res.warning[0] != '\0')
            printf("%s: %s\n", strcmp(lang, "it") == 0 ? "Attenzione" : "Warning", res.warning);
        if (!o.no_notify) {
            fill_buf(body, sizeof(body), tx->notify_ok, idp_basename(out_dir));
            notify("idpack", body, true);
        }
        goto out;
    }
    expiry = idp_form_get(idp_profile_form(profile), "id_expiry");
    if (st == IDP_E_EXPIRED && expiry != NULL) {
        tb_fill(&pb, tx->expired, expiry);
        tb_fill(&pb, tx->edit, profile_path);
        edit_profile = true;
    } else if (zone_says_swapped(st, &res)) {
        tb_printf(&pb, "%s\n", idp_ctx_error(ctx)); /* front and back swapped: says so */
    } else if (st == IDP_E_MISMATCH) {              /* the details against the ID's zone (--mrz) */
        tb_fill(&pb, tx->mismatch, idp_ctx_error(ctx));
        tb_fill(&pb, tx->edit, profile_path);
        edit_profile = true;
    } else if (st == IDP_E_FIELD || st == IDP_E_GLYPH || st == IDP_E_EXPIRED) {
        tb_fill(&pb, tx->bad_field, idp_ctx_error(ctx));
        tb_fill(&pb, tx->edit, profile_path);
        edit_profile = true;
    } else if (reports_fail(res.reports, res.n_photos)) {
        for (size_t i = 0; i < res.n_photos; i++)
            add_photo_problems(&pb, tx, lang, photos[i], i == 1, &res.reports[i]);
        tb_printf(&pb, "\n%s", tx->retake);
    } else {
        tb_fill(&pb, tx->other, idp_ctx_error(ctx));
    }

problems:
    if (pb.oom) {
        tool_error("out of memory");
        exit_code = EXIT_SOFTWARE;
        goto out;
    }
    fwrite(pb.s, 1, pb.len, stderr);
    idp_ctx_clear(ctx);
    if (idp_write_atomic(ctx, problems_path, pb.s, pb.len, true) == IDP_OK) {
        char line[PATH_MAX + 128];
        fill_buf(line, sizeof(line), tx->written, problems_path);
        fputs(line, stderr);
    } else
        tool_print_error("drop", idp_ctx_error(ctx));
    if (!o.no_notify) {
        char body[PATH_MAX + 256];
        if (edit_profile)
            fill_buf(body, sizeof(body), tx->notify_profile, profile_path);
        else
            fill_buf(body, sizeof(body), tx->notify_fail, PROBLEMS_FILE);
        notify("idpack", body, false);
        if (edit_profile)
            tool_drop_open(profile_path);
    }
out:
    idp_free_wiped(pb.s, pb.cap);
    idp_template_destroy(tmpl);
    idp_profile_destroy(profile);
    idp_ctx_destroy(ctx);
    return exit_code;
}

int tool_drop_role(const char *path)
{
    return role_of(path);
}
