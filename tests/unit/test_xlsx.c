/* test_xlsx.c - the xlsx parser on workbooks written by openpyxl, on a workbook
 * assembled part by part (shared strings, rich text, inline strings, 1904 dates,
 * custom formats), on damaged files (sheet XML cut mid-element, zip truncated
 * inside a member, not a zip at all) and on hostile parts built here (deep
 * nesting, entity declarations, bounds). Every test compares the exact rows,
 * headers, references and warnings the parser hands to its sink.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../gen/office/office_record.h"
#include "extract/office.h"
#include "extract/xlsx.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void parse_fixture(const char *name, const struct ps_office_limits *lim, struct rec *r,
                          piiscan_status want_rc)
{
    struct ps_office_sink sink;
    struct ps_office_limits def;
    size_t len;
    char *buf = rec_fixture(name, &len);
    struct rec keep;

    if (lim == NULL) {
        ps_office_limits_init(&def, NULL);
        lim = &def;
    }
    keep = *r;
    rec_init(r, &sink);
    r->abort_after = keep.abort_after;
    assert_int_equal(ps_xlsx_parse(buf, len, lim, &sink), want_rc);
    free(buf);
}

static const char *const hr_rows[] = {
    "Employees:1: A1=Employee Name | B1=SSN | C1=DOB | D1=Salary",
    "Employees:2: A2[Employee Name]=Maria Garcia | B2[SSN]=536-22-8153 | C2[DOB]=1967-04-12 | "
    "D2[Salary]=85000",
    "Employees:3: A3[Employee Name]=James Whitfield | B3[SSN]=412-67-3390 | C3[DOB]=1982-11-03 | "
    "D3[Salary]=123500.5",
    "Employees:4: A4[Employee Name]=Linda Okafor | B4[SSN]=287-14-5562 | C4[DOB]=1975-02-28 | "
    "D4[Salary]=67250",
    "Employees:5: A5[Employee Name]=Robert Chen | B5[SSN]=601-38-7244 | C5[DOB]=1990-07-19 | "
    "D5[Salary]=240000",
    "Employees:8: A8[Employee Name]=Temp Contractor | D8[Salary]=100234",
    "Contacts:1: A1=Name | B1=Email | C1=Phone | D1=Hire Date",
    "Contacts:2: A2[Name]=Maria Garcia | B2[Email]=mgarcia@example.com | C2[Phone]=(212) 555-0147 "
    "| D2[Hire Date]=2009-03-02",
    "Contacts:3: A3[Name]=Robert Chen | B3[Email]=rchen@example.com | C3[Phone]=310-555-0199 | "
    "D3[Hire Date]=2014-08-25",
};

/* openpyxl: inline strings, date-styled DOB column, a sparse row, a second sheet. */
static void test_openpyxl_workbook(void **state)
{
    struct rec r = {0};

    (void)state;
    parse_fixture("hr.xlsx", NULL, &r, PIISCAN_OK);
    rec_expect(&r, hr_rows, N(hr_rows));
    rec_free(&r);
}

/* Shared strings with rich runs and a phonetic run, _x000D_ escapes, a title row
 * above the header, a 1904 workbook, custom date / not-date / elapsed-time formats,
 * booleans, errors, formula strings, cells and rows without r=. */
static void test_hand_assembled_workbook(void **state)
{
    static const char *const want[] = {
        "Payroll & Benefits:1: A1=Quarterly payroll",
        "Payroll & Benefits:3: A3=Full Name | B3=SSN | C3=Birth Date | D3=Bonus Days | E3=Active "
        "| F3=Note",
        "Payroll & Benefits:4: A4[Full Name]=Amy Pascal | B4[SSN]=536-22-8153 | "
        "C4[Birth Date]=1967-04-12 | D4[Bonus Days]=12.5 | E4[Active]=TRUE | "
        "F4[Note]=line one\r\nline two",
        "Payroll & Benefits:5: A5[Full Name]=Mark Doe | C5[Birth Date]=1904-01-01 | "
        "D5[Bonus Days]=1.75 | E5[Active]=#N/A | F5[Note]=1967-04-12 12:00:00 | G5=42",
        "Payroll & Benefits:6: A6[Full Name]=No Refs | B6[SSN]=7",
    };
    struct rec r = {0};

    (void)state;
    parse_fixture("hand.xlsx", NULL, &r, PIISCAN_OK);
    rec_expect(&r, want, N(want));
    assert_false(rec_has(&r, "PHONETIC")); /* decoy: the phonetic guide is not cell text */
    rec_free(&r);
}

static void test_mac_1904_dates(void **state)
{
    static const char *const want[] = {
        "Mac:1: A1=Name | B1=Birth Date",
        "Mac:2: A2[Name]=Maria Garcia | B2[Birth Date]=1967-04-12",
    };
    struct rec r = {0};

    (void)state;
    parse_fixture("mac1904.xlsx", NULL, &r, PIISCAN_OK);
    rec_expect(&r, want, N(want));
    rec_free(&r);
}

/* The sheet XML ends in the middle of B4: rows 1-3 and A4 are handed out, then a
 * warning with expat's reason; the second sheet is read as usual. */
static void test_sheet_cut_mid_element(void **state)
{
    static const char *const want[] = {
        "Employees:1: A1=Employee Name | B1=SSN | C1=DOB | D1=Salary",
        "Employees:2: A2[Employee Name]=Maria Garcia | B2[SSN]=536-22-8153 | C2[DOB]=1967-04-12 "
        "| D2[Salary]=85000",
        "Employees:3: A3[Employee Name]=James Whitfield | B3[SSN]=412-67-3390 | "
        "C3[DOB]=1982-11-03 | D3[Salary]=123500.5",
        "Employees:4: A4[Employee Name]=Linda Okafor",
        "W Employees ECORRUPT: sheet read only in part (XML error at line 1: *",
        "Contacts:1: A1=Name | B1=Email | C1=Phone | D1=Hire Date",
        "Contacts:2: A2[Name]=Maria Garcia | B2[Email]=mgarcia@example.com | "
        "C2[Phone]=(212) 555-0147 | D2[Hire Date]=2009-03-02",
        "Contacts:3: A3[Name]=Robert Chen | B3[Email]=rchen@example.com | C3[Phone]=310-555-0199 "
        "| D3[Hire Date]=2014-08-25",
    };
    struct rec r = {0};

    (void)state;
    parse_fixture("cut_sheet.xlsx", NULL, &r, PIISCAN_OK);
    rec_expect(&r, want, N(want));
    assert_true(rec_has(&r, "4 rows before the damage were scanned"));
    rec_free(&r);
}

/* The zip ends inside the (stored, last) sheet member: no central directory. The
 * listing stops at the cut, the sheet delivers what it had, with warnings. */
static void test_truncated_zip(void **state)
{
    static const char *const want[] = {
        "Contacts:1: A1=Name | B1=Email | C1=Phone | D1=Hire Date",
        "Contacts:2: A2[Name]=Maria Garcia | B2[Email]=mgarcia@example.com | "
        "C2[Phone]=(212) 555-0147 | D2[Hire Date]=2009-03-02",
        "Contacts:3: A3[Name]=Robert Chen | B3[Email]=rchen@example.com | C3[Phone]=310-555-0199 "
        "| D3[Hire Date]=2014-08-25",
        "Employees:1: A1=Employee Name | B1=SSN | C1=DOB | D1=Salary",
        "Employees:2: A2[Employee Name]=Maria Garcia | B2[SSN]=536-22-8153 | C2[DOB]=1967-04-12 "
        "| D2[Salary]=85000",
        "Employees:3: A3[Employee Name]=James Whitfield | B3[SSN]=412-67-3390 | "
        "C3[DOB]=1982-11-03 | D3[Salary]=123500.5",
        "Employees:4: A4[Employee Name]=Linda Okafor",
        "W Employees ECORRUPT: sheet read only in part (Truncated ZIP file data); 4 rows *",
        "W - ECORRUPT: damaged zip package (Truncated input file (needed 1585 bytes, only 1044 "
        "available)): only the parts before the damage were read",
    };
    struct rec r = {0};

    (void)state;
    parse_fixture("truncated.xlsx", NULL, &r, PIISCAN_OK);
    rec_expect(&r, want, N(want));
    rec_free(&r);
}

static void test_not_a_zip(void **state)
{
    static const char *const want[] = {"W - ECORRUPT: not a readable workbook: *"};
    struct rec r = {0};
    struct ps_office_sink sink;
    struct ps_office_limits lim;

    (void)state;
    parse_fixture("garbage.xlsx", NULL, &r, PIISCAN_OK);
    rec_expect(&r, want, N(want));
    rec_free(&r);
    /* and the empty buffer */
    ps_office_limits_init(&lim, NULL);
    rec_init(&r, &sink);
    assert_int_equal(ps_xlsx_parse("", 0, &lim, &sink), PIISCAN_OK);
    rec_expect(&r, want, N(want));
    rec_free(&r);
}

/* A sink that stops the scan: the parser stops at once and passes EABORTED up. */
static void test_abort_propagates(void **state)
{
    struct rec r = {0};

    (void)state;
    r.abort_after = 2;
    parse_fixture("hr.xlsx", NULL, &r, PIISCAN_EABORTED);
    assert_int_equal(r.n, 2);
    rec_free(&r);
}

/* Bounds: cells per row, bytes per cell, shared strings count. */
static void test_bounds(void **state)
{
    static const char *const cells2[] = {
        "W Employees ELIMIT: rows cut at 2 cells",
        "Employees:1: A1=Employee Name | B1=SSN",
        "Employees:2: A2[Employee Name]=Maria Garcia | B2[SSN]=536-22-8153",
    };
    static const char *const strings2[] = {
        "W - ELIMIT: shared strings read only in part (too many shared strings; the rest not "
        "read): 2 strings available",
        "Payroll & Benefits:1: A1=Quarterly payroll",
        "Payroll & Benefits:3: A3=Full Name | B3=SSN | C3=Birth Date | D3=Bonus Days | E3=Active "
        "| F3=Note",
        "Payroll & Benefits:4: B4[SSN]=536-22-8153 | C4[Birth Date]=1967-04-12 | "
        "D4[Bonus Days]=12.5 | E4[Active]=TRUE",
        "Payroll & Benefits:5: A5[Full Name]=Mark Doe | C5[Birth Date]=1904-01-01 | "
        "D5[Bonus Days]=1.75 | E5[Active]=#N/A | F5[Note]=1967-04-12 12:00:00 | G5=42",
        "Payroll & Benefits:6: A6[Full Name]=No Refs | B6[SSN]=7",
        "W Payroll & Benefits ECORRUPT: 2 cells refer to shared strings that could not be read",
    };
    struct ps_office_limits lim;
    struct rec r = {0};

    (void)state;
    ps_office_limits_init(&lim, NULL);
    lim.max_cells = 2;
    r.abort_after = N(cells2);
    parse_fixture("hr.xlsx", &lim, &r, PIISCAN_EABORTED);
    rec_expect(&r, cells2, N(cells2));
    rec_free(&r);

    ps_office_limits_init(&lim, NULL);
    lim.max_strings = 2;
    r.abort_after = 0;
    parse_fixture("hand.xlsx", &lim, &r, PIISCAN_OK);
    rec_expect(&r, strings2, N(strings2));
    rec_free(&r);

    ps_office_limits_init(&lim, NULL);
    lim.max_cell_bytes = 5;
    r.abort_after = 3;
    parse_fixture("hr.xlsx", &lim, &r, PIISCAN_EABORTED);
    {
        static const char *const want[] = {
            "W Employees ELIMIT: cells cut at 5 bytes",
            "Employees:1: A1=Emplo | B1=SSN | C1=DOB | D1=Salar",
            "Employees:2: A2[Emplo]=Maria | B2[SSN]=536-2 | C2[DOB]=1967- | D2[Salar]=85000",
        };
        rec_expect(&r, want, N(want));
    }
    rec_free(&r);
}

/* ---- hostile packages built here ---- */

#define SML "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define WB                                                                                         \
    "<workbook " SML " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"           \
    "relationships\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
#define WB_RELS                                                                                    \
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"       \
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"      \
    "relationships/worksheet\" Target=\"worksheets/s.xml\"/></Relationships>"

static void parse_sheet(const char *sheet_xml, struct rec *r)
{
    struct rec_part parts[] = {{"xl/workbook.xml", WB},
                               {"xl/_rels/workbook.xml.rels", WB_RELS},
                               {"xl/worksheets/s.xml", sheet_xml}};
    struct ps_office_limits lim;
    struct ps_office_sink sink;
    size_t len = 0;
    char *buf = rec_zip(parts, N(parts), &len);

    ps_office_limits_init(&lim, NULL);
    rec_init(r, &sink);
    assert_int_equal(ps_xlsx_parse(buf, len, &lim, &sink), PIISCAN_OK);
    free(buf);
}

static void test_hostile_sheets(void **state)
{
    struct rec r = {0};
    char *deep;
    size_t k = 0;

    (void)state;
    /* entity declarations are refused before any expansion */
    parse_sheet("<!DOCTYPE w [<!ENTITY a \"536-22-8153\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
                "<worksheet " SML "><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>&b;</t>"
                "</is></c></row></sheetData></worksheet>",
                &r);
    {
        static const char *const want[] = {
            "W S ECORRUPT: sheet read only in part (XML entity declarations refused); 0 rows *"};
        rec_expect(&r, want, N(want));
    }
    rec_free(&r);

    /* nesting past PS_MAX_NESTING: one warning, rows before it kept */
    deep = malloc(20000);
    assert_non_null(deep);
    k += (size_t)snprintf(deep, 20000,
                          "<worksheet " SML "><sheetData><row r=\"2\"><c t=\"str\">"
                          "<v>Ann Lee</v></c><c t=\"str\"><v>x</v></c></row>");
    for (int i = 0; i < 300; i++)
        k += (size_t)snprintf(deep + k, 20000 - k, "<x>");
    snprintf(deep + k, 20000 - k, "</sheetData></worksheet>");
    parse_sheet(deep, &r);
    {
        static const char *const want[] = {
            "S:2: A2=Ann Lee | B2=x",
            "W S ELIMIT: sheet read only in part (XML nested deeper than 256 elements); 1 rows *"};
        rec_expect(&r, want, N(want));
    }
    rec_free(&r);
    free(deep);

    /* hostile references and indexes: huge row numbers, shared string out of range,
     * a column past XFD (and the cell after it), garbage style and type */
    parse_sheet("<worksheet " SML "><sheetData><row r=\"99999999999999\"><c r=\"A1\" t=\"s\">"
                "<v>12</v></c><c r=\"ZZZZ1\" t=\"str\"><v>far</v></c><c r=\"XFE1\" t=\"str\">"
                "<v>past</v></c><c s=\"99\" t=\"weird\"><v>v</v></c></row></sheetData></worksheet>",
                &r);
    {
        static const char *const want[] = {
            "W S ELIMIT: cells past column 16384 ignored",
            "S:1: B1=far",
            "W S ECORRUPT: 1 cells refer to shared strings that could not be read",
        };
        rec_expect(&r, want, N(want));
    }
    rec_free(&r);
}

/* ---- pure helpers ---- */

static void test_format_kind(void **state)
{
    (void)state;
    assert_int_equal(ps_xlsx_format_kind("yyyy-mm-dd"), PS_NUMFMT_DATE);
    assert_int_equal(ps_xlsx_format_kind("mm/dd/yyyy"), PS_NUMFMT_DATE);
    assert_int_equal(ps_xlsx_format_kind("[$-409]d\\-mmm\\-yy;@"), PS_NUMFMT_DATE);
    assert_int_equal(ps_xlsx_format_kind("mmm-yy"), PS_NUMFMT_DATE);
    assert_int_equal(ps_xlsx_format_kind("yyyy-mm-dd h:mm:ss"), PS_NUMFMT_DATETIME);
    assert_int_equal(ps_xlsx_format_kind("m/d/yy h:mm AM/PM"), PS_NUMFMT_DATETIME);
    assert_int_equal(ps_xlsx_format_kind("h:mm:ss"), PS_NUMFMT_TIME);
    assert_int_equal(ps_xlsx_format_kind("[h]:mm:ss"), PS_NUMFMT_TIME);
    assert_int_equal(ps_xlsx_format_kind("mm:ss"), PS_NUMFMT_TIME);
    /* decoys: letters inside quotes, brackets, escapes and spacers */
    assert_int_equal(ps_xlsx_format_kind("General"), PS_NUMFMT_PLAIN);
    assert_int_equal(ps_xlsx_format_kind("\"Day \"0.00"), PS_NUMFMT_PLAIN);
    assert_int_equal(ps_xlsx_format_kind("#,##0.00 \"dollars\""), PS_NUMFMT_PLAIN);
    assert_int_equal(ps_xlsx_format_kind("[Red]0.00;[Blue]-0.00"), PS_NUMFMT_PLAIN);
    assert_int_equal(ps_xlsx_format_kind("0\\d"), PS_NUMFMT_PLAIN);
    assert_int_equal(ps_xlsx_format_kind("_(* #,##0_);_(* (#,##0)"), PS_NUMFMT_PLAIN);
    assert_int_equal(ps_xlsx_format_kind("0.00E+00"), PS_NUMFMT_PLAIN);
    assert_int_equal(ps_xlsx_format_kind("@"), PS_NUMFMT_PLAIN);
    assert_int_equal(ps_xlsx_format_kind("0;\"yes\";\"no\""), PS_NUMFMT_PLAIN);
    assert_int_equal(ps_xlsx_format_kind("\"unterminated"), PS_NUMFMT_PLAIN);
    assert_int_equal(ps_xlsx_format_kind("[unterminated"), PS_NUMFMT_PLAIN);

    assert_int_equal(ps_xlsx_builtin_kind(14), PS_NUMFMT_DATE);
    assert_int_equal(ps_xlsx_builtin_kind(17), PS_NUMFMT_DATE);
    assert_int_equal(ps_xlsx_builtin_kind(22), PS_NUMFMT_DATETIME);
    assert_int_equal(ps_xlsx_builtin_kind(20), PS_NUMFMT_TIME);
    assert_int_equal(ps_xlsx_builtin_kind(47), PS_NUMFMT_TIME);
    assert_int_equal(ps_xlsx_builtin_kind(0), PS_NUMFMT_PLAIN);
    assert_int_equal(ps_xlsx_builtin_kind(13), PS_NUMFMT_PLAIN);
    assert_int_equal(ps_xlsx_builtin_kind(23), PS_NUMFMT_PLAIN);
    assert_int_equal(ps_xlsx_builtin_kind(49), PS_NUMFMT_PLAIN);
}

static void expect_date(double serial, bool d1904, bool with_time, const char *want)
{
    char buf[40] = "untouched";

    if (want == NULL) {
        assert_false(ps_excel_date(serial, d1904, with_time, buf, sizeof buf));
        assert_string_equal(buf, "untouched");
        return;
    }
    assert_true(ps_excel_date(serial, d1904, with_time, buf, sizeof buf));
    assert_string_equal(buf, want);
}

static void test_excel_dates(void **state)
{
    (void)state;
    expect_date(1, false, false, "1900-01-01");
    expect_date(59, false, false, "1900-02-28");
    expect_date(60, false, false, "1900-02-29"); /* Lotus' day that never was */
    expect_date(61, false, false, "1900-03-01");
    expect_date(24574, false, false, "1967-04-12");
    expect_date(36526, false, false, "2000-01-01");
    expect_date(2958465, false, false, "9999-12-31");
    expect_date(24574.75, false, true, "1967-04-12 18:00:00");
    expect_date(24574.75, false, false, "1967-04-12");
    expect_date(24574.0, false, true, "1967-04-12");
    expect_date(24574.9999999, false, true, "1967-04-13"); /* rounds to midnight */
    expect_date(0, true, false, "1904-01-01");
    expect_date(23112, true, false, "1967-04-12");
    expect_date(0, false, false, NULL);
    expect_date(-1, false, false, NULL);
    expect_date(2958466, false, false, NULL);
    expect_date(2957004, true, false, NULL);
    expect_date(1e300, false, false, NULL);
}

static void test_cell_refs(void **state)
{
    char buf[32];
    uint64_t col = 0, row = 0;

    (void)state;
    ps_cell_ref(0, 1, buf, sizeof buf);
    assert_string_equal(buf, "A1");
    ps_cell_ref(25, 9, buf, sizeof buf);
    assert_string_equal(buf, "Z9");
    ps_cell_ref(26, 10, buf, sizeof buf);
    assert_string_equal(buf, "AA10");
    ps_cell_ref(16383, 1048576, buf, sizeof buf);
    assert_string_equal(buf, "XFD1048576");
    ps_cell_ref(0, 1, buf, 2);
    assert_string_equal(buf, "A");

    assert_true(ps_cell_ref_parse("XFD1048576", &col, &row));
    assert_int_equal(col, 16383);
    assert_int_equal(row, 1048576);
    assert_true(ps_cell_ref_parse("$b$7", &col, &row));
    assert_int_equal(col, 1);
    assert_int_equal(row, 7);
    assert_true(ps_cell_ref_parse("C", &col, &row));
    assert_int_equal(col, 2);
    assert_int_equal(row, 0);
    assert_false(ps_cell_ref_parse("1A", &col, &row));
    assert_false(ps_cell_ref_parse("ABCD1", &col, &row));
    assert_false(ps_cell_ref_parse("A1x", &col, &row));
    assert_false(ps_cell_ref_parse("", &col, &row));
}

/* ---- through the whole pipeline ---- */

static const char *const contact_cats[] = {"ssn", "email", "phone", NULL};

/* The real scanner on the workbook: sniffed as xlsx, findings located at
 * book!sheet and row, with the column header as field. */
static void test_scan_end_to_end(void **state)
{
    static const char *const want[] = {
        "B hr.xlsx xlsx",
        "F ssn hr.xlsx!Employees:2 [SSN] 536-22-8153 #2",
        "F ssn hr.xlsx!Employees:3 [SSN] 412-67-3390 #3",
        "F ssn hr.xlsx!Employees:4 [SSN] 287-14-5562 #4",
        "F ssn hr.xlsx!Employees:5 [SSN] 601-38-7244 #5",
        "F email hr.xlsx!Contacts:2 [Email] mgarcia@example.com #2",
        "F phone hr.xlsx!Contacts:2 [Phone] (212) 555-0147 #2",
        "F email hr.xlsx!Contacts:3 [Email] rchen@example.com #3",
        "F phone hr.xlsx!Contacts:3 [Phone] 310-555-0199 #3",
    };
    struct rec_scan s = {.cats = contact_cats};

    (void)state;
    rec_scan_fixture("hr.xlsx", &s);
    rec_expect(&s.r, want, N(want));
    rec_free(&s.r);
}

/* A truncated workbook: warnings (partial), and the findings of what was read. */
static void test_scan_truncated(void **state)
{
    static const char *const want[] = {
        "B truncated.xlsx xlsx",
        "F email truncated.xlsx!Contacts:2 [Email] mgarcia@example.com #2",
        "F phone truncated.xlsx!Contacts:2 [Phone] (212) 555-0147 #2",
        "F email truncated.xlsx!Contacts:3 [Email] rchen@example.com #3",
        "F phone truncated.xlsx!Contacts:3 [Phone] 310-555-0199 #3",
        "F ssn truncated.xlsx!Employees:2 [SSN] 536-22-8153 #2",
        "F ssn truncated.xlsx!Employees:3 [SSN] 412-67-3390 #3",
        "W truncated.xlsx!Employees ECORRUPT partial: sheet read only in part (Truncated ZIP *",
        "W truncated.xlsx ECORRUPT partial: damaged zip package (Truncated input file (needed "
        "1585 bytes, only 1044 available)): only the parts before the damage were read",
    };
    struct rec_scan s = {.cats = contact_cats};

    (void)state;
    rec_scan_fixture("truncated.xlsx", &s);
    rec_expect(&s.r, want, N(want));
    rec_free(&s.r);
}

/* A leak as it arrives: office files in folders of a zip. Every member is
 * sniffed and opened by its own extractor; paths chain archive!member!sheet. */
static void test_scan_bundle(void **state)
{
    static const char *const ssn_only[] = {"ssn", NULL};
    static const char *const want[] = {
        "B bundle.zip archive",
        "B bundle.zip!hr/hr.xlsx xlsx",
        "F ssn bundle.zip!hr/hr.xlsx!Employees:2 [SSN] 536-22-8153 #2",
        "F ssn bundle.zip!hr/hr.xlsx!Employees:3 [SSN] 412-67-3390 #3",
        "F ssn bundle.zip!hr/hr.xlsx!Employees:4 [SSN] 287-14-5562 #4",
        "F ssn bundle.zip!hr/hr.xlsx!Employees:5 [SSN] 601-38-7244 #5",
        "B bundle.zip!hr/old/hr.xls xls",
        "F ssn bundle.zip!hr/old/hr.xls!Employees:2 [SSN] 536-22-8153 #2",
        "F ssn bundle.zip!hr/old/hr.xls!Employees:3 [SSN] 412-67-3390 #3",
        "F ssn bundle.zip!hr/old/hr.xls!Employees:4 [SSN] 287-14-5562 #4",
        "F ssn bundle.zip!hr/old/hr.xls!Employees:5 [SSN] 601-38-7244 #5",
        "B bundle.zip!memos/memo.docx docx",
        "F ssn bundle.zip!memos/memo.docx:3 [] 536-22-8153 #3",
        "F ssn bundle.zip!memos/memo.docx!table1:2 [SSN] 536-22-8153 #2",
        "F ssn bundle.zip!memos/memo.docx!table1:3 [SSN] 412-67-3390 #3",
        "B bundle.zip!board/deck.odp odp",
    };
    struct rec_scan s = {.cats = ssn_only};

    (void)state;
    rec_scan_fixture("bundle.zip", &s);
    rec_expect(&s.r, want, N(want));
    rec_free(&s.r);
}

/* 600 mutants of two workbooks: no crash, no sanitizer report, rows still come. */
static void test_mutants(void **state)
{
    (void)state;
    assert_true(rec_mutate("hr.xlsx", ps_xlsx_parse, 300) > 0);
    assert_true(rec_mutate("hand.xlsx", ps_xlsx_parse, 300) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_openpyxl_workbook), cmocka_unit_test(test_hand_assembled_workbook),
        cmocka_unit_test(test_mac_1904_dates),    cmocka_unit_test(test_sheet_cut_mid_element),
        cmocka_unit_test(test_truncated_zip),     cmocka_unit_test(test_not_a_zip),
        cmocka_unit_test(test_abort_propagates),  cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_hostile_sheets),    cmocka_unit_test(test_format_kind),
        cmocka_unit_test(test_excel_dates),       cmocka_unit_test(test_cell_refs),
        cmocka_unit_test(test_scan_end_to_end),   cmocka_unit_test(test_scan_truncated),
        cmocka_unit_test(test_scan_bundle),       cmocka_unit_test(test_mutants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
