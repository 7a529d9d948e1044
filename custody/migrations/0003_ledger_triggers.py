"""On PostgreSQL the database itself holds the ledger's two rules.

* Every journal entry has at least two postings summing to zero per currency, checked at commit
  by a DEFERRABLE INITIALLY DEFERRED constraint trigger (so an entry's postings may be inserted
  one by one inside the transaction). To stay cheap for batch jobs (a COPY of 200,000 postings)
  the check is set-based: statement-level triggers note the range of entry ids each INSERT or
  COPY touched, and the first note of a transaction queues one deferred constraint trigger that,
  at commit, checks every entry in the (merged) ranges with one aggregate per range and clears
  the notes. Ranges stay tight in practice (new entries have new, consecutive ids); a range that
  spans old entries only costs time, since those balance already.
* Postings reference their entry and ledger account without per-row foreign keys (each costs a
  row trigger at commit: two seconds per 200,000 postings); the same deferred check verifies
  both references set-based, and entries and ledger accounts can never be deleted.
* Postings and journal entries are never updated or deleted: corrections are reversals.
"""

from django.db import migrations

CREATE = """
CREATE UNLOGGED TABLE custody_ledger_check (txid bigint PRIMARY KEY);
CREATE UNLOGGED TABLE custody_ledger_check_range (
  txid bigint NOT NULL, lo bigint NOT NULL, hi bigint NOT NULL
);
CREATE INDEX custody_ledger_check_range_txid ON custody_ledger_check_range (txid);

-- Each INSERT or COPY notes the id range of the entries it touched (one pass, no sort).
CREATE OR REPLACE FUNCTION custody_note_posting_entries() RETURNS trigger AS $$
BEGIN
  INSERT INTO custody_ledger_check_range (txid, lo, hi)
    SELECT txid_current(), min(entry_id), max(entry_id) FROM new_rows HAVING count(*) > 0;
  INSERT INTO custody_ledger_check (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION custody_note_new_entries() RETURNS trigger AS $$
BEGIN
  INSERT INTO custody_ledger_check_range (txid, lo, hi)
    SELECT txid_current(), min(id), max(id) FROM new_rows HAVING count(*) > 0;
  INSERT INTO custody_ledger_check (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- At commit: merge the noted ranges; in each, every entry must have two or more postings
-- summing to zero per currency. Entries in a range that this transaction did not touch were
-- checked when they were written and simply pass again.
CREATE OR REPLACE FUNCTION custody_check_noted_entries() RETURNS trigger
SET work_mem = '64MB' AS $$
DECLARE
  r record;
  bad record;
  entries bigint;
  groups bigint;
  good bigint;
  missing bigint;
BEGIN
  FOR r IN
    WITH noted AS (
      SELECT lo, hi,
             max(hi) OVER (ORDER BY lo, hi ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
               AS prev
        FROM custody_ledger_check_range WHERE txid = NEW.txid
    ), grouped AS (
      SELECT lo, hi, sum(CASE WHEN prev IS NOT NULL AND lo <= prev + 1 THEN 0 ELSE 1 END)
               OVER (ORDER BY lo, hi) AS grp
        FROM noted
    )
    SELECT min(lo) AS lo, max(hi) AS hi FROM grouped GROUP BY grp
  LOOP
    SELECT count(*) INTO entries FROM custody_journalentry WHERE id BETWEEN r.lo AND r.hi;
    -- One pass; an entry in more than one currency (rare) is checked per currency below.
    SELECT count(*), count(*) FILTER (WHERE n >= 2 AND total = 0 AND one_currency)
      INTO groups, good
      FROM (SELECT entry_id, count(*) AS n, sum(amount) AS total,
                   min(currency) = max(currency) AS one_currency
              FROM custody_posting WHERE entry_id BETWEEN r.lo AND r.hi
             GROUP BY entry_id) per_entry;
    IF good <> entries THEN
      -- entries in several currencies may still balance per currency: count those in again
      SELECT good + count(*) INTO good FROM (
        SELECT entry_id FROM (
          SELECT entry_id, count(*) AS n, sum(amount) AS total
            FROM custody_posting
           WHERE entry_id BETWEEN r.lo AND r.hi AND entry_id IN (
             SELECT entry_id FROM custody_posting WHERE entry_id BETWEEN r.lo AND r.hi
              GROUP BY entry_id HAVING min(currency) <> max(currency))
           GROUP BY entry_id, currency) per_currency
         GROUP BY entry_id HAVING sum(n) >= 2 AND max(abs(total)) = 0) balanced;
    END IF;
    IF groups > entries THEN
      SELECT p.entry_id INTO missing FROM custody_posting p
       WHERE p.entry_id BETWEEN r.lo AND r.hi
         AND NOT EXISTS (SELECT 1 FROM custody_journalentry e WHERE e.id = p.entry_id) LIMIT 1;
      RAISE EXCEPTION 'a posting refers to journal entry %, which does not exist', missing
        USING ERRCODE = '23503';
    END IF;
    IF good <> entries THEN
      SELECT e.id AS entry_id, count(p.id) AS n INTO bad
        FROM custody_journalentry e
        LEFT JOIN custody_posting p ON p.entry_id = e.id
       WHERE e.id BETWEEN r.lo AND r.hi
       GROUP BY e.id
      HAVING count(p.id) < 2 OR EXISTS (
        SELECT 1 FROM custody_posting q WHERE q.entry_id = e.id
         GROUP BY q.currency HAVING sum(q.amount) <> 0)
       ORDER BY e.id LIMIT 1;
      IF bad.n < 2 THEN
        RAISE EXCEPTION 'journal entry % has % posting(s); at least two are required',
          bad.entry_id, bad.n USING ERRCODE = '23514';
      END IF;
      RAISE EXCEPTION 'journal entry % does not balance: its postings do not sum to zero per currency',
        bad.entry_id USING ERRCODE = '23514';
    END IF;
    SELECT p.ledger_account_id INTO missing FROM custody_posting p
     WHERE p.entry_id BETWEEN r.lo AND r.hi
       AND NOT EXISTS (SELECT 1 FROM custody_ledgeraccount a WHERE a.id = p.ledger_account_id)
     LIMIT 1;
    IF missing IS NOT NULL THEN
      RAISE EXCEPTION 'a posting refers to ledger account %, which does not exist', missing
        USING ERRCODE = '23503';
    END IF;
  END LOOP;
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
-- Postings reference ledger accounts without a per-row foreign key (see above): accounts stay.
CREATE TRIGGER custody_ledgeraccount_permanent BEFORE DELETE ON custody_ledgeraccount
  FOR EACH ROW EXECUTE FUNCTION custody_ledger_immutable();
"""

DROP = """
DROP TRIGGER IF EXISTS custody_posting_noted ON custody_posting;
DROP TRIGGER IF EXISTS custody_journalentry_noted ON custody_journalentry;
DROP TRIGGER IF EXISTS custody_posting_immutable ON custody_posting;
DROP TRIGGER IF EXISTS custody_journalentry_immutable ON custody_journalentry;
DROP TRIGGER IF EXISTS custody_ledgeraccount_permanent ON custody_ledgeraccount;
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
