"""On PostgreSQL the database itself keeps signed records and used wording unchanged.

* documents, their clause links and signatures: no UPDATE, no DELETE;
* contracts: the number, client, language, terms, subject and term dates never change, and no
  contract is deleted;
* template and clause versions: wording changes only while proposed; only proposed versions are
  deleted.
"""

from django.db import migrations

APPEND_ONLY = [
    "contracts_contractdocument",
    "contracts_contractdocument_clause_versions",
    "contracts_signature",
]

CREATE = """
CREATE OR REPLACE FUNCTION contracts_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% rows are final (% refused)', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION contracts_contract_frozen() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'contract % is kept for the record (DELETE refused)', OLD.contract_no;
  END IF;
  IF NEW.contract_no IS DISTINCT FROM OLD.contract_no
     OR NEW.series IS DISTINCT FROM OLD.series
     OR NEW.version IS DISTINCT FROM OLD.version
     OR NEW.client_id IS DISTINCT FROM OLD.client_id
     OR NEW.language IS DISTINCT FROM OLD.language
     OR NEW.subject_kind IS DISTINCT FROM OLD.subject_kind
     OR NEW.subject_ref IS DISTINCT FROM OLD.subject_ref
     OR NEW.terms::jsonb IS DISTINCT FROM OLD.terms::jsonb
     OR NEW.term_start IS DISTINCT FROM OLD.term_start
     OR NEW.term_end IS DISTINCT FROM OLD.term_end
     OR NEW.supersedes_id IS DISTINCT FROM OLD.supersedes_id
     OR NEW.generated_at IS DISTINCT FROM OLD.generated_at THEN
    RAISE EXCEPTION 'contract % was generated with fixed terms (UPDATE refused)', OLD.contract_no;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION contracts_wording_frozen() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'proposed' THEN
      RAISE EXCEPTION '% version % is % and kept (DELETE refused)', TG_TABLE_NAME, OLD.id, OLD.status;
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status <> 'proposed' AND (
       NEW.body IS DISTINCT FROM OLD.body
       OR NEW.title IS DISTINCT FROM OLD.title
       OR NEW.number IS DISTINCT FROM OLD.number
       OR NEW.variables::jsonb IS DISTINCT FROM OLD.variables::jsonb) THEN
    RAISE EXCEPTION '% version % is % (wording UPDATE refused)', TG_TABLE_NAME, OLD.id, OLD.status;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION contracts_stylesheet_frozen() RETURNS trigger AS $$
BEGIN
  IF OLD.status <> 'proposed' AND NEW.stylesheet IS DISTINCT FROM OLD.stylesheet THEN
    RAISE EXCEPTION 'template version % is % (stylesheet UPDATE refused)', OLD.id, OLD.status;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER contracts_contract_frozen BEFORE UPDATE OR DELETE ON contracts_contract
  FOR EACH ROW EXECUTE FUNCTION contracts_contract_frozen();
CREATE TRIGGER contracts_templateversion_frozen BEFORE UPDATE OR DELETE ON contracts_templateversion
  FOR EACH ROW EXECUTE FUNCTION contracts_wording_frozen();
CREATE TRIGGER contracts_templateversion_css BEFORE UPDATE ON contracts_templateversion
  FOR EACH ROW EXECUTE FUNCTION contracts_stylesheet_frozen();
CREATE TRIGGER contracts_clauseversion_frozen BEFORE UPDATE OR DELETE ON contracts_clauseversion
  FOR EACH ROW EXECUTE FUNCTION contracts_wording_frozen();
"""

DROP = """
DROP TRIGGER IF EXISTS contracts_contract_frozen ON contracts_contract;
DROP TRIGGER IF EXISTS contracts_templateversion_frozen ON contracts_templateversion;
DROP TRIGGER IF EXISTS contracts_templateversion_css ON contracts_templateversion;
DROP TRIGGER IF EXISTS contracts_clauseversion_frozen ON contracts_clauseversion;
DROP FUNCTION IF EXISTS contracts_contract_frozen();
DROP FUNCTION IF EXISTS contracts_wording_frozen();
DROP FUNCTION IF EXISTS contracts_stylesheet_frozen();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE, params=None)
    for table in APPEND_ONLY:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION contracts_append_only();",
            params=None,
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in APPEND_ONLY:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};", params=None)
    schema_editor.execute(DROP + "DROP FUNCTION IF EXISTS contracts_append_only();", params=None)


class Migration(migrations.Migration):
    dependencies = [("contracts", "0003_seed_wording")]
    operations = [migrations.RunPython(forwards, backwards)]
