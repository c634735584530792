/* record/people.h - affected individuals, deduplicated across the whole scan.
 *
 * Every record that carries an identity (an SSN/ITIN, a name, another
 * identifier such as a card or passport number) is added as the files are
 * reported; ps_people_resolve() then assigns records to people:
 *   1. a record with SSNs/ITINs belongs to the person of each of them (key
 *      "tin:<digits>"); a record with exactly one also teaches the indexes its
 *      name, name+birthdate and other identifier;
 *   2. a record with one name and one birthdate (no SSN) joins the person with
 *      that name+birthdate, else a person with that name whose birthdate is
 *      unknown when there is exactly one, else a new person "nd:<name>|<dob>";
 *   3. a record with another identifier (no SSN, no name+birthdate) joins the
 *      person that identifier was seen with; failing that, a record without a
 *      name becomes the person "id:<cat>:<value>", one with several names stays
 *      unlinked, and one with one name goes on to step 4 (records with one name
 *      are looked at after the others, so the outcome does not depend on which
 *      came first);
 *   4. a record with one name and any other element joins the one person of
 *      that name; with several candidates it stays unlinked (counted, not
 *      guessed); with none it becomes the person "n:<name>".
 * A name alone (no other element) is not an exposure of a person and is not
 * counted. Person ids are ps_idkey_hex of the key string. Step 1 runs as records
 * arrive; records without an SSN are folded into one group per identity
 * signature. Memory is O(people + distinct identity signatures + (person, file)
 * pairs), about 32 bytes each plus the interned strings: not O(records).
 * Results do not depend on -j as long as files are added in report order.
 */
#ifndef PS_RECORD_PEOPLE_H
#define PS_RECORD_PEOPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record/idkey.h"
#include "record/records.h"
#include "record/severity.h"

struct ps_person {
    char id[PS_ID_HEX + 1]; /* keyed hash of the person key */
    const char *name;       /* canonical name ("amy pascal") or NULL; borrowed */
    ps_catset elements;     /* categories exposed over all their records */
    uint64_t records;
    uint64_t files;
    enum ps_severity severity; /* max(record severities, model(elements)) */
    bool notify;               /* elements meet the notification combination */
};

struct ps_people;

/* model and key are borrowed and must outlive the store. ENOMEM. */
piiscan_status ps_people_new(const struct ps_sevmodel *model, const struct ps_idkey *key,
                             struct ps_people **out);
void ps_people_free(struct ps_people *pp);

/* Adds the identity-bearing records of a finished recset; file_no numbers the
 * file (distinct files are counted by it). Records without an identity are
 * skipped. ENOMEM, ELIMIT (more than 4e9 records or values). */
piiscan_status ps_people_add_file(struct ps_people *pp, const struct ps_recset *rs,
                                  uint32_t file_no);
/* Adds one record (what add_file does per record). */
piiscan_status ps_people_add_record(struct ps_people *pp, const struct ps_record *rec,
                                    uint32_t file_no);

/* Assigns records to people and aggregates. Call once, after the last add.
 * People are then ordered by severity (highest first), then records (most
 * first), then id. ENOMEM. */
piiscan_status ps_people_resolve(struct ps_people *pp);

size_t ps_people_count(const struct ps_people *pp);
/* Person i in report order into *out (its name borrowed from the store);
 * false when i is out of range. */
bool ps_people_get(const struct ps_people *pp, size_t i, struct ps_person *out);
/* Records with an identity that could not be attributed without guessing
 * (a name shared by several people, several names and no SSN). */
uint64_t ps_people_unlinked(const struct ps_people *pp);
/* Distinct people with a record in file file_no (after resolve). */
uint64_t ps_people_in_file(const struct ps_people *pp, uint32_t file_no);
/* Index of the person with this id, or -1 (after resolve). A linear search:
 * for tests and one-off look-ups. */
long ps_people_find(const struct ps_people *pp, const char *id);

#endif
