"""The template engine for contract wording: no file access, no extra libraries, and every
variable that cannot be resolved leaves a sentinel that the renderer turns into a refusal.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.template import Engine, Template, TemplateDoesNotExist, TemplateSyntaxError

from core.exceptions import InvalidInput

MISSING = "§§missing:%s§§"
_MISSING_RE = re.compile(r"§§missing:(.*?)§§")
# Tags that would reach outside the wording (other templates, other libraries, the context dump).
_FORBIDDEN_TAGS = re.compile(r"{%-?\s*(include|extends|load|debug|ssi|block)\b")


@lru_cache(maxsize=1)
def engine() -> Engine:
    return Engine(
        dirs=[],
        app_dirs=False,
        autoescape=True,
        string_if_invalid=MISSING,
        libraries={},
        builtins=["contracts.rendering.library"],
        loaders=[("django.template.loaders.locmem.Loader", {})],
    )


def compile_wording(source: str, *, what: str) -> Template:
    """Compile stored wording, or refuse it naming what is wrong."""
    forbidden = _FORBIDDEN_TAGS.search(source)
    if forbidden:
        raise InvalidInput(
            f"{what}: the tag {{% {forbidden.group(1)} %}} is not allowed in contract wording",
            field="body",
        )
    try:
        return engine().from_string(source)
    except (TemplateSyntaxError, TemplateDoesNotExist) as error:
        raise InvalidInput(f"{what}: the wording does not parse: {error}", field="body") from error


def missing_names(rendered: str) -> list[str]:
    return sorted(set(_MISSING_RE.findall(rendered)))
