#include "tool.h"
#include "tool_opts.h"

#include "idp_package.h"
#include "idpack.h"

#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    tool_cmd_fn fn;
    const char *summary;
} commands[] = {
    {"check", cmd_check, "check ID photos against what Amazon accepts"},
    {"normalize", cmd_normalize, "write an upright, metadata-free, right-sized JPEG"},
    {"build", cmd_build, "build the request package: letter, photos, PDF, hashes"},
    {"verify", cmd_verify, "re-check every hash (and the signature) of a package"},
    {"demo", cmd_demo, "build a package from the bundled specimen photos"},
    {"batch", cmd_batch, "build one package per row of a CSV of customers"},
    {"track", cmd_track, "follow packages in the ledger: submitted, answered, overdue"},
    {"profile", cmd_profile, "save the seller's details for drag and drop"},
    {"drop", cmd_drop, "build a package from dropped photos and the saved profile"},
    {"mrz", cmd_mrz, "read the machine-readable zone of a passport or ID card"},
    {"window", cmd_window, "open the seller's page: drop photos, see the checks, build"},
};

static void usage(FILE *f)
{
    fputs("Usage: idpack COMMAND [OPTIONS] [ARGS]\n"
          "  or:  idpack --help | --version\n"
          "\n"
          "Prepares the ID photos an Amazon seller sends to recover a Seller Central\n"
          "account after losing the two-step-verification device.\n"
          "\n"
          "Commands:\n",
          f);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-10s  %s\n", commands[i].name, commands[i].summary);
    fputs("\n'idpack COMMAND --help' describes a command.\n"
          "Exit codes: 0 ok, 1 rejected, 64 usage, 65 bad input data, 66 missing input,\n"
          "70 internal error, 73 cannot create output, 74 I/O error.\n",
          f);
}

int main(int argc, char **argv)
{
    /* Before anything uses OpenSSL: every block it frees is wiped (some
     * hold copies of a private key). */
    (void)idp_sign_wipe_openssl_frees();
    if (argc < 2) {
        fputs("idpack: no command given\n", stderr);
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return tool_close_stdout(EXIT_OK);
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("idpack %s\n", IDPACK_VERSION_STRING);
        return tool_close_stdout(EXIT_OK);
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            int rc = commands[i].fn(argc - 1, argv + 1);
            FcFini(); /* fontconfig's process-wide caches, for leak checkers */
            return tool_close_stdout(rc);
        }
    }
    fprintf(stderr, "idpack: unknown command '%s'\n", argv[1]);
    fputs("Run 'idpack --help' for the list of commands.\n", stderr);
    return EXIT_USAGE;
}
