/* fake_schema.c - a small JSON-Schema check of request bodies against Discord's OpenAPI
 * spec (tests/data/discord-openapi.json, loaded once from COHORTBOT_SRCDIR or
 * FAKE_OPENAPI): $ref, oneOf/anyOf/allOf, const, type (also lists), maxLength/minLength
 * in code points, pattern, format date-time, minimum/maximum, items/maxItems/
 * uniqueItems, required, and fields the schema does not define. Test code only. */
#include "fake.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *spec;

static json_t *schemas(void)
{
    if (!spec) {
        char path[512];
        const char *env = getenv("FAKE_OPENAPI"), *src = getenv("COHORTBOT_SRCDIR");
        if (env && *env)
            snprintf(path, sizeof(path), "%s", env);
        else
            snprintf(path, sizeof(path), "%s/tests/data/discord-openapi.json", src ? src : ".");
        spec = json_load_file(path, 0, NULL);
        if (!spec) {
            fprintf(stderr, "fakediscord: cannot load %s\n", path);
            return NULL;
        }
    }
    return json_object_get(json_object_get(spec, "components"), "schemas");
}

void fake_schema_free(void)
{
    json_decref(spec);
    spec = NULL;
}

static void add(json_t *out, const char *where, const char *what)
{
    char m[300];
    snprintf(m, sizeof(m), "%s: %s", where, what);
    json_array_append_new(out, json_string(m));
}

static size_t cps(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static bool matches(const char *re_text, const char *s)
{
    regex_t re;
    if (regcomp(&re, re_text, REG_EXTENDED | REG_NOSUB))
        return true; /* a pattern POSIX cannot read is not held against the body */
    bool ok = regexec(&re, s, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

static bool type_is(json_t *v, const char *t)
{
    if (!strcmp(t, "string"))
        return json_is_string(v);
    if (!strcmp(t, "integer"))
        return json_is_integer(v);
    if (!strcmp(t, "number"))
        return json_is_number(v);
    if (!strcmp(t, "boolean"))
        return json_is_boolean(v);
    if (!strcmp(t, "object"))
        return json_is_object(v);
    if (!strcmp(t, "array"))
        return json_is_array(v);
    if (!strcmp(t, "null"))
        return json_is_null(v);
    return true;
}

static void check(json_t *v, json_t *s, const char *where, json_t *out, int depth);

static void check_type(json_t *v, json_t *t, const char *where, json_t *out)
{
    bool ok = false;
    size_t i;
    json_t *x;
    if (json_is_string(t))
        ok = type_is(v, json_string_value(t));
    json_array_foreach(t, i, x) ok |= type_is(v, json_string_value(x));
    if (t && !ok)
        add(out, where, "wrong type");
}

static void check_string(json_t *v, json_t *s, const char *where, json_t *out)
{
    const char *str = json_string_value(v);
    json_t *mx = json_object_get(s, "maxLength"), *mn = json_object_get(s, "minLength");
    if (mx && cps(str) > (size_t)json_integer_value(mx))
        add(out, where, "too long");
    if (mn && cps(str) < (size_t)json_integer_value(mn))
        add(out, where, "too short");
    const char *pat = json_string_value(json_object_get(s, "pattern"));
    if (pat && !matches(pat, str))
        add(out, where, "does not match the pattern");
    const char *fmt = json_string_value(json_object_get(s, "format"));
    if (fmt && !strcmp(fmt, "date-time") &&
        !matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?"
                 "(Z|[+-][0-9]{2}:[0-9]{2})$",
                 str))
        add(out, where, "not an ISO 8601 date-time");
}

static void check_object(json_t *v, json_t *s, const char *where, json_t *out, int depth)
{
    json_t *props = json_object_get(s, "properties"), *req = json_object_get(s, "required");
    size_t i;
    json_t *x;
    const char *k;
    char sub[200];
    json_array_foreach(req, i, x) if (!json_object_get(v, json_string_value(x)))
    {
        snprintf(sub, sizeof(sub), "%s.%s", where, json_string_value(x));
        add(out, sub, "required");
    }
    json_object_foreach(v, k, x)
    {
        snprintf(sub, sizeof(sub), "%s.%s", where, k);
        json_t *ps = json_object_get(props, k);
        if (!ps && props)
            add(out, sub, "not a documented field");
        else if (ps)
            check(x, ps, sub, out, depth + 1);
    }
}

static void check_array(json_t *v, json_t *s, const char *where, json_t *out, int depth)
{
    json_t *mx = json_object_get(s, "maxItems"), *items = json_object_get(s, "items");
    if (mx && json_array_size(v) > (size_t)json_integer_value(mx))
        add(out, where, "too many items");
    size_t i, j;
    json_t *x;
    json_array_foreach(v, i, x)
    {
        char sub[200];
        snprintf(sub, sizeof(sub), "%s[%zu]", where, i);
        if (items)
            check(x, items, sub, out, depth + 1);
        for (j = i + 1; json_is_true(json_object_get(s, "uniqueItems")) && j < json_array_size(v);
             j++)
            if (json_equal(x, json_array_get(v, j)))
                add(out, sub, "not unique");
    }
}

/* oneOf/anyOf: fine when one branch has no problems. */
static void check_any(json_t *v, json_t *list, const char *where, json_t *out, int depth)
{
    size_t i;
    json_t *x;
    json_t *first = NULL;
    json_array_foreach(list, i, x)
    {
        json_t *p = json_array();
        check(v, x, where, p, depth + 1);
        if (json_array_size(p) == 0) {
            json_decref(p);
            json_decref(first);
            return;
        }
        if (!first)
            first = p;
        else
            json_decref(p);
    }
    if (first && json_array_size(first) == 1 && json_array_size(list) > 1)
        json_array_extend(out, first);
    else if (first)
        add(out, where, "matches none of the allowed forms");
    json_decref(first);
}

static void check(json_t *v, json_t *s, const char *where, json_t *out, int depth)
{
    if (!s || depth > 24)
        return;
    const char *ref = json_string_value(json_object_get(s, "$ref"));
    if (ref && !strncmp(ref, "#/components/schemas/", 21)) {
        check(v, json_object_get(schemas(), ref + 21), where, out, depth + 1);
        return;
    }
    check_type(v, json_object_get(s, "type"), where, out);
    json_t *c = json_object_get(s, "const"), *en = json_object_get(s, "enum");
    if (c && !json_equal(c, v))
        add(out, where, "not the allowed value");
    bool in_enum = !en;
    size_t ei;
    json_t *ex;
    json_array_foreach(en, ei, ex) in_enum |= json_equal(ex, v);
    if (!in_enum)
        add(out, where, "not one of the allowed values");
    json_t *mn = json_object_get(s, "minimum"), *mx = json_object_get(s, "maximum");
    if (json_is_integer(v) && mn && json_integer_value(v) < json_integer_value(mn))
        add(out, where, "below the minimum");
    if (json_is_integer(v) && mx && json_integer_value(v) > json_integer_value(mx))
        add(out, where, "above the maximum");
    if (json_is_string(v))
        check_string(v, s, where, out);
    if (json_is_object(v))
        check_object(v, s, where, out, depth);
    if (json_is_array(v))
        check_array(v, s, where, out, depth);
    json_t *one = json_object_get(s, "oneOf");
    if (!one)
        one = json_object_get(s, "anyOf");
    if (one)
        check_any(v, one, where, out, depth);
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(s, "allOf"), i, x) check(v, x, where, out, depth + 1);
}

int fake_schema_check(const char *schema, json_t *body, json_t *out)
{
    json_t *all = schemas();
    json_t *s = all ? json_object_get(all, schema) : NULL;
    if (!s) {
        add(out, schema, "schema not found in the OpenAPI spec");
        return -1;
    }
    check(body, s, schema, out, 0);
    return 0;
}
