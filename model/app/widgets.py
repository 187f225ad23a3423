"""Widgets whose value survives a change of the texts they show (the page's language): the value lives in the
session under a key of its own, and the widget is keyed by that key and the texts' variant."""

from collections.abc import Callable, Sequence

import streamlit as st


def sticky_choice(widget: Callable[..., object], name: str, options: Sequence[str], key: str, default: str,
                  variant: str, format_func: Callable[[str], str] = str, **kwargs: object) -> str:
    """A radio or select box whose value (an option) lives in st.session_state[key], not in the widget; the
    widget shows the options' texts and is keyed by `key` and `variant` (the language, and what else changes the
    texts). A widget whose option texts change under the same key shows nothing selected until the next run in
    the browser; a new key per variant draws a new widget that starts on the kept value."""
    options = list(options)
    if st.session_state.get(key) not in options:
        st.session_state[key] = default if default in options else options[0]
    texts = {option: format_func(option) for option in options}
    chosen = {text: option for option, text in texts.items()}
    widget_key = f"{key}.{variant}"
    if widget_key in st.session_state and st.session_state[widget_key] != texts[st.session_state[key]]:
        st.session_state[widget_key] = texts[st.session_state[key]]  # set elsewhere (an upload, the address)

    def keep() -> None:
        st.session_state[key] = chosen[st.session_state[widget_key]]

    widget(name, list(texts.values()), index=options.index(st.session_state[key]), key=widget_key, on_change=keep,
           **kwargs)
    return str(st.session_state[key])


def sticky_toggle(name: str, key: str, default: bool, variant: str, **kwargs: object) -> bool:
    """A toggle whose value lives in st.session_state[key], drawn under a key per `variant` (the language), so a
    change of its label keeps its value."""
    if not isinstance(st.session_state.get(key), bool):
        st.session_state[key] = default
    widget_key = f"{key}.{variant}"

    def keep() -> None:
        st.session_state[key] = bool(st.session_state[widget_key])

    st.toggle(name, value=st.session_state[key], key=widget_key, on_change=keep, **kwargs)
    return bool(st.session_state[key])
