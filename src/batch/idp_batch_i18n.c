/* The batch's own sentences in Italian: the reasons of a row, the
 * whole-batch errors, the CSV reader's errors. What the other modules
 * write (a form's fields, a check's message, a missing back) is
 * translated where it is written, by the context's language. */
#include "idp_batch_int.h"

#include <string.h>

static const char *const catalogue[][2] = {
    /* a row's shape and its customer label */
    {"the row has more than %u cells (the header has %zu columns): a missing line break?",
     "la riga ha più di %u celle (l'intestazione ha %zu colonne): manca un a capo?"},
    {"the row has %zu cells but the header has %zu columns (a missing or extra separator, or "
     "an unquoted comma?)",
     "la riga ha %zu celle ma l'intestazione ha %zu colonne (un separatore mancante o in più, "
     "o una virgola fuori dalle virgolette?)"},
    {"%s row %zu: the value of %s (column %zu) is longer than %u bytes, the most a cell may hold",
     "%s riga %zu: il valore di %s (colonna %zu) supera %u byte, il massimo per una cella"},
    {"past the header", "oltre l'intestazione"},
    {"customer: empty (it names the package folder)",
     "customer: vuoto (dà il nome alla cartella del pacchetto)"},
    {"customer: too long (%zu bytes, at most %d)",
     "customer: troppo lungo (%zu byte, al massimo %d)"},
    {"contains a line break", "contiene un a capo"},
    {"customer: %s (at byte %zu)", "customer: %s (al byte %zu)"},
    {"customer: gives a reserved folder name (report.json and report.csv are the reports)",
     "customer: dà un nome di cartella riservato (report.json e report.csv sono i resoconti)"},
    {"the CSV changed while the batch ran: run the batch again",
     "il CSV è cambiato mentre il batch era in corso: esegui di nuovo il batch"},
    {"customer: gives the folder name \"%s\", already used by row %zu",
     "customer: dà il nome di cartella \"%s\", già usato dalla riga %zu"},
    {"lang: not a language of the letter (en, it, de, fr, es)",
     "lang: non è una lingua della lettera (en, it, de, fr, es)"},
    {"front: empty (the photo of the front of the ID)",
     "front: vuoto (la foto del fronte del documento)"},
    {"front photo: %s", "foto del fronte: %s"},
    {"back photo: %s", "foto del retro: %s"},
    /* photo paths */
    {"empty path", "percorso vuoto"},
    {"%s: an absolute path; image paths must be relative to the CSV's folder (or use "
     "--allow-outside)",
     "%s: è un percorso assoluto; i percorsi delle foto devono essere relativi alla cartella "
     "del CSV (oppure usa --allow-outside)"},
    {"%s: leaves the CSV's folder; use --allow-outside to accept it",
     "%s: esce dalla cartella del CSV; usa --allow-outside per accettarlo"},
    {"%s: no such file", "%s: il file non esiste"},
    {"%s: cannot be opened: %s", "%s: non si può aprire: %s"},
    {"%s: leaves the CSV's folder (through \"..\" or a link); use --allow-outside to accept it",
     "%s: esce dalla cartella del CSV (con \"..\" o un collegamento); usa --allow-outside per "
     "accettarlo"},
    /* a row's build */
    {"%s row %zu", "%s riga %zu"},
    {"front photo \"%s\" fails the %s check: %s",
     "la foto del fronte \"%s\" non supera il controllo %s: %s"},
    {"back photo \"%s\" fails the %s check: %s",
     "la foto del retro \"%s\" non supera il controllo %s: %s"},
    {"front photo \"%s\" warns on the %s check: %s",
     "la foto del fronte \"%s\" ha un avviso nel controllo %s: %s"},
    {"back photo \"%s\" warns on the %s check: %s",
     "la foto del retro \"%s\" ha un avviso nel controllo %s: %s"},
    {"front photo \"%s\": %s", "foto del fronte \"%s\": %s"},
    {"back photo \"%s\": %s", "foto del retro \"%s\": %s"},
    {"the file does not exist: check its name and folder",
     "il file non esiste: controlla il nome e la cartella"},
    {"the file is too large to check safely (too many pixels or bytes): send the photo at the "
     "phone's normal size, not an enlarged copy, a huge scan or a panorama",
     "il file è troppo grande per essere controllato in sicurezza (troppi pixel o byte): invia "
     "la foto nella misura normale del telefono, non una copia ingrandita, una scansione enorme "
     "o un panorama"},
    {"the package's name is taken by a link that cannot be removed",
     "il nome del pacchetto è occupato da un collegamento che non si può rimuovere"},
    {"the folder %s already exists in the output folder: run with --resume to keep packages "
     "that verify and rebuild the rest",
     "la cartella %s esiste già nella cartella di uscita: esegui con --resume per tenere i "
     "pacchetti che superano la verifica e rifare gli altri"},
    {"out of memory", "memoria esaurita"},
    {"the package is in place but not recorded in the ledger: %s",
     "il pacchetto è al suo posto ma non è registrato nel registro: %s"},
    /* a row's process */
    {"took longer than the %g seconds a row may take, and was stopped (a photo that is very "
     "slow to read?); run with --resume to try it again",
     "ha richiesto più dei %g secondi concessi a una riga ed è stata fermata (una foto molto "
     "lenta da leggere?); esegui con --resume per riprovarla"},
    {"the row's process was stopped by signal %d (%s) while building it%s; the other rows went "
     "on; run with --resume to try it again",
     "il processo della riga è stato fermato dal segnale %d (%s) durante la preparazione%s; le "
     "altre righe sono proseguite; esegui con --resume per riprovarla"},
    {": over the time or memory limit of a row",
     ": oltre il limite di tempo o di memoria di una riga"},
    {"the row's process gave no result (internal error); run with --resume to try it again",
     "il processo della riga non ha dato alcun risultato (errore interno); esegui con --resume "
     "per riprovarla"},
    {"needs more memory than the %llu MiB a row may use (%s); run with --resume to try it again "
     "with a higher limit",
     "richiede più memoria dei %llu MiB concessi a una riga (%s); esegui con --resume per "
     "riprovarla con un limite più alto"},
    /* whole-batch errors: the columns, the folders */
    {"%s: unknown column \"%s\" (the columns are: %s)",
     "%s: colonna sconosciuta \"%s\" (le colonne sono: %s)"},
    {"%s: column %zu of the header is not a known column name (the columns are: %s; is the "
     "header row missing?)",
     "%s: la colonna %zu dell'intestazione non è un nome di colonna noto (le colonne sono: %s; "
     "manca la riga d'intestazione?)"},
    {"%s: no \"%s\" column (the columns are: %s)",
     "%s: manca la colonna \"%s\" (le colonne sono: %s)"},
    {"%s: no \"%s\" column (%s is required; the columns are: %s)",
     "%s: manca la colonna \"%s\" (%s è obbligatorio; le colonne sono: %s)"},
    {"%s: cannot be resolved: %s", "%s: non si può risolvere: %s"},
    {"%s: cannot create: %s", "%s: non si può creare: %s"},
    {"%s: cannot open: %s", "%s: non si può aprire: %s"},
    {"not a folder", "non è una cartella"},
    {"%s: cannot write into it: %s", "%s: non ci si può scrivere: %s"},
    {"another idpack batch is writing into it", "un altro idpack batch ci sta scrivendo"},
    {"%s: cannot resolve: %s", "%s: non si può risolvere: %s"},
    {"%s: write error: %s (the reports of an earlier run, if any, are left as they were)",
     "%s: errore di scrittura: %s (i resoconti di un'esecuzione precedente, se ci sono, restano "
     "com'erano)"},
    /* the CSV reader */
    {"%s: out of memory", "%s: memoria esaurita"},
    {"%s: the header is not UTF-8 text (save the file as \"CSV UTF-8\")",
     "%s: l'intestazione non è testo UTF-8 (salva il file come \"CSV UTF-8\")"},
    {"%s: data row %zu is not UTF-8 text (save the file as \"CSV UTF-8\")",
     "%s: la riga di dati %zu non è testo UTF-8 (salva il file come \"CSV UTF-8\")"},
    {"%s: more than %u data rows, the most one batch takes: split the file into several CSVs",
     "%s: più di %u righe di dati, il massimo per un batch: dividi il file in più CSV"},
    {"%s: the header has %s: over the batch's limits (at most %u cells of at most %u bytes)",
     "%s: l'intestazione ha %s: oltre i limiti del batch (al massimo %u celle di al massimo %u "
     "byte)"},
    {"%s: data row %zu has %s: over the batch's limits (at most %u cells of at most %u bytes in "
     "a row; shorten the cell)",
     "%s: la riga di dati %zu ha %s: oltre i limiti del batch (al massimo %u celle di al "
     "massimo %u byte in una riga; accorcia la cella)"},
    {"a cell of more than %u bytes", "una cella di più di %u byte"},
    {"more than %u cells", "più di %u celle"},
    {"%s: read error: %s", "%s: errore di lettura: %s"},
    {"%s: malformed CSV after data row %zu: a quote inside an unquoted field, text after a "
     "closing quote, or a quoted field never closed",
     "%s: CSV malformato dopo la riga di dati %zu: virgolette dentro un campo senza virgolette, "
     "testo dopo le virgolette di chiusura, o un campo tra virgolette mai chiuso"},
    {"%s: empty: no header row", "%s: vuoto: manca la riga d'intestazione"},
    {"%s: column %zu of the header has no name",
     "%s: la colonna %zu dell'intestazione non ha un nome"},
    {"%s: columns %zu and %zu of the header have the same name",
     "%s: le colonne %zu e %zu dell'intestazione hanno lo stesso nome"},
    {"%s: not a regular file", "%s: non è un file normale"},
    {"%s: no data", "%s: nessun dato"},
};

const char *batch_tr(const char *lang, const char *en)
{
    if (lang == NULL || strcmp(lang, "it") != 0)
        return en;
    for (size_t i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++)
        if (strcmp(catalogue[i][0], en) == 0)
            return catalogue[i][1];
    return en;
}
