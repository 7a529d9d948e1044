"""Stress scenarios for ``manage.py demo_seed``: the real replays and three hypothetical shocks,
one run over the demo book, and the liquidity models' evaluation on the three A-share series
(idempotent: scenarios are updated, a run and an evaluation are made once a day)."""

from __future__ import annotations

from core.demo import DemoContext
from risk.liquidity.evaluation import ASHARE_SERIES
from risk.stress.enums import ScenarioKind
from risk.stress.evaluation_services import liquidity_models_evaluate
from risk.stress.models import LiquidityModelEvaluation, StressRun
from risk.stress.services import stress_scenario_save, stress_test_run

SCENARIOS: list[tuple[str, str, str, str, dict[str, object]]] = [
    (
        "crash-2015-07",
        "2015 crash: 6–10 July",
        ScenarioKind.HISTORICAL,
        "The real bars of the first week of July 2015; stocks without history follow 000333.",
        {"start": "2015-07-06", "end": "2015-07-10", "proxy_code": "000333"},
    ),
    (
        "crash-2015-08",
        "2015 crash: 24–28 August",
        ScenarioKind.HISTORICAL,
        "Black Monday 24 August 2015 and the days after; 000333 as proxy.",
        {"start": "2015-08-24", "end": "2015-08-28", "proxy_code": "000333"},
    ),
    (
        "vanke-resumption-2016",
        "000002 resumes, July 2016",
        ScenarioKind.HISTORICAL,
        "Vanke resumed on 2016-07-04 after six months suspended: two one-price limit-down days.",
        {"start": "2016-07-04", "end": "2016-07-08"},
    ),
    (
        "limit-down-3",
        "Three one-price limit-down days",
        ScenarioKind.HYPOTHETICAL,
        "Every stock −10% three days running with no fills, then 20% of usual volume.",
        {"horizon_days": 5, "gap": -0.10, "gap_days": 3, "one_price": True, "volume_factor": 0.2},
    ),
    (
        "chinext-20",
        "ChiNext −20% in a day",
        ScenarioKind.HYPOTHETICAL,
        "A board-wide shock at ChiNext's 20% limit, volume halved.",
        {"horizon_days": 3, "gap": -0.20, "gap_days": 1, "board": "chinext", "volume_factor": 0.5},
    ),
    (
        "volume-dry-80",
        "Volume dried up by 80%",
        ScenarioKind.HYPOTHETICAL,
        "Prices −3% a day for five days while volume falls to a fifth.",
        {"horizon_days": 5, "gap": -0.03, "gap_days": 5, "volume_factor": 0.2},
    ),
]


def seed(ctx: DemoContext) -> None:
    officer = ctx.person("risk1")
    scenarios = [
        stress_scenario_save(
            code=code, name=name, kind=kind, description=text, params=params, actor=officer
        )
        for code, name, kind, text, params in SCENARIOS
    ]
    chosen = scenarios[3]
    if not StressRun.objects.filter(scenario=chosen, book_date=ctx.today).exists():
        stress_test_run(scenario=chosen, on=ctx.today, actor=officer)
    run = StressRun.objects.filter(scenario=chosen, book_date=ctx.today).latest("pk")
    ctx.log(
        f"stress: {len(scenarios)} scenarios; '{chosen.name}' over {run.accounts} account(s): "
        f"{run.liquidation_accounts} below the liquidation line, "
        f"shortfall CNY {run.total_shortfall}"
    )
    _seed_evaluation(ctx)
    ctx.notes.append(
        "Stress: Risk → Stress scenarios (edit, or run one over today's book); Stress runs show "
        "each day's breaches, what could and could not be sold, and the shortfall, with charts."
    )


def _seed_evaluation(ctx: DemoContext) -> None:
    """The A-share series only (about 8 s; all five take about 25 s: the console's button or
    ``manage.py liquidity_evaluate`` runs them all)."""
    done = LiquidityModelEvaluation.objects.filter(
        evaluated_on=ctx.today, series__in=ASHARE_SERIES
    ).count()
    if done < len(ASHARE_SERIES):
        liquidity_models_evaluate(on=ctx.today, actor=ctx.person("risk1"), names=ASHARE_SERIES)
    rows = LiquidityModelEvaluation.objects.filter(evaluated_on=ctx.today).order_by("series")
    ctx.log(
        "liquidity models: "
        + "; ".join(
            f"{r.series} HAR/roll {r.har_mse_ratio:.3f} ML/roll {r.ml_mse_ratio:.3f}" for r in rows
        )
    )
    ctx.notes.append(
        "Liquidity: Risk → Liquidity model evaluations shows the HAR and ML models against the "
        "20-day rolling mean (the demo ran the A-share series; Run the evaluation now adds the "
        "S&P 500 and NASDAQ)."
    )
