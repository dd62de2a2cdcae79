"""``{% url %}`` that remembers what it worked out (built into every template).

Django's ``{% url %}`` reverses the view's name on every render: about 0.1 ms each, and a
page has twenty or more (the menu, the footer, a link per card). The answer depends only
on the name, the arguments, the application namespace, the URL configuration, the script
prefix and the language, so it is kept per process under exactly those; the same tag,
with ``as`` or with arguments that are neither numbers nor text, works as Django's does.
"""

from __future__ import annotations

from django import template
from django.template import defaulttags
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()

#: (name, arguments, namespace, urlconf, prefix, language, escaped) -> the address.
_KNOWN: dict[tuple, str] = {}
#: More than this many addresses (a link per need of thousands): start again.
MOST = 20_000


class KeptURLNode(defaulttags.URLNode):
    def render(self, context):
        if self.asvar is not None:
            return super().render(context)
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple(sorted((name, value.resolve(context))
                              for name, value in self.kwargs.items()))
        if not all(type(value) in (int, str) for value in (*args, *(v for _k, v in kwargs))):
            return super().render(context)
        request = context.get("request")
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        key = (self.view_name.resolve(context), args, kwargs, current_app, get_urlconf(),
               get_script_prefix(), get_language(), context.autoescape)
        address = _KNOWN.get(key)
        if address is None:
            address = super().render(context)
            if len(_KNOWN) >= MOST:
                _KNOWN.clear()
            _KNOWN[key] = address
        return address


@register.tag
def url(parser, token):
    """Django's ``{% url %}``, remembering each address it has worked out."""
    node = defaulttags.url(parser, token)
    node.__class__ = KeptURLNode
    return node
