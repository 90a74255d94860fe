# A header as installed: the parts between `#ifdef IDP_INTERNAL` and its
# `#else` or `#endif` (the library's own declarations) cut out, the `#else`
# part of such a block kept; runs of blank lines left by a cut made one.
# Usage: awk -f public-header.awk HEADER > INSTALLED
function directive(re) { return $0 ~ ("^[ \t]*#[ \t]*" re) }
directive("if") {
    depth++
    mark[depth] = ""
    if (!skip && directive("ifdef[ \t]+IDP_INTERNAL([ \t]|$)")) { mark[depth] = "in"; skip = depth; next }
    if (!skip && directive("ifndef[ \t]+IDP_INTERNAL([ \t]|$)")) { mark[depth] = "out"; next }
    if (!skip) emit()
    next
}
directive("el") {
    if (mark[depth] == "in") { skip = 0; next }
    if (mark[depth] == "out") { skip = depth; next }
    if (!skip) emit()
    next
}
directive("endif") {
    if (mark[depth] != "") { if (skip == depth) skip = 0; mark[depth] = ""; depth--; next }
    depth--
    if (!skip) emit()
    next
}
{ if (!skip) emit() }
function emit() {
    if ($0 ~ /^[ \t]*$/) { if (blank) return; blank = 1 } else blank = 0
    print
}
