/* The tool's own sentences in Italian (the library's messages are
 * translated where they are written, on the context). */
#include "tool.h"

#include <string.h>

static const char *const catalogue[][2] = {
    {"Saved in %s\n", "Salvato in %s\n"},
    {"%s\nNothing was saved.\n", "%s\nNon è stato salvato nulla.\n"},
    {"Profile: %s\n", "Profilo: %s\n"},
    {"Complete: 'idpack drop' can use it.", "Completo: 'idpack drop' può usarlo."},
    {"Missing for 'idpack drop':", "Manca per 'idpack drop':"},
    {"Package written: %s\n  reference  %s\n  front      %s\n",
     "Pacchetto scritto: %s\n  riferimento  %s\n  fronte       %s\n"},
    {"  back       %s\n", "  retro        %s\n"},
    {"Package written: %s\n  reference  %s\n  date       %s\n  files      request.pdf, "
     "id-front.jpg%s, manifest.json, SHA256SUMS%s\n",
     "Pacchetto scritto: %s\n  riferimento  %s\n  data         %s\n  file         request.pdf, "
     "id-front.jpg%s, manifest.json, SHA256SUMS%s\n"},
    {"Nothing was written.\n", "Non è stato scritto nulla.\n"},
    {"idpack drop: the package is written, but not recorded in the ledger: %s\n",
     "idpack drop: il pacchetto è scritto, ma non è registrato nel registro: %s\n"},
    {"idpack %s: the package %s was written, but not recorded in the ledger: %s\n"
     "Build it again with --force once the ledger is usable, to record it.\n",
     "idpack %s: il pacchetto %s è stato scritto, ma non è registrato nel registro: %s\n"
     "Rifallo con --force quando il registro è utilizzabile, per registrarlo.\n"},
    {"Removed %s from the profile\n", "Tolto %s dal profilo\n"},
    {"No saved profile at %s\n", "Nessun profilo salvato in %s\n"},
    {"--shard needs I/N, shard I of N with 1 <= I <= N <= %u (such as 2/4), not '%s'",
     "--shard vuole I/N, lo shard I di N con 1 <= I <= N <= %u (come 2/4), non '%s'"},
    {"Merged %u shards: %zu rows: %zu ok, %zu failed, %zu skipped; %zu built with "
     "warnings.\nReports: %s/report.json, %s/report.csv\n",
     "Uniti %u shard: %zu righe: %zu ok, %zu non riuscite, %zu saltate; %zu preparate con "
     "avvisi.\nResoconti: %s/report.json, %s/report.csv\n"},
    {"unexpected argument '%s'", "argomento inatteso '%s'"},
    {"the folder DIR is required: idpack batch report DIR",
     "serve la cartella DIR: idpack batch report DIR"},
    {"  reference  %s\n  front      %s\n", "  riferimento  %s\n  fronte       %s\n"},
    /* idpack batch */
    {"row %zu (", "riga %zu ("},
    {"): failed\n", "): non riuscita\n"},
    {"): built, with warnings\n", "): preparata, con avvisi\n"},
    {"  warning: ", "  avviso: "},
    {"... and %zu more rows failed or warned: see the reports.\n",
     "... e altre %zu righe non riuscite o con avvisi: vedi i resoconti.\n"},
    {"%zu row: %zu ok, %zu failed, %zu skipped; %zu built with warnings.\nReports: "
     "%s/%s.json, %s/%s.csv\n",
     "%zu riga: %zu ok, %zu non riuscite, %zu saltate; %zu preparate con avvisi.\nResoconti: "
     "%s/%s.json, %s/%s.csv\n"},
    {"%zu rows: %zu ok, %zu failed, %zu skipped; %zu built with warnings.\nReports: "
     "%s/%s.json, %s/%s.csv\n",
     "%zu righe: %zu ok, %zu non riuscite, %zu saltate; %zu preparate con avvisi.\nResoconti: "
     "%s/%s.json, %s/%s.csv\n"},
    {"Removed %zu temporary folder left by an interrupted run.\n",
     "Tolta %zu cartella temporanea lasciata da un'esecuzione interrotta.\n"},
    {"Removed %zu temporary folders left by an interrupted run.\n",
     "Tolte %zu cartelle temporanee lasciate da un'esecuzione interrotta.\n"},
    {"  ETA %uh%02um", "  mancano %uh%02um"},
    {"  ETA %um%02us", "  mancano %um%02us"},
    {"\r[%s] %zu/%zu  ok %zu  failed %zu  skipped %zu%s\033[K",
     "\r[%s] %zu/%zu  ok %zu  non riuscite %zu  saltate %zu%s\033[K"},
    {"%s: the font cannot be read (give a readable TrueType file to --font)",
     "%s: il carattere non si può leggere (indica a --font un file TrueType leggibile)"},
    {"the report cannot be read back", "il resoconto non si può rileggere"},
    {"standard output: write error (the reports are in DIR)",
     "uscita standard: errore di scrittura (i resoconti sono in DIR)"},
};

const char *tool_tr(const char *lang, const char *en)
{
    if (lang == NULL || strcmp(lang, "it") != 0)
        return en;
    for (size_t i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++)
        if (strcmp(catalogue[i][0], en) == 0)
            return catalogue[i][1];
    return en;
}
