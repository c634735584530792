/* validate/names.h - dictionaries of personal names and of words that are not names.
 *
 * Loaded once from rules/data/ (see rules/data/README), immutable afterwards and
 * shared read-only by every thread. Every lookup folds its key the same way the
 * data files were folded: lower case, Latin diacritics stripped ("Müller" ->
 * "muller", "Łukasz" -> "lukasz", "Nguyễn" -> "nguyen"), apostrophes and periods
 * dropped ("O'Brien" -> "obrien"), runs of white space -> one space. So lookups are
 * case-, accent- and spacing-insensitive and take raw UTF-8 from a unit.
 *
 * A key can carry several classes at once: "May" is a given name, a surname and a
 * month; "Virginia" a given name and a state; "Park" a surname. The detector decides
 * with other evidence (see rules/data/README, "How the classes are meant to be used").
 */
#ifndef PS_VALIDATE_NAMES_H
#define PS_VALIDATE_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscan/rules.h"
#include "piiscan/status.h"

struct ps_names;

/* Classes of a key: a bit set returned by ps_names_classify(). The section of a
 * rules/data file says which class its entries get. */
enum ps_names_class {
    PS_NAMES_GIVEN = 1u << 0,        /* given_names.txt, [given] */
    PS_NAMES_SURNAME = 1u << 1,      /* surnames.txt, [surname] */
    PS_NAMES_HONORIFIC = 1u << 2,    /* [honorific]: Dr, Mrs, Prof ... (name cue) */
    PS_NAMES_SUFFIX = 1u << 3,       /* [suffix]: Jr, III, PhD ... (name cue) */
    PS_NAMES_STOP_PLACE = 1u << 8,   /* [place]: cities, states, countries, place words */
    PS_NAMES_STOP_ORG = 1u << 9,     /* [org]: companies, studios, entity words */
    PS_NAMES_STOP_TIME = 1u << 10,   /* [time]: months, weekdays, holidays */
    PS_NAMES_STOP_TITLE = 1u << 11,  /* [title]: film titles and title words */
    PS_NAMES_STOP_STREET = 1u << 12, /* [street]: street suffixes and address words */
    PS_NAMES_STOP_WORD = 1u << 13    /* [word]: sentence starters, business words */
};
#define PS_NAMES_STOP_ANY                                                                          \
    (PS_NAMES_STOP_PLACE | PS_NAMES_STOP_ORG | PS_NAMES_STOP_TIME | PS_NAMES_STOP_TITLE |          \
     PS_NAMES_STOP_STREET | PS_NAMES_STOP_WORD)

/* Bounds on the data directory (it may be user-supplied with --rules). */
#define PS_NAMES_MAX_FILE_BYTES (16u * 1024u * 1024u) /* per data file */
#define PS_NAMES_MAX_LINE_BYTES 256u                  /* per line of a data file */
#define PS_NAMES_MAX_KEY 128u                         /* folded key, bytes */
#define PS_NAMES_MAX_ENTRIES 2000000u                 /* distinct keys, all files */

/* Loads data_dir/given_names.txt and data_dir/surnames.txt (required, plain lists,
 * most frequent first) and data_dir/names_supplement.txt and data_dir/not_names.txt
 * (optional, [section] lists). Lines are UTF-8; '#' starts a comment line.
 * Returns OK; EIO when a required file cannot be read; ERULES for a malformed or
 * oversized file (diag names file and line); ENOMEM. *out is NULL on failure.
 * Free with ps_names_free(). */
piiscan_status ps_names_load(const char *data_dir, struct ps_names **out, piiscan_diag *diag);
void ps_names_free(struct ps_names *n);

/* Bit set of enum ps_names_class for the UTF-8 text s[0..len) (0 = unknown).
 * A hyphenated key not listed whole ("Smith-Jones", "Jean-Pierre") gets GIVEN or
 * SURNAME when every hyphen-separated part has it. Thread-safe, allocation-free. */
unsigned ps_names_classify(const struct ps_names *n, const char *s, size_t len);

bool ps_names_is_given(const struct ps_names *n, const char *s, size_t len);
bool ps_names_is_surname(const struct ps_names *n, const char *s, size_t len);
/* True when s is in any stop class (place, org, time, title, street, word). */
bool ps_names_is_stopword(const struct ps_names *n, const char *s, size_t len);

/* 1-based frequency rank of s in the Census list of its kind (PS_NAMES_GIVEN or
 * PS_NAMES_SURNAME; 1 = most frequent); 0 when s is not in that Census list (absent,
 * or only in the supplement). Lets a detector weigh "Smith" (1) against "City" (~44000). */
uint32_t ps_names_rank(const struct ps_names *n, unsigned kind, const char *s, size_t len);

/* Number of distinct keys carrying any bit of class_mask. */
size_t ps_names_count(const struct ps_names *n, unsigned class_mask);

/* Folds s[0..len) as described above into out (NUL-terminated). Returns false,
 * with out = "", when the folded key needs more than cap - 1 bytes. Invalid UTF-8
 * bytes are copied through unchanged. Pure; used by engine/columns.c too. */
bool ps_names_fold(const char *s, size_t len, char *out, size_t cap, size_t *out_len);

/* Reads the regular file path (never a FIFO or device) into a malloc'd,
 * NUL-terminated buffer of at most cap bytes. Returns OK, EIO (diag says why) or
 * ERULES when larger than cap, ENOMEM. Shared with engine/columns.c. */
piiscan_status ps_names_read_file(const char *path, size_t cap, char **out, size_t *len,
                                  piiscan_diag *diag);

#endif
