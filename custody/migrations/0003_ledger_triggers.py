"""On PostgreSQL the database itself holds the ledger's two rules.

* Every journal entry has at least two postings summing to zero per currency, checked at commit
  by a DEFERRABLE INITIALLY DEFERRED constraint trigger (so an entry's postings may be inserted
  one by one inside the transaction). To stay cheap for batch jobs (a COPY of 200,000 postings)
  the check is set-based: statement-level triggers note which entries each INSERT or COPY
  touched (as runs of consecutive ids), and the first note of a transaction queues one deferred
  constraint trigger that, at commit, checks every noted entry in one query and clears the notes.
* Postings and journal entries are never updated or deleted: corrections are reversals.
"""

from django.db import migrations

CREATE = """
CREATE UNLOGGED TABLE custody_ledger_check (txid bigint PRIMARY KEY);
CREATE UNLOGGED TABLE custody_ledger_check_range (
  txid bigint NOT NULL, lo bigint NOT NULL, hi bigint NOT NULL
);
CREATE INDEX custody_ledger_check_range_txid ON custody_ledger_check_range (txid);

-- Note the touched entry ids as runs of consecutive ids (a batch of 100,000 entries is one run).
CREATE OR REPLACE FUNCTION custody_note_posting_entries() RETURNS trigger AS $$
BEGIN
  INSERT INTO custody_ledger_check_range (txid, lo, hi)
    SELECT txid_current(), min(entry_id), max(entry_id)
      FROM (SELECT entry_id, entry_id - dense_rank() OVER (ORDER BY entry_id) AS run
              FROM new_rows) runs
     GROUP BY run;
  INSERT INTO custody_ledger_check (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION custody_note_new_entries() RETURNS trigger AS $$
BEGIN
  INSERT INTO custody_ledger_check_range (txid, lo, hi)
    SELECT txid_current(), min(id), max(id)
      FROM (SELECT id, id - row_number() OVER (ORDER BY id) AS run FROM new_rows) runs
     GROUP BY run;
  INSERT INTO custody_ledger_check (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- At commit: merge the noted runs, then check every entry in them in one query.
CREATE OR REPLACE FUNCTION custody_check_noted_entries() RETURNS trigger AS $$
DECLARE
  bad record;
BEGIN
  WITH noted AS (
    SELECT lo, hi,
           max(hi) OVER (ORDER BY lo, hi ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev
      FROM custody_ledger_check_range WHERE txid = NEW.txid
  ), grouped AS (
    SELECT lo, hi, sum(CASE WHEN prev IS NOT NULL AND lo <= prev + 1 THEN 0 ELSE 1 END)
             OVER (ORDER BY lo, hi) AS grp
      FROM noted
  ), merged AS MATERIALIZED (
    SELECT min(lo) AS lo, max(hi) AS hi FROM grouped GROUP BY grp
  ), per_currency AS MATERIALIZED (
    -- one pass: every noted entry with its postings, both read by id range
    SELECT e.id AS entry_id, count(p.id) AS n, coalesce(sum(p.amount), 0) AS total
      FROM merged m
      JOIN custody_journalentry e ON e.id BETWEEN m.lo AND m.hi
      LEFT JOIN custody_posting p
        ON p.entry_id = e.id AND p.entry_id BETWEEN m.lo AND m.hi
     GROUP BY e.id, p.currency
  )
  SELECT entry_id, sum(n) AS n, max(abs(total)) AS worst
    INTO bad
    FROM per_currency
   GROUP BY entry_id
  HAVING sum(n) < 2 OR max(abs(total)) <> 0
   LIMIT 1;
  IF bad.entry_id IS NOT NULL AND bad.n < 2 THEN
    RAISE EXCEPTION 'journal entry % has % posting(s); at least two are required',
      bad.entry_id, bad.n USING ERRCODE = '23514';
  ELSIF bad.entry_id IS NOT NULL THEN
    RAISE EXCEPTION 'journal entry % does not balance: its postings do not sum to zero per currency',
      bad.entry_id USING ERRCODE = '23514';
  END IF;
  DELETE FROM custody_ledger_check_range WHERE txid = NEW.txid;
  DELETE FROM custody_ledger_check WHERE txid = NEW.txid;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER custody_posting_noted AFTER INSERT ON custody_posting
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION custody_note_posting_entries();
CREATE TRIGGER custody_journalentry_noted AFTER INSERT ON custody_journalentry
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION custody_note_new_entries();
CREATE CONSTRAINT TRIGGER custody_entries_balanced
  AFTER INSERT ON custody_ledger_check DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION custody_check_noted_entries();

CREATE OR REPLACE FUNCTION custody_ledger_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% rows are immutable (% refused); post a reversal instead',
    TG_TABLE_NAME, TG_OP USING ERRCODE = '23514';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER custody_posting_immutable BEFORE UPDATE OR DELETE ON custody_posting
  FOR EACH ROW EXECUTE FUNCTION custody_ledger_immutable();
CREATE TRIGGER custody_journalentry_immutable BEFORE UPDATE OR DELETE ON custody_journalentry
  FOR EACH ROW EXECUTE FUNCTION custody_ledger_immutable();
"""

DROP = """
DROP TRIGGER IF EXISTS custody_posting_noted ON custody_posting;
DROP TRIGGER IF EXISTS custody_journalentry_noted ON custody_journalentry;
DROP TRIGGER IF EXISTS custody_posting_immutable ON custody_posting;
DROP TRIGGER IF EXISTS custody_journalentry_immutable ON custody_journalentry;
DROP TABLE IF EXISTS custody_ledger_check;
DROP TABLE IF EXISTS custody_ledger_check_range;
DROP FUNCTION IF EXISTS custody_note_posting_entries();
DROP FUNCTION IF EXISTS custody_note_new_entries();
DROP FUNCTION IF EXISTS custody_check_noted_entries();
DROP FUNCTION IF EXISTS custody_ledger_immutable();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("custody", "0002_chart_and_parameters")]
    operations = [migrations.RunPython(forwards, backwards)]
