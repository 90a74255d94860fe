#!/usr/bin/env python3
"""po2c: the gettext catalogues (po/*.po) as one C table, built into idpack.

Usage: po2c.py OUT.c LANG.po...   (the language is the file's name: it.po -> "it")

Reads each catalogue with the standard library only; leaves out the header,
untranslated and fuzzy entries and obsolete ones (#~), so a message without
a translation falls back to English at run time and the coverage test
(tests/cli/test_translations.sh) names it. The entries of a language are
sorted by the bytes of their msgid, for idp_tr's binary search."""
import os
import sys

ESC = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
       "f": "\f", "v": "\v"}


def unquote(text, where):
    """The value of one PO string literal (without its quotes)."""
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        n = text[i + 1] if i + 1 < len(text) else ""
        if n in ESC:
            out.append(ESC[n])
            i += 2
        elif n in "01234567":
            j = i + 1
            while j < len(text) and j < i + 4 and text[j] in "01234567":
                j += 1
            out.append(chr(int(text[i + 1:j], 8)))
            i = j
        else:
            sys.exit(f"{where}: unknown escape \\{n}")
    return "".join(out)


def parse(path):
    """[(msgid, msgstr)] of the translated, current entries of path."""
    entries, cur, field, fuzzy = [], {}, None, False

    def flush():
        nonlocal cur, field, fuzzy
        if "msgid" in cur and cur["msgid"] != "" and cur.get("msgstr", "") != "" and not fuzzy:
            entries.append((cur["msgid"], cur["msgstr"]))
        cur, field, fuzzy = {}, None, False

    with open(path, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            line = line.strip()
            where = f"{path}:{no}"
            if line == "":
                flush()
            elif line.startswith("#~"):
                continue
            elif line.startswith("#,"):
                if "msgid" in cur:
                    flush()
                fuzzy = "fuzzy" in [w.strip() for w in line[2:].split(",")]
            elif line.startswith("#"):
                if "msgid" in cur and "msgstr" in cur:
                    flush()
            elif line.startswith(("msgctxt", "msgid_plural", "msgstr[")):
                sys.exit(f"{where}: contexts and plural forms are not used by idpack")
            elif line.startswith(("msgid ", "msgstr ")):
                field, rest = line.split(" ", 1)
                if field == "msgid" and "msgid" in cur:
                    flush()
                    field = "msgid"
                if not (rest.startswith('"') and rest.endswith('"')):
                    sys.exit(f"{where}: expected a quoted string")
                cur[field] = unquote(rest[1:-1], where)
            elif line.startswith('"') and line.endswith('"') and field is not None:
                cur[field] += unquote(line[1:-1], where)
            else:
                sys.exit(f"{where}: cannot read this line")
    flush()
    return entries


def c_string(s):
    """s as a C string literal: printable ASCII as is, the rest as octal."""
    out = ['"']
    for b in s.encode("utf-8"):
        c = chr(b)
        if c in '"\\':
            out.append("\\" + c)
        elif 0x20 <= b < 0x7F and c != "?":  # no trigraphs
            out.append(c)
        else:
            out.append("\\%03o" % b)
    out.append('"')
    return "".join(out)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, pos = sys.argv[1], sorted(sys.argv[2:])
    lines = ["/* Generated from po/LANG.po by po/po2c.py: do not edit (edit the .po). */",
             '#include "idp_tr_int.h"', ""]
    langs = []
    for po in pos:
        lang = os.path.splitext(os.path.basename(po))[0]
        entries = parse(po)
        ids = [e[0] for e in entries]
        if len(set(ids)) != len(ids):
            sys.exit(f"{po}: a msgid appears twice")
        entries.sort(key=lambda e: e[0].encode("utf-8"))
        name = "tr_" + "".join(c if c.isalnum() else "_" for c in lang)
        lines.append(f"static const idp_tr_entry {name}[] = {{")
        for en, tr in entries:
            lines.append(f"    {{{c_string(en)},\n     {c_string(tr)}}},")
        lines.append("};")
        lines.append("")
        langs.append((lang, name, len(entries)))
    lines.append("const idp_tr_lang idp_tr_langs[] = {")
    for lang, name, n in langs:
        lines.append(f"    {{{c_string(lang)}, {name}, {n}}},")
    lines.append("};")
    lines.append(f"const size_t idp_tr_n_langs = {len(langs)};")
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
