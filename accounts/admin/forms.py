"""Console forms. They only collect input; the services validate and write."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.enums import DocumentType, ProductRiskLevel, RiskRating, Sex
from accounts.models import KycDocument, Partner, Questionnaire
from accounts.services import InstitutionDetails, PersonDetails


class OnceForm(forms.Form):
    """A fresh idempotency key rendered into the page: submitting twice creates one record."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].initial = uuid.uuid4().hex

    @property
    def key(self) -> str | None:
        return self.cleaned_data.get("idempotency_key") or None


class PersonForm(OnceForm):
    name = forms.CharField(label=_("Name (as on the ID card)"), max_length=100)
    name_latin = forms.CharField(label=_("Name in pinyin"), max_length=150, required=False)
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    birth_date = forms.DateField(label=_("Date of birth"))
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    mobile = forms.CharField(label=_("Mobile"), max_length=20)
    address = forms.CharField(label=_("Address"), max_length=300)
    occupation = forms.CharField(label=_("Occupation"), max_length=100)
    employer = forms.CharField(label=_("Employer"), max_length=200, required=False)
    annual_income = forms.DecimalField(label=_("Average annual income, 3 years (CNY)"))
    financial_assets = forms.DecimalField(label=_("Financial assets (CNY)"))
    investment_experience_years = forms.IntegerField(label=_("Years of investing"), min_value=0)
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.filter(active=True), required=False, label=_("Introduced by")
    )

    def details(self) -> PersonDetails:
        data = self.cleaned_data
        return PersonDetails(
            **{k: data[k] for k in PersonDetails.__dataclass_fields__ if k in data}
        )


class PersonEditForm(PersonForm):
    """Correct details; leave the ID number blank to keep the one on file."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["id_number"].required = False
        self.fields["id_number"].help_text = _("Leave blank to keep the number on file.")
        del self.fields["partner"]
        del self.fields["idempotency_key"]


class InstitutionForm(OnceForm):
    name = forms.CharField(label=_("Registered name"), max_length=200)
    name_latin = forms.CharField(label=_("English name"), max_length=200, required=False)
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=18)
    legal_rep_name = forms.CharField(label=_("Legal representative"), max_length=100)
    legal_rep_id_number = forms.CharField(label=_("Legal representative's ID"), max_length=18)
    registered_address = forms.CharField(label=_("Registered address"), max_length=300)
    contact_mobile = forms.CharField(label=_("Contact mobile"), max_length=20)
    financial_assets = forms.DecimalField(label=_("Financial assets (CNY)"))
    investment_experience_years = forms.IntegerField(label=_("Years of investing"), min_value=0)
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.filter(active=True), required=False, label=_("Introduced by")
    )

    def details(self) -> InstitutionDetails:
        data = self.cleaned_data
        return InstitutionDetails(
            **{k: data[k] for k in InstitutionDetails.__dataclass_fields__ if k in data}
        )


class DocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Document"), choices=DocumentType.choices)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))


class BankAccountForm(forms.Form):
    bank_name = forms.CharField(label=_("Bank"), max_length=100)
    account_name = forms.CharField(label=_("Account holder"), max_length=200)
    account_number = forms.CharField(label=_("Account or card number"), max_length=40)
    is_card = forms.BooleanField(label=_("Debit card"), required=False, initial=True)


class TraderForm(forms.Form):
    name = forms.CharField(label=_("Trader's name"), max_length=100)
    id_number = forms.CharField(label=_("Trader's resident ID"), max_length=18)
    mobile = forms.CharField(label=_("Trader's mobile"), max_length=20)


class VerifyForm(forms.Form):
    risk_rating = forms.ChoiceField(
        label=_("Money-laundering risk rating"), choices=RiskRating.choices
    )
    note = forms.CharField(label=_("Note"), required=False)


class RejectForm(forms.Form):
    reasons = forms.CharField(
        label=_("What the client must fix (one per line)"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
    )

    def reason_list(self) -> list[str]:
        return self.cleaned_data["reasons"].splitlines()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class RevealForm(forms.Form):
    what = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why do you need the full number?"), max_length=300)


class WarningForm(forms.Form):
    product_risk_level = forms.ChoiceField(
        label=_("Product risk level"), choices=ProductRiskLevel.choices
    )
    warning_text = forms.CharField(
        label=_("Warning shown to the client"), widget=forms.Textarea(attrs={"rows": 3})
    )
    client_statement = forms.CharField(
        label=_("Client's written confirmation"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ClassifyForm(forms.Form):
    professional = forms.BooleanField(label=_("Professional investor"), required=False)
    conversion = forms.BooleanField(
        label=_("Ordinary investor applying to convert (lower thresholds)"), required=False
    )
    financial_assets = forms.DecimalField(label=_("Financial assets (CNY)"))
    average_income = forms.DecimalField(label=_("Average annual income, 3 years (CNY)"))
    experience_years = forms.IntegerField(label=_("Years of investing"), min_value=0)
    evidence = forms.ModelMultipleChoiceField(
        queryset=KycDocument.objects.none(), required=False, label=_("Evidence")
    )
    explanation = forms.CharField(label=_("Explanation"), required=False)

    def __init__(self, *args: Any, client: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["evidence"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101  (narrowing)
        field.queryset = KycDocument.objects.filter(client=client)


class QuestionnaireForm(OnceForm):
    """One radio group per question of the version in use."""

    def __init__(self, *args: Any, questionnaire: Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        for question in questionnaire.questions.prefetch_related("options"):
            self.fields[f"q{question.number}"] = forms.ChoiceField(
                label=f"{question.number}. {question.text} / {question.text_en}",
                choices=[
                    (o.label, f"{o.label}. {o.text} / {o.text_en}") for o in question.options.all()
                ],
                widget=forms.RadioSelect,
                required=False,
            )

    def answers(self) -> dict[int, str]:
        return {
            int(key[1:]): value
            for key, value in self.cleaned_data.items()
            if key.startswith("q") and key[1:].isdigit() and value
        }


class ListImportForm(forms.Form):
    key = forms.SlugField(label=_("List key"), max_length=60)
    name = forms.CharField(label=_("List name"), max_length=200)
    fmt = forms.ChoiceField(
        label=_("Format"), choices=[("csv", "CSV"), ("ftm", "FollowTheMoney JSON lines")]
    )
    is_pep = forms.BooleanField(label=_("Politically exposed persons"), required=False)
    file = forms.FileField(label=_("File"))
