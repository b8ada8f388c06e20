/* suite.c: training suites (see suite.h). */
#include "rl/suite.h"

#include <stdlib.h>
#include <string.h>

#ifdef PL_HAVE_LIBXML2
#include <libxml/parser.h>
#include <libxml/tree.h>
#endif

void pl_suite_init(pl_suite *s)
{
    memset(s, 0, sizeof *s);
    pl_strpool_init(&s->strings);
}

void pl_suite_free(pl_suite *s)
{
    if (!s) return;
    free(s->src);
    pl_strpool_free(&s->strings);
    memset(s, 0, sizeof *s);
    pl_strpool_init(&s->strings);
}

static const char *dup(pl_suite *s, const char *p)
{
    return p ? pl_strpool_add(&s->strings, p, strlen(p)) : NULL;
}

pl_status pl_suite_add(pl_suite *s, const char *path, const char *plc, const char *const *lefs, int nlef,
                       double weight)
{
    if (nlef > PL_ENV_MAX_LEFS) return pl_err(PL_EINVAL, "train: %s: more than %d LEF files", path, PL_ENV_MAX_LEFS);
    if (!(weight > 0)) return pl_err(PL_EINVAL, "train: %s: weight %g must be positive", path, weight);
    if (s->n >= PL_SUITE_MAX) return pl_err(PL_EINVAL, "train: %s: a suite holds at most %d designs", path, PL_SUITE_MAX);
    PL_TRY(PL_GROW(s->src, s->cap, s->n + 1));
    pl_env_source *d = &s->src[s->n];
    memset(d, 0, sizeof *d);
    d->path = dup(s, path);
    d->plc = dup(s, plc);
    for (int k = 0; k < nlef; k++) d->lefs[k] = dup(s, lefs[k]);
    d->nlef = nlef;
    d->weight = weight;
    if (!d->path || (plc && !d->plc)) return pl_err(PL_ENOMEM, "train: out of memory");
    for (int k = 0; k < nlef; k++)
        if (!d->lefs[k]) return pl_err(PL_ENOMEM, "train: out of memory");
    s->n++;
    return PL_OK;
}

pl_status pl_suite_set_expert(pl_suite *s, int d, const char *expert)
{
    if (d < 0 || d >= s->n) return pl_err(PL_EINVAL, "train: expert for design %d of %d", d, s->n);
    s->src[d].expert = dup(s, expert);
    if (expert && !s->src[d].expert) return pl_err(PL_ENOMEM, "train: out of memory");
    return PL_OK;
}

#ifdef PL_HAVE_LIBXML2
/* dir + rel unless rel is absolute; into buf. */
static const char *resolve(char *buf, size_t cap, const char *dir, const char *rel)
{
    if (!rel) return NULL;
    if (rel[0] == '/' || !dir[0]) snprintf(buf, cap, "%s", rel);
    else snprintf(buf, cap, "%s/%s", dir, rel);
    return buf;
}

/* libxml2 prints some errors (encoding conversion, I/O) through its generic handler whatever the
 * parse options say; the reader reports them in its own one line instead. */
static void xml_silent(void *ctx, const char *msg, ...)
{
    (void)ctx, (void)msg;
}

pl_status pl_suite_read(pl_suite *s, const char *xml_path)
{
    xmlSetGenericErrorFunc(NULL, xml_silent);
    xmlDocPtr doc = xmlReadFile(xml_path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlSetGenericErrorFunc(NULL, NULL);
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        const char *m = e && e->message ? e->message : "cannot read";
        int len = (int)strlen(m);
        while (len > 0 && (m[len - 1] == '\n' || m[len - 1] == ' ')) len--;
        return pl_err(PL_EPARSE, "%s:%d: not a well-formed XML suite: %.*s", xml_path, e ? e->line : 0, len, m);
    }
    char dir[4096];
    const char *slash = strrchr(xml_path, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - xml_path) : 0, xml_path);
    pl_status st = PL_OK;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || xmlStrcmp(root->name, (const xmlChar *)"suite"))
        st = pl_err(PL_EPARSE, "%s:%d: the root element must be <suite>", xml_path, root ? (int)root->line : 1);
    int count = 0;
    for (xmlNodePtr n = root ? root->children : NULL; n && st == PL_OK; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        if (xmlStrcmp(n->name, (const xmlChar *)"design")) {
            st = pl_err(PL_EPARSE, "%s:%d: unknown element <%s> (want <design>)", xml_path, (int)n->line, n->name);
            break;
        }
        xmlChar *path = xmlGetProp(n, (const xmlChar *)"path"), *plc = xmlGetProp(n, (const xmlChar *)"plc");
        xmlChar *w = xmlGetProp(n, (const xmlChar *)"weight");
        xmlChar *ex = xmlGetProp(n, (const xmlChar *)"expert");
        double weight = 1;
        if (w) {
            char *end;
            weight = strtod((const char *)w, &end);
            if (*end || end == (char *)w || !(weight > 0))
                st = pl_err(PL_EPARSE, "%s:%d: weight=\"%s\" is not a positive number", xml_path, (int)n->line, w);
        }
        if (st == PL_OK && !path) st = pl_err(PL_EPARSE, "%s:%d: <design> without path=", xml_path, (int)n->line);
        char lefbuf[PL_ENV_MAX_LEFS][8192];
        const char *lefs[PL_ENV_MAX_LEFS];
        int nlef = 0;
        for (xmlNodePtr c = n->children; c && st == PL_OK; c = c->next) {
            if (c->type != XML_ELEMENT_NODE) continue;
            xmlChar *lp = xmlStrcmp(c->name, (const xmlChar *)"lef") ? NULL : xmlGetProp(c, (const xmlChar *)"path");
            if (!lp) st = pl_err(PL_EPARSE, "%s:%d: want <lef path=\"...\"/> inside <design>", xml_path, (int)c->line);
            else if (nlef == PL_ENV_MAX_LEFS)
                st = pl_err(PL_EPARSE, "%s:%d: more than %d LEF files", xml_path, (int)c->line, PL_ENV_MAX_LEFS);
            else lefs[nlef] = resolve(lefbuf[nlef], sizeof lefbuf[0], dir, (const char *)lp), nlef++;
            xmlFree(lp);
        }
        char pbuf[8192], cbuf[8192];
        if (st == PL_OK)
            st = pl_suite_add(s, resolve(pbuf, sizeof pbuf, dir, (const char *)path),
                              resolve(cbuf, sizeof cbuf, dir, (const char *)plc), lefs, nlef, weight);
        if (st == PL_OK && ex) st = pl_suite_set_expert(s, s->n - 1, resolve(cbuf, sizeof cbuf, dir, (const char *)ex));
        count++;
        xmlFree(path), xmlFree(plc), xmlFree(w), xmlFree(ex);
    }
    if (st == PL_OK && count == 0) st = pl_err(PL_EPARSE, "%s:%d: the suite lists no <design>", xml_path, 1);
    xmlFreeDoc(doc);
    return st;
}
#else
pl_status pl_suite_read(pl_suite *s, const char *xml_path)
{
    (void)s;
    return pl_err(PL_ENOTSUP, "train: %s: built without libxml2 (make deps installs libxml2-dev)", xml_path);
}
#endif

void pl_suite_schedule(const pl_suite *s, int M, int32_t *designs)
{
    double cur[PL_SUITE_MAX], total = 0;
    int n = s->n;
    for (int d = 0; d < n; d++) cur[d] = 0, total += s->src[d].weight;
    for (int j = 0; j < M; j++) {
        int best = 0;
        for (int d = 0; d < n; d++) {
            cur[d] += s->src[d].weight;
            if (cur[d] > cur[best]) best = d;
        }
        cur[best] -= total;
        designs[j] = best;
    }
}
