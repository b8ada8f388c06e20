/* def_place.c: DEF component placements onto an existing netlist (see def_place.h). */
#include "parsers/def_place.h"

#include <math.h>
#include <string.h>

#include "parsers/lexer.h"
#include "parsers/textfile.h"

#define TOKEQ(lx, w) pl_lex_is((lx), (w))

/* One "- name master [+ ...] ;" entry; the lexer is on '-'. */
static pl_status read_component(pl_lexer *lx, pl_netlist *nl, double dbu, pl_def_placement_stats *st)
{
    pl_lex_next(lx);
    if (lx->eof || TOKEQ(lx, ";")) return pl_lex_error(lx, "expected a component name after '-'");
    char name[1024];
    if (lx->len >= sizeof name) return pl_lex_error(lx, "component name too long");
    memcpy(name, lx->tok, lx->len);
    name[lx->len] = 0;
    pl_lex_next(lx);
    const char *master = lx->tok;
    size_t mlen = lx->len;
    st->components++;
    int32_t idx = pl_netlist_find_node(nl, name);
    pl_node *n = idx >= 0 ? &nl->nodes[idx] : NULL;
    if (!n) st->missing++;
    else {
        st->applied++;
        const char *mn = n->master >= 0 ? nl->masters[n->master].name : NULL;
        if (!mn || strlen(mn) != mlen || memcmp(mn, master, mlen) != 0) st->other_master++;
    }
    for (pl_lex_next(lx); !TOKEQ(lx, ";"); pl_lex_next(lx)) {
        if (lx->eof) return pl_lex_error(lx, "unexpected end of file in component '%s'", name);
        if (!TOKEQ(lx, "+")) continue; /* arguments of options we skip */
        pl_lex_next(lx);
        if (TOKEQ(lx, "UNPLACED")) {
            if (n) n->state = PL_PLACE_UNPLACED;
        } else if (TOKEQ(lx, "PLACED") || TOKEQ(lx, "FIXED") || TOKEQ(lx, "COVER")) {
            pl_place_state s = TOKEQ(lx, "PLACED") ? PL_PLACE_PLACED : TOKEQ(lx, "FIXED") ? PL_PLACE_FIXED : PL_PLACE_COVER;
            double x, y;
            PL_TRY(pl_lex_expect(lx, "(", "COMPONENTS"));
            PL_TRY(pl_lex_number(lx, &x, "COMPONENTS"));
            PL_TRY(pl_lex_number(lx, &y, "COMPONENTS"));
            PL_TRY(pl_lex_expect(lx, ")", "COMPONENTS"));
            pl_lex_next(lx);
            int o = pl_orient_parse(lx->tok, lx->len);
            if (o < 0 || lx->quoted)
                return pl_lex_error(lx, "bad orientation %s of component '%s'", pl_lex_tokstr(lx), name);
            if (!(dbu > 0)) return pl_lex_error(lx, "coordinates before UNITS DISTANCE MICRONS");
            if (n) {
                n->state = s;
                n->x = x / dbu;
                n->y = y / dbu;
                n->orient = (pl_orient)o;
            }
        }
    }
    return PL_OK;
}

static pl_status read_components(pl_lexer *lx, pl_netlist *nl, double dbu, pl_def_placement_stats *st)
{
    int open_line = lx->tok_line;
    PL_TRY(pl_lex_skip_statement(lx, "COMPONENTS"));
    for (pl_lex_next(lx);; pl_lex_next(lx)) {
        if (lx->eof) return pl_err(PL_EPARSE, "%s:%d: COMPONENTS without END COMPONENTS", lx->path, open_line);
        if (TOKEQ(lx, "END")) return pl_lex_expect(lx, "COMPONENTS", "END COMPONENTS");
        if (!TOKEQ(lx, "-")) return pl_lex_error(lx, "expected '-' in COMPONENTS, found %s", pl_lex_tokstr(lx));
        PL_TRY(read_component(lx, nl, dbu, st));
    }
}

pl_status pl_def_placement_apply(pl_netlist *nl, const char *path, pl_def_placement_stats *st)
{
    memset(st, 0, sizeof *st);
    pl_textfile f;
    PL_TRY(pl_textfile_read_text(&f, path, "DEF"));
    pl_lexer lx;
    pl_lex_init(&lx, path, f.data, f.len);
    double dbu = 0;
    int seen = 0;
    pl_status s = PL_OK;
    while (s == PL_OK && pl_lex_next(&lx)) {
        if (lx.quoted) continue;
        if (TOKEQ(&lx, "UNITS")) {
            if ((s = pl_lex_expect(&lx, "DISTANCE", "UNITS")) != PL_OK) break;
            if ((s = pl_lex_expect(&lx, "MICRONS", "UNITS")) != PL_OK) break;
            if ((s = pl_lex_number(&lx, &dbu, "UNITS")) != PL_OK) break;
            if (!(dbu > 0)) s = pl_lex_error(&lx, "UNITS DISTANCE MICRONS must be positive");
        } else if (TOKEQ(&lx, "COMPONENTS")) {
            seen = 1;
            s = read_components(&lx, nl, dbu, st);
            break; /* nothing after COMPONENTS matters here */
        }
    }
    if (s == PL_OK && !seen) s = pl_err(PL_EPARSE, "%s: no COMPONENTS section", path);
    pl_textfile_free(&f);
    return s;
}
