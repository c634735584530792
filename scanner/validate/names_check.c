/* validate/names_check.c - is this capitalised phrase a person's name? (name validator)
 *
 * The name rules (rules/name.yaml) find candidates by shape: "Amy Pascal", "Amy B.
 * Pascal", "Dr. Amy Pascal", "Pascal, Amy B.", "PASCAL, AMY", or a whole table cell
 * under a name column. This validator splits a candidate into words (spaces, tabs,
 * no-break spaces, one comma), takes off honorifics ("Dr", "Mrs") in front and
 * suffixes ("Jr", "III") at the end, and reads the given name and the surname:
 * "Surname, Given [Middle]" when there is a comma, "Given [Middle] Surname" otherwise.
 * It then weighs them against the dictionaries of rules/data (validate/names.h):
 *
 *   - The phrase as a whole must not be on the stop list ("Culver City", "Sony
 *     Pictures", "Beverly Hills"), and the first word must be a given name: sentence
 *     starters, job titles and company words are not.
 *   - Both parts in the dictionaries and neither a stop word: a name, strong evidence
 *     (verdict CHECKSUM: +0.10 confidence).
 *   - A part that is also a stop word ("May", "June", "Will", "Price", "Washington") is
 *     carried by the other part: "May Pascal", "Amy Price" are names (plausible), "May
 *     Day" is not; an honorific or the "Last, First" form makes it strong again.
 *   - A given name followed by a capitalised word in neither list ("Amy Xyzzy") is a
 *     weak name (plausible), unless the word is a stop word or the phrase is written in
 *     capitals (headings: "ANNUAL SALARY").
 * In a cell under a name column (the context says so) the column is the evidence:
 * every cell is a name unless it is empty, a placeholder from the stop list ("N/A",
 * "Unknown", "TBD") or holds no two letters.
 *
 * The normalised form is "given surname", folded by ps_names_fold (lower case,
 * accents and apostrophes off: "José Muñoz-Peña" -> "jose munoz-pena"), without
 * middle names, initials, honorifics or suffixes, so "Dr. Amy B. Pascal", "PASCAL,
 * AMY" and "Amy Pascal" are one person. A cell that is not in either form (one
 * word) is folded whole.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "validate/names.h"
#include "validate/validate.h"

#define MAX_TOKS 8
/* Given names up to this Census rank may start a name whose surname is unknown. */
#define WEAK_GIVEN_RANK 2500u

struct tok {
    const char *s;
    size_t n;
    bool comma_after; /* a comma follows this word */
};

/* The parsed candidate: which words are the given name and the surname. */
struct parsed {
    struct tok t[MAX_TOKS];
    size_t ntok;
    size_t given;   /* index into t */
    size_t surname; /* index into t */
    bool has_comma;
    bool has_title;
};

static bool is_sep(const char *s, size_t n, size_t i, size_t *w)
{
    if (s[i] == ' ' || s[i] == '\t' || s[i] == ',') {
        *w = 1;
        return true;
    }
    /* U+00A0 no-break space */
    if ((unsigned char)s[i] == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
        *w = 2;
        return true;
    }
    return false;
}

/* Splits s into words; false when there are more than MAX_TOKS or more than one comma. */
static bool split(const char *s, size_t n, struct parsed *p)
{
    size_t i = 0;
    size_t commas = 0;

    p->ntok = 0;
    while (i < n) {
        size_t w = 0;
        if (is_sep(s, n, i, &w)) {
            if (s[i] == ',') {
                if (p->ntok == 0 || ++commas > 1)
                    return false;
                p->t[p->ntok - 1].comma_after = true;
            }
            i += w;
            continue;
        }
        if (p->ntok == MAX_TOKS)
            return false;
        size_t j = i;
        while (j < n && !is_sep(s, n, j, &w))
            j++;
        p->t[p->ntok++] = (struct tok){s + i, j - i, false};
        i = j;
    }
    p->has_comma = commas > 0;
    return p->ntok > 0;
}

static unsigned cls(const struct ps_names *names, const struct tok *t)
{
    return ps_names_classify(names, t->s, t->n);
}

/* Honorifics and suffixes only (not also a name: "Major", "Earl" stay names). */
static bool only(unsigned c, unsigned bit)
{
    return (c & bit) && !(c & (PS_NAMES_GIVEN | PS_NAMES_SURNAME));
}

/* Finds the given name and the surname among p's words. */
static bool locate(const struct ps_names *names, struct parsed *p)
{
    size_t first = 0;
    size_t last = p->ntok;

    /* Honorifics in front ("Dr. Amy Pascal", "Pascal, Dr. Amy" after the comma). */
    while (first < last && only(cls(names, &p->t[first]), PS_NAMES_HONORIFIC)) {
        p->has_title = true;
        first++;
    }
    while (last > first + 1 && only(cls(names, &p->t[last - 1]), PS_NAMES_SUFFIX))
        last--;
    if (last - first < 2)
        return false;
    if (!p->has_comma) {
        p->given = first;
        p->surname = last - 1;
        return true;
    }
    /* "Surname, Given [Middle]": the comma ends the surname. */
    size_t c = first;
    while (c < last && !p->t[c].comma_after)
        c++;
    if (c + 1 >= last)
        return false;
    p->surname = c;
    p->given = c + 1;
    while (p->given < last && only(cls(names, &p->t[p->given]), PS_NAMES_HONORIFIC)) {
        p->has_title = true;
        p->given++;
    }
    return p->given < last;
}

/* True when every letter of t is upper case (ASCII view: bytes >= 0x80 ignored). */
static bool is_caps(const struct tok *t)
{
    bool letter = false;

    for (size_t i = 0; i < t->n; i++) {
        char c = t->s[i];
        if (c >= 'a' && c <= 'z')
            return false;
        letter = letter || (c >= 'A' && c <= 'Z');
    }
    return letter;
}

/* The verdict on a candidate in running text (see the top of the file). */
static enum ps_verdict judge_text(const struct ps_names *names, const struct parsed *p)
{
    const struct tok *g = &p->t[p->given];
    const struct tok *s = &p->t[p->surname];
    unsigned gc = cls(names, g);
    unsigned sc = cls(names, s);
    bool g_stop = (gc & PS_NAMES_STOP_ANY) != 0;
    bool s_stop = (sc & PS_NAMES_STOP_ANY) != 0;
    bool cue = p->has_title || p->has_comma;

    if (!(gc & PS_NAMES_GIVEN) || (g_stop && s_stop))
        return PS_VERDICT_REJECT;
    /* A street word is never a name part ("Grant Street", "Street, Beverly" in an
     * address, "Washington Blvd") unless an honorific says so; a company word never
     * ends one ("Amy Pictures"). Other stop words (places, months, common words) are
     * carried by the other part: "Charlotte Perez", "May Pascal", "Will Smith". */
    if (!p->has_title && (((gc | sc) & PS_NAMES_STOP_STREET) || (sc & PS_NAMES_STOP_ORG)))
        return PS_VERDICT_REJECT;
    if (!p->has_comma && p->surname > p->given) {
        /* The phrase from given name to surname: "Beverly Hills", "Morgan Stanley". */
        size_t len = (size_t)(s->s + s->n - g->s);
        if (ps_names_classify(names, g->s, len) & PS_NAMES_STOP_ANY)
            return PS_VERDICT_REJECT;
    }
    if (sc & PS_NAMES_SURNAME) {
        if (!g_stop && !s_stop)
            return PS_VERDICT_CHECKSUM;
        return cue ? PS_VERDICT_CHECKSUM : PS_VERDICT_PLAUSIBLE;
    }
    /* Given name + a capitalised word in no list: weak, and only after a common given
     * name (Census rank <= WEAK_GIVEN_RANK, or from the supplement: "Johnson Controls"
     * and "Golden Globes" start with rare given names); never in capitals, never a
     * stop word, never two given names ("Will Grace"). */
    uint32_t rank = ps_names_rank(names, PS_NAMES_GIVEN, g->s, g->n);
    if (s_stop || g_stop || (sc & PS_NAMES_GIVEN) || is_caps(g) || is_caps(s) || s->n < 2 ||
        rank > WEAK_GIVEN_RANK)
        return PS_VERDICT_REJECT;
    return PS_VERDICT_PLAUSIBLE;
}

/* Does s hold a word that names a company, not a person ("Acme Corp LLC")? */
static bool has_org_word(const char *s, size_t n)
{
    static const char *const org[] = {"llc", "inc", "corp", "corporation", "ltd", "llp",
                                      "plc", "gmbh", "company", "co", "group", "holdings",
                                      "partners", "associates", "foundation", "university",
                                      "bank", "studios", "pictures", "entertainment"};
    size_t i = 0;

    while (i < n) {
        size_t j = i;
        while (j < n && ((s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'z'))
            j++;
        for (size_t k = 0; j > i && k < sizeof org / sizeof org[0]; k++)
            if (strlen(org[k]) == j - i && strncasecmp(s + i, org[k], j - i) == 0)
                return true;
        i = j + 1;
    }
    return false;
}

/* A cell under a name column: a name unless it is a placeholder, a number, a
 * formula or markup (characters no personal name has), or a company. */
static enum ps_verdict judge_cell(const struct ps_names *names, const char *s, size_t n)
{
    size_t letters = 0;
    unsigned c = ps_names_classify(names, s, n);

    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        /* ASCII letters, and UTF-8 lead bytes of Latin letters */
        if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b >= 0xC3)
            letters++;
        else if ((b >= '0' && b <= '9') || strchr("=@()\"#$%&*+/\\<>[]{}|;:!?_~^`", b) != NULL)
            return PS_VERDICT_REJECT;
    }
    if (letters < 2 || has_org_word(s, n))
        return PS_VERDICT_REJECT;
    if ((c & PS_NAMES_STOP_ANY) && !(c & (PS_NAMES_GIVEN | PS_NAMES_SURNAME)))
        return PS_VERDICT_REJECT;
    return PS_VERDICT_PLAUSIBLE;
}

/* norm = fold(given) " " fold(surname), or fold(whole) when no parts were found. */
static bool write_norm(const char *s, size_t n, const struct parsed *p, bool has_parts, char *norm,
                       size_t cap)
{
    size_t a = 0;
    size_t b = 0;

    if (!has_parts)
        return ps_names_fold(s, n, norm, cap, &a) && a > 0;
    const struct tok *g = &p->t[p->given];
    const struct tok *sn = &p->t[p->surname];
    if (!ps_names_fold(g->s, g->n, norm, cap, &a) || a == 0 || a + 2 >= cap)
        return false;
    norm[a] = ' ';
    if (!ps_names_fold(sn->s, sn->n, norm + a + 1, cap - a - 1, &b) || b == 0)
        return false;
    return true;
}

enum ps_verdict ps_validate_name(const struct ps_validate_ctx *vc, const char *s, size_t n,
                                 char *norm, size_t cap)
{
    struct parsed p;
    bool has_parts;
    enum ps_verdict v;

    if (vc->names == NULL || n == 0)
        return PS_VERDICT_REJECT;
    memset(&p, 0, sizeof p);
    has_parts = split(s, n, &p) && locate(vc->names, &p);
    if (vc->in_column && vc->field != NULL)
        v = judge_cell(vc->names, s, n);
    else
        v = has_parts ? judge_text(vc->names, &p) : PS_VERDICT_REJECT;
    if (v == PS_VERDICT_REJECT || !write_norm(s, n, &p, has_parts, norm, cap))
        return PS_VERDICT_REJECT;
    return v;
}
