#!/usr/bin/env bash
# batch --lang it: every line the agent reads is Italian: each row's line
# and reasons on stdout, the summary, report.json's and report.csv's
# reasons and warnings (the batch's own sentences, the checks', the
# fields', a photo that cannot be read or found), a whole-batch error on
# stderr; the profile's lang it does the same. The reports' keys, the
# statuses (ok, failed, skipped) and the check ids stay as they are.
. "$(dirname "$0")/lib.sh"
need_tools jq
D=$T/data
mkdir -p "$D/photos"
for f in sharp.jpg back.jpg blurred.jpg slightly-blurred.jpg truncated.jpg bw.jpg; do
    cp "$IDP_TESTIMG/$f" "$D/photos/$f"
done
cp "$IDP_TESTIMG/sharp.jpg" "$T/outside.jpg"
cat >"$D/c.csv" <<CSV
customer,full_name,account_email,id_type,id_expiry,lang,front,back,phone
Rossi,Mario Rossi,mario@example.com,id_card,2031-05-31,,photos/sharp.jpg,photos/back.jpg,
Bianchi,Bea Bianchi,bea@example.com,id_card,2031-05-31,,photos/blurred.jpg,photos/back.jpg,
Verdi,Nina Verdi,,id_card,31/02/2031,,photos/sharp.jpg,photos/back.jpg,abc
Neri,Ed Neri,ed@example.com,id_card,2020-01-31,,photos/sharp.jpg,photos/back.jpg,
Gialli,Eva Gialli,eve@example.com,id_card,2031-05-31,,../outside.jpg,photos/back.jpg,
Blu,Abe Blu,abe@example.com,id_card,2031-05-31,,$T/outside.jpg,photos/back.jpg,
Viola,Mia Viola,mia@example.com,id_card,2031-05-31,,photos/manca.jpg,photos/back.jpg,
ROSSI,Altro Rossi,altro@example.com,id_card,2031-05-31,,photos/sharp.jpg,photos/back.jpg,
,Senza Nome,e@example.com,id_card,2031-05-31,,photos/sharp.jpg,photos/back.jpg,
Lingua,Lia Lingua,l@example.com,id_card,2031-05-31,xx,photos/sharp.jpg,photos/back.jpg,
Fronte,Fa Fronte,n@example.com,id_card,2031-05-31,,,photos/back.jpg,
Retro,Rea Retro,nb@example.com,id_card,2031-05-31,,photos/sharp.jpg,,
Tronca,Tea Tronca,t@example.com,id_card,2031-05-31,,photos/truncated.jpg,photos/back.jpg,
Grigio,Gino Grigio,b@example.com,id_card,2031-05-31,,photos/bw.jpg,photos/back.jpg,
report.json,Re Port,r@example.com,id_card,2031-05-31,,photos/sharp.jpg,photos/back.jpg,
Cartella,Ca Tella,d@example.com,id_card,2031-05-31,,photos,photos/back.jpg,
Corta,Co Rta,s@example.com
Mosso,Mo Sso,sl@example.com,id_card,2031-05-31,,photos/slightly-blurred.jpg,photos/back.jpg,
CSV
printf 'Ctl\001x,C,c@example.com,id_card,2031-05-31,,photos/sharp.jpg,photos/back.jpg,\n' >>"$D/c.csv"
# words of the English sentences that must not be left (paths, field keys,
# check ids and statuses are not sentences)
EN='\b(the|photo|fails|warns|row|rows|failed|empty|folder|cannot|not|is|are|and|with|of|to|must|already|used|warning|skipped|built|missing|required|such|leaves|absolute|column|columns|cells|expired|memory|no)\b'

expect_exit 1 "$IDPACK" batch --csv "$D/c.csv" --out "$T/it" --no-ledger --lang it --date 2026-11-26 -j 2
cp "$T/out" "$T/it.out"
expect_grep '^riga 2 \(Bianchi\): non riuscita$' "$T/it.out"
expect_grep '^riga 18 \(Mosso\): preparata, con avvisi$' "$T/it.out"
expect_grep '^  avviso: la foto del fronte "photos/slightly-blurred.jpg" ha un avviso nel controllo sharpness: La foto è un po' "$T/it.out"
expect_grep '^19 righe: 2 ok, 17 non riuscite, 0 saltate; 1 preparate con avvisi\.$' "$T/it.out"
expect_grep '^Resoconti: ' "$T/it.out"
expect_grep 'foto del fronte "photos/truncated.jpg": Il file non si può leggere come foto' "$T/it.out"
expect_grep 'c\.csv riga 3: id_expiry' "$T/it.out"
# no English sentence on stdout (the Resoconti line names the files)
grep -v '^Resoconti: ' "$T/it.out" | sed -E 's#[A-Za-z0-9_./-]+\.(jpg|csv|json)##g' >"$T/it.words"
if grep -n -i -w -E "$EN" "$T/it.words" >"$T/left"; then fail "English left on stdout: $(head -3 "$T/left")"; else ok; fi
# nor in the reports' reasons and warnings
jq -r '.rows[] | (.reasons + (.warnings // []))[]' "$T/it/report.json" |
    sed -E 's#[A-Za-z0-9_./-]+\.(jpg|csv|json)##g' >"$T/it.reasons"
[ "$(wc -l <"$T/it.reasons")" -ge 18 ] && ok || fail "report.json: $(wc -l <"$T/it.reasons") reasons"
if grep -n -i -w -E "$EN" "$T/it.reasons" >"$T/left"; then fail "English left in report.json: $(head -3 "$T/left")"; else ok; fi
/usr/bin/python3 - "$T/it/report.csv" >"$T/it.csvreasons" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")):
    print(r["reasons"]); print(r["warnings"])
PY
sed -i -E 's#[A-Za-z0-9_./-]+\.(jpg|csv|json)##g' "$T/it.csvreasons"
if grep -n -i -w -E "$EN" "$T/it.csvreasons" >"$T/left"; then fail "English left in report.csv: $(head -3 "$T/left")"; else ok; fi
# the machine-readable parts stay as they are
jq -e '[.rows[].status] | unique == ["failed", "ok"]' "$T/it/report.json" >/dev/null && ok || fail "statuses translated"

# the same batch in English says it in English (the check above can fail)
expect_exit 1 "$IDPACK" batch --csv "$D/c.csv" --out "$T/en" --no-ledger --lang en --date 2026-11-26 -j 2
expect_grep '^row 2 \(Bianchi\): failed$' "$T/out"
jq -r '.rows[] | .reasons[]' "$T/en/report.json" >"$T/en.reasons"
expect_grep '^front photo "photos/blurred.jpg" fails the sharpness check' "$T/en.reasons"
expect_grep '^photos/truncated.jpg: corrupt JPEG' "$T/en.reasons"
if grep -q -i -w -E "$EN" "$T/en.reasons"; then ok; else fail "the English words are not found in English"; fi

# the profile's lang it, without --lang
"$IDPACK" profile set lang=it >/dev/null 2>&1 || fail "profile set lang=it"
expect_exit 1 "$IDPACK" batch --csv "$D/c.csv" --out "$T/pr" --no-ledger --date 2026-11-26 -j 2
expect_grep '^19 righe: 2 ok, 17 non riuscite' "$T/out" "the summary with the profile's lang it"

# a whole-batch error, and a font that cannot be read, in Italian on stderr
printf 'customer,front,colore\nA,photos/sharp.jpg,x\n' >"$D/bad.csv"
expect_exit 65 "$IDPACK" batch --csv "$D/bad.csv" --out "$T/bad" --no-ledger --lang it
expect_grep 'colonna sconosciuta "colore" \(le colonne sono: ' "$T/err"
expect_exit 66 "$IDPACK" batch --csv "$D/c.csv" --out "$T/nf" --no-ledger --lang it --font "$T/nosuch.ttf"
expect_grep 'il carattere non si può leggere' "$T/err"
finish
