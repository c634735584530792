/* validate/validators.c - the registry that maps YAML validator names to functions.
 *
 * The table is built from validators.def by an X-macro, so adding a validator
 * touches its own file plus one line there (YARA's module_list). Lookups happen
 * only while rules load; the table is const and shared by every thread. Also holds
 * the small digit helpers every numeric validator uses.
 */
#include <string.h>
#include <time.h>

#include "validate/validate.h"

static const struct ps_validator validators[] = {
#define PS_VALIDATOR(name, fn, summary) {#name, fn, summary, NULL},
#define PS_VALIDATOR_CTX(name, fn, summary) {#name, NULL, summary, fn},
#include "validate/validators.def"
#undef PS_VALIDATOR
#undef PS_VALIDATOR_CTX
};

#define N_VALIDATORS (sizeof validators / sizeof validators[0])

const struct ps_validator *ps_validator_find(const char *name)
{
    if (name == NULL)
        return NULL;
    for (size_t i = 0; i < N_VALIDATORS; i++) {
        if (strcmp(validators[i].name, name) == 0)
            return &validators[i];
    }
    return NULL;
}

size_t ps_validator_count(void)
{
    return N_VALIDATORS;
}

const struct ps_validator *ps_validator_at(size_t i)
{
    return i < N_VALIDATORS ? &validators[i] : NULL;
}

enum ps_verdict ps_validator_run(const struct ps_validator *v, const struct ps_validate_ctx *vc,
                                 const char *s, size_t n, char *norm, size_t cap)
{
    struct ps_validate_ctx dflt;

    if (v->fn_ctx == NULL)
        return v->fn(s, n, norm, cap);
    if (vc == NULL) {
        /* A caller without a matcher (a test, a tool): no dictionaries, real time. */
        memset(&dflt, 0, sizeof dflt);
        dflt.now = (int64_t)time(NULL);
        vc = &dflt;
    }
    return v->fn_ctx(vc, s, n, norm, cap);
}

size_t ps_digits_copy(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0;

    if (cap == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            continue;
        if (k + 1 >= cap) {
            out[0] = '\0';
            return 0;
        }
        out[k++] = s[i];
    }
    out[k] = '\0';
    return k;
}

bool ps_digits_all_same(const char *d, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 1; i < n; i++) {
        if (d[i] != d[0])
            return false;
    }
    return true;
}
