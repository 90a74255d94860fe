/* The checks behind each field kind, and the dates each template language
 * accepts. Messages in English and Italian; none quotes the value. */
#include "idp_value.h"
#include "idp_tr.h"
#include "idp_utf8.h"

#include "idp_date.h"

#include <stdio.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const marketplaces[] = {
    "amazon.com", "amazon.co.uk",  "amazon.de",     "amazon.fr",    "amazon.it",
    "amazon.es",  "amazon.nl",     "amazon.se",     "amazon.pl",    "amazon.com.be",
    "amazon.ca",  "amazon.com.mx", "amazon.com.br", "amazon.co.jp", "amazon.com.au",
    "amazon.in",  "amazon.ae",     "amazon.sa",     "amazon.sg",    "amazon.com.tr",
    "amazon.eg"};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* "D<sep>M<sep>YYYY" with one or two digits for D and M: 1 with a, b, y. */
static int parse_dmy(const char *s, char sep, int *a, int *b, int *y)
{
    int parts[3] = {0, 0, 0}, digits[3] = {0, 0, 0}, k = 0;

    for (; *s != '\0'; s++) {
        if (*s == sep && k < 2 && digits[k] > 0) {
            k++;
        } else if (is_digit(*s) && digits[k] < 4) {
            parts[k] = parts[k] * 10 + (*s - '0');
            digits[k]++;
        } else {
            return 0;
        }
    }
    if (k != 2 || digits[0] > 2 || digits[1] > 2 || digits[2] != 4)
        return 0;
    *a = parts[0];
    *b = parts[1];
    *y = parts[2];
    return 1;
}

static int real_day(int y, int m, int d)
{
    return idp_date_valid(y, m, d);
}

int idp_value_date(const char *v, const char *tlang, int *y, int *m, int *d)
{
    int a, b, yy;

    if (idp_date_parse_iso(v, y, m, d))
        return 1;
    if (strcmp(tlang, "de") == 0) {
        if (!parse_dmy(v, '.', &a, &b, &yy) || !real_day(yy, b, a))
            return 0;
        *y = yy, *m = b, *d = a;
        return 1;
    }
    if (!parse_dmy(v, '/', &a, &b, &yy))
        return 0;
    if (strcmp(tlang, "en") == 0) {
        /* Day/month (UK) or month/day (US): only a value one reading
         * alone explains is taken. */
        int dm = real_day(yy, b, a), md = real_day(yy, a, b);
        if (dm && md && a != b)
            return -1;
        if (!dm && !md)
            return 0;
        *y = yy, *m = dm ? b : a, *d = dm ? a : b;
        return 1;
    }
    if (strcmp(tlang, "it") != 0 && strcmp(tlang, "fr") != 0 && strcmp(tlang, "es") != 0)
        return 0;
    if (!real_day(yy, b, a))
        return 0;
    *y = yy, *m = b, *d = a;
    return 1;
}

static int email_ok(const char *v)
{
    const char *at = strchr(v, '@'), *p;
    size_t local = at != NULL ? (size_t)(at - v) : 0, label = 0;
    int labels = 1, tld_alpha = 1;

    if (at == NULL || strchr(at + 1, '@') != NULL || local == 0 || local > 64 || strlen(v) > 254)
        return 0;
    if (v[0] == '.' || at[-1] == '.' || strstr(v, "..") != NULL)
        return 0;
    for (p = v; p < at; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || is_digit(*p) ||
              strchr(".!#$%&'*+/=?^_`{|}~-", *p) != NULL))
            return 0;
    for (p = at + 1;; p++) {
        char c = *p;
        if (c == '.' || c == '\0') {
            if (label == 0 || label > 63 || p[-1] == '-')
                return 0;
            if (c == '\0')
                break;
            labels++;
            label = 0;
            tld_alpha = 1;
            continue;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-'))
            return 0;
        if (label == 0 && c == '-')
            return 0;
        if (is_digit(c) || c == '-')
            tld_alpha = 0;
        label++;
    }
    return labels >= 2 && tld_alpha && label >= 2;
}

static int phone_ok(const char *v)
{
    size_t digits = 0;
    const char *p = v;

    if (*p == '+')
        p++;
    if (!is_digit(*p))
        return 0;
    for (; *p != '\0'; p++) {
        if (is_digit(*p))
            digits++;
        else if ((*p != ' ' && *p != '-') || p[1] == ' ' || p[1] == '-' || p[1] == '\0')
            return 0; /* one separator at a time, between digits */
    }
    return digits >= 7 && digits <= 15;
}

static int seller_id_ok(const char *v)
{
    size_t n = strlen(v);
    if (n < 13 || n > 15 || v[0] != 'A')
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!((v[i] >= 'A' && v[i] <= 'Z') || is_digit(v[i])))
            return 0;
    return 1;
}

static int choice_index(const idp_field *f, const char *v, size_t n)
{
    for (size_t i = 0; i < f->n_choices; i++)
        if (strlen(f->choices[i]) == n && memcmp(f->choices[i], v, n) == 0)
            return (int)i;
    return -1;
}

static void choice_list(const idp_field *f, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < f->n_choices && o < size; i++) {
        int w = snprintf(buf + o, size - o, "%s%s", i ? ", " : "", f->choices[i]);
        if (w < 0)
            break;
        o += (size_t)w;
    }
}

/* The date formats of a language, for messages. */
static const char *date_formats(const char *tlang, const char *lang)
{
    if (strcmp(tlang, "it") == 0 || strcmp(tlang, "fr") == 0 || strcmp(tlang, "es") == 0)
        return idp_tr(lang, "YYYY-MM-DD or DD/MM/YYYY (e.g. 2031-05-31 or 31/05/2031)");
    if (strcmp(tlang, "de") == 0)
        return idp_tr(lang, "YYYY-MM-DD or DD.MM.YYYY (e.g. 2031-05-31 or 31.05.2031)");
    return idp_tr(lang, "YYYY-MM-DD (e.g. 2031-05-31)");
}

#define WHY(en) snprintf(why, size, "%s", idp_tr(lang, en))

int idp_value_ok(const idp_field *f, size_t max_chars, const char *v, const char *tlang,
                 const char *lang, char *why, size_t size)
{
    char list[512];
    int y, m, d, r;

    if (strchr(v, '\n') != NULL || strchr(v, '\t') != NULL) {
        WHY(N_("the value must be on one line, without tabs"));
        return 0;
    }
    switch (f->kind) {
    case IDP_FIELD_TEXT:
        if (idp_utf8_count(v) <= max_chars)
            return 1;
        snprintf(why, size, idp_tr(lang, "the text is too long (%zu characters, at most %zu)"),
                 idp_utf8_count(v), max_chars);
        return 0;
    case IDP_FIELD_EMAIL:
        if (email_ok(v))
            return 1;
        WHY(N_("not an email address"));
        return 0;
    case IDP_FIELD_PHONE:
        if (phone_ok(v))
            return 1;
        WHY(N_("not a phone number (+ and 7 to 15 digits, spaces or dashes between them, e.g. "
               "+39 02 1234 5678)"));
        return 0;
    case IDP_FIELD_DATE:
        r = idp_value_date(v, tlang, &y, &m, &d);
        if (r == 1)
            return 1;
        if (r < 0)
            WHY(N_("the date could be day/month or month/day: write it as YYYY-MM-DD "
                   "(e.g. 2031-05-31)"));
        else
            snprintf(why, size, idp_tr(lang, "not a real date written %s"),
                     date_formats(tlang, lang));
        return 0;
    case IDP_FIELD_SELLER_ID:
        if (seller_id_ok(v))
            return 1;
        WHY(N_("not a seller ID (merchant token: A followed by 12 to 14 capital letters or digits, "
               "e.g. A1B2C3D4E5F6G7)"));
        return 0;
    case IDP_FIELD_ENUM:
        if (choice_index(f, v, strlen(v)) >= 0)
            return 1;
        choice_list(f, list, sizeof(list));
        snprintf(why, size, idp_tr(lang, "not one of: %s"), list);
        return 0;
    case IDP_FIELD_ENUM_LIST: {
        const char *p = v;
        unsigned char seen[256] = {0};
        for (;;) {
            const char *comma = strchr(p, ','), *end = comma ? comma : p + strlen(p);
            int k;
            while (p < end && *p == ' ')
                p++;
            while (end > p && end[-1] == ' ')
                end--;
            k = choice_index(f, p, (size_t)(end - p));
            if (k < 0 || k >= 256 || seen[k]) {
                choice_list(f, list, sizeof(list));
                if (end == p)
                    WHY(N_("an item is empty (a stray comma?)"));
                else if (k >= 0) /* a known choice: not personal data */
                    snprintf(why, size, idp_tr(lang, "lists %s twice"), f->choices[k]);
                else
                    snprintf(why, size, idp_tr(lang, "an item is not one of: %s"), list);
                return 0;
            }
            seen[k] = 1;
            if (comma == NULL)
                return 1;
            p = comma + 1;
        }
    }
    case IDP_FIELD_MARKETPLACE:
        for (size_t i = 0; i < COUNT(marketplaces); i++)
            if (strcmp(v, marketplaces[i]) == 0)
                return 1;
        WHY(N_("not an Amazon marketplace (amazon.com, amazon.co.uk, amazon.de, amazon.fr, "
               "amazon.it, amazon.es, ... written in lower case)"));
        return 0;
    case IDP_FIELD_COUNTRY:
        if (strlen(v) == 2 && idp_country_name(v, "en") != NULL)
            return 1;
        snprintf(
            why, size, "%s%s",
            idp_tr(lang,
                   "not an ISO 3166-1 country code (two capital letters, e.g. IT, DE, FR, GB)"),
            strcmp(v, "UK") != 0 ? "" : idp_tr(lang, "; the United Kingdom is GB"));
        return 0;
    }
    WHY(N_("the field has an unknown kind"));
    return 0;
}
