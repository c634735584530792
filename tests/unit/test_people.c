/* unit.people - dedupe across files: the same person written differently is one
 * person; names link to an SSN holder only when unambiguous; several SSNs in a
 * record are several people; ids are keyed hashes, stable with a key and
 * different without; key files shorter than 16 bytes are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/category.h"
#include "record/people.h"

struct fx {
    struct ps_sevmodel *model;
    struct ps_idkey *key;
    struct ps_recset *rs;
    struct ps_people *pp;
    uint32_t file_no;
};

static const char test_key[] = "0123456789abcdef-test-key";

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    assert_int_equal(ps_sevmodel_builtin(&fx->model), PIISCAN_OK);
    assert_int_equal(ps_idkey_from_bytes(test_key, strlen(test_key), &fx->key), PIISCAN_OK);
    assert_int_equal(ps_recset_new(fx->model, &fx->rs), PIISCAN_OK);
    assert_int_equal(ps_people_new(fx->model, fx->key, &fx->pp), PIISCAN_OK);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    ps_people_free(fx->pp);
    ps_recset_free(fx->rs);
    ps_idkey_free(fx->key);
    ps_sevmodel_free(fx->model);
    free(fx);
    return 0;
}

/* Adds one record of "cat=value" pairs, e.g. row(fx, "a.csv", 3, "name=Amy Pascal", ...). */
static void row(struct fx *fx, const char *lpath, uint64_t rec, const char *const *kv)
{
    for (size_t i = 0; kv[i] != NULL; i++) {
        char cat[32];
        const char *eq = strchr(kv[i], '=');
        assert_non_null(eq);
        snprintf(cat, sizeof cat, "%.*s", (int)(eq - kv[i]), kv[i]);
        piiscan_finding f = {0};
        int c = ps_category_from_name(cat);
        assert_true(c >= 0);
        f.category = (piiscan_category)c;
        f.rule_id = "test";
        f.lpath = lpath;
        f.line = rec;
        f.record = rec;
        f.value = eq + 1;
        f.value_len = strlen(eq + 1);
        f.normalized = eq + 1;
        f.context = eq + 1;
        assert_int_equal(ps_recset_add(fx->rs, &f), PIISCAN_OK);
    }
}

#define ROW(fx, path, rec, ...) row(fx, path, rec, (const char *const[]){__VA_ARGS__, NULL})

/* Ends the current file: its records go to the people store. */
static void end_file(struct fx *fx)
{
    ps_recset_finish(fx->rs);
    assert_int_equal(ps_people_add_file(fx->pp, fx->rs, fx->file_no++), PIISCAN_OK);
    ps_recset_clear(fx->rs);
}

/* Person i, copied into one of a few slots (a test holds a handful at once). */
static const struct ps_person *get(const struct ps_people *pp, size_t i)
{
    static struct ps_person slot[16];
    static size_t next;
    struct ps_person *p = &slot[next++ % 16];

    return ps_people_get(pp, i, p) ? p : NULL;
}

static const struct ps_person *by_name(const struct ps_people *pp, const char *name)
{
    struct ps_person p;
    size_t hit = SIZE_MAX;

    for (size_t i = 0; ps_people_get(pp, i, &p); i++) {
        if (p.name != NULL && strcmp(p.name, name) == 0) {
            assert_true(hit == SIZE_MAX); /* exactly one */
            hit = i;
        }
    }
    return hit == SIZE_MAX ? NULL : get(pp, hit);
}

static void elements_are(const struct ps_person *p, const char *want)
{
    char buf[256];
    assert_non_null(p);
    assert_string_equal(ps_catset_format(p->elements, ';', buf, sizeof buf), want);
}

static void same_person_across_files(void **state)
{
    struct fx *fx = *state;

    ROW(fx, "hr.xlsx", 2, "name=Amy Pascal", "ssn=123-45-6789", "dob=1967-04-12");
    ROW(fx, "hr.xlsx", 3, "name=Michael Lynton", "ssn=219-09-9999", "dob=1960-01-02");
    end_file(fx);
    ROW(fx, "dump.zip!payroll.csv", 7, "name=PASCAL, AMY", "ssn=123456789", "salary=3000000.00");
    end_file(fx);
    /* mail: the name with an email links to the one Amy Pascal */
    ROW(fx, "mail.mbox!12", 1, "name=Ms. Amy B. Pascal", "email=amy@example.com");
    end_file(fx);
    /* a name alone is not a person and not counted */
    ROW(fx, "mail.mbox!13", 1, "name=Amy Pascal");
    end_file(fx);
    assert_int_equal(ps_people_resolve(fx->pp), PIISCAN_OK);

    assert_int_equal(ps_people_count(fx->pp), 2);
    const struct ps_person *amy = by_name(fx->pp, "amy pascal");
    elements_are(amy, "dob;email;name;salary;ssn");
    assert_int_equal(amy->records, 3);
    assert_int_equal(amy->files, 3);
    assert_int_equal(amy->severity, PS_SEV_CRITICAL);
    assert_true(amy->notify);
    const struct ps_person *mike = by_name(fx->pp, "michael lynton");
    elements_are(mike, "dob;name;ssn");
    assert_int_equal(mike->files, 1);
    /* ids are keyed hashes: 16 hex digits, not the SSN, findable */
    assert_int_equal(strlen(amy->id), PS_ID_HEX);
    assert_null(strstr(amy->id, "123456789"));
    assert_string_not_equal(amy->id, mike->id);
    assert_string_equal(get(fx->pp, (size_t)ps_people_find(fx->pp, amy->id))->id, amy->id);
    assert_int_equal(ps_people_find(fx->pp, "0000000000000000"), -1);
    assert_int_equal(ps_people_unlinked(fx->pp), 0);
    /* distinct people per file: hr.xlsx 2, payroll 1, mail 1, name-only mail 0 */
    assert_int_equal(ps_people_in_file(fx->pp, 0), 2);
    assert_int_equal(ps_people_in_file(fx->pp, 1), 1);
    assert_int_equal(ps_people_in_file(fx->pp, 2), 1);
    assert_int_equal(ps_people_in_file(fx->pp, 3), 0);
}

static void ambiguity_left_unlinked(void **state)
{
    struct fx *fx = *state;

    /* two different John Smiths with SSNs */
    ROW(fx, "a.csv", 1, "name=John Smith", "ssn=111-22-3333");
    ROW(fx, "a.csv", 2, "name=Smith, John", "ssn=444-55-6666");
    end_file(fx);
    /* which John Smith earns this? Not guessed. */
    ROW(fx, "b.csv", 1, "name=JOHN SMITH", "salary=50000.00");
    /* several names, no SSN: not guessed either */
    ROW(fx, "b.csv", 2, "name=Jane Roe", "name=Richard Roe", "salary=1.00");
    end_file(fx);
    assert_int_equal(ps_people_resolve(fx->pp), PIISCAN_OK);
    assert_int_equal(ps_people_count(fx->pp), 2);
    assert_int_equal(ps_people_unlinked(fx->pp), 2);
    for (size_t i = 0; i < 2; i++) {
        elements_are(get(fx->pp, i), "name;ssn");
        assert_int_equal(get(fx->pp, i)->records, 1);
    }
}

/* Exact repeats of a record in one file are merged into one weighted row; counts
 * (records per person, unlinked records) come out as if every repeat were a row. */
static void repeated_records_count_fully(void **state)
{
    struct fx *fx = *state;

    for (uint64_t rec = 1; rec <= 300; rec += 3) {
        ROW(fx, "log.txt", rec, "name=Amy Pascal", "ssn=123-45-6789");
        ROW(fx, "log.txt", rec + 1, "name=John Smith", "email=js@example.com");
        ROW(fx, "log.txt", rec + 2, "name=Jane Roe", "name=Richard Roe", "salary=1.00");
    }
    end_file(fx);
    /* the same record in another file is another file's record, not a repeat */
    ROW(fx, "other.txt", 1, "name=Amy Pascal", "ssn=123-45-6789");
    end_file(fx);
    assert_int_equal(ps_people_resolve(fx->pp), PIISCAN_OK);
    assert_int_equal(ps_people_count(fx->pp), 2);
    const struct ps_person *amy = by_name(fx->pp, "amy pascal");
    assert_non_null(amy);
    assert_int_equal(amy->records, 101);
    assert_int_equal(amy->files, 2);
    const struct ps_person *john = by_name(fx->pp, "john smith");
    assert_non_null(john);
    assert_int_equal(john->records, 100);
    elements_are(john, "email;name");
    assert_int_equal(ps_people_unlinked(fx->pp), 100); /* the two-name records */
    assert_int_equal(ps_people_in_file(fx->pp, 0), 2);
    assert_int_equal(ps_people_in_file(fx->pp, 1), 1);
}

static void name_and_birthdate_key(void **state)
{
    struct fx *fx = *state;

    /* no SSN anywhere: name + birthdate is the key */
    ROW(fx, "a.csv", 1, "name=Bob Jones", "dob=1970-05-05");
    ROW(fx, "a.csv", 2, "name=Bob Jones", "dob=1981-11-30"); /* another Bob Jones */
    end_file(fx);
    ROW(fx, "b.csv", 1, "name=Jones, Bob", "dob=1970-05-05", "phone=555-0100");
    /* salary with the name: two Bobs, so unlinked */
    ROW(fx, "b.csv", 2, "name=Bob Jones", "salary=1000.00");
    /* a name never seen before with a salary is a person of its own (Sony's actors) */
    ROW(fx, "b.csv", 3, "name=Seth Rogen", "salary=8400000.00");
    end_file(fx);
    ROW(fx, "c.csv", 1, "name=Seth Rogen", "email=seth@example.com");
    end_file(fx);
    assert_int_equal(ps_people_resolve(fx->pp), PIISCAN_OK);

    assert_int_equal(ps_people_count(fx->pp), 3);
    assert_int_equal(ps_people_unlinked(fx->pp), 1);
    const struct ps_person *seth = by_name(fx->pp, "seth rogen");
    elements_are(seth, "email;name;salary");
    assert_int_equal(seth->files, 2);
    assert_int_equal(seth->severity, PS_SEV_HIGH);
    assert_false(seth->notify);
    size_t bobs = 0;
    for (size_t i = 0; i < ps_people_count(fx->pp); i++) {
        const struct ps_person *p = get(fx->pp, i);
        if (strcmp(p->name, "bob jones") != 0)
            continue;
        bobs++;
        elements_are(p, p->records == 2 ? "dob;name;phone" : "dob;name");
    }
    assert_int_equal(bobs, 2);
}

static void birthdate_links_to_ssn_holder(void **state)
{
    struct fx *fx = *state;

    ROW(fx, "a.csv", 1, "name=Amy Pascal", "ssn=123-45-6789");
    end_file(fx);
    /* name + dob without SSN: joins the one Amy Pascal (her birthdate was unknown) */
    ROW(fx, "b.csv", 1, "name=Amy Pascal", "dob=1967-04-12");
    /* a later name + other dob is someone else */
    ROW(fx, "b.csv", 2, "name=Amy Pascal", "dob=1999-09-09");
    end_file(fx);
    assert_int_equal(ps_people_resolve(fx->pp), PIISCAN_OK);
    assert_int_equal(ps_people_count(fx->pp), 2);
    const struct ps_person *first = get(fx->pp, 0);
    elements_are(first, "dob;name;ssn");
    assert_int_equal(first->records, 2);
    assert_int_equal(first->severity, PS_SEV_CRITICAL);
    const struct ps_person *second = get(fx->pp, 1);
    elements_are(second, "dob;name");
    assert_int_equal(second->severity, PS_SEV_HIGH);
}

static void several_ssns_in_a_record(void **state)
{
    struct fx *fx = *state;

    ROW(fx, "memo.txt", 4, "ssn=123-45-6789", "ssn=219-09-9999", "name=Amy Pascal",
        "dob=1967-04-12");
    end_file(fx);
    ROW(fx, "hr.csv", 1, "ssn=123456789", "email=amy@example.com");
    end_file(fx);
    assert_int_equal(ps_people_resolve(fx->pp), PIISCAN_OK);
    assert_int_equal(ps_people_count(fx->pp), 2);
    /* most records first: 123456789 has two */
    const struct ps_person *a = get(fx->pp, 0);
    assert_int_equal(a->records, 2);
    elements_are(a, "email;ssn");
    assert_null(a->name); /* the memo's name is not known to be theirs */
    /* both sit in a critical record */
    assert_int_equal(a->severity, PS_SEV_CRITICAL);
    elements_are(get(fx->pp, 1), "ssn");
}

/* An SSN and an ITIN in one record: each person is exposed only through their
 * own kind, so people per element never exceed its occurrences. */
static void ssn_and_itin_in_a_record(void **state)
{
    struct fx *fx = *state;

    ROW(fx, "memo.txt", 4, "ssn=123-45-6789", "itin=912-78-1234", "name=Amy Pascal");
    end_file(fx);
    assert_int_equal(ps_people_resolve(fx->pp), PIISCAN_OK);
    assert_int_equal(ps_people_count(fx->pp), 2);
    int seen_ssn = 0, seen_itin = 0;
    for (size_t i = 0; i < ps_people_count(fx->pp); i++) {
        const struct ps_person *p = get(fx->pp, i);
        char buf[64];
        ps_catset_format(p->elements, ';', buf, sizeof buf);
        seen_ssn += strcmp(buf, "ssn") == 0;
        seen_itin += strcmp(buf, "itin") == 0;
        assert_null(p->name); /* the name is not known to be either's */
    }
    assert_int_equal(seen_ssn, 1);
    assert_int_equal(seen_itin, 1);
}

static void many_ssns_in_a_paragraph(void **state)
{
    struct fx *fx = *state;
    char v[64];

    /* a log with no blank line is one "paragraph" record: every SSN is a person */
    for (unsigned i = 0; i < 3000; i++) {
        snprintf(v, sizeof v, "ssn=5%08u", i % 2000); /* each SSN twice or once */
        ROW(fx, "app.log", 1, v);
    }
    end_file(fx);
    assert_int_equal(ps_people_resolve(fx->pp), PIISCAN_OK);
    assert_int_equal(ps_people_count(fx->pp), 2000);
    for (size_t i = 0; i < 2000; i++) {
        assert_int_equal(get(fx->pp, i)->records, 1);
        elements_are(get(fx->pp, i), "ssn");
    }
}

static void other_identifiers(void **state)
{
    struct fx *fx = *state;

    ROW(fx, "cards.csv", 1, "credit_card=4111111111111111", "name=Amy Pascal", "ssn=123-45-6789");
    ROW(fx, "cards.csv", 2, "credit_card=5500000000000004");
    end_file(fx);
    ROW(fx, "log.txt", 9, "credit_card=4111111111111111", "phone=555-0100");
    ROW(fx, "log.txt", 10, "credit_card=5500000000000004", "email=x@example.com");
    end_file(fx);
    assert_int_equal(ps_people_resolve(fx->pp), PIISCAN_OK);
    assert_int_equal(ps_people_count(fx->pp), 2);
    const struct ps_person *amy = by_name(fx->pp, "amy pascal");
    elements_are(amy, "credit_card;name;phone;ssn");
    assert_int_equal(amy->files, 2);
    /* the second card has no SSN or name: a person of its own, keyed by the card */
    const struct ps_person *other = get(fx->pp, 1);
    elements_are(other, "credit_card;email");
    assert_int_equal(other->records, 2);
    assert_false(other->notify);
}

/* A named record with a card nobody was known to hold joins the card's person
 * when the unnamed record of that card comes later, exactly as when it came
 * first: the outcome does not depend on arrival order. */
static void card_holder_whichever_came_first(void **state)
{
    struct fx *fx = *state;

    for (int order = 0; order < 2; order++) {
        struct fx f = {.model = fx->model, .key = fx->key};
        assert_int_equal(ps_recset_new(f.model, &f.rs), PIISCAN_OK);
        assert_int_equal(ps_people_new(f.model, f.key, &f.pp), PIISCAN_OK);
        for (int k = 0; k < 2; k++) {
            if ((k == 0) == (order == 0))
                ROW(&f, "log.txt", 1, "credit_card=4111111111111111", "name=Amy Pascal",
                    "phone=555-0100");
            else
                ROW(&f, "cards.csv", 1, "credit_card=4111111111111111", "email=x@example.com");
            end_file(&f);
        }
        assert_int_equal(ps_people_resolve(f.pp), PIISCAN_OK);
        assert_int_equal(ps_people_count(f.pp), 1);
        const struct ps_person *p = get(f.pp, 0);
        elements_are(p, "credit_card;email;name;phone");
        assert_string_equal(p->name, "amy pascal");
        assert_int_equal(p->records, 2);
        assert_int_equal(p->files, 2);
        assert_int_equal(ps_people_unlinked(f.pp), 0);
        ps_people_free(f.pp);
        ps_recset_free(f.rs);
    }
}

/* Files are counted once per person whether they came through SSN records or
 * through name-only records folded into one group; repeats count as records. */
static void files_counted_once_per_person(void **state)
{
    struct fx *fx = *state;

    ROW(fx, "a.csv", 1, "name=Bob Jones", "ssn=123-45-6789");
    end_file(fx);
    ROW(fx, "b.log", 1, "name=Bob Jones", "phone=555-0100");
    end_file(fx);
    ROW(fx, "c.log", 4, "name=Bob Jones", "phone=555-0100");
    end_file(fx);
    ROW(fx, "d.csv", 2, "ssn=123-45-6789", "email=bob@example.com");
    end_file(fx);
    ROW(fx, "e.log", 7, "name=Bob Jones", "email=bob@example.com");
    ROW(fx, "e.log", 9, "name=Bob Jones", "phone=555-0100");
    ROW(fx, "e.log", 11, "name=Bob Jones", "phone=555-0100");
    end_file(fx);
    ROW(fx, "f.log", 1, "email=nobody@example.com", "phone=555-0199"); /* no identity */
    end_file(fx);
    assert_int_equal(ps_people_resolve(fx->pp), PIISCAN_OK);
    assert_int_equal(ps_people_count(fx->pp), 1);
    const struct ps_person *bob = get(fx->pp, 0);
    elements_are(bob, "email;name;phone;ssn");
    assert_int_equal(bob->records, 7);
    assert_int_equal(bob->files, 5);
    for (uint32_t file = 0; file < 5; file++)
        assert_int_equal(ps_people_in_file(fx->pp, file), 1);
    assert_int_equal(ps_people_in_file(fx->pp, 5), 0);
}

/* Builds a store over the same two rows with key k; returns Amy's id. */
static void id_with_key(struct ps_sevmodel *m, struct ps_idkey *k, char out[PS_ID_HEX + 1])
{
    struct fx fx = {.model = m, .key = k};
    assert_int_equal(ps_recset_new(m, &fx.rs), PIISCAN_OK);
    assert_int_equal(ps_people_new(m, k, &fx.pp), PIISCAN_OK);
    ROW(&fx, "a.csv", 1, "name=Amy Pascal", "ssn=123-45-6789");
    end_file(&fx);
    assert_int_equal(ps_people_resolve(fx.pp), PIISCAN_OK);
    assert_int_equal(ps_people_count(fx.pp), 1);
    memcpy(out, get(fx.pp, 0)->id, PS_ID_HEX + 1);
    ps_people_free(fx.pp);
    ps_recset_free(fx.rs);
}

static void ids_keyed(void **state)
{
    struct fx *fx = *state;
    char a[PS_ID_HEX + 1], b[PS_ID_HEX + 1], c[PS_ID_HEX + 1], d[PS_ID_HEX + 1];
    char path[] = "/tmp/piiscan-key-XXXXXX";
    char err[256];
    struct ps_idkey *k2 = NULL, *r1 = NULL, *r2 = NULL, *kf = NULL;

    /* same key bytes (a key file) -> the same id, run after run */
    id_with_key(fx->model, fx->key, a);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, test_key, strlen(test_key)), (ssize_t)strlen(test_key));
    close(fd);
    assert_int_equal(ps_idkey_from_file(path, &kf, err, sizeof err), PIISCAN_OK);
    assert_true(ps_idkey_is_stable(kf));
    id_with_key(fx->model, kf, b);
    assert_string_equal(a, b);
    /* HMAC-SHA-256(key, "tin:123456789"), first 8 bytes: fixed by the algorithm */
    char ref[PS_ID_HEX + 1];
    ps_idkey_hex(fx->key, "tin:123456789", 13, ref);
    assert_string_equal(a, ref);

    /* another key, or random per-run keys -> different ids */
    assert_int_equal(ps_idkey_from_bytes("another-key-16-bytes", 20, &k2), PIISCAN_OK);
    id_with_key(fx->model, k2, c);
    assert_string_not_equal(a, c);
    assert_int_equal(ps_idkey_random(&r1), PIISCAN_OK);
    assert_int_equal(ps_idkey_random(&r2), PIISCAN_OK);
    assert_false(ps_idkey_is_stable(r1));
    id_with_key(fx->model, r1, c);
    id_with_key(fx->model, r2, d);
    assert_string_not_equal(c, d);
    assert_string_not_equal(a, c);

    /* key files: too short is refused with the reason */
    fd = open(path, O_WRONLY | O_TRUNC);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "short\n", 6), 6);
    close(fd);
    struct ps_idkey *bad = (struct ps_idkey *)&bad;
    assert_int_equal(ps_idkey_from_file(path, &bad, err, sizeof err), PIISCAN_EINVAL);
    assert_null(bad);
    assert_non_null(strstr(err, "needs at least 16"));
    unlink(path);
    assert_int_equal(ps_idkey_from_file(path, &bad, err, sizeof err), PIISCAN_EIO);
    assert_int_equal(ps_idkey_from_bytes("0123456789abcde", 15, &bad), PIISCAN_EINVAL);

    /* key ids differ per key and never show the key */
    char id1[PS_ID_HEX + 1], id2[PS_ID_HEX + 1];
    ps_idkey_id(kf, id1);
    ps_idkey_id(k2, id2);
    assert_string_not_equal(id1, id2);
    uint64_t v = 0;
    assert_true(ps_id_parse(id1, &v));
    ps_id_format(v, id2);
    assert_string_equal(id1, id2);
    assert_false(ps_id_parse("12345", &v));
    assert_false(ps_id_parse("zzzzzzzzzzzzzzzz", &v));
    ps_idkey_free(kf);
    ps_idkey_free(k2);
    ps_idkey_free(r1);
    ps_idkey_free(r2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(same_person_across_files, setup, teardown),
        cmocka_unit_test_setup_teardown(ambiguity_left_unlinked, setup, teardown),
        cmocka_unit_test_setup_teardown(repeated_records_count_fully, setup, teardown),
        cmocka_unit_test_setup_teardown(name_and_birthdate_key, setup, teardown),
        cmocka_unit_test_setup_teardown(birthdate_links_to_ssn_holder, setup, teardown),
        cmocka_unit_test_setup_teardown(several_ssns_in_a_record, setup, teardown),
        cmocka_unit_test_setup_teardown(ssn_and_itin_in_a_record, setup, teardown),
        cmocka_unit_test_setup_teardown(many_ssns_in_a_paragraph, setup, teardown),
        cmocka_unit_test_setup_teardown(other_identifiers, setup, teardown),
        cmocka_unit_test_setup_teardown(ids_keyed, setup, teardown),
        cmocka_unit_test_setup_teardown(card_holder_whichever_came_first, setup, teardown),
        cmocka_unit_test_setup_teardown(files_counted_once_per_person, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
