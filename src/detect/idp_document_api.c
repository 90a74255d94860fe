/* The document found, as programs outside the library read it: opaque,
 * through these functions (docs/library.md). */
#include "idp_detect.h"

#include <string.h>

bool idp_document_found(const idp_document *doc)
{
    return doc->found;
}

idp_doc_kind idp_document_kind(const idp_document *doc)
{
    return doc->kind;
}

idp_upright_cue idp_document_cue(const idp_document *doc)
{
    return doc->upright;
}

bool idp_document_portrait(const idp_document *doc)
{
    return doc->portrait;
}

void idp_document_quad(const idp_document *doc, double quad[4][2])
{
    memcpy(quad, doc->quad, sizeof(doc->quad));
}

double idp_document_confidence(const idp_document *doc)
{
    return doc->confidence;
}

bool idp_document_scan(const idp_document *doc)
{
    return doc->scan;
}

bool idp_document_cut_off(const idp_document *doc)
{
    return doc->cut_off;
}
