/* A seller's name compared with the name of a machine-readable zone, the
 * ICAO 9303 way (part 3, section 6, "transliteration of multinational
 * Latin-based characters" and the Cyrillic table). */
#include "idp_mrz_match.h"
#include "idp_utf8.h"

#include <stdint.h>
#include <string.h>

#define MAX_WORDS 12    /* words of a name compared; more: not comparable */
#define MAX_WORD 48     /* letters of one word, transliterated */
#define MAX_UNITS 40    /* letters of one word as written */
#define MAX_TRIES 20000 /* steps of the word matching (a real name takes a few dozen) */
#define MISREAD_MIN_LEN                                                                            \
    4 /* a word of the zone that may hold a misread letter: a shorter                              \
       * one, one letter off, is too often another name (ANA, ANN) */

/* The base letters of U+0100..U+017F (Latin Extended-A); '*' where the
 * letter becomes two (Ĳ, Œ: below). */
static const char ext_a[] = "AAAAAACCCCCCCCDDDDEEEEEEEEEEGGGGGGGGHHHHIIIIIIIIII**JJKKKLLLLLLLLLL"
                            "NNNNNNNNNOOOOOO**RRRRRRSSSSSSSSTTTTTTUUUUUUUUUUUUWWYYYZZZZZZS";

_Static_assert(sizeof(ext_a) == 129, "one letter for each of U+0100..U+017F");

/* The base letters of U+00C0..U+00DD; '*' where translit decides. */
static const char latin1[] = "AAAA***CEEEEIIII**OOOO***UUU*Y";
_Static_assert(sizeof(latin1) == 31, "one letter for each of U+00C0..U+00DD");

/* "A" .. "Z" as strings. */
static const char *letter(char c)
{
    static const char az[] =
        "A\0B\0C\0D\0E\0F\0G\0H\0I\0J\0K\0L\0M\0N\0O\0P\0Q\0R\0S\0T\0U\0V\0W\0X\0Y\0Z";
    return &az[(c - 'A') * 2];
}

/* Cyrillic U+0410..U+042F (А..Я), by the ICAO table; Ь is left out; Г
 * and И also as the Ukrainian transliteration writes them. */
static const char *const cyr[32] = {
    "A", "B", "V", "G|H", "D", "E",  "ZH", "Z",  "I|Y", "I",    "K",  "L", "M", "N", "O",  "P",
    "R", "S", "T", "U",   "F", "KH", "TS", "CH", "SH",  "SHCH", "IE", "Y", "",  "E", "IU", "IA"};

/* The transliterations of code point c: "" (left out), "A", "AE|A|AXX"
 * (alternatives), NULL when c has none (not comparable), or SEP for a
 * character that separates words. */
static const char SEP[] = " ";

static const char *translit(uint32_t c)
{
    if (c == ' ' || c == '\t' || c == '-' || c == ',' || c == '.' || c == '/' || c == '<' ||
        c == 0x2010 || c == 0x2011 || c == 0x2013 || c == 0xa0 || c == 0xd7 || c == 0xf7)
        return SEP;
    if (c >= 'a' && c <= 'z')
        c -= 32;
    if (c >= 'A' && c <= 'Z')
        return letter((char)c);
    if (c >= 0xe0 && c <= 0xfe && c != 0xf7)
        c -= 0x20; /* Latin-1 lower case: its capital */
    switch (c) {
    case 0xc4: /* Ä */
        return "AE|A|AXX";
    case 0xc5: /* Å */
        return "AA|A|AXX";
    case 0xc6: /* Æ */
        return "AE";
    case 0xd0: /* Ð */
        return "D";
    case 0xd1: /* Ñ */
        return "N|NXX";
    case 0xd6: /* Ö */
        return "OE|O|OXX";
    case 0xd8: /* Ø */
        return "OE|O";
    case 0xdc: /* Ü */
        return "UE|U|UXX";
    case 0xde: /* Þ */
        return "TH";
    case 0xdf: /* ß */
        return "SS";
    case 0xff: /* ÿ */
    case 0x178:
        return "Y";
    case 0x132: /* Ĳ */
    case 0x133:
        return "IJ";
    case 0x152: /* Œ */
    case 0x153:
        return "OE";
    case 0x218: /* Ș */
    case 0x219:
        return "S";
    case 0x21a: /* Ț */
    case 0x21b:
        return "T";
    case 0x401: /* Ё */
    case 0x451:
        return "E";
    case 0x404: /* Є */
    case 0x454:
        return "IE";
    case 0x406: /* І */
    case 0x456:
    case 0x407: /* Ї */
    case 0x457:
        return "I";
    case 0x490: /* Ґ */
    case 0x491:
        return "G";
    case 0x2bc: /* apostrophes: handled by the caller */
    case 0x2018:
    case 0x2019:
    case '\'':
    case '`':
        return "'";
    default:
        break;
    }
    if (c >= 0xc0 && c <= 0xdd && latin1[c - 0xc0] != '*')
        return letter(latin1[c - 0xc0]);
    if (c >= 0x100 && c <= 0x17f && ext_a[c - 0x100] != '*')
        return letter(ext_a[c - 0x100]);
    if (c >= 0x430 && c <= 0x44f)
        c -= 0x20;
    if (c >= 0x410 && c <= 0x42f)
        return cyr[c - 0x410];
    if (c >= 0x300 && c <= 0x36f)
        return ""; /* a combining accent: the letter before it stands */
    return NULL;
}

/* The character at *s (advancing it); U+FFFD for a bad byte. */
static uint32_t next_cp(const unsigned char **s)
{
    size_t i = 0;
    uint32_t c = idp_utf8_next(*s, strnlen((const char *)*s, 4), &i);

    *s += i;
    return c;
}

/* One word of the seller's name: its letters, each with its
 * transliterations. */
typedef struct word {
    size_t n;
    const char *unit[MAX_UNITS];
} word;

typedef struct words {
    size_t n;
    word w[MAX_WORDS];
} words;

/* Splits name into words; apostrophes join (O'Neil -> ONEIL) unless
 * apostrophe_splits (O'Neil -> O, NEIL). A combining diaeresis after A, O
 * or U makes it Ä, Ö, Ü. False when a letter has no transliteration or
 * the name has too many words or letters. */
static bool split_words(const char *name, bool apostrophe_splits, words *out)
{
    const unsigned char *s = (const unsigned char *)name;
    word *cur = NULL;

    memset(out, 0, sizeof(*out));
    while (*s != '\0') {
        uint32_t c = next_cp(&s);
        const char *t = translit(c);
        if (t == NULL)
            return false;
        if (c == 0x308 && cur != NULL && cur->n > 0) { /* combining diaeresis */
            const char *prev = cur->unit[cur->n - 1];
            if (strcmp(prev, "A") == 0)
                cur->unit[cur->n - 1] = "AE|A|AXX";
            else if (strcmp(prev, "O") == 0)
                cur->unit[cur->n - 1] = "OE|O|OXX";
            else if (strcmp(prev, "U") == 0)
                cur->unit[cur->n - 1] = "UE|U|UXX";
            continue;
        }
        if (t == SEP || (t[0] == '\'' && apostrophe_splits)) {
            cur = NULL;
            continue;
        }
        if (t[0] == '\'' || t[0] == '\0')
            continue;
        if (cur == NULL) {
            if (out->n == MAX_WORDS)
                return false;
            cur = &out->w[out->n++];
        }
        if (cur->n == MAX_UNITS)
            return false;
        cur->unit[cur->n++] = t;
    }
    return true;
}

/* Whether the template reader is measured to read the letter printed as
 * read (tools/mrzconfusion.py; docs/mrz.md, "Misread letters"). */
static bool confusable(char printed, char read)
{
    /* {printed, read}: the pairs seen at least three times in 300
     * generated photos and PassportEye's images */
    static const char pairs[][2] = {{'H', 'M'}, {'G', 'Q'}, {'E', 'F'}, {'O', 'D'},
                                    {'N', 'M'}, {'U', 'W'}, {'O', 'Q'}, {'L', 'O'}};
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
        if (pairs[i][0] == printed && pairs[i][1] == read)
            return true;
    return false;
}

/* Whether the n letters at a (the seller's) and at mrz (the zone's) are
 * the same, a letter of mrz allowed to be one the reader makes of a's
 * while *subs is left (spending it). */
static bool same(const char *a, const char *mrz, size_t n, int *subs)
{
    for (size_t k = 0; k < n; k++) {
        if (a[k] == mrz[k])
            continue;
        if (*subs == 0 || !confusable(a[k], mrz[k]))
            return false;
        --*subs;
    }
    return true;
}

/* Whether mrz (A-Z, len n) is one of the spellings of w, or a prefix of
 * one when prefix, with at most subs of its letters misread (confusable).
 * Walks the letters, trying each transliteration. */
static bool word_is(const word *w, size_t u, const char *mrz, size_t n, bool prefix, int subs)
{
    if (n == 0)
        return prefix || u == w->n;
    if (u == w->n)
        return false;
    for (const char *alt = w->unit[u]; *alt != '\0';) {
        const char *bar = strchr(alt, '|');
        size_t len = bar != NULL ? (size_t)(bar - alt) : strlen(alt);
        int left = subs;
        if (len <= n
                ? same(alt, mrz, len, &left) && word_is(w, u + 1, mrz + len, n - len, prefix, left)
                : prefix && same(alt, mrz, n, &left))
            return true;
        alt += len;
        if (*alt == '|')
            alt++;
    }
    return false;
}

typedef struct zone_words {
    size_t n;
    const char *at[MAX_WORDS * 2];
    size_t len[MAX_WORDS * 2];
} zone_words;

static bool zone_split(const char *s, zone_words *z)
{
    while (*s != '\0') {
        while (*s == ' ')
            s++;
        if (*s == '\0')
            break;
        if (z->n == sizeof(z->at) / sizeof(z->at[0]))
            return false;
        z->at[z->n] = s;
        while (*s != '\0' && *s != ' ')
            s++;
        z->len[z->n] = (size_t)(s - z->at[z->n]);
        z->n++;
    }
    return true;
}

/* Matches zone word i onwards to unused words of the seller's name.
 * *budget bounds the tries: a name of many alike words would otherwise
 * try every order of them. */
static bool assign(const zone_words *z, size_t i, const words *f, bool used[MAX_WORDS],
                   bool truncated, bool misread, long *budget)
{
    if (--*budget < 0)
        return false;
    if (i == z->n) {
        if (truncated)
            return true; /* the names after the cut are not in the zone */
        for (size_t k = 0; k < f->n; k++)
            if (!used[k])
                return false;
        return true;
    }
    for (size_t k = 0; k < f->n; k++) {
        if (used[k])
            continue;
        if (!word_is(&f->w[k], 0, z->at[i], z->len[i], truncated && i + 1 == z->n,
                     misread && z->len[i] >= MISREAD_MIN_LEN))
            continue;
        used[k] = true;
        if (assign(z, i + 1, f, used, truncated, misread, budget))
            return true;
        used[k] = false;
    }
    return false;
}

idp_name_match idp_name_compare(const char *full_name, const char *surname, const char *given,
                                bool truncated, bool misread)
{
    zone_words z;
    words f;
    bool comparable = false;

    memset(&z, 0, sizeof(z));
    if (!zone_split(surname, &z) || !zone_split(given, &z) || z.n == 0)
        return IDP_NAME_UNKNOWN;
    /* Exactly first; then, when asked, with one misread letter a word. */
    for (int tolerant = 0; tolerant <= (misread ? 1 : 0); tolerant++) {
        for (int split = 0; split < 2; split++) {
            bool used[MAX_WORDS] = {false};
            long budget = MAX_TRIES;
            if (!split_words(full_name, split == 1, &f) || f.n == 0)
                continue;
            comparable = true;
            if (assign(&z, 0, &f, used, truncated, tolerant == 1, &budget))
                return tolerant ? IDP_NAME_MISREAD : IDP_NAME_MATCH;
            if (budget < 0)
                return IDP_NAME_UNKNOWN; /* too many ways to try: not judged */
        }
    }
    return comparable ? IDP_NAME_DIFFERENT : IDP_NAME_UNKNOWN;
}

bool idp_mrz_name_parts(const idp_mrz *mrz, char surname[48], char given[48], bool *truncated)
{
    int line = 0, start = 5, len = 0, end;
    const char *f;
    bool in_given = false;
    size_t ns = 0, ng = 0;

    switch (mrz->format) {
    case IDP_MRZ_TD1:
        line = 2, start = 0, len = 30;
        break;
    case IDP_MRZ_TD2:
    case IDP_MRZ_MRVB:
        len = 31;
        break;
    case IDP_MRZ_TD3:
    case IDP_MRZ_MRVA:
        len = 39;
        break;
    default:
        return false;
    }
    if (line >= mrz->n_lines || start + len > mrz->line_len)
        return false;
    /* The name ends at the first run of three fillers: inside a name
     * fillers come one (between names) or two (after the surname) at a
     * time. What a reader makes of the fillers after it (K, E, S ... for
     * '<') is not the name. A field with no such run and a letter at its
     * end is full: the name may have been cut there. */
    f = &mrz->lines[line][start];
    for (end = 0; end < len; end++)
        if (end + 2 < len && f[end] == '<' && f[end + 1] == '<' && f[end + 2] == '<')
            break;
    *truncated = end == len && f[len - 1] != '<';
    while (end > 0 && f[end - 1] == '<')
        end--;
    for (int i = 0; i < end; i++) {
        if (!in_given && f[i] == '<' && i + 1 < end && f[i + 1] == '<') {
            in_given = true; /* the surname ends here */
            i++;
        } else if (in_given && ng + 1 < 48) {
            given[ng++] = f[i] == '<' ? ' ' : f[i];
        } else if (!in_given && ns + 1 < 48) {
            surname[ns++] = f[i] == '<' ? ' ' : f[i];
        }
    }
    surname[ns] = '\0';
    given[ng] = '\0';
    return true;
}

idp_name_match idp_mrz_name_compare(const idp_mrz *mrz, const char *full_name)
{
    char surname[48], given[48];
    bool truncated;

    if (!idp_mrz_name_parts(mrz, surname, given, &truncated))
        return IDP_NAME_UNKNOWN;
    /* The misreads were measured on the template reader's readings */
    return idp_name_compare(full_name, surname, given, truncated, strcmp(mrz->engine, "ocrb") == 0);
}

void idp_name_icao(const char *full_name, char *buf, size_t size)
{
    const unsigned char *s = (const unsigned char *)full_name;
    size_t used = 0;
    bool space = false;

    if (size == 0)
        return;
    while (*s != '\0' && used + 1 < size) {
        uint32_t c = next_cp(&s);
        const char *t = translit(c);
        if (t == SEP) {
            space = used > 0;
            continue;
        }
        if (t != NULL && (t[0] == '\'' || t[0] == '\0'))
            continue;
        if (space && used + 2 < size)
            buf[used++] = ' ';
        space = false;
        if (t == NULL)
            t = "?";
        for (; *t != '\0' && *t != '|' && used + 1 < size; t++)
            buf[used++] = *t;
    }
    buf[used] = '\0';
}
