"""What the window tests' Python scripts share: the window's address and
secret from the URL idpack window prints, the Italian catalogue read by
Python's gettext, and the tally of assertions ("FAIL: ..." per failed one,
"ok N" at the end, exit 1 when anything failed).
"""
import gettext
import sys
import urllib.parse


class Tally:
    def __init__(self):
        self.fails, self.oks = [], 0

    def check(self, cond, what):
        if cond:
            self.oks += 1
        else:
            self.fails.append(what)

    def finish(self):
        for f in self.fails:
            print("FAIL:", f)
        print("ok", self.oks)
        sys.exit(1 if self.fails else 0)


def address(url):
    """(host, port, token) of the URL idpack window printed."""
    u = urllib.parse.urlsplit(url)
    return u.hostname, u.port, urllib.parse.parse_qs(u.query)["token"][0]


def catalogue(mo):
    """po/it.po compiled by msgfmt, as GNU gettext reads it."""
    with open(mo, "rb") as f:
        return gettext.GNUTranslations(f)
