/* test_sniff.c - content sniffing: libmagic + BOM + BOM-less UTF-16. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "sniff/sniff.h"

static struct ps_sniffer *sn;

static int setup(void **state)
{
    (void)state;
    return ps_sniffer_new(&sn) == PIISCAN_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ps_sniffer_free(sn);
    return 0;
}

static void sniff(const char *head, size_t n, struct ps_kind *k)
{
    ps_sniff(sn, head, n, "leaf.bin", k);
    assert_string_equal(k->name, "leaf.bin");
}

static void test_ascii_and_csv(void **state)
{
    struct ps_kind k;
    (void)state;
    static const char txt[] = "Employee memo: salary review for next year.\n";
    sniff(txt, sizeof(txt) - 1, &k);
    assert_string_equal(k.mime, "text/plain");
    assert_string_equal(k.charset, "us-ascii");
    assert_true(k.is_text);
    assert_false(k.has_bom);
    static const char csv[] =
        "name,ssn,dob\nAmy,123-45-6789,1967-04-12\nBob,987-65-4321,1970-01-02\n";
    sniff(csv, sizeof(csv) - 1, &k);
    assert_string_equal(k.mime, "text/csv");
    assert_true(k.is_text);
    static const char json[] = "{\"name\": \"Amy\", \"ssn\": \"123-45-6789\"}\n";
    sniff(json, sizeof(json) - 1, &k);
    assert_string_equal(k.mime, "application/json");
    assert_true(k.is_text);
}

static void test_boms(void **state)
{
    struct ps_kind k;
    (void)state;
    static const char le[] = "\xff\xfeh\0i\0 \0t\0h\0e\0r\0e\0\n\0";
    sniff(le, sizeof(le) - 1, &k);
    assert_string_equal(k.charset, "utf-16le");
    assert_true(k.has_bom);
    assert_true(k.is_text);
    static const char be[] = "\xfe\xff\0h\0i\0 \0t\0h\0e\0r\0e\0\n";
    sniff(be, sizeof(be) - 1, &k);
    assert_string_equal(k.charset, "utf-16be");
    assert_true(k.has_bom);
    assert_true(k.is_text);
    static const char u8[] = "\xef\xbb\xbfname;city\nJos\xc3\xa9;M\xc3\xa1laga\n";
    sniff(u8, sizeof(u8) - 1, &k);
    assert_string_equal(k.charset, "utf-8");
    assert_true(k.has_bom);
    assert_true(k.is_text);
}

static void test_utf16_without_bom(void **state)
{
    struct ps_kind k;
    char le[200];
    char be[200];
    static const char txt[] = "Name: Amy Pascal, DOB 1967-04-12, salary 3000000\n";
    size_t n = strlen(txt);
    (void)state;
    for (size_t i = 0; i < n; i++) {
        le[2 * i] = txt[i];
        le[2 * i + 1] = 0;
        be[2 * i] = 0;
        be[2 * i + 1] = txt[i];
    }
    sniff(le, 2 * n, &k);
    assert_string_equal(k.charset, "utf-16le");
    assert_string_equal(k.mime, "text/plain");
    assert_false(k.has_bom);
    assert_true(k.is_text);
    sniff(be, 2 * n, &k);
    assert_string_equal(k.charset, "utf-16be");
    assert_true(k.is_text);
}

static void test_8bit(void **state)
{
    struct ps_kind k;
    (void)state;
    static const char l1[] = "Caf\xe9 au lait, cr\xe8me br\xfbl\xe9"
                             "e, na\xefve r\xe9sum\xe9\n";
    sniff(l1, sizeof(l1) - 1, &k);
    assert_string_equal(k.charset, "iso-8859-1");
    assert_true(k.is_text);
    static const char w[] = "Price \x80 5, \x93quoted\x94 text here\n";
    sniff(w, sizeof(w) - 1, &k);
    assert_string_equal(k.charset, "windows-1252");
    assert_true(k.is_text);
    static const char u8[] = "Jos\xc3\xa9 M\xc3\xa1laga \xe2\x82\xac 12\n";
    sniff(u8, sizeof(u8) - 1, &k);
    assert_string_equal(k.charset, "utf-8");
    assert_true(k.is_text);
}

static void test_binary_and_archives(void **state)
{
    struct ps_kind k;
    (void)state;
    /* gzip of "hello world\n" */
    static const unsigned char gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
                                       0x00, 0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x57,
                                       0x28, 0xcf, 0x2f, 0xca, 0x49, 0xe1, 0x02, 0x00,
                                       0x2d, 0x3b, 0x08, 0xaf, 0x0c, 0x00, 0x00, 0x00};
    sniff((const char *)gz, sizeof(gz), &k);
    assert_string_equal(k.mime, "application/gzip");
    assert_string_equal(k.charset, "binary");
    assert_false(k.is_text);
    static const char zip[] = "PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
    sniff(zip, sizeof(zip) - 1, &k);
    assert_string_equal(k.mime, "application/zip");
    assert_false(k.is_text);
    unsigned char bin[256];
    for (int i = 0; i < 256; i++)
        bin[i] = (unsigned char)(i * 37 + 11);
    sniff((const char *)bin, sizeof(bin), &k);
    assert_string_equal(k.charset, "binary");
    assert_false(k.is_text);
    /* NULs on both sides of pairs: not UTF-16 */
    static const char zeros[64] = {0};
    sniff(zeros, sizeof(zeros), &k);
    assert_false(k.is_text);
}

static void test_empty(void **state)
{
    struct ps_kind k;
    (void)state;
    sniff("", 0, &k);
    assert_string_equal(k.mime, "application/x-empty");
    assert_true(k.is_text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_and_csv),       cmocka_unit_test(test_boms),
        cmocka_unit_test(test_utf16_without_bom),   cmocka_unit_test(test_8bit),
        cmocka_unit_test(test_binary_and_archives), cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
