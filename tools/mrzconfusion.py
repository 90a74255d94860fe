#!/usr/bin/python3
"""Which letters of a name the MRZ reader takes for which (docs/mrz.md,
"Misread letters"): prints the confusion table the name comparison's
tolerance is built on.

  mrzconfusion.py IDPACK N [CORPUS_DIR]

Makes N generated ID backs and passport pages (tests/images/mkmrz.py)
with random names, from small soft photos to sharp ones, reads each with
`IDPACK mrz --json`, and counts, over the name field of every reading
whose check digits are at least half valid (those the cross-check
trusts), each letter read as another letter, by engine. With CORPUS_DIR
(PassportEye's images, ../shared/corpus/mrz) the names of the images whose
true name is known (CORPUS_NAMES below, read off the photos) are counted
too. Deterministic: the seeds are 1..N; two photos at a time. Temporary files in a private
temporary folder."""
import collections
import concurrent.futures
import json
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MKMRZ = os.path.join(HERE, "..", "tests", "images", "mkmrz.py")

# The name field of the corpus images read at valid_score 100, as printed
# on the photo (checked by eye on each image).
CORPUS_NAMES = {
    "100_id-mac.jpg": "CRONG<<KA<KEONG",
    "100_id-si.jpg": "VZOREC<<TINA",
    "100_pass-bdr.jpg": "MUSTERMANN<<ERIKA",
    "100_pass-fin.png": "VIRTANEN<<MARIA<OLIVIA",
    "100_pass-isl.png": "AEVARSDOTTIR<<THURIDUR<OESP",
    "100_pass-lux.jpg": "MAUS<<KETTY",
    "100_pass-uto.jpg": "ERIKSSON<<ANNA<MARIA",
    "100_visa-polx.jpg": "KOWALSKA<KWIATKOWSKA<<BEATA",
    "24_pass-egy.jpg": "MABROUK<<ALAAELDIN<ISMAIL<MOHAMED",
    "27_pass-gbr.jpg": "UNITED<KINGDOM<TWENTY<SIX<<JODIE<PIPPA",
    "43_pass-fra.jpg": "ULYSSE<<CHRISTOPHE",
    "53_id-d.jpg": "MUSTERMANN<<ERIKA",
    "62_pass-pol.png": "KOWALSKA<<ANNA",
    "79_pass-can.jpg": "MARTIN<<SARAH",
    "98_pass-nld.jpg": "MEULENDIJK<<LOES<ALBERTINE",
}


def name_field(lines):
    """The name field of a zone's lines (TD1 third line, TD2/TD3 first
    line after the code and state), or None."""
    if len(lines) == 3 and len(lines[2]) == 30:
        return lines[2]
    if len(lines) == 2 and len(lines[0]) in (36, 44):
        return lines[0][5:]
    return None


def count(truth, read, table):
    """Counts the letters of truth and, in table, each letter read as
    another; a run of two or more cells each read as its neighbour's
    letter (the line read one cell off) is counted as ("shift", "")."""
    letters = 0
    for d in (1, -1):
        run = 0
        for i in range(len(truth)):
            j = i + d
            if 0 <= j < len(truth) and read[i] != truth[i] and read[i] == truth[j]:
                run += 1
            else:
                if run >= 2:
                    table[("shift", "")] += 1
                    for k in range(i - run, i):
                        read = read[:k] + truth[k] + read[k + 1:]
                run = 0
    for t, r in zip(truth, read):
        if "A" <= t <= "Z":
            letters += 1
            if r != t and "A" <= r <= "Z":
                table[(t, r)] += 1
    return letters


def read(idpack, path):
    out = subprocess.run([idpack, "mrz", "--json", path], capture_output=True, text=True)
    img = json.loads(out.stdout)["images"][0]
    if not img.get("found"):
        return None
    return img


def word(rng):
    return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rng.randint(4, 9)))


def main():
    idpack, n = sys.argv[1], int(sys.argv[2])
    tables = collections.defaultdict(collections.Counter)
    letters = collections.Counter()
    trusted = collections.Counter()
    with tempfile.TemporaryDirectory() as tmp:
        def one(seed):
            rng = random.Random(seed)
            kind = rng.choice(["td1", "td3"])
            width = rng.choice([800, 1000, 1300, 1600, 2000])
            args = ["surname=" + word(rng), "given=" + word(rng) + "<" + word(rng),
                    "seed=%d" % seed, "width=%d" % width, "height=%d" % (width * 3 // 4),
                    "blur=%.1f" % rng.uniform(0.6, 1.8), "noise=%d" % rng.randint(2, 8),
                    "quality=%d" % rng.randint(60, 92), "tilt=%.2f" % rng.uniform(0.02, 0.08)]
            path = os.path.join(tmp, "p%d.jpg" % seed)
            truth = subprocess.run(["/usr/bin/python3", MKMRZ, path, kind] + args,
                                   capture_output=True, text=True, check=True).stdout.split()
            img = read(idpack, path)
            os.unlink(path)
            return truth, img

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            for truth, img in pool.map(one, range(1, n + 1)):
                if img is None or img.get("valid_score", 0) < 50:
                    continue
                f_t, f_r = name_field(truth), name_field(img["lines"])
                if f_t is None or f_r is None or len(f_t) != len(f_r):
                    continue
                trusted[img["engine"]] += 1
                letters[img["engine"]] += count(f_t, f_r, tables[img["engine"]])
    if len(sys.argv) > 3:
        for name, truth in CORPUS_NAMES.items():
            img = read(idpack, os.path.join(sys.argv[3], name))
            if img is None or img.get("valid_score", 0) < 50:
                continue
            f_r = name_field(img["lines"])
            engine = "corpus-" + img["engine"]
            trusted[engine] += 1
            letters[engine] += count(truth, f_r, tables[engine])
    for engine in sorted(trusted):
        t = tables[engine]
        print("%s: %d zones, %d name letters, %d misread" %
              (engine, trusted[engine], letters[engine],
               sum(k for (a, _), k in t.items() if a != "shift")))
        for (a, b), k in t.most_common():
            if a == "shift":
                print("  a run of letters read one cell off: %d" % k)
            else:
                print("  %s read as %s: %d" % (a, b, k))


if __name__ == "__main__":
    main()
