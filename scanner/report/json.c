/* report/json.c - streaming JSON documents over jansson (see json.h).
 *
 * The stream keeps, per open level, whether it is an array and how many
 * elements it has, which is all it needs to place commas and line breaks. A
 * failure (write error, allocation, misuse) is sticky: later calls do
 * nothing, and ps_js_status reports the first one, so writers check once.
 * Strings from a dump are sanitised to valid UTF-8 first, because jansson
 * refuses invalid UTF-8 and a report must never be an invalid document.
 */
#include "report/json.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

#include "engine/category.h"

void ps_js_init(struct ps_jstream *js, FILE *f)
{
    memset(js, 0, sizeof *js);
    js->f = f;
}

piiscan_status ps_js_status(const struct ps_jstream *js)
{
    return js->status;
}

static void js_fail(struct ps_jstream *js, piiscan_status st)
{
    if (js->status == PIISCAN_OK)
        js->status = st;
}

static void js_write(struct ps_jstream *js, const char *s)
{
    if (js->status == PIISCAN_OK && fputs(s, js->f) == EOF)
        js_fail(js, PIISCAN_EIO);
}

static void js_dump(struct ps_jstream *js, json_t *v)
{
    if (v == NULL) {
        js_fail(js, PIISCAN_ENOMEM);
        return;
    }
    if (js->status == PIISCAN_OK && json_dumpf(v, js->f, PS_JSON_FLAGS) != 0)
        js_fail(js, PIISCAN_EIO);
    json_decref(v);
}

/* Comma, line break and indent before an element; then "key": in an object. */
static bool js_element(struct ps_jstream *js, const char *key)
{
    if (js->depth == 0)
        return key == NULL;
    unsigned d = js->depth - 1;
    if (js->is_array[d] != (key == NULL))
        return false;
    js_write(js, js->count[d]++ ? ",\n" : "\n");
    for (unsigned i = 0; i < js->depth; i++)
        js_write(js, "  ");
    if (key != NULL) {
        js_dump(js, json_string(key));
        js_write(js, ": ");
    }
    return true;
}

void ps_js_open(struct ps_jstream *js, const char *key, bool is_array)
{
    if (js->status != PIISCAN_OK)
        return;
    if (js->depth >= PS_JS_MAX_DEPTH || !js_element(js, key)) {
        js_fail(js, PIISCAN_EINVAL);
        return;
    }
    js_write(js, is_array ? "[" : "{");
    js->is_array[js->depth] = is_array;
    js->count[js->depth] = 0;
    js->depth++;
}

void ps_js_put(struct ps_jstream *js, const char *key, json_t *v)
{
    if (js->status != PIISCAN_OK || js->depth == 0 || !js_element(js, key)) {
        js_fail(js, v == NULL ? PIISCAN_ENOMEM : PIISCAN_EINVAL);
        json_decref(v);
        return;
    }
    js_dump(js, v);
}

void ps_js_close(struct ps_jstream *js)
{
    if (js->status != PIISCAN_OK)
        return;
    if (js->depth == 0) {
        js_fail(js, PIISCAN_EINVAL);
        return;
    }
    js->depth--;
    if (js->count[js->depth] > 0) {
        js_write(js, "\n");
        for (unsigned i = 0; i < js->depth; i++)
            js_write(js, "  ");
    }
    js_write(js, js->is_array[js->depth] ? "]" : "}");
    if (js->depth == 0) {
        js_write(js, "\n");
        if (js->status == PIISCAN_OK && fflush(js->f) != 0)
            js_fail(js, PIISCAN_EIO);
    }
}

json_t *ps_rjson_str(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    char *buf;
    size_t w = 0;
    json_t *v;

    if (n > (SIZE_MAX - 1) / 3)
        return NULL;
    /* each bad byte becomes the 3-byte U+FFFD: 3n bounds the output */
    buf = malloc(3 * n + 1);
    if (buf == NULL)
        return NULL;
    for (size_t i = 0; i < n;) {
        size_t len = p[i] == 0 ? 0 : ps_utf8_decode(p + i, n - i, NULL);
        if (len == 0) {
            memcpy(buf + w, "\xEF\xBF\xBD", 3);
            w += 3;
            i++;
            continue;
        }
        memcpy(buf + w, p + i, len);
        w += len;
        i += len;
    }
    v = json_stringn(buf, w);
    free(buf);
    return v;
}

json_t *ps_rjson_cstr(const char *s)
{
    return s == NULL ? json_null() : ps_rjson_str(s, strlen(s));
}

json_t *ps_rjson_count(uint64_t v)
{
    return json_integer((json_int_t)(v > INT64_MAX ? INT64_MAX : v));
}

static json_t *uint_or_null(uint64_t v)
{
    /* json_int_t is long long: values past it are not meaningful counts anyway */
    return v == 0 ? json_null() : json_integer((json_int_t)(v > INT64_MAX ? INT64_MAX : v));
}

/* Sets key to v in o, counting failures (v NULL or set failed). */
static void set(json_t *o, const char *key, json_t *v, bool *ok)
{
    if (v == NULL || json_object_set_new(o, key, v) != 0)
        *ok = false;
}

json_t *ps_rjson_finding_new(const struct ps_rjson_finding *f, const char *type)
{
    json_t *o = json_object();
    bool ok = o != NULL;
    const char *cat = ps_category_name(f->category);

    if (!ok)
        return NULL;
    if (type != NULL)
        set(o, "type", json_string(type), &ok);
    set(o, "severity", json_string(ps_severity_name(f->severity)), &ok);
    set(o, "category", cat ? json_string(cat) : json_null(), &ok);
    set(o, "rule", ps_rjson_cstr(f->rule), &ok);
    set(o, "confidence", json_real(f->confidence), &ok);
    set(o, "path", ps_rjson_cstr(f->path), &ok);
    set(o, "line", uint_or_null(f->line), &ok);
    set(o, "field", f->field && f->field[0] ? ps_rjson_cstr(f->field) : json_null(), &ok);
    set(o, "offset", json_integer((json_int_t)(f->offset > INT64_MAX ? INT64_MAX : f->offset)),
        &ok);
    set(o, "value", ps_rjson_cstr(f->value), &ok);
    set(o, "context", ps_rjson_cstr(f->context), &ok);
    set(o, "record", ps_rjson_cstr(f->record), &ok);
    if (f->fingerprint != NULL)
        set(o, "fingerprint", ps_rjson_cstr(f->fingerprint), &ok);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

piiscan_status ps_rjson_line(FILE *f, json_t *v)
{
    piiscan_status rc = PIISCAN_OK;

    if (v == NULL)
        return PIISCAN_ENOMEM;
    if (json_dumpf(v, f, PS_JSON_FLAGS) != 0 || fputc('\n', f) == EOF)
        rc = PIISCAN_EIO;
    json_decref(v);
    return rc;
}
