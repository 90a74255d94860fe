/* idp_mrz: the machine-readable zone of a passport, ID card or visa
 * (ICAO 9303): parsed and checked (idp_mrz_parse.c), found and read in a
 * photo (idp_mrz_read.c, idp_mrz_file.c). See docs/mrz.md. A zone holds
 * personal data: destroying it wipes it; never write its lines or its
 * document number to disk. */
#ifndef IDP_MRZ_H
#define IDP_MRZ_H

#include "idp_ctx.h"
#ifdef IDP_INTERNAL
#include "idp_detect.h"
#include "idp_image.h"
#endif

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum idp_mrz_format {
    IDP_MRZ_NONE = 0,
    IDP_MRZ_TD1,  /* 3 x 30: ID cards */
    IDP_MRZ_TD2,  /* 2 x 36: older ID cards, residence permits */
    IDP_MRZ_TD3,  /* 2 x 44: passports */
    IDP_MRZ_MRVA, /* 2 x 44: visas, format A */
    IDP_MRZ_MRVB  /* 2 x 36: visas, format B */
} idp_mrz_format;

/* Which check digit. */
typedef enum idp_mrz_check_id {
    IDP_MRZ_CHECK_NUMBER = 0, /* document number */
    IDP_MRZ_CHECK_BIRTH,      /* birth date */
    IDP_MRZ_CHECK_EXPIRY,     /* expiry date */
    IDP_MRZ_CHECK_OPTIONAL,   /* personal number (TD3 optional data) */
    IDP_MRZ_CHECK_COMPOSITE   /* the upper/middle line's data together */
} idp_mrz_check_id;

/* The fields of a zone, as printed (idp_mrz_field). */
typedef enum idp_mrz_field_id {
    IDP_MRZ_DOCUMENT_TYPE = 0, /* "P", "I", "ID", "V", "AC" ... fillers dropped */
    IDP_MRZ_ISSUING_STATE,     /* three letters */
    IDP_MRZ_SURNAME,           /* fillers as spaces, "" when none */
    IDP_MRZ_GIVEN_NAMES,       /* ditto */
    IDP_MRZ_DOCUMENT_NUMBER,   /* personal data: never to be written to disk */
    IDP_MRZ_NATIONALITY,       /* three letters */
    IDP_MRZ_BIRTH_DATE,        /* YYMMDD as printed (idp_mrz_birth_iso for a date) */
    IDP_MRZ_EXPIRY_DATE,       /* YYMMDD as printed (idp_mrz_expiry_iso) */
    IDP_MRZ_OPTIONAL_DATA,     /* fillers dropped */
    IDP_MRZ_OPTIONAL_DATA_2    /* TD1's second optional field, "" elsewhere */
} idp_mrz_field_id;

/* A zone read on a photo: opaque to programs outside the library (made by
 * idp_mrz_create, read by the idp_mrz_* functions). It holds personal
 * data: idp_mrz_destroy wipes it; never write its lines or its document
 * number to disk. */
typedef struct idp_mrz idp_mrz;

/* "TD1", "TD2", "TD3", "MRV-A", "MRV-B" or "none" (static). */
IDP_API const char *idp_mrz_format_name(idp_mrz_format format);
/* "document_number", "birth_date", "expiry_date", "optional_data",
 * "composite" (static). */
IDP_API const char *idp_mrz_check_name(idp_mrz_check_id id);

/* An empty zone for idp_mrz_read_file (reusable). The caller owns *out
 * and frees it with idp_mrz_destroy(), which wipes it; NULL is fine there. */
IDP_API idp_status idp_mrz_create(idp_ctx *ctx, idp_mrz **out) IDP_WUR IDP_NONNULL(1, 2);
IDP_API void idp_mrz_destroy(idp_mrz *mrz);

/* Loads the photo at path as idp_check_file does (decoded to about 2000
 * px), finds the document on a 1000 px copy and reads the zone on it
 * straightened (on the whole photo when none is found), in any of the four
 * rotations, with the OCR-B template reader and Tesseract as its fallback
 * (docs/mrz.md). *found tells whether a zone was read: then *out holds the
 * best reading, whose valid score may be below 100. IDP_OK when the photo
 * was read, found or not; otherwise the load's status (IDP_E_NOTFOUND,
 * IDP_E_CORRUPT, IDP_E_LIMITS, ...), the ctx error naming the file. */
IDP_API idp_status idp_mrz_read_file(idp_ctx *ctx, const char *path, idp_mrz *out,
                                     bool *found) IDP_WUR IDP_NONNULL(1, 2, 3, 4);

/* What was read: the format (IDP_MRZ_NONE when nothing), the share of the
 * check digits that validate (0..100; 100: every one), the engine that read
 * it ("ocrb", "tesseract"; "" when parsed from text), its lines after
 * repair (i < idp_mrz_line_count; NULL past the end), a field as printed
 * (borrowed from mrz; "" for an id this library does not know) and the
 * sex ('M', 'F' or '<'). */
IDP_API idp_mrz_format idp_mrz_format_of(const idp_mrz *mrz) IDP_NONNULL(1);
IDP_API int idp_mrz_valid_score(const idp_mrz *mrz) IDP_NONNULL(1);
IDP_API const char *idp_mrz_engine(const idp_mrz *mrz) IDP_NONNULL(1);
IDP_API size_t idp_mrz_line_count(const idp_mrz *mrz) IDP_NONNULL(1);
IDP_API const char *idp_mrz_line(const idp_mrz *mrz, size_t i) IDP_NONNULL(1);
IDP_API const char *idp_mrz_field(const idp_mrz *mrz, idp_mrz_field_id id) IDP_NONNULL(1);
IDP_API char idp_mrz_sex(const idp_mrz *mrz) IDP_NONNULL(1);

/* The check digits, in the order of the zone: check i's id, the digit as
 * printed (after repair), the one computed from its field ('?' when the
 * field holds a bad character) and whether they agree. digit, expected and
 * valid may be NULL; i past the end returns false and sets nothing. */
IDP_API size_t idp_mrz_check_count(const idp_mrz *mrz) IDP_NONNULL(1);
IDP_API bool idp_mrz_check_at(const idp_mrz *mrz, size_t i, idp_mrz_check_id *id, char *digit,
                              char *expected, bool *valid) IDP_NONNULL(1);

/* The characters changed from what was read: repair i's line and column
 * (0-based), the character read and the one put instead, and why
 * ("digit": a date, number or check digit; "letter": a name or a code;
 * "check": the variant whose check digit validates; "reread": a cell read
 * again; "code": a known state or nationality code; static). Any pointer
 * but mrz may be NULL; i past the end returns false. */
IDP_API size_t idp_mrz_repair_count(const idp_mrz *mrz) IDP_NONNULL(1);
IDP_API bool idp_mrz_repair_at(const idp_mrz *mrz, size_t i, int *line, int *col, char *from,
                               char *to, const char **why) IDP_NONNULL(1);

/* The expiry date as a calendar date (YYYY-MM-DD into buf[11]): ICAO gives
 * two digits, an expiry year is taken as 20YY. False when not a date. */
IDP_API bool idp_mrz_expiry_iso(const idp_mrz *mrz, char buf[11]) IDP_NONNULL(1, 2);
/* The birth date likewise: 19YY or 20YY, whichever is not in the future
 * of today_year (e.g. 2026). */
IDP_API bool idp_mrz_birth_iso(const idp_mrz *mrz, int today_year, char buf[11]) IDP_NONNULL(1, 3);

/* The document number with all but its last three characters replaced by
 * '*', into buf (at least 24 bytes): what may be shown or logged. */
IDP_API void idp_mrz_masked_number(const idp_mrz *mrz, char *buf, size_t size) IDP_NONNULL(1, 2);

#ifdef IDP_INTERNAL
#define IDP_MRZ_MAX_LINES 3
#define IDP_MRZ_MAX_LEN 44
#define IDP_MRZ_MAX_CHECKS 6
#define IDP_MRZ_MAX_REPAIRS 48

typedef struct idp_mrz_check {
    idp_mrz_check_id id;
    char digit;    /* as printed (after repair) */
    char expected; /* computed from the field, '0'..'9' ('?' when the field has a bad character) */
    bool valid;
} idp_mrz_check;

/* One character changed from what was read. */
typedef struct idp_mrz_repair {
    int line, col; /* 0-based */
    char from, to;
    /* why: "digit" (a date, number or check digit), "letter" (a name or a
     * code), "check" (the variant whose check digit validates), "reread"
     * (a cell read again), "code" (a known state or nationality code) */
    const char *why;
} idp_mrz_repair;

struct idp_mrz {
    idp_mrz_format format;
    int n_lines, line_len;
    char lines[IDP_MRZ_MAX_LINES][IDP_MRZ_MAX_LEN + 1]; /* after repair */
    char document_type[3]; /* "P", "I", "ID", "V", "AC" ... fillers dropped */
    char issuing_state[4];
    char surname[45];     /* fillers as spaces, "" when none */
    char given_names[45]; /* ditto */
    char document_number[24];
    char nationality[4];
    char birth_date[7]; /* YYMMDD as printed */
    char sex;           /* 'M', 'F' or '<' */
    char expiry_date[7];
    char optional_data[32]; /* fillers dropped */
    char optional_data2[16];
    size_t n_checks;
    idp_mrz_check checks[IDP_MRZ_MAX_CHECKS];
    int valid_score; /* 0..100: share of the check digits that validate */
    size_t n_repairs;
    idp_mrz_repair repairs[IDP_MRZ_MAX_REPAIRS];
    /* which engine read it: "ocrb" (the OCR-B template reader) or
     * "tesseract" (its fallback); "" when parsed from text */
    char engine[12];
};

/* The ICAO 9303 check digit (weights 7, 3, 1; '<' 0, A-Z 10-35) of the n
 * characters at s, 0..9, or -1 when one is not a digit, A-Z or '<'. */
int idp_mrz_check_digit(const char *s, size_t n) IDP_NONNULL(1);

/* Parses n_lines lines as read (each exactly 30, 36 or 44 characters of
 * A-Z 0-9 '<', all of one length: 3 x 30, 2 x 36 or 2 x 44). Repairs the
 * characters a reader confuses (0/O, 1/I, 5/S, 8/B, 2/Z, 6/G, '<'/K) by
 * what each field holds, chooses among the variants of an alphanumeric
 * document number the one whose check digit validates, and records each
 * change in out->repairs. Returns false (out->format IDP_MRZ_NONE) when
 * the lines are not of a known format. Pure. */
bool idp_mrz_parse(const char *const *lines, int n_lines, idp_mrz *out) IDP_NONNULL(1, 3);

/* Zeroes *mrz (it holds personal data). */
void idp_mrz_wipe(idp_mrz *mrz) IDP_NONNULL(1);

/* The reader: the OCR-B template reader, Tesseract as its fallback
 * (docs/mrz.md). Cheap to create; the Tesseract model is loaded the first
 * time it is needed, once per process, and used by one thread at a time. */
typedef struct idp_mrz_reader idp_mrz_reader;

/* Creates a reader. Fails only when memory runs out (a Tesseract model
 * that cannot be loaded just leaves the template reader). Caller destroys
 * *out. */
idp_status idp_mrz_reader_create(idp_ctx *ctx, idp_mrz_reader **out) IDP_WUR IDP_NONNULL(1, 2);
void idp_mrz_reader_destroy(idp_mrz_reader *rd);

/* Looks for the zone in img (RGB or grey, upright as loaded): on the
 * document straightened through doc when doc is given and found, else on
 * the whole image; in all four rotations. *found tells whether a zone was
 * read (then *out holds the best reading, its valid_score may be below
 * 100). quick (what check uses, docs/mrz.md): the straightened document
 * only when found (else the whole image), as it stands and upside down,
 * its lowest group of lines only. Fails only when memory runs out. */
idp_status idp_mrz_read(idp_ctx *ctx, idp_mrz_reader *rd, const idp_image *img,
                        const idp_document *doc, bool quick, idp_mrz *out, bool *found) IDP_WUR
    IDP_NONNULL(1, 2, 3, 6, 7);
#endif /* IDP_INTERNAL */

#ifdef __cplusplus
}
#endif

#endif
