#!/usr/bin/python3
"""Writes the office fixtures of piiscan's tests into OUTDIR (argv[1]).

Every file is written by a real producer where Debian has one: openpyxl (.xlsx),
xlwt (.xls), python-docx (.docx), odfpy (.ods/.odt/.odp). Debian 12 has no
python-pptx and LibreOffice is too heavy to pull into CI, so the .pptx is
assembled here part by part the way PowerPoint lays one out (OPC package,
presentation.xml + rels, slides with DrawingML text and a table). A few edge
cases no library writes on request (inline strings, rich-text runs, the 1904
date system, _xHHHH_ escapes) are in a hand-assembled workbook, and the
malformed samples are derived from the generated ones.

The data is fixed (no randomness) so the unit tests can assert exact cells.
All people and numbers are invented.
"""
import datetime
import io
import os
import sys
import zipfile

EMPLOYEES = [
    # name, ssn, dob, salary
    ("Maria Garcia", "536-22-8153", datetime.date(1967, 4, 12), 85000),
    ("James Whitfield", "412-67-3390", datetime.date(1982, 11, 3), 123500.5),
    ("Linda Okafor", "287-14-5562", datetime.date(1975, 2, 28), 67250),
    ("Robert Chen", "601-38-7244", datetime.date(1990, 7, 19), 240000),
]
CONTACTS = [
    # name, email, phone, hire date
    ("Maria Garcia", "mgarcia@example.com", "(212) 555-0147", datetime.date(2009, 3, 2)),
    ("Robert Chen", "rchen@example.com", "310-555-0199", datetime.date(2014, 8, 25)),
]


def gen_xlsx(out):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Employees"
    ws.append(["Employee Name", "SSN", "DOB", "Salary"])
    for name, ssn, dob, salary in EMPLOYEES:
        ws.append([name, ssn, dob, salary])
    for row in ws.iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].number_format = "yyyy-mm-dd"
    # A sparse row after a gap: column B left empty, D holds a decoy number.
    ws["A8"] = "Temp Contractor"
    ws["D8"] = 100234
    cs = wb.create_sheet("Contacts")
    cs.append(["Name", "Email", "Phone", "Hire Date"])
    for name, email, phone, hired in CONTACTS:
        cs.append([name, email, phone, hired])
    for row in cs.iter_rows(min_row=2, min_col=4, max_col=4):
        row[0].number_format = "mm/dd/yyyy"
    wb.save(os.path.join(out, "hr.xlsx"))


def gen_xlsx_1904(out):
    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Mac"
    ws.append(["Name", "Birth Date"])
    ws.append(["Maria Garcia", datetime.date(1967, 4, 12)])
    ws["B2"].number_format = "d-mmm-yy"
    wb.save(os.path.join(out, "mac1904.xlsx"))


# A workbook put together part by part, for what openpyxl does not write:
# inline strings, rich text runs with a phonetic run, booleans, formula strings,
# an error cell, _xHHHH_ escapes, a custom date format with quoted text and a
# locale bracket, a time-only format, a number format that is not a date, and a
# title row above the header.
HAND_CT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/data.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/strings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"""
HAND_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
HAND_WB = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="1"/><sheets><sheet name="Payroll &amp; Benefits" sheetId="7" r:id="rId9"/></sheets></workbook>"""
HAND_WB_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"""
HAND_SST = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4"><si><t>Quarterly payroll</t></si><si><t>Full Name</t></si><si><r><rPr><b/></rPr><t xml:space="preserve">Amy </t></r><r><t>Pascal</t></r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si><si><t>line one_x000D__x000A_line two</t></si></sst>"""
HAND_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="3"><numFmt numFmtId="164" formatCode="[$-409]d\\-mmm\\-yy;@"/><numFmt numFmtId="165" formatCode="&quot;Day &quot;0.00"/><numFmt numFmtId="166" formatCode="[h]:mm:ss"/></numFmts><cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="14"/><xf numFmtId="166"/><xf numFmtId="22"/></cellXfs></styleSheet>"""
HAND_SHEET = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c></row>
<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" t="inlineStr"><is><t>SSN</t></is></c><c r="C3" t="inlineStr"><is><r><t>Birth</t></r><r><t xml:space="preserve"> Date</t></r></is></c><c r="D3" t="inlineStr"><is><t>Bonus Days</t></is></c><c r="E3" t="inlineStr"><is><t>Active</t></is></c><c r="F3" t="inlineStr"><is><t>Note</t></is></c></row>
<row r="4"><c r="A4" t="s"><v>2</v></c><c r="B4" t="str"><f>"536-"&amp;"22-8153"</f><v>536-22-8153</v></c><c r="C4" s="1"><v>23112</v></c><c r="D4" s="2"><v>12.5</v></c><c r="E4" t="b"><v>1</v></c><c r="F4" t="s"><v>3</v></c></row>
<row r="5"><c r="A5" t="inlineStr"><is><t>Mark Doe</t></is></c><c r="C5" s="3"><v>0</v></c><c r="D5" s="4"><v>1.75</v></c><c r="E5" t="e"><v>#N/A</v></c><c r="F5" s="5"><v>23112.5</v></c><c r="G5"><v>42</v></c></row>
<row><c t="inlineStr"><is><t>No Refs</t></is></c><c><v>7</v></c></row>
</sheetData></worksheet>"""


def gen_xlsx_hand(out):
    parts = [("[Content_Types].xml", HAND_CT), ("_rels/.rels", HAND_RELS),
             ("xl/workbook.xml", HAND_WB), ("xl/_rels/workbook.xml.rels", HAND_WB_RELS),
             ("xl/strings.xml", HAND_SST), ("xl/styles.xml", HAND_STYLES),
             ("xl/worksheets/data.xml", HAND_SHEET)]
    with zipfile.ZipFile(os.path.join(out, "hand.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts:
            z.writestr(name, text)


def rewrite_zip(src, dst, edit, stored_last=None):
    """Copies the zip src to dst with edit(name, bytes) -> bytes applied to every
    member, each keeping its compression method; the member named stored_last is
    moved to the end and stored."""
    with zipfile.ZipFile(src) as zin:
        items = [(i.filename, zin.read(i.filename), i.compress_type) for i in zin.infolist()]
    if stored_last:
        items = [x for x in items if x[0] != stored_last] + \
                [x for x in items if x[0] == stored_last]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data, kept in items:
            # members keep their method (ODF's mimetype stays stored and first)
            method = zipfile.ZIP_STORED if name == stored_last else kept
            zout.writestr(zipfile.ZipInfo(name, (2014, 11, 24, 0, 0, 0)), edit(name, data),
                          compress_type=method)


def gen_xlsx_broken(out):
    src = os.path.join(out, "hr.xlsx")
    sheet = "xl/worksheets/sheet1.xml"

    # 1. The sheet XML cut in the middle of row 4's SSN cell: valid zip, bad XML.
    def cut(name, data):
        if name != sheet:
            return data
        at = data.index(b'<c r="B4"')
        return data[:at + 12]
    rewrite_zip(src, os.path.join(out, "cut_sheet.xlsx"), cut)

    # 2. The zip itself truncated inside the (stored, last) sheet member, in the
    #    middle of row 4: no central directory, and the member ends early.
    tmp = os.path.join(out, "stored_tmp.xlsx")
    rewrite_zip(src, tmp, lambda n, d: d, stored_last=sheet)
    with open(tmp, "rb") as f:
        whole = f.read()
    os.unlink(tmp)
    with zipfile.ZipFile(io.BytesIO(whole)) as z:
        sheet_xml = z.read(sheet)
    at = whole.index(sheet_xml) + sheet_xml.index(b'<c r="B4"') + 5
    with open(os.path.join(out, "truncated.xlsx"), "wb") as f:
        f.write(whole[:at])

    # 3. Not a zip at all past the signature.
    with open(os.path.join(out, "garbage.xlsx"), "wb") as f:
        f.write(b"PK\x03\x04" + b"\xff" * 200)


def gen_xls(out):
    import xlwt
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Employees")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for col, head in enumerate(["Employee Name", "SSN", "DOB", "Salary"]):
        ws.write(0, col, head)
    for r, (name, ssn, dob, salary) in enumerate(EMPLOYEES, start=1):
        ws.write(r, 0, name)
        ws.write(r, 1, ssn)
        ws.write(r, 2, dob, date_style)
        ws.write(r, 3, salary)
    cs = wb.add_sheet("Contacts")
    for col, head in enumerate(["Name", "Email", "Phone", "Hire Date"]):
        cs.write(0, col, head)
    for r, (name, email, phone, hired) in enumerate(CONTACTS, start=1):
        cs.write(r, 0, name)
        cs.write(r, 1, email)
        cs.write(r, 2, phone)
        cs.write(r, 3, hired, xlwt.easyxf(num_format_str="MM/DD/YYYY"))
    wb.save(os.path.join(out, "hr.xls"))
    with open(os.path.join(out, "hr.xls"), "rb") as f:
        data = f.read()
    with open(os.path.join(out, "truncated.xls"), "wb") as f:
        f.write(data[:len(data) // 2])


def gen_docx(out):
    import docx
    d = docx.Document()
    d.add_heading("Memo: 2014 compensation review", level=1)
    d.add_paragraph("To: HR Leadership")
    p = d.add_paragraph("Please correct the record of Maria Garcia, SSN ")
    p.add_run("536-22-8153").bold = True
    p.add_run(", born 04/12/1967.")
    d.add_paragraph("")
    p = d.add_paragraph("Column A")
    p.add_run().add_tab()
    p.add_run("Column B")
    p.add_run().add_break()
    p.add_run("second line")
    t = d.add_table(rows=1, cols=3)
    for cell, text in zip(t.rows[0].cells, ["Name", "SSN", "Salary"]):
        cell.text = text
    for name, ssn, _dob, salary in EMPLOYEES[:2]:
        cells = t.add_row().cells
        cells[0].text = name
        cells[1].text = ssn
        cells[2].text = "$%s" % format(salary, ",")
    d.add_paragraph("Reference order 4410-2291-7730 is not an SSN.")
    d.sections[0].footer.paragraphs[0].text = "Confidential - prepared by James Whitfield"
    d.save(os.path.join(out, "memo.docx"))

    # The body XML cut inside the table's last row: paragraphs and rows before the
    # cut are read, the footer part (intact) too.
    def cut(name, data):
        if name != "word/document.xml":
            return data
        return data[:data.index(b"412-67-3390")]
    rewrite_zip(os.path.join(out, "memo.docx"), os.path.join(out, "cut_memo.docx"), cut)

    # The memo with the HR workbook embedded, where Word keeps embedded packages.
    with zipfile.ZipFile(os.path.join(out, "memo.docx")) as zin:
        items = [(i, zin.read(i.filename)) for i in zin.infolist()]
    with open(os.path.join(out, "hr.xlsx"), "rb") as f:
        book = f.read()
    with zipfile.ZipFile(os.path.join(out, "embed_memo.docx"), "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            z.writestr(info, data)
        z.writestr("word/embeddings/Microsoft_Excel_Worksheet1.xlsx", book)


# A PowerPoint-shaped package: three slides, listed in presentation order
# slide A, slide C, slide B (so reading order differs from part names), the
# second slide holding a table.
PPTX_CT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/><Override PartName="/ppt/slides/slide1.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/><Override PartName="/ppt/slides/slide2.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/><Override PartName="/ppt/slides/slide3.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/><Override PartName="/ppt/slideMasters/slideMaster1.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slideMaster+xml"/><Override PartName="/ppt/slideLayouts/slideLayout1.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slideLayout+xml"/><Override PartName="/ppt/notesSlides/notesSlide1.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.notesSlide+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"""
PPTX_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="ppt/presentation.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"""
PPTX_PRES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<p:presentation xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst><p:sldIdLst><p:sldId id="256" r:id="rId2"/><p:sldId id="257" r:id="rId4"/><p:sldId id="258" r:id="rId3"/></p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>"""
PPTX_PRES_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slideMaster" Target="slideMasters/slideMaster1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide2.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide3.xml"/></Relationships>"""
SLIDE_HEAD = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>"""
SLIDE_TAIL = """</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"""


def shape(i, paras):
    body = "".join("<a:p>%s</a:p>" % p for p in paras)
    return ('<p:sp><p:nvSpPr><p:cNvPr id="%d" name="TextBox %d"/><p:cNvSpPr txBox="1"/><p:nvPr/>'
            '</p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>%s</p:txBody></p:sp>'
            % (i, i, body))


def run(text):
    return '<a:r><a:rPr lang="en-US" dirty="0"/><a:t>%s</a:t></a:r>' % text


def table(rows):
    trs = "".join('<a:tr h="370840">%s</a:tr>' % "".join(
        '<a:tc><a:txBody><a:bodyPr/><a:lstStyle/><a:p>%s</a:p></a:txBody><a:tcPr/></a:tc>'
        % run(c) for c in r) for r in rows)
    return ('<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="9" name="Table 1"/>'
            '<p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm/><a:graphic>'
            '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table">'
            '<a:tbl><a:tblGrid><a:gridCol w="3000000"/><a:gridCol w="3000000"/></a:tblGrid>'
            '%s</a:tbl></a:graphicData></a:graphic></p:graphicFrame>' % trs)


def gen_pptx(out):
    slide_a = SLIDE_HEAD + shape(2, [run("Executive compensation"),
                                     run("Confidential") + "<a:br/>" + run("Do not forward")]) \
        + SLIDE_TAIL
    slide_b = SLIDE_HEAD + shape(2, [run("Contact Robert Chen at ") + run("rchen@example.com")]) \
        + SLIDE_TAIL
    slide_c = SLIDE_HEAD + shape(2, [run("Top earners")]) + table(
        [["Name", "Salary"], ["Robert Chen", "$240,000"], ["James Whitfield", "$123,500.50"]]) \
        + SLIDE_TAIL
    layout_rel = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slideLayout" Target="../slideLayouts/slideLayout1.xml"/></Relationships>"""
    master = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:sldMaster '
              'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
              'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
              'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld>'
              '<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/>'
              '</p:nvGrpSpPr><p:grpSpPr/>' + shape(2, [run("Click to edit Master title style")])
              + '</p:spTree></p:cSld><p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/>'
              '</p:sldLayoutIdLst></p:sldMaster>')
    layout = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:sldLayout '
              'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
              'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
              'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld '
              'name="Title Slide"><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/>'
              '<p:nvPr/></p:nvGrpSpPr><p:grpSpPr/></p:spTree></p:cSld></p:sldLayout>')
    notes_rel = layout_rel.replace(
        "</Relationships>",
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/notesSlide" Target="../notesSlides/notesSlide1.xml"/></Relationships>')
    notes = (SLIDE_HEAD.replace("p:sld ", "p:notes ") +
             shape(3, [run("Speaker note: Robert&apos;s SSN is 601-38-7244")]) +
             "</p:spTree></p:cSld></p:notes>")
    core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Comp review</dc:title>'
            '</cp:coreProperties>')
    parts = [("[Content_Types].xml", PPTX_CT), ("_rels/.rels", PPTX_RELS),
             ("docProps/core.xml", core),
             ("ppt/presentation.xml", PPTX_PRES), ("ppt/_rels/presentation.xml.rels", PPTX_PRES_RELS),
             ("ppt/slides/slide1.xml", slide_a), ("ppt/slides/slide2.xml", slide_b),
             ("ppt/slides/slide3.xml", slide_c),
             ("ppt/slides/_rels/slide1.xml.rels", layout_rel),
             ("ppt/slides/_rels/slide2.xml.rels", notes_rel),
             ("ppt/notesSlides/notesSlide1.xml", notes),
             ("ppt/slides/_rels/slide3.xml.rels", layout_rel),
             ("ppt/slideMasters/slideMaster1.xml", master),
             ("ppt/slideMasters/_rels/slideMaster1.xml.rels", layout_rel),
             ("ppt/slideLayouts/slideLayout1.xml", layout)]
    with zipfile.ZipFile(os.path.join(out, "deck.pptx"), "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts:
            z.writestr(name, text)

    # The table slide (second in the show) cut inside its last row.
    def cut(name, data):
        if name != "ppt/slides/slide3.xml":
            return data
        return data[:data.index(b"James Whitfield")]
    rewrite_zip(os.path.join(out, "deck.pptx"), os.path.join(out, "cut_deck.pptx"), cut)


def gen_ods(out):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableRow, TableCell
    from odf.text import P
    doc = OpenDocumentSpreadsheet()

    def cell(text=None, repeat=None, **kw):
        attrs = dict(kw)
        if repeat:
            attrs["numbercolumnsrepeated"] = repeat
        c = TableCell(**attrs)
        if text is not None:
            c.addElement(P(text=text))
        return c

    t = Table(name="Employees")
    tr = TableRow()
    for h in ["Employee Name", "SSN", "DOB", "Salary"]:
        tr.addElement(cell(h, valuetype="string"))
    tr.addElement(cell(repeat=1020))
    t.addElement(tr)
    for name, ssn, dob, salary in EMPLOYEES:
        tr = TableRow()
        tr.addElement(cell(name, valuetype="string"))
        tr.addElement(cell(ssn, valuetype="string"))
        tr.addElement(cell(dob.strftime("%m/%d/%Y"), valuetype="date", datevalue=dob.isoformat()))
        tr.addElement(cell("{:,}".format(salary), valuetype="float", value=str(salary)))
        tr.addElement(cell(repeat=1020))
        t.addElement(tr)
    # LibreOffice-style padding: a block of empty rows, then a repeated data row.
    t.addElement(TableRow(numberrowsrepeated=1000))
    tr = TableRow(numberrowsrepeated=2)
    tr.addElement(cell("dup", valuetype="string", repeat=2))
    t.addElement(tr)
    doc.spreadsheet.addElement(t)
    t2 = Table(name="Notes")
    tr = TableRow()
    tr.addElement(cell("Reviewed by Linda Okafor", valuetype="string"))
    t2.addElement(tr)
    doc.spreadsheet.addElement(t2)
    doc.save(os.path.join(out, "hr.ods"))

    # content.xml cut in the middle of row 4 (Linda Okafor's SSN).
    def cut(name, data):
        if name != "content.xml":
            return data
        return data[:data.index(b"287-14-5562")]
    rewrite_zip(os.path.join(out, "hr.ods"), os.path.join(out, "cut_hr.ods"), cut)


def gen_odt(out):
    from odf.opendocument import OpenDocumentText
    from odf.style import Header, MasterPage, PageLayout
    from odf.table import Table, TableColumn, TableRow, TableCell
    from odf.text import H, P, Span, S, Tab, LineBreak, Note, NoteBody, NoteCitation
    doc = OpenDocumentText()
    layout = PageLayout(name="Letter")
    doc.automaticstyles.addElement(layout)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    header = Header()
    header.addElement(P(text="HR Confidential - Linda Okafor file"))
    master.addElement(header)
    doc.masterstyles.addElement(master)
    doc.text.addElement(H(outlinelevel=1, text="Termination notice"))
    p = P(text="Employee: ")
    p.addElement(Span(text="Linda Okafor"))
    p.addText(", SSN 287-14-5562")
    note = Note(id="ftn1", noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text="Per HR case 2014-117."))
    note.addElement(body)
    p.addElement(note)
    doc.text.addElement(p)
    p = P(text="a")
    p.addElement(S(c=3))
    p.addText("b")
    p.addElement(Tab())
    p.addText("c")
    p.addElement(LineBreak())
    p.addText("d")
    doc.text.addElement(p)
    t = Table(name="Severance")
    t.addElement(TableColumn(numbercolumnsrepeated=2))
    for row in [["Name", "Amount"], ["Linda Okafor", "$45,000"]]:
        tr = TableRow()
        for v in row:
            c = TableCell(valuetype="string")
            c.addElement(P(text=v))
            tr.addElement(c)
        t.addElement(tr)
    doc.text.addElement(t)
    doc.text.addElement(P(text="Signed, HR"))
    doc.save(os.path.join(out, "memo.odt"))


def gen_odp(out):
    from odf.opendocument import OpenDocumentPresentation
    from odf.draw import Page, Frame, TextBox
    from odf.style import Style, MasterPage, PageLayout
    from odf.text import P
    doc = OpenDocumentPresentation()
    layout = PageLayout(name="PL")
    doc.automaticstyles.addElement(layout)
    master = MasterPage(name="Default", pagelayoutname=layout)
    doc.masterstyles.addElement(master)
    style = Style(name="fr", family="presentation")
    doc.automaticstyles.addElement(style)
    for i, texts in enumerate([["Board update", "Layoffs: Maria Garcia"],
                               ["Call 212-555-0147"]], start=1):
        page = Page(name="page%d" % i, masterpagename=master)
        frame = Frame(width="20cm", height="3cm", x="1cm", y="1cm", stylename=style)
        box = TextBox()
        for t in texts:
            box.addElement(P(text=t))
        frame.addElement(box)
        page.addElement(frame)
        doc.presentation.addElement(page)
    doc.save(os.path.join(out, "deck.odp"))


def gen_bundle(out):
    """A leak as it arrives: office files inside a zip, in folders."""
    members = [("hr/hr.xlsx", "hr.xlsx"), ("hr/old/hr.xls", "hr.xls"),
               ("memos/memo.docx", "memo.docx"), ("board/deck.odp", "deck.odp")]
    with zipfile.ZipFile(os.path.join(out, "bundle.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        for arc, name in members:
            with open(os.path.join(out, name), "rb") as f:
                z.writestr(zipfile.ZipInfo(arc, (2014, 11, 24, 0, 0, 0)), f.read())


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    gen_xlsx(out)
    gen_xlsx_1904(out)
    gen_xlsx_hand(out)
    gen_xlsx_broken(out)
    gen_xls(out)
    gen_docx(out)   # after gen_xlsx: embeds hr.xlsx
    gen_pptx(out)
    gen_ods(out)
    gen_odt(out)
    gen_odp(out)
    gen_bundle(out)


if __name__ == "__main__":
    main()
