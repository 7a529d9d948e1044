"""New questionnaire versions: answered versions are frozen, so changes start from a copy."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from accounts.models import AnswerOption, Question, Questionnaire, ScoreBand, User
from accounts.services.common import require_perm


@transaction.atomic
def questionnaire_new_version(*, source: Questionnaire, by: User) -> Questionnaire:
    """Copy ``source`` (questions, options, bands) as the next, unpublished version to edit."""
    require_perm(by, "accounts.add_questionnaire", "create questionnaire versions")
    top = Questionnaire.objects.filter(code=source.code).aggregate(v=Max("version"))["v"] or 0
    copy = Questionnaire.objects.create(
        code=source.code,
        version=top + 1,
        title=source.title,
        title_en=source.title_en,
        client_kind=source.client_kind,
    )
    for question in source.questions.prefetch_related("options"):
        new_question = Question.objects.create(
            questionnaire=copy, number=question.number, text=question.text, text_en=question.text_en
        )
        AnswerOption.objects.bulk_create(
            AnswerOption(
                question=new_question,
                label=o.label,
                text=o.text,
                text_en=o.text_en,
                score=o.score,
                forces_lowest=o.forces_lowest,
            )
            for o in question.options.all()
        )
    ScoreBand.objects.bulk_create(
        ScoreBand(questionnaire=copy, min_score=b.min_score, max_score=b.max_score, level=b.level)
        for b in source.bands.all()
    )
    return copy
