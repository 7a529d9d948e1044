"""Seed the risk-tolerance questionnaires (persons and institutions), version 1.

Modelled on the questionnaires securities firms use under CSRC Order 130: ten questions for a
natural person and six for an institution, in Chinese with English. "Cannot accept any loss"
makes the investor the lowest-capacity category (C1) whatever the total. The versions are data:
a new version is added in the console; this one stays frozen once anyone has answered it.
"""

from datetime import date

from django.db import migrations

L = "forces_lowest"

PERSON = [
    ("您的年龄是？", "Your age?", [
        ("18–40 岁", "18–40", 4), ("41–50 岁", "41–50", 3), ("51–64 岁", "51–64", 2),
        ("65 岁及以上", "65 or over", 1)]),
    ("您的家庭年收入约为？", "Your household's annual income?", [
        ("10 万元以下", "under CNY 100k", 1), ("10–50 万元", "CNY 100k–500k", 2),
        ("50–100 万元", "CNY 500k–1M", 3), ("100 万元以上", "over CNY 1M", 4)]),
    ("您可用于投资的金融资产约为？", "Your financial assets available for investment?", [
        ("50 万元以下", "under CNY 500k", 1), ("50–300 万元", "CNY 500k–3M", 2),
        ("300–500 万元", "CNY 3M–5M", 3), ("500 万元以上", "over CNY 5M", 4)]),
    ("您投资股票、基金等风险资产的经验有多少年？", "Years of investing in shares, funds or similar?", [
        ("没有经验", "none", 0), ("不到 2 年", "under 2 years", 1), ("2–5 年", "2–5 years", 3),
        ("5 年以上", "over 5 years", 4)]),
    ("您的金融投资知识水平？", "Your knowledge of financial investment?", [
        ("基本没有", "very little", 1), ("了解一些", "some", 2), ("比较丰富", "good", 3),
        ("从事金融相关工作，非常专业", "professional (work in finance)", 4)]),
    ("您曾经投资过哪类产品（选风险最高的一项）？", "The riskiest product you have invested in?", [
        ("银行存款、国债、货币基金", "deposits, treasuries, money funds", 1),
        ("债券、银行理财、债券基金", "bonds, bank wealth products, bond funds", 2),
        ("股票、混合型或股票型基金", "shares, mixed or equity funds", 3),
        ("期货、期权、融资融券等杠杆产品", "futures, options, margin trading", 4)]),
    ("您计划的投资期限是？", "How long do you plan to invest?", [
        ("1 年以内", "under 1 year", 1), ("1–3 年", "1–3 years", 2), ("3–5 年", "3–5 years", 3),
        ("5 年以上", "over 5 years", 4)]),
    ("您的投资目标是？", "Your investment goal?", [
        ("保本，获得稳定收益", "keep capital, steady income", 1),
        ("稳健增值，可承受小幅波动", "steady growth with small swings", 2),
        ("较高收益，可承受较大波动", "higher returns with larger swings", 3),
        ("追求高收益，可承受大幅亏损", "high returns, large losses acceptable", 4)]),
    ("您能承受的最大投资亏损是？", "The largest loss you could bear?", [
        ("不能承受任何亏损", "no loss at all", 0, L), ("10% 以内", "up to 10%", 1),
        ("10%–30%", "10%–30%", 3), ("30% 以上", "over 30%", 5)]),
    ("您每月收入中用于偿还债务的比例？", "Share of your monthly income that repays debts?", [
        ("50% 以上", "over 50%", 1), ("25%–50%", "25%–50%", 2), ("25% 以下", "under 25%", 3),
        ("没有负债", "no debts", 4)]),
]
PERSON_BANDS = [(0, 15, "C1"), (16, 22, "C2"), (23, 29, "C3"), (30, 35, "C4"), (36, 41, "C5")]

INSTITUTION = [
    ("贵机构的性质是？", "What kind of institution are you?", [
        ("一般企业", "an ordinary company", 1), ("私募基金管理人、投资公司", "private fund manager or investment company", 3),
        ("持牌金融机构", "a licensed financial institution", 4), ("其他", "other", 2)]),
    ("贵机构最近一年末的净资产？", "Net assets at the last year end?", [
        ("1000 万元以下", "under CNY 10M", 1), ("1000 万–5000 万元", "CNY 10M–50M", 2),
        ("5000 万–2 亿元", "CNY 50M–200M", 3), ("2 亿元以上", "over CNY 200M", 4)]),
    ("贵机构投资证券、期货等产品的经验？", "Experience investing in securities or futures?", [
        ("没有经验", "none", 1), ("不到 2 年", "under 2 years", 2), ("2–5 年", "2–5 years", 3),
        ("5 年以上", "over 5 years", 4)]),
    ("贵机构的投资目标？", "Your investment goal?", [
        ("保本", "keep capital", 1), ("稳健增值", "steady growth", 2), ("较高收益", "higher returns", 3),
        ("高收益", "high returns", 4)]),
    ("贵机构能承受的最大亏损？", "The largest loss the institution could bear?", [
        ("不能承受任何亏损", "no loss at all", 0, L), ("10% 以内", "up to 10%", 1),
        ("10%–30%", "10%–30%", 3), ("30% 以上", "over 30%", 5)]),
    ("本次投资资金的投资期限？", "How long will these funds be invested?", [
        ("1 年以内", "under 1 year", 1), ("1–3 年", "1–3 years", 2), ("3–5 年", "3–5 years", 3),
        ("5 年以上", "over 5 years", 4)]),
]
INSTITUTION_BANDS = [(0, 9, "C1"), (10, 13, "C2"), (14, 17, "C3"), (18, 21, "C4"), (22, 25, "C5")]

SHEETS = [
    ("person-risk", "个人投资者风险承受能力评估问卷", "Risk tolerance questionnaire — individuals",
     "person", PERSON, PERSON_BANDS),
    ("institution-risk", "机构投资者风险承受能力评估问卷", "Risk tolerance questionnaire — institutions",
     "institution", INSTITUTION, INSTITUTION_BANDS),
]


def seed(apps, schema_editor):
    Questionnaire = apps.get_model("accounts", "Questionnaire")
    Question = apps.get_model("accounts", "Question")
    AnswerOption = apps.get_model("accounts", "AnswerOption")
    ScoreBand = apps.get_model("accounts", "ScoreBand")
    for code, title, title_en, kind, questions, bands in SHEETS:
        sheet, created = Questionnaire.objects.get_or_create(
            code=code,
            version=1,
            defaults={"title": title, "title_en": title_en, "client_kind": kind,
                      "published_on": date(2017, 7, 1)},
        )
        if not created:
            continue
        for number, (text, text_en, options) in enumerate(questions, start=1):
            question = Question.objects.create(
                questionnaire=sheet, number=number, text=text, text_en=text_en
            )
            for label, option in zip("ABCDEF", options):
                AnswerOption.objects.create(
                    question=question, label=label, text=option[0], text_en=option[1],
                    score=option[2], forces_lowest=len(option) > 3,
                )
        for low, high, level in bands:
            ScoreBand.objects.create(questionnaire=sheet, min_score=low, max_score=high, level=level)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_onboarding_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
