/* validate/names.c - name dictionaries: load once, look up from any thread.
 *
 * Input: the files of rules/data/ (given_names.txt, surnames.txt from the US Census
 * 1990 lists, names_supplement.txt and not_names.txt written by hand; see the README
 * there). Every line is folded into a key (lower case, Latin diacritics stripped,
 * apostrophes and periods dropped, white space collapsed) and inserted into one open
 * addressing hash table (linear probing, load factor <= 1/2) that maps the key to a
 * bit set of classes (given, surname, stop-word classes...) and the Census ranks.
 * A key seen in several files or sections gets the union of their classes.
 *
 * Output: ps_names_classify() and friends fold the queried text into a stack buffer
 * the same way and probe the table: no allocation, no locale, no shared mutable state,
 * so the table is immutable after ps_names_load() and is shared by every worker.
 *
 * Folding is our own small table for U+00C0-U+017F (Latin-1 Supplement, Latin
 * Extended-A), a few Latin Extended-B letters (Romanian, Vietnamese horn letters) and
 * U+1EA0-U+1EF9 (Vietnamese), plus simple Greek and Cyrillic lower-casing. Anything
 * else (and invalid UTF-8) passes through byte for byte.
 *
 * The data directory is treated as hostile: files must be regular files of at most
 * PS_NAMES_MAX_FILE_BYTES, lines at most PS_NAMES_MAX_LINE_BYTES of valid UTF-8, at
 * most PS_NAMES_MAX_ENTRIES keys in all.
 */
#include "validate/names.h"
#include "util/diag.h"
#include "util/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct entry {
    uint32_t off; /* key bytes in pool (NUL-terminated) */
    uint16_t len;
    uint16_t flags;        /* enum ps_names_class bits */
    uint32_t given_rank;   /* 1-based Census rank, 0 = not in the Census given list */
    uint32_t surname_rank; /* same for surnames */
};

struct slot {
    uint32_t tag; /* high half of the key's hash, to skip most memcmp calls */
    uint32_t idx; /* entry index + 1; 0 = empty slot */
};

struct ps_names {
    char *pool;
    size_t pool_len;
    size_t pool_cap;
    struct entry *ents;
    size_t nents;
    size_t ents_cap;
    struct slot *slots;
    size_t mask; /* slot count - 1 (a power of two) */
};

/* Folding table for U+00C0..U+017F: base letter, '0' = keep the code point as is,
 * upper case letters stand for two letters (A=ae, T=th, S=ss, J=ij, O=oe). */
static const char fold_latin[] = "aaaaaaAceeeeiiiidnooooo0ouuuuyTSaaaaaaAceeeeiiiidnooooo0ouuuuyTy"
                                 "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiJJjjkkklllllll"
                                 "lllnnnnnnnnnooooooOOrrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
/* U+1EA0..U+1EF9 (Vietnamese letters with two diacritics). */
static const char fold_viet[] = "aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooo"
                                "oooouuuuuuuuuuuuuuyyyyyyyy";

enum map_kind { MAP_DROP, MAP_SPACE, MAP_BYTES };

static size_t utf8_encode(uint32_t c, char *m)
{
    if (c < 0x80) {
        m[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        m[0] = (char)(0xC0 | (c >> 6));
        m[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        m[0] = (char)(0xE0 | (c >> 12));
        m[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        m[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    m[0] = (char)(0xF0 | (c >> 18));
    m[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    m[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    m[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* Expands a fold table letter into m. */
static size_t expand_letter(char t, char *m)
{
    static const char *const pairs[] = {"ae", "th", "ss", "ij", "oe"};
    const char *codes = "ATSJO";
    const char *p = strchr(codes, t);

    if (p != NULL) {
        memcpy(m, pairs[p - codes], 2);
        return 2;
    }
    m[0] = t;
    return 1;
}

/* Maps one code point to its folded form (m, *mlen), a space, or nothing. */
static enum map_kind map_cp(uint32_t c, char *m, size_t *mlen)
{
    if (c < 0x80) {
        if (c == ' ' || (c >= '\t' && c <= '\r'))
            return MAP_SPACE;
        if (c == '\'' || c == '`' || c == '.')
            return MAP_DROP;
        m[0] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
        *mlen = 1;
        return MAP_BYTES;
    }
    if (c == 0xA0)
        return MAP_SPACE;
    if (c == 0x2018 || c == 0x2019 || c == 0x02BC)
        return MAP_DROP;
    if (c >= 0x2010 && c <= 0x2013) {
        m[0] = '-';
        *mlen = 1;
        return MAP_BYTES;
    }
    if (c >= 0xC0 && c <= 0x17F && fold_latin[c - 0xC0] != '0') {
        *mlen = expand_letter(fold_latin[c - 0xC0], m);
        return MAP_BYTES;
    }
    if (c >= 0x1EA0 && c <= 0x1EF9) {
        *mlen = expand_letter(fold_viet[c - 0x1EA0], m);
        return MAP_BYTES;
    }
    /* Latin Extended-B letters used in Vietnamese (horn) and Romanian (comma below). */
    if (c == 0x1A0 || c == 0x1A1 || c == 0x1AF || c == 0x1B0 || (c >= 0x218 && c <= 0x21B)) {
        m[0] = c <= 0x1A1 ? 'o' : c <= 0x1B0 ? 'u' : c <= 0x219 ? 's' : 't';
        *mlen = 1;
        return MAP_BYTES;
    }
    /* Greek and Cyrillic capitals: lower case only (no transliteration); final sigma
     * folds to sigma, as Unicode case folding does. */
    if ((c >= 0x391 && c <= 0x3A9 && c != 0x3A2) || (c >= 0x410 && c <= 0x42F))
        c += 0x20;
    else if (c == 0x3C2)
        c = 0x3C3;
    else if (c >= 0x400 && c <= 0x40F)
        c += 0x50;
    *mlen = utf8_encode(c, m);
    return MAP_BYTES;
}

bool ps_names_fold(const char *s, size_t len, char *out, size_t cap, size_t *out_len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0;
    size_t i = 0;
    bool pending_space = false;

    if (out_len != NULL)
        *out_len = 0;
    if (cap == 0)
        return false;
    while (i < len) {
        char m[4];
        size_t mlen = 1;
        uint32_t c;
        size_t n = ps_utf8_decode(u + i, len - i, &c);
        enum map_kind k;

        if (n == 0) {
            /* Not UTF-8: keep the byte so distinct garbage stays distinct. */
            m[0] = (char)u[i];
            n = 1;
            k = MAP_BYTES;
        } else {
            k = map_cp(c, m, &mlen);
        }
        i += n;
        if (k == MAP_SPACE) {
            pending_space = (o > 0);
            continue;
        }
        if (k == MAP_DROP)
            continue;
        if (o + (pending_space ? 1 : 0) + mlen >= cap) {
            out[0] = '\0';
            return false;
        }
        if (pending_space)
            out[o++] = ' ';
        pending_space = false;
        memcpy(out + o, m, mlen);
        o += mlen;
    }
    out[o] = '\0';
    if (out_len != NULL)
        *out_len = o;
    return true;
}

/* 64-bit FNV-1a: keys are short (a few bytes to a few dozen), this is enough. */
static uint64_t hash_key(const char *k, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)k[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static struct entry *find(const struct ps_names *n, const char *key, size_t len)
{
    uint64_t h = hash_key(key, len);
    uint32_t tag = (uint32_t)(h >> 32);

    /* The table is never more than half full, so the probe ends at an empty slot. */
    for (size_t i = (size_t)h & n->mask;; i = (i + 1) & n->mask) {
        const struct slot *sl = &n->slots[i];
        struct entry *e;

        if (sl->idx == 0)
            return NULL;
        if (sl->tag != tag)
            continue;
        e = &n->ents[sl->idx - 1];
        if (e->len == len && memcmp(n->pool + e->off, key, len) == 0)
            return e;
    }
}

static void place(struct slot *slots, size_t mask, uint64_t h, uint32_t idx)
{
    size_t i = (size_t)h & mask;

    while (slots[i].idx != 0)
        i = (i + 1) & mask;
    slots[i].tag = (uint32_t)(h >> 32);
    slots[i].idx = idx;
}

/* Doubles the slot array and re-places every entry. */
static piiscan_status grow_slots(struct ps_names *n)
{
    size_t count = (n->mask + 1) * 2;
    struct slot *slots = calloc(count, sizeof(*slots));

    if (slots == NULL)
        return PIISCAN_ENOMEM;
    for (size_t e = 0; e < n->nents; e++) {
        const struct entry *en = &n->ents[e];
        place(slots, count - 1, hash_key(n->pool + en->off, en->len), (uint32_t)(e + 1));
    }
    free(n->slots);
    n->slots = slots;
    n->mask = count - 1;
    return PIISCAN_OK;
}

static piiscan_status reserve(void **p, size_t *cap, size_t need, size_t elem)
{
    size_t ncap = *cap ? *cap : 1024;
    void *q;

    if (need <= *cap)
        return PIISCAN_OK;
    while (ncap < need)
        ncap *= 2;
    q = realloc(*p, ncap * elem);
    if (q == NULL)
        return PIISCAN_ENOMEM;
    *p = q;
    *cap = ncap;
    return PIISCAN_OK;
}

/* Adds key with flags and ranks, or merges them into the existing entry. */
static piiscan_status insert(struct ps_names *n, const char *key, size_t len, unsigned flags,
                             uint32_t given_rank, uint32_t surname_rank)
{
    struct entry *e = find(n, key, len);
    piiscan_status rc;

    if (e == NULL) {
        if (n->nents >= PS_NAMES_MAX_ENTRIES)
            return PIISCAN_ELIMIT;
        if ((n->nents + 1) * 2 > n->mask + 1) {
            rc = grow_slots(n);
            if (rc != PIISCAN_OK)
                return rc;
        }
        rc = reserve((void **)&n->ents, &n->ents_cap, n->nents + 1, sizeof(*n->ents));
        if (rc != PIISCAN_OK)
            return rc;
        rc = reserve((void **)&n->pool, &n->pool_cap, n->pool_len + len + 1, 1);
        if (rc != PIISCAN_OK)
            return rc;
        memcpy(n->pool + n->pool_len, key, len);
        n->pool[n->pool_len + len] = '\0';
        e = &n->ents[n->nents];
        memset(e, 0, sizeof(*e));
        e->off = (uint32_t)n->pool_len;
        e->len = (uint16_t)len;
        n->pool_len += len + 1;
        n->nents++;
        place(n->slots, n->mask, hash_key(key, len), (uint32_t)n->nents);
    }
    e->flags |= (uint16_t)flags;
    if (e->given_rank == 0)
        e->given_rank = given_rank;
    if (e->surname_rank == 0)
        e->surname_rank = surname_rank;
    return PIISCAN_OK;
}

piiscan_status ps_names_read_file(const char *path, size_t cap, char **out, size_t *len,
                                  piiscan_diag *diag)
{
    piiscan_status rc = PIISCAN_OK;
    struct stat st;
    char *buf = NULL;
    size_t got = 0;
    size_t want;
    int fd;

    *out = NULL;
    *len = 0;
    /* O_NONBLOCK: a FIFO planted in the data directory must not hang the load. */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        ps_diag_set(diag, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
        return PIISCAN_EIO;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ps_diag_set(diag, path, 0, 0, NULL, "not a regular file");
        rc = PIISCAN_EIO;
        goto out;
    }
    if ((uint64_t)st.st_size > cap) {
        ps_diag_set(diag, path, 0, 0, NULL, "larger than %zu bytes", cap);
        rc = PIISCAN_ERULES;
        goto out;
    }
    /* One byte more than the size says, to notice a file that grows meanwhile. */
    want = (size_t)st.st_size + 1;
    buf = malloc(want + 1);
    if (buf == NULL) {
        rc = PIISCAN_ENOMEM;
        goto out;
    }
    while (got < want) {
        ssize_t r = read(fd, buf + got, want - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            ps_diag_set(diag, path, 0, 0, NULL, "read error: %s", strerror(errno));
            rc = PIISCAN_EIO;
            goto out;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    if (got > cap) {
        ps_diag_set(diag, path, 0, 0, NULL, "larger than %zu bytes", cap);
        rc = PIISCAN_ERULES;
        goto out;
    }
    buf[got] = '\0';
    *out = buf;
    *len = got;
    buf = NULL;
out:
    free(buf);
    close(fd);
    return rc;
}

static bool utf8_valid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        uint32_t c;
        size_t n = ps_utf8_decode(u + i, len - i, &c);
        if (n == 0 || c == 0)
            return false;
        i += n;
    }
    return true;
}

/* "[place]" -> class bits; 0 when the section name is unknown. */
static unsigned section_flags(const char *s, size_t len)
{
    static const struct {
        const char *name;
        unsigned flags;
    } sections[] = {
        {"given", PS_NAMES_GIVEN},         {"surname", PS_NAMES_SURNAME},
        {"honorific", PS_NAMES_HONORIFIC}, {"suffix", PS_NAMES_SUFFIX},
        {"place", PS_NAMES_STOP_PLACE},    {"org", PS_NAMES_STOP_ORG},
        {"time", PS_NAMES_STOP_TIME},      {"title", PS_NAMES_STOP_TITLE},
        {"street", PS_NAMES_STOP_STREET},  {"word", PS_NAMES_STOP_WORD},
    };

    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
        if (strlen(sections[i].name) == len && memcmp(sections[i].name, s, len) == 0)
            return sections[i].flags;
    }
    return 0;
}

/* What kind of list a file is: a plain ranked Census list, or a [section] list. */
struct list_kind {
    const char *file;
    unsigned plain_flags; /* class of every line of a plain list; 0 = sectioned */
    bool is_required;
};

/* Parses one line (already trimmed, non-empty, not a comment). */
static piiscan_status parse_line(struct ps_names *n, const struct list_kind *k, const char *path,
                                 unsigned lineno, const char *s, size_t len, unsigned *section,
                                 uint32_t *rank, piiscan_diag *diag)
{
    char key[PS_NAMES_MAX_KEY];
    size_t klen;
    piiscan_status rc;

    if (s[0] == '[') {
        unsigned f = (len > 2 && s[len - 1] == ']') ? section_flags(s + 1, len - 2) : 0;
        if (k->plain_flags != 0 || f == 0) {
            ps_diag_set(diag, path, lineno, 0, NULL, "unknown section %.*s",
                        (int)(len > 40 ? 40 : len), s);
            return PIISCAN_ERULES;
        }
        *section = f;
        return PIISCAN_OK;
    }
    if (*section == 0) {
        ps_diag_set(diag, path, lineno, 0, NULL, "entry before the first [section]");
        return PIISCAN_ERULES;
    }
    if (!ps_names_fold(s, len, key, sizeof(key), &klen) || klen == 0) {
        ps_diag_set(diag, path, lineno, 0, NULL, "entry empty or longer than %u bytes",
                    PS_NAMES_MAX_KEY - 1);
        return PIISCAN_ERULES;
    }
    if (k->plain_flags != 0)
        ++*rank;
    rc = insert(n, key, klen, *section, k->plain_flags == PS_NAMES_GIVEN ? *rank : 0,
                k->plain_flags == PS_NAMES_SURNAME ? *rank : 0);
    if (rc == PIISCAN_ELIMIT) {
        ps_diag_set(diag, path, lineno, 0, NULL, "more than %u entries", PS_NAMES_MAX_ENTRIES);
        rc = PIISCAN_ERULES;
    }
    return rc;
}

/* Splits buf into lines, trims them and feeds parse_line. */
static piiscan_status parse_list(struct ps_names *n, const struct list_kind *k, const char *path,
                                 const char *buf, size_t len, piiscan_diag *diag)
{
    unsigned section = k->plain_flags;
    uint32_t rank = 0;
    unsigned lineno = 0;
    size_t pos = 0;

    while (pos < len) {
        const char *s = buf + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t l = nl ? (size_t)(nl - s) : len - pos;
        piiscan_status rc;

        pos += l + (nl ? 1 : 0);
        lineno++;
        if (l > PS_NAMES_MAX_LINE_BYTES) {
            ps_diag_set(diag, path, lineno, 0, NULL, "line longer than %u bytes",
                        PS_NAMES_MAX_LINE_BYTES);
            return PIISCAN_ERULES;
        }
        if (!utf8_valid(s, l)) {
            ps_diag_set(diag, path, lineno, 0, NULL, "invalid UTF-8 or NUL byte");
            return PIISCAN_ERULES;
        }
        while (l > 0 && (s[l - 1] == '\r' || s[l - 1] == ' ' || s[l - 1] == '\t'))
            l--;
        while (l > 0 && (s[0] == ' ' || s[0] == '\t')) {
            s++;
            l--;
        }
        if (l == 0 || s[0] == '#')
            continue;
        rc = parse_line(n, k, path, lineno, s, l, &section, &rank, diag);
        if (rc != PIISCAN_OK)
            return rc;
    }
    return PIISCAN_OK;
}

static piiscan_status load_file(struct ps_names *n, const char *dir, const struct list_kind *k,
                                piiscan_diag *diag)
{
    char path[4096];
    char *buf = NULL;
    size_t len = 0;
    piiscan_status rc;
    int w = snprintf(path, sizeof(path), "%s/%s", dir, k->file);

    if (w < 0 || (size_t)w >= sizeof(path)) {
        ps_diag_set(diag, k->file, 0, 0, NULL, "data directory path too long");
        return PIISCAN_EIO;
    }
    if (!k->is_required && access(path, F_OK) != 0 && errno == ENOENT)
        return PIISCAN_OK;
    rc = ps_names_read_file(path, PS_NAMES_MAX_FILE_BYTES, &buf, &len, diag);
    if (rc == PIISCAN_OK)
        rc = parse_list(n, k, path, buf, len, diag);
    free(buf);
    return rc;
}

piiscan_status ps_names_load(const char *data_dir, struct ps_names **out, piiscan_diag *diag)
{
    static const struct list_kind files[] = {
        {"given_names.txt", PS_NAMES_GIVEN, true},
        {"surnames.txt", PS_NAMES_SURNAME, true},
        {"names_supplement.txt", 0, false},
        {"not_names.txt", 0, false},
    };
    piiscan_status rc = PIISCAN_OK;
    struct ps_names *n = NULL;

    *out = NULL;
    n = calloc(1, sizeof(*n));
    if (n == NULL)
        return PIISCAN_ENOMEM;
    n->mask = 1023;
    n->slots = calloc(n->mask + 1, sizeof(*n->slots));
    if (n->slots == NULL) {
        rc = PIISCAN_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        rc = load_file(n, data_dir, &files[i], diag);
        if (rc != PIISCAN_OK)
            goto out;
    }
    *out = n;
    n = NULL;
out:
    ps_names_free(n);
    return rc;
}

void ps_names_free(struct ps_names *n)
{
    if (n == NULL)
        return;
    free(n->slots);
    free(n->ents);
    free(n->pool);
    free(n);
}

/* Name classes that every part of a hyphenated key shares ("smith-jones"). */
static unsigned classify_parts(const struct ps_names *n, const char *key, size_t len)
{
    unsigned common = PS_NAMES_GIVEN | PS_NAMES_SURNAME;
    size_t pos = 0;

    while (pos <= len && common != 0) {
        const char *p = key + pos;
        const char *dash = memchr(p, '-', len - pos);
        size_t l = dash ? (size_t)(dash - p) : len - pos;
        const struct entry *e;

        pos += l + 1;
        while (l > 0 && p[l - 1] == ' ')
            l--;
        while (l > 0 && p[0] == ' ') {
            p++;
            l--;
        }
        e = l ? find(n, p, l) : NULL;
        common &= e ? e->flags : 0u;
    }
    return common;
}

unsigned ps_names_classify(const struct ps_names *n, const char *s, size_t len)
{
    char key[PS_NAMES_MAX_KEY];
    size_t klen;
    const struct entry *e;
    unsigned flags;

    if (n == NULL || s == NULL || !ps_names_fold(s, len, key, sizeof(key), &klen) || klen == 0)
        return 0;
    e = find(n, key, klen);
    flags = e ? e->flags : 0u;
    if ((flags & (PS_NAMES_GIVEN | PS_NAMES_SURNAME)) == 0 && memchr(key, '-', klen) != NULL)
        flags |= classify_parts(n, key, klen);
    return flags;
}

bool ps_names_is_given(const struct ps_names *n, const char *s, size_t len)
{
    return (ps_names_classify(n, s, len) & PS_NAMES_GIVEN) != 0;
}

bool ps_names_is_surname(const struct ps_names *n, const char *s, size_t len)
{
    return (ps_names_classify(n, s, len) & PS_NAMES_SURNAME) != 0;
}

bool ps_names_is_stopword(const struct ps_names *n, const char *s, size_t len)
{
    return (ps_names_classify(n, s, len) & PS_NAMES_STOP_ANY) != 0;
}

uint32_t ps_names_rank(const struct ps_names *n, unsigned kind, const char *s, size_t len)
{
    char key[PS_NAMES_MAX_KEY];
    size_t klen;
    const struct entry *e;

    if (n == NULL || s == NULL || !ps_names_fold(s, len, key, sizeof(key), &klen) || klen == 0)
        return 0;
    e = find(n, key, klen);
    if (e == NULL)
        return 0;
    if (kind == PS_NAMES_GIVEN)
        return e->given_rank;
    if (kind == PS_NAMES_SURNAME)
        return e->surname_rank;
    return 0;
}

size_t ps_names_count(const struct ps_names *n, unsigned class_mask)
{
    size_t count = 0;

    if (n == NULL)
        return 0;
    for (size_t i = 0; i < n->nents; i++)
        count += (n->ents[i].flags & class_mask) != 0;
    return count;
}
