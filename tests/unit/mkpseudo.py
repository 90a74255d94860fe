#!/usr/bin/env python3
"""mkpseudo: a throwaway catalogue "xx" for unit/test_tr_any.

Usage: mkpseudo.py IDPACK.pot OUT/xx.po

Every message of po/idpack.pot translated as "[xx] " + its English (the
formats stay as they are), but "0.5", which a translator of a language
with a decimal comma writes "0,5", and "English", the language's own name.
It is never installed: test_tr_any links the table po2c.py makes of it with
po/it.po's in place of the library's, so the library's code runs with a
language no code names (docs/translating.md)."""
import sys

pot, out = sys.argv[1], sys.argv[2]
entries, cur = [], None
for line in open(pot, encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("msgid "):
        cur = [line[6:]]
    elif line.startswith("msgstr ") and cur is not None:
        entries.append(cur)
        cur = None
    elif line.startswith('"') and cur is not None:
        cur.append(line)
special = {'"0.5"': '"0,5"', '"English"': '"Pseudo"'}
with open(out, "w", encoding="utf-8") as f:
    f.write('msgid ""\nmsgstr ""\n"Language: xx\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n')
    for e in entries:
        if e == ['""']:
            continue  # the header
        f.write("msgid " + "\n".join(e) + "\n")
        if len(e) == 1 and e[0] in special:
            f.write("msgstr " + special[e[0]] + "\n\n")
        else:
            f.write('msgstr "[xx] "\n' + "\n".join(x for x in e if x != '""') + "\n\n")
