"""Demo: one planned liquidation on the demo book (wired into ``risk.demo`` by the lead).

If an account is below its package's liquidation line on the demo day, a case is opened for it
with plan v1 (nothing sent: staff execute it from the console). Otherwise the most leveraged
account's plan is simulated and noted, so the console's *Simulate* page has something to show.
"""

from __future__ import annotations

from core.demo import DemoContext
from custody.credit_terms import credit_context
from custody.models import MarginAccount
from custody.valuation import valuations
from risk.liquidation.services import liquidation_open, liquidation_simulate


def seed(ctx: DemoContext) -> None:
    accounts = {a.pk: a for a in MarginAccount.objects.select_related("client")}
    owing = {
        pk: v for pk, v in valuations(list(accounts), ctx.today).items() if v.ratio is not None
    }
    if not owing:
        ctx.log("liquidation: no account owes anything; nothing to plan")
        return
    for pk, valuation in sorted(owing.items(), key=lambda item: item[1].ratio or 0):
        account = accounts[pk]
        terms = credit_context(account.client, ctx.today).terms
        if (
            terms is not None
            and valuation.ratio is not None
            and valuation.ratio < terms.liquidation_line
        ):
            case = liquidation_open(
                margin_account=account,
                trigger_ref="demo:below-liquidation-line",
                actor=ctx.staff.get("risk1"),
                on=ctx.today,
            )
            ctx.notes.append(f"Liquidation #{case.pk} planned for {account.account_no}")
            return
    pk, valuation = min(owing.items(), key=lambda item: item[1].ratio or 0)
    plan = liquidation_simulate(margin_account=accounts[pk], on=ctx.today)
    ctx.log(
        f"liquidation: no account below its line; {accounts[pk].account_no} at "
        f"{valuation.ratio:.4f} would sell {len(plan.lines)} line(s) to reach {plan.goal}"
    )
