/* test_markup.c - HTML (libxml2) and XML (expat) into prose blocks and records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "extract/markup.h"
#include "helpers_recsink.h"

static void test_html_prose_and_table(void **state)
{
    static const char html[] =
        "<!DOCTYPE html><html><head><title>Payroll</title>\n"
        "<style>p { color: red } /* 123-45-6780 */</style>\n"
        "<script>var ssn = '219-09-9999';</script></head>\n"
        "<body><p>Dear team,<br>Amy Pascal&#39;s SSN is 123&#x2D;45-6780.</p>\n"
        "<table>\n"
        "<tr><th>Employee Name</th><th>SSN</th><th>DOB</th></tr>\n"
        "<tr><td>Amy Pascal</td><td>123-45-6780</td><td>04/12/1967</td></tr>\n"
        "<tr><td><b>Ben</b> Stone</td><td></td><td>03/05/1971</td></tr>\n"
        "</table><div>Regards &amp; thanks</div></body></html>\n";
    static const char want[] =
        "T 1 1 Payroll\n"
        "T 4 2 Dear team,\n"
        "T 4 3 Amy Pascal's SSN is 123-45-6780.\n"
        "R 7 4 Employee Name=Amy Pascal | SSN=123-45-6780 | DOB=04/12/1967\n"
        "R 8 5 Employee Name=Ben Stone | DOB=03/05/1971\n"
        "T 9 6 Regards & thanks\n";
    struct ps_recsink sink;
    struct collect c;

    (void)state;
    collect_init(&c, &sink);
    assert_int_equal(ps_html_parse(html, strlen(html), &sink), PIISCAN_OK);
    assert_string_equal(c.out, want);
}

static void test_html_table_without_th(void **state)
{
    static const char html[] = "<table><tr><td>Name</td><td>Phone</td></tr>"
                               "<tr><td>Amy Pascal</td><td>(310) 555-0143</td></tr></table>"
                               "<table><tr><td>Q1</td><td>$85,000</td></tr></table>";
    static const char want[] = "R 1 1 Name=Amy Pascal | Phone=(310) 555-0143\n"
                               "R 1 2 -=Q1 | -=$85,000\n";
    struct ps_recsink sink;
    struct collect c;

    (void)state;
    collect_init(&c, &sink);
    assert_int_equal(ps_html_parse(html, strlen(html), &sink), PIISCAN_OK);
    assert_string_equal(c.out, want);
}

static void test_xml_records(void **state)
{
    static const char xml[] =
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
        "<employees dept=\"Finance\">\n"
        "  <employee id=\"7\">\n"
        "    <name>Jos\xe9 Mu\xf1oz</name>\n"
        "    <ssn>123-45-6780</ssn>\n"
        "    <dob>1967-04-12</dob>\n"
        "  </employee>\n"
        "  <employee><name>Ben Stone</name><email>ben@example.com</email></employee>\n"
        "  <note>Contact <b>HR</b> for the rest.</note>\n"
        "</employees>\n";
    static const char want[] =
        "T 2 1 dept: Finance\n"
        "T 3 2 id: 7\n"
        "R 3 3 name=Jos\xc3\xa9 Mu\xc3\xb1oz | ssn=123-45-6780 | dob=1967-04-12\n"
        "R 8 4 name=Ben Stone | email=ben@example.com\n"
        "R 9 5 b=HR\n"
        "T 9 6 Contact  for the rest.\n";
    struct ps_recsink sink;
    struct collect c;

    (void)state;
    collect_init(&c, &sink);
    assert_int_equal(ps_xml_parse(xml, strlen(xml), &sink), PIISCAN_OK);
    assert_string_equal(c.out, want);
}

static void test_xml_malformed_keeps_readable(void **state)
{
    static const char xml[] = "<r><employee><name>Amy Pascal</name><ssn>123-45-6780</ssn>"
                              "</employee>\n<employee><name>Ben</nam></employee></r>";
    static const char want[] =
        "R 1 1 name=Amy Pascal | ssn=123-45-6780\n"
        "W 5 malformed XML at line 2: mismatched tag; the part before was scanned\n"
        "T 2 2 Ben\n";
    struct ps_recsink sink;
    struct collect c;

    (void)state;
    collect_init(&c, &sink);
    assert_int_equal(ps_xml_parse(xml, strlen(xml), &sink), PIISCAN_OK);
    assert_string_equal(c.out, want);
}

static void test_xml_billion_laughs_refused(void **state)
{
    static const char xml[] =
        "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\">"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
        "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
        "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">"
        "<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\"><!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">"
        "]><l>&i;</l>";
    struct ps_recsink sink;
    struct collect c;

    (void)state;
    collect_init(&c, &sink);
    assert_int_equal(ps_xml_parse(xml, strlen(xml), &sink), PIISCAN_OK);
    assert_string_equal(c.last_warn, "W 5 malformed XML at line 1: limit on input amplification "
                                     "factor (from DTD and entities) breached; the part before "
                                     "was scanned");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_prose_and_table),
        cmocka_unit_test(test_html_table_without_th),
        cmocka_unit_test(test_xml_records),
        cmocka_unit_test(test_xml_malformed_keeps_readable),
        cmocka_unit_test(test_xml_billion_laughs_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
