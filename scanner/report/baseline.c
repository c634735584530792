/* report/baseline.c - load a previous summary.json and answer "seen before?".
 *
 * The document is parsed with jansson; only three things are read from it:
 * baseline.key_id, baseline.fingerprints (hex strings) and people[].person_id.
 * Both id lists become sorted u64 arrays with a parallel "seen" byte, so each
 * lookup is a binary search and the baseline costs 9 bytes per entry.
 */
#include "report/baseline.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct idset {
    uint64_t *v;
    unsigned char *seen;
    size_t n;
};

struct ps_baseline {
    struct idset fps;
    struct idset people;
    char *path;
};

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : (x > y);
}

static void idset_free(struct idset *s)
{
    free(s->v);
    free(s->seen);
    memset(s, 0, sizeof *s);
}

/* Fills s from a JSON array of hex ids; member (may be NULL) names the string
 * field of object items ("person_id"), else the items are the strings. */
static piiscan_status idset_from_json(struct idset *s, const json_t *arr, const char *member,
                                      char *err, size_t errlen)
{
    size_t n = json_array_size(arr);

    s->v = calloc(n ? n : 1, sizeof *s->v);
    s->seen = calloc(n ? n : 1, 1);
    if (s->v == NULL || s->seen == NULL)
        return PIISCAN_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const json_t *it = json_array_get(arr, i);
        const char *hex = json_string_value(member ? json_object_get(it, member) : it);
        if (hex == NULL || !ps_id_parse(hex, &s->v[s->n])) {
            snprintf(err, errlen, "entry %zu of %s is not a %u-digit id", i,
                     member ? "people" : "fingerprints", PS_ID_HEX);
            return PIISCAN_EINVAL;
        }
        s->n++;
    }
    qsort(s->v, s->n, sizeof *s->v, cmp_u64);
    return PIISCAN_OK;
}

/* Binary search: position of the first copy of v, or -1. */
static long idset_find(const struct idset *s, uint64_t v)
{
    size_t lo = 0, hi = s->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->v[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n && s->v[lo] == v ? (long)lo : -1;
}

/* Marks every copy of v (duplicates are harmless). */
static bool idset_mark(struct idset *s, uint64_t v)
{
    long at = idset_find(s, v);
    if (at < 0)
        return false;
    for (size_t i = (size_t)at; i < s->n && s->v[i] == v; i++)
        s->seen[i] = 1;
    return true;
}

/* Distinct values never marked (the set is sorted: copies are adjacent). */
static uint64_t idset_unseen(const struct idset *s)
{
    uint64_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        if (!s->seen[i] && (i == 0 || s->v[i] != s->v[i - 1]))
            n++;
    return n;
}

/* The summary object of a document: itself, or its "summary" member. */
static const json_t *summary_of(const json_t *doc)
{
    const json_t *s = json_object_get(doc, "summary");
    return json_is_object(s) ? s : doc;
}

/* Reads the ids of a summary and checks its key id: ids made with another key
 * would all look new, which is worse than refusing. */
static piiscan_status parse_doc(struct ps_baseline *bl, const json_t *doc,
                                const struct ps_idkey *key, char *err, size_t errlen)
{
    const json_t *sum = summary_of(doc);
    const json_t *base = json_object_get(sum, "baseline");
    const char *key_id = json_string_value(json_object_get(base, "key_id"));
    const json_t *fps = json_object_get(base, "fingerprints");
    const json_t *people = json_object_get(sum, "people");
    char mine[PS_ID_HEX + 1];
    piiscan_status rc;

    if (!json_is_object(base) || key_id == NULL || !json_is_array(fps) || !json_is_array(people)) {
        snprintf(err, errlen, "not a piiscan summary.json (no baseline section)");
        return PIISCAN_EINVAL;
    }
    ps_idkey_id(key, mine);
    if (strcmp(key_id, mine) != 0) {
        snprintf(err, errlen,
                 "made with another key (key id %.16s, this run %s): use the "
                 "same --key-file",
                 key_id, mine);
        return PIISCAN_EINVAL;
    }
    rc = idset_from_json(&bl->fps, fps, NULL, err, errlen);
    if (rc == PIISCAN_OK)
        rc = idset_from_json(&bl->people, people, "person_id", err, errlen);
    return rc;
}

piiscan_status ps_baseline_load(const char *path, const struct ps_idkey *key,
                                struct ps_baseline **out, char *err, size_t errlen)
{
    piiscan_status rc = PIISCAN_OK;
    struct ps_baseline *bl = NULL;
    json_t *doc = NULL;
    json_error_t jerr;
    struct stat st;

    *out = NULL;
    err[0] = '\0';
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        return PIISCAN_EIO;
    }
    if (!S_ISREG(st.st_mode) || (unsigned long long)st.st_size > PS_BASELINE_MAX_BYTES) {
        snprintf(err, errlen, "not a regular file of at most 2 GiB");
        return PIISCAN_EINVAL;
    }
    bl = calloc(1, sizeof *bl);
    if (bl == NULL || (bl->path = strdup(path)) == NULL) {
        rc = PIISCAN_ENOMEM;
        goto out;
    }
    doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (doc == NULL) {
        snprintf(err, errlen, "line %d: %s", jerr.line, jerr.text);
        rc = PIISCAN_EINVAL;
        goto out;
    }
    rc = parse_doc(bl, doc, key, err, errlen);
    if (rc != PIISCAN_OK)
        goto out;
    *out = bl;
    bl = NULL;
out:
    json_decref(doc);
    ps_baseline_free(bl);
    return rc;
}

void ps_baseline_free(struct ps_baseline *bl)
{
    if (bl == NULL)
        return;
    idset_free(&bl->fps);
    idset_free(&bl->people);
    free(bl->path);
    free(bl);
}

bool ps_baseline_has_finding(struct ps_baseline *bl, uint64_t fp)
{
    return idset_mark(&bl->fps, fp);
}

bool ps_baseline_has_person(struct ps_baseline *bl, const char *person_id)
{
    uint64_t v = 0;
    return ps_id_parse(person_id, &v) && idset_mark(&bl->people, v);
}

bool ps_baseline_knows_person(const struct ps_baseline *bl, const char *person_id)
{
    uint64_t v = 0;
    return ps_id_parse(person_id, &v) && idset_find(&bl->people, v) >= 0;
}

bool ps_baseline_knows_finding(const struct ps_baseline *bl, uint64_t fp)
{
    return idset_find(&bl->fps, fp) >= 0;
}

size_t ps_baseline_finding_count(const struct ps_baseline *bl)
{
    return bl->fps.n;
}

size_t ps_baseline_person_count(const struct ps_baseline *bl)
{
    return bl->people.n;
}

uint64_t ps_baseline_gone_findings(const struct ps_baseline *bl)
{
    return idset_unseen(&bl->fps);
}

uint64_t ps_baseline_gone_people(const struct ps_baseline *bl)
{
    return idset_unseen(&bl->people);
}

const char *ps_baseline_path(const struct ps_baseline *bl)
{
    return bl->path;
}

uint64_t ps_baseline_mark_people(struct ps_baseline *bl, const struct ps_people *pp)
{
    uint64_t fresh = 0;

    struct ps_person p;

    for (size_t i = 0; ps_people_get(pp, i, &p); i++)
        if (!ps_baseline_has_person(bl, p.id))
            fresh++;
    return fresh;
}
