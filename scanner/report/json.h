/* report/json.h - JSON output through jansson: a streaming document writer,
 * findings as JSON objects, and the --format json / ndjson layouts.
 *
 * Reports can hold millions of findings and people, more than a json_t tree
 * should. ps_jstream writes one document incrementally: the caller opens
 * objects and arrays and puts members; every key and every value is encoded by
 * jansson (json_dumpf), the stream only adds the punctuation between them. Each
 * element of an array goes on its own line, so a document stays greppable.
 *
 *   --format json    {"findings": [ {...}, ... ], "summary": { summary.json }}
 *   --format ndjson  {"type":"finding",...} per finding, {"type":"person",...}
 *                    per person, then one {"type":"summary",...} line
 */
#ifndef PS_REPORT_JSON_H
#define PS_REPORT_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "piiscan/finding.h"
#include "piiscan/status.h"
#include "record/severity.h"

#define PS_JS_MAX_DEPTH 16u
/* json_dumpf flags for every value: compact, reals with 4 significant digits */
#define PS_JSON_FLAGS (JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(4))

struct ps_jstream {
    FILE *f;
    unsigned depth;
    size_t count[PS_JS_MAX_DEPTH];
    bool is_array[PS_JS_MAX_DEPTH];
    piiscan_status status; /* first failure: EIO, ENOMEM or EINVAL (misuse) */
};

void ps_js_init(struct ps_jstream *js, FILE *f);
/* Opens an object or array: the document itself (depth 0, key NULL), a member
 * of an object (key required) or an element of an array (key NULL). */
void ps_js_open(struct ps_jstream *js, const char *key, bool is_array);
/* Puts one value (stolen: decref'd here; NULL records ENOMEM). */
void ps_js_put(struct ps_jstream *js, const char *key, json_t *v);
/* Closes the innermost object or array; closing the document ends it with "\n". */
void ps_js_close(struct ps_jstream *js);
/* OK, or the first failure. */
piiscan_status ps_js_status(const struct ps_jstream *js);

/* A JSON string of s (n bytes): invalid UTF-8 bytes become U+FFFD so hostile
 * bytes never make an invalid document. NULL only on ENOMEM. */
json_t *ps_rjson_str(const char *s, size_t n);
/* Same for a NUL-terminated string; NULL s gives JSON null. */
json_t *ps_rjson_cstr(const char *s);
/* A JSON integer for a count (clamped to INT64_MAX: json_int_t is signed). */
json_t *ps_rjson_count(uint64_t v);

/* One finding as shown in a report (value and context already masked or not). */
struct ps_rjson_finding {
    enum ps_severity severity;
    piiscan_category category;
    const char *rule;
    double confidence;
    const char *path;
    uint64_t line;     /* 0 -> null */
    const char *field; /* NULL or "" -> null */
    uint64_t offset;
    const char *value;
    const char *context;
    const char *record;
    const char *fingerprint; /* NULL -> omitted */
};

/* {"severity","category","rule","confidence","path","line","field","offset","value",
 *  "context","record"[,"fingerprint"]}; with type != NULL a leading "type" member
 * (ndjson). NULL on ENOMEM. */
json_t *ps_rjson_finding_new(const struct ps_rjson_finding *f, const char *type);

/* Writes v as one compact line (ndjson) and decrefs it. EIO, ENOMEM (v NULL). */
piiscan_status ps_rjson_line(FILE *f, json_t *v);

#endif
