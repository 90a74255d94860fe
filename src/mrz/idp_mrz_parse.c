/* ICAO 9303 machine-readable zones: the layout of each format, the check
 * digits, and the repair of characters a reader confuses by what each
 * field may hold. Pure: no I/O, no allocation. */
#include "idp_mrz.h"
#include "idp_date.h"

#include <stdio.h>
#include <string.h>

typedef enum kind {
    K_ALPHA,  /* letters and fillers: codes, names */
    K_DIGITS, /* dates */
    K_CHECK,  /* a check digit ('<' allowed where the field may be empty) */
    K_ALNUM,  /* document number, optional data */
    K_SEX     /* M, F, X or '<' */
} kind;

typedef struct span {
    int line, start, len;
    kind k;
} span;

typedef struct layout {
    idp_mrz_format format;
    int n_lines, len;
    span type, state, name, number, number_check, nationality, birth, birth_check, sex, expiry,
        expiry_check, optional, optional2, optional_check, composite;
    /* the composite check covers these spans (len 0: unused) */
    span comp[4];
} layout;

#define S(l, s, n, k)                                                                              \
    {                                                                                              \
        (l), (s), (n), (k)                                                                         \
    }
#define NONE                                                                                       \
    {                                                                                              \
        0, 0, 0, K_ALNUM                                                                           \
    }

static const layout LAYOUTS[] = {
    {IDP_MRZ_TD1,
     3,
     30,
     S(0, 0, 2, K_ALPHA),
     S(0, 2, 3, K_ALPHA),
     S(2, 0, 30, K_ALPHA),
     S(0, 5, 9, K_ALNUM),
     S(0, 14, 1, K_CHECK),
     S(1, 15, 3, K_ALPHA),
     S(1, 0, 6, K_DIGITS),
     S(1, 6, 1, K_CHECK),
     S(1, 7, 1, K_SEX),
     S(1, 8, 6, K_DIGITS),
     S(1, 14, 1, K_CHECK),
     S(0, 15, 15, K_ALNUM),
     S(1, 18, 11, K_ALNUM),
     NONE,
     S(1, 29, 1, K_CHECK),
     {S(0, 5, 25, K_ALNUM), S(1, 0, 7, K_ALNUM), S(1, 8, 7, K_ALNUM), S(1, 18, 11, K_ALNUM)}},
    {IDP_MRZ_TD2,
     2,
     36,
     S(0, 0, 2, K_ALPHA),
     S(0, 2, 3, K_ALPHA),
     S(0, 5, 31, K_ALPHA),
     S(1, 0, 9, K_ALNUM),
     S(1, 9, 1, K_CHECK),
     S(1, 10, 3, K_ALPHA),
     S(1, 13, 6, K_DIGITS),
     S(1, 19, 1, K_CHECK),
     S(1, 20, 1, K_SEX),
     S(1, 21, 6, K_DIGITS),
     S(1, 27, 1, K_CHECK),
     S(1, 28, 7, K_ALNUM),
     NONE,
     NONE,
     S(1, 35, 1, K_CHECK),
     {S(1, 0, 10, K_ALNUM), S(1, 13, 7, K_ALNUM), S(1, 21, 14, K_ALNUM), NONE}},
    {IDP_MRZ_TD3,
     2,
     44,
     S(0, 0, 2, K_ALPHA),
     S(0, 2, 3, K_ALPHA),
     S(0, 5, 39, K_ALPHA),
     S(1, 0, 9, K_ALNUM),
     S(1, 9, 1, K_CHECK),
     S(1, 10, 3, K_ALPHA),
     S(1, 13, 6, K_DIGITS),
     S(1, 19, 1, K_CHECK),
     S(1, 20, 1, K_SEX),
     S(1, 21, 6, K_DIGITS),
     S(1, 27, 1, K_CHECK),
     S(1, 28, 14, K_ALNUM),
     NONE,
     S(1, 42, 1, K_CHECK),
     S(1, 43, 1, K_CHECK),
     {S(1, 0, 10, K_ALNUM), S(1, 13, 7, K_ALNUM), S(1, 21, 22, K_ALNUM), NONE}},
    {IDP_MRZ_MRVA,
     2,
     44,
     S(0, 0, 2, K_ALPHA),
     S(0, 2, 3, K_ALPHA),
     S(0, 5, 39, K_ALPHA),
     S(1, 0, 9, K_ALNUM),
     S(1, 9, 1, K_CHECK),
     S(1, 10, 3, K_ALPHA),
     S(1, 13, 6, K_DIGITS),
     S(1, 19, 1, K_CHECK),
     S(1, 20, 1, K_SEX),
     S(1, 21, 6, K_DIGITS),
     S(1, 27, 1, K_CHECK),
     S(1, 28, 16, K_ALNUM),
     NONE,
     NONE,
     NONE,
     {NONE, NONE, NONE, NONE}},
    {IDP_MRZ_MRVB,
     2,
     36,
     S(0, 0, 2, K_ALPHA),
     S(0, 2, 3, K_ALPHA),
     S(0, 5, 31, K_ALPHA),
     S(1, 0, 9, K_ALNUM),
     S(1, 9, 1, K_CHECK),
     S(1, 10, 3, K_ALPHA),
     S(1, 13, 6, K_DIGITS),
     S(1, 19, 1, K_CHECK),
     S(1, 20, 1, K_SEX),
     S(1, 21, 6, K_DIGITS),
     S(1, 27, 1, K_CHECK),
     S(1, 28, 8, K_ALNUM),
     NONE,
     NONE,
     NONE,
     {NONE, NONE, NONE, NONE}},
};

const char *idp_mrz_format_name(idp_mrz_format format)
{
    switch (format) {
    case IDP_MRZ_TD1:
        return "TD1";
    case IDP_MRZ_TD2:
        return "TD2";
    case IDP_MRZ_TD3:
        return "TD3";
    case IDP_MRZ_MRVA:
        return "MRV-A";
    case IDP_MRZ_MRVB:
        return "MRV-B";
    case IDP_MRZ_NONE:
        break;
    }
    return "none";
}

const char *idp_mrz_check_name(idp_mrz_check_id id)
{
    static const char *const names[] = {"document_number", "birth_date", "expiry_date",
                                        "optional_data", "composite"};
    return (unsigned)id < sizeof(names) / sizeof(names[0]) ? names[id] : "unknown";
}

static int char_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    if (c == '<')
        return 0;
    return -1;
}

int idp_mrz_check_digit(const char *s, size_t n)
{
    static const int w[3] = {7, 3, 1};
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        int v = char_value(s[i]);
        if (v < 0)
            return -1;
        sum += v * w[i % 3];
    }
    return sum % 10;
}

/* The pairs a reader confuses: a digit and the letter it looks like. */
static const char PAIRS[][2] = {{'0', 'O'}, {'1', 'I'}, {'5', 'S'}, {'8', 'B'},
                                {'2', 'Z'}, {'6', 'G'}, {'0', 'D'}, {'0', 'Q'}};
#define N_PAIRS (sizeof(PAIRS) / sizeof(PAIRS[0]))

static char as_digit(char c)
{
    for (size_t i = 0; i < N_PAIRS; i++)
        if (PAIRS[i][1] == c)
            return PAIRS[i][0];
    return c;
}

static char as_letter(char c)
{
    for (size_t i = 0; i < N_PAIRS; i++)
        if (PAIRS[i][0] == c)
            return PAIRS[i][1];
    return c;
}

static void note(idp_mrz *m, int line, int col, char from, char to, const char *why)
{
    if (m->n_repairs < IDP_MRZ_MAX_REPAIRS) {
        idp_mrz_repair *r = &m->repairs[m->n_repairs++];
        r->line = line;
        r->col = col;
        r->from = from;
        r->to = to;
        r->why = why;
    }
}

static void set_char(idp_mrz *m, int line, int col, char to, const char *why)
{
    char *p = &m->lines[line][col];
    if (*p != to) {
        note(m, line, col, *p, to, why);
        *p = to;
    }
}

/* Repairs one span by its kind. */
static void repair_span(idp_mrz *m, const span *s)
{
    for (int i = 0; i < s->len; i++) {
        const int col = s->start + i;
        const char c = m->lines[s->line][col];
        switch (s->k) {
        case K_ALPHA:
            if (c >= '0' && c <= '9' && as_letter(c) != c)
                set_char(m, s->line, col, as_letter(c), "letter");
            break;
        case K_DIGITS:
        case K_CHECK:
            if (c >= 'A' && c <= 'Z' && as_digit(c) != c)
                set_char(m, s->line, col, as_digit(c), "digit");
            break;
        case K_SEX:
            if (c == 'N' || c == 'H') /* the letters an M turns into */
                set_char(m, s->line, col, 'M', "letter");
            else if (c == 'E' || c == 'P')
                set_char(m, s->line, col, 'F', "letter");
            break;
        case K_ALNUM:
            break;
        }
    }
}

static bool check_ok(const idp_mrz *m, const span *field, const span *chk)
{
    const char d = m->lines[chk->line][chk->start];
    const int v = idp_mrz_check_digit(&m->lines[field->line][field->start], (size_t)field->len);
    if (v < 0)
        return false;
    if (d == '<') /* an empty optional field may have a filler for its check digit */
        return v == 0;
    return d == '0' + v;
}

/* An alphanumeric field whose check digit fails: tries the variants of
 * its confusable characters (and of a check digit read as a letter) and
 * keeps the one with the fewest changes that validates. */
static void repair_by_check(idp_mrz *m, const span *field, const span *chk)
{
    int pos[12], n = 0;
    char orig[24];
    if (field->len <= 0 || chk->len <= 0 || check_ok(m, field, chk))
        return;
    memcpy(orig, &m->lines[field->line][field->start], (size_t)field->len);
    for (int i = 0; i < field->len && n < 12; i++) {
        const char c = orig[i];
        if (as_digit(c) != c || as_letter(c) != c)
            pos[n++] = i;
    }
    if (n == 0)
        return;
    /* the fewest changes; among as few, the most digits (numbers are
     * mostly digits) */
    unsigned best = 0;
    int best_cost = 1 << 30;
    for (unsigned mask = 1; mask < (1u << n); mask++) {
        int cost = __builtin_popcount(mask) * 100;
        char *f = &m->lines[field->line][field->start];
        for (int j = 0; j < n; j++) {
            char c = orig[pos[j]];
            f[pos[j]] = (mask >> j) & 1u ? (as_digit(c) != c ? as_digit(c) : as_letter(c)) : c;
            cost -= f[pos[j]] >= '0' && f[pos[j]] <= '9';
        }
        if (cost < best_cost && check_ok(m, field, chk)) {
            best = mask;
            best_cost = cost;
        }
    }
    memcpy(&m->lines[field->line][field->start], orig, (size_t)field->len);
    for (int j = 0; j < n && best != 0; j++)
        if ((best >> j) & 1u) {
            char c = orig[pos[j]];
            set_char(m, field->line, field->start + pos[j],
                     as_digit(c) != c ? as_digit(c) : as_letter(c), "check");
        }
}

/* Copies a span, fillers dropped at the end and turned into spaces inside. */
static void copy_field(const idp_mrz *m, const span *s, char *dst, size_t size)
{
    size_t n = 0;
    if (s->len == 0 || size == 0) {
        if (size)
            dst[0] = '\0';
        return;
    }
    for (int i = 0; i < s->len && n + 1 < size; i++) {
        char c = m->lines[s->line][s->start + i];
        dst[n++] = c == '<' ? ' ' : c;
    }
    while (n > 0 && dst[n - 1] == ' ')
        n--;
    dst[n] = '\0';
}

static void collapse_spaces(char *s)
{
    char *w = s;
    bool space = true;
    for (const char *r = s; *r; r++) {
        if (*r == ' ') {
            if (!space)
                *w++ = ' ';
            space = true;
        } else {
            *w++ = *r;
            space = false;
        }
    }
    while (w > s && w[-1] == ' ')
        w--;
    *w = '\0';
}

static void split_name(idp_mrz *m, const span *s)
{
    const char *f = &m->lines[s->line][s->start];
    int sep = -1;
    for (int i = 0; i + 1 < s->len; i++)
        if (f[i] == '<' && f[i + 1] == '<') {
            sep = i;
            break;
        }
    span sur = *s, giv = *s;
    if (sep < 0) {
        giv.len = 0;
    } else {
        sur.len = sep;
        giv.start = s->start + sep + 2;
        giv.len = s->len - sep - 2;
    }
    copy_field(m, &sur, m->surname, sizeof(m->surname));
    copy_field(m, &giv, m->given_names, sizeof(m->given_names));
    collapse_spaces(m->surname);
    collapse_spaces(m->given_names);
}

static void add_check(idp_mrz *m, idp_mrz_check_id id, char digit, int expected)
{
    idp_mrz_check *c = &m->checks[m->n_checks++];
    c->id = id;
    c->digit = digit;
    c->expected = expected < 0 ? '?' : (char)('0' + expected);
    c->valid = expected >= 0 && (digit == c->expected ||
                                 (digit == '<' && expected == 0 && id == IDP_MRZ_CHECK_OPTIONAL));
}

static int composite_value(const idp_mrz *m, const layout *L)
{
    char buf[64];
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        const span *s = &L->comp[i];
        if (s->len > 0 && n + (size_t)s->len <= sizeof(buf)) {
            memcpy(buf + n, &m->lines[s->line][s->start], (size_t)s->len);
            n += (size_t)s->len;
        }
    }
    return idp_mrz_check_digit(buf, n);
}

bool idp_mrz_parse(const char *const *lines, int n_lines, idp_mrz *out)
{
    const layout *L = NULL;
    size_t len;
    memset(out, 0, sizeof(*out));
    if (n_lines < 2 || n_lines > IDP_MRZ_MAX_LINES)
        return false;
    len = strlen(lines[0]);
    for (int i = 0; i < n_lines; i++) {
        if (strlen(lines[i]) != len)
            return false;
        for (size_t j = 0; j < len; j++) {
            const char c = lines[i][j];
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<'))
                return false;
        }
    }
    const bool visa = lines[0][0] == 'V';
    for (size_t i = 0; i < sizeof(LAYOUTS) / sizeof(LAYOUTS[0]); i++) {
        const layout *c = &LAYOUTS[i];
        if (c->n_lines != n_lines || (size_t)c->len != len)
            continue;
        if (n_lines == 2 && (c->format == IDP_MRZ_MRVA || c->format == IDP_MRZ_MRVB) != visa)
            continue;
        L = c;
        break;
    }
    if (L == NULL)
        return false;
    out->format = L->format;
    out->n_lines = n_lines;
    out->line_len = (int)len;
    for (int i = 0; i < n_lines; i++)
        memcpy(out->lines[i], lines[i], len + 1);

    /* by kind first, then the alphanumeric fields by their check digits */
    const span *spans[] = {&L->type,        &L->state,        &L->name,           &L->number_check,
                           &L->nationality, &L->birth,        &L->birth_check,    &L->sex,
                           &L->expiry,      &L->expiry_check, &L->optional_check, &L->composite};
    for (size_t i = 0; i < sizeof(spans) / sizeof(spans[0]); i++)
        if (spans[i]->len > 0)
            repair_span(out, spans[i]);
    span number = L->number, number_check = L->number_check;
    if (out->lines[number_check.line][number_check.start] == '<') {
        /* a number over 9 characters: the rest, and its check digit, lead
         * the optional data, up to its first filler */
        const char *o = &out->lines[L->optional.line][L->optional.start];
        int k = 0;
        while (k < L->optional.len && o[k] != '<')
            k++;
        if (k >= 2) {
            number_check.start = L->optional.start + k - 1;
            number_check.line = L->optional.line;
            span ck = number_check;
            ck.k = K_CHECK;
            repair_span(out, &ck);
        }
    }
    if (number_check.start == L->number_check.start)
        repair_by_check(out, &number, &number_check);
    if (L->optional_check.len > 0)
        repair_by_check(out, &L->optional, &L->optional_check);

    /* fields */
    char tmp[32];
    copy_field(out, &L->type, tmp, sizeof(tmp));
    {
        /* the type is 1-2 characters: keep what fits, cut on purpose */
        size_t n = strnlen(tmp, sizeof(out->document_type) - 1);
        memcpy(out->document_type, tmp, n);
        out->document_type[n] = '\0';
    }
    for (char *p = out->document_type; *p; p++)
        if (*p == ' ')
            *p = '\0';
    copy_field(out, &L->state, out->issuing_state, sizeof(out->issuing_state));
    copy_field(out, &L->nationality, out->nationality, sizeof(out->nationality));
    split_name(out, &L->name);
    memcpy(out->birth_date, &out->lines[L->birth.line][L->birth.start], 6);
    memcpy(out->expiry_date, &out->lines[L->expiry.line][L->expiry.start], 6);
    out->sex = out->lines[L->sex.line][L->sex.start];
    copy_field(out, &L->optional, out->optional_data, sizeof(out->optional_data));
    copy_field(out, &L->optional2, out->optional_data2, sizeof(out->optional_data2));

    /* the document number, with its continuation when it is longer than 9 */
    char numbuf[40];
    int nl = 0;
    memcpy(numbuf, &out->lines[number.line][number.start], 9);
    nl = 9;
    if (number_check.start != L->number_check.start) {
        const int k = number_check.start - L->optional.start; /* continuation length */
        memcpy(numbuf + nl, &out->lines[L->optional.line][L->optional.start], (size_t)k);
        nl += k;
        /* the optional data is what follows the continuation */
        span rest = L->optional;
        rest.start += k + 1;
        rest.len -= k + 1;
        copy_field(out, &rest, out->optional_data, sizeof(out->optional_data));
        collapse_spaces(out->optional_data);
    }
    {
        int v = idp_mrz_check_digit(numbuf, (size_t)nl);
        add_check(out, IDP_MRZ_CHECK_NUMBER, out->lines[number_check.line][number_check.start], v);
        int w = 0;
        for (int i = 0; i < nl && w + 1 < (int)sizeof(out->document_number); i++)
            if (numbuf[i] != '<')
                out->document_number[w++] = numbuf[i];
        out->document_number[w] = '\0';
    }
    add_check(out, IDP_MRZ_CHECK_BIRTH, out->lines[L->birth_check.line][L->birth_check.start],
              idp_mrz_check_digit(&out->lines[L->birth.line][L->birth.start], 6));
    add_check(out, IDP_MRZ_CHECK_EXPIRY, out->lines[L->expiry_check.line][L->expiry_check.start],
              idp_mrz_check_digit(&out->lines[L->expiry.line][L->expiry.start], 6));
    if (L->optional_check.len > 0)
        add_check(out, IDP_MRZ_CHECK_OPTIONAL,
                  out->lines[L->optional_check.line][L->optional_check.start],
                  idp_mrz_check_digit(&out->lines[L->optional.line][L->optional.start],
                                      (size_t)L->optional.len));
    if (L->composite.len > 0)
        add_check(out, IDP_MRZ_CHECK_COMPOSITE, out->lines[L->composite.line][L->composite.start],
                  composite_value(out, L));
    int ok = 0;
    for (size_t i = 0; i < out->n_checks; i++)
        ok += out->checks[i].valid;
    out->valid_score = out->n_checks ? (int)(100 * ok / (int)out->n_checks) : 0;
    return true;
}

/* YYMMDD of century cc: a real calendar date. */
static bool date_ok(const char *d, int cc)
{
    for (int i = 0; i < 6; i++)
        if (d[i] < '0' || d[i] > '9')
            return false;
    const int yy = (d[0] - '0') * 10 + (d[1] - '0'), mo = (d[2] - '0') * 10 + (d[3] - '0'),
              da = (d[4] - '0') * 10 + (d[5] - '0');
    return idp_date_valid(cc * 100 + yy, mo, da);
}

bool idp_mrz_expiry_iso(const idp_mrz *mrz, char buf[11])
{
    const char *d = mrz->expiry_date;
    if (!date_ok(d, 20))
        return false;
    snprintf(buf, 11, "20%.2s-%.2s-%.2s", d, d + 2, d + 4);
    return true;
}

bool idp_mrz_birth_iso(const idp_mrz *mrz, int today_year, char buf[11])
{
    const char *d = mrz->birth_date;
    if (d[0] < '0' || d[0] > '9' || d[1] < '0' || d[1] > '9')
        return false;
    const int yy = (d[0] - '0') * 10 + (d[1] - '0');
    const int century = 2000 + yy > today_year ? 19 : 20;
    if (!date_ok(d, century))
        return false;
    snprintf(buf, 11, "%d%.2s-%.2s-%.2s", century, d, d + 2, d + 4);
    return true;
}

void idp_mrz_masked_number(const idp_mrz *mrz, char *buf, size_t size)
{
    const size_t n = strlen(mrz->document_number);
    size_t i = 0;
    for (; i < n && i + 1 < size; i++)
        buf[i] = i + 3 < n ? '*' : mrz->document_number[i];
    if (size)
        buf[i < size ? i : size - 1] = '\0';
}

void idp_mrz_wipe(idp_mrz *mrz)
{
    idp_wipe(mrz, sizeof(*mrz));
}
