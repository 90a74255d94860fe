# Portrait documents through the tool (idp_mkphotos --portrait-set: a
# vertical-format ID-1 card, a passport booklet's cover): check --json says
# "orientation": "portrait", normalize writes a tall JPEG of the true
# aspect, and build places it in the PDF at its true width (the short side).
source "$(dirname "$0")/lib.sh"
: "${IDP_MKPHOTOS:?run through ctest}"
need_tools identify pdfimages

D=$T/portrait
"$IDP_MKPHOTOS" --portrait-set "$D"

# orientation in check --json
for f in vcard-0 vcard-90 vcard-270 cover-0; do
    expect_exit 0 "$IDPACK" check --json "$D/$f.jpg"
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["images"][0]["document"]; sys.exit(d["orientation"] != "portrait")' "$T/out" \
        && ok || fail "$f: not reported portrait"
done

# normalize: tall, at the kind's aspect (ID-1 85.60/53.98, ID-3 125/88), as
# --json and identify say
norm() { # FILE ASPECT
    local f=$1 want=$2
    expect_exit 0 "$IDPACK" normalize --json "$D/$f.jpg" -o "$T/$f-n.jpg"
    local wh
    wh=$(identify -format '%w %h' "$T/$f-n.jpg")
    # the document at its aspect inside a margin m of at most 3 % of its short side
    awk -v w="${wh% *}" -v h="${wh#* }" -v a="$want" 'BEGIN { for (m = 0; m <= 0.031 * w; m++) if (h > w && ((h - 2*m) / (w - 2*m) - a)^2 < 0.0001) exit 0; exit 1 }' \
        && ok || fail "$f: normalized to ${wh}, expected a tall image of aspect $want within its margin"
    python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit("%d %d" % (j["width"], j["height"]) != sys.argv[2])' "$T/out" "$wh" \
        && ok || fail "$f: normalize --json does not give ${wh}"
}
norm vcard-0 1.5858
norm vcard-180 1.5858

norm cover-0 1.4205

# build: the front placed at its true width, 53.98 mm for an ID-1 card on
# its short side (pdfimages: pixels / ppi)
cat >"$T/form.txt" <<'FORM'
full_name = Test Person
account_email = test@example.com
id_type = driving_licence
id_expiry = 2031-05-31
business_name = Example Ltd
seller_id = A1B2C3D4E5F6G7
marketplace = amazon.it
country = IT
steps_tried = cookies_cleared, other_browser_device, password_reset_tried
FORM
expect_exit 0 "$IDPACK" build --front "$D/vcard-90.jpg" --back "$IDP_TESTIMG/back.jpg" \
    --form "$T/form.txt" --out "$T/pkg" --date 2026-11-26 --no-ledger
pdfimages -list "$T/pkg/request.pdf" >"$T/images"
wh=$(identify -format '%w %h' "$T/pkg/id-front.jpg")
awk -v w="${wh% *}" -v h="${wh#* }" '
    $0 ~ / jpeg / && $4 == w && $5 == h {
        found = 1; wmm = $4 / $13 * 25.4; hmm = $5 / $14 * 25.4
        # the card inside its margin (m px, the same on every side)
        for (m = 0; m <= 0.031 * w; m++) {
            cw = wmm * (w - 2*m) / w; ch = hmm * (h - 2*m) / h
            if ((cw - 53.98)^2 <= 0.09 && (ch - 85.60)^2 <= 0.09) { hit = 1; break }
        }
        if (!hit) { print "placed " wmm " x " hmm " mm"; exit 1 }
    }
    END { exit !found }' "$T/images" \
    && ok || { fail "the front is not placed at 53.98 x 85.60 mm (${wh})"; cat "$T/images" >&2; }
finish
