"""What a piece of wording uses: variable names and clause codes, read from its parsed nodes."""

from __future__ import annotations

from typing import Any

from django.template import Node, NodeList, Variable
from django.template.base import FilterExpression, VariableNode
from django.template.defaulttags import ForNode, IfNode, TemplateLiteral, WithNode
from django.template.library import SimpleNode

from contracts.enums import ClauseCode
from contracts.rendering.engine import compile_wording
from contracts.rendering.html import DOCUMENT_META_NAMES
from contracts.terms import ContractTerms
from core.exceptions import InvalidInput


def _expression(fe: Any) -> set[str]:
    names: set[str] = set()
    if not isinstance(fe, FilterExpression):
        return names
    if isinstance(fe.var, Variable) and fe.var.lookups:
        names.add(fe.var.lookups[0])
    for _func, args in fe.filters:
        for is_variable, arg in args:
            if is_variable and isinstance(arg, Variable) and arg.lookups:
                names.add(arg.lookups[0])
    return names


def _condition(condition: Any) -> set[str]:
    if condition is None:
        return set()
    if isinstance(condition, TemplateLiteral):
        return _expression(condition.value)
    return _condition(getattr(condition, "first", None)) | _condition(
        getattr(condition, "second", None)
    )


def _node_names(node: Node) -> tuple[set[str], set[str]]:
    """(names read, names the node defines for its children)."""
    if isinstance(node, VariableNode):
        return _expression(node.filter_expression), set()
    if isinstance(node, IfNode):
        names: set[str] = set()
        for condition, _nodelist in node.conditions_nodelists:
            names |= _condition(condition)
        return names, set()
    if isinstance(node, ForNode):
        return _expression(node.sequence), {*node.loopvars, "forloop"}
    if isinstance(node, WithNode):
        values = set().union(*(_expression(v) for v in node.extra_context.values()))
        return values, set(node.extra_context)
    if isinstance(node, SimpleNode):
        return set().union(set(), *(_expression(a) for a in node.args)), set()
    return set(), set()


def _all_nodes(nodelist: NodeList) -> list[Node]:
    return list(nodelist.get_nodes_by_type(Node))


def names_used(source: str, *, what: str) -> list[str]:
    """Every context variable the wording reads (loop variables excluded)."""
    compiled = compile_wording(source, what=what)
    used: set[str] = set()
    local: set[str] = set()
    for node in _all_nodes(compiled.nodelist):
        names, defined = _node_names(node)
        used |= names
        local |= defined
    return sorted(used - local)


def clause_codes_used(source: str, *, what: str) -> list[str]:
    compiled = compile_wording(source, what=what)
    codes = []
    for node in _all_nodes(compiled.nodelist):
        if isinstance(node, SimpleNode) and node.func.__name__ == "clause":
            for arg in node.args:
                if isinstance(arg.var, str):
                    codes.append(arg.var)
                else:
                    raise InvalidInput(
                        f"{what}: name clauses with a quoted code, e.g. {{% clause "
                        '"margin_call" %}',
                        field="body",
                    )
    return codes


def check_wording(source: str, *, what: str) -> list[str]:
    """Refuse wording that reads unknown variables or includes unknown clauses; return its names."""
    names = names_used(source, what=what)
    known = ContractTerms.variable_names() | DOCUMENT_META_NAMES
    unknown = [n for n in names if n not in known]
    if unknown:
        raise InvalidInput(
            f"{what} uses {{{{ {unknown[0]} }}}}, which is not a contract variable; see the "
            "list of contract variables in docs/contracts.md",
            field="body",
        )
    bad = [c for c in clause_codes_used(source, what=what) if c not in ClauseCode.values]
    if bad:
        raise InvalidInput(
            f"{what} includes clause {bad[0]!r}, which is not in the clause library "
            f"({', '.join(ClauseCode.values)})",
            field="body",
        )
    return names
