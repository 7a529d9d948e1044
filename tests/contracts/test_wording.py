"""Template and clause versions: checked when proposed, approved by a second person, frozen
once approved or used, and a missing variable refused with its name."""

import pytest
from django.db import connection, transaction

from contracts.enums import VersionStatus
from contracts.models import Clause, ClauseVersion, Contract, ContractTemplate, TemplateVersion
from contracts.rendering import DocumentSource, render_body
from contracts.services import (
    clause_version_approve,
    clause_version_propose,
    clause_version_reject,
    contract_bundle_generate,
    template_version_approve,
    template_version_propose,
)
from core.exceptions import (
    IllegalTransition,
    InvalidInput,
    PermissionRefused,
    SegregationOfDutiesError,
)
from core.models import AuditEvent
from tests.contracts.factories import ContractTermsFactory
from tests.contracts.helpers import approved_source, render_text

pytestmark = pytest.mark.django_db


def clause(code="custody", language="zh-hans"):
    return Clause.objects.get(code=code, language=language)


def approved(code="custody", language="zh-hans") -> ClauseVersion:
    return ClauseVersion.objects.get(
        clause__code=code, clause__language=language, status=VersionStatus.APPROVED
    )


def propose_custody(maker, body=None):
    current = approved()
    return clause_version_propose(
        clause=clause(),
        title=current.title,
        body=body or current.body + "<p>六、本条自 {{ term_start|longdate:language }} 起适用。</p>",
        maker=maker,
        reason="add the start date",
    )


def test_a_proposal_is_numbered_and_changes_nothing_until_approved(compliance):
    version = propose_custody(compliance)
    assert (version.number, version.status, version.maker) == (2, "proposed", compliance)
    assert "term_start" in version.variables and "custody_bank" in version.variables
    assert approved().number == 1
    assert AuditEvent.objects.filter(action="proposal", object_id=str(version.pk)).exists()


def test_the_proposer_cannot_approve(compliance):
    version = propose_custody(compliance)
    with pytest.raises(SegregationOfDutiesError, match="cannot approve it"):
        clause_version_approve(version=version, checker=compliance)
    version.refresh_from_db()
    assert version.status == VersionStatus.PROPOSED
    assert approved().number == 1


def test_approval_by_a_colleague_retires_the_previous_version(compliance, compliance2):
    version = propose_custody(compliance)
    clause_version_approve(version=version, checker=compliance2, note="checked")
    assert approved().pk == version.pk
    assert ClauseVersion.objects.get(clause=clause(), number=1).status == VersionStatus.RETIRED
    _html, text = render_text("custody_agreement", "zh-hans", ContractTermsFactory.build())
    assert "六、本条自 2026年3月2日 起适用。" in text


def test_a_rejection_needs_a_reason(compliance, compliance2):
    version = propose_custody(compliance)
    with pytest.raises(InvalidInput, match="say why the wording is rejected"):
        clause_version_reject(version=version, checker=compliance2, note=" ")
    clause_version_reject(version=version, checker=compliance2, note="too vague")
    version.refresh_from_db()
    assert version.status == VersionStatus.REJECTED


def test_only_compliance_proposes_wording(ops):
    with pytest.raises(PermissionRefused):
        propose_custody(ops)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<p>{{ client_shoe_size }}</p>", "uses {{ client_shoe_size }}, which is not a contract"),
        ("<p>{% if %}</p>", "the wording does not parse"),
        ("<p>{% include 'x.html' %}</p>", "the tag {% include %} is not allowed"),
        (
            "<p>账户 {{ custody_account_masked }}</p>",
            "needs the contract variable 'custody_account_masked'",
        ),
    ],
)
def test_bad_wording_is_refused_when_proposed(compliance, body, message):
    before = ClauseVersion.objects.count()
    with pytest.raises(InvalidInput, match=message):
        propose_custody(compliance, body=body)
    assert ClauseVersion.objects.count() == before


def test_a_template_missing_a_required_clause_is_refused(compliance):
    template = ContractTemplate.objects.get(kind="margin_contract", language="en")
    current = template.versions.get(status="approved")
    body = current.body.replace('{% clause "default_handling" %}', "")
    with pytest.raises(InvalidInput, match="must include the clause 'default_handling'"):
        template_version_propose(
            template=template,
            title=current.title,
            body=body,
            stylesheet=current.stylesheet,
            maker=compliance,
            reason="shorter",
        )
    assert template.versions.count() == 1


def test_a_stylesheet_may_not_fetch_anything(compliance):
    template = ContractTemplate.objects.get(kind="risk_disclosure", language="en")
    current = template.versions.get(status="approved")
    with pytest.raises(InvalidInput, match="the stylesheet may not load anything"):
        template_version_propose(
            template=template,
            title=current.title,
            body=current.body,
            stylesheet="body { background: url(http://example.com/x.png) }",
            maker=compliance,
            reason="logo",
        )


def test_a_new_template_version_goes_through_four_eyes(compliance, compliance2):
    template = ContractTemplate.objects.get(kind="risk_disclosure", language="en")
    current = template.versions.get(status="approved")
    version = template_version_propose(
        template=template,
        title=current.title,
        body=current.body.replace("Investor's Statement", "Statement by the Investor"),
        stylesheet=current.stylesheet,
        maker=compliance,
        reason="plainer heading",
    )
    template_version_approve(version=version, checker=compliance2)
    current.refresh_from_db()
    version.refresh_from_db()
    assert (current.status, version.status, version.checker) == ("retired", "approved", compliance2)


def test_a_missing_variable_is_refused_at_render_with_its_name():
    body = '<p>{{ custody_account_masked }}</p>{% clause "custody" %}'
    source = approved_source("custody_agreement", "en")
    version = TemplateVersion(template=source.template_version.template, number=9, body=body)
    context = ContractTermsFactory.build(custody_account_masked=None).context("en")
    with pytest.raises(InvalidInput) as error:
        render_body(DocumentSource(version, source.clause_versions), context)
    assert str(error.value) == (
        "template custody_agreement/en v9 needs the contract variable 'custody_account_masked', "
        "which these contract terms do not provide"
    )
    assert error.value.field == "custody_account_masked"


def test_generation_with_wording_that_misses_a_variable_creates_nothing(
    frozen_now, approved_client, ops
):
    # Wording that slipped in without the proposal checks (e.g. a bad seed).
    old = approved("custody", "zh-hans")
    old.status = VersionStatus.RETIRED
    old.save()
    ClauseVersion.objects.create(
        clause=old.clause,
        number=2,
        status=VersionStatus.APPROVED,
        source="seed",
        title=old.title,
        body="<p>账户 {{ custody_account_masked }}</p>",
        reason="bad seed",
    )
    terms = ContractTermsFactory.build(
        client_no=approved_client.client_no, custody_account_masked=None
    )
    with pytest.raises(InvalidInput, match="clause custody/zh-hans v2 needs the contract variable"):
        contract_bundle_generate(client=approved_client, terms=terms, by=ops)
    assert Contract.objects.count() == 0


def test_approved_wording_cannot_be_edited(compliance):
    version = approved("margin_call", "en")
    version.body = "<p>Nothing.</p>"
    with pytest.raises(IllegalTransition, match="is approved; its body cannot change"):
        version.save()
    with pytest.raises(IllegalTransition, match="only a proposed, unused version can be deleted"):
        version.delete()


def test_wording_used_by_a_contract_is_frozen_even_once_retired(draft_contract):
    document = draft_contract.documents.get(kind="margin_contract")
    version = document.template_version
    version.status = VersionStatus.RETIRED
    version.save()
    version.title = "Something else"
    with pytest.raises(IllegalTransition, match="is retired and used by contracts"):
        version.save()
    used_clause = document.clause_versions.first()
    assert used_clause is not None
    used_clause.body = "<p>changed</p>"
    with pytest.raises(IllegalTransition, match="used by contracts; its body cannot change"):
        used_clause.save()


@pytest.mark.postgres
def test_the_database_refuses_to_edit_approved_wording():
    version = approved("margin_call", "en")
    with pytest.raises(Exception, match="wording UPDATE refused"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE contracts_clauseversion SET body = 'x' WHERE id = %s", [version.pk]
            )
