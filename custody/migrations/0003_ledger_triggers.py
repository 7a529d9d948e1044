"""On PostgreSQL the database itself holds the ledger's two rules.

* Every journal entry has at least two postings summing to zero per currency: DEFERRABLE
  INITIALLY DEFERRED constraint triggers check each entry at commit (so the postings of one entry
  may be inserted one by one inside the transaction).
* Postings and journal entries are never updated or deleted: corrections are reversals.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION custody_check_entry_balanced(entry bigint) RETURNS void AS $$
DECLARE
  n_postings bigint;
  worst numeric;
BEGIN
  SELECT coalesce(sum(n), 0), coalesce(max(abs(total)), 0) INTO n_postings, worst
    FROM (SELECT count(*) AS n, sum(amount) AS total
            FROM custody_posting WHERE entry_id = entry GROUP BY currency) per_currency;
  IF n_postings < 2 THEN
    RAISE EXCEPTION 'journal entry % has % posting(s); at least two are required',
      entry, n_postings USING ERRCODE = '23514';
  END IF;
  IF worst <> 0 THEN
    RAISE EXCEPTION 'journal entry % does not balance: its postings do not sum to zero per currency',
      entry USING ERRCODE = '23514';
  END IF;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION custody_posting_balanced() RETURNS trigger AS $$
BEGIN
  PERFORM custody_check_entry_balanced(NEW.entry_id);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION custody_entry_balanced() RETURNS trigger AS $$
BEGIN
  PERFORM custody_check_entry_balanced(NEW.id);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER custody_posting_balanced
  AFTER INSERT ON custody_posting DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION custody_posting_balanced();
CREATE CONSTRAINT TRIGGER custody_entry_balanced
  AFTER INSERT ON custody_journalentry DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION custody_entry_balanced();

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
DROP TRIGGER IF EXISTS custody_posting_balanced ON custody_posting;
DROP TRIGGER IF EXISTS custody_entry_balanced ON custody_journalentry;
DROP TRIGGER IF EXISTS custody_posting_immutable ON custody_posting;
DROP TRIGGER IF EXISTS custody_journalentry_immutable ON custody_journalentry;
DROP FUNCTION IF EXISTS custody_posting_balanced();
DROP FUNCTION IF EXISTS custody_entry_balanced();
DROP FUNCTION IF EXISTS custody_check_entry_balanced(bigint);
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
