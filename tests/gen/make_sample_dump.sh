#!/usr/bin/env bash
# make_sample_dump.sh SRC - (re)writes the README demo dump fixtures/sample-dump/.
# Everything in it is invented: names, SSNs (valid by area/group/serial rules, never
# issued to anyone we know of), cards (Luhn-valid test-style numbers). The text files
# are committed; the nested zip (a few KB) is rebuilt here deterministically.
set -euo pipefail
SRC=$1
D=$SRC/fixtures/sample-dump
TMP=$(mktemp -d "${TMPDIR:-/tmp}/piiscan-sample.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export TZ=UTC
rm -rf "$D"
mkdir -p "$D/hr" "$D/memos" "$D/mail" "$D/archive" "$D/logs"

cat > "$D/hr/employees_export.csv" <<'CSV'
employee_id,first_name,last_name,ssn,date_of_birth,email,phone,department,annual_salary
E1001,Maria,Gonzalez,536-22-8914,1967-04-12,maria.gonzalez@example.com,(310) 555-0143,Finance,"$128,500"
E1002,Robert,Chen,412-70-3318,1981-11-02,robert.chen@example.com,(424) 555-0199,Engineering,"$143,000"
E1003,Aisha,Okafor,219-45-7781,1990-06-23,aisha.okafor@example.com,(213) 555-0107,Legal,"$156,250"
E1004,David,Kowalski,301-62-4470,1975-01-30,d.kowalski@example.com,(818) 555-0126,Operations,"$98,700"
E1005,Sofia,Rossi,458-33-1902,1988-09-15,sofia.rossi@example.com,(626) 555-0178,Marketing,"$101,400"
E1006,James,Whitfield,000-12-3456,1972-03-08,j.whitfield@example.com,(310) 555-0188,Finance,"$87,000"
E1007,Test,Account,666-45-1234,n/a,qa@example.com,,QA,0
CSV

cat > "$D/memos/q3_compensation_memo.txt" <<'TXT'
CONFIDENTIAL - Q3 compensation review

Following the committee meeting, the adjusted base salary for Aisha Okafor is
$171,000 effective October 1. Payroll needs her social security number on the
change form: 219-45-7781. Please do not forward this memo.

Reference numbers for the audit (not personal data): case 2014-0412-77,
invoice 88123-001, cost centre 4410.
TXT

cat > "$D/mail/inbox_0412.eml" <<'MAIL'
From: Robert Chen <robert.chen@example.com>
To: travel-desk@example.com
Subject: Card for the Denver trip
Date: Sat, 12 Apr 2014 09:14:00 -0700

Hi team,

please book the hotel on my corporate card 4539 1488 0343 6467 (exp 09/16).
If anything comes up call me on (424) 555-0199.

Thanks,
Robert
MAIL

cat > "$D/logs/app.log" <<'LOG'
2014-04-12T09:14:03Z INFO request id=7f3a9c21-55d2-4e1b-9a0b-3c2f1d9e8b7a took 536ms
2014-04-12T09:14:04Z INFO order 536228914001 shipped, tracking 1Z999AA10123456784
2014-04-12T09:14:05Z WARN retry 3/5 for job 412703318 (queue depth 219)
LOG

# archive/payroll_2014.zip > payroll/2014-03.csv and payroll/older.zip > 2013-12.csv
mkdir -p "$TMP/inner/payroll" "$TMP/outer/payroll"
cat > "$TMP/inner/payroll/2013-12.csv" <<'CSV'
name,ssn,gross_pay
David Kowalski,301-62-4470,"$8,225.00"
CSV
cat > "$TMP/outer/payroll/2014-03.csv" <<'CSV'
name,ssn,dob,gross_pay
Maria Gonzalez,536-22-8914,04/12/1967,"$10,708.33"
Sofia Rossi,458-33-1902,09/15/1988,"$8,450.00"
CSV
find "$TMP" -type f -exec touch -t 201404120000 {} +
(cd "$TMP/inner" && zip -q -X -D "$TMP/outer/payroll/older.zip" payroll/2013-12.csv)
touch -t 201404120000 "$TMP/outer/payroll/older.zip"
(cd "$TMP/outer" && zip -q -X -D "$D/archive/payroll_2014.zip" payroll/2014-03.csv payroll/older.zip)
echo "sample dump written to $D"
