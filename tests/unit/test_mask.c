/* test_mask.c - report/mask.c: per-category masking, context masking, cleaning. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "report/mask.h"
#include "report/store.h"

static void expect_mask(piiscan_category cat, const char *in, const char *want)
{
    char out[256];
    size_t n = ps_mask_value(cat, in, strlen(in), out, sizeof out);

    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
}

static void test_value_identifiers(void **state)
{
    (void)state;
    expect_mask(PIISCAN_CAT_SSN, "123-45-6789", "***-**-6789");
    expect_mask(PIISCAN_CAT_SSN, "123456789", "*****6789");
    expect_mask(PIISCAN_CAT_SSN, "123 45 6789", "*** ** 6789");
    expect_mask(PIISCAN_CAT_ITIN, "912-70-1234", "***-**-1234");
    expect_mask(PIISCAN_CAT_CREDIT_CARD, "4111-1111-1111-1111", "****-****-****-1111");
    expect_mask(PIISCAN_CAT_CREDIT_CARD, "4111111111111111", "************1111");
    expect_mask(PIISCAN_CAT_PHONE, "(310) 555-0143", "(***) ***-0143");
    expect_mask(PIISCAN_CAT_PHONE, "+1 310 555 0143", "+* *** *** 0143");
    /* Fewer digits than kept: nothing to hide but nothing invented either. */
    expect_mask(PIISCAN_CAT_SSN, "12", "12");
}

static void test_value_contact(void **state)
{
    (void)state;
    expect_mask(PIISCAN_CAT_EMAIL, "jane.doe@example.com", "j***@example.com");
    expect_mask(PIISCAN_CAT_EMAIL, "j@example.com", "j***@example.com");
    /* The first character of the local part is kept whole, even when multi-byte. */
    expect_mask(PIISCAN_CAT_EMAIL, "\xc3\xa9mile@example.fr", "\xc3\xa9***@example.fr");
    /* Not an address at all: fallback keeps the last two characters. */
    expect_mask(PIISCAN_CAT_EMAIL, "@nolocal", "******al");
    expect_mask(PIISCAN_CAT_NAME, "Amy Pascal", "A** P*****");
    expect_mask(PIISCAN_CAT_NAME, "O'Brien, Mary-Kate", "O'B****, M***-K***");
    /* One star per character, not per byte. */
    expect_mask(PIISCAN_CAT_NAME, "Zo\xc3\xab \xc3\x89lise", "Z** \xc3\x89****");
    expect_mask(PIISCAN_CAT_ADDRESS, "10 Main St", "********St");
}

static void test_value_attributes(void **state)
{
    (void)state;
    expect_mask(PIISCAN_CAT_DOB, "04/12/1967", "**/**/1967");
    expect_mask(PIISCAN_CAT_DOB, "1967-04-12", "1967-**-**");
    expect_mask(PIISCAN_CAT_DOB, "April 12, 1967", "***** **, 1967");
    expect_mask(PIISCAN_CAT_DOB, "04/12/67", "**/**/67");
    expect_mask(PIISCAN_CAT_DOB, "19670412", "********");
    expect_mask(PIISCAN_CAT_SALARY, "$3,000,000", "$*******");
    expect_mask(PIISCAN_CAT_SALARY, "$45", "$*******");
    expect_mask(PIISCAN_CAT_SALARY, "125000.00", "*******");
    expect_mask(PIISCAN_CAT_SALARY, "USD 90,000", "USD *******");
    expect_mask(PIISCAN_CAT_PASSPORT, "X12345678", "*******78");
    expect_mask(PIISCAN_CAT_COUNT, "secret", "****et");
}

static void test_value_cap(void **state)
{
    char out[6];

    (void)state;
    /* Cut at the cap, always NUL-terminated, never half a character. */
    assert_int_equal(ps_mask_value(PIISCAN_CAT_SSN, "123-45-6789", 11, out, sizeof out), 5);
    assert_string_equal(out, "***-*");
    assert_int_equal(ps_mask_value(PIISCAN_CAT_NAME, "\xc3\x89\xc3\x89\xc3\x89", 6, out, 2), 0);
    assert_string_equal(out, "");
    assert_int_equal(ps_mask_value(PIISCAN_CAT_SSN, "1", 1, out, 0), 0);
}

static void test_context_spans(void **state)
{
    const char *ctx = "SSN 123-45-6789 mail amy@sony.com acct 12345678 ref 12345";
    struct ps_mask_span sp[2] = {
        {21, 12, PIISCAN_CAT_EMAIL}, /* unsorted on purpose */
        {4, 11, PIISCAN_CAT_SSN},
    };
    char out[256];

    (void)state;
    ps_mask_context(ctx, strlen(ctx), sp, 2, out, sizeof out);
    /* 8-digit account number: caught by the 6+ digit safety net; 5 digits stay. */
    assert_string_equal(out, "SSN ***-**-6789 mail a***@sony.com acct ******** ref 12345");
}

static void test_context_safety_net(void **state)
{
    const char *ctx = "DOB 04/12/1967, call (310) 555-0143, card 4539 1488 0343 6467, "
                      "pay $128,500; ref 12-34, v1.2.3, room 101 202";
    char out[256];

    (void)state;
    /* No spans: every digit group run of 6+ digits is starred, separators kept;
     * short runs (4 digits, a version, two 3-digit numbers) stay. */
    ps_mask_context(ctx, strlen(ctx), NULL, 0, out, sizeof out);
    assert_string_equal(out, "DOB **/**/****, call (***) ***-****, card **** **** **** ****, "
                             "pay $***,***; ref 12-34, v1.2.3, room *** ***");
}

static void test_context_overlap_and_clip(void **state)
{
    const char *ctx = "x 123-45-6789";
    struct ps_mask_span sp[3] = {
        {2, 11, PIISCAN_CAT_SSN},
        {6, 3, PIISCAN_CAT_NAME},    /* inside the first: merged away */
        {10, 50, PIISCAN_CAT_PHONE}, /* runs past the end: clipped */
    };
    char out[64];

    (void)state;
    ps_mask_context(ctx, strlen(ctx), sp, 3, out, sizeof out);
    assert_string_equal(out, "x ***-**-6789");
}

static void test_clean(void **state)
{
    char out[64];
    const char *s = "a\tb\nc\x1b[31md\x7f"
                    "e\xc2\x85"
                    "f\xe2\x80\xae"
                    "g\xff"
                    "h\xc3\xa9";

    (void)state;
    ps_mask_clean(s, strlen(s), PS_CLEAN_FIELD, out, sizeof out);
    assert_string_equal(out, "a?b?c?[31md?e?f?g?h\xc3\xa9");
    ps_mask_clean(s, strlen(s), PS_CLEAN_CONTEXT, out, sizeof out);
    assert_string_equal(out, "a b c?[31md?e?f?g?h\xc3\xa9");
    /* Overlong encoding of '/' and a lone surrogate are invalid: replaced per byte. */
    ps_mask_clean("\xc0\xaf\xed\xa0\x80", 5, PS_CLEAN_FIELD, out, sizeof out);
    assert_string_equal(out, "?????");
}

/* A finding as the store would hold it (only what masking reads). */
static struct ps_rfinding mk(piiscan_category cat, const char *value, uint64_t offset,
                             const char *context, size_t vic, size_t group)
{
    struct ps_rfinding f;

    memset(&f, 0, sizeof f);
    f.category = cat;
    f.value = value;
    f.value_len = strlen(value);
    f.offset = offset;
    f.context = context;
    f.context_len = strlen(context);
    f.value_in_context = vic;
    f.group = group;
    f.line = 1;
    return f;
}

static void test_finding_context_neighbours(void **state)
{
    /* Stream: "Amy Pascal 123-45-6789 born 04/12/1967" at offset 100. */
    const char *ctx = "Amy Pascal 123-45-6789 born 04/12/1967";
    struct ps_rfinding all[4];
    char out[256];

    (void)state;
    all[0] = mk(PIISCAN_CAT_NAME, "Amy Pascal", 100, ctx, 0, 1);
    all[1] = mk(PIISCAN_CAT_SSN, "123-45-6789", 111, ctx, 11, 1);
    all[2] = mk(PIISCAN_CAT_DOB, "04/12/1967", 128, ctx, 28, 1);
    /* Same value in another member: must not be used to mask this context. */
    all[3] = mk(PIISCAN_CAT_NAME, "born", 123, "born", 0, 2);
    ps_mask_finding_context(all, 4, 1, false, out, sizeof out);
    assert_string_equal(out, "A** P***** ***-**-6789 born **/**/1967");
    ps_mask_finding_context(all, 4, 1, true, out, sizeof out);
    assert_string_equal(out, ctx);
    ps_mask_finding_value(&all[1], false, out, sizeof out);
    assert_string_equal(out, "***-**-6789");
    ps_mask_finding_value(&all[1], true, out, sizeof out);
    assert_string_equal(out, "123-45-6789");
}

static void test_finding_context_fallback_search(void **state)
{
    /* A table row: the context is rebuilt, offsets do not map; the value is searched. */
    const char *ctx = "SSN=123-45-6789\nDOB=04/12/1967";
    struct ps_rfinding all[2];
    char out[256];

    (void)state;
    all[0] = mk(PIISCAN_CAT_SSN, "123-45-6789", 5000, ctx, 999, 1);
    all[1] = mk(PIISCAN_CAT_DOB, "04/12/1967", 9000, ctx, 999, 1);
    ps_mask_finding_context(all, 2, 0, false, out, sizeof out);
    assert_string_equal(out, "SSN=***-**-6789 DOB=**/**/1967");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_value_identifiers),
        cmocka_unit_test(test_value_contact),
        cmocka_unit_test(test_value_attributes),
        cmocka_unit_test(test_value_cap),
        cmocka_unit_test(test_context_spans),
        cmocka_unit_test(test_context_safety_net),
        cmocka_unit_test(test_context_overlap_and_clip),
        cmocka_unit_test(test_clean),
        cmocka_unit_test(test_finding_context_neighbours),
        cmocka_unit_test(test_finding_context_fallback_search),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
