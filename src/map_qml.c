/* map_qml.c: a QGIS layer style (.qml) beside a vector layer, styled as
 * on the map: the same classes and colours (single, categorized or
 * graduated renderer), sizes and widths by the same field, the same
 * labels. QGIS loads NAME.qml as the default style of NAME.shp,
 * NAME.geojson, ... so one file serves every format of a product.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "map_priv.h"

void map_xml(FILE *fp, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '&': fputs("&amp;", fp); break;
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '"': fputs("&quot;", fp); break;
        case '\'': fputs("&apos;", fp); break;
        default: fputc(*s, fp);
        }
}

static void rgba(FILE *fp, const char *key, struct cw_rgba c, double alpha)
{
    fprintf(fp, "          <prop k=\"%s\" v=\"%ld,%ld,%ld,%ld\"/>\n", key, lround(c.r * 255),
            lround(c.g * 255), lround(c.b * 255), lround(c.a * alpha * 255));
}

static void sprop(FILE *fp, const char *key, const char *v)
{
    fprintf(fp, "          <prop k=\"%s\" v=\"%s\"/>\n", key, v);
}

static void prop(FILE *fp, const char *key, double v)
{
    fprintf(fp, "          <prop k=\"%s\" v=\"%g\"/>\n", key, v);
}

/* QGIS's data-defined property block with one expression. */
static void dd(FILE *fp, const char *indent, const char *tag, const char *key, const char *expr)
{
    fprintf(fp, "%s<%s>\n%s  <Option type=\"Map\">\n%s    <Option type=\"QString\" name=\"name\" "
            "value=\"\"/>\n%s    <Option type=\"Map\" name=\"properties\">\n%s      <Option "
            "type=\"Map\" name=\"%s\">\n%s        <Option type=\"bool\" name=\"active\" "
            "value=\"true\"/>\n%s        <Option type=\"QString\" name=\"expression\" value=\"",
            indent, tag, indent, indent, indent, indent, key, indent, indent);
    map_xml(fp, expr);
    fprintf(fp, "\"/>\n%s        <Option type=\"int\" name=\"type\" value=\"3\"/>\n%s      "
            "</Option>\n%s    </Option>\n%s    <Option type=\"QString\" name=\"type\" "
            "value=\"collection\"/>\n%s  </Option>\n%s</%s>\n",
            indent, indent, indent, indent, indent, indent, tag);
}

/* The size or width of the map, as a QGIS expression of the same field. */
static void scaled_expr(char *buf, size_t n, const struct map_layer *l, int points)
{
    const struct cw_style *s = &l->style;
    const struct cw_styled *st = &l->st;
    if (points)
        snprintf(buf, n, "max(%g, %g * sqrt(max(0, coalesce(\"%s\", %.10g)) / %.10g))",
                 s->size_min, s->size_max, s->size_field, st->vmin, st->vmax > 0 ? st->vmax : 1);
    else if (st->vmax > st->vmin)
        snprintf(buf, n, "scale_linear(coalesce(\"%s\", %.10g), %.10g, %.10g, %g, %g)",
                 s->width_field, st->vmin, st->vmin, st->vmax, s->width_min, s->width_max);
    else
        snprintf(buf, n, "%g", s->width_max);
}

static void symbol(FILE *fp, int id, const struct map_layer *l, struct cw_rgba c)
{
    static const char *const kind[] = { "marker", "line", "fill" };
    static const char *const cls[] = { "SimpleMarker", "SimpleLine", "SimpleFill" };
    const struct cw_style *s = &l->style;
    int t = l->geom_type;
    fprintf(fp, "      <symbol type=\"%s\" name=\"%d\" alpha=\"1\" clip_to_extent=\"1\" "
            "force_rhr=\"0\">\n        <layer class=\"%s\" enabled=\"1\" pass=\"0\" locked=\"0\">\n",
            kind[t], id, cls[t]);
    struct cw_rgba white = { 1, 1, 1, 1 };
    struct cw_rgba edge = s->has_outline ? s->outline : t == 2 && s->by != CW_BY_GRADUATED ? c : white;
    char expr[512];
    if (t == 0) {
        rgba(fp, "color", c, 1);
        sprop(fp, "name", "circle");
        rgba(fp, "outline_color", edge, 1);
        sprop(fp, "outline_style", s->no_outline ? "no" : "solid");
        prop(fp, "outline_width", 0.8);
        sprop(fp, "outline_width_unit", "Pixel");
        prop(fp, "size", s->size);
        sprop(fp, "size_unit", "Pixel");
        if (s->size_field) {
            scaled_expr(expr, sizeof expr, l, 1);
            dd(fp, "          ", "data_defined_properties", "size", expr);
        }
    } else if (t == 1) {
        rgba(fp, "line_color", c, 1);
        prop(fp, "line_width", s->width);
        sprop(fp, "line_width_unit", "Pixel");
        sprop(fp, "capstyle", "round");
        sprop(fp, "joinstyle", "round");
        if (s->width_field) {
            scaled_expr(expr, sizeof expr, l, 0);
            dd(fp, "          ", "data_defined_properties", "outlineWidth", expr);
        }
    } else {
        rgba(fp, "color", c, s->opacity);
        sprop(fp, "style", "solid");
        rgba(fp, "outline_color", edge, 1);
        sprop(fp, "outline_style", s->no_outline ? "no" : "solid");
        prop(fp, "outline_width", s->by == CW_BY_GRADUATED ? 0.5 : s->width);
        sprop(fp, "outline_width_unit", "Pixel");
        sprop(fp, "joinstyle", "round");
    }
    fputs("        </layer>\n      </symbol>\n", fp);
}

static int has_ranges(const struct cw_styled *st)
{
    for (size_t k = 0; k < st->nclasses; k++)
        if (!isnan(st->classes[k].lo) && !st->classes[k].value)
            return 1;
    return 0;
}

static void renderer(FILE *fp, const struct map_layer *l)
{
    const struct cw_styled *st = &l->st;
    if (l->style.by == CW_BY_FIXED) {
        fputs("  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" forceraster=\"0\" "
              "enableorderby=\"0\">\n    <symbols>\n", fp);
        symbol(fp, 0, l, st->classes[0].color);
        fputs("    </symbols>\n  </renderer-v2>\n", fp);
        return;
    }
    int ranges = has_ranges(st);
    fprintf(fp, "  <renderer-v2 type=\"%s\" attr=\"", ranges ? "graduatedSymbol" : "categorizedSymbol");
    map_xml(fp, l->style.field);
    fprintf(fp, "\" symbollevels=\"0\" forceraster=\"0\" enableorderby=\"0\"%s>\n    <%s>\n",
            ranges ? " graduatedMethod=\"GraduatedColor\"" : "", ranges ? "ranges" : "categories");
    for (size_t k = 0; k < st->nclasses; k++) {
        const struct cw_style_class *c = &st->classes[k];
        if (ranges && isnan(c->lo))
            continue;
        if (ranges)
            fprintf(fp, "      <range render=\"true\" symbol=\"%zu\" lower=\"%.15g\" upper=\"%.15g\" "
                    "label=\"", k, isinf(c->lo) ? -1e300 : c->lo, isinf(c->hi) ? 1e300 : c->hi);
        else {
            /* The catch-all classes ("other", "no value") are QGIS's
             * empty-value category: every value no other category takes. */
            fprintf(fp, "      <category render=\"true\" symbol=\"%zu\" value=\"", k);
            map_xml(fp, c->value ? c->value : "");
            fputs("\" label=\"", fp);
        }
        map_xml(fp, c->label);
        fputs("\"/>\n", fp);
    }
    fprintf(fp, "    </%s>\n    <symbols>\n", ranges ? "ranges" : "categories");
    for (size_t k = 0; k < st->nclasses; k++)
        if (!ranges || !isnan(st->classes[k].lo))
            symbol(fp, (int)k, l, st->classes[k].color);
    fputs("    </symbols>\n  </renderer-v2>\n", fp);
}

static void labeling(FILE *fp, const struct map_layer *l, const struct map_fonts *f)
{
    const struct cw_table *t = &l->vec.attrs;
    fputs("  <labeling type=\"simple\">\n    <settings calloutType=\"simple\">\n      "
          "<text-style fieldName=\"", fp);
    map_xml(fp, t->fields[l->st.label_col].name);
    fprintf(fp, "\" isExpression=\"0\" fontFamily=\"%s\" fontSize=\"%g\" fontSizeUnit=\"Pixel\" "
            "textColor=\"33,33,33,255\" textOpacity=\"1\">\n        <text-buffer bufferDraw=\"1\" "
            "bufferSize=\"1.5\" bufferSizeUnits=\"Pixel\" bufferColor=\"255,255,255,217\" "
            "bufferOpacity=\"1\"/>\n      </text-style>\n      <placement placement=\"6\" "
            "dist=\"2\" distUnits=\"Pixel\" priority=\"5\"/>\n      <rendering obstacle=\"1\" "
            "displayAll=\"0\" upsidedownLabels=\"0\" labelPerPart=\"0\"/>\n", f->family, f->label);
    if (l->style.priority_field) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t r = 0; r < t->nrows; r++)
            if (isfinite(l->st.priority[r]))
                lo = fmin(lo, l->st.priority[r]), hi = fmax(hi, l->st.priority[r]);
        char expr[256];
        /* QGIS priorities run from 0 to 10. */
        snprintf(expr, sizeof expr, "scale_linear(\"%s\", %.10g, %.10g, 0, 10)",
                 l->style.priority_field, lo, hi > lo ? hi : lo + 1);
        dd(fp, "      ", "dd_properties", "Priority", expr);
    }
    fputs("    </settings>\n  </labeling>\n", fp);
}

static char *qml_text(const struct map_layer *l, const struct map_fonts *f)
{
    char *text = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&text, &size);
    if (!fp)
        return NULL;
    fputs("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
          "<!-- written by cityweave map: the style of the map it drew -->\n"
          "<qgis version=\"3.22.0\" styleCategories=\"Symbology|Labeling\">\n", fp);
    renderer(fp, l);
    if (l->st.label_col >= 0)
        labeling(fp, l, f);
    fprintf(fp, "  <blendMode>0</blendMode>\n  <layerGeometryType>%d</layerGeometryType>\n"
            "</qgis>\n", l->geom_type);
    if (fclose(fp)) {
        free(text);
        return NULL;
    }
    return text;
}

int map_write_qml(struct cw_ctx *ctx, const struct map_layer *l, const struct map_fonts *f,
                  int overwrite)
{
    const char *dot = strrchr(l->path, '.'), *slash = strrchr(l->path, '/');
    size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - l->path) : strlen(l->path);
    char *path = malloc(stem + 5), *text = qml_text(l, f);
    int rc = path && text ? CW_OK : cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    if (!rc) {
        memcpy(path, l->path, stem);
        memcpy(path + stem, ".qml", 5);
    }
    struct cw_atomic a;
    if (!rc && !(rc = cw_atomic_begin(ctx, path, overwrite, &a))) {
        const char *tmp = cw_atomic_add(&a, "");
        rc = !tmp ? CW_ERR_NOMEM
             : cw_ctx_inject_write_fault(ctx) ? cw_ctx_error(ctx, CW_ERR_IO, "'%s': cannot write", path)
             : cw_atomic_write_text(ctx, path, tmp, text);
        rc = rc ? (cw_atomic_abort(&a), rc) : cw_atomic_commit(&a);
    }
    free(path);
    free(text);
    return rc;
}
