/* test_names.c - validate/names: dictionary loading, folding, lookups, stop list,
 * and a hostile data directory. Uses the shipped rules/data/ files. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "validate/names.h"

#define DATA_DIR PIISCAN_TEST_RULES_DIR "/data"

static struct ps_names *names;

static int load_names(void **state)
{
    piiscan_diag diag;

    (void)state;
    if (ps_names_load(DATA_DIR, &names, &diag) != PIISCAN_OK) {
        fprintf(stderr, "%s:%u: %s\n", diag.file, diag.line, diag.message);
        return -1;
    }
    return 0;
}

static int free_names(void **state)
{
    (void)state;
    ps_names_free(names);
    names = NULL;
    return 0;
}

#define S(x) (x), strlen(x)

static void test_counts(void **state)
{
    (void)state;
    /* Census 1990: 1,219 male + 4,275 female (5,163 distinct) and 88,799 surnames,
     * plus the supplement. */
    assert_true(ps_names_count(names, PS_NAMES_GIVEN) >= 5163 + 200);
    assert_true(ps_names_count(names, PS_NAMES_SURNAME) >= 88799 + 100);
    assert_true(ps_names_count(names, PS_NAMES_STOP_ANY) >= 900);
}

static void test_fold(void **state)
{
    char out[64];
    size_t len;

    (void)state;
    assert_true(ps_names_fold(S("Müller"), out, sizeof(out), &len));
    assert_string_equal(out, "muller");
    assert_int_equal(len, 6);
    assert_true(ps_names_fold(S("  O'Brien  "), out, sizeof(out), &len));
    assert_string_equal(out, "obrien");
    assert_true(ps_names_fold(S("O\xE2\x80\x99"
                                "BRIEN"),
                              out, sizeof(out), &len));
    assert_string_equal(out, "obrien");
    assert_true(ps_names_fold(S("\xC5\x81UKASZ"), out, sizeof(out), &len)); /* ŁUKASZ */
    assert_string_equal(out, "lukasz");
    assert_true(ps_names_fold(S("Straße Æsir ŒUVRE Þór"), out, sizeof(out), &len));
    assert_string_equal(out, "strasse aesir oeuvre thor");
    assert_true(ps_names_fold(S("Nguyễn Ștefan"), out, sizeof(out), &len));
    assert_string_equal(out, "nguyen stefan");
    assert_true(ps_names_fold(S("Culver\t \n City"), out, sizeof(out), &len));
    assert_string_equal(out, "culver city");
    assert_true(ps_names_fold(S("Jean\xE2\x80\x93Pierre"), out, sizeof(out), &len)); /* en dash */
    assert_string_equal(out, "jean-pierre");
    assert_true(ps_names_fold(S("ИВАН Ёлкин ΑΛΕΞΗΣ"), out, sizeof(out), &len));
    assert_string_equal(out, "иван ёлкин αλεξησ");
    assert_true(ps_names_fold(S("Αλέξης"), out, sizeof(out), &len)); /* accents kept */
    assert_string_equal(out, "αλέξησ");
    /* Invalid UTF-8 passes through byte for byte, a truncated sequence too. */
    assert_true(ps_names_fold(S("A\xFF"
                                "B\xC3"),
                              out, sizeof(out), &len));
    assert_memory_equal(out,
                        "a\xFF"
                        "b\xC3",
                        5);
    assert_int_equal(len, 4);
    /* Does not fit: false and an empty key. */
    assert_false(ps_names_fold(S("abcdefgh"), out, 8, &len));
    assert_string_equal(out, "");
    assert_true(ps_names_fold(S("abcdefg"), out, 8, &len));
    assert_false(ps_names_fold(S("x"), out, 0, &len));
}

static void test_given(void **state)
{
    static const char *const yes[] = {
        "Amy",     "AMY",    "amy",         "Mary",        "James",     "José",       "JOSÉ",
        "Jose",    "Zoë",    "Zoe",         "Renée",       "Chloé",     "Andrés",     "Łukasz",
        "Björn",   "Noémie", "Søren",       "Inés",        "Priya",     "Wei",        "Aisha",
        "Hiroshi", "Fatima", "Dmitri",      "Mei",         "Omar",      "Ingrid",     "Kwame",
        "Aaliyah", "Jayden", "Jean-Pierre", "JEAN-PIERRE", "Mary-Kate", "Anne-Marie", "Siobhán",
    };
    (void)state;
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (!ps_names_is_given(names, S(yes[i])))
            fail_msg("not a given name: %s", yes[i]);
    }
    /* Hyphenated, not listed whole: every part is a given name. */
    assert_true(ps_names_is_given(names, S("Amy-Lynn")));
    assert_false(ps_names_is_given(names, S("Amy-Qwzxv")));
    assert_false(ps_names_is_given(names, S("Qwzxv")));
    assert_false(ps_names_is_given(names, S("Pascal")));
    assert_false(ps_names_is_given(names, S("Culver City")));
    assert_false(ps_names_is_given(names, S("")));
    assert_false(ps_names_is_given(names, S("-")));
    assert_false(ps_names_is_given(names, S("Amy-")));
    assert_false(ps_names_is_given(names, NULL, 0));
    assert_false(ps_names_is_given(NULL, S("Amy")));
}

static void test_surname(void **state)
{
    static const char *const yes[] = {
        "Pascal",
        "PASCAL",
        "pascal",
        "Smith",
        "Muñoz",
        "MUÑOZ",
        "Munoz",
        "Peña",
        "Gómez",
        "Müller",
        "Núñez",
        "Østergaard",
        "Ibáñez",
        "Doğan",
        "Šimić",
        "Brontë",
        "Nguyen",
        "Nguyễn",
        "Patel",
        "O'Brien",
        "O\xE2\x80\x99"
        "Brien",
        "OBRIEN",
        "D'Angelo",
        "García-Márquez",
        "Van der Berg",
        "van  der  berg",
        "Kowalczyk",
        "Yılmaz",
    };
    (void)state;
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (!ps_names_is_surname(names, S(yes[i])))
            fail_msg("not a surname: %s", yes[i]);
    }
    /* Hyphenated surnames: every part a surname. */
    assert_true(ps_names_is_surname(names, S("Smith-Jones")));
    assert_true(ps_names_is_surname(names, S("Pascal - Smith")));
    assert_false(ps_names_is_surname(names, S("Smith-Qwzxv")));
    assert_false(ps_names_is_surname(names, S("Sony")));
    assert_false(ps_names_is_surname(names, S("Culver City")));
    assert_false(ps_names_is_surname(names, S("Invoice")));
    assert_false(ps_names_is_surname(names, S("123456789")));
    assert_false(ps_names_is_surname(names, S("Smith Jones"))); /* a phrase, not a key */
}

static void test_stopwords(void **state)
{
    static const char *const stop[] = {
        "Culver City",   "CULVER CITY", "culver  city",  "Los Angeles", "Washington", "Virginia",
        "Georgia",       "Austin",      "Houston",       "Jackson",     "Sony",       "SONY",
        "Sony Pictures", "Pictures",    "Columbia",      "Disney",      "Apple",      "May",
        "June",          "April",       "August",        "Monday",      "Street",     "Avenue",
        "Blvd",          "Road",        "Drive",         "Lane",        "Dear",       "Please",
        "Thanks",        "Regards",     "Total",         "Budget",      "Invoice",    "Department",
        "Finance",       "Marketing",   "The Interview", "Spider-Man",  "Inc.",       "LLC",
        "Employee",
    };
    (void)state;
    for (size_t i = 0; i < sizeof(stop) / sizeof(stop[0]); i++) {
        if (!ps_names_is_stopword(names, S(stop[i])))
            fail_msg("not a stop word: %s", stop[i]);
    }
    /* Names stay names. */
    assert_false(ps_names_is_stopword(names, S("Amy")));
    assert_false(ps_names_is_stopword(names, S("Pascal")));
    assert_false(ps_names_is_stopword(names, S("Smith")));
    assert_false(ps_names_is_stopword(names, S("Park")));
    assert_false(ps_names_is_stopword(names, S("Culver")));
    /* Honorifics and suffixes are name cues, not stop words. */
    assert_false(ps_names_is_stopword(names, S("Dr.")));
}

static void test_classes(void **state)
{
    unsigned f;

    (void)state;
    f = ps_names_classify(names, S("May"));
    assert_true(f & PS_NAMES_GIVEN);
    assert_true(f & PS_NAMES_STOP_TIME);
    assert_false(f & PS_NAMES_STOP_PLACE);
    assert_int_equal(ps_names_classify(names, S("Culver City")), PS_NAMES_STOP_PLACE);
    assert_int_equal(ps_names_classify(names, S("Sony")), PS_NAMES_STOP_ORG);
    assert_int_equal(ps_names_classify(names, S("Blvd.")), PS_NAMES_STOP_STREET);
    assert_int_equal(ps_names_classify(names, S("Regards")), PS_NAMES_STOP_WORD);
    assert_true(ps_names_classify(names, S("Dr.")) & PS_NAMES_HONORIFIC);
    assert_true(ps_names_classify(names, S("Mrs")) & PS_NAMES_HONORIFIC);
    assert_true(ps_names_classify(names, S("Jr.")) & PS_NAMES_SUFFIX);
    assert_true(ps_names_classify(names, S("III")) & PS_NAMES_SUFFIX);
    assert_int_equal(ps_names_classify(names, S("Qwzxv")), 0);
}

static void test_rank(void **state)
{
    (void)state;
    assert_int_equal(ps_names_rank(names, PS_NAMES_SURNAME, S("SMITH")), 1);
    assert_int_equal(ps_names_rank(names, PS_NAMES_SURNAME, S("Johnson")), 2);
    assert_int_equal(ps_names_rank(names, PS_NAMES_GIVEN, S("Mary")), 1);
    assert_true(ps_names_rank(names, PS_NAMES_SURNAME, S("City")) > 40000);
    assert_true(ps_names_rank(names, PS_NAMES_SURNAME, S("Pascal")) > 0);
    /* In the supplement only: a name, but no Census rank. */
    assert_true(ps_names_is_given(names, S("Kwame")));
    assert_int_equal(ps_names_rank(names, PS_NAMES_GIVEN, S("Kwame")), 0);
    assert_int_equal(ps_names_rank(names, PS_NAMES_GIVEN, S("Sony")), 0);
    assert_int_equal(ps_names_rank(names, PS_NAMES_STOP_ORG, S("Sony")), 0);
}

/* ---- hostile data directories ---- */

static char tmpdir[512];

static void write_file(const char *name, const char *content, size_t len)
{
    char path[1024];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(content, 1, len, f), len);
    fclose(f);
}

static void remove_file(const char *name)
{
    char path[1024];

    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    unlink(path);
}

static int make_tmpdir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "%s/test_names.XXXXXX", PIISCAN_TEST_BUILD_DIR);
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    static const char *const files[] = {"given_names.txt", "surnames.txt", "names_supplement.txt",
                                        "not_names.txt"};
    (void)state;
    for (size_t i = 0; i < 4; i++)
        remove_file(files[i]);
    rmdir(tmpdir);
    return 0;
}

static piiscan_status load_tmp(piiscan_diag *diag)
{
    struct ps_names *n = NULL;
    piiscan_status rc = ps_names_load(tmpdir, &n, diag);

    if (rc == PIISCAN_OK)
        assert_non_null(n);
    else
        assert_null(n);
    ps_names_free(n);
    return rc;
}

static void test_hostile(void **state)
{
    char line[400];
    char path[1024];
    piiscan_diag diag;
    struct ps_names *n = NULL;
    int fd;

    (void)state;
    /* Minimal valid directory: optional files absent. */
    write_file("given_names.txt", S("# c\namy\n\n  john \r\n"));
    write_file("surnames.txt", S("pascal\n"));
    assert_int_equal(ps_names_load(tmpdir, &n, &diag), PIISCAN_OK);
    assert_true(ps_names_is_given(n, S("John")));
    assert_int_equal(ps_names_rank(n, PS_NAMES_GIVEN, S("john")), 2);
    assert_false(ps_names_is_stopword(n, S("Sony")));
    ps_names_free(n);
    ps_names_free(NULL);

    /* A line over PS_NAMES_MAX_LINE_BYTES. */
    memset(line, 'a', sizeof(line));
    line[0] = 'b';
    line[1] = '\n';
    write_file("given_names.txt", line, sizeof(line));
    assert_int_equal(load_tmp(&diag), PIISCAN_ERULES);
    assert_int_equal(diag.line, 2);
    assert_non_null(strstr(diag.message, "longer than"));
    assert_non_null(strstr(diag.file, "given_names.txt"));

    /* Invalid UTF-8, NUL bytes. */
    write_file("given_names.txt", S("amy\nbad\xC3(\n"));
    assert_int_equal(load_tmp(&diag), PIISCAN_ERULES);
    assert_int_equal(diag.line, 2);
    write_file("given_names.txt", "amy\0x\n", 6);
    assert_int_equal(load_tmp(&diag), PIISCAN_ERULES);
    write_file("given_names.txt", S("amy\n"));

    /* Sections: unknown, missing, or in a plain list. */
    write_file("not_names.txt", S("[place]\nParis\n[weapons]\nx\n"));
    assert_int_equal(load_tmp(&diag), PIISCAN_ERULES);
    assert_int_equal(diag.line, 3);
    write_file("not_names.txt", S("Paris\n"));
    assert_int_equal(load_tmp(&diag), PIISCAN_ERULES);
    write_file("not_names.txt", S("[place]\n...\n"));
    assert_int_equal(load_tmp(&diag), PIISCAN_ERULES); /* folds to nothing */
    remove_file("not_names.txt");
    write_file("surnames.txt", S("[surname]\npascal\n"));
    assert_int_equal(load_tmp(&diag), PIISCAN_ERULES);

    /* Required file missing. */
    remove_file("surnames.txt");
    assert_int_equal(load_tmp(&diag), PIISCAN_EIO);
    assert_non_null(strstr(diag.file, "surnames.txt"));

    /* A FIFO must not hang the load; a directory is not a list either. */
    snprintf(path, sizeof(path), "%s/surnames.txt", tmpdir);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(load_tmp(&diag), PIISCAN_EIO);
    assert_non_null(strstr(diag.message, "regular"));
    unlink(path);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(load_tmp(&diag), PIISCAN_EIO);
    rmdir(path);

    /* Larger than PS_NAMES_MAX_FILE_BYTES (sparse, nothing is read). */
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)PS_NAMES_MAX_FILE_BYTES + 1), 0);
    close(fd);
    assert_int_equal(load_tmp(&diag), PIISCAN_ERULES);
    assert_non_null(strstr(diag.message, "larger than"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),    cmocka_unit_test(test_fold),
        cmocka_unit_test(test_given),     cmocka_unit_test(test_surname),
        cmocka_unit_test(test_stopwords), cmocka_unit_test(test_classes),
        cmocka_unit_test(test_rank),
    };
    const struct CMUnitTest hostile[] = {
        cmocka_unit_test_setup_teardown(test_hostile, make_tmpdir, remove_tmpdir),
    };
    int failed = cmocka_run_group_tests(tests, load_names, free_names);

    return failed + cmocka_run_group_tests(hostile, NULL, NULL);
}
