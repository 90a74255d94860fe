/* What every command shares on the command line: options in any position,
 * the language of the tool's messages, JSON numbers, and the end of
 * standard output. */
#ifndef IDP_TOOL_OPTS_H
#define IDP_TOOL_OPTS_H

#include <getopt.h>
#include <stdbool.h>

/* A getopt_long loop over a command's argv (argv[0] is its name) where
 * options may come before, between or after the operands, whatever
 * POSIXLY_CORRECT says, and "--" ends the options (what follows is an
 * operand even when it starts with '-'). At the end, as with GNU
 * getopt_long's permutation, the operands are argv[optind..argc-1] in the
 * order given. Made with TOOL_GETOPT. */
typedef struct tool_getopt {
    const char *cmd; /* for messages: "check", "track list" */
    int argc;
    char **argv;
    const char *shortopts; /* as getopt's, without a leading '+', '-' or ':' */
    const struct option *longopts;
    char optstring[32];
    int n_operands;
    bool started;
} tool_getopt;

#define TOOL_GETOPT(cmd, argc, argv, shortopts, longopts)                                          \
    {                                                                                              \
        (cmd), (argc), (argv), (shortopts), (longopts), {0}, 0, false                              \
    }

/* The next option's code (its value in optarg), as getopt_long gives it;
 * -1 at the end (the operands are then argv[optind..]); '?' after printing
 * the usage error for an unknown option, a missing value or a value given
 * to an option that takes none (the caller returns EXIT_USAGE). */
int tool_getopt_next(tool_getopt *g);

/* The languages the tool's messages are in: English and every language
 * the library has a catalogue for (po/LANG.po), as "en, it". */
const char *tool_msg_langs(void);

/* Whether lang ("it", "it_IT.UTF-8") is a language other than English that
 * the library has a catalogue for: its messages are then in that language
 * rather than in English. */
bool tool_lang_translated(const char *lang);

/* The language of the tool's messages: opt (--lang) if given, which must
 * be one of tool_msg_langs() (else NULL: the caller refuses it), else the
 * locale's (LC_ALL, LC_MESSAGES, LANG) when it is one of them, else "en". */
const char *tool_msg_lang(const char *opt);
/* Without --lang: the saved profile's language, else the locale's; one of
 * tool_msg_langs() when messages (tool_msg_lang), else any of tool_lang's.
 * cmd names the command in a message about the profile's path. */
const char *tool_default_lang(const char *cmd, bool messages);

/* Flags for every JSON document the tool prints: numbers are rounded where
 * they are made (tool_json_round) and printed with up to 15 significant
 * digits, so 2711.4 prints as 2711.4, not 2711.4000000000001. */
#define TOOL_JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

/* v rounded to the given number of decimals. */
double tool_json_round(double v, int decimals);

/* Flushes and closes standard output at the end of a command: if anything
 * written to it was lost (disk full, a closed pipe's EPIPE, /dev/full),
 * says so on stderr and returns EXIT_IOERR (74); else returns rc. */
int tool_close_stdout(int rc);

#endif
