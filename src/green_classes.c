/* green_classes.c: GI class maps: the shipped presets (OSM tags, JAXA,
 * ESA WorldCover and CORINE land-cover codes) and map files.
 * SPDX-License-Identifier: MIT
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/green.h"

/* A preset is the text of a map file, so presets and files share one
 * parser and the presets document themselves (man cityweave-green). */
static const struct { const char *name, *text; } presets[] = {
    /* OSM tags as key=value; the GI classes follow the EU GI typology
     * loosely: woodland, grass and shrub, farmland, wetland, water, parks. */
    { "osm",
      "landuse=forest forest\n natural=wood forest\n natural=tree_row forest\n"
      "natural=scrub shrub\n natural=heath shrub\n"
      "landuse=grass grass\n landuse=meadow grass\n natural=grassland grass\n"
      "landuse=farmland farmland\n landuse=orchard farmland\n landuse=vineyard farmland\n"
      "natural=wetland wetland\n natural=water water\n"
      "leisure=park urban_green\n leisure=garden urban_green\n leisure=playground urban_green\n"
      "leisure=pitch urban_green\n leisure=golf_course urban_green\n"
      "leisure=dog_park urban_green\n leisure=common urban_green\n"
      "landuse=recreation_ground urban_green\n landuse=village_green urban_green\n"
      "landuse=allotments urban_green\n landuse=cemetery urban_green\n"
      "leisure=nature_reserve protected\n boundary=protected_area protected\n" },
    /* JAXA HRLULC v21.11 (README_JAXA): 2 urban, 10 bare land and 12 solar
     * panels are not GI. */
    { "jaxa",
      "1 water\n 3 farmland\n 4 farmland\n 5 grass\n 6 forest\n 7 forest\n 8 forest\n"
      "9 forest\n 11 forest\n" },
    /* ESA WorldCover 2020/2021 (product user manual, table 1): 50 built-up,
     * 60 bare, 70 snow and ice are not GI. */
    { "worldcover",
      "10 forest\n 20 shrub\n 30 grass\n 40 farmland\n 80 water\n 90 wetland\n 95 forest\n"
      "100 grass\n" },
    /* CORINE Land Cover level-3 codes (CLC nomenclature): green urban and
     * sport areas, agriculture, forest and semi-natural areas except bare
     * rock, sand, burnt and glaciers, wetlands, inland and coastal waters
     * (not the sea, 523). */
    { "corine",
      "141 urban_green\n 142 urban_green\n 211 farmland\n 212 farmland\n 213 farmland\n"
      "221 farmland\n 222 farmland\n 223 farmland\n 231 grass\n 241 farmland\n"
      "242 farmland\n 243 farmland\n 244 farmland\n 311 forest\n 312 forest\n 313 forest\n"
      "321 grass\n 322 shrub\n 323 shrub\n 324 shrub\n 411 wetland\n 412 wetland\n"
      "421 wetland\n 422 wetland\n 423 wetland\n 511 water\n 512 water\n 521 water\n"
      "522 water\n" },
};

int cw_giclass_is_canopy(const char *name)
{
    return strcmp(name, "forest") == 0 || strcmp(name, "tree") == 0 ||
           strcmp(name, "canopy") == 0;
}

static int valid_class(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return 0;
    return 1;
}

/* @return the class index of @p name in @p reg, adding it; -1: no memory. */
static int class_index(struct cw_giclasses *reg, const char *name)
{
    for (size_t i = 0; i < reg->n; i++)
        if (strcmp(reg->name[i], name) == 0)
            return (int)i;
    char **grown = realloc(reg->name, (reg->n + 1) * sizeof *grown);
    if (!grown)
        return -1;
    reg->name = grown;
    if (!(reg->name[reg->n] = strdup(name)))
        return -1;
    return (int)reg->n++;
}

static int by_value(const void *a, const void *b)
{
    return strcmp(((const struct cw_gimap_entry *)a)->value,
                  ((const struct cw_gimap_entry *)b)->value);
}

/* Adds "VALUE CLASS" from one line; blank and comment lines add nothing. */
static int parse_line(struct cw_ctx *ctx, const char *src, size_t lineno, char *line,
                      struct cw_giclasses *reg, struct cw_classmap *m)
{
    char *hash = strchr(line, '#'), *save = NULL;
    if (hash)
        *hash = '\0';
    char *value = strtok_r(line, " \t\r\n", &save);
    char *cls = value ? strtok_r(NULL, " \t\r\n", &save) : NULL;
    if (!value)
        return CW_OK;
    if (!cls || strtok_r(NULL, " \t\r\n", &save))
        return cw_ctx_error(ctx, CW_ERR_DATA, "'%s' line %zu: expected 'VALUE CLASS'", src,
                            lineno);
    if (!valid_class(cls))
        return cw_ctx_error(ctx, CW_ERR_DATA, "'%s' line %zu: class '%s' is not made of "
                            "letters, digits and '_'", src, lineno, cls);
    struct cw_gimap_entry *grown = realloc(m->e, (m->n + 1) * sizeof *grown);
    if (!grown)
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    m->e = grown;
    int k = class_index(reg, cls);
    if (k < 0 || !(m->e[m->n].value = strdup(value)))
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    m->e[m->n++].cls = k;
    return CW_OK;
}

static int parse_text(struct cw_ctx *ctx, const char *src, const char *text,
                      struct cw_giclasses *reg, struct cw_classmap *m)
{
    char *copy = strdup(text);
    size_t lineno = 0;
    int rc = copy ? CW_OK : cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    /* strtok_r would skip empty lines and so miscount them; walk by hand. */
    for (char *line = copy; !rc && line; lineno++) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        rc = parse_line(ctx, src, lineno + 1, line, reg, m);
        line = nl ? nl + 1 : NULL;
    }
    free(copy);
    return rc;
}

static int check_duplicates(struct cw_ctx *ctx, const char *src, struct cw_classmap *m)
{
    if (m->n)
        qsort(m->e, m->n, sizeof *m->e, by_value);
    for (size_t i = 1; i < m->n; i++)
        if (strcmp(m->e[i].value, m->e[i - 1].value) == 0)
            return cw_ctx_error(ctx, CW_ERR_DATA, "'%s': value '%s' is mapped twice", src,
                                m->e[i].value);
    return m->n ? CW_OK : cw_ctx_error(ctx, CW_ERR_DATA, "'%s': the class map is empty", src);
}

static char *slurp(const char *path, size_t limit)
{
    FILE *fp = fopen(path, "rb");
    char *buf = fp ? malloc(limit + 1) : NULL;
    size_t n = buf ? fread(buf, 1, limit, fp) : 0;
    if (buf && (ferror(fp) || !feof(fp) || memchr(buf, '\0', n))) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    if (fp)
        fclose(fp);
    return buf;
}

int cw_classmap_parse(struct cw_ctx *ctx, const char *name, const char *text,
                      struct cw_giclasses *reg, struct cw_classmap *out)
{
    memset(out, 0, sizeof *out);
    int rc = parse_text(ctx, name, text, reg, out);
    if (!rc)
        rc = check_duplicates(ctx, name, out);
    if (rc)
        cw_classmap_release(out);
    return rc;
}

int cw_classmap_load(struct cw_ctx *ctx, const char *spec, struct cw_giclasses *reg,
                     struct cw_classmap *out)
{
    for (size_t i = 0; i < sizeof presets / sizeof *presets; i++)
        if (strcmp(spec, presets[i].name) == 0)
            return cw_classmap_parse(ctx, spec, presets[i].text, reg, out);
    char *text = slurp(spec, 1 << 20);
    memset(out, 0, sizeof *out);
    if (!text)
        return cw_ctx_error(ctx, CW_ERR_IO, "cannot read the class map '%s' (not a preset "
                            "either: osm, jaxa, worldcover, corine; a file is text under "
                            "1 MiB)", spec);
    int rc = cw_classmap_parse(ctx, spec, text, reg, out);
    free(text);
    return rc;
}

int cw_classmap_lookup(struct cw_classmap *m, struct cw_giclasses *reg, const char *value)
{
    if (!value || !*value)
        return -1;
    if (m->any) {
        char name[64];
        size_t k = 0;
        /* A free value becomes a field-name-safe class: "Forest park" is
         * forest_park. */
        for (; value[k] && k + 1 < sizeof name; k++)
            name[k] = isalnum((unsigned char)value[k]) ? (char)tolower((unsigned char)value[k])
                                                       : '_';
        name[k] = '\0';
        int c = class_index(reg, name);
        return c < 0 ? -2 : c;
    }
    struct cw_gimap_entry key = { (char *)value, 0 };
    const struct cw_gimap_entry *hit = bsearch(&key, m->e, m->n, sizeof *m->e, by_value);
    return hit ? hit->cls : -1;
}

void cw_classmap_release(struct cw_classmap *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->e[i].value);
    free(m->e);
    memset(m, 0, sizeof *m);
}

void cw_giclasses_release(struct cw_giclasses *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->name[i]);
    free(r->name);
    r->name = NULL;
    r->n = 0;
}
