"""The settings screen (`,`): every setting the rules run on, changed in place.

One field per key of store/rules/settings_keys.py, prefilled with the current value; each is
checked as it is typed (the reason shows beside it) and the screen dismisses the new
Settings only when every field is good (enter or ctrl+s); escape changes nothing.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from store.errors import InputError
from store.model import Settings
from store.rules.settings_keys import KEYS, apply, show
from tui.stylesheets import SCREENS_CSS


def field_id(key: str) -> str:
    return "setting-" + key.replace(".", "-")


class SettingsScreen(ModalScreen[Settings | None]):
    CSS_PATH = SCREENS_CSS  # read after the first frame, or when this opens first
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="settings.save"),
        Binding("escape", "cancel", "Cancel", id="settings.cancel"),
    ]

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings

    def compose(self) -> ComposeResult:
        values = show(self.settings)
        with Vertical(id="settings-dialog", classes="dialog") as box:
            box.border_title = "Settings"
            with VerticalScroll(id="settings-body"):
                for key, about in KEYS.items():
                    with Horizontal(classes="settings-row"):
                        yield Label(key, classes="settings-key", markup=False)
                        with Vertical(classes="settings-field"):
                            yield Input(values[key], id=field_id(key), compact=True)
                            yield Static(about, classes="settings-about", markup=False)
            yield Static(
                "enter or ctrl+s save · esc cancel · tab next",
                classes="dialog-keys",
                markup=False,
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def collect(self) -> tuple[Settings, dict[str, str]]:
        """The new settings, and the reason per key that is wrong."""
        settings = self.settings
        errors: dict[str, str] = {}
        for key in KEYS:
            try:
                settings = apply(settings, key, self.query_one(f"#{field_id(key)}", Input).value)
            except InputError as error:
                errors[key] = str(error)
        return settings, errors

    def _show(self, errors: dict[str, str]) -> None:
        for key, about in KEYS.items():
            field = self.query_one(f"#{field_id(key)}", Input)
            assert field.parent is not None
            note = field.parent.query_one(".settings-about", Static)
            note.update(errors.get(key, about))
            note.set_class(key in errors, "-invalid")

    @on(Input.Changed)
    def _changed(self) -> None:
        self._show(self.collect()[1])

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        settings, errors = self.collect()
        self._show(errors)
        if errors:
            first = next(k for k in KEYS if k in errors)
            self.query_one(f"#{field_id(first)}", Input).focus()
            return
        self.dismiss(settings)

    def action_cancel(self) -> None:
        self.dismiss(None)
